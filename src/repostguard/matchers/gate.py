"""The scan's text gate: one pass over a batch's normalised text tells which items each matcher other than
the FSM must read.

Every such matcher rules most items out with a cheap necessary condition of its own (the organisation lists'
anchors and the other word starts of a name, the statements' trigger word forms, the symbols' codes and
letters), but checking it costs each matcher a Python call and a look-up per item and text. The gate gathers
those conditions (:class:`GateTerms`, from each matcher's ``gate_terms()``) into one Aho-Corasick automaton
over normalised text, and searches a whole batch at once: the normalised bytes of every text of every item
(:func:`~repostguard.matchers.normalize.norm_bytes_cached`, which the FSM matcher has just computed), each
text padded with spaces, joined into one buffer. The occurrences found are mapped back to their items, and a
matcher reads an item only when every piece of one of its *groups* is there (or its regular expression, or an
item it always reads: pictures, texts outside the one-byte encoding). An item with no occurrence costs the
gate a few operations in C and no matcher a call.

The gate lets through every item on which a matcher can find something (its terms hold only what the
matcher's own prefilter and full match demand; tests check that the findings are those of the ungated
matchers), and a matcher still checks every item it is given exactly as before. Its index (the pieces and
groups, built from the matchers' terms) is kept between runs like the matchers' own (:mod:`.cache`); the
automata are built again at load (they cannot be pickled), in milliseconds.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, repeat
from operator import add, attrgetter, itemgetter
from pathlib import Path
from typing import Any, Protocol

import ahocorasick_rs

from repostguard.matchers.cache import cached
from repostguard.matchers.normalize import DELETED, FAST_CODEC, fast_encodes, norm_bytes_cached, norm_cached
from repostguard.matchers.wordfreq import prefix_count
from repostguard.model import Item

GATE_VERSION = "gate-1"
#: starts every item's part of the buffer (never in normalised text, nor a space to regular expressions)
ITEM_MARK = b" \x01 "
_DELETED = re.compile("[" + DELETED + "]")
_TEXT = attrgetter("text")
_PIECE, _START = itemgetter(0), itemgetter(1)
_KIND = attrgetter("kind")
#: between two texts of an item (never in normalised text)
TEXT_MARK = b" \n "


@dataclass(frozen=True)
class Group:
    """One necessary condition of a finding: every one of ``pieces`` is in an item's normalised texts
    (:func:`~repostguard.matchers.normalize.norm` form, each text searched with a space before and after
    it; the automaton finds the rarest piece, the others are looked for in the items where it is found)
    and, when ``written`` or ``normal`` is given, one of ``written`` is in its texts as written or one of
    ``normal`` in its normalised texts."""

    pieces: tuple[str, ...]
    written: tuple[str, ...] = ()
    normal: tuple[str, ...] = ()
    #: a regular expression over the item's normalised bytes (:data:`FAST_CODEC`) that must match too (not
    #: checked in the UTF-8 buffer of the items with a text outside that encoding: there the group is met
    #: without it)
    pattern: str | None = None


@dataclass(frozen=True)
class GateTerms:
    """What a matcher asks of the gate: the items it must read.

    ``groups``: an item is read when it meets one of them (:class:`Group`). ``fast_only``: an item with a
    text outside :data:`FAST_CODEC` is always read (the matcher screens such texts itself). ``photos``: an
    item with a photo attachment is always read. ``kinds``: every item of one of these kinds is read (the
    identity facts of a profile). ``everything``: every item is read (no necessary condition to give).
    """

    groups: tuple[Group, ...] = ()
    fast_only: bool = False
    photos: bool = False
    kinds: tuple[str, ...] = ()
    everything: bool = False
    #: what the terms say, in short (computed once: a matcher kept in the cache keeps its terms)
    digest: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.digest:
            what = repr((self.groups, self.fast_only, self.photos, self.kinds, self.everything))
            object.__setattr__(self, "digest", hashlib.sha256(what.encode()).hexdigest()[:16])


class Gated(Protocol):
    """A matcher the gate can screen items for."""

    bank: str

    def gate_terms(self) -> GateTerms:
        """The necessary condition of a finding, as :class:`GateTerms`."""
        ...


def gate_texts(item: Item, extra_texts: Sequence[tuple[str, str]] | None) -> list[str]:
    """Every text a gated matcher reads of ``item``: its texts, those read from its pictures, its audio
    records' titles and performers, the name of the page it reposts and its links."""
    out = [t for _, t in item.texts()]
    if extra_texts:
        out += [t for _, t in extra_texts if t]
    for a in item.attachments:
        if a.type == "audio":
            out += [x for x in (a.title, a.artist) if x]
    if item.reposted_from is not None and item.reposted_from.name:
        out.append(item.reposted_from.name)
    out += [u for _, u in item.urls()]
    return out


