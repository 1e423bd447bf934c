"""The review web application (Starlette), and the guard that keeps it private.

:class:`Guard` wraps the whole application. It refuses any request whose ``Host`` is not this
server's own loopback address (DNS rebinding), any state-changing request whose ``Origin`` is
not this page (cross-site POST), and any path that does not start with the random token. It
adds a strict Content-Security-Policy (scripts and styles only from this server's static
files, no inline script) and related headers to every response.
"""

from __future__ import annotations

import hmac
import mimetypes
import sqlite3
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from repostguard.app.intake import Refused
from repostguard.app.overview import platform_overview, year_chart
from repostguard.decisions import ACTIONS, clear, decide
from repostguard.errors import UserError
from repostguard.findings.legal import LegalContexts
from repostguard.i18n import current_lang
from repostguard.reports.csv_report import csv_text
from repostguard.reports.dossier import render_dossier
from repostguard.store import Store
from repostguard.views import query
from repostguard.views.charts import ACTION_COLOURS, LEVEL_COLOURS, hbars_svg
from repostguard.views.entries import Entries, workspace_entries
from repostguard.views.i18n import ACTION_LABELS, BANK_LABELS, LANGS, LEVEL_LABELS, label, t
from repostguard.views.items import IMAGE_TYPES, item_row, item_view, servable_photo, workspace_roots
from repostguard.views.render import STATIC_DIR, render

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: ``img-src data:``: the dossier embeds a screenshot item's pictures (repostguard.views.pictures)
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self';"
    " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
MAX_FORM = 2 * 1024 * 1024
LANG_COOKIE = "rg_lang"

async def read_form(request: Request) -> dict[str, str]:
    """The request's urlencoded form (the last value of each field); :class:`Refused` past :data:`MAX_FORM`."""
    body = await request.body()
    if len(body) > MAX_FORM:
        raise Refused("app_refuse_form")
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


def _cookie_lang(cookie: str) -> str | None:
    """The page's language from the request's cookies (None when it has not been chosen)."""
    for part in cookie.split(";"):
        name, _, value = part.strip().partition("=")
        if name == LANG_COOKIE and value in LANGS:
            return value
    return None


async def _refuse(send: Send, status: int, text: str) -> None:
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class Guard:
    """ASGI middleware: loopback Host only, same Origin for writes, token path prefix, CSP."""

    def __init__(self, app: ASGIApp, token: str, port: int) -> None:
        self.app = app
        self.token = token
        self.prefix = "/" + token
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{h}" for h in self.hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        lang = _cookie_lang(headers.get("cookie", ""))
        if headers.get("host", "").lower() not in self.hosts:
            await _refuse(send, 403, t("guard_host", lang))
            return
        origin = headers.get("origin")
        if origin == "null":  # opaque origin: trust only the browser's own Sec-Fetch-Site
            origin = None
        if scope["method"] not in ("GET", "HEAD"):
            if origin is None:
                if headers.get("sec-fetch-site") != "same-origin":
                    await _refuse(send, 403, t("guard_origin", lang))
                    return
            elif origin not in self.origins:
                await _refuse(send, 403, t("guard_origin", lang))
                return
        elif origin is not None and origin not in self.origins:
            await _refuse(send, 403, t("guard_origin", lang))
            return
        path: str = scope.get("path", "")
        first = path[1:].split("/", 1)[0] if path.startswith("/") else ""
        if not hmac.compare_digest(first.encode(), self.token.encode()):
            await _refuse(send, 403, t("guard_token", lang))
            return
        rest = path[len(self.prefix) :]
        if rest == "":
            await RedirectResponse(self.prefix + "/", status_code=307)(scope, receive, self._send(send))
            return
        inner = dict(scope)
        inner["path"] = rest
        inner["raw_path"] = rest.encode()
        await self.app(inner, receive, self._send(send))

    @staticmethod
    def _send(send: Send) -> Send:
        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {n for n, _ in SECURITY_HEADERS}
                hdrs = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = dict(message)
                message["headers"] = hdrs + SECURITY_HEADERS
            await send(message)

        return wrapped


