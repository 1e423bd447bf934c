"""Reports of the whole audit: a self-contained HTML page (no external resources, every piece of
item text escaped) or JSON, grouped by severity. In: the workspace, through the view layer
(:mod:`repostguard.views`). Out: files (this module; :mod:`.csv_report`, :mod:`.selection`,
:mod:`.dossier`).

Each flagged item is shown once, with its text and the matched evidence highlighted, and under it
every finding: the list entry in full with its court decision, and the finding's timeline
(:mod:`repostguard.views.timeline`: posted, court decision, listed, or «дата включения неизвестна»
before 2017, today), every moment in the person's zone with the zone named. A workspace where nothing
was checked says so, never "no matches". Wording is about risk, never a verdict.

Each finding also carries its legal context (:class:`repostguard.findings.legal.LegalContexts`): the
articles with their penalty ranges, where the limitation clock stands, the role and visibility of
the item, and notes such as "posted before the material was listed". The sources of these facts
are listed once at the end of the HTML report, as plain text (never links that load anything).

Items of kind ``screenshot`` show their screenshot's crops as small pictures embedded in the page, with the
evidence marked (:mod:`repostguard.views.pictures`; ``pictures=False`` leaves them out). No other item
carries a picture.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from repostguard import __version__
from repostguard.findings.legal import SOURCES, LegalContexts
from repostguard.model import LEVEL_RANK
from repostguard.paths import atomic_write
from repostguard.pipeline.groups import near_duplicate_groups
from repostguard.store import Store
from repostguard.views.entries import StoredEntries
from repostguard.views.i18n import SIGNAL_LABELS, display_zone, fmt_date, has, label, t
from repostguard.views.items import ItemView, item_view
from repostguard.views.pictures import add_pictures
from repostguard.views.query import check_state
from repostguard.views.render import render


def collect(store: Store, lang: str = "ru") -> list[ItemView]:
    """Every flagged item with its findings, most serious first.

    Each list entry is shown as the scan saw it (the list version stored with the finding).
    """
    rows: dict[str, list[sqlite3.Row]] = {}
    for row in store.findings_rows():
        rows.setdefault(row["item_id"], []).append(row)
    entries = StoredEntries(store.conn)
    legal = LegalContexts(store)
    views: list[ItemView] = []
    for iid, fs in rows.items():
        fs.sort(key=lambda f: (LEVEL_RANK.get(f["level"], 9), -f["score"], f["bank"], _num(f["entry"])))
        views.append(item_view({**dict(fs[0]), "id": iid}, fs, entries, lang, legal=legal))
    groups = _picture_groups(store)
    if groups:
        members: dict[str, list[str]] = {}
        for member, g in groups.items():
            members.setdefault(g, []).append(member)
        refs = _refs(store, [i for ms in members.values() if len(ms) > 1 for i in ms])
        for v in views:
            grp = groups.get(v.id)
            if grp is not None:
                v.same_picture = sorted(refs[o] for o in members[grp] if o != v.id and o in refs)
    views.sort(key=lambda v: (LEVEL_RANK.get(v.worst, 9), -max(f.score for f in v.findings), v.date_raw or ""))
    return views


def _picture_groups(store: Store) -> dict[str, str]:
    """Item id -> near-duplicate group id, when the picture stage is available."""
    try:
        return near_duplicate_groups(store)
    except (ImportError, sqlite3.OperationalError):
        return {}


def _refs(store: Store, ids: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        q = f"SELECT id, ref FROM items WHERE id IN ({','.join('?' * len(chunk))})"
        out.update({r[0]: r[1] for r in store.conn.execute(q, chunk)})
    return out


def _num(s: str) -> int:
    return int(s) if s.isdigit() else 0


def render_html(store: Store, lang: str = "ru", views: list[ItemView] | None = None, *, pictures: bool = True) -> str:
    """The report as one self-contained HTML page (no script, nothing loaded from outside).

    With ``pictures``, screenshot items show their pictures with the evidence marked, embedded in the page.
    """
    views = collect(store, lang) if views is None else views
    if pictures:
        add_pictures(store.conn, store.path, views)
    groups: dict[str, list[ItemView]] = {}
    for v in views:
        groups.setdefault(v.worst, []).append(v)
    order = sorted(groups, key=lambda lv: LEVEL_RANK.get(lv, 9))
    used = {s["key"] for v in views for f in v.findings if f.legal for s in f.legal["sources"]}
    sources = [src for key, src in SOURCES.items() if key in used]
    check, checked = check_state(store.conn)
    return render(
        "report.html.j2",
        lang,
        sources=sources,
        source_no={src.key: i for i, src in enumerate(sources, 1)},
        groups=[(lv, groups[lv]) for lv in order],
        level_help={lv: t(f"help_{lv}", lang) for lv in order if has(f"help_{lv}")},
        generated=fmt_date(datetime.now(UTC).replace(second=0, microsecond=0), lang),
        scan=store.last_scan(),
        check=check,
        checked=checked,
        items_total=store.count_items(),
        items_flagged=len(views),
        findings_total=sum(len(v.findings) for v in views),
    )


def report_json(store: Store, lang: str = "ru") -> dict[str, Any]:
    """The report as a JSON-ready dict: every flagged item with its findings, most serious first."""
    views = collect(store, lang)
    scan = store.last_scan()
    check, checked = check_state(store.conn)
    return {
        "tool": "repostguard", "version": __version__,
        "list_version": scan["list_version"] if scan else None,
        "items_scanned": store.count_items(),
        "time_zone": display_zone().key,
        "nothing_checked": check != "checked",
        "items_checked": checked,
        "items": [
            {"item": v.ref, "platform": v.platform, "kind": v.kind, "date": v.date_raw, "date_shown": v.date,
             "url": v.url,
             "level": v.worst, "text": v.text_raw,
             "reposted_from": " · ".join(x for x in (v.repost_name, v.repost_url) if x) or None,
             "same_picture": v.same_picture,
             "findings": [{"bank": f.bank, "entry": f.entry, "level": f.level,
                           "signal": label(SIGNAL_LABELS, f.signal, lang), "score": f.score,
                           "evidence": f.evidence_data, "explanation": f.explanation,
                           "list_version": f.list_version,
                           "entry_text": f.entry_view.text if f.entry_view else None,
                           "included": _iso(f.entry_view.included) if f.entry_view else None,
                           "court_decision": f.entry_view.court_decision if f.entry_view else None,
                           "court_decision_date": _iso(f.entry_view.decision_date) if f.entry_view else None,
                           "timeline": {"relation": f.timeline.relation,
                                        "steps": [{"kind": st.kind, "date": st.when, "unknown": st.unknown}
                                                  for st in f.timeline.steps]},
                           "posted_before_listing": f.posted_before_listing, "legal": f.legal}
                          for f in v.findings]}
            for v in views
        ],
    }


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def write_report(store: Store, out: Path, fmt: str = "html", lang: str = "ru", *, pictures: bool = True) -> int:
    """Write the report of every finding to ``out`` atomically; return the number of findings.

    ``pictures``: the HTML report shows screenshots' pictures (see :func:`render_html`)."""
    if fmt == "json":
        data = report_json(store, lang)
        payload = json.dumps(data, ensure_ascii=False, indent=1).encode()
        n = sum(len(i["findings"]) for i in data["items"])
    else:
        views = collect(store, lang)
        payload = render_html(store, lang, views, pictures=pictures).encode()
        n = sum(len(v.findings) for v in views)
    atomic_write(out, payload)
    return n
