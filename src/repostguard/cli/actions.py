"""CLI: ``repostguard clean plan|run|status|checklist|tick`` and ``repostguard backup create|open``."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from repostguard.cli._common import db_option, file_option, resolve_db, warning
from repostguard.cli.lang import lang_option
from repostguard.errors import ExternalError, Listing, UserError
from repostguard.i18n import current_lang, t

if TYPE_CHECKING:  # the actions (httpx, the platforms' clients) load only when a command runs
    from repostguard.actions._base import Actioner
    from repostguard.actions.planner import Plan
    from repostguard.store import Store


def _store(db: Path | None) -> Store:
    from repostguard.store import Store

    return Store.open(resolve_db(db))


def _plan(store: Store, plan_file: Path | None) -> Plan:
    from repostguard.actions.planner import build_plan, load_plan

    return load_plan(plan_file, store) if plan_file else build_plan(store)


#: the columns of the plan's summary (catalogue keys), and which of them hold numbers
COLUMNS = ("act_col_platform", "act_col_action", "act_col_route", "act_col_count", "act_col_not_backed_up",
           "act_col_gone")
NUMERIC = 3


def _table(head: list[str], rows: list[list[str]], numeric_from: int) -> list[str]:
    """Lines of a table aligned by column: text to the left, the numbers (from ``numeric_from``) to the right."""
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    return ["  " + "  ".join(c.rjust(w) if i >= numeric_from else c.ljust(w)
                             for i, (c, w) in enumerate(zip(r, widths, strict=True))).rstrip()
            for r in [head, *rows]]


def _print_summary(store: Store, plan: Plan) -> None:
    from repostguard.actions.planner import ACTION_KEYS, ROUTE_KEYS, in_words, summary
    from repostguard.actions.registry import label_of

    rows = summary(plan, store)
    if not rows:
        click.echo(t("act_plan_empty"))
        return
    body = [[label_of(r["platform"]), in_words(ACTION_KEYS, r["action"]), in_words(ROUTE_KEYS, r["route"]),
             str(r["count"]), str(r["not_backed_up"]), str(r["already_gone"])] for r in rows]
    for line in _table([t(c) for c in COLUMNS], body, NUMERIC):
        click.echo(line)


def _secret(env: str, prompt: str, *, confirm: bool = False) -> str:
    val = os.environ.get(env)
    if val:
        return val
    if not sys.stdin or not sys.stdin.isatty():
        raise UserError("act_secret_needed", prompt=prompt, env=env)
    return str(click.prompt(prompt, hide_input=True, confirmation_prompt=confirm))


class _Prompts:
    """:class:`~repostguard.actions._base.Credentials` from the environment or terminal prompts."""

    def env(self, name: str) -> str | None:
        return os.environ.get(name) or None

    def secret(self, env: str, prompt: str) -> str:
        return _secret(env, prompt)

    def ask(self, prompt: str, *, hidden: bool = False, optional: bool = False) -> str:
        if optional:
            return str(click.prompt(prompt, hide_input=hidden, default="", show_default=False))
        return str(click.prompt(prompt, hide_input=hidden))

    def say(self, message: str) -> None:
        click.echo(message)


def _connect(store: Store, platforms: set[str], given: dict[str, str]) -> dict[str, Actioner]:
    """A client per platform in ``platforms`` whose credentials are given, checked to belong to
    the archive's owner (asked in the registry's order)."""
    from repostguard.actions.registry import PLATFORMS
    from repostguard.actions.runner import check_account

    actioners: dict[str, Actioner] = {}
    prompts = _Prompts()
    for p in PLATFORMS:
        if p.name not in platforms or p.connect is None:
            continue
        act = p.connect(prompts)
        if act is None:
            continue  # no credentials: its items go to the checklist
        acct = check_account(store, act, given.get(p.name))
        if p.announce_account:
            click.echo(t("act_account_matches", platform=p.label, account=acct))
        actioners[p.name] = act
    return actioners


def _backup_path(db_path: Path, out: Path | None) -> Path:
    if out is not None:
        return out
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    return db_path.parent / "backups" / f"backup-{stamp}.rgbk"


def _backup_missing(store: Store, plan: Plan, db_path: Path, out: Path | None) -> int:
    from repostguard.actions.backup import backup_items
    from repostguard.actions.planner import backed_up_ids

    backed = backed_up_ids(store)
    gone = store.deleted_ids()
    todo = [
        e.item_id
        for e in plan.entries
        if e.action == "delete" and e.item_id not in backed and e.item_id not in gone
    ]
    if not todo:
        return 0
    passphrase = _secret(PASSPHRASE_ENV, t("act_prompt_passphrase"), confirm=True)
    path = _backup_path(db_path, out)
    n = backup_items(store, todo, path, passphrase, warn=lambda s: click.echo("  " + warning(s), err=True))
    click.echo(t("act_backup_written", path=path, n=n))
    return n


#: entries listed by a dry run
SHOW = 50
#: where the backup's passphrase may be given
PASSPHRASE_ENV = "REPOSTGUARD_BACKUP_PASSPHRASE"
#: the journal's statuses in words (catalogue keys)
STATUS_KEYS = {
    "done": "act_journal_done", "gone": "act_journal_gone", "denied": "act_journal_denied",
    "refused": "act_journal_refused", "not-sent": "act_journal_not_sent", "failed": "act_journal_failed",
    "intent": "act_journal_intent",
}


def _how(method: str) -> str:
    """How a journal row was done (catalogue key): by hand, a check whether the object is still there, or
    through the platform's API."""
    if method.startswith("manual:"):
        return "act_route_manual"
    if method.startswith("probe:"):
        return "act_journal_probe"
    return "act_route_api"