#: a group as the gate checks it: its member, its other pieces, its alternatives written and normalised
#: (None: no alternative needed), its pattern
_Check = tuple[tuple[int, ...], tuple[bytes, ...], tuple[str, ...] | None, tuple[bytes, ...], bytes | None]


def _checks(by_piece: list[list[tuple[tuple[int, ...], Group]]], fast: bool) -> list[list[_Check]]:
    """Per piece, the groups that start with it, encoded for one buffer: :data:`FAST_CODEC` (``fast``; a
    group whose other piece that encoding cannot hold is never met there, and is left out) or UTF-8."""
    out: list[list[_Check]] = []
    for groups in by_piece:
        row: list[_Check] = []
        for m, g in groups:
            if fast and not (all(map(fast_encodes, g.pieces[1:])) and (g.pattern is None or fast_encodes(g.pattern))):
                continue
            enc = (lambda x: x.encode(FAST_CODEC, "replace")) if fast else str.encode
            row.append((m, tuple(enc(x) for x in g.pieces[1:]), g.written if (g.written or g.normal) else None,
                        tuple(enc(x) for x in g.normal),
                        g.pattern.encode(FAST_CODEC) if fast and g.pattern is not None else None))
        out.append(row)
    return out


@dataclass
class GateIndex:
    """The gate's index, built from the members' terms (picklable: the automata are built from it).

    ``pieces``: one piece of every group, the least likely in ordinary text (the automaton finds them);
    ``by_piece``: per piece, each group it was chosen for (that piece first), with the members that give it;
    ``encoded``: the pieces and their groups as each buffer is searched (:data:`FAST_CODEC`, UTF-8).
    """

    digest: str
    pieces: list[str]
    by_piece: list[list[tuple[tuple[int, ...], Group]]]
    fast_only: list[int]
    photos: list[int]
    everything: list[int]
    kinds: list[tuple[int, frozenset[str]]]
    encoded: tuple[tuple[list[bytes], list[list[_Check]]], ...] = ()

    def __post_init__(self) -> None:
        if not self.encoded:
            # a piece the one-byte encoding cannot hold is left out of its automaton (normalised text in
            # that encoding never holds it)
            keep = [i for i, p in enumerate(self.pieces) if fast_encodes(p)]
            fast = _checks(self.by_piece, True)
            self.encoded = (([self.pieces[i].encode(FAST_CODEC) for i in keep], [fast[i] for i in keep]),
                            ([p.encode() for p in self.pieces], _checks(self.by_piece, False)))

    @classmethod
    def build(cls, terms: list[GateTerms], digest: str) -> GateIndex:
        """The index of the members' ``terms`` (in the members' order)."""
        ids: dict[str, int] = {}
        by_piece: list[dict[Group, tuple[int, ...]]] = []
        for m, t in enumerate(terms):
            for g in t.groups:
                if not g.pieces:
                    continue
                # the automaton looks for the piece least likely in ordinary text: the one fewest words of
                # literature start with (matchers/wordfreq.py), then the longest
                first = min(g.pieces, key=lambda p: (prefix_count(p.strip()), -len(p)))
                g = Group((first, *sorted(set(g.pieces) - {first})), tuple(sorted(set(g.written))),
                          tuple(sorted(set(g.normal))), g.pattern)
                k = ids.setdefault(first, len(ids))
                if k == len(by_piece):
                    by_piece.append({})
                ms = by_piece[k].get(g, ())
                if m not in ms:
                    by_piece[k][g] = (*ms, m)  # (the same name on several lists is checked once)
        return cls(digest=digest, pieces=list(ids),
                   by_piece=[[(ms, g) for g, ms in d.items()] for d in by_piece],
                   fast_only=[m for m, t in enumerate(terms) if t.fast_only],
                   photos=[m for m, t in enumerate(terms) if t.photos],
                   everything=[m for m, t in enumerate(terms) if t.everything],
                   kinds=[(m, frozenset(t.kinds)) for m, t in enumerate(terms) if t.kinds])


