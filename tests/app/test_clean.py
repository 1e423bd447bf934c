"""The clean-up page, driven through its forms (in-process, against the local fake VK server): plan,
backup, access from VK's final address, account confirmation, run with captcha, flood-control,
rate limit, revoked token and an already deleted post, pause and continue, checklist ticks, journal,
the end check; and the token and passphrase found nowhere on disk."""

from __future__ import annotations

import re
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from actions.conftest import OWNER, PASSPHRASE, TOKEN, Workspace, build_workspace, fake_state
from fakes.vk_server import FakeVkState, serve
from russian import foreign_words

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from repostguard.app.cleanup import CleanUp
from repostguard.app.jobs import Jobs
from repostguard.app.start import create_start_app
from repostguard.store import Store, now_iso

from .conftest import ORIGIN, PORT
from .conftest import TOKEN as PAGE_TOKEN

BASE = f"/{PAGE_TOKEN}"


def add_findings(db: Path, ids: list[str]) -> None:
    """A finding on each item (the clean-up page names the years of flagged wall posts)."""
    with Store.open(db) as store, store.conn:
        for n, iid in enumerate(ids):
            store.conn.execute(
                "INSERT INTO findings (item_id, bank, entry, level, signal, score, evidence, explanation_ru,"
                " explanation_en, list_version, matcher_version) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (iid, "fsm", str(100 + n), "distribution", "quote", 1.0, "{}", "x", "x", "t", "t"),
            )
        store.conn.execute("UPDATE items SET date=? WHERE kind IN ('post','repost')", ("2019-03-14T20:02:00+03:00",))


def final_address(token: str = TOKEN, user: int = OWNER) -> str:
    return f"https://oauth.vk.ru/blank.html#access_token={token}&expires_in=86400&user_id={user}"


class Page:
    """The clean-up page through a test client: forms posted with the page's own Origin."""

    def __init__(self, client: TestClient, jobs: Jobs) -> None:
        self.client = client
        self.jobs = jobs

    def get(self, query: str = "") -> str:
        r = self.client.get(f"{BASE}/clean{query}")
        assert r.status_code == 200, r.text
        return r.text

    def post(self, path: str, status: int = 303, **form: str) -> Any:
        r = self.client.post(f"{BASE}/clean/{path}", data=form, headers={"origin": ORIGIN},
                             follow_redirects=False)
        assert r.status_code == status, r.text[:2000]
        return r

    def wait(self) -> None:
        deadline = time.monotonic() + 60
        while self.jobs.running() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not self.jobs.running()


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    w = build_workspace(tmp_path, n_posts=12)
    add_findings(w.db, w.delete_ids)
    return w


@pytest.fixture
def vk(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeVkState]:
    st = fake_state(ws)
    with serve(st) as url:
        monkeypatch.setenv("REPOSTGUARD_VK_API_URL", url)
        yield st


