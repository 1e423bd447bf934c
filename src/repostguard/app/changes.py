"""The start screen's "a list has changed since the last check" panel, and the words of its re-check job.

For each list with a matcher, the version in use (installed, else the packaged snapshot) is compared
with the version the workspace was last checked against: the newer of the last re-check
(``recheck_state``) and the last finished scan (``scans``; an organisation list's version is the one
that scan recorded in ``lists``). When they differ, the panel says how many entries were added,
excluded and edited, from the entries the workspace kept of the old version (``list_entries``) and the
list in use, and offers «Перепроверить»: :func:`repostguard.pipeline.recheck.run_recheck` as a
background job (:meth:`repostguard.app.jobs.Jobs.recheck`).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from repostguard.banks.fsm import FsmList
from repostguard.banks.lifecycle import ListSpec, available_meta, load
from repostguard.banks.orgs import OrgList, store_rows
from repostguard.banks.registry import LISTS
from repostguard.store import Store
from repostguard.views.i18n import BANK_LABELS, LEVEL_LABELS, label, t

#: (bank, old version, new sha256) → the counts (the list in use is parsed once per version)
_COUNTS: dict[tuple[str, str, str], dict[str, int]] = {}


def checked_version(conn: sqlite3.Connection, bank: str) -> str | None:
    """The version of ``bank`` the workspace was last checked against, or None if it never was."""
    state = conn.execute("SELECT list_version, checked_at FROM recheck_state WHERE bank=?", (bank,)).fetchone()
    scan = conn.execute("SELECT list_version, finished_at FROM scans WHERE bank='fsm' AND finished_at IS NOT NULL "
                        "ORDER BY id DESC LIMIT 1").fetchone()
    if state is not None and (scan is None or str(state[1]) >= str(scan[1])):
        return str(state[0])
    if scan is None:
        return None
    if bank == "fsm":
        return str(scan[0])
    # an organisation list: the scan recorded the version it matched in ``lists`` (the newest row)
    row = conn.execute("SELECT version FROM lists WHERE bank=? ORDER BY id DESC LIMIT 1", (bank,)).fetchone()
    return str(row[0]) if row else None


def _rows(lst: Any) -> dict[str, tuple[str, bool]]:
    if isinstance(lst, FsmList):
        return {str(e.number): (e.text, e.excluded) for e in lst.entries}
    if isinstance(lst, OrgList):
        return {r[0]: (r[1], r[3]) for r in store_rows(lst)}
    return {}


def _same(text: str) -> str:
    return " ".join(text.split())


def _counts(conn: sqlite3.Connection, spec: ListSpec[Any], old_version: str, sha256: str) -> dict[str, int] | None:
    """Entries added (or re-admitted), excluded (or removed) and edited since ``old_version``; None when
    the workspace kept no entries of that version."""
    key = (spec.bank, old_version, sha256)
    if key in _COUNTS:
        return _COUNTS[key]
    old = {str(e): (str(text), bool(exc)) for e, text, exc in conn.execute(
        "SELECT entry, text, excluded FROM list_entries WHERE bank=? AND version=?", (spec.bank, old_version))}
    loaded = load(spec) if old else None
    if loaded is None:
        return None
    now = _rows(loaded[0])
    counts = {
        "added": sum(1 for k, (_t, exc) in now.items() if not exc and (k not in old or old[k][1])),
        "excluded": sum(1 for k, (_t, exc) in old.items() if not exc and (k not in now or now[k][1])),
        "edited": sum(1 for k, (text, exc) in now.items()
                      if not exc and k in old and not old[k][1] and _same(old[k][0]) != _same(text)),
    }
    _COUNTS[key] = counts
    return counts


def list_changes(db: Path, lang: str) -> list[dict[str, Any]]:
    """Each list whose version in use differs from the one the workspace was last checked against:
    ``bank``, ``title``, ``old``, ``new``, ``added``, ``excluded``, ``edited`` (None when unknown), ``text``."""
    if not db.exists():
        return []
    out: list[dict[str, Any]] = []
    with Store.open(db) as store:
        conn = store.conn
        if not store.count_items():
            return []
        for spec in LISTS.values():
            meta = available_meta(spec)
            if spec.auxiliary or meta is None:
                continue
            old = checked_version(conn, spec.bank)
            if old is None or old == meta.get("version"):
                continue
            counts = _counts(conn, spec, old, str(meta.get("sha256")))
            title = label(BANK_LABELS, spec.bank, lang)
            text = t("app_change_line", lang, title=title, old=old, new=meta.get("version"),
                     added=counts["added"] if counts else "?", excluded=counts["excluded"] if counts else "?")
            if counts and counts["edited"]:
                text += t("app_change_edited", lang, n=counts["edited"])
            out.append({"bank": spec.bank, "title": title, "old": old, "new": meta.get("version"),
                        **(counts or {"added": None, "excluded": None, "edited": None}), "text": text})
    return out


def recheck_lines(result: dict[str, Any], lang: str) -> list[str]:
    """What a finished re-check brought, as the start screen says it."""
    if not result:
        return []
    lines = [t("app_recheck_total", lang, items=result.get("items", 0), new=result.get("new_findings", 0),
               dropped=result.get("dropped_findings", 0))]
    for b in result.get("banks", []):
        if b.get("changed") or b.get("dropped") or b.get("new_findings"):
            lines.append(t("app_recheck_bank", lang, title=label(BANK_LABELS, b["bank"], lang),
                           changed=b.get("changed", 0), excluded=b.get("dropped", 0), new=b.get("new_findings", 0)))
    for f in result.get("findings", []):
        lines.append(t("app_recheck_finding", lang, item=f.get("item"), title=label(BANK_LABELS, f.get("bank"), lang),
                       entry=f.get("entry"), level=label(LEVEL_LABELS, f.get("level"), lang)))
    return lines


__all__ = ["checked_version", "list_changes", "recheck_lines"]
