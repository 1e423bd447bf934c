"""VK API JSON: ``wall.get`` items saved to a file by people who export their wall through the API.

Accepted shapes (shared/docs/formats.md §1.10): ``{"response": {"items": [...]}}`` (optionally with
``profiles``/``groups`` from ``extended=1``, used for the names of repost sources), a bare list of
items, ``{"items": [...]}``, or JSON lines (one item per line, streamed). Each item becomes a
``post``, or a ``repost`` when ``copy_history`` is not empty: the own text is the comment added to
the share, followed by the text of each post of the chain; ``reposted_from`` is the first post of
the chain (``https://vk.com/wall<owner_id>_<id>``) with the source page's name when the file has it.
Dates are unix seconds in UTC (no time-zone assumption). ``[id1|Name]`` markup is flattened.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from repostguard.errors import InputError, Notice, os_reason
from repostguard.importers._base import Importer
from repostguard.importers._jsonstream import Place, Skipped, at_line
from repostguard.importers._vk import flatten_markup, page_url, unix_to_iso, wall_url
from repostguard.model import Attachment, Item, Source

MAX_JSON = 512 * 1024**2
MAX_LINE = 64 * 1024**2
_PHOTO_SIZE_ORDER = "smxopqryzw"
#: the text fields of an attachment object kept in ``Attachment.extra``, by attachment type
_EXTRA_TEXT: dict[str, tuple[str, ...]] = {
    "video": ("description",),
    "link": ("caption", "description"),
    "doc": ("ext",),
}


def _int(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _s(v: Any) -> str | None:
    return v if isinstance(v, str) and v else None


def largest_photo_url(photo: dict[str, Any]) -> str | None:
    """The URL of the largest size of an API photo object (``orig_photo``, else ``sizes``)."""
    best: tuple[int, int, str] | None = None
    cands = [s for s in photo.get("sizes") or [] if isinstance(s, dict)]
    orig = photo.get("orig_photo")
    if isinstance(orig, dict):
        cands.append(orig)
    for s in cands:
        url = _s(s.get("url")) or _s(s.get("src"))
        if not url:
            continue
        area = (_int(s.get("width")) or 0) * (_int(s.get("height")) or 0)
        t = s.get("type")
        rank = _PHOTO_SIZE_ORDER.find(t) if isinstance(t, str) and len(t) == 1 else -1
        key = (area, rank, url)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is not None:
        return best[2]
    for k in ("photo_2560", "photo_1280", "photo_807", "photo_604", "photo_130", "photo_75"):
        if _s(photo.get(k)):
            return str(photo[k])
    return None


def api_attachment(a: Any) -> Attachment | None:
    """One ``attachments[]`` element of the API as an :class:`Attachment` (None if it is not an object)."""
    if not isinstance(a, dict):
        return None
    typ = _s(a.get("type")) or "unknown"
    obj = a.get(typ)
    if not isinstance(obj, dict):
        return Attachment(type=typ)
    oid, iid = _int(obj.get("owner_id")), _int(obj.get("id"))
    ref = f"{typ}{oid}_{iid}" if oid is not None and iid is not None else None
    att = Attachment(type=typ)
    if ref:
        att.extra["id"] = ref
    if typ == "photo":
        att.url = largest_photo_url(obj)
        att.title = flatten_markup(_s(obj.get("text")) or "") or None
    elif typ == "video":
        att.url = f"https://vk.com/{ref}" if ref else _s(obj.get("player"))
        att.title = _s(obj.get("title"))
        att.duration = _int(obj.get("duration"))
    elif typ in ("link", "doc"):
        att.url = _s(obj.get("url"))
        att.title = _s(obj.get("title"))
    elif typ == "audio":
        att.artist = _s(obj.get("artist"))
        att.title = _s(obj.get("title"))
        att.duration = _int(obj.get("duration"))
        att.url = f"https://vk.com/{ref}" if ref else None
    elif typ == "poll":
        att.title = _s(obj.get("question"))
    else:
        att.title = _s(obj.get("title")) or _s(obj.get("name"))
        att.url = _s(obj.get("url"))
    for k in _EXTRA_TEXT.get(typ, ()):
        if _s(obj.get(k)):
            att.extra[k] = obj[k]
    return att


class VkApiImporter(Importer):
    """``wall.get`` items from the VK API saved as JSON (response object, bare list or JSON lines)."""

    platform = "vk"
    format_name: ClassVar[str] = "vk_api"

    def __init__(self, path: Path, media_dir: Path | None = None) -> None:
        super().__init__(path, media_dir)
        self.names: dict[int, str] = {}
        #: items read with a problem, by the problem (a message without its count)
        self._unknown: Counter[Notice] = Counter()
        self._skipped = Skipped()

    @classmethod
    def detect(cls, path: Path) -> bool:
        path = Path(path)
        if not path.is_file() or path.suffix.lower() not in (".json", ".jsonl", ".ndjson"):
            return False
        with open(path, "rb") as fh:
            head = fh.read(64 * 1024)
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if not text.startswith((b"{", b"[")):
            return False
        if text.startswith(b'{"error"') and b'"error_code"' in head and b'"error_msg"' in head:
            return True  # VK API's error shape: reported as such by iter_items
        # a wall.get item has both owner_id and from_id, and the file says nothing of other formats
        if b'"owner_id"' not in head or b'"from_id"' not in head or b'"date"' not in head:
            return False
        if any(k in head for k in (b'"personal_information"', b'"chats"', b'"OrderedCollection"', b'"kind"')):
            return False
        return (
            text.startswith((b'{"response"', b"[", b'{"items"'))
            or b'"post_type"' in head
            or (b'"copy_history"' in head)
            or text.startswith(b'{"id"')
        )

    def _records(self) -> Iterator[tuple[str, Any]]:
        """``(pointer, item)`` pairs: streamed for JSON lines, loaded (capped) otherwise."""
        try:
            size = self.path.stat().st_size
            fh = open(self.path, "rb")
        except OSError as e:
            raise InputError(self.path, "err_cannot_read_because", reason=os_reason(e)) from e
        with fh:
            first = fh.readline(MAX_LINE + 1)
            rest_head = fh.read(1)
            fh.seek(0)
            one_line_json = False
            if first.strip().startswith(b"{") and rest_head:
                try:
                    obj = json.loads(first)
                    one_line_json = isinstance(obj, dict) and "owner_id" in obj
                except (json.JSONDecodeError, UnicodeDecodeError):
                    one_line_json = False
            if one_line_json:
                for lineno, raw in enumerate(fh, 1):
                    if len(raw) > MAX_LINE:
                        self._skipped.add(str(self.path), Notice("err_line_too_long", mb=MAX_LINE // 1024**2),
                                          at_line(lineno))
                        continue
                    if not raw.strip():
                        continue
                    try:
                        rec = json.loads(raw)
                    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
                        self._skipped.add(str(self.path), Notice("err_not_json"), at_line(lineno))
                        continue
                    yield f"line {lineno}", rec
                return
            if size > MAX_JSON:
                raise InputError(self.path, "err_vkapi_too_large", mb=MAX_JSON // 1024**2)
            try:
                data = json.load(fh)
            except json.JSONDecodeError as e:
                raise InputError(self.path, "err_json_broken_column", e.lineno, column=e.colno) from e
            except UnicodeDecodeError as e:
                raise InputError(self.path, "err_not_utf8", byte=e.start) from e
        base = ""
        if isinstance(data, dict) and isinstance(data.get("response"), dict):
            data = data["response"]
            base = "/response"
        if isinstance(data, dict) and "error" in data and "items" not in data:
            raise InputError(self.path, "err_vkapi_error_response")
        if isinstance(data, dict):
            for key in ("profiles", "groups"):
                for p in data.get(key) or []:
                    if isinstance(p, dict) and _int(p.get("id")) is not None:
                        name = _s(p.get("name")) or " ".join(
                            x for x in (_s(p.get("first_name")), _s(p.get("last_name"))) if x
                        )
                        if name:
                            self.names[p["id"] if key == "profiles" else -p["id"]] = name
            items = data.get("items")
            base += "/items"
        else:
            items = data
        if not isinstance(items, list):
            raise InputError(self.path, "err_vkapi_no_items")
        for i, rec in enumerate(items):
            yield f"{base}/{i}", rec

    def verify(self) -> None:
        if not self.path.is_file():
            raise InputError(self.path, "err_no_such_file")

    def iter_items(self) -> Iterator[Item]:
        owner: int | None = None
        for pointer, rec in self._records():
            if not isinstance(rec, dict):
                self._skipped.add(str(self.path), Notice("err_vkapi_not_object"), _place(pointer))
                continue
            oid, pid = _int(rec.get("owner_id")), _int(rec.get("id"))
            if oid is None or pid is None:
                self._skipped.add(str(self.path), Notice("err_vkapi_no_ids"), _place(pointer))
                continue
            if owner is None:
                owner = oid
            elif oid != owner:
                self._unknown[Notice("err_vkapi_other_wall", owner=oid)] += 1
            native = f"wall{oid}_{pid}"
            date = unix_to_iso(rec.get("date"))
            if date is None:
                self._unknown[Notice("err_vkapi_no_date")] += 1
            frm = _int(rec.get("from_id"))
            author = (
                "self"
                if (frm is None or frm == owner) and oid == owner
                else (
                    f"id{frm}"
                    if frm is not None and frm > 0
                    else (f"club{-frm}" if frm is not None else "other")
                )
            )
            texts = [flatten_markup(_s(rec.get("text")) or "")]
            atts = [a for a in (api_attachment(x) for x in rec.get("attachments") or []) if a is not None]
            source: Source | None = None
            chain = rec.get("copy_history") or []
            if not isinstance(chain, list):
                self._skipped.add(str(self.path), Notice("err_vkapi_bad_history"), _place(pointer))
                continue
            for depth, orig in enumerate(chain):
                if not isinstance(orig, dict):
                    self._unknown[Notice("err_vkapi_history_not_objects")] += 1
                    continue
                o_oid, o_id = _int(orig.get("owner_id")), _int(orig.get("id"))
                if source is None:
                    if o_oid is not None and o_id is not None:
                        source = Source(name=self.names.get(o_oid), url=wall_url(o_oid, o_id))
                    elif o_oid is not None:
                        source = Source(name=self.names.get(o_oid), url=page_url(o_oid))
                    else:
                        source = Source(name="?")
                        self._unknown[Notice("err_vkapi_repost_no_owner")] += 1
                texts.append(flatten_markup(_s(orig.get("text")) or ""))
                for x in orig.get("attachments") or []:
                    a = api_attachment(x)
                    if a is not None:
                        a.extra["from"] = f"copy_history[{depth}]"
                        if o_oid is not None and o_id is not None:
                            a.extra["post"] = wall_url(o_oid, o_id)
                        atts.append(a)
            vis = "friends" if rec.get("friends_only") == 1 else None
            yield Item(
                platform="vk",
                native_id=native,
                kind="repost" if source is not None else "post",
                text="\n\n".join(t for t in texts if t),
                date=date,
                date_tz_assumed=False,
                author=author,
                attachments=atts,
                reposted_from=source,
                url=wall_url(oid, pid),
                visibility=vis,
                raw=rec,
                source_file=str(self.path),
                pointer=pointer,
            )
        if owner is None and len(self._skipped):
            # not one wall item could be read: the file is not this format at all
            first = self._skipped.first()
            assert first is not None
            raise InputError(self.path, "err_vkapi_nothing_read", reason=first[0], where=first[1])
        for what, n in self._unknown.items():
            self.warn(what.key, file=self.path, n=n, **what.fields)
        for w in self._skipped.warnings():
            self.warn(w)


def _place(pointer: str) -> Place:
    """Where an item stands, for a message: ``line N`` of JSON lines said in words, a JSON pointer as it is."""
    return at_line(int(pointer[5:])) if pointer.startswith("line ") else pointer


__all__ = ["VkApiImporter", "api_attachment", "largest_photo_url"]
