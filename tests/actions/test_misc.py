"""Pacing, id parsing on junk, tokens kept out of logs, an unusable token at the start."""

from __future__ import annotations

import logging
import random
from pathlib import Path

import pytest
from fakes.vk_server import serve
from hypothesis import given
from hypothesis import strategies as st

from repostguard.actions._base import Pacer, StopRun
from repostguard.actions.backup import backup_items
from repostguard.actions.planner import api_route, build_plan
from repostguard.actions.runner import check_account, run_plan
from repostguard.actions.telegram import parse_message_id
from repostguard.actions.vk import VkClient, parse_object, vk_call
from repostguard.actions.x import tweet_id, x_call
from repostguard.model import KINDS, Item
from repostguard.store import Store

from .conftest import FAST_KDF, PASSPHRASE, TOKEN, build_workspace, fake_state


def test_pacer_waits_between_requests_only() -> None:
    sleeps: list[float] = []
    p = Pacer(1.5, 0.5, sleep=sleeps.append, rng=random.Random(3))
    for _ in range(20):
        p.wait()
    assert len(sleeps) == 19 and all(1.5 <= s <= 2.0 for s in sleeps) and len(set(sleeps)) > 1


@given(
    platform=st.sampled_from(["vk", "telegram", "x", "facebook"]),
    native=st.text(max_size=60),
    url=st.none() | st.text(max_size=60),
    kind=st.sampled_from(KINDS),
    action=st.sampled_from(["delete", "hide"]),
)
def test_id_parsers_never_crash_on_junk(
    platform: str, native: str, url: str | None, kind: str, action: str
) -> None:
    item = Item(platform=platform, native_id=native, kind=kind, url=url)
    parse_object(item)
    parse_message_id(item)
    tweet_id(item)
    vk_call(item, action)
    x_call(item, action)
    assert api_route(item, action) in ("api", "manual")


def test_token_never_in_logs(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    ws = build_workspace(tmp_path, n_posts=4)
    st_ = fake_state(ws)
    caplog.set_level(logging.DEBUG)
    with serve(st_) as url, Store.open(ws.db) as store:
        backup_items(store, ws.delete_ids, tmp_path / "b.rgbk", PASSPHRASE, log2_n=FAST_KDF)
        client = VkClient(TOKEN, base_url=url, sleep=lambda s: None)
        check_account(store, client)
        rep = run_plan(store, build_plan(store), {"vk": client}, pacer=Pacer(0, 0))
        assert len(rep.done) == len(ws.delete_ids)
    assert caplog.records, "httpx/httpcore log at DEBUG; the test must see them"
    assert TOKEN not in caplog.text and PASSPHRASE not in caplog.text


def test_unusable_token_stops_before_anything(tmp_path: Path) -> None:
    ws = build_workspace(tmp_path, n_posts=2)
    st_ = fake_state(ws)
    with serve(st_) as url, Store.open(ws.db) as store, pytest.raises(StopRun, match="ошибка VK 5"):
        check_account(store, VkClient("revoked-or-made-up", base_url=url, sleep=lambda s: None))
    assert st_.calls == ["users.get"]


def test_second_concurrent_run_is_refused(tmp_path: Path) -> None:
    from repostguard.actions.runner import run_lock
    from repostguard.errors import UserError

    db = tmp_path / "ws.sqlite"
    with run_lock(db):
        with pytest.raises(UserError, match="уже идёт другая очистка"):
            with run_lock(db):
                pass
    with run_lock(db):  # released afterwards
        pass


def test_run_lock_on_windows_takes_msvcrt_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows has no fcntl: the lock is msvcrt's, non-blocking, and a second run is refused alike.

    (msvcrt is faked here: this checks which call is made and how a refusal is read, not Windows.)
    """
    import os
    import sys
    import types

    from repostguard.actions.runner import run_lock
    from repostguard.errors import UserError

    held: set[int] = set()

    def locking(fd: int, mode: int, nbytes: int) -> None:
        assert (mode, nbytes) == (fake.LK_NBLCK, 1)
        ino = os.fstat(fd).st_ino
        if ino in held:
            raise OSError(36, "Resource deadlock avoided")  # what msvcrt raises for a held lock
        held.add(ino)

    fake = types.SimpleNamespace(LK_NBLCK=2, locking=locking)
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setattr(sys, "platform", "win32")
    db = tmp_path / "ws.sqlite"
    with run_lock(db):
        assert len(held) == 1
        with pytest.raises(UserError, match="уже идёт другая очистка"):
            with run_lock(db):
                pass
