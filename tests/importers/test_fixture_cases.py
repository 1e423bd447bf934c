"""The generic fixture runner: every importer in IMPORTERS × every one of its fixture cases (tests/fixtures/cases).

A case (declared on the importer class, next to its code) is::

    {"path": "tests/fixtures/<platform>/<case>",        # a folder or a file, relative to the repo
     "counts": {"post": N, "repost": N, ...},             # exact, per kind
     "items": [{"native_id": "...", "<field>": expected}],  # Item attributes or dotted paths
     "warnings": N}                                        # exact number of warnings of the import

Dotted paths reach into attributes and lists (``reposted_from.url``, ``attachments.0.type``); a
string expectation starting with ``re:`` is a regular expression (``re.search``), also for
``native_id`` (the first item whose id matches is checked).

For each case: detection picks exactly that importer; the import through
:func:`repostguard.pipeline.scan.import_path` into a fresh store gives the counts, items and warnings;
a folder fixture is also zipped at test time (inside a wrapper folder) and imported with the same
expectations; importing a second time adds and updates nothing.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from importer_cases import fixture_cases

from repostguard.importers.generic import GenericImporter
from repostguard.importers.registry import IMPORTERS, detect
from repostguard.model import Item
from repostguard.pipeline.scan import import_path, media_dir_for
from repostguard.store import Store

ROOT = Path(__file__).resolve().parents[2]

#: importers exempt from "has at least one case", each with the reason; remove an entry once the
#: importer has fixture cases
NO_CASES_YET: dict[type, str] = {
    GenericImporter: "the generic format predates the fixture cases (covered by the core tests)",
}

CASES = [
    pytest.param(cls, case, id=f"{cls.__name__}:{case['path']}")
    for cls in IMPORTERS
    for case in fixture_cases(cls)
]


def format_name(cls: type) -> str:
    """The name that tells importers apart (two importers may share a ``platform``, e.g. VK)."""
    return str(getattr(cls, "format_name", None) or cls.platform)  # type: ignore[attr-defined]


def get_path(obj: Any, dotted: str) -> Any:
    """``obj.a.0.b`` style lookup; None when a step is missing."""
    for part in dotted.split("."):
        if obj is None:
            return None
        if isinstance(obj, (list, tuple)):
            try:
                obj = obj[int(part)]
            except (ValueError, IndexError):
                return None
        elif isinstance(obj, dict):
            obj = obj.get(part)
        else:
            obj = getattr(obj, part, None)
    return obj


def matches(want: Any, got: Any) -> bool:
    if isinstance(want, str) and want.startswith("re:"):
        return got is not None and re.search(want[3:], str(got)) is not None
    return bool(got == want)


def zip_with_wrapper(src: Path, dest_dir: Path) -> Path:
    """``src`` (a folder) zipped as ``Archive/<its files>``."""
    z = dest_dir / f"{src.name}.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(src.rglob("*")):
            if f.is_file():
                zf.write(f, "Archive/" + f.relative_to(src).as_posix())
    return z


def check_import(cls: type, case: dict[str, Any], path: Path, db: Path) -> None:
    importer = detect(path, None)
    assert type(importer) is cls, f"{path} was detected as {type(importer).__name__}, not {cls.__name__}"
    close = getattr(importer, "close", None)
    if close:
        close()
    with Store.open(db) as store:
        res, platform = import_path(store, path)
        assert platform == cls.platform
        items: list[Item] = list(store.iter_items())
        counts = Counter(i.kind for i in items)
        assert dict(counts) == case["counts"], f"counts {dict(counts)}; warnings: {res.warnings}"
        assert len(res.warnings) == case["warnings"], res.warnings
        assert res.added == len(items)
        for i in items:
            assert i.platform == cls.platform
            assert store.raw_record(i.id), f"{i.native_id}: raw record not kept"
        for exp in case["items"]:
            want_id = exp["native_id"]
            found = [i for i in items if matches(want_id, i.native_id)]
            assert found, f"no item {want_id!r}; have {sorted(i.native_id for i in items)[:30]}"
            item = found[0]
            for key, want in exp.items():
                got = get_path(item, key)
                assert matches(want, got), f"{item.native_id} {key}: got {got!r}, want {want!r}"
        # round trip: the same export again changes nothing
        again, _ = import_path(store, path)
        assert (again.added, again.updated, again.unchanged) == (0, 0, len(items))
        media = media_dir_for(store)
        if media is not None and media.exists():
            assert all(p.resolve().is_relative_to(media.resolve()) for p in media.rglob("*"))


@pytest.mark.parametrize(("cls", "case"), CASES)
def test_fixture_case(cls: type, case: dict[str, Any], tmp_path: Path) -> None:
    path = ROOT / str(case["path"])
    assert path.exists(), f"fixture {path} is missing"
    check_import(cls, case, path, tmp_path / "folder.sqlite")
    if path.is_dir():
        z = zip_with_wrapper(path, tmp_path)
        check_import(cls, case, z, tmp_path / "zip.sqlite")


def test_every_importer_has_a_case() -> None:
    for cls in IMPORTERS:
        if cls in NO_CASES_YET:
            continue
        assert fixture_cases(cls), f"{cls.__name__} has no fixture cases (tests/fixtures/cases)"
        for case in fixture_cases(cls):
            assert {"path", "counts", "items", "warnings"} <= set(case), (
                f"{cls.__name__}: incomplete case {case}"
            )
            assert (ROOT / str(case["path"])).exists(), f"{cls.__name__}: no fixture {case['path']}"


def test_importer_names_are_unique() -> None:
    names = [format_name(c) for c in IMPORTERS]
    assert len(names) == len(set(names)), names
    classes = [c.__name__ for c in IMPORTERS]
    assert len(classes) == len(set(classes)), classes
    assert IMPORTERS[-1] is GenericImporter, "the generic format must come last"


def test_fixtures_are_detected_by_no_other_importer() -> None:
    """Each fixture is claimed by its own importer and by none listed before it (no misdetection)."""
    for cls in IMPORTERS:
        for case in fixture_cases(cls):
            path = ROOT / str(case["path"])
            claimed = [c.__name__ for c in IMPORTERS if c.detect(path)]
            assert claimed and claimed[0] == cls.__name__, f"{path}: claimed by {claimed}"
