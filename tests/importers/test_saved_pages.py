"""Pages saved in the browser: Odnoklassniki's (one item per post) and any other site's (one item per page).

The fixtures (tests/fixtures/saved/) are built from the markup public readers of the live OK page use
(see docs/importers/odnoklassniki.md), with invented text, names and ids.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repostguard.cli import main
from repostguard.errors import InputError
from repostguard.importers._base import Importer
from repostguard.importers._html_dates import parse_page_date
from repostguard.importers._vk import resolve_tz
from repostguard.importers.facebook import FacebookImporter
from repostguard.importers.ok_page import OkPageImporter, entity, external_link
from repostguard.importers.registry import detect
from repostguard.importers.saved_page import SavedPageImporter, platform_of
from repostguard.model import Item

ROOT = Path(__file__).resolve().parents[2]
SAVED = ROOT / "tests/fixtures/saved"
#: the moment the test pages are "saved": 20 March 2025, 10:00 in Moscow
SAVED_AT = datetime(2025, 3, 20, 7, 0, tzinfo=UTC).timestamp()


@pytest.fixture(autouse=True)
def _moscow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPOSTGUARD_TZ", "Europe/Moscow")


def copy_page(name: str, dest: Path, when: float = SAVED_AT) -> Path:
    """The fixture page ``name`` (and its ``_files`` folder) copied into ``dest``, saved at ``when``."""
    dest.mkdir(parents=True, exist_ok=True)
    page = dest / name
    shutil.copyfile(SAVED / name, page)
    files = SAVED / (Path(name).stem + "_files")
    if files.is_dir():
        shutil.copytree(files, dest / files.name)
    os.utime(page, (when, when))
    return page


def run(path: Path, media_dir: Path | None = None) -> tuple[Importer, list[Item]]:
    imp = detect(path, media_dir)
    imp.verify()
    items = list(imp.iter_items())
    return imp, items


def by_id(items: list[Item]) -> dict[str, Item]:
    return {i.native_id: i for i in items}


# -- Odnoklassniki ---------------------------------------------------------------------------------


def test_feed_page_one_item_per_post_dates_pictures_links(tmp_path: Path) -> None:
    page = copy_page("ok_feed.html", tmp_path / "saved")
    imp, items = run(page)
    assert isinstance(imp, OkPageImporter)
    got = by_id(items)
    # five cards: four read, the empty one skipped with a counted warning
    assert len(items) == 4
    first = got["statuses/154000000000001"]
    assert first.platform == "odnoklassniki" and first.kind == "post" and first.author == "self"
    assert first.date == "2025-03-19T14:05:00+03:00" and first.date_tz_assumed  # «вчера 14:05»
    assert first.url == "https://ok.ru/profile/570000000001/statuses/154000000000001"
    photos = [a for a in first.attachments if a.type == "photo"]
    assert [Path(a.path or "").name for a in photos] == ["photo_1.jpg", "photo_2.jpg"]
    assert all(Path(a.path or "").parent == (tmp_path / "saved/ok_feed_files").resolve() for a in photos)
    assert [a.url for a in first.attachments if a.type == "link"] == ["https://example.org/dacha-otchet"]
    assert isinstance(first.raw, str) and "media-text_cnt_tx" in first.raw and "photo_2.jpg" in first.raw
    assert got["statuses/154000000000002"].date == "2025-03-12T00:00:00+03:00"  # «12 мар»: this year
    assert got["statuses/154000000000002"].url == "https://ok.ru/profile/570000000001/statuses/154000000000002"
    shared = got["topic/156000000000003"]
    assert shared.date == "2019-01-03T00:00:00+03:00"  # «3 янв 2019»
    assert shared.kind == "repost" and shared.reposted_from is not None
    assert shared.reposted_from.url == "https://ok.ru/group/530000000001"
    assert shared.reposted_from.name == "Клуб любителей кактусов (тест)"
    assert "https://example.net/kaktus-gazeta" in [a.url for a in shared.attachments]  # OK's redirect read as text
    today = next(i for i in items if i.native_id.startswith("card/"))
    assert today.date == "2025-03-20T09:30:00+03:00" and today.attachments == []  # «09:30»
    warnings = [str(w) for w in imp.warnings]
    assert len(warnings) == 3, warnings
    assert any("в папке «ok_feed_files» нет" in w for w in warnings)
    assert any("не скачивает" in w for w in warnings)
    assert any("пропущена 1 запись" in w and "карточка 4" in w for w in warnings)
    assert all(w.startswith(str(tmp_path / "saved/ok_feed.html")) for w in warnings)
    notes = [n.key for n in imp.notes]
    assert notes == ["err_ok_note_relative_dates"] and imp.notes[0].fields["n"] == 3


def test_relative_dates_follow_the_zone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPOSTGUARD_TZ", "Asia/Vladivostok")
    # 20 March 2025, 23:30 UTC is already 21 March, 09:30 in Vladivostok
    page = copy_page("ok_feed.html", tmp_path / "s", when=datetime(2025, 3, 20, 23, 30, tzinfo=UTC).timestamp())
    _imp, items = run(page)
    got = by_id(items)
    assert got["statuses/154000000000001"].date == "2025-03-20T14:05:00+10:00"
    assert got["topic/156000000000003"].date == "2019-01-03T00:00:00+10:00"


def test_page_dates() -> None:
    tz, _ = resolve_tz("Europe/Moscow")
    saved = datetime(2025, 1, 3, 12, 0, tzinfo=tz)
    assert parse_page_date("28 дек", saved, tz) == ("2024-12-28T00:00:00+03:00", True)  # the year before
    assert parse_page_date("3 янв", saved, tz) == ("2025-01-03T00:00:00+03:00", True)
    assert parse_page_date("вчера в 23:59", saved, tz) == ("2025-01-02T23:59:00+03:00", True)
    assert parse_page_date("yesterday 7:05", saved, tz) == ("2025-01-02T07:05:00+03:00", True)
    assert parse_page_date("12 мар 2019 в 10:00", saved, tz) == ("2019-03-12T10:00:00+03:00", False)
    assert parse_page_date("3\xa0янв\xa02019", saved, tz) == ("2019-01-03T00:00:00+03:00", False)
    assert parse_page_date("14:05", None, tz) == (None, False)  # relative, and no save time
    assert parse_page_date("31 фев 2020", saved, tz) == (None, False)
    assert parse_page_date("давно", saved, tz) == (None, False)


def test_old_markup_feed_date_and_no_address(tmp_path: Path) -> None:
    page = copy_page("ok_old.html", tmp_path)
    imp, items = run(page)
    assert isinstance(imp, OkPageImporter)  # no «saved from» comment: OK's own markup tells
    got = by_id(items)
    first = got["statuses/62000000000001"]
    assert first.date == "2016-02-05T00:00:00+03:00"
    assert first.author == "Другой Тестовый"  # whose page it is is unknown: the card's author is kept
    second = next(i for i in items if i.native_id.startswith("card/"))
    assert second.date == "2015-11-21T18:40:00+03:00"
    assert [n.key for n in imp.notes] == ["err_ok_note_others"]
    assert imp.warnings == []


def test_hashed_class_suffixes(tmp_path: Path) -> None:
    _imp, items = run(copy_page("ok_hashed.html", tmp_path))
    assert [i.native_id for i in items] == ["topic/156000000000010", "topic/156000000000011"]
    assert items[0].kind == "post" and items[0].date == "2025-07-14T00:00:00+03:00"
    assert items[1].kind == "repost" and items[1].reposted_from is not None
    assert all("рекламный" not in i.text for i in items)  # ``feed-wrapper-…`` is not ``feed-w``
    # saved without its address (as Firefox does): OK's classes, hashed or not, still tell
    bare = tmp_path / "bare" / "page.html"
    bare.parent.mkdir()
    bare.write_text(SAVED.joinpath("ok_hashed.html").read_text("utf-8").split("-->", 1)[1], "utf-8")
    assert OkPageImporter.detect(bare)
    bare.write_text('<html><body><div class="feed-wrapper">x</div><p class="xfeed-w">y</p></body></html>', "utf-8")
    assert not OkPageImporter.detect(bare) and SavedPageImporter.detect(bare)


def test_topic_page_meta_date_and_no_comments(tmp_path: Path) -> None:
    _imp, items = run(copy_page("ok_topic.html", tmp_path))
    [topic] = items
    assert topic.native_id == "topic/156000000000009" and topic.kind == "post"
    assert topic.date == "2021-05-09T12:00:00+03:00" and not topic.date_tz_assumed
    assert "Поздравляем" not in topic.text
    assert topic.url == "https://ok.ru/group/530000000001/topic/156000000000009"


def _page(dest: Path, url: str, body: str, pictures: tuple[str, ...] = ()) -> Path:
    """A saved OK page written for one test: ``page.html`` saved from ``url``, with ``pictures`` (names of
    the feed fixture's photos) in ``page_files``."""
    dest.mkdir(parents=True, exist_ok=True)
    page = dest / "page.html"
    page.write_text(f"<!-- saved from url=({len(url):04d}){url} -->\n<html><head><meta charset='utf-8'></head>"
                    f"<body>{body}</body></html>", "utf-8")
    if pictures:
        (dest / "page_files").mkdir()
        for p in pictures:
            shutil.copyfile(SAVED / "ok_feed_files" / p, dest / "page_files" / p)
    os.utime(page, (SAVED_AT, SAVED_AT))
    return page


def test_own_post_in_a_group_is_not_a_repost(tmp_path: Path) -> None:
    card = ('<div class="feed-w"><a class="feed-avatar-link" href="/profile/570000000001"><img alt="Я"></a>'
            '<a class="group-name" href="/group/530000000001">Клуб (тест)</a>'
            '<div class="feed-info-date"><time>1 фев 2024</time></div>'
            '<div class="media-text_cnt_tx">Моя запись в группе.</div></div>'
            '<div class="feed-w"><div class="feed_h">Тестовый Пользователь поделился публикацией</div>'
            '<div class="media-text_cnt_tx">Чужая запись.</div></div>')
    _imp, items = run(_page(tmp_path, "https://ok.ru/profile/570000000001/statuses", card))
    assert [(i.kind, i.author) for i in items] == [("post", "self"), ("repost", "self")]


def test_album_page_one_photo_item_per_picture(tmp_path: Path) -> None:
    body = ('<div class="photos"><a href="/profile/570000000001/album/900000000001/910000000001">'
            '<img src="./page_files/photo_1.jpg" alt="Закат на даче"></a>'
            '<a href="/profile/570000000001/album/900000000001/910000000002"><img src="./page_files/photo_2.jpg"></a>'
            '<a href="/profile/570000000001/album/900000000001/910000000003"><img src="./page_files/gone.jpg"></a>'
            '</div>')
    imp, items = run(_page(tmp_path, "https://ok.ru/profile/570000000001/album/900000000001", body,
                           ("photo_1.jpg", "photo_2.jpg")))
    assert [(i.native_id, i.kind) for i in items] == [("photo/910000000001", "photo"), ("photo/910000000002", "photo")]
    assert items[0].text == "Закат на даче"
    assert items[0].url == "https://ok.ru/profile/570000000001/album/900000000001/910000000001"
    assert Path(items[1].attachments[0].path or "").name == "photo_2.jpg"
    assert len(imp.warnings) == 1  # the picture not in the folder


def test_ok_page_without_posts_is_one_item_with_a_note(tmp_path: Path) -> None:
    imp, items = run(copy_page("ok_unknown.html", tmp_path))
    assert isinstance(imp, OkPageImporter)
    [page] = items
    assert page.kind == "page" and page.platform == "odnoklassniki" and page.date is None
    assert "Первый Друг" in page.text
    assert [n.key for n in imp.notes] == ["err_ok_note_one_page"]
    assert len(imp.warnings) == 1  # the picture the page names is not in its folder


def test_native_ids_are_stable(tmp_path: Path) -> None:
    _a, first = run(copy_page("ok_feed.html", tmp_path / "a"))
    _b, again = run(copy_page("ok_feed.html", tmp_path / "b", when=SAVED_AT + 86400))
    assert [i.native_id for i in first] == [i.native_id for i in again]


def test_addresses_read_as_text() -> None:
    assert entity("/profile/570000000001/statuses/1") == "profile/570000000001"
    assert entity("https://ok.ru/dk?st.cmd=altGroupMain&st.groupId=530000000001") == "group/530000000001"
    assert entity("https://m.ok.ru/group/530000000001") == "group/530000000001"
    assert entity("/feed") is None and entity("https://example.org/profile/1") is None
    assert external_link("/dk?st.cmd=logExternal&st.link=https%3A%2F%2Fexample.net%2Fa") == "https://example.net/a"
    assert external_link("https://ok.ru/group/1") is None and external_link("javascript:void(0)") is None
    assert platform_of("https://vk.com/id1") == "vk" and platform_of("https://web.max.ru/123") == "max"
    assert platform_of("https://example.org/") == "web" and platform_of(None) == "web"


# -- other sites -------------------------------------------------------------------------------------


def test_vk_page_is_one_item(tmp_path: Path) -> None:
    imp, items = run(copy_page("vk_page.html", tmp_path))
    assert isinstance(imp, SavedPageImporter)
    [page] = items
    assert page.platform == "vk" and page.kind == "page" and page.url == "https://vk.com/id1000001"
    assert "Запись на стене ВКонтакте" in page.text  # windows-1251, as its meta says
    assert "скрипт не текст" not in page.text and "color: black" not in page.text
    assert [Path(a.path or "").name for a in page.attachments if a.type == "photo"] == ["picture.jpg"]
    assert [n.key for n in imp.notes] == ["err_page_note_one_page"]
    utf16 = tmp_path / "u" / "vk16.html"
    utf16.parent.mkdir()
    utf16.write_bytes((SAVED / "vk_page.html").read_bytes().decode("cp1251").replace("windows-1251", "utf-16")
                      .encode("utf-16"))
    _imp, [page16] = run(utf16)
    assert page16.platform == "vk" and "Запись на стене ВКонтакте" in page16.text


def test_foreign_page_is_one_item_with_a_note(tmp_path: Path) -> None:
    imp, items = run(copy_page("foreign.html", tmp_path))
    [page] = items
    assert page.platform == "web" and page.kind == "page" and page.url == "https://example.org/blog/kaktusy"
    assert "Включите скрипты" not in page.text and "как поливать кактусы" in page.text
    assert [n.key for n in imp.notes] == ["err_page_note_one_page"]
    assert "одна запись" in str(imp.notes[0]) and str(tmp_path / "foreign.html") in str(imp.notes[0])


# -- detection, folders, ZIPs ---------------------------------------------------------------------


def test_folder_and_zip_of_a_saved_page(tmp_path: Path) -> None:
    folder = tmp_path / "Моя страница"
    copy_page("ok_feed.html", folder)
    imp, items = run(folder)
    assert isinstance(imp, OkPageImporter) and len(items) == 4
    z = tmp_path / "page.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                info = zipfile.ZipInfo("Wrapper/" + f.relative_to(folder).as_posix(), (2025, 3, 20, 10, 0, 0))
                zf.writestr(info, f.read_bytes())
    media = tmp_path / "media"
    imp, items = run(z, media)
    assert isinstance(imp, OkPageImporter)
    first = by_id(items)["statuses/154000000000001"]
    assert first.date == "2025-03-19T14:05:00+03:00"  # the ZIP's own date of the page, read in the zone
    paths = [Path(a.path or "") for a in first.attachments if a.type == "photo"]
    assert len(paths) == 2 and all(p.is_file() and p.resolve().is_relative_to(media.resolve()) for p in paths)
    assert str(z) in items[0].source_file if items[0].source_file else False


def test_only_a_saved_page_and_its_folder_is_claimed(tmp_path: Path) -> None:
    folder = tmp_path / "two"
    copy_page("ok_feed.html", folder)
    (folder / "notes.txt").write_text("x")
    with pytest.raises(InputError) as e:
        detect(folder)
    assert e.value.key == "err_unknown_format"
    # a Telegram chat exported as HTML is not a saved page
    tg = tmp_path / "ChatExport"
    (tg / "css").mkdir(parents=True)
    (tg / "css/style.css").write_text("")
    (tg / "messages.html").write_text('<html><head><link href="css/style.css" rel="stylesheet"/></head>'
                                      '<body><div class="page_wrap">чат</div></body></html>')
    with pytest.raises(InputError):
        detect(tg)
    assert not SavedPageImporter.detect(tg / "messages.html")
    # a VK archive page given alone
    vk = tmp_path / "wall0.html"
    vk.write_text('<html><head><meta name="jd" content="e30="></head><body></body></html>')
    assert not SavedPageImporter.detect(vk) and not OkPageImporter.detect(vk)
    # Facebook's HTML export keeps its own (refusing) importer
    fb = tmp_path / "fb"
    (fb / "your_facebook_activity/posts").mkdir(parents=True)
    (fb / "your_facebook_activity/posts/your_posts_1.html").write_text("<html></html>")
    assert isinstance(detect(fb), FacebookImporter)
    assert not SavedPageImporter.detect(fb / "your_facebook_activity/posts/your_posts_1.html")


def test_broken_file_is_one_line_error_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "страница.html"
    shutil.copyfile(SAVED / "broken.html", bad)
    imp = detect(bad)
    with pytest.raises(InputError) as e:
        imp.verify()
    assert e.value.key == "err_page_not_html"
    text = tmp_path / "notes.htm"
    text.write_text("просто текст, без разметки", "utf-8")
    with pytest.raises(InputError):
        detect(text).verify()
    with pytest.raises(SystemExit) as ex:
        main(["import", str(bad), "--db", str(tmp_path / "w.sqlite")])
    assert ex.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(bad) in err and "не веб-страница" in err


# -- privacy ---------------------------------------------------------------------------------------


def test_no_socket_is_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: Any, **_k: Any) -> Any:
        raise AssertionError("a socket was opened during an import")

    for name in ("ok_feed.html", "ok_old.html", "ok_hashed.html", "ok_topic.html", "ok_unknown.html",
                 "vk_page.html", "foreign.html"):
        copy_page(name, tmp_path / name)
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    for d in sorted(tmp_path.iterdir()):
        _imp, items = run(d / d.name)
        assert items


