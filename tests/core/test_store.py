"""The store: owner-only file, named migrations, idempotent re-import, all-or-nothing imports."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from repostguard.errors import InputError
from repostguard.pipeline.scan import import_path
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
        ("{not json", "не JSON: ошибка в столбце 2"),
        ('{"kind": "post", "text": "без id"}', "запись без поля «id»"),
        ('["a list"]', "в каждой строке должен быть объект JSON"),
        ('{"id": "z", "text": 5}', "поле «text» должно быть строкой"),
    ],
)
def test_one_bad_record_is_a_warning_and_an_unreadable_file_changes_nothing(
        tmp_path: Path, bad_line: str, words: str) -> None:
    good = write_items(tmp_path / "good.jsonl", RECS[:1])
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(json.dumps(RECS[1]) + "\n" + json.dumps(RECS[2]) + "\n" + bad_line + "\n", "utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(bad_line + "\n" + bad_line + "\n", "utf-8")
    with Store.open(tmp_path / "w.sqlite") as st:
        import_path(st, good)
        before = st.conn.execute("SELECT count(*) FROM items").fetchone()[0], \
            st.conn.execute("SELECT count(*) FROM raw_records").fetchone()[0]
        with pytest.raises(InputError) as ei:
            import_path(st, bad)
        assert f"{bad}, строка 1" in str(ei.value) and words in str(ei.value)
        after = st.conn.execute("SELECT count(*) FROM items").fetchone()[0], \
            st.conn.execute("SELECT count(*) FROM raw_records").fetchone()[0]
        assert before == after == (1, 1)
        res, _fmt = import_path(st, mixed)
        warnings = [str(w) for w in res.warnings]
        assert res.added == 2
        assert len(warnings) == 1 and f"{mixed}: пропущена 1 запись" in warnings[0] and words in warnings[0]
        assert "(место: строка 3)" in warnings[0]


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


def test_bulk_import_keys_hashes_and_foreign_keys(tmp_path: Path) -> None:
    """Raw records get sequential keys, content hashes keep the format of earlier versions (so an old
    workspace re-imports as unchanged), foreign keys are on again after an import, even a failed one."""
    import hashlib

    f = write_items(tmp_path / "items.jsonl", RECS)
    with Store.open(tmp_path / "w.sqlite") as st:
        assert st.conn.execute("PRAGMA page_size").fetchone()[0] == 16384
        import_path(st, f)
        rows = st.conn.execute(
            "SELECT i.native_id, i.raw_id, i.content_hash, r.content FROM items i"
            " JOIN raw_records r ON r.id = i.raw_id ORDER BY i.rowid").fetchall()
        assert [r[1] for r in rows] == ["r000000000001", "r000000000002", "r000000000003"]
        ver = st.conn.execute("SELECT importer_version FROM imports").fetchone()[0]
        for _nid, _rid, chash, content in rows:
            raw_sha = hashlib.sha256(content.encode()).hexdigest()
            assert chash == hashlib.sha256(f"{ver}\x00{raw_sha}".encode()).hexdigest()
        assert st.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert st.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # a workspace written by an earlier version: raw records keyed by their sha256
        st.conn.execute("PRAGMA foreign_keys = OFF")
        for nid, rid, _chash, content in rows:
            sha = hashlib.sha256(content.encode()).hexdigest()
            st.conn.execute("UPDATE raw_records SET id=? WHERE id=?", (sha, rid))
            st.conn.execute("UPDATE items SET raw_id=? WHERE native_id=?", (sha, nid))
        st.conn.commit()
        st.conn.execute("PRAGMA foreign_keys = ON")
        r2, _ = import_path(st, f)
        assert (r2.added, r2.updated, r2.unchanged) == (0, 0, 3)
        write_items(f, [*RECS, {"id": "a4", "text": "новая"}])
        r3, _ = import_path(st, f)
        assert (r3.added, r3.unchanged) == (1, 3)
        item = st.get_item("a4")
        assert item is not None and json.loads(st.raw_record(item.id) or "")["text"] == "новая"
        assert st.conn.execute("SELECT raw_id FROM items WHERE native_id='a4'").fetchone()[0] == "r000000000001"
        bad = tmp_path / "bad.jsonl"
        bad.write_text("{broken\n{broken\n", "utf-8")
        with pytest.raises(InputError):
            import_path(st, bad)
        assert st.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert st.conn.execute("SELECT count(*) FROM raw_records").fetchone()[0] == 4


def test_long_records_are_kept_exactly(tmp_path: Path) -> None:
    """Records far larger than a page and than a flush batch round-trip byte for byte."""
    from repostguard.model import Item
    from repostguard.store import FLUSH_BYTES

    big = "ж\u2028ё😀 " * (FLUSH_BYTES // 20)
    items = [Item(platform="vk", native_id=f"wall1_{i}", kind="post", text=big[:1000] + str(i),
                  raw=f"<div>{i}</div>" + big) for i in range(3)]
    with Store.open(tmp_path / "w.sqlite") as st:
        res = st.import_items(iter(items), source="x", platform="vk", importer_version="t/1")
        assert res.added == 3
        for it in items:
            assert st.raw_record(it.id) == it.raw
        again = st.import_items(iter(items), source="x", platform="vk", importer_version="t/1")
        assert (again.added, again.unchanged) == (0, 3)


@pytest.mark.parametrize(
    "line",
    ['{"id": "1", "text": "a"} ', ' {"id": "1"}', '{"id": "1"}\r', '{"id": 1, "x": NaN}', '{"id": "1"}\t\u00a0',
     '{"id": "1", "id": "2"}', '{"id": "1", "t": "\\ud800"}'],
)
def test_generic_lines_read_as_json_loads_reads_them(tmp_path: Path, line: str) -> None:
    """The importer's fast path (json's C scanner) and json.loads agree on every line."""
    from repostguard.importers.generic import GenericImporter

    f = tmp_path / "items.jsonl"
    f.write_text(line + "\n\u2003\n", "utf-8")
    try:
        expected = json.loads(line)
    except json.JSONDecodeError:
        with pytest.raises(InputError):
            list(GenericImporter(f).iter_items())
        return
    (item,) = list(GenericImporter(f).iter_items())
    assert item.native_id == str(expected["id"]) and item.raw == line.rstrip("\r\n")


def test_import_progress_counts_every_item_and_passes_them_through(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line's bar is a listener of the same events the app's job hears: it ends on every item."""
    import io
    import sys

    from repostguard.model import Item
    from repostguard.pipeline.progress import Bars, fan_out, told

    err = io.StringIO()
    err.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stderr", err)
    items = [Item(platform="generic", native_id=str(i), kind="post") for i in range(250)]
    heard: list[tuple[str, int, int | None]] = []
    bars = Bars()
    listen = fan_out(lambda *e: heard.append(e), bars)
    assert listen is not None
    assert list(told(iter(items), "importing", listen)) == items
    assert bars.bar is not None and bars.bar.n == 250 and bars.bar.total == 250
    assert heard[0] == ("importing", 0, None) and heard[1] == ("importing", 1, None)  # the first item at once
    assert heard[-1] == ("importing", 250, 250)
    bars.close()
    assert "импорт" in err.getvalue()  # the stage's name, in the language of the moment


def test_bars_write_nothing_when_stderr_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    from repostguard.pipeline.progress import Bars

    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    bars = Bars()
    for n in range(0, 200, 10):
        bars("importing", n, None)
    bars("matching", 5, 10)
    bars.close()
    assert err.getvalue() == ""
