"""Helpers shared by the two VK importers: dates, ids and URLs, VK text markup, time zones.

Dates in VK's «Архив данных» follow the account's interface language and carry no time zone
(see shared/docs/formats.md §1.3). :func:`parse_vk_date` reads every variant seen so far:
``25 дек 2024 в 8:15:45``, ``2 фев 2021 в 19:08``, ``2 Feb 2021 at 7:08 pm``,
``at 7:15:40 pm on 3 Nov 2014``, ``3 Nov 2014 at 7:15:40 pm``, with or without a trailing
``(ред.)``/``(edited)``, and returns an ISO 8601 string in the assumed zone.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from repostguard.errors import UserError
from repostguard.importers._jsonstream import utc_iso

DEFAULT_TZ = "Europe/Moscow"
TZ_ENV = "REPOSTGUARD_TZ"

MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    [
        ("янв", "января", "январь", "jan", "january"),
        ("фев", "февраля", "февраль", "feb", "february"),
        ("мар", "марта", "март", "mar", "march"),
        ("апр", "апреля", "апрель", "apr", "april"),
        ("мая", "май", "may"),
        ("июн", "июня", "июнь", "jun", "june"),
        ("июл", "июля", "июль", "jul", "july"),
        ("авг", "августа", "август", "aug", "august"),
        ("сен", "сент", "сентября", "сентябрь", "sep", "sept", "september"),
        ("окт", "октября", "октябрь", "oct", "october"),
        ("ноя", "нояб", "ноября", "ноябрь", "nov", "november"),
        ("дек", "декабря", "декабрь", "dec", "december"),
    ],
    1,
):
    for _n in _names:
        MONTHS[_n] = _i

_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_TIME = r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?:\s*(?P<ap>[ap])\.?\s?m\.?)?"
#: ``2 фев 2021 в 19:08``, ``3 Nov 2014 at 7:15:40 pm``, ``2 мая 2020`` (no time)
DATE_RE = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})\s+(?P<mon>" + _MONTH_ALT + r")\.?,?\s+(?P<y>\d{4})"
    r"(?:\s*(?:в|at|,)?\s*" + _TIME + r")?(?!\d)",
    re.IGNORECASE,
)
#: ``at 7:15:40 pm on 3 Nov 2014``
DATE_AT_ON_RE = re.compile(
    r"(?:at|в)\s+" + _TIME + r"\s+(?:on\s+)?(?P<d>\d{1,2})\s+(?P<mon>" + _MONTH_ALT + r")\.?\s+(?P<y>\d{4})",
    re.IGNORECASE,
)
EDITED_RE = re.compile(r"\((?:ред\.?|edited)\)", re.IGNORECASE)


class LiteralPattern:
    """A compiled pattern every match of which contains one of ``literals``: :meth:`search` runs
    the regex only when one of them is there.

    The optional ``https://`` and ``m.`` in front of the VK link patterns keep ``re`` from
    looking for a fixed prefix, so a miss tries a match at every position: 13 us for a
    180-character image URL (an attachment's link), against 0.1 us for the substring check.
    """

    __slots__ = ("literals", "regex")

    def __init__(self, literals: str | tuple[str, ...], pattern: str) -> None:
        self.literals = (literals,) if isinstance(literals, str) else literals
        self.regex = re.compile(pattern)

    def search(self, text: str) -> re.Match[str] | None:
        for literal in self.literals:
            if literal in text:
                return self.regex.search(text)
        return None


#: ``https://vk.com/wall-1_2`` (owner, post) and an optional ``?reply=N``
WALL_RE = LiteralPattern("vk.com/wall", r"(?:https?://)?(?:m\.)?vk\.com/wall(-?\d+)_(\d+)(?:\?reply=(\d+))?")
#: ``https://vk.com/photo1_2``, ``video-1_2``, ``audio1_2``, ``doc1_2``, ``wall1_2``
OBJECT_RE = LiteralPattern(
    "vk.com/",
    r"(?:https?://)?(?:m\.)?vk\.com/(wall|photo|video|audio|doc|topic|market|clip|note|product)(-?\d+)_(\d+)"
    r"(?:\?reply=(\d+))?",
)
#: a page (user or community): ``id1``, ``club1``, ``public1``, ``event1`` or a short name
PAGE_RE = LiteralPattern("vk.com/", r"(?:https?://)?(?:m\.)?vk\.com/(id|club|public|event)(\d+)/?$")
MARKUP_RE = re.compile(r"\[((?:id|club|public|event)\d+|[A-Za-z0-9_.]+)\|([^\]\[|]*)\]")


#: VK profile labels (RU and EN interface) → canonical field names read by the identity matcher
PROFILE_LABELS: dict[str, str] = {
    "полное имя": "full_name",
    "full name": "full_name",
    "имя": "full_name",
    "name": "full_name",
    "дата рождения": "birth_date",
    "date of birth": "birth_date",
    "birthday": "birth_date",
    "birth date": "birth_date",
    "день рождения": "birth_date",
    "номер телефона": "phone",
    "телефон": "phone",
    "мобильный телефон": "phone",
    "phone number": "phone",
    "phone": "phone",
    "mobile phone": "phone",
    "mobile": "phone",
    "дополнительный телефон": "phone_extra",
    "домашний телефон": "phone_extra",
    "additional phone": "phone_extra",
    "home phone": "phone_extra",
    "публичный телефон": "phone_extra",
    "электронная почта": "email",
    "e-mail": "email",
    "email": "email",
    "почта": "email",
    "email address": "email",
    "город": "city",
    "city": "city",
    "current city": "city",
    "родной город": "home_town",
    "home town": "home_town",
    "hometown": "home_town",
    "страна": "country",
    "country": "country",
    "дата регистрации": "registration_date",
    "registration date": "registration_date",
    "подключённое устройство": "device",
    "привязанное устройство": "device",
    "моб. телефон": "phone",
    "доп. телефон": "phone_extra",
    "подключенное устройство": "device",
    "connected device": "device",
    "место работы": "work",
    "работа": "work",
    "work": "work",
    "career": "work",
    "карьера": "work",
    "семейное положение": "relationship",
    "relationship status": "relationship",
    "военная служба": "military",
    "military service": "military",
    "школа": "school",
    "school": "school",
    "вуз": "university",
    "университет": "university",
    "university": "university",
    "образование": "university",
    "education": "university",
    "пол": "sex",
    "sex": "sex",
    "gender": "sex",
    "статус": "status",
    "status": "status",
    "сайт": "website",
    "личный сайт": "website",
    "website": "website",
    "web site": "website",
    "языки": "languages",
    "languages": "languages",
    "родственники": "relatives",
    "relatives": "relatives",
    "интересы": "interests",
    "interests": "interests",
    "о себе": "about",
    "about": "about",
    "about me": "about",
    "короткий адрес": "screen_name",
    "адрес страницы": "screen_name",
    "screen name": "screen_name",
    "skype": "skype",
    "логин в skype": "skype",
    "twitter": "twitter",
    "instagram": "instagram",
    "facebook": "facebook",
    "livejournal": "livejournal",
    "живой журнал": "livejournal",
    "telegram": "telegram",
}


def resolve_tz(name: str | None = None) -> tuple[tzinfo, str]:
    """The time zone to assume for VK dates: ``name``, else $REPOSTGUARD_TZ, else Moscow.

    Without the system's time-zone database, Moscow falls back to a fixed UTC+3 (Moscow's
    offset since October 2014); any other unknown name is a usage error.
    """
    tz_name = name or os.environ.get(TZ_ENV) or DEFAULT_TZ
    m = re.fullmatch(r"(?:UTC)?([+-])(\d{1,2})(?::?(\d{2}))?", tz_name)
    if m:
        delta = timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
        return timezone(delta if m.group(1) == "+" else -delta, tz_name), tz_name
    try:
        return ZoneInfo(tz_name), tz_name
    except (ZoneInfoNotFoundError, ValueError) as e:
        if tz_name == DEFAULT_TZ:
            return timezone(timedelta(hours=3), "MSK"), tz_name
        raise UserError("err_unknown_tz", var=TZ_ENV, tz=tz_name) from e


def _build(m: re.Match[str], tz: tzinfo) -> str | None:
    mon = MONTHS.get(m.group("mon").lower())
    if mon is None:
        return None
    hour = int(m.group("H")) if m.group("H") else 0
    minute = int(m.group("M")) if m.group("M") else 0
    sec = int(m.group("S")) if m.group("S") else 0
    ap = (m.group("ap") or "").lower()
    if ap:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ap == "p" else 0)
    try:
        dt = datetime(int(m.group("y")), mon, int(m.group("d")), hour, minute, sec, tzinfo=tz)
    except ValueError:
        return None
    return dt.isoformat()


def parse_vk_date(text: str, tz: tzinfo, last: bool = False) -> str | None:
    """The first (or ``last``) VK-style date in ``text`` as ISO 8601 in ``tz``, or None."""
    text = text.replace("\xa0", " ")
    found: list[tuple[int, int, str]] = []
    for rx in (DATE_AT_ON_RE, DATE_RE):
        for m in rx.finditer(text):
            iso = _build(m, tz)
            if iso:
                found.append((m.start(), m.end(), iso))
    # a bare date inside an "at H:M on D Mon Y" match is part of it, not a date of its own
    found = [
        f
        for f in found
        if not any(o is not f and o[0] <= f[0] and f[1] <= o[1] and o[1] - o[0] > f[1] - f[0] for o in found)
    ]
    if not found:
        return None
    found.sort()
    return found[-1][2] if last else found[0][2]


def unix_to_iso(ts: object) -> str | None:
    """A unix timestamp (seconds, UTC, a number: not a string) as ISO 8601 in UTC, or None if it is not one."""
    return None if isinstance(ts, str) else utc_iso(ts)


def wall_url(owner: int | str, post: int | str) -> str:
    return f"https://vk.com/wall{owner}_{post}"


def page_url(owner: int | str) -> str:
    """The page of a user (``id1``) or a community (``club1`` for owner id ``-1``)."""
    o = int(owner)
    return f"https://vk.com/id{o}" if o > 0 else f"https://vk.com/club{-o}"


def flatten_markup(text: str) -> str:
    """VK mention markup ``[id1|Name]`` / ``[club1|Name]`` flattened to ``Name``."""
    if "[" not in text:
        return text
    return MARKUP_RE.sub(lambda m: m.group(2) or m.group(1), text)


#: localized attachment labels (lower case, NBSP normalized) → attachment type
ATTACHMENT_LABELS: dict[str, str] = {
    "фотография": "photo",
    "photo": "photo",
    "фото": "photo",
    "видеозапись": "video",
    "video": "video",
    "видео": "video",
    "клип": "video",
    "clip": "video",
    "аудиозапись": "audio",
    "audio": "audio",
    "audio recording": "audio",
    "файл": "doc",
    "документ": "doc",
    "file": "doc",
    "document": "doc",
    "запись на стене": "wall",
    "wall post": "wall",
    "post": "wall",
    "запись": "wall",
    "комментарий на стене": "wall_reply",
    "wall comment": "wall_reply",
    "ссылка": "link",
    "link": "link",
    "опрос": "poll",
    "poll": "poll",
    "стикер": "sticker",
    "sticker": "sticker",
    "история": "story",
    "story": "story",
    "подарок": "gift",
    "gift": "gift",
    "карта": "geo",
    "map": "geo",
    "местоположение": "geo",
    "location": "geo",
    "статья": "article",
    "article": "article",
    "плейлист": "playlist",
    "playlist": "playlist",
    "альбом фотографий": "album",
    "photo album": "album",
    "альбом": "album",
    "album": "album",
    "товар": "market",
    "product": "market",
    "подкаст": "podcast",
    "podcast": "podcast",
    "граффити": "graffiti",
    "graffiti": "graffiti",
    "сообщение удалено": "deleted",
    "message deleted": "deleted",
    "звонок": "call",
    "call": "call",
    "голосовое сообщение": "audio_message",
    "voice message": "audio_message",
}
_FORWARDED_RE = re.compile(r"^\d+\s+(прикреплённ|прикрепленн|attached message)", re.IGNORECASE)


def attachment_type(label: str) -> str | None:
    """The attachment type for a localized description label, or None if unknown."""
    key = " ".join(label.replace("\xa0", " ").split()).strip().lower().rstrip(":")
    if key in ATTACHMENT_LABELS:
        return ATTACHMENT_LABELS[key]
    if _FORWARDED_RE.match(key):
        return "forwarded"
    return None
