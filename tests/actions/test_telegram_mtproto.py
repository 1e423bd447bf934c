"""Telegram end to end: the real Telethon client against the local fake MTProto server.

The fake (``tests/fakes/telegram_server.py``) does the auth-key exchange with its own RSA key and
answers the login and deletion RPCs, injecting FLOOD_WAIT, dropped connections, revoked sessions
and refusals at seeded random points. The deletion path is the product's: ``connect_telethon``
-> ``TelethonApi`` -> ``TelethonActioner`` -> ``run_plan``.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes.telegram_server import FakeChat, FakeTelegramServer, FakeTelegramState, serve

from repostguard.actions._base import Pacer
from repostguard.actions.backup import backup_items
from repostguard.actions.planner import build_plan
from repostguard.actions.runner import RunReport, check_account, run_plan
from repostguard.actions.telegram import TelethonActioner, TelethonApi, connect_telethon, parse_dc
from repostguard.errors import ExternalError, UserError
from repostguard.model import Item
from repostguard.store import Store

from .conftest import FAST_KDF, PASSPHRASE, decide, kill_at_points

ME = 4242
API_ID, API_HASH = 123456, "0123456789abcdef0123456789abcdef"
#: fast reconnection for tests (the product keeps Telethon's defaults)
FAST = {"connection_retries": 1, "retry_delay": 0, "timeout": 5}
FRIEND, GROUP, SUPER, BROADCAST, LEFT = 777, 888, 1234567890, 1500000001, 999


def _nosleep(_: float) -> None:
    pass


def _state(**kw: Any) -> FakeTelegramState:
    st = FakeTelegramState(me_id=ME, **kw)
    st.add_chat(FakeChat(FRIEND, "user", "Друг"), list(range(1, 9)))
    st.add_chat(FakeChat(GROUP, "chat", "Группа"), list(range(20, 26)))
    st.add_chat(FakeChat(SUPER, "channel", "Супергруппа"), list(range(1, 9)))
    st.add_chat(FakeChat(BROADCAST, "channel", "Канал", broadcast=True, admin=False), [5])
    st.add_chat(FakeChat(LEFT, "chat", "Ушёл", in_dialogs=False), [50])
    st.messages[(FRIEND, 3)] = False  # the person deleted it in the app already
    st.messages[(SUPER, 4)] = False
    st.forbidden.add((GROUP, 25))
    return st


def _native(chat: int, mid: int) -> str:
    return f"-100{chat}/{mid}" if chat in (SUPER, BROADCAST) else f"{chat}/{mid}"


#: what the plan asks to delete, and what the fake must end up with
PLANNED = [(FRIEND, m) for m in range(1, 9)] + [(GROUP, m) for m in range(20, 26)]
PLANNED += [(SUPER, m) for m in range(1, 9)] + [(BROADCAST, 5), (LEFT, 50)]
REFUSED = {(BROADCAST, 5), (LEFT, 50), (GROUP, 25)}  # stays online, recorded as denied
ALREADY_GONE = {(FRIEND, 3), (SUPER, 4)}
DELETABLE = set(PLANNED) - REFUSED - ALREADY_GONE


def _workspace(tmp: Path) -> tuple[Path, dict[tuple[int, int], str]]:
    db = tmp / "tg.sqlite"
    items = [
        Item(
            platform="telegram",
            native_id=_native(chat, mid),
            kind="message",
            text=f"сообщение {chat}/{mid}",
            author="self",
            raw={"id": mid, "from_id": f"user{ME}"},
        )
        for chat, mid in PLANNED
    ]
    ids = {}
    with Store.open(db) as store:
        store.import_items(items, source="t", platform="telegram")
        for (chat, mid), it in zip(PLANNED, items, strict=True):
            decide(store, it.id, "delete")
            ids[(chat, mid)] = it.id
        backup_items(store, list(ids.values()), tmp / "b.rgbk", PASSPHRASE, log2_n=FAST_KDF)
    return db, ids


def _login(srv: FakeTelegramServer, session: str = "", code: str | None = None) -> Any:
    st = srv.state
    return connect_telethon(
        API_ID,
        API_HASH,
        session=session,
        dc=srv.dc,
        phone=lambda: st.phone,
        code=lambda: code or st.login_code,
        password=lambda: "",
        options=FAST,
    )


def _run(store: Store, client: Any) -> RunReport:
    act = TelethonActioner(TelethonApi(client, sleep=_nosleep))
    check_account(store, act)
    return run_plan(store, build_plan(store), {"telegram": act}, pacer=Pacer(0, 0, sleep=_nosleep))


@pytest.fixture
def fake_tg() -> Iterator[FakeTelegramServer]:
    with serve(_state()) as srv:
        yield srv


def _last_status(store: Store) -> dict[str, tuple[str, dict[str, Any]]]:
    return {
        r[0]: (r[1], json.loads(r[2] or "{}"))
        for r in store.conn.execute(
            "SELECT item_id, status, answer FROM clean_actions"
            " WHERE id IN (SELECT max(id) FROM clean_actions GROUP BY item_id)"
        )
    }


def test_login_code_sent_entered_signed_in_nothing_written(
    fake_tg: FakeTelegramServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    st = fake_tg.state
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.chdir(home)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("REPOSTGUARD_TELEGRAM_DC", fake_tg.dc)  # the connection target comes from outside
    asked: list[str] = []
    codes = iter(["11111", st.login_code])  # a mistyped code first: Telegram says so, asked again

    def code() -> str:
        asked.append("code")
        return next(codes)

    caplog.set_level(logging.DEBUG)
    client = connect_telethon(
        API_ID,
        API_HASH,
        phone=lambda: asked.append("phone") or st.phone,
        code=code,
        password=lambda: pytest.fail("no 2FA on this account"),  # type: ignore[func-returns-value]
        options=FAST,
    )
    try:
        assert asked == ["phone", "code", "code"]
        assert st.codes_sent == [st.phone.lstrip("+")] and st.handshakes == 1
        assert st.errors.get("PHONE_CODE_INVALID") == 1
        assert client.is_user_authorized() and client.get_me().id == ME
        assert st.authorized and set(st.authorized.values()) == {ME}
        assert type(client.session).__name__ == "StringSession"
        assert check_account_ok(client)
        assert not st.unknown, st.unknown
    finally:
        client.disconnect()
    # nothing was written: no session file, no key; the code is in no log line
    assert [p for p in home.rglob("*")] == []
    for secret in (st.login_code, "11111"):  # as a number of its own, not inside a message id
        assert not re.search(rf"(?<!\d){secret}(?!\d)", caplog.text)


def check_account_ok(client: Any) -> bool:
    return TelethonActioner(TelethonApi(client, sleep=_nosleep)).account_id() == str(ME)


def test_saved_session_skips_the_code_and_a_foreign_login_is_refused(tmp_path: Path) -> None:
    db, _ = _workspace(tmp_path)
    st = _state()
    with serve(st) as srv:
        client = _login(srv, session=st.issue_session(srv.port))
        try:
            assert st.codes_sent == [] and st.handshakes == 0  # signed in already: no code, same key
            with Store.open(db) as store:
                assert check_account(store, TelethonActioner(TelethonApi(client))) == str(ME)
        finally:
            client.disconnect()
        other = FakeTelegramState(me_id=1)
        with serve(other) as srv2:
            client = _login(srv2, session=other.issue_session(srv2.port))
            try:
                with Store.open(db) as store, pytest.raises(UserError, match="другого|another"):
                    check_account(store, TelethonActioner(TelethonApi(client)))
            finally:
                client.disconnect()
        assert st.total_deletions() == 0 and other.total_deletions() == 0


def test_full_run_deletes_each_once_and_journals(tmp_path: Path, fake_tg: FakeTelegramServer) -> None:
    st = fake_tg.state
    db, ids = _workspace(tmp_path)
    client = _login(fake_tg)
    try:
        with Store.open(db) as store:
            rep = _run(store, client)
            assert not rep.stopped
            last = _last_status(store)
            for key, item_id in ids.items():
                status, answer = last[item_id]
                want = "denied" if key in REFUSED else "gone" if key in ALREADY_GONE else "done"
                assert status == want, (key, status, answer)
            assert last[ids[(BROADCAST, 5)]][1]["error"] == "ChatAdminRequiredError"
            assert last[ids[(GROUP, 25)]][1]["error"] == "MessageDeleteForbiddenError"
            assert "dialogs" in last[ids[(LEFT, 50)]][1]["error"]
            assert last[ids[(SUPER, 4)]][1]["error"] == "MessageIdInvalidError"  # channel: already deleted
            assert last[ids[(FRIEND, 3)]][1]["deleted"] == 0  # private chat: pts_count 0
            tomb = {r[0] for r in store.conn.execute("SELECT id FROM items WHERE deleted_at IS NOT NULL")}
            assert tomb == {ids[k] for k in DELETABLE | ALREADY_GONE}
            assert sorted(rep.online) == sorted(
                store.conn.execute("SELECT ref FROM items WHERE id=?", (ids[k],)).fetchone()[0] for k in REFUSED
            )
            # a second run sends nothing for what is gone; it tries the refused ones again (still online)
            before = len(st.calls)
            rep2 = _run(store, client)
            assert len(rep2.gone_before) == len(DELETABLE | ALREADY_GONE) and len(rep2.denied) == len(REFUSED)
            assert len([c for c in st.calls[before:] if "Delete" in c]) == 2  # LEFT is not even sent
    finally:
        client.disconnect()
    assert set(st.deletions) == DELETABLE and all(n == 1 for n in st.deletions.values())
    assert "channels.DeleteMessagesRequest" in st.calls and "messages.DeleteMessagesRequest" in st.calls
    assert not st.unknown, st.unknown


@pytest.mark.parametrize("seed", [3, 4])
def test_random_floods_drops_and_long_waits_resume_to_exact_state(tmp_path: Path, seed: int) -> None:
    """FLOOD_WAIT (short: waited out; long: stops the run) and dropped connections after a
    deletion, at seeded random points; Telethon reconnects and resends, runs repeat until done."""
    db, ids = _workspace(tmp_path)
    st = _state(flood_rate=0.25, long_flood_rate=0.08, drop_rate=0.2, seed=seed)
    runs = 0
    with serve(st) as srv, Store.open(db) as store:
        while True:
            runs += 1
            assert runs <= 15, "did not converge"
            client = _login(srv)
            try:
                rep = _run(store, client)
            finally:
                client.disconnect()
            if not rep.stopped:
                break
            assert "3600" in rep.stopped["telegram"] or "подождать" in rep.stopped["telegram"]
        last = _last_status(store)
        for key, item_id in ids.items():
            status, _ = last[item_id]
            assert status == ("denied" if key in REFUSED else "gone" if key in ALREADY_GONE else status)
            assert status in (("denied",) if key in REFUSED else ("done", "gone")), (key, status)
    assert st.errors.get("FLOOD_WAIT", 0) > 0 and st.drops > 0 and runs > 1
    # every message the plan names was deleted exactly once; refused ones are still there
    assert set(st.deletions) == DELETABLE and all(n == 1 for n in st.deletions.values())
    assert all(st.messages[k] for k in REFUSED)
    assert not st.unknown, st.unknown


def test_revoked_session_stops_then_a_new_login_resumes(tmp_path: Path) -> None:
    db, ids = _workspace(tmp_path)
    st = _state(revoke_after=3)
    with serve(st) as srv, Store.open(db) as store:
        client = _login(srv)
        try:
            rep = _run(store, client)
        finally:
            client.disconnect()
        assert "telegram" in rep.stopped and ("вход" in rep.stopped["telegram"])
        statuses = [r[0] for r in store.conn.execute("SELECT status FROM clean_actions ORDER BY id")]
        assert statuses[-1] == "not-sent" and statuses.count("done") == 3
        assert st.errors.get("SESSION_REVOKED") == 1
        st.revoke_after = None
        # the old session is revoked: connecting with it asks for the code again
        client = _login(srv)
        try:
            rep = _run(store, client)
        finally:
            client.disconnect()
        assert not rep.stopped and len(st.codes_sent) == 2
    assert set(st.deletions) == DELETABLE and all(n == 1 for n in st.deletions.values())


def test_network_loss_after_sending_is_probed_not_resent(tmp_path: Path) -> None:
    db, ids = _workspace(tmp_path)
    st = _state(offline_after=4)
    with serve(st) as srv, Store.open(db) as store:
        session = st.issue_session(srv.port)
        client = _login(srv, session=session)
        try:
            rep = _run(store, client)
        finally:
            client.disconnect()
        assert "telegram" in rep.stopped and "сеть" in rep.stopped["telegram"]
        row = store.conn.execute("SELECT item_id, status FROM clean_actions ORDER BY id DESC LIMIT 1").fetchone()
        assert row[1] == "failed"  # may have reached Telegram: unresolved
        hanging = row[0]
        assert st.total_deletions() == 4
        with pytest.raises(ExternalError, match="нет соединения"):
            _login(srv, session=session)  # still offline
        srv.come_back()
        client = _login(srv, session=session)
        try:
            before = len(st.calls)
            rep = _run(store, client)
        finally:
            client.disconnect()
        assert not rep.stopped
        probe = store.conn.execute(
            "SELECT method, status FROM clean_actions WHERE item_id=? ORDER BY id DESC LIMIT 1", (hanging,)
        ).fetchone()
        assert probe[0].startswith("probe:") and probe[1] == "gone"
        first_rpc = [c for c in st.calls[before:] if c.endswith("MessagesRequest")][0]
        assert "GetMessages" in first_rpc  # asked first, did not send again
    assert set(st.deletions) == DELETABLE and all(n == 1 for n in st.deletions.values())
    assert sorted(st.redundant) == sorted(ALREADY_GONE)  # only the plan's already-deleted messages


def test_parse_dc() -> None:
    assert parse_dc("2:127.0.0.1:8443") == (2, "127.0.0.1", 8443)
    assert parse_dc("4:[::1]:443") == (4, "::1", 443)
    with pytest.raises(UserError, match="ЦОД:АДРЕС:ПОРТ"):
        parse_dc("127.0.0.1:443")


#: runs ``repostguard`` in a child process that first trusts the fake's RSA key (test-only:
#: the product has no way to add a key); argv after ``-c`` is the CLI's
LAUNCHER = (
    "import os, sys; sys.path.insert(0, os.environ['RG_TEST_FAKES_DIR']);"
    "from fakes.telegram_server import trust_key; trust_key(os.environ['RG_TEST_FAKE_TG_KEY']);"
    "from repostguard.cli import main; main(sys.argv[1:])"
)


def _start_cli(db: Path, env: dict[str, str], tmp: Path) -> subprocess.Popen[str]:
    args = ["clean", "run", "--yes", "--db", str(db), "--pace", "0.08", "--jitter", "0.04"]
    args += ["--checklist", str(tmp / "checklist.html")]
    return subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def test_sigkill_midway_then_restart_deletes_each_once(tmp_path: Path) -> None:
    """``repostguard clean run --yes`` (Telegram from the environment) killed with SIGKILL
    several times, restarted, run to the end: each message deleted once, the journal agrees."""
    db, ids = _workspace(tmp_path)
    st = _state()
    outputs: list[str] = []
    with serve(st) as srv:
        session = st.issue_session(srv.port)
        tests_dir = Path(__file__).resolve().parents[1]
        env = dict(
            os.environ,
            REPOSTGUARD_HOME=str(tmp_path / "home"),
            REPOSTGUARD_TG_API_ID=str(API_ID),
            REPOSTGUARD_TG_API_HASH=API_HASH,
            REPOSTGUARD_TG_SESSION=session,
            REPOSTGUARD_TELEGRAM_DC=srv.dc,
            REPOSTGUARD_BACKUP_PASSPHRASE=PASSPHRASE,
            RG_TEST_FAKES_DIR=str(tests_dir),
            RG_TEST_FAKE_TG_KEY=srv.keys.public_pem,
        )
        env["PYTHONPATH"] = str(tests_dir.parent / "src") + os.pathsep + env.get("PYTHONPATH", "")
        kills, outputs = kill_at_points(
            lambda: _start_cli(db, env, tmp_path), st.total_deletions,
            (("time", 0.5), ("deletions", 3), ("deletions", 7), ("deletions", 11)),
        )
        assert kills >= 3, outputs
        final = _start_cli(db, env, tmp_path)
        out, _ = final.communicate(timeout=120)
        assert final.returncode == 0, out
    assert set(st.deletions) == DELETABLE and all(n == 1 for n in st.deletions.values()), st.deletions
    assert set(st.redundant) == ALREADY_GONE
    assert st.codes_sent == [] and not st.unknown, st.unknown
    with Store.open(db) as store:
        last = _last_status(store)
        assert set(last) == set(ids.values())
        for key, item_id in ids.items():
            assert last[item_id][0] in (("denied",) if key in REFUSED else ("done", "gone")), (key, last[item_id])
        tomb = {r[0] for r in store.conn.execute("SELECT id FROM items WHERE deleted_at IS NOT NULL")}
        assert tomb == {ids[k] for k in DELETABLE | ALREADY_GONE}
        assert store.conn.execute("SELECT count(*) FROM clean_runs").fetchone()[0] >= 4
    assert f"ещё видно в сети: {len(REFUSED)}" in out
    assert session not in "".join(outputs) + out
    assert session.encode() not in db.read_bytes()
