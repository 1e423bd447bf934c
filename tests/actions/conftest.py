"""Shared helpers of the clean-up tests: a VK workspace with decisions, and the fake VK server."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fakes.vk_server import FakeVkState, _key, serve

from repostguard.actions.vk import vk_call
from repostguard.model import Attachment, Item
from repostguard.store import Store, now_iso

OWNER = 100001
TOKEN = "vk1.a.test-token-SECRET-0123456789"
OTHER_TOKEN = "vk1.a.other-account-token-SECRET"
PASSPHRASE = "correct horse battery staple"
FAST_KDF = 12  # scrypt N = 2^12 in tests that are not about the backup itself (the product uses 2^15)


@dataclass
class Workspace:
    db: Path
    keys: dict[str, tuple[Any, ...]] = field(default_factory=dict)  # item id -> fake object key
    delete_ids: list[str] = field(default_factory=list)
    hide_ids: list[str] = field(default_factory=list)
    keep_ids: list[str] = field(default_factory=list)
    media: dict[str, bytes] = field(default_factory=dict)


def vk_items(n_posts: int, media_dir: Path | None = None) -> list[Item]:
    items: list[Item] = [
        Item(platform="vk", native_id=f"profile{OWNER}", kind="profile", text="Full name: Test")
    ]
    for i in range(1, n_posts + 1):
        kind = "repost" if i % 3 == 0 else "post"
        atts = []
        if media_dir is not None and i % 4 == 1:
            f = media_dir / f"photo{i}.jpg"
            f.write_bytes(bytes([i % 256]) * (100 + i) + "тест".encode())
            atts.append(Attachment(type="photo", path=str(f)))
        items.append(
            Item(
                platform="vk",
                native_id=f"wall{OWNER}_{i}",
                kind=kind,
                text=f"пост {i} <b>&",
                author="self",
                url=f"https://vk.com/wall{OWNER}_{i}",
                attachments=atts,
                raw={"id": i, "html": f"<div>пост {i}</div>"},
            )
        )
    items.append(
        Item(
            platform="vk",
            native_id="wall-200002_77?reply=501",
            kind="comment",
            text="коммент",
            author="self",
            url="https://vk.com/wall-200002_77?reply=501",
            raw={"c": 1},
        )
    )
    items.append(
        Item(
            platform="vk",
            native_id="like_wall-200002_78",
            kind="like",
            url="https://vk.com/wall-200002_78",
            raw={"l": 1},
        )
    )
    items.append(
        Item(
            platform="vk",
            native_id=f"photo{OWNER}_457239017",
            kind="photo",
            text="фото",
            url=f"https://vk.com/photo{OWNER}_457239017",
            raw={"p": 1},
        )
    )
    return items


def decide(store: Store, item_id: str, action: str) -> None:
    with store.conn:
        store.conn.execute(
            "INSERT OR REPLACE INTO decisions (item_id, action, decided_at, source) VALUES (?,?,?,?)",
            (item_id, action, now_iso(), "cli"),
        )


def build_workspace(tmp: Path, n_posts: int = 12, *, hide: int = 1, keep: int = 1) -> Workspace:
    media_dir = tmp / "media"
    media_dir.mkdir(exist_ok=True)
    ws = Workspace(db=tmp / "ws.sqlite")
    items = vk_items(n_posts, media_dir)
    with Store.open(ws.db) as store:
        store.import_items(items, source="test", platform="vk")
        deletable = [it for it in items if it.kind != "profile"]
        for n, it in enumerate(deletable):
            if n < keep:
                decide(store, it.id, "keep")
                ws.keep_ids.append(it.id)
            elif n < keep + hide:
                decide(store, it.id, "hide")
                ws.hide_ids.append(it.id)
            else:
                decide(store, it.id, "delete")
                ws.delete_ids.append(it.id)
                call = vk_call(it, "delete")
                assert call is not None, it.native_id
                key = _key(call.method, {k: str(v) for k, v in call.params.items()})
                assert key is not None
                ws.keys[it.id] = key
            for a in it.attachments:
                if a.path:
                    ws.media[it.id] = Path(a.path).read_bytes()
    return ws


def fake_state(ws: Workspace, **kw: Any) -> FakeVkState:
    st = FakeVkState(tokens={TOKEN: OWNER, OTHER_TOKEN: 999}, **kw)
    for key in ws.keys.values():
        st.objects[key] = True
    return st


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return build_workspace(tmp_path)


@pytest.fixture
def fake_vk(workspace: Workspace) -> Iterator[tuple[FakeVkState, str]]:
    st = fake_state(workspace)
    with serve(st) as url:
        yield st, url


def kill_at_points(
    start: Callable[[], subprocess.Popen[str]], deletions: Callable[[], int], points: Sequence[tuple[str, float]]
) -> tuple[int, list[str]]:
    """Start the clean-up once per point and SIGKILL it there: ``("time", seconds after start)`` or
    ``("deletions", count the fake server has seen)``. Returns the kills made and the outputs."""
    kills = 0
    outputs: list[str] = []
    for kind, value in points:
        proc = start()
        deadline = time.monotonic() + 60
        t0 = time.monotonic()
        while proc.poll() is None and time.monotonic() < deadline:
            if (kind == "time" and time.monotonic() - t0 >= value) or (kind == "deletions" and deletions() >= value):
                proc.send_signal(signal.SIGKILL)
                kills += 1
                break
            time.sleep(0.005)
        out, _ = proc.communicate(timeout=60)
        outputs.append(out)
    return kills, outputs
