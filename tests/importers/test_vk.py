"""VK importers: dates, labels, encodings, bad input through the CLI, junk input, identity exposure."""

from __future__ import annotations

import base64
import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from repostguard.cli import main
from repostguard.errors import InputError, UserError
from repostguard.i18n import t
from repostguard.importers._vk import attachment_type, flatten_markup, parse_vk_date, resolve_tz
from repostguard.importers.registry import detect
from repostguard.importers.vk_api import VkApiImporter, api_attachment, largest_photo_url
from repostguard.importers.vk_archive import SECTIONS, VkArchiveImporter, decode_html, read_jd
from repostguard.importers.vk_profile import profile_avatar, profile_page
from repostguard.importers.vk_sections import Page, RecordError
from repostguard.matchers.identity import IdentityMatcher
from repostguard.model import KINDS, VISIBILITIES, Attachment, Item
from repostguard.pipeline.scan import import_path
from repostguard.store import Store

ROOT = Path(__file__).resolve().parents[2]
RU = ROOT / "tests/fixtures/vk/archive_ru"
EN = ROOT / "tests/fixtures/vk/archive_en"
API = ROOT / "tests/fixtures/vk_api/wall_response.json"
MSK, _ = resolve_tz("Europe/Moscow")


# -- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("25 дек 2024 в 8:15:45", "2024-12-25T08:15:45+03:00"),
        ("2 фев 2021 в 19:08", "2021-02-02T19:08:00+03:00"),
        ("Вы 2 мая 2021 в 19:08", "2021-05-02T19:08:00+03:00"),
        ("3 Мая 2021 в 10:00 (ред.)", "2021-05-03T10:00:00+03:00"),
        ("1 май 2021 в 0:01", "2021-05-01T00:01:00+03:00"),
        ("You 2 Feb 2021 at 7:08 pm", "2021-02-02T19:08:00+03:00"),
        ("2 Feb 2021 at 12:08 am", "2021-02-02T00:08:00+03:00"),
        ("2 Feb 2021 at 12:30 pm", "2021-02-02T12:30:00+03:00"),
        ("at 7:15:40 pm on 3 Nov 2014", "2014-11-03T19:15:40+03:00"),
        ("3 Nov 2014 at 7:15:40 pm (edited)", "2014-11-03T19:15:40+03:00"),
        ("1 авг 2019 в 21:30 Комментарии", "2019-08-01T21:30:00+03:00"),
        ("2\xa0мая\xa02020", "2020-05-02T00:00:00+03:00"),
        ("12 March 2012 at 10:00", "2012-03-12T10:00:00+04:00"),  # Moscow was UTC+4 in 2011-2014
    ],
)
def test_vk_dates(text: str, iso: str) -> None:
    assert parse_vk_date(text, MSK) == iso


@pytest.mark.parametrize(
    "text", ["", "нет даты", "31 фев 2021 в 10:00", "2 Feb 2021 at 13:08 pm", "1 xyz 2020"]
)
def test_vk_dates_rejected(text: str) -> None:
    assert parse_vk_date(text, MSK) is None


def test_time_zone_option_and_env(monkeypatch: pytest.MonkeyPatch) -> None:
    tz, name = resolve_tz("+05:00")
    assert parse_vk_date("2 фев 2021 в 19:08", tz) == "2021-02-02T19:08:00+05:00"
    monkeypatch.setenv("REPOSTGUARD_TZ", "Asia/Yekaterinburg")
    imp = VkArchiveImporter(RU)
    assert imp.tz_name == "Asia/Yekaterinburg"
    items = {i.native_id: i for i in imp.iter_items()}
    assert items["wall100001_10"].date == "2021-05-02T19:08:00+05:00"
    assert items["wall100001_10"].date_tz_assumed
    assert VkArchiveImporter(RU, tz="UTC").tz_name == "UTC"
    with pytest.raises(UserError, match="неизвестный часовой пояс «Mars/Olympus»"):
        resolve_tz("Mars/Olympus")


