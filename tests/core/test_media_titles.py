"""Videos and songs by every field they come with, and a report on the list that names a song (issue 23's
three cases), on a list written like the official one (invented entries): a video found by its title (with
or without a file extension), by its id and by its address (also in VK's ``z=video…`` form, and from an
address the list printed with a broken percent-escape); a song whose record holds «Артист — Название» with
no artist; a sceptical news post naming a listed song is a mention, and says nothing of terrorism."""

from __future__ import annotations

import pytest

from repostguard.banks.fsm import parse_fsm
from repostguard.matchers.fsm import FsmMatcher
from repostguard.matchers.records import split_audio_title
from repostguard.matchers.statements import StatementMatcher
from repostguard.model import Attachment, Item

from .conftest import write_list

ROWS = [
    ("1", "Видеозапись, под названием «Внучка – садовница.mp 4», продолжительностью 9мин. 09 сек., размещенная в "
          "сети Интернет по адресам: https://vk.com/videos111222?q=%D0%B2%D0%BD% D1%83&z=video111222_333444; "
          "(решение Энского районного суда от 01.02.2017);", "01.03.2018"),
    ("2", "Музыкальная композиция «Зеленоград» музыкального исполнителя под творческими псевдонимами «Сомбра» и "
          "«Тихий Лес» продолжительностью 3 минуты 39 секунды (решение Энского краевого суда от 01.10.2024);",
     "17.12.2024"),
    ("3", "Книга «Садовница» (решение Энского районного суда от 01.02.2015);", "01.03.2016"),
]


@pytest.fixture(scope="module")
def matcher(tmp_path_factory: pytest.TempPathFactory) -> FsmMatcher:
    path = write_list(tmp_path_factory.mktemp("list") / "fsm.csv", ROWS)
    return FsmMatcher(parse_fsm(path))


def found(m: FsmMatcher, it: Item) -> dict[str, tuple[str, str]]:
    return {f.entry: (f.level, f.signal) for f in m.match(it)}


def post(text: str = "", *atts: Attachment) -> Item:
    return Item(platform="vk", native_id="wall1_1", kind="post", text=text, attachments=list(atts))


@pytest.mark.parametrize("att", [
    Attachment(type="video", title="Внучка – садовница"),
    Attachment(type="video", title="Внучка – садовница.mp4"),
    Attachment(type="video", extra={"id": "video111222_333444"}),
    Attachment(type="video", extra={"id": "111222_333444"}),
    Attachment(type="video", url="https://vk.com/video111222_333444"),
    Attachment(type="link", url="https://vk.com/videos111222?z=video111222_333444"),
    Attachment(type="link", url="https://vk.com/videos111222?q=%D0%B2%D0%BD%D1%83&z=video111222_333444"),
], ids=["title", "title.mp4", "id", "bare-id", "url", "z-form", "whole-listed-address"])
def test_a_video_is_found_by_each_field_on_its_own(matcher: FsmMatcher, att: Attachment) -> None:
    assert found(matcher, post("", att)).get("1", ("",))[0] == "distribution"


def test_a_title_alone_does_not_make_a_book_a_video(matcher: FsmMatcher) -> None:
    """A video titled like a listed book («Садовница») is not that book; another video's id is nothing."""
    assert "3" not in found(matcher, post("", Attachment(type="video", title="Садовница")))
    assert found(matcher, post("", Attachment(type="video", extra={"id": "video111222_999"}))) == {}


@pytest.mark.parametrize("title", ["Сомбра, Тихий Лес — Зеленоград", "Сомбра – Зеленоград", "Тихий Лес - Зеленоград"])
def test_a_song_whose_title_holds_its_artist(matcher: FsmMatcher, title: str) -> None:
    it = Item(platform="vk", native_id="audio1", kind="audio", attachments=[Attachment(type="audio", title=title)])
    assert found(matcher, it) == {"2": ("distribution", "audio")}


def test_split_audio_title() -> None:
    assert split_audio_title("", "А — Б") == ("А", "Б")
    assert split_audio_title("Исполнитель", "А — Б") == ("Исполнитель", "А — Б")
    assert split_audio_title("", "Песня-без-пробелов") == ("", "Песня-без-пробелов")


NEWS = ("Пишут, что Минюст внёс в список экстремистских материалов песню «Зеленоград» Сомбры и Тихого Леса. "
        "Абсурд какой-то.")


def test_news_about_the_list_is_a_mention(matcher: FsmMatcher) -> None:
    assert found(matcher, post(NEWS)) == {"2": ("mention", "quote")}
    # the title alone, without its performers, is too short to name the song
    assert found(matcher, post("Слушаю «Зеленоград» на даче")) == {}


def test_a_report_on_the_list_is_no_indicator() -> None:
    """«Слава» and a terror word in one sentence would be an indicator; reported as news, it is not."""
    m = StatementMatcher()
    report = "Минюст внёс в список экстремистских материалов песню «Колумбайн» Славы КПСС."
    assert m.match(post(report)) == []
    assert [f.entry for f in m.match(post("Колумбайн — слава героям!"))] == ["justify-terrorism"]
