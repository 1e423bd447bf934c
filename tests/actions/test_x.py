"""X: API deletion on httpx.MockTransport (never the real API), and links by hand without a token."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from repostguard.actions._base import DENIED, DONE, GONE, StopRun
from repostguard.actions.planner import api_route
from repostguard.actions.x import XClient, tweet_id, x_call
from repostguard.model import Item


def _item(native: str, kind: str = "post", url: str | None = None) -> Item:
    return Item(platform="x", native_id=native, kind=kind, url=url)


def test_ids_and_calls() -> None:
    assert tweet_id(_item("1000000000000000001")) == "1000000000000000001"
    assert tweet_id(_item("like/4000000000000000004", "like")) == "4000000000000000004"
    assert tweet_id(_item("x", url="https://x.com/u/status/123456789")) == "123456789"
    like = x_call(_item("like/4000000000000000004", "like"), "delete")
    assert like is not None and like.method == "likes.delete"
    assert x_call(_item("1000000000000000001"), "hide") is None
    assert api_route(_item("1000000000000000001"), "delete") == "api"


def _client(routes: dict[tuple[str, str], httpx.Response], seen: list[str], sleeps: list[float]) -> XClient:
    def h(req: httpx.Request) -> httpx.Response:
        assert req.headers["Authorization"] == "Bearer tok"
        seen.append(f"{req.method} {req.url.path}")
        r = routes.get((req.method, req.url.path))
        if r is None:
            return httpx.Response(404, json={"errors": [{"detail": "not found"}]})
        return r

    return XClient(
        "tok",
        http=httpx.Client(transport=httpx.MockTransport(h)),
        base_url="http://x.test/2",
        sleep=sleeps.append,
    )


def test_delete_tweet_and_like() -> None:
    seen: list[str] = []
    c = _client(
        {
            ("GET", "/2/users/me"): httpx.Response(200, json={"data": {"id": "77", "username": "me"}}),
            ("DELETE", "/2/tweets/111111"): httpx.Response(200, json={"data": {"deleted": True}}),
            ("DELETE", "/2/users/77/likes/222222"): httpx.Response(200, json={"data": {"liked": False}}),
            ("DELETE", "/2/tweets/333333"): httpx.Response(403, json={"title": "Forbidden"}),
        },
        seen,
        [],
    )
    assert c.account_id() == "77"
    assert c.execute(x_call(_item("111111"), "delete")).status == DONE  # type: ignore[arg-type]
    assert c.execute(x_call(_item("like/222222", "like"), "delete")).status == DONE  # type: ignore[arg-type]
    assert c.execute(x_call(_item("333333"), "delete")).status == DENIED  # type: ignore[arg-type]
    assert c.execute(x_call(_item("444444"), "delete")).status == GONE  # type: ignore[arg-type]
    assert "tok" not in repr(c)
    assert seen[-1] == "DELETE /2/tweets/444444" and "DELETE /2/users/77/likes/222222" in seen


def test_rate_limit_waits_then_401_stops() -> None:
    sleeps: list[float] = []
    calls = {"n": 0}

    def h(req: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        if calls["n"] == 1:
            return httpx.Response(429, headers={"x-rate-limit-reset": "0"})
        if calls["n"] == 2:
            return httpx.Response(200, json={"data": {"deleted": True}})
        return httpx.Response(401, json={"title": "Unauthorized"})

    c = XClient(
        "tok",
        http=httpx.Client(transport=httpx.MockTransport(h)),
        base_url="http://x.test/2",
        sleep=sleeps.append,
    )
    assert c.execute(x_call(_item("111111"), "delete")).status == DONE  # type: ignore[arg-type]
    assert len(sleeps) == 1
    with pytest.raises(StopRun, match="токен"):
        c.execute(x_call(_item("222222"), "delete"))  # type: ignore[arg-type]


def test_runner_with_x_client(tmp_path: Path) -> None:
    """X through the runner: account check from the archive's account.js, journal, tombstones."""
    import json as _json

    from repostguard.actions._base import Pacer
    from repostguard.actions.backup import backup_items
    from repostguard.actions.planner import build_plan
    from repostguard.actions.runner import check_account, run_plan
    from repostguard.store import Store

    from .conftest import FAST_KDF, PASSPHRASE, decide

    db = tmp_path / "x.sqlite"
    items = [
        Item(platform="x", native_id="profile", kind="profile", raw={"account": {"accountId": "77"}}),
        Item(platform="x", native_id="111111", kind="post", text="a"),
        Item(platform="x", native_id="like/222222", kind="like"),
    ]
    tweets, likes, deleted = {"111111"}, {"222222"}, []

    def h(req: httpx.Request) -> httpx.Response:
        path = req.url.path
        if path == "/2/users/me":
            return httpx.Response(200, json={"data": {"id": "77"}})
        if req.method == "DELETE" and path.startswith("/2/tweets/"):
            tid = path.rsplit("/", 1)[1]
            if tid not in tweets:
                return httpx.Response(404, json={})
            tweets.discard(tid)
            deleted.append(tid)
            return httpx.Response(200, json={"data": {"deleted": True}})
        if req.method == "DELETE" and path.startswith("/2/users/77/likes/"):
            likes.discard(path.rsplit("/", 1)[1])
            deleted.append(path)
            return httpx.Response(200, json={"data": {"liked": False}})
        return httpx.Response(404, json={})

    client = XClient("tok", http=httpx.Client(transport=httpx.MockTransport(h)), base_url="http://x.test/2")
    with Store.open(db) as store:
        store.import_items(items, source="t", platform="x")
        for it in items[1:]:
            decide(store, it.id, "delete")
        backup_items(store, [it.id for it in items[1:]], tmp_path / "b.rgbk", PASSPHRASE, log2_n=FAST_KDF)
        assert check_account(store, client) == "77"
        rep = run_plan(store, build_plan(store), {"x": client}, pacer=Pacer(0, 0))
        assert sorted(rep.done) == ["x:111111", "x:like/222222"] and rep.online == []
        answers = [_json.loads(r[0]) for r in store.conn.execute("SELECT answer FROM clean_actions")]
        assert all(a["status"] == 200 for a in answers)
    assert not tweets and not likes and len(deleted) == 2
