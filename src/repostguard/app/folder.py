"""A folder sent through the browser's folder picker (Telegram Desktop exports a folder), file by file.

``start.js`` reads the folder input (``webkitdirectory``) and sends, one request each:

- ``POST /folder/begin?name=TOP&files=N&bytes=B``: the folder's name and what the browser says it
  holds; refused at once past :data:`MAX_FOLDER_FILES` files or the upload limit; a fresh folder
  ``<workspace>.uploads/<name>.part/`` (owner-only) is made, and its id returned;
- ``POST /folder/file?id=ID&path=REL``: one file as the request body, ``REL`` its path inside the
  folder (the browser's ``webkitRelativePath``), kept as it is;
- ``POST /folder/done?id=ID``: the folder is given its name, checked like an uploaded ZIP
  (:func:`~repostguard.app.intake.check_export`: platform detected, export verified) and imported
  and scanned as a job; ``POST /folder/cancel?id=ID`` drops it.

The paths follow the importers' rules for ZIP members (:func:`~repostguard.importers._archive.safe_member_name`:
no ``..``, no absolute or drive paths), the sizes are capped (each file at
:data:`~repostguard.importers._archive.MAX_MEMBER`, the folder at the upload limit) and so is the
number of files. Any refusal deletes the whole folder: nothing of a refused folder stays. One folder
is received at a time; a new ``begin`` drops an unfinished one. All behind
:class:`repostguard.app.web.Guard` (loopback Host, same Origin, the token in the path).
"""

from __future__ import annotations

import hmac
import os
import secrets
import shutil
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from repostguard.app.intake import Refused, check_export, gb, safe_filename, uploads_dir
from repostguard.app.jobview import job_view
from repostguard.app.screen import Screen
from repostguard.importers._archive import MAX_MEMBER, safe_member_name

#: the most files a folder may hold
MAX_FOLDER_FILES = 200_000
#: the deepest a file may sit inside the folder
MAX_DEPTH = 32


class FolderUpload:
    """One folder being received into ``<uploads>/<name>.part/``: :meth:`add` each file, then
    :meth:`finish` or :meth:`discard`."""

    def __init__(self, uploads: Path, name: str, *, total_limit: int, file_limit: int, max_files: int) -> None:
        self.id = secrets.token_hex(12)
        self.name = name
        self.total_limit = total_limit
        self.file_limit = file_limit
        self.max_files = max_files
        self.size = 0
        self.files = 0
        stem = safe_filename(name)
        n = 0
        while True:
            target = uploads / (stem if n == 0 else f"{n}-{stem}")
            part = target.with_name(target.name + ".part")
            if not target.exists():
                try:
                    part.mkdir(mode=0o700)
                    break
                except FileExistsError:
                    pass
            n += 1
        self.target = target
        self.part = part
        self.finished = False

    def _path(self, rel: str) -> Path:
        """Where the file ``rel`` goes, or :class:`Refused` when its path is unsafe."""
        clean = safe_member_name(rel) if "\0" not in rel else None
        if not clean or len(clean.split("/")) > MAX_DEPTH:
            raise Refused("app_refuse_folder_path", name=self.name, path=rel[:200])
        target = self.part.joinpath(*clean.split("/"))
        if not target.resolve().is_relative_to(self.part.resolve()):  # belt and braces
            raise Refused("app_refuse_folder_path", name=self.name, path=rel[:200])
        return target

    async def add(self, rel: str, request: Request) -> None:
        """Receive one file (the request's body) at ``rel``; any refusal leaves the file unwritten
        (the caller then discards the whole folder)."""
        if self.files >= self.max_files:
            raise Refused("app_refuse_folder_many", name=self.name, n=self.max_files)
        target = self._path(rel)
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as e:
            raise Refused("app_refuse_folder_path", name=self.name, path=rel[:200]) from e
        except OSError as e:
            raise Refused("app_refuse_unreadable", name=rel[:200]) from e
        self.files += 1
        written = 0
        with os.fdopen(fd, "wb") as fh:
            async for chunk in request.stream():
                if not chunk:
                    continue
                written += len(chunk)
                self.size += len(chunk)
                if written > self.file_limit:
                    raise Refused("app_refuse_too_large", name=rel[:200], gb=gb(self.file_limit))
                if self.size > self.total_limit:
                    raise Refused("app_refuse_folder_large", name=self.name, gb=gb(self.total_limit))
                fh.write(chunk)

    def finish(self) -> Path:
        """Give the folder its name; a folder without files is refused."""
        if self.files == 0:
            raise Refused("app_refuse_empty", name=self.name)
        os.replace(self.part, self.target)
        self.finished = True
        return self.target

    def discard(self) -> None:
        """Delete whatever was received."""
        shutil.rmtree(self.part, ignore_errors=True)
        if self.finished:
            shutil.rmtree(self.target, ignore_errors=True)


