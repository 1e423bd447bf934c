"""The journey in a real headless Chromium (Debian ``chromium`` driven by Playwright), as a person
would go: ``repostguard app`` (the real CLI, in a subprocess), upload the demo history through the
file input, watch the job, see the summary and the findings, open a finding, decide, go back to
the list, reloading at each step and seeing the state kept.

Screenshots at 1280 and 390 px go to ``/tmp/app-shots/`` (and ``artifacts/``, gitignored).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from chromium import SHOTS, Served, demo_home, launched, require, shot

require()


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    root = tmp_path_factory.mktemp("app-browser")
    home, hist = demo_home(root)
    db = root / "ws" / "workspace.sqlite"
    app = Served(["app", "--no-browser", "--no-ocr", "--db", str(db)], dict(os.environ, REPOSTGUARD_HOME=str(home)))
    try:
        line = app.start()
        assert line.endswith("/start"), line
        yield line, hist, db
    finally:
        app.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with launched() as b:
        yield b


def test_journey_upload_watch_review_reload(setup: tuple[str, Path, Path], browser: object) -> None:
    start, hist, db = setup
    base = start[: -len("start")]
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.goto(start)
    assert page.locator("h1").inner_text() == "Проверка архива"
    assert "версия от " in page.locator("#lists").inner_text()
    shot(page, "start-1280.png")

    # check before posting: paste a listed quote, see it named, without leaving the page
    page.fill("#check-text", "Вспомнилось: Мы пришли из страны, которой нет…")
    page.click("#check-submit")
    page.wait_for_selector("#check-answer")
    answer = page.inner_text("#check-result")
    assert "Найдено совпадений: 1" in answer and "запись № 5" in answer, answer
    assert "Ничего не сохранено" in answer
    assert page.url == start  # no reload
    page.fill("#check-text", "С Новым годом! Всем тепла.")
    page.click("#check-submit")
    page.wait_for_selector("#check-answer.check-clear")
    assert "Совпадений не найдено." in page.inner_text("#check-result")
    page.fill("#check-text", "Вспомнилось: Мы пришли из страны, которой нет…")
    page.click("#check-submit")
    page.wait_for_selector("#check-answer.check-found")
    page.locator("#checkbox").screenshot(path=str(SHOTS / "check-1280.png"))

    # a file that is not an export: one clear line, nothing started
    bad = hist.with_name("notes.txt")
    bad.write_text("просто заметки", "utf-8")
    page.set_input_files("#archive-file", str(bad))
    page.click("#archive-upload")
    page.wait_for_selector("#upload-error:not([hidden])")
    assert "это не выгрузка" in page.inner_text("#upload-error")
    assert page.locator("#job").count() == 0

    # the demo history through the file input; the page follows the job and reloads when it ends
    page.set_input_files("#archive-file", str(hist))
    page.click("#archive-upload")
    page.wait_for_selector("#see-findings", timeout=60_000)
    assert page.locator("#job").get_attribute("data-state") == "done"
    assert "Готово" in page.inner_text("#job-headline")
    summary = page.locator(".summary-table").inner_text()
    assert "общий формат" in summary and "Всего" in summary
    assert "Ничего не удаляется" in page.inner_text("details.next")
    shot(page, "start-done-1280.png")

    # the state is kept on the server: a reload shows the same finished job and summary
    page.reload()
    assert page.locator("#job").get_attribute("data-state") == "done"
    assert page.locator(".summary-table").count() == 1

    # the findings: the review page, with the summary at the top and the bulk button «Применить»
    page.click("#see-findings")
    page.wait_for_selector("li.card")
    n_cards = page.locator("li.card").count()
    assert n_cards >= 5
    assert page.locator("#bulk button[type=submit]").inner_text() == "Применить"
    assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 0
    shot(page, "review-1280.png")
    page.reload()
    assert page.locator("li.card").count() == n_cards
    # the bulk form says that nothing is deleted until the clean-up runs
    assert "ничего не удаляется, пока вы не запустите очистку" in page.inner_text("#bulk .not-deleted")

    # open a finding (reload: the same finding), decide (reload: the decision kept), back to the list
    first = page.locator("li.card").first
    item_id = first.get_attribute("data-item")
    first.locator("a.more").click()
    page.wait_for_selector(".your-decision")
    assert page.locator("article.detail").get_attribute("data-item") == item_id
    assert "ничего не удаляется, пока вы не запустите очистку" in page.inner_text(".your-decision .not-deleted")
    page.reload()
    assert page.locator("article.detail").get_attribute("data-item") == item_id
    assert page.locator(".your-decision .decision").count() == 0
    page.fill(".your-decision textarea[name=note]", "скрыть, пока разбираюсь")
    page.click(".your-decision button.act-hide")
    page.wait_for_selector(".your-decision .decision.dec-hide")
    assert page.locator("p.saved").count() == 1
    shot(page, "item-decided-1280.png")
    page.reload()
    assert page.locator("article.detail").get_attribute("data-item") == item_id
    assert page.locator(".your-decision .decision.dec-hide").count() == 1
    assert page.locator(".your-decision button.act-hide").get_attribute("aria-pressed") == "true"
    assert page.input_value(".your-decision textarea[name=note]") == "скрыть, пока разбираюсь"
    page.get_by_role("link", name="← К списку").click()
    page.wait_for_selector("li.card")
    assert page.locator("li.card").count() == n_cards
    assert page.locator(f"li.card[data-item='{item_id}'] .decision.dec-hide").count() == 1
    page.reload()
    assert page.locator(f"li.card[data-item='{item_id}'] .decision.dec-hide").count() == 1
    shot(page, "review-decided-1280.png")

    # phone width
    phone = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    phone.goto(start)
    assert phone.locator(".summary-table").is_visible()
    # no word of a platform's name is cut (it broke as «ВКонтакт|е» in every width from 360 to 412 px): each word of
    # the names shown, and «ВКонтакте», is narrower in the cell's font than the first column's room
    widest = """(extra) => [...document.querySelectorAll('.summary-table tbody th')].map(th => {
        const cs = getComputedStyle(th);
        const ctx = document.createElement('canvas').getContext('2d');
        ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
        const room = th.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
        const words = [...th.textContent.trim().split(/\\s+/), extra];
        return [th.textContent.trim(), Math.max(...words.map(w => ctx.measureText(w).width)), room]; })"""
    for width in (390, 360):
        phone.set_viewport_size({"width": width, "height": 844})
        cells = phone.evaluate(widest, "ВКонтакте")
        assert cells and all(word <= room for _, word, room in cells), (width, cells)
    phone.set_viewport_size({"width": 390, "height": 844})
    shot(phone, "start-done-390.png")
    phone.fill("#check-text", "Вымысел сильнее правды")
    phone.click("#check-submit")
    phone.wait_for_selector("#check-answer.check-found")
    assert "запись № 7" in phone.inner_text("#check-result")
    phone.locator("#checkbox").screenshot(path=str(SHOTS / "check-390.png"))
    phone.goto(base)
    phone.wait_for_selector("li.card")
    shot(phone, "review-390.png")
    phone.locator(f"li.card[data-item='{item_id}'] a.more").click()
    phone.wait_for_selector(".your-decision .decision.dec-hide")  # the decision made at 1280 px
    assert phone.locator(".your-decision .not-deleted").is_visible()
    shot(phone, "item-decided-390.png")
    phone.close()
    assert not [e for e in console if "Content Security Policy" in e], console
    page.close()
