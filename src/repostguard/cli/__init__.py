"""The ``repostguard`` command: one click group, one verb per stage.

Only :func:`main` turns :class:`repostguard.errors.RepostguardError` into exit codes (2 for
bad input, 3 for the outside world); anything else is a bug and says so.
The commands of the other stages live in this package's modules (:mod:`.actions`, :mod:`.review`,
:mod:`.media`, :mod:`.recheck`), each listing its ``COMMANDS``, registered here one line each.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from repostguard import __version__
from repostguard.banks.registry import LIST_CHOICES
from repostguard.cli import actions, check, media, recheck, review
from repostguard.cli._common import db_option, file_option, resolve_db
from repostguard.cli.options import selection_options  # report --format csv / --level … (issue 5)
from repostguard.errors import RepostguardError, UserError
from repostguard.store import Store
from repostguard.views.entries import Entries

# each command imports its stage when it runs (the importers, matchers, reports' templates), so
# `repostguard --help` and the start of every command load only the command tree


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True)
@click.version_option(__version__, prog_name="repostguard")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """repostguard: check your own exported history against Russia's lists of banned materials, offline.

    Without a command it opens the app in your browser (as `repostguard app`). On the command line:
    repostguard lists update, then repostguard scan EXPORT, then repostguard report.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(app_cmd)


@cli.command("app")
@db_option
@click.option("--no-browser", is_flag=True, help="Only print the address; do not open a browser.")
@file_option("--fsm", "fsm", help="Scan with this FSM CSV instead of the installed list.")
@click.option("--no-ocr", is_flag=True, help="Do not read text inside pictures.")
@click.option("--clean-pace", type=float, default=None, hidden=True,
              help="Seconds between clean-up requests, for tests (default: 1-3 s).")
def app_cmd(db: Path | None, no_browser: bool, fsm: Path | None, no_ocr: bool,
            clean_pace: float | None = None) -> None:
    """Open the app in your browser (local only): choose an archive, update the lists, scan, review, clean up.

    Prints the app's address (with its secret token) on one line and serves until Ctrl+C.
    """
    from repostguard.app.server import serve  # deferred: the web stack loads only for the app

    def announce(url: str) -> None:
        click.echo(url)
        click.echo("Ctrl+C — stop / остановить", err=True)

    serve(resolve_db(db), open_browser=not no_browser, entries=Entries(fsm), announce=announce,
          app_mode=True, fsm=fsm, ocr=not no_ocr, clean_pace=clean_pace)


@cli.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary line.")
@db_option
def import_cmd(path: Path, quiet: bool, db: Path | None) -> None:
    """Import an export (a file, a folder or a ZIP) into the workspace."""
    from repostguard.pipeline.scan import import_path

    with Store.open(resolve_db(db)) as store:
        res, platform = import_path(store, path, progress=not quiet)
    click.echo(
        f"{path}: {platform}: {res.added} new, {res.updated} updated, {res.unchanged} unchanged, "
        f"{len(res.warnings)} warnings"
    )
    for n in res.notes:
        click.echo(f"  note: {n}")
    for w in res.warnings[:20]:
        click.echo(f"  warning: {w}", err=True)


@cli.command("scan")
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path), required=False)
@file_option("--fsm", "fsm", help="Use this FSM CSV instead of the installed list.")
@file_option("--json", "json_out", help="Write the findings JSON here.")
@click.option("--no-ocr", is_flag=True, help="Do not read text inside pictures.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Processes for reading pictures (default: all cores).")
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary line.")
@db_option
def scan_cmd(input_path: Path | None, fsm: Path | None, json_out: Path | None, no_ocr: bool, jobs: int | None,
             quiet: bool, db: Path | None) -> None:
    """Import INPUT (if given) and match the whole workspace against the lists."""
    from repostguard.pipeline.scan import run_scan
    from repostguard.views.snapshot import snapshot_lines

    summary = run_scan(resolve_db(db), input_path, fsm=fsm, json_out=json_out, ocr=not no_ocr,
                       progress=not quiet, jobs=jobs)
    if summary.items == 0:  # nothing was checked: a warning and exit 1, never "0 findings"
        where = f"{input_path} holds no items and " if input_path is not None else ""
        click.echo(f"repostguard: nothing was checked: {where}the workspace has no items; "
                   "import an export (repostguard scan EXPORT)", err=True)
        sys.exit(1)
    click.echo(summary.line())
    for line in snapshot_lines(summary.snapshots, "ru"):  # lists taken from the package: how old they are
        click.echo(f"  note: {line}")
    imported = summary.imported
    for n in imported.notes if imported is not None else []:
        click.echo(f"  note: {n}")
    if imported is not None and imported.warnings:  # the import's warnings, as `import` prints them
        click.echo(f"{input_path}: {len(imported.warnings)} import warnings", err=True)
        for w in imported.warnings[:20]:
            click.echo(f"  warning: {w}", err=True)


@cli.command("report")
@click.option("--out", "-o", "out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("repostguard-report.html"),
              show_default=True, help="Where to write the report.")
