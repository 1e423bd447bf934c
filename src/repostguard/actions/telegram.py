"""Telegram: delete the person's own messages through their own login (Telethon, MTProto).

The runner talks to a narrow protocol, :class:`TelegramApi`; :class:`TelethonApi` adapts a
``telethon`` client to it. :func:`build_client` makes the Telethon client with an in-memory
``StringSession`` (no login key is written to disk) and takes its connection target from outside:
``REPOSTGUARD_TELEGRAM_DC`` (``DC:HOST:PORT``, e.g. ``2:127.0.0.1:8443``) overrides Telethon's
default data centre; tests point it at the local fake MTProto server (``tests/fakes/telegram_server.py``),
whose RSA key the tests themselves hand to Telethon (the product never adds a key, so pointed at
anything but Telegram the handshake fails). :func:`connect_telethon` builds and logs in.
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from repostguard.actions._base import DENIED, DONE, GONE, Call, Credentials, Platform, Result, StopRun, raw_records
from repostguard.errors import ExternalError, UserError
from repostguard.i18n import t
from repostguard.model import Item

if TYPE_CHECKING:
    from repostguard.store import Store

NAME = "telegram"
_ID = re.compile(r"^(-?\d+)/(\d+)$")
#: Telegram's FLOOD_WAIT up to this many seconds is waited out; longer ones stop the run
MAX_FLOOD_WAIT = 120


def parse_message_id(item: Item) -> tuple[int, int] | None:
    """``(chat_id, message_id)`` from a Telegram item's native id ``<chat>/<message>``."""
    m = _ID.match(item.native_id.strip())
    return (int(m.group(1)), int(m.group(2))) if m else None


def telegram_call(item: Item, action: str) -> Call | None:
    """The call deleting ``item`` (a message named ``<chat>/<message>``); None: done by hand."""
    ids = parse_message_id(item)
    if action != "delete" or ids is None:
        return None
    return Call("messages.delete", {"chat_id": ids[0], "message_id": ids[1]})


class TelegramApi(Protocol):
    """What the Telegram actioner needs from a client."""

    def me_id(self) -> int:
        """The logged-in account's user id."""
        ...

    def delete_messages(self, chat_id: int, message_ids: list[int]) -> int:
        """Delete for everyone; return how many messages the server says it deleted."""
        ...

    def existing_messages(self, chat_id: int, message_ids: list[int]) -> list[int]:
        """Those of ``message_ids`` that still exist in the chat."""
        ...


class TelegramActioner:
    """Deletes the person's messages in chats and channels (``messages.delete``)."""

    platform = NAME

    def __init__(self, api: TelegramApi) -> None:
        self.api = api

    def account_id(self) -> str:
        return str(self.api.me_id())

    def prepare(self, item: Item, action: str) -> Call | None:
        return telegram_call(item, action)

    def execute(self, call: Call) -> Result:
        chat, mid = int(call.params["chat_id"]), int(call.params["message_id"])
        n = self.api.delete_messages(chat, [mid])
        if n >= 1:
            return Result(DONE, {"deleted": n})
        if not self.exists(call):
            return Result(GONE, {"deleted": 0, "probe": "not found"})
        return Result(DENIED, {"deleted": 0, "probe": "still there"})

    def exists(self, call: Call) -> bool:
        chat, mid = int(call.params["chat_id"]), int(call.params["message_id"])
        return mid in self.api.existing_messages(chat, [mid])


