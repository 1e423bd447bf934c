"""Screenshots' pictures in the report and the dossier (repostguard.views.pictures): a folder of screenshots drawn
here is scanned, and the report and the dossier show each screenshot item's crop embedded in the page with the
evidence framed on it (the lines holding a listed quote; the region of a symbol, blurred in the report and left
out of the dossier); no other item carries a picture, and ``--no-pictures`` leaves them out."""

from __future__ import annotations

import base64
import io
import json
import math
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import screens_synth as synth
from PIL import Image, ImageDraw

from repostguard.cli import main
from repostguard.reports import render_html
from repostguard.reports.dossier import render_dossier
from repostguard.store import Store
from repostguard.views.entries import Entries
from repostguard.views.items import item_view
from repostguard.views.pictures import PICTURE_WIDTH, item_pictures
from tests.media.conftest import ENGINE_PROBLEM

needs_ocr = pytest.mark.skipif(ENGINE_PROBLEM is not None or not synth.fonts_available(),
                               reason=f"Tesseract rus+eng or DejaVu fonts not usable here: {ENGINE_PROBLEM}")
QUOTE = "Белый кот говорит правду о свободе народа"
FSM_CSV = (
    "#;Материал;Дата включения (указывается с 01.01.2017)\r\n"
    f'10;"Информационный материал «{QUOTE}» (решение Ленинского районного суда г. Тестовска от 01.02.2019);";'
    "15.03.2019\r\n"
)
P = synth.Post
QUOTE_SHOT = "Screenshot_20240314-200215.png"
SYMBOL_SHOT = "Screenshot_20240320-101010.png"
QUOTE_REF = f"screenshots:{QUOTE_SHOT}#1"
SYMBOL_REF = f"screenshots:{SYMBOL_SHOT}#1"
DATA_JPEG = re.compile(r'<img src="data:image/jpeg;base64,([A-Za-z0-9+/=]+)" width="(\d+)" height="(\d+)"')
RECT = re.compile(r'<rect class="mark-(\w+)" x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)"')


def _swastika(draw: ImageDraw.ImageDraw, cx: float, cy: float, s: float, angle: float) -> None:
    """A swastika of half-size ``s`` drawn from geometry (as tests/media/test_symbols_scan.py draws it)."""
    w = s / 3.5
    rects = [(-w / 2, -s, w / 2, s), (-s, -w / 2, s, w / 2), (-w / 2, -s, s, -s + w), (s - w, -w / 2, s, s),
             (-s, s - w, w / 2, s), (-s, -s, -s + w, w / 2)]
    a = math.radians(angle)
    for x0, y0, x1, y1 in rects:
        pts = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        draw.polygon([(cx + x * math.cos(a) - y * math.sin(a), cy + x * math.sin(a) + y * math.cos(a))
                      for x, y in pts], fill=(15, 15, 15))


def draw_folder(d: Path) -> Path:
    """Two screenshots: a VK post quoting the listed material over another post, and a post showing a symbol."""
    d.mkdir(parents=True, exist_ok=True)
    posts = [P("Андрей Кузнецов", "14 мар 2019 в 20:02", f"Нашёл старую заметку. {QUOTE}. Вот так."),
             P("Ольга Соколова", "2 дня назад", "Сегодня ходили в парк, погода отличная, всем хороших выходных!")]
    synth.frame(synth.feed(posts, "vk"), 0, "vk").save(d / QUOTE_SHOT)
    page = synth.feed([P("Павел Смирнов", "3 дня назад", "Смотрите, что нашёл на чердаке:" + "\n" * 8
                         + "Вот такая находка.")], "vk")
    draw = ImageDraw.Draw(page)
    draw.rectangle((40, 270, 700, 640), fill=(235, 200, 120))
    _swastika(draw, 370, 455, 120, 20)
    synth.frame(page, 0, "vk").save(d / SYMBOL_SHOT)
    return d


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The screenshots scanned, then a generic post quoting the same material: the workspace's file."""
    if ENGINE_PROBLEM is not None or not synth.fonts_available():
        pytest.skip(f"Tesseract rus+eng or DejaVu fonts not usable here: {ENGINE_PROBLEM}")
    root = tmp_path_factory.mktemp("shotpics")
    mp = pytest.MonkeyPatch()
    mp.setenv("REPOSTGUARD_HOME", str(root / "home"))
    try:
        fsm = root / "fsm.csv"
        fsm.write_bytes(FSM_CSV.encode("cp1251"))
        db = root / "w.sqlite"
        main(["scan", str(draw_folder(root / "Screenshots")), "--fsm", str(fsm), "--db", str(db), "-q"])
        posts = root / "posts.jsonl"
        posts.write_text(json.dumps({"id": "g1", "kind": "post", "date": "2020-01-02T10:00:00+03:00",
                                     "text": f"Перепост: {QUOTE}."}, ensure_ascii=False) + "\n", "utf-8")
        main(["scan", str(posts), "--fsm", str(fsm), "--db", str(db), "-q"])
    finally:
        mp.undo()
    return db


