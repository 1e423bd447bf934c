"""X (Twitter): delete through the API v2 when the person has a user-context token.

``DELETE /2/tweets/:id`` removes a post, reply or retweet; ``DELETE /2/users/:me/likes/:id``
removes a like. The token (OAuth 2.0 user token with ``tweet.write``/``like.write``) comes from
``REPOSTGUARD_X_TOKEN`` or a hidden prompt and stays in memory; the base URL defaults to the
official one and is overridable with ``REPOSTGUARD_X_API_URL``. Without a token the items go to
the checklist as links to delete by hand. 429 waits until the reset time (capped) and retries,
401 stops the run, 403 is recorded as denied, 404 as already gone.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

import httpx

from repostguard.actions._base import (
    DENIED,
    DONE,
    GONE,
    Call,
    Credentials,
    Platform,
    Result,
    StopRun,
    TokenClient,
    raw_records,
)
from repostguard.i18n import t
from repostguard.model import Item

if TYPE_CHECKING:
    from repostguard.store import Store

NAME = "x"
DEFAULT_URL = "https://api.x.com/2"
MAX_WAIT = 900.0
_ID = re.compile(r"(?:status(?:es)?/|^|[:/])(\d{5,25})(?:$|[/?#])")


def tweet_id(item: Item) -> str | None:
    """The tweet id an item names (native id, or a ``/status/<id>`` URL)."""
    for s in (item.native_id.strip(), item.url or ""):
        m = _ID.search(s)
        if m:
            return m.group(1)
    return None


def x_call(item: Item, action: str) -> Call | None:
    """The X API call deleting ``item``; None if it must be done by hand."""
    tid = tweet_id(item)
    if action != "delete" or tid is None:
        return None
    if item.kind == "like":
        return Call("likes.delete", {"tweet_id": tid})
    if item.kind in ("post", "repost", "comment", "photo", "video"):
        return Call("tweets.delete", {"tweet_id": tid})
    return None


class XClient(TokenClient):
    """X API v2 client for deletions; ``http`` is an ``httpx.Client`` given from outside."""

    platform = NAME
    label = "X"
    url_env = "REPOSTGUARD_X_API_URL"
    default_url = DEFAULT_URL
    _me: str | None = None

    def _request(self, method: str, path: str, *, sending: bool) -> tuple[int, dict[str, object]]:
        for _attempt in range(4):
            try:
                resp = self.http.request(
                    method, f"{self.base_url}{path}", headers={"Authorization": f"Bearer {self._token}"}
                )
            except httpx.TransportError as e:
                raise StopRun(
                    "act_x_network",
                    answer={"network_error": type(e).__name__},
                    maybe_sent=sending and not isinstance(e, httpx.ConnectError),
                ) from None
            if resp.status_code == 429:
                reset = resp.headers.get("x-rate-limit-reset")
                wait = max(1.0, float(reset) - time.time()) if reset and reset.isdigit() else 60.0
                if wait > MAX_WAIT:
                    raise StopRun("act_x_rate_wait", answer={"status": 429}, seconds=int(wait))
                self.sleep(wait)
                continue
            if resp.status_code == 401:
                raise StopRun("act_x_token", answer={"status": 401})
            try:
                body = resp.json()
            except ValueError:
                body = {}
            return resp.status_code, body if isinstance(body, dict) else {}
        raise StopRun("act_x_rate_persists", answer={"status": 429})

    def account_id(self) -> str:
        if self._me is None:
            code, body = self._request("GET", "/users/me", sending=False)
            data = body.get("data")
            if code != 200 or not isinstance(data, dict) or "id" not in data:
                raise StopRun("act_x_whoami", answer={"status": code})
            self._me = str(data["id"])
        return self._me

    def prepare(self, item: Item, action: str) -> Call | None:
        return x_call(item, action)

    def _path(self, call: Call) -> str:
        tid = call.params["tweet_id"]
        if call.method == "likes.delete":
            return f"/users/{self.account_id()}/likes/{tid}"
        return f"/tweets/{tid}"

    def execute(self, call: Call) -> Result:
        code, body = self._request("DELETE", self._path(call), sending=True)
        answer = {"status": code, "body": body}
        if code == 404:
            return Result(GONE, answer)
        if code >= 400:
            return Result(DENIED, answer)
        data = body.get("data") if isinstance(body.get("data"), dict) else {}
        assert isinstance(data, dict)
        if data.get("deleted") is True or data.get("liked") is False:
            return Result(DONE, answer)
        return Result(GONE if not self.exists(call) else DENIED, answer)

    def exists(self, call: Call) -> bool:
        tid = call.params["tweet_id"]
        if call.method == "likes.delete":
            return True  # X has no cheap "did I like it" probe; unliking again is harmless
        code, body = self._request("GET", f"/tweets/{tid}", sending=False)
        return code == 200 and isinstance(body.get("data"), dict)


# -- the declaration ---------------------------------------------------------------------------------


def archive_owner(store: Store) -> str | None:
    """The X account an archive belongs to, from its ``account.js`` (the profile item's record)."""
    for rec in raw_records(store, NAME, "i.kind='profile'"):
        acc = rec.get("account") if isinstance(rec, dict) else None
        if isinstance(acc, dict) and str(acc.get("accountId") or "").isdigit():
            return str(acc["accountId"])  # the archive's account.js
    return None


def connect(creds: Credentials) -> XClient | None:
    """The X client on ``REPOSTGUARD_X_TOKEN``; without it (None) the links go to the checklist."""
    token = creds.env("REPOSTGUARD_X_TOKEN")
    if not token:
        creds.say(t("act_x_no_token", env="REPOSTGUARD_X_TOKEN"))
        return None
    return XClient(token)


#: what goes to the checklist on this platform, and why (for readers: ``route`` decides)
X_BY_HAND = (
    ("hide", "X's API cannot hide or archive one's own post"),
    ("items without a tweet id (the profile)", "nothing to name in a request"),
    ("everything, when no token is given", "the API needs a user-context token"),
)
PLATFORM = Platform(name=NAME, label=XClient.label, route=x_call, manual=X_BY_HAND, owner=archive_owner,
                    connect=connect, hosts=("x.com", "twitter.com"))

