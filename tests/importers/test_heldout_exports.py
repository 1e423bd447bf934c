"""Held-out exports of all six platforms give the expected findings on the expected items (issue 18).

For each platform an export in its real structure (see ``heldout.py``: VK «Архив данных», Telegram
Desktop JSON, the X archive, Facebook and Instagram "Download your information", the Mastodon archive)
is written at test time, a small list in the official CSV format is installed as ``repostguard lists
update --from FILE`` does, and the export is scanned as ``repostguard scan PATH`` does. Each item's
``fsm`` findings must be exactly the expected (entry, level, signal); ordinary items and listed
material the export cannot show have no finding at all; the only other findings allowed are the
identity facts of a profile.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from repostguard.banks.fsm import update_fsm
from repostguard.pipeline.scan import run_scan
from repostguard.store import Store
from tests.importers.heldout import (
    CASES,
    FB_PAGE,
    FEDI_POST,
    IG_PAGE,
    LEAFLET,
    SONG_DASH,
    SONG_NAMED,
    TG_CHANNEL,
    VIDEO_POST,
    VK_PAGE,
    X_PAGE,
    Case,
    item_key,
    write_list,
)


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data dir, so nothing touches the user's real one."""
    home = tmp_path / "home"
    monkeypatch.setenv("REPOSTGUARD_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def shared_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The built FSM index is cached across these tests (as in the data dir of a real installation)."""
    import repostguard.pipeline.scan as scan

    d = tmp_path_factory.getbasetemp() / "fsm-cache"
    monkeypatch.setattr(scan, "cache_dir", lambda: d)


def scan_case(case: Case, tmp_path: Path) -> tuple[dict[str, str], dict[str, set[tuple[str, str, str, str]]]]:
    """Install the list, build the export and scan it; (item key → kind, item key → its findings as
    (bank, entry, level, signal))."""
    update_fsm(from_file=write_list(tmp_path / "exportfsm.csv"))
    root = tmp_path / "export"
    root.mkdir()
    path = case.build(root)
    db = tmp_path / "workspace.sqlite"
    summary = run_scan(db, path, ocr=False, progress=False)
    kinds: dict[str, str] = {}
    found: dict[str, set[tuple[str, str, str, str]]] = defaultdict(set)
    with Store.open(db) as store:
        keys = {}
        for item in store.iter_items():
            key = item_key(item.platform, item.native_id, [a.to_dict() for a in item.attachments])
            assert key not in kinds, f"two items are called {key}"
            assert item.platform == case.platform
            keys[item.id] = key
            kinds[key] = item.kind
        for r in store.findings_rows():
            found[keys[r["item_id"]]].add((r["bank"], r["entry"], r["level"], r["signal"]))
            if r["bank"] == "fsm":  # the explanation names the entry the finding is about
                assert f"№ {r['entry']}" in r["explanation_ru"] and f"No. {r['entry']}" in r["explanation_en"]
    assert summary.items == len(kinds)
    return kinds, found


@pytest.mark.parametrize("platform", list(CASES))
def test_heldout_export_gives_the_expected_findings(platform: str, tmp_path: Path) -> None:
    case = CASES[platform]
    kinds, found = scan_case(case, tmp_path)
    missing = sorted(k for k in [*case.expected, *case.clean] if k not in kinds)
    assert not missing, f"items not imported: {missing}; imported: {sorted(kinds)}"

    got = {k: {(int(e), lv, sig) for bank, e, lv, sig in fs if bank == "fsm"} for k, fs in found.items()}
    got = {k: v for k, v in got.items() if v}
    wrong = {k: (got.get(k, set()), want) for k, want in case.expected.items() if got.get(k, set()) != want}
    assert not wrong, "item: (found, expected)\n" + "\n".join(f"  {k}: {v}" for k, v in sorted(wrong.items()))
    unexpected = {k: v for k, v in got.items() if k not in case.expected}
    assert not unexpected, f"findings on items that should have none: {unexpected}"

    for k in case.clean:
        assert not found.get(k), f"{k} ({case.unseen.get(k, 'an ordinary item')}) has findings: {found[k]}"
    for k, fs in found.items():
        other = {f for f in fs if f[0] != "fsm"}
        assert all(bank == "identity" and lv == "exposure" for bank, _e, lv, _s in other), (k, other)
        assert not other or kinds[k] == "profile", (k, other)


def test_every_platform_has_each_kind_of_case() -> None:
    """Each export holds ordinary items, a list quote, a listed link, a listed song and a relation to a
    listed page (a repost, forward, boost or retweet, and a like where the platform exports likes)."""
    pages = {"vk": VK_PAGE, "telegram": TG_CHANNEL, "x": X_PAGE, "facebook": FB_PAGE, "instagram": IG_PAGE,
             "mastodon": FEDI_POST}
    for name, case in CASES.items():
        wants = {w for ws in case.expected.values() for w in ws}
        signals = {sig for _e, _lv, sig in wants}
        entries = {e for e, _lv, _sig in wants}
        assert len(case.clean) >= 3, name
        assert {"quote", "url"} <= signals, name
        assert LEAFLET in entries or TG_CHANNEL in entries, name
        assert VIDEO_POST in entries, name
        assert entries & {SONG_DASH, SONG_NAMED}, name
        assert (pages[name], "mention", "page") in wants or (pages[name], "mention", "source") in wants \
            or (pages[name], "distribution", "source") in wants, name
        assert set(case.unseen) <= set(case.clean), name
    assert ("audio" in {sig for ws in CASES["vk"].expected.values() for _e, _lv, sig in ws})
    assert ("audio" in {sig for ws in CASES["telegram"].expected.values() for _e, _lv, sig in ws})
    for name in ("vk", "x", "facebook", "instagram", "mastodon"):  # the platforms that export likes
        likes = [k for k in CASES[name].expected if k.startswith(("like", "reaction", "page_like"))]
        assert likes, name
