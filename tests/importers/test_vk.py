"""VK importers: dates, labels, encodings, bad input through the CLI, junk input, identity exposure."""

from __future__ import annotations

import base64
import itertools
import json
import re
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from repostguard.cli import main
from repostguard.errors import InputError, UserError
from repostguard.importers._archive import ExportArchive
from repostguard.importers._vk import attachment_type, flatten_markup, parse_vk_date, resolve_tz
from repostguard.importers.registry import detect
from repostguard.importers.vk_api import VkApiImporter, api_attachment, largest_photo_url
from repostguard.importers.vk_html import PARALLEL_SECTIONS, VkArchiveImporter, decode_html, read_jd
from repostguard.matchers.identity import IdentityMatcher
from repostguard.model import Attachment, Item
from repostguard.scan import import_path
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
    with pytest.raises(UserError, match="unknown time zone"):
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
    with pytest.raises(InputError, match=r"x\.html: page is in an unexpected encoding"):
        decode_html(page.encode("utf-16"), "x.html")
    with pytest.raises(InputError, match="unexpected encoding"):
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
            "error response",
        ),
        (
            '[{"owner_id": 1, "from_id": 1, "date": 1, "text": "no id"}]',
            "without integer 'owner_id' and 'id'",
        ),
        ('[{"owner_id": 1, "from_id": 1, "date": 1, "id": 2, ', "not valid JSON"),
        ('{"response": {"items": 5, "owner_id": 1, "from_id": 1, "date": 1}}', "no list of wall.get items"),
    ],
)
def test_api_bad_input(tmp_path: Path, content: str, message: str) -> None:
    f = tmp_path / "wall.json"
    f.write_text(content, "utf-8")
    assert VkApiImporter.detect(f)
    with pytest.raises(InputError, match=message):
        list(VkApiImporter(f).iter_items())


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
    assert code == 0 and "5 new" in out
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
    m = re.search(r": vk: (\d+) new, (\d+) updated, (\d+) unchanged, 2 warnings", out)
    assert m and int(m.group(1)) == 16 and int(m.group(2)) + int(m.group(3)) == 2, out
    assert "unknown attachment type 'Квест'" in err


def test_unsafe_zip_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str], db: Path) -> None:
    z = zip_dir(RU, tmp_path / "evil.zip", wrapper="")
    with zipfile.ZipFile(z, "a") as zf:
        zf.writestr("../escaped.html", "<html>x</html>")
        zf.writestr("/tmp/absolute-escaped.html", "<html>x</html>")
        zf.writestr("wall/../../escaped2.html", "<html>x</html>")
    code, out, err = run_cli(["import", str(z), "--db", str(db)], capsys)
    assert code == 0, err
    assert re.search(r": vk: 16 new, \d+ updated, \d+ unchanged, 5 warnings", out), out
    assert err.count("unsafe path; skipped") == 3
    assert (
        not (tmp_path.parent / "escaped.html").exists() and not (tmp_path.parent / "escaped2.html").exists()
    )
    assert not Path("/tmp/absolute-escaped.html").exists()
    assert [p.name for p in tmp_path.rglob("*escaped*")] == []


