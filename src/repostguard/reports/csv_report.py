"""The CSV report: one row per finding (or per item, for items without findings) of a selection.

Moments (``date``, ``decided_at``) are in the person's time zone (``time_zone`` names it,
:func:`repostguard.views.i18n.display_zone`), with their offset; ``entry_included`` and
``entry_decision_date`` are the list's calendar dates (the first is empty before 2017: the list gives
none). The file opens in a spreadsheet; cells that a spreadsheet would run as a formula (starting
with ``= + - @``) are prefixed with ``'``. Its ``action`` and ``note`` columns can be filled in and the
file imported back with ``repostguard decide --csv FILE``.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from repostguard.paths import atomic_write
from repostguard.store import Store
from repostguard.views.entries import Entries, listed_after_post
from repostguard.views.i18n import display_zone, iso_in_zone
from repostguard.views.query import Selection, findings_for, select_items

COLUMNS = [
    "item",
    "platform",
    "kind",
    "date",
    "url",
    "visibility",
    "reposted_from",
    "text",
    "bank",
    "entry",
    "level",
    "signal",
    "score",
    "evidence_field",
    "evidence",
    "entry_included",
    "court_decision",
    "listed_after_post",
    "explanation",
    "list_version",
    "action",
    "note",
    "decided_at",
    "entry_decision_date",
    "time_zone",
]


def safe_cell(value: Any) -> str:
    """``value`` as a CSV cell that a spreadsheet shows as text, never runs as a formula."""
    s = "" if value is None else str(value)
    if s and s[0] in "=+-@\t\r":
        return "'" + s
    return s


def rows(
    store: Store, sel: Selection, *, lang: str = "ru", entries: Entries | None = None
) -> list[list[str]]:
    """The report's rows (without the header) for the selection, most serious first."""
    conn = store.conn
    items = select_items(conn, sel, limit=None)
    out: list[list[str]] = []
    zone = display_zone()
    for i in range(0, len(items), 500):
        chunk = items[i : i + 500]
        fmap = findings_for(conn, [r["id"] for r in chunk], sel)
        for r in chunk:
            rf = json.loads(r["reposted_from"]) if r["reposted_from"] else None
            origin = " ".join(x for x in ((rf or {}).get("name"), (rf or {}).get("url")) if x)
            base = [
                r["ref"],
                r["platform"],
                r["kind"],
                iso_in_zone(r["date"], zone),
                r["url"],
                r["visibility"],
                origin,
                r["text"],
            ]
            tail = [r["action"], r["note"], iso_in_zone(r["decided_at"], zone) if r["decided_at"] else None]
            fs = fmap[r["id"]]
            if not fs:
                out.append([safe_cell(v) for v in [*base, *([""] * 11), *tail, "", zone.key]])
                continue
            for f in fs:
                ev = json.loads(f["evidence"] or "{}")
                entry = entries.get(f["bank"], f["entry"]) if entries else None
                out.append(
                    [
                        safe_cell(v)
                        for v in [
                            *base,
                            f["bank"],
                            f["entry"],
                            f["level"],
                            f["signal"],
                            f"{float(f['score']):.3f}",
                            ev.get("field"),
                            ev.get("text"),
                            entry.included.isoformat() if entry and entry.included else "",
                            entry.court_decision if entry else "",
                            "yes" if listed_after_post(entry, r["date"]) else "",
                            f["explanation_en"] if lang == "en" else f["explanation_ru"],
                            f["list_version"],
                            *tail,
                            entry.decision_date.isoformat() if entry and entry.decision_date else "",
                            zone.key,
                        ]
                    ]
                )
    return out


def csv_text(store: Store, sel: Selection, *, lang: str = "ru", entries: Entries | None = None) -> str:
    """The whole CSV report as text (header included)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    w.writerows(rows(store, sel, lang=lang, entries=entries))
    return buf.getvalue()


def write_csv(
    store: Store, out: Path, sel: Selection | None = None, *, lang: str = "ru", entries: Entries | None = None
) -> int:
    """Write the CSV report of ``sel`` (default: every flagged item) atomically; return the row count."""
    sel = sel or Selection()
    text = csv_text(store, sel, lang=lang, entries=entries)
    atomic_write(out, text.encode("utf-8-sig"))
    return text.count("\r\n") - 1 if text else 0


__all__ = ["COLUMNS", "rows", "csv_text", "write_csv", "safe_cell"]
