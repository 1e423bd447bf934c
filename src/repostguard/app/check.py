"""The check box of the start screen (issue 20, part 5): a text, a link or a picture checked before
it is posted, against every installed list, with the words of ``repostguard check``; nothing stored.

Endpoints (behind :class:`repostguard.app.web.Guard`, as every POST of the app: loopback Host, same
Origin, the token in the path, strict CSP):

- ``POST /check``: a form with ``text`` (a text or one link: a link is matched as a link, never
  opened) and ``kind`` (post, repost, comment, message). Without JavaScript the start screen is
  drawn again with the answer in the box; with ``?part=1`` (``check.js``) only the answer
  (``_check_result.html``), so the page is not reloaded;
- ``POST /check/picture?name=FILE&kind=KIND``: the picture as the request body (as the archive
  upload), at most :data:`MAX_PICTURE` bytes, written to a private temporary folder outside the
  workspace and deleted as soon as it is checked; the answer as ``_check_result.html``.

The :class:`~repostguard.pipeline.check.Checker` is built on the first check and kept; it is built
again when an installed list (or the workspace's hash banks) changed, e.g. after «Обновить списки».
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
import threading
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from repostguard.app.intake import Refused, safe_filename
from repostguard.app.screen import Screen
from repostguard.app.web import read_form
from repostguard.banks.lifecycle import installed_meta
from repostguard.banks.registry import LISTS
from repostguard.errors import ExternalError, InputError, UserError
from repostguard.pipeline.check import CHECK_KINDS, MAX_TEXT_CHARS, Checker, CheckResult, open_workspace_readonly
from repostguard.views.i18n import BANK_LABELS, LEVEL_LABELS, label, t, version_label
from repostguard.views.items import entry_label, is_list_bank
from repostguard.views.render import render

#: the largest picture taken (bytes)
MAX_PICTURE = 25 * 1024**2
#: how much of the text read from a picture is shown (as the CLI)
OCR_SHOWN = 300
#: findings shown in full (a pasted text rarely has more; the rest are counted)
SHOWN = 50
_LINK = re.compile(r"^(?:https?://|www\.)\S+$|^[\w.-]+\.[^\W\d_]{2,}(?:[/?#]\S*)?$", re.IGNORECASE)


def is_link(value: str) -> bool:
    """Whether ``value`` (stripped) is one link rather than a text: checked as a link then."""
    return bool(_LINK.match(value)) and not any(c.isspace() for c in value)


def result_view(result: CheckResult, lang: str) -> dict[str, Any]:
    """What the box shows of ``result``, in ``lang``: the words of ``repostguard check``."""
    findings = []
    for f, legal in list(zip(result.findings, result.legal, strict=True))[:SHOWN]:
        findings.append({
            "level": f.level,
            "level_label": label(LEVEL_LABELS, f.level, lang),
            "bank_label": label(BANK_LABELS, f.bank, lang),
            "entry": entry_label(f.bank, f.entry, None, lang),
            "explanation": f.explanation_ru if lang == "ru" else f.explanation_en,
            "risk": (legal.get("risk") or {}).get(lang) or "",
        })
    ocr = None
    if result.ocr_text is not None:
        ocr = " ".join(result.ocr_text.split())
        if len(ocr) > OCR_SHOWN:
            ocr = ocr[:OCR_SHOWN] + "…"
    return {
        "what": result.what,
        "found": bool(result),
        "n": len(result),
        "more": max(0, len(result) - SHOWN),
        "lists": "; ".join(
            t("check_list_version" if is_list_bank(cl.bank) or cl.bank == "hashes" else "check_list_rules", lang,
              title=label(BANK_LABELS, cl.bank, lang), v=version_label(cl.version, lang))
            for cl in result.lists),
        "ocr_text": ocr,
        "notes": [t(n.key, lang, **n.fields) for n in result.notes],
        "findings": findings,
    }


class CheckBox:
    """The check box's handlers and its cached :class:`Checker`."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self.review = screen.review
        self._checker: Checker | None = None
        self._key: tuple[Any, ...] | None = None
        self._lock = threading.Lock()

    # -- the checker --------------------------------------------------------------------------

    def _lists_key(self) -> tuple[Any, ...]:
        """What the checker was built from: each installed list's version, the FSM file given, the
        workspace's hash bank entries; a change means the checker is built again."""
        key: list[Any] = []
        for spec in LISTS.values():
            meta = installed_meta(spec) or {}
            key.append((meta.get("version"), meta.get("sha256"), meta.get("fetched_at")))
        fsm = self.screen.fsm
        if fsm is not None:
            try:
                st = fsm.stat()
                key.append((str(fsm), st.st_mtime_ns, st.st_size))
            except OSError:
                key.append(str(fsm))
        key.append(self._hash_entries())
        return tuple(key)

    def _hash_entries(self) -> int:
        ws = open_workspace_readonly(self.screen.db)
        if ws is None:
            return 0
        try:
            return int(ws.conn.execute("SELECT count(*) FROM hash_bank_entries").fetchone()[0])
        except sqlite3.Error:
            return 0
        finally:
            ws.close()

    def checker(self) -> Checker:
        """The checker, built on first use and again when a list changed (UserError: no list)."""
        key = self._lists_key()
        with self._lock:
            if self._checker is None or key != self._key:
                ws = open_workspace_readonly(self.screen.db)  # read only: nothing written to it
                try:
                    self._checker = Checker(ws, fsm=self.screen.fsm)
                finally:
                    if ws is not None:
                        ws.close()
                self._key = key  # the old checker is dropped, not closed: a check may still use it
            return self._checker

    def _ready(self) -> Checker:
        try:
            return self.checker()
        except UserError as e:
            raise Refused("app_refuse_no_list") from e

    # -- the endpoints ------------------------------------------------------------------------

    async def check(self, request: Request) -> Response:
        lang = self.review.lang(request)
        text, kind = "", "post"
        try:
            fields = await read_form(request)
            text = fields.get("text", "")
            kind = fields.get("kind", "post") if fields.get("kind") in CHECK_KINDS else "post"
            value = text.strip()
            if not value:
                raise Refused("check_refuse_empty")
            if len(value) > MAX_TEXT_CHARS:
                raise Refused("check_refuse_long", n=f"{MAX_TEXT_CHARS:,}".replace(",", "\u202f"))
            checker = await run_in_threadpool(self._ready)
            run = checker.check_link if is_link(value) else checker.check_text
            result = await run_in_threadpool(run, value, kind=kind)
        except Refused as e:
            return self._answer(request, error=e.text(lang), status=e.status, text=text, kind=kind)
        return self._answer(request, result=result_view(result, lang), text=text, kind=kind)

    async def check_picture(self, request: Request) -> Response:
        lang = self.review.lang(request)
        name = request.query_params.get("name", "")[:300] or "picture"
        kind = request.query_params.get("kind", "post")
        kind = kind if kind in CHECK_KINDS else "post"
        mb = MAX_PICTURE // 1024**2
        folder: Path | None = None
        try:
            declared = request.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > MAX_PICTURE:
                raise Refused("check_refuse_picture_large", name=name, mb=mb)
            folder = Path(tempfile.mkdtemp(prefix="repostguard-check-"))  # owner-only, outside the workspace
            path = folder / ("picture" + Path(safe_filename(name)).suffix.lower()[:10])
            size = 0
            with path.open("wb") as fh:
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > MAX_PICTURE:
                        raise Refused("check_refuse_picture_large", name=name, mb=mb)
                    fh.write(chunk)
            if size == 0:
                raise Refused("check_refuse_no_picture")
            checker = await run_in_threadpool(self._ready)
            try:
                result = await run_in_threadpool(checker.check_picture, path, kind=kind)
            except InputError as e:
                raise Refused("check_refuse_not_picture", name=name) from e
            except ExternalError as e:
                raise Refused("check_refuse_no_ocr") from e
        except Refused as e:
            return self._fragment(request, error=e.text(lang), status=e.status)
        finally:
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
        return self._fragment(request, result=result_view(result, lang))

    def _fragment(self, request: Request, *, status: int = 200, **ctx: Any) -> Response:
        html = render("_check_result.html", self.review.lang(request), check=ctx.get("result"),
                      check_error=ctx.get("error", ""))
        return HTMLResponse(html, status_code=status)

    def _answer(self, request: Request, *, status: int = 200, text: str, kind: str, **ctx: Any) -> Response:
        """Only the answer (``?part=1``, the page's script), or the whole start screen with it."""
        if request.query_params.get("part") == "1":
            return self._fragment(request, status=status, **ctx)
        return self.screen.page(request, status=status, check=ctx.get("result"),
                                check_error=ctx.get("error", ""), check_text=text, check_kind=kind)

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/check", self.check, methods=["POST"]),
            Route("/check/picture", self.check_picture, methods=["POST"]),
        ]


def check_routes(screen: Screen) -> list[BaseRoute]:
    """The check box's routes for the start screen ``screen``."""
    return CheckBox(screen).routes()


__all__ = ["CheckBox", "check_routes", "is_link", "result_view", "MAX_PICTURE"]
