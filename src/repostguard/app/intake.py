"""Taking an archive in: an upload streamed into the workspace folder, or a path on the person's disk.

An upload is written to ``<workspace>.uploads/`` (beside the database, owner-only) as it arrives,
never held in memory, and is refused past :data:`MAX_UPLOAD` bytes. Before anything is imported,
:func:`check_export` applies the importers' rules: a ZIP is opened with
:class:`~repostguard.importers._archive.ExportArchive` (unsafe names, ZIP bombs), then the platform
is detected and the export verified. A refused upload is deleted at once: nothing of it stays.
A path outside the workspace is only read, never written (media a ZIP holds are extracted into
the workspace's media folder). Every refusal is a :class:`Refused`: one line in the person's
language, built from a key of the catalogues (:mod:`repostguard.i18n`).
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from pathlib import Path

from starlette.responses import JSONResponse

from repostguard.errors import InputError, UserError
from repostguard.importers._archive import ExportArchive
from repostguard.importers.registry import detect
from repostguard.views.i18n import t

#: the largest upload taken (bytes); a larger archive is opened from its path instead
MAX_UPLOAD = 16 * 1024**3
#: the largest list file taken through the page
MAX_LIST_UPLOAD = 64 * 1024**2
_STATUS = {"app_refuse_busy": 409, "app_refuse_too_large": 413, "app_refuse_folder_large": 413,
           "app_refuse_folder_many": 413, "app_refuse_form": 413, "check_refuse_picture_large": 413,
           "check_refuse_no_ocr": 503}
_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)


class Refused(UserError):
    """An archive or path the app will not take; ``key`` names the sentence in the catalogue."""

    def __init__(self, key: str, **fields: object) -> None:
        super().__init__(t(key, "en", **fields))
        self.key = key
        self.fields = fields
        #: the HTTP status the app answers with
        self.status = _STATUS.get(key, 400)

    def text(self, lang: str) -> str:
        """The refusal in ``lang``, one line."""
        return t(self.key, lang, **self.fields)

    def response(self, lang: str) -> JSONResponse:
        """The refusal as the page's scripts take it: ``{"error": one line}`` with its status."""
        return JSONResponse({"error": self.text(lang)}, status_code=self.status)


def gb(limit: int) -> int:
    """``limit`` bytes in whole gigabytes (at least 1), as the refusals and the page say it."""
    return max(1, limit // 1024**3)


def uploads_dir(db: Path) -> Path:
    """Where uploads of the workspace ``db`` are kept, created owner-only."""
    d = db.with_name(db.name + ".uploads")
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    return d


def safe_filename(name: str) -> str:
    """The last component of ``name`` with only letters, digits, ``.``, ``-`` and ``_`` kept."""
    base = re.split(r"[\\/]", name or "")[-1]
    clean = _UNSAFE.sub("_", base).strip("._")[:100]
    return clean or "archive"


def check_export(path: Path, name: str) -> str:
    """The platform of the export at ``path`` (named ``name`` to the person), or :class:`Refused`."""
    try:
        if path.is_file() and zipfile.is_zipfile(path):
            ExportArchive.open(path).close()  # unsafe names are skipped, bombs and damage refused
        importer = detect(path, None)
        importer.verify()
    except InputError as e:
        key = e.key  # the catalogue key of the error (domain ``errors``): its name says what kind it is
        if key.startswith("err_bomb_"):
            raise Refused("app_refuse_bomb", name=name) from e
        if key.startswith("err_damaged_"):
            raise Refused("app_refuse_damaged", name=name) from e
        if key.startswith("err_no_such_"):
            raise Refused("app_refuse_no_path", name=name) from e
        raise Refused("app_refuse_not_export", name=name) from e
    except OSError as e:
        raise Refused("app_refuse_unreadable", name=name) from e
    return importer.platform


def check_path(text: str) -> Path:
    """A path the person typed (quotes and ``~`` allowed): an existing folder or regular file."""
    raw = (text or "").strip().strip('"').strip("'").strip()
    if not raw:
        raise Refused("app_refuse_no_path", name="")
    path = Path(raw).expanduser()
    if not path.is_absolute():
        raise Refused("app_refuse_relative", name=raw)
    try:
        mode = path.stat().st_mode
    except OSError as e:
        raise Refused("app_refuse_no_path", name=raw) from e
    if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
        raise Refused("app_refuse_not_file", name=raw)
    return path.resolve()


class Upload:
    """One upload being written: :meth:`write` each chunk, then :meth:`finish` or :meth:`discard`."""

    def __init__(self, folder: Path, name: str, limit: int) -> None:
        self.name = name
        self.limit = limit
        self.size = 0
        stem = safe_filename(name)
        n = 0
        while True:
            target = folder / (stem if n == 0 else f"{n}-{stem}")
            if not target.exists() and not target.with_name(target.name + ".part").exists():
                break
            n += 1
        self.target = target
        self.part = target.with_name(target.name + ".part")
        fd = os.open(self.part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self.fh = os.fdopen(fd, "wb")

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.limit:
            self.discard()
            raise Refused("app_refuse_too_large", name=self.name, gb=gb(self.limit))
        self.fh.write(chunk)

    def finish(self) -> Path:
        """Close the file and give it its name; an empty upload is refused."""
        self.fh.close()
        if self.size == 0:
            self.discard()
            raise Refused("app_refuse_empty", name=self.name)
        os.replace(self.part, self.target)
        return self.target

    def discard(self) -> None:
        """Close and delete whatever was written."""
        if not self.fh.closed:
            self.fh.close()
        self.part.unlink(missing_ok=True)
        self.target.unlink(missing_ok=True)


__all__ = ["Refused", "Upload", "check_export", "check_path", "gb", "safe_filename", "uploads_dir", "MAX_UPLOAD"]
