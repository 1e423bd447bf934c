"""The review application through its ASGI interface: the guard, escaping, pictures, decisions,
CSV export, language switch, dossier. (The real-browser checks are in test_browser.py.)"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from repostguard.app.web import CSP, create_app
from repostguard.decisions import get_decision
from repostguard.store import Store
from repostguard.views.entries import Entries

from .conftest import csv_rows, item_id

PORT = 45678
TOKEN = "t0k3n-secret"
ORIGIN = f"http://127.0.0.1:{PORT}"


@pytest.fixture
def client(workspace: Path, fsm_file: Path) -> TestClient:
    app = create_app(workspace, TOKEN, PORT, Entries(fsm_file))
    return TestClient(app, base_url=ORIGIN)


def test_main_page_lists_findings_with_csp(client: TestClient) -> None:
    r = client.get(f"/{TOKEN}/")
    assert r.status_code == 200
    assert r.headers["content-security-policy"] == CSP
    assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP
    assert r.headers["x-frame-options"] == "DENY" and r.headers["referrer-policy"] == "same-origin"
    assert r.text.count('class="card ') == 5
    assert "<svg" in r.text and "Отмеченные записи по годам" in r.text
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", r.text) is None  # no inline script at all
    assert " style=" not in r.text and "<style" not in r.text


def test_hostile_text_is_escaped(client: TestClient, workspace: Path) -> None:
    r = client.get(f"/{TOKEN}/?q=window&scope=all")
    assert r.status_code == 200
    assert "<script>window.__pwned" not in r.text and "<img src=x" not in r.text
    assert "&lt;script&gt;window.__pwned" in r.text and "&lt;img src=x onerror=" in r.text
    r = client.get(f"/{TOKEN}/item/{item_id(workspace, 'p3')}")
    assert "&lt;b&gt;bold?&lt;/b&gt;" in r.text and "<b>bold?</b>" not in r.text
    # the link is text, never a link
    assert "https://evil.example/track?x=1" in r.text and 'href="https://evil' not in r.text
    assert "<mark>запрещённая книга</mark>" in r.text


def test_guard_refuses_foreign_host_origin_and_missing_token(client: TestClient, workspace: Path) -> None:
    assert client.get("/").status_code == 403
    assert client.get("/wrong-token/").status_code == 403
    assert client.get(f"/{TOKEN}x/").status_code == 403
    assert client.get(f"/{TOKEN}/", headers={"host": "evil.example"}).status_code == 403
    assert client.get(f"/{TOKEN}/", headers={"host": f"attacker.test:{PORT}"}).status_code == 403
    p1 = item_id(workspace, "p1")
    form = {"item": p1, "action": "delete", "back": f"/{TOKEN}/"}
    assert (
        client.post(f"/{TOKEN}/decide", data=form, headers={"origin": "http://evil.example"}).status_code
        == 403
    )
    assert client.post(f"/{TOKEN}/decide", data=form).status_code == 403  # no Origin, no Sec-Fetch-Site
    assert (
        client.post(f"/{TOKEN}/decide", data=form, headers={"sec-fetch-site": "cross-site"}).status_code
        == 403
    )
    with Store.open(workspace) as store:
        assert get_decision(store, p1) is None
    r = client.get(f"/{TOKEN}", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == f"/{TOKEN}/"


def test_decide_single_bulk_and_clear(client: TestClient, workspace: Path) -> None:
    p1, p2 = item_id(workspace, "p1"), item_id(workspace, "p2")
    r = client.post(
        f"/{TOKEN}/decide",
        data={"item": p1, "action": "delete", "note": "<i>мой</i>", "back": f"/{TOKEN}/?level=distribution"},
        headers={"origin": ORIGIN},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/{TOKEN}/?level=distribution&saved=1#item-{p1}"
    page = client.get(f"/{TOKEN}/?decision=delete").text
    assert page.count('class="card ') == 1 and "&lt;i&gt;мой&lt;/i&gt;" in page
    r = client.post(
        f"/{TOKEN}/decide",
        data={"item": [p1, p2], "action": "keep", "back": "https://evil.example/"},
        headers={"origin": ORIGIN},
        follow_redirects=False,
    )
    assert r.headers["location"] == f"/{TOKEN}/?saved=2"  # a foreign back URL is replaced
    with Store.open(workspace) as store:
        d1 = get_decision(store, p1)
        assert d1 is not None and d1.action == "keep" and d1.note == "<i>мой</i>" and d1.source == "page"
    # bulk on everything the filter selects
    client.post(
        f"/{TOKEN}/decide",
        data={"bulk_all": "1", "sel": "level=mention", "action": "hide", "back": f"/{TOKEN}/"},
        headers={"origin": ORIGIN},
    )
    with Store.open(workspace) as store:
        acts = dict(
            store.conn.execute("SELECT i.ref, d.action FROM decisions d JOIN items i ON i.id=d.item_id")
        )
    assert acts == {"p1": "keep", "p2": "hide", "p6": "hide"}
    client.post(
        f"/{TOKEN}/decide",
        data={"item": p2, "action": "clear", "back": f"/{TOKEN}/"},
        headers={"origin": ORIGIN},
    )
    with Store.open(workspace) as store:
        assert get_decision(store, p2) is None
    assert (
        client.post(
            f"/{TOKEN}/decide", data={"item": p2, "action": "burn"}, headers={"origin": ORIGIN}
        ).status_code
        == 400
    )


def test_pictures_only_from_item_attachments(client: TestClient, workspace: Path) -> None:
    p4 = item_id(workspace, "p4")
    r = client.get(f"/{TOKEN}/media/{p4}/0")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    assert r.content.startswith(b"\x89PNG")
    assert client.get(f"/{TOKEN}/media/{p4}/1").status_code == 404  # SVG is never served
    assert client.get(f"/{TOKEN}/media/{p4}/2").status_code == 404  # outside the export folder
    assert client.get(f"/{TOKEN}/media/{p4}/7").status_code == 404
    assert client.get(f"/{TOKEN}/media/nope/0").status_code == 404
    for sneaky in ("../../decisions.py", "%2e%2e/%2e%2e/decisions.py", "..%2f..%2fdecisions.py"):
        r = client.get(f"/{TOKEN}/static/{sneaky}")
        assert r.status_code in (403, 404) and "def decide" not in r.text
    page = client.get(f"/{TOKEN}/item/{p4}").text
    assert f'src="/{TOKEN}/media/{p4}/0"' in page and f"/media/{p4}/1" not in page
    assert f"/media/{p4}/2" not in page


def test_item_page_shows_entry_dates_and_origin(client: TestClient, workspace: Path) -> None:
    r = client.get(f"/{TOKEN}/item/{item_id(workspace, 'p1')}")
    assert "15.03.2019" in r.text and "решение Ленинского районного суда г. Тестовска от 01.02.2019" in r.text
    assert "04.05.2018 10:00" in r.text and "все (открыто)" in r.text
    assert "Материал включён в список после даты публикации." in r.text
    r = client.get(f"/{TOKEN}/item/{item_id(workspace, 'p2')}")
    assert "Репост из" in r.text and "Паблик «Музыка»" in r.text and "https://vk.com/club42" in r.text
    assert "до 2017 г." in r.text and "только друзья" in r.text
    assert client.get(f"/{TOKEN}/item/nope").status_code == 404


def test_language_switch(client: TestClient) -> None:
    r = client.get(f"/{TOKEN}/lang/en?back=/{TOKEN}/", follow_redirects=False)
    assert r.status_code == 303 and "rg_lang=en" in r.headers["set-cookie"]
    page = client.get(f"/{TOKEN}/").text
    assert "Flagged items by year" in page and 'lang="en"' in page
    client.get(f"/{TOKEN}/lang/ru?back=/{TOKEN}/")
    assert "Отмеченные записи по годам" in client.get(f"/{TOKEN}/").text


def test_csv_export_of_selection(client: TestClient) -> None:
    r = client.get(f"/{TOKEN}/export.csv?level=mention")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    text = r.content.decode("utf-8-sig")
    assert text.startswith("запись,платформа,тип,дата публикации,")  # the header in the person's language
    rows = csv_rows(text)
    assert [row["item"] for row in rows] == ["p2", "p6"]
    assert rows[1]["text"].startswith("'=HYPERLINK")  # a spreadsheet shows it, never runs it
    assert rows[0]["court_decision"].startswith("решение Кировского") and rows[0]["level"] == "упоминание"
    assert rows[0]["bank"] == "ФСЭМ" and rows[0]["platform"] == "общий формат" and rows[0]["kind"] == "репост"
    assert rows[0]["signal"] == "цитата" and rows[0]["evidence_field"] == "в тексте"
    client.cookies.set("rg_lang", "en")
    en = client.get(f"/{TOKEN}/export.csv?level=mention").content.decode("utf-8-sig")
    assert en.startswith("item,platform,kind,date,") and csv_rows(en)[0]["level"] == "mention"


def test_dossier_served_without_inline_style(client: TestClient, workspace: Path) -> None:
    r = client.get(f"/{TOKEN}/dossier/{item_id(workspace, 'p3')}")
    assert r.status_code == 200 and "<style" not in r.text and "dossier.css" in r.text
    assert "&lt;script&gt;" in r.text and "Это не юридическая консультация" in r.text
