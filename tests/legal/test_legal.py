"""Severity and legal context: articles, role, visibility, the two clocks, prior penalties, wording."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from repostguard.findings.legal import ARTICLES, BANK_ARTICLES, add_prior_penalty, legal_context
from repostguard.model import Evidence, Finding, Item
from repostguard.store import Store


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path / "w.sqlite")
    s.import_items(
        [
            Item("generic", "p1", "repost", text="x", date="2016-03-01T10:00:00+03:00", visibility="friends"),
            Item("generic", "p2", "like", text="y", date="2024-03-01T10:00:00+03:00"),
        ],
        source="t",
        platform="generic",
    )
    s.save_list_entries(
        "fsm",
        "fsm-v1",
        [
            (
                "10",
                "Книга «А» (решение суда от 05.05.2016)",
                None,
                False,
                "решение суда от 05.05.2016",
                "2016-05-05",
            ),
            ("4100", "Песня «Б»", "2017-04-01", False, None, None),
        ],
    )
    return s


def _row(store: Store, item: str, bank: str, entry: str, level: str) -> dict[str, object]:
    it = store.get_item(item)
    assert it is not None
    f = Finding(it.id, it.ref, bank, entry, level, "quote", 1.0, Evidence("text", "x"), "", "", "fsm-v1")
    store.save_findings(store.start_scan("fsm", "fsm-v1", "0", "t"), bank, [it.id], [f], "t", 1)
    return dict(next(r for r in store.findings_rows(bank) if r["item_id"] == it.id))


def test_posted_before_listing_uses_the_court_decision_for_old_entries(store: Store) -> None:
    ctx = legal_context(store, _row(store, "p1", "fsm", "10", "distribution"), today=date(2026, 1, 1))
    assert [a["code"] for a in ctx["articles"]] == ["Admin 20.29"]
    assert ctx["item_date"] == "2016-03-01" and ctx["listed_date"] == "2016-05-05"
    assert ctx["listed_date_source"] == "decision" and ctx["posted_before_listing"] is True
    assert any("до того как" in n for n in ctx["notes"]["ru"]) and any(
        "before" in n for n in ctx["notes"]["en"]
    )
    assert ctx["role"]["kind"] == "repost" and "распространением" in ctx["role"]["ru"]
    assert ctx["visibility"]["value"] == "friends" and ctx["severity"] == "high"
    assert (
        "юридическая консультация" in ctx["disclaimer"]["ru"]
        and "not legal advice" in ctx["disclaimer"]["en"]
    )
    assert "90" in ctx["articles"][0]["limitation_ru"]


def test_posted_after_listing_and_likes(store: Store) -> None:
    ctx = legal_context(store, _row(store, "p2", "fsm", "4100", "mention"))
    assert ctx["posted_before_listing"] is False and ctx["listed_date_source"] == "included"
    assert any("нравится" in n for n in ctx["notes"]["ru"]) and ctx["severity"] == "medium"


def test_prior_penalty_shows_escalation_only_within_a_year(store: Store) -> None:
    row = {
        "bank": "statements",
        "entry": "discredit-army",
        "level": "indicator",
        "kind": "post",
        "date": "2025-01-01",
        "list_version": "statements-1",
    }
    assert legal_context(store, row, today=date(2025, 6, 1))["escalation"] == []
    add_prior_penalty(store.conn, date(2025, 3, 1), "20.3.3")
    ctx = legal_context(store, row, today=date(2025, 6, 1))
    assert [e["becomes"] for e in ctx["escalation"]] == ["CC 280.3"] and ctx["severity"] == "high"
    assert legal_context(store, row, today=date(2026, 6, 1))["escalation"] == []


def test_every_bank_and_category_has_known_articles() -> None:
    from repostguard.matchers.statements import CATEGORIES

    for cat in CATEGORIES:
        assert BANK_ARTICLES[f"statements:{cat}"]
    for codes in BANK_ARTICLES.values():
        for c in codes:
            a = ARTICLES[c]
            assert a.penalty_ru and a.penalty_en and a.limitation_ru and a.limitation_en


def test_works_on_findings_json_dicts_without_a_store() -> None:
    ctx = legal_context(
        None,
        {"bank": "orgs-undesirable", "entry": "abc", "level": "mention", "kind": "comment", "date": None},
    )
    assert [a["code"] for a in ctx["articles"]] == ["Admin 20.33"]
    assert ctx["listed_date"] is None and ctx["posted_before_listing"] is False
