"""Benchmark of the review page on a large workspace.

Builds a 100,000-item workspace (20 % of items flagged, 1-3 findings each), starts the real
``repostguard review --no-browser`` server and measures, over HTTP on 127.0.0.1:

- the first page (first findings, most serious first) — target < 1 s;
- a filtered page, a deep page, full-text searches over the whole history (a rare word and two
  very common ones), the CSV of a selection.

Prints times in milliseconds (first request and the median of 5 more) and peak RSS of the
server (resource.getrusage of the child) and of this process.

Usage: .venv/bin/python bench/bench_review.py [--items 100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import http.client
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

from repostguard.model import Attachment, Evidence, Finding, Item, Source
from repostguard.store import Store

WORDS = (
    "привет новости музыка книга фильм друзья погода город работа выходные праздник кот собака "
    "футбол политика история школа лето зима весна осень дорога море лес река горы"
).split()
LEVELS = ("distribution", "mention", "indicator")


def build(db: Path, n: int, seed: int = 7) -> tuple[int, float]:
    rnd = random.Random(seed)
    t0 = time.perf_counter()

    def items() -> object:
        for i in range(n):
            words = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(5, 60)))
            if i % 200 == 0:
                words += " редкоеслово"  # a word in 0.5 % of the items, for a realistic search
            kind = rnd.choice(("post", "post", "repost", "comment", "like"))
            yield Item(
                platform="vk",
                native_id=f"wall1_{i}",
                kind=kind,
                text=words,
                date=f"{rnd.randint(2010, 2025)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
                "T12:00:00+03:00",
                url=f"https://vk.com/wall1_{i}",
                visibility=rnd.choice(("public", "friends")),
                reposted_from=Source("Паблик", "https://vk.com/club1") if kind == "repost" else None,
                attachments=[Attachment("link", url="https://example.org/x")] if i % 7 == 0 else [],
                raw={"id": i},
            )

    with Store.open(db) as store:
        store.import_items(items(), source="bench", platform="vk")  # type: ignore[arg-type]
        ids = [(r[0], r[1], r[2]) for r in store.conn.execute("SELECT id, ref, text FROM items")]
        findings: list[Finding] = []
        for iid, ref, text in ids:
            if rnd.random() >= 0.2:
                continue
            for _ in range(rnd.randint(1, 3)):
                entry = str(rnd.randint(1, 5400))
                findings.append(
                    Finding(
                        iid,
                        ref,
                        "fsm",
                        entry,
                        rnd.choice(LEVELS),
                        "quote",
                        rnd.random(),
                        Evidence("text", text[:20], (0, min(20, len(text)))),
                        f"Совпадение с записью № {entry}",
                        f"Matches entry {entry}",
                        "fsm-bench",
                    )
                )
        scan = store.start_scan("fsm", "fsm-bench", "0" * 64, "bench")
        store.save_findings(scan, "fsm", None, findings, "bench", n)
    return len(findings), time.perf_counter() - t0


def get(host: str, port: int, path: str) -> tuple[float, int, int]:
    conn = http.client.HTTPConnection(host, port, timeout=60)
    t = time.perf_counter()
    conn.request("GET", path)
    resp = conn.getresponse()
    body = resp.read()
    dt = time.perf_counter() - t
    conn.close()
    return dt, resp.status, len(body)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--keep", type=Path, default=None, help="build the workspace here and keep it")
    args = ap.parse_args()
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="rg-bench-review-"))
    tmp.mkdir(parents=True, exist_ok=True)
    db = tmp / "bench.sqlite"
    if not db.exists():
        nf, secs = build(db, args.items)
        print(f"built {args.items} items, {nf} findings in {secs:.1f} s ({db})")
    proc = subprocess.Popen(
        [sys.executable, "-m", "repostguard", "review", "--db", str(db), "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    t_start = time.perf_counter()
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        print(f"server ready in {time.perf_counter() - t_start:.2f} s (includes building the search index)")
        parts = urlsplit(url)
        host, port, base = str(parts.hostname), int(parts.port or 0), parts.path.rstrip("/")
        cases = [
            ("first page", "/"),
            ("filtered page (level=mention, year=2020)", "/?level=mention&year=2020"),
            ("page 200", "/?page=200"),
            (
                "search whole history, rare word (0.5 % of items)",
                "/?q=" + quote("редкоеслово") + "&scope=all",
            ),
            (
                "search whole history, common words (~48 % of items)",
                "/?q=" + quote("политика море") + "&scope=all",
            ),
            ("CSV of a selection (level=distribution)", "/export.csv?level=distribution"),
        ]
        for name, path in cases:
            first, status, size = get(host, port, base + path)
            rest = [get(host, port, base + path)[0] for _ in range(5)]
            print(
                f"{name}: HTTP {status}, {size // 1024} KiB, first {first * 1000:.0f} ms, "
                f"median of 5 more {statistics.median(rest) * 1000:.0f} ms"
            )
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: server {child:.0f} MB, benchmark process {me:.0f} MB")


if __name__ == "__main__":
    main()
