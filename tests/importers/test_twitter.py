"""X/Twitter archive importer: bad input, retweet/quote rules, junk."""

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
from repostguard.importers.registry import detect
from repostguard.importers.twitter import TwitterImporter
from repostguard.model import Item

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests/fixtures/twitter/archive"

KEYS = [
    "tweet",
    "id_str",
    "full_text",
    "created_at",
    "entities",
    "urls",
    "url",
    "expanded_url",
    "media",
    "extended_entities",
    "media_url_https",
    "type",
    "in_reply_to_status_id_str",
    "like",
    "tweetId",
    "fullText",
]
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 10**19)
    | st.text(max_size=12)
    | st.sampled_from(
        ["RT @a: x", "Wed Oct 10 20:19:24 +0000 2018", "123", "https://x.com/a/status/5", "video"]
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


def copy(tmp: Path) -> Path:
    d = tmp / "archive"
    shutil.copytree(FIX, d)
    return d


def test_not_an_assignment(tmp_path: Path) -> None:
    d = copy(tmp_path)
    (d / "data/tweets.js").write_text('[{"tweet": {}}]')
    with pytest.raises(InputError) as e:
        run(d)
    assert "data/tweets.js" in str(e.value) and "не файл данных архива X" in str(e.value) and "\n" not in str(e.value)


def test_truncated_tweets(tmp_path: Path) -> None:
    d = copy(tmp_path)
    raw = (d / "data/tweets.js").read_bytes()
    (d / "data/tweets.js").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(InputError) as e:
        run(d)
    assert "data/tweets.js" in str(e.value) and "JSON повреждён или оборван (место: [" in str(e.value)


def test_wrong_types(tmp_path: Path) -> None:
    d = copy(tmp_path)
    (d / "data/tweets.js").write_text(
        'window.YTD.tweets.part0 = [{"tweet": {"id_str": "1", "created_at": 5, "full_text": "без даты"}}]'
    )
    items, warnings = run(d)
    undated = next(i for i in items if i.native_id == "1")
    assert undated.date is None and undated.text == "без даты"
    assert any("1 твит без читаемой даты загружен без даты" in w for w in warnings)
    (d / "data/tweets.js").write_text('window.YTD.tweets.part0 = [{"tweet": {"id_str": ["1"]}}]')
    _, warnings = run(d)
    assert any("пропущена 1 запись: твит без числового номера (место: [0])" in w for w in warnings)
    (d / "data/tweets.js").write_text("window.YTD.like.part0 = []")
    with pytest.raises(InputError, match="ожидались твиты архива X, а в начале файла «window.YTD.like.part0»"):
        run(d)


def test_deleted_tweets_are_read_and_marked_deleted(tmp_path: Path) -> None:
    items, _ = run(FIX)
    deleted = [i for i in items if i.visibility == "deleted"]
    assert [(i.native_id, i.kind, i.text) for i in deleted] == [
        ("1000000000000000009", "post", "Удалённый выдуманный твит")
    ]
    assert deleted[0].source_file and deleted[0].source_file.endswith("data/deleted-tweets.js")
    assert not [i for i in items if i.visibility == "deleted" and i.native_id != "1000000000000000009"]
    # the file must be what it says
    d = copy(tmp_path)
    (d / "data/deleted-tweets.js").write_text("window.YTD.tweets.part0 = []")
    with pytest.raises(InputError, match="ожидались удалённые твиты архива X"):
        run(d)


def test_one_malformed_record_is_one_warning_and_the_rest_imports(tmp_path: Path) -> None:
    d = copy(tmp_path)
    good = run(d)[0]
    raw = (d / "data/tweets.js").read_text(encoding="utf-8")
    (d / "data/tweets.js").write_text(raw.replace("window.YTD.tweets.part0 = [", 'window.YTD.tweets.part0 = ["x",', 1),
                                      encoding="utf-8")
    items, warnings = run(d)
    assert [i.native_id for i in items] == [i.native_id for i in good]
    assert [w for w in warnings if "пропущен" in w] == [
        f"{d}/data/tweets.js: пропущена 1 запись: твит не является объектом (место: [0])"
    ]


def test_parts_are_read_in_order_and_owner_used_in_urls(tmp_path: Path) -> None:
    items, _ = run(FIX)
    tweets = [i for i in items if i.kind not in ("like", "profile")]
    live = [i for i in tweets if i.visibility != "deleted"]  # (deleted-tweets.js is read after them)
    assert live[-1].native_id == "1000000000000000006"  # from tweets-part1.js, after part0
    assert all(i.url and i.url.startswith("https://x.com/test_owner/status/") for i in tweets)


def test_account_missing_warns_and_self_reply_is_a_post(tmp_path: Path) -> None:
    d = copy(tmp_path)
    (d / "data/account.js").unlink()
    (d / "data/tweets.js").write_text(
        'window.YTD.tweets.part0 = [{"tweet": {"id_str": "7", "created_at": "Wed Oct 10 20:19:24 +0000 2018",'
        ' "full_text": "тред", "in_reply_to_status_id_str": "6", "in_reply_to_user_id_str": "111111"}}]'
    )
    items, warnings = run(d)
    t = next(i for i in items if i.native_id == "7")
    assert t.url == "https://x.com/i/web/status/7"
    assert t.kind == "comment"  # without account.js the owner id is unknown: a reply is a comment
    assert any("account.js" in w for w in warnings)
    items2, _ = run(FIX)
    assert {i.native_id for i in items2 if i.kind == "comment"} == {"1000000000000000005"}


@settings(max_examples=60, deadline=None)
@given(entries=st.lists(JSON, max_size=5), likes=st.lists(JSON, max_size=3))
def test_junk_never_crashes(entries: list[Any], likes: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp) / "a"
        (d / "data").mkdir(parents=True)
        (d / "data/account.js").write_text(
            'window.YTD.account.part0 = [{"account": {"username": "u", "accountId": "1"}}]'
        )
        (d / "data/tweets.js").write_text("window.YTD.tweets.part0 = " + json.dumps(entries))
        (d / "data/like.js").write_text("window.YTD.like.part0 = " + json.dumps(likes))
        try:
            items, _ = run(d)
        except InputError as e:
            assert "\n" not in str(e) and ".js" in str(e)
        else:
            assert all(i.platform == "x" for i in items)


@settings(max_examples=40, deadline=None)
@given(blob=st.binary(max_size=200))
def test_junk_bytes_never_crash(blob: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp) / "a"
        (d / "data").mkdir(parents=True)
        (d / "data/tweets.js").write_bytes(b"window.YTD.tweets.part0 = " + blob)
        imp = TwitterImporter(d)
        try:
            imp.verify()
            list(imp.iter_items())
        except InputError as e:
            assert "\n" not in str(e)
