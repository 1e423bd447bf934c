"""The list entries findings point to: full text, inclusion date, court decision.

Findings store only the bank and entry number; the page and the dossier look the entry up in
the installed list (or in the list file given with ``--fsm``). Without a list they say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from repostguard.banks.install import load_fsm
from repostguard.errors import RepostguardError


@dataclass
class EntryView:
    """What the page shows about one list entry."""

    bank: str
    number: str
    text: str
    included: date | None
    court_decision: str | None
    decision_date: date | None
    excluded: bool = False


class Entries:
    """Looks entries up in the FSM list, loaded once on first use (None if no list is available)."""

    def __init__(self, fsm_path: Path | None = None, fsm_list: Any = None) -> None:
        self._path = fsm_path
        self._by_number: dict[int, Any] | None = fsm_list.by_number() if fsm_list is not None else None
        self._loaded = fsm_list is not None
        self.error: str | None = None

    def _load(self) -> None:
        self._loaded = True
        try:
            lst, _meta = load_fsm(self._path)
            self._by_number = lst.by_number()
        except (RepostguardError, ImportError, OSError) as e:
            self.error = str(e)
            self._by_number = None

    def preload(self) -> None:
        """Load the list now (the server does this before printing its address)."""
        if not self._loaded:
            self._load()

    def get(self, bank: str, entry: str) -> EntryView | None:
        """The entry ``entry`` of ``bank`` (only the FSM is looked up for now), or None."""
        if bank != "fsm":
            return None
        if not self._loaded:
            self._load()
        if self._by_number is None:
            return None
        try:
            e = self._by_number.get(int(entry))
        except ValueError:
            return None
        if e is None:
            return None
        return EntryView(
            bank, str(e.number), e.text, e.included, e.court_decision, e.decision_date, bool(e.excluded)
        )


def listed_after_post(entry: EntryView | None, posted: str | None) -> bool:
    """True if the entry's inclusion date is known and later than the item's post date."""
    if entry is None or entry.included is None or not posted:
        return False
    try:
        return entry.included > date.fromisoformat(posted[:10])
    except ValueError:
        return False
