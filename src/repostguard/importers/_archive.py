"""An export as a tree of files, whether the person gives a folder or the ZIP they downloaded.

:class:`ExportArchive` hides the difference: names are POSIX paths relative to the export's
root (wrapper folders such as ``Archive/`` or ``Telegram Desktop/DataExport_…/`` are stripped, by the
one rule every importer's detection also uses: :func:`wrapper_prefix` for a ZIP's names,
:func:`folder_root` for a folder), files are opened as streams
(a 2 GB archive is never read into memory), and media files inside a ZIP are extracted only on
request, one by one, into the workspace's media folder, with the paths checked (no ``../`` or
absolute names) and the sizes capped (no ZIP bombs).
"""

from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO

from repostguard.errors import InputError, Notice

MAX_TOTAL_UNCOMPRESSED = 20 * 1024**3  # 20 GB
MAX_MEMBER = 4 * 1024**3
MAX_RATIO = 200  # uncompressed / compressed, per member larger than 1 MB
MAX_WRAPPERS = 8  # wrapper folders stripped at most
#: folders that are part of an export's own layout, never taken for a wrapper even when they are
#: the only thing in it (an X archive zipped as ``data/``, a Meta export of one section)
CONTENT_FOLDERS = frozenset({
    "data", "your_instagram_activity", "your_facebook_activity", "personal_information",
    "posts", "comments", "likes", "content", "likes_and_reactions", "comments_and_reactions",
    "groups", "pages", "media_attachments", "chats",
})
#: names that do not count when looking for a wrapper folder (macOS and Windows leave them)
_JUNK_TOP = frozenset({"__MACOSX", "Thumbs.db", "desktop.ini"})


def _safe_name(name: str) -> str | None:
    """The member name as a clean relative POSIX path, or None if it tries to escape."""
    n = name.replace("\\", "/")
    if n.startswith("/") or (len(n) > 1 and n[1] == ":"):
        return None
    parts = PurePosixPath(n).parts
    if any(p == ".." for p in parts):
        return None
    return "/".join(p for p in parts if p not in ("", "."))


#: the rule for a file name inside an export (a ZIP member, a file of a folder sent through the app)
safe_member_name = _safe_name


def _junk(name: str) -> bool:
    """True for a path a file manager adds (``__MACOSX/…``, ``.DS_Store``, hidden files)."""
    top = name.split("/", 1)[0]
    return top in _JUNK_TOP or any(part.startswith(".") for part in name.split("/"))


def wrapper_prefix(names: Iterable[str]) -> str:
    """The wrapper folders (``"A/B/"``, or ``""``) around an export whose file names are ``names``.

    A wrapper is a folder that holds everything else (junk aside, see :func:`_junk`) and is not
    one of the :data:`CONTENT_FOLDERS`; any number of them, up to :data:`MAX_WRAPPERS`, is
    stripped. :func:`folder_root` is the same rule for a folder on disk.
    """
    real = [n for n in names if not _junk(n)]
    prefix = ""
    for _ in range(MAX_WRAPPERS):
        if not real:
            break
        top, sep, _rest = real[0].partition("/")
        if not sep or top in CONTENT_FOLDERS:
            break
        cut = top + "/"
        if not all(n.startswith(cut) for n in real):
            break
        prefix += cut
        real = [n[len(cut) :] for n in real]
    return prefix


def folder_root(path: Path) -> Path:
    """The export's root inside folder ``path``: ``path`` itself, or the innermost of the wrapper
    folders it is nested in (each the only entry of its parent, junk aside, and not one of the
    :data:`CONTENT_FOLDERS`). Reads one directory listing per level, never walks the tree."""
    root = Path(path)
    for _ in range(MAX_WRAPPERS):
        try:
            with os.scandir(root) as it:
                entries = [e for e in it if not _junk(e.name)]
        except OSError:
            break
        if len(entries) != 1 or entries[0].name in CONTENT_FOLDERS or not entries[0].is_dir():
            break
        root = Path(entries[0].path)
    return root


