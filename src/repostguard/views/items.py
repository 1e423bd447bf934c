"""Turn stored items and findings into what the page, the report, the printable selection and
the dossier show: one view model (:class:`ItemView`, :class:`FindingView`) for all of them.

Everything taken from a post (text, titles, names, URLs) is escaped here or by Jinja's
autoescaping; evidence is highlighted by cutting the escaped text at the matched spans.
Links are returned as text only: nothing here ever produces an ``href`` from a post.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from repostguard.findings.legal import LOW_CONFIDENCE, LegalContexts
from repostguard.views.entries import EntrySource, EntryView, listed_after_post, posted_before_listing
from repostguard.views.i18n import (
    ACTION_LABELS,
    BANK_LABELS,
    IDENTITY_LABELS,
    KIND_LABELS,
    LEVEL_LABELS,
    SIGNAL_LABELS,
    STATEMENT_LABELS,
    SYMBOL_LABELS,
    VIS_LABELS,
    attachment_label,
    field_label,
    fmt_date,
    fmt_local,
    label,
    platform_label,
    t,
    version_label,
)
from repostguard.views.query import RANK_LEVEL
from repostguard.views.timeline import Timeline, finding_timeline

IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".bmp": "image/bmp",
}
SNIPPET = 600
#: what a picture matcher appends to the picture's path in its evidence (the explanation says it in words)
_PDQ_NOTE = re.compile(r"\s*\(PDQ distance \d+\)$")


def evidence_text(field: str, text: str) -> str:
    """The evidence as shown: a picture's is its path (the distance its matcher appends is said in words by
    the explanation); any other as it is."""
    return _PDQ_NOTE.sub("", text) if field.endswith(".path") else text


def is_list_bank(bank: str) -> bool:
    """Whether ``bank`` is a list (the FSM, an organisation list) rather than a detector."""
    return bank == "fsm" or bank.startswith("orgs-")


def entry_label(bank: str, entry: str, entry_view: EntryView | None, lang: str) -> str:
    """A finding's entry as a person reads it: «запись № 5» of the FSM, the organisation's name, the
    statement rule's name, what a profile tells («номер телефона»), a picture bank's own reference."""
    if bank == "fsm":
        return t("entry_no", lang, n=entry)
    if bank.startswith("orgs-"):
        return entry_view.text if entry_view is not None and entry_view.text else t("entry_org_unknown", lang)
    if bank == "statements":
        return label(STATEMENT_LABELS, entry, lang) if entry in STATEMENT_LABELS else t("entry_rule_unknown", lang)
    if bank == "symbols":
        return label(SYMBOL_LABELS, entry, lang) if entry in SYMBOL_LABELS else entry
    if bank == "identity":
        base = entry.rsplit(":", 1)[0] if entry.rsplit(":", 1)[-1].isdigit() else entry
        return label(IDENTITY_LABELS, base, lang) if base in IDENTITY_LABELS else t("entry_profile_other", lang)
    return entry


_ATT_PATH = re.compile(r"^attachments\[(\d+)\]\.path$")


def _mark_symbols(by_index: dict[int, AttachmentView], fviews: list[FindingView]) -> None:
    """The regions of the symbols found in the item's pictures, on the attachments they are in (by the
    attachment's index; the page frames them and shows the picture blurred until the person asks)."""
    for f in fviews:
        ev = f.evidence_data or {}
        m = _ATT_PATH.match(f.evidence_field or "")
        box, size = ev.get("box"), ev.get("size")
        if f.bank != "symbols" or m is None or not box or not size:
            continue
        a = by_index.get(int(m.group(1)))
        if a is None:
            continue
        a.size = (int(size[0]), int(size[1]))
        a.marks.append({"label": f.entry_label, "x": int(box[0]), "y": int(box[1]), "w": int(box[2]),
                        "h": int(box[3])})


