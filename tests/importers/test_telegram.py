"""Telegram Desktop importer: bad input, ownership rules, streaming, junk."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repostguard.errors import InputError
from repostguard.importers._jsonstream import unescape_x
from repostguard.importers.registry import detect
from repostguard.importers.telegram import TelegramImporter, _flatten
from repostguard.model import Item

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests/fixtures/telegram"

KEYS = [
    "id",
    "type",
    "text",
    "from_id",
    "from",
    "photo",
    "file",
    "media_type",
    "forwarded_from",
    "date",
    "date_unixtime",
    "text_entities",
    "poll",
    "action",
    "actor_id",
    "href",
    "answers",
    "location_information",
]
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["message", "service", "user1", "channel5", "create_channel", "link"]),
    lambda c: (
        st.lists(c, max_size=4) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), c, max_size=6)
    ),
    max_leaves=25,
)


def run(path: Path) -> tuple[list[Item], list[str]]:
    imp = detect(path)
    imp.verify()
    return list(imp.iter_items()), [str(w) for w in imp.warnings]


def load_full() -> Any:
    """The full-export fixture as Python data (its tdesktop \\xHH escapes read)."""
    return json.loads(unescape_x((FIX / "full_export/result.json").read_bytes()))


def write(tmp: Path, data: Any) -> Path:
    d = tmp / "export"
    d.mkdir(parents=True, exist_ok=True)
    (d / "result.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return d


def test_not_telegram_result_json() -> None:
    with pytest.raises(InputError) as e:
        run(FIX / "not_telegram")
    msg = str(e.value)
    assert "not_telegram/result.json" in msg and "это не выгрузка Telegram Desktop" in msg and "\n" not in msg


def test_truncated_json_names_file_and_place(tmp_path: Path) -> None:
    src = (FIX / "full_export/result.json").read_bytes()
    d = tmp_path / "cut"
    d.mkdir()
    (d / "result.json").write_bytes(src[: len(src) * 2 // 3])
    with pytest.raises(InputError) as e:
        run(d)
    msg = str(e.value)
    assert "result.json" in msg and "JSON повреждён или оборван (место: chats.list[" in msg and "\n" not in msg


def test_wrong_types(tmp_path: Path) -> None:
    base = {
        "about": "",
        "personal_information": {"user_id": 1},
        "chats": {"list": [{"name": "g", "type": "private_group", "id": 9, "messages": "not a list"}]},
    }
    items, warnings = run(write(tmp_path / "a", base))
    assert items == [] and len(warnings) == 1
    assert "пропущена 1 запись: сообщения чата записаны не списком (место: chats.list[0])" in warnings[0]
    with pytest.raises(InputError, match="без номера пользователя"):
        run(
            write(
                tmp_path / "c",
                {"about": "", "personal_information": {"first_name": "x"}, "chats": {"list": []}},
            )
        )


def test_one_malformed_message_is_one_warning_and_the_rest_imports(tmp_path: Path) -> None:
    data = load_full()
    good = len(run(write(tmp_path / "good", data))[0])
    msgs = data["chats"]["list"][0]["messages"]
    msgs.insert(2, {"id": "x", "type": "message", "from_id": "user4242", "text": "без номера"})
    msgs.insert(3, "not an object")
    items, warnings = run(write(tmp_path / "bad", data))
    assert len(items) == good  # every good message still there
    skipped = [w for w in warnings if "пропущен" in w]
    assert len(skipped) == 2, warnings
    assert any("сообщение без числового номера (место: chats.list[0].messages[2])" in w for w in skipped)
    assert any("сообщение не является объектом (место: chats.list[0].messages[3])" in w for w in skipped)


def test_owner_only_and_channel_ownership(tmp_path: Path) -> None:
    items, _ = run(FIX / "full_export")
    assert all(i.author == "self" for i in items)
    assert not any(i.native_id.startswith("1009999999/") for i in items)  # a channel not created by the owner
    assert not any(i.text in ("чужое", "и тебе") for i in items)  # other people's messages
    # the same channel without its create_channel message is not the owner's
    data = load_full()
    data["chats"]["list"][0]["messages"] = data["chats"]["list"][0]["messages"][1:]
    items2, _ = run(write(tmp_path, data))
    assert not any(i.native_id.startswith("1001234567/") for i in items2)


def test_single_file_and_dataexport_subfolder(tmp_path: Path) -> None:
    items, _ = run(FIX / "single_chat/result.json")
    assert {i.native_id for i in items} == {"1555000111/5", "1555000111/6", "1555000111/7"}
    nested = tmp_path / "Telegram Desktop" / "DataExport_2021-03-22"
    shutil.copytree(FIX / "full_export", nested)
    items2, _ = run(tmp_path / "Telegram Desktop")
    assert len(items2) == 10 and items2[0].kind == "profile"  # the profile first, then 9 messages
    photo = next(i for i in items2 if i.native_id == "1001234567/3").attachments[0]
    assert photo.path and Path(photo.path).is_file()


def test_personal_chat_single_export_infers_owner(tmp_path: Path) -> None:
    data = {
        "name": "Друг",
        "type": "personal_chat",
        "id": 777,
        "messages": [
            {"id": 1, "type": "message", "date_unixtime": "1600000000", "from_id": "user777", "text": "его"},
            {"id": 2, "type": "message", "date_unixtime": "1600000001", "from_id": "user1", "text": "моё"},
        ],
    }
    items, warnings = run(write(tmp_path, data))
    assert [(i.text, i.author, i.kind) for i in items] == [
        ("его", "other", "message"),
        ("моё", "self", "message"),
    ]
    assert warnings == []


def test_old_export_numeric_from_id_and_no_unixtime(tmp_path: Path) -> None:
    data = {
        "about": "",
        "personal_information": {"user_id": 42},
        "chats": {
            "list": [
                {
                    "name": "g",
                    "type": "private_supergroup",
                    "id": 9,
                    "messages": [
                        {
                            "id": 1,
                            "type": "message",
                            "date": "2019-05-01T10:00:00",
                            "from_id": 42,
                            "text": "старый",
                        },
                        {
                            "id": 2,
                            "type": "message",
                            "date": "2019-05-01T10:01:00",
                            "from_id": 43,
                            "text": "чужой",
                        },
                    ],
                }
            ]
        },
    }
    items, _ = run(write(tmp_path, data))
    assert [(i.native_id, i.date, i.date_tz_assumed) for i in items] == [("9/1", "2019-05-01T10:00:00", True)]


def test_unsafe_media_path_is_not_followed(tmp_path: Path) -> None:
    data = {
        "name": "Избранное",
        "type": "saved_messages",
        "id": 1,
        "messages": [
            {
                "id": 1,
                "type": "message",
                "date_unixtime": "1600000000",
                "from_id": "user1",
                "text": "",
                "photo": "../../../etc/passwd",
            }
        ],
    }
    items, warnings = run(write(tmp_path, data))
    assert items[0].attachments[0].path is None
    assert any("небезопасный путь к медиафайлу" in w for w in warnings)


def test_flatten_entities() -> None:
    text, links = _flatten(
        [
            "a ",
            {"type": "text_link", "text": "b", "href": "https://x.test/"},
            {"type": "link", "text": "https://y.test"},
            5,
        ],
        None,
    )
    assert text == "a bhttps://y.test" and links == ["https://x.test/", "https://y.test"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    messages=st.lists(JSON, max_size=5), ctype=st.sampled_from(["public_channel", "personal_chat", "zzz", 5])
)
def test_junk_messages_never_crash(messages: list[Any], ctype: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = {
            "about": "",
            "personal_information": {"user_id": 1},
            "chats": {"list": [{"name": "c", "type": ctype, "id": 5, "messages": messages}]},
        }
        try:
            items, _ = run(write(Path(tmp), data))
        except InputError as e:
            assert "\n" not in str(e) and "result.json" in str(e)
        else:
            assert all(isinstance(i, Item) and i.platform == "telegram" for i in items)


@settings(max_examples=60, deadline=None)
@given(blob=st.binary(max_size=300))
def test_junk_bytes_never_crash(blob: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp) / "x"
        d.mkdir()
        (d / "result.json").write_bytes(b'{"about": "", "personal_information": {"user_id": 1}, ' + blob)
        imp = TelegramImporter(d)
        try:
            imp.verify()
            list(imp.iter_items())
        except InputError as e:
            assert "\n" not in str(e)


# --------------------------------------------------------------------------- what tdesktop really writes
def tdesktop_string(s: str) -> bytes:
    """``s`` as tdesktop's ``SerializeString`` writes it (export_output_json.cpp): UTF-8, with
    \\n \\r \\t \\" \\\\ escaped, other control characters as ``\\xHH`` and U+2028/U+2029 as ``\\u``."""
    out = bytearray(b'"')
    for ch in s:
        o = ord(ch)
        if ch in '\n\r\t"\\':
            out += {"\n": b"\\n", "\r": b"\\r", "\t": b"\\t", '"': b'\\"', "\\": b"\\\\"}[ch]
        elif o < 32:
            out += b"\\x%02X" % o
        elif o in (0x2028, 0x2029):
            out += b"\\u%04x" % o
        else:
            out += ch.encode("utf-8", "surrogatepass")
    return bytes(out + b'"')


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"])), min_size=1, max_size=4),
    chunk=st.integers(1, 9),
)
def test_x_escapes_round_trip(texts: list[str], chunk: int) -> None:
    """Any strings written the tdesktop way read back exactly, whatever the chunk boundaries."""
    import io

    from repostguard.importers._jsonstream import XEscapeReader

    doc = b"[" + b", ".join(tdesktop_string(t) for t in texts) + b"]"
    with io.BufferedReader(XEscapeReader(io.BytesIO(doc), chunk=chunk), 4) as fh:
        assert json.loads(fh.read()) == texts
    assert json.loads(unescape_x(doc)) == texts


