"""A local fake of the VK API (127.0.0.1, random port) that answers like the real one.

It keeps wall posts, comments, likes, photos and videos of one account and answers the methods
the clean-up uses, with VK's JSON shapes (``{"response": …}`` or ``{"error": {"error_code": …}}``).
Errors are injected at random points from a seeded generator: 6 (too many requests per second),
9 (flood control), 14 (captcha needed), and dropped connections after a deletion was processed
(network loss). It counts every deletion per object, so a test can check that nothing was
deleted twice and nothing was skipped. Tokens are checked: an unknown or revoked one gets 5.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs

from ._http import serve_http

DELETE_METHODS = {
    "wall.delete",
    "wall.deleteComment",
    "likes.delete",
    "photos.delete",
    "video.delete",
    "photos.deleteComment",
    "video.deleteComment",
}


@dataclass
class FakeVkState:
    """Objects, tokens, error rates and counters of the fake."""

    tokens: dict[str, int] = field(default_factory=dict)  # token -> user id
    revoked: set[str] = field(default_factory=set)
    # key -> alive; keys: ("post", owner, id), ("comment", owner, id), ("like", type, owner, id),
    # ("photo", owner, id), ("video", owner, id)
    objects: dict[tuple[Any, ...], bool] = field(default_factory=dict)
    denied: set[tuple[Any, ...]] = field(default_factory=set)  # deleting these answers 15
    deletions: dict[tuple[Any, ...], int] = field(default_factory=dict)
    redundant: list[tuple[Any, ...]] = field(default_factory=list)  # delete calls on dead objects
    rates: dict[int, float] = field(default_factory=dict)  # error code -> probability per delete call
    drop_rate: float = 0.0  # probability of dropping the connection after processing a deletion
    revoke_after: int | None = None  # revoke every token after this many successful deletions
    seed: int = 0
    #: errors at given deletion attempts (1-based count of delete calls) -> VK error code; a
    #: deterministic alternative to ``rates`` for tests that walk through each stop
    script: dict[int, int] = field(default_factory=dict)
    #: the captcha waiting to be answered: (sid, the characters its picture shows)
    captcha: tuple[str, str] | None = None
    #: "picture": the classic captcha (sid + picture, answered with captcha_key); "page": VK's newer
    #: check page (redirect_uri), passed by the person in the browser (:meth:`pass_check`)
    captcha_style: str = "picture"
    captcha_answers: list[str] = field(default_factory=list)
    attempts: int = 0  # delete calls received
    paths: list[str] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    errors: dict[int, int] = field(default_factory=dict)
    drops: int = 0

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.lock = threading.Lock()

    def total_deletions(self) -> int:
        with self.lock:
            return sum(self.deletions.values())

    def pass_check(self) -> None:
        """The person passed VK's check page in their browser: the waiting captcha is lifted."""
        with self.lock:
            if self.captcha is not None:
                self.captcha_answers.append("page")
            self.captcha = None

    def revoke_all(self) -> None:
        """What "end all sessions" does in VK's security settings: every token stops working."""
        with self.lock:
            self.revoked.update(self.tokens)


def _err(code: int, msg: str) -> dict[str, Any]:
    return {"error": {"error_code": code, "error_msg": msg, "request_params": []}}


def _key(method: str, p: dict[str, str]) -> tuple[Any, ...] | None:
    try:
        if method == "wall.delete":
            return ("post", int(p["owner_id"]), int(p["post_id"]))
        if method in ("wall.deleteComment", "wall.getComment"):
            return ("comment", int(p["owner_id"]), int(p["comment_id"]))
        if method in ("likes.delete", "likes.isLiked"):
            return ("like", p["type"], int(p["owner_id"]), int(p["item_id"]))
        if method == "photos.delete":
            return ("photo", int(p["owner_id"]), int(p["photo_id"]))
        if method == "video.delete":
            return ("video", int(p["owner_id"]), int(p["video_id"]))
    except (KeyError, ValueError):
        return None
    return None


def _captcha(state: FakeVkState, sid: str) -> dict[str, Any]:
    state.errors[14] = state.errors.get(14, 0) + 1
    out = _err(14, "Captcha needed")
    out["error"].update(captcha_sid=sid, captcha_img=f"https://api.vk.ru/captcha.php?sid={sid}&s=1")
    if state.captcha_style == "page":
        out["error"]["redirect_uri"] = f"https://id.vk.ru/not_robot_captcha?domain=vk.com&session_token=t{sid}"
    return out


class _Drop(Exception):
    pass


