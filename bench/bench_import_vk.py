# ruff: noqa: E501  (HTML templates are kept on one line each)
"""Benchmark of importing a VK «Архив данных» with the real importer (issue 3).

Generates, in a temporary folder that is deleted afterwards, a seeded synthetic VK archive of
N wall posts (default 50,000, about 1 GB of windows-1251 HTML, 50 posts per page, with entities,
``<br>``, attachments with long signed image URLs, and one repost in five in a nested block),
then runs ``repostguard import`` on it in a subprocess into a temporary store and prints the
records/s, the CPU time (wait4's rusage, which includes the import's worker processes) and the
peak memory: of the largest process, and of the import and its workers together (sampled from
/proc). The import parses pages in one worker process per usable CPU but one, and in the importing
process between writes to the store (``REPOSTGUARD_IMPORT_WORKERS`` sets the number of workers; 0
parses everything in the importing process).

    .venv/bin/python bench/bench_import_vk.py [--posts 50000] [--post-bytes 20000] [--zip] [--keep]

Targets: at least 2,000 records/s, peak memory under 500 MB.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from treerss import TreeRss

OWNER = 100001
WORDS = (
    "жизнь человек время дело день рука работа слово место лицо друг вопрос дом сторона страна мир случай "
    "голова сила конец вид система часть город отношение земля машина вода отец проблема час право решение "
    "образ история власть закон голос книга возможность результат ночь статья число народ группа процесс "
    "хороший новый первый последний большой длинный маленький молодой старый говорить сказать знать думать"
).split()
MONTHS = ["янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"]


def jd() -> str:
    raw = json.dumps({"user_id": OWNER, "time_current": 1736623771}, separators=(",", ":")).encode()
    return base64.b64encode(raw).decode().rstrip("=")


HEAD = (
    '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="windows-1251">\n<meta name="jd" content="'
    + jd()
    + '">\n'
    '<title>Стена</title>\n<link rel="stylesheet" href="../style.css">\n</head>\n<body>\n<div class="wrap">\n'
    '<div class="page_content page_block"><div class="page_block_header"><div class="page_block_header_inner">'
    '<a class="ui_crumb" href="../index.html">Профиль</a><div class="ui_crumb_sep"></div>'
    '<div class="ui_crumb">Стена</div></div></div>\n<div class="wrap_page_content">\n'
)
TAIL = '</div>\n<div class="pagination clear_fix"></div>\n</div>\n</div>\n</body>\n</html>\n'


_LINES: list[str] = []


def text(rng: random.Random, nbytes: int) -> str:
    """About ``nbytes`` of post text: lines drawn from a seeded pool, joined with ``<br>``."""
    if not _LINES:
        pool = random.Random(0)
        for _ in range(2000):
            line = " ".join(pool.choice(WORDS) for _ in range(pool.randint(6, 18)))
            if pool.random() < 0.1:
                line += " &laquo;цитата&raquo; &#128512;"
            _LINES.append(line)
    out: list[str] = []
    size = 0
    while size < nbytes:
        line = _LINES[rng.randrange(len(_LINES))]
        out.append(line)
        size += len(line) + 4
    return "<br>".join(out)


def attachment(rng: random.Random) -> str:
    label, href = rng.choice(
        [
            (
                "Фотография",
                "https://sun9-{n}.userapi.com/impg/{h}.jpg?size=1280x960&amp;quality=95&amp;sign={s}&amp;type=album",
            ),
            ("Ссылка", "https://example.org/article/{h}?utm_source=vk&amp;sign={s}"),
            ("Видеозапись", "https://vk.com/video-1_{n}"),
            ("Аудиозапись", "https://vk.com/audio1_{n}"),
        ]
    )
    h = f"{rng.getrandbits(128):032x}"
    s = f"{rng.getrandbits(256):064x}"
    url = href.format(n=rng.randint(1, 99), h=h, s=s)
    return (
        f'<div class="attachment"><div class="attachment__description">{label}</div>'
        f"<a class='attachment__link' href='{url}'>{url}</a></div>"
    )


def post(rng: random.Random, pid: int, nbytes: int) -> str:
    d = f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2008, 2025)} в {rng.randint(0, 23)}:{rng.randint(0, 59):02d}"
    atts = "".join(attachment(rng) for _ in range(rng.randint(0, 3)))
    own = text(rng, nbytes if rng.random() > 0.2 else nbytes // 4)
    repost = ""
    if pid % 5 == 0:
        src = rng.randint(1, 10**8)
        repost = (
            f'<div class="item__main"><div class="item__tertiary"><a href="https://vk.com/club{src}">Сообщество '
            f'{src}</a> {d}</div><div>{text(rng, nbytes // 2)}</div><a class="post__link" '
            f'href="https://vk.com/wall-{src}_{pid}">https://vk.com/wall-{src}_{pid}</a></div>'
        )
    return (
        f'<div class="item"><div class="item__main"><div>{own}<div class="kludges">{atts}</div></div>{repost}'
        f'</div><div class="item__tertiary"><span>Вы {d}</span> <a class="post__link" '
        f'href="https://vk.com/wall{OWNER}_{pid}">https://vk.com/wall{OWNER}_{pid}</a></div></div>\n'
    )


def generate(root: Path, posts: int, post_bytes: int, per_page: int, seed: int = 1) -> int:
    """Write the archive under ``root``; returns the number of bytes of HTML written."""
    rng = random.Random(seed)
    (root / "wall").mkdir(parents=True)
    (root / "index.html").write_bytes((HEAD + "<div>Архив</div>" + TAIL).encode("cp1251"))
    (root / "style.css").write_text("body{}\n")
    total = 0
    pid = 0
    page = 0
    while pid < posts:
        chunk = [HEAD]
        for _ in range(min(per_page, posts - pid)):
            pid += 1
            chunk.append(post(rng, pid, rng.randint(post_bytes // 2, post_bytes * 3 // 2)))
        chunk.append(TAIL)
        data = "".join(chunk).encode("cp1251")
        (root / "wall" / f"wall{page}.html").write_bytes(data)
        total += len(data)
        page += 1
    return total


SRC = Path(__file__).resolve().parents[1] / "src"


def run_import(path: Path, db: Path) -> tuple[float, float, float, float, str, int]:
    """Wall seconds, CPU seconds (the import and its worker processes), peak RSS of the largest
    process, peak of the sum over the process and its workers (sampled every 0.1 s), output, exit code."""
    # the code of this checkout, whatever the virtual environment's editable install points at
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH")) if p)}
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "repostguard", "import", str(path), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    tree = TreeRss(proc.pid, every=0.1)
    _pid, status, usage = os.wait4(proc.pid, 0)
    peak_mb = tree.stop()
    secs = time.perf_counter() - t0
    out = (proc.stdout.read() if proc.stdout else "") + (proc.stderr.read() if proc.stderr else "")
    cpu = usage.ru_utime + usage.ru_stime  # includes the workers: the import waited for them
    return secs, cpu, usage.ru_maxrss / 1024, peak_mb, out.strip(), os.waitstatus_to_exitcode(status)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--posts", type=int, default=50_000)
    ap.add_argument("--post-bytes", type=int, default=20_000, help="average bytes of text per post")
    ap.add_argument("--per-page", type=int, default=50)
    ap.add_argument("--zip", action="store_true", help="import a ZIP of the archive instead of the folder")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="rg-bench-vk-"))
    try:
        t0 = time.perf_counter()
        arch = tmp / "Archive"
        size = generate(arch, args.posts, args.post_bytes, args.per_page)
        target: Path = arch
        if args.zip:
            target = tmp / "archive.zip"
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
                for f in sorted(arch.rglob("*")):
                    zf.write(f, "Archive/" + f.relative_to(arch).as_posix())
            shutil.rmtree(arch)
        print(
            f"generated {args.posts} posts, {size / 1024**2:.0f} MB of HTML in {time.perf_counter() - t0:.1f} s"
            + (f" (ZIP {target.stat().st_size / 1024**2:.0f} MB)" if args.zip else "")
        )
        # a person's archive has long been on disk when they import it: without this, the system
        # writes the 1 GB just generated back to disk during the timed import (after 30 s by default)
        t0 = time.perf_counter()
        if hasattr(os, "sync"):
            os.sync()
        print(f"written to disk in {time.perf_counter() - t0:.1f} s (before the timed import)")
        secs, cpu, rss, rss_sum, out, code = run_import(target, tmp / "bench.sqlite")
        print(out)
        if code != 0:
            sys.exit(f"import failed with exit code {code}")
        peak = max(rss, rss_sum)
        print(
            f"import: {args.posts} records in {secs:.1f} s = {args.posts / secs:.0f} records/s "
            f"({size / 1024**2 / secs:.0f} MB/s of HTML); CPU {cpu:.1f} s (with the worker processes) = "
            f"{args.posts / cpu:.0f} records per CPU-second; peak RSS {rss:.0f} MB (largest process), "
            f"{rss_sum:.0f} MB (import and workers together, sampled); "
            f"store {(tmp / 'bench.sqlite').stat().st_size / 1024**2:.0f} MB"
        )
        print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(
            "targets: >= 2000 records/s, < 500 MB peak RSS (all processes):",
            "met" if args.posts / secs >= 2000 and peak < 500 else "NOT met",
        )
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
