"""Shared helpers of the JSON-based importers (Telegram, X, Facebook, Instagram, Mastodon).

* cheap format probing of a folder or ZIP (:func:`probe`) without walking a whole tree;
* opening an export given as a single file (:func:`open_export`);
* streaming JSON arrays with ijson, turning parse errors into one-line :class:`InputError`
  messages that name the file and the place (:func:`iter_json_items`);
* the Meta "latin-1 escaped UTF-8" mojibake repair (:func:`fix_mojibake`);
* small typed getters and date conversion.
"""

from __future__ import annotations

import ast
import hashlib
import io
import json
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import ijson

from repostguard.errors import InputError, Notice
from repostguard.importers._archive import ExportArchive, folder_root, wrapper_prefix
from repostguard.model import Attachment, Item


# --------------------------------------------------------------------------- probing
@lru_cache(maxsize=8)
def _zip_index(path: str, mtime_ns: int, size: int) -> tuple[str, dict[str, str]]:
    """The wrapper prefix of a ZIP (:func:`wrapper_prefix`, the rule :class:`ExportArchive` reads
    by) and its files: name relative to the export root → member name."""
    try:
        with zipfile.ZipFile(path) as zf:
            members = [i.filename for i in zf.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
        raise InputError(path, "err_damaged_zip") from e
    norm = {m.replace("\\", "/"): m for m in members}
    prefix = wrapper_prefix(sorted(norm))
    cut = len(prefix)
    return prefix, {n[cut:]: m for n, m in norm.items() if n.startswith(prefix)}


def _zip_names(path: Path) -> dict[str, str]:
    st = path.stat()
    return _zip_index(str(path), st.st_mtime_ns, st.st_size)[1]


def _is_zip(path: Path) -> bool:
    return path.is_file() and (path.suffix.lower() == ".zip" or zipfile.is_zipfile(path))


def probe(path: Path, names: Iterable[str] = (), prefixes: Iterable[str] = ()) -> str | None:
    """The first of ``names`` (files) or ``prefixes`` (folders, ending in ``/``) that the export
    at ``path`` (a folder or a ZIP, inside any number of wrapper folders) holds, or None.

    The export's root is found by the rule :class:`ExportArchive` reads by (:func:`folder_root`,
    :func:`wrapper_prefix`), so what detection finds is what the import reads. Cheap: a folder
    is never walked, a ZIP's directory is read once and cached."""
    path = Path(path)
    names = list(names)
    prefixes = list(prefixes)
    if path.is_dir():
        root = folder_root(path)
        for n in names:
            if (root / n).is_file():
                return n
        for p in prefixes:
            if (root / p).is_dir():
                return p
        return None
    if _is_zip(path):
        zn = _zip_names(path)
        for n in names:
            if n in zn:
                return n
        for p in prefixes:
            if any(z.startswith(p) for z in zn):
                return p
    return None


def read_head(path: Path, name: str, size: int = 4096) -> bytes:
    """The first ``size`` bytes of file ``name`` (relative to the export's root, as in
    :func:`probe`) inside the export at ``path`` (b"" if absent)."""
    path = Path(path)
    if path.is_dir():
        f = folder_root(path) / name
        if f.is_file():
            with open(f, "rb") as fh:
                return fh.read(size)
        return b""
    if not _is_zip(path):
        return b""
    member = _zip_names(path).get(name)
    if member is None:
        return b""
    try:
        with zipfile.ZipFile(path) as zf, zf.open(member) as fh:
            return fh.read(size)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError) as e:
        raise InputError(path, "err_damaged_zip") from e


def open_export(path: Path, siblings: Iterable[str] = ()) -> ExportArchive:
    """Open a folder or ZIP as an :class:`ExportArchive`; a single file is opened as a one-file
    export rooted at its folder (the folder is not walked; only the named ``siblings`` that exist
    next to the file are added)."""
    path = Path(path)
    if path.is_file() and not zipfile.is_zipfile(path):
        arch = ExportArchive(path.parent)
        extra = [n for n in siblings if n != path.name and (path.parent / n).is_file()]
        arch._set_names(sorted([path.name, *extra]))  # a small export; media paths resolve next to it
        return arch
    return ExportArchive.open(path)