def answer(state: FakeVkState, method: str, p: dict[str, str]) -> dict[str, Any]:
    """The fake's answer to one call (raises _Drop to drop the connection after processing)."""
    with state.lock:
        state.calls.append(method)
        token = p.get("access_token", "")
        if token not in state.tokens or token in state.revoked:
            return _err(5, "User authorization failed: invalid access_token (4).")
        uid = state.tokens[token]
        if p.get("v") is None:
            return _err(8, "Invalid request: v is required")
        if state.rates.get(6) and state.rng.random() < state.rates[6]:
            state.errors[6] = state.errors.get(6, 0) + 1
            return _err(6, "Too many requests per second")
        if method == "users.get":
            return {"response": [{"id": uid, "first_name": "Тест", "last_name": "Тестов"}]}
        if method in DELETE_METHODS:
            state.attempts += 1
            if state.captcha is not None:
                sid, key = state.captcha
                if p.get("captcha_sid") == sid and p.get("captcha_key") == key:
                    state.captcha = None
                    state.captcha_answers.append(key)
                else:
                    return _captcha(state, sid)
            code = state.script.get(state.attempts)
            if code == 14:
                sid = str(state.attempts)
                state.captcha = (sid, f"k{sid}x")
                return _captcha(state, sid)
            if code is not None:
                state.errors[code] = state.errors.get(code, 0) + 1
                if code == 5:
                    state.revoked.update(state.tokens)
                return _err(code, {6: "Too many requests per second", 9: "Flood control",
                                   5: "User authorization failed"}.get(code, "error"))
        if method == "wall.getById":
            items = []
            for ref in p.get("posts", "").split(","):
                o, _, i = ref.partition("_")
                if state.objects.get(("post", int(o), int(i))):
                    items.append({"id": int(i), "owner_id": int(o), "text": "…"})
            return {"response": {"items": items}}
        if method == "wall.getComment":
            k = _key(method, p)
            if k is None or not state.objects.get(k):
                return _err(100, "One of the parameters specified was missing or invalid: comment not found")
            return {"response": {"items": [{"id": k[2], "owner_id": k[1]}]}}
        if method == "likes.isLiked":
            k = _key(method, p)
            return {"response": {"liked": int(bool(k and state.objects.get(k))), "copied": 0}}
        if method in ("photos.getById", "video.get"):
            field_ = "photos" if method == "photos.getById" else "videos"
            kind = "photo" if method == "photos.getById" else "video"
            o, _, i = p.get(field_, "_").partition("_")
            alive = state.objects.get((kind, int(o), int(i)))
            items = [{"id": int(i), "owner_id": int(o)}] if alive else []
            return {"response": items if kind == "photo" else {"count": len(items), "items": items}}
        if method in DELETE_METHODS:
            for code in (9, 14):
                if state.rates.get(code) and state.rng.random() < state.rates[code]:
                    state.errors[code] = state.errors.get(code, 0) + 1
                    if code == 9:
                        return _err(9, "Flood control")
                    out = _err(14, "Captcha needed")
                    out["error"].update(captcha_sid="1", captcha_img="https://api.vk.com/captcha.php?sid=1")
                    return out
            k = _key(method, p)
            if k is None:
                return _err(100, "One of the parameters specified was missing or invalid")
            if k not in state.objects:
                return _err(100, "One of the parameters specified was missing or invalid: not found")
            if k in state.denied:
                return _err(15, "Access denied")
            if not state.objects[k]:
                state.redundant.append(k)
                return _err(100, "One of the parameters specified was missing or invalid: already deleted")
            state.objects[k] = False
            state.deletions[k] = state.deletions.get(k, 0) + 1
            if state.revoke_after is not None and sum(state.deletions.values()) >= state.revoke_after:
                state.revoked.update(state.tokens)
            if state.drop_rate and state.rng.random() < state.drop_rate:
                state.drops += 1
                raise _Drop()
            return {"response": {"likes": 0} if method == "likes.delete" else 1}
        return _err(3, "Unknown method passed")


class _Handler(BaseHTTPRequestHandler):
    state: FakeVkState

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:  # noqa: N802
        ln = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(ln).decode("utf-8")
        p = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
        self.state.paths.append(self.path)
        method = self.path.rstrip("/").rsplit("/", 1)[-1].split("?")[0]
        try:
            out = answer(self.state, method, p)
        except _Drop:
            self.close_connection = True
            self.connection.shutdown(2)
            return
        data = json.dumps(out, ensure_ascii=False).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@contextmanager
def serve(state: FakeVkState) -> Iterator[str]:
    """Run the fake on 127.0.0.1 at a random port; yield its base URL (``…/method``)."""
    with serve_http(_Handler, state, "/method") as url:
        yield url