@pytest.fixture
def page(ws: Workspace, vk: FakeVkState) -> Iterator[Page]:
    jobs = Jobs(ws.db, ocr=False)
    cleanup = CleanUp(ws.db, jobs, pace=0.0, jitter=0.0, log2_n=12)
    asgi, _ = create_start_app(ws.db, PAGE_TOKEN, PORT, jobs=jobs, cleanup=cleanup)
    client = TestClient(asgi, base_url=ORIGIN)
    try:
        yield Page(client, jobs)
    finally:
        jobs.cancel()
        jobs.wait(30)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_whole_clean_up_in_the_page(page: Page, ws: Workspace, vk: FakeVkState, tmp_path: Path) -> None:
    # the plan, and what VK hides at once: the year of the flagged wall posts, comments and likes elsewhere
    html = page.get()
    assert "Что будет сделано" in html and 'data-platform="vk"' in html
    assert 'data-year="2019"' in html
    assert "только удаление" in text(html)
    # nothing can start before a backup and an access
    page.post("run", status=400)
    # the backup: the passphrase typed twice, used and dropped
    assert "не совпадают" in text(page.post("backup", status=400, passphrase=PASSPHRASE, again="other pass").text)
    page.post("backup", passphrase=PASSPHRASE, again=PASSPHRASE)
    assert 'id="backup-done"' in page.get()
    # the access: the link to VK's own page; a wrong paste; another account's token; then the right one
    html = page.get()
    link = re.search(r'id="token-link" href="([^"]+)"', html)
    assert link and link.group(1).startswith("https://oauth.vk.ru/authorize?client_id=")
    assert "сторонние сайты" in text(html)
    assert "нет токена" in text(page.post("access", status=400, address="https://oauth.vk.ru/blank.html#").text)
    other = page.post("access", status=400, address=final_address("vk1.a.other-account-token-SECRET", 999)).text
    assert "другого аккаунта" in text(other)
    page.post("access", address=final_address())
    html = page.get()
    assert "Тест Тестов (id 100001). Это ваш аккаунт?" in text(html)
    assert vk.total_deletions() == 0  # nothing sent before the account is confirmed
    page.post("confirm")
    # the run meets, in order: 6 (retried by itself), a captcha, flood control, a revoked token
    vk.script = {2: 6, 4: 14, 7: 9, 10: 5}
    gone_key = ws.keys[ws.delete_ids[0]]
    vk.objects[gone_key] = False  # deleted on VK already (by the person, in the browser)
    page.post("run")
    page.wait()
    html = page.get()
    assert 'data-reason="captcha"' in html, text(html)[-3000:]
    img = re.search(r'href="([^"]+)"[^>]*id="captcha-link"', html)
    assert img and img.group(1).startswith("https://api.vk.ru/captcha.php")
    page.post("captcha", key=vk.captcha[1] if vk.captcha else "")
    page.wait()
    html = page.get()
    assert 'data-reason="flood"' in html and "Вернитесь после" in text(html)
    page.post("run", status=400)  # the limit holds until tomorrow unless the person chooses to try
    page.post("run", anyway="1")
    page.wait()
    html = page.get()
    assert 'data-reason="token"' in html
    assert 'id="token-link"' in html  # the access is forgotten: step 3 asks again
    vk.revoked.clear()  # the person gave access again: a new token (the fake takes the same one back)
    page.post("access", address=final_address())
    page.post("confirm")
    # pause at once, then continue to the end
    vk_pace = page.jobs
    assert 'id="flood-wait"' in page.get()  # the day's limit is still remembered
    page.post("run", anyway="1")
    page.post("pause")
    page.wait()
    assert vk_pace.current is not None and vk_pace.current.state in ("cancelled", "done")
    if vk_pace.current.state == "cancelled":
        assert 'id="paused"' in page.get()
        page.post("run", anyway="1")
        page.wait()
    html = page.get()
    assert 'id="run-finished"' in html, text(html)[-2000:]
    # every decided object deleted exactly once, nothing else touched, the gone one not sent again
    assert set(vk.deletions) == set(ws.keys.values()) - {gone_key}
    assert vk.redundant == [gone_key]  # asked once; VK said it was gone; recorded so
    assert all(n == 1 for n in vk.deletions.values())
    assert vk.captcha_answers and vk.errors.get(9) == 1 and vk.errors.get(5) == 1
    with Store.open(ws.db) as store:
        tomb = {r[0] for r in store.conn.execute("SELECT id FROM items WHERE deleted_at IS NOT NULL")}
    assert tomb == set(ws.delete_ids)
    # the journal in words; the checklist holds the hide decision, with a direct link, ticked in the page
    assert "удаление записи" in html and "уже было удалено" in html
    hide = ws.hide_ids[0]
    assert f'id="item-{hide}"' in html and 'class="own-link"' in html
    page.post("tick", item=hide)
    assert "сделано 1 из 1" in page.get()
    # the end: sessions ended in VK, the check says the access is closed and forgets it
    page.post("closed")
    assert 'id="closed-no"' in page.get()
    vk.revoke_all()
    page.post("closed")
    html = page.get()
    assert 'id="closed-yes"' in html and 'id="access-done"' in html and 'id="token-link"' not in html
    # neither secret is anywhere on disk: the workspace, its journal, settings, the backup
    for f in tmp_path.rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            assert TOKEN.encode() not in data, f
            assert PASSPHRASE.encode() not in data, f


def test_no_token_checklist_covers_every_planned_item(page: Page, ws: Workspace) -> None:
    html = page.get("?all=1")
    for iid in ws.delete_ids + ws.hide_ids:
        assert f'id="item-{iid}"' in html
    assert "Записи · 2019" in text(html) or "2019" in html
    # a tick on a planned deletion records it as gone with the date
    page.post("tick", item=ws.delete_ids[0])
    with Store.open(ws.db) as store:
        row = store.conn.execute("SELECT deleted_at FROM items WHERE id=?", (ws.delete_ids[0],)).fetchone()
    assert row[0] and row[0] <= now_iso()


def _page_words(html: str) -> str:
    from selectolax.lexbor import LexborHTMLParser

    return LexborHTMLParser(html).body.text(separator=" ") if LexborHTMLParser(html).body else ""


def test_the_clean_up_page_says_no_english_word_in_russian(page: Page, ws: Workspace, vk: FakeVkState) -> None:
    """Every state of the page in Russian (plan, access asked, account to confirm, a stop, the journal, the
    checklist) holds no English word or internal code outside the data (refs, addresses, post text, VK's
    own answer)."""
    with Store.open(ws.db) as store:
        data = tuple(r[0] for r in store.conn.execute("SELECT ref FROM items")) + tuple(
            r[0] for r in store.conn.execute("SELECT url FROM items WHERE url IS NOT NULL")) + tuple(
            r[0] for r in store.conn.execute("SELECT text FROM items"))
    # VK's own answers; the address VK ends on; the language switch names the other language in it
    data += ("Captcha needed", "Flood control", "User authorization failed", "client_id", "access_token", "English")
    shown = [page.get(), page.get("?all=1")]
    page.post("backup", passphrase=PASSPHRASE, again=PASSPHRASE)
    page.post("access", address=final_address())
    shown.append(page.get())
    page.post("confirm")
    vk.script = {1: 14}
    page.post("run")
    page.wait()
    shown.append(page.get())
    for html in shown:
        words = foreign_words(_page_words(html), data=data)
        assert words == [], words
