"""Where a quote lies in a text: spans in the compact form mapped back to the text, the densest run of
shared chunks, word boundaries, quotation marks and the words that present a quote as something said.
Used by the FSM matcher (:mod:`.fsm`) to verify a candidate quote."""

from __future__ import annotations

import re


def text_span(offsets: list[int], start: int, end: int) -> tuple[int, int]:
    """A span of the compact text as a span of the original text."""
    if not offsets:
        return (0, 0)
    start = max(0, min(start, len(offsets) - 1))
    end = max(start + 1, min(end, len(offsets)))
    return offsets[start], offsets[end - 1] + 1


def densest(hits: list[tuple[int, int]], width: int, need: int) -> tuple[int, int] | None:
    """The first window of ``width`` letters holding ``need`` distinct chunks, as (first end, last end)."""
    j = 0
    for i in range(len(hits)):
        while hits[i][0] - hits[j][0] > width:
            j += 1
        if len({c for _, c in hits[j : i + 1]}) >= need:
            # extend to every hit of this passage
            k = i
            while k + 1 < len(hits) and hits[k + 1][0] - hits[j][0] <= width:
                k += 1
            return hits[j][0], hits[k][0]
    return None



def content_words_covered(ws: tuple[str, ...], letters: int, part: str) -> int:
    """How many words of 3+ letters lie wholly within the first (or last) ``letters`` letters."""
    seq = ws if part == "prefix" else tuple(reversed(ws))
    n = used = 0
    for w in seq:
        used += len(w)
        if used > letters:
            break
        n += len(w) >= 3
    return n


OPENING_QUOTES = "«\"“„'"
CLOSING_QUOTES = "»\"”“'"
#: words that present what follows as something said: a proverb quoted as one
SPEECH = re.compile(r"(говор|сказа|гласит|пословиц|поговорк|присказк|выражени|как известно|учил|учит)",
                     re.IGNORECASE)


def set_off(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` stands in quotation marks (closing punctuation allowed inside)."""
    before = text[:start].rstrip()
    after = text[end:].lstrip(" .,!?…")
    return bool(before) and before[-1] in OPENING_QUOTES and bool(after) and after[0] in CLOSING_QUOTES


def script_of(ch: str) -> str:
    return "cyr" if "\u0400" <= ch <= "\u04ff" else ("lat" if ch.isascii() else "other")


def mid_word(text: str, i: int) -> bool:
    """Whether position ``i`` of ``text`` falls inside a word (letters of one script on both sides)."""
    return 0 < i < len(text) and text[i - 1].isalpha() and text[i].isalpha() and (
        script_of(text[i - 1]) == script_of(text[i]))


def word_bounds(text: str, start: int, end: int, inward: bool = False) -> tuple[int, int]:
    """``start``..``end`` widened to whole words (``inward``: narrowed to the whole words inside)."""
    while mid_word(text, start) and start < end:
        start += 1 if inward else -1
    while mid_word(text, end) and end > start:
        end -= 1 if inward else -1
    return start, end


def letter_follows(text: str, end: int) -> bool:
    rest = text[end:].lstrip()
    return bool(rest) and rest[0].isalnum()


def letter_precedes(text: str, start: int) -> bool:
    head = text[:start].rstrip()
    return bool(head) and head[-1].isalnum()


def overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def plausible(q: str | bytes, window: str | bytes) -> bool:
    """Reject alignments whose window is much shorter than the quote (partial_ratio allows that)."""
    return len(window) >= 0.85 * len(q)
