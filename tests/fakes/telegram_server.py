"""A local fake Telegram data centre (127.0.0.1, random port) that the real Telethon client talks to.

It speaks MTProto 2.0 over the "full" TCP transport (Telethon's default): the plain-text auth-key
exchange (``req_pq_multi``, ``req_DH_params``, ``set_client_DH_params``) with its own RSA key pair
(the test hands the public half to Telethon, see :func:`trust_key`), then encrypted messages.
Everything on the wire is built with Telethon's own pieces: its TL classes serialise and parse
every object, ``AES`` does AES-IGE, ``AuthKey`` and ``MTProtoState._calc_key`` derive the keys;
RSA is done with ``cryptography``. Nothing is hand-serialised except the fixed MTProto envelopes
(``rpc_result``, vectors, the message header), which TL has no class for.

It answers the RPCs a login and a clean-up use: ``invokeWithLayer``/``initConnection`` around
``help.getConfig``, ``users.getUsers``, ``updates.getState``/``getDifference``,
``auth.sendCode``/``auth.signIn``, ``messages.getDialogs``, ``messages.getMessages``,
``channels.getMessages``, ``messages.deleteMessages`` and ``channels.deleteMessages``, plus the
service messages (acks, pings, containers, gzip). Unknown methods get an RPC error and are
recorded in ``FakeTelegramState.unknown`` so a test can fail on them.

Errors, like the real server's: ``FLOOD_WAIT_X`` (420) and dropped connections after a deletion
was carried out, at points drawn from a seeded generator; ``AUTH_KEY_UNREGISTERED`` (401) for a
key that never signed in and ``SESSION_REVOKED`` (401) once the login is revoked;
``CHAT_ADMIN_REQUIRED`` (400) in a broadcast channel where the person is not an admin;
``MESSAGE_DELETE_FORBIDDEN`` (403) for messages marked as such; for a message that is already
gone ``messages.deleteMessages`` answers ``pts_count = 0`` (as Telegram does) and
``channels.deleteMessages`` answers ``MESSAGE_ID_INVALID`` (400). Every deletion is counted per
message so a test can check that nothing was deleted twice and nothing was skipped.
"""

from __future__ import annotations

import asyncio
import os
import random
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from hashlib import sha1, sha256
from typing import Any
from zlib import crc32

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa as crsa
from telethon import functions, helpers, types
from telethon.crypto import AES, AuthKey
from telethon.crypto import rsa as trsa
from telethon.extensions import BinaryReader
from telethon.network.mtprotostate import MTProtoState
from telethon.sessions import StringSession
from telethon.tl.core import GzipPacked, MessageContainer, TLMessage
from telethon.tl.tlobject import TLObject

#: Telegram's published 2048-bit DH prime (the one Telethon's ``password.check_prime_and_good`` knows)
DH_PRIME = int(
    "c71caeb9c6b1c9048e6c522f70f13f73980d40238e3e21c14934d037563d930f48198a0aa7c14058229493d22530f4dbfa"
    "336f6e0ac925139543aed44cce7c3720fd51f69458705ac68cd4fe6b6b13abdc9746512969328454f18faf8c595f642477fe"
    "96bb2a941d5bcd1d4ac8cc49880708fa9b378e3c4f3a9060bee67cf9a4a4a695811051907e162753b56b0f6b410dba74d8a8"
    "4b2a14b3144e0ef1284754fd17ed950d5965b4b9dd46582db1178d169c6bc465b0d6ff9ca3928fef5b9ae4e418fc15e83ebe"
    "a0f87fa9ff5eed70050ded2849f47bf959d956850ce929851f0d8115f635b105ee2e4e15d04b2454bf6f4fadf034b1040311"
    "9cd8e3b92fcc5b",
    16,
)
DH_G = 3
#: the pq of Telegram's own documentation example (two 31-bit primes): quick for Telethon to factor
PQ_P, PQ_Q = 1229739323, 1402015859
DC_ID = 2