class ReviewApp:
    """The pages; one Store is opened per request (SQLite connections stay in their thread)."""

    def __init__(self, db: Path, token: str, entries: Entries, *, start: bool = False) -> None:
        self.db = db
        self.base = "/" + token
        self.entries = entries
        #: served with the start screen (``repostguard app``): the page links to it
        self.start = start

    # -- helpers ---------------------------------------------------------------------------

    def lang(self, request: Request) -> str:
        """The page's language: the one chosen on the page (its cookie), else the program's
        (:func:`repostguard.i18n.current_lang`: ``--lang``, ``$REPOSTGUARD_LANG``, the system's)."""
        lang = request.cookies.get(LANG_COOKIE, "")
        return lang if lang in LANGS else current_lang()

    def render(self, name: str, request: Request, status: int = 200, **ctx: Any) -> HTMLResponse:
        html = render(
            name, self.lang(request), base=self.base, actions=ACTIONS, here=self._here(request),
            start=self.start, **ctx
        )
        return HTMLResponse(html, status_code=status)

    def _here(self, request: Request) -> str:
        qs = request.url.query
        return self.base + request.url.path + (f"?{qs}" if qs else "")

    def _safe_back(self, back: str | None) -> str:
        if back and back.startswith(self.base + "/") and "\\" not in back and "//" not in back[1:]:
            return back
        return self.base + "/"

    def _store(self) -> Store:
        return Store.open(self.db)

    # -- pages -----------------------------------------------------------------------------

    def index(self, request: Request) -> Response:
        lang = self.lang(request)
        sel = query.Selection.from_params(request.query_params)
        try:
            page = max(1, min(100000, int(request.query_params.get("page", "1"))))
        except ValueError:
            page = 1
        with self._store() as store:
            conn = store.conn
            overview = platform_overview(conn)
            if self.start and not overview:  # nothing imported yet: choose an archive first
                return RedirectResponse(self.base + "/start", status_code=303)
            total = query.count_items(conn, sel)
            rows = query.select_items(conn, sel, offset=(page - 1) * query.PAGE_SIZE)
            fmap = query.findings_for(conn, [r["id"] for r in rows], sel)
            roots = workspace_roots(conn, self.db)
            entries = workspace_entries(conn, self.entries)
            views = [item_view(r, fmap[r["id"]], entries, lang, snippet=True, roots=roots) for r in rows]
            st = query.stats(conn)
            fac = query.facets(conn)
        level_labels = {k: label(LEVEL_LABELS, k, lang) for k in LEVEL_LABELS}
        timeline = year_chart(st.by_year, lang)
        bars: list[tuple[str, int, str]] = []
        for bank, lv in st.by_bank_level.items():
            name = label(BANK_LABELS, bank, lang)
            for lvl in ("distribution", "mention", "indicator", "exposure"):
                if lv.get(lvl):
                    bars.append((t("chart_bank_level", lang, bank=name, level=level_labels.get(lvl, lvl)), lv[lvl],
                                 LEVEL_COLOURS[lvl]))
            other = sum(n for lvl, n in lv.items() if lvl not in LEVEL_COLOURS)
            if other:
                bars.append((t("chart_bank_level", lang, bank=name, level=level_labels["other"]), other,
                             LEVEL_COLOURS["other"]))
        summary = hbars_svg(bars, t("by_list", lang))
        progress = hbars_svg(
            [
                (label(ACTION_LABELS, a, lang), st.decisions.get(a, 0), ACTION_COLOURS[a])
                for a in (*ACTIONS, "none")
            ],
            t("progress", lang),
        )
        n_pages = max(1, (total + query.PAGE_SIZE - 1) // query.PAGE_SIZE)
        return self.render(
            "index.html",
            request,
            sel=sel,
            items=views,
            total=total,
            page=page,
            n_pages=n_pages,
            first=(page - 1) * query.PAGE_SIZE + 1 if total else 0,
            last=min(total, page * query.PAGE_SIZE),
            stats=st,
            facets=fac,
            timeline=timeline,
            summary=summary,
            progress=progress,
            saved=request.query_params.get("saved"),
            overview=overview,
            decided=sum(v for k, v in st.decisions.items() if k != "none"),
        )

    def item(self, request: Request) -> Response:
        lang = self.lang(request)
        item_id = str(request.path_params["item_id"])
        with self._store() as store:
            row = item_row(store.conn, item_id)
            if row is None:
                return self.render("error.html", request, status=404, message=t("not_found", lang))
            fmap = query.findings_for(store.conn, [item_id])
            view = item_view(
                row,
                fmap[item_id],
                workspace_entries(store.conn, self.entries),
                lang,
                raw=store.raw_record(item_id),
                roots=workspace_roots(store.conn, self.db),
                legal=LegalContexts(store),
            )
        back = self._safe_back(request.query_params.get("back"))
        return self.render(
            "item.html",
            request,
            item=view,
            back=back,
            entries_error=self.entries.error,
            saved=request.query_params.get("saved"),
        )

    def dossier(self, request: Request) -> Response:
        item_id = str(request.path_params["item_id"])
        with self._store() as store:
            if item_row(store.conn, item_id) is None:
                return self.render(
                    "error.html", request, status=404, message=t("not_found", self.lang(request))
                )
            html = render_dossier(
                store,
                item_id,
                lang=self.lang(request),
                entries=self.entries,
                css_href=f"{self.base}/static/dossier.css",
            )
        return HTMLResponse(html)

    def media(self, request: Request) -> Response:
        """A picture attached to an item: only files the item's own attachments name, only raster images."""
        import json

        item_id = str(request.path_params["item_id"])
        idx = int(request.path_params["idx"])
        with self._store() as store:
            row = store.conn.execute("SELECT attachments FROM items WHERE id=?", (item_id,)).fetchone()
            roots = workspace_roots(store.conn, self.db)
        if row is None:
            return PlainTextResponse(t("media_not_found", self.lang(request)), status_code=404)
        atts = json.loads(row[0] or "[]")
        if (
            not (0 <= idx < len(atts))
            or not isinstance(atts[idx], dict)
            or not servable_photo(atts[idx], roots)
        ):
            return PlainTextResponse(t("media_not_found", self.lang(request)), status_code=404)
        path = Path(str(atts[idx]["path"])).resolve()
        ctype = IMAGE_TYPES[path.suffix.lower()]
        return FileResponse(path, media_type=ctype, headers={"content-disposition": "inline"})

    async def decide(self, request: Request) -> Response:
        body = await request.body()
        if len(body) > MAX_FORM:
            return PlainTextResponse(Refused("app_refuse_form").text(self.lang(request)), status_code=413)
        form = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        fields: dict[str, list[str]] = {}
        for k, v in form:
            fields.setdefault(k, []).append(v)
        action = (fields.get("action") or [""])[-1]
        note_list = fields.get("note")
        note = note_list[-1] if note_list else None
        back = self._safe_back((fields.get("back") or [""])[-1])
        with self._store() as store:
            if (fields.get("bulk_all") or [""])[-1] == "1":
                sel = query.Selection.from_params(dict(parse_qsl((fields.get("sel") or [""])[-1])))
                ids = query.selected_ids(store.conn, sel)
            else:
                ids = [i for i in fields.get("item", []) if i]
            if not ids:
                n = 0
            elif action == "clear":
                n = clear(store, ids)
            elif action in ACTIONS:
                try:
                    n = decide(store, ids, action, note=note, source="page", keep_note=note_list is None)
                except UserError as e:
                    return self.render("error.html", request, status=400, message=str(e))
            else:
                return self.render("error.html", request, status=400,
                                   message=t("unknown_action", self.lang(request), action=action[:40]))
        anchor = f"#item-{quote(ids[0])}" if len(ids) == 1 else ""
        return RedirectResponse(
            _with_param(_drop_param(back, "saved"), "saved", str(n)) + anchor, status_code=303
        )

    def export_csv(self, request: Request) -> Response:
        sel = query.Selection.from_params(request.query_params)
        with self._store() as store:
            text = csv_text(store, sel, lang=self.lang(request), entries=self.entries)
        return Response(
            text.encode("utf-8-sig"),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": 'attachment; filename="repostguard-selection.csv"'},
        )

    def set_lang(self, request: Request) -> Response:
        code = str(request.path_params["code"])
        back = self._safe_back(request.query_params.get("back"))
        resp = RedirectResponse(back, status_code=303)
        if code in LANGS:
            resp.set_cookie(LANG_COOKIE, code, path=self.base + "/", httponly=True, samesite="strict")
        return resp


def _drop_param(url: str, name: str) -> str:
    if "?" not in url:
        return url
    path, qs = url.split("?", 1)
    kept = [(k, v) for k, v in parse_qsl(qs, keep_blank_values=True) if k != name]
    return path + ("?" + urlencode(kept) if kept else "")


def _with_param(url: str, name: str, value: str) -> str:
    return url + ("&" if "?" in url else "?") + f"{name}={quote(value)}"


def create_app(db: Path, token: str, port: int, entries: Entries | None = None) -> ASGIApp:
    """The guarded review application for the workspace ``db``, answering on 127.0.0.1:``port``."""
    return guarded(review_routes(ReviewApp(db, token, entries or Entries())), token, port)


def guarded(routes: list[BaseRoute], token: str, port: int) -> ASGIApp:
    """``routes`` as one application behind the :class:`Guard` of ``token`` and ``port``."""
    mimetypes.add_type("text/javascript", ".js")
    return Guard(Starlette(routes=routes), token, port)


def review_routes(ra: ReviewApp) -> list[BaseRoute]:
    """The review page's routes, and the static files."""
    return [
        Route("/", ra.index),
        Route("/item/{item_id}", ra.item),
        Route("/dossier/{item_id}", ra.dossier),
        Route("/media/{item_id}/{idx:int}", ra.media),
        Route("/decide", ra.decide, methods=["POST"]),
        Route("/export.csv", ra.export_csv),
        Route("/lang/{code}", ra.set_lang),
        Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
    ]


def prepare(db: Path) -> None:
    """Make sure the workspace exists and its full-text index is current (before serving)."""
    with Store.open(db) as store:
        try:
            query.ensure_summary(store.conn)
            query.ensure_fts(store.conn)
        except sqlite3.OperationalError as e:  # pragma: no cover - FTS5 missing from this SQLite
            raise UserError("page_err_no_fts", db=db, reason=e) from e


__all__ = ["create_app", "guarded", "review_routes", "read_form", "Guard", "ReviewApp", "CSP", "prepare"]
