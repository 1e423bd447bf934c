"""The interface's words: gettext catalogues (``locale/<lang>/LC_MESSAGES/<domain>.po``, read with Babel),
Russian first, English second, with each language's plural forms.

A message is named by a stable key (``msgid``), the same in both languages, so a page, the CLI and an
error name what they say without carrying the text. A message with plural forms (``msgid_plural``)
picks its form by the ``n`` it is given, by the ``Plural-Forms`` rule of its language's catalogue
(Russian has three: 1 запись, 3 записи, 5 записей). Label tables (the names of levels, kinds, lists,
signals…) are catalogue entries ``<table>.<value>``, read through :class:`Labels`.

The language is, in order: the one set for this command or request (:data:`LANG`, which the CLI's
``--lang`` and the page's cookie set), ``$REPOSTGUARD_LANG``, English when the system's locale is
English, else Russian.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any

LANGS = ("ru", "en")
DEFAULT_LANG = "ru"
LANG_ENV = "REPOSTGUARD_LANG"
#: the language set for this command or request ("" when none is)
LANG: ContextVar[str] = ContextVar("repostguard_lang", default="")
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

#: a message: its text, or its plural forms in the order of the language's Plural-Forms rule
Text = str | tuple[str, ...]


def system_lang() -> str:
    """``en`` when the system's locale names English (LC_ALL, LC_MESSAGES, LANG, LANGUAGE), else ``ru``."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return "en" if value.lower().startswith("en") else DEFAULT_LANG
    return DEFAULT_LANG


def current_lang() -> str:
    """The language to speak now (see the module's docstring)."""
    chosen = LANG.get()
    if chosen in LANGS:
        return chosen
    env = os.environ.get(LANG_ENV, "").strip().lower()[:2]
    if env in LANGS:
        return env
    return system_lang()


class Catalogue:
    """One language's messages (every domain's ``.po`` file merged) and its plural rule."""

    def __init__(self, lang: str, messages: dict[str, Text], plural: Any, domains: dict[str, str]) -> None:
        self.lang = lang
        self.messages = messages
        self.plural = plural  # n -> the index of the plural form
        #: which domain (file) each key comes from
        self.domains = domains

    def text(self, key: str, n: Any = None) -> str | None:
        msg = self.messages.get(key)
        if msg is None:
            return None
        if isinstance(msg, tuple):
            try:
                index = int(self.plural(abs(int(n)))) if n is not None else len(msg) - 1
            except (TypeError, ValueError):
                index = len(msg) - 1
            return msg[min(index, len(msg) - 1)]
        return msg


@lru_cache(maxsize=len(LANGS))
def catalogue(lang: str) -> Catalogue:
    """The catalogue of ``lang``, read once per process."""
    from babel.messages.pofile import read_po  # the catalogues' reader, loaded with the first message

    messages: dict[str, Text] = {}
    domains: dict[str, str] = {}
    plural: Any = gettext.c2py("(n != 1)")
    for po in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as fh:
            cat = read_po(fh, locale=lang, domain=po.stem)
        plural = gettext.c2py(cat.plural_expr)
        for msg in cat:
            if not msg.id:
                continue
            key = msg.id[0] if isinstance(msg.id, (tuple, list)) else msg.id
            if key in domains:
                raise RuntimeError(f"{po}: {key!r} is also in {domains[key]}.po")
            if isinstance(msg.string, (tuple, list)):
                forms = tuple(str(s) for s in msg.string)
                if any(forms):
                    messages[key] = forms
            elif msg.string:
                messages[key] = str(msg.string)
            domains[key] = po.stem
    return Catalogue(lang, messages, plural, domains)


def has(key: str) -> bool:
    """Whether ``key`` is in the catalogues."""
    return key in catalogue(DEFAULT_LANG).messages or key in catalogue("en").messages


def t(key: str, lang: str | None = None, **kw: Any) -> str:
    """The message ``key`` in ``lang`` (default :func:`current_lang`), its fields filled in from ``kw``;
    a message with plural forms takes the form for ``kw["n"]``. A key missing in the language falls back
    to Russian, then to the key itself."""
    lang = lang if lang in LANGS else current_lang()
    n = kw.get("n")
    text = catalogue(lang).text(key, n)
    if text is None and lang != DEFAULT_LANG:
        text = catalogue(DEFAULT_LANG).text(key, n)
    if text is None:
        text = key
    return text.format(**kw) if kw else text


class Labels:
    """A label table: the catalogue's entries ``<prefix>.<value>`` (e.g. ``levels.mention``)."""

    def __init__(self, prefix: str, extra: dict[str, dict[str, str]] | None = None) -> None:
        self.prefix = prefix
        #: labels that come from elsewhere than the catalogue (a list's own declared titles)
        self.extra = extra or {}

    def values(self) -> list[str]:
        """The values the table names, in the catalogue's order."""
        head = self.prefix + "."
        keys = [k[len(head):] for k in catalogue(DEFAULT_LANG).messages if k.startswith(head)]
        return keys + [k for k in self.extra if k not in keys]

    def __iter__(self) -> Iterator[str]:
        return iter(self.values())

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and (value in self.extra or has(f"{self.prefix}.{value}"))

    def label(self, value: str, lang: str | None = None) -> str | None:
        """The value's label in ``lang``, or None when the table does not name it."""
        lang = lang if lang in LANGS else current_lang()
        if value in self.extra:
            return self.extra[value].get(lang) or self.extra[value].get(DEFAULT_LANG)
        key = f"{self.prefix}.{value}"
        return t(key, lang) if has(key) else None


def header_key(table: Labels, name: str, values: tuple[str, ...] | list[str]) -> str:
    """Which of ``values`` a header cell ``name`` names, by the value itself or its label in either language
    (case and a byte-order mark ignored), or the cell lowercased: a file a person filled in, read back."""
    clean = name.strip().lstrip("\ufeff").casefold()
    for value in values:
        if clean == value or any(clean == (table.label(value, lang) or "").casefold() for lang in LANGS):
            return value
    return clean


def label(table: Labels, value: str | None, lang: str | None = None) -> str:
    """A value's label from a label table, or the value itself."""
    if value is None:
        return ""
    found = table.label(value, lang)
    return found if found is not None else value


__all__ = ["LANGS", "DEFAULT_LANG", "LANG", "LANG_ENV", "Catalogue", "Labels", "catalogue", "current_lang", "has",
           "header_key", "label", "system_lang", "t"]