def test_labels_and_markup() -> None:
    assert attachment_type("Запись\xa0на стене") == "wall"
    assert attachment_type("Wall post") == "wall"
    assert attachment_type("Фотография") == "photo"
    assert attachment_type("3 прикреплённых сообщения") == "forwarded"
    assert attachment_type("attachment app action") is None
    assert flatten_markup("Привет, [id1|Иван] и [club2|Клуб]!") == "Привет, Иван и Клуб!"


def test_read_jd_without_padding() -> None:
    b64 = base64.b64encode(b'{"user_id":5,"time_current":1}').decode().rstrip("=")
    assert read_jd(f'<meta name="jd" content="{b64}">'.encode()) == {"user_id": 5, "time_current": 1}
    assert read_jd(b"<html></html>") is None


def test_decode_html_encodings() -> None:
    page = '<meta charset="windows-1251"><p>Привет</p>'
    assert "Привет" in decode_html(page.encode("cp1251"), "x.html")
    assert "Привет" in decode_html(page.encode("utf-8"), "x.html")  # re-saved as UTF-8
    with pytest.raises(InputError, match=r"x\.html: страница в неожиданной кодировке"):
        decode_html(page.encode("utf-16"), "x.html")
    with pytest.raises(InputError, match="неожиданной кодировке: это не текст ни в одной из кодировок utf-8, "
                                         "windows-1251, cp1251"):
        decode_html(b'<meta charset="windows-1251">\x98\xff', "x.html")


# -- API JSON --------------------------------------------------------------------------------


def test_api_photo_and_attachments() -> None:
    photo = {
        "sizes": [
            {"type": "s", "width": 75, "height": 50, "url": "s"},
            {"type": "z", "width": 1080, "height": 720, "url": "z"},
        ]
    }
    assert largest_photo_url(photo) == "z"
    assert largest_photo_url({"sizes": [{"type": "x", "url": "x"}, {"type": "w", "url": "w"}]}) == "w"
    a = api_attachment({"type": "audio", "audio": {"artist": "A", "title": "T", "duration": 3}})
    assert a is not None and (a.artist, a.title, a.duration) == ("A", "T", 3)
    assert api_attachment("junk") is None
    assert api_attachment({"type": "poll", "poll": {"question": "Q?"}}) == Attachment(type="poll", title="Q?")


def test_api_detection_is_specific(tmp_path: Path) -> None:
    generic = tmp_path / "items.jsonl"
    generic.write_text('{"id": "1", "kind": "post", "text": "x", "date": "2020-01-01"}\n', "utf-8")
    assert not VkApiImporter.detect(generic)
    tg = tmp_path / "result.json"
    tg.write_text('{"personal_information": {}, "chats": {"list": []}}', "utf-8")
    assert not VkApiImporter.detect(tg)
    assert not VkArchiveImporter.detect(tg)
    assert VkApiImporter.detect(API)
    assert not VkArchiveImporter.detect(API)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"error": {"error_code": 5, "error_msg": "User authorization failed", "request_params": []}}',
            "ответ VK API с ошибкой",
        ),
        (
            '[{"owner_id": 1, "from_id": 1, "date": 1, "text": "no id"}]',
            "не прочитано ни одной записи стены: запись стены без числовых номеров владельца и записи",
        ),
        ('[{"owner_id": 1, "from_id": 1, "date": 1, "id": 2, ', "не JSON"),
        ('{"response": {"items": 5, "owner_id": 1, "from_id": 1, "date": 1}}', "нет списка записей стены"),
    ],
)
def test_api_bad_input(tmp_path: Path, content: str, message: str) -> None:
    f = tmp_path / "wall.json"
    f.write_text(content, "utf-8")
    assert VkApiImporter.detect(f)
    with pytest.raises(InputError, match=message):
        list(VkApiImporter(f).iter_items())