def highlight(text: str, spans: list[tuple[int, int]]) -> Markup:
    """``text`` escaped, with each of ``spans`` wrapped in ``<mark>`` (overlaps merged)."""
    good = sorted((max(0, a), min(len(text), b)) for a, b in spans if 0 <= a < b and a < len(text))
    merged: list[list[int]] = []
    for a, b in good:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out: list[str] = []
    pos = 0
    for a, b in merged:
        out.append(str(escape(text[pos:a])))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        pos = b
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def _span_in(text: str, ev: dict[str, Any]) -> tuple[int, int] | None:
    span = ev.get("span")
    etext = ev.get("text") or ""
    if isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span):
        a, b = span
        if 0 <= a < b <= len(text):
            return a, b
    if etext:
        i = text.find(etext)
        if i < 0:
            i = text.casefold().find(etext.casefold())
        if i >= 0:
            return i, i + len(etext)
    return None


def window_bounds(text: str, span: tuple[int, int], margin: int = 60) -> tuple[int, int]:
    """Where the piece of ``text`` shown around the evidence ``span`` starts and ends: about ``margin``
    characters on each side, cut between words."""
    a, b = span
    start, end = max(0, a - margin), min(len(text), b + margin)
    if start > 0:
        cut = text.find(" ", start, a)
        start = cut + 1 if cut >= 0 else start
    if end < len(text):
        cut = text.rfind(" ", b, end)
        end = cut if cut >= 0 else end
    return start, end


