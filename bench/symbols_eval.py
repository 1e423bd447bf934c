"""Runs the symbol detector over a benchmark set and writes findings for score_symbols.py.

usage: .venv/bin/python bench/symbols_eval.py SET_DIR FINDINGS_JSON [--limit N]
SET_DIR holds items.jsonl (generic format) and the pictures it names. Prints CPU seconds per
picture (mean, 95th percentile, max). Score with:
python3 /work/shared/bench/score_symbols.py SET_DIR/truth.json FINDINGS_JSON
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from repostguard.media.symbols import DETECTOR_VERSION, detect_symbols


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("set_dir", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    cv2.setNumThreads(1)  # CPU time of one core, as a scan of many pictures would spend it
    findings = []
    times = []
    lines = (args.set_dir / "items.jsonl").read_text(encoding="utf-8").splitlines()
    if args.limit:
        lines = lines[:args.limit]
    for line in lines:
        if not line.strip():
            continue
        item = json.loads(line)
        for att in item.get("attachments", []):
            with Image.open(args.set_dir / att["path"]) as im:
                rgb = np.asarray(im.convert("RGB"))
            t0 = time.process_time()
            hits = detect_symbols(rgb)
            times.append(time.process_time() - t0)
            for h in hits:
                findings.append({"item": item["id"], "bank": "symbols", "entry": h.symbol, "score": h.score,
                                 "box": list(h.box), "detector": DETECTOR_VERSION})
    args.out.write_text(json.dumps(findings, ensure_ascii=False, indent=1), encoding="utf-8")
    t = np.array(times)
    print(f"{len(t)} pictures, {len(findings)} findings; CPU s/picture mean {t.mean():.3f} "
          f"p95 {np.percentile(t, 95):.3f} max {t.max():.3f}")


if __name__ == "__main__":
    main()
