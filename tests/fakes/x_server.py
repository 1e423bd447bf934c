"""A local fake of the X API v2 (127.0.0.1, random port) that answers like the real one.

It keeps one account's tweets (posts, replies, retweets) and likes and answers the endpoints the
clean-up uses, with X's shapes: ``GET /2/users/me``, ``GET /2/tweets/:id`` (a missing tweet is a
200 with an ``errors`` list and no ``data``, as X does), ``DELETE /2/tweets/:id``
(``{"data": {"deleted": true}}``), ``DELETE /2/users/:id/likes/:tweet_id`` (``{"data": {"liked":
false}}``) and ``DELETE /2/users/:id/retweets/:source_tweet_id`` (``{"data": {"retweeted":
false}}``). Errors use X's problem shape (``title``, ``detail``, ``type``, ``status``): 401 for an
unknown or revoked token, 403 for a tweet the account may not delete, 404 for a tweet already
deleted, and 429 with ``x-rate-limit-limit``/``-remaining``/``-reset`` headers. 429s (a short
reset and a long one) and dropped connections after a deletion was carried out are injected at
points drawn from a seeded generator. Every deletion is counted per object.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from ._http import serve_http

_TWEET = re.compile(r"^/2/tweets/(\d+)$")
_LIKE = re.compile(r"^/2/users/(\d+)/likes/(\d+)$")
_RETWEET = re.compile(r"^/2/users/(\d+)/retweets/(\d+)$")


@dataclass
class FakeXState:
    """Tweets, likes, tokens, error rates and counters of the fake."""

    tokens: dict[str, str] = field(default_factory=dict)  # token -> user id
    revoked: set[str] = field(default_factory=set)
    tweets: dict[str, bool] = field(default_factory=dict)  # the account's tweet id -> alive
    likes: dict[str, bool] = field(default_factory=dict)  # liked tweet id -> still liked
    retweets: dict[str, str] = field(default_factory=dict)  # source tweet id -> the retweet's own id
    forbidden: set[str] = field(default_factory=set)  # deleting these tweets answers 403
    rate_limit_rate: float = 0.0  # probability of a 429 (reset in ``short_reset`` s) per deletion
    short_reset: int = 3
    long_rate_limit_rate: float = 0.0  # probability of a 429 with a reset ``long_reset`` s away
    long_reset: int = 3600
    drop_rate: float = 0.0  # probability of dropping the connection after carrying out a deletion
    revoke_after: int | None = None  # revoke every token after this many deletions
    seed: int = 0
    deletions: dict[tuple[str, str], int] = field(default_factory=dict)  # ("tweet"|"like", id) -> n
    redundant: list[tuple[str, str]] = field(default_factory=list)  # deletion requests for gone objects
    requests: list[str] = field(default_factory=list)  # "METHOD path"
    auth_headers: list[str] = field(default_factory=list)
    errors: dict[int, int] = field(default_factory=dict)
    drops: int = 0

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.lock = threading.Lock()

    def total_deletions(self) -> int:
        with self.lock:
            return sum(self.deletions.values())


def _problem(status: int, title: str, detail: str) -> dict[str, Any]:
    return {"title": title, "detail": detail, "type": "about:blank", "status": status}


class _Drop(Exception):
    pass


Answer = tuple[int, dict[str, Any], dict[str, str]]


def _count(state: FakeXState, key: tuple[str, str]) -> None:
    state.deletions[key] = state.deletions.get(key, 0) + 1
    if state.revoke_after is not None and sum(state.deletions.values()) >= state.revoke_after:
        state.revoked.update(state.tokens)


def answer(state: FakeXState, method: str, path: str, auth: str) -> Answer:
    """The fake's answer to one request (raises _Drop to drop the connection after processing)."""
    with state.lock:
        state.requests.append(f"{method} {path}")
        state.auth_headers.append(auth)
        token = auth.removeprefix("Bearer ").strip()
        if not auth.startswith("Bearer ") or token not in state.tokens or token in state.revoked:
            state.errors[401] = state.errors.get(401, 0) + 1
            return 401, _problem(401, "Unauthorized", "Unauthorized"), {}
        me = state.tokens[token]
        if method == "GET" and path == "/2/users/me":
            return 200, {"data": {"id": me, "name": "Тест", "username": "test_account"}}, {}
        if method == "GET" and (m := _TWEET.match(path)):
            tid = m.group(1)
            if state.tweets.get(tid):
                return 200, {"data": {"id": tid, "text": "…", "edit_history_tweet_ids": [tid]}}, {}
            detail = f"Could not find tweet with id: [{tid}]."
            err = {"value": tid, "detail": detail, "title": "Not Found Error", "resource_type": "tweet"}
            err |= {
                "parameter": "id",
                "resource_id": tid,
                "type": "https://api.twitter.com/2/problems/resource-not-found",
            }
            return 200, {"errors": [err]}, {}
        if method != "DELETE":
            return 404, _problem(404, "Not Found", "Sorry, that page does not exist"), {}
        now = int(time.time())
        for rate, reset in ((state.long_rate_limit_rate, state.long_reset), (state.rate_limit_rate, state.short_reset)):
            if rate and state.rng.random() < rate:
                state.errors[429] = state.errors.get(429, 0) + 1
                headers = {
                    "x-rate-limit-limit": "50",
                    "x-rate-limit-remaining": "0",
                    "x-rate-limit-reset": str(now + reset),
                }
                return 429, _problem(429, "Too Many Requests", "Too Many Requests"), headers
        limit = {"x-rate-limit-limit": "50", "x-rate-limit-remaining": "49", "x-rate-limit-reset": str(now + 900)}
        if m := _TWEET.match(path):
            tid = m.group(1)
            if tid in state.forbidden:
                state.errors[403] = state.errors.get(403, 0) + 1
                return 403, _problem(403, "Forbidden", "You are not allowed to delete this Tweet."), limit
            if not state.tweets.get(tid):
                state.redundant.append(("tweet", tid))
                state.errors[404] = state.errors.get(404, 0) + 1
                return 404, _problem(404, "Not Found Error", f"Could not find tweet with id: [{tid}]."), limit
            state.tweets[tid] = False
            _count(state, ("tweet", tid))
            out: Answer = (200, {"data": {"deleted": True}}, limit)
        elif (m := _LIKE.match(path)) or (m := _RETWEET.match(path)):
            if m.group(1) != me:
                return 403, _problem(403, "Forbidden", "You are not permitted to perform this action."), limit
            tid = m.group(2)
            if path.split("/")[4] == "likes":
                if not state.likes.get(tid):
                    state.redundant.append(("like", tid))  # X answers the same: nothing to undo
                else:
                    state.likes[tid] = False
                    _count(state, ("like", tid))
                out = (200, {"data": {"liked": False}}, limit)
            else:
                own = state.retweets.get(tid)
                if own is not None and state.tweets.get(own):
                    state.tweets[own] = False
                    _count(state, ("tweet", own))
                out = (200, {"data": {"retweeted": False}}, limit)
        else:
            return 404, _problem(404, "Not Found", "Sorry, that page does not exist"), {}
        if state.drop_rate and state.rng.random() < state.drop_rate:
            state.drops += 1
            raise _Drop()
        return out


class _Handler(BaseHTTPRequestHandler):
    state: FakeXState
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _serve(self) -> None:
        ln = int(self.headers.get("Content-Length") or 0)
        if ln:
            self.rfile.read(ln)
        try:
            status, body, headers = answer(
                self.state, self.command, self.path.split("?")[0], self.headers.get("Authorization", "")
            )
        except _Drop:
            self.close_connection = True
            self.connection.shutdown(2)
            return
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_DELETE = do_POST = _serve  # noqa: N815


@contextmanager
def serve(state: FakeXState) -> Iterator[str]:
    """Run the fake on 127.0.0.1 at a random port; yield its base URL (``…/2``)."""
    with serve_http(_Handler, state, "/2") as url:
        yield url
