"""Benchmark of the symbols-in-text matcher (matchers/symbols_text.py) on ordinary Russian texts.

Generates N seeded posts and comments made of everyday words (bench_scan.py's vocabulary) with what ordinary
texts hold that the matcher must pass over quickly: prices, years, ages, phone numbers, times, emoji (so some
texts leave the fast windows-1251 path), stars and lightning emoji; 0.5 % of them hold a symbol of the table
(to check they are found). Then matches every item in this process, pinned to one CPU, and prints items/s:

* **alone**: the matcher by itself (every text normalised by the matcher's prefilter);
* **in a scan**: with the normalised bytes already cached, as in a scan where the statements matcher ran
  first on the same batch (``norm_bytes_cached``; a batch of 512 items, as scan.MATCH_BATCH).

Times are CPU seconds of this process (``time.process_time``), so other work on the machine disturbs them
less than the wall clock; the best of 3 runs is printed.

    .venv/bin/python bench/bench_symbols_text.py [--items 100000]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from bench_scan import sentence  # noqa: E402

from repostguard.matchers.normalize import norm_bytes_cached  # noqa: E402
from repostguard.matchers.symbols_text import SymbolTextMatcher  # noqa: E402
from repostguard.model import Item  # noqa: E402

#: what ordinary texts add to their words
EXTRAS = [
    lambda r: f"{r.randint(50, 9999)} руб.",
    lambda r: f"Цена {r.randint(1, 200)}88 ₽",
    lambda r: f"в {r.randint(1900, 2025)} году",
    lambda r: f"ему {r.randint(18, 99)} лет",
    lambda r: f"+7 9{r.randint(10, 99)} {r.randint(100, 999)}-{r.randint(10, 99)}-88",
    lambda r: f"в {r.randint(0, 23)}:{r.randint(10, 59)}",
    lambda r: "88",
    lambda r: "😀👍",
    lambda r: "★★★★☆",
    lambda r: "⚡ скидки ⚡",
    lambda r: "🌈 после дождя",
    lambda r: "🇷🇺",
    lambda r: "Пауэрлифтинг, зал № 14",
]
SYMBOLS = ["卐", "ϟϟ", "🏳️‍🌈", "АУЕ ★", "14/88", "Зиг хайль 88", "卐 1488"]


def generate(n: int, seed: int = 24) -> list[Item]:
    rng = random.Random(seed)
    items = []
    for i in range(n):
        k = rng.choice([1, 1, 2, 3, 5, 10])
        parts = [sentence(rng, rng.randint(4, 12)) for _ in range(k)]
        if rng.random() < 0.35:
            parts.insert(rng.randrange(len(parts) + 1), rng.choice(EXTRAS)(rng))
        if rng.random() < 0.005:
            parts.insert(rng.randrange(len(parts) + 1), rng.choice(SYMBOLS))
        items.append(Item(platform="generic", native_id=f"b{i}", kind=rng.choice(["post", "comment"]),
                          text=" ".join(parts)))
    return items


def run(m: SymbolTextMatcher, items: list[Item], warm: bool) -> tuple[float, int]:
    norm_bytes_cached.cache_clear()
    found = 0
    t0 = time.process_time()
    for b in range(0, len(items), 512):
        batch = items[b:b + 512]
        if warm:  # (what the other matchers of a scan compute: not timed)
            t1 = time.process_time()
            for it in batch:
                norm_bytes_cached(it.text)
            t0 += time.process_time() - t1
        for it in batch:
            found += len(m.match(it))
    return time.process_time() - t0, found


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=100_000)
    args = ap.parse_args()
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    items = generate(args.items)
    chars = sum(len(it.text) for it in items)
    seeded = sum(any(s in it.text for s in SYMBOLS) for it in items)
    print(f"{len(items):,} texts, {chars / len(items):.0f} characters on average, {seeded} hold a symbol; "
          f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    m = SymbolTextMatcher()
    for label, warm in (("alone", False), ("in a scan (normalised bytes cached)", True)):
        best = min((run(m, items, warm) for _ in range(3)), key=lambda r: r[0])
        print(f"{label}: {len(items) / best[0]:,.0f} items per CPU-second ({best[0]:.2f} s, best of 3), "
              f"{best[1]} findings")
    t0 = time.process_time()
    full = SymbolTextMatcher(screen=False)
    n = sum(len(full.match(it)) for it in items[:20_000])
    dt = time.process_time() - t0
    print(f"without the prefilter (first 20,000): {20_000 / dt:,.0f} items per CPU-second, {n} findings")


if __name__ == "__main__":
    main()