_RPC_RESULT = 0xF35C6D01
_VECTOR = 0x1CB5C415
_BOOL_TRUE = 0x997275B5


@dataclass
class FakeChat:
    """A dialog of the account: ``kind`` is ``user`` (a private chat), ``chat`` or ``channel``."""

    id: int
    kind: str
    title: str
    access_hash: int = 0
    broadcast: bool = False  # a broadcast channel (else a supergroup) for kind == "channel"
    admin: bool = True  # may the account delete its messages there ("for everyone")
    in_dialogs: bool = True  # False: the person left it; it is not among the dialogs


@dataclass
class FakeTelegramState:
    """The account, its chats and messages, error rates, and counters of the fake."""

    me_id: int = 4242
    me_access_hash: int = 0x5EED
    phone: str = "+70000000000"
    login_code: str = "24680"
    chats: dict[int, FakeChat] = field(default_factory=dict)
    # (chat id, message id) -> alive; message ids of users and basic chats share one numbering
    messages: dict[tuple[int, int], bool] = field(default_factory=dict)
    forbidden: set[tuple[int, int]] = field(default_factory=set)  # deleting answers MESSAGE_DELETE_FORBIDDEN
    flood_rate: float = 0.0  # probability of FLOOD_WAIT_<flood_seconds> per deletion request
    flood_seconds: int = 3
    long_flood_rate: float = 0.0  # probability of FLOOD_WAIT_<long_flood_seconds>
    long_flood_seconds: int = 3600
    drop_rate: float = 0.0  # probability of dropping the connection after carrying out a deletion
    revoke_after: int | None = None  # revoke every login after this many successful deletions
    offline_after: int | None = None  # after this many deletions: carry it out, then go offline
    seed: int = 0
    # counters
    deletions: dict[tuple[int, int], int] = field(default_factory=dict)
    redundant: list[tuple[int, int]] = field(default_factory=list)  # deletion requests for gone messages
    calls: list[str] = field(default_factory=list)  # RPC names, unwrapped
    unknown: list[str] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    drops: int = 0
    codes_sent: list[str] = field(default_factory=list)
    handshakes: int = 0
    pts: int = 100

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.lock = threading.Lock()
        self.auth_keys: dict[int, AuthKey] = {}  # key id -> key
        self.authorized: dict[int, int] = {}  # key id -> user id
        self.revoked: set[int] = set()
        self._code_hashes: dict[str, str] = {}

    # -- helpers for tests ---------------------------------------------------------------------

    def add_chat(self, chat: FakeChat, message_ids: list[int]) -> None:
        """Add a chat with the account's own messages ``message_ids`` in it."""
        if not chat.access_hash:
            chat.access_hash = (chat.id * 7919 + 13) & 0x7FFFFFFFFFFFFFFF
        self.chats[chat.id] = chat
        for mid in message_ids:
            self.messages[(chat.id, mid)] = True

    def total_deletions(self) -> int:
        with self.lock:
            return sum(self.deletions.values())

    def issue_session(self, port: int) -> str:
        """A signed-in ``StringSession`` for this fake (as if the person had logged in before)."""
        key = AuthKey(os.urandom(256))
        with self.lock:
            self.auth_keys[key.key_id] = key
            self.authorized[key.key_id] = self.me_id
        ss = StringSession()
        ss.set_dc(DC_ID, "127.0.0.1", port)
        ss.auth_key = key
        return str(ss.save())

    def revoke_all(self) -> None:
        with self.lock:
            self.revoked.update(self.authorized)

    # -- model ---------------------------------------------------------------------------------

    def _count(self, name: str) -> None:
        self.errors[name] = self.errors.get(name, 0) + 1

    def me(self) -> types.User:
        return types.User(
            id=self.me_id,
            is_self=True,
            access_hash=self.me_access_hash,
            first_name="Тест",
            last_name="Тестов",
            phone=self.phone.lstrip("+"),
        )

    def peer(self, chat: FakeChat) -> Any:
        if chat.kind == "user":
            return types.PeerUser(chat.id)
        if chat.kind == "chat":
            return types.PeerChat(chat.id)
        return types.PeerChannel(chat.id)

    def entity(self, chat: FakeChat) -> Any:
        now = datetime.now(UTC)
        if chat.kind == "user":
            return types.User(id=chat.id, access_hash=chat.access_hash, first_name=chat.title)
        if chat.kind == "chat":
            return types.Chat(
                id=chat.id, title=chat.title, photo=types.ChatPhotoEmpty(), participants_count=3, date=now, version=1
            )
        return types.Channel(
            id=chat.id,
            title=chat.title,
            photo=types.ChatPhotoEmpty(),
            date=now,
            access_hash=chat.access_hash,
            broadcast=chat.broadcast or None,
            megagroup=(not chat.broadcast) or None,
        )

    def message(self, chat: FakeChat, mid: int) -> Any:
        if not self.messages.get((chat.id, mid)):
            return types.MessageEmpty(id=mid, peer_id=self.peer(chat))
        return types.Message(
            id=mid,
            peer_id=self.peer(chat),
            date=datetime(2024, 1, 1, tzinfo=UTC),
            message=f"сообщение {mid}",
            out=True,
            from_id=None if chat.kind == "user" else types.PeerUser(self.me_id),
        )

    def users_and_chats(self, chats: list[FakeChat]) -> tuple[list[Any], list[Any]]:
        users = [self.me()] + [self.entity(c) for c in chats if c.kind == "user"]
        return users, [self.entity(c) for c in chats if c.kind != "user"]

    def find_plain(self, mid: int) -> FakeChat | None:
        for (cid, m), _alive in self.messages.items():
            if m == mid and self.chats[cid].kind != "channel":
                return self.chats[cid]
        return None

    def state(self) -> types.updates.State:
        return types.updates.State(pts=self.pts, qts=0, date=datetime.now(UTC), seq=1, unread_count=0)


