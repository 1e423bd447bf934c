"""The dated snapshot of each list the package carries: it is the official data, unmodified; it stands in
when no list of its kind is installed (and says how old it is); an installed list always wins."""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from repostguard.banks import lifecycle
from repostguard.banks.fsm import FSM_LIST, load_fsm, show_fsm
from repostguard.banks.orgs import load_org_list
from repostguard.banks.registry import LISTS, update_lists
from repostguard.cli.demo import DEMO_LIST
from repostguard.errors import UserError
from repostguard.views.snapshot import days_ago, snapshot_notice

from .conftest import FSM_2025, need, write_list

#: the sha256 of the official files as published (shared/data/*/README.md)
OFFICIAL = {
    "fsm": "522073ae953da53f49e406cbb4a49a6a13ad4ebc7979441e9af3c8ab84f7f3de",
    "extremist": "1d7a22f9f52eb6b17bef64d3084f6891266d2f70120c3553c3a1fc1d8d5e8908",
    "terrorist": "6393c30dce97b178106b100eef188cef43fbb5e75e7b97010191557665555aaa",
    "undesirable": "f33e3440add19d53565bbb4a8483753ca17a54a9a810c2b38a2ded65c57f7ef4",
}


def test_every_snapshot_is_the_official_file_text_only_and_described_by_the_manifest() -> None:
    manifest = json.loads((lifecycle.PACKAGED_DIR / "manifest.json").read_text("utf-8"))["lists"]
    # every official list ships; the sites list (not an official list) does not: the person chooses it
    assert set(manifest) == set(OFFICIAL) == set(LISTS) - {"sites"}
    files = {p.name for p in lifecycle.PACKAGED_DIR.iterdir()}
    assert files == {"manifest.json", *(m["file"] for m in manifest.values())}  # nothing else ships
    for name, m in manifest.items():
        data = gzip.decompress((lifecycle.PACKAGED_DIR / m["file"]).read_bytes())
        assert hashlib.sha256(data).hexdigest() == m["sha256"] == OFFICIAL[name]
        assert b"\x00" not in data and b"data:image" not in data and b"base64" not in data  # text, no pictures
        date.fromisoformat(m["date"])
        assert m["source"] and m["copy"]
        lst, meta = lifecycle.load_packaged(LISTS[name])  # type: ignore[misc]
        assert (lst.version, len(lst.entries)) == (m["version"], m["entries"]) and meta["packaged"]
        assert meta["last_inclusion"] == m["last_inclusion"]
    assert manifest["fsm"]["date"] == "2025-07-09"


def test_the_fsm_snapshot_is_the_2025_07_09_export() -> None:
    official = need(FSM_2025).read_bytes()
    path = lifecycle.PACKAGED_DIR / "fsm.csv.gz"
    assert gzip.decompress(path.read_bytes()) == official


def test_without_an_installed_list_loading_falls_back_to_the_snapshot() -> None:
    assert lifecycle.installed_meta(FSM_LIST) is None
    lst, meta = load_fsm()
    assert lst.version == "fsm-2025-07-09-522073ae" and meta["packaged"] and meta["snapshot_date"] == "2025-07-09"
    assert lifecycle.snapshot_in_use(FSM_LIST) is not None
    loaded = load_org_list("undesirable")
    assert loaded is not None and loaded[1]["packaged"]
    assert lifecycle.load(FSM_LIST, "previous") is None  # only the current version falls back


def test_an_installed_list_always_wins(tmp_path: Path) -> None:
    out = update_lists("fsm", from_file=write_list(tmp_path / "l.csv", list(DEMO_LIST)))
    assert "since" not in out  # the first install is not compared with the snapshot
    lst, meta = load_fsm()
    assert lst.version.startswith("fsm-2024-01-20") and not meta.get("packaged")
    assert lifecycle.snapshot_in_use(FSM_LIST) is None
    assert "packaged snapshot" not in show_fsm()
    loaded = load_org_list("extremist")  # no organisation list installed: still the snapshot
    assert loaded is not None and loaded[1]["packaged"]


