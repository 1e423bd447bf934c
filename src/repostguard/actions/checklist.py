"""The guided checklist for what must be done by hand (platforms without a deletion API, hiding).

The page lists each item with its direct link shown as text (never as something the page
opens or previews), what to do on that platform, and a tick. Ticks are saved to the store
(``clean_ticks``) with the page's buttons when it is served locally (:func:`serve`, bound to
127.0.0.1) or with ``repostguard clean tick``; a tick on a ``delete`` entry also records the
item as gone (a tombstone with the date) and a ``manual`` row in the journal. Every text from an
item is escaped.
"""

from __future__ import annotations

import html
import json
import secrets
import threading
from collections.abc import Callable
from datetime import datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import parse_qs

from repostguard.actions.planner import ACTION_KEYS, Entry, in_words
from repostguard.actions.registry import find, label_of
from repostguard.errors import Notice, UserError
from repostguard.i18n import LANG, current_lang, label, t
from repostguard.paths import atomic_write
from repostguard.store import Store, now_iso
from repostguard.views.i18n import KIND_LABELS, display_zone, fmt_date, parse_moment

#: what to do by hand on a platform the clean-up does not know (a catalogue key)
GENERIC_HOWTO = "act_howto_generic"
#: the command that ticks an item, shown under each item of the static page
TICK_COMMAND = "repostguard clean tick"


def year_of(value: str | None) -> str:
    """The year of a stored date in the person's zone (:func:`repostguard.views.i18n.display_zone`), or ``?``."""
    m = parse_moment(value)
    if m is None:
        return "?"
    if isinstance(m, datetime) and m.tzinfo is not None:
        m = m.astimezone(display_zone())
    return str(m.year)


def grouped(entries: list[Entry]) -> dict[str, list[tuple[tuple[str, str], list[Entry]]]]:
    """The entries by platform, then by kind and year (in that order), so hundreds can be worked through."""
    out: dict[str, dict[tuple[str, str], list[Entry]]] = {}
    for e in entries:
        out.setdefault(e.platform, {}).setdefault((e.kind, year_of(e.date)), []).append(e)
    return {p: sorted(groups.items()) for p, groups in sorted(out.items())}


def describe(e: Entry, lang: str | None = None) -> str:
    """How to find an item that has no link: «пост от 12.03.2019 с картинкой, на скриншоте (Одноклассники)»."""
    lang = lang or current_lang()
    what = label(KIND_LABELS, "post" if e.kind in ("screenshot", "page") else e.kind, lang)
    out = t("act_described", lang, what=what, date=fmt_date(e.date, lang) if e.date else "—")
    if e.pictures:
        out += " " + t("act_described_pictures", lang, n=e.pictures)
    if e.kind in ("screenshot", "page", "avatar"):
        out += ", " + t(f"act_described_{e.kind}", lang)
    if e.network and e.network not in ("unknown", e.platform):
        out += f" ({label_of(e.network, lang)})"
    return out


def howto(platform: str, lang: str | None = None) -> str:
    """What to do by hand on ``platform``, in ``lang`` (default: the current language): its declaration's
    wording (:attr:`~repostguard.actions._base.Platform.howto`), else the generic one."""
    declared = find(platform)
    return t(declared.howto if declared is not None else GENERIC_HOWTO, lang)


def ticks(store: Store) -> dict[str, str]:
    return {r[0]: r[1] for r in store.conn.execute("SELECT item_id, ticked_at FROM clean_ticks")}


def tick(store: Store, key: str, *, undo: bool = False) -> str:
    """Record that the person did an item by hand (or undo it); return the item's ref."""
    row = store.conn.execute(
        "SELECT i.id, i.ref, i.platform, d.action FROM items i LEFT JOIN decisions d ON d.item_id=i.id"
        " WHERE i.id=? OR i.ref=? OR i.url=? LIMIT 1",
        (key, key, key),
    ).fetchone()
    if row is None:
        raise UserError("act_tick_unknown", item=key)
    if row["action"] not in ("delete", "hide"):
        raise UserError("act_tick_not_planned", ref=row["ref"], decision=Notice(f"actions.{row['action'] or 'none'}"))
    at = now_iso()
    with store.conn:
        if undo:
            store.conn.execute("DELETE FROM clean_ticks WHERE item_id=?", (row["id"],))
            return str(row["ref"])
        store.conn.execute(
            "INSERT OR REPLACE INTO clean_ticks (item_id, ticked_at) VALUES (?,?)", (row["id"], at)
        )
        store.conn.execute(
            "INSERT INTO clean_actions (item_id, platform, action, method, target, status, intent_at,"
            " result_at, answer)"
            " VALUES (?,?,?,?, '{}', 'done', ?, ?, ?)",
            (
                row["id"],
                row["platform"],
                row["action"],
                f"manual:{row['action']}",
                at,
                at,
                json.dumps({"by": "person, by hand"}),
            ),
        )
        if row["action"] == "delete":
            store.conn.execute(
                "UPDATE items SET deleted_at=? WHERE id=? AND deleted_at IS NULL", (at, row["id"])
            )
    return str(row["ref"])


