"""Selections over the findings: filters, severity order, paging, full-text search and counts.

The review page, the CSV report and bulk decisions all use :class:`Selection`, so "what the
page shows" and "what the report holds" are the same set of items. The unit of a selection is
an *item* (decisions are per item), carrying its findings; items are ordered by their most
serious finding (distribution, then mention, then indicator), then score, then newest first.

Speed: ``review_summary`` holds one row per flagged item (rebuilt when the findings change), so
the first page of a 100,000-item workspace is an index walk. Items already removed by the
clean-up stage (``deleted_at`` set) stay listed, marked with their removal date, until the next
scan drops their findings.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any
from urllib.parse import urlencode

from repostguard.decisions import ACTIONS
from repostguard.model import KINDS, LEVEL_RANK, LEVELS

PAGE_SIZE = 50
#: SQL giving a finding's level rank (0 = most serious); unknown levels sort after the known ones
#: (the model's order: an item whose worst finding is an identity exposure is shown as such, not
#: as an "indicator")
LEVEL_RANK_SQL = (
    "CASE f.level " + " ".join(f"WHEN '{lv}' THEN {LEVEL_RANK[lv]}" for lv in LEVELS) + f" ELSE {len(LEVELS)} END"
)
RANK_LEVEL = {**{rank: lv for lv, rank in LEVEL_RANK.items()}, len(LEVELS): "other"}
#: part of the summary's signature: a store summarised with other ranks is summarised again
_RANKS_VERSION = "ranks2"
_TOKEN = re.compile(r"\w+", re.UNICODE)
_SAFE_VALUE = re.compile(r"^[\w.:@/+-]{1,100}$", re.UNICODE)


@dataclass(frozen=True)
class Selection:
    """A set of items chosen by filters; empty fields do not filter.

    ``decision`` is an action, ``none`` (undecided) or empty; ``scope`` is ``flagged`` (items
    with findings, the default) or ``all`` (the whole history, for searching it).
    """

    platform: str = ""
    kind: str = ""
    bank: str = ""
    level: str = ""
    year: str = ""
    decision: str = ""
    q: str = ""
    scope: str = "flagged"
    item: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> Selection:
        """A selection from query parameters; values that cannot be valid are dropped."""

        v = {name: (params.get(name) or "").strip() if isinstance(params.get(name), str) else ""
             for name in ("level", "decision", "kind", "year", "scope", "platform", "bank", "item", "q")}
        # each value kept only if it can be valid: a known level, kind, decision, a year, a plain name
        return cls(
            platform=v["platform"] if _SAFE_VALUE.match(v["platform"]) else "",
            kind=v["kind"] if v["kind"] in KINDS else "",
            bank=v["bank"] if _SAFE_VALUE.match(v["bank"]) else "",
            level=v["level"] if v["level"] in LEVELS else "",
            year=v["year"] if re.fullmatch(r"\d{4}", v["year"]) else "",
            decision=v["decision"] if (v["decision"] in ACTIONS or v["decision"] in ("none", "any")) else "",
            q=v["q"][:200].strip(),
            scope="all" if v["scope"] == "all" else "flagged",
            item=v["item"][:300].strip(),
        )

    def params(self, **overrides: str) -> dict[str, str]:
        """The non-default fields as query parameters (with ``overrides`` applied)."""
        sel = replace(self, **overrides) if overrides else self
        out = {k: v for k, v in asdict(sel).items() if v}
        if out.get("scope") == "flagged":
            del out["scope"]
        return out

    def query_string(self, **overrides: str) -> str:
        return urlencode(self.params(**overrides))

    def is_empty(self) -> bool:
        return not self.params()

    def describe(self) -> dict[str, str]:
        """The active filters, for a report's heading."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) and not (f.name == "scope" and self.scope == "flagged")
        }


def fts_query(q: str) -> str | None:
    """An FTS5 MATCH expression for the words of ``q`` (each a quoted prefix), or None."""
    words = _TOKEN.findall(q.casefold())[:12]
    if not words:
        return None
    return " ".join('"' + w.replace('"', "") + '"*' for w in words)


