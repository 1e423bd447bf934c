"""The start screen of ``repostguard app``: choose an archive, see and update the lists, watch the job.

Endpoints (all behind :class:`repostguard.app.web.Guard`: loopback Host, same Origin for every
POST, the token in the path, strict CSP):

- ``GET /start``: the screen; ``GET /job``: the current job as JSON (the page polls it);
- ``POST /upload?name=FILE``: the archive as the request body, streamed into the workspace folder
  (``start.js`` sends the file input's file); JSON back, a refusal as ``{"error": one line}``;
- ``POST /open``: a form with ``path``, a folder or file on disk, only read;
- ``POST /job/cancel``, ``POST /lists/update``: forms; ``POST /lists/install?list=NAME&name=FILE``:
  a list file as the body;
- ``POST /recheck``: re-check the workspace against the lists' changes since its last check (the
  screen offers it when a list changed: :mod:`repostguard.app.changes`), as a background job.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from repostguard.app.changes import list_changes, recheck_lines
from repostguard.app.check import check_routes
from repostguard.app.intake import MAX_LIST_UPLOAD, MAX_UPLOAD, Refused, Upload, check_export, check_path, uploads_dir
from repostguard.app.jobs import Busy, Job, Jobs
from repostguard.app.overview import platform_overview
from repostguard.app.web import MAX_FORM, ASGIApp, ReviewApp, guarded, review_routes
from repostguard.banks.fsm import FSM_LIST
from repostguard.banks.lifecycle import available_meta, installed_meta, snapshot_in_use
from repostguard.banks.registry import LISTS, update_lists
from repostguard.pipeline.scan import prebuild_index
from repostguard.store import Store
from repostguard.views.entries import Entries
from repostguard.views.i18n import fmt_local, t
from repostguard.views.snapshot import snapshot_notice

#: how the page names each stage of a job
STAGE_KEYS = {
    "queued": "app_stage_queued",
    "importing": "app_stage_importing",
    "pictures": "app_stage_pictures",
    "matching": "app_stage_matching",
    "saving": "app_stage_saving",
    "lists": "app_stage_lists",
    "recheck": "app_stage_recheck",
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


def job_view(snap: dict[str, Any] | None, lang: str) -> dict[str, Any]:
    """The job as the page shows it: the JSON snapshot plus its words in ``lang``."""
    if snap is None:
        return {"state": "none"}
    done, total = int(snap["done"]), snap["total"]
    parts = [t("app_count_of", lang, done=_num(done, lang), total=_num(int(total), lang))
             if total is not None else t("app_count_items", lang, done=_num(done, lang))]
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
        "result_lines": recheck_lines(snap["result"], lang) if snap["kind"] == "recheck" and state == "done" else [],
    }


def lists_info(lang: str) -> list[dict[str, Any]]:
    """Each installable list: its title and, when installed (or packaged: ``snapshot`` says how old it
    is), version, dates, entries and source."""
    out = []
    for name, spec in LISTS.items():
        packaged = snapshot_in_use(spec)
        meta = installed_meta(spec) or packaged
        title = spec.title_ru if lang == "ru" else spec.title_en
        out.append({
            "name": name,
            "title": title[:1].upper() + title[1:],
            "installed": meta is not None,
            "snapshot": snapshot_notice(packaged, lang) if packaged else "",
            "official": (packaged or {}).get("official", True),
            "version": (meta or {}).get("version", ""),
            "last_inclusion": (meta or {}).get("last_inclusion") or "",
            "fetched": fmt_local((meta or {}).get("fetched_at"), lang),
            "entries": (meta or {}).get("entries"),
            "source": (meta or {}).get("source", ""),
        })
    return out


class StartScreen:
    """The start screen's handlers; one :class:`Jobs` per workspace."""

    def __init__(self, review: ReviewApp, jobs: Jobs, *, fsm: Path | None = None,
                 max_upload: int = MAX_UPLOAD) -> None:
        self.review = review
        self.jobs = jobs
        self.fsm = fsm
        self.max_upload = max_upload
        self.db = review.db
        self.base = review.base

    def _snap(self) -> dict[str, Any] | None:
        job = self.jobs.current
        return job.snapshot() if job is not None else None

    def page(self, request: Request, *, error: str = "", status: int = 200, **extra: Any) -> Response:
        lang = self.review.lang(request)
        view = job_view(self._snap(), lang)
        overview = []
        if view["state"] in ("none", "done", "cancelled", "failed"):  # not while a job writes: it would wait
            with Store.open(self.db) as store:
                overview = platform_overview(store.conn)
        return self.review.render(
            "start.html", request, status=status, job=view, lists=lists_info(lang), overview=overview,
            error=error, list_names=list(LISTS), max_gb=max(1, self.max_upload // 1024**3),
            has_list=self._has_list(), changes=self._changes(view, lang), **extra,
        )

    def _has_list(self) -> bool:
        return self.fsm is not None or available_meta(FSM_LIST) is not None

    def _changes(self, view: dict[str, Any], lang: str) -> list[dict[str, Any]]:
        """The lists changed since the workspace's last check (not while a job runs)."""
        return [] if view["state"] == "running" else list_changes(self.db, lang)

    def recheck(self, request: Request) -> Response:
        lang = self.review.lang(request)
        try:
            with Store.open(self.db) as store:
                if not store.count_items():
                    raise Refused("app_refuse_no_items")
            self.jobs.recheck(t("app_recheck_label", lang))
        except Busy:
            return self.page(request, error=Refused("app_refuse_busy").text(lang), status=409)
        except Refused as e:
            return self.page(request, error=e.text(lang), status=e.status)
        return RedirectResponse(self.base + "/start", status_code=303)

    def _scan(self, path: Path, label: str) -> Job:
        if not self._has_list():
            raise Refused("app_refuse_no_list")
        try:
            return self.jobs.scan(path, label)
        except Busy as e:
            raise Refused("app_refuse_busy") from e

    def status(self, request: Request) -> Response:
        return JSONResponse(job_view(self._snap(), self.review.lang(request)))

    async def upload(self, request: Request) -> Response:
        lang = self.review.lang(request)
        name = request.query_params.get("name", "")[:300] or "archive"
        try:
            if self.jobs.running():
                raise Refused("app_refuse_busy")
            if not self._has_list():
                raise Refused("app_refuse_no_list")
            declared = request.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.max_upload:
                raise Refused("app_refuse_too_large", name=name, gb=max(1, self.max_upload // 1024**3))
            path = await self._receive(request, uploads_dir(self.db), name, self.max_upload)
            try:
                platform = await run_in_threadpool(check_export, path, name)
                job = self._scan(path, name)
            except Refused:
                path.unlink(missing_ok=True)
                raise
        except Refused as e:
            return JSONResponse({"error": e.text(lang)}, status_code=e.status)
        return JSONResponse({"platform": platform, "job": job_view(job.snapshot(), lang)})

    @staticmethod
    async def _receive(request: Request, folder: Path, name: str, limit: int) -> Path:
        up = Upload(folder, name, limit)
        try:
            async for chunk in request.stream():
                if chunk:
                    up.write(chunk)
        except BaseException:
            up.discard()
            raise
        return up.finish()

    async def open_path(self, request: Request) -> Response:
        lang = self.review.lang(request)
        body = await request.body()
        if len(body) > MAX_FORM:
            return self.page(request, error=t("app_refuse_form", lang), status=413)
        text = dict(parse_qsl(body.decode("utf-8", "replace"))).get("path", "")
        try:
            if self.jobs.running():
                raise Refused("app_refuse_busy")
            path = check_path(text)
            await run_in_threadpool(check_export, path, str(path))
            self._scan(path, str(path))
        except Refused as e:
            return self.page(request, error=e.text(lang), status=e.status)
        return RedirectResponse(self.base + "/start", status_code=303)

    def cancel(self, request: Request) -> Response:
        self.jobs.cancel()
        return RedirectResponse(self.base + "/start", status_code=303)

    def lists_update(self, request: Request) -> Response:
        try:
            self._lists_job(t("app_lists_update_label", self.review.lang(request)),
                            lambda: update_lists("all"))
        except Refused as e:
            return self.page(request, error=e.text(self.review.lang(request)), status=e.status)
        return RedirectResponse(self.base + "/start", status_code=303)

    async def lists_install(self, request: Request) -> Response:
        lang = self.review.lang(request)
        which = request.query_params.get("list", FSM_LIST.name)
        name = request.query_params.get("name", "")[:300] or "list"
        try:
            if which not in LISTS:
                raise Refused("app_refuse_list_name", name=which)
            if self.jobs.running():
                raise Refused("app_refuse_busy")
            path = await self._receive(request, uploads_dir(self.db), "list-" + name, MAX_LIST_UPLOAD)

            def install() -> str:
                try:
                    return update_lists(which, from_file=path)
                finally:
                    path.unlink(missing_ok=True)

            try:
                job = self._lists_job(name, install)
            except Refused:
                path.unlink(missing_ok=True)
                raise
        except Refused as e:
            return JSONResponse({"error": e.text(lang)}, status_code=e.status)
        return JSONResponse({"job": job_view(job.snapshot(), lang)})

    def _lists_job(self, label: str, update: Any) -> Job:
        def run() -> str:
            out = str(update())
            prebuild_index()
            self.review.entries = Entries(self.fsm)  # the page looks entries up in the new list
            return out

        try:
            return self.jobs.lists(label, run)
        except Busy as e:
            raise Refused("app_refuse_busy") from e

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/start", self.page),
            Route("/job", self.status),
            Route("/upload", self.upload, methods=["POST"]),
            Route("/open", self.open_path, methods=["POST"]),
            Route("/job/cancel", self.cancel, methods=["POST"]),
            Route("/lists/update", self.lists_update, methods=["POST"]),
            Route("/lists/install", self.lists_install, methods=["POST"]),
            Route("/recheck", self.recheck, methods=["POST"]),
        ]


def create_start_app(db: Path, token: str, port: int, entries: Entries | None = None, *,
                     jobs: Jobs | None = None, fsm: Path | None = None,
                     max_upload: int = MAX_UPLOAD) -> tuple[ASGIApp, Jobs]:
    """The guarded app (start screen and review page) for the workspace ``db``, and its jobs."""
    review = ReviewApp(db, token, entries or Entries(fsm), start=True)
    jobs = jobs if jobs is not None else Jobs(db, fsm=fsm)
    screen = StartScreen(review, jobs, fsm=fsm, max_upload=max_upload)
    return guarded([*screen.routes(), *check_routes(screen), *review_routes(review)], token, port), jobs


__all__ = ["StartScreen", "create_start_app", "job_view", "lists_info"]
