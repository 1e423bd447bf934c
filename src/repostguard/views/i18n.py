"""User-facing strings of the review page, the report, the printable selection and the dossier,
in Russian (default) and English, the label tables (levels, kinds, lists, signals, …) and the
one date format of each language. The words themselves are the gettext catalogues of
:mod:`repostguard.i18n` (``locale/<lang>/LC_MESSAGES/*.po``); this module names the label tables.

Every moment is shown in the person's time zone (:func:`display_zone`: ``$REPOSTGUARD_DISPLAY_TZ``,
an IANA name such as ``Europe/Berlin``; else the zone chosen for the workspace on the start screen;
Moscow by default), with the zone named. Whether an item was
posted before a list entry was listed is decided on the calendar of the list's own zone
(:data:`LIST_ZONE`, Moscow), whatever the display zone, so it cannot flip near midnight."""

from __future__ import annotations

import os
import re
from contextvars import ContextVar
from datetime import date, datetime, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from repostguard.banks.orgs import ORG_LISTS
from repostguard.i18n import LANGS, Labels, has, label, t

#: the label tables (the catalogue's ``<table>.<value>`` entries)
ACTION_LABELS = Labels("actions")
LEVEL_LABELS = Labels("levels")
KIND_LABELS = Labels("kinds")
VIS_LABELS = Labels("visibility")
#: each organisation list by its own title (``orgs-extremist``…), from its declaration
BANK_LABELS = Labels("banks", {
    spec.bank: {"ru": spec.title_ru[:1].upper() + spec.title_ru[1:],
                "en": spec.title_en[:1].upper() + spec.title_en[1:]}
    for spec in ORG_LISTS
})
#: the kinds of match; the platforms an item comes from (``generic``: the project's own format); where in an
#: item the evidence is (the kind of a field path, :func:`field_kind`); attachments by type (a type the table
#: does not name is «вложение», ``unknown``); what a profile tells about its owner (the identity findings'
#: entries); the statement detector's rules by category; the CSV report's columns
SIGNAL_LABELS, PLATFORM_LABELS, FIELD_LABELS, ATTACHMENT_LABELS, IDENTITY_LABELS, STATEMENT_LABELS, CSV_LABELS = (
    Labels(table) for table in ("signals", "platforms", "fields", "attachments", "identity", "statements", "csv"))
#: the banned symbols by id (the symbols bank's entries)
SYMBOL_LABELS = Labels("symbols")

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


#: the environment variable that names the zone dates are shown in (an IANA name)
ZONE_ENV = "REPOSTGUARD_DISPLAY_TZ"
DEFAULT_ZONE = "Europe/Moscow"
#: the zone of the lists' calendar dates (inclusion dates, court decisions): Moscow
LIST_ZONE = ZoneInfo("Europe/Moscow")
_ZONE_ABBR = {"Europe/Moscow": {"ru": "МСК", "en": "MSK"}}


@lru_cache(maxsize=16)
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


#: the zone the workspace's settings name (``repostguard.store.settings``), for this request or command:
#: the app sets it for each request, the CLI when it resolves the workspace
WORKSPACE_ZONE: ContextVar[str] = ContextVar("repostguard_workspace_zone", default="")


def display_zone() -> ZoneInfo:
    """The zone dates are shown in: ``$REPOSTGUARD_DISPLAY_TZ`` if it names a zone, else the
    workspace's zone (:data:`WORKSPACE_ZONE`) if it names one, else Moscow."""
    name = os.environ.get(ZONE_ENV, "").strip()
    zone = _zone(name) if name else None
    if zone is None:
        chosen = WORKSPACE_ZONE.get()
        zone = _zone(chosen) if chosen else None
    return zone or LIST_ZONE


def zone_name(zone: tzinfo, lang: str) -> str:
    """How a zone is named next to a time: ``МСК`` / ``MSK`` for Moscow, else its IANA name."""
    key = getattr(zone, "key", None) or str(zone)
    return _ZONE_ABBR.get(key, {}).get(lang, key)


