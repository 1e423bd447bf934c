"""From decisions to a plan: which items to delete or hide, where, and by which route.

A plan is plain JSON the person may edit (drop entries, turn ``delete`` into ``hide`` or
``keep``) before running it. Loading a plan checks it against the workspace: every entry must
name an item that exists and whose decision in the workspace allows the action, so an edited
plan can narrow what is done but never widen it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from repostguard.actions.registry import PLATFORMS, find
from repostguard.errors import InputError, Notice, os_reason
from repostguard.i18n import t
from repostguard.model import Item
from repostguard.paths import atomic_write
from repostguard.store import Store, now_iso

FORMAT = "repostguard-clean-plan"
VERSION = 1
ACTIONS = ("delete", "hide")
#: platforms with an automated route (the others always go to the checklist)
API_PLATFORMS = tuple(p.name for p in PLATFORMS if p.route is not None)
#: each action and each route in words (catalogue keys)
ACTION_KEYS = {"delete": "act_do_delete", "hide": "act_do_hide"}
ROUTE_KEYS = {"api": "act_route_api", "manual": "act_route_manual"}


def in_words(keys: dict[str, str], value: str, lang: str | None = None) -> str:
    """A value one of the tables of keys names (an action, a route…) in words in ``lang`` (default: the
    current language); the value itself when the table does not name it."""
    return t(keys[value], lang) if value in keys else value


def one_line(text: str) -> str:
    """The start of a text on one line, without control characters (it is printed to terminals)."""
    return "".join(ch for ch in " ".join(text.split()) if ch.isprintable())[:100]


def api_route(item: Item, action: str) -> str:
    """``api`` when a platform client can perform ``action`` on ``item``, else ``manual``."""
    platform = find(item.platform)
    if platform is None or platform.route is None:
        return "manual"
    return "api" if platform.route(item, action) is not None else "manual"


@dataclass
class Entry:
    """One planned action on one item."""

    item_id: str
    ref: str
    platform: str
    kind: str
    action: str
    route: str
    url: str | None = None
    date: str | None = None
    preview: str = ""
    #: pictures the item holds, and the network it was seen on when it is not ``platform`` (a screenshot's,
    #: a saved page's): what describes an item that has no link
    pictures: int = 0
    network: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The entry as the plan file writes it: the item's ref as ``item`` first, then the other fields."""
        fields = asdict(self)
        return {"item": fields.pop("ref"), **fields}


@dataclass
class Plan:
    """The plan: entries in execution order, plus when and from what it was made."""

    entries: list[Entry] = field(default_factory=list)
    created_at: str = ""

    def sha256(self) -> str:
        payload = json.dumps([e.to_dict() for e in self.entries], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()

    def to_dict(self, store: Store | None = None) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "created_at": self.created_at,
            "note": t("act_plan_note", field="action", hide="hide", keep="keep"),
            "summary": summary(self, store) if store is not None else [],
            "entries": [e.to_dict() for e in self.entries],
        }

    def write(self, path: Path, store: Store | None = None) -> None:
        atomic_write(path, json.dumps(self.to_dict(store), ensure_ascii=False, indent=2) + "\n")


def _entry(row: sqlite3.Row, item: Item, action: str) -> Entry:
    """The plan entry doing ``action`` on ``item`` (read from the items ``row``)."""
    return Entry(
        item_id=row["id"],
        ref=row["ref"],
        platform=item.platform,
        kind=item.kind,
        action=action,
        route=api_route(item, action),
        url=item.url,
        date=item.date,
        preview=one_line(item.text),
        pictures=sum(1 for a in item.attachments if a.type == "photo"),
        network=str(item.raw.get("platform") or "") if isinstance(item.raw, dict) else "",
    )


def backed_up_ids(store: Store) -> set[str]:
    """Items with a backup record whose backup file still exists."""
    out: set[str] = set()
    exists: dict[str, bool] = {}
    for item_id, f in store.conn.execute("SELECT item_id, file FROM clean_backups"):
        if f not in exists:
            exists[f] = Path(f).is_file()
        if exists[f]:
            out.add(item_id)
    return out


