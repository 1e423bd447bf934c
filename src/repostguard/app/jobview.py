"""A job as the start screen shows it: its stage, counts, rate, time left and result, in words."""

from __future__ import annotations

from typing import Any

from repostguard.app.changes import recheck_lines
from repostguard.app.jobs import COUNTED
from repostguard.views.i18n import t

STAGE_KEYS = {
    "queued": "app_stage_queued",
    "loading": "app_stage_loading",
    "opening": "app_stage_opening",
    "importing": "app_stage_importing",
    "pictures": "app_stage_pictures",
    "matching": "app_stage_matching",
    "saving": "app_stage_saving",
    "lists": "app_stage_lists",
    "recheck": "app_stage_recheck",
    "cleaning": "clean_stage_running",
    "done": "app_job_done",
}


def _duration(seconds: float, lang: str) -> str:
    s = max(0, round(seconds))
    if s < 60:
        return t("app_dur_s", lang, s=s)
    if s < 3600:
        return t("app_dur_m", lang, m=s // 60, s=s % 60)
    return t("app_dur_h", lang, h=s // 3600, m=(s % 3600) // 60)


def _num(n: int, lang: str) -> str:
    return f"{n:,}".replace(",", "\u202f" if lang == "ru" else ",")


def _result_lines(snap: dict[str, Any], lang: str) -> list[str]:
    """What a finished job adds below its headline: a re-check's findings, a scan's notes (pictures not read…)."""
    if snap["kind"] == "recheck":
        return recheck_lines(snap["result"], lang)
    return [str(n) for n in snap["result"].get("notes", [])]


def job_view(snap: dict[str, Any] | None, lang: str) -> dict[str, Any]:
    """The job as the page shows it: the JSON snapshot plus its words in ``lang``."""
    if snap is None:
        return {"state": "none"}
    done, total = int(snap["done"]), snap["total"]
    parts = [] if snap["stage"] not in (*COUNTED, "done") else [  # the others count steps, not items
        t("app_count_of", lang, done=_num(done, lang), total=_num(int(total), lang), n=int(total))
        if total is not None else t("app_count_items", lang, done=_num(done, lang), n=done)]
    if snap["rate"]:
        parts.append(t("app_rate", lang, rate=_num(int(snap["rate"]), lang)))
    if snap["eta"] is not None and snap["state"] == "running":
        parts.append(t("app_time_left", lang, left=_duration(float(snap["eta"]), lang)))
    parts.append(t("app_elapsed", lang, spent=_duration(float(snap["elapsed"]), lang)))
    state = snap["state"]
    if state == "running" and snap["cancelling"]:
        headline = t("app_job_cancelling", lang)
    elif state == "running":
        headline = t(STAGE_KEYS.get(snap["stage"], "app_stage_queued"), lang)
    elif snap["kind"] == "clean" and state in ("done", "cancelled"):
        headline = t("clean_job_done" if state == "done" else "clean_job_paused", lang)
    else:
        headline = t(f"app_job_{state}", lang)
    percent = None
    if total:
        percent = min(100, round(100 * done / int(total)))
    elif state == "done":
        percent = 100
    return {
        **snap,
        "headline": headline,
        "counts_text": " · ".join(parts),
        "percent": percent,
        "error_text": t("app_job_error", lang, error=snap["error"]) if snap["error"] else "",
        "result_lines": _result_lines(snap, lang) if state == "done" else [],
    }
