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
    return list(imp.iter_items()), imp.warnings


def test_html_to_text() -> None:
    assert html_to_text("<p>a &amp; b</p><p>c<br/>d</p>") == "a & b\n\nc\nd"
    assert html_to_text("plain &lt;3") == "plain <3"


def test_outbox_file_alone_and_foreign_actor(tmp_path: Path) -> None:
    items, warnings = run(
        FIX / "outbox.json"
    )  # the file alone: actor.json and likes.json next to it are read
    assert {i.kind for i in items} == {"profile", "post", "comment", "repost", "like"}
    assert len(warnings) == 1 and "media files" in warnings[0]  # actor.json was found: no warning about it
    d = tmp_path / "m"
    shutil.copytree(FIX, d)
    data = json.loads((d / "outbox.json").read_text(encoding="utf-8"))
    data["orderedItems"][0]["actor"] = "https://evil.example/users/someone"
    (d / "outbox.json").write_text(json.dumps(data), encoding="utf-8")
    items2, warnings2 = run(d)
    assert len([i for i in items2 if i.kind not in ("like", "profile")]) == 4
    assert any("another actor" in w for w in warnings2)


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
    assert len(items) == 8
    photo = next(i for i in items if i.native_id.endswith("/statuses/101")).attachments[0]
    assert photo.path and Path(photo.path).is_file() and Path(photo.path).is_relative_to(media)
    assert not (tmp_path / "escape.txt").exists() and not any(media.rglob("link.jpg"))
    assert any("unsafe path" in w for w in imp.warnings)
    assert any(w.startswith(f"{f}!") for w in imp.warnings)  # messages name the .tar.gz
    # without a workspace media folder: JSON only, in a temporary folder removed afterwards
    imp2 = MastodonImporter(f)
    imp2.verify()
    tmp_dir = imp2.archive.path if imp2.archive else None
    assert len(list(imp2.iter_items())) == 8
    assert tmp_dir is not None and not tmp_dir.exists()


def test_truncated_tar_gz(tmp_path: Path) -> None:
    f = _tar(tmp_path)
    raw = f.read_bytes()
    f.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(InputError, match="damaged or truncated .tar.gz") as e:
        run(f)
    assert str(f) in str(e.value) and "\n" not in str(e.value)


def test_truncated_and_wrong_types(tmp_path: Path) -> None:
    d = tmp_path / "m"
    shutil.copytree(FIX, d)
    raw = (d / "outbox.json").read_bytes()
    (d / "outbox.json").write_bytes(raw[: len(raw) * 2 // 3])
    with pytest.raises(InputError) as e:
        run(d)
    assert "outbox.json" in str(e.value) and "not valid JSON at orderedItems[" in str(e.value)
    (d / "outbox.json").write_text(
        json.dumps(
            {
                "type": "OrderedCollection",
                "orderedItems": [{"id": "x", "type": "Create", "object": "not an object"}],
            }
        )
    )
    with pytest.raises(InputError, match=r"object is not an object at orderedItems\[0\]"):
        run(d)
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