def test_api_one_bad_item_is_a_counted_warning(tmp_path: Path) -> None:
    good = {"owner_id": 1, "from_id": 1, "date": 1_600_000_000, "id": 2, "text": "обычный пост"}
    f = tmp_path / "wall.json"
    f.write_text(json.dumps({"response": {"count": 4, "items": [
        good, {"owner_id": 1, "text": "no id"}, "a string", {**good, "id": 3, "copy_history": 5}]}}), "utf-8")
    imp = VkApiImporter(f)
    items = list(imp.iter_items())
    assert [i.native_id for i in items] == ["wall1_2"]
    assert sorted(map(str, imp.warnings)) == sorted([
        f"{f}: пропущена 1 запись: запись стены без числовых номеров владельца и записи (место: /response/items/1)",
        f"{f}: пропущена 1 запись: запись стены не является объектом JSON (место: /response/items/2)",
        f"{f}: пропущена 1 запись: запись стены, цепочка репостов которой не является списком "
        "(место: /response/items/3)",
    ])
    lines = tmp_path / "wall.jsonl"
    lines.write_text(json.dumps(good) + "\n{broken\n" + json.dumps({**good, "id": 4}) + "\n", "utf-8")
    imp = VkApiImporter(lines)
    assert [i.native_id for i in imp.iter_items()] == ["wall1_2", "wall1_4"]
    assert [str(w) for w in imp.warnings] == [f"{lines}: пропущена 1 запись: не JSON (место: строка 2)"]


