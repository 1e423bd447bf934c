"""A site an entry names only as where its files lie is a host of those files, not the material's site: a
link to another file there is no sign of the material. A site an entry names as such still makes another
of its pages a mention (invented entries, written like the official list)."""

from __future__ import annotations

import pytest

from repostguard.banks.fsm import parse_fsm
from repostguard.matchers.fsm import FsmMatcher
from repostguard.model import Attachment, Item

from .conftest import write_list

ROWS = [
    ("1", "Анонимная брошюра «Придуманный оскал», размещенная на сайте www.fajlohran.ru, в файлах, доступная "
          "по ссылкам http//fajlohran.ru/4576084 и http//fajlohran.ru/7870362 (решение Энского районного "
          "суда от 01.02.2010);", ""),
    ("2", "Информационный материал, размещенный на сайте www.plohoj-sajt.ru (решение Энского районного суда от "
          "01.02.2012);", ""),
]


@pytest.fixture(scope="module")
def matcher(tmp_path_factory: pytest.TempPathFactory) -> FsmMatcher:
    return FsmMatcher(parse_fsm(write_list(tmp_path_factory.mktemp("list") / "fsm.csv", ROWS)))


def found(m: FsmMatcher, url: str) -> dict[str, tuple[str, str]]:
    it = Item(platform="vk", native_id="m1", kind="message", attachments=[Attachment(type="link", url=url)])
    return {f.entry: (f.level, f.signal) for f in m.match(it)}


def test_another_file_on_a_file_host_is_nothing(matcher: FsmMatcher) -> None:
    assert found(matcher, "http://fajlohran.ru/16223723") == {}
    assert found(matcher, "http://fajlohran.ru/4576084") == {"1": ("distribution", "url")}


def test_another_page_of_a_listed_site_is_a_mention(matcher: FsmMatcher) -> None:
    assert found(matcher, "http://plohoj-sajt.ru/news/1") == {"2": ("mention", "site")}