def utc_offset(dt: datetime) -> str:
    """The offset of ``dt`` as ``UTC+03:00``."""
    off = dt.utcoffset()
    mins = int(off.total_seconds()) // 60 if off is not None else 0
    return f"UTC{'+' if mins >= 0 else '-'}{abs(mins) // 60:02d}:{abs(mins) % 60:02d}"


def parse_moment(value: str | date | None) -> datetime | date | None:
    """A stored date (ISO 8601, ``Z`` allowed) as a datetime (a date when it has no time), or None."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    s = str(value)
    try:
        dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt.date() if len(s) <= 10 else dt


def list_day(value: str | date | None) -> date | None:
    """The calendar day of a moment in the lists' zone (Moscow): what a listing date is compared with.

    A time without an offset is taken as it was recorded."""
    m = parse_moment(value)
    if isinstance(m, datetime):
        return (m.astimezone(LIST_ZONE) if m.tzinfo is not None else m).date()
    return m


def today(zone: tzinfo | None = None) -> date:
    """Today in ``zone`` (default: the display zone)."""
    return datetime.now(zone or display_zone()).date()


def fmt_local(value: str | None, lang: str) -> str:
    """A moment repostguard recorded (UTC, ISO 8601) in the person's zone, named."""
    if not value:
        return ""
    m = parse_moment(value)
    if not isinstance(m, datetime):
        return str(value)
    if m.tzinfo is None:  # recorded as this computer's local time
        m = m.astimezone()
    return fmt_date(m, lang)


def fmt_date(
    value: str | date | None, lang: str, *, with_time: bool = True, zone: tzinfo | None = None
) -> str:
    """A date in the language's format: ``03.08.2021 13:21 МСК (UTC+03:00)`` (ru),
    ``3 Aug 2021, 13:21 MSK (UTC+03:00)`` (en).

    A moment with an offset is converted to ``zone`` (default: :func:`display_zone`) and the zone
    is named; a moment without one is shown as recorded; a calendar date is shown as a date.
    """
    if value is None or value == "":
        return ""
    m = parse_moment(value)
    if m is None:
        return str(value)
    dt: datetime | None = None
    if isinstance(m, datetime):
        dt = m
        if dt.tzinfo is not None:
            dt = dt.astimezone(zone or display_zone())
        d = dt.date()
    else:
        d = m
    if lang == "en":
        out = f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"
        if dt is not None and with_time:
            out += f", {dt:%H:%M}"
    else:
        out = f"{d:%d.%m.%Y}"
        if dt is not None and with_time:
            out += f" {dt:%H:%M}"
    if dt is not None and with_time and dt.tzinfo is not None:
        out += f" {zone_name(zone or display_zone(), lang)} ({utc_offset(dt)})"
    return out


def iso_in_zone(value: str | None, zone: tzinfo | None = None) -> str:
    """A stored moment as ISO 8601 in ``zone`` (default: the display zone), offset included;
    a moment without an offset, a calendar date or anything unparseable is returned as it is."""
    m = parse_moment(value)
    if not isinstance(m, datetime) or m.tzinfo is None:
        return "" if value is None else str(value)
    return m.astimezone(zone or display_zone()).isoformat()


def platform_label(platform: str | None, lang: str) -> str:
    """A platform's name (``generic``: «общий формат»); a platform the table does not know, as it is."""
    return label(PLATFORM_LABELS, platform, lang)


def attachment_label(kind: str | None, lang: str) -> str:
    """What an attachment is (``photo`` → «фото»); «вложение» for a type the table does not name."""
    found = ATTACHMENT_LABELS.label(kind or "unknown", lang)
    return found if found is not None else label(ATTACHMENT_LABELS, "unknown", lang)


_ATT_FIELD = re.compile(r"^attachments\[(\d+)\](?:\.(\w+))?$")
#: the title of an attachment, by its type: which field kind it is
_TITLE_KINDS = {
    "photo": "photo_title", "image": "photo_title", "picture": "photo_title", "sticker": "photo_title",
    "link": "link_title", "page": "link_title", "video": "video_title", "doc": "doc_title",
    "document": "doc_title", "file": "doc_title", "profile_field": "profile_field",
}
_PLAIN_FIELDS = {"text": "text", "reposted_from.url": "repost_url", "reposted_from.name": "repost_name",
                 "url": "url"}


