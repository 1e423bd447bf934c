"""Benchmark of the clean-up stage: plan, encrypted backup, and the journaled runner.

Builds a seeded synthetic VK workspace of N items with D delete decisions (10 % of them with a
small media file), then times, in this process: ``build_plan`` + ``summary``; ``backup_items``
(AES-GCM + scrypt, fsync per record, read-back check); ``run_plan`` against the local fake VK
API (tests/fakes/vk_server.py, same process, pace 0: this measures the journal and HTTP
overhead, not VK's real pace of about one deletion per 1.5-2 s). Prints items/s for each step
and the peak RSS (resource.getrusage).

    .venv/bin/python bench/bench_actions.py [--items 20000] [--deletes 2000]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE.parent / "src"))

from fakes.vk_server import FakeVkState, _key, serve  # noqa: E402

from repostguard.actions._base import Pacer  # noqa: E402
from repostguard.actions.backup import backup_items  # noqa: E402
from repostguard.actions.planner import build_plan, summary  # noqa: E402
from repostguard.actions.runner import run_plan  # noqa: E402
from repostguard.actions.vk import VkClient, vk_call  # noqa: E402
from repostguard.model import Attachment, Item  # noqa: E402
from repostguard.store import Store, now_iso  # noqa: E402

OWNER = 100001


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=20000)
    ap.add_argument("--deletes", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="rg-bench-actions-"))
    media = tmp / "media"
    media.mkdir()
    items = []
    for i in range(1, args.items + 1):
        atts = []
        if i % 10 == 0:
            f = media / f"p{i}.jpg"
            f.write_bytes(rng.randbytes(20_000))
            atts.append(Attachment(type="photo", path=str(f)))
        items.append(
            Item(
                platform="vk",
                native_id=f"wall{OWNER}_{i}",
                kind="post",
                author="self",
                text=" ".join(rng.choice(["слово", "текст", "пост", "мир"]) for _ in range(30)),
                url=f"https://vk.com/wall{OWNER}_{i}",
                attachments=atts,
                raw={"id": i},
            )
        )
    db = tmp / "ws.sqlite"
    store = Store.open(db)
    store.import_items(items, source="bench", platform="vk")
    chosen = rng.sample(items, args.deletes)
    with store.conn:
        store.conn.executemany(
            "INSERT INTO decisions (item_id, action, decided_at, source) VALUES (?, 'delete', ?, 'cli')",
            [(it.id, now_iso()) for it in chosen],
        )
    t = time.perf_counter()
    plan = build_plan(store)
    summary(plan, store)
    dt = time.perf_counter() - t
    print(
        f"plan:   {len(plan.entries)} entries from {args.items} items in {dt:.2f} s "
        f"({len(plan.entries) / dt:,.0f} entries/s)"
    )
    t = time.perf_counter()
    n = backup_items(store, [e.item_id for e in plan.entries], tmp / "b.rgbk", "bench passphrase")
    dt = time.perf_counter() - t
    size = (tmp / "b.rgbk").stat().st_size
    print(f"backup: {n} items ({size / 1e6:.1f} MB) in {dt:.2f} s ({n / dt:,.0f} items/s), verified")
    st = FakeVkState(tokens={"tok": OWNER})
    for it in chosen:
        call = vk_call(it, "delete")
        assert call is not None
        key = _key(call.method, {k: str(v) for k, v in call.params.items()})
        assert key is not None
        st.objects[key] = True
    with serve(st) as url:
        t = time.perf_counter()
        rep = run_plan(store, plan, {"vk": VkClient("tok", base_url=url)}, pacer=Pacer(0, 0))
        dt = time.perf_counter() - t
    print(
        f"run:    {len(rep.done)} deletions journaled in {dt:.2f} s ({len(rep.done) / dt:,.0f} items/s, "
        f"fake server in-process, pace 0)"
    )
    assert len(rep.done) == args.deletes and st.total_deletions() == args.deletes
    store.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {rss:.0f} MB")


if __name__ == "__main__":
    main()
