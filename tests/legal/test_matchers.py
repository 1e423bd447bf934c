"""Organisation and statement matchers: morphology, abbreviations, weak words, persons, links, levels,
and the quality target on the benign bench texts."""

from __future__ import annotations

import json
from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repostguard.banks.orgs import ORG_KINDS, parse_org_bytes, parse_org_file
from repostguard.matchers.orgs import OrgMatcher, entry_phrases
from repostguard.matchers.statements import StatementMatcher
from repostguard.model import Attachment, Item

from .conftest import BENCH, EXTREMIST, LISTS, UNDESIRABLE, need


def _item(text: str, kind: str = "post", urls: tuple[str, ...] = ()) -> Item:
    return Item("generic", "x1", kind, text=text, attachments=[Attachment("link", url=u) for u in urls])


def _matcher(rows: list[dict[str, object]], kind: str) -> OrgMatcher:
    return OrgMatcher(parse_org_bytes(json.dumps(rows, ensure_ascii=False).encode(), kind, "t.json"))


@pytest.fixture(scope="module")
def ext() -> OrgMatcher:
    return _matcher(EXTREMIST, "extremist")


@pytest.mark.parametrize(
    "text,expect",
    [
        ("Фонд борьбы с коррупцией опубликовал расследование", "mention"),
        ("расследование Фонда борьбы с коррупцией", "mention"),  # genitive
        ("донат Фонду борьбы с коррупцией", "mention"),  # dative
        ("сторонники ФБК вышли на улицы", "mention"),  # abbreviation
        ("сторонники фбк вышли на улицы", None),  # abbreviations only in upper case
        ("Fond borby s korruptsiei", "mention"),  # transliteration
        ("Fond borbi s korrupciey", "mention"),  # another transliteration
        ("смотрели «Артподготовку» Мальцева", "indicator"),  # a dictionary word: weak even quoted
        ("движение «Артподготовка» признано экстремистским", "mention"),  # quoted and talked about as an org
        ("мечтаю о свободной России", None),  # weak: ordinary words, lower case
        ("вступил в «Свободную Россию»", "indicator"),  # weak but quoted
        ("наступила весна, тает снег", None),  # one ordinary word: never bare
        ("весь день слушал «Весну» Вивальди", "indicator"),  # one ordinary word, quoted
        ("их группа «Весна» запрещена", "mention"),  # quoted and talked about as banned
        ("купил Рижский хлеб в магазине", "indicator"),  # weak company name, capitalised
    ],
)
def test_org_names(ext: OrgMatcher, text: str, expect: str | None) -> None:
    fs = ext.match(_item(text))
    assert [f.level for f in fs][:1] == ([expect] if expect else [])
    for f in fs:
        assert f.bank == "orgs-extremist" and f.level != "distribution"
        assert (
            f.evidence.span is not None and text[f.evidence.span[0] : f.evidence.span[1]] == f.evidence.text
        )


def test_persons_are_never_matched(ext: OrgMatcher) -> None:
    assert ext.match(_item("Вчера видел Иванова Петра Сергеевича")) == []
    assert ext.match(_item("Иванов Пётр Сергеевич, родившийся 01.02.1970 в г. Твери")) == []
    group = next(e for e in ext.list.entries if e.person_group)
    assert all("Иванов" not in p for p in entry_phrases(group))


def test_country_aliases_and_links() -> None:
    m = _matcher(UNDESIRABLE, "undesirable")
    assert m.match(_item("Отпуск в Соединенных Штатах Америки")) == []
    fs = m.match(_item("Грант от Национального фонда в поддержку демократии"))
    assert [f.level for f in fs] == ["mention"] and "2015" in fs[0].explanation_ru
    fs = m.match(_item("подробнее", urls=("https://www.protectdefenders.eu/ru/news",)))
    assert [(f.signal, f.level) for f in fs] == [("org-link", "mention")] and "20.33" in fs[0].explanation_ru


def test_sites_list_links_undesirable_orgs() -> None:
    sites = parse_org_bytes(
        json.dumps(
            [
                {
                    "domain": "ned.org",
                    "label": "Национальный фонд в поддержку демократии",
                    "type": "undesirable",
                }
            ]
        ).encode(),
        "sites",
        "s.json",
    )
    lst = parse_org_bytes(json.dumps(UNDESIRABLE, ensure_ascii=False).encode(), "undesirable", "u.json")
    m = OrgMatcher(lst, sites=sites)
    fs = m.match(_item("см. ned.org/grants"))
    assert [f.signal for f in fs] == ["org-link"]


def test_excluded_entries_are_not_matched() -> None:
    rows = [{**EXTREMIST[0], "excluded": True}]
    assert _matcher(rows, "extremist").match(_item("сторонники ФБК")) == []