def _signature(conn: sqlite3.Connection) -> str:
    row = conn.execute(
        "SELECT (SELECT count(*) FROM items), (SELECT max(id) FROM imports), (SELECT max(rowid) FROM items)"
    ).fetchone()
    return f"{row[0]}:{row[1]}:{row[2]}"


_lock = threading.Lock()


def _refill_if_stale(conn: sqlite3.Connection, table: str, sig: str, fill: str) -> bool:
    """Empty ``table`` and run the statement ``fill`` that fills it again, unless ``<table>_state`` says
    it was filled for ``sig`` (what it derives from has not changed since); True if refilled."""
    check = f"SELECT signature FROM {table}_state WHERE id=1"
    row = conn.execute(check).fetchone()
    if row is not None and row[0] == sig:
        return False
    with _lock, conn:
        row = conn.execute(check).fetchone()
        if row is not None and row[0] == sig:  # another request rebuilt it meanwhile
            return False
        conn.execute(f"DELETE FROM {table}")
        conn.execute(fill)
        conn.execute(f"INSERT OR REPLACE INTO {table}_state (id, signature) VALUES (1, ?)", (sig,))
    return True


#: fills the full-text index: each item's text, its attachments' titles and its repost source's name
_FTS_FILL = (
    "INSERT INTO review_fts (item_id, body) SELECT i.id, i.text || ' ' || coalesce("
    "(SELECT group_concat(json_extract(a.value, '$.title'), ' ')"
    " FROM json_each(i.attachments) a), '')"
    " || ' ' || coalesce(json_extract(i.reposted_from, '$.name'), '') FROM items i"
)


def ensure_fts(conn: sqlite3.Connection) -> bool:
    """(Re)build the full-text index if the items changed since it was built; True if rebuilt."""
    return _refill_if_stale(conn, "review_fts", _signature(conn), _FTS_FILL)


def _summary_signature(conn: sqlite3.Connection) -> str:
    row = conn.execute(
        "SELECT (SELECT max(id) FROM scans), (SELECT max(id) FROM findings), (SELECT max(id) FROM imports),"
        " (SELECT count(*) FROM findings)"
    ).fetchone()
    return ":".join([_RANKS_VERSION, *(str(v) for v in row)])


#: fills the summary: one row per flagged item with its worst level, best score and number of findings
_SUMMARY_FILL = (
    "INSERT INTO review_summary (item_id, worst, best, n, date, year, platform, kind)"
    " SELECT w.item_id, w.worst, w.best, w.n, i.date, substr(i.date, 1, 4), i.platform, i.kind"
    f" FROM (SELECT f.item_id, min({LEVEL_RANK_SQL}) AS worst, max(f.score) AS best, count(*) AS n"
    " FROM findings f GROUP BY f.item_id) w JOIN items i ON i.id = w.item_id"
)


def ensure_summary(conn: sqlite3.Connection) -> bool:
    """(Re)build ``review_summary`` (one row per flagged item) if the findings or items changed."""
    return _refill_if_stale(conn, "review_summary", _summary_signature(conn), _SUMMARY_FILL)


def _prepare(conn: sqlite3.Connection, sel: Selection) -> None:
    ensure_summary(conn)
    if sel.q:
        ensure_fts(conn)