def test_zip_bomb(tmp_path: Path, capsys: pytest.CaptureFixture[str], db: Path) -> None:
    z = zip_dir(RU, tmp_path / "bomb.zip")
    with zipfile.ZipFile(z, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Archive/wall/wall9.html", b"\0" * (8 * 1024**2))
    expect_error(["import", str(z)], capsys, db, "refusing a ZIP bomb")


def test_truncated_zip(tmp_path: Path, capsys: pytest.CaptureFixture[str], db: Path) -> None:
    z = zip_dir(RU, tmp_path / "full.zip")
    cut = tmp_path / "cut.zip"
    data = z.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    expect_error(["import", str(cut)], capsys, db, "damaged or truncated ZIP")


def test_page_in_unexpected_encoding_rolls_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    d = tmp_path / "arch"
    shutil.copytree(RU, d)
    page = (d / "wall/wall1.html").read_bytes().decode("cp1251")
    (d / "wall/wall1.html").write_bytes(page.encode("utf-16"))
    line = expect_error(["import", str(d)], capsys, db, "unexpected encoding")
    assert "wall/wall1.html" in line


def test_third_party_dump(tmp_path: Path, capsys: pytest.CaptureFixture[str], db: Path) -> None:
    d = tmp_path / "dump"
    (d / "Диалоги" / "Иван Тестов").mkdir(parents=True)
    (d / "Диалоги" / "Иван Тестов" / "history_1.html").write_text(
        '<html><div class="m"><b>Иван</b> привет</div></html>', "utf-8"
    )
    assert isinstance(detect(d), VkArchiveImporter)
    expect_error(["import", str(d)], capsys, db, "third-party tool")


def test_pages_without_marker(tmp_path: Path, capsys: pytest.CaptureFixture[str], db: Path) -> None:
    d = tmp_path / "resaved"
    (d / "wall").mkdir(parents=True)
    (d / "wall/wall0.html").write_text('<html><div class="wrap_page_content"></div></html>', "utf-8")
    (d / "index.html").write_text("<html></html>", "utf-8")
    expect_error(["import", str(d)], capsys, db, "no VK archive marker")


def test_other_account_mixed_in(tmp_path: Path, capsys: pytest.CaptureFixture[str], db: Path) -> None:
    d = tmp_path / "mixed"
    shutil.copytree(RU, d)
    other = base64.b64encode(b'{"user_id":999,"time_current":1}').decode()
    page = (d / "comments/comments0.html").read_bytes()
    page = page.replace(page[page.index(b'name="jd" content="') + 19 :].split(b'"', 1)[0], other.encode())
    (d / "comments/comments1.html").write_bytes(page)
    line = expect_error(["import", str(d)], capsys, db, "several VK accounts")
    assert "id999" in line and "id100001" in line


def test_record_of_another_wall_is_a_warning(tmp_path: Path) -> None:
    d = tmp_path / "foreign"
    shutil.copytree(RU, d)
    page = (d / "wall/wall1.html").read_bytes().replace(b"wall100001_14", b"wall555_14")
    (d / "wall/wall1.html").write_bytes(page)
    imp = VkArchiveImporter(d)
    items = {i.native_id: i for i in imp.iter_items()}
    assert items["wall555_14"].author == "Пётр Тестов"
    assert any("another account's wall (owner 555)" in w for w in imp.warnings)
    assert len(imp.warnings) == 3


def test_unknown_format_message_mentions_odnoklassniki(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok/notes.txt").write_text("x", "utf-8")
    expect_error(["import", str(tmp_path / "ok")], capsys, db, "Odnoklassniki")


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
            ]
        ),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    html=JUNK_HTML,
    section=st.sampled_from(
        ["wall", "comments", "wall_comments", "likes", "photos", "video", "audio", "profile"]
    ),
)
def test_junk_html_never_crashes(html: str, section: str) -> None:
    imp = VkArchiveImporter(RU)
    imp.owner_id = 1
    for item in imp.parse_page(section, html, "junk.html", "likes/post/x.html"):
        assert isinstance(item, Item) and item.platform == "vk" and item.native_id
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
    assert set(by) == {"full_name", "birth_date", "phone", "email", "city", "linked_account:skype"}
    assert by["phone"].evidence.text == "+7 900 000-00-00"
    assert by["email"].evidence.text == "ivan.test@example.org"
    assert by["full_name"].evidence.text == "Иван Тестов"
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
        import_path(store, EN)
        prof = [i for i in store.iter_items() if i.kind == "profile"]
    entries = {f.entry for f in IdentityMatcher().match(prof[0])}
    assert entries == {"full_name", "birth_date", "phone", "city"}


def test_raw_html_is_kept(tmp_path: Path) -> None:
    """The raw record is the archive's own bytes (windows-1251), and the store gives it back as text."""
    items = {i.native_id: i for i in VkArchiveImporter(RU).iter_items()}
    item = items["wall100001_15"]
    assert isinstance(item.raw, bytes) and item.raw_encoding == "cp1251"
    page = next(p.read_bytes() for p in sorted(RU.rglob("wall*.html")) if item.raw in p.read_bytes())
    assert page.count(item.raw) == 1 and item.raw.startswith(b'<div class="item">')
    text = item.raw_text()
    assert "poll_widget" in text and "Неизвестный блок" in text
    with Store.open(tmp_path / "s.sqlite") as store:
        import_path(store, RU)
        assert store.raw_record(item.id) == text
        content, enc = store.conn.execute(
            "SELECT r.content, r.encoding FROM items i JOIN raw_records r ON r.id = i.raw_id WHERE i.id=?",
            (item.id,),
        ).fetchone()
        assert (content, enc) == (item.raw, "cp1251")  # kept as the archive's bytes, half the size of UTF-8


