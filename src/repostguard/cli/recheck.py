"""CLI commands of the re-check stage: ``recheck`` and ``remind`` (registered in :mod:`repostguard.cli`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from repostguard.cli._common import db_option, file_option, resolve_db
from repostguard.errors import UserError
from repostguard.store import Store


def _parse_prior(value: str) -> tuple[str | None, date]:
    article, sep, day = value.rpartition(":") if ":" in value else ("", "", value)
    try:
        d = date.fromisoformat(day.strip())
    except ValueError as e:
        raise UserError(
            f"--prior-penalty {value!r}: expected [ARTICLE:]YYYY-MM-DD, e.g. 20.3.3:2024-05-01"
        ) from e
    art = article.strip().removeprefix("Admin").removeprefix("КоАП").strip() or None
    return art, d


@click.command("recheck")
@file_option("--json", "json_out", help="Write the new findings here (the findings JSON format of scan).")
@click.option(
    "--prior-penalty",
    "priors",
    multiple=True,
    metavar="[ARTICLE:]DATE",
    help="Record a prior administrative penalty you received (e.g. 20.3.3:2024-05-01); repeatable. "
    "Used only to show escalation risk.",
)
@click.option(
    "--prior-fine",
    "prior_fines",
    multiple=True,
    metavar="DATE",
    help="Same as --prior-penalty without an article.",
)
@db_option
def recheck_cmd(
    json_out: Path | None, priors: tuple[str, ...], prior_fines: tuple[str, ...], db: Path | None
) -> None:
    """After `lists update`: check the stored history against what changed in the lists since the last check.

    Reports only what is new (new or edited entries) and removes findings of excluded entries.
    """
    from repostguard.findings.legal import add_prior_penalty
    from repostguard.pipeline.recheck import run_recheck  # deferred: the matchers load only here

    path = resolve_db(db)
    entered = [_parse_prior(v) for v in priors] + [_parse_prior(v) for v in prior_fines]
    if entered:
        with Store.open(path) as store:
            for art, d in entered:
                add_prior_penalty(store.conn, d, art)
    summary = run_recheck(path, json_out=json_out)
    for line in summary.lines():
        click.echo(line)


@click.command("remind")
@file_option("--ics", "ics", help="Write an iCalendar file with the schedule (import it into your calendar).")
@click.option("--months", type=click.IntRange(1, 36), default=12, show_default=True)
@click.option("--day", type=click.IntRange(1, 28), default=1, show_default=True, help="Day of the month.")
@click.option("--lang", type=click.Choice(["ru", "en"]), default="ru", show_default=True)
def remind_cmd(ics: Path | None, months: int, day: int, lang: str) -> None:
    """Print a monthly re-check schedule, or write it as a calendar file (no background process)."""
    from repostguard.pipeline.recheck import reminder_text, schedule, write_ics

    dates = schedule(months=months, day=day)
    if ics is not None:
        write_ics(ics, dates, lang)
        click.echo(f"{ics}: {len(dates)} monthly reminders, first {dates[0].isoformat()}")
    else:
        click.echo(reminder_text(dates, lang))


COMMANDS: list[click.Command] = [recheck_cmd, remind_cmd]
