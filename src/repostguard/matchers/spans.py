"""Where a quote lies in a text: spans in the compact form mapped back to the text, the densest run of
shared chunks, word boundaries, quotation marks and the words that present a quote as something said.
Used by the FSM matcher (:mod:`.fsm`) to verify a candidate quote (:func:`align`)."""

from __future__ import annotations

import math
import re
from typing import Any

from rapidfuzz import fuzz

#: the least score of a whole quote's alignment, and of a part's (a truncated quote)
FULL_SCORE = 90.0
PART_SCORE = 92.0
#: the fewest letters of a truncated quote worth reporting
MIN_PART_LETTERS = 14


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


def align(qc: Any, t: Any, parts: bool = True) -> tuple[float, tuple[int, int], int, str] | None:
    """Align quote ``qc`` with text ``t`` (both compact; both str, or both bytes of the fast path); with
    ``parts`` False, only the whole quote (a title too short to be found truncated).

    Returns (score, span in t, letters of qc covered, "full" | "prefix" | "suffix") or None.
    """
    pos = t.find(qc)
    if pos >= 0:
        return 100.0, (pos, pos + len(qc)), len(qc), "full"
    if len(qc) <= len(t):
        r = fuzz.partial_ratio_alignment(qc, t, score_cutoff=FULL_SCORE)
        if r is not None and plausible(qc, t[r.dest_start : r.dest_end]):
            return r.score, (r.dest_start, r.dest_end), len(qc), "full"
    elif len(t) >= 0.85 * len(qc):
        score = fuzz.ratio(qc, t, score_cutoff=FULL_SCORE)
        if score:
            return score, (0, len(t)), len(qc), "full"  # the whole text is the quote, a letter short
    if not parts:
        return None
    # a truncated quote: its longest prefix or suffix that the text holds. If the shortest part
    # worth reporting does not align, no longer one will; otherwise grow it by bisection.
    need = max(MIN_PART_LETTERS, math.ceil(len(qc) * 0.5)) if len(qc) < 80 else 40
    top = min(len(qc) - 1, len(t))
    best: tuple[float, tuple[int, int], int, str] | None = None
    for kind in ("prefix", "suffix"):
        if top < need:
            break
        r = _part(qc, t, need, kind)
        if r is None:
            continue
        lo, hi, found = need, top, r
        while lo < hi:
            mid = (lo + hi + 1) // 2
            r2 = _part(qc, t, mid, kind)
            if r2 is not None:
                lo, found = mid, r2
            else:
                hi = mid - 1
        if best is None or lo > best[2]:
            best = (found.score, (found.dest_start, found.dest_end), lo, kind)
    return best

def _part(qc: Any, t: Any, k: int, kind: str) -> Any:
    """The alignment of ``qc``'s first (or last) ``k`` letters in ``t``, or None."""
    part = qc[:k] if kind == "prefix" else qc[-k:]
    r = fuzz.partial_ratio_alignment(part, t, score_cutoff=PART_SCORE)
    if r is not None and plausible(part, t[r.dest_start : r.dest_end]):
        return r
    return None