@click.group("clean")
def clean_group() -> None:
    """Plan and carry out deletions (backup first, journal, resumable)."""


@clean_group.command("plan")
@file_option("--out", "out", help="Write the plan as editable JSON here.")
@db_option
def plan_cmd(out: Path | None, db: Path | None) -> None:
    """Show what would be deleted or hidden, per platform; nothing is sent."""
    with _store(db) as store:
        plan = _plan(store, None)
        _print_summary(store, plan)
        if out:
            plan.write(out, store)
            click.echo(t("act_plan_written", path=out, n=len(plan.entries)))


@clean_group.command("run")
@file_option("--plan", "plan_file", help="Run this (edited) plan instead of all current decisions.")
@click.option("--yes", is_flag=True, help="Really send the deletions (without it: show the plan and exit).")
@click.option("--pace", type=float, default=1.5, show_default=True, help="Seconds between deletions (plus jitter).")
@click.option("--jitter", type=float, default=0.5, show_default=True, help="Up to this many extra random seconds.")
@file_option("--backup", "backup_out", help="Write the backup here (default: backups/ next to the database).")
@click.option("--account", "accounts", multiple=True, metavar="PLATFORM=ID",
              help="Confirm the account id when the archive does not show its owner.")
@file_option(
    "--checklist",
    "checklist_out",
    default=Path("repostguard-checklist.html"),
    show_default=True,
    help="Where to write the checklist of what to do by hand.",
)
@lang_option
@db_option
def run_cmd(
    plan_file: Path | None,
    yes: bool,
    pace: float,
    jitter: float,
    backup_out: Path | None,
    accounts: tuple[str, ...],
    checklist_out: Path,
    db: Path | None,
) -> None:
    """Carry out the plan. Dry run unless --yes: shows the plan and sends nothing."""
    lang = current_lang()
    from repostguard.actions.advice import advice
    from repostguard.actions.planner import ACTION_KEYS, ROUTE_KEYS, in_words
    from repostguard.actions.runner import run_lock

    given: dict[str, str] = {}
    for a in accounts:
        if "=" not in a:
            raise UserError("act_account_format", option=f"--account {a}", example="vk=12345")
        k, v = a.split("=", 1)
        given[k.strip()] = v.strip()
    db_path = resolve_db(db)
    with _store(db) as store:
        plan = _plan(store, plan_file)
        _print_summary(store, plan)
        click.echo("")
        click.echo(advice(lang))
        click.echo("")
        if not yes:
            shown = plan.entries[:SHOW]
            body = [[in_words(ACTION_KEYS, e.action), in_words(ROUTE_KEYS, e.route), e.ref, e.preview[:60]]
                    for e in shown]
            if body:
                for line in _table([t("act_col_action"), t("act_col_route"), t("act_col_item"), t("act_col_text")],
                                   body, len(body[0])):
                    click.echo(line)
            if len(plan.entries) > SHOW:
                click.echo("  " + t("act_dry_more", n=len(plan.entries) - SHOW, command="repostguard clean plan --out"))
            click.echo(t("act_dry_run"))
            return
        if not plan.entries:
            return
        with run_lock(db_path):
            _run_yes(store, plan, db_path, backup_out, given, pace, jitter, checklist_out, lang)


def _run_yes(
    store: Store,
    plan: Plan,
    db_path: Path,
    backup_out: Path | None,
    given: dict[str, str],
    pace: float,
    jitter: float,
    checklist_out: Path,
    lang: str,
) -> None:
    from repostguard.actions import checklist
    from repostguard.actions._base import Pacer
    from repostguard.actions.runner import run_plan

    _backup_missing(store, plan, db_path, backup_out)
    actioners = _connect(store, {e.platform for e in plan.entries if e.route == "api"}, given)
    pacer = Pacer(pace, jitter)
    rep = run_plan(store, plan, actioners, pacer=pacer, echo=click.echo)
    for line in rep.lines():
        click.echo(line)
    if rep.online:
        click.echo(t("act_still_online", refs=", ".join(rep.online[:20]) + (" …" if len(rep.online) > 20 else "")))
    by_ref = {e.ref: e for e in plan.entries}
    by_hand = rep.manual + [by_ref[r] for r in rep.denied if r in by_ref]  # what the platform refused too
    if by_hand:
        checklist.write(store, by_hand, checklist_out, lang=lang)
        click.echo(t("act_checklist_written", path=checklist_out, n=len(by_hand)))
    if rep.stopped:
        raise ExternalError("act_run_stopped", reasons=Listing(rep.stopped.values(), "; "))


