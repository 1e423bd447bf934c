"""The unified data model every stage shares: items (what importers produce) and findings.

An :class:`Item` is one thing in a person's history (a post, a repost, a comment, a like, a
photo, an audio or video record, a message), whatever platform it came from. Importers turn
raw export records into items and keep the raw record next to each one. Matchers read items
and produce :class:`Finding` objects; they never change items.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

KINDS = ("post", "repost", "comment", "like", "photo", "audio", "video", "message", "profile",
         "bookmark", "subscription", "page", "screenshot", "avatar")
#: the kinds of item a person may say they are about to make in a check before posting
CHECK_KINDS = ("post", "repost", "comment", "message")
#: ``Item.visibility`` values: who can see the item. ``archived`` is a post hidden by the owner
#: (VK «Архив записей»: visible to the owner only); ``deleted`` was removed on the platform
#: already; ``dialog``/``members``/``community`` are the audiences of a message (the other person
#: of a private dialog, the members of a group chat, a community's administrators)
VISIBILITIES = ("public", "friends", "closed", "private", "members", "dialog", "community", "archived", "deleted")
LEVELS = ("distribution", "mention", "indicator", "exposure")  # exposure: identity facts of a profile
LEVEL_RANK = {lv: i for i, lv in enumerate(LEVELS)}


def item_id(platform: str, native_id: str) -> str:
    """The stable id of an item: derived from its platform and native id."""
    return hashlib.sha256(f"{platform}\x00{native_id}".encode("utf-8", "surrogatepass")).hexdigest()[:20]


@dataclass
class Attachment:
    """Something attached to an item: a photo file, a link, an audio or video record, a document.

    ``path`` is absolute once the importer has resolved it against the export folder.
    """

    type: str
    url: str | None = None
    path: str | None = None
    title: str | None = None
    artist: str | None = None
    duration: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"type": self.type}
        for k in ("url", "path", "title", "artist", "duration"):
            v = getattr(self, k)
            if v not in (None, ""):
                d[k] = v
        if self.extra:
            d["extra"] = dict(self.extra)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Attachment:
        known = {k: d.get(k) for k in ("type", "url", "path", "title", "artist", "duration")}
        extra = {k: v for k, v in d.items() if k not in known and k != "extra"}
        extra.update(d.get("extra") or {})
        dur = known["duration"]
        return cls(
            type=str(known["type"] or "unknown"),
            url=known["url"],
            path=known["path"],
            title=known["title"],
            artist=known["artist"],
            duration=int(dur) if isinstance(dur, (int, float)) else None,
            extra=extra,
        )


@dataclass
class Source:
    """Where a repost came from: the page's name and URL as the export gives them."""

    name: str | None = None
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v}


