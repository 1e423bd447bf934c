"""The CSV report: one row per finding (or per item, for items without findings) of a selection.

The file is for a person with a spreadsheet: its header and its words (platform, kind, visibility,
list, entry, level, kind of match, where it matched, decision) are in the person's language, from the
label tables (:data:`COLUMNS` are the columns' keys, :func:`header` their names, :func:`column_key`
the key of a name in either language). What comes from the data (refs, texts, URLs, court decisions)
is as it is.

Moments (``date``, ``decided_at``) are in the person's time zone (``time_zone`` names it,
:func:`repostguard.views.i18n.display_zone`), with their offset, as ``2018-05-04 10:00:00+03:00``;
``entry_included`` and ``entry_decision_date`` are the list's calendar dates (the first is empty before
2017: the list gives none). Cells that a spreadsheet would run as a formula (starting with
``= + - @``) are prefixed with ``'``. Its ``action`` and ``note`` columns can be filled in and the file
imported back with ``repostguard decide --csv FILE`` (the action in words, «Удалить», is accepted).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from repostguard.i18n import header_key
from repostguard.paths import atomic_write
from repostguard.store import Store
from repostguard.views.entries import EntrySource, listed_after_post, workspace_entries
from repostguard.views.i18n import (
    ACTION_LABELS,
    BANK_LABELS,
    CSV_LABELS,
    KIND_LABELS,
    LEVEL_LABELS,
    SIGNAL_LABELS,
    VIS_LABELS,
    display_zone,
    field_label,
    iso_in_zone,
    label,
    platform_label,
    t,
    version_label,
)
from repostguard.views.items import entry_label, evidence_text
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


def header(lang: str = "ru") -> list[str]:
    """The columns' names in ``lang``."""
    return [label(CSV_LABELS, c, lang) for c in COLUMNS]


def column_key(name: str) -> str:
    """The column key (``item``, ``action``, ``note``…) of a column's name in either language, or the name
    lowercased: what a file filled in by a person is read back with."""
    return header_key(CSV_LABELS, name, COLUMNS)


def _moment(value: str | None, zone: Any) -> str:
    """A stored moment in ``zone``, ISO 8601 with a space between the day and the time."""
    return iso_in_zone(value, zone).replace("T", " ", 1) if value else ""


def safe_cell(value: Any) -> str:
    """``value`` as a CSV cell that a spreadsheet shows as text, never runs as a formula."""
    s = "" if value is None else str(value)
    if s and s[0] in "=+-@\t\r":
        return "'" + s
    return s


def rows(
    store: Store, sel: Selection, *, lang: str = "ru", entries: EntrySource | None = None
) -> list[list[str]]:
    """The report's rows (without the header) for the selection, most serious first, in ``lang``."""
    conn = store.conn
    items = select_items(conn, sel, limit=None)
    source = workspace_entries(conn, entries)
    out: list[list[str]] = []
    zone = display_zone()
    yes = t("yes", lang)
    for i in range(0, len(items), 500):
        chunk = items[i : i + 500]
        fmap = findings_for(conn, [r["id"] for r in chunk], sel)
        for r in chunk:
            rf = json.loads(r["reposted_from"]) if r["reposted_from"] else None
            atts = json.loads(r["attachments"] or "[]")
            origin = " ".join(x for x in ((rf or {}).get("name"), (rf or {}).get("url")) if x)
            base = [
                r["ref"],
                platform_label(r["platform"], lang),
                label(KIND_LABELS, r["kind"], lang),
                _moment(r["date"], zone),
                r["url"],
                label(VIS_LABELS, r["visibility"], lang),
                origin,
                r["text"],
            ]
            tail = [
                label(ACTION_LABELS, r["action"], lang) if r["action"] else "",
                r["note"],
                _moment(r["decided_at"], zone),
            ]
            fs = fmap[r["id"]]
            if not fs:
                out.append([safe_cell(v) for v in [*base, *([""] * 11), *tail, "", zone.key]])
                continue
            for f in fs:
                ev = json.loads(f["evidence"] or "{}")
                bank, key = str(f["bank"]), str(f["entry"])
                entry = source.get(bank, key, str(f["list_version"] or ""))
                out.append(
                    [
                        safe_cell(v)
                        for v in [
                            *base,
                            label(BANK_LABELS, bank, lang),
                            key if bank == "fsm" else entry_label(bank, key, entry, lang),
                            label(LEVEL_LABELS, f["level"], lang),
                            label(SIGNAL_LABELS, f["signal"], lang),
                            f"{float(f['score']):.3f}",
                            field_label(ev.get("field"), atts, lang),
                            evidence_text(str(ev.get("field") or ""), str(ev.get("text") or "")),
                            entry.included.isoformat() if entry and entry.included else "",
                            entry.court_decision if entry else "",
                            yes if listed_after_post(entry, r["date"]) else "",
                            f["explanation_en"] if lang == "en" else f["explanation_ru"],
                            version_label(f["list_version"], lang),
                            *tail,
                            entry.decision_date.isoformat() if entry and entry.decision_date else "",
                            zone.key,
                        ]
                    ]
                )
    return out


def csv_text(store: Store, sel: Selection, *, lang: str = "ru", entries: EntrySource | None = None) -> str:
    """The whole CSV report as text (header included), in ``lang``."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header(lang))
    w.writerows(rows(store, sel, lang=lang, entries=entries))
    return buf.getvalue()


def write_csv(
    store: Store, out: Path, sel: Selection | None = None, *, lang: str = "ru", entries: EntrySource | None = None
) -> int:
    """Write the CSV report of ``sel`` (default: every flagged item) atomically; return the row count."""
    sel = sel or Selection()
    text = csv_text(store, sel, lang=lang, entries=entries)
    atomic_write(out, text.encode("utf-8-sig"))
    return text.count("\r\n") - 1 if text else 0


__all__ = ["COLUMNS", "header", "column_key", "rows", "csv_text", "write_csv", "safe_cell"]