def _where(sel: Selection, *, with_items: bool = True) -> tuple[str, str, list[Any], str]:
    """The FROM clause, the WHERE clause, their arguments and the ORDER BY clause for ``sel``.

    In the flagged scope everything filters on ``review_summary`` (and ``decisions``), so counting
    needs no lookup in the large items table; ``with_items`` joins it for the columns a page shows.
    """
    if sel.scope == "all":
        frm = "items i LEFT JOIN review_summary s ON s.item_id = i.id"
        key = "i.id"
        order = "s.worst IS NULL, s.worst, s.best DESC, i.date DESC, i.id"
        own = {"platform": "i.platform", "kind": "i.kind", "year": "substr(i.date, 1, 4)"}
    else:
        frm = "review_summary s" + (" JOIN items i ON i.id = s.item_id" if with_items else "")
        key = "s.item_id"
        order = "s.worst, s.best DESC, s.date DESC, s.item_id"
        own = {"platform": "s.platform", "kind": "s.kind", "year": "s.year"}
    frm += f" LEFT JOIN decisions d ON d.item_id = {key}"
    conds = ["1"]
    args: list[Any] = []
    for name in ("platform", "kind", "year"):
        val = getattr(sel, name)
        if val:
            conds.append(f"{own[name]} = ?")
            args.append(val)
    if sel.bank or sel.level:
        sub = "SELECT item_id FROM findings WHERE " + " AND ".join(
            c for c, v in (("bank = ?", sel.bank), ("level = ?", sel.level)) if v
        )
        conds.append(f"{key} IN ({sub})")
        args += [v for v in (sel.bank, sel.level) if v]
    if sel.decision == "none":
        conds.append("d.action IS NULL")
    elif sel.decision == "any":
        conds.append("d.action IS NOT NULL")
    elif sel.decision:
        conds.append("d.action = ?")
        args.append(sel.decision)
    if sel.item:
        conds.append(f"{key} IN (SELECT id FROM items WHERE id = ? OR ref = ? OR url = ?)")
        args += [sel.item] * 3
    match = fts_query(sel.q) if sel.q else None
    if sel.q and match is None:
        conds.append("0")
    elif match:
        conds.append(f"{key} IN (SELECT item_id FROM review_fts WHERE review_fts MATCH ?)")
        args.append(match)
    return frm, " AND ".join(conds), args, order


def select_items(
    conn: sqlite3.Connection, sel: Selection, *, offset: int = 0, limit: int | None = PAGE_SIZE
) -> list[sqlite3.Row]:
    """One page of the selection's items, most serious first, with their decision."""
    _prepare(conn, sel)
    frm, where, args, order = _where(sel)
    sql = (
        "SELECT i.id, i.ref, i.platform, i.native_id, i.kind, i.date, i.date_tz_assumed, i.author, i.text,"
        " i.attachments, i.reposted_from, i.url, i.visibility, i.deleted_at,"
        " s.worst AS worst, s.best AS best, coalesce(s.n, 0) AS n_findings,"
        " d.action AS action, d.note AS note, d.decided_at AS decided_at"
        f" FROM {frm} WHERE {where} ORDER BY {order}"
    )
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        args = [*args, limit, max(0, offset)]
    return list(conn.execute(sql, args))


def count_items(conn: sqlite3.Connection, sel: Selection) -> int:
    """How many items the selection holds."""
    _prepare(conn, sel)
    frm, where, args, _ = _where(sel, with_items=False)
    return int(conn.execute(f"SELECT count(*) FROM {frm} WHERE {where}", args).fetchone()[0])


def selected_ids(conn: sqlite3.Connection, sel: Selection) -> list[str]:
    """The ids of every item of the selection, in the selection's order."""
    _prepare(conn, sel)
    frm, where, args, order = _where(sel, with_items=False)
    key = "i.id" if sel.scope == "all" else "s.item_id"
    return [str(r[0]) for r in conn.execute(f"SELECT {key} FROM {frm} WHERE {where} ORDER BY {order}", args)]


def findings_for(
    conn: sqlite3.Connection, item_ids: Iterable[str], sel: Selection | None = None
) -> dict[str, list[sqlite3.Row]]:
    """The findings of each item (those the selection's bank/level filters keep), most serious first."""
    ids = list(item_ids)
    out: dict[str, list[sqlite3.Row]] = {i: [] for i in ids}
    extra = ""
    extra_args: list[Any] = []
    if sel is not None and sel.bank:
        extra += " AND f.bank = ?"
        extra_args.append(sel.bank)
    if sel is not None and sel.level:
        extra += " AND f.level = ?"
        extra_args.append(sel.level)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        q = (
            f"SELECT f.*, {LEVEL_RANK_SQL} AS rank FROM findings f"
            f" WHERE f.item_id IN ({','.join('?' * len(chunk))}){extra} ORDER BY rank, f.score DESC, f.id"
        )
        for row in conn.execute(q, [*chunk, *extra_args]):
            out[row["item_id"]].append(row)
    return out


