"""The runner against the local fake VK API: journal, tombstones, errors, resumption."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakes.vk_server import FakeVkState, serve

from repostguard.actions._base import Pacer
from repostguard.actions.backup import backup_items
from repostguard.actions.planner import build_plan
from repostguard.actions.runner import RunReport, check_account, run_plan
from repostguard.actions.vk import VkClient
from repostguard.errors import UserError
from repostguard.store import Store

from .conftest import FAST_KDF, OTHER_TOKEN, PASSPHRASE, TOKEN, Workspace, build_workspace, fake_state


def _nosleep(_: float) -> None:
    pass


def _backup_all(store: Store, ws: Workspace, tmp: Path) -> None:
    backup_items(store, ws.delete_ids, tmp / "b.rgbk", PASSPHRASE, log2_n=FAST_KDF)


def _run(store: Store, url: str, token: str = TOKEN) -> RunReport:
    client = VkClient(token, base_url=url, sleep=_nosleep)
    return run_plan(store, build_plan(store), {"vk": client}, pacer=Pacer(0, 0, sleep=_nosleep))


def test_full_run_deletes_each_once_and_journals(
    workspace: Workspace, fake_vk: tuple[FakeVkState, str], tmp_path: Path
) -> None:
    st, url = fake_vk
    with Store.open(workspace.db) as store:
        _backup_all(store, workspace, tmp_path)
        rep = _run(store, url)
        refs = dict(store.conn.execute("SELECT id, ref FROM items"))
        assert sorted(rep.done) == sorted(refs[i] for i in workspace.delete_ids)
        rows = store.conn.execute("SELECT * FROM clean_actions ORDER BY id").fetchall()
        assert {r["status"] for r in rows} == {"done"}
        assert all(r["intent_at"] and r["result_at"] and json.loads(r["answer"]) for r in rows)
        tomb = {r[0] for r in store.conn.execute("SELECT id FROM items WHERE deleted_at IS NOT NULL")}
        assert tomb == set(workspace.delete_ids)
        # hide and keep decisions were not sent anywhere
        assert set(workspace.hide_ids + workspace.keep_ids).isdisjoint(tomb)
        assert rep.online == []
        # a second run sends nothing
        before = list(st.calls)
        rep2 = _run(store, url)
        assert [c for c in st.calls[len(before) :] if "delete" in c.lower()] == []
        assert len(rep2.gone_before) == len(workspace.delete_ids)
    assert all(v == 1 for v in st.deletions.values())
    assert set(st.deletions) == set(workspace.keys.values())
    assert not st.redundant
    # the token travels in the POST body only: never in a URL, never in the store
    assert all(TOKEN not in p for p in st.paths)
    assert TOKEN.encode() not in workspace.db.read_bytes()


def test_refuses_items_not_backed_up(workspace: Workspace, fake_vk: tuple[FakeVkState, str]) -> None:
    st, url = fake_vk
    with Store.open(workspace.db) as store:
        rep = _run(store, url)
        assert len(rep.refused) == len(workspace.delete_ids)
        assert (
            store.conn.execute("SELECT count(*) FROM items WHERE deleted_at IS NOT NULL").fetchone()[0] == 0
        )
        assert {r[0] for r in store.conn.execute("SELECT status FROM clean_actions")} == {"refused"}
    assert st.total_deletions() == 0


def test_token_of_another_account_is_refused(workspace: Workspace, fake_vk: tuple[FakeVkState, str]) -> None:
    st, url = fake_vk
    with Store.open(workspace.db) as store, pytest.raises(UserError, match="another|другого"):
        check_account(store, VkClient(OTHER_TOKEN, base_url=url, sleep=_nosleep))
    assert st.total_deletions() == 0


def test_revoked_token_midway_stops_then_resumes(tmp_path: Path) -> None:
    ws = build_workspace(tmp_path)
    st = fake_state(ws, revoke_after=3)
    with serve(st) as url, Store.open(ws.db) as store:
        _backup_all(store, ws, tmp_path)
        rep = _run(store, url)
        assert "vk" in rep.stopped and "ошибка VK 5" in rep.stopped["vk"]
        assert len(rep.done) == 3
        assert len(rep.online) == len(ws.delete_ids) - 3
        statuses = [r[0] for r in store.conn.execute("SELECT status FROM clean_actions ORDER BY id")]
        assert statuses == ["done", "done", "done", "not-sent"]
        st.revoked.clear()
        st.revoke_after = None
        rep2 = _run(store, url)
        assert not rep2.stopped and rep2.online == []
    assert all(v == 1 for v in st.deletions.values()) and len(st.deletions) == len(ws.keys)


def test_denied_is_recorded_and_run_continues(tmp_path: Path) -> None:
    ws = build_workspace(tmp_path)
    st = fake_state(ws)
    denied_key = ws.keys[ws.delete_ids[0]]
    st.denied.add(denied_key)
    with serve(st) as url, Store.open(ws.db) as store:
        _backup_all(store, ws, tmp_path)
        rep = _run(store, url)
        assert len(rep.denied) == 1 and len(rep.done) == len(ws.delete_ids) - 1
        row = store.conn.execute(
            "SELECT status, answer FROM clean_actions WHERE item_id=?", (ws.delete_ids[0],)
        ).fetchone()
        assert row[0] == "denied" and json.loads(row[1])["error_code"] == 15
        assert len(rep.online) == 1


def test_already_deleted_elsewhere_is_recorded_as_gone(tmp_path: Path) -> None:
    ws = build_workspace(tmp_path)
    st = fake_state(ws)
    gone_key = ws.keys[ws.delete_ids[1]]
    st.objects[gone_key] = False  # the person deleted it on the site already
    with serve(st) as url, Store.open(ws.db) as store:
        _backup_all(store, ws, tmp_path)
        rep = _run(store, url)
        assert len(rep.gone) == 1 and rep.online == []
        assert store.conn.execute("SELECT deleted_at FROM items WHERE id=?", (ws.delete_ids[1],)).fetchone()[
            0
        ]


@pytest.mark.parametrize("seed", [1, 2])
def test_random_errors_and_network_loss_resume_to_exact_state(tmp_path: Path, seed: int) -> None:
    """Errors 6, 9, 14 and dropped connections at seeded random points; rerun until done."""
    ws = build_workspace(tmp_path, n_posts=24)
    st = fake_state(ws, rates={6: 0.2, 9: 0.05, 14: 0.05}, drop_rate=0.1, seed=seed)
    st.denied.add(ws.keys[ws.delete_ids[2]])
    runs = 0
    with serve(st) as url, Store.open(ws.db) as store:
        _backup_all(store, ws, tmp_path)
        while True:
            runs += 1
            rep = _run(store, url)
            if not rep.stopped:
                break
            assert runs < 60
        online = set(rep.online)
        refs = dict(store.conn.execute("SELECT id, ref FROM items"))
        assert online == {refs[ws.delete_ids[2]]}
        unresolved = store.conn.execute(
            "SELECT count(*) FROM clean_actions a WHERE status IN ('intent','failed') AND NOT EXISTS"
            " (SELECT 1 FROM clean_actions b WHERE b.item_id=a.item_id AND b.id>a.id)"
        ).fetchone()[0]
        assert unresolved == 0
    assert sum(st.errors.values()) + st.drops > 0 and runs > 1
    expected = set(ws.keys.values()) - {ws.keys[ws.delete_ids[2]]}
    assert set(st.deletions) == expected
    assert all(v == 1 for v in st.deletions.values())
    assert st.redundant == []  # nothing was deleted twice, not even attempted


def test_plan_naming_missing_item_changes_nothing(
    workspace: Workspace, fake_vk: tuple[FakeVkState, str], tmp_path: Path
) -> None:
    from repostguard.actions.planner import load_plan
    from repostguard.errors import InputError

    st, _url = fake_vk
    with Store.open(workspace.db) as store:
        plan = build_plan(store)
        f = tmp_path / "plan.json"
        plan.write(f, store)
        data = json.loads(f.read_text())
        data["entries"][1]["item_id"] = "0" * 20
        data["entries"][1]["item"] = "vk:wall100001_999999"
        f.write_text(json.dumps(data))
        with pytest.raises(InputError, match=r"plan.json: запись плана 2: записи .* нет в рабочей базе"):
            load_plan(f, store)
        assert store.conn.execute("SELECT count(*) FROM clean_actions").fetchone()[0] == 0
    assert st.calls == []


class _DiesAfterSending:
    """Wraps the VK client; the process 'dies' right after the n-th request reached VK."""

    def __init__(self, inner: VkClient, n: int) -> None:
        self.inner, self.n, self.platform = inner, n, "vk"

    def account_id(self) -> str:
        return self.inner.account_id()

    def prepare(self, item, action):  # type: ignore[no-untyped-def]
        return self.inner.prepare(item, action)

    def exists(self, call):  # type: ignore[no-untyped-def]
        return self.inner.exists(call)

    def execute(self, call):  # type: ignore[no-untyped-def]
        res = self.inner.execute(call)
        self.n -= 1
        if self.n == 0:
            raise SystemExit("killed between the request and the journal")
        return res


def test_killed_between_request_and_journal_is_not_sent_again(tmp_path: Path) -> None:
    ws = build_workspace(tmp_path)
    st = fake_state(ws)
    with serve(st) as url, Store.open(ws.db) as store:
        _backup_all(store, ws, tmp_path)
        client = VkClient(TOKEN, base_url=url, sleep=_nosleep)
        with pytest.raises(SystemExit):
            run_plan(store, build_plan(store), {"vk": _DiesAfterSending(client, 3)}, pacer=Pacer(0, 0))
        rows = store.conn.execute("SELECT item_id, status FROM clean_actions ORDER BY id").fetchall()
        assert [r[1] for r in rows] == ["done", "done", "intent"]
        hanging = rows[-1][0]
        assert store.conn.execute("SELECT deleted_at FROM items WHERE id=?", (hanging,)).fetchone()[0] is None
        assert store.conn.execute("SELECT status FROM clean_runs").fetchone()[0] == "stopped"
        calls_before = len(st.calls)
        rep = _run(store, url)
        assert rep.online == []
        probe = store.conn.execute(
            "SELECT method, status FROM clean_actions WHERE item_id=? ORDER BY id DESC LIMIT 1", (hanging,)
        ).fetchone()
        assert probe[0].startswith("probe:") and probe[1] == "gone"
        probes = {"wall.getById", "wall.getComment", "likes.isLiked", "photos.getById", "video.get"}
        assert st.calls[calls_before] in probes  # asked first, did not send again
    assert all(v == 1 for v in st.deletions.values()) and set(st.deletions) == set(ws.keys.values())
    assert st.redundant == []