class RpcFailure(Exception):
    """An RPC error answer (``rpc_error``) of the fake."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"{code} {message}")
        self.code, self.message = code, message


class _Drop(Exception):
    """Close the connection without answering (the request was carried out)."""


class _GoOffline(_Drop):
    """Like :class:`_Drop`, and stop listening too: the network is gone until ``come_back``."""


def _vector(items: list[Any]) -> bytes:
    return struct.pack("<Ii", _VECTOR, len(items)) + b"".join(bytes(x) for x in items)


def _unwrap(req: Any) -> Any:
    while isinstance(
        req,
        (
            functions.InvokeWithLayerRequest,
            functions.InitConnectionRequest,
            functions.InvokeWithoutUpdatesRequest,
            functions.InvokeAfterMsgRequest,
        ),
    ):
        req = req.query
    return req


def _input_channel(state: FakeTelegramState, ic: Any) -> FakeChat:
    cid = getattr(ic, "channel_id", None)
    chat = state.chats.get(cid) if cid is not None else None
    if chat is None or chat.kind != "channel" or getattr(ic, "access_hash", None) != chat.access_hash:
        raise RpcFailure(400, "CHANNEL_INVALID")
    if not chat.in_dialogs:
        raise RpcFailure(400, "CHANNEL_PRIVATE")
    return chat


def _delete_faults(state: FakeTelegramState) -> None:
    if state.long_flood_rate and state.rng.random() < state.long_flood_rate:
        state._count("FLOOD_WAIT_LONG")
        raise RpcFailure(420, f"FLOOD_WAIT_{state.long_flood_seconds}")
    if state.flood_rate and state.rng.random() < state.flood_rate:
        state._count("FLOOD_WAIT")
        raise RpcFailure(420, f"FLOOD_WAIT_{state.flood_seconds}")


def _carry_out(state: FakeTelegramState, key: tuple[int, int]) -> int:
    state.messages[key] = False
    state.deletions[key] = state.deletions.get(key, 0) + 1
    state.pts += 1
    if state.revoke_after is not None and sum(state.deletions.values()) >= state.revoke_after:
        state.revoked.update(state.authorized)
    return 1


def answer(state: FakeTelegramState, key_id: int, req: Any, port: int) -> bytes:
    """The serialised result of one (unwrapped) RPC; raises RpcFailure or _Drop."""
    name = type(req).__module__.rsplit(".", 1)[-1] + "." + type(req).__name__
    with state.lock:
        state.calls.append(name)
        if isinstance(req, functions.help.GetConfigRequest):
            return bytes(_config(port))
        if isinstance(req, functions.auth.SendCodeRequest):
            phone = req.phone_number.lstrip("+")
            state.codes_sent.append(phone)
            code_hash = os.urandom(8).hex()
            state._code_hashes[phone] = code_hash
            return bytes(
                types.auth.SentCode(
                    type=types.auth.SentCodeTypeApp(length=len(state.login_code)), phone_code_hash=code_hash
                )
            )
        if isinstance(req, functions.auth.SignInRequest):
            phone = req.phone_number.lstrip("+")
            if phone != state.phone.lstrip("+"):
                raise RpcFailure(400, "PHONE_NUMBER_INVALID")
            if state._code_hashes.get(phone) != req.phone_code_hash:
                raise RpcFailure(400, "PHONE_CODE_EXPIRED")
            if req.phone_code != state.login_code:
                raise RpcFailure(400, "PHONE_CODE_INVALID")
            state.authorized[key_id] = state.me_id
            state.revoked.discard(key_id)
            return bytes(types.auth.Authorization(user=state.me()))
        # everything below needs a signed-in key
        if key_id in state.revoked:
            raise RpcFailure(401, "SESSION_REVOKED")
        if key_id not in state.authorized:
            raise RpcFailure(401, "AUTH_KEY_UNREGISTERED")
        if isinstance(req, functions.users.GetUsersRequest):
            return _vector([state.me() for _ in req.id])
        if isinstance(req, functions.updates.GetStateRequest):
            return bytes(state.state())
        if isinstance(req, functions.updates.GetDifferenceRequest):
            return bytes(types.updates.Difference([], [], [], [], [], state.state()))
        if isinstance(req, functions.updates.GetChannelDifferenceRequest):
            return bytes(types.updates.ChannelDifferenceEmpty(pts=state.pts, final=True, timeout=300))
        if isinstance(req, functions.messages.GetDialogsRequest):
            chats = [c for c in state.chats.values() if c.in_dialogs]
            dialogs, top = [], []
            for c in chats:
                alive = [m for (cid, m), ok in state.messages.items() if cid == c.id and ok] or [1]
                top.append(state.message(c, max(alive)))
                dialogs.append(
                    types.Dialog(
                        peer=state.peer(c),
                        top_message=max(alive),
                        read_inbox_max_id=0,
                        read_outbox_max_id=0,
                        unread_count=0,
                        unread_mentions_count=0,
                        unread_reactions_count=0,
                        unread_poll_votes_count=0,
                        notify_settings=types.PeerNotifySettings(),
                        pts=state.pts if c.kind == "channel" else None,
                    )
                )
            users, chat_objs = state.users_and_chats(chats)
            return bytes(types.messages.Dialogs(dialogs=dialogs, messages=top, chats=chat_objs, users=users))
        if isinstance(req, functions.messages.GetMessagesRequest):
            msgs = []
            for im in req.id:
                mid = getattr(im, "id", 0)
                chat = state.find_plain(mid)
                msgs.append(state.message(chat, mid) if chat else types.MessageEmpty(id=mid))
            users, chat_objs = state.users_and_chats([c for c in state.chats.values() if c.kind != "channel"])
            return bytes(types.messages.Messages(messages=msgs, topics=[], chats=chat_objs, users=users))
        if isinstance(req, functions.channels.GetMessagesRequest):
            chat = _input_channel(state, req.channel)
            msgs = [state.message(chat, getattr(im, "id", 0)) for im in req.id]
            users, chat_objs = state.users_and_chats([chat])
            return bytes(
                types.messages.ChannelMessages(
                    pts=state.pts, count=len(msgs), messages=msgs, topics=[], chats=chat_objs, users=users
                )
            )
        if isinstance(req, functions.messages.DeleteMessagesRequest):
            _delete_faults(state)
            n = 0
            for mid in req.id:
                chat = state.find_plain(mid)
                if chat is None:
                    continue  # Telegram ignores ids it does not know
                key = (chat.id, mid)
                if key in state.forbidden:
                    raise RpcFailure(403, "MESSAGE_DELETE_FORBIDDEN")
                if not state.messages[key]:
                    state.redundant.append(key)
                    continue
                n += _carry_out(state, key)
            return _affected(state, n)
        if isinstance(req, functions.channels.DeleteMessagesRequest):
            chat = _input_channel(state, req.channel)
            _delete_faults(state)
            if chat.broadcast and not chat.admin:
                raise RpcFailure(400, "CHAT_ADMIN_REQUIRED")
            n = 0
            for mid in req.id:
                key = (chat.id, mid)
                if key in state.forbidden:
                    raise RpcFailure(403, "MESSAGE_DELETE_FORBIDDEN")
                if not state.messages.get(key):
                    state.redundant.append(key)
                    raise RpcFailure(400, "MESSAGE_ID_INVALID")
                n += _carry_out(state, key)
            return _affected(state, n)
        state.unknown.append(name)
        raise RpcFailure(400, "METHOD_NOT_IN_FAKE")


def _affected(state: FakeTelegramState, n: int) -> bytes:
    out = bytes(types.messages.AffectedMessages(pts=state.pts, pts_count=n))
    if n and state.offline_after is not None and sum(state.deletions.values()) >= state.offline_after:
        state.offline_after = None
        state.drops += 1
        raise _GoOffline()
    if n and state.drop_rate and state.rng.random() < state.drop_rate:
        state.drops += 1
        raise _Drop()
    return out


def _config(port: int) -> types.Config:
    now = datetime.now(UTC)
    return types.Config(
        date=now,
        expires=datetime.fromtimestamp(now.timestamp() + 3600, UTC),
        test_mode=False,
        this_dc=DC_ID,
        dc_options=[types.DcOption(id=DC_ID, ip_address="127.0.0.1", port=port)],
        dc_txt_domain_name="localhost",
        chat_size_max=200,
        megagroup_size_max=200000,
        forwarded_count_max=100,
        online_update_period_ms=210000,
        offline_blur_timeout_ms=5000,
        offline_idle_timeout_ms=30000,
        online_cloud_timeout_ms=300000,
        notify_cloud_delay_ms=30000,
        notify_default_delay_ms=1500,
        push_chat_period_ms=60000,
        push_chat_limit=2,
        edit_time_limit=172800,
        revoke_time_limit=2147483647,
        revoke_pm_time_limit=2147483647,
        rating_e_decay=2419200,
        stickers_recent_limit=200,
        channels_read_media_period=604800,
        call_receive_timeout_ms=20000,
        call_ring_timeout_ms=90000,
        call_connect_timeout_ms=30000,
        call_packet_timeout_ms=10000,
        me_url_prefix="https://t.me/",
        caption_length_max=1024,
        message_length_max=4096,
        webfile_dc_id=DC_ID,
    )


class _Keys:
    """The fake's RSA key pair (``cryptography``) and its Telegram fingerprint."""

    def __init__(self) -> None:
        self.private = crsa.generate_private_key(public_exponent=65537, key_size=2048)
        nums = self.private.private_numbers()
        self.n, self.d = nums.public_numbers.n, nums.d
        self.public_pem = (
            self.private.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)
            .decode()
        )
        n = TLObject.serialize_bytes(trsa.get_byte_array(self.n))
        e = TLObject.serialize_bytes(trsa.get_byte_array(nums.public_numbers.e))
        self.fingerprint = struct.unpack("<q", sha1(n + e).digest()[-8:])[0]

    def decrypt(self, block: bytes) -> bytes:
        """Raw RSA (no padding), as Telegram's ``req_DH_params`` uses it."""
        return pow(int.from_bytes(block, "big"), self.d, self.n).to_bytes(256, "big")