# --------------------------------------------------------------------------- streaming JSON
class _Prefixed(io.RawIOBase):
    """A binary stream that returns ``head`` first and then the rest of ``fh``."""

    def __init__(self, head: bytes, fh: IO[bytes]) -> None:
        self._head = head
        self._fh = fh

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        if self._head:
            n = min(len(b), len(self._head))
            b[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._fh.read(len(b))
        n = len(data)
        b[:n] = data
        return n


def skip_js_assignment(fh: IO[bytes], display: str) -> tuple[str, IO[bytes]]:
    """For X's ``window.YTD.tweets.part0 = [...]`` files: the variable name and a stream that
    starts at the JSON value. Raises InputError when the file is not such an assignment."""
    head = fh.read(4096)
    eq = head.find(b"=")
    lead = head[:eq].strip().lstrip(b"\xef\xbb\xbf").decode("utf-8", "replace") if eq >= 0 else ""
    if eq < 0 or not lead.startswith("window.YTD."):
        raise InputError(display, "err_x_not_data_file", 1)
    return lead, io.BufferedReader(_Prefixed(head[eq + 1 :], fh))


def error_text(e: BaseException, limit: int = 120) -> str:
    """The first line of an exception's message as printable text: a parser that puts the raw
    bytes in its message (yajl's ``b'lexical error: … {"a": "\\xff"}'``) gives their text, and
    control characters are shown as ``?``, never as a byte dump."""
    msg = str(e).strip()
    if msg[:2] in ("b'", 'b"'):
        try:
            raw = ast.literal_eval(msg)
        except (ValueError, SyntaxError):
            raw = None
        if isinstance(raw, bytes):
            msg = raw.decode("utf-8", "replace").strip()
    first = msg.splitlines()[0].strip() if msg else ""
    first = "".join(ch if ch.isprintable() else "?" for ch in first)
    return first[:limit] or type(e).__name__


def json_error(display: str, e: Exception, where: str) -> InputError:
    """Broken JSON at ``where``: text that is not UTF-8, or else any other break (the parser's own words
    stay on the cause, ``__cause__``)."""
    if isinstance(e, UnicodeDecodeError) or "utf8" in error_text(e).lower().replace("-", ""):
        return InputError(display, "err_json_not_utf8_at", where=where)
    return InputError(display, "err_json_broken_at", where=where)


# --------------------------------------------------------------------------- tdesktop's \xHH
#: one escape sequence of a JSON string: ``\xHH`` (Telegram Desktop's), or any other
_ESCAPE = re.compile(rb"\\(x[0-9A-Fa-f]{2}|[\s\S])")
_HEX = frozenset(b"0123456789abcdefABCDEF")


def _x_to_u(m: re.Match[bytes]) -> bytes:
    g = m.group(1)
    return b"\\u00" + g[1:] if len(g) == 3 else m.group(0)


def unescape_x(data: bytes) -> bytes:
    """JSON text with every ``\\xHH`` escape written as the standard ``\\u00HH``.

    Telegram Desktop writes control characters inside strings as ``\\xHH`` (tdesktop issue
    #27571: ``SerializeString`` in ``export_output_json.cpp``), which no JSON parser accepts.
    Escapes are read pairwise from the left, so an escaped backslash followed by ``x01``
    (``\\\\x01``) is left alone."""
    return _ESCAPE.sub(_x_to_u, data) if b"\\x" in data else data


def _open_tail(buf: bytes) -> int:
    """How many bytes at the end of ``buf`` may be the start of an escape cut by the chunk's end
    (``\\``, ``\\x`` or ``\\xH`` whose backslash is not itself escaped): 0 to 3."""
    n = len(buf)
    for k in (1, 2, 3):
        if n < k or buf[n - k] != 0x5C:
            continue
        if k >= 2 and buf[n - k + 1] != 0x78:  # "x"
            continue
        if k == 3 and buf[n - 1] not in _HEX:
            continue
        run, i = 0, n - k - 1
        while i >= 0 and buf[i] == 0x5C:
            run, i = run + 1, i - 1
        if run % 2 == 0:
            return k
    return 0


class XEscapeReader(io.RawIOBase):
    """A binary stream of ``fh`` with Telegram Desktop's ``\\xHH`` escapes read as ``\\u00HH``
    (see :func:`unescape_x`), chunk by chunk: an escape cut by a chunk's end is held back until
    the next chunk completes it. Wrap it in :class:`io.BufferedReader` for ijson."""

    def __init__(self, fh: IO[bytes], chunk: int = 256 * 1024) -> None:
        self._fh = fh
        self._chunk = chunk
        self._pending = b""
        self._out = b""
        self._pos = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while self._pos >= len(self._out):
            data = self._fh.read(self._chunk)
            if not data:
                if not self._pending:
                    return 0
                body, self._pending = self._pending, b""
            else:
                buf = self._pending + data if self._pending else data
                k = _open_tail(buf)
                body, self._pending = (buf[:-k], buf[-k:]) if k else (buf, b"")
            self._out, self._pos = unescape_x(body), 0
        n = min(len(b), len(self._out) - self._pos)
        b[:n] = self._out[self._pos : self._pos + n]
        self._pos += n
        return n

    def close(self) -> None:
        try:
            self._fh.close()
        finally:
            super().close()


def read_x_escapes(fh: IO[bytes]) -> IO[bytes]:
    """``fh`` (JSON bytes) read through :class:`XEscapeReader`, buffered."""
    return io.BufferedReader(XEscapeReader(fh), 256 * 1024)


def iter_json_items(fh: IO[bytes], prefix: str, display: str, where: str) -> Iterator[Any]:
    """Stream the values under ijson ``prefix`` (e.g. ``"item"``), as Python objects with floats,
    turning truncated or broken JSON into an InputError naming ``display`` and ``where[i]``."""
    i = -1
    try:
        for i, obj in enumerate(ijson.items(fh, prefix, use_float=True)):  # noqa: B007
            yield obj
    except (ijson.JSONError, UnicodeDecodeError) as e:
        raise json_error(display, e, f"{where}[{i + 1}]") from e
    except (OSError, EOFError, zipfile.BadZipFile) as e:
        raise InputError(display, "err_cannot_read") from e


def load_json(fh: IO[bytes], display: str, limit: int = 256 * 1024**2) -> Any:
    """Load a small JSON file whole (profile files); errors name the file."""
    try:
        data = fh.read(limit + 1)
    except (OSError, EOFError, zipfile.BadZipFile) as e:
        raise InputError(display, "err_cannot_read") from e
    if len(data) > limit:
        raise InputError(display, "err_too_large_mb", mb=limit // 1024**2)
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise InputError(display, "err_not_utf8", byte=e.start) from e
    except json.JSONDecodeError as e:
        raise InputError(display, "err_json_broken_column", e.lineno, column=e.colno) from e


# --------------------------------------------------------------------------- skipped records
#: a place in a file: a JSON path (``[3]``, ``chats.list[0]``) as it is, or a message (``строка 3``)
Place = str | Notice


def at_line(n: int) -> Notice:
    """The place "line ``n``" of a text file."""
    return Notice("err_at_line", line=n)


class Skipped:
    """Malformed records an importer skipped, counted per file and reason, with the first place.

    The rule every importer follows: one bad record is a counted warning, never the whole export
    refused (an InputError is for a file that is not the format at all). A reason is a
    :class:`~repostguard.errors.Notice` (``Notice("err_rec_not_object")``)."""

    def __init__(self) -> None:
        self._count: Counter[tuple[str, Notice]] = Counter()
        self._first: dict[tuple[str, Notice], Place] = {}

    def add(self, display: str, reason: Notice, where: Place) -> None:
        key = (display, reason)
        self._count[key] += 1
        self._first.setdefault(key, where)

    def __len__(self) -> int:
        return sum(self._count.values())

    def first(self) -> tuple[Notice, Place] | None:
        """The first problem met and where (None when none)."""
        for (_disp, reason), where in self._first.items():
            return reason, where
        return None

    def counts(self) -> Iterator[tuple[str, Notice, int, Place]]:
        """``(display, reason, how many, first place)`` per file and reason, in the order first met."""
        for (disp, reason), n in self._count.items():
            yield disp, reason, n, self._first[(disp, reason)]

    def warnings(self) -> list[Notice]:
        """One line per file and reason: how many records were skipped and where the first was."""
        return [Notice("err_skipped_one" if n == 1 else "err_skipped_many", file=disp, n=n, reason=reason, where=where)
                for disp, reason, n, where in self.counts()]


# --------------------------------------------------------------------------- Meta mojibake
def fix_text(s: str) -> str:
    """Repair Meta's mojibake: UTF-8 bytes written as ``\\u00XX`` escapes (``"Ð¿"`` → ``"п"``)."""
    if s.isascii():
        return s
    try:
        return s.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return s


def fix_mojibake(obj: Any) -> Any:
    """Apply :func:`fix_text` to every string of a JSON tree, dict keys included."""
    if isinstance(obj, str):
        return fix_text(obj)
    if isinstance(obj, list):
        return [fix_mojibake(v) for v in obj]
    if isinstance(obj, dict):
        return {fix_text(k) if isinstance(k, str) else k: fix_mojibake(v) for k, v in obj.items()}
    return obj


# --------------------------------------------------------------------------- small getters
def s(v: Any) -> str | None:
    """A non-empty string value, or None (numbers are turned into strings)."""
    if isinstance(v, str):
        return v or None
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(int(v)) if float(v).is_integer() else str(v)
    return None


def d(v: Any) -> dict[str, Any]:
    return v if isinstance(v, dict) else {}


def lst(v: Any) -> list[Any]:
    return v if isinstance(v, list) else []


def utc_iso(ts: Any) -> str | None:
    """Unix seconds (int, float or digit string) as an ISO 8601 UTC date, or None."""
    if isinstance(ts, bool):
        return None
    if isinstance(ts, str):
        try:
            ts = float(ts.strip())
        except ValueError:
            return None
    if not isinstance(ts, (int, float)):
        return None
    try:
        return datetime.fromtimestamp(ts, tz=UTC).isoformat()
    except (OverflowError, OSError, ValueError):
        return None


def stable_id(kind: str, ts: Any, raw: Any) -> str:
    """A native id for records the platform gives no id (Meta): kind, time and a content hash,
    so the same record imported twice gets the same id."""
    h = hashlib.sha256(json.dumps(raw, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
    t = s(ts) or "0"
    return f"{kind}/{t}/{h[:12]}"


# --------------------------------------------------------------------------- layout helpers
def array_prefix(arch: ExportArchive, name: str, keys: Iterable[str] = ()) -> str | None:
    """The ijson prefix of the record list in ``name``: ``"item"`` when the file is a JSON array,
    ``"<key>.item"`` when it is an object whose first key (one of ``keys``, or any key when
    ``keys`` is empty) holds the list. None when the file is neither."""
    with arch.open_bytes(name) as fh:
        head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"["):
        return "item"
    if not head.startswith(b"{"):
        return None
    m = re.match(rb'\{\s*"([^"\\]{1,80})"\s*:\s*\[', head)
    if not m:
        return None
    key = m.group(1).decode("utf-8", "replace")
    wanted = list(keys)
    if wanted and key not in wanted:
        return None
    return f"{key}.item"


def not_in_export(arch: ExportArchive, name: str) -> bool:
    """True when a media file that :meth:`ExportArchive.media_path` could not give is really absent
    (a file inside a ZIP that was not extracted, for want of a media folder, is not missing)."""
    return not (arch.zip is not None and arch.exists(name))


def safe_rel(name: str) -> str | None:
    """A relative POSIX path from an export record, or None if it is absolute or climbs out."""
    n = name.replace("\\", "/")
    if n.startswith("/") or (len(n) > 1 and n[1] == ":") or "://" in n:
        return None
    parts = [p for p in n.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return "/".join(parts)


# --------------------------------------------------------------------------- profile items
#: picture files a profile folder may hold
PICTURE_EXT = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".bmp")


def avatar_item(platform: str, name: str, path: Path | str | None, *, role: str = "avatar",
                date: str | None = None, url: str | None = None, source_file: str | None = None) -> Item:
    """A profile picture (``role``: ``avatar`` or ``header``) as an item of its own, so it is read, matched
    and decided like a post: kind ``avatar``, the picture as its photo attachment (``path``: the local file;
    None when the export names it but it could not be read), ``name`` its file in the export."""
    base = name.rsplit("/", 1)[-1]
    att = Attachment(type="photo", path=str(path) if path else None, extra={"role": role, "file": name})
    return Item(platform=platform, native_id=f"{role}/{base}", kind="avatar", text="", date=date, author="self",
                attachments=[att], url=url, raw={"role": role, "file": name, "date": date},
                source_file=source_file, pointer=name)


def profile_item(
    platform: str,
    fields: Iterable[tuple[str, str, Any]],
    *,
    url: str | None = None,
    raw: Any = None,
    source_file: str | None = None,
) -> Item | None:
    """The ``profile`` item of an export: one ``profile_field`` attachment per non-empty
    ``(field, label, value)`` (``field`` is the identity matcher's name: ``full_name``, ``phone``,
    ``email``, ``birth_date``, ``city``, ``screen_name``, …) and ``Label: value`` lines as text.
    None when there is nothing to show."""
    rows = [(f, label, " ".join(v.split())) for f, label, v in fields if isinstance(v, str) and v.strip()]
    if not rows:
        return None
    return Item(
        platform=platform,
        native_id="profile",
        kind="profile",
        text="\n".join(f"{label}: {v}" for _, label, v in rows),
        author="self",
        attachments=[
            Attachment(type="profile_field", title=v, extra={"field": f, "label": label})
            for f, label, v in rows
        ],
        url=url,
        raw=raw,
        source_file=source_file,
        pointer="profile",
    )
