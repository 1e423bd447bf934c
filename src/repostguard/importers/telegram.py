"""Telegram Desktop's JSON export (``result.json``): a full export or one chat.

Field by field as in shared/docs/formats.md §2. Checked against tdesktop's
``Telegram/SourceFiles/export/output/export_output_json.cpp`` (``SerializeString``,
``SerializeMessage``, ``writeDialogStart``) and tdesktop issue #27571: control characters inside
strings are written as ``\\xHH``, which is not JSON; the file is read through
:class:`~repostguard.importers._jsonstream.XEscapeReader`, which reads them as ``\\u00HH``. The
file is streamed with ijson event by event: one message is held in memory at a time, whatever
the size of the export. A forward's ``forwarded_from`` (the source's name; ``null`` when tdesktop
did not know it) becomes the item's ``reposted_from`` name, which the matchers check against the
lists; ``saved_from`` likewise.

Found inside any number of wrapper folders (``Telegram Desktop/DataExport_<date>/result.json``),
by the archive rule shared with every importer (:mod:`repostguard.importers._archive`). A
message that cannot be read (not an object, no numeric id) is skipped with a counted warning.

What is imported: the owner's own messages (``from_id == "user<personal_information.user_id>"``)
in every chat, and the posts of channels the owner created (a ``create_channel`` service message
whose actor is the owner). Messages of other people are not the person's history and are not
imported. In groups and channels a message is a ``post`` (a ``repost`` when it carries
``forwarded_from``); in personal chats, bots and Saved Messages it is a ``message``.

A one-chat export does not say whose it is: in a personal or bot chat the owner is whoever is not
the peer; a channel's posts are taken as the person's own (with a warning); in a group every
message is imported with author ``other`` (with a warning).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import ijson
from ijson.common import ObjectBuilder

from repostguard.errors import InputError, Notice
from repostguard.importers._archive import ExportArchive
from repostguard.importers._base import Importer
from repostguard.importers._jsonstream import (
    Skipped,
    avatar_item,
    d,
    json_error,
    lst,
    not_in_export,
    open_export,
    probe,
    profile_item,
    read_x_escapes,
    s,
    utc_iso,
)
from repostguard.model import Attachment, Item, Source

CHANNEL_TYPES = {"private_channel", "public_channel"}
GROUP_TYPES = {"private_group", "private_supergroup", "public_supergroup"}
DIRECT_TYPES = {"personal_chat", "bot_chat", "saved_messages", "replies"}
KNOWN_TYPES = CHANNEL_TYPES | GROUP_TYPES | DIRECT_TYPES
VISIBILITY = {
    "public_channel": "public",
    "public_supergroup": "public",
    "private_channel": "members",
    "private_group": "members",
    "private_supergroup": "members",
    "personal_chat": "private",
    "bot_chat": "private",
    "saved_messages": "private",
    "replies": "private",
}
MEDIA_TYPES = {
    "video_file": "video",
    "animation": "video",
    "video_message": "video",
    "audio_file": "audio",
    "voice_message": "audio",
    "sticker": "sticker",
}
CHAT_PREFIXES = ("chats.list.item", "left_chats.list.item")
MSG_LISTS = {"messages", "chats.list.item.messages", "left_chats.list.item.messages"}
MSG_PREFIXES = {
    "messages.item": "",
    "chats.list.item.messages.item": "chats.list.item",
    "left_chats.list.item.messages.item": "left_chats.list.item",
}


class _Chat:
    """What is known about the chat whose messages are being read."""

    def __init__(self, index: int, where: str) -> None:
        self.index = index
        self.where = where
        self.name: str | None = None
        self.type: str | None = None
        self.id: str | None = None
        self.username: str | None = None
        self.owned = False
        self.msg_index = -1
        self.warned_type = False
        self.assumed = False

    @property
    def message_where(self) -> str:
        return f"{self.where}messages[{self.msg_index}]"


class TelegramImporter(Importer):
    """Reads a Telegram Desktop JSON export (``result.json`` in a folder or ZIP, or the file)."""

    platform = "telegram"

    def __init__(self, path: Path, media_dir: Path | None = None) -> None:
        super().__init__(path, media_dir)
        self.archive: ExportArchive | None = None
        self.base = ""
        self.owner: str | None = None  # "user<id>"
        self.owner_name: str | None = None
        self._info: dict[str, Any] = {}
        self.full = False
        self._missing_media = 0
        self._unknown: Counter[str] = Counter()
        self._skipped = Skipped()

    # ------------------------------------------------------------------ detection and checks
    @classmethod
    def detect(cls, path: Path) -> bool:
        path = Path(path)
        if path.is_file() and path.name == "result.json":
            return True
        if not (path.is_dir() or path.is_file()):
            return False
        if probe(path, ["result.json"]):  # (inside any number of wrapper folders)
            return True
        # a folder holding several exports (Telegram Desktop/DataExport_<date>/…): the first is read
        if path.is_dir():
            for sub in sorted(path.iterdir())[:50]:
                if sub.is_dir() and sub.name.startswith("DataExport") and (sub / "result.json").is_file():
                    return True
        return False

    def _open(self) -> ExportArchive:
        if self.archive is None:
            arch = open_export(self.path)
            if arch.exists("result.json"):
                self.base = ""
            else:
                cands = sorted((n for n in arch.glob(suffix="/result.json")), key=lambda n: n.count("/"))
                if not cands or cands[0].count("/") > 2:
                    arch.close()
                    raise InputError(self.path, "err_tg_no_result")
                self.base = cands[0][: -len("result.json")]
            self.archive = arch
        return self.archive

    @property
    def _name(self) -> str:
        return self.base + "result.json"

    def verify(self) -> None:
        arch = self._open()
        disp = arch.display(self._name)
        with read_x_escapes(arch.open_bytes(self._name)) as fh:
            head = fh.read(8192).lstrip(b"\xef\xbb\xbf \t\r\n")
        if not head.startswith(b"{"):
            raise InputError(disp, "err_tg_result_not_object")
        if b'"personal_information"' in head or b'"chats"' in head:
            self.full = True
        elif b'"messages"' in head or (b'"type"' in head and b'"id"' in head):
            self.full = False
        else:
            raise InputError(disp, "err_tg_not_export")
        if self.full:
            with read_x_escapes(arch.open_bytes(self._name)) as fh:
                try:
                    info = next(ijson.items(fh, "personal_information", use_float=True), None)
                except (ijson.JSONError, UnicodeDecodeError) as e:
                    raise json_error(disp, e, "personal_information") from e
            uid = s(d(info).get("user_id"))
            if not uid:
                raise InputError(disp, "err_tg_no_user_id")
            self.owner = f"user{uid}"
            self._info = d(info)
            self.owner_name = " ".join(
                x for x in (s(d(info).get("first_name")), s(d(info).get("last_name"))) if x
            )

    # ------------------------------------------------------------------ streaming
    def iter_items(self) -> Iterator[Item]:
        if self.archive is None:
            self.verify()
        arch = self._open()
        disp = arch.display(self._name)
        if self.full:
            info = self._info
            user = s(info.get("username"))
            prof = profile_item(
                self.platform,
                [
                    ("first_name", "first_name", s(info.get("first_name"))),
                    ("last_name", "last_name", s(info.get("last_name"))),
                    ("phone", "phone_number", s(info.get("phone_number"))),
                    ("screen_name", "username", user),
                    ("bio", "bio", s(info.get("bio"))),
                ],
                url=f"https://t.me/{user.lstrip('@')}" if user else None,
                raw=info,
                source_file=disp,
            )
            if prof is not None:
                yield prof
            yield from self._avatars(arch, disp, f"https://t.me/{user.lstrip('@')}" if user else None)
        chat: _Chat | None = None
        chat_count = 0
        root_single: _Chat | None = None
        builder: ObjectBuilder | None = None
        depth = 0
        saw_messages = False
        fh = read_x_escapes(arch.open_bytes(self._name))
        try:
            events = ijson.parse(fh, use_float=True)
            where = "the start"
            try:
                for prefix, event, value in events:
                    if builder is not None:
                        builder.event(event, value)
                        if event in ("start_map", "start_array"):
                            depth += 1
                        elif event in ("end_map", "end_array"):
                            depth -= 1
                            if depth == 0:
                                msg = builder.value
                                builder = None
                                assert chat is not None
                                item = self._message(chat, msg, disp)
                                if item is not None:
                                    yield item
                        continue
                    if event == "start_map" and prefix in MSG_PREFIXES:
                        if chat is None or (MSG_PREFIXES[prefix] == "" and chat is not root_single):
                            root_single = chat = _Chat(0, "")
                        chat.msg_index += 1
                        where = f"{chat.where}messages[{chat.msg_index}]"
                        builder = ObjectBuilder()
                        builder.event(event, value)
                        depth = 1
                        saw_messages = True
                        continue
                    if prefix in MSG_PREFIXES and event in ("string", "number", "boolean", "null", "start_array"):
                        if chat is None or (MSG_PREFIXES[prefix] == "" and chat is not root_single):
                            root_single = chat = _Chat(0, "")
                        chat.msg_index += 1  # (a list's items come under another prefix: ignored)
                        self._skipped.add(disp, Notice("err_tg_message_not_object"), chat.message_where)
                        continue
                    if event == "start_map" and prefix in CHAT_PREFIXES:
                        lname = prefix.split(".", 1)[0]
                        chat = _Chat(chat_count, f"{lname}.list[{chat_count}].")
                        chat_count += 1
                        where = chat.where.rstrip(".")
                        continue
                    if prefix in MSG_LISTS:
                        if event not in ("start_array", "end_array", "end_map"):  # (a map's keys are
                            self._skipped.add(disp, Notice("err_tg_messages_not_list"), where)  # not messages)
                        continue
                    if event in ("string", "number"):
                        key = prefix.rsplit(".", 1)[-1]
                        if key not in ("name", "type", "id", "username"):
                            continue
                        if prefix.startswith(CHAT_PREFIXES) and prefix.count(".") == 3 and chat is not None:
                            setattr(chat, key, s(value))
                        elif not self.full and prefix == key:
                            if chat is None:
                                root_single = chat = _Chat(0, "")
                            setattr(chat, key, s(value))
            except (ijson.JSONError, UnicodeDecodeError) as e:
                raise json_error(disp, e, where) from e
        finally:
            fh.close()
        if not saw_messages and chat_count == 0:
            raise InputError(disp, "err_tg_empty")
        if self._missing_media:
            self.warn("err_media_missing", file=disp, n=self._missing_media)
        for what, n in sorted(self._unknown.items()):
            self.warn("err_tg_unknown_type", file=disp, n=n, type=what)
        for w in self._skipped.warnings():
            self.warn(w)

    # ------------------------------------------------------------------ one message
    def _message(self, chat: _Chat, msg: Any, disp: str) -> Item | None:
        where = f"{chat.where}messages[{chat.msg_index}]"
        if not isinstance(msg, dict):
            self._skipped.add(disp, Notice("err_tg_message_not_object"), where)
            return None
        mid = msg.get("id")
        if isinstance(mid, float) and mid.is_integer():
            mid = int(mid)
        if isinstance(mid, bool) or not isinstance(mid, (int, str)) or not str(mid).lstrip("-").isdigit():
            self._skipped.add(disp, Notice("err_tg_message_no_id"), where)
            return None
        mid = int(mid)
        mtype = msg.get("type")
        ctype = chat.type or ""
        if ctype and ctype not in KNOWN_TYPES and not chat.warned_type:
            self.warn("err_tg_unknown_chat_type", file=disp, type=ctype[:40], where=chat.where.rstrip("."))
            chat.warned_type = True
        if mtype == "service":
            if msg.get("action") == "create_channel" and (
                self.owner is None or _peer(msg.get("actor_id")) == self.owner
            ):
                chat.owned = True
            return None
        if mtype != "message":
            self._unknown[str(mtype)[:30]] += 1
            return None
        from_id = _peer(msg.get("from_id"))
        is_channel = ctype in CHANNEL_TYPES
        channel_ref = f"channel{chat.id}" if chat.id else None
        author: str | None
        if self.full:
            if from_id is not None and from_id == self.owner:
                author = "self"
            elif is_channel and chat.owned and (from_id is None or from_id == channel_ref):
                author = "self"
            else:
                return None  # someone else's message: not the person's history
        else:
            author = self._single_author(chat, from_id, channel_ref, disp)
        text, links = _flatten(msg.get("text"), msg.get("text_entities"))
        atts = [Attachment(type="link", url=u) for u in links]
        atts.extend(self._media(msg))
        source = None
        if "forwarded_from" in msg:
            source = Source(name=s(msg.get("forwarded_from")))
        elif s(msg.get("saved_from")):
            source = Source(name=s(msg.get("saved_from")))
        if ctype in DIRECT_TYPES:
            kind = "message"
        else:
            kind = "repost" if source is not None else "post"
        date = utc_iso(msg.get("date_unixtime"))
        assumed = False
        if date is None and s(msg.get("date")):
            date, assumed = s(msg.get("date")), True
        url = None
        if chat.id and mid:
            if chat.username:
                url = f"https://t.me/{chat.username.lstrip('@')}/{mid}"
            elif ctype in CHANNEL_TYPES or ctype in ("private_supergroup", "public_supergroup"):
                url = f"https://t.me/c/{chat.id}/{mid}"
        return Item(
            platform=self.platform,
            native_id=f"{chat.id or 'chat'}/{mid}",
            kind=kind,
            text=text,
            date=date,
            date_tz_assumed=assumed,
            author=author,
            attachments=atts,
            reposted_from=source,
            url=url,
            visibility=VISIBILITY.get(ctype),
            raw=msg,
            source_file=disp,
            pointer=where,
        )

    def _single_author(self, chat: _Chat, from_id: str | None, channel_ref: str | None, disp: str) -> str:
        ctype = chat.type or ""
        if ctype == "saved_messages":
            return "self"
        if ctype in ("personal_chat", "bot_chat"):
            return "other" if from_id == f"user{chat.id}" else "self"
        if ctype in CHANNEL_TYPES:
            if not chat.assumed:
                chat.assumed = True
                self.warn("err_tg_channel_assumed", file=disp, channel=chat.name or str(chat.id))
            return "self" if from_id is None or from_id == channel_ref else "other"
        if not chat.assumed:
            chat.assumed = True
            self.warn("err_tg_group_not_yours", file=disp)
        return "other"

    def _media(self, msg: dict[str, Any]) -> list[Attachment]:
        out: list[Attachment] = []
        photo = s(msg.get("photo"))
        if photo:
            out.append(self._file_att("photo", photo, {}))
        f = s(msg.get("file"))
        if f:
            mt = s(msg.get("media_type")) or ""
            typ = MEDIA_TYPES.get(mt, "file")
            att = self._file_att(typ, f, {k: msg[k] for k in ("mime_type", "media_type") if s(msg.get(k))})
            if typ == "audio":
                att.artist = s(msg.get("performer"))
                att.title = s(msg.get("title"))
            if typ == "sticker":
                att.title = s(msg.get("sticker_emoji"))
            dur = msg.get("duration_seconds")
            if isinstance(dur, (int, float)) and not isinstance(dur, bool):
                att.duration = int(dur)
            out.append(att)
        poll = msg.get("poll")
        if isinstance(poll, dict):
            answers = [s(d(a).get("text")) for a in lst(poll.get("answers"))]
            out.append(
                Attachment(
                    type="poll", title=s(poll.get("question")), extra={"answers": [a for a in answers if a]}
                )
            )
        loc = msg.get("location_information")
        if isinstance(loc, dict):
            out.append(
                Attachment(
                    type="geo",
                    title=s(msg.get("place_name")),
                    extra={k: loc[k] for k in ("latitude", "longitude") if k in loc},
                )
            )
        return out

    def _avatars(self, arch: ExportArchive, disp: str, url: str | None) -> Iterator[Item]:
        """Each of ``profile_pictures`` (before ``chats`` in the file: the reading stops there) as an item."""
        pics: list[dict[str, Any]] = []
        cur: dict[str, Any] = {}
        with read_x_escapes(arch.open_bytes(self._name)) as fh:
            try:
                for prefix, event, value in ijson.parse(fh, use_float=True):
                    if prefix == "" and event == "map_key" and value in ("chats", "left_chats"):
                        break
                    if prefix == "profile_pictures.item" and event == "start_map":
                        cur = {}
                    elif prefix.startswith("profile_pictures.item.") and event in ("string", "number"):
                        cur[prefix.rsplit(".", 1)[1]] = value
                    elif prefix == "profile_pictures.item" and event == "end_map":
                        pics.append(cur)
                    elif prefix == "profile_pictures" and event == "end_array":
                        break
            except (ijson.JSONError, UnicodeDecodeError):
                self.warn("err_tg_avatars_unread", file=disp)
                return
        for pic in pics:
            rel = s(pic.get("photo"))
            if not rel:
                continue
            att = self._file_att("photo", rel, {})
            yield avatar_item(self.platform, rel, att.path, date=utc_iso(pic.get("date_unixtime")), url=url,
                              source_file=disp)

    def _file_att(self, typ: str, rel: str, extra: dict[str, Any]) -> Attachment:
        if rel.startswith("("):  # "(File not included. …)" and similar placeholders
            return Attachment(type=typ, extra={**extra, "not_included": rel})
        parts = PurePosixPath(rel.replace("\\", "/")).parts
        if rel.startswith(("/", "\\")) or ".." in parts or (len(rel) > 1 and rel[1] == ":"):
            self.warn("err_unsafe_media_path", file=self.path, path=rel[:80])
            return Attachment(type=typ, extra={**extra, "file": rel})
        assert self.archive is not None
        name = self.base + "/".join(parts)
        p = self.archive.media_path(name, self.media_dir)
        if p is None:
            self._missing_media += not_in_export(self.archive, name)
            return Attachment(type=typ, extra={**extra, "file": rel})
        return Attachment(type=typ, path=str(p.resolve()), extra=extra)


def _peer(v: Any) -> str | None:
    """A ``from_id``/``actor_id`` as ``user<id>``/``channel<id>``; old exports wrote a bare number
    for users."""
    p = s(v)
    return f"user{p}" if p is not None and p.isdigit() else p


def _flatten(text: Any, entities: Any) -> tuple[str, list[str]]:
    """The message text as one string, and the URLs of its link entities."""
    parts: list[str] = []
    links: list[str] = []
    if isinstance(text, str):
        parts.append(text)
    elif isinstance(text, list):
        for p in text:
            if isinstance(p, str):
                parts.append(p)
            elif isinstance(p, dict):
                parts.append(s(p.get("text")) or "")
    ents = entities if isinstance(entities, list) else (text if isinstance(text, list) else [])
    for e in ents:
        if not isinstance(e, dict):
            continue
        if e.get("type") == "link" and s(e.get("text")):
            links.append(str(e["text"]))
        elif e.get("type") == "text_link" and s(e.get("href")):
            links.append(str(e["href"]))
    return "".join(parts), list(dict.fromkeys(links))
