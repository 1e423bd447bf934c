"""The person's decisions per item: delete, hide, keep, not a match.

A decision is keyed by the item's stable id (derived from the platform and the native id), so
it survives re-scans and re-imports of the same history. ``not-a-match`` also records a
suppression for each of the item's current findings, which later scans honour: the matcher
stays quiet about that list entry on that item. Clearing or changing such a decision removes
those suppressions again.

Decisions come from the review page, from ``repostguard decide ITEM ACTION`` and from a CSV
file (``repostguard decide --csv FILE``, columns ``item``, ``action`` and optional ``note``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from repostguard.errors import InputError, UserError, os_reason
from repostguard.i18n import Labels, header_key
from repostguard.store import Store, now_iso

ACTIONS = ("delete", "hide", "keep", "not-a-match")
SOURCES = ("cli", "page", "csv")
MAX_NOTE = 4000
MAX_CSV = 32 * 1024 * 1024

#: accepted spellings of an action in a CSV file (a person may type Russian words in a spreadsheet)
_ACTION_ALIASES = {
    "delete": "delete",
    "удалить": "delete",
    "hide": "hide",
    "скрыть": "hide",
    "keep": "keep",
    "оставить": "keep",
    "not-a-match": "not-a-match",
    "not a match": "not-a-match",
    "not_a_match": "not-a-match",
    "не совпадение": "not-a-match",
    "не-совпадение": "not-a-match",
    "ложное срабатывание": "not-a-match",
}


@dataclass
class Decision:
    """A stored decision about one item."""

    item_id: str
    action: str
    note: str | None
    decided_at: str
    source: str | None


def _url_key(url: str) -> str | None:
    """A URL reduced to host (without ``www.``/``m.``) + path + query, for lenient comparison."""
    s = url.strip()
    if "://" not in s:
        s = "https://" + s
    try:
        parts = urlsplit(s)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    if not host:
        return None
    path = parts.path.rstrip("/")
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


_VK_WALL = re.compile(r"^(?:[a-z]+\.)?vk\.com/(?:.*[?&]w=)?(wall-?\d+_\d+)", re.IGNORECASE)


def resolve_item(store: Store, key: str) -> str:
    """The id of the item called ``key``: its id, its ref (as in the findings JSON), its native id
    or its URL on the platform (``https://vk.com/wall123_456``, also with ``m.``/``www.``).

    Raises :class:`UserError` if no item or more than one item fits.
    """
    key = key.strip()
    if not key:
        raise UserError("err_item_ref_empty")
    conn = store.conn
    row = conn.execute("SELECT id FROM items WHERE id=? OR ref=?", (key, key)).fetchone()
    if row:
        return str(row[0])
    rows = conn.execute("SELECT id FROM items WHERE url=? OR native_id=? LIMIT 2", (key, key)).fetchall()
    if len(rows) == 1:
        return str(rows[0][0])
    if len(rows) > 1:
        raise UserError("err_item_ambiguous", ref=key)
    uk = _url_key(key) if ("/" in key or "." in key) else None
    if uk:
        m = _VK_WALL.match(uk)
        candidates: list[str] = []
        if m:
            native = m.group(1)
            candidates = [
                str(r[0])
                for r in conn.execute(
                    "SELECT id FROM items WHERE native_id=? OR ref=? LIMIT 2", (native, f"vk:{native}")
                )
            ]
        if not candidates:
            tail = uk.rsplit("/", 1)[-1][-60:]
            like = "%" + tail.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            candidates = [
                str(r[0])
                for r in conn.execute(
                    "SELECT id, url FROM items WHERE url LIKE ? ESCAPE '\\' LIMIT 200", (like,)
                )
                if _url_key(str(r[1])) == uk
            ]
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            raise UserError("err_item_ambiguous", ref=key)
    raise UserError("err_item_not_found", ref=key)


def _clean_note(note: str | None) -> str | None:
    if note is None:
        return None
    note = note.replace("\x00", "").strip()
    return note[:MAX_NOTE] or None


def decide(
    store: Store,
    item_ids: Iterable[str],
    action: str,
    *,
    note: str | None = None,
    source: str = "cli",
    keep_note: bool = False,
) -> int:
    """Record ``action`` for every item in ``item_ids`` in one transaction; return how many.

    ``keep_note`` keeps an item's existing note when ``note`` is None (bulk decisions).
    ``not-a-match`` suppresses the item's current findings in later scans.
    """
    if action not in ACTIONS:
        raise UserError("err_unknown_action", action=action, actions=", ".join(ACTIONS))
    if source not in SOURCES:
        raise ValueError(f"unknown decision source {source!r}")
    ids = list(dict.fromkeys(item_ids))
    note = _clean_note(note)
    conn = store.conn
    when = now_iso()
    with conn:
        for iid in ids:
            if conn.execute("SELECT 1 FROM items WHERE id=?", (iid,)).fetchone() is None:
                raise UserError("err_item_id_not_found", id=iid)
            old = conn.execute("SELECT action, note FROM decisions WHERE item_id=?", (iid,)).fetchone()
            new_note = old["note"] if (keep_note and note is None and old is not None) else note
            conn.execute(
                "INSERT INTO decisions (item_id, action, note, decided_at, source) VALUES (?,?,?,?,?)"
                " ON CONFLICT(item_id) DO UPDATE SET action=excluded.action, note=excluded.note,"
                " decided_at=excluded.decided_at, source=excluded.source",
                (iid, action, new_note, when, source),
            )
            if action == "not-a-match":
                conn.execute(
                    "INSERT OR IGNORE INTO suppressions (item_id, bank, entry, created_at)"
                    " SELECT item_id, bank, entry, ? FROM findings WHERE item_id=?",
                    (when, iid),
                )
            elif old is not None and old["action"] == "not-a-match":
                conn.execute("DELETE FROM suppressions WHERE item_id=?", (iid,))
    return len(ids)


def clear(store: Store, item_ids: Iterable[str]) -> int:
    """Remove the decisions of ``item_ids`` (and the suppressions a not-a-match made)."""
    ids = list(dict.fromkeys(item_ids))
    n = 0
    with store.conn:
        for iid in ids:
            n += store.conn.execute("DELETE FROM decisions WHERE item_id=?", (iid,)).rowcount
            store.conn.execute("DELETE FROM suppressions WHERE item_id=?", (iid,))
    return n


def get_decision(store: Store, item_id: str) -> Decision | None:
    """The decision stored for ``item_id``, if any."""
    row = store.conn.execute(
        "SELECT item_id, action, note, decided_at, source FROM decisions WHERE item_id=?", (item_id,)
    ).fetchone()
    return Decision(row[0], row[1], row[2], row[3], row[4]) if row else None


@dataclass
class CsvImportResult:
    """What a CSV import did."""

    decided: int = 0
    by_action: dict[str, int] = field(default_factory=dict)
    skipped_blank: int = 0


def _uncsv(cell: str) -> str:
    """Undo the formula-injection guard the CSV report adds (a leading ``'`` before ``=+-@``)."""
    cell = cell.strip()
    if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@\t\r":
        return cell[1:]
    return cell


#: the CSV's column names in both languages (the catalogue's ``csv.*`` labels, as the CSV export writes them)
_CSV = Labels("csv")


def _column(name: str) -> str:
    """The column (``item``, ``action``, ``note``…) a header cell names, in either language."""
    return header_key(_CSV, name, ("item", "action", "decision", "note"))


def import_csv(store: Store, path: Path) -> CsvImportResult:
    """Record the decisions listed in a CSV file, all or nothing.

    The file needs a header with an ``item`` column (the ref, id or URL) and an ``action``
    (or ``decision``) column; ``note`` is optional. Rows with an empty action are skipped, so the
    CSV report itself can be filled in and imported. ``,`` and ``;`` separators are accepted.
    """
    try:
        size = path.stat().st_size
        if size > MAX_CSV:
            raise InputError(path, "err_too_large_mb", mb=MAX_CSV // (1024 * 1024))
        data = path.read_bytes()
    except OSError as e:
        raise InputError(path, "err_cannot_read_because", reason=os_reason(e)) from e
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(path, "err_not_utf8", byte=e.start) from e
    first = text.split("\n", 1)[0]
    delim = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(path, "err_decisions_empty", 1) from None
    except csv.Error as e:
        raise InputError(path, "err_not_csv", 1) from e
    cols = [_column(h) for h in header]
    if "item" not in cols or not ({"action", "decision"} & set(cols)):
        raise InputError(path, "err_decisions_header", 1)
    i_item = cols.index("item")
    i_action = cols.index("action") if "action" in cols else cols.index("decision")
    i_note = cols.index("note") if "note" in cols else None
    plan: list[tuple[str, str, str | None]] = []
    res = CsvImportResult()
    try:
        for row in reader:
            line = reader.line_num
            if not any(c.strip() for c in row):
                continue
            item_key = _uncsv(row[i_item]) if i_item < len(row) else ""
            raw_action = _uncsv(row[i_action]).lower() if i_action < len(row) else ""
            if not raw_action:
                res.skipped_blank += 1
                continue
            action = _ACTION_ALIASES.get(raw_action)
            if action is None:
                raise InputError(path, "err_decisions_unknown_action", line, action=raw_action[:40])
            if not item_key:
                raise InputError(path, "err_decisions_no_item", line)
            try:
                iid = resolve_item(store, item_key)
            except UserError as e:
                raise InputError(path, e.key, line, **e.fields) from e
            note = _uncsv(row[i_note]) if i_note is not None and i_note < len(row) else None
            plan.append((iid, action, note or None))
    except csv.Error as e:
        raise InputError(path, "err_not_csv", reader.line_num) from e
    # validated everything first: now write it all in one transaction
    conn = store.conn
    when = now_iso()
    with conn:
        for iid, action, note in plan:
            old = conn.execute("SELECT action FROM decisions WHERE item_id=?", (iid,)).fetchone()
            conn.execute(
                "INSERT INTO decisions (item_id, action, note, decided_at, source) VALUES (?,?,?,?,'csv')"
                " ON CONFLICT(item_id) DO UPDATE SET action=excluded.action, note=excluded.note,"
                " decided_at=excluded.decided_at, source=excluded.source",
                (iid, action, _clean_note(note), when),
            )
            if action == "not-a-match":
                conn.execute(
                    "INSERT OR IGNORE INTO suppressions (item_id, bank, entry, created_at)"
                    " SELECT item_id, bank, entry, ? FROM findings WHERE item_id=?",
                    (when, iid),
                )
            elif old is not None and old[0] == "not-a-match":
                conn.execute("DELETE FROM suppressions WHERE item_id=?", (iid,))
            res.by_action[action] = res.by_action.get(action, 0) + 1
    res.decided = len(plan)
    return res


__all__ = [
    "ACTIONS",
    "Decision",
    "decide",
    "clear",
    "get_decision",
    "resolve_item",
    "import_csv",
    "CsvImportResult",
]
