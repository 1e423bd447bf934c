"""The Jinja environments and static files every view renders with: the pages of the local app,
the dossier and the printable selection (:func:`page_env`), and the report (:func:`report_env`).

Both autoescape everything: the texts come from posts, which strangers wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

#: the stylesheets and script the app serves and the dossier embeds
STATIC_DIR = Path(__file__).resolve().parent / "static"
DOSSIER_CSS = STATIC_DIR / "dossier.css"

_page_env: Environment | None = None


def page_env() -> Environment:
    """The environment of the app's pages, the dossier and the printable selection."""
    global _page_env
    if _page_env is None:
        _page_env = Environment(
            loader=PackageLoader("repostguard.views", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
    return _page_env


def report_env(**globals_: Callable[..., Any]) -> Environment:
    """The environment of the HTML report, with the helper functions its template calls."""
    env = Environment(loader=PackageLoader("repostguard.views", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    env.globals.update(globals_)
    return env
