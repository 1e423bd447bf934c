"""The store: owner-only file, named migrations, idempotent re-import, all-or-nothing imports."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from repostguard.errors import InputError
from repostguard.scan import import_path
from repostguard.store import Store
from repostguard.store.migrations import MIGRATIONS, applied


def write_items(path: Path, recs: list[dict]) -> Path:  # type: ignore[type-arg]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), "utf-8")
    return path


RECS = [
    {"id": "a1", "kind": "post", "date": "2020-01-01T10:00:00+03:00", "text": "Привет"},
    {"id": "a2", "kind": "repost", "text": "Репост", "reposted_from": {"name": "Стр", "url": "https://vk.com/id1"}},
    {"id": "a3", "kind": "photo", "attachments": [{"type": "photo", "path": "media/p.jpg"}]},
]


def test_database_is_owner_only_and_migrated(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite"
    with Store.open(db) as st:
        assert applied(st.conn) == [name for name, _ in MIGRATIONS]
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_reimport_changes_nothing_and_raw_is_kept(tmp_path: Path) -> None:
    f = write_items(tmp_path / "items.jsonl", RECS)
    with Store.open(tmp_path / "w.sqlite") as st:
        r1, platform = import_path(st, f)
        r2, _ = import_path(st, f)
        assert platform == "generic"
        assert (r1.added, r1.updated, r1.unchanged) == (3, 0, 0)
        assert (r2.added, r2.updated, r2.unchanged) == (0, 0, 3)
        item = st.get_item("a3")
        assert item is not None and item.attachments[0].path == str((tmp_path / "media/p.jpg").resolve())
        raw = st.raw_record(item.id)
        assert raw is not None and json.loads(raw)["id"] == "a3"
        rep = st.get_item("a2")
        assert rep is not None and rep.reposted_from is not None and rep.reposted_from.url == "https://vk.com/id1"
        # an edited record updates the item in place
        write_items(f, [{**RECS[0], "text": "Привет, мир"}, *RECS[1:]])
        r3, _ = import_path(st, f)
        assert (r3.added, r3.updated, r3.unchanged) == (0, 1, 2)
        assert st.count_items() == 3


@pytest.mark.parametrize(
    "bad_line, words",
    [
        ("{not json", "not valid JSON"),
        ('{"kind": "post", "text": "без id"}', "without 'id'"),
        ('["a list"]', "JSON object"),
        ('{"id": "z", "text": 5}', "'text' must be a string"),
    ],
)
def test_failed_import_leaves_the_store_as_it_was(tmp_path: Path, bad_line: str, words: str) -> None:
    good = write_items(tmp_path / "good.jsonl", RECS[:1])
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(RECS[1]) + "\n" + json.dumps(RECS[2]) + "\n" + bad_line + "\n", "utf-8")
    with Store.open(tmp_path / "w.sqlite") as st:
        import_path(st, good)
        before = st.conn.execute("SELECT count(*) FROM items").fetchone()[0], \
            st.conn.execute("SELECT count(*) FROM raw_records").fetchone()[0]
        with pytest.raises(InputError) as ei:
            import_path(st, bad)
        assert f"{bad}, line 3" in str(ei.value) and words in str(ei.value)
        after = st.conn.execute("SELECT count(*) FROM items").fetchone()[0], \
            st.conn.execute("SELECT count(*) FROM raw_records").fetchone()[0]
        assert before == after == (1, 1)


def test_not_a_database(tmp_path: Path) -> None:
    p = tmp_path / "x.sqlite"
    p.write_bytes(b"this is not sqlite at all" * 100)
    from repostguard.errors import UserError

    with pytest.raises(UserError):
        Store.open(p)


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=10,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.one_of(
    st.binary(max_size=60),
    _json_values.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries({"id": st.text(min_size=1, max_size=5)}, optional={
        "kind": st.text(max_size=8), "text": _json_values, "date": st.text(max_size=30),
        "attachments": _json_values, "reposted_from": _json_values}).map(lambda d: json.dumps(d).encode()),
), max_size=6))
def test_generic_importer_with_junk(tmp_path: Path, lines: list[bytes]) -> None:
    """Junk lines give a one-line InputError or import cleanly; nothing else escapes."""
    from repostguard.importers.generic import GenericImporter

    f = tmp_path / "junk.jsonl"
    f.write_bytes(b"\n".join(lines) + b"\n")
    try:
        items = list(GenericImporter(f).iter_items())
    except InputError as e:
        assert "\n" not in str(e) and str(f) in str(e)
        return
    for it in items:
        assert it.native_id and it.kind
