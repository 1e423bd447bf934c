"""Shared helpers of the JSON-based importers (Telegram, X, Facebook, Instagram, Mastodon).

* cheap format probing of a folder or ZIP (:func:`probe`) without walking a whole tree;
* opening an export given as a single file (:func:`open_export`);
* streaming JSON arrays with ijson, turning parse errors into one-line :class:`InputError`
  messages that name the file and the place (:func:`iter_json_items`);
* the Meta "latin-1 escaped UTF-8" mojibake repair (:func:`fix_mojibake`);
* small typed getters and date conversion.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import ijson

from repostguard.errors import InputError
from repostguard.importers._archive import ExportArchive
from repostguard.model import Attachment, Item


# --------------------------------------------------------------------------- probing
@lru_cache(maxsize=8)
def _zip_names(path: str, mtime_ns: int, size: int) -> frozenset[str]:
    try:
        with zipfile.ZipFile(path) as zf:
            raw = [i.filename.replace("\\", "/") for i in zf.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
        raise InputError(path, f"damaged or truncated ZIP ({e})") from e
    tops = {n.split("/", 1)[0] for n in raw}
    if len(tops) == 1 and all("/" in n for n in raw):
        cut = len(next(iter(tops))) + 1
        raw = [n[cut:] for n in raw]
    return frozenset(raw)


def _dir_roots(path: Path) -> list[Path]:
    roots = [path]
    try:
        entries = [e for e in os.scandir(path) if not e.name.startswith(".")]
    except OSError:
        return roots
    if len(entries) == 1 and entries[0].is_dir():
        roots.append(Path(entries[0].path))
    return roots


def probe(path: Path, names: Iterable[str] = (), prefixes: Iterable[str] = ()) -> str | None:
    """The first of ``names`` (files) or ``prefixes`` (folders, ending in ``/``) that the export
    at ``path`` (a folder or a ZIP, with or without a wrapper folder) holds, or None. Cheap:
    a folder is never walked, a ZIP's directory is read once and cached."""
    path = Path(path)
    names = list(names)
    prefixes = list(prefixes)
    if path.is_dir():
        for root in _dir_roots(path):
            for n in names:
                if (root / n).is_file():
                    return n
            for p in prefixes:
                if (root / p).is_dir():
                    return p
        return None
    if path.is_file() and path.suffix.lower() == ".zip" or (path.is_file() and zipfile.is_zipfile(path)):
        st = path.stat()
        zn = _zip_names(str(path), st.st_mtime_ns, st.st_size)
        for n in names:
            if n in zn:
                return n
        for p in prefixes:
            if any(z.startswith(p) for z in zn):
                return p
    return None


def read_head(path: Path, name: str, size: int = 4096) -> bytes:
    """The first ``size`` bytes of file ``name`` inside the export at ``path`` (b"" if absent)."""
    path = Path(path)
    if path.is_dir():
        for root in _dir_roots(path):
            f = root / name
            if f.is_file():
                with open(f, "rb") as fh:
                    return fh.read(size)
        return b""
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                fn = info.filename.replace("\\", "/")
                if fn == name or fn.endswith("/" + name) and fn.count("/") == name.count("/") + 1:
                    with zf.open(info) as fh:
                        return fh.read(size)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
        raise InputError(path, f"damaged or truncated ZIP ({e})") from e
    return b""


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
        raise InputError(display, "not an X archive data file (expected 'window.YTD.<name>.partN = [')", 1)
    return lead, io.BufferedReader(_Prefixed(head[eq + 1 :], fh))


def json_error(display: str, e: Exception, where: str) -> InputError:
    msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return InputError(display, f"not valid JSON at {where} ({msg[:120]})")


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
        raise InputError(display, f"cannot be read ({e})") from e


def load_json(fh: IO[bytes], display: str, limit: int = 256 * 1024**2) -> Any:
    """Load a small JSON file whole (profile files); errors name the file."""
    try:
        data = fh.read(limit + 1)
    except (OSError, EOFError, zipfile.BadZipFile) as e:
        raise InputError(display, f"cannot be read ({e})") from e
    if len(data) > limit:
        raise InputError(display, f"larger than {limit // 1024**2} MB")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise InputError(display, f"not UTF-8 text (byte {e.start})") from e
    except json.JSONDecodeError as e:
        raise InputError(display, f"not valid JSON ({e.msg})", e.lineno) from e


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