def _article(html: str, ref: str) -> str:
    """The report's article of the item ``ref``."""
    for part in html.split('<article class="item"')[1:]:
        if f'<span class="ref">{ref}</span>' in part:
            return part.split("</article>", 1)[0]
    raise AssertionError(f"{ref} is not in the report")


def _attachment(db: Path, ref: str) -> dict[str, Any]:
    with sqlite3.connect(db) as conn:
        (atts,) = conn.execute("SELECT attachments FROM items WHERE ref = ?", (ref,)).fetchone()
    att: dict[str, Any] = json.loads(atts)[0]
    return att


def _line(att: dict[str, Any], word: str) -> list[int]:
    return next(ln[:4] for ln in att["extra"]["lines"] if word in ln[4])


@needs_ocr
def test_the_report_shows_the_screenshot_with_the_quote_lines_marked(workspace: Path) -> None:
    with Store.open(workspace) as store:
        html = render_html(store, "ru")
    assert "img-src data:" in html and "img-src 'none'" not in html
    assert not re.search(r"\b(?:src|href)=\"(?!data:image/jpeg;base64,)", html)  # nothing to fetch
    art = _article(html, QUOTE_REF)
    (pic,) = DATA_JPEG.findall(art)
    shown = Image.open(io.BytesIO(base64.b64decode(pic[0])))
    assert shown.format == "JPEG" and shown.size == (int(pic[1]), int(pic[2])) and shown.width <= PICTURE_WIDTH
    att = _attachment(workspace, QUOTE_REF)
    box = att["extra"]["box"]
    scale = shown.width / (box[2] - box[0])
    first, second = _line(att, "Белый"), _line(att, "правду")
    rects = [tuple(int(v) for v in r[1:]) for r in RECT.findall(art)]
    assert {r[0] for r in RECT.findall(art)} == {"text"} and len(rects) == 2, rects
    for (x, y, w, h), line in zip(sorted(rects, key=lambda r: r[1]), (first, second), strict=True):
        top, bottom = (line[1] - box[1]) * scale, (line[3] - box[1]) * scale
        assert abs(y - top) <= 6 and abs(y + h - bottom) <= 6, (x, y, w, h, top, bottom)
    x0 = sorted(rects, key=lambda r: r[1])[0][0]
    # «Белый» is in the middle of its line: the frame starts there, not at the line's start
    assert (first[0] - box[0]) * scale + 40 < x0 < (first[2] - box[0]) * scale
    assert "отмечено: ФСЭМ, запись № 10" in art and "место не отмечено" not in art
    assert 'class="where-pic"' not in art  # the picture itself shows the place: no plan


@needs_ocr
def test_no_other_item_gets_a_picture(workspace: Path) -> None:
    with Store.open(workspace) as store:
        html = render_html(store, "ru")
    other = _article(html, "g1")
    assert "<mark>" in other and "<img" not in other and "data:" not in other
    second = f"screenshots:{QUOTE_SHOT}#2"  # the post under it, not flagged: not in the report
    assert second not in html


@needs_ocr
def test_no_pictures_option_leaves_them_out(workspace: Path, tmp_path: Path) -> None:
    for flag, has in (([], True), (["--no-pictures"], False)):
        out = tmp_path / f"r{len(flag)}.html"
        main(["report", "--db", str(workspace), "-o", str(out), *flag])
        assert ("data:image/jpeg" in out.read_text("utf-8")) is has
        dossier = tmp_path / f"d{len(flag)}.html"
        main(["dossier", QUOTE_REF, "--db", str(workspace), "-o", str(dossier), *flag])
        assert ("data:image/jpeg" in dossier.read_text("utf-8")) is has


@needs_ocr
def test_the_dossier_shows_the_screenshot_with_its_mark(workspace: Path) -> None:
    with Store.open(workspace) as store:
        html = render_dossier(store, QUOTE_REF, entries=Entries())
        en = render_dossier(store, QUOTE_REF, lang="en", entries=Entries())
    assert "img-src data:" in html
    assert len(DATA_JPEG.findall(html)) == 1 and len(RECT.findall(html)) == 2
    assert "Снимок экрана Screenshot_20240314-200215.png" in html
    assert "Screenshot Screenshot_20240314-200215.png · marked:" in en


