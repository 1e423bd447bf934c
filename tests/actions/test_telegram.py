"""Telegram: the runner on a fake implementing the narrow protocol, and the Telethon adapter
on a stand-in object raising Telethon's real error classes. No MTProto server is involved."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from telethon import errors

from repostguard.actions._base import DENIED, DONE, GONE, Pacer, StopRun
from repostguard.actions.backup import backup_items
from repostguard.actions.planner import build_plan
from repostguard.actions.runner import check_account, run_plan
from repostguard.actions.telegram import TelegramActioner, TelethonActioner, TelethonApi, parse_message_id
from repostguard.errors import UserError
from repostguard.model import Item
from repostguard.store import Store

from .conftest import FAST_KDF, PASSPHRASE, decide

ME = 4242


class FakeTelegram:
    """Implements TelegramApi in memory; can fail once with a StopRun after N deletions."""

    def __init__(self, messages: set[tuple[int, int]], me: int = ME, stop_after: int | None = None) -> None:
        self.messages = set(messages)
        self.me = me
        self.deleted: list[tuple[int, int]] = []
        self.stop_after = stop_after

    def me_id(self) -> int:
        return self.me

    def delete_messages(self, chat_id: int, message_ids: list[int]) -> int:
        if self.stop_after is not None and len(self.deleted) >= self.stop_after:
            self.stop_after = None
            raise StopRun("network lost", maybe_sent=False)
        n = 0
        for m in message_ids:
            if (chat_id, m) in self.messages:
                self.messages.discard((chat_id, m))
                self.deleted.append((chat_id, m))
                n += 1
        return n

    def existing_messages(self, chat_id: int, message_ids: list[int]) -> list[int]:
        return [m for m in message_ids if (chat_id, m) in self.messages]


def _workspace(tmp: Path) -> tuple[Path, list[Item]]:
    db = tmp / "tg.sqlite"
    items = [
        Item(
            platform="telegram",
            native_id=f"777/{i}",
            kind="message",
            text=f"msg {i}",
            author="self",
            raw={"id": i, "from_id": f"user{ME}"},
        )
        for i in range(1, 8)
    ]
    with Store.open(db) as store:
        store.import_items(items, source="t", platform="telegram")
        for it in items:
            decide(store, it.id, "delete")
        backup_items(store, [it.id for it in items], tmp / "b.rgbk", PASSPHRASE, log2_n=FAST_KDF)
    return db, items


def test_runner_deletes_messages_once_and_resumes(tmp_path: Path) -> None:
    db, items = _workspace(tmp_path)
    fake = FakeTelegram({(777, i) for i in range(1, 8)} - {(777, 3)}, stop_after=2)  # 3 already gone
    act = TelegramActioner(fake)
    with Store.open(db) as store:
        assert check_account(store, act) == str(ME)
        rep = run_plan(store, build_plan(store), {"telegram": act}, pacer=Pacer(0, 0))
        assert "telegram" in rep.stopped and len(rep.done) == 2
        rep = run_plan(store, build_plan(store), {"telegram": act}, pacer=Pacer(0, 0))
        assert not rep.stopped and rep.online == [] and len(rep.gone) == 1
    assert sorted(fake.deleted) == sorted({(777, i) for i in range(1, 8)} - {(777, 3)})
    assert len(fake.deleted) == len(set(fake.deleted))


def test_login_of_another_account_is_refused(tmp_path: Path) -> None:
    db, _ = _workspace(tmp_path)
    fake = FakeTelegram(set(), me=1)
    with Store.open(db) as store, pytest.raises(UserError, match="другого|another"):
        check_account(store, TelegramActioner(fake))


def test_parse_message_id() -> None:
    assert parse_message_id(Item(platform="telegram", native_id="1001234567/2", kind="post")) == (
        1001234567,
        2,
    )
    assert parse_message_id(Item(platform="telegram", native_id="junk", kind="post")) is None


class StandIn:
    """The few Telethon client methods TelethonApi uses; errors are Telethon's own classes."""

    def __init__(self, fail: list[BaseException] | None = None) -> None:
        self.fail = list(fail or [])
        self.msgs = {5, 6}
        self.calls: list[tuple[Any, ...]] = []

    def get_me(self) -> Any:
        return SimpleNamespace(id=ME)

    def iter_dialogs(self) -> list[Any]:
        return [
            SimpleNamespace(entity=SimpleNamespace(id=777)),
            SimpleNamespace(entity=SimpleNamespace(id=1001234567)),
        ]

    def delete_messages(self, entity: Any, ids: list[int], revoke: bool = True) -> list[Any]:
        self.calls.append(("delete", entity.id, tuple(ids), revoke))
        if self.fail:
            raise self.fail.pop(0)
        n = len(self.msgs & set(ids))
        self.msgs -= set(ids)
        return [SimpleNamespace(pts=1, pts_count=n)]

    def get_messages(self, entity: Any, ids: list[int]) -> list[Any]:
        return [SimpleNamespace(id=i) if i in self.msgs else None for i in ids]


def _call(mid: int, chat: int = 777) -> Any:
    act = TelethonActioner(TelethonApi(StandIn()))
    return act.prepare(Item(platform="telegram", native_id=f"{chat}/{mid}", kind="message"), "delete")


def test_telethon_adapter_maps_results_and_errors() -> None:
    sleeps: list[float] = []
    client = StandIn(fail=[errors.FloodWaitError(request=None, capture=3)])
    act = TelethonActioner(TelethonApi(client, sleep=sleeps.append))
    assert act.account_id() == str(ME)
    assert act.execute(_call(5)).status == DONE and sleeps == [4]  # waited out the short flood wait
    assert client.calls[-1] == ("delete", 777, (5,), True)  # revoke: deleted for everyone
    assert act.execute(_call(5)).status == GONE
    assert act.execute(_call(6, chat=555)).status == DENIED  # a chat no longer among the dialogs
    client.fail = [errors.MessageDeleteForbiddenError(request=None)]
    assert act.execute(_call(6)).status == DENIED
    client.fail = [errors.FloodWaitError(request=None, capture=3600)]
    with pytest.raises(StopRun, match="3600"):
        act.execute(_call(6))
    client.fail = [errors.AuthKeyUnregisteredError(request=None)]
    with pytest.raises(StopRun, match="login|вход"):
        act.execute(_call(6))
    client.fail = [ConnectionError("reset")]
    with pytest.raises(StopRun) as ei:
        act.execute(_call(6))
    assert ei.value.maybe_sent
