"""What every command module of the CLI shares: the ``--db`` option and where the workspace is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from repostguard.paths import default_db
from repostguard.store.settings import workspace_zone
from repostguard.views.i18n import WORKSPACE_ZONE


def db_option(f: Any) -> Any:
    return click.option(
        "--db",
        "db",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Workspace database (default: workspace.sqlite in the data dir; REPOSTGUARD_HOME overrides it).",
    )(f)


def resolve_db(db: Path | None) -> Path:
    """The workspace database; the time zone its settings name becomes the command's display zone
    (``$REPOSTGUARD_DISPLAY_TZ`` still wins)."""
    path = db if db is not None else default_db()
    zone = workspace_zone(path)
    if zone:
        WORKSPACE_ZONE.set(zone)
    return path


def file_option(*decls: str, help: str | None = None, **options: Any) -> Any:  # noqa: A002 - click's own name
    """An option naming a file to write or read (not a folder); ``options`` go to click as they are
    (``default``, ``show_default``)."""
    return click.option(*decls, type=click.Path(dir_okay=False, path_type=Path), help=help, **options)
