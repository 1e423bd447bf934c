"""Click options choosing a selection of items, shared by ``report`` (kept light: imported by the CLI)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from repostguard.model import KINDS, LEVELS

ACTION_CHOICES = ("delete", "hide", "keep", "not-a-match", "none", "any")


def selection_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """Click options that choose a selection of items (each optional; none = the whole audit)."""
    opts = [
        click.option(
            "--level", type=click.Choice(list(LEVELS)), help="Only findings of this level."
        ),
        click.option("--platform", help="Only items from this platform (vk, telegram, …)."),
        click.option("--kind", type=click.Choice(KINDS), help="Only items of this kind."),
        click.option("--list", "bank", help="Only findings from this list (fsm, orgs, …)."),
        click.option("--year", type=click.IntRange(1990, 2100), help="Only items posted in this year."),
        click.option(
            "--decision",
            type=click.Choice(ACTION_CHOICES),
            help="Only items with this decision (none = undecided).",
        ),
        click.option("--item", help="Only this item (ref, id or URL)."),
        click.option("--search", "q", help="Only items whose text contains these words."),
        click.option(
            "--all-history",
            "scope",
            flag_value="all",
            default=None,
            help="Include items without findings (with --search: search the whole history).",
        ),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f