class FolderIntake:
    """The folder endpoints of the start screen ``screen``; at most one folder is received at a time."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self.current: FolderUpload | None = None

    def _drop(self) -> None:
        if self.current is not None:
            self.current.discard()
            self.current = None

    def _take(self, request: Request) -> FolderUpload:
        """The folder the request names by its id, or :class:`Refused`."""
        given = request.query_params.get("id", "")
        cur = self.current
        if cur is None or not hmac.compare_digest(given.encode(), cur.id.encode()):
            raise Refused("app_refuse_folder_gone")
        return cur

    @staticmethod
    def _count(request: Request, key: str) -> int:
        value = request.query_params.get(key, "0")
        return int(value) if value.isdigit() else 0

    async def begin(self, request: Request) -> Response:
        screen = self.screen
        lang = screen.review.lang(request)
        name = request.query_params.get("name", "")[:300] or "folder"
        try:
            screen.refuse_busy_or_listless()
            if self._count(request, "files") > MAX_FOLDER_FILES:
                raise Refused("app_refuse_folder_many", name=name, n=MAX_FOLDER_FILES)
            if self._count(request, "bytes") > screen.max_upload:
                raise Refused("app_refuse_folder_large", name=name, gb=gb(screen.max_upload))
            self._drop()
            self.current = FolderUpload(uploads_dir(screen.db), name, total_limit=screen.max_upload,
                                        file_limit=min(MAX_MEMBER, screen.max_upload), max_files=MAX_FOLDER_FILES)
        except Refused as e:
            return e.response(lang)
        return JSONResponse({"id": self.current.id})

    async def file(self, request: Request) -> Response:
        lang = self.screen.review.lang(request)
        try:
            folder = self._take(request)
            try:
                await folder.add(request.query_params.get("path", ""), request)
            except BaseException:
                self._drop()
                raise
        except Refused as e:
            return e.response(lang)
        return JSONResponse({"files": folder.files})

    async def done(self, request: Request) -> Response:
        screen = self.screen
        lang = screen.review.lang(request)
        try:
            folder = self._take(request)
            self.current = None
            try:
                if screen.jobs.running():
                    raise Refused("app_refuse_busy")
                path = folder.finish()
                platform = await run_in_threadpool(check_export, path, folder.name)
                job = screen.scan(path, folder.name)
            except BaseException:
                folder.discard()
                raise
        except Refused as e:
            return e.response(lang)

        return JSONResponse({"platform": platform, "job": job_view(job.snapshot(), lang)})

    def cancel(self, request: Request) -> Response:
        try:
            self._take(request)
        except Refused:
            return JSONResponse({"dropped": False})
        self._drop()
        return JSONResponse({"dropped": True})

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/folder/begin", self.begin, methods=["POST"]),
            Route("/folder/file", self.file, methods=["POST"]),
            Route("/folder/done", self.done, methods=["POST"]),
            Route("/folder/cancel", self.cancel, methods=["POST"]),
        ]


__all__ = ["FolderIntake", "FolderUpload", "MAX_FOLDER_FILES"]
