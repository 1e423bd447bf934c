"""Normalisation: one row per disguise, and the offset map agrees with the fast form."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repostguard.matchers.normalize import compact, compact_with_map, norm, original_span


@pytest.mark.parametrize(
    "disguised, plain",
    [
        ("ПРОЕКТ УВЕЧЬЕ", "проект увечье"),  # case
        ("Ёлка", "елка"),  # ё/е
        ("БЫTЬ МУCУЛЬМАHAМИ", "быть мусульманами"),  # Latin look-alikes
        ("Про\u200bе\u200dкт", "проект"),  # zero-width characters
        ("про\u00adект", "проект"),  # soft hyphen
        ("Каждый  день\nпод   флагом", "каждый день под флагом"),  # spaces and line breaks
        ("Гони их прочь!!! Не будет…", "гони их прочь не будет"),  # punctuation
        ("Правый скинхед.mp3", "правый скинхед"),  # file extension
        ("ﬁ", "fi"),  # compatibility forms (NFKC)
    ],
)
def test_norm_rows(disguised: str, plain: str) -> None:
    assert norm(disguised) == norm(plain)
    assert compact(disguised) == compact(plain)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_map_agrees_with_compact(text: str) -> None:
    c, offsets = compact_with_map(text)
    assert c == compact(text)
    assert len(offsets) == len(c)
    assert offsets == sorted(offsets)
    if c:
        s, e = original_span(text, 0, len(c))
        assert 0 <= s < e <= len(text)