@click.option("--format", "fmt", type=click.Choice(["html", "json", "csv"]), default="html",
              show_default=True)
@click.option("--lang", type=click.Choice(["ru", "en"]), default="ru", show_default=True)
@db_option
@selection_options
def report_cmd(out: Path, fmt: str, lang: str, db: Path | None, **selection: Any) -> None:
    """Write a self-contained report of the last scan's findings (or of a selection: --level, --year, …)."""
    from repostguard.reports import write_report
    from repostguard.reports.selection import selection_from_options, write_selection
    from repostguard.views.query import check_state

    with Store.open(resolve_db(db)) as store:
        if fmt == "csv" or any(v not in (None, "") for v in selection.values()):  # see reports/selection.py

            out = out.with_suffix(f".{fmt}") if out == Path("repostguard-report.html") else out
            n = write_selection(store, out, fmt, selection_from_options(**selection), lang=lang)
        else:
            n = write_report(store, out, fmt=fmt, lang=lang)
        check, items = check_state(store.conn)
    if check != "checked":  # the report says so too; a warning and exit 1, never "0 findings"
        why = ("the workspace has no items: import an export (repostguard scan EXPORT)" if check == "no_items"
               else f"{items} items were imported but never scanned: run repostguard scan")
        click.echo(f"repostguard: nothing was checked: {why}; {out} says so", err=True)
        sys.exit(1)
    click.echo(f"{out}: {n} findings")


@cli.command("demo")
@click.option("--dir", "workdir", type=click.Path(file_okay=False, path_type=Path), default=Path("repostguard-demo"),
              show_default=True, help="Folder for the demo history, list, database and report.")
@click.option("--lang", type=click.Choice(["ru", "en"]), default="ru", show_default=True)
def demo_cmd(workdir: Path, lang: str) -> None:
    """Build a small synthetic history and list, scan it and write the report (no download)."""
    from repostguard.cli.demo import run_demo

    run_demo(workdir, lang=lang)


@cli.group("lists")
def lists_group() -> None:
    """Install, show and compare the official lists."""


@lists_group.command("update")
@file_option("--from", "from_file", help="Install this file instead of downloading.")
@click.option("--mirror", "mirrors", multiple=True, help="Extra mirror URL to try after the official one (repeatable).")
@click.option("--force", is_flag=True, help="Install even if the new list is much shorter than the installed one.")
@click.option("--list", "which", default=None,
              type=click.Choice(list(LIST_CHOICES)),
              help="Which list (default: all; --from/--mirror without --list mean the FSM CSV).")
def lists_update(from_file: Path | None, mirrors: tuple[str, ...], force: bool, which: str | None) -> None:
    """Fetch the Federal List of Extremist Materials and the organisation lists (official URL, then mirrors),
    or install --from FILE."""
    from repostguard.banks.registry import update_lists
    from repostguard.pipeline.scan import prebuild_index

    click.echo(update_lists(which, from_file=from_file, mirrors=list(mirrors), force=force))
    if which in (None, "fsm", "all"):
        prebuild_index()


@lists_group.command("show")
@click.option("--entry", "entry", type=int, help="Print one entry in full.")
@file_option("--fsm", "fsm", help="Show this CSV instead.")
def lists_show(entry: int | None, fsm: Path | None) -> None:
    """Show the installed list: source, fetch time, sha256, counts (or one entry)."""
    from repostguard.banks.fsm import show_fsm
    from repostguard.banks.lifecycle import snapshot_in_use
    from repostguard.banks.registry import LISTS
    from repostguard.views.snapshot import snapshot_lines

    click.echo(show_fsm(entry=entry, path=fsm))
    if entry is None and fsm is None:
        for line in snapshot_lines([m for s in LISTS.values() if (m := snapshot_in_use(s))], "ru"):
            click.echo(f"note: {line}")


@lists_group.command("diff")
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def lists_diff(old: Path, new: Path, as_json: bool) -> None:
    """What changed between two FSM CSV files: added, excluded, edited entries."""
    from repostguard.banks.fsm import diff_text

    click.echo(diff_text(old, new, as_json=as_json))


#: the command modules of the other stages, each with its ``COMMANDS``: one line per module
for _commands in (actions.COMMANDS, review.COMMANDS, media.COMMANDS, recheck.COMMANDS, check.COMMANDS):
    for _cmd in _commands:
        cli.add_command(_cmd)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and map expected errors to one line and an exit code."""
    os.umask(0o077)  # everything repostguard writes is private to its owner
    try:
        cli.main(args=argv, prog_name="repostguard", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(2 if e.exit_code == 2 else e.exit_code)
    except RepostguardError as e:
        click.echo(f"repostguard: {e}", err=True)
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception:  # noqa: BLE001 - a bug: say so
        traceback.print_exc()
        click.echo("repostguard: unexpected error; this is a bug, please report it with the lines above.", err=True)
        sys.exit(1)


__all__ = ["cli", "main", "db_option", "resolve_db", "UserError"]
