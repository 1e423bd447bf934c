"""Text normalisation shared by every text matcher, robust to the disguises people use.

Two forms are used:

* :func:`norm` — NFKC, lower case, ``ё``→``е``, zero-width and soft-hyphen characters removed,
  Latin look-alike letters mapped to their Cyrillic twins (``a c e o p x y k m t h b``), every run
  of punctuation, symbols and white space collapsed to one space. It is applied the same way to
  list entries and to posts, so the mapping of look-alikes is consistent on both sides.
* :func:`compact` — :func:`norm` without spaces, for character-level comparison that does not
  care about extra spaces, line breaks, hyphens or punctuation.

:func:`compact_with_map` also returns, for each character of the compact form, its offset in the
original text, so evidence can be highlighted where the person wrote it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ZERO_WIDTH = "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e\u034f"
_LOOKALIKE_LATIN = "acеopxykmthb"  # (the 'е' here is Latin e below; kept readable in the table)
#: the characters :func:`norm` deletes (so the letters either side of one meet)
DELETED = _ZERO_WIDTH
_TABLE: dict[int, int | str | None] = {ord(c): None for c in _ZERO_WIDTH}
_TABLE.update(
    {
        ord("a"): "а",
        ord("c"): "с",
        ord("e"): "е",
        ord("o"): "о",
        ord("p"): "р",
        ord("x"): "х",
        ord("y"): "у",
        ord("k"): "к",
        ord("m"): "м",
        ord("t"): "т",
        ord("h"): "н",
        ord("b"): "в",
        ord("ё"): "е",
        ord("_"): " ",
    }
)
#: file extensions people and clerks leave on titles ("Песня.mp3"); dropped on both sides
FILE_EXT = re.compile(r"\.(?:mp4|avi|flv|wmv|mp3|3gp|mov|mkv|webm|wav|m4a|ogg|jpe?g|png|gif|docx?|pdf|txt|rtf)\b",
                      re.IGNORECASE)


_NEEDS_TABLE = re.compile("[" + "".join(chr(k) for k in _TABLE if chr(k) != "ё") + "]")


def _fold(low: str) -> str:
    """Apply the table to lower-cased text; most Russian text needs only ``ё``→``е`` (a fast C replace)."""
    if _NEEDS_TABLE.search(low):
        return low.translate(_TABLE)
    return low.replace("ё", "е")


_WORD = re.compile(r"[^\W_]+")


def norm_words(text: str) -> tuple[str, ...]:
    """The normalised words of ``text`` (what :func:`norm` joins with spaces)."""
    if not text:
        return ()
    if "." in text:
        text = FILE_EXT.sub(" ", text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return tuple(_WORD.findall(_fold(text.lower())))


def norm(text: str) -> str:
    """Normalised words of ``text`` separated by single spaces."""
    return " ".join(norm_words(text))


#: :func:`norm_words` of the last texts: every matcher of a scan reads the same batch of items in turn
norm_words_cached = lru_cache(maxsize=2048)(norm_words)


def norm_cached(text: str) -> str:
    """:func:`norm` through the cache of :func:`norm_words_cached`."""
    return " ".join(norm_words_cached(text))


def compact_cached(text: str) -> str:
    """:func:`compact` through the cache of :func:`norm_words_cached`."""
    return "".join(norm_words_cached(text))


def compact(text: str) -> str:
    """:func:`norm` without any spaces."""
    return "".join(norm_words(text))


#: the one-byte encoding of the fast path (Cyrillic, Latin, digits: everything a Russian post mostly holds)
FAST_CODEC = "cp1251"


def fast_encodes(text: str) -> bool:
    """Whether :data:`FAST_CODEC` holds every character of ``text``."""
    try:
        text.encode(FAST_CODEC)
    except UnicodeEncodeError:
        return False
    return True


def _byte_tables() -> tuple[bytes, bytes]:
    """A bytes.translate table doing, byte by byte, what :func:`norm` does char by char: lower case,
    the fold table, every non-letter-or-digit to a space; and the bytes :func:`norm` deletes."""
    table = bytearray(range(256))
    delete = bytearray()
    for b in range(256):
        try:
            ch = bytes([b]).decode(FAST_CODEC)
        except UnicodeDecodeError:
            table[b] = 32
            continue
        low = ch.lower()
        if len(low) != 1:
            table[b] = 32
            continue
        mapped = _TABLE.get(ord(low), low)
        if mapped is None:
            delete.append(b)
            continue
        mapped = mapped if isinstance(mapped, str) else chr(mapped)
        table[b] = mapped.encode(FAST_CODEC)[0] if mapped.isalnum() else 32
    return bytes(table), bytes(delete)


_BYTE_TABLE, _BYTE_DELETE = _byte_tables()


def norm_bytes(text: str) -> bytes | None:
    """:func:`norm` of ``text`` encoded in :data:`FAST_CODEC`, computed in C, or None when ``text``
    needs the full path (a character outside the encoding, NFKC changes, a file extension).

    The words are separated by runs of spaces (``.split()`` gives them); equal, for every text it
    accepts, to ``norm(text).encode(FAST_CODEC).split()``.
    """
    if "." in text and FILE_EXT.search(text):
        return None
    if not unicodedata.is_normalized("NFKC", text):
        return None
    try:
        raw = text.encode(FAST_CODEC)
    except UnicodeEncodeError:
        return None
    return raw.translate(_BYTE_TABLE, _BYTE_DELETE)


#: :func:`norm_bytes` of the last texts, shared by the matchers that read a batch of items in turn
norm_bytes_cached = lru_cache(maxsize=2048)(norm_bytes)


_KEEP_LEN = {k: (v if isinstance(v, str) and len(v) == 1 else "\x00") for k, v in _TABLE.items()}
_ALNUM = re.compile(r"[^\W_]")


def compact_with_map(text: str) -> tuple[str, list[int]]:
    """The compact form of ``text`` and, for each of its characters, the offset in ``text``.

    Used only on items that matched, to highlight the evidence where the person wrote it.
    """
    masked = FILE_EXT.sub(lambda m: " " * len(m.group(0)), text) if "." in text else text
    t = unicodedata.normalize("NFKC", masked)
    if len(t) == len(masked):
        low = t.lower()
        if len(low) == len(t):
            low = low.translate(_KEEP_LEN)
            found = [(m.start(), m.group(0)) for m in _ALNUM.finditer(low)]
            return "".join(c for _, c in found), [i for i, _ in found]
    out: list[str] = []  # rare: characters whose normal form has another length
    offsets: list[int] = []
    for i, ch in enumerate(masked):
        piece = unicodedata.normalize("NFKC", ch).lower().translate(_TABLE)
        for c in piece:
            if c.isalnum():
                out.append(c)
                offsets.append(i)
    return "".join(out), offsets


def original_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Map a ``[start, end)`` span of ``compact(text)`` back to a span of ``text``."""
    comp, offsets = compact_with_map(text)
    if not offsets:
        return (0, 0)
    start = max(0, min(start, len(offsets) - 1))
    end = max(start + 1, min(end, len(offsets)))
    return (offsets[start], offsets[end - 1] + 1)