@needs_ocr
def test_a_symbols_picture_is_blurred_in_the_report_and_left_out_of_the_dossier(workspace: Path) -> None:
    with Store.open(workspace) as store:
        html = render_html(store, "ru")
        dossier = render_dossier(store, SYMBOL_REF, entries=Entries())
    art = _article(html, SYMBOL_REF)
    assert '<figure class="shot shot-blurred">' in art and len(DATA_JPEG.findall(art)) == 1
    key = re.search(r'<input type="checkbox" class="shot-reveal" id="([\w-]+)">', art)
    assert key is not None and f'<label for="{key.group(1)}" class="shot-toggle">' in art  # shown when asked
    assert ".shot-reveal:checked ~ .shot-frame img { filter: none; }" in html
    (mark,) = RECT.findall(art)
    att = _attachment(workspace, SYMBOL_REF)
    box = att["extra"]["box"]
    scale = int(DATA_JPEG.findall(art)[0][1]) / (box[2] - box[0])
    cx, cy = 370 * scale, (455 + synth.STATUS_H + synth.HEADER_H - box[1]) * scale  # the symbol's centre
    x, y, w, h = (int(v) for v in mark[1:])
    assert mark[0] == "symbol" and x < cx < x + w and y < cy < y + h
    # the dossier is for printing and handing over: no picture, the plan of it, and a note saying why
    assert "data:image" not in dossier and "<img" not in dossier
    assert 'class="where-pic"' in dossier and "Снимок экрана в досье не вставлен" in dossier


@needs_ocr
def test_a_finding_that_cannot_be_placed_shows_the_picture_unmarked(workspace: Path) -> None:
    with sqlite3.connect(workspace) as conn:  # a workspace imported before the lines' boxes were kept
        (atts,) = conn.execute("SELECT attachments FROM items WHERE ref = ?", (QUOTE_REF,)).fetchone()
        old = json.loads(atts)
        for a in old:
            a["extra"].pop("lines")
        conn.execute("UPDATE items SET attachments = ? WHERE ref = ?", (json.dumps(old), QUOTE_REF))
    try:
        with Store.open(workspace) as store:
            art = _article(render_html(store, "ru"), QUOTE_REF)
    finally:
        with sqlite3.connect(workspace) as conn:
            conn.execute("UPDATE items SET attachments = ? WHERE ref = ?", (atts, QUOTE_REF))
    assert len(DATA_JPEG.findall(art)) == 1 and not RECT.findall(art)
    assert "место не отмечено" in art and "На снимке экрана место не отмечено" in art


# -- placing without OCR: a crop drawn here, its lines given --------------------------------------------------


def _view(text: str, findings: list[dict[str, Any]]) -> Any:
    rows = [{"bank": f.get("bank", "fsm"), "entry": "10", "level": "distribution", "signal": "quote", "score": 1.0,
             "evidence": json.dumps(f["evidence"], ensure_ascii=False), "explanation_ru": "", "explanation_en": "",
             "list_version": ""} for f in findings]
    row = {"id": "0" * 20, "ref": "screenshots:x.png#1", "platform": "screenshots", "kind": "screenshot",
           "text": text, "attachments": "[]"}
    return item_view(row, rows, None, "ru")


def test_placing_by_span_by_search_and_a_whole_screenshot(tmp_path: Path) -> None:
    whole = tmp_path / "shot.png"
    Image.new("RGB", (1080, 1600), "white").save(whole)
    lines = [[40, 500, 600, 540, "Автор поста"], [40, 560, 1000, 600, "Первая строка и начало цитаты"],
             [40, 620, 700, 660, "конец цитаты здесь."]]
    att = {"type": "photo", "path": str(whole), "extra": {"box": [0, 400, 1080, 1000], "lines": lines}}
    text = "Автор поста\nПервая строка и начало цитаты\nконец цитаты здесь."
    a = text.index("начало")
    view = _view(text, [{"evidence": {"field": "text", "text": text[a:a + 26], "span": [a, a + 26]}},
                        {"evidence": {"field": "attachments[0].ocr", "text": "конец цитаты"}},
                        {"evidence": {"field": "attachments[0].ocr", "text": "нигде нет такого"}}])
    item_pictures(view, [att], [tmp_path])
    (pic,) = view.pictures
    assert (pic.width, pic.height) == (360, 200)  # the whole screenshot cut to the post's box, then reduced
    assert [f.in_picture for f in view.findings] == [True, True, False]
    span_marks = [(m.x, m.y, m.w, m.h) for m in pic.marks][:2]
    # the lines' tops in the crop, a fifth of their height above, reduced by 3: (560 - 8 - 400) / 3, (620 - 8 - 400) / 3
    assert [(y, h) for _x, y, _w, h in span_marks] == [(51, 19), (71, 19)]
    assert span_marks[0][0] > 150  # «начало» is past the middle of its line
    assert span_marks[1][0] == 11 and span_marks[1][2] < 210  # «конец цитаты», from the start of a shorter line
    assert len(pic.marks) == 3 and pic.marks[2].y == 71  # the search found «конец цитаты» on the third line
    # a picture outside the workspace's folders is never read
    elsewhere = _view(text, [])
    item_pictures(elsewhere, [att], [tmp_path / "other"])
    assert elsewhere.pictures == []
