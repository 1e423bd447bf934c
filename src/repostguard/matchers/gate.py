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

A piece found item by item would cost a Python step per item it is in, and the start of an ordinary word
(a name made of common words: «Мир Всем», «Нет войне») is in a fair share of any batch. A piece found at
least :data:`HOT` times in a batch has its groups checked on all its items at once instead, each condition
a step in C over the items still in (:meth:`_Buffer.keep_all`); a group's pattern that starts with the
piece is first tried only where the piece is found, which rules out nearly every item without reading
it. The conditions are those checked item by item (:meth:`_Buffer.meets`), and an item's own part of the
buffer decides each one, so an item is let through for its own texts alone, whichever way it is checked.

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
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, compress, repeat
from operator import add, attrgetter, is_not, itemgetter, ne
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
_PIECE, _START = itemgetter(0), itemgetter(1)
_EXTRA, _TYPE = itemgetter(1), attrgetter("type")
_FIELDS = attrgetter("text", "kind", "attachments", "reposted_from")
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


def _deletes(text: str, fast: bytes | None) -> bool:
    """Whether ``text`` holds a character the normalisation deletes (``fast``: its
    :func:`~repostguard.matchers.normalize.norm_bytes`). Where that is not None, every other character is one
    byte of it and those characters are the only ones dropped (tests check it), so the lengths tell, in C."""
    return len(fast) != len(text) if fast is not None else _DELETED.search(text) is not None


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
        self._fast_pieces, self._utf_pieces = fast, utf
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
        texts: tuple[str, ...]
        texts, kinds, attachments, sources = (zip(*map(_FIELDS, map(_PIECE, batch)), strict=True) if batch
                                              else ((),) * 4)
        # most items are their text only, in the one-byte encoding: their normalised bytes (which the FSM
        # matcher has just computed) are their part of the buffer, found without a Python step per item
        fast: list[bytes | None] = list(map(norm_bytes_cached, texts))
        for m, ks in ix.kinds:
            if not ks.isdisjoint(kinds):
                want[m].update(i for i, k in enumerate(kinds) if k in ks)
        # the others: items with attachments, a repost source or text read from pictures, a text outside
        # the encoding, a character normalisation deletes
        odd = set(compress(range(len(batch)), map(any, zip(map(_EXTRA, batch), attachments,
                                                             map(is_not, sources, repeat(None)), strict=True))))
        odd_texts: dict[int, list[str]] = {}  # their gate_texts, which the search's written checks read too
        # per item, its texts as written, for the written checks (:data:`_JOIN` between an odd item's)
        written = list(texts)
        redo = set(odd)
        # (:func:`_deletes`: an item whose bytes are shorter than its text)
        if None in fast:
            redo.update(i for i, f in enumerate(fast) if f is None)
            known = list(map(is_not, fast, repeat(None)))
            deleted = sum(map(len, compress(fast, known))) != sum(map(len, compress(texts, known)))  # type: ignore[arg-type]
        else:
            deleted = sum(map(len, fast)) != sum(map(len, texts))  # type: ignore[arg-type]
        if deleted:
            redo.update(i for i, (t, f) in enumerate(zip(texts, fast, strict=True)) if _deletes(t, f))
        utf: tuple[list[bytes], list[int]] = ([], [])
        for i in sorted(redo):
            fast[i] = b""
            item, extra = batch[i]
            if i in odd:
                these = odd_texts[i] = gate_texts(item, extra)
                written[i] = _JOIN.join(these)
                if ix.photos and "photo" in map(_TYPE, item.attachments):
                    for m in ix.photos:
                        want[m].add(i)
            else:
                these = [texts[i]]
            fs = list(map(norm_bytes_cached, these))
            whole = None not in fs
            if (sum(map(len, fs)) != sum(map(len, these)) if whole  # type: ignore[arg-type]
                    else any(map(_deletes, these, fs))):
                # a character normalisation deletes joins the words either side of it, which the matchers
                # that read words as written see apart: every member reads the item
                for w in want:
                    w.add(i)
                continue
            if whole:
                fast[i] = TEXT_MARK.join(fs)  # type: ignore[arg-type]
            else:
                utf[0].append(" \n ".join(norm_cached(t) for t in these).encode())
                utf[1].append(i)
                for m in ix.fast_only:
                    want[m].add(i)
        self._search(texts, odd_texts, written, fast, range(len(batch)), self._fast,  # type: ignore[arg-type]
                     self._fast_pieces, self._fast_checks, want)
        if utf[0]:
            self._search(texts, odd_texts, written, utf[0], utf[1], self._utf, self._utf_pieces, self._utf_checks,
                         want)
        every = list(range(len(batch)))
        out = {id(member): sorted(w) for member, w in zip(self.members, want, strict=True)}
        for m in ix.everything:
            out[id(self.members[m])] = every
        return out

    def _search(self, texts: Sequence[str], odd: dict[int, list[str]], written: list[str], parts: list[bytes],
                items: Sequence[int], auto: Any, pieces: list[bytes], checks: list[list[_Check]],
                want: list[set[int]]) -> None:
        """Search one buffer: ``parts`` (the items' normalised texts) joined, each with :data:`ITEM_MARK`
        before and after it; ``items``: their indexes in ``batch`` (``texts``: the items' texts, which are
        all there is of an item not in ``odd``, which holds the others' :func:`gate_texts`; ``written``: per
        item, its texts joined with :data:`_JOIN`). What is found is added to ``want``."""
        mark = ITEM_MARK
        buf = mark + mark.join(parts) + mark
        if auto is None:
            return
        # where each item's part ends, with the mark after it: an occurrence starting before ends[j] (and
        # after ends[j - 1]) is item j's (no piece holds the mark's middle byte)
        ends = list(accumulate(map(add, map(len, parts), repeat(len(mark)))))
        # where each piece is found (one Python step per occurrence: sorting them by piece), then the items
        # it is found in, each once (an ordinary word may occur many times in one)
        at: defaultdict[int, list[int]] = defaultdict(list)
        for k, s, _ in auto.find_matches_as_indexes(buf, overlapping=True):
            at[k].append(s)
        view = _Buffer(buf, ends, items, texts, odd, written)
        for k, ss in at.items():
            if len(ss) >= HOT:
                for check in checks[k]:
                    view.keep_all(ss, pieces[k], check, want)
            else:
                for j in set(map(bisect_right, repeat(ends), ss)):
                    for check in checks[k]:
                        if view.meets(j, check):
                            for m in check[0]:
                                want[m].add(items[j])


