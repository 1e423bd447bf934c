"""The matchers' indexes kept between runs (matchers/cache.py): an organisation list's matcher is built
once, loaded back the next time (and still searches through the shared gate), rebuilt when its file is
damaged, and the copies older code built are removed."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from repostguard.banks.orgs import parse_org_file
from repostguard.matchers import cache
from repostguard.matchers.orgs import OrgMatcher
from repostguard.model import Item

from .conftest import EXTREMIST, write_json


def _post(text: str) -> Item:
    return Item(platform="generic", native_id="p1", kind="post", text=text, author="self")


def test_an_org_matcher_is_built_once_then_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lst = parse_org_file(write_json(tmp_path / "extremist.json", EXTREMIST), "extremist")
    folder = tmp_path / "cache"
    built = OrgMatcher.cached(lst, None, folder)
    kept = list(folder.glob("orgs-extremist-*.pickle"))
    assert len(kept) == 1 and stat.S_IMODE(folder.stat().st_mode) == 0o700

    def no_build(*a: object, **k: object) -> None:
        raise AssertionError("built again instead of loaded")

    monkeypatch.setattr(OrgMatcher, "__init__", no_build)
    loaded = OrgMatcher.cached(lst, None, folder)
    assert loaded is not built and loaded.list.sha256 == lst.sha256
    text = "Вчера читал расследование Фонда борьбы с коррупцией"
    assert [f.entry for f in loaded.match(_post(text))] == [f.entry for f in built.match(_post(text))] != []
    assert loaded.match(_post("Сегодня было солнечно, гуляли в парке")) == []


def test_a_damaged_copy_is_rebuilt_and_older_code_s_copies_removed(tmp_path: Path) -> None:
    lst = parse_org_file(write_json(tmp_path / "extremist.json", EXTREMIST), "extremist")
    folder = tmp_path / "cache"
    OrgMatcher.cached(lst, None, folder)
    (path,) = folder.glob("orgs-extremist-*.pickle")
    path.write_bytes(b"not a pickle")
    stale = path.with_name(path.name.replace(cache.code_version(), "0" * 12))
    stale.write_bytes(b"from older code")
    m = OrgMatcher.cached(lst, None, folder)
    assert m.match(_post("Новости ФБК")) != []
    assert not stale.exists() and path.exists() and path.read_bytes() != b"not a pickle"


def test_without_a_folder_nothing_is_kept(tmp_path: Path) -> None:
    lst = parse_org_file(write_json(tmp_path / "extremist.json", EXTREMIST), "extremist")
    assert OrgMatcher.cached(lst, None, None).match(_post("Новости ФБК")) != []
    assert list(tmp_path.glob("**/*.pickle")) == []
