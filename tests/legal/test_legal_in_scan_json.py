"""The scan's findings JSON carries the legal context of every finding (issue 7, item 3): articles
with penalties, limitation, role, visibility, the two clocks, posted-before-listing, a risk sentence,
sources and the not-legal-advice note."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from repostguard.findings.legal import (
    ARTICLES,
    BANK_ARTICLES,
    ROLE_SOURCES,
    SOURCES,
    VISIBILITY_SOURCES,
    add_prior_penalty,
)
from repostguard.model import KINDS, Evidence, Finding, Item
from repostguard.pipeline.scan import finding_dict, run_scan
from repostguard.store import Store

from .conftest import FSM_2021, need

HEADER = "#;Материал;Дата включения (указывается с 01.01.2017)"
LIST_ROWS = [
    # before 2017: no inclusion date, only the court decision in the text
    ("1", "Листовка «Вымышленный призыв к несуществующему восстанию» (решение Энского районного суда "
          "от 12.03.2009);", ""),
    ("3", "Видеоролик «Марш придуманных теней по улицам Энска» (решение Энского городского суда "
          "от 01.02.2016);", "20.05.2016"),
    ("5", "Текст песни «Ночь над выдуманным городом» (решение Энского суда от 03.03.2019);", "10.04.2019"),
]
ITEMS = [
    {"id": "old", "kind": "post", "date": "2008-06-01T12:00:00+03:00", "visibility": "public",
     "text": "Нашёл старую листовку: «Вымышленный призыв к несуществующему восстанию». Кто помнит?"},
    {"id": "before", "kind": "repost", "date": "2016-02-10T09:30:00+03:00", "visibility": "friends",
     "text": "Марш придуманных теней по улицам Энска",
     "reposted_from": {"name": "Паблик", "url": "https://vk.com/club1"}},
    {"id": "after", "kind": "post", "date": "2019-05-05T22:10:00+03:00",
     "text": "Вспомнилось: «Ночь над выдуманным городом»"},
]


def _write(tmp_path: Path, rows: list[tuple[str, str, str]], items: list[dict[str, Any]]) -> tuple[Path, Path]:
    lines = [HEADER] + [f'{n};"{t.replace(chr(34), chr(34) * 2)}";{d}' for n, t, d in rows]
    fsm = tmp_path / "list.csv"
    fsm.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1251"))
    hist = tmp_path / "items.jsonl"
    hist.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n", "utf-8")
    return fsm, hist


def _scan(tmp_path: Path, fsm: Path, hist: Path) -> dict[str, dict[str, Any]]:
    out = tmp_path / "findings.json"
    run_scan(tmp_path / "w.sqlite", hist, fsm=fsm, json_out=out, ocr=False, progress=False)
    data = json.loads(out.read_text("utf-8"))
    return {f["item"]: f for f in data["findings"] if f["bank"] == "fsm"}


def test_scan_json_has_the_legal_context_of_every_finding(tmp_path: Path) -> None:
    fsm, hist = _write(tmp_path, LIST_ROWS, ITEMS)
    with Store.open(tmp_path / "w.sqlite") as store:  # a penalty the person entered before the scan
        add_prior_penalty(store.conn, date(2025, 3, 1), "20.29", "штраф по 20.29")
    found = _scan(tmp_path, fsm, hist)
    assert set(found) == {"old", "before", "after"}

    before = found["before"]["legal"]
    assert before["posted_before_listing"] is True
    assert (before["item_date"], before["listed_date"], before["listed_date_source"]) == (
        "2016-02-10", "2016-05-20", "included")
    assert [a["code"] for a in before["articles"]] == ["Admin 20.29"]
    art = before["articles"][0]
    assert art["name_ru"] == "ст. 20.29 КоАП РФ" and "1 000–3 000 ₽" in art["penalty_ru"]
    assert "1,000–3,000 RUB" in art["penalty_en"] and "90" in art["limitation_ru"]
    assert before["limitation"]["state"] == "continuing" and "81-АД21-9-К8" in before["limitation"]["ru"]
    assert before["role"]["kind"] == "repost" and "распространением" in before["role"]["ru"]
    assert before["visibility"]["value"] == "friends" and "20.33" in before["visibility"]["en"]
    assert any("до того как" in n and "575-О" in n for n in before["notes"]["ru"])
    assert any("before the material" in n for n in before["notes"]["en"])
    assert "не вывод о нарушении" in before["risk"]["ru"] and "not a finding of an offence" in before["risk"]["en"]
    assert "ст. 20.29 КоАП РФ" in before["risk"]["ru"] and "Admin Code art. 20.29" in before["risk"]["en"]
    assert "not legal advice" in before["disclaimer"]["en"] and "консультация" in before["disclaimer"]["ru"]
    keys = {s["key"] for s in before["sources"]}
    assert {"codes", "koap-4.5", "vs-81-ad21", "ks-575-o", "luzgin", "ulan-ude-2025"} <= keys
    # the prior penalty is only what the person entered; 20.29 has no criminal escalation
    assert before["prior_penalties"] == [{"article": "20.29", "date": "2025-03-01", "note": "штраф по 20.29"}]
    assert before["escalation"] == []

    after = found["after"]["legal"]
    assert after["posted_before_listing"] is False
    assert (after["item_date"], after["listed_date"], after["listed_date_source"]) == (
        "2019-05-05", "2019-04-10", "included")
    assert not any("до того как" in n for n in after["notes"]["ru"])
    assert after["visibility"]["value"] is None and "публичной" in after["visibility"]["ru"]

    old = found["old"]["legal"]  # before 2017: the court decision date is the listing clock
    assert (old["listed_date"], old["listed_date_source"]) == ("2009-03-12", "decision")
    assert old["posted_before_listing"] is True and "решения суда" in old["listed_date_source_label"]["ru"]


def test_finding_dict_without_a_store_has_no_legal_object() -> None:
    it = Item("generic", "x", "post", text="t", date="2020-01-01")
    f = Finding(it.id, it.ref, "fsm", "1", "mention", "quote", 1.0, Evidence("text", "t"), "", "", "v")
    assert "legal" not in finding_dict(f, it)


def test_every_legal_fact_names_known_sources() -> None:
    for codes in BANK_ARTICLES.values():
        for c in codes:
            a = ARTICLES[c]
            assert a.sources and all(k in SOURCES for k in a.sources), c
            if a.escalates_to:
                assert all(k in SOURCES for k in ARTICLES[a.escalates_to].sources)
    for keys in (*ROLE_SOURCES.values(), *VISIBILITY_SOURCES.values()):
        assert all(k in SOURCES for k in keys)
    for s in SOURCES.values():
        assert s.ru and s.en and s.where
        assert "http" not in s.where and "/" not in s.where  # named as text, nothing to fetch


def test_shared_fsm_snapshot_posted_before_and_after_listing(tmp_path: Path) -> None:
    """Against the real 2021-09 export: a post-2017 entry (inclusion date) and a pre-2017 one (decision date)."""
    fsm = need(FSM_2021)
    items = [
        {"id": "s-before", "kind": "repost", "date": "2019-01-10T10:00:00+03:00", "visibility": "public",
         "text": "Смотрите: «Как евреи уничтожают Рода Асов»"},
        {"id": "s-after", "kind": "post", "date": "2020-06-01T10:00:00+03:00",
         "text": "Смотрите: «Как евреи уничтожают Рода Асов»"},
        {"id": "s-old", "kind": "post", "date": "2012-03-01T10:00:00+03:00",
         "text": "Дочитал книгу «Записки испанского летчика», автор Игорь Губкин"},
    ]
    hist = tmp_path / "items.jsonl"
    hist.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n", "utf-8")
    found = _scan(tmp_path, fsm, hist)
    b, a, o = found["s-before"], found["s-after"], found["s-old"]
    assert b["entry"] == a["entry"] == 5000 and o["entry"] == 2033
    assert (b["legal"]["listed_date"], b["legal"]["listed_date_source"]) == ("2019-12-09", "included")
    assert b["legal"]["posted_before_listing"] is True and a["legal"]["posted_before_listing"] is False
    assert (o["legal"]["listed_date"], o["legal"]["listed_date_source"]) == ("2013-03-27", "decision")
    assert o["legal"]["posted_before_listing"] is True


@pytest.mark.parametrize("kind", KINDS)
def test_every_item_kind_has_a_role_in_both_languages(kind: str) -> None:
    from repostguard.findings.legal import legal_context

    ctx = legal_context(None, {"bank": "fsm", "entry": "1", "level": "mention", "kind": kind})
    assert ctx["role"]["ru"] != kind and ctx["role"]["en"] != kind and ctx["risk"]["ru"].startswith("Средний риск")
    # the headline names the kind in words, never the kind's code
    assert f": {kind}," not in ctx["risk"]["ru"] and f": {kind}," not in ctx["risk"]["en"]
