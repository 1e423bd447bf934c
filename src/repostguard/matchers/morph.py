"""Russian morphology and transliteration shared by the organisation and statement matchers.

* :func:`lemma` — the normal form of a Cyrillic word (pymorphy3, first parse), cached with an
  ``lru_cache`` (perf-baselines.md: 85–154k words/s cached); the analyser is loaded once, lazily.
* :func:`tokens` — the words of a text with their spans: Cyrillic words (including words disguised
  with Latin look-alike letters, via :func:`repostguard.matchers.normalize.norm`) become lemmas,
  pure Latin words become a transliteration *skeleton* (:func:`latin_skeleton`), so «Навальный»,
  «Навального» and ``Navalny``/``Navalnyi`` meet.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from repostguard.matchers.normalize import norm

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_CYR = re.compile(r"[а-яёіїєґ]", re.IGNORECASE)
_LAT = re.compile(r"[a-z]", re.IGNORECASE)
_MORPH: Any = None

_TRANSLIT = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "і": "i",
    "ї": "i",
    "є": "e",
    "ґ": "g",
}
_SKELETON = [
    ("shch", "sh"),
    ("sch", "sh"),
    ("kh", "h"),
    ("tz", "c"),
    ("ts", "c"),
    ("zh", "j"),
    ("ya", "ia"),
    ("yu", "iu"),
    ("yo", "io"),
    ("ja", "ia"),
    ("ju", "iu"),
    ("w", "v"),
    ("y", "i"),
    ("x", "ks"),
    ("q", "k"),
    ("ck", "k"),
]



def morph() -> Any:
    """The pymorphy3 analyser (loaded on first use, about 1 s)."""
    global _MORPH
    if _MORPH is None:
        import pymorphy3

        _MORPH = pymorphy3.MorphAnalyzer()
    return _MORPH


@lru_cache(maxsize=300_000)
def lemma(word: str) -> str:
    """Normal form of a lower-case Cyrillic word (the word itself when pymorphy does not know it)."""
    try:
        return str(morph().parse(word)[0].normal_form).replace("ё", "е")
    except Exception:  # noqa: BLE001 - morphology is best effort
        return word


@lru_cache(maxsize=100_000)
def is_dictionary_word(word: str) -> bool:
    """Whether pymorphy knows ``word`` as an ordinary word (not a name, a place or an organisation)."""
    p = morph().parse(word)[0]
    tags = str(p.tag)
    return bool(p.is_known) and not any(t in tags for t in ("Name", "Surn", "Patr", "Orgn", "Abbr", "Trad"))


#: parts of speech that carry meaning (pymorphy's OpenCorpora tags)
_LEXICAL = frozenset({"NOUN", "ADJF", "ADJS", "COMP", "VERB", "INFN", "PRTF", "PRTS", "GRND"})
#: pronoun-like words pymorphy reads as nouns or adjectives
_PRONOUNISH = frozenset({"себя", "свой", "весь", "всё", "все", "это", "этот", "тот", "такой", "какой", "который",
                         "сам", "самый", "быть", "мочь"})


def lexical_words(words: tuple[str, ...] | list[str]) -> int:
    """How many of the (normalised) ``words`` carry meaning: nouns, adjectives, verbs, participles (not
    pronouns, prepositions, conjunctions, particles, adverbs, numbers)."""
    n = 0
    for w in words:
        if not any(c.isalpha() for c in w):
            continue
        p = morph().parse(w)[0]
        if p.tag.POS in _LEXICAL and p.normal_form not in _PRONOUNISH:
            n += 1
        elif p.tag.POS is None and not p.is_known:
            n += 1  # an unknown word (a name, a foreign or rare word) carries meaning
    return n


@lru_cache(maxsize=100_000)
def is_given_name(word: str) -> bool:
    """Whether pymorphy's best reading of ``word`` is a person's first name (Айдар, Салават, Лена)."""
    return "Name" in str(morph().parse(word)[0].tag)


@lru_cache(maxsize=100_000)
def is_place(word: str) -> bool:
    return "Geox" in str(morph().parse(word)[0].tag)


def translit(text: str) -> str:
    """Cyrillic → Latin (a simple passport-like scheme); other characters are kept."""
    return "".join(_TRANSLIT.get(c, c) for c in text.lower())


@lru_cache(maxsize=100_000)
def latin_skeleton(word: str) -> str:
    """A Latin word reduced so the usual transliteration variants agree (kh/h, ts/tz/c, y/i, …)."""
    w = unicodedata.normalize("NFKD", word.lower())
    w = "".join(c for c in w if c.isascii() and c.isalnum())
    for a, b in _SKELETON:
        w = w.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", w)


@lru_cache(maxsize=300_000)
def word_key(word: str) -> str:
    """The matching key of one word as written: a lemma (Cyrillic) or a Latin skeleton."""
    if _CYR.search(word):
        n = norm(word).replace(" ", "-")
        return lemma(n) if "-" not in n else "-".join(lemma(p) for p in n.split("-"))
    if _LAT.search(word):
        return "~" + latin_skeleton(word)
    return word.lower()


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[tuple[str, int, int], ...]:
    """``(key, start, end)`` for every word of ``text`` (keys from :func:`word_key`).

    The last texts are cached, so the matchers of several lists share one tokenisation per item
    (the scan runs each matcher over a batch of 512 items in turn).
    """
    return tuple((word_key(m.group(0)), m.start(), m.end()) for m in _WORD.finditer(text))


def words_of(text: str) -> list[str]:
    """The words of ``text`` as written (same tokenisation as :func:`tokens`)."""
    return [m.group(0) for m in _WORD.finditer(text)]


__all__ = [
    "lemma",
    "tokens",
    "word_key",
    "words_of",
    "translit",
    "latin_skeleton",
    "is_dictionary_word",
    "is_place",
    "morph",
]
