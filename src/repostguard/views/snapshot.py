"""How the packaged snapshot of a list is announced: its date and age, and the advice to update.

The words are the catalogue's (``snapshot_notice``, ``days_ago_*``); the snapshot's date and age come
from :func:`repostguard.banks.lifecycle.snapshot_age`. The start screen, ``scan`` and ``lists show``
say the same sentence.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from repostguard.banks.lifecycle import snapshot_age
from repostguard.views.i18n import BANK_LABELS, fmt_date, label, t, today


def days_ago(n: int, lang: str) -> str:
    """``515 дней назад``, ``1 day ago``; ``сегодня`` for 0."""
    if n <= 0:
        return t("days_ago_zero", lang)
    if lang == "ru":
        form = "one" if n % 10 == 1 and n % 100 != 11 else (
            "few" if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else "many")
    else:
        form = "one" if n == 1 else "many"
    return t(f"days_ago_{form}", lang, n=n)


def snapshot_notice(meta: dict[str, Any] | None, lang: str, on: date | None = None) -> str:
    """«встроенный снимок списка от 09.07.2025, 515 дней назад; обновите списки» for a packaged
    snapshot's provenance; '' for an installed list (or none)."""
    age = snapshot_age(meta or {}, on or today())
    if age is None:
        return ""
    return t("snapshot_notice", lang, date=fmt_date(age[0], lang), ago=days_ago(age[1], lang))


def snapshot_lines(metas: list[dict[str, Any]], lang: str, on: date | None = None) -> list[str]:
    """One line per list taken from the package: its title, then :func:`snapshot_notice` and the command."""
    return [f"{label(BANK_LABELS, str(m.get('bank')), lang)}: {notice} (repostguard lists update)"
            for m in metas if (notice := snapshot_notice(m, lang, on))]


__all__ = ["days_ago", "snapshot_lines", "snapshot_notice"]