class ExportArchive:
    """A folder or a ZIP read the same way. Open with :meth:`open`; use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.zip: zipfile.ZipFile | None = None
        self.prefix = ""
        #: what was skipped or could not be extracted (the importer passes them on as its warnings)
        self.warnings: list[Notice] = []
        self._names: list[str] = []
        self._members: dict[str, zipfile.ZipInfo] = {}

    @classmethod
    def open(cls, path: Path) -> ExportArchive:
        """Open ``path`` (folder or ZIP); raise InputError for a broken, unsafe or bomb-like ZIP."""
        self = cls(path)
        p = self.path
        if p.is_dir():
            root = folder_root(p)
            self.prefix = "" if root == p else root.relative_to(p).as_posix() + "/"
            names = []
            for dirpath, _dirs, files in os.walk(root):
                for f in files:
                    names.append(Path(dirpath, f).relative_to(root).as_posix())
            self._names = sorted(names)
        elif p.is_file() and zipfile.is_zipfile(p):
            try:
                self.zip = zipfile.ZipFile(p)
                infos = self.zip.infolist()
            except (zipfile.BadZipFile, OSError, EOFError) as e:
                raise InputError(p, "err_damaged_zip") from e
            total = 0
            names = []
            for info in infos:
                if info.is_dir():
                    continue
                safe = _safe_name(info.filename)
                if safe is None:
                    self.warnings.append(Notice("err_zip_unsafe_member", file=p, member=info.filename))
                    continue
                total += info.file_size
                if info.file_size > MAX_MEMBER:
                    raise InputError(p, "err_bomb_member_size", member=safe, size=info.file_size)
                if info.file_size > 1024**2 and info.file_size > MAX_RATIO * max(1, info.compress_size):
                    raise InputError(p, "err_bomb_member_ratio", member=safe,
                                     ratio=info.file_size // max(1, info.compress_size))
                self._members[safe] = info
                names.append(safe)
            if total > MAX_TOTAL_UNCOMPRESSED:
                raise InputError(p, "err_bomb_total", gb=total // 1024**3)
            self._set_names(sorted(names))
        elif p.is_file():
            raise InputError(p, "err_not_folder_or_zip")
        else:
            raise InputError(p, "err_no_such_path")
        return self

    def _set_names(self, names: list[str]) -> None:
        """Keep ``names`` (the export's files, sorted) relative to the root, wrappers stripped
        (:func:`wrapper_prefix`); junk outside the root is dropped."""
        self.prefix = wrapper_prefix(names)
        cut = len(self.prefix)
        self._names = [n[cut:] for n in names if n.startswith(self.prefix)]

    def names(self) -> list[str]:
        """Every file, relative to the export root."""
        return list(self._names)

    def exists(self, name: str) -> bool:
        return name in self._name_set

    @property
    def _name_set(self) -> set[str]:
        s = getattr(self, "_ns", None)
        if s is None:
            s = set(self._names)
            self._ns = s
        return s

    def glob(self, prefix: str = "", suffix: str = "") -> Iterator[str]:
        for n in self._names:
            if n.startswith(prefix) and n.endswith(suffix):
                yield n

    def open_bytes(self, name: str) -> IO[bytes]:
        """A binary stream of one file."""
        full = self.prefix + name
        try:
            if self.zip is not None:
                return self.zip.open(self._members[full])
            return open(self.path / full, "rb")
        except KeyError as e:
            raise InputError(self.path, "err_export_lacks_file", name=name) from e
        except (zipfile.BadZipFile, OSError, EOFError) as e:
            raise InputError(self.path, "err_member_cannot_read", name=name) from e

    def size(self, name: str) -> int:
        """The (uncompressed) size of one file in bytes; 0 if it cannot be told."""
        full = self.prefix + name
        if self.zip is not None:
            info = self._members.get(full)
            return info.file_size if info is not None else 0
        try:
            return (self.path / full).stat().st_size
        except OSError:
            return 0

    def read_bytes(self, name: str, limit: int = 512 * 1024**2) -> bytes:
        with self.open_bytes(name) as fh:
            try:
                data = fh.read(limit + 1)
            except (zipfile.BadZipFile, OSError, EOFError) as e:
                raise InputError(self.path, "err_damaged_member", name=name) from e
        if len(data) > limit:
            raise InputError(self.path, "err_member_too_large", name=name, mb=limit // 1024**2)
        return data

    def prefetch(self, name: str) -> None:
        """Ask the system to start reading one file (or its bytes in the ZIP) into its cache.

        An import names the pages it will parse next before it parses them: their reading then
        overlaps the parsing of the pages before, instead of a worker waiting for the disk (in a
        50,000-post import whose archive was not cached, about 3 % of the worker's time).
        Advisory and best effort: nothing happens where ``posix_fadvise`` is missing.
        """
        if not hasattr(os, "posix_fadvise"):
            return
        full = self.prefix + name
        try:
            if self.zip is not None:
                info = self._members.get(full)
                fp = self.zip.fp
                if info is not None and fp is not None:
                    # the member's local header (30 bytes, name, extra field) and its data
                    length = 30 + len(info.orig_filename.encode()) + 1024 + info.compress_size
                    os.posix_fadvise(fp.fileno(), info.header_offset, length, os.POSIX_FADV_WILLNEED)
                return
            fd = os.open(self.path / full, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
            finally:
                os.close(fd)
        except (OSError, ValueError, AttributeError):
            pass

    def display(self, name: str) -> str:
        """How to name a file of the export in messages."""
        return f"{self.path}/{self.prefix}{name}" if self.zip is None else f"{self.path}!{self.prefix}{name}"

    def media_path(self, name: str, media_dir: Path | None) -> Path | None:
        """A real file path for a media file: the file itself in a folder, or a safe extraction."""
        full = self.prefix + name
        if self.zip is None:
            p = self.path / full
            return p if p.is_file() else None
        info = self._members.get(full)
        if info is None or media_dir is None:
            return None
        target = media_dir / full
        if target.is_file() and target.stat().st_size == info.file_size:
            return target
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = target.with_name(target.name + ".part")
        try:
            with self.zip.open(info) as src, open(tmp, "wb") as dst:
                shutil.copyfileobj(src, dst, 1024 * 1024)
        except (zipfile.BadZipFile, OSError, EOFError):
            tmp.unlink(missing_ok=True)
            self.warnings.append(Notice("err_member_not_extracted", file=self.display(name)))
            return None
        os.replace(tmp, target)
        return target

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()

    def __enter__(self) -> ExportArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
