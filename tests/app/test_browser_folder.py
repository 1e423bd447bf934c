"""The folder picker and the time zone in a real headless Chromium (as ``test_browser``): the
Telegram Desktop export folder chosen through the folder input and sent file by file by
``start.js``, the job followed to the summary with its timeline by year, then the zone changed
with the select and a date seen in it.

Screenshots of the start screen at 1280 and 390 px go to ``/tmp/app-shots2/``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from chromium import Served, demo_home, launched, require

require()

SHOTS = Path("/tmp/app-shots2")
TELEGRAM = Path(__file__).resolve().parents[1] / "fixtures" / "telegram" / "full_export"


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    home, _hist = demo_home(tmp_path)
    db = tmp_path / "ws" / "workspace.sqlite"
    env = {k: v for k, v in os.environ.items() if k != "REPOSTGUARD_DISPLAY_TZ"}
    app = Served(["app", "--no-browser", "--no-ocr", "--db", str(db)], dict(env, REPOSTGUARD_HOME=str(home)))
    try:
        line = app.start()
        assert line.endswith("/start"), line
        yield line, db
    finally:
        app.stop()


def test_folder_through_the_picker_and_the_zone(app_url: tuple[str, Path]) -> None:
    start, db = app_url
    SHOTS.mkdir(parents=True, exist_ok=True)
    with launched() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(start)
        assert page.locator("#archive-folder").get_attribute("webkitdirectory") is not None
        page.screenshot(path=str(SHOTS / "start-1280.png"), full_page=True)
        page.click("#folder-upload-btn")  # nothing chosen yet
        assert "Сначала выберите папку" in page.inner_text("#folder-error")

        page.set_input_files("#archive-folder", str(TELEGRAM))
        page.click("#folder-upload-btn")
        page.wait_for_selector("#see-findings", timeout=60_000)
        assert page.locator("#job").get_attribute("data-state") == "done"
        assert "Telegram" in page.locator(".summary-table").inner_text()
        assert page.locator("#timeline svg.chart").count() == 1
        kept = db.with_name(db.name + ".uploads") / TELEGRAM.name
        assert (kept / TELEGRAM.name / "result.json").is_file() and any(kept.rglob("*.jpg"))

        # the zone: Moscow first, then Yekaterinburg; the job's list date is shown in it
        assert "Europe/Moscow (МСК)" in page.inner_text("#zone-now")
        page.select_option("#zone-select", "Asia/Yekaterinburg")
        page.click("#zone button[type=submit]")
        page.wait_for_selector("#zone-now")
        assert "Asia/Yekaterinburg" in page.inner_text("#zone-now")
        assert page.locator("#zone-select").input_value() == "Asia/Yekaterinburg"
        page.screenshot(path=str(SHOTS / "start-done-1280.png"), full_page=True)
        page.goto(start.rsplit("/", 1)[0] + "/")
        page.wait_for_selector("li.card")
        assert "Asia/Yekaterinburg" in page.inner_text("body")

        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.goto(start)
        assert not phone.locator("#timeline").evaluate("d => d.open")  # folded on a phone
        phone.screenshot(path=str(SHOTS / "start-done-390.png"), full_page=True)
        phone.screenshot(path=str(SHOTS / "start-done-390-first-screen.png"))
        assert errors == []
