"""What the pipeline asks of matchers: the :class:`Matcher` protocol every bank's matcher follows
(scan and recheck call them the same way), and the :class:`ListKind` protocol of a kind of
installed list (the FSM, the organisation lists), through which recheck finds what changed in a
list and gets a matcher limited to the changed entries, with no branch on a bank's name.

In: an item (and the text read from its pictures). Out: findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from repostguard.model import Finding, Item

#: an entry as the store keeps it: entry, text, included, excluded, court decision, decision date
EntryRow = tuple[str, str, str | None, bool, str | None, str | None]


class Matcher(Protocol):
    """A matcher of one bank: which bank, its own version and the list version it matches against."""

    bank: str
    version: str
    list_version: str

    def match(self, item: Item, extra_texts: list[tuple[str, str]] | None = None) -> list[Finding]:
        """The findings of ``item`` (``extra_texts``: (field, text) read from its pictures)."""
        ...


@dataclass
class ListBank:
    """An installed list as the pipeline sees it: its version, its entries as the store keeps them,
    the parsed list, and the kind of list that knows how to match it."""

    bank: str
    version: str
    sha256: str
    source: str | None
    fetched_at: str | None
    rows: list[EntryRow]
    matcher_version: str
    payload: Any
    kind: ListKind


class ListKind(Protocol):
    """A kind of installed list: its banks, and the matcher that checks only some of its entries."""

    #: whether the version last checked may be read from ``scans`` (the list a scan records)
    baseline_from_scans: bool

    def installed(self) -> list[ListBank]:
        """The installed lists of this kind (none when nothing is installed)."""
        ...

    def verifier(self, bank: ListBank, wanted: set[str], full: bool, cache: Path | None
                 ) -> tuple[Matcher, list[str]]:
        """A matcher whose findings of the ``wanted`` entries are those of the whole list's matcher,
        and the text pieces (in compact form) an item must hold to be worth matching (none when
        ``full``: every item is matched)."""
        ...
