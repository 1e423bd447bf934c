"""What the runner needs from a platform client: prepare a call, send it, probe an object.

A client (an *actioner*) turns an item and an action into a :class:`Call` (or None when the
platform has no API for it: the item then goes to the manual checklist), sends it
(:meth:`Actioner.execute`) and, after an interrupted attempt, tells whether the object still
exists (:meth:`Actioner.exists`) so that nothing is sent twice. Clients take their transport
from outside (an ``httpx.Client`` or a Telegram client object), so tests run them offline.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from repostguard.errors import ExternalError
from repostguard.model import Item

#: result statuses an execution may end with
DONE, GONE, DENIED = "done", "gone", "denied"


@dataclass
class Call:
    """One platform request: the method name and its parameters (never a token)."""

    method: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Result:
    """What the platform answered: ``done`` (deleted now), ``gone`` (was already deleted) or
    ``denied`` (the platform refused; the item stays online)."""

    status: str
    answer: dict[str, Any] = field(default_factory=dict)


class StopRun(ExternalError):
    """The run must stop (expired token, flood control, captcha, network loss).

    ``maybe_sent`` is True when the request may have reached the platform (network loss after
    sending): the journal then keeps the attempt unresolved and the next run probes first.
    """

    def __init__(
        self, message: str, *, answer: dict[str, Any] | None = None, maybe_sent: bool = False
    ) -> None:
        super().__init__(message)
        self.answer = answer or {}
        self.maybe_sent = maybe_sent


@runtime_checkable
class Actioner(Protocol):
    """A platform client the runner drives."""

    platform: str

    def account_id(self) -> str:
        """The id of the account the credentials belong to (checked against the archive's owner)."""
        ...

    def prepare(self, item: Item, action: str) -> Call | None:
        """The call that performs ``action`` on ``item``, or None if it must be done by hand."""
        ...

    def execute(self, call: Call) -> Result:
        """Send ``call``; raise :class:`StopRun` when the run must stop."""
        ...

    def exists(self, call: Call) -> bool:
        """Whether the object ``call`` acts on is still online (raise StopRun if it cannot tell)."""
        ...


class Pacer:
    """Waits between requests: ``interval`` seconds plus up to ``jitter`` seconds at random."""

    def __init__(
        self,
        interval: float = 1.5,
        jitter: float = 0.5,
        *,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.interval = max(0.0, interval)
        self.jitter = max(0.0, jitter)
        self.sleep = sleep
        self.rng = rng or random.Random()
        self._first = True

    def wait(self) -> None:
        """Wait before the next request (not before the first one)."""
        if self._first:
            self._first = False
            return
        delay = self.interval + (self.rng.uniform(0, self.jitter) if self.jitter else 0.0)
        if delay > 0:
            self.sleep(delay)