@dataclass
class Item:
    """One unified item of a person's history.

    ``native_id`` is the platform's own id (VK ``wall<owner>_<id>``, Telegram
    ``<chat>/<message>``, the generic format's ``id``); ``ref`` is what findings and the CLI
    call the item: the native id for the generic format, ``<platform>:<native_id>`` otherwise.
    ``raw`` is the export's own record (a dict, or a string such as an HTML fragment).
    """

    platform: str
    native_id: str
    kind: str
    text: str = ""
    date: str | None = None
    date_tz_assumed: bool = False
    author: str = "self"
    attachments: list[Attachment] = field(default_factory=list)
    reposted_from: Source | None = None
    url: str | None = None
    visibility: str | None = None
    raw: Any = None
    source_file: str | None = None
    pointer: str | None = None
    #: when ``raw`` is bytes: their encoding (the export's own, e.g. VK's windows-1251)
    raw_encoding: str | None = None

    @property
    def ref(self) -> str:
        return self.native_id if self.platform == "generic" else f"{self.platform}:{self.native_id}"

    @property
    def id(self) -> str:
        """Stable id derived from the platform and the native id (not from the content)."""
        key = (self.platform, self.native_id)
        cached = self.__dict__.get("_id")
        if cached is None or cached[0] != key:
            cached = (key, item_id(*key))
            self.__dict__["_id"] = cached
        return cached[1]

    def known_id(self, iid: str) -> None:
        """Record ``iid`` as this item's id, already derived (as the store has it): no re-hashing."""
        self.__dict__["_id"] = ((self.platform, self.native_id), iid)

    def raw_text(self) -> str:
        """The raw record as stored: the export's own text when it is a string, else canonical JSON."""
        raw = self.raw
        if isinstance(raw, str):
            return raw
        if isinstance(raw, bytes):
            return raw.decode(self.raw_encoding or "utf-8", "replace")
        return json.dumps(raw, ensure_ascii=False, sort_keys=True, default=str)

    def stored_raw(self) -> tuple[bytes, str]:
        """The raw record as the store keeps it, and its sha256: ``raw`` itself when it is bytes
        (in ``raw_encoding``), else the UTF-8 bytes of :meth:`raw_text`."""
        raw = self.raw
        # (lone surrogates raise in encode, as SQLite would)
        data = raw if isinstance(raw, bytes) else self.raw_text().encode()
        return data, hashlib.sha256(data).hexdigest()

    def stored_encoding(self) -> str | None:
        """The encoding of :meth:`stored_raw`'s bytes, None when they are UTF-8."""
        enc = self.raw_encoding if isinstance(self.raw, bytes) else None
        return None if enc in (None, "utf-8", "utf8") else enc

    def stored_json(self) -> tuple[str, str | None]:
        """The attachments and the repost source as the store writes them (JSON)."""
        atts, rf = self.attachments, self.reposted_from
        return (
            json.dumps([a.to_dict() for a in atts], ensure_ascii=False) if atts else "[]",
            json.dumps(rf.to_dict(), ensure_ascii=False) if rf else None,
        )

    def unified_dict(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "native_id": self.native_id,
            "kind": self.kind,
            "text": self.text,
            "date": self.date,
            "date_tz_assumed": self.date_tz_assumed,
            "author": self.author,
            "attachments": [a.to_dict() for a in self.attachments],
            "reposted_from": self.reposted_from.to_dict() if self.reposted_from else None,
            "url": self.url,
            "visibility": self.visibility,
        }

    def texts(self) -> list[tuple[str, str]]:
        """The item's text fields as ``(field, text)`` pairs, in the order matchers read them."""
        out: list[tuple[str, str]] = []
        if self.text:
            out.append(("text", self.text))
        for i, a in enumerate(self.attachments):
            if a.type == "audio":
                continue  # audio is matched as performer + title, not as free text
            if a.title:
                out.append((f"attachments[{i}].title", a.title))
            ocr = a.extra.get("ocr_text") if a.extra else None
            if ocr:
                out.append((f"attachments[{i}].ocr", str(ocr)))
        return out

    def urls(self) -> list[tuple[str, str]]:
        """Explicit URLs of the item (link and video attachments) as ``(field, url)``."""
        return [(f"attachments[{i}].url", a.url) for i, a in enumerate(self.attachments) if a.url]


@dataclass
class Evidence:
    """What matched: the item's text as matched, the field it is in and its span in that field."""

    field: str
    text: str
    span: tuple[int, int] | None = None
    matched: str | None = None  # the list's own wording that was matched
    #: in a picture: the region (x, y, width, height) and the picture's size (width, height), in pixels
    box: tuple[int, int, int, int] | None = None
    size: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"field": self.field, "text": self.text}
        if self.span is not None:
            d["span"] = list(self.span)
        if self.matched:
            d["matched"] = self.matched
        if self.box is not None:
            d["box"] = list(self.box)
        if self.size is not None:
            d["size"] = list(self.size)
        return d


@dataclass
class Finding:
    """One item matching one list entry, with the evidence and an explanation in ru and en."""

    item_id: str
    item_ref: str
    bank: str
    entry: str
    level: str
    signal: str
    score: float
    evidence: Evidence
    explanation_ru: str
    explanation_en: str
    list_version: str = ""

    def key(self) -> tuple[str, str, str]:
        return (self.item_id, self.bank, self.entry)
