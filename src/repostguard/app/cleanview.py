"""What the clean-up page shows, read from the workspace: the plan per platform, the progress, what
takes effect at once on VK, the checklist grouped by kind and year, and the journal."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from typing import Any

from repostguard.actions.checklist import describe, grouped, year_of
from repostguard.actions.planner import Entry, Plan, backed_up_ids
from repostguard.actions.registry import find
from repostguard.actions.vk import archive_owner, parse_object
from repostguard.store import Store
from repostguard.views.i18n import KIND_LABELS, fmt_date, fmt_local, has, label, t

#: journal rows the page lists
JOURNAL_SHOWN = 60
#: the kinds that live on the person's own VK wall (hidden by «Архив записей» and a closed profile)
WALL_KINDS = ("post", "repost")
#: the kinds that stay visible on other people's pages whatever the person's profile settings
ELSEWHERE_KINDS = ("comment", "like")


def platform_label(name: str) -> str:
    declared = find(name)
    return declared.label if declared is not None else name


def plan_rows(store: Store, plan: Plan, lang: str) -> list[dict[str, Any]]:
    """Per platform: what goes through its API, what is done by hand, what is gone, what needs a backup."""
    backed = backed_up_ids(store)
    gone = store.deleted_ids()
    rows: dict[str, Counter[str]] = {}
    for e in plan.entries:
        c = rows.setdefault(e.platform, Counter())
        if e.item_id in gone:
            c["gone"] += 1
            continue
        c["api" if e.route == "api" else "manual"] += 1
        if e.action == "hide":
            c["hide"] += 1
        if e.action == "delete" and e.item_id not in backed:
            c["not_backed"] += 1
    return [{"platform": p, "label": platform_label(p), **{k: c[k] for k in ("api", "manual", "hide", "gone",
                                                                              "not_backed")}}
            for p, c in sorted(rows.items())]


def needs_backup(store: Store, plan: Plan) -> int:
    """How many planned deletions still online have no backup yet."""
    backed = backed_up_ids(store)
    gone = store.deleted_ids()
    return sum(1 for e in plan.entries if e.action == "delete" and e.item_id not in backed and e.item_id not in gone)


def progress(store: Store, plan: Plan, platform: str) -> dict[str, Any]:
    """The API part of the plan for ``platform``, from the workspace: ``total``, ``gone``, ``denied``
    (refused by the platform: ``denied_ids``), ``left`` and the ``percent`` done (gone or refused)."""
    gone = store.deleted_ids()
    last = _last_status(store.conn)
    counts: Counter[str] = Counter()
    denied: set[str] = set()
    for e in plan.entries:
        if e.platform != platform or e.route != "api":
            continue
        if e.item_id in gone:
            counts["gone"] += 1
        elif last.get(e.item_id) == "denied":
            counts["denied"] += 1
            denied.add(e.item_id)
        else:
            counts["left"] += 1
    total = sum(counts.values())
    done = counts["gone"] + counts["denied"]
    return {"total": total, "gone": counts["gone"], "denied": counts["denied"], "left": counts["left"],
            "percent": round(100 * done / total) if total else 100, "denied_ids": denied}


def _last_status(conn: sqlite3.Connection) -> dict[str, str]:
    return {r[0]: r[1] for r in conn.execute(
        "SELECT item_id, status FROM clean_actions WHERE id IN (SELECT max(id) FROM clean_actions"
        " WHERE method NOT LIKE 'probe:%' GROUP BY item_id)")}


def interrupted(store: Store) -> bool:
    """Whether the last run never ended (the app or the computer stopped in the middle of it)."""
    row = store.conn.execute("SELECT finished_at FROM clean_runs ORDER BY id DESC LIMIT 1").fetchone()
    return row is not None and row[0] is None


def vk_now(store: Store) -> dict[str, Any]:
    """What a person can do at once on VK: the years of flagged wall posts still online (to hide with
    «Архив записей»), and how many flagged comments and likes sit on other pages (only deleting helps)."""
    owner = archive_owner(store)
    years: Counter[str] = Counter()
    elsewhere: Counter[str] = Counter()
    rows = store.conn.execute(
        "SELECT i.* FROM items i LEFT JOIN decisions d ON d.item_id=i.id WHERE i.platform='vk'"
        " AND i.deleted_at IS NULL AND coalesce(i.visibility, '') NOT IN ('deleted', 'archived')"
        " AND coalesce(d.action, '') NOT IN ('keep', 'not-a-match')"
        " AND EXISTS (SELECT 1 FROM findings f WHERE f.item_id=i.id)"
    )
    for row in rows:
        item = store.row_to_item(row)
        obj = parse_object(item)
        if item.kind in WALL_KINDS and (obj is None or owner is None or str(obj.owner_id) == owner):
            years[year_of(item.date)] += 1
        elif item.kind in ELSEWHERE_KINDS:
            elsewhere[item.kind] += 1
    return {
        "years": sorted(years.items()),
        "comments": elsewhere["comment"],
        "likes": elsewhere["like"],
        "any": bool(years or elsewhere),
    }


def checklist(store: Store, plan: Plan, lang: str, *, everything: bool,
              denied: set[str]) -> list[dict[str, Any]]:
    """The items to do by hand, grouped by platform, then kind and year: the manual route always, the
    ones the platform refused, and with ``everything`` (no access) every planned item still online."""
    gone = store.deleted_ids()
    ticked = {r[0]: r[1] for r in store.conn.execute("SELECT item_id, ticked_at FROM clean_ticks")}
    chosen = [e for e in plan.entries
              if (e.route == "manual" or everything or e.item_id in denied)
              and not (e.item_id in gone and e.item_id not in ticked)]  # deleted through the API: nothing to do
    out: list[dict[str, Any]] = []
    for platform, groups in grouped(chosen).items():
        declared = find(platform)
        steps = t(declared.howto, lang) if declared is not None else ""
        views: list[dict[str, Any]] = [{
            "kind": label(KIND_LABELS, kind, lang),
            "year": year if year != "?" else t("unknown_year", lang),
            "items": [_check_row(e, ticked, lang) for e in es],
            "done": sum(1 for e in es if e.item_id in ticked),
        } for (kind, year), es in groups]
        out.append({
            "platform": platform, "label": platform_label(platform), "howto": steps,
            "groups": views, "total": sum(len(g["items"]) for g in views), "done": sum(g["done"] for g in views),
        })
    return out


def _check_row(e: Entry, ticked: dict[str, str], lang: str) -> dict[str, Any]:
    declared = find(e.platform)
    return {
        "id": e.item_id,
        "ref": e.ref,
        "action": e.action,
        "date": fmt_date(e.date, lang) if e.date else "",
        "preview": e.preview,
        "url": e.url or "",
        "described": "" if e.url else describe(e, lang),
        "link": declared is not None and declared.own_link(e.url),
        "ticked": e.item_id in ticked,
        "ticked_at": fmt_local(ticked.get(e.item_id), lang),
    }


def journal(store: Store, lang: str, limit: int = JOURNAL_SHOWN) -> list[dict[str, Any]]:
    """The latest rows of the journal, newest first, in words."""
    rows = store.conn.execute(
        "SELECT a.*, i.ref, i.kind FROM clean_actions a JOIN items i ON i.id=a.item_id"
        " ORDER BY a.id DESC LIMIT ?", (limit,))
    out = []
    for r in rows:
        answer = _answer(r["answer"])
        code = answer.get("error_code")
        out.append({
            "at": fmt_local(r["result_at"] or r["intent_at"], lang),
            "ref": r["ref"],
            "kind": label(KIND_LABELS, r["kind"], lang),
            "what": t(_method_key(r["method"]), lang),
            "status": r["status"],
            "status_text": t("clean_s_" + r["status"].replace("-", "_"), lang),
            "code": f"VK {code}" if code else "",
        })
    return out


def _method_key(method: str) -> str:
    """The catalogue key naming a journal row's request (a probe and a tick by their prefix)."""
    key = "clean_m_" + method.split(":")[0].replace(".", "_")
    return key if has(key) else "clean_m_other"


def _answer(raw: str | None) -> dict[str, Any]:
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def journal_counts(store: Store) -> dict[str, int]:
    """How many items ended in each status (their last journal row)."""
    return dict(Counter(_last_status(store.conn).values()))


__all__ = ["plan_rows", "needs_backup", "progress", "interrupted", "vk_now", "checklist", "journal",
           "journal_counts", "platform_label"]
