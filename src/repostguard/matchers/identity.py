"""Identity exposure: what in a profile ties the account to the person.

For every item of kind ``profile`` (any platform) :class:`IdentityMatcher` yields one finding per
exposed identity fact: phone number, e-mail, full name, birth date, city (current and home town)
and linked accounts (Skype, Twitter, Instagram, Facebook, LiveJournal, Telegram, a website). These
are not findings against a list of banned materials: their level is ``exposure`` and they tell
the person what a platform can hand over about them on request.

Where the facts come from, in order:

1. attachments of type ``profile_field`` whose ``extra["field"]`` names the fact (the VK archive
   importer writes the profile this way; other importers are encouraged to do the same);
2. ``Label: value`` lines of the profile's text, with labels in Russian or English, or as export
   keys such as ``phone_number``, ``first_name``/``last_name``, ``username``;
3. any e-mail address or phone number elsewhere in the profile's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from repostguard.matchers.gate import GateTerms
from repostguard.model import Evidence, Finding, Item

BANK = "identity"
VERSION = "1"

#: canonical fact names → labels that name them (lower case; RU, EN and export keys)
LABELS: dict[str, tuple[str, ...]] = {
    "full_name": ("full_name", "полное имя", "full name", "имя и фамилия", "name", "имя", "display_name"),
    "first_name": ("first_name", "first name", "имя (first name)"),
    "last_name": ("last_name", "last name", "фамилия", "surname"),
    "birth_date": (
        "birth_date",
        "дата рождения",
        "date of birth",
        "birthday",
        "birth date",
        "день рождения",
        "bdate",
    ),
    "phone": (
        "phone",
        "phone_number",
        "номер телефона",
        "телефон",
        "мобильный телефон",
        "phone number",
        "mobile phone",
        "mobile",
        "mobile_phone",
    ),
    "phone_extra": (
        "phone_extra",
        "дополнительный телефон",
        "домашний телефон",
        "additional phone",
        "home phone",
        "home_phone",
        "публичный телефон",
    ),
    "email": ("email", "e-mail", "электронная почта", "почта", "email address", "emails"),
    "city": ("city", "город", "current city", "current_city", "location", "местоположение"),
    "home_town": ("home_town", "родной город", "home town", "hometown"),
    "skype": ("skype", "логин в skype"),
    "twitter": ("twitter",),
    "instagram": ("instagram",),
    "facebook": ("facebook",),
    "livejournal": ("livejournal", "живой журнал"),
    "telegram": ("telegram",),
    "website": ("website", "сайт", "личный сайт", "web site", "url"),
    "screen_name": (
        "screen_name",
        "короткий адрес",
        "адрес страницы",
        "username",
        "screen name",
        "имя пользователя",
    ),
}
_BY_LABEL = {label: fact for fact, labels in LABELS.items() for label in labels}
LINKED = ("skype", "twitter", "instagram", "facebook", "livejournal", "telegram", "website", "screen_name")

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE_RE = re.compile(r"(?<![\w+])(?:\+7|8|\+\d{1,3})[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?!\d)")


@dataclass(frozen=True)
class _Fact:
    entry: str
    value: str
    field: str


_EXPLAIN: dict[str, tuple[str, str]] = {
    "phone": (
        "Номер телефона «{v}» привязан к аккаунту: платформа может передать его по запросу, а оператор "
        "связи — назвать владельца номера.",
        "The phone number “{v}” is tied to the account: the platform can hand it over on request, and the "
        "mobile operator can name the number's owner.",
    ),
    "email": (
        "Адрес почты «{v}» привязан к аккаунту: платформа может передать его по запросу, а почтовый сервис — "
        "данные владельца ящика.",
        "The e-mail address “{v}” is tied to the account: the platform can hand it over on request, and the "
        "mail provider can reveal the mailbox owner's details.",
    ),
    "full_name": (
        "Полное имя «{v}» в профиле прямо связывает аккаунт с вами.",
        "The full name “{v}” in the profile ties the account directly to you.",
    ),
    "birth_date": (
        "Дата рождения «{v}» вместе с именем позволяет однозначно установить личность.",
        "The birth date “{v}”, together with the name, is enough to identify you.",
    ),
    "city": (
        "Город «{v}» в профиле сужает круг поиска и указывает, где вас искать.",
        "The city “{v}” in the profile narrows the search and says where to find you.",
    ),
    "home_town": (
        "Родной город «{v}» в профиле помогает установить личность.",
        "The home town “{v}” in the profile helps to identify you.",
    ),
    "linked": (
        "Связанный аккаунт ({k}: «{v}») связывает этот профиль с другими вашими страницами.",
        "The linked account ({k}: “{v}”) ties this profile to your other pages.",
    ),
}


class IdentityMatcher:
    """Lists the identity facts a profile item exposes, as findings of level ``exposure``."""

    bank = BANK
    version = VERSION
    list_version = VERSION

    def facts(self, item: Item) -> list[_Fact]:
        """The identity facts of a profile item (empty for any other kind)."""
        if item.kind != "profile":
            return []
        raw: list[tuple[str, str, str]] = []  # (fact, value, field)
        for i, a in enumerate(item.attachments):
            fld = (a.extra or {}).get("field")
            if a.type == "profile_field" and isinstance(fld, str) and a.title:
                fact = _BY_LABEL.get(fld.lower(), fld.lower())
                raw.append((fact, a.title.strip(), f"attachments[{i}].title"))
        if not raw:
            for line in (item.text or "").split("\n"):
                label, sep, value = line.partition(":")
                if not sep or not value.strip():
                    continue
                known = _BY_LABEL.get(label.strip().lower())
                if known:
                    raw.append((known, value.strip(), "text"))
        out: list[_Fact] = []
        seen: set[str] = set()

        def add(entry: str, value: str, fld: str) -> None:
            key = entry
            n = 2
            while key in seen:
                key = f"{entry}:{n}"
                n += 1
            seen.add(key)
            out.append(_Fact(key, value, fld))

        first = next(((v, f) for k, v, f in raw if k == "first_name"), None)
        last = next(((v, f) for k, v, f in raw if k == "last_name"), None)
        for fact, value, fld in raw:
            value = " ".join(value.split())
            if fact in ("phone", "phone_extra"):
                add("phone", value, fld)
            elif fact in ("email", "full_name", "birth_date", "city", "home_town"):
                add(fact, value, fld)
            elif fact in LINKED:
                add(f"linked_account:{fact}", value, fld)
        if "full_name" not in seen and (first or last):
            parts = [p for p in (first, last) if p is not None]
            add("full_name", " ".join(v for v, _ in parts), parts[0][1])
        values = {f.value for f in out}
        text = item.text or ""
        for rx, entry in ((EMAIL_RE, "email"), (PHONE_RE, "phone")):
            for m in rx.finditer(text):
                v = m.group(0)
                if not any(v in known or known in v for known in values):
                    values.add(v)
                    add(entry, v, "text")
        return out

    def gate_terms(self) -> GateTerms:
        """For the scan's text gate (:mod:`.gate`): only a profile has identity facts."""
        return GateTerms(kinds=("profile",))

    def match(self, item: Item, extra_texts: list[tuple[str, str]] | None = None) -> list[Finding]:
        """One ``exposure`` finding per identity fact of ``item`` (a profile); ``extra_texts`` is unused."""
        findings: list[Finding] = []
        for f in self.facts(item):
            base = f.entry.split(":", 1)[0]
            if base == "linked_account":
                kind = f.entry.split(":", 1)[1]
                ru, en = _EXPLAIN["linked"]
                ru, en = ru.format(k=kind, v=f.value), en.format(k=kind, v=f.value)
            else:
                ru, en = (s.format(v=f.value) for s in _EXPLAIN[base])
            span = None
            if f.field == "text":
                pos = (item.text or "").find(f.value)
                span = (pos, pos + len(f.value)) if pos >= 0 else None
            findings.append(
                Finding(
                    item_id=item.id,
                    item_ref=item.ref,
                    bank=BANK,
                    entry=f.entry,
                    level="exposure",
                    signal="profile",
                    score=1.0,
                    evidence=Evidence(field=f.field, text=f.value, span=span),
                    explanation_ru=ru,
                    explanation_en=en,
                    list_version=f"identity-{VERSION}",
                )
            )
        return findings


__all__ = ["IdentityMatcher", "BANK", "VERSION", "LABELS"]
