"""What the top of the review page and the finished start screen say: per platform, how many items
were checked and how many are serious, mentions, or to check (by each item's most serious finding)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from markupsafe import Markup

from repostguard.model import LEVEL_RANK
from repostguard.views import query
from repostguard.views.charts import timeline_svg
from repostguard.views.i18n import LEVEL_LABELS, label, t

#: the summary's three groups, by an item's worst level: distribution is serious, a mention is a
#: mention, anything else (an indicator, personal data) is for the person to check
GROUPS = ("serious", "mentions", "check")


@dataclass
class PlatformLine:
    """One platform's line of the summary (``platform`` is empty for the total)."""

    platform: str
    items: int = 0
    serious: int = 0
    mentions: int = 0
    check: int = 0

    @property
    def flagged(self) -> int:
        return self.serious + self.mentions + self.check


def _group(worst: int) -> str:
    if worst == LEVEL_RANK["distribution"]:
        return "serious"
    if worst == LEVEL_RANK["mention"]:
        return "mentions"
    return "check"


def platform_overview(conn: sqlite3.Connection) -> list[PlatformLine]:
    """One line per platform of the workspace, then the total (nothing for an empty workspace)."""
    query.ensure_summary(conn)
    lines: dict[str, PlatformLine] = {}
    for platform, n in conn.execute("SELECT platform, count(*) FROM items GROUP BY platform ORDER BY platform"):
        lines[str(platform)] = PlatformLine(str(platform), items=int(n))
    for platform, worst, n in conn.execute(
        "SELECT platform, worst, count(*) FROM review_summary GROUP BY platform, worst"
    ):
        line = lines.setdefault(str(platform), PlatformLine(str(platform)))
        group = _group(int(worst))
        setattr(line, group, getattr(line, group) + int(n))
    if not lines:
        return []
    total = PlatformLine("")
    for line in lines.values():
        total.items += line.items
        for g in GROUPS:
            setattr(total, g, getattr(total, g) + getattr(line, g))
    return [*lines.values(), total]


def year_chart(by_year: dict[str, dict[str, int]], lang: str) -> Markup:
    """The chart of flagged items by year (by their most serious level), from
    :attr:`repostguard.views.query.Stats.by_year`; the review page and the summary draw the same one."""
    return timeline_svg(
        {(y if y != "?" else t("unknown_year", lang)): v for y, v in by_year.items()},
        {k: label(LEVEL_LABELS, k, lang) for k in LEVEL_LABELS},
        t("timeline", lang),
    )


def year_timeline(conn: sqlite3.Connection, lang: str) -> Markup:
    """:func:`year_chart` of the workspace ``conn``, for the start screen's summary; nothing when no
    item is flagged."""
    return year_chart(query.stats(conn).by_year, lang)


__all__ = ["platform_overview", "year_chart", "year_timeline", "PlatformLine", "GROUPS"]
