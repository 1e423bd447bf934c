"""Benchmark of the symbols cascade on pictures with no symbol: the media benchmark's textured pictures.

Generates (or reuses, with ``--keep``) the synthetic pictures of ``bench/bench_media.py`` (crops of textured
backgrounds, half with captions; none shows a symbol) and runs :func:`repostguard.media.symbols.detect_symbols`
on each in this process, on one thread. Prints the CPU time per picture (mean, 95th percentile, max), for the
captioned and the blank ones, the part of it the network on the shape stage's near misses took
(:mod:`repostguard.media.symbols.verify`), and every picture that gave a symbol: each is a false alarm.

    .venv/bin/python bench/bench_symbols.py [--pictures 200] [--keep DIR]

Target (issue 24): at most 30 ms of CPU per picture on average, 80 ms at the 95th percentile, for the whole
cascade on top of OCR; no false alarm. ``bench/symbols_eval.py`` gives the same figures on a benchmark set of
memes with symbols and look-alikes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "media"))

import synth  # noqa: E402

import repostguard.media.symbols as cascade  # noqa: E402
from repostguard.media.symbols import detect_symbols  # noqa: E402

#: CPU seconds spent in the network stage (choosing the near misses and judging them)
NETWORK = [0.0]


def _timed(f: Any) -> Any:
    def run(*args: Any) -> Any:
        t0 = time.process_time()
        try:
            return f(*args)
        finally:
            NETWORK[0] += time.process_time() - t0
    return run


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--pictures", type=int, default=200)
    ap.add_argument("--keep", type=Path, help="generate into / reuse this folder instead of a temporary one")
    args = ap.parse_args()
    cv2.setNumThreads(1)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench_symbols_"))
    made = sorted(folder.glob("[tb]*.jpg")) if folder.exists() else []
    if len(made) != args.pictures:
        for old in made:
            old.unlink()
        half = args.pictures // 2
        synth.make_fast_set(folder, half, args.pictures - half, jobs=1)
        made = sorted(folder.glob("[tb]*.jpg"))
    cascade.near_misses = _timed(cascade.near_misses)  # type: ignore[attr-defined]
    cascade.confirm = _timed(cascade.confirm)  # type: ignore[attr-defined]
    times: dict[str, list[float]] = {"captioned": [], "blank": []}
    network: list[float] = []
    alarms = []
    for path in made:
        with Image.open(path) as im:
            rgb = np.asarray(im.convert("RGB"))
        t0, n0 = time.process_time(), NETWORK[0]
        hits = detect_symbols(rgb)
        network.append(NETWORK[0] - n0)
        times["captioned" if path.name.startswith("t") else "blank"].append(time.process_time() - t0)
        if hits:
            alarms.append((path.name, [(h.symbol, h.score, h.box) for h in hits]))
    size = Image.open(made[0]).size
    print(f"{len(made)} pictures (the first {size[0]}x{size[1]} px) in {folder}, none showing a symbol")
    for kind, ts in times.items():
        a = np.array(ts) * 1000
        print(f"{kind:10s} {len(a):4d}: CPU ms/picture mean {a.mean():6.1f}  p95 {np.percentile(a, 95):6.1f}  "
              f"max {a.max():6.1f}")
    every = np.concatenate([np.array(ts) for ts in times.values()]) * 1000
    print(f"all        {len(every):4d}: CPU ms/picture mean {every.mean():6.1f}  p95 {np.percentile(every, 95):6.1f}"
          f"  (target 30 / 80)")
    net = np.array(network) * 1000
    print(f"of which the network on the near misses: mean {net.mean():.1f} ms, p95 {np.percentile(net, 95):.1f}")
    print(f"false alarms: {len(alarms)} of {len(made)} pictures")
    for name, hits in alarms:
        print(f"  {name}: {hits}")


if __name__ == "__main__":
    main()