ENTITY_TEXT = st.lists(
    st.sampled_from(
        [
            "&laquo;",
            "&amp;",
            "&amp;laquo;",
            "&#128512;",
            "&#150;",
            "&#0;",
            "&#x41;",
            "&copy;",
            "&nbsp;",
            "&",
            ";",
            "#",
            "&#",
            "&#39;",
            "&lt;",
            "x",
            "Привет",
            " ",
            "&notit;",
            "&#1114112;",
        ]
    ),
    max_size=20,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(text=ENTITY_TEXT)
def test_fast_unescape_is_html_unescape(text: str) -> None:
    from html import unescape

    from repostguard.importers.vk_html import fast_unescape

    assert fast_unescape(text) == unescape(text)


@pytest.mark.parametrize(
    "text",
    ["&&#97;mp; &amp;", "&amp;#38; &#38;", "&AMP;lt; &lt;", "a&&lt;b", "&#0065;&#65;&#x41;", "&#38;&amp;&AMP;",
     "&laquo;" * 50 + "&#128512;", "&#65534; &#127; &#55296;", "&zwnj;&Aacute;&notit;"],
)
def test_fast_unescape_edge_cases(text: str) -> None:
    from html import unescape

    from repostguard.importers.vk_html import fast_unescape

    assert fast_unescape(text) == unescape(text)
    assert fast_unescape(text) == unescape(text)  # again, with the entities now cached


RECORD_TEXT = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "<br>",
                "<br/>",
                '<a href="https://vk.com/id1">',
                "</a>",
                "<b>",
                "</b>",
                "&laquo;",
                "&amp;",
                "&#128512;",
                "&copy",
                "&lt;",
                "&nbsp;",
                "&#32;",
                "&#10;",
                "&Tab;",
                "\xa0",
                "  ",
                " ",
                "\t",
                "\u3000",
                "\n",
                "«",
                "Ё",
                "<BR>",
                "\r\n",
                "\r",
                "\f",
                "&#8232;",
                "&#xa0;",
                "&#57344;",
                "\ue000",
                "  \n \n\n ",
            ]
        ),
        st.text(alphabet="абвгд efgh.,!?-—", min_size=1, max_size=120),
    ),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=RECORD_TEXT, as_bytes=st.sampled_from([None, "cp1251", "koi8_r", "gb18030"]))
@example(text="а" * 100 + "&laquo;б&raquo; &#128512;<br>" + "в" * 100 + '<a href="x">ссылка</a>' + "г" * 90,
         as_bytes=None)
@example(text="а" * 100 + "&laquo;б&raquo; &#128512;<br>" + "в" * 100 + '<a href="x">ссылка</a>' + "г" * 90,
         as_bytes="cp1251")
@example(text="x <br> " + "а " * 60 + " <br><br> <br>" + "б" * 90 + "&nbsp; <b>в</b> " + "г" * 85 + " &#32;",
         as_bytes="cp1251")
@example(text=" " * 100 + "<br/>\n" + "\xa0 " * 50 + "<BR>" + "д" * 90 + "&#57344;0&#57345;" + "е" * 90,
         as_bytes="cp1251")
@example(text="ж" * 90 + "\ue0000\ue001" + "з" * 90, as_bytes=None)
def test_elided_parse_gives_the_same_text(text: str, as_bytes: str | None) -> None:
    """The fast path (long texts cut out before parsing, from the record's text or its bytes in a
    single-byte or multi-byte encoding) reads the same text as a full parse."""
    from selectolax.lexbor import LexborHTMLParser

    from repostguard.importers import vk_html as V

    html = (
        f'<div class="item"><div class="item__main"><div>{text}<div class="kludges"></div></div></div></div>'
    )
    if as_bytes:
        html = html.encode(as_bytes, "xmlcharrefreplace").decode(as_bytes)  # what such a page holds
    full = LexborHTMLParser(V.prepare_html(html)).css_first("div.item")
    assert full is not None
    if as_bytes:
        skeleton, texts = V.elide_record(html.encode(as_bytes), as_bytes)
    else:
        skeleton, texts = V.elide_texts(V.prepare_html(html))
    if text.startswith("а" * 100):  # the explicit examples: their long runs must be cut out
        assert len(texts) == 2 and len(skeleton) < len(html) - 250
    fast = LexborHTMLParser(skeleton).css_first("div.item")
    assert fast is not None
    V._ELIDED[0] = texts
    try:
        got = V.node_text(fast)
    finally:
        V._ELIDED[0] = []
    assert got == V.node_text(full)


def test_byte_spaces_by_encoding() -> None:
    from repostguard.importers import vk_html as V

    assert V._byte_spaces("cp1251") == (b"\t", b"\x0b", b"\x0c", b"\r", b"\xa0")
    assert V._byte_spaces("koi8_r") == (b"\t", b"\x0b", b"\x0c", b"\r", b"\x9a")  # NBSP is 0x9A there
    assert V._byte_spaces("gb18030") is None  # multi-byte: runs are normalized as text
    assert V._byte_spaces("utf-16-le") is None


def test_uncollapsed_is_exactly_when_collapse_changes_the_bytes() -> None:
    """Every string of up to 8 bytes over {a, space, newline}, short or in a long text: the check agrees."""
    from repostguard.importers import vk_html as V

    seen = 0
    for n in range(9):
        for tup in itertools.product(b"a \n", repeat=n):
            t = bytes(tup)
            assert V._uncollapsed(t) == (V._collapse(t) != t), t
            seen += 1
            if n <= 6:  # the same inside a long text, where the check is vectorized first
                long = b"a" * V.VECTOR_FROM + t + b"a b\nc"
                assert V._uncollapsed(long) == (V._collapse(long) != long), t
    assert seen == sum(3**n for n in range(9))