@clean_group.command("status")
@click.option("--all", "show_all", is_flag=True, help="List every item, not only those still online.")
@db_option
def status_cmd(show_all: bool, db: Path | None) -> None:
    """What of the delete decisions is gone and what is still online, per the journal."""
    from repostguard.actions.planner import in_words
    from repostguard.actions.runner import status_rows
    from repostguard.views.i18n import fmt_local

    with _store(db) as store:
        rows = store.conn.execute(
            "SELECT i.platform, i.ref, i.deleted_at FROM decisions d JOIN items i ON i.id=d.item_id"
            " WHERE d.action='delete' ORDER BY i.platform, i.ref"
        ).fetchall()
        last = {r["ref"]: r for r in status_rows(store)}
        gone = sum(1 for r in rows if r["deleted_at"])
        click.echo(t("act_status_summary", gone=gone, online=len(rows) - gone))
        lang = current_lang()
        for r in rows:
            if r["deleted_at"] and not show_all:
                continue
            j = last.get(r["ref"])
            at = fmt_local(r["deleted_at"], lang)
            if j is None:
                line = t("act_status_gone", ref=r["ref"], at=at) if r["deleted_at"] else t("act_status_online",
                                                                                            ref=r["ref"])
            else:
                said = {"status": in_words(STATUS_KEYS, j["status"]), "how": t(_how(j["method"]))}
                line = (t("act_status_gone_last", ref=r["ref"], at=at, **said) if r["deleted_at"]
                        else t("act_status_online_last", ref=r["ref"], **said))
            click.echo("  " + line)


@clean_group.command("checklist")
@file_option("--plan", "plan_file")
@file_option("--out", "out", default=Path("repostguard-checklist.html"), show_default=True)
@click.option(
    "--serve", "serve_", is_flag=True, help="Serve it on 127.0.0.1 with buttons that save the ticks."
)
@click.option("--port", type=int, default=0, help="Port for --serve (default: any free one).")
@click.option("--all", "everything", is_flag=True,
              help="Every planned item still online, not only the by-hand ones (when no token can be had).")
@lang_option
@db_option
def checklist_cmd(
    plan_file: Path | None, out: Path, serve_: bool, port: int, everything: bool, db: Path | None
) -> None:
    """Write (or --serve) the page of items to delete or hide by hand, grouped by kind and year, with saved ticks."""
    lang = current_lang()
    from repostguard.actions import checklist

    with _store(db) as store:
        plan = _plan(store, plan_file)
        gone = store.deleted_ids()
        entries = [e for e in plan.entries if e.route == "manual" or (everything and e.item_id not in gone)]
        if not serve_:
            n = checklist.write(store, entries, out, lang=lang)
            click.echo(t("act_checklist_written", path=out, n=n))
            return
    click.echo(t("act_serve_stop"))
    checklist.serve(
        resolve_db(db),
        entries,
        lang=lang,
        port=port,
        ready=lambda url: click.echo(t("act_serve_open", url=url)),
    )


@clean_group.command("tick")
@click.argument("refs", nargs=-1, required=True)
@click.option("--undo", is_flag=True, help="Remove the tick.")
@db_option
def tick_cmd(refs: tuple[str, ...], undo: bool, db: Path | None) -> None:
    """Mark items as done by hand (deleted ones become tombstones with today's date)."""
    from repostguard.actions import checklist

    with _store(db) as store:
        for ref in refs:
            done = checklist.tick(store, ref, undo=undo)
            click.echo(t("act_tick_undone" if undo else "act_tick_done", ref=done))


@click.group("backup")
def backup_group() -> None:
    """The encrypted backup written before deletion."""


@backup_group.command("create")
@file_option("--plan", "plan_file")
@file_option("--out", "out", help="Backup file to write.")
@db_option
def backup_create(plan_file: Path | None, out: Path | None, db: Path | None) -> None:
    """Back up every planned deletion that is not backed up yet."""
    with _store(db) as store:
        n = _backup_missing(store, _plan(store, plan_file), resolve_db(db), out)
    if not n:
        click.echo(t("act_backup_nothing"))


@backup_group.command("open")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--extract",
    "extract_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write each item (item.json and media files) into this folder.",
)
def backup_open(file: Path, extract_dir: Path | None) -> None:
    """Read a backup back: list its items, or extract them."""
    from repostguard.actions.backup import extract, read_backup
    from repostguard.actions.planner import one_line

    passphrase = _secret(PASSPHRASE_ENV, t("act_prompt_passphrase"))
    if extract_dir:
        n = extract(read_backup(file, passphrase), extract_dir)
        click.echo(t("act_backup_count", path=extract_dir, n=n))
        return
    n = 0
    for rec in read_backup(file, passphrase):
        n += 1
        text = one_line(str(rec.item.get("text") or ""))[:80]
        media = sum(1 for m in rec.media if "data" in m)
        click.echo(t("act_backup_row", ref=rec.ref, date=rec.item.get("date") or "", n=media, text=text))
    click.echo(t("act_backup_count", path=file, n=n))


COMMANDS: list[click.Command] = [clean_group, backup_group]
