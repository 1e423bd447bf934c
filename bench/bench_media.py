"""Benchmark of the media stage: OCR with and without the text check, blanks, hashing, end to end.

Usage::

    .venv/bin/python bench/bench_media.py [--pictures 5000] [--sample 200] [--jobs 2] [--keep DIR]

Generates synthetic pictures (DejaVu captions on textured backgrounds, half without text) in a
temporary folder, then measures with ``--jobs`` worker processes:

1. captioned memes/s through the whole per-picture work (decode, hashes, text check, 2 OCR passes);
2. the same memes without the text check (OCR always), and blanks with and without it;
3. hashing only (decode at half scale, PDQ + dHash), pictures/s;
4. the end-to-end media pass of a ``--pictures`` history (generic items with one photo each)
   through :func:`repostguard.pipeline.media.prepare`, its wall time, and the text check's skip count;
5. the text check on shared/bench/dev/media (if present): how many captioned memes it flags.

Peak memory is reported from ``resource.getrusage``: the parent's peak RSS and the largest
worker's peak RSS (the total is about parent + jobs x worker).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "media"))

import synth  # noqa: E402
from treerss import TreeRss  # noqa: E402

from repostguard.media import images, textcheck  # noqa: E402
from repostguard.pipeline import media as pipeline  # noqa: E402
from repostguard.store import Store  # noqa: E402


def timed(todo: list[tuple[str, str]], *, jobs: int, ocr: bool, text_check: bool) -> tuple[float, float, int]:
    """Wall seconds, summed worker CPU seconds, and pictures with text read."""
    t0 = time.perf_counter()
    n_text = 0
    cpu = 0.0
    for r in pipeline.run_pending(todo, jobs=jobs, ocr=ocr, text_check=text_check):
        n_text += bool(r.ocr_text)
        cpu += r.cpu_s
    return time.perf_counter() - t0, cpu, n_text


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--pictures", type=int, default=5000)
    ap.add_argument("--sample", type=int, default=200, help="pictures of each kind for the per-step rates")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="generate into / reuse this folder instead of a temp one")
    ap.add_argument("--skip-steps", action="store_true", help="only the end-to-end pass")
    ap.add_argument("--skip-e2e", action="store_true", help="only the per-step rates")
    args = ap.parse_args()
    if not synth.fonts_available():
        sys.exit("DejaVu fonts not found (apt-get install fonts-dejavu-core)")
    from repostguard.media.ocr import check_engine

    engine = check_engine()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench_media_"))
    pics_dir = work / "pics"
    half = args.pictures // 2
    t0 = time.perf_counter()
    made = sorted(pics_dir.glob("[tb]*.jpg")) if pics_dir.exists() else []
    if len(made) != args.pictures:
        shutil.rmtree(pics_dir, ignore_errors=True)
        synth.make_fast_set(pics_dir, half, args.pictures - half, jobs=args.jobs)
        made = sorted(pics_dir.glob("[tb]*.jpg"))
    gen_s = time.perf_counter() - t0
    text_pics = [p for p in made if p.name.startswith("t")]
    blank_pics = [p for p in made if p.name.startswith("b")]
    load = os.getloadavg()[0]
    print(f"engine {engine}; {len(made)} synthetic pictures ({len(text_pics)} captioned) in {work} "
          f"(generated in {gen_s:.0f} s); jobs={args.jobs}, cpus={os.cpu_count()}, load average {load:.1f}")
    print("rates: wall = pictures / elapsed; cpu = pictures per second of worker CPU x jobs "
          "(what the machine gives when nothing else runs)")

    def todo(ps: list[Path]) -> list[tuple[str, str]]:
        return [(str(p), f"{k:064x}") for k, p in enumerate(ps)]

    if not args.skip_steps:
        s_text = todo(text_pics[: args.sample])
        s_blank = todo(blank_pics[: args.sample])
        for name, ps, ocr, tc in [
            ("captioned memes, with text check", s_text, True, True),
            ("captioned memes, no text check", s_text, True, False),
            ("blank pictures, with text check", s_blank, True, True),
            ("blank pictures, no text check (OCR always)", s_blank, True, False),
            ("hashing only (no OCR, no text check)", s_text + s_blank, False, False),
        ]:
            secs, cpu, n_text = timed(ps, jobs=args.jobs, ocr=ocr, text_check=tc)
            print(f"{name:44s} {len(ps):5d} in {secs:6.1f} s: wall {len(ps) / secs:6.1f}/s, "
                  f"cpu {len(ps) / cpu * args.jobs:6.1f}/s, {cpu / len(ps) * 1000:5.1f} ms CPU each"
                  f"  (text read in {n_text})")

    if args.skip_e2e:
        return
    # end to end: a history of one photo per item through prepare()
    db = work / "bench.sqlite"
    db.unlink(missing_ok=True)
    jl = work / "items.jsonl"
    with open(jl, "w", encoding="utf-8") as fh:
        for k, p in enumerate(made):
            fh.write(json.dumps({"id": f"p{k}", "kind": "repost", "text": "",
                                 "attachments": [{"type": "photo", "path": str(p)}]}) + "\n")
    from repostguard.pipeline.scan import import_path

    tree = TreeRss()
    with Store.open(db) as store:
        import_path(store, jl)
        stats = pipeline.MediaStats()
        t0 = time.perf_counter()
        out = pipeline.prepare(store, progress=False, notes=[], jobs=args.jobs, stats=stats)
        e2e = time.perf_counter() - t0
        t1 = time.perf_counter()
        pipeline.prepare(store, progress=False, notes=[], jobs=args.jobs, stats=pipeline.MediaStats())
        again = time.perf_counter() - t1
        lost = [r[0] for r in store.conn.execute(
            "SELECT f.path FROM media_files f JOIN media_cache c ON c.sha256 = f.sha256 WHERE c.has_text = 0")
            if Path(r[0]).name.startswith("t")]
        false_pos = sum(1 for r in store.conn.execute(
            "SELECT f.path FROM media_files f JOIN media_cache c ON c.sha256 = f.sha256 WHERE c.has_text = 1")
            if Path(r[0]).name.startswith("b"))
    tree_peak = tree.stop()
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"end to end: {stats.pictures} pictures in {e2e:.1f} s ({stats.pictures / e2e:.1f}/s wall): "
          f"{stats.ocr_done} OCR'd, {stats.text_checked_skip} skipped by the text check "
          f"({len(blank_pics)} had no text); text found in {len(out)} items; "
          f"second run (all cached) {again:.1f} s")
    print(f"text check on the synthetic history: {len(lost)} of {len(text_pics)} captioned pictures skipped, "
          f"{false_pos} of {len(blank_pics)} blanks sent to OCR")
    print(f"peak RSS: this process {me:.0f} MB; this process and its workers together, "
          f"sampled every 0.2 s: {tree_peak:.0f} MB")

    dev = Path("/work/shared/bench/dev/media")
    if dev.is_dir():
        files = sorted(dev.glob("*.jpg"))
        t0 = time.perf_counter()
        flagged = 0
        for p in files:
            d = images.decode(p.read_bytes(), scale=2)
            flagged += textcheck.has_text(textcheck.to_gray(d.frames[0]))
        dt = (time.perf_counter() - t0) / max(1, len(files)) * 1000
        print(f"dev bench: the text check flags {flagged}/{len(files)} captioned memes "
              f"({dt:.1f} ms each incl. decode)")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
