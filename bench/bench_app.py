"""Benchmark of the app (issue 20): the start screen to the first findings, progress on a large archive,
and the check box, all over HTTP against ``repostguard app --no-browser`` in a subprocess.

Usage::

    .venv/bin/python bench/bench_app.py [--items 100000] [--fsm ../shared/data/fsm/exportfsm-2025-07-09.csv]
                                        [--skip-large]

A temporary ``REPOSTGUARD_HOME`` and workspace; the demo list is installed (``repostguard.cli.demo``).

(a) the demo history: GET the start screen, upload the history through ``POST /upload`` (as
    ``start.js`` sends the file input's file), poll ``GET /job`` until it is done, GET the review page
    (the first findings). Target: under 10 s.
(c) the check box over HTTP, with the demo list: a pasted text (``POST /check?part=1``, under 1 s) and a
    picture with a listed quote (``POST /check/picture``, under 2 s); the first of each (the checker is
    built, the OCR engine started) is printed apart from the rest ("once the app is running").
(b) the real list is installed through ``POST /lists/install`` (when ``--fsm`` exists; else the demo list
    stays), a pasted text is checked again (the checker is rebuilt for the new list), then a generated
    archive of ``--items`` generic JSON lines (bench/bench_scan.py's generator) is uploaded and
    ``GET /job`` is polled every 100 ms while it runs: how often the progress (stage, done) changes
    (target: at least once a second, i.e. no gap over 1 s), and the status endpoint's and the start
    screen's response times (the page stays responsive).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests" / "media"))
sys.path.insert(0, str(HERE))

DEFAULT_FSM = ROOT.parent / "shared" / "data" / "fsm" / "exportfsm-2025-07-09.csv"
QUOTE = "Вспомнилось: Мы пришли из страны, которой нет…"  # the demo list's entry 5
ORDINARY = "С Новым годом! Всем тепла и солнечной погоды, и пусть этот год будет добрым."


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


class Client:
    """Requests to the app as its page makes them: the token in the path, the page's Origin."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = str(parts.hostname), int(parts.port or 80)
        self.base = "/" + parts.path.strip("/").split("/")[0]
        self.origin = f"http://{self.host}:{self.port}"

    def request(self, method: str, path: str, body: Any = None, ctype: str | None = None,
                length: int | None = None) -> tuple[int, bytes, float]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=600)
        headers = {"Origin": self.origin} if method == "POST" else {}
        if ctype:
            headers["Content-Type"] = ctype
        if length is not None:
            headers["Content-Length"] = str(length)
        t0 = time.perf_counter()
        conn.request(method, self.base + path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        took = time.perf_counter() - t0
        conn.close()
        return resp.status, data, took

    def job(self) -> tuple[dict[str, Any], float]:
        status, data, took = self.request("GET", "/job")
        assert status == 200, status
        return json.loads(data), took

    def upload(self, path: Path, endpoint: str = "/upload?name=") -> dict[str, Any]:
        with path.open("rb") as fh:
            status, data, _ = self.request("POST", f"{endpoint}{path.name}", fh, "application/octet-stream",
                                           path.stat().st_size)
        if status != 200:
            sys.exit(f"upload of {path.name} refused ({status}): {data.decode()[:300]}")
        return dict(json.loads(data))

    def wait(self, interval: float = 0.05, timeout: float = 3600) -> dict[str, Any]:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            snap, _ = self.job()
            if snap["state"] != "running":
                return snap
            time.sleep(interval)
        sys.exit("the job did not finish")


def start_app(home: Path, db: Path) -> tuple[subprocess.Popen[str], Client]:
    proc = subprocess.Popen([sys.executable, "-m", "repostguard", "app", "--no-browser", "--db", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, REPOSTGUARD_HOME=str(home)))
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line.startswith("http://127.0.0.1:"):
        proc.kill()
        sys.exit(f"the app did not start: {line} {proc.stderr.read() if proc.stderr else ''}")
    client = Client(line)
    for _ in range(200):
        try:
            client.request("GET", "/start")
            break
        except OSError:
            time.sleep(0.05)
    return proc, client


def bench_demo(client: Client, hist: Path) -> None:
    t0 = time.perf_counter()
    status, _, _ = client.request("GET", "/start")
    assert status == 200
    client.upload(hist)
    snap = client.wait()
    status, page, _ = client.request("GET", "/")
    took = time.perf_counter() - t0
    cards = page.decode().count('class="card ')
    ok = snap["state"] == "done" and status == 200 and cards > 0 and took < 10
    print(f"(a) demo history: start screen -> first findings in {took:.2f} s "
          f"({snap['result'].get('items')} items, {cards} findings on the first page; target < 10 s): {verdict(ok)}")


def _times(client: Client, send: Any, n: int) -> tuple[float, list[float], str]:
    first_status, first_body, first = send()
    rest = []
    for _ in range(n):
        status, body, took = send()
        assert status == 200, (status, body[:300])
        rest.append(took)
    assert first_status == 200, (first_status, first_body[:300])
    return first, rest, body.decode()


def bench_check(client: Client, tmp: Path, n: int, *, pictures: bool = True, label: str = "demo list",
                quote: str = QUOTE, entry: str = "5") -> None:
    form = urlencode({"text": quote, "kind": "post"})

    def text() -> tuple[int, bytes, float]:
        return client.request("POST", "/check?part=1", form, "application/x-www-form-urlencoded")

    first, rest, body = _times(client, text, n)
    named = f"запись № {entry}" in body
    worst = max(rest)
    print(f"(c) check box, pasted text ({label}): first {first * 1000:.0f} ms (checker built), then "
          f"median {statistics.median(rest) * 1000:.1f} ms, max {worst * 1000:.1f} ms over {n}; quote named: "
          f"{named} (target < 1 s): {verdict(worst < 1 and named)}")
    if not pictures:
        return
    import synth

    pic = tmp / "check-pic.jpg"
    synth.meme(random.Random(3), 800, 700, ["ВЫМЫСЕЛ СИЛЬНЕЕ", "ПРАВДЫ"], "band").save(pic, quality=88)
    data = pic.read_bytes()

    def picture() -> tuple[int, bytes, float]:
        return client.request("POST", "/check/picture?name=check-pic.jpg", data, "application/octet-stream")

    first, rest, body = _times(client, picture, max(3, n // 4))
    named = "запись № 7" in body
    worst = max(rest)
    print(f"(c) check box, dropped picture 800x700 ({label}): first {first * 1000:.0f} ms (OCR engine started), "
          f"then median {statistics.median(rest) * 1000:.0f} ms, max {worst * 1000:.0f} ms over {len(rest)}; "
          f"quote named: {named} (target < 2 s): {verdict(worst < 2 and named)}")


def bench_large(client: Client, tmp: Path, items: int, fsm: Path | None) -> None:
    from bench_scan import generate

    quotes: list[str] = []
    if fsm is not None:
        from repostguard.banks.fsm import parse_fsm
        from repostguard.matchers.quotes import extract_quotes

        lst = parse_fsm(fsm)
        quotes = [q for e in lst.active[::7] for q, _ in extract_quotes(e.text) if len(q.split()) >= 4][:400]
    archive = tmp / "large-history.jsonl"
    generate(archive, items, quotes, [])
    print(f"(b) generated {items:,} items ({archive.stat().st_size / 1e6:.0f} MB)")
    t0 = time.perf_counter()
    client.upload(archive)
    uploaded = time.perf_counter() - t0
    samples: list[tuple[float, str, int, str]] = []
    status_times: list[float] = []
    page_times: list[float] = []
    stop = threading.Event()

    def reload_page() -> None:  # the whole start screen, as a reload draws it, every 2 s, beside the polls
        while not stop.is_set():
            page_times.append(client.request("GET", "/start")[2])
            stop.wait(2.0)

    reloader = threading.Thread(target=reload_page, daemon=True)
    reloader.start()
    while True:
        snap, took = client.job()
        now = time.monotonic()
        status_times.append(took)
        samples.append((now, snap["stage"], int(snap["done"]), snap["state"]))
        if snap["state"] != "running":
            break
        time.sleep(max(0.0, 0.1 - (time.monotonic() - now)))
    stop.set()
    reloader.join()
    total = time.perf_counter() - t0
    changes = [(samples[0][0], samples[0][1])]
    stages: dict[str, float] = {}
    for prev, cur in zip(samples, samples[1:], strict=False):
        if (cur[1], cur[2]) != (prev[1], prev[2]):
            changes.append((cur[0], cur[1]))
        stages.setdefault(cur[1], cur[0] - samples[0][0])
    changes.append((samples[-1][0], samples[-1][1]))
    gaps = [(b[0] - a[0], a[1]) for a, b in zip(changes, changes[1:], strict=False)]
    longest, where = max(gaps) if gaps else (0.0, "")
    running = samples[-1][0] - samples[0][0]
    per_s = (len(changes) - 2) / running if running > 0 else 0.0
    print(f"(b) job {samples[-1][3]} in {total:.1f} s (upload {uploaded:.1f} s); {len(samples)} polls every 100 ms; "
          f"progress changed {len(changes) - 2} times ({per_s:.1f}/s), longest gap without a change "
          f"{longest:.2f} s, in stage {where!r} (target <= 1 s): {verdict(longest <= 1.0)}")
    print(f"    stages seen (s after the upload): {', '.join(f'{k} {v:.1f}' for k, v in stages.items())}")
    st = sorted(status_times)
    p95 = st[int(0.95 * (len(st) - 1))]
    print(f"(b) GET /job while running: median {statistics.median(st) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
          f"max {st[-1] * 1000:.1f} ms (target: max < 250 ms): {verdict(st[-1] < 0.25)}")
    if page_times:
        print(f"(b) GET /start while running: median {statistics.median(page_times) * 1000:.0f} ms, "
              f"max {max(page_times) * 1000:.0f} ms over {len(page_times)} (target: max < 1 s): "
              f"{verdict(max(page_times) < 1)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--fsm", type=Path, default=DEFAULT_FSM)
    ap.add_argument("--checks", type=int, default=20)
    ap.add_argument("--skip-large", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-app-") as name:
        tmp = Path(name)
        home = tmp / "home"
        os.environ["REPOSTGUARD_HOME"] = str(home)
        from repostguard.banks.registry import update_lists
        from repostguard.cli.demo import write_demo_files

        lst, hist = write_demo_files(tmp / "demo")
        update_lists("fsm", from_file=lst)
        proc, client = start_app(home, tmp / "ws" / "workspace.sqlite")
        try:
            print(f"app at 127.0.0.1:{client.port}; load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
            bench_demo(client, hist)
            bench_check(client, tmp, args.checks)
            fsm = args.fsm if args.fsm.exists() else None
            if fsm is not None:
                client.upload(fsm, "/lists/install?list=fsm&name=")
                snap = client.wait(0.2)
                print(f"    real list installed through the page ({fsm.name}): {snap['state']}")
                from bench_check import quotes_of

                entry, quote = quotes_of(fsm, random.Random(7), 1)[0]
                bench_check(client, tmp, args.checks, pictures=False, label=fsm.name,
                            quote=f"Вот что я нашёл: «{quote}». Что думаете?", entry=entry)
            else:
                print(f"    {args.fsm}: not found; the large archive is checked against the demo list")
            if not args.skip_large:
                bench_large(client, tmp, args.items, fsm)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main()
