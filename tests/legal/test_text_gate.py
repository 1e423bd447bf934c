"""The scan's text gate (matchers/gate.py): one pass over a batch's normalised text tells which items each
matcher other than the FSM must read. It must never keep a finding away: an item whose texts hold a
matcher's piece reaches it, one with none does not, and the findings of the gated matchers are those of the
ungated ones, on every text."""

from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repostguard.banks.orgs import ORG_KINDS, parse_org_file
from repostguard.matchers.gate import GateIndex, TextGate, gate_texts
from repostguard.matchers.identity import IdentityMatcher
from repostguard.matchers.orgs import OrgMatcher
from repostguard.matchers.statements import StatementMatcher
from repostguard.matchers.symbols import SymbolMatcher
from repostguard.matchers.symbols_text import SymbolTextMatcher
from repostguard.model import Attachment, Finding, Item, Source

from .conftest import LISTS, need

Batch = list[tuple[Item, list[tuple[str, str]] | None]]


@lru_cache(maxsize=1)
def _members() -> tuple[object, ...]:
    """The default set's matchers the gate screens for: the three organisation lists (the undesirable one
    with the sites list), the statements and the symbols."""
    sites = parse_org_file(need(LISTS / "banned-sites.json"), "sites")
    orgs = [OrgMatcher(parse_org_file(need(LISTS / f"{k}-orgs.json"), k), sites=sites if k == "undesirable" else None)
            for k in ORG_KINDS]
    return (*orgs, StatementMatcher(), SymbolMatcher(None, SymbolTextMatcher()), IdentityMatcher())


@lru_cache(maxsize=1)
def _gate() -> TextGate:
    gate = TextGate(_members())  # type: ignore[arg-type]
    assert gate is not None
    return gate


def _item(text: str, n: int = 0, **kw: object) -> Item:
    return Item("generic", f"g{n}", str(kw.pop("kind", "post")), text=text, **kw)  # type: ignore[arg-type]


def _found(m: object, item: Item, extra: list[tuple[str, str]] | None) -> list[tuple[str, str, str, str]]:
    fs: list[Finding] = m.match(item, extra_texts=extra)  # type: ignore[attr-defined]
    return sorted((f.bank, f.entry, f.level, repr(f.evidence)) for f in fs)


def _same_findings(batch: Batch) -> None:
    """Every member's findings on ``batch``: those of the items the gate lets through are all there are."""
    gate = _gate()
    wanted = gate.look(batch)
    for m in _members():
        through = set(wanted[id(m)])
        for i, (item, extra) in enumerate(batch):
            found = _found(m, item, extra)
            if i not in through:
                assert not found, (type(m).__name__, item.text, extra, found)


def test_an_item_holding_a_piece_reaches_its_matcher_and_one_with_none_does_not() -> None:
    ext, ter, und, stm, sym, ident = _members()
    batch: Batch = [
        (_item("Обычный день, ничего особенного. Погода хорошая, все гуляют.", 0), None),
        (_item("Сторонники «Фонда борьбы с коррупцией» вышли на акцию", 1), None),
        (_item("Надо их всех убить, этих предателей", 2), None),
        (_item("Зиг хайль, 14/88", 3), None),
        (_item("Вот ссылка: https://meduza.io/news/1", 4), None),
        (_item("А.У.Е. жизнь ворам", 5), None),
        (_item("", 6, attachments=[Attachment("photo", path="p.jpg")]), None),
        (_item("Просто текст 😀 с эмодзи", 7), None),
        (_item("Телефон: +7 999 123-45-67", 8, kind="profile"), None),
    ]
    wanted = _gate().look(batch)
    for m in (ext, ter, und, stm, sym):
        assert 0 not in wanted[id(m)]  # ordinary text: no matcher reads it
    assert 1 in wanted[id(ext)]
    assert 2 in wanted[id(stm)]
    assert 3 in wanted[id(sym)] and 3 in wanted[id(stm)]
    assert 4 in wanted[id(und)]
    assert 5 in wanted[id(sym)]
    assert 6 in wanted[id(sym)] and 6 not in wanted[id(stm)]  # a picture: the symbols read its pictures
    assert 7 in wanted[id(sym)] and 7 not in wanted[id(ext)]  # an emoji: the symbols check it themselves
    assert wanted[id(ident)] == [8]  # identity facts: a profile's only
    # and what they find there is what they find ungated
    _same_findings(batch)
    assert _found(ext, *batch[1]) and _found(stm, *batch[2]) and _found(sym, *batch[3])


def test_the_index_is_kept_between_runs(tmp_path: Path) -> None:
    members = _members()
    first = TextGate(members, tmp_path)  # type: ignore[arg-type]
    kept = list(tmp_path.glob("gate-*.pickle"))
    assert len(kept) == 1
    again = TextGate(members, tmp_path)  # type: ignore[arg-type]
    assert isinstance(again.index, GateIndex) and again.index.digest == first.index.digest
    batch: Batch = [(_item("Сторонники «Фонда борьбы с коррупцией»", 0), None)]
    assert again.look(batch) == first.look(batch)


