"""The kinds of installed lists the re-check goes through, one line each (see
:class:`repostguard.matchers.base.ListKind`)."""

from __future__ import annotations

from repostguard.matchers.base import ListKind
from repostguard.matchers.fsm_recheck import FsmKind
from repostguard.matchers.orgs import OrgKind

LIST_KINDS: list[ListKind] = [
    FsmKind(),
    OrgKind(),
]