# -- bad input through the CLI: one line, exit 2, store unchanged --------------------------------


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as e:
        code = int(e.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def counts(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as c:
        return c.execute("SELECT count(*) FROM items").fetchone()[0], c.execute(
            "SELECT count(*) FROM imports"
        ).fetchone()[0]


def zip_dir(src: Path, dest: Path, wrapper: str = "Archive/") -> Path:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(src.rglob("*")):
            if f.is_file():
                zf.write(f, wrapper + f.relative_to(src).as_posix())
    return dest


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A store that already holds the English fixture (so "unchanged" is not "empty")."""
    d = tmp_path / "ws.sqlite"
    code, out, _ = run_cli(["import", str(EN), "--db", str(d)], capsys)
    assert code == 0 and counts(d) == (5, 1), out
    return d


def expect_error(args: list[str], capsys: pytest.CaptureFixture[str], db: Path, pattern: str) -> str:
    before = counts(db)
    code, _out, err = run_cli([*args, "--db", str(db)], capsys)
    assert code == 2, err
    lines = [x for x in err.strip().splitlines() if x]
    assert len(lines) == 1, err
    assert pattern in lines[0], lines[0]
    assert counts(db) == before
    return lines[0]


def test_cli_imports_zip_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str], db: Path) -> None:
    z = zip_dir(RU, tmp_path / "archive.zip")
    code, out, err = run_cli(["import", str(z), "--db", str(db)], capsys)
    assert code == 0, err
    # the store already holds the English archive: its profile and its photo like are there already
    assert counts(db) == (5 + 34, 2), out
    assert "wall/wall1.html, запись 2: пропущена 1 запись раздела «стена»: запись без ссылки на пост" in err
    assert t("cli_note", text=t("err_vk_note_others_messages", n=2)) in out
    assert "2 сообщения других людей не прочитаны (читаются только ваши сообщения)" in out
    assert t("cli_note", text=t("err_vk_note_unnamed_audio", n=1)) in out


def test_unsafe_zip_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str], db: Path) -> None:
    z = zip_dir(RU, tmp_path / "evil.zip", wrapper="")
    with zipfile.ZipFile(z, "a") as zf:
        zf.writestr("../escaped.html", "<html>x</html>")
        zf.writestr("/tmp/absolute-escaped.html", "<html>x</html>")
        zf.writestr("wall/../../escaped2.html", "<html>x</html>")
    code, out, err = run_cli(["import", str(z), "--db", str(db)], capsys)
    assert code == 0, err
    assert counts(db) == (5 + 34, 2), out
    assert err.count("в архиве файл с небезопасным путём") == 3
    assert (
        not (tmp_path.parent / "escaped.html").exists() and not (tmp_path.parent / "escaped2.html").exists()
    )
    assert not Path("/tmp/absolute-escaped.html").exists()
    assert [p.name for p in tmp_path.rglob("*escaped*")] == []


def test_zip_bomb(tmp_path: Path, capsys: pytest.CaptureFixture[str], db: Path) -> None:
    z = zip_dir(RU, tmp_path / "bomb.zip")
    with zipfile.ZipFile(z, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Archive/wall/wall9.html", b"\0" * (8 * 1024**2))
    expect_error(["import", str(z)], capsys, db, "похоже на ZIP-бомбу, архив не принят")


def test_truncated_zip(tmp_path: Path, capsys: pytest.CaptureFixture[str], db: Path) -> None:
    z = zip_dir(RU, tmp_path / "full.zip")
    cut = tmp_path / "cut.zip"
    data = z.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    expect_error(["import", str(cut)], capsys, db, "архив ZIP повреждён или скачан не полностью")


def test_page_in_unexpected_encoding_rolls_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    d = tmp_path / "arch"
    shutil.copytree(RU, d)
    page = (d / "wall/wall1.html").read_bytes().decode("cp1251")
    (d / "wall/wall1.html").write_bytes(page.encode("utf-16"))
    line = expect_error(["import", str(d)], capsys, db, "неожиданной кодировке")
    assert "wall/wall1.html" in line


def test_third_party_dump(tmp_path: Path, capsys: pytest.CaptureFixture[str], db: Path) -> None:
    d = tmp_path / "dump"
    (d / "Диалоги" / "Иван Тестов").mkdir(parents=True)
    (d / "Диалоги" / "Иван Тестов" / "history_1.html").write_text(
        '<html><div class="m"><b>Иван</b> привет</div></html>', "utf-8"
    )
    assert isinstance(detect(d), VkArchiveImporter)
    expect_error(["import", str(d)], capsys, db, "сделанная сторонней программой")


def test_pages_without_marker(tmp_path: Path, capsys: pytest.CaptureFixture[str], db: Path) -> None:
    d = tmp_path / "resaved"
    (d / "wall").mkdir(parents=True)
    (d / "wall/wall0.html").write_text('<html><div class="wrap_page_content"></div></html>', "utf-8")
    (d / "index.html").write_text("<html></html>", "utf-8")
    expect_error(["import", str(d)], capsys, db, "нет метки архива VK")


def test_other_account_mixed_in(tmp_path: Path, capsys: pytest.CaptureFixture[str], db: Path) -> None:
    d = tmp_path / "mixed"
    shutil.copytree(RU, d)
    other = base64.b64encode(b'{"user_id":999,"time_current":1}').decode()
    page = (d / "comments/comments.html").read_bytes()
    page = page.replace(page[page.index(b'name="jd" content="') + 19 :].split(b'"', 1)[0], other.encode())
    (d / "comments/comments2.html").write_bytes(page)
    line = expect_error(["import", str(d)], capsys, db, "страницы нескольких аккаунтов VK")
    assert "id999" in line and "id100001" in line


def test_unknown_format_message_mentions_odnoklassniki(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok/notes.txt").write_text("x", "utf-8")
    expect_error(["import", str(tmp_path / "ok")], capsys, db, "у Одноклассников нет архива")


# -- junk input ------------------------------------------------------------------------------

JUNK_HTML = st.lists(
    st.one_of(
        st.text(max_size=30),
        st.sampled_from(
            [
                '<div class="item">',
                "</div>",
                '<div class="item__main">',
                '<div class="kludges">',
                '<div class="attachment"><div class="attachment__description">Фотография</div>',
                '<a class="post__link" href="https://vk.com/wall1_2">',
                "</a>",
                '<a href="https://vk.com/wall-5_6">',
                '<div class="item__tertiary">Вы 2 мая 2021 в 19:08',
                '<div class="copy_quote">',
                "<br>",
                '<a href="https://vk.com/photo1_2?reply=3">',
                '<img src="x" alt="1_2">',
                "&#128512;",
                "&laquo;",
                '<a href="https://vk.com/club5">',
                "<div>",
                '<div class="wrap_page_content">',
                "Исполнитель — Песня",
                '<div class="repost"><div class="repost__post"><div class="repost__post__owner">',
                '<a href="https://vk.com/public7" class="group_link">',
                '<span class="post__deleted-label">',
                '<span class="post__archived-label">',
                '<div class="reply-header"><a href="https://vk.com/id1" class="mem_link">Я</a> 1 янв 2020 в 1:02',
                '<div class="message" data-id="5"><div class="message__header">Вы, 1 янв 2020 в 1:02:03</div>',
                '<div class="message" data-id="x"><div class="message__header">',
                '<div class="audio__title">А &mdash; Б</div><span class="audio__duration">1:02:03</span>',
                '<a href="https://vk.com/video-1_2">',
                "<span>",
                "Данных нет",
                '<div class="item__tertiary">Фотография</div>',
                '<img src="https://vk.com/images/camera_50.png">',
            ]
        ),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html=JUNK_HTML, section=st.sampled_from([s for s, *_ in SECTIONS] + ["profile"]),
       folder=st.sampled_from(["", "wall_reply", "2000000001", "-5", "-6", "x", "457239017"]))
def test_junk_html_never_crashes(html: str, section: str, folder: str) -> None:
    """Any markup gives items or counted record errors, never an exception of another kind."""
    readers = {s: (sel, fn) for s, _rx, sel, fn in SECTIONS}
    root = LexborHTMLParser(html).root
    assert root is not None
    page = Page(section=section, name="x/junk.html", where="junk.html", owner=1, tz=MSK, folder=folder)
    if section == "profile":
        items: list[Item | None] = [profile_page(root, page), profile_avatar(root, page)]
    else:
        sel, fn = readers[section]
        items = []
        for i, el in enumerate(root.css(sel)):
            try:
                items.append(fn(el, page, i))
            except RecordError:
                continue
    for item in items:
        if item is None:
            continue
        assert isinstance(item, Item) and item.platform == "vk" and item.native_id
        assert item.kind in KINDS and (item.visibility is None or item.visibility in VISIBILITIES)
        json.dumps(item.unified_dict())


@settings(max_examples=80, deadline=None)
@given(data=st.binary(max_size=300))
def test_junk_bytes_decode_or_input_error(data: bytes) -> None:
    try:
        assert isinstance(decode_html(data, "junk.html"), str)
    except InputError as e:
        assert "junk.html" in str(e)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=10),
    lambda kids: (
        st.lists(kids, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "owner_id",
                    "from_id",
                    "date",
                    "text",
                    "copy_history",
                    "attachments",
                    "type",
                    "photo",
                    "sizes",
                    "url",
                    "width",
                    "height",
                    "audio",
                    "video",
                    "link",
                    "doc",
                    "items",
                    "response",
                    "artist",
                    "title",
                    "duration",
                ]
            ),
            kids,
            max_size=6,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=JSON_VALUES)
def test_junk_json_never_crashes(value: object, tmp_path: Path) -> None:
    f = tmp_path / "wall.json"
    f.write_text(json.dumps(value), "utf-8")
    VkApiImporter.detect(f)
    try:
        for item in VkApiImporter(f).iter_items():
            assert item.native_id.startswith("wall")
    except InputError as e:
        assert str(f) in str(e)
    if isinstance(value, dict):
        api_attachment(value)


# -- identity exposure -----------------------------------------------------------------------


def test_identity_from_vk_profile() -> None:
    items = [i for i in VkArchiveImporter(RU).iter_items() if i.kind == "profile"]
    assert len(items) == 1
    findings = IdentityMatcher().match(items[0])
    by = {f.entry: f for f in findings}
    # «Данных нет» (no data) in «Доп. телефон», «Привязанное устройство» and «Instagram» gives nothing
    assert set(by) == {"full_name", "birth_date", "phone", "city"}
    assert by["phone"].evidence.text == "+7 900 000-00-00"
    assert by["full_name"].evidence.text == "Иван Придуманный"
    for f in findings:
        assert (f.level, f.signal, f.bank) == ("exposure", "profile", "identity")
        assert f.evidence.text in f.explanation_ru and f.evidence.text in f.explanation_en
        assert f.item_ref == "vk:profile100001"


def test_identity_from_text_profile_of_another_platform() -> None:
    item = Item(
        platform="telegram",
        native_id="profile",
        kind="profile",
        text="first_name: Анна\nlast_name: Тестова\nphone_number: +7 999 123 45 67\nbio: пишите на a@b.org",
    )
    by = {f.entry: f for f in IdentityMatcher().match(item)}
    assert by["full_name"].evidence.text == "Анна Тестова"
    assert by["phone"].evidence.text == "+7 999 123 45 67"
    assert by["email"].evidence.text == "a@b.org"
    assert by["email"].evidence.span is not None
    assert (
        IdentityMatcher().match(
            Item(platform="vk", native_id="wall1_1", kind="post", text="+7 999 123 45 67")
        )
        == []
    )


def test_identity_on_stored_items_round_trip(tmp_path: Path) -> None:

    with Store.open(tmp_path / "s.sqlite") as store:
        import_path(store, RU)
        prof = [i for i in store.iter_items() if i.kind == "profile"]
    entries = {f.entry for f in IdentityMatcher().match(prof[0])}
    assert entries == {"full_name", "birth_date", "phone", "city"}


def test_raw_html_is_the_record_markup(tmp_path: Path) -> None:
    """The raw record is the record element's markup (lexbor's serialization of it), kept in the store."""
    items = {i.native_id: i for i in VkArchiveImporter(RU).iter_items()}
    item = items["wall100001_11"]
    assert isinstance(item.raw, str) and item.raw.startswith('<div class="item">') and item.raw.endswith("</div>")
    root = LexborHTMLParser(item.raw).css_first("div.item")
    assert root is not None and root.css_first("div.repost__post__owner a") is not None
    assert "Текст оригинала" in item.raw and "wall100001_11" in item.raw and "wall100001_10" not in item.raw
    with Store.open(tmp_path / "s.sqlite") as store:
        import_path(store, RU)
        assert store.raw_record(item.id) == item.raw


def _same_search(pattern: object, text: str) -> None:
    """A LiteralPattern's search finds what its regex alone finds (span and groups)."""
    fast, full = pattern.search(text), pattern.regex.search(text)  # type: ignore[attr-defined]
    assert (fast and (fast.span(), fast.groups())) == (full and (full.span(), full.groups())), text


_LINKS = st.builds(
    "".join,
    st.tuples(
        st.sampled_from(["", "http://", "https://", "m.", "https://m.", "see "]),
        st.sampled_from(["vk.com/", "vk.co/", "vk.com", "VK.com/"]),
        st.sampled_from(["wall", "photo", "video", "id", "club", "wal", ""]),
        st.sampled_from(["", "-", "-1", "1", "23"]),
        st.sampled_from(["_", "", "/"]),
        st.sampled_from(["", "1", "45"]),
        st.sampled_from(["", "?reply=7", "/", " x", "https://sun9-3.userapi.com/impg/a.jpg?size=1&sign=2"]),
    ),
)


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(links=st.lists(_LINKS, min_size=1, max_size=3))
@example(links=["see https://vk.com/wall-1_45?reply=7"])
@example(links=["m.vk.com/photo12_3", "https://sun9-3.userapi.com/impg/a.jpg?size=1&sign=2"])
@example(links=["https://vk.com/club23"])
def test_link_patterns_skip_the_regex_only_when_it_cannot_match(links: list[str]) -> None:
    """WALL_RE, OBJECT_RE and PAGE_RE look for their fixed part first: same match as the regex."""
    from repostguard.importers._vk import OBJECT_RE, PAGE_RE, WALL_RE

    for pattern in (WALL_RE, OBJECT_RE, PAGE_RE):
        _same_search(pattern, "".join(links))


