"""The progress of a scan, told once: stages and counts as :data:`ProgressListener` events.

The app's job records them (:meth:`repostguard.app.jobs.Job.listen`) and the command line draws them
as tqdm bars (:class:`Bars`); nothing else counts. A stage is told at its start, at its first item,
then every :data:`LISTEN_EVERY` items or :data:`LISTEN_SECONDS`, whichever comes first, and at its end,
so a slow item never leaves the display still for long.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from repostguard.i18n import t

#: hears the scan's progress: (stage, items done, items in the stage or None when unknown); a listener
#: may raise to stop between items (an import is then rolled back whole, a scan saves no findings)
ProgressListener = Callable[[str, int, int | None], None]
#: a stage is told every this many items ...
LISTEN_EVERY = 64
#: ... or after this many seconds without telling, whichever comes first
LISTEN_SECONDS = 0.25
#: the stages the command line draws a bar for, and the unit of each
BAR_UNITS = {"importing": "item", "pictures": "pic", "matching": "item"}
#: the words of each stage's bar (catalogue ``cli``): its name and its unit
BAR_WORDS = {"importing": ("cli_stage_importing", "cli_unit_item"),
             "pictures": ("cli_stage_pictures", "cli_unit_picture"),
             "matching": ("cli_stage_matching", "cli_unit_item")}

T = TypeVar("T")


class Teller:
    """Counts one stage to ``listen``: told at once (0), at the first item, then every
    :data:`LISTEN_EVERY` items or :data:`LISTEN_SECONDS`, whichever first; :meth:`tell` forces it."""

    def __init__(self, listen: ProgressListener, stage: str, total: int | None = None) -> None:
        self.listen, self.stage, self.total = listen, stage, total
        self.done = 0
        self.tell()

    def tell(self) -> None:
        self.listen(self.stage, self.done, self.total)
        self._next = self.done + LISTEN_EVERY if self.done else 1
        self._due = time.monotonic() + LISTEN_SECONDS

    def step(self, k: int = 1) -> None:
        self.done += k
        if self.done >= self._next or time.monotonic() >= self._due:
            self.tell()

    def end(self) -> None:
        """The stage is over: its count is its total."""
        self.total = self.done
        self.tell()


def told(items: Iterable[T], stage: str, listen: ProgressListener) -> Iterator[T]:
    """``items`` passed through, counted to ``listen`` (see :class:`Teller`)."""
    teller = Teller(listen, stage)
    for item in items:
        yield item
        teller.step()
    teller.end()


def fan_out(*listeners: ProgressListener | None) -> ProgressListener | None:
    """One listener telling each of ``listeners`` (None ones left out); None when there is none."""
    real = [x for x in listeners if x is not None]
    if len(real) <= 1:
        return real[0] if real else None

    def listen(stage: str, done: int, total: int | None) -> None:
        for x in real:
            x(stage, done, total)

    return listen


class Bars:
    """The command line's bars, as a :data:`ProgressListener`: one tqdm bar on standard error for each
    stage of :data:`BAR_UNITS` that has something to count, only when standard error is a terminal
    (otherwise nothing is written). :meth:`close` removes the last bar."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.stage = ""
        self.bar: Any = None

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        if stage != self.stage:
            self.close()
            self.stage = stage
        if self.bar is None:
            if stage not in BAR_UNITS or not (done or total):
                return  # nothing to count yet (a stage with no items draws no bar)
            from tqdm import tqdm

            name, unit = BAR_WORDS[stage]
            self.bar = tqdm(total=total, desc=t(name), unit=t(unit), bar_format=t("cli_bar"), leave=False,
                            file=sys.stderr)
        if total != self.bar.total:
            self.bar.total = total
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


__all__ = ["ProgressListener", "LISTEN_EVERY", "LISTEN_SECONDS", "Teller", "told", "fan_out", "Bars"]