def _phrases() -> list[str]:
    """Names of every list (as the lists write them, and in other case forms and letters), trigger words,
    symbols and codes: the words the random texts are made of, with ordinary ones."""
    out: list[str] = []
    rng = random.Random(23)
    for m in _members()[:3]:
        texts = sorted({p.text for p in m.phrases.values()})  # type: ignore[attr-defined]
        out += rng.sample(texts, min(60, len(texts)))
        out += sorted(m.domains)[:20]  # type: ignore[attr-defined]
    out += ["Мир всем", "Мир Всем", "мир всем", "Группа 36", "группы 36", "Нет войне", "Свободная Россия", "ВЕК РА",
            "Ногай Эл", "АУЕ", "А.У.Е.", "а у е", "AUE", "аue", "88", "1488", "14/88", "卐", "ᛋᛋ", "зиг", "хайль",
            "надо", "всех", "убить", "убей", "смерть", "вешать", "пора", "давайте", "уничтожим", "их", "солдаты",
            "убийцы", "нет", "войне", "Крым", "свободу", "Сибири", "террористы", "герои", "организация",
            "запрещённая", "экстремистская", "признана", "фонд", "движение", "магазин", "кафе", "щенка", "назвали"]
    return out


_ORDINARY = ("жизнь человек время дело день рука работа слово место друг вопрос дом страна мир группа право "
             "форма война мысль действие русский народ история всегда все всем очень уже").split()
_GLUE = [" ", " ", " ", ", ", ". ", "! ", "? ", " «", "» ", '"', "“", "”", "\n", " - ", "-", ".", "...", " )))",
         "\u00ad", "\u200b", " 😀 ", "_", "  ", "№ ", ": "]


@st.composite
def _texts(draw: st.DrawFn) -> str:
    words = st.one_of(st.sampled_from(_phrases()), st.sampled_from(_ORDINARY),
                      st.sampled_from(_ORDINARY).map(str.capitalize), st.text(max_size=6))
    n = draw(st.integers(0, 14))
    parts: list[str] = []
    for _ in range(n):
        w = draw(words)
        case = draw(st.sampled_from(["", "", "upper", "lower", "title", "look-alike"]))
        if case == "upper":
            w = w.upper()
        elif case == "lower":
            w = w.lower()
        elif case == "title":
            w = w.title()
        elif case == "look-alike":
            w = w.replace("о", "o").replace("а", "a").replace("е", "e").replace("р", "p")
        parts += [w, draw(st.sampled_from(_GLUE))]
    return "".join(parts)


@st.composite
def _batches(draw: st.DrawFn) -> Batch:
    batch: Batch = []
    for n in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["post", "post", "comment", "repost", "audio", "profile"]))
        atts: list[Attachment] = []
        for _ in range(draw(st.integers(0, 2))):
            t = draw(st.sampled_from(["link", "audio", "photo", "video"]))
            atts.append(Attachment(t, url=draw(st.sampled_from([None, "https://meduza.io/x", "https://vk.com/id1",
                                                                  "https://example.org/88"])),
                                   title=draw(st.one_of(st.none(), _texts())),
                                   artist=draw(st.one_of(st.none(), _texts())) if t == "audio" else None))
        src = Source(name=draw(_texts()), url=None) if kind == "repost" and draw(st.booleans()) else None
        extra = [("attachments[0].ocr", draw(_texts()))] if draw(st.integers(0, 4)) == 0 else None
        batch.append((_item(draw(_texts()), n, kind=kind, attachments=atts, reposted_from=src), extra))
    return batch


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_batches())
def test_gated_findings_equal_the_ungated_ones(batch: Batch) -> None:
    """Random items made of the lists' names (in other cases and letters), trigger words, symbols, ordinary
    words, quotation marks, punctuation, characters the normalisation deletes, emoji; with attachments,
    repost sources and text read from pictures: no finding is ever kept from its matcher."""
    _same_findings(batch)


def test_gated_findings_equal_the_ungated_ones_on_the_dev_set() -> None:
    """The same on every item of the shared dev set (its quotes, links, audio, news about bans)."""
    from repostguard.importers.generic import GenericImporter

    path = need(LISTS.parent.parent / "bench" / "dev" / "items.jsonl")
    items = list(GenericImporter(path).iter_items())
    assert items
    for b in range(0, len(items), 512):
        _same_findings([(it, None) for it in items[b : b + 512]])


def test_gate_texts_are_every_text_a_matcher_reads() -> None:
    item = _item("текст", 0, attachments=[Attachment("audio", title="песня", artist="певец"),
                                            Attachment("link", url="https://a.org/", title="заголовок")],
                 reposted_from=Source(name="Сообщество"))
    assert gate_texts(item, [("attachments[2].ocr", "с картинки")]) == [
        "текст", "заголовок", "с картинки", "песня", "певец", "Сообщество", "https://a.org/"]


@pytest.mark.parametrize("text", ["Мир всем!", "Скажу так: Мир Всем", "«Мир всем»", "организация «Группа 36»"])
def test_weak_names_of_ordinary_words(text: str) -> None:
    """A weak name (ordinary words) reaches its list only as the full match may find it."""
    _same_findings([(_item(text, 0), None), (_item("Вчера " + text, 1), None)])


@pytest.mark.parametrize("text", ["Двадцатый век разума и работы", "Век радости прошёл", "век раз в сто лет"])
def test_a_short_unknown_word_of_a_name_is_looked_for_whole(text: str) -> None:
    """«Ра» of «Век Ра» is a word pymorphy does not know: its own only form. The start of ordinary words it is
    («разум», «работа») does not let a text through to the list, the word itself does."""
    ext = _members()[0]
    batch: Batch = [(_item(text, 0), None), (_item("Община «ВЕК РА» и её сторонники", 1), None),
                    (_item("Был в общине Век Ра!", 2), None)]
    wanted = _gate().look(batch)[id(ext)]
    assert 0 not in wanted and {1, 2} <= set(wanted)
    assert _found(ext, *batch[1]) and _found(ext, *batch[2])
    _same_findings(batch)
