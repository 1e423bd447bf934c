"""Dates as a web page shows them, read against the moment the page was saved.

Odnoklassniki's feed writes a post's date the way a person reads it (checked against public code
that reads the live page, see docs/importers/odnoklassniki.md): ``14:05`` (today), ``вчера 14:05``,
``12 мар`` (this year), ``3 янв 2019``, optionally with a time after the day (``12 мар 14:05``,
``3 янв 2019 в 10:00``); the English interface writes ``yesterday 14:05`` and ``12 Mar``. A page
saved in the browser carries no date of its own, so the relative forms are resolved against the
time the page was saved (:func:`saved_at`: the file's modification time, in the person's zone).

:func:`parse_page_date` returns the moment as ISO 8601 in that zone and whether it was relative
(the importer says so in a note: a copied file has a newer time, and those dates shift with it).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo

from repostguard.importers._vk import MONTHS

_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_TIME = r"(?:(?:в|at|,)\s*)?(?P<H>\d{1,2}):(?P<M>\d{2})"
#: ``14:05``, ``сегодня 14:05``, ``вчера в 14:05``, ``yesterday 14:05``
RELATIVE_RE = re.compile(r"^(?:(?P<day>сегодня|вчера|позавчера|today|yesterday)\s*)?" + _TIME + r"$", re.IGNORECASE)
#: ``12 мар``, ``12 мар 14:05``, ``3 янв 2019``, ``3 янв 2019 в 10:00``
DAY_RE = re.compile(
    r"^(?P<d>\d{1,2})\s+(?P<mon>" + _MONTH_ALT + r")\.?(?:\s+(?P<y>\d{4})(?:\s*г\.?)?)?(?:\s*" + _TIME + r")?$",
    re.IGNORECASE,
)
_DAYS_BACK = {"сегодня": 0, "today": 0, "вчера": 1, "yesterday": 1, "позавчера": 2}


def parse_page_date(text: str, saved: datetime | None, tz: tzinfo) -> tuple[str | None, bool]:
    """``(ISO 8601 in tz, relative?)`` for a date as the page shows it; ``(None, False)`` when it is
    not one of the known forms, or when it is relative and the save time ``saved`` is unknown.

    A day without a year is the latest such day not after the save time (a post of «28 дек» on a
    page saved on 3 January is from the year before)."""
    s = " ".join(text.replace("\xa0", " ").split()).strip().rstrip(".")
    if not s or len(s) > 40:
        return None, False
    local = saved.astimezone(tz) if saved is not None else None
    m = RELATIVE_RE.match(s)
    if m:
        if local is None:
            return None, False
        back = _DAYS_BACK.get((m.group("day") or "сегодня").lower(), 0)
        day = (local - timedelta(days=back)).date()
        return _moment(day.year, day.month, day.day, m.group("H"), m.group("M"), tz), True
    m = DAY_RE.match(s)
    if not m:
        return None, False
    mon = MONTHS.get(m.group("mon").lower())
    if mon is None:
        return None, False
    if m.group("y"):
        return _moment(int(m.group("y")), mon, int(m.group("d")), m.group("H"), m.group("M"), tz), False
    if local is None:
        return None, False
    for year in (local.year, local.year - 1):
        iso = _moment(year, mon, int(m.group("d")), m.group("H"), m.group("M"), tz)
        if iso is not None and datetime.fromisoformat(iso) <= local + timedelta(days=1):
            return iso, True
    return None, False


def _moment(year: int, month: int, day: int, hour: str | None, minute: str | None, tz: tzinfo) -> str | None:
    try:
        return datetime(year, month, day, int(hour or 0), int(minute or 0), tzinfo=tz).isoformat()
    except ValueError:
        return None


def parse_iso(text: str, tz: tzinfo) -> tuple[str | None, bool]:
    """``(ISO 8601, zone assumed?)`` for a machine-readable date (``meta[itemprop=datePublished]``,
    ``time[datetime]``): kept with its own offset, or read in ``tz`` when it has none."""
    s = text.strip()
    if not re.match(r"^\d{4}-\d{2}-\d{2}", s):
        return None, False
    try:
        dt = datetime.fromisoformat(s.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None, False
    if dt.tzinfo is None:
        return dt.replace(tzinfo=tz).isoformat(), True
    return dt.isoformat(), False


def saved_at(timestamp: float | None, tz: tzinfo) -> datetime | None:
    """The save time of a page file (its modification time, Unix seconds) in the person's zone."""
    if timestamp is None:
        return None
    try:
        return datetime.fromtimestamp(timestamp, tz)
    except (OverflowError, OSError, ValueError):
        return None


def zip_saved_at(date_time: tuple[int, int, int, int, int, int], tz: tzinfo) -> datetime | None:
    """The save time of a page inside a ZIP: the member's date, which ZIP keeps without a zone (read
    in the person's zone, as the person's computer wrote it)."""
    try:
        return datetime(*date_time, tzinfo=tz)
    except (TypeError, ValueError):
        return None
