"""The generic items format: one JSON object per line (see docs/generic-format.md).

A line that cannot be read (not JSON, not an object, no id, a field of the wrong type) is skipped
and counted as a warning; a file of which not one line can be read is refused (it is not this
format).
"""

from __future__ import annotations

import json
import json.scanner
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from repostguard.errors import InputError, Notice, os_reason
from repostguard.importers._base import Importer
from repostguard.importers._jsonstream import Skipped, at_line
from repostguard.model import KINDS, Attachment, Item, Source

MAX_LINE = 16 * 1024 * 1024
#: json's own C scanner: ``(value, end)`` of the JSON value at an index (what json.loads runs,
#: without its two whitespace regexes and wrapper calls)
_SCAN = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]


class GenericImporter(Importer):
    """Reads ``*.jsonl`` in the generic items format (a file, or a folder holding ``items.jsonl``)."""

    platform = "generic"

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
            raise InputError(f, "err_generic_no_items_file")

    def iter_items(self) -> Iterator[Item]:
        f = self._file(self.path)
        base = f.parent.resolve()
        try:
            fh = open(f, "rb")
        except OSError as e:
            raise InputError(f, "err_cannot_read_because", reason=os_reason(e)) from e
        scan = _SCAN
        source_file = str(f)
        skipped = Skipped()
        first_bad: tuple[Notice, int] | None = None
        read = 0
        with fh:
            for lineno, raw in enumerate(fh, 1):
                try:
                    item = self._line(raw, f, base, lineno, source_file, scan)
                except _BadRecord as e:
                    skipped.add(str(f), e.reason, at_line(lineno))
                    first_bad = first_bad or (e.reason, lineno)
                    continue
                if item is not None:
                    read += 1
                    yield item
        if first_bad is not None and not read:
            # not one record could be read: the file is not this format at all
            reason, lineno = first_bad
            raise InputError(f, reason.key, lineno, **reason.fields)
        for w in skipped.warnings():
            self.warn(w)

    def _line(self, raw: bytes, f: Path, base: Path, lineno: int, source_file: str,
              scan: Any) -> Item | None:
        """One line: its item, None for a blank line; :class:`_BadRecord` if it cannot be read."""
        if len(raw) > MAX_LINE:
            raise _BadRecord("err_line_too_long", mb=MAX_LINE // (1024 * 1024))
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise _BadRecord("err_not_utf8", byte=e.start) from e
        text = line.rstrip("\r\n")  # the record exactly as written
        # the json module's C scanner on the usual line (an object, nothing after it); json.loads,
        # with its exact errors and leniency, for anything else
        try:
            rec, end = scan(text, 0)
        except (StopIteration, ValueError, RecursionError):
            end = -1
        if end != len(text):
            if not text or text.isspace():
                return None
            try:
                rec = json.loads(line)
            except (json.JSONDecodeError, RecursionError) as e:
                if isinstance(e, json.JSONDecodeError):
                    raise _BadRecord("err_json_broken_column", column=e.colno) from e
                raise _BadRecord("err_json_too_deep") from e
        item = self._item(rec, f, base, lineno, source_file)
        item.raw = text
        return item

    def _item(self, rec: Any, f: Path, base: Path, lineno: int, source_file: str) -> Item:
        if not isinstance(rec, dict):
            raise _BadRecord("err_generic_not_object")
        get = rec.get
        rid = get("id")
        if rid is None or (isinstance(rid, str) and not rid.strip()):
            raise _BadRecord("err_generic_no_id")
        if not isinstance(rid, (str, int)) or isinstance(rid, bool):
            raise _BadRecord("err_generic_id_not_string")
        kind = get("kind") or "post"
        if kind not in KINDS:
            self.warn("err_generic_unknown_kind", file=f, line=lineno, kind=str(kind)[:40])
            kind = "post"
        text = get("text") or ""
        if not isinstance(text, str):
            raise _BadRecord("err_generic_text_not_string")
        date = get("date")
        if date is not None:
            try:
                datetime.fromisoformat(str(date).replace("Z", "+00:00"))
            except ValueError:
                self.warn("err_generic_bad_date", file=f, line=lineno, date=str(date)[:40])
                date = None
        atts: list[Attachment] = []
        raw_atts = get("attachments")
        if raw_atts:
            if not isinstance(raw_atts, list):
                raise _BadRecord("err_generic_attachments_not_list")
            for a in raw_atts:
                if not isinstance(a, dict):
                    self.warn("err_generic_attachment_not_object", file=f, line=lineno)
                    continue
                att = Attachment.from_dict(a)
                if att.path:
                    p = Path(att.path)
                    att.path = str(p if p.is_absolute() else (base / p))
                atts.append(att)
        rf = get("reposted_from")
        source = None
        if rf is not None:
            if isinstance(rf, dict):
                source = Source(name=_str(rf.get("name")), url=_str(rf.get("url")))
            elif isinstance(rf, str):
                source = Source(url=rf)
        platform = get("platform")
        author = get("author")
        url = get("url")
        visibility = get("visibility")
        return Item(
            platform=(str(platform) or "generic") if platform is not None else "generic",
            native_id=rid if type(rid) is str else str(rid),
            kind=kind,
            text=text,
            date=str(date) if date else None,
            author=(str(author) or "self") if author is not None else "self",
            attachments=atts,
            reposted_from=source,
            url=None if url is None else str(url),
            visibility=None if visibility is None else str(visibility),
            raw=rec,
            source_file=source_file,
            pointer=f"line {lineno}",
        )


class _BadRecord(ValueError):
    """A line that cannot be read as an item; counted and skipped. ``reason`` says why."""

    def __init__(self, key: str, **fields: Any) -> None:
        super().__init__(key)
        self.reason = Notice(key, **fields)


def _str(v: Any) -> str | None:
    return None if v is None else str(v)