def build_plan(store: Store) -> Plan:
    """The plan of every ``delete``/``hide`` decision, grouped by platform, action and route."""
    rows = store.conn.execute(
        "SELECT i.*, d.action AS decision FROM decisions d JOIN items i ON i.id = d.item_id"
        " WHERE d.action IN ('delete', 'hide') ORDER BY i.platform, d.action, i.kind, i.date, i.rowid"
    ).fetchall()
    entries: list[Entry] = []
    for row in rows:
        item = store.row_to_item(row)
        if item.visibility == "deleted":
            continue  # removed on the platform already (VK «Пост удалён»): nothing to clean up
        entries.append(_entry(row, item, row["decision"]))
    entries.sort(key=lambda e: (e.platform, e.action, e.route))
    return Plan(entries, created_at=now_iso())


def summary(plan: Plan, store: Store) -> list[dict[str, Any]]:
    """Counts per platform, action and route, with how many are not backed up or already gone."""
    backed = backed_up_ids(store)
    gone = store.deleted_ids()
    groups: Counter[tuple[str, str, str]] = Counter()
    not_backed: Counter[tuple[str, str, str]] = Counter()
    already: Counter[tuple[str, str, str]] = Counter()
    for e in plan.entries:
        k = (e.platform, e.action, e.route)
        groups[k] += 1
        if e.item_id in gone:
            already[k] += 1
        elif e.action == "delete" and e.item_id not in backed:
            not_backed[k] += 1
    return [
        {
            "platform": p,
            "action": a,
            "route": r,
            "count": n,
            "not_backed_up": not_backed[(p, a, r)],
            "already_gone": already[(p, a, r)],
        }
        for (p, a, r), n in sorted(groups.items())
    ]


def load_plan(path: Path, store: Store) -> Plan:
    """Read an (edited) plan and check each entry against the workspace's items and decisions."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise InputError(path, "act_plan_unreadable", reason=os_reason(e)) from e
    except UnicodeDecodeError as e:
        raise InputError(path, "act_plan_not_utf8") from e
    except json.JSONDecodeError as e:
        raise InputError(path, "act_plan_not_json", line=e.lineno, column=e.colno) from e
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(path, "act_plan_wrong_format", field="format", format=FORMAT)
    if data.get("version") != VERSION:
        raise InputError(path, "act_plan_version", version=repr(data.get("version")), expected=VERSION)
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, list):
        raise InputError(path, "act_plan_no_entries", field="entries")
    decisions = {r[0]: r[1] for r in store.conn.execute("SELECT item_id, action FROM decisions")}
    entries: list[Entry] = []
    seen: set[str] = set()
    for n, raw in enumerate(raw_entries, 1):
        if not isinstance(raw, dict):
            raise InputError(path, "act_plan_entry_not_object", entry=n)
        key = raw.get("item_id") or raw.get("item")
        if not isinstance(key, str) or not key:
            raise InputError(path, "act_plan_entry_no_item", entry=n, id_field="item_id", ref_field="item")
        row = store.conn.execute("SELECT * FROM items WHERE id=? OR ref=? LIMIT 1", (key, key)).fetchone()
        if row is None:
            raise InputError(path, "act_plan_entry_unknown", entry=n, item=repr(key),
                             command="repostguard clean plan")
        action = raw.get("action")
        if action == "keep":
            continue
        if action not in ACTIONS:
            raise InputError(path, "act_plan_entry_bad_action", entry=n, field="action", action=repr(action),
                             allowed="delete, hide, keep")
        decided = decisions.get(row["id"])
        if decided not in ACTIONS or (action == "delete" and decided != "delete"):
            raise InputError(path, "act_plan_entry_widens", entry=n, ref=row["ref"], action=Notice(ACTION_KEYS[action]),
                             decision=Notice(f"actions.{decided or 'none'}"), command="repostguard decide")
        if row["id"] in seen:
            raise InputError(path, "act_plan_entry_twice", entry=n, ref=row["ref"])
        seen.add(row["id"])
        item = store.row_to_item(row)
        if item.visibility == "deleted":
            continue  # removed on the platform already (VK «Пост удалён»): nothing to clean up
        entries.append(_entry(row, item, action))
    return Plan(entries, created_at=str(data.get("created_at") or ""))
