"""Reports of a *selection*: ``repostguard report --format csv`` and any report with filters.

The ``report`` command takes :func:`repostguard.cli.options.selection_options` (``--level``,
``--platform``, ``--kind``, ``--list``, ``--year``, ``--decision``, ``--item``, ``--search``,
``--all-history``). With ``--format csv``, or with any filter, it calls :func:`write_selection`,
which writes the same set of items the review page shows for those filters: CSV (one row per
finding), JSON (items with their findings and decisions) or a self-contained printable HTML page.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from repostguard import __version__
from repostguard.paths import atomic_write
from repostguard.reports.csv_report import write_csv
from repostguard.store import Store
from repostguard.views.entries import Entries, listed_after_post, workspace_entries
from repostguard.views.i18n import (
    ACTION_LABELS,
    BANK_LABELS,
    KIND_LABELS,
    LEVEL_LABELS,
    fmt_date,
    label,
    platform_label,
    t,
)
from repostguard.views.items import ItemView, item_view
from repostguard.views.query import Selection, findings_for, select_items
from repostguard.views.render import DOSSIER_CSS, render

FORMATS = ("html", "json", "csv")
SELECTION_FIELDS = ("level", "platform", "kind", "bank", "year", "decision", "item", "q", "scope")


def selection_from_options(**kw: Any) -> Selection:
    """A :class:`Selection` from the values of :func:`selection_options`."""
    params = {k: str(v) for k, v in kw.items() if k in SELECTION_FIELDS and v not in (None, "")}
    return Selection.from_params(params)


def selection_json(store: Store, sel: Selection, *, entries: Entries | None = None) -> dict[str, Any]:
    """The selection as a JSON-ready dict: items with their findings and decisions."""
    rows = select_items(store.conn, sel, limit=None)
    items: list[dict[str, Any]] = []
    n = 0
    for i in range(0, len(rows), 500):
        chunk = rows[i : i + 500]
        fmap = findings_for(store.conn, [r["id"] for r in chunk], sel)
        for r in chunk:
            fs = []
            for f in fmap[r["id"]]:
                entry = entries.get(f["bank"], f["entry"]) if entries else None
                fs.append(
                    {
                        "bank": f["bank"],
                        "entry": int(f["entry"]) if str(f["entry"]).isdigit() else f["entry"],
                        "level": f["level"],
                        "signal": f["signal"],
                        "score": round(float(f["score"]), 3),
                        "evidence": json.loads(f["evidence"] or "{}"),
                        "explanation": {"ru": f["explanation_ru"], "en": f["explanation_en"]},
                        "list_version": f["list_version"],
                        "entry_included": entry.included.isoformat() if entry and entry.included else None,
                        "court_decision": entry.court_decision if entry else None,
                        "listed_after_post": listed_after_post(entry, r["date"]),
                    }
                )
            n += len(fs)
            items.append(
                {
                    "item": r["ref"],
                    "platform": r["platform"],
                    "kind": r["kind"],
                    "date": r["date"],
                    "url": r["url"],
                    "visibility": r["visibility"],
                    "reposted_from": json.loads(r["reposted_from"]) if r["reposted_from"] else None,
                    "text": r["text"],
                    "deleted_at": r["deleted_at"],
                    "decision": {"action": r["action"], "note": r["note"], "decided_at": r["decided_at"]}
                    if r["action"]
                    else None,
                    "findings": fs,
                }
            )
    return {
        "tool": "repostguard",
        "version": __version__,
        "selection": sel.describe(),
        "counts": {"items": len(items), "findings": n},
        "items": items,
    }


#: each filter's name (a key of the page's words) and how its value is said
_FILTER_NAMES = {"platform": "platform", "kind": "kind", "bank": "bank", "level": "level", "year": "year",
                 "decision": "decision", "q": "search", "scope": "scope", "item": "ref"}


def filter_words(sel: Selection, lang: str) -> list[tuple[str, str]]:
    """The selection's filters as a person reads them: (the filter's name, its value), in ``lang``."""
    values = {
        "platform": lambda v: platform_label(v, lang),
        "kind": lambda v: label(KIND_LABELS, v, lang),
        "bank": lambda v: label(BANK_LABELS, v, lang),
        "level": lambda v: label(LEVEL_LABELS, v, lang),
        "decision": lambda v: label(ACTION_LABELS, v, lang),
        "scope": lambda v: t("scope_all" if v == "all" else "scope_flagged", lang),
    }
    return [(t(_FILTER_NAMES[k], lang), values.get(k, str)(v)) for k, v in sel.describe().items()]


def _views(store: Store, sel: Selection, lang: str, entries: Entries | None) -> list[ItemView]:
    rows = select_items(store.conn, sel, limit=None)
    views = []
    source = workspace_entries(store.conn, entries)
    for i in range(0, len(rows), 500):
        chunk = rows[i : i + 500]
        fmap = findings_for(store.conn, [r["id"] for r in chunk], sel)
        views += [item_view(r, fmap[r["id"]], source, lang) for r in chunk]
    return views


def selection_html(
    store: Store,
    sel: Selection,
    *,
    lang: str = "ru",
    entries: Entries | None = None,
    views: list[ItemView] | None = None,
) -> str:
    """The selection as one self-contained printable HTML page (inline CSS, no script)."""
    if views is None:
        views = _views(store, sel, lang, entries)
    now = datetime.now().astimezone()
    return render(
        "selection.html",
        lang,
        items=views,
        filters=filter_words(sel, lang),
        generated=fmt_date(now.isoformat(timespec="minutes"), lang),
        css=DOSSIER_CSS.read_text("utf-8"),
    )


def write_selection(
    store: Store, out: Path, fmt: str, sel: Selection, *, lang: str = "ru", entries: Entries | None = None
) -> int:
    """Write the report of ``sel`` in ``fmt`` to ``out`` atomically; return how many findings it holds
    (CSV: how many rows)."""
    if fmt == "csv":
        return write_csv(store, out, sel, lang=lang, entries=entries)
    if fmt == "json":
        data = selection_json(store, sel, entries=entries)
        atomic_write(Path(out), json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
        return int(data["counts"]["findings"])
    if fmt == "html":
        views = _views(store, sel, lang, entries)
        html = selection_html(store, sel, lang=lang, entries=entries, views=views)
        atomic_write(Path(out), html.encode("utf-8"))
        return sum(len(v.findings) for v in views)
    raise click.BadParameter(f"unknown format {fmt!r}")


__all__ = [
    "selection_from_options",
    "write_selection",
    "selection_json",
    "selection_html",
    "filter_words",
    "FORMATS",
]
