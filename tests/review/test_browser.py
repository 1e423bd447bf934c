"""End to end in a real headless Chromium (Debian ``chromium`` driven by Playwright).

The review server runs as the real CLI (``repostguard review --no-browser``) in a subprocess;
the test reads the URL it prints. Screenshots go to ``artifacts/`` (gitignored).
"""

from __future__ import annotations

import http.client
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from chromium import ARTIFACTS, Served, launched, require

from .conftest import FSM_CSV, build_workspace, item_id

require()


@pytest.fixture(scope="module")
def workspace_m(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_workspace(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def server(workspace_m: Path) -> Iterator[str]:
    fsm_file = workspace_m.parent / "fsm.csv"
    fsm_file.write_bytes(FSM_CSV.encode("cp1251"))
    env = dict(os.environ, REPOSTGUARD_HOME=str(workspace_m.parent / "home"))
    review = Served(["review", "--db", str(workspace_m), "--no-browser", "--fsm", str(fsm_file)], env)
    try:
        line = review.start()
        assert line.endswith("/"), line
        yield line
    finally:
        review.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with launched() as b:
        yield b


def test_review_page_in_chromium(server: str, browser: object, workspace_m: Path) -> None:
    workspace = workspace_m
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

    page.goto(server)
    assert page.locator("li.card").count() == 5
    page.screenshot(path=str(ARTIFACTS / "review-main.png"), full_page=True)

    # the hostile post is shown as text and ran nothing
    p3 = item_id(workspace, "p3")
    card = page.locator(f"#item-{p3} .post-text")
    assert "<script>window.__pwned = 1;" in card.inner_text()
    assert "<img src=x onerror=" in card.inner_text()
    assert page.evaluate("window.__pwned") is None
    assert page.title() != "PWNED" and dialogs == []
    assert page.locator(f"#item-{p3} img").count() == 0

    # filter by level: the select submits the filter form by itself (app.js)
    page.select_option("select[name=level]", "mention")
    page.wait_for_url("**level=mention**")
    assert page.locator("li.card").count() == 2

    # decide on an item, reload, the decision is kept
    p6 = item_id(workspace, "p6")
    page.locator(f"#item-{p6} button[value=delete]").click()
    page.wait_for_url("**saved=1**")
    page.reload()
    assert "chosen" in (page.locator(f"#item-{p6} button[value=delete]").get_attribute("class") or "")
    assert "Удалить" in page.locator(f"#item-{p6} .decision").inner_text()

    # bulk: select all on the page, keep
    page.goto(server)
    page.check("#select-all")
    assert page.locator("input.pick:checked").count() == 5
    page.select_option("#bulk select[name=action]", "keep")
    page.locator("#bulk button[type=submit]").click()
    page.wait_for_url("**saved=5**")
    assert page.locator(".decision.dec-keep").count() == 5

    # the finding's own page, with the list entry, and its screenshot
    p1 = item_id(workspace, "p1")
    page.goto(f"{server}item/{p1}")
    assert "решение Ленинского районного суда" in page.inner_text(".why")
    assert page.locator("mark").first.inner_text() == "Запрещённая книга"
    page.screenshot(path=str(ARTIFACTS / "review-finding.png"), full_page=True)
    # the legal context of the finding, with the sources folded away as plain text
    legal = page.locator("section.legal").first
    assert legal.is_visible() and "ст. 20.29 КоАП РФ" in legal.inner_text()
    assert "до того как материал" in legal.inner_text()
    assert legal.locator("a").count() == 0
    legal.locator("summary").click()
    assert "rapsinews.ru" in legal.locator(".legal-sources").inner_text()
    legal.screenshot(path=str(ARTIFACTS / "review-legal.png"))
    page.fill("textarea[name=note]", "спросить юриста")
    page.locator(".your-decision button[value=hide]").click()
    page.wait_for_url("**saved=1**")
    page.reload()
    assert page.input_value("textarea[name=note]") == "спросить юриста"

    # picture thumbnails load from the workspace
    p4 = item_id(workspace, "p4")
    page.goto(f"{server}item/{p4}")
    # the page's CSP forbids eval, which wait_for_function's polling needs: poll from here instead
    for _ in range(100):
        if page.evaluate("document.querySelector('img.thumb').complete"):
            break
        page.wait_for_timeout(100)
    assert page.evaluate("document.querySelector('img.thumb').naturalWidth") == 40

    # English
    page.click("a.lang")
    page.wait_for_selector("html[lang=en]")
    assert "Why it was flagged" in page.content() and "Legal context (risk estimate)" in page.content()
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors


def test_refusals_on_the_real_server(server: str, browser: object, workspace_m: Path) -> None:
    workspace = workspace_m
    parts = urlsplit(server)
    host, port = str(parts.hostname), int(parts.port or 0)
    ctx = browser.new_context()  # type: ignore[attr-defined]
    req = ctx.request
    assert req.get(f"http://127.0.0.1:{port}/").status == 403  # no token
    assert req.get(f"http://127.0.0.1:{port}/not-the-token/").status == 403
    p1 = item_id(workspace, "p5")  # never decided on by the other test
    r = req.post(
        f"{server}decide", form={"item": p1, "action": "delete"}, headers={"Origin": "http://evil.example"}
    )
    assert r.status == 403
    # a DNS-rebinding page would reach us with its own Host name
    conn = http.client.HTTPConnection(host, port, timeout=5)
    conn.request("GET", parts.path, headers={"Host": f"rebind.example:{port}"})
    assert conn.getresponse().status == 403
    # a cross-site page that posts a form to the right URL is refused by the browser's Origin
    page = ctx.new_page()
    page.set_content(
        f'<form method="post" action="{server}decide"><input name="item" value="{p1}">'
        '<input name="action" value="delete"></form>'
    )
    with page.expect_response(lambda resp: resp.url.endswith("/decide")) as info:
        page.evaluate("document.forms[0].submit()")
    assert info.value.status == 403
    from repostguard.decisions import get_decision
    from repostguard.store import Store

    with Store.open(workspace) as store:
        assert get_decision(store, p1) is None
    ctx.close()


SHOTS = Path(os.environ.get("REPOSTGUARD_SHOTS", "/tmp/dates-shots"))


def test_phone_width_puts_the_summary_and_first_finding_first(
    server: str, browser: object, workspace_m: Path, tmp_path: Path
) -> None:
    """At 390 px the figures and the first finding are on the first screen; charts and filters fold
    (issue 20 part 4). Screenshots of the page and the report at 1280 and 390 px go to SHOTS."""
    from repostguard.reports import write_report
    from repostguard.store import Store

    SHOTS.mkdir(parents=True, exist_ok=True)
    report = tmp_path / "report.html"
    with Store.open(workspace_m) as store:
        write_report(store, report)
    for width, height, mobile in ((1280, 900, False), (390, 844, True)):
        ctx = browser.new_context(  # type: ignore[attr-defined]
            viewport={"width": width, "height": height}, is_mobile=mobile, has_touch=mobile,
            device_scale_factor=2 if mobile else 1,
        )
        page = ctx.new_page()
        page.goto(server)
        page.screenshot(path=str(SHOTS / f"page-{width}.png"))
        page.screenshot(path=str(SHOTS / f"page-{width}-full.png"), full_page=True)
        first = page.locator("li.card").first.bounding_box()
        figures = page.locator(".figures").bounding_box()
        assert first is not None and figures is not None
        charts = page.locator(".charts").first
        if mobile:
            # the summary and the top of the first finding are on the first screen
            assert figures["y"] + figures["height"] <= height
            assert first["y"] < height * 0.75, first
            assert not charts.is_visible() and not page.locator("#filters").is_visible()
            page.locator("details.fold-charts > summary").click()  # a tap unfolds the charts
            assert charts.is_visible()
        else:
            assert charts.is_visible() and page.locator("#filters").is_visible()
            assert not page.locator("details.fold-charts > summary").is_visible()
        p2 = item_id(workspace_m, "p2")
        page.goto(f"{server}item/{p2}")
        page.screenshot(path=str(SHOTS / f"item-{width}.png"), full_page=True)
        assert "дата включения неизвестна" in page.inner_text(".timeline")
        page.goto(report.as_uri())
        page.screenshot(path=str(SHOTS / f"report-{width}.png"))
        page.screenshot(path=str(SHOTS / f"report-{width}-full.png"), full_page=True)
        first = page.locator("article.item").first.bounding_box()
        assert first is not None and (not mobile or first["y"] < height), first
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1  # no sideways scrolling
        ctx.close()
