"""Symbols in pictures through the whole pipeline: the media pass finds them (also with ``--no-ocr``, which
leaves out only the reading), the cache keeps them with the detector's version, the symbols bank gives one
finding per symbol with the region, and the page frames the region on a blurred picture. The picture is
drawn here from geometry (the package ships no picture of a banned symbol)."""

from __future__ import annotations

import json
import math
import sqlite3
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from repostguard.cli import main
from repostguard.media.symbols import DETECTOR_VERSION

FSM_CSV = ("#;Материал;Дата включения (указывается с 01.01.2017)\r\n"
           '1;"Книга ""Совсем другая книга"" (решение Энского районного суда от 05.06.2015);";\r\n')


def _swastika(draw: ImageDraw.ImageDraw, cx: float, cy: float, s: float, angle: float) -> None:
    """A swastika of half-size ``s``: a cross of two bars with a hook at each end, rotated by ``angle``."""
    w = s / 3.5
    rects = [(-w / 2, -s, w / 2, s), (-s, -w / 2, s, w / 2),            # the cross
             (-w / 2, -s, s, -s + w), (s - w, -w / 2, s, s),            # the hooks, all turning one way
             (-s, s - w, w / 2, s), (-s, -s, -s + w, w / 2)]
    a = math.radians(angle)
    for x0, y0, x1, y1 in rects:
        pts = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        draw.polygon([(cx + x * math.cos(a) - y * math.sin(a), cy + x * math.sin(a) + y * math.cos(a))
                      for x, y in pts], fill=(15, 15, 15))


@pytest.fixture()
def history(tmp_path: Path) -> Path:
    flagged = Image.new("RGB", (900, 700), (235, 200, 120))
    _swastika(ImageDraw.Draw(flagged), 620, 260, 110, 20)
    flagged.save(tmp_path / "flagged.jpg", quality=92)
    plain = Image.new("RGB", (900, 700), (120, 170, 220))
    d = ImageDraw.Draw(plain)
    d.ellipse((200, 150, 500, 450), fill=(250, 250, 250))
    d.rectangle((600, 300, 800, 360), fill=(40, 40, 40))
    plain.save(tmp_path / "plain.jpg", quality=92)
    rows = [{"id": "s1", "kind": "photo", "date": "2021-06-01T12:00:00+03:00", "text": "",
             "attachments": [{"type": "photo", "path": str(tmp_path / "flagged.jpg")}]},
            {"id": "s2", "kind": "photo", "date": "2021-06-01T12:00:00+03:00", "text": "",
             "attachments": [{"type": "photo", "path": str(tmp_path / "plain.jpg")}]}]
    items = tmp_path / "items.jsonl"
    items.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return items


def test_a_symbol_in_a_picture_is_a_finding_with_its_region(history: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPOSTGUARD_HOME", str(tmp_path / "home"))
    fsm = tmp_path / "fsm.csv"
    fsm.write_bytes(FSM_CSV.encode("cp1251"))
    db, out = tmp_path / "w.sqlite", tmp_path / "f.json"
    main(["scan", str(history), "--fsm", str(fsm), "--db", str(db), "--json", str(out), "--no-ocr", "-q"])
    findings = [f for f in json.loads(out.read_text("utf-8"))["findings"] if f["bank"] == "symbols"]
    assert [(f["item"], f["entry"], f["level"], f["signal"]) for f in findings] == [
        ("s1", "swastika", "distribution", "symbol-picture")]
    ev = findings[0]["evidence"]
    assert ev["field"] == "attachments[0].path" and ev["size"] == [900, 700]
    x, y, w, h = ev["box"]
    assert x < 620 < x + w and y < 260 < y + h  # the region holds the drawn symbol's centre
    assert "20.3" in findings[0]["explanation"]["ru"] and "20.3" in findings[0]["legal"]["risk"]["ru"]
    with sqlite3.connect(db) as conn:
        versions = {r[0] for r in conn.execute("SELECT symbols_version FROM media_cache")}
    assert versions == {DETECTOR_VERSION}

    # an older detector's results are looked at again, for the symbols only
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE media_cache SET symbols='[]', symbols_version='symbols-0'")
    main(["scan", "--fsm", str(fsm), "--db", str(db), "--json", str(out), "--no-ocr", "-q"])
    again = [f for f in json.loads(out.read_text("utf-8"))["findings"] if f["bank"] == "symbols"]
    assert [(f["item"], f["entry"]) for f in again] == [("s1", "swastika")]

    # the page frames the region on the blurred picture; the report draws where it is, without the picture
    report = tmp_path / "r.html"
    main(["report", "--db", str(db), "-o", str(report)])
    html = report.read_text("utf-8")
    assert 'class="where-pic"' in html and "<img" not in html


def test_the_item_page_blurs_the_picture_and_frames_the_symbol(history: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from repostguard.app.web import create_app

    monkeypatch.setenv("REPOSTGUARD_HOME", str(tmp_path / "home"))
    fsm = tmp_path / "fsm.csv"
    fsm.write_bytes(FSM_CSV.encode("cp1251"))
    db = tmp_path / "w.sqlite"
    main(["scan", str(history), "--fsm", str(fsm), "--db", str(db), "--no-ocr", "-q"])
    client = TestClient(create_app(db, "tok", 45679), base_url="http://127.0.0.1:45679")
    page = client.get("/tok/").text
    assert page.count('class="pic flagged"') == 1 and '<svg class="marks"' in page
    assert "Показать картинку" in page and "свастика" in page