# -- robustness ------------------------------------------------------------------------------------

_FEED = (SAVED / "ok_feed.html").read_text("utf-8")
_PIECES = ['<div class="feed-w">', "</div>", '<div class="media-text_cnt_tx">', "<time>", "вчера 25:99",
           "12 мар", '<img class="collage_img" src="../../etc/passwd.jpg">', '<a class="media-text_a" href="',
           "/topic/", '<a class="feed-avatar-link" href="/group/1">', "<!--", "<script>", "&#0;", "\x00", "»",
           '<a href="http://[x?st.link=http%3A%2F%2F[y">', "<!-- saved from url=(0010)https://[ok.ru -->"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(0, len(_FEED)), inserts=st.lists(st.tuples(st.integers(0, len(_FEED)),
                                                                    st.sampled_from(_PIECES) | st.text(max_size=20)),
                                                          max_size=8))
def test_reader_never_crashes_on_mutated_pages(tmp_path: Path, cut: int, inserts: list[tuple[int, str]]) -> None:
    html = _FEED[:cut]
    for pos, piece in sorted(inserts, reverse=True):
        html = html[:pos] + piece + html[pos:]
    d = Path(tmp_path, f"h{abs(hash((cut, tuple(inserts))))}")
    d.mkdir()
    page = d / "page.html"
    page.write_text(html, "utf-8", errors="surrogatepass")
    imp = OkPageImporter(page)
    try:
        imp.verify()
    except InputError as e:
        assert e.key == "err_page_not_html"
        return
    items = list(imp.iter_items())
    assert items and all(isinstance(i, Item) for i in items)
    assert all(isinstance(w.key, str) for w in imp.warnings)


# -- end to end -----------------------------------------------------------------------------------


def test_scan_finds_a_quote_of_the_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPOSTGUARD_HOME", str(tmp_path / "home"))
    page = copy_page("ok_feed.html", tmp_path / "saved")
    out = tmp_path / "x.json"
    main(["scan", str(page), "--fsm", str(SAVED / "fsm.csv"), "--db", str(tmp_path / "x.sqlite"),
          "--json", str(out), "--no-ocr", "-q"])
    findings = json.loads(out.read_text("utf-8"))["findings"]
    hits = {(f["item"], f["bank"], str(f["entry"])) for f in findings}
    assert ("odnoklassniki:statuses/154000000000002", "fsm", "5001") in hits, hits
    assert all(item == "odnoklassniki:statuses/154000000000002" for item, _b, _e in hits)