def trust_key(public_pem: str) -> int:
    """Make Telethon (in this process) accept the fake's RSA key; returns its fingerprint.

    Test-only: the product never adds keys. The fake lists only its own fingerprint, so the client
    never uses this key for anything but the fake.
    """
    import rsa as pyrsa  # Telethon's own RSA dependency, to compute the fingerprint as it does

    trsa.add_key(public_pem, old=False)
    return int(trsa._compute_fingerprint(pyrsa.PublicKey.load_pkcs1(public_pem.encode())))


def untrust_key(fingerprint: int) -> None:
    """Remove a key added by :func:`trust_key`."""
    trsa._server_keys.pop(fingerprint, None)


class _MsgIds:
    """Server message ids: time-based, strictly increasing, odd (1 mod 4 for answers)."""

    def __init__(self) -> None:
        self.last = 0

    def next(self) -> int:
        now = time.time()
        mid = (int(now) << 32) | ((int((now % 1) * 2**32)) & ~3) | 1
        if mid <= self.last:
            mid = self.last + 4
        self.last = mid
        return mid


class _Conn:
    """One TCP connection: the full transport, the handshake, then encrypted messages."""

    def __init__(self, srv: FakeTelegramServer, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.srv, self.state = srv, srv.state
        self.reader, self.writer = reader, writer
        self.send_seq = 0
        self.ids = _MsgIds()
        self.hs: dict[str, Any] = {}
        self.out_seq = 0

    # -- transport -----------------------------------------------------------------------------

    async def read_packet(self) -> bytes:
        head = await self.reader.readexactly(8)
        length, _seq = struct.unpack("<ii", head)
        rest = await self.reader.readexactly(length - 8)
        body, crc = rest[:-4], struct.unpack("<I", rest[-4:])[0]
        if crc32(head + body) != crc:
            raise ConnectionError("bad crc")
        return body

    def write_packet(self, data: bytes) -> None:
        packet = struct.pack("<ii", len(data) + 12, self.send_seq) + data
        self.send_seq += 1
        self.writer.write(packet + struct.pack("<I", crc32(packet)))

    async def run(self) -> None:
        try:
            while True:
                body = await self.read_packet()
                key_id = struct.unpack("<Q", body[:8])[0]
                if key_id == 0:
                    self.plain(body)
                else:
                    self.encrypted(key_id, body)
                await self.writer.drain()
        except _GoOffline:
            await self.srv._close(True)
        except _Drop:
            self.writer.transport.abort()
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            pass
        finally:
            self.writer.close()

    # -- auth-key exchange ---------------------------------------------------------------------

    def plain(self, body: bytes) -> None:
        with BinaryReader(body[8:]) as r:
            r.read_long()  # msg_id
            r.read_int()  # length
            req = r.tgread_object()
        keys = self.srv.keys
        if isinstance(req, functions.ReqPqMultiRequest):
            self.hs = {"nonce": req.nonce, "server_nonce": int.from_bytes(os.urandom(16), "big", signed=True)}
            out: Any = types.ResPQ(
                nonce=req.nonce,
                server_nonce=self.hs["server_nonce"],
                pq=trsa.get_byte_array(PQ_P * PQ_Q),
                server_public_key_fingerprints=[keys.fingerprint],
            )
        elif isinstance(req, functions.ReqDHParamsRequest):
            if req.public_key_fingerprint != keys.fingerprint or req.nonce != self.hs.get("nonce"):
                raise ConnectionError("handshake: wrong key or nonce")
            plain = keys.decrypt(req.encrypted_data)[1:]  # 255 bytes: sha1 + data + padding
            with BinaryReader(plain[20:]) as r:
                inner = r.tgread_object()
                used = r.tell_position()
            if sha1(plain[20 : 20 + used]).digest() != plain[:20] or not isinstance(inner, types.PQInnerData):
                raise ConnectionError("handshake: bad inner data")
            if {int.from_bytes(inner.p, "big"), int.from_bytes(inner.q, "big")} != {PQ_P, PQ_Q}:
                raise ConnectionError("handshake: wrong factors")
            a = int.from_bytes(os.urandom(256), "big")
            self.hs.update(new_nonce=inner.new_nonce, a=a)
            g_a = pow(DH_G, a, DH_PRIME)
            dh_inner = bytes(
                types.ServerDHInnerData(
                    nonce=req.nonce,
                    server_nonce=self.hs["server_nonce"],
                    g=DH_G,
                    dh_prime=DH_PRIME.to_bytes(256, "big"),
                    g_a=g_a.to_bytes(256, "big"),
                    server_time=int(time.time()),
                )
            )
            key, iv = helpers.generate_key_data_from_nonce(self.hs["server_nonce"], inner.new_nonce)
            self.hs.update(tmp_key=key, tmp_iv=iv)
            out = types.ServerDHParamsOk(
                nonce=req.nonce,
                server_nonce=self.hs["server_nonce"],
                encrypted_answer=AES.encrypt_ige(sha1(dh_inner).digest() + dh_inner, key, iv),
            )
        elif isinstance(req, functions.SetClientDHParamsRequest):
            plain = AES.decrypt_ige(req.encrypted_data, self.hs["tmp_key"], self.hs["tmp_iv"])
            with BinaryReader(plain[20:]) as r:
                client_inner = r.tgread_object()
            assert isinstance(client_inner, types.ClientDHInnerData)
            g_b = int.from_bytes(client_inner.g_b, "big")
            auth_key = AuthKey(trsa.get_byte_array(pow(g_b, self.hs["a"], DH_PRIME)))
            with self.state.lock:
                self.state.auth_keys[auth_key.key_id] = auth_key
                self.state.handshakes += 1
            out = types.DhGenOk(
                nonce=req.nonce,
                server_nonce=self.hs["server_nonce"],
                new_nonce_hash1=auth_key.calc_new_nonce_hash(self.hs["new_nonce"], 1),
            )
        else:
            raise ConnectionError(f"unexpected plain message {type(req).__name__}")
        data = bytes(out)
        self.write_packet(struct.pack("<qqi", 0, self.ids.next(), len(data)) + data)

    # -- encrypted messages --------------------------------------------------------------------

    def encrypted(self, key_id: int, body: bytes) -> None:
        with self.state.lock:
            auth_key = self.state.auth_keys.get(key_id)
        if auth_key is None:
            self.write_packet(struct.pack("<i", -404))  # the transport error Telegram sends for it
            raise ConnectionError("unknown auth key")
        msg_key = body[8:24]
        aes_key, aes_iv = MTProtoState._calc_key(auth_key.key, msg_key, True)
        plain = AES.decrypt_ige(body[24:], aes_key, aes_iv)
        if sha256(auth_key.key[88:120] + plain).digest()[8:24] != msg_key:
            raise ConnectionError("bad msg_key")
        with BinaryReader(plain) as r:
            salt = r.read_long()
            session_id = r.read_long()
            msg_id = r.read_long()
            r.read_int()  # seq_no
            r.read_int()  # length
            obj = r.tgread_object()
        out: list[tuple[bytes, bool]] = []
        try:
            self.handle(auth_key, TLMessage(msg_id, 0, obj), out)
        finally:
            # answer what was decided, then drop if asked (the drop comes after the work was done)
            for data, related in out:
                self.send_encrypted(auth_key, salt, session_id, data, related)

    def handle(self, auth_key: AuthKey, msg: TLMessage, out: list[tuple[bytes, bool]]) -> None:
        obj = msg.obj
        if isinstance(obj, MessageContainer):
            for inner in obj.messages:
                self.handle(auth_key, inner, out)
            return
        if isinstance(obj, GzipPacked):
            with BinaryReader(obj.data) as r:
                self.handle(auth_key, TLMessage(msg.msg_id, msg.seq_no, r.tgread_object()), out)
            return
        if isinstance(obj, types.MsgsAck):
            return
        if isinstance(obj, (functions.PingRequest, functions.PingDelayDisconnectRequest)):
            out.append((bytes(types.Pong(msg_id=msg.msg_id, ping_id=obj.ping_id)), False))
            return
        if isinstance(obj, (types.MsgsStateReq, types.MsgResendReq, functions.DestroySessionRequest)):
            return
        req = _unwrap(obj)
        head = struct.pack("<Iq", _RPC_RESULT, msg.msg_id)
        try:
            result = answer(self.state, auth_key.key_id, req, self.srv.port)
        except RpcFailure as e:
            with self.state.lock:
                self.state._count(e.message)
            out.append((head + bytes(types.RpcError(error_code=e.code, error_message=e.message)), True))
            return
        except _Drop:
            raise
        except Exception as e:  # a bug of the fake: answer an error rather than loop on reconnects
            with self.state.lock:
                self.state.unknown.append(f"fake error: {type(req).__name__}: {e!r}")
            out.append((head + bytes(types.RpcError(error_code=400, error_message="FAKE_SERVER_ERROR")), True))
            return
        out.append((head + result, True))

    def send_encrypted(self, auth_key: AuthKey, salt: int, session_id: int, data: bytes, related: bool) -> None:
        seq = self.out_seq * 2 + 1 if related else self.out_seq * 2
        if related:
            self.out_seq += 1
        payload = struct.pack("<qqqii", salt, session_id, self.ids.next(), seq, len(data)) + data
        payload += os.urandom(-(len(payload) + 12) % 16 + 12)
        msg_key = sha256(auth_key.key[96:128] + payload).digest()[8:24]
        aes_key, aes_iv = MTProtoState._calc_key(auth_key.key, msg_key, False)
        self.write_packet(struct.pack("<Q", auth_key.key_id) + msg_key + AES.encrypt_ige(payload, aes_key, aes_iv))


class FakeTelegramServer:
    """The fake data centre: an asyncio TCP server on its own thread; ``dc`` is ``2:127.0.0.1:PORT``."""

    def __init__(self, state: FakeTelegramState) -> None:
        self.state = state
        self.keys = _Keys()
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.base_events.Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._conns: set[asyncio.StreamWriter] = set()

    @property
    def dc(self) -> str:
        return f"{DC_ID}:127.0.0.1:{self.port}"

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._conns.add(writer)
        try:
            await _Conn(self, reader, writer).run()
        finally:
            self._conns.discard(writer)

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", self.port or 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _close(self, drop_clients: bool) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        if drop_clients:
            for w in list(self._conns):
                w.transport.abort()

    def start(self) -> None:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._listen(), self._loop).result(10)

    def go_offline(self) -> None:
        """Stop listening and cut every connection (network loss until :meth:`come_back`)."""
        asyncio.run_coroutine_threadsafe(self._close(True), self._loop).result(10)

    def come_back(self) -> None:
        asyncio.run_coroutine_threadsafe(self._listen(), self._loop).result(10)

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._close(True), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()


@contextmanager
def serve(state: FakeTelegramState, *, trust: bool = True) -> Iterator[FakeTelegramServer]:
    """Run the fake on 127.0.0.1 at a random port; with ``trust`` Telethon here accepts its key."""
    srv = FakeTelegramServer(state)
    srv.start()
    fp = trust_key(srv.keys.public_pem) if trust else None
    try:
        yield srv
    finally:
        if fp is not None:
            untrust_key(fp)
        srv.stop()
