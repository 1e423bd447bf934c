"""The organisation lists' shared gate: what an item's texts hold of every list's anchors, found once.

The three organisation matchers (extremist, terrorist, undesirable) read every item in turn. Most items
name no organisation, and should cost each matcher a look-up, not a search. The gate holds:

* one automaton over the *strong* anchors of every list (the rare word starts of distinctive names and
  sites, see ``OrgMatcher._build_prefilter``) and the stems of words about organisations (the *cues*);
* one over the *weak* anchors (names made of ordinary words: «Мир всем», «Группа 36»), searched only in
  texts that can carry a weak name: with quotation marks, with a cue, or with one of the capitalised
  starts a weak two-word name may be written with, away from a sentence's start;

both searched in the normalised text the FSM matcher has already computed (one byte per letter), and
remembers its answer for the last few thousand items, so the second and third list find the item looked
at already (the scan runs each matcher over a batch of items in turn).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from operator import itemgetter
from typing import Protocol

from repostguard.matchers.normalize import FAST_CODEC, norm_bytes_cached, norm_cached
from repostguard.matchers.pieces import PieceFinder
from repostguard.model import Item

#: the stems of words about organisations and bans: the gate finds them in normalised text, the full
#: match in the text as written
CUE_STEMS = ["организаци", "движени", "объединени", "фонд", "запрещ", "экстремист", "террорист", "нежелательн",
             "признан", "ликвидир", "иноагент", "minjust", "минюст", "списо", "списк"]
QUOTE_MARKS = ("«", '"', "“")
#: items remembered (more than a scan's batch, so the three lists meet each item looked at)
REMEMBER = 4096


class GateMember(Protocol):
    """What a list's matcher gives the gate: its anchors, and the check of what it found."""

    strong_anchors: list[str]
    weak_anchors: list[str]
    #: per weak anchor: the capitals that let one of its names through without quotation marks
    weak_caps: list[tuple[str, ...]]

    def candidate(self, look: Look, texts: list[str]) -> bool:
        """Whether the item can hold one of the list's names, given what the gate found of its anchors."""
        ...


@dataclass(frozen=True)
class Look:
    """What one item's texts hold, for one list: the indexes of its strong and weak anchors found, whether
    a cue word or a quotation mark is there, and the normalised text (``enc`` 0: :data:`FAST_CODEC`, 1:
    UTF-8) to check a phrase's other word starts in."""

    enc: int
    data: bytes
    strong: list[int]
    weak: list[int]
    cue: bool
    quoted: bool


_NONE = frozenset[int]()


class OrgGate:
    """The gate shared by every organisation matcher alive (see the module's docstring)."""

    def __init__(self) -> None:
        self._members: weakref.WeakKeyDictionary[GateMember, int] = weakref.WeakKeyDictionary()
        self._built = False
        self._finders: tuple[PieceFinder, PieceFinder] | None = None
        self._lists: list[weakref.ref[GateMember]] = []
        #: per anchor (after the cues): the list it is one of, its index there, and whether it is weak
        self._owner: list[tuple[int, int, bool]] = []
        #: per anchor (after the cues): the capitals a weak name of it may be written with instead of quotes
        self._caps: list[tuple[str, ...]] = []
        #: per item looked at (by id, with a weak reference to it, so a reused id is not mistaken and the
        #: items are not kept alive, and the texts read from its pictures)
        self._seen: dict[int, tuple[weakref.ref[Item], tuple[tuple[str, str], ...] | None, frozenset[int]]] = {}

    def join(self, m: GateMember) -> None:
        """Add a list's matcher (the automaton is built again at the next look)."""
        self._members[m] = 0
        self._built = False

    def _build(self) -> None:
        anchors: list[str] = list(CUE_STEMS)
        self._lists = []
        self._owner = []
        self._caps = []
        for n, m in enumerate(list(self._members.keys())):
            self._lists.append(weakref.ref(m))
            anchors += m.strong_anchors
            self._owner += [(n, i, False) for i in range(len(m.strong_anchors))]
            self._caps += [()] * len(m.strong_anchors)
            anchors += m.weak_anchors
            self._owner += [(n, i, True) for i in range(len(m.weak_anchors))]
            self._caps += m.weak_caps
        self._finders = (PieceFinder(anchors, FAST_CODEC), PieceFinder(anchors))
        self._seen = {}
        self._built = True

    def may_hold(self, m: GateMember, item: Item, extra_texts: list[tuple[str, str]] | None) -> bool:
        """Whether ``item`` (with ``extra_texts`` read from its pictures) may hold one of ``m``'s names; the
        answer for every list is found at the first list's question and remembered for the others."""
        if not self._built:
            self._build()
        seen = self._seen.get(id(item))
        extra = tuple(extra_texts) if extra_texts else None
        if seen is None or seen[0]() is not item or seen[1] != extra:
            seen = (weakref.ref(item), extra, self._look(texts_of(item, extra_texts)))
            if len(self._seen) >= REMEMBER:
                self._seen.clear()
            self._seen[id(item)] = seen
        return id(m) in seen[2]

    def _look(self, texts: list[str]) -> frozenset[int]:
        """The ids of the lists whose names ``texts`` may hold: one search for every list."""
        assert self._finders is not None
        fast = [norm_bytes_cached(t) for t in texts]
        if all(f is not None for f in fast):
            enc, data = 0, b"\n ".join(b" " + f for f in fast if f is not None)
        else:
            enc, data = 1, "\n ".join(" " + norm_cached(t) for t in texts).encode()
        n_cue = len(CUE_STEMS)
        found = set(map(itemgetter(0), self._finders[enc].matches(data)))
        if not found or (len(found) == 1 and min(found) < n_cue):
            return _NONE
        cue = any(i < n_cue for i in found)
        quoted: bool | None = None
        owner, caps = self._owner, self._caps
        per: dict[int, tuple[list[int], list[int]]] = {}
        for i in found:
            if i < n_cue:
                continue
            n, j, is_weak = owner[i - n_cue]
            if is_weak and not cue:
                if quoted is None:
                    quoted = any(q in t for t in texts for q in QUOTE_MARKS)
                # a weak name without quotation marks or a word about organisations needs its capitals
                if not quoted and not any(c in t for c in caps[i - n_cue] for t in texts):
                    continue
            per.setdefault(n, ([], []))[is_weak].append(j)
        if not per:
            return _NONE
        if quoted is None:
            quoted = any(q in t for t in texts for q in QUOTE_MARKS)
        out: set[int] = set()
        for n, (strong, weak) in per.items():
            m = self._lists[n]()
            if m is not None and m.candidate(Look(enc, data, strong, weak, cue, quoted), texts):
                out.add(id(m))
        return frozenset(out)


def texts_of(item: Item, extra_texts: list[tuple[str, str]] | None) -> list[str]:
    """What the organisation matchers read of ``item``: its texts, those read from its pictures, the name of
    the page it reposts, and its links."""
    texts = [t for _, t in item.texts()]
    if extra_texts:
        texts += [t for _, t in extra_texts]
    if item.reposted_from and item.reposted_from.name:
        texts.append(item.reposted_from.name)
    return texts + [u for _, u in item.urls()]


GATE = OrgGate()

__all__ = ["CUE_STEMS", "GATE", "GateMember", "Look", "OrgGate", "QUOTE_MARKS", "texts_of"]
