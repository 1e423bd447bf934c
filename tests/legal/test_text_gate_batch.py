"""The text gate's two ways of checking a piece's groups (matchers/gate.py): item by item, or, for a piece
found many times in a batch (``HOT``), on all its items at once (the pattern tried where the piece is
found, then each condition in one step over the items still in). Both must let the same items through, and
what an item is let through for must depend on that item alone, never on its neighbours in the batch."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings

from repostguard.matchers import gate as gate_module
from repostguard.matchers.gate import GateTerms, Group, TextGate, _deletes, _starts_with
from repostguard.matchers.normalize import DELETED, FAST_CODEC, norm_bytes

from .test_text_gate import Batch, _batches, _gate, _item, _members

#: every piece on the batch path / every piece item by item
ALL_AT_ONCE, ONE_BY_ONE = 0, 10**9


@contextmanager
def _hot(n: int) -> Iterator[None]:
    old = gate_module.HOT
    gate_module.HOT = n
    try:
        yield
    finally:
        gate_module.HOT = old


def _look(gate: TextGate, batch: Batch, hot: int) -> dict[int, list[int]]:
    with _hot(hot):
        return gate.look(batch)


def _alone(gate: TextGate, batch: Batch, hot: int) -> dict[int, list[int]]:
    """What each item is let through for when it is looked at in a batch of its own."""
    out: dict[int, list[int]] = {id(m): [] for m in gate.members}
    for i, pair in enumerate(batch):
        for k, v in _look(gate, [pair], hot).items():
            if v:
                out[k].append(i)
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_batches())
def test_both_ways_let_the_same_items_through_and_each_for_itself(batch: Batch) -> None:
    gate = _gate()
    one_by_one = _look(gate, batch, ONE_BY_ONE)
    assert _look(gate, batch, ALL_AT_ONCE) == one_by_one
    # no item is let through for a neighbour's text, none is dropped for it
    assert _alone(gate, batch, ALL_AT_ONCE) == one_by_one


def _repeat(text: str, n: int) -> Batch:
    return [(_item(text, i), None) for i in range(n)]


@pytest.mark.parametrize("hot", [ALL_AT_ONCE, 8, ONE_BY_ONE])
def test_a_name_split_between_two_items_reaches_no_list(hot: int) -> None:
    """«Мир Всем» (the undesirable list; its words one after the other, in quotes) is found in one item; its
    first word at the end of one item and the rest at the start of the next, many times over (so the piece
    is on the batch path), is found in neither."""
    und = _members()[2]
    gate = _gate()
    split: Batch = []
    for n in range(20):
        split += [(_item("Скажу одно: «Мир", 2 * n), None), (_item("всем» и точка", 2 * n + 1), None)]
    assert _look(gate, split, hot)[id(und)] == []
    whole = _repeat("Скажу одно: «Мир всем» и точка", 20)
    assert _look(gate, whole, hot)[id(und)] == list(range(20))
    # the quotation marks in a neighbour do not count either
    mixed: Batch = [(_item("Мир всем", 0), None), (_item("«цитата»", 1), None)] * 10
    assert _look(gate, mixed, hot) == _look(gate, mixed, ONE_BY_ONE)


class _Member:
    """A gated matcher asking for one group: a piece and a pattern that, tried in the whole buffer, can
    run on past the item's end into the next item (``[^я]*`` crosses the marks between items)."""

    bank = "test"

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern

    def gate_terms(self) -> GateTerms:
        return GateTerms(groups=(Group((" абв",), pattern=self.pattern),))


@pytest.mark.parametrize("hot", [ALL_AT_ONCE, ONE_BY_ONE])
def test_a_pattern_running_into_the_next_item_lets_neither_through(hot: int) -> None:
    member = _Member(" абв[^я]*где")
    gate = TextGate([member])  # type: ignore[list-item]
    assert _starts_with(" абв[^я]*где".encode(FAST_CODEC), " абв".encode(FAST_CODEC))
    batch: Batch = [(_item("абв", 0), None), (_item("где", 1), None)] * 10
    assert _look(gate, batch, hot)[id(member)] == []
    batch = [(_item("абв где", 0), None), (_item("где", 1), None)] * 10
    assert _look(gate, batch, hot)[id(member)] == list(range(0, 20, 2))


@pytest.mark.parametrize(("pattern", "piece", "expected"), [
    (" мир[^ ]* *вс", " мир", True),
    (" мир[^ ]* *вс", " ми", True),
    (" нет[^ ]* *вой", " вой", False),  # the piece is not where a match starts
    (" век[^ ]* *ра", " век ра", False),
    (r"\bмир[^ ]* *вс", "мир", False),  # an anchor: a match depends on the byte before it
    ("^ мир", " мир", False),
    (" мир(?= вс)", " мир", False),
    ("(?i) мир", " мир", False),
    (" мир(?:[^ ]|x)*+ вс", " мир", False),
    (" (мир|миру) вс", " мир", False),  # a group first: not read as a literal start
    ("[аa][\\s.]*[уy]", "а", False),
])
def test_which_patterns_are_tried_where_the_piece_is(pattern: str, piece: str, expected: bool) -> None:
    assert _starts_with(pattern.encode(FAST_CODEC), piece.encode(FAST_CODEC)) is expected


def test_the_lengths_tell_a_deleted_character() -> None:
    """The gate tells a character the normalisation deletes by the normalised bytes being shorter than the
    text: in the one-byte encoding, every other character is one byte of them."""
    for b in range(256):
        try:
            c = bytes([b]).decode(FAST_CODEC)
        except UnicodeDecodeError:
            continue
        f = norm_bytes(c)
        if f is not None:
            assert len(f) == (0 if c in DELETED else 1), repr(c)
    for text in ["мир\u00adвсем", "мир всем", "мир\u200bвсем", "файл.mp3", "😀", ""]:
        f = norm_bytes(text)
        assert _deletes(text, f) is any(c in text for c in DELETED)
