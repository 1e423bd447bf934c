"""Screenshots as a source: a folder of phone screenshots drawn here (tests/importers/screens_synth.py),
imported one item per post, with the date read from the screen, the moment of capture, the network,
overlapping screenshots merged, and a scan finding the FSM quote in one post."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
import screens_synth as synth
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageOps

from repostguard.cli import main
from repostguard.importers._screen_dates import screen_date, time_from_name
from repostguard.importers.registry import detect
from repostguard.importers.screenshots import ScreenshotImporter
from repostguard.model import Item
from tests.media.conftest import ENGINE_PROBLEM

needs_ocr = pytest.mark.skipif(ENGINE_PROBLEM is not None or not synth.fonts_available(),
                               reason=f"Tesseract rus+eng or DejaVu fonts not usable here: {ENGINE_PROBLEM}")
MSK = timezone(timedelta(hours=3))
QUOTE = "Белый кот говорит правду о свободе народа"
#: the caption of a listed picture (entry 12), drawn inside a meme in a post
MEME = "Серые гуси летят над тихим городом"
FSM_CSV = (
    "#;Материал;Дата включения (указывается с 01.01.2017)\r\n"
    f'10;"Информационный материал «{QUOTE}» (решение Ленинского районного суда г. Тестовска от 01.02.2019);";'
    "15.03.2019\r\n"
    '11;"Книга ""Совсем другая книга"" (решение Кировского районного суда г. Примерска от 05.06.2015);";\r\n'
    f'12;"Изображение (мем) с надписью «{MEME}» (решение Октябрьского районного суда г. Тестовска от '
    '03.04.2020);";20.05.2020\r\n'
)
P = synth.Post
VK_TWO = [P("Андрей Кузнецов", "14 мар 2019 в 20:02", f"Нашёл старую заметку. {QUOTE}. Вот так."),
          P("Ольга Соколова", "2 дня назад", "Сегодня ходили в парк, погода отличная, всем хороших выходных!")]
OK_ONE = [P("Наталья Орлова", "вчера в 18:30", "Поздравляю всех с праздником весны! Пусть будет тепло и светло.")]
LONG_THREE = [P("Игорь Морозов", "14 марта в 20:02", "Первый пост длинного снимка про рыбалку на озере."),
              P("Игорь Морозов", "5 часов назад", "Второй пост: рецепт пирога с яблоками и корицей."),
              P("Игорь Морозов", "12.03.2019", "Третий пост: фотографии с дачи и огород весной.")]
LONG_BODY = "\n".join(f"Строка номер {n} о поездке в Карелию" for n in range(1, 26))
OVERLAP = [P("Светлана Волкова", "3 нед.", "Начало ленты: короткая запись о книгах и чтении."),
           P("Светлана Волкова", "20 февраля в 09:15", LONG_BODY),
           P("Светлана Волкова", "10 января в 11:00", "Последняя запись ленты о зимних праздниках.")]
NAMES = {
    "vk": "Screenshot_20240314-200215.png",
    "ok": "Screenshot_2024-03-15-10-10-10-123_ru.ok.android.jpg",
    "long": "Снимок экрана 2024-03-16 в 12.00.00.png",
    "over_a": "Screenshot_20240317-090000.png",
    "over_b": "Screenshot_20240317-090005.png",
}


def draw_folder(d: Path) -> Path:
    """The screenshots of the tests: two VK posts, one OK post, a long one of three, two overlapping."""
    d.mkdir(parents=True, exist_ok=True)
    synth.frame(synth.feed(VK_TWO, "vk"), 0, "vk").save(d / NAMES["vk"])
    synth.frame(synth.feed(OK_ONE, "ok"), 0, "ok").save(d / NAMES["ok"], quality=90)
    synth.long_screen(LONG_THREE, "vk").save(d / NAMES["long"])
    page = synth.feed(OVERLAP, "vk")
    synth.frame(page, 0, "vk").save(d / NAMES["over_a"])
    # the second screen ends where the feed ends: the long post is on both, cut differently
    synth.frame(page, page.height - synth.VISIBLE, "vk").save(d / NAMES["over_b"])
    return d


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not synth.fonts_available():
        pytest.skip("DejaVu fonts (fonts-dejavu-core) not installed")
    return draw_folder(tmp_path_factory.mktemp("shots") / "Screenshots")


@pytest.fixture(scope="module")
def items(shots: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Item]:
    if ENGINE_PROBLEM is not None:
        pytest.skip(f"Tesseract rus+eng not usable here: {ENGINE_PROBLEM}")
    imp = ScreenshotImporter(shots, tmp_path_factory.mktemp("media"))
    out = list(imp.iter_items())
    assert imp.warnings == [] and imp.notes == []
    return out


def of_file(items: list[Item], name: str) -> list[Item]:
    return sorted((i for i in items if i.native_id.startswith(name + "#")), key=lambda i: i.native_id)


def test_a_folder_of_screenshots_is_detected_and_nothing_else_is(shots: Path, tmp_path: Path) -> None:
    assert isinstance(detect(shots), ScreenshotImporter)
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    (mixed / NAMES["vk"]).write_bytes((shots / NAMES["vk"]).read_bytes())
    (mixed / "posts.json").write_text("[]", "utf-8")
    assert not ScreenshotImporter.detect(mixed)
    landscape = tmp_path / "holiday"
    landscape.mkdir()
    for k in range(3):  # camera photos, wide, named by the camera: not screenshots
        Image.new("RGB", (400, 300), (k * 40, 90, 120)).save(landscape / f"DSC{k:04d}.jpg")
    assert not ScreenshotImporter.detect(landscape)


@needs_ocr
def test_one_item_per_post_with_screen_date_and_capture_time(items: list[Item]) -> None:
    vk = of_file(items, NAMES["vk"])
    assert len(vk) == 2
    assert all(i.kind == "screenshot" and i.platform == "screenshots" for i in vk)
    assert QUOTE.split()[0] in vk[0].text and "Кузнецов" in vk[0].text and "парк" not in vk[0].text
    assert "парк" in vk[1].text and "Белый" not in vk[1].text
    assert vk[0].date == "2019-03-14T20:02:00+03:00" and vk[0].date_tz_assumed
    # «2 дня назад» against the capture time of the file name (14 March 2024, 20:02:15)
    assert vk[1].date is not None and vk[1].date.startswith("2024-03-12T20:02")
    for i in vk:
        assert i.raw["captured_at"] == "2024-03-14T20:02:15+03:00" and i.raw["captured_from"] == "name"
        assert i.raw["platform"] == "vk"
        att = i.attachments[0]
        assert att.type == "photo" and att.path and Path(att.path).is_file()
        assert att.extra["captured_at"] == "2024-03-14T20:02:15+03:00" and len(att.extra["box"]) == 4
    assert vk[0].attachments[0].extra["box"][3] <= vk[1].attachments[0].extra["box"][1]


@needs_ocr
def test_odnoklassniki_yesterday(items: list[Item]) -> None:
    (ok,) = of_file(items, NAMES["ok"])
    assert ok.raw["platform"] == "odnoklassniki"
    assert ok.date == "2024-03-14T18:30:00+03:00"  # «вчера в 18:30», captured on 15 March
    assert "праздником весны" in ok.text


@needs_ocr
def test_long_screenshot_splits_into_three(items: list[Item]) -> None:
    long_ = of_file(items, NAMES["long"])
    assert [("рыбалку" in i.text, "пирога" in i.text, "дачи" in i.text) for i in long_] == [
        (True, False, False), (False, True, False), (False, False, True)]
    assert [i.date for i in long_] == ["2024-03-14T20:02:00+03:00", "2024-03-16T07:00:00+03:00",
                                       "2019-03-12T00:00:00+03:00"]
    assert long_[0].raw["date_precision"] == "minute" and long_[2].raw["date_precision"] == "day"


@needs_ocr
def test_posts_without_separators_are_cut_at_their_headers(tmp_path: Path) -> None:
    d = tmp_path / "plain"
    d.mkdir()
    synth.long_screen(LONG_THREE, "plain").save(d / NAMES["long"])
    got = sorted(ScreenshotImporter(d, tmp_path / "media").iter_items(), key=lambda i: i.native_id)
    assert [("рыбалку" in i.text, "пирога" in i.text, "дачи" in i.text) for i in got] == [
        (True, False, False), (False, True, False), (False, False, True)]
    assert all(i.date for i in got)


@needs_ocr
def test_overlapping_screenshots_give_one_item_per_post(items: list[Item]) -> None:
    over = [i for i in items if i.native_id.startswith(("Screenshot_20240317",))]
    assert len(over) == 3, [i.text[:60] for i in over]
    long_post = next(i for i in over if "Карелию" in i.text)
    for n in (1, 12, 25):
        assert f"Строка номер {n} " in long_post.text
    assert long_post.text.count("Строка номер 10 ") == 1
    assert {a.extra["screenshot"].rsplit("/", 1)[-1] for a in long_post.attachments} == {
        NAMES["over_a"], NAMES["over_b"]}
    assert long_post.date == "2024-02-20T09:15:00+03:00"
    lines = long_post.text.splitlines()
    assert lines.index(next(ln for ln in lines if "номер 2 " in ln)) < lines.index(
        next(ln for ln in lines if "номер 24" in ln))


@needs_ocr
def test_scan_finds_the_quote_in_its_post_only(shots: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPOSTGUARD_HOME", str(tmp_path / "home"))
    fsm = tmp_path / "fsm.csv"
    fsm.write_bytes(FSM_CSV.encode("cp1251"))
    out = tmp_path / "f.json"
    main(["scan", str(shots), "--fsm", str(fsm), "--db", str(tmp_path / "w.sqlite"), "--json", str(out), "-q"])
    findings = json.loads(out.read_text("utf-8"))["findings"]
    fsm_items = {f["item"] for f in findings if f["bank"] == "fsm"}
    assert fsm_items == {f"screenshots:{NAMES['vk']}#1"}, findings
    assert any(str(f["entry"]) == "10" for f in findings)


@needs_ocr
def test_scan_finds_a_listed_picture_caption_in_its_post(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # an OK feed: an ordinary post, then a post whose picture (a meme) carries the caption of listed entry 12
    monkeypatch.setenv("REPOSTGUARD_HOME", str(tmp_path / "home"))
    d = tmp_path / "Screenshots"
    d.mkdir()
    posts = [P("Наталья Орлова", "12 мая 2021 в 10:15", "Доброе утро! Сегодня пеку блины, заходите."),
             P("Наталья Орлова", "3 мая 2021 в 19:40", "Смешная картинка от соседки.", meme=MEME)]
    synth.frame(synth.feed(posts, "ok"), 0, "ok").save(d / "Screenshot_2024-03-15-10-10-10-123_ru.ok.android.jpg",
                                                        quality=90)
    fsm = tmp_path / "fsm.csv"
    fsm.write_bytes(FSM_CSV.encode("cp1251"))
    out = tmp_path / "f.json"
    main(["scan", str(d), "--fsm", str(fsm), "--db", str(tmp_path / "w.sqlite"), "--json", str(out), "-q"])
    findings = json.loads(out.read_text("utf-8"))["findings"]
    hits = [f for f in findings if f["bank"] == "fsm" and str(f["entry"]) == "12"]
    assert {f["item"] for f in hits} == {"screenshots:Screenshot_2024-03-15-10-10-10-123_ru.ok.android.jpg#2"}, findings
    assert not [f for f in findings if f["item"].endswith("#1")], findings
    assert hits[0]["date"].startswith("2021-05-03T19:40")


@needs_ocr
def test_unrelated_and_broken_pictures_are_notes_and_warnings(tmp_path: Path) -> None:
    d = tmp_path / "pics"
    d.mkdir()
    rng = np.random.default_rng(1)
    for k in range(3):
        arr = (rng.random((1600, 720, 3)) * 255).astype(np.uint8)
        Image.fromarray(arr).save(d / f"IMG_2024010{k + 1}_120000.jpg", quality=80)
    (d / "Screenshot_20240101-120000.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    Image.new("RGB", (2, 2), "white").save(d / "Screenshot_20240102-120000.png")
    Image.new("L", (1, 3000), 0).save(d / "Screenshot_20240103-120000.png")
    imp = detect(d, tmp_path / "media")
    assert isinstance(imp, ScreenshotImporter)
    out = list(imp.iter_items())
    assert len(out) == 5 and all(i.text == "" and i.date is None for i in out)
    assert all(i.attachments[0].type == "photo" and i.attachments[0].path for i in out)  # read as photos
    assert [n.key for n in imp.notes] == ["err_screens_no_text"] and imp.notes[0].fields["n"] == 5
    assert [w.key for w in imp.warnings] == ["err_picture_skipped"]


@needs_ocr
def test_dark_theme(tmp_path: Path) -> None:
    d = tmp_path / "dark"
    d.mkdir()
    ImageOps.invert(synth.frame(synth.feed(VK_TWO, "vk"), 0, "vk")).save(d / NAMES["vk"])
    got = sorted(ScreenshotImporter(d, tmp_path / "media").iter_items(), key=lambda i: i.native_id)
    assert [i.date for i in got] == ["2019-03-14T20:02:00+03:00", "2024-03-12T20:02:00+03:00"]
    assert "Белый кот" in got[0].text and "парк" in got[1].text


@needs_ocr
def test_capture_time_from_exif_with_its_zone(tmp_path: Path) -> None:
    d = tmp_path / "exif"
    d.mkdir()
    exif = Image.Exif()
    sub = exif.get_ifd(0x8769)
    sub[36867] = "2024:03:15 10:10:10"  # DateTimeOriginal
    sub[36881] = "+05:00"  # OffsetTimeOriginal
    synth.frame(synth.feed(OK_ONE, "ok"), 0, "ok").save(d / "Screenshot_20200101-000000.jpg", exif=exif)
    (item,) = ScreenshotImporter(d, tmp_path / "media").iter_items()
    assert item.raw["captured_at"] == "2024-03-15T10:10:10+05:00" and item.raw["captured_from"] == "exif"
    assert item.date == "2024-03-14T18:30:00+05:00" and not item.date_tz_assumed


def test_platform_override_and_capture_from_file_time(tmp_path: Path) -> None:
    d = tmp_path / "s"
    d.mkdir()
    Image.new("RGB", (1080, 2340), "white").save(d / "phone.png")
    os.utime(d / "phone.png", (1710435735, 1710435735))  # 2024-03-14 17:02:15 UTC
    assert ScreenshotImporter.detect(d)  # no screenshot's name, but a phone's shape
    imp = ScreenshotImporter(d, None, platform="max")
    (item,) = imp.iter_items()
    assert item.raw["platform"] == "max" and item.attachments[0].extra["platform"] == "max"
    assert item.raw["captured_from"] == "file" and item.raw["captured_at"] == "2024-03-14T20:02:15+03:00"
    assert ScreenshotImporter(d, None, platform="nonsense").override is None


# -- the date parser -----------------------------------------------------------------------------

CAPTURED = datetime(2024, 3, 14, 20, 2, 15, tzinfo=MSK)


@pytest.mark.parametrize(("text", "expected"), [
    ("14 мар 2019 в 20:02", "2019-03-14T20:02:00+03:00"),
    ("14 марта в 20:02", "2024-03-14T20:02:00+03:00"),
    ("20 декабря в 10:00", "2023-12-20T10:00:00+03:00"),  # no year, after the capture: last year's
    ("вчера в 18:30", "2024-03-13T18:30:00+03:00"),
    ("сегодня", "2024-03-14T00:00:00+03:00"),
    ("5 часов назад", "2024-03-14T15:02:15+03:00"),
    ("2 дня назад", "2024-03-12T20:02:00+03:00"),
    ("3 нед.", "2024-02-22T20:02:00+03:00"),
    ("12.03.2019", "2019-03-12T00:00:00+03:00"),
    ("12.03.19 в 20:02", "2019-03-12T20:02:00+03:00"),
    ("З нед", "2024-02-22T20:02:00+03:00"), ("1О.03.2019", "2019-03-10T00:00:00+03:00"),
    ("Иван Петров", None), ("Нравится: 25", None), ("31.02.2019", None), ("5 часов", None),
])
def test_screen_dates(text: str, expected: str | None) -> None:
    d = screen_date(text, CAPTURED)
    assert (d.when.isoformat() if d else None) == expected


@pytest.mark.parametrize("name", [
    "Screenshot_20240314-200215.png", "Screenshot_2024-03-14-20-02-15-123_com.vkontakte.android.jpg",
    "IMG_20240314_200215.jpg", "Снимок экрана 2024-03-14 в 20.02.15.png", "Screenshot 2024-03-14 at 8.02.15 PM.png",
])
def test_capture_time_from_file_names(name: str) -> None:
    assert time_from_name(name, MSK) == datetime(2024, 3, 14, 20, 2, 15, tzinfo=MSK)


_PIECES = st.sampled_from(["14", "мар", "марта", "2019", "в", "20:02", "вчера", "сегодня", "назад", "5", "часов",
                           "дня", "нед.", "12.03.2019", "31.13.2020", "99:99", "г.", "ago", "days", "0", " ", "."])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(_PIECES, max_size=8).map(" ".join)),
       st.datetimes(min_value=datetime(2005, 1, 1), max_value=datetime(2035, 12, 31)),
       st.integers(min_value=-12 * 60, max_value=14 * 60))
def test_screen_date_never_crashes_and_stays_sane(text: str, when: datetime, offset: int) -> None:
    captured = when.replace(tzinfo=timezone(timedelta(minutes=offset)))
    d = screen_date(text, captured)
    if d is not None:
        assert d.when.tzinfo is not None and d.when.utcoffset() == captured.utcoffset()
        assert datetime(2004, 1, 1, tzinfo=captured.tzinfo) <= d.when <= captured + timedelta(days=1)
        assert d.precision in ("minute", "hour", "day", "week", "month", "year")