#: a piece found at least this many times in a buffer (an ordinary word's start) has its groups checked on
#: all the items it is found in at once (:meth:`_Buffer.keep_all`), else item by item (:meth:`_Buffer.meets`):
#: the same conditions either way (tests compare the two)
HOT = 8


class _Buffer:
    """One buffer of :meth:`TextGate._search` and what its groups' checks read: each item's part (its
    normalised texts with the marks either side: ``buf[ends[j - 1]:ends[j] + len(ITEM_MARK)]``) and its
    texts as written."""

    def __init__(self, buf: bytes, ends: list[int], items: Sequence[int], texts: Sequence[str],
                 odd: dict[int, list[str]], written: list[str]) -> None:
        self.buf, self.ends, self.items, self.texts, self.odd, self.written = buf, ends, items, texts, odd, written
        self._part = (-1, b"")
        self._at: tuple[list[int] | None, list[int]] = (None, [])
        #: where each item's part starts and ends in the buffer
        self._bounds: tuple[list[int], list[int]] = ([], [])

    def part(self, j: int) -> bytes:
        """Item ``j``'s part of the buffer (kept while its groups are checked)."""
        if self._part[0] != j:
            self._part = (j, self.buf[self.ends[j - 1] if j else 0 : self.ends[j] + len(ITEM_MARK)])
        return self._part[1]

    def meets(self, j: int, check: _Check) -> bool:
        """Whether item ``j`` meets the group ``check``: its other pieces, one of its alternatives (written,
        or normalised), its pattern."""
        _, rest, written, normal, rx = check
        part = b""
        if rest or normal or rx is not None:
            part = self.part(j)
            if not all(map(part.__contains__, rest)):
                return False
        if written is not None:
            i = self.items[j]
            ok = any(any(map(t.__contains__, written)) for t in self.odd.get(i, (self.texts[i],)))
            if not ok and not any(map(part.__contains__, normal)):
                return False
        return rx is None or _compiled(rx).search(part) is not None

    def keep_all(self, at: list[int], piece: bytes, check: _Check, want: list[set[int]]) -> None:
        """What :meth:`meets` tells, on every item where ``piece`` (the group's first) is found at once
        (``at``: where in the buffer): each condition in turn, one step in C over the items still in, with
        no Python step per item."""
        ms, rest, written, normal, rx = check
        if rx is not None and _starts_with(rx, piece):
            # every match of the pattern starts where the piece is found: tried there alone, it tells which
            # items may hold one (a match found there may run past the item's part: the search below,
            # in the part alone, decides)
            at = list(compress(at, map(is_not, map(_compiled(rx).match, repeat(self.buf), at), repeat(None))))
        js = self._items(at)
        for r in rest:
            js = list(compress(js, self._holds(js, r)))
        if rx is not None and js:
            js = list(compress(js, map(is_not, map(_compiled(rx).search, self._parts(js)), repeat(None))))
        if written is not None and js:
            ok = self._holding(js, written)
            if normal and not ok.issuperset(js):
                # (the normalised alternatives only where no written one is)
                no = [j for j in js if j not in ok]
                ok.update(compress(no, map(any, zip(*(self._holds(no, n) for n in normal), strict=True))))
            js = list(ok.intersection(js))
        if js:
            them = list(map(self.items.__getitem__, js))
            for m in ms:
                want[m].update(them)

    def _items(self, at: list[int]) -> list[int]:
        """The items holding the places ``at`` in the buffer, each once (the last list asked for is kept:
        a piece's groups ask for the same)."""
        if self._at[0] is not at:
            self._at = (at, list(set(map(bisect_right, repeat(self.ends), at))))
        return self._at[1]

    def _parts(self, js: list[int]) -> map[bytes]:
        """The parts of the items ``js`` (:meth:`part`)."""
        lo, hi = self._edges()
        return map(self.buf.__getitem__, map(slice, map(lo.__getitem__, js), map(hi.__getitem__, js)))

    def _holds(self, js: list[int], piece: bytes) -> map[bool]:
        """Per item ``js``, whether its part holds ``piece``."""
        lo, hi = self._edges()
        return map(ne, map(self.buf.find, repeat(piece), map(lo.__getitem__, js), map(hi.__getitem__, js)),
                   repeat(-1))

    def _edges(self) -> tuple[list[int], list[int]]:
        if not self._bounds[0]:
            self._bounds = ([0, *self.ends[:-1]], list(map(add, self.ends, repeat(len(ITEM_MARK)))))
        return self._bounds

    def _holding(self, js: list[int], written: tuple[str, ...]) -> set[int]:
        """The items ``js`` one of whose texts as written holds one of ``written``."""
        texts = list(map(self.written.__getitem__, map(self.items.__getitem__, js)))
        out: set[int] = set()
        for w in written:
            if _JOIN in w:
                out.update(j for j in js if self.meets(j, ((), (), (w,), (), None)))
            else:
                out.update(compress(js, map(str.__contains__, texts, repeat(w))))
        return out


