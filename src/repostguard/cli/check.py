"""CLI: ``repostguard check "TEXT"`` / ``--link URL`` / ``--file PICTURE``: check before posting.

Exit codes, as ``diff`` and ``cmp`` use them: 0 nothing found, 1 something found (any level),
2 bad input (no list installed, an empty text, a file that is not a picture), 3 the OCR engine is
missing. Nothing is stored; a link is never opened.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from repostguard.cli._common import db_option, file_option, resolve_db
from repostguard.cli.lang import lang_option
from repostguard.errors import UserError
from repostguard.i18n import current_lang
from repostguard.model import CHECK_KINDS
from repostguard.views.i18n import BANK_LABELS, LEVEL_LABELS, label, t

if TYPE_CHECKING:  # the matchers load only when a check runs
    from repostguard.pipeline.check import CheckResult

#: how much of the text read from a picture is printed
OCR_SHOWN = 300
#: findings printed in full; the rest are counted (``--json`` gives them all)
SHOWN = 20


def _w(key: str, lang: str, **kw: object) -> str:
    """The result's words in ``lang``: the same the app's check box shows (``check_*``)."""
    return t(f"check_{key}", lang, **kw)


def print_result(result: CheckResult, lang: str) -> None:
    """The result as a person reads it, in ``lang``: the lists, then each finding."""
    lists = ", ".join(f"{label(BANK_LABELS, cl.bank, lang)} ({cl.version})" for cl in result.lists)
    click.echo(f"{_w('checked', lang)}: {lists}")
    if result.ocr_text is not None:
        shown = " ".join(result.ocr_text.split())
        if len(shown) > OCR_SHOWN:
            shown = shown[:OCR_SHOWN] + "…"
        click.echo(f"{_w('ocr', lang)}: {shown or _w('no_ocr', lang)}")
    for note in result.notes:
        click.echo(f"  ! {note}")
    if not result:
        click.echo(_w("none", lang))
    else:
        click.echo(_w("found", lang, n=len(result)))
        pairs = list(zip(result.findings, result.legal, strict=True))
        for i, (f, legal) in enumerate(pairs[:SHOWN], 1):
            entry = _w("entry", lang, e=f.entry) if f.entry.isdigit() else f.entry
            click.echo(f"{i}. [{label(LEVEL_LABELS, f.level, lang)}] {label(BANK_LABELS, f.bank, lang)}, {entry}")
            click.echo(f"   {f.explanation_ru if lang == 'ru' else f.explanation_en}")
            risk = (legal.get("risk") or {}).get(lang)
            if risk:
                click.echo(f"   {_w('risk', lang)}: {risk}")
        if len(pairs) > SHOWN:  # the only words of the result the check box does not say
            click.echo(t("cli_check_more", lang, n=len(pairs) - SHOWN))
        click.echo(_w("advice", lang))
    click.echo(_w("stored", lang))


@click.command("check")
@click.argument("text", required=False)
@click.option("--link", "link", metavar="URL",
              help="Check a link (matched as text, never opened).")
@file_option("--file", "picture",
             help="Check a picture: its text (OCR) and its hash.")
@click.option("--kind", type=click.Choice(CHECK_KINDS), default="post", show_default=True,
              help="What you are about to make.")
@lang_option
@click.option("--json", "as_json", is_flag=True,
              help="Print the result as JSON.")
@file_option("--fsm", "fsm", help="Use this FSM CSV instead of the installed list.")
@db_option
def check_cmd(text: str | None, link: str | None, picture: Path | None, kind: str, as_json: bool,
              fsm: Path | None, db: Path | None) -> None:
    """Check a text, a link or a picture before you post it; nothing is stored.

    TEXT "-" reads the text from standard input.

    Exit code: 0 nothing found, 1 something found, 2 bad input, 3 no OCR engine.
    """
    lang = current_lang()
    from repostguard.pipeline.check import Checker, open_workspace_readonly

    given = [x for x in (text, link, picture) if x is not None]
    if len(given) != 1:
        raise UserError("cli_err_check_one")
    if text == "-":
        text = sys.stdin.read()
    workspace = open_workspace_readonly(resolve_db(db))
    try:
        checker = Checker(workspace, fsm=fsm)
    finally:
        if workspace is not None:
            workspace.close()
    with checker:
        if picture is not None:
            result = checker.check_picture(picture, kind=kind)
        elif link is not None:
            result = checker.check_link(link, kind=kind)
        else:
            result = checker.check_text(text or "", kind=kind)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
    else:
        print_result(result, lang)
    if result:
        sys.exit(1)


COMMANDS: list[click.Command] = [check_cmd]
