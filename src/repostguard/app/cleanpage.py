"""The clean-up page of ``repostguard app`` (``/clean``), after the review.

Endpoints (behind :class:`repostguard.app.web.Guard`, like every page): ``GET /clean`` the page
(``?all=1``: the checklist holds every planned item, for a person without access); ``GET
/clean/status`` the run as JSON (the page polls it); forms: ``POST /clean/backup`` (the passphrase,
twice; used and dropped), ``/clean/access`` (the address VK's page ended on), ``/clean/confirm``,
``/clean/forget``, ``/clean/run`` (start or continue), ``/clean/pause``, ``/clean/captcha``,
``/clean/tick``, ``/clean/closed`` (the end check: does the access still work?).
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from repostguard.actions.checklist import tick
from repostguard.actions.vk_token import client_ids, token_link
from repostguard.app import cleanview as cv
from repostguard.app.cleanup import PAGE_PLATFORMS, CleanUp
from repostguard.app.intake import Refused
from repostguard.app.jobview import job_view
from repostguard.app.web import ReviewApp, read_form
from repostguard.errors import UserError
from repostguard.store import Store
from repostguard.views.i18n import fmt_local, t


class CleanPage:
    """The page's handlers over one :class:`CleanUp`."""

    def __init__(self, review: ReviewApp, cleanup: CleanUp) -> None:
        self.review = review
        self.cleanup = cleanup
        self.base = review.base

    def _job(self, lang: str) -> dict[str, Any]:
        job = self.cleanup.jobs.current
        if job is None or job.kind != "clean":
            return {"state": "none"}
        return job_view(job.snapshot(), lang)

    def page(self, request: Request, *, error: str = "", status: int = 200) -> Response:
        lang = self.review.lang(request)
        cu = self.cleanup
        everything = request.query_params.get("all") == "1"
        job = self._job(lang)
        with Store.open(cu.db) as store:
            plan = cu.plan(store)
            vk = cv.progress(store, plan, "vk")
            ctx = {
                "rows": cv.plan_rows(store, plan, lang),
                "needs_backup": cv.needs_backup(store, plan),
                "vk_progress": vk,
                "vk_now": cv.vk_now(store),
                "checklist": cv.checklist(store, plan, lang, everything=everything, denied=vk["denied_ids"]),
                "journal": cv.journal(store, lang),
                "interrupted": cv.interrupted(store) and job["state"] != "running",
            }
        access = cu.access.get("vk")
        retry = cu.retry_after().get("vk")
        return self.review.render(
            "clean.html", request, status=status, error=error, job=job, everything=everything,
            plan_empty=not plan.entries, access=access, stop=cu.stop, closed=cu.closed.get("vk"),
            links=[(cid, name, token_link(cid)) for cid, name in client_ids()],
            retry_after=fmt_local(retry, lang) if retry else "", backup_note=cu.backup_note,
            backup_at=fmt_local(cu.backup_note.get("at"), lang), page_platforms=PAGE_PLATFORMS, **ctx,
        )

    def status(self, request: Request) -> Response:
        lang = self.review.lang(request)
        return JSONResponse(self._job(lang))

    async def _act(self, request: Request, anchor: str, work: Any, *, query: str = "") -> Response:
        """Run ``work(form)`` (in a thread: it may wait on the platform or the disk); back to the page,
        or the page with the refusal in words."""
        lang = self.review.lang(request)
        try:
            form = await read_form(request)
            await run_in_threadpool(work, form, lang)
        except Refused as e:
            return self.page(request, error=e.text(lang), status=e.status)
        except UserError as e:
            return self.page(request, error=str(e).splitlines()[0], status=400)
        return RedirectResponse(f"{self.base}/clean{query}#{anchor}", status_code=303)

    async def backup(self, request: Request) -> Response:
        return await self._act(request, "backup", lambda f, lang: self.cleanup.backup(
            f.get("passphrase", ""), f.get("again", "")))

    async def access(self, request: Request) -> Response:
        return await self._act(request, "access", lambda f, lang: self.cleanup.connect("vk", f.get("address", "")))

    async def confirm(self, request: Request) -> Response:
        return await self._act(request, "run", lambda f, lang: self.cleanup.confirm("vk"))

    async def forget(self, request: Request) -> Response:
        return await self._act(request, "access", lambda f, lang: self.cleanup.forget("vk"))

    async def run(self, request: Request) -> Response:
        return await self._act(request, "run", lambda f, lang: self.cleanup.start(
            t("clean_job_label", lang), anyway=f.get("anyway") == "1"))

    async def pause(self, request: Request) -> Response:
        return await self._act(request, "run", lambda f, lang: self.cleanup.pause())

    async def captcha(self, request: Request) -> Response:
        return await self._act(request, "run", lambda f, lang: self.cleanup.answer_captcha(
            f.get("key", ""), t("clean_job_label", lang)))

    async def closed(self, request: Request) -> Response:
        return await self._act(request, "end", lambda f, lang: self.cleanup.check_closed("vk"))

    async def tick(self, request: Request) -> Response:
        def work(form: dict[str, str], lang: str) -> None:
            with Store.open(self.cleanup.db) as store:
                tick(store, form.get("item", ""), undo=form.get("undo") == "1")

        query = "?all=1" if request.query_params.get("all") == "1" else ""
        return await self._act(request, "checklist", work, query=query)

    def routes(self) -> list[BaseRoute]:
        post = ["POST"]
        return [
            Route("/clean", self.page),
            Route("/clean/status", self.status),
            Route("/clean/backup", self.backup, methods=post),
            Route("/clean/access", self.access, methods=post),
            Route("/clean/confirm", self.confirm, methods=post),
            Route("/clean/forget", self.forget, methods=post),
            Route("/clean/run", self.run, methods=post),
            Route("/clean/pause", self.pause, methods=post),
            Route("/clean/captcha", self.captcha, methods=post),
            Route("/clean/closed", self.closed, methods=post),
            Route("/clean/tick", self.tick, methods=post),
        ]


__all__ = ["CleanPage"]
