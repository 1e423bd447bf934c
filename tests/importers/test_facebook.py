"""Facebook importer and the Meta mojibake repair: bad input, share rules, junk."""

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
from repostguard.importers._jsonstream import fix_mojibake, fix_text
from repostguard.importers.registry import detect
from repostguard.model import Item

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests/fixtures/facebook"
POSTS = "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json"

KEYS = [
    "timestamp",
    "title",
    "data",
    "post",
    "attachments",
    "media",
    "uri",
    "external_context",
    "url",
    "name",
    "comment",
    "author",
    "reaction",
    "actor",
    "comments_v2",
    "reactions_v2",
    "place",
    "description",
]
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 2**40)
    | st.text(max_size=12)
    | st.sampled_from(["shared a link", "posts/media/x.jpg", "../x", "/etc/passwd", "Ð¿Ñ\u0080Ð¸"]),
    lambda c: (
        st.lists(c, max_size=4) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), c, max_size=6)
    ),
    max_leaves=25,
)


def moj(s: str) -> str:
    return s.encode("utf-8").decode("latin-1")


def run(path: Path) -> tuple[list[Item], list[str]]:
    imp = detect(path)
    imp.verify()
    return list(imp.iter_items()), [str(w) for w in imp.warnings]


@given(st.text(max_size=40))
def test_mojibake_round_trip(s: str) -> None:
    assert fix_text(moj(s)) == s


def test_mojibake_keeps_proper_text_and_fixes_keys() -> None:
    assert fix_text("næsten Привет") == "næsten Привет"
    assert fix_text("n\u00c3\u00a6sten") == "næsten"
    assert fix_mojibake({moj("Комментарий"): [moj("пост"), 5]}) == {"Комментарий": ["пост", 5]}


def test_truncated_posts(tmp_path: Path) -> None:
    d = tmp_path / "fb"
    shutil.copytree(FIX / "layout_2024", d)
    raw = (d / POSTS).read_bytes()
    (d / POSTS).write_bytes(raw[: len(raw) // 2])
    with pytest.raises(InputError) as e:
        run(d)
    assert POSTS in str(e.value) and "JSON повреждён или оборван (место: [" in str(e.value) and "\n" not in str(e.value)


def test_wrong_structure(tmp_path: Path) -> None:
    d = tmp_path / "fb"
    shutil.copytree(FIX / "layout_2024", d)
    (d / POSTS).write_text('"just a string"')
    with pytest.raises(InputError, match="нет списка записей"):
        run(d)
    (d / POSTS).write_text("[1, 2]")
    items, warnings = run(d)  # two unreadable records: one counted warning, the rest imported
    assert not [i for i in items if i.native_id.startswith("post/")] and len(items) > 5
    assert sum("пропущены 2 записи: запись не является объектом (первая — [0])" in w for w in warnings) == 1


def test_html_export_is_refused(tmp_path: Path) -> None:
    d = tmp_path / "fb"
    (d / "your_facebook_activity/posts").mkdir(parents=True)
    (d / "your_facebook_activity/posts/your_posts_1.html").write_text("<html></html>")
    with pytest.raises(InputError, match="в формате HTML: запросите её в формате JSON"):
        run(d)


def test_owner_mismatch_and_share_without_text(tmp_path: Path) -> None:
    items, warnings = run(FIX / "layout_2024")
    other = [i for i in items if i.author == "other"]
    assert len(other) == 1 and other[0].kind == "comment"
    assert any("данные другого аккаунта" in w for w in warnings)
    d = tmp_path / "fb"
    shutil.copytree(FIX / "layout_old", d)
    (d / "posts/your_posts_1.json").write_text(
        json.dumps(
            [
                {
                    "timestamp": 1,
                    "title": moj("Тест поделился ссылкой."),
                    "attachments": [{"data": [{"external_context": {"url": "https://example.org/x"}}]}],
                }
            ]
        )
    )
    items2, _ = run(d)
    share = next(i for i in items2 if i.native_id.startswith("post/"))
    assert (
        share.kind == "repost" and share.reposted_from and share.reposted_from.url == "https://example.org/x"
    )


@settings(max_examples=60, deadline=None)
@given(posts=st.lists(JSON, max_size=5), comments=JSON, reactions=st.lists(JSON, max_size=3))
def test_junk_never_crashes(posts: list[Any], comments: Any, reactions: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp) / "fb"
        (d / "your_facebook_activity/posts").mkdir(parents=True)
        (d / "your_facebook_activity/comments_and_reactions").mkdir(parents=True)
        (d / POSTS).write_text(json.dumps(posts))
        (d / "your_facebook_activity/comments_and_reactions/comments.json").write_text(json.dumps(comments))
        (d / "your_facebook_activity/comments_and_reactions/likes_and_reactions_1.json").write_text(
            json.dumps(reactions)
        )
        try:
            items, _ = run(d)
        except InputError as e:
            assert "\n" not in str(e) and ".json" in str(e)
        else:
            assert all(i.platform == "facebook" and i.native_id for i in items)
            for i in items:
                for a in i.attachments:
                    assert a.path is None or a.path.startswith(str(d.resolve()))


PAGES = "your_facebook_activity/pages/pages_you've_liked.json"


def test_liked_pages_are_likes_of_the_page(tmp_path: Path) -> None:
    items, warnings = run(FIX / "layout_2024")
    pages = [i for i in items if i.native_id.startswith("page_like/")]
    assert [(i.kind, i.url, i.text) for i in pages] == [
        ("like", "https://www.facebook.com/invented.page", "Выдуманная страница"),
        ("like", "https://www.facebook.com/invented.club", "Invented Club"),
    ]
    assert sum("отмеченная страница без названия и адреса (место: page_likes_v2[2])" in w for w in warnings) == 1
    from repostguard.matchers.pages import page_relations

    assert [(r.what, r.field, r.value) for r in page_relations(pages[0])] == [
        ("like", "url", "https://www.facebook.com/invented.page")
    ]
    # an export of liked pages only is a Facebook export too
    d = tmp_path / "fb"
    (d / "pages").mkdir(parents=True)
    (d / "profile_information").mkdir()
    (d / "pages/pages_you've_liked.json").write_bytes((FIX / "layout_2024" / PAGES).read_bytes())
    items2, _ = run(d)
    assert [i.text for i in items2] == ["Выдуманная страница", "Invented Club"]


def test_one_malformed_record_is_one_warning_and_the_rest_imports(tmp_path: Path) -> None:
    d = tmp_path / "fb"
    shutil.copytree(FIX / "layout_2024", d)
    good = run(d)[0]
    data = json.loads((d / PAGES).read_text(encoding="utf-8"))
    data["page_likes_v2"].insert(0, "junk")
    (d / PAGES).write_text(json.dumps(data), encoding="utf-8")
    items, warnings = run(d)
    assert [i.native_id for i in items] == [i.native_id for i in good]
    assert sum("пропущена 1 запись: запись не является объектом (место: page_likes_v2[0])" in w
               for w in warnings) == 1
