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
from repostguard.cli._common import db_option, file_option, note, resolve_db, scan_line, warning
from repostguard.cli.lang import lang_option, patch_click, version_option
from repostguard.cli.options import selection_options  # report --format csv / --level … (issue 5)
from repostguard.errors import RepostguardError, UserError
from repostguard.i18n import current_lang, t
from repostguard.store import Store
from repostguard.views.entries import Entries

# each command imports its stage when it runs (the importers, matchers, reports' templates), so
# `repostguard --help` and the start of every command load only the command tree


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True)
@version_option(__version__, prog_name="repostguard")
@lang_option
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
        click.echo(t("cli_stop_hint"), err=True)

    serve(resolve_db(db), open_browser=not no_browser, entries=Entries(fsm), announce=announce,
          app_mode=True, fsm=fsm, ocr=not no_ocr, clean_pace=clean_pace)


@cli.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary line.")
@db_option
def import_cmd(path: Path, quiet: bool, db: Path | None) -> None:
    """Import an export (a file, a folder or a ZIP) into the workspace."""
    from repostguard.pipeline.scan import import_path
    from repostguard.views.i18n import platform_label

    with Store.open(resolve_db(db)) as store:
        res, platform = import_path(store, path, progress=not quiet)
    click.echo(t("cli_imported", path=path, platform=platform_label(platform, current_lang()), added=res.added,
                 updated=res.updated, unchanged=res.unchanged, warnings=len(res.warnings)))
    for n in res.notes:
        click.echo("  " + note(n))
    for w in res.warnings[:20]:
        click.echo("  " + warning(w), err=True)


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
        click.echo(t("cli_scan_nothing_input", input=input_path) if input_path is not None
                   else t("cli_scan_nothing"), err=True)
        sys.exit(1)
    click.echo(scan_line(summary))
    for line in snapshot_lines(summary.snapshots, current_lang()):  # lists taken from the package: how old
        click.echo("  " + note(line))
    imported = summary.imported
    for n in [*(imported.notes if imported is not None else []), *summary.notes]:
        click.echo("  " + note(n))
    if imported is not None and imported.warnings:  # the import's warnings, as `import` prints them
        click.echo(t("cli_import_warnings_n", input=input_path, n=len(imported.warnings)), err=True)
        for w in imported.warnings[:20]:
            click.echo("  " + warning(w), err=True)


@cli.command("report")
@click.option("--out", "-o", "out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("repostguard-report.html"),
              show_default=True, help="Where to write the report.")
@click.option("--format", "fmt", type=click.Choice(["html", "json", "csv"]), default="html",
              show_default=True)
@click.option("--no-pictures", "no_pictures", is_flag=True,
              help="Leave the screenshots' pictures out of the HTML report.")
@lang_option
@db_option
@selection_options
def report_cmd(out: Path, fmt: str, db: Path | None, no_pictures: bool = False, **selection: Any) -> None:
    """Write a self-contained report of the last scan's findings (or of a selection: --level, --year, …)."""
    lang = current_lang()
    from repostguard.reports import write_report
    from repostguard.reports.selection import selection_from_options, write_selection
    from repostguard.views.query import check_state

    with Store.open(resolve_db(db)) as store:
        if fmt == "csv" or any(v not in (None, "") for v in selection.values()):  # see reports/selection.py

            out = out.with_suffix(f".{fmt}") if out == Path("repostguard-report.html") else out
            n = write_selection(store, out, fmt, selection_from_options(**selection), lang=lang)
        else:
            n = write_report(store, out, fmt=fmt, lang=lang, pictures=not no_pictures)
        check, items = check_state(store.conn)
    if check != "checked":  # the report says so too; a warning and exit 1, never "0 findings"
        click.echo(t("cli_report_no_items", out=out) if check == "no_items"
                   else t("cli_report_not_scanned", n=items, out=out), err=True)
        sys.exit(1)
    click.echo(t("cli_report_written", out=out, n=n))


@cli.command("demo")
@click.option("--dir", "workdir", type=click.Path(file_okay=False, path_type=Path), default=Path("repostguard-demo"),
              show_default=True, help="Folder for the demo history, list, database and report.")
@lang_option
def demo_cmd(workdir: Path) -> None:
    """Build a small synthetic history and list, scan it and write the report (no download)."""
    lang = current_lang()
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


