"""The legal context of each finding where the person reads findings: the HTML and JSON report and
the review page's item view (issue 7, item 3). Post text stays escaped around it."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from repostguard.app.web import create_app
from repostguard.reports import render_html, report_json
from repostguard.store import Store
from repostguard.views.entries import Entries

from .conftest import item_id

PORT = 45679
TOKEN = "legal-t0ken"


def _store_entries(db: Path) -> None:
    """The list entries the findings point to, as a scan stores them (entry 11: before 2017)."""
    with Store.open(db) as store:
        store.save_list_entries("fsm", "fsm-test", [
            ("10", "Книга «Запрещённая книга» (решение суда от 01.02.2019);", "2019-03-15", False,
             "решение суда от 01.02.2019", "2019-02-01"),
            ("11", "Песня «Дурная песня» (решение суда от 05.06.2015);", None, False,
             "решение суда от 05.06.2015", "2015-06-05"),
        ])


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_report_html_has_the_legal_block_and_escapes_posts(workspace: Path, lang: str) -> None:
    _store_entries(workspace)
    with Store.open(workspace) as store:
        html = render_html(store, lang)
    ru = lang == "ru"
    # the hostile post is text
    assert "<script>window.__pwned" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.__pwned" in html
    # the not-legal-advice note once at the top, then a block per finding
    assert html.count("Правовой контекст (оценка риска)" if ru else "Legal context (risk estimate)") == 5
    assert ("ст. 20.29 КоАП РФ" if ru else "Admin Code art. 20.29") in html
    assert ("1 000–3 000 ₽" if ru else "1,000–3,000 RUB") in html
    assert ("длящимся" if ru else "continuing offence") in html
    # p1 (04.05.2018) was posted before entry 10 was listed (15.03.2019)
    assert ("Запись сделана 04.05.2018, до того как" if ru else "Posted on 2018-05-04, before") in html
    assert "575" in html
    assert ("оценка риска, а не вывод о нарушении" if ru else "not a finding of an offence") in html
    # sources listed once, as text: nothing in the report is a link or loads anything
    assert ("Источники" if ru else "Sources") in html and "consultant.ru, pravo.gov.ru" in html
    assert "rapsinews.ru (14.05.2024)" in html
    assert "<a " not in html and "href=" not in html and "<img" not in html
    assert re.search(r"\[\d+\]", html)


def test_report_json_carries_the_legal_object(workspace: Path) -> None:
    _store_entries(workspace)
    with Store.open(workspace) as store:
        data = report_json(store)
    by_item = {i["item"]: i["findings"][0]["legal"] for i in data["items"]}
    assert by_item["p1"]["posted_before_listing"] is True and by_item["p1"]["listed_date"] == "2019-03-15"
    assert by_item["p2"]["listed_date_source"] == "decision" and by_item["p2"]["posted_before_listing"] is False


@pytest.fixture
def client(workspace: Path, fsm_file: Path) -> TestClient:
    return TestClient(create_app(workspace, TOKEN, PORT, Entries(fsm_file)), base_url=f"http://127.0.0.1:{PORT}")


def test_item_page_shows_the_legal_block(client: TestClient, workspace: Path) -> None:
    page = client.get(f"/{TOKEN}/item/{item_id(workspace, 'p1')}").text
    assert 'class="legal sev-high"' in page and "Правовой контекст (оценка риска)" in page
    assert "ст. 20.29 КоАП РФ" in page and "1 000–3 000 ₽" in page
    assert "Высокий риск: ваша запись, видна всем" in page
    # the two clocks are the finding's timeline: posted, court decision, listed, today
    assert re.search(r"Дата публикации:</span> <span class=\"tl-when\">04\.05\.2018 10:00 МСК", page)
    assert re.search(r"Включено в список:</span> <span class=\"tl-when\">15\.03\.2019<", page)
    assert "Запись сделана 04.05.2018, до того как материал" in page
    assert "rapsinews.ru (14.05.2024)" in page and 'href="http' not in page
    p2 = client.get(f"/{TOKEN}/item/{item_id(workspace, 'p2')}").text
    assert "репост (суды считают его распространением)" in p2
    # before 2017 the list gives no inclusion date: the court date is shown as the court date only
    assert "в списке с 05.06.2015" not in p2 and "дата включения неизвестна" in p2
    assert re.search(r"Решение суда:</span> <span class=\"tl-when\">05\.06\.2015<", p2)
    assert "дата решения суда, а не включения" in p2 and "до того как" not in p2
    # a hostile post around the block stays text
    p3 = client.get(f"/{TOKEN}/item/{item_id(workspace, 'p3')}").text
    assert "<script>window.__pwned" not in p3 and "Правовой контекст" in p3
    client.get(f"/{TOKEN}/lang/en?back=/{TOKEN}/")
    en = client.get(f"/{TOKEN}/item/{item_id(workspace, 'p1')}").text
    assert "Legal context (risk estimate)" in en and "Admin Code art. 20.29" in en
    assert "High risk: your own post, public" in en and "Posted on 2018-05-04, before" in en