def _window(text: str, spans: list[tuple[int, int]], size: int) -> tuple[str, list[tuple[int, int]]]:
    """A piece of ``text`` of about ``size`` characters around the first span, spans re-based."""
    if len(text) <= size:
        return text, spans
    first = min((a for a, _ in spans), default=0)
    start = max(0, first - size // 3)
    end = min(len(text), start + size)
    piece = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    shift = start - (1 if start else 0)
    return piece, [(a - shift, b - shift) for a, b in spans if a >= start and b <= end]


@dataclass
class FindingView:
    """One finding as shown."""

    bank: str
    entry: str
    level: str
    level_label: str
    signal: str
    score: float
    #: a weak indicator, shown «на проверку» with no article in its headline (findings.legal.LOW_CONFIDENCE)
    to_check: bool
    #: the field path the evidence is in (``attachments[0].url``; :attr:`field_label` says it in words)
    evidence_field: str
    evidence: Markup
    matched: str | None
    explanation: str
    list_version: str
    entry_view: EntryView | None
    #: the entry's inclusion date is known and later than the item's date
    listed_after: bool
    #: the item is older than the entry's listing (its inclusion date, else its court decision date)
    posted_before_listing: bool = False
    #: the evidence as the matcher stored it (field, text, span, matched)
    evidence_data: dict[str, Any] = field(default_factory=dict)
    #: the legal context (:func:`repostguard.findings.legal.legal_context`): the item's page, the report
    legal: dict[str, Any] | None = None
    #: posted, court decision, listed (or unknown), today; and how the posting relates to the listing
    timeline: Timeline = field(default_factory=Timeline)
    #: the words: the list's name, the entry («запись № 5», the organisation, the rule), both as a title,
    #: the kind of match, where in the item, the list version
    bank_label: str = ""
    entry_label: str = ""
    title: str = ""
    signal_label: str = ""
    field_label: str = ""
    version_label: str = ""
    #: the bank is a list whose entries have a text (the FSM, an organisation list)
    is_list: bool = False
    #: with a screenshot's pictures shown (:mod:`repostguard.views.pictures`): whether the finding is marked
    #: on one of them; None when no picture is shown
    in_picture: bool | None = None

    @property
    def version_title(self) -> str:
        """The key of what the version is called: a list's, a picture bank's or a detector's rules'."""
        if self.is_list:
            return "list_version"
        return "bank_version" if self.bank == "hashes" else "rules_version"


@dataclass
class AttachmentView:
    """One attachment as shown; a photo has ``index`` if its file can be served."""

    type: str
    #: what it is, in words («фото», «ссылка», «вложение»)
    type_label: str = ""
    title: Markup | None = None
    url: str | None = None
    artist: str | None = None
    index: int | None = None
    missing: bool = False
    unsupported: bool = False
    #: the name of the attached file, if the export has one
    file_name: str | None = None
    #: symbols found in the picture: their name and region (x, y, w, h) in the picture's pixels ``size``
    marks: list[dict[str, Any]] = field(default_factory=list)
    size: tuple[int, int] | None = None


@dataclass
class ItemView:
    """One item with its findings and decision, ready for a template."""

    id: str
    ref: str
    platform: str
    platform_label: str
    kind: str
    kind_label: str
    date: str
    date_raw: str | None
    tz_assumed: bool
    text: Markup
    text_empty: bool
    text_raw: str
    url: str | None
    visibility: str | None
    visibility_label: str
    reposted: bool
    repost_name: str | None
    repost_url: str | None
    repost_chain: list[str]
    attachments: list[AttachmentView]
    findings: list[FindingView]
    worst: str
    worst_label: str
    action: str | None
    action_label: str
    note: str | None
    decided_at: str
    decided_at_raw: str | None
    deleted_at: str = ""
    #: refs of other items that hold the same picture (a meme posted several times), in the report
    same_picture: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    #: a screenshot's crops as the report and the dossier show them (:class:`repostguard.views.pictures.ScreenPicture`)
    pictures: list[Any] = field(default_factory=list)
    #: the dossier leaves the screenshot's pictures out (a banned symbol or a listed picture is on them)
    pictures_withheld: bool = False


def workspace_roots(conn: sqlite3.Connection, db: Path | None) -> list[Path]:
    """The folders pictures may be served from: those of the imported exports and the workspace's
    media folder (where files extracted from archives go)."""
    roots: list[Path] = []
    if db is not None:
        roots.append(db.resolve().with_name(db.name + ".media"))
    for (src,) in conn.execute("SELECT DISTINCT source FROM imports"):
        try:
            p = Path(str(src)).resolve()
        except (OSError, ValueError):
            continue
        roots.append(p if p.is_dir() else p.parent)
    return roots


def servable_photo(att: dict[str, Any], roots: list[Path]) -> bool:
    """True if the attachment names an existing raster picture file (never SVG or anything else)
    inside one of ``roots`` (after resolving symbolic links)."""
    p = att.get("path")
    if not p or att.get("type") not in ("photo", "image", "picture", "sticker", "doc", "document"):
        return False
    try:
        path = Path(str(p)).resolve()
    except (OSError, ValueError):
        return False
    if path.suffix.lower() not in IMAGE_TYPES or not path.is_file():
        return False
    return any(path.is_relative_to(r) for r in roots)


def _repost_chain(raw: str | None) -> list[str]:
    """Further repost sources the raw record names (VK ``copy_history``), as plain text."""
    if not raw or "copy_history" not in raw:
        return []
    try:
        rec = json.loads(raw)
    except (ValueError, TypeError):
        return []
    out: list[str] = []
    hist = rec.get("copy_history") if isinstance(rec, dict) else None
    if isinstance(hist, list):
        for h in hist[:10]:
            if isinstance(h, dict) and "owner_id" in h and "id" in h:
                out.append(f"vk.com/wall{h['owner_id']}_{h['id']}")
    return out


def item_view(
    row: sqlite3.Row | dict[str, Any],
    findings: list[sqlite3.Row] | list[dict[str, Any]],
    entries: EntrySource | None,
    lang: str,
    *,
    snippet: bool = False,
    raw: str | None = None,
    roots: list[Path] | None = None,
    legal: LegalContexts | None = None,
) -> ItemView:
    """Build the view of one item (``row`` from :func:`repostguard.views.query.select_items`, or
    any mapping with the item's columns) with ``findings`` in the order given.

    ``entries`` gives each finding's list entry: the installed list
    (:class:`~repostguard.views.entries.Entries`) or the list versions the scans saw
    (:class:`~repostguard.views.entries.StoredEntries`). With ``legal``, each finding also gets its
    legal context; the listing date is the one of the entry shown, else the one stored with the
    finding's list version.
    """
    r = dict(row)
    text = str(r.get("text") or "")
    atts = json.loads(r.get("attachments") or "[]")
    rf = json.loads(r["reposted_from"]) if r.get("reposted_from") else None
    text_spans: list[tuple[int, int]] = []
    title_spans: dict[int, list[tuple[int, int]]] = {}
    fviews: list[FindingView] = []
    for f in findings:
        fd = dict(f)
        try:
            ev = json.loads(fd.get("evidence") or "{}")
        except ValueError:
            ev = {}
        fld = str(ev.get("field") or "")
        etext = str(ev.get("text") or "")
        ev_markup = escape(etext)
        if fld == "text":
            sp = _span_in(text, ev)
            if sp:
                text_spans.append(sp)
                start, end = window_bounds(text, sp)
                ev_markup = Markup("{}{}{}").format(
                    "…" if start else "",
                    highlight(text[start:end], [(sp[0] - start, sp[1] - start)]),
                    "…" if end < len(text) else "",
                )
        elif fld.startswith("attachments[") and fld.endswith("].title"):
            try:
                idx = int(fld[len("attachments[") : -len("].title")])
            except ValueError:
                idx = -1
            if 0 <= idx < len(atts):
                sp = _span_in(str(atts[idx].get("title") or ""), ev)
                if sp:
                    title_spans.setdefault(idx, []).append(sp)
        if etext and fld.endswith(".path"):
            etext = evidence_text(fld, etext)
            ev_markup = escape(etext)
        if etext and fld != "text":
            ev_markup = Markup("<mark>{}</mark>").format(etext)
        list_version = str(fd.get("list_version") or "")
        bank, entry_key = str(fd["bank"]), str(fd["entry"])
        entry = entries.get(bank, entry_key, list_version) if entries else None
        level = str(fd["level"])
        signal = str(fd.get("signal") or "")
        bank_name = label(BANK_LABELS, bank, lang)
        entry_name = entry_label(bank, entry_key, entry, lang)
        fviews.append(
            FindingView(
                bank=bank,
                entry=entry_key,
                bank_label=bank_name,
                entry_label=entry_name,
                title=t("finding_title", lang, bank=bank_name, entry=entry_name),
                signal_label=label(SIGNAL_LABELS, signal, lang),
                field_label=field_label(fld, atts, lang),
                version_label=version_label(list_version, lang),
                is_list=is_list_bank(bank),
                level=level,
                level_label=label(LEVEL_LABELS, level, lang),
                signal=signal,
                score=float(fd.get("score") or 0),
                to_check=level == "indicator" and float(fd.get("score") or 0) < LOW_CONFIDENCE,
                evidence_field=fld,
                evidence=ev_markup,
                matched=ev.get("matched"),
                explanation=str(fd.get("explanation_en") if lang == "en" else fd.get("explanation_ru")) or "",
                list_version=list_version,
                entry_view=entry,
                listed_after=listed_after_post(entry, r.get("date")),
                posted_before_listing=posted_before_listing(entry, r.get("date")),
                evidence_data=ev,
                legal=_legal(legal, fd, r, entry),
                timeline=finding_timeline(entry, r.get("date"), lang, tz_assumed=bool(r.get("date_tz_assumed"))),
            )
        )
    if snippet:
        shown, spans = _window(text, text_spans, SNIPPET)
        text_m = highlight(shown, spans)
    else:
        text_m = highlight(text, text_spans)
    aviews: list[AttachmentView] = []
    aview_at: dict[int, AttachmentView] = {}
    for i, a in enumerate(atts):
        if not isinstance(a, dict):
            continue
        title = str(a.get("title") or "")
        av = AttachmentView(
            type=str(a.get("type") or ""),
            type_label=attachment_label(str(a.get("type") or ""), lang),
            title=highlight(title, title_spans.get(i, [])) if title else None,
            url=str(a["url"]) if a.get("url") else None,
            artist=str(a["artist"]) if a.get("artist") else None,
            file_name=Path(str(a["path"])).name if a.get("path") else None,
        )
        if a.get("path"):
            if roots is not None and servable_photo(a, roots):
                av.index = i
            elif str(a.get("type")) in ("photo", "image"):
                if Path(str(a["path"])).is_file():
                    av.unsupported = True
                else:
                    av.missing = True
        aviews.append(av)
        aview_at[i] = av
    _mark_symbols(aview_at, fviews)
    worst_rank = r.get("worst")
    worst = (
        RANK_LEVEL.get(int(worst_rank), "other")
        if worst_rank is not None
        else (fviews[0].level if fviews else "")
    )
    action = r.get("action")
    kind = str(r.get("kind") or "")
    return ItemView(
        id=str(r["id"]),
        ref=str(r["ref"]),
        platform=str(r.get("platform") or ""),
        platform_label=platform_label(str(r.get("platform") or ""), lang),
        kind=kind,
        kind_label=label(KIND_LABELS, kind, lang),
        date=fmt_date(r.get("date"), lang),
        date_raw=r.get("date"),
        tz_assumed=bool(r.get("date_tz_assumed")),
        text=text_m,
        text_empty=not text,
        text_raw=text,
        url=r.get("url"),
        visibility=r.get("visibility"),
        visibility_label=label(VIS_LABELS, r.get("visibility"), lang),
        reposted=kind == "repost" or rf is not None,
        repost_name=(rf or {}).get("name"),
        repost_url=(rf or {}).get("url"),
        repost_chain=_repost_chain(raw),
        attachments=aviews,
        findings=fviews,
        worst=worst,
        worst_label=label(LEVEL_LABELS, worst, lang),
        action=action,
        action_label=label(ACTION_LABELS, action, lang) if action else "",
        note=r.get("note"),
        decided_at=fmt_local(r.get("decided_at"), lang),
        decided_at_raw=r.get("decided_at"),
        deleted_at=fmt_local(r.get("deleted_at"), lang),
    )


def _legal(
    legal: LegalContexts | None, finding: dict[str, Any], item: dict[str, Any], entry: EntryView | None
) -> dict[str, Any] | None:
    if legal is None:
        return None
    listed = None
    if entry is not None and entry.included is not None:
        listed = (entry.included, "included")
    elif entry is not None and entry.decision_date is not None:
        listed = (entry.decision_date, "decision")
    row = {
        **{k: finding.get(k) for k in ("bank", "entry", "level", "list_version", "score")},
        **{k: item.get(k) for k in ("kind", "date", "visibility", "author", "deleted_at")},
    }
    return legal(row, listed=listed)


def item_row(conn: sqlite3.Connection, item_id: str) -> sqlite3.Row | None:
    """The row :func:`item_view` needs for one item (with its decision), by id."""
    row: sqlite3.Row | None = conn.execute(
        "SELECT i.*, d.action AS action, d.note AS note, d.decided_at AS decided_at,"
        " d.source AS decision_source"
        " FROM items i LEFT JOIN decisions d ON d.item_id = i.id WHERE i.id = ?",
        (item_id,),
    ).fetchone()
    return row


__all__ = [
    "ItemView",
    "FindingView",
    "AttachmentView",
    "item_view",
    "item_row",
    "entry_label",
    "is_list_bank",
    "window_bounds",
    "evidence_text",
    "highlight",
    "servable_photo",
    "workspace_roots",
    "IMAGE_TYPES",
]