def test_x_escape_and_forwarded_from_in_the_export() -> None:
    """The fixture has a forward whose text and source name hold tdesktop's \\x01 and \\x1F."""
    items, _ = run(FIX / "full_export")
    fwd = next(i for i in items if i.native_id == "1001234567/6")
    assert fwd.text == "строка\x01вторая \\x41 как есть"  # an escaped backslash stays a backslash
    assert fwd.kind == "repost" and fwd.reposted_from is not None
    assert fwd.reposted_from.name == "Выдуманный\x1fканал"


def test_forwarded_from_is_the_repost_source_the_matchers_read(tmp_path: Path) -> None:
    data = {
        "name": "Избранное",
        "type": "saved_messages",
        "id": 1,
        "messages": [
            {"id": 1, "type": "message", "date_unixtime": "1600000000", "from_id": "user1",
             "forwarded_from": "Выдуманное сообщество", "text": "переслано"},
            {"id": 2, "type": "message", "date_unixtime": "1600000001", "from_id": "user1",
             "forwarded_from": None, "text": "источник скрыт"},
        ],
    }
    items, _ = run(write(tmp_path, data))
    assert [i.reposted_from.name if i.reposted_from else "-" for i in items] == ["Выдуманное сообщество", None]
    from repostguard.matchers.pages import page_relations

    rel = page_relations(items[0])  # what the FSM matcher's repost-source check reads
    assert [(r.what, r.field, r.value, r.is_name) for r in rel] == [
        ("forward", "reposted_from.name", "Выдуманное сообщество", True)
    ]


