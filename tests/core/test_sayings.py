"""A list title that is also a well-known saying (a proverb, an idiom, a fairy-tale formula) is, alone in a
post, a mention to check, not distribution: people write sayings every day (matchers/sayings.tsv). A title
that is no saying is still distribution (invented entries, written like the official list)."""

from __future__ import annotations

import pytest

from repostguard.matchers.fsm import FsmMatcher
from repostguard.matchers.normalize import compact
from repostguard.matchers.quotes import SAYINGS_FILE, sayings
from repostguard.model import Item

from .conftest import levels, list_matcher

ROWS = [
    ("1", "Листовка «Что посеешь, то и пожнёшь» (решение Энского районного суда от 01.02.2015);", ""),
    ("2", "Листовка «Вымышленный призыв к несуществующему восстанию» (решение Энского районного суда от "
          "01.02.2015);", ""),
]


@pytest.fixture(scope="module")
def matcher(tmp_path_factory: pytest.TempPathFactory) -> FsmMatcher:
    return list_matcher(tmp_path_factory, ROWS)  # type: ignore[no-any-return]




def test_a_saying_alone_is_a_mention(matcher: FsmMatcher) -> None:
    findings = matcher.match(Item(platform="vk", native_id="w1_1", kind="post",
                                  text="Как говорила бабушка: что посеешь, то и пожнёшь."))
    assert [(f.entry, f.level) for f in findings] == [("1", "mention")]
    assert "известное выражение" in findings[0].explanation_ru


def test_a_title_that_is_no_saying_is_still_distribution(matcher: FsmMatcher) -> None:
    assert levels(matcher, "Нашёл листовку: Вымышленный призыв к несуществующему восстанию") == {"2": "distribution"}


def test_the_sayings_table_is_data_with_a_source_per_row() -> None:
    rows = [line.split("\t") for line in SAYINGS_FILE.read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    assert len(rows) >= 80 and all(len(r) == 2 and r[1] in ("dal", "bible", "tale", "idiom", "lit") for r in rows)
    assert compact("Око за око, зуб за зуб") in sayings()
