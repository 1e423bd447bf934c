"""User-facing strings of the review page, the report, the printable selection and the dossier,
in Russian (default) and English, the label tables (levels, kinds, lists, signals, …) and the
one date format of each language. The words themselves are the catalogue ``strings.toml``.

Every moment is shown in the person's time zone (:func:`display_zone`: ``$REPOSTGUARD_DISPLAY_TZ``,
an IANA name such as ``Europe/Berlin``; else the zone chosen for the workspace on the start screen;
Moscow by default), with the zone named. Whether an item was
posted before a list entry was listed is decided on the calendar of the list's own zone
(:data:`LIST_ZONE`, Moscow), whatever the display zone, so it cannot flip near midnight."""

from __future__ import annotations

import os
import tomllib
from contextvars import ContextVar
from datetime import date, datetime, tzinfo
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from repostguard.banks.orgs import ORG_LISTS

LANGS = ("ru", "en")

#: a label table: value (or string key) → language → words
Table = dict[str, dict[str, str]]


def _catalogue() -> dict[str, Table]:
    """The tables of ``strings.toml`` (beside this module), by name."""
    with (Path(__file__).resolve().parent / "strings.toml").open("rb") as fh:
        return tomllib.load(fh)


_CATALOGUE = _catalogue()
STRINGS: Table = _CATALOGUE["strings"]
ACTION_LABELS: Table = _CATALOGUE["actions"]
LEVEL_LABELS: Table = _CATALOGUE["levels"]
KIND_LABELS: Table = _CATALOGUE["kinds"]
VIS_LABELS: Table = _CATALOGUE["visibility"]
BANK_LABELS: Table = {
    **_CATALOGUE["banks"],
    # each organisation list by its own title (``orgs-extremist``…), from its declaration
    **{spec.bank: {"ru": spec.title_ru[:1].upper() + spec.title_ru[1:],
                   "en": spec.title_en[:1].upper() + spec.title_en[1:]} for spec in ORG_LISTS},
}
SIGNAL_LABELS: Table = _CATALOGUE["signals"]

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def t(key: str, lang: str, **kw: object) -> str:
    """The string ``key`` in ``lang`` (falling back to Russian, then to the key itself)."""
    d = STRINGS.get(key)
    s = (d.get(lang) or d.get("ru") or key) if d else key
    return s.format(**kw) if kw else s


def label(table: Table, value: str | None, lang: str) -> str:
    """A value's label from one of the label tables, or the value itself."""
    if value is None:
        return ""
    d = table.get(value)
    return (d.get(lang) or value) if d else value


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


def zone_label(lang: str, zone: tzinfo | None = None) -> str:
    """The display zone as a page names it: ``Europe/Moscow (МСК)`` or ``Europe/Berlin``."""
    z = zone or display_zone()
    key = getattr(z, "key", None) or str(z)
    short = zone_name(z, lang)
    return key if short == key else f"{key} ({short})"