def test_zip_with_two_nested_wrapper_folders(tmp_path: Path) -> None:
    """Telegram Desktop/DataExport_…/result.json zipped: detected and read, media included."""
    import zipfile

    z = tmp_path / "export.zip"
    src = FIX / "full_export"
    with zipfile.ZipFile(z, "w") as zf:
        for f in sorted(src.rglob("*")):
            if f.is_file():
                zf.write(f, "Telegram Desktop/DataExport_2024-03-10/" + f.relative_to(src).as_posix())
        zf.writestr("__MACOSX/Telegram Desktop/._result.json", b"junk")
    imp = detect(z, tmp_path / "media")
    assert isinstance(imp, TelegramImporter)
    imp.verify()
    items = list(imp.iter_items())
    assert len(items) == len(run(src)[0]) == 10
    photo = next(i for i in items if i.native_id == "1001234567/3").attachments[0]
    assert photo.path and Path(photo.path).read_bytes() == next(src.rglob("photo_1@*.jpg")).read_bytes()


def test_error_message_is_text_not_a_byte_dump(tmp_path: Path) -> None:
    d = tmp_path / "x"
    d.mkdir()
    (d / "result.json").write_bytes(
        b'{"about": "", "personal_information": {"user_id": 1}, "chats": {"list": [{"name": "\xff\xfe"}]}}'
    )
    with pytest.raises(InputError) as e:
        run(d)
    msg = str(e.value)
    assert "JSON повреждён: текст не в UTF-8 (место: chats.list[0])" in msg
    assert "b'" not in msg and "\\x" not in msg and "\n" not in msg