def render(store: Store, entries: list[Entry], *, lang: str = "ru", form_token: str | None = None) -> str:
    """The checklist page (self-contained HTML, no scripts, no external resources), in ``lang``.

    With ``form_token`` (the local server of :func:`serve`) each item has a button that saves
    its tick; without it the page tells the ``repostguard clean tick`` command instead.
    """
    done = ticks(store)
    lang = "en" if lang == "en" else "ru"
    esc = html.escape
    title = t("act_checklist_title", lang)
    parts = [
        f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'>",
        "<meta http-equiv='Content-Security-Policy'"
        " content=\"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'\">",
        f"<meta name='referrer' content='no-referrer'><title>{esc(title)}</title>",
        "<style>body{font:15px/1.45 system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
        "li{margin:.6em 0}code{user-select:all;background:#eee;padding:0 .3em;word-break:break-all}"
        ".done{color:#777;text-decoration:line-through}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        "<p>" + esc(t("act_checklist_intro", lang, command=TICK_COMMAND)) + "</p>",
    ]
    total = len(entries)
    n_done = sum(1 for e in entries if e.item_id in done)
    parts.append(f"<p><b>{n_done} / {total}</b> " + esc(t("act_checklist_done", lang)) + "</p>")
    for platform, groups in grouped(entries).items():
        parts.append(f"<h2>{esc(label_of(platform, lang))}</h2><p>{esc(howto(platform, lang))}</p>")
        for (kind, year), es in groups:
            n = sum(1 for e in es if e.item_id in done)
            year_said = year if year != "?" else t("unknown_year", lang)
            parts.append(f"<h3>{esc(label(KIND_LABELS, kind, lang))} · {esc(year_said)} — {n} / {len(es)}</h3><ul>")
            parts.extend(_li(e, done, lang, form_token) for e in es)
            parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _li(e: Entry, done: dict[str, str], lang: str, form_token: str | None) -> str:
    """One item of the static checklist page: what to do, its link as text, its tick."""
    esc = html.escape
    mark = "☑" if e.item_id in done else "☐"
    cls = " class='done'" if e.item_id in done else ""
    action = in_words(ACTION_KEYS, e.action, lang)
    link = f"<code>{esc(e.url)}</code>" if e.url else esc(describe(e, lang))
    if e.url and e.kind == "avatar":  # a profile picture is changed in the profile, wherever its link goes
        link += "<br>" + esc(t("act_described_avatar", lang))
    if form_token is None:
        how = f"<small>{esc(TICK_COMMAND)} <code>{esc(e.ref)}</code></small>"
    else:
        undo = e.item_id in done
        button = t("act_checklist_undo" if undo else "act_checklist_mark", lang)
        how = (
            "<form method='post' action='/tick'>"
            f"<input type='hidden' name='item' value='{esc(e.item_id)}'>"
            f"<input type='hidden' name='token' value='{esc(form_token)}'>"
            f"<input type='hidden' name='undo' value='{int(undo)}'>"
            f"<button>{esc(button)}</button></form>"
        )
    what = f"{esc(label(KIND_LABELS, e.kind, lang))} {esc(fmt_date(e.date, lang))}"
    return f"<li{cls}>{mark} <b>{esc(action)}</b> {what}<br>{link}<br><small>{esc(e.preview)}</small><br>{how}</li>"


def write(store: Store, entries: list[Entry], out: Path, *, lang: str = "ru") -> int:
    atomic_write(out, render(store, entries, lang=lang))
    return len(entries)


def serve(
    db: Path,
    entries: list[Entry],
    *,
    lang: str = "ru",
    port: int = 0,
    ready: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Serve the checklist on 127.0.0.1 with buttons that save ticks, until ``stop`` is set or Ctrl+C.

    Only this machine can reach it; a POST must carry the page's random token, come from the
    page's own origin (``Origin``/``Sec-Fetch-Site``) and name this host (``Host``), so another
    site open in the browser cannot tick anything. ``ready`` receives the page's URL.
    """
    token = secrets.token_urlsafe(24)
    ids = {e.item_id for e in entries}
    store = Store.open(db)  # used from the serving thread only
    state: dict[str, str] = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # no access log (item ids)
            pass

        def _send(self, code: int, body: str = "", location: str | None = None) -> None:
            data = body.encode("utf-8")
            self.send_response(code)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header(
                "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"
            )
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("X-Frame-Options", "DENY")
            self.send_header("Cache-Control", "no-store")
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _host_ok(self) -> bool:
            return self.headers.get("Host", "") in (state["host"], f"localhost:{state['port']}")

        def do_GET(self) -> None:  # noqa: N802
            if not self._host_ok():
                return self._send(403, t("act_http_forbidden", lang))
            if self.path.split("?")[0] != "/":
                return self._send(404, t("act_http_not_found", lang))
            self._send(200, render(store, entries, lang=lang, form_token=token))

        def do_POST(self) -> None:  # noqa: N802
            origin = self.headers.get("Origin")
            site = self.headers.get("Sec-Fetch-Site")
            if (
                not self._host_ok()
                or self.path != "/tick"
                or (
                    origin is not None
                    and origin not in (state["origin"], f"http://localhost:{state['port']}")
                )
                or (site is not None and site not in ("same-origin", "none"))
            ):
                return self._send(403, t("act_http_forbidden", lang))
            n = int(self.headers.get("Content-Length") or 0)
            if n > 10_000:
                return self._send(413, t("act_http_too_large", lang))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(n).decode("utf-8", "replace")).items()}
            if not secrets.compare_digest(form.get("token", ""), token) or form.get("item") not in ids:
                return self._send(403, t("act_http_forbidden", lang))
            try:
                tick(store, form["item"], undo=form.get("undo") == "1")
            except UserError as e:
                return self._send(400, html.escape(str(e)))
            self._send(303, "", location="/")

    server = HTTPServer(("127.0.0.1", port), Handler)
    state["port"] = str(server.server_address[1])
    state["host"] = f"127.0.0.1:{state['port']}"
    state["origin"] = f"http://{state['host']}"
    if ready:
        ready(f"{state['origin']}/")
    server.timeout = 0.2
    said = LANG.set(lang)  # a refusal (a UserError) is said in the page's language
    try:
        while not (stop and stop.is_set()):
            server.handle_request()
    except KeyboardInterrupt:
        pass
    finally:
        LANG.reset(said)
        server.server_close()
        store.close()
