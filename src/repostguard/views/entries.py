"""The list entries findings point to: full text, inclusion date, court decision.

Findings store only the bank, the entry number and the list version. The page and the dossier
look the entry up in the installed list (or in the list file given with ``--fsm``), :class:`Entries`;
without a list they say so. The report shows each entry as the scan saw it, from the entries
the workspace keeps of every list version a scan ran against, :class:`StoredEntries`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from repostguard.banks.fsm import load_fsm
from repostguard.errors import RepostguardError
from repostguard.views.i18n import list_day


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


class EntrySource(Protocol):
    """Where :func:`repostguard.views.items.item_view` looks a finding's list entry up."""

    def get(self, bank: str, entry: str, version: str = "") -> EntryView | None:
        """The entry ``entry`` of ``bank`` (in list version ``version`` where that matters), or None."""
        ...


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

    def get(self, bank: str, entry: str, version: str = "") -> EntryView | None:
        """The entry ``entry`` of ``bank`` in the installed list (only the FSM is looked up for now;
        ``version`` is not used: there is one installed list), or None."""
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


class StoredEntries:
    """Looks entries up in the list versions the workspace keeps (``list_entries``), each read once."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._cache: dict[tuple[str, str, str], EntryView | None] = {}

    def get(self, bank: str, entry: str, version: str = "") -> EntryView | None:
        """The entry ``entry`` of ``bank`` as list version ``version`` gave it, or None."""
        key = (bank, version, entry)
        if key not in self._cache:
            row = self.conn.execute(
                "SELECT text, included, excluded, court_decision, decision_date FROM list_entries"
                " WHERE bank=? AND version=? AND entry=?",
                key,
            ).fetchone()
            self._cache[key] = None if row is None else EntryView(
                bank, entry, row[0], _date(row[1]), row[3], _date(row[4]), bool(row[2])
            )
        return self._cache[key]


class FirstOf:
    """Each entry from the first of ``sources`` that has it: the installed list, then the list versions
    the workspace keeps (so an organisation list's entry is named even where only the FSM is installed)."""

    def __init__(self, *sources: EntrySource | None) -> None:
        self.sources = [s for s in sources if s is not None]

    def get(self, bank: str, entry: str, version: str = "") -> EntryView | None:
        for source in self.sources:
            found = source.get(bank, entry, version)
            if found is not None:
                return found
        return None


def workspace_entries(conn: sqlite3.Connection, installed: EntrySource | None = None) -> FirstOf:
    """The entries of the installed list (``installed``), then those the workspace ``conn`` keeps."""
    return FirstOf(installed, StoredEntries(conn))


def _date(value: str | None) -> date | None:
    """An ISO date as stored (the first ten characters), or None."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def posted_before_listing(entry: EntryView | None, posted: str | None) -> bool:
    """True if the item was certainly posted before the entry was listed: before its inclusion date
    or, for entries before 2017 (which have none), before its court decision (listing follows it).
    Days are compared on the lists' calendar (Moscow), whatever zone the export recorded."""
    listed = (entry.included or entry.decision_date) if entry is not None else None
    day = list_day(posted)
    return bool(listed and day and day < listed)


def listed_after_post(entry: EntryView | None, posted: str | None) -> bool:
    """True if the entry's inclusion date is known and later than the item's post day (in Moscow)."""
    if entry is None or entry.included is None:
        return False
    day = list_day(posted)
    return bool(day and entry.included > day)
