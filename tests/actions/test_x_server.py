"""X end to end: ``XClient`` and the runner against the local fake X API v2 (real HTTP on 127.0.0.1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fakes.x_server import FakeXState, serve

from repostguard.actions._base import Pacer
from repostguard.actions.backup import backup_items
from repostguard.actions.planner import build_plan
from repostguard.actions.runner import RunReport, check_account, run_plan
from repostguard.actions.x import XClient
from repostguard.errors import UserError
from repostguard.model import Item
from repostguard.store import Store

from .conftest import FAST_KDF, PASSPHRASE, decide

ME = "77"
TOKEN = "x-user-token-SECRET-0123456789"
NEW_TOKEN = "x-user-token-SECRET-renewed"
OTHER_TOKEN = "x-user-token-of-someone-else"
POSTS = [str(1000000000000000100 + i) for i in range(1, 9)]
REPLIES = [str(1000000000000000200 + i) for i in range(1, 4)]
RETWEETS = [str(1000000000000000300 + i) for i in range(1, 4)]  # the retweets' own ids
LIKES = [str(4000000000000000000 + i) for i in range(1, 5)]
FORBIDDEN = POSTS[2]  # X refuses: denied, stays online
GONE_TWEET = POSTS[5]  # deleted on the site already: 404
UNLIKED = LIKES[3]  # unliked on the site already: X answers "liked: false" all the same


def _nosleep(_: float) -> None:
    pass


def _state(**kw: Any) -> FakeXState:
    st = FakeXState(tokens={TOKEN: ME, OTHER_TOKEN: "99"}, **kw)
    for tid in POSTS + REPLIES + RETWEETS:
        st.tweets[tid] = tid != GONE_TWEET
    for i, tid in enumerate(RETWEETS):
        st.retweets[str(2000000000000000000 + i)] = tid
    for tid in LIKES:
        st.likes[tid] = tid != UNLIKED
    st.forbidden.add(FORBIDDEN)
    return st


def _workspace(tmp: Path) -> tuple[Path, dict[str, str]]:
    db = tmp / "x.sqlite"
    items = [Item(platform="x", native_id="profile", kind="profile", raw={"account": {"accountId": ME}})]
    items += [Item(platform="x", native_id=t, kind="post", text=f"пост {t}", author="self") for t in POSTS]
    items += [Item(platform="x", native_id=t, kind="comment", text="ответ", author="self") for t in REPLIES]
    items += [Item(platform="x", native_id=t, kind="repost", text="RT @someone: …", author="self") for t in RETWEETS]
    items += [
        Item(platform="x", native_id=f"like/{t}", kind="like", url=f"https://x.com/i/web/status/{t}") for t in LIKES
    ]
    ids: dict[str, str] = {}
    with Store.open(db) as store:
        store.import_items(items, source="t", platform="x")
        for it in items[1:]:
            decide(store, it.id, "delete")
            ids[it.native_id] = it.id
        backup_items(store, list(ids.values()), tmp / "b.rgbk", PASSPHRASE, log2_n=FAST_KDF)
    return db, ids


def _run(store: Store, url: str, token: str = TOKEN, sleeps: list[float] | None = None) -> RunReport:
    client = XClient(token, base_url=url, sleep=sleeps.append if sleeps is not None else _nosleep)
    check_account(store, client)
    return run_plan(store, build_plan(store), {"x": client}, pacer=Pacer(0, 0, sleep=_nosleep))


def _last(store: Store) -> dict[str, tuple[str, dict[str, Any]]]:
    return {
        r[0]: (r[1], json.loads(r[2] or "{}"))
        for r in store.conn.execute(
            "SELECT i.native_id, a.status, a.answer FROM clean_actions a JOIN items i ON i.id=a.item_id"
            " WHERE a.id IN (SELECT max(id) FROM clean_actions GROUP BY item_id)"
        )
    }


def _expected_tweet_deletions() -> set[tuple[str, str]]:
    return {("tweet", t) for t in POSTS + REPLIES + RETWEETS if t not in (FORBIDDEN, GONE_TWEET)}


def _expected_like_deletions() -> set[tuple[str, str]]:
    return {("like", t) for t in LIKES if t != UNLIKED}


@pytest.fixture
def fake_x() -> Iterator[tuple[FakeXState, str]]:
    st = _state()
    with serve(st) as url:
        yield st, url


def test_full_run_through_env_url_deletes_each_once(
    tmp_path: Path, fake_x: tuple[FakeXState, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    st, url = fake_x
    monkeypatch.setenv("REPOSTGUARD_X_API_URL", url)  # the base URL comes from outside
    db, ids = _workspace(tmp_path)
    with Store.open(db) as store:
        client = XClient(TOKEN, sleep=_nosleep)
        assert client.base_url == url and TOKEN not in repr(client)
        assert check_account(store, client) == ME
        rep = run_plan(store, build_plan(store), {"x": client}, pacer=Pacer(0, 0, sleep=_nosleep))
        assert not rep.stopped
        last = _last(store)
        assert last[FORBIDDEN][0] == "denied" and last[FORBIDDEN][1]["status"] == 403
        assert last[GONE_TWEET][0] == "gone" and last[GONE_TWEET][1]["status"] == 404
        assert {s for n, (s, _) in last.items() if n not in (FORBIDDEN, GONE_TWEET)} == {"done"}
        assert len(rep.online) == 1
        tomb = {r[0] for r in store.conn.execute("SELECT id FROM items WHERE deleted_at IS NOT NULL")}
        assert tomb == set(ids.values()) - {ids[FORBIDDEN]}
        before = len(st.requests)
        rep2 = run_plan(store, build_plan(store), {"x": client}, pacer=Pacer(0, 0, sleep=_nosleep))
        assert [r for r in st.requests[before:] if r.startswith("DELETE")] == [f"DELETE /2/tweets/{FORBIDDEN}"]
        assert len(rep2.gone_before) == len(ids) - 1
    assert set(st.deletions) == _expected_tweet_deletions() | _expected_like_deletions()
    assert all(n == 1 for n in st.deletions.values())
    assert f"DELETE /2/users/{ME}/likes/{LIKES[0]}" in st.requests
    assert set(st.redundant) == {("tweet", GONE_TWEET), ("like", UNLIKED)}
    # the token travels in the Authorization header only: never in a URL, never in the store
    assert all(TOKEN not in r for r in st.requests) and set(st.auth_headers) == {f"Bearer {TOKEN}"}
    assert TOKEN.encode() not in db.read_bytes()


def test_token_of_another_account_is_refused(tmp_path: Path, fake_x: tuple[FakeXState, str]) -> None:
    st, url = fake_x
    db, _ = _workspace(tmp_path)
    with Store.open(db) as store, pytest.raises(UserError, match="другого|another"):
        check_account(store, XClient(OTHER_TOKEN, base_url=url, sleep=_nosleep))
    assert st.total_deletions() == 0


@pytest.mark.parametrize("seed", [5, 6])
def test_random_429s_and_drops_resume_to_exact_state(tmp_path: Path, seed: int) -> None:
    """429 with a short reset (waited out), 429 with an hour's reset (stops the run) and dropped
    connections after a deletion, at seeded random points; runs repeat until nothing is left."""
    db, ids = _workspace(tmp_path)
    st = _state(rate_limit_rate=0.25, long_rate_limit_rate=0.06, drop_rate=0.12, seed=seed)
    sleeps: list[float] = []
    runs = 0
    with serve(st) as url, Store.open(db) as store:
        while True:
            runs += 1
            assert runs <= 20, "did not converge"
            rep = _run(store, url, sleeps=sleeps)
            if not rep.stopped:
                break
            assert any(w in rep.stopped["x"] for w in ("429", "сеть", "лимит"))
        last = _last(store)
        assert last[FORBIDDEN][0] == "denied"
        assert all(s in ("done", "gone") for n, (s, _) in last.items() if n != FORBIDDEN)
        unresolved = [s for s, _ in last.values() if s in ("intent", "failed")]
        assert unresolved == []
    assert st.errors.get(429, 0) > 0 and st.drops > 0 and runs > 1
    # waits follow the reset header: short ones are waited out, never the hour-long one
    assert sleeps and all(1.0 <= s <= st.short_reset + 1 for s in sleeps)
    assert set(st.deletions) == _expected_tweet_deletions() | _expected_like_deletions()
    assert all(n == 1 for n in st.deletions.values())
    # a tweet is never asked to be deleted again after it went (likes may be: unliking twice is harmless)
    assert {k for k in st.redundant if k[0] == "tweet"} == {("tweet", GONE_TWEET)}


def test_revoked_token_stops_then_a_new_token_resumes(tmp_path: Path) -> None:
    db, _ = _workspace(tmp_path)
    st = _state(revoke_after=4)
    with serve(st) as url, Store.open(db) as store:
        rep = _run(store, url)
        assert "x" in rep.stopped and "401" not in rep.stopped["x"] and "токен" in rep.stopped["x"]
        statuses = [r[0] for r in store.conn.execute("SELECT status FROM clean_actions ORDER BY id")]
        assert statuses[-1] == "not-sent" and statuses.count("done") == 4
        with pytest.raises(Exception, match="токен"):
            _run(store, url)  # the same token again: still rejected at the account check
        st.revoke_after = None
        st.tokens[NEW_TOKEN] = ME  # the person makes a new token
        rep = _run(store, url, token=NEW_TOKEN)
        assert not rep.stopped
    assert set(st.deletions) == _expected_tweet_deletions() | _expected_like_deletions()
    assert all(n == 1 for n in st.deletions.values())


def test_unretweet_endpoint_answers_like_x(fake_x: tuple[FakeXState, str]) -> None:
    """The fake also has the unretweet endpoint (by source tweet id); repostguard deletes a
    retweet by its own id, which the archive gives, so the product does not need it."""
    st, url = fake_x
    source, own = next(iter(st.retweets.items()))
    with httpx.Client() as http:
        r = http.delete(f"{url}/users/{ME}/retweets/{source}", headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 200 and r.json() == {"data": {"retweeted": False}}
        assert r.headers["x-rate-limit-remaining"] == "49"
        r = http.get(f"{url}/tweets/{own}", headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 200 and "data" not in r.json() and r.json()["errors"][0]["title"] == "Not Found Error"
        r = http.get(f"{url}/users/me", headers={"Authorization": "Bearer wrong"})
        assert r.status_code == 401 and r.json()["title"] == "Unauthorized"
    assert st.deletions == {("tweet", own): 1}


def test_cli_run_uses_token_and_url_from_the_environment(tmp_path: Path, fake_x: tuple[FakeXState, str]) -> None:
    st, url = fake_x
    db, ids = _workspace(tmp_path)
    env = dict(
        os.environ,
        REPOSTGUARD_HOME=str(tmp_path / "home"),
        REPOSTGUARD_X_TOKEN=TOKEN,
        REPOSTGUARD_X_API_URL=url,
        REPOSTGUARD_BACKUP_PASSPHRASE=PASSPHRASE,
    )
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2] / "src") + os.pathsep + env.get("PYTHONPATH", "")
    args = ["clean", "run", "--yes", "--db", str(db), "--pace", "0", "--jitter", "0"]
    proc = subprocess.run(
        [sys.executable, "-m", "repostguard", *args, "--checklist", str(tmp_path / "c.html")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"X: аккаунт {ME}" in proc.stdout and "ещё видно в сети: 1" in proc.stdout
    assert TOKEN not in proc.stdout + proc.stderr
    assert set(st.deletions) == _expected_tweet_deletions() | _expected_like_deletions()
