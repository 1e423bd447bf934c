"""Benchmark of the check before posting (issue 20 part 5): a pasted text under 1 s, a picture under 2 s.

Usage::

    .venv/bin/python bench/bench_check.py [--fsm ../shared/data/fsm/exportfsm-2025-07-09.csv]
                                          [--texts 20] [--pictures 5]

Installs the FSM list into a temporary ``REPOSTGUARD_HOME`` (as ``lists update --from`` does), builds
a :class:`repostguard.pipeline.check.Checker` twice (cold: the matcher's index is built and cached;
warm: read from the cache, as the app does after ``lists update``) and starts the OCR engine, then
times, with the checker warm:

- ``--texts`` pasted texts: half quote a listed material (a «…» quote of a random entry, in a
  sentence), half are ordinary posts of 200 to 3,000 characters;
- ``--pictures`` captioned pictures (1000 x 800, the test suite's synthetic memes) whose caption is
  a quote of at most 34 characters of a listed entry, on two lines.

Prints the median and the largest time of each, and how many of the listed ones were found.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "media"))

import synth  # noqa: E402

DEFAULT_FSM = ROOT.parent / "shared" / "data" / "fsm" / "exportfsm-2025-07-09.csv"
QUOTE = re.compile(r"«([^«»]{12,60})»")
TEXT_TARGET_S = 1.0
PICTURE_TARGET_S = 2.0


def quotes_of(fsm: Path, rng: random.Random, n: int, max_len: int = 60) -> list[tuple[str, str]]:
    """(entry number, quote) of ``n`` random active entries that hold a «…» quote of a few words."""
    from repostguard.banks.fsm import parse_fsm

    found: list[tuple[str, str]] = []
    for e in parse_fsm(fsm).active:
        for q in QUOTE.findall(e.text):
            if len(q.split()) >= 3 and len(q) <= max_len and "http" not in q and "." not in q:
                found.append((str(e.number), q))
                break
    return rng.sample(found, n)


def ordinary(rng: random.Random) -> str:
    words = [rng.choice(synth.WORDS) for _ in range(rng.randint(30, 450))]
    return " ".join(words).capitalize() + "."


def report(name: str, times: list[float], target: float, found: int, listed: int) -> None:
    med, top = statistics.median(times), max(times)
    ok = "met" if top < target else "NOT met"
    print(f"{name}: {len(times)} checks, median {med * 1000:.1f} ms, max {top * 1000:.1f} ms "
          f"(target < {target:g} s: {ok}); listed ones found: {found} of {listed}")


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--fsm", type=Path, default=DEFAULT_FSM)
    ap.add_argument("--texts", type=int, default=20)
    ap.add_argument("--pictures", type=int, default=5)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    if not args.fsm.exists():
        sys.exit(f"{args.fsm}: not found (the shared development data)")
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp:
        os.environ["REPOSTGUARD_HOME"] = str(Path(tmp) / "home")
        from repostguard.banks.registry import update_lists
        from repostguard.pipeline.check import Checker

        update_lists("fsm", from_file=args.fsm)
        t0 = time.perf_counter()
        Checker().close()
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        checker = Checker()
        warm = time.perf_counter() - t0
        t0 = time.perf_counter()
        checker.prepare_pictures()
        engine = time.perf_counter() - t0
        print(f"list {checker.lists[0].version}; checker built in {cold:.2f} s cold (index built), "
              f"{warm:.2f} s warm (index cached); OCR engine started in {engine:.2f} s")

        n_listed = args.texts // 2
        picked = quotes_of(args.fsm, rng, n_listed)
        # captions short enough for two lines of the synthetic pictures (longer lines run off the edge)
        captions = quotes_of(args.fsm, rng, args.pictures, max_len=34)
        texts = [(num, f"Вот что я нашёл: «{q}». Что думаете?") for num, q in picked]
        texts += [("", ordinary(rng)) for _ in range(args.texts - n_listed)]
        rng.shuffle(texts)
        times: list[float] = []
        found = 0
        for num, text in texts:
            t0 = time.perf_counter()
            result = checker.check_text(text)
            times.append(time.perf_counter() - t0)
            found += bool(num) and any(f.entry == num for f in result)
        report("texts", times, TEXT_TARGET_S, found, n_listed)

        pics: list[tuple[str, Path]] = []
        for i, (num, q) in enumerate(captions):
            words = q.upper().split()
            half = (len(words) + 1) // 2
            lines = [" ".join(words[:half]), " ".join(words[half:])]
            path = Path(tmp) / f"pic{i}.jpg"
            synth.meme(random.Random(i), 1000, 800, lines, ("band", "meme", "plain")[i % 3]).save(path, quality=88)
            pics.append((num, path))
        times = []
        found = 0
        for num, path in pics:
            t0 = time.perf_counter()
            result = checker.check_picture(path)
            times.append(time.perf_counter() - t0)
            found += any(f.entry == num for f in result)
        report("pictures", times, PICTURE_TARGET_S, found, len(pics))
        checker.close()


if __name__ == "__main__":
    main()
