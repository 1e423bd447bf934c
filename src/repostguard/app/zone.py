"""The person's time zone, chosen on the start screen and kept for the workspace
(:mod:`repostguard.store.settings`).

:class:`ZoneScope` makes it the display zone of every request
(:data:`repostguard.views.i18n.WORKSPACE_ZONE`): the page, the report, the CSV and the dossier show
their dates in it, with the zone named; ``$REPOSTGUARD_DISPLAY_TZ`` still wins over it.
``POST /settings/zone`` (a form with ``zone``, one of :data:`ZONE_CHOICES`) changes it, behind
:class:`repostguard.app.web.Guard` like every POST of the app.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from repostguard.app.intake import Refused
from repostguard.app.screen import Screen
from repostguard.app.web import ASGIApp, Receive, Scope, Send, read_form
from repostguard.store.settings import ZONE_KEY, settings_path, workspace_zone, write_setting
from repostguard.views.i18n import DEFAULT_ZONE, WORKSPACE_ZONE, ZONE_ENV, display_zone, t, utc_offset

#: the zones offered: Russia's, west to east, then a few where people who left live, then UTC;
#: each with the key of its name in the catalogues
ZONE_CHOICES: dict[str, str] = {
    "Europe/Kaliningrad": "app_tz_kaliningrad",
    "Europe/Moscow": "app_tz_moscow",
    "Europe/Samara": "app_tz_samara",
    "Asia/Yekaterinburg": "app_tz_yekaterinburg",
    "Asia/Omsk": "app_tz_omsk",
    "Asia/Novosibirsk": "app_tz_novosibirsk",
    "Asia/Krasnoyarsk": "app_tz_krasnoyarsk",
    "Asia/Irkutsk": "app_tz_irkutsk",
    "Asia/Yakutsk": "app_tz_yakutsk",
    "Asia/Vladivostok": "app_tz_vladivostok",
    "Asia/Magadan": "app_tz_magadan",
    "Asia/Kamchatka": "app_tz_kamchatka",
    "Asia/Tbilisi": "app_tz_tbilisi",
    "Asia/Yerevan": "app_tz_yerevan",
    "Asia/Almaty": "app_tz_almaty",
    "Europe/Istanbul": "app_tz_istanbul",
    "Europe/Belgrade": "app_tz_belgrade",
    "Europe/Riga": "app_tz_riga",
    "Europe/Berlin": "app_tz_berlin",
    "Asia/Jerusalem": "app_tz_jerusalem",
    "Europe/London": "app_tz_london",
    "America/New_York": "app_tz_new_york",
    "UTC": "app_tz_utc",
}
#: where the abroad part of the list starts
FIRST_ABROAD = "Asia/Tbilisi"


def zone_options(db: Path, lang: str) -> dict[str, Any]:
    """What the start screen's zone select shows: the choices (Russia, abroad), the one in use, and
    whether ``$REPOSTGUARD_DISPLAY_TZ`` overrides it."""
    kept = workspace_zone(db)
    chosen = kept if kept in ZONE_CHOICES else DEFAULT_ZONE
    groups: dict[str, list[dict[str, Any]]] = {"russia": [], "abroad": []}
    group = "russia"
    for name, key in ZONE_CHOICES.items():
        if name == FIRST_ABROAD:
            group = "abroad"
        groups[group].append({"name": name, "label": f"{t(key, lang)} ({utc_offset(datetime.now(ZoneInfo(name)))})",
                              "selected": name == chosen})
    env = os.environ.get(ZONE_ENV, "").strip()
    return {"groups": groups, "chosen": chosen,
            "env": display_zone().key if env and display_zone().key == env else ""}


class ZoneScope:
    """ASGI middleware: each request shows its dates in the zone the workspace ``db`` names."""

    def __init__(self, app: ASGIApp, db: Path) -> None:
        self.app = app
        self.db = db
        self._seen: tuple[int, int] | None = None
        self._zone = ""

    def zone(self) -> str:
        """The workspace's zone, read again only when its settings file changed."""
        try:
            st = settings_path(self.db).stat()
        except OSError:
            self._seen, self._zone = None, ""
            return ""
        key = (st.st_mtime_ns, st.st_size)
        if key != self._seen:
            self._seen, self._zone = key, workspace_zone(self.db)
        return self._zone

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        zone = self.zone() if scope["type"] == "http" else ""
        if not zone:
            await self.app(scope, receive, send)
            return
        token = WORKSPACE_ZONE.set(zone)
        try:
            await self.app(scope, receive, send)
        finally:
            WORKSPACE_ZONE.reset(token)


def zone_routes(screen: Screen) -> list[BaseRoute]:
    """The zone select's route for the start screen ``screen``."""

    async def set_zone(request: Request) -> Response:
        lang = screen.review.lang(request)
        try:
            name = (await read_form(request)).get("zone", "")
        except Refused as e:
            return screen.page(request, error=e.text(lang), status=e.status)
        if name not in ZONE_CHOICES:
            return screen.page(request, error=t("app_tz_refused", lang, zone=name[:100]), status=400)
        write_setting(screen.db, ZONE_KEY, name)
        return RedirectResponse(screen.base + "/start#zone", status_code=303)

    return [Route("/settings/zone", set_zone, methods=["POST"])]


__all__ = ["ZONE_CHOICES", "ZoneScope", "zone_options", "zone_routes"]
