"""What the clean-up needs from a platform: its declaration and its client.

A platform's module declares it once in a :class:`Platform` (routing, owner detection,
credentials, checklist wording), listed one line each in :mod:`.registry`; the planner, the
runner, the checklist and the CLI read only that.

A client (an *actioner*) turns an item and an action into a :class:`Call` (or None when the
platform has no API for it: the item then goes to the manual checklist), sends it
(:meth:`Actioner.execute`) and, after an interrupted attempt, tells whether the object still
exists (:meth:`Actioner.exists`) so that nothing is sent twice. Clients take their transport
from outside (an ``httpx.Client`` or a Telegram client object), so tests run them offline.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable
from urllib.parse import urlsplit

import httpx

from repostguard.errors import ExternalError, UserError
from repostguard.model import Item

if TYPE_CHECKING:
    from repostguard.store import Store

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
    ``reason`` says what the person has to do, for the app to show the right step: one of
    :data:`STOP_REASONS`. ``detail`` carries what that step needs (a captcha's id and picture
    address); never a token. The message is a catalogue key (``act_…``) with its ``fields``, said in
    the language of the moment it is shown.
    """

    def __init__(
        self,
        message: str,
        *,
        answer: dict[str, Any] | None = None,
        maybe_sent: bool = False,
        reason: str = "other",
        detail: dict[str, str] | None = None,
        **fields: Any,
    ) -> None:
        super().__init__(message, **fields)
        self.answer = answer or {}
        self.maybe_sent = maybe_sent
        self.reason = reason if reason in STOP_REASONS else "other"
        self.detail = detail or {}


#: why a run stops: the access is no longer accepted (get a new one), the platform's daily limit
#: (come back later), a captcha to solve, a login to confirm in the browser, too many requests
#: (wait minutes), the network, anything else
STOP_REASONS = ("token", "flood", "captcha", "validation", "rate", "network", "other")


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


class Credentials(Protocol):
    """How a platform asks for what it needs to log in (given by the CLI).

    Values come from the environment or, in a terminal, from a prompt (hidden for secrets).
    What it returns is kept in memory by the client only: never written to disk or to a log.
    """

    def env(self, name: str) -> str | None:
        """The environment variable ``name``, or None when it is unset or empty."""
        ...

    def secret(self, env: str, prompt: str) -> str:
        """A secret from ``env``, else asked with a hidden prompt (UserError outside a terminal)."""
        ...

    def ask(self, prompt: str, *, hidden: bool = False, optional: bool = False) -> str:
        """Ask in the terminal (``hidden``: not echoed; ``optional``: an empty answer is allowed)."""
        ...

    def say(self, message: str) -> None:
        """Tell the person something (e.g. why a platform's items go to the checklist)."""
        ...


@dataclass(frozen=True)
class Platform:
    """Everything the clean-up knows about one platform, declared once in the platform's module.

    Fields:

    * ``name``: the platform as items name it (``Item.platform``);
    * ``label``: its name in messages;
    * ``route``: the API call performing an action on an item, or None when that item and
      action are done by hand (the plan's ``api``/``manual`` route); None: no API at all;
    * ``manual``: which items and actions go to the checklist and why, as ``(what, why)`` pairs
      (for people reading the code and the docs; ``route`` decides);
    * ``owner``: the id of the account the imported archive belongs to, read from the workspace
      (None when it cannot tell: then ``--account PLATFORM=ID`` must say it);
    * ``connect``: build the client, asking for the token or login through :class:`Credentials`;
      None when they are not given (the items then go to the checklist);
    * ``announce_account``: print "account N matches the archive" after the owner check;
    * ``hosts``: the platform's own domains: an item's address on one of them is a direct link
      in the app's checklist (any other address is shown as text only).

    What to do by hand on the platform is the catalogue's ``act_howto_<name>`` (:attr:`howto`).
    """

    name: str
    label: str
    route: Callable[[Item, str], Call | None] | None = None
    manual: tuple[tuple[str, str], ...] = ()
    owner: Callable[[Store], str | None] | None = None
    connect: Callable[[Credentials], Actioner | None] | None = None
    announce_account: bool = True
    hosts: tuple[str, ...] = ()

    @property
    def howto(self) -> str:
        """The catalogue key of the checklist's wording for this platform: what to do there by hand."""
        return f"act_howto_{self.name}"

    def own_link(self, url: str | None) -> bool:
        """Whether ``url`` is an https address on one of the platform's own :attr:`hosts`."""
        if not url:
            return False
        try:
            parts = urlsplit(url)
        except ValueError:
            return False
        host = (parts.hostname or "").lower()
        return parts.scheme == "https" and any(host == h or host.endswith("." + h) for h in self.hosts)


def raw_records(store: Store, platform: str, where: str, *, limit: int = -1) -> Iterator[Any]:
    """The export records (parsed JSON) behind ``platform``'s items that match the SQL condition
    ``where`` on ``items i``, at most ``limit`` (-1: all); unreadable records are skipped.
    For owner detection."""
    for (raw,) in store.conn.execute(
        "SELECT r.content FROM items i JOIN raw_records r ON r.id=i.raw_id"
        f" WHERE i.platform=? AND ({where}) LIMIT ?",
        (platform, limit),
    ):
        try:
            yield json.loads(raw)
        except (TypeError, ValueError):
            continue


class TokenClient:
    """The common part of the HTTP clients that hold a user token (in memory only).

    Subclasses set ``label`` (in messages), ``url_env`` (the variable overriding the base URL,
    for tests) and ``default_url``. Parameters: ``token``; ``http`` an ``httpx.Client`` (its
    transport decides where requests go: tests pass a MockTransport or point ``base_url`` at a
    local fake); ``base_url``; ``sleep`` used for waits.
    """

    label: ClassVar[str] = ""
    url_env: ClassVar[str] = ""
    default_url: ClassVar[str] = ""

    def __init__(
        self,
        token: str,
        *,
        http: httpx.Client | None = None,
        base_url: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not token.strip():
            raise UserError("act_empty_token", platform=self.label)
        self._token = token.strip()
        self.base_url = (base_url or os.environ.get(self.url_env) or self.default_url).rstrip("/")
        self.http = http or httpx.Client(timeout=30.0)
        self.sleep = sleep

    def __repr__(self) -> str:  # never show the token
        return f"{type(self).__name__}(base_url={self.base_url!r})"


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