STATEMENTS_POS = [
    ("Надо всех их перевешать!", "call-violence", "перевешать"),
    ("Бей хачей!", "call-violence", "Бей"),
    ("Смерть жидам", "incitement-group", "жидам"),
    ("Террористы — настоящие герои", "justify-terrorism", "герои"),
    ("Зиг хайль, братья", "nazism", "Зиг хайль"),
    ("Гитлер был прав", "nazism", "Гитлер"),
    ("Свободу Сибири!", "territorial-integrity", "Сибири"),
    ("Наши солдаты — убийцы и мародёры", "discredit-army", "убийцы"),
    ("Нет войне!", "discredit-army", "Нет войне"),
]
STATEMENTS_NEG = [
    "Террористы не герои",
    "Я убью время до обеда",
    "Этот фильм убил меня, всем смотреть",
    "Давай убьём комаров",
    "Суд приговорил террориста к 20 годам",
    "Армия спасла людей при наводнении",
    "Вчера был в Крыму, свобода!",
    "Бабушка рассказывала, как мы победили фашизм, она герой",
    "В честь победы над фашизмом — салют",
    "Этот дедлайн меня убивает, всех обнимаю",
]


@pytest.mark.parametrize("text,cat,word", STATEMENTS_POS)
def test_statements_fire_and_show_the_words(text: str, cat: str, word: str) -> None:
    fs = StatementMatcher().match(_item(text))
    assert cat in [f.entry for f in fs]
    f = next(f for f in fs if f.entry == cat)
    assert f.level == "indicator" and f.bank == "statements"
    assert word in (f.evidence.matched or "") and word in f.explanation_ru


@pytest.mark.parametrize("text", STATEMENTS_NEG)
def test_statements_stay_quiet_on_jokes_and_news(text: str) -> None:
    assert StatementMatcher().match(_item(text)) == []


def _bench_items() -> list[tuple[str, Item]]:
    truth = json.loads((need(BENCH / "truth.json")).read_text("utf-8"))
    benign = {k for k, v in truth["negatives"].items() if v.get("template") == "N1-benign"}
    out = []
    with open(BENCH / "items.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            it = Item(
                "generic",
                r["id"],
                r.get("kind", "post"),
                text=r.get("text", ""),
                attachments=[Attachment.from_dict(a) for a in r.get("attachments", [])],
            )
            out.append((r["id"] if r["id"] in benign else "", it))
    return out


def test_benign_bench_texts_stay_below_the_indicator_target() -> None:
    """Quality target: ≤ 5 indicator findings per 1,000 benign (N1) items; never distribution."""
    items = _bench_items()
    matchers: list[object] = [StatementMatcher()]
    for kind in ORG_KINDS:
        matchers.append(OrgMatcher(parse_org_file(need(LISTS / f"{kind}-orgs.json"), kind)))
    benign = indicators = 0
    for bid, it in items:
        for m in matchers:
            for f in m.match(it):  # type: ignore[attr-defined]
                assert f.level != "distribution"
                if bid and f.level == "indicator":
                    indicators += 1
        benign += bool(bid)
    assert benign >= 1000
    rate = 1000 * indicators / benign
    print(f"benign N1 items {benign}: {indicators} indicator findings = {rate:.2f} per 1,000")
    assert rate <= 5.0


_WORDS = [
    "Фонд",
    "борьбы",
    "с",
    "коррупцией",
    "ФБК",
    "«",
    "»",
    "весна",
    "Весна",
    "надо",
    "всех",
    "убить",
    "смерть",
    "хайль",
    "зиг",
    "Гитлер",
    "прав",
    "Крым",
    "свободу",
    "армия",
    "позор",
    "нет",
    "войне",
    "не",
    "герои",
    "террористы",
    "ned.org",
    "http://",
    "\u200b",
    "ё",
    "Ё",
    "—",
    "!",
    ".",
    "\n",
    "Fond",
    "borby",
    "1488",
]


@lru_cache(maxsize=1)
def _junk_matchers() -> tuple[OrgMatcher, StatementMatcher]:
    return _matcher(EXTREMIST, "extremist"), StatementMatcher()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=12)), max_size=30).map(" ".join))
def test_junk_text_never_breaks_the_matchers(text: str) -> None:
    """Any text: no exception, only mention/indicator levels, spans inside the text."""
    m, sm = _junk_matchers()
    for f in [*m.match(_item(text)), *sm.match(_item(text))]:
        assert f.level in ("mention", "indicator")
        if f.evidence.span is not None:
            s, e = f.evidence.span
            assert 0 <= s <= e <= len(text)
