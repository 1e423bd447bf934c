"""Mastodon importer: bad input, owner check, HTML to text, junk."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repostguard.errors import InputError
from repostguard.importers.mastodon import MastodonImporter, html_to_text
from repostguard.importers.registry import detect
from repostguard.model import Item

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests/fixtures/mastodon/archive"

KEYS = [
    "id",
    "type",
    "actor",
    "object",
    "content",
    "published",
    "to",
    "cc",
    "attachment",
    "mediaType",
    "url",
    "inReplyTo",
    "summary",
    "oneOf",
    "name",
]
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 2**40)
    | st.text(max_size=12)
    | st.sampled_from(
        [
            "Create",
            "Announce",
            "Note",
            "image/png",
            "<p>a<br>b</p>",
            "2023-01-01T00:00:00Z",
            "https://social.example/users/owner",
        ]
    ),
    lambda c: (
        st.lists(c, max_size=4) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), c, max_size=6)
    ),
    max_leaves=25,
)


def run(path: Path) -> tuple[list[Item], list[str]]:
    imp = detect(path)
    imp.verify()
    return list(imp.iter_items()), [str(w) for w in imp.warnings]


def test_html_to_text() -> None:
    assert html_to_text("<p>a &amp; b</p><p>c<br/>d</p>") == "a & b\n\nc\nd"
    assert html_to_text("plain &lt;3") == "plain <3"


def test_outbox_file_alone_and_foreign_actor(tmp_path: Path) -> None:
    items, warnings = run(
        FIX / "outbox.json"
    )  # the file alone: actor.json and likes.json next to it are read
    assert {i.kind for i in items} == {"profile", "post", "comment", "repost", "like"}
    # actor.json was found: no warning about it; the media file and the bare-URI Create
    assert len(warnings) == 2 and "медиафайл" in warnings[0] and "только адрес" in warnings[1]
    d = tmp_path / "m"
    shutil.copytree(FIX, d)
    data = json.loads((d / "outbox.json").read_text(encoding="utf-8"))
    data["orderedItems"][0]["actor"] = "https://evil.example/users/someone"
    (d / "outbox.json").write_text(json.dumps(data), encoding="utf-8")
    items2, warnings2 = run(d)
    assert len([i for i in items2 if i.kind not in ("like", "profile")]) == 5
    assert any("другого аккаунта" in w for w in warnings2)


def _tar(tmp: Path, name: str = "archive-20230101-abc.tar.gz") -> Path:
    import io
    import tarfile

    f = tmp / name
    with tarfile.open(f, "w:gz") as tar:
        for p in sorted(FIX.rglob("*")):
            if p.is_file():
                tar.add(p, p.relative_to(FIX).as_posix())
        evil = tarfile.TarInfo("../../escape.txt")
        evil.size = 4
        tar.addfile(evil, io.BytesIO(b"evil"))
        link = tarfile.TarInfo("media_attachments/files/9/link.jpg")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tar.addfile(link)
    return f


def test_tar_gz_is_read_safely(tmp_path: Path) -> None:
    f = _tar(tmp_path)
    media = tmp_path / "ws.media"
    imp = detect(f, media)
    assert isinstance(imp, MastodonImporter)
    imp.verify()
    items = list(imp.iter_items())
    assert sorted({i.kind for i in items}) == ["comment", "like", "post", "profile", "repost"]
    assert len(items) == 9
    photo = next(i for i in items if i.native_id.endswith("/statuses/101")).attachments[0]
    assert photo.path and Path(photo.path).is_file() and Path(photo.path).is_relative_to(media)
    assert not (tmp_path / "escape.txt").exists() and not any(media.rglob("link.jpg"))
    assert any("небезопасным путём" in str(w) for w in imp.warnings)
    assert any(str(w).startswith(f"{f}!") for w in imp.warnings)  # messages name the .tar.gz
    # without a workspace media folder: JSON only, in a temporary folder removed afterwards
    imp2 = MastodonImporter(f)
    imp2.verify()
    tmp_dir = imp2.archive.path if imp2.archive else None
    assert len(list(imp2.iter_items())) == 9
    assert tmp_dir is not None and not tmp_dir.exists()


def test_truncated_tar_gz(tmp_path: Path) -> None:
    f = _tar(tmp_path)
    raw = f.read_bytes()
    f.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(InputError, match="архив .tar.gz повреждён или скачан не полностью") as e:
        run(f)
    assert str(f) in str(e.value) and "\n" not in str(e.value)


def test_truncated_and_wrong_types(tmp_path: Path) -> None:
    d = tmp_path / "m"
    shutil.copytree(FIX, d)
    raw = (d / "outbox.json").read_bytes()
    (d / "outbox.json").write_bytes(raw[: len(raw) * 2 // 3])
    with pytest.raises(InputError) as e:
        run(d)
    assert "outbox.json" in str(e.value) and "JSON повреждён или оборван (место: orderedItems[" in str(e.value)
    (d / "outbox.json").write_text(
        json.dumps(
            {
                "type": "OrderedCollection",
                "orderedItems": [{"id": "x", "type": "Create", "object": 5}],
            }
        )
    )
    items, warnings = run(d)
    assert [i.kind for i in items if i.kind != "like"] == ["profile"]
    assert any("пропущена 1 запись: публикация, содержимое которой не является объектом (место: orderedItems[0])"
               in w for w in warnings)
    (d / "outbox.json").write_text(json.dumps({"type": "Collection"}))
    assert not MastodonImporter.detect(d)


@settings(max_examples=60, deadline=None)
@given(activities=st.lists(JSON, max_size=6), likes=st.lists(JSON, max_size=3))
def test_junk_never_crashes(activities: list[Any], likes: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp) / "m"
        d.mkdir()
        (d / "outbox.json").write_text(
            json.dumps({"@context": ["x"], "type": "OrderedCollection", "orderedItems": activities})
        )
        (d / "likes.json").write_text(json.dumps({"type": "OrderedCollection", "orderedItems": likes}))
        (d / "actor.json").write_text(json.dumps({"id": "https://social.example/users/owner"}))
        try:
            items, _ = run(d)
        except InputError as e:
            assert "\n" not in str(e) and ".json" in str(e)
        else:
            assert all(i.platform == "mastodon" for i in items)


def _outbox(tmp_path: Path, activities: list[Any]) -> Path:
    d = tmp_path / "m"
    shutil.copytree(FIX, d)
    (d / "outbox.json").write_text(
        json.dumps({"type": "OrderedCollection", "orderedItems": activities}, ensure_ascii=False), encoding="utf-8"
    )
    return d


OWNER = "https://social.example/users/owner"


def test_create_of_a_bare_uri_is_skipped_with_a_warning(tmp_path: Path) -> None:
    note = json.loads((FIX / "outbox.json").read_text(encoding="utf-8"))["orderedItems"][0]
    bare = {"id": f"{OWNER}/statuses/200/activity", "type": "Create", "actor": OWNER,
            "object": f"{OWNER}/statuses/200"}
    items, warnings = run(_outbox(tmp_path, [bare, note, dict(bare, id=f"{OWNER}/statuses/201/activity")]))
    posts = [i for i in items if i.kind == "post"]
    assert [i.native_id for i in posts] == [f"{OWNER}/statuses/101"]  # the readable post still there
    skipped = [w for w in warnings if "только адрес" in w]
    assert len(skipped) == 1 and "пропущены 2 записи" in skipped[0] and "первая — orderedItems[0]" in skipped[0]


def test_announce_with_the_boosted_post_inline_keeps_its_text(tmp_path: Path) -> None:
    boosted = {"id": "https://other.example/users/dan/statuses/5", "type": "Note",
               "attributedTo": "https://other.example/users/dan",
               "content": "<p>Выдуманный <b>текст</b></p>",
               "attachment": [{"type": "Document", "mediaType": "image/png",
                               "url": "https://other.example/media/x.png", "name": "подпись"}]}
    inline = {"id": f"{OWNER}/statuses/300/activity", "type": "Announce", "actor": OWNER,
              "published": "2023-02-01T00:00:00Z", "to": ["https://www.w3.org/ns/activitystreams#Public"],
              "object": boosted}
    by_uri = dict(inline, id=f"{OWNER}/statuses/301/activity", object=boosted["id"])
    items, warnings = run(_outbox(tmp_path, [inline, by_uri]))
    reposts = {i.native_id: i for i in items if i.kind == "repost"}
    a, b = reposts[f"{OWNER}/statuses/300/activity"], reposts[f"{OWNER}/statuses/301/activity"]
    assert a.text == "Выдуманный текст" and a.attachments[0].url == "https://other.example/media/x.png"
    assert a.reposted_from is not None and a.reposted_from.name == "@dan@other.example"
    assert b.text == "" and b.reposted_from is not None and b.reposted_from.url == boosted["id"]
    assert b.reposted_from.name == "@dan@other.example"
    assert not [w for w in warnings if "пропущен" in w]


def test_one_malformed_record_is_one_warning_and_the_rest_imports(tmp_path: Path) -> None:
    note = json.loads((FIX / "outbox.json").read_text(encoding="utf-8"))["orderedItems"][0]
    items, warnings = run(_outbox(tmp_path, ["junk", {"type": "Create"}, note]))
    assert [i.native_id for i in items if i.kind == "post"] == [f"{OWNER}/statuses/101"]
    skipped = [w for w in warnings if "пропущен" in w]
    assert len(skipped) == 2
    assert any("действие не является объектом (место: orderedItems[0])" in w for w in skipped)
    assert any("действие без адреса (место: orderedItems[1])" in w for w in skipped)