class TelethonApi:
    """:class:`TelegramApi` over a connected, authorised ``telethon.sync.TelegramClient``."""

    def __init__(self, client: Any, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.client = client
        self.sleep = sleep
        self._entities: dict[int, Any] | None = None

    def _entity(self, chat_id: int) -> Any:
        if self._entities is None:
            self._entities = {}
            for d in self._guard(lambda: list(self.client.iter_dialogs()), sending=False):
                ent = getattr(d, "entity", None)
                if ent is not None and getattr(ent, "id", None) is not None:
                    self._entities[int(ent.id)] = ent
        key = abs(chat_id)
        if key > 10**12:  # a bot-API style -100… id
            key -= 10**12
        ent = self._entities.get(key)
        if ent is None:
            raise _Denied({"error": "chat not among your dialogs (left or deleted)"})
        return ent

    def _guard(self, fn: Callable[[], Any], *, sending: bool) -> Any:
        from telethon import errors

        def call() -> Any:
            try:
                return fn()
            except errors.MultiError as e:
                # a list request (Telethon sends deletions as one) wraps each error: unwrap ours
                inner = next((x for x in e.exceptions if x is not None), None)
                if inner is None:
                    raise
                raise inner from None

        for _attempt in range(3):
            try:
                return call()
            except errors.FloodWaitError as e:
                if e.seconds > MAX_FLOOD_WAIT:
                    raise StopRun("act_tg_flood_wait", answer={"flood_wait": e.seconds}, seconds=e.seconds) from None
                self.sleep(e.seconds + 1)
            except errors.UnauthorizedError as e:
                raise StopRun(
                    "act_tg_login_revoked",
                    answer={"error": type(e).__name__},
                ) from None
            except (errors.ForbiddenError, errors.BadRequestError) as e:
                raise _Denied({"error": type(e).__name__}) from None
            except (ConnectionError, OSError) as e:
                raise StopRun(
                    "act_tg_network",
                    answer={"network_error": type(e).__name__},
                    maybe_sent=sending,
                ) from None
        raise StopRun("act_tg_flood_repeated", answer={"flood_wait": "repeated"})

    def me_id(self) -> int:
        me = self._guard(self.client.get_me, sending=False)
        if me is None:  # Telethon answers None when the login is not (or no longer) valid
            raise StopRun(
                "act_tg_not_logged_in",
                answer={"error": "not authorised"},
            )
        return int(me.id)

    def delete_messages(self, chat_id: int, message_ids: list[int]) -> int:
        ent = self._entity(chat_id)
        res = self._guard(lambda: self.client.delete_messages(ent, message_ids, revoke=True), sending=True)
        items = res if isinstance(res, list) else [res]
        return sum(int(getattr(r, "pts_count", 0) or 0) for r in items)

    def existing_messages(self, chat_id: int, message_ids: list[int]) -> list[int]:
        ent = self._entity(chat_id)
        msgs = self._guard(lambda: self.client.get_messages(ent, ids=message_ids), sending=False)
        return [int(m.id) for m in (msgs or []) if m is not None]


class _Denied(Exception):
    def __init__(self, answer: dict[str, Any]) -> None:
        super().__init__(str(answer))
        self.answer = answer


class TelethonActioner(TelegramActioner):
    """The actioner over :class:`TelethonApi`: a refusal (``MESSAGE_ID_INVALID``,
    ``CHAT_ADMIN_REQUIRED``, ``MESSAGE_DELETE_FORBIDDEN``, a chat left) is ``gone`` if the
    message cannot be found any more, else ``denied``."""

    def execute(self, call: Call) -> Result:
        try:
            return super().execute(call)
        except _Denied as d:
            if not self.exists(call):
                return Result(GONE, {**d.answer, "probe": "not found"})
            return Result(DENIED, d.answer)

    def exists(self, call: Call) -> bool:
        try:
            return super().exists(call)
        except _Denied:
            return True  # cannot see it: never claim it is gone


def parse_dc(text: str) -> tuple[int, str, int]:
    """``"2:127.0.0.1:8443"`` -> ``(2, "127.0.0.1", 8443)`` (the value of ``REPOSTGUARD_TELEGRAM_DC``)."""
    dc, sep, rest = text.strip().partition(":")
    host, sep2, port = rest.rpartition(":")
    if not (sep and sep2 and dc.isdigit() and port.isdigit() and host):
        raise UserError("act_tg_bad_dc", env="REPOSTGUARD_TELEGRAM_DC", value=repr(text),
                        example="2:149.154.167.51:443")
    return int(dc), host.strip("[]"), int(port)


def build_client(
    api_id: int,
    api_hash: str,
    *,
    session: str = "",
    dc: str | None = None,
    connection: Any = None,
    proxy: Any = None,
    options: dict[str, Any] | None = None,
) -> Any:
    """A ``telethon.sync.TelegramClient`` on an in-memory ``StringSession`` (nothing written).

    ``dc`` (default ``REPOSTGUARD_TELEGRAM_DC``) replaces the data centre to connect to; ``options``
    are further ``TelegramClient`` keyword arguments (tests shorten the reconnection delays).
    Flood waits are never slept inside Telethon: they reach :class:`TelethonApi`, which decides.
    """
    from telethon.sessions import StringSession
    from telethon.sync import TelegramClient

    kwargs: dict[str, Any] = {"flood_sleep_threshold": 0, **(options or {})}
    if connection is not None:
        kwargs["connection"] = connection
    if proxy is not None:
        kwargs["proxy"] = proxy
    client = TelegramClient(StringSession(session), api_id, api_hash, **kwargs)
    target = dc if dc is not None else os.environ.get("REPOSTGUARD_TELEGRAM_DC")
    if target:
        client.session.set_dc(*parse_dc(target))
    return client


def connect_telethon(
    api_id: int,
    api_hash: str,
    *,
    session: str = "",
    phone: Callable[[], str],
    code: Callable[[], str],
    password: Callable[[], str],
    dc: str | None = None,
    connection: Any = None,
    proxy: Any = None,
    options: dict[str, Any] | None = None,
) -> Any:
    """Connect and log in with the person's own account (asking for the code only if the
    session is not signed in); the session lives in memory only."""
    client = build_client(
        api_id, api_hash, session=session, dc=dc, connection=connection, proxy=proxy, options=options
    )
    try:
        client.start(phone=phone, code_callback=code, password=password)
    except (ConnectionError, OSError):
        client.disconnect()
        raise ExternalError("act_tg_cannot_connect") from None
    return client


# -- the declaration ---------------------------------------------------------------------------------


def archive_owner(store: Store) -> str | None:
    """The Telegram account an export belongs to: the ``from_id`` of most of the person's own messages."""
    counts: Counter[str] = Counter()
    for rec in raw_records(store, NAME, "i.author='self'", limit=5000):
        fid = rec.get("from_id") if isinstance(rec, dict) else None
        if isinstance(fid, str) and fid.startswith("user") and fid[4:].isdigit():
            counts[fid[4:]] += 1
    return counts.most_common(1)[0][0] if counts else None


def connect(creds: Credentials) -> TelethonActioner | None:
    """Log in with the person's own API id (``REPOSTGUARD_TG_API_ID``/``…_HASH``, from
    my.telegram.org), asking for the phone, the code and the 2FA password in the terminal unless
    ``REPOSTGUARD_TG_SESSION`` holds a session; None without an API id (items go to the checklist)."""
    api_id, api_hash = creds.env("REPOSTGUARD_TG_API_ID"), creds.env("REPOSTGUARD_TG_API_HASH")
    if not api_id or not api_hash or not api_id.isdigit():
        creds.say(t("act_tg_no_api_id", id_env="REPOSTGUARD_TG_API_ID", hash_env="REPOSTGUARD_TG_API_HASH"))
        return None
    client = connect_telethon(
        int(api_id),
        api_hash,
        session=creds.env("REPOSTGUARD_TG_SESSION") or "",
        phone=lambda: creds.ask(t("act_tg_prompt_phone")),
        code=lambda: creds.ask(t("act_tg_prompt_code")),
        password=lambda: creds.ask(t("act_tg_prompt_password"), hidden=True, optional=True),
    )
    return TelethonActioner(TelethonApi(client))


#: what goes to the checklist on this platform, and why (for readers: ``route`` decides)
TELEGRAM_BY_HAND = (
    ("hide", "a message cannot be hidden, only deleted"),
    ("items that are not messages (the profile)", "no chat and message id to delete"),
    ("everything, when no API id is given", "deleting needs the person's own login"),
)
PLATFORM = Platform(name=NAME, label="Telegram", route=telegram_call, manual=TELEGRAM_BY_HAND, owner=archive_owner,
                    connect=connect, hosts=("t.me",), announce_account=False)

