"""Decisions: resolving items, not-a-match suppressions, survival across re-imports, CSV import."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repostguard.decisions import clear, decide, get_decision, import_csv, resolve_item
from repostguard.errors import InputError, UserError
from repostguard.pipeline.scan import import_path
from repostguard.store import Store

from .conftest import item_id


def test_resolve_by_ref_id_and_url(workspace: Path) -> None:
    p1 = item_id(workspace, "p1")
    with Store.open(workspace) as store:
        assert resolve_item(store, "p1") == p1
        assert resolve_item(store, p1) == p1
        assert resolve_item(store, "https://vk.com/wall1_101") == p1
        assert resolve_item(store, "http://m.vk.com/wall1_101/") == p1
        assert resolve_item(store, "vk.com/wall1_101") == p1
        with pytest.raises(UserError, match="такой записи в рабочей папке нет"):
            resolve_item(store, "https://vk.com/wall1_999")
        with pytest.raises(UserError):
            resolve_item(store, "  ")


def test_decide_and_change(workspace: Path) -> None:
    p1 = item_id(workspace, "p1")
    with Store.open(workspace) as store:
        assert decide(store, [p1], "delete", note="  удалю завтра ") == 1
        d = get_decision(store, p1)
        assert d is not None and d.action == "delete" and d.note == "удалю завтра" and d.source == "cli"
        decide(store, [p1], "keep", source="page", keep_note=True)
        d = get_decision(store, p1)
        assert d is not None and d.action == "keep" and d.note == "удалю завтра" and d.source == "page"
        with pytest.raises(UserError, match="неизвестное действие «burn»"):
            decide(store, [p1], "burn")
        with pytest.raises(UserError, match="nope: такой записи в рабочей папке нет"):
            decide(store, ["nope"], "keep")


def test_not_a_match_suppresses_and_clear_restores(workspace: Path) -> None:
    p1 = item_id(workspace, "p1")
    with Store.open(workspace) as store:
        decide(store, [p1], "not-a-match")
        sup = store.conn.execute("SELECT bank, entry FROM suppressions WHERE item_id=?", (p1,)).fetchall()
        assert [tuple(r) for r in sup] == [("fsm", "10")]
        decide(store, [p1], "keep")  # changing the decision lifts the suppression
        assert store.conn.execute("SELECT count(*) FROM suppressions").fetchone()[0] == 0
        decide(store, [p1], "not-a-match")
        assert clear(store, [p1]) == 1
        assert get_decision(store, p1) is None
        assert store.conn.execute("SELECT count(*) FROM suppressions").fetchone()[0] == 0


def test_decisions_survive_reimport_and_rescan(workspace: Path) -> None:
    p2 = item_id(workspace, "p2")
    with Store.open(workspace) as store:
        decide(store, [p2], "hide", note="n")
        export = workspace.parent / "export" / "items.jsonl"
        text = export.read_text("utf-8").replace("слушайте", "слушайте!")  # the record changed: an update
        export.write_text(text, "utf-8")
        res, _ = import_path(store, export)
        assert res.updated == 1
        # a re-scan replaces the findings; the decision stays
        scan_id = store.start_scan("fsm", "v2", "1" * 64, "test")
        store.save_findings(scan_id, "fsm", None, [], "test", 0)
        d = get_decision(store, p2)
        assert d is not None and d.action == "hide" and d.note == "n"


def test_csv_import(workspace: Path, tmp_path: Path) -> None:
    f = tmp_path / "d.csv"
    f.write_text(
        "item;action;note\np1;удалить;моя заметка\nhttps://vk.com/wall1_101;;\np2;not-a-match;\n'-x;;\n",
        "utf-8",
    )
    with Store.open(workspace) as store:
        res = import_csv(store, f)
        assert (
            res.decided == 2 and res.by_action == {"delete": 1, "not-a-match": 1} and res.skipped_blank == 2
        )
        d = get_decision(store, item_id(workspace, "p1"))
        assert d is not None and d.action == "delete" and d.source == "csv" and d.note == "моя заметка"
        assert store.conn.execute("SELECT count(*) FROM suppressions").fetchone()[0] == 1


def test_csv_bad_row_writes_nothing(workspace: Path, tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("item,action\np1,delete\np2,explode\n", "utf-8")
    with Store.open(workspace) as store:
        with pytest.raises(InputError, match=r"bad\.csv, строка 3: неизвестное действие «explode»; допустимые"):
            import_csv(store, f)
        assert store.conn.execute("SELECT count(*) FROM decisions").fetchone()[0] == 0
    g = tmp_path / "missing.csv"
    g.write_text("item,action\nzzz,keep\n", "utf-8")
    with (
        Store.open(workspace) as store,
        pytest.raises(InputError, match=r"missing\.csv, строка 2: zzz: такой записи в рабочей папке нет"),
    ):
        import_csv(store, g)
    h = tmp_path / "nohdr.csv"
    h.write_text("a,b\n", "utf-8")
    with Store.open(workspace) as store, pytest.raises(InputError, match="строка 1: в заголовке нужны столбцы"):
        import_csv(store, h)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400) | st.text(max_size=300).map(lambda s: ("item,action,note\n" + s).encode()))
def test_csv_junk_is_refused_cleanly(workspace: Path, tmp_path: Path, data: bytes) -> None:
    f = tmp_path / "junk.csv"
    f.write_bytes(data)
    with Store.open(workspace) as store:
        before = store.conn.execute("SELECT count(*) FROM decisions").fetchone()[0]
        try:
            res = import_csv(store, f)
        except InputError as e:
            assert str(e).startswith(str(f)) and "\n" not in str(e)
            assert store.conn.execute("SELECT count(*) FROM decisions").fetchone()[0] == before
        else:
            assert res.decided >= 0
