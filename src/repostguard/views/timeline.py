"""Each finding's own timeline, for a lawyer: when the item was posted, when the court decided,
when the entry was listed (or that the list gives no date), and today; and one sentence that says
how the posting relates to the listing.

The court decision date is never shown as the listing date. The Federal List gives inclusion
dates only from 2017 on (its column «Дата включения (указывается с 01.01.2017)»); an entry without
one was listed before 2017 and after its court decision, so an item posted before the decision was
posted before the listing, one posted in 2017 or later after it, and one in between is undecided.
Days are compared on the lists' calendar (Moscow, :func:`repostguard.views.i18n.list_day`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from repostguard.views.entries import EntryView
from repostguard.views.i18n import fmt_date, list_day, t, today

#: entries of the Federal List without an inclusion date were listed before this day
UNDATED_BEFORE = date(2017, 1, 1)


@dataclass
class Step:
    """One point of a timeline."""

    #: ``posted``, ``court``, ``listed`` or ``today``
    kind: str
    label: str
    #: the date as shown, or the words that say it is unknown
    when: str
    unknown: bool = False
    note: str = ""


@dataclass
class Timeline:
    """A finding's dates in order, and how the posting relates to the listing."""

    steps: list[Step] = field(default_factory=list)
    #: ``before``, ``before_decision``, ``same_day``, ``after``, ``after_undated``, ``undecided`` or ""
    relation: str = ""
    relation_text: str = ""

    @property
    def posted_before(self) -> bool:
        """The item was certainly posted before the entry was listed."""
        return self.relation in ("before", "before_decision")


def relation(entry: EntryView | None, posted: str | None) -> str:
    """How the item's post day relates to the entry's listing (see :class:`Timeline`)."""
    day = list_day(posted)
    if entry is None or day is None:
        return ""
    if entry.included is not None:
        if day < entry.included:
            return "before"
        return "same_day" if day == entry.included else "after"
    if entry.decision_date is not None and day < entry.decision_date:
        return "before_decision"
    if entry.bank == "fsm" and day >= UNDATED_BEFORE:
        return "after_undated"
    return "undecided" if entry.bank == "fsm" else ""


def finding_timeline(
    entry: EntryView | None, posted: str | None, lang: str, *, tz_assumed: bool = False, on: date | None = None
) -> Timeline:
    """The timeline of one finding: the item posted at ``posted`` (as stored), the list entry
    ``entry`` (None when the list is not available), today (``on``, default: today in the
    display zone)."""
    post_day = list_day(posted)
    posted_step = Step(
        "posted",
        t("posted", lang),
        fmt_date(posted, lang) if post_day else t("no_date", lang),
        unknown=post_day is None,
        note=t("tz_assumed", lang) if tz_assumed and post_day else "",
    )
    # (sort day, tie-break, step); the unknown post date goes first
    dated: list[tuple[date, int, Step]] = []
    steps_head: list[Step] = [] if post_day else [posted_step]
    if post_day:
        dated.append((post_day, 0, posted_step))
    if entry is not None:
        if entry.decision_date is not None:
            court = Step("court", t("tl_court", lang), fmt_date(entry.decision_date, lang))
            dated.append((entry.decision_date, 1, court))
        else:
            steps_head.append(Step("court", t("tl_court", lang), t("tl_court_unknown", lang), unknown=True))
        if entry.included is not None:
            dated.append((entry.included, 2, Step("listed", t("included", lang), fmt_date(entry.included, lang))))
        else:
            unknown = Step("listed", t("included", lang), t("included_unknown", lang), unknown=True,
                           note=t("tl_listed_undated", lang) if entry.bank == "fsm" else "")
            # listed after the court decision (and, for the FSM, before 2017)
            anchor = entry.decision_date or (UNDATED_BEFORE if entry.bank == "fsm" else None)
            if anchor is not None:
                dated.append((anchor, 3, unknown))
            else:
                steps_head.append(unknown)
    dated.sort(key=lambda x: (x[0], x[1]))
    now = on or today()
    steps = [*steps_head, *(s for _, _, s in dated), Step("today", t("tl_today", lang), fmt_date(now, lang))]
    rel = relation(entry, posted)
    return Timeline(steps, rel, t(f"rel_{rel}", lang) if rel else "")


__all__ = ["Step", "Timeline", "finding_timeline", "relation", "UNDATED_BEFORE"]
