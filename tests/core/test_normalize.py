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


# text mostly made of what posts hold (Cyrillic, Latin look-alikes, digits, punctuation, ё, soft
# hyphens, zero-width characters, file extensions), plus any character at all
_POSTISH = st.lists(
    st.one_of(
        st.sampled_from(list("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЁЖЯ acekopxyHTMB_-.,!?«»—…\n\t0123456789")),
        st.sampled_from(["\u00ad", "\u200b", "\u00a0", "№", ".mp3", ".JPG", "\u0456", "²", "😀"]),
        st.characters(),
    ),
    max_size=200,
).map("".join)


@settings(max_examples=600, deadline=None)
@given(_POSTISH)
def test_fast_path_equals_norm(text: str) -> None:
    """norm_bytes, where it answers, is exactly norm() in windows-1251 (the matcher relies on it)."""
    from repostguard.matchers.normalize import FAST_CODEC, norm_bytes

    fast = norm_bytes(text)
    if fast is None:
        return
    assert fast.split() == [w.encode(FAST_CODEC) for w in norm(text).split()]
    assert fast.replace(b" ", b"") == compact(text).encode(FAST_CODEC)


def test_fast_path_declines_what_it_cannot_do() -> None:
    from repostguard.matchers.normalize import norm_bytes

    assert norm_bytes("Песня.mp3") is None  # file extensions are dropped by the full path
    assert norm_bytes("№ 5") is None  # NFKC changes it
    assert norm_bytes("привет 😀") is None  # outside windows-1251
    assert norm_bytes("Ёлка, ТЕСТ_слово") == "елка  тест слово".encode("cp1251")
