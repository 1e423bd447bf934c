"""Plan from decisions: grouping, counts, export and edited plans (narrow, never widen)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repostguard.actions.backup import backup_items
from repostguard.actions.planner import build_plan, load_plan, summary
from repostguard.errors import InputError
from repostguard.store import Store

from .conftest import FAST_KDF, PASSPHRASE, Workspace, decide


def test_plan_groups_and_counts_backups(workspace: Workspace, tmp_path: Path) -> None:
    with Store.open(workspace.db) as store:
        plan = build_plan(store)
        assert {e.item_id for e in plan.entries} == set(workspace.delete_ids + workspace.hide_ids)
        rows = {(r["platform"], r["action"], r["route"]): r for r in summary(plan, store)}
        assert rows[("vk", "delete", "api")]["count"] == len(workspace.delete_ids)
        assert rows[("vk", "delete", "api")]["not_backed_up"] == len(workspace.delete_ids)
        assert rows[("vk", "hide", "manual")]["count"] == len(workspace.hide_ids)
        backup_items(store, workspace.delete_ids[:3], tmp_path / "b.rgbk", PASSPHRASE, log2_n=FAST_KDF)
        rows2 = {(r["platform"], r["action"]): r for r in summary(build_plan(store), store)}
        assert rows2[("vk", "delete")]["not_backed_up"] == len(workspace.delete_ids) - 3
        # a deleted backup file no longer counts
        (tmp_path / "b.rgbk").unlink()
        rows2 = {(r["platform"], r["action"]): r for r in summary(build_plan(store), store)}
        assert rows2[("vk", "delete")]["not_backed_up"] == len(workspace.delete_ids)


def test_export_and_edit_roundtrip(workspace: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "plan.json"
    with Store.open(workspace.db) as store:
        build_plan(store).write(f, store)
        data = json.loads(f.read_text(encoding="utf-8"))
        assert data["summary"] and len(data["entries"]) == len(workspace.delete_ids) + len(workspace.hide_ids)
        deletes = [e for e in data["entries"] if e["action"] == "delete"]
        deletes[0]["action"] = "keep"
        deletes[1]["action"] = "hide"
        data["entries"] = [e for e in data["entries"] if e is not deletes[2]]
        f.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        plan = load_plan(f, store)
        ids = {e.item_id: e.action for e in plan.entries}
        assert deletes[0]["item_id"] not in ids and deletes[2]["item_id"] not in ids
        assert ids[deletes[1]["item_id"]] == "hide"


def test_plan_cannot_widen_decisions(workspace: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "plan.json"
    with Store.open(workspace.db) as store:
        build_plan(store).write(f, store)
        data = json.loads(f.read_text(encoding="utf-8"))
        ref = store.conn.execute("SELECT ref FROM items WHERE id=?", (workspace.keep_ids[0],)).fetchone()[0]
        data["entries"].append({"item": ref, "action": "delete"})
        f.write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(InputError, match=rf"запись плана {len(data['entries'])}: .*решение: «Оставить»"):
            load_plan(f, store)
        # hide decision cannot become delete
        data["entries"].pop()
        for e in data["entries"]:
            if e["item_id"] in workspace.hide_ids:
                e["action"] = "delete"
        f.write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(InputError, match="решение: «Скрыть»"):
            load_plan(f, store)
        # a decision changed to keep after the plan was made also blocks it
        decide(store, workspace.delete_ids[0], "keep")
        build_plan(store)  # still fine


@pytest.mark.parametrize(
    "text,msg",
    [
        ("{", "не план в формате JSON"),
        ("[]", "не план очистки repostguard"),
        ('{"format": "repostguard-clean-plan", "version": 9, "entries": []}', "версия плана 9"),
        ('{"format": "repostguard-clean-plan", "version": 1, "entries": [1]}', "запись плана 1: должна быть объектом"),
        (
            '{"format": "repostguard-clean-plan", "version": 1, "entries": [{"action": "delete"}]}',
            "запись плана 1: нет ни",
        ),
    ],
)
def test_bad_plans_are_one_line_errors(workspace: Workspace, tmp_path: Path, text: str, msg: str) -> None:
    f = tmp_path / "p.json"
    f.write_text(text, encoding="utf-8")
    with Store.open(workspace.db) as store, pytest.raises(InputError, match=msg) as ei:
        load_plan(f, store)
    assert str(f) in str(ei.value) and "\n" not in str(ei.value)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=10), c, max_size=4),
    max_leaves=20,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(_json, max_size=5), junk=st.binary(max_size=50))
def test_junk_plans_never_crash(
    workspace: Workspace, tmp_path: Path, entries: list[object], junk: bytes
) -> None:
    f = tmp_path / "p.json"
    with Store.open(workspace.db) as store:
        for payload in (
            json.dumps({"format": "repostguard-clean-plan", "version": 1, "entries": entries}),
            junk,
        ):
            f.write_bytes(payload.encode() if isinstance(payload, str) else payload)
            try:
                plan = load_plan(f, store)
            except InputError as e:
                assert "\n" not in str(e)
            else:
                assert all(e.action in ("delete", "hide") for e in plan.entries)