#: joins an item's texts for :meth:`_Buffer._holding` (where a string holding it is looked for in each text)
_JOIN = "\x00"


#: a character set (its own ``^`` and ``]`` are no operators)
_CHAR_SET = re.compile(rb"\[\^?\]?[^\]]*\]")
#: what makes a match depend on more than the bytes it spans, or is not read here: an anchor or a
#: back-reference, a look-around, flag or named group, a possessive repeat
_CONTEXT = re.compile(rb"\\[bBAZzG0-9]|[\^$]|\(\?(?!:)|[*+?}]\+")
#: the literal start of a pattern (up to its first operator or escape)
_LEAD = re.compile(rb"[^\\.^$*+?{}\[\]|()]*")


@lru_cache(maxsize=4096)
def _starts_with(pattern: bytes, piece: bytes) -> bool:
    """Whether every match of ``pattern`` starts with ``piece``, and whether it matches depends on nothing
    but the bytes it spans (literals, character sets, repeats, alternatives and plain groups only). Then
    wherever it matches in an item's part, it matches in the whole buffer too, at an occurrence of the piece
    in that part: tried at the piece's occurrences alone, it misses no item. Read from the pattern's text,
    conservatively: whatever it does not tell so gives False (the pattern is then searched item by item)."""
    if _CONTEXT.search(_CHAR_SET.sub(b"s", pattern)):
        return False
    lead = _LEAD.match(pattern)
    start = lead.group() if lead else b""
    if pattern[len(start):len(start) + 1] in (b"*", b"+", b"?", b"{"):
        start = start[:-1]  # a repeat right after the literal start applies to its last byte
    return start.startswith(piece)


@lru_cache(maxsize=4096)
def _compiled(pattern: bytes) -> re.Pattern[bytes]:
    return re.compile(pattern)


__all__ = ["GATE_VERSION", "GateIndex", "GateTerms", "Gated", "Group", "TextGate", "gate_texts"]
