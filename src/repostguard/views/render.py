"""The one Jinja environment every view renders with: the pages of the local app, the report,
the dossier and the printable selection, all from ``views/templates``; and the static files.

It autoescapes everything: the texts come from posts, which strangers wrote. :func:`render`
gives every template the same helpers (``t``, ``fmt_date``, ``zone`` and the ``*_label`` functions)
in the chosen language.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from repostguard import __version__
from repostguard.i18n import Labels
from repostguard.views.i18n import (
    ACTION_LABELS,
    BANK_LABELS,
    KIND_LABELS,
    LEVEL_LABELS,
    SIGNAL_LABELS,
    attachment_label,
    fmt_date,
    label,
    platform_label,
    t,
    version_label,
    zone_label,
)

#: the stylesheets and script the app serves and the dossier embeds
STATIC_DIR = Path(__file__).resolve().parent / "static"
DOSSIER_CSS = STATIC_DIR / "dossier.css"

_env: Environment | None = None


def env() -> Environment:
    """The environment of every template (built once)."""
    global _env
    if _env is None:
        _env = Environment(
            loader=PackageLoader("repostguard.views", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        _env.filters["first_upper"] = lambda s: str(s)[:1].upper() + str(s)[1:]
    return _env


def helpers(lang: str) -> dict[str, Any]:
    """What every template may call, in ``lang``: strings, dates and labels, and the version."""

    def tr(key: str, **kw: object) -> str:
        return t(key, lang, **kw)

    def labeller(table: Labels) -> Callable[[str | None], str]:
        return lambda value: label(table, value, lang)

    return {
        "lang": lang,
        "t": tr,
        "version": __version__,
        "fmt_date": lambda value: fmt_date(value, lang),
        "zone": zone_label(lang),
        "action_label": labeller(ACTION_LABELS),
        "level_label": labeller(LEVEL_LABELS),
        "kind_label": labeller(KIND_LABELS),
        "bank_label": labeller(BANK_LABELS),
        "signal_label": labeller(SIGNAL_LABELS),
        "platform_label": lambda value: platform_label(value, lang),
        "attachment_label": lambda value: attachment_label(value, lang),
        "version_label": lambda value: version_label(value, lang),
    }


def render(name: str, lang: str, **context: Any) -> str:
    """The template ``name`` rendered in ``lang`` with :func:`helpers` and ``context``."""
    return env().get_template(name).render(**helpers(lang), **context)


__all__ = ["env", "helpers", "render", "STATIC_DIR", "DOSSIER_CSS"]
