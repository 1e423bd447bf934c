"""Dates as a phone screen shows them, and when a screenshot was taken.

:func:`screen_date` reads a post's date from a line of a screenshot («14 мар 2019 в 20:02»,
«14 марта в 20:02», «вчера в 18:30», «сегодня», «5 часов назад», «2 дня назад», «3 нед.»,
«12.03.2019»), resolving the forms without a year or relative to now against the moment the
screenshot was taken, in that moment's time zone. :func:`time_from_name` reads that moment from
the file names phones and desktops give screenshots (``Screenshot_20240314-200215.png``,
``Screenshot_2024-03-14-20-02-15-123_com.vkontakte.android.jpg``, ``IMG_20240314_200215.jpg``,
«Снимок экрана 2024-03-14 в 20.02.15.png»).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from repostguard.importers._vk import MONTHS

#: the earliest date a post can have (the networks' start); anything earlier is a misreading
EARLIEST = datetime(2004, 1, 1)
_MON = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_TIME = r"(?:\s*(?:в|at|,)?\s*(?P<H>[012]?\d)[:.](?P<M>[0-5]\d))?"
#: «14 мар 2019 в 20:02», «14 марта в 20:02», «14 March 2019»
_DAY_MONTH = re.compile(
    rf"(?<![\w.])(?P<d>[0-3]?\d)\s+(?P<mon>{_MON})\.?(?:\s+(?P<y>(?:19|20)\d\d)(?:\s*г\.?)?)?{_TIME}(?!\w)", re.I)
#: «March 14, 2019»
_MONTH_DAY = re.compile(rf"(?<!\w)(?P<mon>{_MON})\.?\s+(?P<d>[0-3]?\d),?\s+(?P<y>(?:19|20)\d\d){_TIME}(?!\w)", re.I)
#: «12.03.2019», «12.03.19 в 20:02»
_NUMERIC = re.compile(r"(?<![\d.])(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>(?:19|20)?\d\d)(?![\d.]\d)" + _TIME, re.I)
#: «вчера в 18:30», «сегодня», «позавчера»
_DAY_WORD = re.compile(r"(?<!\w)(?P<w>сегодня|вчера|позавчера|today|yesterday)(?!\w)" + _TIME, re.I)
_UNITS = {
    "мин": "minutes", "минут": "minutes", "минуту": "minutes", "минуты": "minutes", "m": "minutes", "min": "minutes",
    "minute": "minutes", "minutes": "minutes", "mins": "minutes",
    "ч": "hours", "час": "hours", "часа": "hours", "часов": "hours", "h": "hours", "hour": "hours",
    "hours": "hours", "hr": "hours", "hrs": "hours",
    "д": "days", "дн": "days", "день": "days", "дня": "days", "дней": "days", "d": "days", "day": "days",
    "days": "days",
    "нед": "weeks", "неделю": "weeks", "недели": "weeks", "недель": "weeks", "w": "weeks", "week": "weeks",
    "weeks": "weeks",
    "мес": "months", "месяц": "months", "месяца": "months", "месяцев": "months", "month": "months",
    "months": "months",
    "г": "years", "год": "years", "года": "years", "лет": "years", "y": "years", "year": "years", "years": "years",
}
_UNIT_ALT = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
#: «5 часов назад», «2 дня назад», «3 нед.», «час назад», «2 days ago»
_RELATIVE = re.compile(
    rf"(?<![\w:.])(?:(?P<n>\d{{1,3}})\s*)?(?P<u>{_UNIT_ALT})(?P<dot>\.)?(?:\s+(?P<ago>назад|ago))?(?!\w)", re.I)
#: how long each unit is (months and years roughly: the screen says no more)
_SPAN = {"minutes": timedelta(minutes=1), "hours": timedelta(hours=1), "days": timedelta(days=1),
         "weeks": timedelta(weeks=1), "months": timedelta(days=30), "years": timedelta(days=365)}
#: how precise a date read from the screen is
PRECISION = {"minutes": "minute", "hours": "hour", "days": "day", "weeks": "week", "months": "month",
             "years": "year"}


#: letters OCR reads for digits next to digits or before a unit («З нед» for «3 нед.», «1О.03.2019»)
_ZERO = re.compile(r"(?<=\d)[OoОо]|[OoОо](?=\d)")
_THREE = re.compile(rf"(?<!\w)[Зз](?=\s*(?:{_UNIT_ALT})\b)", re.I)


def _digits(text: str) -> str:
    """``text`` with the letters OCR takes for digits put back where a digit must be."""
    return _THREE.sub("3", _ZERO.sub("0", text))


@dataclass(frozen=True)
class ScreenDate:
    """A date read from the screen: the moment (with the capture's zone), how precise it is
    (``minute``, ``hour``, ``day``, ``week``, ``month``, ``year``), and the words it was read from."""

    when: datetime
    precision: str
    text: str
    relative: bool
    #: where the date is in the line read (the same positions in the line as given)
    span: tuple[int, int] = (0, 0)


def _aware(captured: datetime) -> datetime:
    if captured.tzinfo is None:
        raise ValueError("the capture time needs its time zone")
    return captured


def _sane(dt: datetime, captured: datetime) -> bool:
    return EARLIEST.replace(tzinfo=captured.tzinfo) <= dt <= captured + timedelta(days=1)


def _at(y: int, mo: int, d: int, h: int | None, mi: int | None, tz: tzinfo | None) -> datetime | None:
    try:
        return datetime(y, mo, d, h or 0, mi or 0, tzinfo=tz)
    except ValueError:
        return None


def _hm(m: re.Match[str]) -> tuple[int | None, int | None]:
    if m.group("H") is None:
        return None, None
    h = int(m.group("H"))
    return (h, int(m.group("M"))) if h < 24 else (None, None)


def _calendar(m: re.Match[str], mo: int, captured: datetime) -> ScreenDate | None:
    h, mi = _hm(m)
    year = m.group("y")
    if year is not None:
        y = int(year)
        y = y + 2000 if y < 100 else y
        dt = _at(y, mo, int(m.group("d")), h, mi, captured.tzinfo)
    else:  # no year: this year's, unless that is after the capture (then last year's)
        dt = _at(captured.year, mo, int(m.group("d")), h, mi, captured.tzinfo)
        if dt is not None and dt > captured + timedelta(days=1):
            dt = _at(captured.year - 1, mo, int(m.group("d")), h, mi, captured.tzinfo)
    if dt is None or not _sane(dt, captured):
        return None
    return ScreenDate(dt, "minute" if h is not None else "day", m.group(0).strip(), relative=year is None,
                      span=m.span())


def screen_date(line: str, captured: datetime) -> ScreenDate | None:
    """The first date ``line`` shows, resolved against ``captured`` (aware); None when there is none.

    Never raises for any text; the date returned carries ``captured``'s zone and lies between 2004
    and a day after the capture.
    """
    captured = _aware(captured)
    text = _digits(line[:300])
    m = _DAY_MONTH.search(text) or _MONTH_DAY.search(text)
    if m is not None:
        found = _calendar(m, MONTHS[m.group("mon").lower()], captured)
        if found is not None:
            return found
    m = _NUMERIC.search(text)
    if m is not None and 1 <= int(m.group("m")) <= 12:
        found = _calendar(m, int(m.group("m")), captured)
        if found is not None:
            return found
    m = _DAY_WORD.search(text)
    if m is not None:
        back = {"сегодня": 0, "today": 0, "вчера": 1, "yesterday": 1, "позавчера": 2}[m.group("w").lower()]
        day = captured - timedelta(days=back)
        h, mi = _hm(m)
        dt = day.replace(hour=h, minute=mi or 0, second=0, microsecond=0) if h is not None else \
            day.replace(hour=0, minute=0, second=0, microsecond=0)
        if _sane(dt, captured):
            return ScreenDate(dt, "minute" if h is not None else "day", m.group(0).strip(), relative=True,
                              span=m.span())
    for m in _RELATIVE.finditer(text):
        unit = _UNITS[m.group("u").lower()]
        bare = m.group("n") is None
        if bare and not m.group("ago"):
            continue  # «час» alone is a word, «час назад» a date
        if not (m.group("ago") or m.group("dot") or len(m.group("u")) <= 3):
            continue  # «5 часов» without «назад» is not a date
        n = 1 if bare else int(m.group("n"))
        dt = captured - n * _SPAN[unit]
        if unit in ("days", "weeks", "months", "years"):
            dt = dt.replace(second=0, microsecond=0)
        if _sane(dt, captured):
            return ScreenDate(dt, PRECISION[unit], m.group(0).strip(), relative=True, span=m.span())
    return None


#: file names that carry the moment of capture: (pattern, its groups are Y m d H M S)
_NAME_PATTERNS = [
    # Screenshot_20240314-200215.png, Screenshot_20240314_200215_VK.jpg, IMG_20240314_200215.jpg
    re.compile(r"(?P<Y>20\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)[-_ T]?(?P<H>[0-2]\d)(?P<M>[0-5]\d)(?P<S>[0-5]\d)"),
    # Screenshot_2024-03-14-20-02-15-123_com.vkontakte.android.jpg, «Снимок экрана 2024-03-14 в 20.02.15.png»,
    # Screenshot 2024-03-14 at 20.02.15.png
    re.compile(r"(?P<Y>20\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:[-_ T]|\s+(?:в|at)\s+)"
               r"(?P<H>[0-2]?\d)[-.:](?P<M>[0-5]\d)[-.:](?P<S>[0-5]\d)"),
]


def time_from_name(name: str, tz: tzinfo) -> datetime | None:
    """The moment of capture a screenshot's file name gives, in ``tz`` (the phone's zone, assumed)."""
    base = name.rsplit("/", 1)[-1]
    for rx in _NAME_PATTERNS:
        m = rx.search(base)
        if m is None:
            continue
        try:
            y, mo, d, h, mi, sec = (int(m.group(g)) for g in ("Y", "m", "d", "H", "M", "S"))
            dt = datetime(y, mo, d, h, mi, sec, tzinfo=tz)
        except ValueError:
            continue
        if "PM" in base[m.end():m.end() + 4].upper() and dt.hour < 12:
            dt += timedelta(hours=12)  # «Screenshot 2024-03-14 at 8.02.15 PM.png»
        return dt
    return None
