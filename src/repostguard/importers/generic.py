"""The generic items format: one JSON object per line (see docs/generic-format.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from repostguard.errors import InputError
from repostguard.importers._base import Importer
from repostguard.model import KINDS, Attachment, Item, Source

MAX_LINE = 16 * 1024 * 1024


class GenericImporter(Importer):
    """Reads ``*.jsonl`` in the generic items format (a file, or a folder holding ``items.jsonl``)."""

    platform = "generic"
    version = "1"

    @staticmethod
    def _file(path: Path) -> Path:
        return path / "items.jsonl" if path.is_dir() else path

    @classmethod
    def detect(cls, path: Path) -> bool:
        f = cls._file(path)
        if not f.is_file():
            return False
        if f.suffix.lower() in (".jsonl", ".ndjson"):
            return True
        with open(f, "rb") as fh:
            head = fh.read(4096).lstrip()
        return head.startswith(b"{") and b'"id"' in head.split(b"\n", 1)[0]

    def verify(self) -> None:
        f = self._file(self.path)
        if not f.is_file():
            raise InputError(f, "no items.jsonl here")

    def iter_items(self) -> Iterator[Item]:
        f = self._file(self.path)
        base = f.parent.resolve()
        try:
            fh = open(f, "rb")
        except OSError as e:
            raise InputError(f, f"cannot be read ({e.strerror or e})") from e
        with fh:
            for lineno, raw in enumerate(fh, 1):
                if len(raw) > MAX_LINE:
                    raise InputError(f, f"line longer than {MAX_LINE // (1024 * 1024)} MB", lineno)
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as e:
                    raise InputError(f, f"not UTF-8 text (byte {e.start})", lineno) from e
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as e:
                    raise InputError(f, f"not valid JSON ({e.msg}, column {e.colno})", lineno) from e
                item = self._item(rec, f, base, lineno)
                item.raw = line.rstrip("\r\n")  # the record exactly as written
                yield item

    def _item(self, rec: Any, f: Path, base: Path, lineno: int) -> Item:
        if not isinstance(rec, dict):
            raise InputError(f, "each line must be a JSON object", lineno)
        rid = rec.get("id")
        if rid is None or (isinstance(rid, str) and not rid.strip()):
            raise InputError(f, "item without 'id'", lineno)
        if not isinstance(rid, (str, int)) or isinstance(rid, bool):
            raise InputError(f, "'id' must be a string", lineno)
        kind = rec.get("kind") or "post"
        if kind not in KINDS:
            self.warn(f"{f}, line {lineno}: unknown kind {str(kind)[:40]!r}, read as 'post'")
            kind = "post"
        text = rec.get("text") or ""
        if not isinstance(text, str):
            raise InputError(f, "'text' must be a string", lineno)
        date = rec.get("date")
        if date is not None:
            try:
                datetime.fromisoformat(str(date).replace("Z", "+00:00"))
            except ValueError:
                self.warn(f"{f}, line {lineno}: date {str(date)[:40]!r} is not ISO 8601, left empty")
                date = None
        atts: list[Attachment] = []
        raw_atts = rec.get("attachments") or []
        if not isinstance(raw_atts, list):
            raise InputError(f, "'attachments' must be a list", lineno)
        for a in raw_atts:
            if not isinstance(a, dict):
                self.warn(f"{f}, line {lineno}: attachment that is not an object, skipped")
                continue
            att = Attachment.from_dict(a)
            if att.path:
                p = Path(att.path)
                att.path = str(p if p.is_absolute() else (base / p))
            atts.append(att)
        rf = rec.get("reposted_from")
        source = None
        if isinstance(rf, dict):
            source = Source(name=_str(rf.get("name")), url=_str(rf.get("url")))
        elif isinstance(rf, str):
            source = Source(url=rf)
        return Item(
            platform=_str(rec.get("platform")) or "generic",
            native_id=str(rid),
            kind=kind,
            text=text,
            date=str(date) if date else None,
            author=_str(rec.get("author")) or "self",
            attachments=atts,
            reposted_from=source,
            url=_str(rec.get("url")),
            visibility=_str(rec.get("visibility")),
            raw=rec,
            source_file=str(f),
            pointer=f"line {lineno}",
        )


def _str(v: Any) -> str | None:
    return None if v is None else str(v)
