"""The ``review``, ``decide`` and ``dossier`` commands.

Registered in :mod:`repostguard.cli`.
"""

from __future__ import annotations

from pathlib import Path

import click

from repostguard.cli._common import db_option, file_option, resolve_db
from repostguard.cli._common import note as note_line
from repostguard.cli.lang import lang_option
from repostguard.decisions import decide, import_csv, resolve_item
from repostguard.errors import UserError
from repostguard.i18n import current_lang, t
from repostguard.store import Store
from repostguard.views.entries import Entries

_FSM_HELP = "Look list entries up in this FSM CSV instead of the installed list."


def _action(action: str) -> str:
    """A decision's name in the current language, as the sentence says it («оставить»)."""
    from repostguard.views.i18n import ACTION_LABELS, label

    name = label(ACTION_LABELS, action)
    return name[:1].lower() + name[1:]


@click.command("review")
@db_option
@click.option("--no-browser", is_flag=True, help="Only print the address; do not open a browser.")
@file_option("--fsm", "fsm", help=_FSM_HELP)
def review_cmd(db: Path | None, no_browser: bool, fsm: Path | None) -> None:
    """Open the review page (local only): findings, filters, search, decisions, charts.

    Prints the page's address (with its secret token) on one line and serves until Ctrl+C.
    """
    from repostguard.app.server import serve  # deferred: the web stack loads only for the app

    path = resolve_db(db)
    if not path.exists():
        raise UserError("cli_err_no_workspace", path=path)

    def announce(url: str) -> None:
        click.echo(url)
        click.echo(t("cli_stop_hint"), err=True)

    serve(path, open_browser=not no_browser, entries=Entries(fsm), announce=announce)


@click.command("decide")
@click.argument("item", required=False)
@click.argument("action", required=False, type=click.Choice(["delete", "hide", "keep", "not-a-match"]))
@click.option("--note", help="A note to keep with the decision.")
@file_option("--csv", "csv_file", help="Import decisions from a CSV file (columns item, action, note).")
@db_option
def decide_cmd(
    item: str | None, action: str | None, note: str | None, csv_file: Path | None, db: Path | None
) -> None:
    """Record a decision about ITEM: delete, hide, keep or not-a-match.

    ITEM is the item's ref as in the findings JSON, or its URL on the platform
    (e.g. https://vk.com/wall123_456). not-a-match keeps later scans quiet about that item's entries.
    """
    if csv_file is not None:
        if item or action:
            raise UserError("cli_err_decide_both")
        with Store.open(resolve_db(db)) as store:
            res = import_csv(store, csv_file)
        parts = ", ".join(t("cli_action_n", action=_action(k), n=v) for k, v in sorted(res.by_action.items()))
        click.echo(t("cli_decided_csv", file=csv_file, n=res.decided, actions=parts or t("cli_none"),
                     blank=res.skipped_blank))
        return
    if not item or not action:
        raise UserError("cli_err_decide_usage")
    with Store.open(resolve_db(db)) as store:
        iid = resolve_item(store, item)
        decide(store, [iid], action, note=note, source="cli")
        ref = store.conn.execute("SELECT ref FROM items WHERE id=?", (iid,)).fetchone()[0]
    click.echo(t("cli_decided", ref=ref, action=_action(action)))


@click.command("dossier")
@click.argument("item")
@file_option("--out", "-o", "out", help="Where to write it (default: dossier-<item>.html or .pdf).")
@click.option(
    "--pdf", is_flag=True, help="Write a PDF (with WeasyPrint if installed, else a local Chromium/Chrome)."
)
@click.option("--no-pictures", "no_pictures", is_flag=True, help="Leave the screenshot's pictures out of the dossier.")
@lang_option
@file_option("--fsm", "fsm", help=_FSM_HELP)
@db_option
def dossier_cmd(
    item: str, out: Path | None, pdf: bool, fsm: Path | None, db: Path | None, no_pictures: bool = False
) -> None:
    """Write a printable dossier about one ITEM: dates, list entry, court decision, repost, decision."""
    lang = current_lang()
    import re

    from repostguard.reports.dossier import write_dossier  # deferred: the templates load only here

    with Store.open(resolve_db(db)) as store:
        if out is None:
            ref = store.conn.execute(
                "SELECT ref FROM items WHERE id=?", (resolve_item(store, item),)
            ).fetchone()[0]
            out = Path(f"dossier-{re.sub(r'[^A-Za-z0-9_.-]+', '_', ref)[:80]}.{'pdf' if pdf else 'html'}")
        path, said = write_dossier(store, item, out, lang=lang, pdf=pdf, entries=Entries(fsm),
                                   pictures=not no_pictures)
    if said:
        click.echo(note_line(said), err=True)
    click.echo(str(path))


COMMANDS: list[click.Command] = [review_cmd, decide_cmd, dossier_cmd]
