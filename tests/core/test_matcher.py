"""The FSM matcher on a made-up list: what must match, at which level, and what must not."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repostguard.model import Attachment, Item, Source


def item(text: str = "", kind: str = "post", **kw) -> Item:  # type: ignore[no-untyped-def]
    return Item(platform="generic", native_id="x", kind=kind, text=text, **kw)


def found(matcher, it: Item) -> dict[int, str]:  # type: ignore[no-untyped-def]
    return {int(f.entry): f.level for f in matcher.match(it)}


@pytest.mark.parametrize(
    "text",
    [
        "Нашёл листовку «Вымышленный призыв к несуществующему восстанию»",  # exact, quoted
        "вымышленный призыв к несуществующему восстанию",  # no quotes, lower case
        "ВЫМЫШЛEННЫЙ ПРИЗЫB К НEСУЩЕСТВУЮЩЕМУ ВОССТАНИЮ",  # Latin look-alikes
        "Вымышленный\u200b при\u200bзыв к несуществующему\nвосстанию!!!",  # zero-width, line break
        "Вымышленный призыв к несущесвующему восстанию",  # a typo
        "Репост: Вымышленный призыв к несуществующему…",  # truncated
    ],
)
def test_quote_disguises_are_distribution(demo_matcher, text: str) -> None:  # type: ignore[no-untyped-def]
    assert found(demo_matcher, item(text)) == {1: "distribution"}


def test_evidence_span_points_into_the_original_text(demo_matcher) -> None:  # type: ignore[no-untyped-def]
    text = "Смотрите: Вымышленный\u200b призыв к несуществующему восстанию ))"
    (f,) = demo_matcher.match(item(text))
    s, e = f.evidence.span
    assert text[s:e].startswith("Вымышленный") and text[s:e].endswith("восстанию")
    assert f.explanation_ru and f.explanation_en and f.list_version.startswith("fsm-")


def test_incipit_of_a_song_is_found(demo_matcher) -> None:  # type: ignore[no-untyped-def]
    assert found(demo_matcher, item("Помните? Мы пришли из страны, которой нет")) == {5: "distribution"}


def test_a_different_title_that_starts_the_same_is_not_found(demo_matcher) -> None:  # type: ignore[no-untyped-def]
    assert found(demo_matcher, item("Мы пришли из страны мечты и тёплого моря")) == {}


def test_slogan_of_many_entries_is_only_a_mention(demo_matcher) -> None:  # type: ignore[no-untyped-def]
    levels = found(demo_matcher, item("Свобода вымышленной страны!"))
    assert levels and set(levels.values()) == {"mention"}


def test_short_title_is_not_distribution(demo_matcher) -> None:  # type: ignore[no-untyped-def]
    # «Вымышленная страна» is an entry's whole (two-word) title
    assert "distribution" not in found(demo_matcher, item("Вымышленная страна — хорошее название для книги")).values()


def test_news_about_the_list_is_a_mention(demo_matcher) -> None:  # type: ignore[no-untyped-def]
    text = "Минюст внёс в федеральный список экстремистских материалов ролик «Марш придуманных теней по улицам Энска»."
    assert found(demo_matcher, item(text)) == {3: "mention"}


def test_community_name_is_a_mention(demo_matcher) -> None:  # type: ignore[no-untyped-def]
    assert found(demo_matcher, item("Вступил в Клуб придуманных историй")) in ({}, {7: "mention"})


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://m.vk.com/video-1000001_2000002?list=abc", {3: "distribution"}),
        ("vk.ru/video-1000001_2000002", {3: "distribution"}),
        ("https://youtu.be/DemoVid0001", {8: "distribution"}),
        ("https://vk.com/id1000000007/", {6: "distribution"}),
        ("https://vk.com/id1000000008", {}),  # another page of the same site
        ("https://vk.com/video-1000001_2000003", {}),
        ("https://vk.com", {}),
    ],
)
def test_links(demo_matcher, url: str, expected: dict[int, str]) -> None:  # type: ignore[no-untyped-def]
    assert found(demo_matcher, item("Смотрите", attachments=[Attachment(type="link", url=url)])) == expected
    assert found(demo_matcher, item(f"Смотрите {url} )")) == expected


def test_bare_vk_in_the_list_never_matches_every_vk_link(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from repostguard.banks.fsm import parse_fsm
    from repostguard.matchers.fsm import FsmMatcher

    from .conftest import write_list

    lst = write_list(tmp_path / "l.csv", [("1", "Видеоролик «Очень длинное вымышленное название ролика» на сайте "
                                                 "http://vk.com (решение суда от 01.01.2015);", "")])
    m = FsmMatcher(parse_fsm(lst))
    assert found(m, item("https://vk.com/id1 https://vk.com/wall1_2 vk.com")) == {}


def test_audio_performer_and_title(demo_matcher) -> None:  # type: ignore[no-untyped-def]
    good = item(kind="audio", attachments=[Attachment(type="audio", artist="Группа Выдумка",
                                                      title="Песня о ненастоящей войне")])
    other = item(kind="audio", attachments=[Attachment(type="audio", artist="Другая группа",
                                                       title="Песня о настоящей весне")])
    assert found(demo_matcher, good) == {4: "distribution"}
    assert found(demo_matcher, other) == {}


def test_audio_of_the_same_title_by_another_performer_is_only_a_mention(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from repostguard.banks.fsm import parse_fsm
    from repostguard.matchers.fsm import FsmMatcher

    from .conftest import write_list

    lst = write_list(tmp_path / "l.csv", [("1", "Аудиозапись и текст песни с названием «Облака уходят за горизонт» "
                                                "исполнителя «Вымышленные» («Vymyshlennye»), продолжительностью "
                                                "3 мин. (решение суда);", "01.02.2021")])
    m = FsmMatcher(parse_fsm(lst))

    def audio(artist: str | None) -> Item:
        return item(kind="audio", attachments=[Attachment(type="audio", artist=artist,
                                                          title="Облака уходят за горизонт")])

    assert found(m, audio("Вымышленные")) == {1: "distribution"}
    assert found(m, audio("Vymyshlennye")) == {1: "distribution"}  # the other spelling the entry gives
    assert found(m, audio(None)) == {1: "distribution"}  # no performer to tell them apart
    (f,) = m.match(audio("Совсем другая группа"))
    assert (f.level, f.signal) == ("mention", "audio") and "«Вымышленные»" in f.explanation_ru


def test_repost_from_a_listed_page_is_a_mention(demo_matcher) -> None:  # type: ignore[no-untyped-def]
    it = item("Про погоду", kind="repost", reposted_from=Source(name="Страница", url="http://m.vk.com/id1000000007"))
    assert found(demo_matcher, it) == {6: "mention"}


def test_excluded_entries_never_match(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from repostguard.banks.fsm import parse_fsm
    from repostguard.matchers.fsm import FsmMatcher

    from .conftest import write_list

    lst = write_list(tmp_path / "l.csv", [
        ("1", "Исключен", ""),
        ("2", "Материал исключен из списка. «Совсем другое длинное вымышленное название»", ""),
        ("3", "Книга «Ещё одно длинное вымышленное название» (решение суда от 01.01.2015);", ""),
    ])
    m = FsmMatcher(parse_fsm(lst))
    assert found(m, item("Совсем другое длинное вымышленное название")) == {}
    assert found(m, item("Ещё одно длинное вымышленное название")) == {3: "distribution"}


@pytest.mark.parametrize(
    "text",
    ["", " ", "\x00\x01\x02", "א" * 5000 + " عربي", "😀" * 10000, "а" * 1_000_000,
     "«" * 1000 + "»" * 999, "http://" * 500, "\ud800 broken surrogate"],
)
def test_odd_text_never_crashes(demo_matcher, text: str) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(demo_matcher.match(item(text)), list)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=500))
def test_random_text_never_crashes(demo_matcher, text: str) -> None:  # type: ignore[no-untyped-def]
    for f in demo_matcher.match(item(text, attachments=[Attachment(type="link", url=text[:80])])):
        assert f.level in ("distribution", "mention")
