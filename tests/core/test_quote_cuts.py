"""How much of a quote must be there (issue 23; found on our held-out matching set, bench/match_heldout.py), on invented
entries written like the official lists:

- a short title (four words or fewer) without one of its words is not the title («…, сказал мой сосед» for
  «Как сказал мой сосед»), while a longer quote cut short still is;
- the same letters written with more words apart in another entry («Заборы-Тарарам, ой» and «Заборы - Тара,
  Рам, ой») count as the spelling that shows the words, whichever entry comes first;
- a long quote cut short, with a typo in what is left, is still a candidate when the text holds its first two
  chunks, although it holds fewer than its usual share.
"""

from __future__ import annotations

import pytest

from repostguard.matchers.fsm import FsmMatcher

from .conftest import levels, list_matcher

ROWS = [
    ("1", "Изображение с надписью «Как сказал мой сосед» (решение Энского районного суда от 14.03.2014);", ""),
    ("2", "Аудиозапись «Заборы-Тарарам, ой» (решение Энского районного суда от 28.12.2012);", ""),
    ("3", "Аудиозапись «Заборы - Тара, Рам, ой» (решение Энского городского суда от 13.07.2013);", ""),
    ("4", "Статья «Старинные мельницы в Верхнем Заречье и письма мельников» (решение Энского районного суда от "
          "08.02.2012);", ""),
]


@pytest.fixture(scope="module")
def fsm(tmp_path_factory: pytest.TempPathFactory) -> FsmMatcher:
    return list_matcher(tmp_path_factory, ROWS)  # type: ignore[no-any-return]


def test_a_short_title_without_one_of_its_words_is_not_the_title(fsm: FsmMatcher) -> None:
    assert levels(fsm, "Чистая совесть — признак плохой памяти, сказал мой сосед.") == {}
    assert levels(fsm, "Сказал мой сосед: не спеши.") == {}
    assert levels(fsm, "Смешная картинка «Как сказал мой сосед»") == {"1": "distribution"}


def test_a_spelling_with_more_words_counts_them(fsm: FsmMatcher) -> None:
    q = fsm.quotes["заборытарарамой"]
    assert q.words == 4 and q.entries == {2, 3} and q in fsm.text_quotes
    assert levels(fsm, "Слушаю: Заборы - Тара, Рам, ой") == {"2": "distribution", "3": "distribution"}


def test_a_long_quote_cut_short_with_a_typo(fsm: FsmMatcher) -> None:
    text = "Говорят, скоро удалят, так что сохраняю: Старинные мельницу в Верхнем\nЗарчечье"
    assert levels(fsm, text) == {"4": "distribution"}
    # by its first two chunks: without that rule it holds too few of its chunks to be looked at
    kept = fsm.head_ids
    try:
        fsm.head_ids = frozenset()
        assert levels(fsm, text) == {}
    finally:
        fsm.head_ids = kept
    assert levels(fsm, "Старинные мельницы стоят у реки") == {}