def test_a_damaged_snapshot_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from repostguard.errors import ListError

    copy = tmp_path / "data"
    copy.mkdir()
    for p in lifecycle.PACKAGED_DIR.iterdir():
        (copy / p.name).write_bytes(p.read_bytes())
    (copy / "terrorist.list.json.gz").write_bytes(gzip.compress(b'[{"name": "\xd0\xa5"}]'))
    monkeypatch.setattr(lifecycle, "PACKAGED_DIR", copy)
    lifecycle._manifest.cache_clear()
    try:
        with pytest.raises(ListError, match="встроенная копия списка не та, что названа в её описи"):
            load_org_list("terrorist")
    finally:
        lifecycle._manifest.cache_clear()


def test_without_any_list_loading_says_how_to_get_one(no_snapshots: None) -> None:
    with pytest.raises(UserError, match="lists update"):
        load_fsm()
    assert load_org_list("extremist") is None


def test_the_notice_says_the_date_and_the_age() -> None:
    meta = lifecycle.packaged_meta(FSM_LIST)
    assert snapshot_notice(meta, "ru", date(2026, 12, 6)) == \
        "встроенный снимок списка от 09.07.2025, 515 дней назад; обновите списки"
    assert snapshot_notice(meta, "en", date(2025, 7, 10)) == \
        "the packaged snapshot of the list of 9 Jul 2025, 1 day ago; update the lists"
    assert snapshot_notice({"version": "x"}, "ru") == ""  # an installed list
    assert [days_ago(n, "ru") for n in (0, 1, 2, 5, 11, 21, 22, 112)] == [
        "сегодня", "1 день назад", "2 дня назад", "5 дней назад", "11 дней назад", "21 день назад",
        "22 дня назад", "112 дней назад"]


def test_lists_show_mentions_the_snapshot(tmp_path: Path) -> None:
    def show() -> str:
        r = subprocess.run([sys.executable, "-m", "repostguard", "lists", "show"], capture_output=True, text=True,
                           timeout=120)
        assert r.returncode == 0, r.stderr
        return r.stdout

    out = show()
    assert "встроенный снимок от 09.07.2025" in out and "список не установлен" in out
    assert "встроенный снимок списка от 09.07.2025" in out
    update_lists("fsm", from_file=write_list(tmp_path / "l.csv", list(DEMO_LIST)))
    out = show()
    assert "fsm-2024-01-20" in out and "встроенный снимок списка от 09.07.2025" not in out
    assert "встроенный снимок списка от 29.07.2026" in out  # the organisation lists are still the snapshots


def test_scan_uses_the_snapshot_only_for_lists_not_installed(tmp_path: Path) -> None:
    from repostguard.pipeline.scan import run_scan

    from .test_store import RECS, write_items

    hist = write_items(tmp_path / "h.jsonl", RECS)
    s = run_scan(tmp_path / "a.sqlite", hist, ocr=False, progress=False)
    assert s.list_version == "fsm-2025-07-09-522073ae"
    assert {m["bank"] for m in s.snapshots} == {"fsm", "orgs-extremist", "orgs-terrorist", "orgs-undesirable"}
    update_lists("fsm", from_file=write_list(tmp_path / "l.csv", list(DEMO_LIST)))
    s = run_scan(tmp_path / "b.sqlite", hist, ocr=False, progress=False)
    assert s.list_version.startswith("fsm-2024-01-20") and "fsm" not in {m["bank"] for m in s.snapshots}
    s = run_scan(tmp_path / "c.sqlite", hist, fsm=FSM_2025 if FSM_2025.exists() else tmp_path / "l.csv",
                 ocr=False, progress=False)
    assert "fsm" not in {m["bank"] for m in s.snapshots}  # --fsm FILE is not the snapshot