def field_kind(path: str | None, attachments: list[Any] | None = None) -> str:
    """The kind of the field a finding's evidence is in (a key of :data:`FIELD_LABELS`): ``text``,
    ``link`` (``attachments[N].url``), ``photo_title``/``link_title``/… (``attachments[N].title``, by
    the attachment's type), ``ocr``, ``picture`` (``.path``), ``audio`` (``attachments[N]``),
    ``repost_url``, ``repost_name``, ``url``, else ``other``."""
    p = path or ""
    if p in _PLAIN_FIELDS:
        return _PLAIN_FIELDS[p]
    m = _ATT_FIELD.match(p)
    if m is None:
        return "other"
    i, part = int(m.group(1)), m.group(2)
    atts = attachments or []
    att = atts[i] if i < len(atts) and isinstance(atts[i], dict) else {}
    kind = str(att.get("type") or "")
    if part is None:
        return "audio" if kind in ("audio", "") else "title"
    if part == "title":
        return _TITLE_KINDS.get(kind, "title")
    return {"url": "link", "ocr": "ocr", "path": "picture"}.get(part, "other")


def field_label(path: str | None, attachments: list[Any] | None, lang: str) -> str:
    """Where in the item the evidence is, in words («в тексте», «во вложенной ссылке», …)."""
    return label(FIELD_LABELS, field_kind(path, attachments), lang)


_VERSION_DATED = re.compile(r"^.+?-(\d{4}-\d{2}-\d{2})-([0-9a-f]{6,})$")
_VERSION_UNDATED = re.compile(r"^.+?-undated-([0-9a-f]{6,})$")
_VERSION_FILES = re.compile(r"^hashes-(\d+)-([0-9a-f]{6,})$")
_VERSION_RULES = re.compile(r"^[a-z]+-(\d+)$")


def version_label(version: str | None, lang: str) -> str:
    """A list version as a person reads it: ``fsm-2024-01-20-191b2f86`` → «от 20.01.2024 (191b2f86)»,
    ``orgs-terrorist-undated-6393c30d`` → «без даты (6393c30d)», a matcher's ``statements-1`` →
    «1»; anything else as it is."""
    v = version or ""
    if m := _VERSION_DATED.match(v):
        return t("version_dated", lang, date=fmt_date(m.group(1), lang), sha=m.group(2))
    if m := _VERSION_UNDATED.match(v):
        return t("version_undated", lang, sha=m.group(1))
    if m := _VERSION_FILES.match(v):
        return t("version_files", lang, n=int(m.group(1)), sha=m.group(2))
    if v == "hashes-none":
        return t("version_no_files", lang)
    if m := _VERSION_RULES.match(v):
        return m.group(1)
    return v


def zone_label(lang: str, zone: tzinfo | None = None) -> str:
    """The display zone as a page names it: ``Europe/Moscow (МСК)`` or ``Europe/Berlin``."""
    z = zone or display_zone()
    key = getattr(z, "key", None) or str(z)
    short = zone_name(z, lang)
    return key if short == key else f"{key} ({short})"


__all__ = [
    "LANGS", "ACTION_LABELS", "LEVEL_LABELS", "KIND_LABELS", "VIS_LABELS", "BANK_LABELS", "SIGNAL_LABELS", "has",
    "PLATFORM_LABELS", "FIELD_LABELS", "ATTACHMENT_LABELS", "IDENTITY_LABELS", "STATEMENT_LABELS", "CSV_LABELS",
    "SYMBOL_LABELS",
    "platform_label", "attachment_label", "field_kind", "field_label", "version_label",
    "label", "t", "ZONE_ENV", "DEFAULT_ZONE", "LIST_ZONE", "WORKSPACE_ZONE", "display_zone", "zone_name", "utc_offset",
    "parse_moment", "list_day", "today", "fmt_local", "fmt_date", "iso_in_zone", "zone_label",
]
