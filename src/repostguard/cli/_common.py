"""What every command module of the CLI shares: the ``--db`` option and where the workspace is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from repostguard.paths import default_db


def db_option(f: Any) -> Any:
    return click.option(
        "--db",
        "db",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Workspace database (default: workspace.sqlite in the data dir; REPOSTGUARD_HOME overrides it).",
    )(f)


def resolve_db(db: Path | None) -> Path:
    return db if db is not None else default_db()


def file_option(*decls: str, help: str | None = None, **options: Any) -> Any:  # noqa: A002 - click's own name
    """An option naming a file to write or read (not a folder); ``options`` go to click as they are
    (``default``, ``show_default``)."""
    return click.option(*decls, type=click.Path(dir_okay=False, path_type=Path), help=help, **options)
