#!/usr/bin/env python3
"""CPU per phone screenshot (1080×2340), all passes: the import (decode, OCR of lines, posts,
crops) and the whole scan (import again into a new workspace, the media pass over the posts'
crops, matching).

    .venv/bin/python bench/bench_screenshots.py --screens 30 [--jobs 1] [--keep DIR]

Draws ``--screens`` synthetic VK- and OK-like feed screenshots (tests/importers/screens_synth.py:
two or three invented posts each, all on the screen; a third of them two posts and a photo-like
block), then measures CPU time (this process's ``time.process_time`` plus the CPU of its finished child processes) and
wall time of each step. The scan's figure includes what every scan does once (loading the lists
and matchers), spread over the screenshots. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "importers"))

import numpy as np  # noqa: E402
import screens_synth as synth  # noqa: E402
from PIL import Image  # noqa: E402

from repostguard.cli import main as cli_main  # noqa: E402
from repostguard.importers.screenshots import ScreenshotImporter  # noqa: E402

WORDS = ("сегодня вчера город парк погода книга друзья работа лето зима дорога море дача рыбалка пирог "
         "праздник весна музыка концерт фильм выставка прогулка кофе чай поезд самолёт встреча семья").split()
WHEN = ["14 мар 2019 в 20:02", "вчера в 18:30", "5 часов назад", "2 дня назад", "3 нед.", "12.03.2019",
        "14 марта в 20:02", "сегодня в 9:15"]
NAMES = ["Андрей Кузнецов", "Ольга Соколова", "Игорь Морозов", "Наталья Орлова", "Светлана Волкова"]
FSM_CSV = ('#;Материал;Дата включения (указывается с 01.01.2017)\r\n'
           '10;"Информационный материал «Белый кот говорит правду о свободе народа» (решение суда);";15.03.2019\r\n')


def _post(rng: random.Random) -> synth.Post:
    body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 22))).capitalize() + "."
    return synth.Post(rng.choice(NAMES), rng.choice(WHEN), body)


def draw(folder: Path, n: int, seed: int = 7) -> int:
    """Draw ``n`` screenshots into ``folder``; the number of posts drawn."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    posts = 0
    for k in range(n):
        look = "vk" if k % 3 else "ok"
        drawn = [_post(rng) for _ in range(2 if k % 3 == 1 else rng.randint(2, 3))]
        posts += len(drawn)
        page = synth.feed(drawn, look)
        im = synth.frame(page, 0, look)
        if k % 3 == 1:  # a photo in the feed under two posts: noise where a picture would be
            arr = (np.random.default_rng(k).random((500, 1000, 3)) * 255).astype(np.uint8)
            im.paste(Image.fromarray(arr), (40, 1620))
        name = f"Screenshot_202403{10 + k % 18:02d}-{10 + k % 12:02d}{k % 60:02d}00.png"
        im.save(folder / name)
    return posts


def _cpu() -> float:
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + ch.ru_utime + ch.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--screens", type=int, default=30)
    ap.add_argument("--jobs", type=int, default=1,
                    help="media pass workers (the scan's --jobs); with more than 1 the workers are children of "
                         "the forkserver, whose CPU this process cannot see: measure CPU with 1")
    ap.add_argument("--keep", type=Path, help="draw into DIR and keep it")
    a = ap.parse_args()
    os.environ["OMP_THREAD_LIMIT"] = "1"
    tmp = Path(tempfile.mkdtemp(prefix="rg-bench-shots-"))
    try:
        folder = (a.keep or tmp) / "Screenshots"
        if folder.exists():
            shutil.rmtree(folder)
        posts = draw(folder, a.screens)
        os.environ["REPOSTGUARD_HOME"] = str(tmp / "home")

        c0, w0 = _cpu(), time.perf_counter()
        imp = ScreenshotImporter(folder, tmp / "media-import")
        items = list(imp.iter_items())
        c1, w1 = _cpu(), time.perf_counter()

        fsm = tmp / "fsm.csv"
        fsm.write_bytes(FSM_CSV.encode("cp1251"))
        out = tmp / "f.json"
        cli_main(["scan", str(folder), "--fsm", str(fsm), "--db", str(tmp / "w.sqlite"), "--json", str(out),
                  "-q", "--jobs", str(a.jobs)])
        c2, w2 = _cpu(), time.perf_counter()
        n = a.screens
        print(json.dumps({
            "screens": n, "size": [synth.W, synth.H], "posts_drawn": posts, "items": len(items),
            "items_dated": sum(1 for i in items if i.date), "jobs": a.jobs,
            "import_cpu_s_per_screen": round((c1 - c0) / n, 3),
            "import_wall_s_per_screen": round((w1 - w0) / n, 3),
            "scan_cpu_s_per_screen": round((c2 - c1) / n, 3),
            "scan_wall_s_per_screen": round((w2 - w1) / n, 3),
            "findings": len(json.loads(out.read_text("utf-8"))["findings"]),
            "load_avg": [round(x, 2) for x in os.getloadavg()],
        }, ensure_ascii=False))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
