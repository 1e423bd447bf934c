"""CLI: ``repostguard clean plan|run|status|checklist|tick`` and ``repostguard backup create|open``."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from repostguard.cli._common import db_option, file_option, resolve_db
from repostguard.errors import ExternalError, UserError

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


def _print_summary(store: Store, plan: Plan) -> None:
    from repostguard.actions.planner import summary

    rows = summary(plan, store)
    if not rows:
        click.echo(
            "План пуст: нет решений «удалить» или «скрыть» / The plan is empty: no delete or hide decisions."
        )
        return
    click.echo(
        "платформа/platform  действие/action  путь/route  всего/count  "
        "без копии/not backed up  уже удалено/gone"
    )
    for r in rows:
        click.echo(
            f"  {r['platform']:<10} {r['action']:<7} {r['route']:<7} {r['count']:>6} "
            f"{r['not_backed_up']:>8} {r['already_gone']:>8}"
        )


def _secret(env: str, prompt: str, *, confirm: bool = False) -> str:
    val = os.environ.get(env)
    if val:
        return val
    if not sys.stdin or not sys.stdin.isatty():
        raise UserError(f"{prompt}: set {env} or run in a terminal to be asked")
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
            click.echo(f"{p.label}: аккаунт {acct} совпадает с архивом / account {acct} matches the archive")
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
    passphrase = _secret(
        "REPOSTGUARD_BACKUP_PASSPHRASE", "Пароль резервной копии / backup passphrase", confirm=True
    )
    path = _backup_path(db_path, out)
    n = backup_items(store, todo, path, passphrase, warn=lambda s: click.echo(f"  warning: {s}", err=True))
    click.echo(
        f"{path}: резервная копия, записей: {n}, проверена чтением / "
        f"backup of {n} items, read back and checked"
    )
    return n


#: entries listed by a dry run
SHOW = 50


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
            click.echo(f"{out}: план, записей {len(plan.entries)} / plan with {len(plan.entries)} entries")


@clean_group.command("run")
@file_option("--plan", "plan_file", help="Run this (edited) plan instead of all current decisions.")
@click.option("--yes", is_flag=True, help="Really send the deletions (without it: show the plan and exit).")
@click.option(
    "--pace", type=float, default=1.5, show_default=True, help="Seconds between deletions (plus jitter)."
)
@click.option(
    "--jitter", type=float, default=0.5, show_default=True, help="Up to this many extra random seconds."
)
@file_option("--backup", "backup_out", help="Write the backup here (default: backups/ next to the database).")
@click.option(
    "--account",
    "accounts",
    multiple=True,
    metavar="PLATFORM=ID",
    help="Confirm the account id when the archive does not show its owner.",
)
@file_option(
    "--checklist",
    "checklist_out",
    default=Path("repostguard-checklist.html"),
    show_default=True,
    help="Where to write the checklist of what to do by hand.",
)
@click.option("--lang", type=click.Choice(["ru", "en"]), default="ru", show_default=True)
@db_option
def run_cmd(
    plan_file: Path | None,
    yes: bool,
    pace: float,
    jitter: float,
    backup_out: Path | None,
    accounts: tuple[str, ...],
    checklist_out: Path,
    lang: str,
    db: Path | None,
) -> None:
    """Carry out the plan. Dry run unless --yes: shows the plan and sends nothing."""
    from repostguard.actions.advice import advice
    from repostguard.actions.runner import run_lock

    given: dict[str, str] = {}
    for a in accounts:
        if "=" not in a:
            raise UserError(f"--account {a}: expected PLATFORM=ID")
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
            for e in plan.entries[:SHOW]:
                click.echo(f"  {e.action:<6} {e.route:<6} {e.ref}  {e.preview[:60]}")
            if len(plan.entries) > SHOW:
                click.echo(
                    f"  … ещё {len(plan.entries) - SHOW} / {len(plan.entries) - SHOW} more (clean plan --out)"
                )
            click.echo(
                "Пробный запуск: ничего не отправлено. Чтобы выполнить, добавьте --yes. / "
                "Dry run: nothing was sent. Add --yes to carry it out."
            )
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
        click.echo(
            "ещё в сети / still online: "
            + ", ".join(rep.online[:20])
            + (" …" if len(rep.online) > 20 else "")
        )
    by_ref = {e.ref: e for e in plan.entries}
    by_hand = rep.manual + [by_ref[r] for r in rep.denied if r in by_ref]  # what the platform refused too
    if by_hand:
        checklist.write(store, by_hand, checklist_out, lang=lang)
        click.echo(f"{checklist_out}: что сделать вручную ({len(by_hand)}) / to do by hand")
    if rep.stopped:
        raise ExternalError("; ".join(rep.stopped.values()))


@clean_group.command("status")
@click.option("--all", "show_all", is_flag=True, help="List every item, not only those still online.")
@db_option
def status_cmd(show_all: bool, db: Path | None) -> None:
    """What of the delete decisions is gone and what is still online, per the journal."""
    from repostguard.actions.runner import status_rows

    with _store(db) as store:
        rows = store.conn.execute(
            "SELECT i.platform, i.ref, i.deleted_at FROM decisions d JOIN items i ON i.id=d.item_id"
            " WHERE d.action='delete' ORDER BY i.platform, i.ref"
        ).fetchall()
        last = {r["ref"]: r for r in status_rows(store)}
        gone = sum(1 for r in rows if r["deleted_at"])
        click.echo(f"удалено / gone: {gone}; ещё в сети / still online: {len(rows) - gone}")
        for r in rows:
            if r["deleted_at"] and not show_all:
                continue
            j = last.get(r["ref"])
            state = f"gone {r['deleted_at']}" if r["deleted_at"] else "online"
            click.echo(f"  {r['ref']}: {state}" + (f" (last: {j['status']} {j['method']})" if j else ""))


@clean_group.command("checklist")
@file_option("--plan", "plan_file")
@file_option("--out", "out", default=Path("repostguard-checklist.html"), show_default=True)
@click.option(
    "--serve", "serve_", is_flag=True, help="Serve it on 127.0.0.1 with buttons that save the ticks."
)
@click.option("--port", type=int, default=0, help="Port for --serve (default: any free one).")
@click.option("--all", "everything", is_flag=True,
              help="Every planned item still online, not only the by-hand ones (when no token can be had).")
@click.option("--lang", type=click.Choice(["ru", "en"]), default="ru", show_default=True)
@db_option
def checklist_cmd(
    plan_file: Path | None, out: Path, serve_: bool, port: int, everything: bool, lang: str, db: Path | None
) -> None:
    """Write (or --serve) the page of items to delete or hide by hand, grouped by kind and year, with saved ticks."""
    from repostguard.actions import checklist

    with _store(db) as store:
        plan = _plan(store, plan_file)
        gone = store.deleted_ids()
        entries = [e for e in plan.entries if e.route == "manual" or (everything and e.item_id not in gone)]
        if not serve_:
            n = checklist.write(store, entries, out, lang=lang)
            click.echo(f"{out}: {n}")
            return
    click.echo("Ctrl+C — остановить / to stop")
    checklist.serve(
        resolve_db(db),
        entries,
        lang=lang,
        port=port,
        ready=lambda url: click.echo(f"Откройте в браузере / open in your browser: {url}"),
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
            click.echo(f"{done}: {'снято / untick' if undo else 'отмечено / ticked'}")


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
        click.echo("Всё уже сохранено / everything is already backed up")


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

    passphrase = _secret("REPOSTGUARD_BACKUP_PASSPHRASE", "Пароль резервной копии / backup passphrase")
    if extract_dir:
        n = extract(read_backup(file, passphrase), extract_dir)
        click.echo(f"{extract_dir}: записей {n} / {n} items")
        return
    n = 0
    for rec in read_backup(file, passphrase):
        n += 1
        text = one_line(str(rec.item.get("text") or ""))[:80]
        media = sum(1 for m in rec.media if "data" in m)
        click.echo(f"{rec.ref}\t{rec.item.get('date') or ''}\t{media} media\t{text}")
    click.echo(f"{file}: записей {n} / {n} items")


COMMANDS: list[click.Command] = [clean_group, backup_group]
