"""Runs the fixture cases (tests/fixtures/cases) of the Telegram, X, Facebook, Instagram and Mastodon importers.

Each case is imported from its folder (or file) and again from a ZIP with a wrapper folder;
counts per kind, listed items and the number of warnings must match exactly. A second import
into the same store must change nothing (round trip).
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from importer_cases import fixture_cases

from repostguard.importers.facebook import FacebookImporter
from repostguard.importers.instagram import InstagramImporter
from repostguard.importers.mastodon import MastodonImporter
from repostguard.importers.registry import detect
from repostguard.importers.telegram import TelegramImporter
from repostguard.importers.twitter import TwitterImporter
from repostguard.model import Item
from repostguard.store import Store

ROOT = Path(__file__).resolve().parents[2]
CLASSES = [TelegramImporter, TwitterImporter, FacebookImporter, InstagramImporter, MastodonImporter]
CASES = [(cls, case) for cls in CLASSES for case in fixture_cases(cls)]


def _get(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if obj is None:
            return None
        if isinstance(obj, list):
            idx = int(part)
            obj = obj[idx] if idx < len(obj) else None
        else:
            obj = getattr(obj, part)
    return obj


def _zip(src: Path, dest: Path) -> Path:
    z = dest / (src.name + ".zip")
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        if src.is_file():
            zf.write(src, f"wrapper/{src.name}")
        else:
            for f in sorted(src.rglob("*")):
                if f.is_file():
                    zf.write(f, "wrapper/" + f.relative_to(src).as_posix())
    return z


def run_case(cls: type, path: Path, media: Path) -> tuple[list[Item], list[str]]:
    imp = detect(path, media)
    assert type(imp) is cls, f"{path} detected as {type(imp).__name__}"
    imp.verify()
    items = list(imp.iter_items())
    return items, [str(w) for w in imp.warnings]


def check_case(case: dict[str, Any], items: list[Item], warnings: list[str]) -> None:
    counts = Counter(i.kind for i in items)
    assert dict(counts) == case["counts"], warnings
    ids = [i.native_id for i in items]
    assert len(ids) == len(set(ids)), "duplicate native ids"
    by_id = {i.native_id: i for i in items}
    for exp in case["items"]:
        nid = exp["native_id"]
        if nid.startswith("re:"):
            hits = [i for k, i in by_id.items() if re.search(nid[3:], k)]
            assert len(hits) == 1, f"{nid!r} matches {len(hits)} items; have {sorted(by_id)[:20]}"
            item: Item | None = hits[0]
        else:
            item = by_id.get(nid)
        assert item is not None, f"no item {exp['native_id']!r}; have {sorted(by_id)[:20]}"
        for key, want in exp.items():
            got = _get(item, key)
            if isinstance(want, str) and want.startswith("re:"):
                assert got is not None and re.search(want[3:], str(got)), f"{exp['native_id']} {key}: {got!r}"
            else:
                assert got == want, f"{exp['native_id']} {key}: {got!r} != {want!r}"
    for i in items:
        assert i.platform == items[0].platform
        assert i.raw is not None
    assert len(warnings) == case["warnings"], warnings


@pytest.mark.parametrize(("cls", "case"), CASES, ids=[c["path"] for _, c in CASES])
def test_fixture_case(cls: type, case: dict[str, Any], tmp_path: Path) -> None:
    path = ROOT / case["path"]
    items, warnings = run_case(cls, path, tmp_path / "m1")
    check_case(case, items, warnings)
    zitems, zwarnings = run_case(cls, _zip(path, tmp_path), tmp_path / "m2")
    check_case(case, zitems, zwarnings)


@pytest.mark.parametrize(("cls", "case"), CASES, ids=[c["path"] for _, c in CASES])
def test_round_trip(cls: type, case: dict[str, Any], tmp_path: Path) -> None:
    from repostguard.pipeline.scan import import_path

    with Store.open(tmp_path / "db.sqlite") as store:
        first, _ = import_path(store, ROOT / case["path"])
        second, _ = import_path(store, ROOT / case["path"])
        assert first.added == sum(case["counts"].values())
        assert second.added == 0 and second.updated == 0
        assert second.unchanged == first.added


BROKEN = [
    ("tests/fixtures/telegram/full_export", "result.json"),
    ("tests/fixtures/twitter/archive", "data/tweets.js"),
    ("tests/fixtures/facebook/layout_2024", "your_facebook_activity/comments_and_reactions/comments.json"),
    ("tests/fixtures/instagram/export", "your_instagram_activity/likes/liked_posts.json"),
    ("tests/fixtures/mastodon/archive", "outbox.json"),
]


@pytest.mark.parametrize(("fixture", "victim"), BROKEN, ids=[b[0].split("/")[2] for b in BROKEN])
def test_cli_truncated_file_exits_2_and_store_unchanged(
    fixture: str, victim: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from repostguard.cli import main

    db = tmp_path / "ws.sqlite"
    good = tmp_path / "good"
    shutil.copytree(ROOT / fixture, good)
    main(["import", str(good), "--db", str(db)])  # returns normally on success
    with Store.open(db) as store:
        before = (store.count_items(), store.conn.execute("SELECT count(*) FROM imports").fetchone()[0])
    bad = tmp_path / "bad"
    shutil.copytree(ROOT / fixture, bad)
    raw = (bad / victim).read_bytes()
    (bad / victim).write_bytes(raw[: len(raw) * 3 // 4])
    capsys.readouterr()
    with pytest.raises(SystemExit) as e:
        main(["import", str(bad), "--db", str(db)])
    assert e.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and victim in err
    with Store.open(db) as store:
        after = (store.count_items(), store.conn.execute("SELECT count(*) FROM imports").fetchone()[0])
    assert after == before


def test_unknown_format_message_points_odnoklassniki_to_generic_format(tmp_path: Path) -> None:
    from repostguard.errors import InputError

    (tmp_path / "ok_export").mkdir()
    (tmp_path / "ok_export/page.html").write_text("<html>ok.ru</html>")
    (tmp_path / "ok_export/notes.txt").write_text("x")
    with pytest.raises(InputError) as e:
        detect(tmp_path / "ok_export")
    msg = str(e.value)
    assert "у Одноклассников нет архива" in msg and "docs/generic-format.md" in msg
    assert "Telegram" in msg and "Mastodon" in msg and "\n" not in msg


def test_zip_media_not_extracted_is_not_reported_missing(tmp_path: Path) -> None:
    z = _zip(ROOT / "tests/fixtures/telegram/full_export", tmp_path)
    imp = detect(z)  # no media folder: files stay in the ZIP
    imp.verify()
    items = list(imp.iter_items())
    photo = next(i for i in items if i.native_id == "1001234567/3").attachments[0]
    assert photo.path is None
    warnings = [str(w) for w in imp.warnings]
    assert sum("медиафайл" in w for w in warnings) == 1  # only the file that is really absent
    assert any(w.startswith(str(z)) and "нет 1 медиафайла" in w for w in warnings)


def test_profiles_feed_the_identity_matcher() -> None:
    """Each export's profile item lists the identity facts the identity matcher reads."""
    from repostguard.matchers.identity import IdentityMatcher

    expected = {
        "tests/fixtures/telegram/full_export": {"phone", "full_name", "linked_account:screen_name"},
        "tests/fixtures/twitter/archive": {"full_name", "email", "phone", "birth_date", "city"},
        "tests/fixtures/facebook/layout_2024": {
            "full_name",
            "email",
            "phone",
            "birth_date",
            "city",
            "home_town",
        },
        "tests/fixtures/instagram/export": {"full_name", "email", "birth_date"},
        "tests/fixtures/mastodon/archive": {"full_name", "linked_account:website"},
    }
    m = IdentityMatcher()
    for path, facts in expected.items():
        imp = detect(ROOT / path)
        imp.verify()
        prof = next(i for i in imp.iter_items() if i.kind == "profile")
        got = {f.entry for f in m.match(prof)}
        assert facts <= got, (path, got)
