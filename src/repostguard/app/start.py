"""The start screen of ``repostguard app``: choose an archive, see and update the lists, watch the job.

Endpoints (all behind :class:`repostguard.app.web.Guard`: loopback Host, same Origin for every
POST, the token in the path, strict CSP):

- ``GET /start``: the screen; ``GET /job``: the current job as JSON (the page polls it);
- ``POST /upload?name=FILE``: the archive as the request body, streamed into the workspace folder
  (``start.js`` sends the file input's file); JSON back, a refusal as ``{"error": one line}``;
- ``POST /open``: a form with ``path``, a folder or file on disk, only read;
- ``POST /job/cancel``, ``POST /lists/update``: forms; ``POST /lists/install?list=NAME&name=FILE``:
  a list file as the body;
- ``POST /recheck``: re-check the workspace against the lists' changes since its last check (the
  screen offers it when a list changed: :mod:`repostguard.app.changes`), as a background job;
- ``POST /folder/…``: a folder sent file by file through the folder picker (:mod:`repostguard.app.folder`);
- ``POST /settings/zone``: the person's time zone, kept for the workspace (:mod:`repostguard.app.zone`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from repostguard.app.changes import list_changes
from repostguard.app.check import check_routes
from repostguard.app.cleanpage import CleanPage
from repostguard.app.cleanup import CleanUp
from repostguard.app.folder import FolderIntake
from repostguard.app.intake import (
    MAX_LIST_UPLOAD,
    MAX_UPLOAD,
    Refused,
    Upload,
    check_export,
    check_path,
    gb,
    uploads_dir,
)
from repostguard.app.jobs import Busy, Job, Jobs
from repostguard.app.jobview import job_view
from repostguard.app.overview import platform_overview, year_timeline
from repostguard.app.web import ASGIApp, ReviewApp, guarded, read_form, review_routes
from repostguard.app.zone import ZoneScope, zone_options, zone_routes
from repostguard.banks.fsm import FSM_LIST
from repostguard.banks.lifecycle import available_meta, installed_meta, snapshot_in_use
from repostguard.banks.registry import LISTS, update_lists
from repostguard.pipeline.scan import prebuild_index
from repostguard.store import Store
from repostguard.views.entries import Entries
from repostguard.views.i18n import BANK_LABELS, fmt_local, label, t
from repostguard.views.snapshot import snapshot_notice


def lists_info(lang: str) -> list[dict[str, Any]]:
    """Each installable list: its title and, when installed (or packaged: ``snapshot`` says how old it
    is), version, dates, entries and source."""
    out = []
    for name, spec in LISTS.items():
        packaged = snapshot_in_use(spec)
        found = installed_meta(spec) or packaged
        meta = found or {}
        title = spec.title_ru if lang == "ru" else spec.title_en
        title = title[:1].upper() + title[1:]
        short = label(BANK_LABELS, spec.bank, lang)  # «ФСЭМ», as the pages name the list
        out.append({
            "name": name,
            "title": title if short == title else t("list_title_short", lang, title=title, short=short),
            "installed": found is not None,
            "snapshot": snapshot_notice(packaged, lang) if packaged else "",
            "official": (packaged or {}).get("official", True),
            "version": meta.get("version", ""),
            "last_inclusion": meta.get("last_inclusion") or "",
            "fetched": fmt_local(meta.get("fetched_at"), lang),
            "entries": meta.get("entries"),
            "source": meta.get("source", ""),
        })
    return out


@contextmanager
def dropped_if_refused(path: Path) -> Iterator[None]:
    """Delete the received file ``path`` when what is done with it is refused (then the refusal goes on)."""
    try:
        yield
    except Refused:
        path.unlink(missing_ok=True)
        raise


class StartScreen:
    """The start screen's handlers; one :class:`Jobs` per workspace."""

    def __init__(self, review: ReviewApp, jobs: Jobs, *, fsm: Path | None = None,
                 max_upload: int = MAX_UPLOAD) -> None:
        self.review = review
        self.jobs = jobs
        self.fsm = fsm
        self.max_upload = max_upload
        self.db = review.db
        self.base = review.base

    def _snap(self) -> dict[str, Any] | None:
        job = self.jobs.current
        return job.snapshot() if job is not None else None

    def page(self, request: Request, *, error: str = "", status: int = 200, **extra: Any) -> Response:
        lang = self.review.lang(request)
        view = job_view(self._snap(), lang)
        overview, timeline = [], None
        if view["state"] in ("none", "done", "cancelled", "failed"):  # not while a job writes: it would wait
            with Store.open(self.db) as store:
                overview = platform_overview(store.conn)
                timeline = year_timeline(store.conn, lang) if overview else None
        return self.review.render(
            "start.html", request, status=status, job=view, lists=lists_info(lang), overview=overview,
            timeline=timeline, zones=zone_options(self.db, lang),
            error=error, max_gb=gb(self.max_upload),
            has_list=self.has_list(), changes=self._changes(view, lang), **extra,
        )

    def has_list(self) -> bool:
        return self.fsm is not None or available_meta(FSM_LIST) is not None

    def refuse_busy_or_listless(self) -> None:
        """:class:`Refused` when a job runs or no list is available: what an archive is refused for
        before a byte of it is received."""
        if self.jobs.running():
            raise Refused("app_refuse_busy")
        if not self.has_list():
            raise Refused("app_refuse_no_list")

    def _changes(self, view: dict[str, Any], lang: str) -> list[dict[str, Any]]:
        """The lists changed since the workspace's last check (not while a job runs)."""
        return [] if view["state"] == "running" else list_changes(self.db, lang)

    def recheck(self, request: Request) -> Response:
        lang = self.review.lang(request)
        try:
            with Store.open(self.db) as store:
                if not store.count_items():
                    raise Refused("app_refuse_no_items")
            self.jobs.recheck(t("app_recheck_label", lang))
        except Busy:
            return self.page(request, error=Refused("app_refuse_busy").text(lang), status=409)
        except Refused as e:
            return self.page(request, error=e.text(lang), status=e.status)
        return RedirectResponse(self.base + "/start", status_code=303)

    def scan(self, path: Path, label: str) -> Job:
        if not self.has_list():
            raise Refused("app_refuse_no_list")
        try:
            return self.jobs.scan(path, label)
        except Busy as e:
            raise Refused("app_refuse_busy") from e

    def status(self, request: Request) -> Response:
        return JSONResponse(job_view(self._snap(), self.review.lang(request)))

    async def upload(self, request: Request) -> Response:
        lang = self.review.lang(request)
        name = request.query_params.get("name", "")[:300] or "archive"
        try:
            self.refuse_busy_or_listless()
            declared = request.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.max_upload:
                raise Refused("app_refuse_too_large", name=name, gb=gb(self.max_upload))
            path = await self._receive(request, uploads_dir(self.db), name, self.max_upload)
            with dropped_if_refused(path):
                platform = await run_in_threadpool(check_export, path, name)
                job = self.scan(path, name)
        except Refused as e:
            return e.response(lang)
        return JSONResponse({"platform": platform, "job": job_view(job.snapshot(), lang)})

    @staticmethod
    async def _receive(request: Request, folder: Path, name: str, limit: int) -> Path:
        up = Upload(folder, name, limit)
        try:
            async for chunk in request.stream():
                if chunk:
                    up.write(chunk)
        except BaseException:
            up.discard()
            raise
        return up.finish()

    async def open_path(self, request: Request) -> Response:
        lang = self.review.lang(request)
        try:
            text = (await read_form(request)).get("path", "")
            if self.jobs.running():
                raise Refused("app_refuse_busy")
            path = check_path(text)
            await run_in_threadpool(check_export, path, str(path))
            self.scan(path, str(path))
        except Refused as e:
            return self.page(request, error=e.text(lang), status=e.status)
        return RedirectResponse(self.base + "/start", status_code=303)

    def cancel(self, request: Request) -> Response:
        self.jobs.cancel()
        return RedirectResponse(self.base + "/start", status_code=303)

    def lists_update(self, request: Request) -> Response:
        try:
            self._lists_job(t("app_lists_update_label", self.review.lang(request)),
                            lambda: update_lists("all"))
        except Refused as e:
            return self.page(request, error=e.text(self.review.lang(request)), status=e.status)
        return RedirectResponse(self.base + "/start", status_code=303)

    async def lists_install(self, request: Request) -> Response:
        lang = self.review.lang(request)
        which = request.query_params.get("list", FSM_LIST.name)
        name = request.query_params.get("name", "")[:300] or "list"
        try:
            if which not in LISTS:
                raise Refused("app_refuse_list_name", name=which)
            if self.jobs.running():
                raise Refused("app_refuse_busy")
            path = await self._receive(request, uploads_dir(self.db), "list-" + name, MAX_LIST_UPLOAD)

            def install() -> str:
                try:
                    return update_lists(which, from_file=path)
                finally:
                    path.unlink(missing_ok=True)

            with dropped_if_refused(path):
                job = self._lists_job(name, install)
        except Refused as e:
            return e.response(lang)
        return JSONResponse({"job": job_view(job.snapshot(), lang)})

    def _lists_job(self, label: str, update: Any) -> Job:
        def run() -> str:
            out = str(update())
            prebuild_index()
            self.review.entries = Entries(self.fsm)  # the page looks entries up in the new list
            return out

        try:
            return self.jobs.lists(label, run)
        except Busy as e:
            raise Refused("app_refuse_busy") from e

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/start", self.page),
            Route("/job", self.status),
            Route("/upload", self.upload, methods=["POST"]),
            Route("/open", self.open_path, methods=["POST"]),
            Route("/job/cancel", self.cancel, methods=["POST"]),
            Route("/lists/update", self.lists_update, methods=["POST"]),
            Route("/lists/install", self.lists_install, methods=["POST"]),
            Route("/recheck", self.recheck, methods=["POST"]),
        ]


def create_start_app(db: Path, token: str, port: int, entries: Entries | None = None, *,
                     jobs: Jobs | None = None, fsm: Path | None = None,
                     max_upload: int = MAX_UPLOAD, cleanup: CleanUp | None = None) -> tuple[ASGIApp, Jobs]:
    """The guarded app (start screen, review page, clean-up) for the workspace ``db``, and its jobs."""
    review = ReviewApp(db, token, entries or Entries(fsm), start=True)
    jobs = jobs if jobs is not None else Jobs(db, fsm=fsm)
    screen = StartScreen(review, jobs, fsm=fsm, max_upload=max_upload)
    clean = CleanPage(review, cleanup if cleanup is not None else CleanUp(db, jobs))
    routes = [*screen.routes(), *FolderIntake(screen).routes(), *zone_routes(screen), *check_routes(screen),
              *clean.routes(), *review_routes(review)]
    return ZoneScope(guarded(routes, token, port), db), jobs


__all__ = ["StartScreen", "create_start_app", "job_view", "lists_info"]
