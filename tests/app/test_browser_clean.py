"""The clean-up as a person does it, in a real headless Chromium (Debian ``chromium`` + Playwright),
against ``repostguard app`` (the real CLI, in a subprocess) and the local fake VK server: the plan,
the backup's passphrase, VK's token link and the pasted final address, the account confirmed, the
run meeting too many requests (6), a captcha (14, VK's check page), flood control (9) and a revoked
token (5), an already deleted post, pause and reload, a SIGKILL of the app mid-run and a restart
(the access asked again, nothing lost), the checklist ticked, the end check. Then the fake's
counters: every decided object deleted exactly once, nothing else; and neither secret on disk or in
the app's output.

Screenshots at 1280 and 390 px go to ``/tmp/app-shots/`` (and ``artifacts/``, gitignored).
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from actions.conftest import PASSPHRASE, TOKEN, build_workspace, fake_state
from chromium import Served, launched, require, shot
from fakes.vk_server import FakeVkState, serve

from repostguard.store import Store

from .test_clean import add_findings, final_address

require()


class App(Served):
    """``repostguard app`` for the clean-up (fast pace), restartable; :meth:`start` gives the clean-up page."""

    def __init__(self, db: Path, env: dict[str, str]) -> None:
        super().__init__(["app", "--no-browser", "--no-ocr", "--db", str(db), "--clean-pace", "0.25"], env)

    def start(self) -> str:
        line = super().start()
        assert line.endswith("/start"), line
        return line[: -len("start")] + "clean"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[App, FakeVkState, object, Path]]:
    ws = build_workspace(tmp_path, n_posts=20)
    add_findings(ws.db, ws.delete_ids)
    with Store.open(ws.db) as store, store.conn:  # one deletion is left for the person to decide in the page
        store.conn.execute("DELETE FROM decisions WHERE item_id=?", (ws.delete_ids[-3],))
    st = fake_state(ws, captcha_style="page", script={2: 6, 4: 14, 7: 9, 10: 5})
    st.objects[ws.keys[ws.delete_ids[0]]] = False  # already deleted on VK by the person
    with serve(st) as url:
        env = dict(os.environ, REPOSTGUARD_HOME=str(tmp_path / "home"), REPOSTGUARD_VK_API_URL=url)
        env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2] / "src") + os.pathsep + env.get("PYTHONPATH", "")
        app = App(ws.db, env)
        try:
            yield app, st, ws, tmp_path
        finally:
            app.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with launched() as b:
        yield b


def _give_access(page: object) -> None:
    page.fill("#address", final_address())  # type: ignore[attr-defined]
    page.click("#access-submit")  # type: ignore[attr-defined]
    assert "Тест Тестов (id 100001)" in page.inner_text("#access-whose")  # type: ignore[attr-defined]
    page.click("#confirm")  # type: ignore[attr-defined]
    page.wait_for_selector("#access-ok")  # type: ignore[attr-defined]


def _wait_stop(page: object, reason: str) -> None:
    page.wait_for_selector(f'#stop[data-reason="{reason}"]', timeout=60_000)  # type: ignore[attr-defined]


def test_clean_up_in_the_browser(world: tuple[App, FakeVkState, object, Path], browser: object) -> None:
    app, st, ws, tmp = world
    url = app.start()
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.text} @ {m.location.get('url')}") if m.type == "error" else None)
    # from the reviewed findings: the last decision made on the item's page, then «К очистке»
    base = url[: -len("clean")]
    page.goto(f"{base}item/{ws.delete_ids[-3]}")
    page.click("form.decide button.act-delete")
    page.wait_for_selector("form.decide button.act-delete.chosen")
    page.goto(base)
    page.click("#to-clean")
    page.wait_for_url(url)
    assert page.locator("h1").inner_text() == "Очистка: удалить выбранное"
    assert page.locator("#vk-years li").count() == 1 and "2019" in page.inner_text("#vk-years")
    assert "только удаление" in page.inner_text("#vk-elsewhere")
    shot(page, "clean-1280.png")
    phone = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    phone.goto(url)
    shot(phone, "clean-390.png")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()

    # the backup: the passphrase typed twice in the page
    page.fill("#passphrase", PASSPHRASE)
    page.fill("#again", PASSPHRASE)
    page.click("#backup-submit")
    page.wait_for_selector("#backup-done")
    page.reload()
    assert page.locator("#backup-done").count() == 1
    # the access: VK's own page, nothing else; the final address pasted back; the account confirmed
    link = page.get_attribute("#token-link", "href") or ""
    assert link.startswith("https://oauth.vk.ru/authorize?client_id=") and "scope=wall%2Cphotos%2Cvideo" in link
    assert page.get_attribute("#token-link", "rel") == "noopener noreferrer"
    _give_access(page)
    page.reload()
    assert page.locator("#access-ok").count() == 1  # reload keeps the step
    # the run: error 6 is retried by itself; the captcha sends the person to VK's check page
    page.click("#start")
    _wait_stop(page, "captcha")
    assert (page.get_attribute("#captcha-page", "href") or "").startswith("https://id.vk.ru/not_robot_captcha")
    shot(page, "clean-captcha-1280.png")
    page.reload()
    _wait_stop(page, "captcha")
    st.pass_check()  # the person passed the check in their browser
    page.click("#captcha-submit")
    _wait_stop(page, "flood")
    assert "Вернитесь после" in page.inner_text("#stop")
    page.reload()
    _wait_stop(page, "flood")
    page.click("#start")  # «try now»
    _wait_stop(page, "token")
    assert page.locator("#token-link").count() == 1  # the access is forgotten: asked again
    st.revoked.clear()  # a new access from VK (the fake takes the same token back)
    _give_access(page)
    # pause, reload: still paused; continue
    page.click("#start")
    page.click("#pause")
    page.wait_for_selector("#paused", timeout=30_000)
    page.reload()
    assert page.locator("#paused").count() == 1
    page.click("#start")
    # the app is killed in the middle of the run, then started again
    before = st.total_deletions()
    deadline = time.monotonic() + 30
    while st.total_deletions() < before + 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    app.stop(signal.SIGKILL)
    assert st.total_deletions() < len(ws.keys) - 1  # killed before the end
    url = app.start()
    page.goto(url)
    assert page.locator("#interrupted").count() == 1
    assert page.locator("#token-link").count() == 1  # memory only: the access is asked again
    _give_access(page)
    page.click("#start")
    page.wait_for_selector("#run-finished", timeout=120_000)
    shot(page, "clean-finished-1280.png")

    # the fake's counters: every decided object once, nothing else, the gone one never sent
    gone_key = ws.keys[ws.delete_ids[0]]
    assert set(st.deletions) == set(ws.keys.values()) - {gone_key}
    assert all(n == 1 for n in st.deletions.values()), st.deletions
    assert st.redundant == [gone_key]  # asked once; VK said it was gone; recorded so
    assert st.errors.get(6) and st.errors.get(14) and st.errors.get(9) and st.errors.get(5)
    with Store.open(ws.db) as store:
        tomb = {r[0] for r in store.conn.execute("SELECT id FROM items WHERE deleted_at IS NOT NULL")}
    assert tomb == set(ws.delete_ids)

    # the checklist: the hide decision with a direct link to the person's own post, ticked in the page
    hide = ws.hide_ids[0]
    item = page.locator(f"#item-{hide}")
    assert (item.locator("a.own-link").get_attribute("href") or "").startswith("https://vk.com/wall")
    item.locator("button").click()
    page.wait_for_selector(f"#item-{hide}.done")
    page.reload()
    assert page.locator(f"#item-{hide}.done").count() == 1
    # the end: all sessions ended in VK; the check says the access is closed
    page.click("#check-closed")
    page.wait_for_selector("#closed-no")
    st.revoke_all()
    page.click("#check-closed")
    page.wait_for_selector("#closed-yes")
    assert page.locator("#access-done").count() == 1 and page.locator("#token-link").count() == 0
    shot(page, "clean-end-1280.png")
    # the page polled the app while it was killed: that refusal is expected, nothing else
    assert [c for c in console if "ERR_CONNECTION_REFUSED" not in c] == [], console[:8]
    app.stop()

    # neither secret anywhere: the workspace, its journal and settings, the backup, the app's output
    for f in tmp.rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            assert TOKEN.encode() not in data and PASSPHRASE.encode() not in data, f
    out = "\n".join(app.outputs)
    assert TOKEN not in out and PASSPHRASE not in out
