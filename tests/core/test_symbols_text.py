"""Symbols in text (issue 24, part 1): swastikas, SS runes, the rainbow flag, the AUE name and star and Nazi
number codes are found in every text of an item (matchers/symbols_text.py, matchers/symbols_text.tsv); a number
is a code only next to another Nazi marker, so prices, phone numbers, years and ages stay quiet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from russian import foreign_words

from repostguard.i18n import has, t
from repostguard.matchers.base import Matcher
from repostguard.matchers.symbols_text import (
    BANK,
    MATCHER_VERSION,
    SIGNAL,
    TABLE_FILE,
    WINDOW,
    SymbolTextMatcher,
    chars_of,
    load_table,
    matcher_factory,
    parse_table,
)
from repostguard.model import Attachment, Item

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def m() -> SymbolTextMatcher:
    return SymbolTextMatcher()


def item(text: str = "", kind: str = "post", attachments: list[Attachment] | None = None) -> Item:
    return Item(platform="generic", native_id="p1", kind=kind, text=text, attachments=attachments or [])


def found(m: SymbolTextMatcher, text: str) -> dict[str, str]:
    """entry → the evidence text of each finding of a post holding ``text``."""
    return {f.entry: f.evidence.text for f in m.match(item(text))}


# --- every row of the table has a positive example ----------------------------------------------------

#: (id, kind, pattern) of a row → a text that finds it, the entry found and what ``matched`` must hold
#: (the row's own pattern, as shown, for a marker: the marker next to what it gives context to)
EXAMPLES: dict[tuple[str, str, str], tuple[str, str, str]] = {
    ("swastika", "chars", "U+5350"): ("Мой новый ник 卐", "swastika", "卐"),
    ("swastika", "chars", "U+534D"): ("卍 удача 卍", "swastika", "卍"),
    ("swastika", "chars", "U+0FD5"): ("знак ࿕ на стене", "swastika", "࿕"),
    ("swastika", "chars", "U+0FD6"): ("࿖", "swastika", "࿖"),
    ("swastika", "chars", "U+0FD7"): ("статус: ࿗", "swastika", "࿗"),
    ("swastika", "chars", "U+0FD8"): ("࿘ и всё", "swastika", "࿘"),
    ("ss-runes", "chars", "U+03DF U+03DF"): ("Дивизия ϟϟ", "ss-runes", "ϟϟ"),
    ("ss-runes", "chars", "U+16CB U+16CB"): ("ᛋᛋ", "ss-runes", "ᛋᛋ"),
    ("ss-runes", "chars", "U+16CB U+0020 U+16CB"): ("ник ᛋ ᛋ", "ss-runes", "ᛋ ᛋ"),
    ("ss-runes", "chars", "U+26A1 U+26A1"): ("卐 ⚡⚡", "ss-runes", "⚡⚡ + 卐"),
    ("rainbow-flag", "chars", "U+1F3F3 U+FE0F U+200D U+1F308"): ("С праздником 🏳️‍🌈", "rainbow-flag", "🏳️‍🌈"),
    ("rainbow-flag", "chars", "U+1F3F3 U+1F308"): ("Гордость 🏳🌈", "rainbow-flag", "🏳🌈"),
    ("aue-star", "word", "АУЕ|AUE"): ("жизнь ворам, АУЕ", "aue-star", "АУЕ / AUE"),
    ("-", "chars", "U+2605"): ("АУЕ ★", "aue-star", "АУЕ / AUE + ★"),
    ("-", "chars", "U+2734"): ("✴ АУЕ ✴", "aue-star", "+ ✴"),
    ("-", "chars", "U+2735"): ("АУЕ✵", "aue-star", "+ ✵"),
    ("-", "chars", "U+2737"): ("✷АУЕ", "aue-star", "+ ✷"),
    ("-", "chars", "U+2738"): ("АУЕ ✸", "aue-star", "+ ✸"),
    ("-", "chars", "U+2739"): ("АУЕ ✹", "aue-star", "+ ✹"),
    ("-", "chars", "U+1F9ED"): ("АУЕ 🧭", "aue-star", "+ 🧭"),
    ("-", "word", "роза ветров"): ("АУЕ, роза ветров навсегда", "aue-star", "+ роза ветров"),
    ("nazi-code", "code", "14/88"): ("Мой статус: 14/88", "nazi-code", "14/88"),
    ("nazi-code", "code", "1488"): ("卐 1488", "nazi-code", "1488 + 卐"),
    ("nazi-code", "code", "14 88"): ("ϟϟ 14 88", "nazi-code", "14 88 + ϟϟ"),
    ("nazi-code", "code", "14-88"): ("Зиг! 14-88", "nazi-code", "14-88 + зиг"),
    ("nazi-code", "code", "88"): ("Хайль 88", "nazi-code", "88 + хайль"),
    ("-", "word", "зиг|zig"): ("ZIG 88", "nazi-code", "88 + зиг / zig"),
    ("-", "word", "зигова*|зигану*|зигу*"): ("зигуем 88", "nazi-code", "+ зигова* / зигану* / зигу*"),
    ("-", "word", "хайль"): ("88 хайль", "nazi-code", "88 + хайль"),
    ("-", "word", "sieg"): ("Sieg 88", "nazi-code", "88 + sieg"),
    ("-", "word", "heil"): ("HEIL 88", "nazi-code", "88 + heil"),
    ("-", "word", "white power"): ("White Power 88", "nazi-code", "88 + white power"),
}


def test_every_row_has_an_example() -> None:
    rows = {(r.id, r.kind, r.pattern) for r in load_table().rows}
    assert rows == set(EXAMPLES)


@pytest.mark.parametrize("key", sorted(EXAMPLES), ids=lambda k: f"{k[0]}:{k[2]}")
def test_each_row_finds_its_example(m: SymbolTextMatcher, key: tuple[str, str, str]) -> None:
    text, entry, matched = EXAMPLES[key]
    findings = {f.entry: f for f in m.match(item(text))}
    assert entry in findings, (text, findings)
    f = findings[entry]
    assert matched in (f.evidence.matched or ""), (text, f.evidence.matched)
    assert (f.bank, f.level, f.signal, f.list_version) == (BANK, "distribution", SIGNAL, load_table().version)
    assert f.evidence.field == "text" and f.evidence.span is not None
    assert f.evidence.text == text[f.evidence.span[0]:f.evidence.span[1]]


# --- what stays quiet ---------------------------------------------------------------------------------

NEGATIVES = [
    "Звоните: +7 988 123-45-88",
    "8 (988) 123 45 88, спросить Сергея",
    "цена 88 руб",
    "Цена 1488 рублей, торг",
    "1988 год, первый класс",
    "родился в 1488 году",
    "в 14:88 (опечатка)",
    "дедушке 88 лет",
    "Ему исполнилось 88",
    "88",
    "1488",
    "14 88",
    "Комната 14-88",
    "Москва, ул. Ленина, д. 14/88",
    "приём 12/14/88",
    "стр. 14/88",
    "Курс 14.88",
    "КАУЕР",
    "Пауер-лифтинг и кауе",
    "aye aye, captain",
    "Аyeн",
    "после дождя была радуга",
    "🌈 радуга над рекой",
    "🏳️ белый флаг",
    "🇷🇺 С Днём России!",
    "⭐ звезда",
    "★★★★★ отличный отель",
    "✴️ новогодняя ёлка ✷ ✸",
    "🧭 компас для похода",
    "роза ветров на карте",
    "⚡⚡ скорость",
    "⚡️⚡️⚡️ зарядка",
    "зигзаг удачи 88",
    "хайль",
    "Зиг хайль",  # a statement (matchers/statements.py), not a symbol
    "Хайль! Нам бы 88 рублей",
    "зиг " + "x" * (WINDOW + 1) + " 88",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_ordinary_texts_stay_quiet(m: SymbolTextMatcher, text: str) -> None:
    assert m.match(item(text)) == []


# --- the context rules ---------------------------------------------------------------------------------


def test_88_is_never_a_finding_alone_and_is_one_next_to_a_marker(m: SymbolTextMatcher) -> None:
    assert found(m, "88") == {}
    assert found(m, "Всем 88!") == {}
    assert found(m, "卐 88") == {"swastika": "卐", "nazi-code": "卐 88"}
    assert found(m, "Зиг_Хайль_88") == {"nazi-code": "Хайль_88"}  # a nickname: underscores separate words
    assert found(m, "88 ᛋᛋ") == {"ss-runes": "ᛋᛋ", "nazi-code": "88 ᛋᛋ"}


def test_14_88_is_a_code_by_itself_and_a_marker_for_88(m: SymbolTextMatcher) -> None:
    assert found(m, "14/88") == {"nazi-code": "14/88"}
    f = m.match(item("14/88 ⚡⚡"))
    assert {x.entry: x.evidence.text for x in f} == {"nazi-code": "14/88", "ss-runes": "14/88 ⚡⚡"}


def test_a_code_is_no_number_of_a_price_an_age_an_address_or_a_phone(m: SymbolTextMatcher) -> None:
    for text in ("Хайль, 88 руб", "Хайль 88-летнему", "хайль! 1488 года", "Хайль 88%", "卐 тел. 88",
                 "卐 №88", "卐 +88", "卐 988", "卐 88 000", "卐 1 488", "卐 88.5", "卐 0,88"):
        assert "nazi-code" not in found(m, text), text
    for text in ("14/88 Часть вторая", "14/88 годный", "Хайль 88 министров"):  # words, not units
        assert "nazi-code" in found(m, text), text


def test_a_marker_counts_within_the_window_only(m: SymbolTextMatcher) -> None:
    near, far = "хайль" + " " * WINDOW + "88", "хайль" + " " * (WINDOW + 1) + "88"
    assert "nazi-code" in found(m, near)
    assert found(m, far) == {}
    assert "nazi-code" in found(m, "Хайль!\n88")  # any line


def test_lightning_is_an_ss_rune_only_next_to_another_nazi_marker(m: SymbolTextMatcher) -> None:
    assert found(m, "⚡⚡") == {}
    assert found(m, "⚡️⚡️ Зиг хайль") == {"ss-runes": "⚡️⚡️ Зиг"}
    assert found(m, "⚡⚡ 88") == {}  # two look-alikes do not vouch for each other


def test_aue_as_a_word_in_any_spelling_and_stronger_with_a_star(m: SymbolTextMatcher) -> None:
    for text in ("АУЕ", "ауе", "A.U.E.", "а.у.е", "А. У. Е.", "AUE", "aue", "АUЕ", "AУE", "Ауе!", "#АУЕ", "ауе_жизнь"):
        assert "aue-star" in found(m, text), text
    plain = m.match(item("АУЕ"))[0]
    star = m.match(item("АУЕ ★"))[0]
    assert star.score > plain.score
    assert star.evidence.text == "АУЕ ★" and "★" in star.explanation_ru
    assert found(m, "★ просто звезда") == {}


def test_the_rainbow_flag_with_or_without_the_variation_selector(m: SymbolTextMatcher) -> None:
    for flag in ("\U0001F3F3\uFE0F\u200D\U0001F308", "\U0001F3F3\u200D\U0001F308", "\U0001F3F3\uFE0F\U0001F308"):
        assert found(m, f"ура {flag}!") == {"rainbow-flag": flag}


# --- fields, one finding per symbol, explanations -------------------------------------------------------


def test_every_text_of_an_item_is_read(m: SymbolTextMatcher) -> None:
    profile = item("Статус: 卐", kind="profile", attachments=[
        Attachment(type="profile_field", title="Ник ϟϟ", extra={"field": "nickname"})])
    assert {(f.entry, f.evidence.field) for f in m.match(profile)} == {
        ("swastika", "text"), ("ss-runes", "attachments[0].title")}
    song = item(kind="audio", attachments=[Attachment(type="audio", title="Жизнь ворам", artist="АУЕ")])
    assert [(f.entry, f.evidence.field) for f in m.match(song)] == [("aue-star", "attachments[0].artist")]
    photo = item(kind="photo", attachments=[Attachment(type="photo", path="/x.jpg")])
    got = m.match(photo, [("attachments[0].ocr", "🏳️‍🌈 любовь")])
    assert [(f.entry, f.evidence.field, f.evidence.span) for f in got] == [
        ("rainbow-flag", "attachments[0].ocr", (0, 4))]


def test_one_finding_per_symbol_the_strongest(m: SymbolTextMatcher) -> None:
    it = item("АУЕ и ещё раз卐 卐", attachments=[Attachment(type="link", title="АУЕ ✴ навсегда")])
    got = {f.entry: f for f in m.match(it)}
    assert sorted(got) == ["aue-star", "swastika"]
    assert got["aue-star"].evidence.field == "attachments[0].title"  # the star makes the title stronger
    assert got["swastika"].evidence.span == (13, 14)  # the first of equals


def test_explanations_state_a_risk_in_both_languages(m: SymbolTextMatcher) -> None:
    texts = ["卐", "ϟϟ", "卐 ⚡⚡", "🏳️‍🌈", "АУЕ", "АУЕ ★", "14/88", "хайль 88"]
    for text in texts:
        for f in m.match(item(text)):
            assert "20.3" in f.explanation_ru and "282.4" in f.explanation_ru, f.explanation_ru
            assert "20.3" in f.explanation_en and "282.4" in f.explanation_en, f.explanation_en
            assert "может быть расцен" in f.explanation_ru or "штрафовали" in f.explanation_ru
            assert foreign_words(f.explanation_ru, data=(text,)) == [], f.explanation_ru
            assert "{" not in f.explanation_ru + f.explanation_en


def test_every_symbol_has_its_labels_and_explanations() -> None:
    table = load_table()
    assert has("banks.symbols") and has(f"signals.{SIGNAL}")
    for sid in table.ids():
        assert has(f"symbols.{sid}") and has(f"symbols_explain.{sid}"), sid
        rows = [r for r in table.rows if r.id == sid]
        if any(r.requires or r.strengthened_by for r in rows):
            assert has(f"symbols_explain.{sid}-near"), sid
    assert t("symbols.swastika", "ru") == "свастика"


# --- the table is data with a source per row ----------------------------------------------------------


def test_every_row_has_a_known_source_and_the_table_a_version() -> None:
    table = load_table()
    assert table.version == "symbols-1"
    assert len(table.rows) >= 30
    for r in table.rows:
        assert r.source and all(k in table.sources for k in r.source), r
        assert r.description
    assert set(table.ids()) == {"swastika", "ss-runes", "rainbow-flag", "aue-star", "nazi-code"}
    assert all(re.search(r"https?://|РФ|Верховн", s) for s in table.sources.values())


def test_a_malformed_table_is_refused_with_its_line() -> None:
    head = "# version\tv1\n# source\tu\tUnicode\n"
    ok = head + "swastika\tchars\tU+5350\tnone\tnazi\t卐\tu\n"
    assert parse_table(ok).rows[0].pattern == "U+5350"
    for bad, why in (
        (head + "swastika\tchars\tU+5350\tnone\tnazi\t卐\t\n", "source"),
        (head + "swastika\tchars\tU+5350\tnone\tnazi\t卐\tnope\n", "unknown source"),
        (head + "swastika\tglyph\tU+5350\tnone\tnazi\t卐\tu\n", "kind"),
        (head + "swastika\tchars\t卐\tnone\tnazi\t卐\tu\n", "code point"),
        (head + "swastika\tchars\tU+5350\tsometimes\tnazi\t卐\tu\n", "context"),
        (head + "swastika\tchars\tU+5350\n", "columns"),
        ("swastika\tchars\tU+5350\tnone\tnazi\t卐\tu\n", "version"),
    ):
        with pytest.raises(ValueError, match=why):
            parse_table(bad)


def test_the_table_ships_with_the_package() -> None:
    assert TABLE_FILE.parent.name == "matchers" and TABLE_FILE.suffix == ".tsv"
    assert '"matchers/*.tsv"' in (ROOT / "pyproject.toml").read_text("utf-8")
    assert chars_of("U+1F3F3 U+FE0F") == "\U0001F3F3\uFE0F"


def test_the_matcher_follows_the_protocol() -> None:
    mm: Matcher = matcher_factory(None)
    assert (mm.bank, mm.version, mm.list_version) == (BANK, MATCHER_VERSION, load_table().version)


# --- properties ---------------------------------------------------------------------------------------

#: characters that make hits likely: the table's own characters, digits, separators, AUE and marker letters
_ALPHABET = st.sampled_from(list(
    "卐卍࿕࿘ϟᛋ⚡★✴🧭🏳🌈\uFE0F\u200D" "0123456789" "8888" " /-.:_\n+№" "АУЕауеAUEaueyYхайльзигsiegheil" "дкв"))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_ALPHABET, st.text(max_size=3)), max_size=60).map("".join))
def test_never_crashes_and_the_evidence_is_where_the_span_says(text: str) -> None:
    m = SymbolTextMatcher()
    got = m.match(item(text), [("attachments[0].ocr", text[::-1])])
    for f in got:
        src = text if f.evidence.field == "text" else text[::-1]
        assert f.evidence.span is not None
        s, e = f.evidence.span
        assert 0 <= s < e <= len(src)
        assert f.evidence.text == src[s:e]
    assert len({f.entry for f in got}) == len(got)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_ALPHABET, st.text(max_size=3)), max_size=60).map("".join))
def test_the_prefilter_never_hides_a_finding(text: str) -> None:
    screened, full = SymbolTextMatcher(), SymbolTextMatcher(screen=False)
    a = [(f.entry, f.evidence.span) for f in screened.match(item(text))]
    b = [(f.entry, f.evidence.span) for f in full.match(item(text))]
    assert a == b


@pytest.mark.parametrize(("text", "level"), [
    ("ЖИЗНЬ ВОРАМ АУЕ ХОДУ ВЕЧНО", "distribution"),
    ("ауе", "indicator"),
    ("Ауе!", "indicator"),
    ("ауе ★", "distribution"),
    ("а.у.е", "distribution"),
    ("АУЕ", "distribution"),
    ("Я АУЕ епт", "distribution"),
    ("ты правда не знаешь, что значит ауе?", "mention"),
    ("кто начинал с малого, оказались в ауе", "mention"),
    ("лекцию читает по АУЕ в университете", "mention"),
    ("постить символику АУЕ я боюсь", "mention"),
])
def test_aue_named_in_a_sentence_about_it_is_a_mention(text: str, level: str) -> None:
    found = [f for f in SymbolTextMatcher().match(Item(platform="vk", native_id="w1", kind="post", text=text))
             if f.entry == "aue-star"]
    assert [f.level for f in found] == [level]
    if level == "indicator":  # small letters on their own: a common exclamation, shown «на проверку»
        from repostguard.findings.legal import LOW_CONFIDENCE

        assert found[0].score < LOW_CONFIDENCE and "возглас" in found[0].explanation_ru