#: patterns that never occur (control bytes: normalised text and the marks never hold them), added so that
#: the automaton's pieces start with more than three distinct bytes: else the search would look for their
#: few first bytes with a prefilter, here the space, which starts almost every piece and is everywhere in
#: text, at three times the cost of the plain DFA walk
_NEVER = [bytes([c, c]) for c in range(2, 9)]


def _automaton(pieces: list[bytes]) -> Any:
    return ahocorasick_rs.BytesAhoCorasick(pieces + _NEVER, implementation=ahocorasick_rs.Implementation.DFA)


class TextGate:
    """Which items of a batch each member must read (see the module's docstring)."""

    def __init__(self, members: Sequence[Gated], cache_dir: Path | None = None) -> None:
        self.members = list(members)
        terms = [m.gate_terms() for m in self.members]
        digest = hashlib.sha256(" ".join([GATE_VERSION, *(t.digest for t in terms)]).encode()).hexdigest()[:16]
        # one file, built again when the terms change (a list updated) or the code does
        self.index = cached(cache_dir, f"gate-{GATE_VERSION}", lambda: GateIndex.build(terms, digest),
                            lambda x: isinstance(x, GateIndex) and x.digest == digest)
        (fast, self._fast_checks), (utf, self._utf_checks) = self.index.encoded
        self._fast = _automaton(fast) if fast else None
        self._utf = _automaton(utf) if utf else None

    def screens(self, matcher: object) -> bool:
        """Whether :meth:`look` tells which items ``matcher`` must read."""
        return any(m is matcher for m in self.members)

    @classmethod
    def of(cls, matchers: Sequence[object], cache_dir: Path | None = None) -> TextGate | None:
        """The gate of those ``matchers`` that give terms (None when none does)."""
        members = [m for m in matchers if callable(getattr(m, "gate_terms", None))]
        return cls(members, cache_dir) if members else None  # type: ignore[arg-type]

    def look(self, batch: Sequence[tuple[Item, Sequence[tuple[str, str]] | None]]) -> dict[int, list[int]]:
        """Per member (by ``id``), the indexes in ``batch`` of the items it must read, in order."""
        ix = self.index
        want: list[set[int]] = [set() for _ in self.members]
        items = [it for it, _ in batch]
        texts: list[str] = list(map(_TEXT, items))
        # most items are their text only, in the one-byte encoding: their normalised bytes (which the FSM
        # matcher has just computed) are their part of the buffer, found without a Python step per item
        fast: list[bytes | None] = list(map(norm_bytes_cached, texts))
        if ix.kinds:
            kinds = list(map(_KIND, items))
            for m, ks in ix.kinds:
                if not ks.isdisjoint(kinds):
                    want[m].update(i for i, k in enumerate(kinds) if k in ks)
        # the others: items with attachments, a repost source or text read from pictures, a text outside
        # the encoding, a character normalisation deletes
        odd = {i for i, (it, extra) in enumerate(batch)
               if extra or it.attachments or it.reposted_from is not None}
        odd_texts: dict[int, list[str]] = {}  # their gate_texts, which the search's written checks read too
        redo = set(odd)
        if None in fast:
            redo.update(i for i, f in enumerate(fast) if f is None)
        if _DELETED.search("".join(texts)):
            redo.update(i for i, t in enumerate(texts) if _DELETED.search(t))
        utf: tuple[list[bytes], list[int]] = ([], [])
        for i in sorted(redo):
            fast[i] = b""
            item, extra = batch[i]
            if i in odd:
                these = odd_texts[i] = gate_texts(item, extra)
                if ix.photos and any(a.type == "photo" for a in item.attachments):
                    for m in ix.photos:
                        want[m].add(i)
            else:
                these = [texts[i]]
            if any(map(_DELETED.search, these)):
                # a character normalisation deletes joins the words either side of it, which the matchers
                # that read words as written see apart: every member reads the item
                for w in want:
                    w.add(i)
                continue
            fs = [norm_bytes_cached(t) for t in these]
            if None not in fs:
                fast[i] = TEXT_MARK.join(fs)  # type: ignore[arg-type]
            else:
                utf[0].append(" \n ".join(norm_cached(t) for t in these).encode())
                utf[1].append(i)
                for m in ix.fast_only:
                    want[m].add(i)
        self._search(texts, odd_texts, fast, range(len(batch)), self._fast, self._fast_checks,  # type: ignore[arg-type]
                     want)
        if utf[0]:
            self._search(texts, odd_texts, utf[0], utf[1], self._utf, self._utf_checks, want)
        every = list(range(len(batch)))
        out = {id(member): sorted(w) for member, w in zip(self.members, want, strict=True)}
        for m in ix.everything:
            out[id(self.members[m])] = every
        return out

    def _search(self, texts: list[str], odd: dict[int, list[str]], parts: list[bytes], items: Sequence[int],
                auto: Any, checks: list[list[_Check]], want: list[set[int]]) -> None:
        """Search one buffer: ``parts`` (the items' normalised texts) joined, each with :data:`ITEM_MARK`
        before and after it; ``items``: their indexes in ``batch`` (``texts``: the items' texts, which are
        all there is of an item not in ``odd``, which holds the others' :func:`gate_texts`). What is found is added
        to ``want``."""
        mark = ITEM_MARK
        buf = mark + mark.join(parts) + mark
        # where each item's part ends, with the mark after it: an occurrence starting before ends[j] (and
        # after ends[j - 1]) is item j's (no piece holds the mark's middle byte)
        ends = list(accumulate(map(add, map(len, parts), repeat(len(mark)))))
        if auto is None:
            return
        # each piece once per item (an ordinary word may occur many times), with no Python step per occurrence
        hits = auto.find_matches_as_indexes(buf, overlapping=True)
        found = set(zip(map(bisect_right, repeat(ends), map(_START, hits)), map(_PIECE, hits), strict=True))
        for j, k in found:
            part = b""
            for ms, rest, written, normal, rx in checks[k]:
                if rest or normal or rx is not None:
                    if not part:
                        part = buf[ends[j - 1] if j else 0 : ends[j] + len(mark)]
                    if not all(map(part.__contains__, rest)):
                        continue
                if written is not None:
                    i = items[j]
                    ok = any(any(map(t.__contains__, written)) for t in odd.get(i, (texts[i],)))
                    if not ok and not any(map(part.__contains__, normal)):
                        continue
                if rx is not None and _compiled(rx).search(part) is None:
                    continue
                for m in ms:
                    want[m].add(items[j])


@lru_cache(maxsize=4096)
def _compiled(pattern: bytes) -> re.Pattern[bytes]:
    return re.compile(pattern)


__all__ = ["GATE_VERSION", "GateIndex", "GateTerms", "Gated", "Group", "TextGate", "gate_texts"]