def test_link_to_a_post_in_own_text_is_not_a_repost() -> None:
    imp = VkArchiveImporter(RU)
    imp.owner_id = 100001
    page = (
        '<div class="wrap_page_content"><div class="item"><div class="item__main"><div>См. мой пост '
        '<a href="https://vk.com/wall100001_5">https://vk.com/wall100001_5</a></div></div>'
        '<div class="item__tertiary"><span>Вы 2 мая 2021 в 19:08</span> <a class="post__link" '
        'href="https://vk.com/wall100001_9">https://vk.com/wall100001_9</a></div></div></div>'
    )
    (item,) = list(imp.parse_page("wall", page, "p.html"))
    assert (item.native_id, item.kind, item.reposted_from) == ("wall100001_9", "post", None)
    assert item.text == "См. мой пост https://vk.com/wall100001_5"


def _snapshot(imp: VkArchiveImporter) -> tuple[list[tuple[object, ...]], list[str]]:
    items = [
        (json.dumps(i.unified_dict(), ensure_ascii=False, sort_keys=True), i.raw_text(), i.raw_encoding,
         i.source_file, i.pointer, i.stored_raw())
        for i in imp.iter_items()
    ]
    return items, imp.warnings


@pytest.mark.parametrize("archive", [RU, EN, "zip"])
def test_worker_processes_give_the_same_items(archive: Path | str, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages parsed in worker processes give the same items, raw records, order and warnings."""
    path = zip_dir(RU, tmp_path / "a.zip") if archive == "zip" else Path(archive)
    monkeypatch.setenv("REPOSTGUARD_IMPORT_WORKERS", "0")
    one = _snapshot(VkArchiveImporter(path))
    monkeypatch.setenv("REPOSTGUARD_IMPORT_WORKERS", "2")
    prefetched: list[str] = []
    monkeypatch.setattr(ExportArchive, "prefetch", lambda self, name: prefetched.append(name))
    imp = VkArchiveImporter(path)
    two = _snapshot(imp)
    # each page parsed in the pool was named to the system before its turn, once, in page order
    pooled = [name for section, name in imp.pages() if section in PARALLEL_SECTIONS]
    assert len(pooled) >= 3 and prefetched == pooled
    assert len(one[0]) >= 5
    if archive == RU:
        assert any("unknown" in w for w in one[1])  # the notes of workers reach the importer
    assert two == one


def test_worker_error_is_raised_and_nothing_stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page that a worker cannot read stops the import with its one-line error; the store is unchanged."""
    arc = tmp_path / "Archive"
    shutil.copytree(RU, arc)
    page = sorted((arc / "wall").glob("wall*.html"))[-1]
    page.write_bytes("<html>страница</html>".encode("utf-16"))
    monkeypatch.setenv("REPOSTGUARD_IMPORT_WORKERS", "2")
    with Store.open(tmp_path / "s.sqlite") as store:
        with pytest.raises(InputError, match=r"wall\d*\.html: page is in an unexpected encoding"):
            import_path(store, arc)
        assert store.count_items() == 0
        assert store.conn.execute("SELECT count(*) FROM raw_records").fetchone()[0] == 0


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


@settings(max_examples=300)
@given(names=st.lists(st.sampled_from(
    ["copy", "copy_history", "wall_post_copy", "item__repost", "repost", "reposts", "copyx", "x_copy", "item__main",
     "kludges", "-", "_"]), max_size=4))
@example(names=["item__main", "copy_quote"])
@example(names=["item__repost"])
def test_repost_class_pattern_skips_the_regex_only_when_it_cannot_match(names: list[str]) -> None:
    from repostguard.importers.vk_html import REPOST_CLASS_RE

    for text in (" ".join(names), "".join(names)):
        _same_search(REPOST_CLASS_RE, text)


_URLISH_REGEX = re.compile(r"^\s*(?:https?://|vk\.com/)\S*\s*$")


@settings(max_examples=400)
@given(pieces=st.lists(st.sampled_from(
    ["http://", "https://", "vk.com/", "vk.com", "HTTP://", "a", "/x?y=1", " ", "\n", "\t", "\xa0", "\u3000", "\u2028",
     "\x1c", "текст"]), max_size=6))
@example(pieces=["\xa0", "https://", "a", "\n"])
@example(pieces=["vk.com/", "a", "\u3000", "b"])
def test_urlish_is_the_regex_it_replaced(pieces: list[str]) -> None:
    from repostguard.importers.vk_html import _urlish

    text = "".join(pieces)
    assert _urlish(text) == bool(_URLISH_REGEX.match(text))
