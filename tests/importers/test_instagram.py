"""Instagram importer: layouts, bad input, junk."""

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
from repostguard.importers.instagram import InstagramImporter
from repostguard.importers.registry import detect
from repostguard.model import Item

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests/fixtures/instagram/export"
POSTS = "your_instagram_activity/content/posts_1.json"

KEYS = [
    "media",
    "uri",
    "creation_timestamp",
    "title",
    "string_map_data",
    "Comment",
    "value",
    "Time",
    "timestamp",
    "string_list_data",
    "href",
    "likes_media_likes",
    "label_values",
    "label",
]
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 2**40)
    | st.text(max_size=12)
    | st.sampled_from(["media/x.jpg", "../x.jpg", "Comment"]),
    lambda c: (
        st.lists(c, max_size=4) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), c, max_size=6)
    ),
    max_leaves=25,
)


def run(path: Path) -> tuple[list[Item], list[str]]:
    imp = detect(path)
    imp.verify()
    return list(imp.iter_items()), [str(w) for w in imp.warnings]


def test_old_root_layout_and_label_values(tmp_path: Path) -> None:
    d = tmp_path / "ig"
    (d / "comments").mkdir(parents=True)
    (d / "media").mkdir()
    (d / "media/readme.txt").write_text("x")  # a real export has several top folders
    (d / "comments/post_comments_1.json").write_text(
        json.dumps(
            [
                {
                    "label_values": [
                        {"label": "Comment", "value": "новый формат"},
                        {"label": "Time", "timestamp": 1},
                    ]
                }
            ]
        )
    )
    imp = detect(d)
    assert isinstance(imp, InstagramImporter)
    imp.verify()
    items = list(imp.iter_items())
    assert [(i.kind, i.text, i.date) for i in items] == [
        ("comment", "новый формат", "1970-01-01T00:00:01+00:00")
    ]
    assert any("имя аккаунта неизвестно" in str(w) for w in imp.warnings)


def test_truncated_and_wrong_types(tmp_path: Path) -> None:
    d = tmp_path / "ig"
    shutil.copytree(FIX, d)
    raw = (d / POSTS).read_bytes()
    (d / POSTS).write_bytes(raw[: len(raw) // 2])
    with pytest.raises(InputError) as e:
        run(d)
    assert POSTS in str(e.value) and "JSON повреждён или оборван" in str(e.value) and "\n" not in str(e.value)
    (d / POSTS).write_text('"a string"')
    with pytest.raises(InputError, match="неожиданное устройство файла"):
        run(d)
    (d / POSTS).write_text('["x"]')
    items, warnings = run(d)
    assert not [i for i in items if i.native_id.startswith("post/")]
    assert any("пропущена 1 запись: запись не является объектом (место: [0])" in w for w in warnings)


def test_facebook_export_is_not_instagram() -> None:
    assert not InstagramImporter.detect(ROOT / "tests/fixtures/facebook/layout_2024")
    assert not InstagramImporter.detect(ROOT / "tests/fixtures/facebook/layout_old")


@settings(max_examples=60, deadline=None)
@given(posts=st.lists(JSON, max_size=5), comments=st.lists(JSON, max_size=3), likes=JSON)
def test_junk_never_crashes(posts: list[Any], comments: list[Any], likes: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp) / "ig"
        for sub in ("content", "comments", "likes"):
            (d / "your_instagram_activity" / sub).mkdir(parents=True)
        (d / POSTS).write_text(json.dumps(posts))
        (d / "your_instagram_activity/comments/post_comments_1.json").write_text(json.dumps(comments))
        (d / "your_instagram_activity/likes/liked_posts.json").write_text(
            json.dumps({"likes_media_likes": likes})
        )
        try:
            items, _ = run(d)
        except InputError as e:
            assert "\n" not in str(e) and ".json" in str(e)
        else:
            assert all(i.platform == "instagram" for i in items)


LIKES_2025 = ROOT / "tests/fixtures/instagram/export_2025"


def test_current_liked_posts_json_is_read() -> None:
    """The current liked_posts.json: a list of label_values records (URL, owner, caption, time)."""
    items, warnings = run(LIKES_2025)
    assert [(i.kind, i.url, i.text, i.reposted_from.name if i.reposted_from else None) for i in items] == [
        ("like", "https://www.instagram.com/p/INVENTED1/", "Придуманная подпись", "invented.owner"),
        ("like", "https://www.instagram.com/reel/INVENTED2/", "", "second.invented"),
    ]
    assert [i.date for i in items] == ["2024-12-24T00:26:40+00:00", "2024-12-24T00:28:20+00:00"]
    # the third record has nothing to read: one warning, no empty item
    assert [w for w in warnings if "пропущен" in w] == [
        f"{LIKES_2025}/your_instagram_activity/likes/liked_posts.json: пропущена 1 запись: "
        "отметка «Нравится», в которой нечего прочитать (место: [2])"
    ]


def test_one_malformed_record_is_one_warning_and_the_rest_imports(tmp_path: Path) -> None:
    d = tmp_path / "ig"
    shutil.copytree(FIX, d)
    good = run(d)[0]
    posts = json.loads((d / POSTS).read_text(encoding="utf-8"))
    (d / POSTS).write_text(json.dumps([*posts[:1], 17, {"media": []}, *posts[1:]]), encoding="utf-8")
    items, warnings = run(d)
    assert sorted(i.native_id for i in items) == sorted(i.native_id for i in good)
    skipped = [w for w in warnings if "пропущен" in w]
    assert len(skipped) == 2
    assert "запись не является объектом (место: [1])" in skipped[0]
    assert "публикация, в которой нечего прочитать (место: [2])" in skipped[1]
