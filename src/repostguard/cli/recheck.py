"""CLI commands of the re-check stage: ``recheck`` and ``remind`` (registered in :mod:`repostguard.cli`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from repostguard.cli._common import db_option, file_option, resolve_db, seconds
from repostguard.cli.lang import lang_option
from repostguard.errors import UserError
from repostguard.i18n import current_lang, t
from repostguard.store import Store

if TYPE_CHECKING:
    from repostguard.pipeline.recheck import RecheckSummary


def _parse_prior(value: str) -> tuple[str | None, date]:
    article, sep, day = value.rpartition(":") if ":" in value else ("", "", value)
    try:
        d = date.fromisoformat(day.strip())
    except ValueError as e:
        raise UserError("cli_err_prior", value=value) from e
    art = article.strip().removeprefix("Admin").removeprefix("КоАП").strip() or None
    return art, d


def _summary_lines(summary: RecheckSummary) -> list[str]:
    """What a re-check did: one line per list (its version, what changed since the last check, the
    findings it brought or took away), then the totals."""
    from repostguard.views.i18n import BANK_LABELS, label

    out = []
    for b in summary.banks:
        fields: dict[str, Any] = {"list": label(BANK_LABELS, b.bank), "version": b.to_version,
                                  "since": b.from_version or ""}
        if not b.changed and not b.dropped and not b.full:
            out.append(t("cli_recheck_same", **fields) if b.from_version else t("cli_recheck_same_first", **fields))
            continue
        fields |= {"changed": len(b.changed), "dropped": len(b.dropped), "new": b.new_findings,
                   "gone": b.dropped_findings}
        out.append(t("cli_recheck_bank", **fields) if b.from_version else t("cli_recheck_bank_first", **fields))
    out.append(t("cli_rechecked_json" if summary.json_out else "cli_rechecked", n=summary.items,
                 seconds=seconds(summary.seconds), new=t("cli_new_findings_n", n=len(summary.findings)),
                 gone=len(summary.dropped), json=summary.json_out or ""))
    return out


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
    for line in _summary_lines(summary):
        click.echo(line)


@click.command("remind")
@file_option("--ics", "ics", help="Write an iCalendar file with the schedule (import it into your calendar).")
@click.option("--months", type=click.IntRange(1, 36), default=12, show_default=True)
@click.option("--day", type=click.IntRange(1, 28), default=1, show_default=True, help="Day of the month.")
@lang_option
def remind_cmd(ics: Path | None, months: int, day: int) -> None:
    """Print a monthly re-check schedule, or write it as a calendar file (no background process)."""
    lang = current_lang()
    from repostguard.pipeline.recheck import REMIND_STEPS_RU, schedule, write_ics

    dates = schedule(months=months, day=day)
    if ics is not None:
        write_ics(ics, dates, lang)
        click.echo(t("cli_remind_written", file=ics, n=len(dates), first=dates[0].isoformat()))
    else:
        click.echo("\n".join([t("cli_remind_head"), *[f"  {d.isoformat()}" for d in dates], "",
                              t("cli_remind_body", steps=REMIND_STEPS_RU)]))


COMMANDS: list[click.Command] = [recheck_cmd, remind_cmd]
