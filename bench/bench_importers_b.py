"""Benchmark of the Telegram, X, Facebook, Instagram and Mastodon importers on synthetic exports.

Writes (streaming, seeded) one large synthetic export per format into a temporary folder:
a Telegram full export with N messages in a few chats, an X archive with N tweets in two parts,
a Facebook export with N posts, an Instagram export with N posts and a Mastodon outbox with N
activities. Each one is then imported in a fresh subprocess through the importer alone
(detect → verify → iter_items, items discarded), and optionally through the store
(``--store``). Prints items/s, file size and the peak RSS of that subprocess (ru_maxrss).

    .venv/bin/python bench/bench_importers_b.py [--items 200000] [--store] [--only telegram,x]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = (
    "жизнь человек время дело день рука работа слово место друг вопрос дом сторона страна мир случай "
    "город история власть закон война голос книга народ группа суд свет путь связь улица вечер мысль "
    "дорога язык любовь школа цель общество говорить сказать знать видеть думать жить очень уже"
).split()


def text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 60)))


def moj(s: str) -> str:
    return s.encode("utf-8").decode("latin-1")


def gen_telegram(root: Path, n: int, rng: random.Random) -> Path:
    d = root / "telegram"
    d.mkdir()
    with open(d / "result.json", "w", encoding="utf-8") as fh:
        fh.write(
            '{\n "about": "x",\n "personal_information": {"user_id": 1, "first_name": "A"},\n'
            ' "chats": {"about": "", "list": [\n'
        )
        chats = 4
        per = n // chats
        for c in range(chats):
            ctype = ["private_channel", "public_supergroup", "personal_chat", "private_group"][c]
            fh.write(
                ("," if c else "") + json.dumps({"name": f"chat {c}", "type": ctype, "id": 1000 + c})[:-1]
            )
            fh.write(', "messages": [\n')
            if ctype == "private_channel":
                fh.write(
                    json.dumps({"id": 0, "type": "service", "actor_id": "user1", "action": "create_channel"})
                )
                fh.write(",\n")
            for i in range(1, per + 1):
                from_id = "channel1000" if c == 0 else rng.choice(["user1", "user2"])
                m = {
                    "id": i,
                    "type": "message",
                    "date": "2021-01-01T00:00:00",
                    "date_unixtime": str(1609459200 + i),
                    "from": "x",
                    "from_id": from_id,
                    "text": [text(rng), {"type": "link", "text": "https://example.org/" + str(i)}],
                    "text_entities": [{"type": "plain", "text": "a"}],
                }
                if i % 7 == 0:
                    m["forwarded_from"] = "Канал"
                fh.write(json.dumps(m, ensure_ascii=False) + ("," if i < per else "") + "\n")
            fh.write("]}")
        fh.write("]}\n}\n")
    return d


def gen_x(root: Path, n: int, rng: random.Random) -> Path:
    d = root / "x" / "data"
    d.mkdir(parents=True)
    (d / "account.js").write_text(
        'window.YTD.account.part0 = [{"account": {"username": "u", "accountId": "1"}}]'
    )
    for part, name in enumerate(("tweets.js", "tweets-part1.js")):
        with open(d / name, "w", encoding="utf-8") as fh:
            fh.write(f"window.YTD.tweets.part{part} = [\n")
            for i in range(n // 2):
                tid = str(10**18 + part * n + i)
                t = text(rng)[:270]
                if i % 5 == 0:
                    t = "RT @someone: " + t
                tw = {
                    "tweet": {
                        "id_str": tid,
                        "full_text": t + " https://t.co/x",
                        "created_at": "Wed Oct 10 20:19:24 +0000 2018",
                        "entities": {
                            "urls": [{"url": "https://t.co/x", "expanded_url": "https://e.org/" + tid}]
                        },
                    }
                }
                fh.write(json.dumps(tw, ensure_ascii=False) + ("," if i < n // 2 - 1 else "") + "\n")
            fh.write("]")
    return d.parent


def gen_facebook(root: Path, n: int, rng: random.Random) -> Path:
    d = root / "facebook" / "your_facebook_activity" / "posts"
    d.mkdir(parents=True)
    (root / "facebook/your_facebook_activity/comments_and_reactions").mkdir()
    with open(d / "your_posts__check_ins__photos_and_videos_1.json", "w") as fh:
        fh.write("[\n")
        for i in range(n):
            rec = {
                "timestamp": 1600000000 + i,
                "title": moj("Тест shared a link." if i % 4 == 0 else "Тест"),
                "data": [{"post": moj(text(rng))}, {"update_timestamp": 1600000000 + i}],
                "attachments": [{"data": [{"external_context": {"url": f"https://e.org/{i}"}}]}]
                if i % 4 == 0
                else [],
            }
            fh.write(json.dumps(rec) + ("," if i < n - 1 else "") + "\n")
        fh.write("]")
    return root / "facebook"


def gen_instagram(root: Path, n: int, rng: random.Random) -> Path:
    d = root / "instagram" / "your_instagram_activity" / "content"
    d.mkdir(parents=True)
    (root / "instagram/personal_information").mkdir()
    with open(d / "posts_1.json", "w") as fh:
        fh.write("[\n")
        for i in range(n):
            rec = {
                "media": [{"uri": f"media/posts/{i}.jpg", "creation_timestamp": 1600000000 + i, "title": ""}],
                "title": moj(text(rng)),
                "creation_timestamp": 1600000000 + i,
            }
            fh.write(json.dumps(rec) + ("," if i < n - 1 else "") + "\n")
        fh.write("]")
    return root / "instagram"


def gen_mastodon(root: Path, n: int, rng: random.Random) -> Path:
    d = root / "mastodon"
    d.mkdir()
    actor = "https://s.example/users/u"
    (d / "actor.json").write_text(json.dumps({"id": actor, "preferredUsername": "u"}))
    with open(d / "outbox.json", "w", encoding="utf-8") as fh:
        fh.write(
            '{"@context": "https://www.w3.org/ns/activitystreams", "id": "outbox.json", '
            '"type": "OrderedCollection", "orderedItems": [\n'
        )
        for i in range(n):
            if i % 5 == 0:
                a = {
                    "id": f"{actor}/statuses/{i}/activity",
                    "type": "Announce",
                    "actor": actor,
                    "published": "2023-01-01T00:00:00Z",
                    "object": f"https://o.example/users/x/statuses/{i}",
                }
            else:
                a = {
                    "id": f"{actor}/statuses/{i}/activity",
                    "type": "Create",
                    "actor": actor,
                    "object": {
                        "id": f"{actor}/statuses/{i}",
                        "type": "Note",
                        "published": "2023-01-01T00:00:00Z",
                        "content": f"<p>{text(rng)}</p><p>{text(rng)}</p>",
                        "to": ["https://www.w3.org/ns/activitystreams#Public"],
                        "cc": [],
                    },
                }
            fh.write(json.dumps(a, ensure_ascii=False) + ("," if i < n - 1 else "") + "\n")
        fh.write("]}")
    return d


GENERATORS = {
    "telegram": gen_telegram,
    "x": gen_x,
    "facebook": gen_facebook,
    "instagram": gen_instagram,
    "mastodon": gen_mastodon,
}


def child(path: Path, store: bool) -> None:
    """Import ``path`` and print a JSON line with the count and seconds."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from repostguard.importers.registry import detect

    t0 = time.perf_counter()
    if store:
        from repostguard.pipeline.scan import import_path
        from repostguard.store import Store

        with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "b.sqlite") as st:
            res, platform = import_path(st, path)
            count = res.added
    else:
        imp = detect(path)
        imp.verify()
        platform = imp.platform
        count = 0
        for _ in imp.iter_items():
            count += 1
    secs = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"platform": platform, "items": count, "seconds": secs, "peak_rss_mb": rss_mb}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=200_000)
    ap.add_argument("--store", action="store_true", help="import through the SQLite store as well")
    ap.add_argument("--only", default=",".join(GENERATORS))
    ap.add_argument("--child", type=Path)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.store)
        return
    rng = random.Random(20261126)
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only.split(","):
            path = GENERATORS[name](Path(tmp), args.items, rng)
            size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
            cmd = [sys.executable, __file__, "--child", str(path)] + (["--store"] if args.store else [])
            out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ})
            if out.returncode != 0:
                print(f"{name}: failed\n{out.stderr}", file=sys.stderr)
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"{name:10s} {size / 1e6:8.1f} MB  {r['items']:8d} items  {r['seconds']:7.1f} s  "
                f"{r['items'] / r['seconds']:9.0f} items/s  peak RSS {r['peak_rss_mb']:6.1f} MB"
            )


if __name__ == "__main__":
    main()
