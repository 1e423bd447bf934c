"""What every command module of the CLI shares: the ``--db`` option, where the workspace is, and the
lines several commands print (a scan's summary, a note, a warning) in the person's language."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from repostguard.i18n import current_lang, t
from repostguard.paths import default_db
from repostguard.store.settings import workspace_zone
from repostguard.views.i18n import WORKSPACE_ZONE

if TYPE_CHECKING:
    from repostguard.pipeline.scan import ScanSummary


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


def seconds(value: float) -> str:
    """A duration in seconds with one decimal, written as the language writes decimals (1,5 / 1.5)."""
    text = f"{value:.1f}"
    return text.replace(".", ",") if current_lang() == "ru" else text


def note(text: object) -> str:
    """«примечание: …»: a note (an importer's, a list's, a snapshot's) in front of its text."""
    return t("cli_note", text=text)


def warning(text: object) -> str:
    """«предупреждение: …»: a warning that did not stop the work, in front of its text."""
    return t("cli_warning", text=text)


def scan_line(summary: ScanSummary) -> str:
    """The one-line summary of a scan: items, list version, time, items with findings, findings by level."""
    from repostguard.model import LEVEL_RANK
    from repostguard.views.i18n import LEVEL_LABELS, label

    levels = ", ".join(t("cli_level_n", level=label(LEVEL_LABELS, k), n=v)
                       for k, v in sorted(summary.by_level.items(), key=lambda kv: LEVEL_RANK.get(kv[0], 9)))
    return t("cli_scanned_json" if summary.json_out else "cli_scanned", n=summary.items,
             version=summary.list_version, seconds=seconds(summary.seconds),
             flagged=t("cli_flagged_n", n=summary.items_flagged), findings=t("cli_findings_n", n=summary.findings),
             levels=levels or t("cli_none"), json=summary.json_out or "")
