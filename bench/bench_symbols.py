"""Benchmark of the symbols cascade on pictures with no symbol: the media benchmark's textured pictures.

Generates (or reuses, with ``--keep``) the synthetic pictures of ``bench/bench_media.py`` (crops of textured
backgrounds, half with captions; none shows a symbol) and runs :func:`repostguard.media.symbols.detect_symbols`
on each in this process, on one thread. Prints the CPU time per picture (mean, 95th percentile, max), for the
captioned and the blank ones, the part of it the network on the shape stage's near misses took
(:mod:`repostguard.media.symbols.verify`), and every picture that gave a symbol: each is a false alarm.

    .venv/bin/python bench/bench_symbols.py [--pictures 200] [--keep DIR] [--text-lines]

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
from repostguard.media import textcheck  # noqa: E402
from repostguard.media.symbols import detect_symbols  # noqa: E402

#: CPU seconds spent in the stages timed apart: the network (choosing the near misses and judging them) and the
#: rainbow flag's colour bands
STAGES = {"network": 0.0, "rainbow": 0.0}


def _timed(f: Any, stage: str) -> Any:
    def run(*args: Any) -> Any:
        t0 = time.process_time()
        try:
            return f(*args)
        finally:
            STAGES[stage] += time.process_time() - t0
    return run


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--pictures", type=int, default=200)
    ap.add_argument("--keep", type=Path, help="generate into / reuse this folder instead of a temporary one")
    ap.add_argument("--text-lines", action="store_true",
                    help="give the detector the lines of text the media pass's text check finds (as a scan does), "
                         "found at half scale as there; their cost is the text check's, not counted here")
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
    cascade.near_misses = _timed(cascade.near_misses, "network")  # type: ignore[attr-defined]
    cascade.confirm = _timed(cascade.confirm, "network")  # type: ignore[attr-defined]
    cascade.find_flags = _timed(cascade.find_flags, "rainbow")  # type: ignore[attr-defined]
    times: dict[str, list[float]] = {"captioned": [], "blank": []}
    spent: dict[str, list[float]] = {stage: [] for stage in STAGES}
    alarms = []
    for path in made:
        with Image.open(path) as im:
            rgb = np.asarray(im.convert("RGB"))
        lines: list[tuple[int, int, int, int]] = []
        if args.text_lines:
            h, w = rgb.shape[:2]
            half = cv2.resize(rgb, (max(1, w // 2), max(1, h // 2)), interpolation=cv2.INTER_AREA)
            k = w / half.shape[1]
            lines = [(round(x * k), round(y * k), round(bw * k), round(bh * k))
                     for x, y, bw, bh in textcheck.text_lines(textcheck.to_gray(half))]
        t0, before = time.process_time(), dict(STAGES)
        hits = detect_symbols(rgb, lines)
        for stage in STAGES:
            spent[stage].append(STAGES[stage] - before[stage])
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
    for stage, what in (("rainbow", "the rainbow flag's colour bands"), ("network", "the network on the near misses")):
        part = np.array(spent[stage]) * 1000
        print(f"of which {what}: mean {part.mean():.1f} ms, p95 {np.percentile(part, 95):.1f}")
    print(f"false alarms: {len(alarms)} of {len(made)} pictures")
    for name, seen in alarms:
        print(f"  {name}: {seen}")


if __name__ == "__main__":
    main()
