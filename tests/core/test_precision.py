"""Issue 23's precision mechanisms, each with an ordinary text that must stay quiet and a listed one that
must still be found (invented entries, written like the official lists):

- a loose alignment that cuts a word is no quote of the title («С днём рождения, Ле|на» for «…дед»);
- a short title of everyday words («Что нам делать») is a mention to check, not distribution;
- a saying is a mention in running text or quoted as what someone says, the title's when set off alone;
- an organisation name of ordinary words, first names or numbers is weak, and after «магазин», «секция»,
  «назвали» it is a namesake;
- «мочи моей нет» is the noun (strength), not the verb;
- «уничтожим весь мир»: «весь» before an inanimate noun is a thing, not people;
- «в разделе «Видео»» names a section of a page, not a video.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repostguard.banks.fsm import parse_fsm
from repostguard.banks.orgs import parse_org_bytes
from repostguard.matchers.fsm import FsmMatcher
from repostguard.matchers.orgs import OrgMatcher
from repostguard.matchers.statements import StatementMatcher
from repostguard.model import Attachment, Item

from .conftest import write_list

ROWS = [
    ("1", "Текст музыкальной композиции «С днем рождения дед», размещенной в сети Интернет (решение Энского "
          "районного суда от 14.03.2014);", ""),
    ("2", "Статья под названием «Что нам делать» (решение Энского районного суда от 28.12.2012);", ""),
    ("3", "Приложение № 1 «До последней капли крови» (решение Энского городского суда от 13.07.2012);", ""),
    ("4", "Видеофайл «Выдуманный ролик о несуществующем походе», размещенный в разделе «Видео» на "
          "Интернет-странице «Энский отряд» (решение Энского районного суда от 08.02.2012);", ""),
    ("5", "Песня «Нас становится все больше» (решение Энского районного суда от 25.06.2014);", ""),
]


@pytest.fixture(scope="module")
def fsm(tmp_path_factory: pytest.TempPathFactory) -> FsmMatcher:
    return FsmMatcher(parse_fsm(write_list(tmp_path_factory.mktemp("list") / "fsm.csv", ROWS)))


def post(text: str, **kw: object) -> Item:
    return Item(platform="vk", native_id="w1_1", kind="post", text=text, **kw)  # type: ignore[arg-type]


def levels(m: FsmMatcher | OrgMatcher | StatementMatcher, item: Item) -> dict[str, str]:
    return {f.entry: f.level for f in m.match(item)}


def test_an_alignment_that_cuts_a_word_is_not_the_title(fsm: FsmMatcher) -> None:
    assert levels(fsm, post("С днём рождения, Лена! Счастья и здоровья!")) == {}
    assert levels(fsm, post("Вечером в книге: становится все больше желающих")) == {}
    # the title itself, and with a typo, is still found
    assert levels(fsm, post("Слушаю «С днем рождения дед»")) == {"1": "distribution"}
    assert levels(fsm, post("Слушаю: нас становиться все больше")) == {"5": "distribution"}


def test_a_title_of_everyday_words_is_a_mention(fsm: FsmMatcher) -> None:
    found = fsm.match(post("Дон Гуан. Что нам делать? Ждать до утра."))
    assert [(f.entry, f.level) for f in found] == [("2", "mention")]
    assert "обычная фраза" in found[0].explanation_ru


def test_a_saying_in_running_text_or_quoted_as_speech_is_a_mention_set_off_alone_a_title(fsm: FsmMatcher) -> None:
    assert levels(fsm, post("Он дрался до последней капли крови, а потом пошёл домой.")) == {"3": "mention"}
    assert levels(fsm, post("Как говорил дед: «до последней капли крови»")) == {"3": "mention"}
    assert levels(fsm, post("Сохраню себе. «До последней капли крови!» Пишите.")) == {"3": "distribution"}


def test_a_section_of_a_page_is_not_a_video_title(fsm: FsmMatcher) -> None:
    video = Item(platform="vk", native_id="v1_1", kind="video", text="",
                 attachments=[Attachment(type="video", title="Котики на даче (видео)")])
    assert levels(fsm, video) == {}
    named = Item(platform="vk", native_id="v1_2", kind="video", text="",
                 attachments=[Attachment(type="video", title="Выдуманный ролик о несуществующем походе.mp4")])
    assert levels(fsm, named) == {"4": "distribution"}


ORGS = [
    {"name": "Террористическое сообщество «Айдар»", "type": "terrorist", "aliases": [], "is_person": False},
    {"name": "Friede Allen e.V. («Мир Всем»), Германия", "type": "undesirable", "aliases": ["Мир Всем"],
     "is_person": False, "dateIn": "16.09.2025"},
    {"name": "Group 36 («Группа 36») (США)", "type": "undesirable", "aliases": ["Группа 36"], "is_person": False,
     "dateIn": "14.08.2025"},
]


@pytest.fixture(scope="module")
def orgs() -> OrgMatcher:
    return OrgMatcher(parse_org_bytes(json.dumps(ORGS, ensure_ascii=False).encode(), "undesirable", "orgs.json"))


@pytest.mark.parametrize("text", [
    "Купили щенка лабрадора, назвали Айдар. Уже сгрыз тапки.",
    "Наш Айдар занял первое место на олимпиаде по химии!",
    "Магазин «Мир Всем» на Садовой закрывается, распродажа!",
    "Группа 36 — лучшие ребята, выпуск 2003! Встреча в июне.",
    "Секция бокса «Айдар» объявляет набор детей.",
])
def test_ordinary_names_and_namesakes_stay_quiet(orgs: OrgMatcher, text: str) -> None:
    assert levels(orgs, post(text)) == {}


def test_the_organisations_named_as_such_are_still_found(orgs: OrgMatcher) -> None:
    assert set(levels(orgs, post("Бойцы батальона «Айдар» признаны террористами"))) != set()
    assert set(levels(orgs, post("Фонд «Мир Всем» признан нежелательной организацией"))) != set()
    assert set(levels(orgs, post("Организация «Группа 36» признана нежелательной"))) != set()


def test_the_noun_mochi_is_no_call(tmp_path: Path) -> None:
    m = StatementMatcher()
    assert levels(m, post("Да мочи моей с ним нет, барин.")) == {}
    assert "call-violence" in levels(m, post("Мочи их всех, ребята!"))


def test_all_of_a_thing_is_no_target() -> None:
    # «весь», «все», «их» before an inanimate noun determine a thing (the world, houses), not people
    m = StatementMatcher()
    for text in ("ну либо мы уничтожим весь мир, он такой не нужен", "Надо сжечь все старые дома",
                 "Уничтожим их дома!"):
        assert "call-violence" not in levels(m, post(text)), text
    for text in ("Давайте уничтожим их всех!", "Надо убить всех людей в этом городе", "Бей их!"):
        assert "call-violence" in levels(m, post(text)), text


@pytest.mark.parametrize(("text", "sure"), [
    ("Смерть жидам", True),
    ("Бей хачей!", True),
    ("— Их надо истреблять, как диких волков! — закричал он, и все в зале замолчали, потому что никто не ждал "
     "от тихого старика таких слов в этот вечер.", False),
])
def test_statements_carry_their_confidence(text: str, sure: bool) -> None:
    found = StatementMatcher().match(post(text))
    assert found, text
    assert all(0.1 <= f.score <= 0.95 for f in found)
    assert (max(f.score for f in found) >= 0.6) is sure


def test_a_weak_indicator_is_to_check_with_no_article_in_its_headline() -> None:
    from repostguard.findings.legal import LOW_CONFIDENCE, LegalContexts

    ctx = LegalContexts(None)
    row = {"bank": "statements", "entry": "call-violence", "level": "indicator", "list_version": "statements-4",
           "kind": "post", "date": "2020-01-01T00:00:00+03:00", "visibility": "public", "author": "self"}
    weak = ctx({**row, "score": LOW_CONFIDENCE - 0.1})
    strong = ctx({**row, "score": LOW_CONFIDENCE + 0.1})
    assert weak["to_check"] and not strong["to_check"]
    assert "На проверку" in weak["risk"]["ru"] and "280" not in weak["risk"]["ru"]
    assert "280" in strong["risk"]["ru"]
    assert weak["articles"] == strong["articles"] != []  # the context itself stays, one click away