def _show_lines(entry: int | None, fsm: Path | None) -> list[str]:
    """``lists show``: the FSM list's provenance and counts, or one entry in full."""
    from repostguard.banks.fsm import installed_meta, load_fsm
    from repostguard.banks.lifecycle import snapshot_age
    from repostguard.views.i18n import fmt_date, fmt_local
    from repostguard.views.snapshot import days_ago

    lang = current_lang()
    lst, meta = load_fsm(fsm)
    if entry is not None:
        e = lst.by_number().get(entry)
        if e is None:
            raise UserError("cli_err_no_entry", source=meta.get("source"), entry=entry)
        return [
            t("cli_entry_excluded" if e.excluded else "cli_entry", number=e.number),
            t("cli_entry_included", date=e.included.isoformat()) if e.included else t("cli_entry_included_none"),
            t("cli_entry_decision", decision=e.court_decision or "—"),
            "",
            e.text,
        ]
    rows = [
        ("cli_show_version", lst.version),
        ("cli_show_source", meta.get("source")),
        ("cli_show_fetched", fmt_local(meta.get("fetched_at"), lang) or "—"),
        ("cli_show_sha", lst.sha256),
        ("cli_show_entries", t("cli_show_entries_value", entries=t("cli_entries_n", n=len(lst.entries)),
                               excluded=len(lst.entries) - len(lst.active),
                               last=max(e.number for e in lst.entries))),
        ("cli_show_last", lst.last_inclusion.isoformat() if lst.last_inclusion else "—"),
        ("cli_show_encoding", lst.encoding),
    ]
    age = snapshot_age(meta)
    if age is not None:
        rows[1] = ("cli_show_source", t("cli_show_packaged", date=fmt_date(age[0], lang), ago=days_ago(age[1], lang),
                                        source=meta.get("source")))
        rows.append(("cli_show_installed", t("cli_show_none_installed")))
    prev = installed_meta("previous") if fsm is None else None
    if prev:
        rows.append(("cli_show_previous", t("cli_show_previous_value", version=prev["version"],
                                            entries=t("cli_entries_n", n=prev["entries"]),
                                            fetched=fmt_local(prev["fetched_at"], lang))))
    width = max(15, *(len(t(k)) + 1 for k, _ in rows))
    return [f"{t(k):{width}} {v}" for k, v in rows]


@lists_group.command("show")
@click.option("--entry", "entry", type=int, help="Print one entry in full.")
@file_option("--fsm", "fsm", help="Show this CSV instead.")
def lists_show(entry: int | None, fsm: Path | None) -> None:
    """Show the installed list: source, fetch time, sha256, counts (or one entry)."""
    from repostguard.banks.lifecycle import snapshot_in_use
    from repostguard.banks.registry import LISTS
    from repostguard.views.snapshot import snapshot_lines

    for line in _show_lines(entry, fsm):
        click.echo(line)
    if entry is None and fsm is None:
        for line in snapshot_lines([m for s in LISTS.values() if (m := snapshot_in_use(s))], current_lang()):
            click.echo(note(line))


def _diff_lines(old: Path, new: Path) -> list[str]:
    """``lists diff``: the two versions, the counts, then each entry added, excluded, edited or removed."""
    from repostguard.banks.fsm import diff_lists, parse_fsm

    a, b = parse_fsm(old), parse_fsm(new)
    d = diff_lists(a, b)
    nb = b.by_number()
    lines = [f"{a.version} → {b.version}",
             t("cli_diff_counts", added=len(d["added"]), excluded=len(d["excluded"]), edited=len(d["edited"]),
               removed=len(d["removed"]), readmitted=len(d["readmitted"]))]
    for k in d["added"]:
        e = nb[k]
        lines.append(f"+ {k} [{e.included.isoformat() if e.included else '—'}] {' '.join(e.text.split())[:110]}")
    lines += [t("cli_diff_excluded", entry=k) for k in d["excluded"]]
    lines += [t("cli_diff_edited", entry=k) for k in d["edited"]]
    lines += [t("cli_diff_removed", entry=k) for k in d["removed"]]
    return lines


@lists_group.command("diff")
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def lists_diff(old: Path, new: Path, as_json: bool) -> None:
    """What changed between two FSM CSV files: added, excluded, edited entries."""
    from repostguard.banks.fsm import diff_text

    if as_json:
        click.echo(diff_text(old, new, as_json=True))
    else:
        for line in _diff_lines(old, new):
            click.echo(line)


#: the command modules of the other stages, each with its ``COMMANDS``: one line per module
for _commands in (actions.COMMANDS, review.COMMANDS, media.COMMANDS, recheck.COMMANDS, check.COMMANDS):
    for _cmd in _commands:
        cli.add_command(_cmd)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI in the person's language and map expected errors to one line and an exit code."""
    os.umask(0o077)  # everything repostguard writes is private to its owner
    patch_click()  # click's words and the help, in the person's language when shown
    try:
        cli.main(args=argv, prog_name="repostguard", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo(t("cli_aborted"), err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(2 if e.exit_code == 2 else e.exit_code)
    except RepostguardError as e:
        click.echo(f"repostguard: {e}", err=True)
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        click.echo(t("cli_interrupted"), err=True)
        sys.exit(130)
    except Exception:  # noqa: BLE001 - a bug: say so
        traceback.print_exc()
        click.echo(t("cli_bug"), err=True)
        sys.exit(1)


__all__ = ["cli", "main", "db_option", "resolve_db", "UserError"]