def facets(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """The values the filters can take in this workspace."""
    ensure_summary(conn)

    def col(sql: str) -> list[str]:
        return [str(r[0]) for r in conn.execute(sql) if r[0] not in (None, "")]

    pk = list(conn.execute("SELECT platform, kind FROM items GROUP BY platform, kind"))
    return {
        "platform": sorted({str(r[0]) for r in pk}),
        "kind": sorted({str(r[1]) for r in pk}),
        "bank": col("SELECT DISTINCT bank FROM findings ORDER BY bank"),
        "level": [
            lv
            for lv in LEVELS
            if conn.execute("SELECT 1 FROM findings WHERE level=? LIMIT 1", (lv,)).fetchone()
        ],
        "year": col("SELECT DISTINCT year FROM review_summary WHERE year IS NOT NULL ORDER BY year DESC"),
    }


@dataclass
class Stats:
    """Whole-workspace figures for the charts and the header."""

    items: int
    flagged: int
    findings: int
    by_year: dict[str, dict[str, int]]  # year -> worst level -> flagged items
    by_bank_level: dict[str, dict[str, int]]  # bank -> level -> findings
    decisions: dict[str, int]  # action or "none" -> flagged items
    #: "checked", or why nothing was checked: "no_items" (nothing imported), "no_scan" (never scanned)
    check: str = "checked"
    #: the items the last scan checked
    checked: int = 0


def check_state(conn: sqlite3.Connection) -> tuple[str, int]:
    """Whether anything was checked: ("checked", items the last scan checked), ("no_scan", items
    imported but never checked) or ("no_items", 0). Nothing checked is never "no matches"."""
    items = int(conn.execute("SELECT count(*) FROM items WHERE deleted_at IS NULL").fetchone()[0])
    if items == 0:
        return "no_items", 0
    row = conn.execute(
        "SELECT items FROM scans WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None or not row[0]:
        return "no_scan", items
    return "checked", int(row[0])


def stats(conn: sqlite3.Connection) -> Stats:
    """Counts for the timeline, the list/level summary and the decision progress."""
    ensure_summary(conn)
    items = int(conn.execute("SELECT count(*) FROM items").fetchone()[0])
    by_year: dict[str, dict[str, int]] = {}
    decisions: dict[str, int] = {}
    flagged = 0
    rows = conn.execute(
        "SELECT coalesce(s.year, '?') AS y, s.worst AS worst, coalesce(d.action, 'none') AS act,"
        " count(*) AS n FROM review_summary s LEFT JOIN decisions d ON d.item_id = s.item_id GROUP BY 1, 2, 3"
    )
    for r in rows:
        n = int(r["n"])
        flagged += n
        lv = RANK_LEVEL.get(int(r["worst"]), "other")
        by_year.setdefault(r["y"], {}).setdefault(lv, 0)
        by_year[r["y"]][lv] += n
        decisions[r["act"]] = decisions.get(r["act"], 0) + n
    by_bank_level: dict[str, dict[str, int]] = {}
    n_findings = 0
    for r in conn.execute("SELECT bank, level, count(*) FROM findings GROUP BY bank, level"):
        by_bank_level.setdefault(r[0], {})[r[1]] = int(r[2])
        n_findings += int(r[2])
    check, checked = check_state(conn)
    return Stats(
        items, flagged, n_findings, dict(sorted(by_year.items())), by_bank_level, decisions, check, checked
    )


__all__ = [
    "Selection",
    "PAGE_SIZE",
    "select_items",
    "count_items",
    "selected_ids",
    "findings_for",
    "facets",
    "stats",
    "Stats",
    "check_state",
    "ensure_fts",
    "fts_query",
]
