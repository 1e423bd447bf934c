"""Benchmark of `repostguard scan` on a synthetic history of text items against the full list.

Generates a seeded synthetic history (generic items format) of N text items — ordinary posts,
links, audio records, reposts, and about 1 % of items that quote or link list entries — then
runs the real CLI in a subprocess, once with a cold index cache and once warm, and prints
items/s and the peak RSS of each run (from wait4's rusage). The scan process is pinned to one
CPU (sched_setaffinity), so items/s is what one core does.

    .venv/bin/python bench/bench_scan.py [--items 100000] [--fsm ../shared/data/fsm/exportfsm-2025-07-09.csv]
                                         [--lists fsm|every|both] [--rounds 3]

Targets (issue 2): at least 5,000 items/s, peak memory under 500 MB. Issue 23: with ``--lists every`` at least
1/1.15 of the items per CPU-second of ``--lists fsm``; ``--lists both`` runs the two in turn on the same core,
``--rounds`` times after a cold run of each, and prints each round's ratio and their median.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_FSM = HERE.parent.parent / "shared" / "data" / "fsm" / "exportfsm-2025-07-09.csv"

WORDS = (
    "жизнь человек время дело день рука раз работа слово место лицо друг глаз вопрос дом сторона страна мир "
    "случай голова ребенок сила конец вид система часть город отношение женщина деньги земля машина вода "
    "отец проблема час право нога решение дверь образ история власть закон война бог голос тысяча книга "
    "возможность результат ночь стол имя область статья число компания народ жена группа развитие процесс "
    "суд условие средство начало свет пора путь душа уровень форма связь минута улица вечер качество мысль "
    "дорога мать действие месяц государство язык любовь взгляд мама век школа цель общество деятельность "
    "хороший новый первый последний большой длинный великий маленький молодой старый русский настоящий "
    "говорить сказать знать стать мочь хотеть видеть идти думать понимать любить смотреть работать жить "
    "очень уже только ещё тоже всегда сегодня здесь там потом снова вдруг почти совсем просто конечно"
).split()
ARTISTS = ["Кино", "Земфира", "Аквариум", "Сплин", "Мумий Тролль", "ДДТ", "Алиса", "Би-2", "Ленинград"]


def sentence(rng: random.Random, n: int) -> str:
    ws = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(ws).capitalize() + rng.choice([".", "!", "?", "...", " )))"])


def generate(path: Path, n: int, quotes: list[str], urls: list[str], seed: int = 7) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            r = rng.random()
            item: dict[str, object] = {"id": f"b{i}", "platform": "generic",
                                       "date": f"20{rng.randint(12, 25):02d}-0{rng.randint(1, 9)}"
                                               f"-1{rng.randint(0, 9)}T12:00:00+03:00"}
            if r < 0.006 and quotes:
                item.update(kind="post", text=f"{sentence(rng, 4)} «{rng.choice(quotes)}»")
            elif r < 0.01 and urls:
                item.update(kind="post", text=f"{sentence(rng, 3)} {rng.choice(urls)}")
            elif r < 0.06:
                item.update(kind="post", text=sentence(rng, 6),
                            attachments=[{"type": "link", "url": f"https://vk.com/id{rng.randint(1, 10**9)}"}])
            elif r < 0.11:
                item.update(kind="audio", text="", attachments=[{"type": "audio", "artist": rng.choice(ARTISTS),
                                                                 "title": sentence(rng, 3)}])
            elif r < 0.15:
                item.update(kind="repost", text=sentence(rng, 20),
                            reposted_from={"name": "Сообщество", "url": f"https://vk.com/club{rng.randint(1, 10**8)}"})
            else:
                k = rng.choice([5, 10, 20, 40, 80])
                item.update(kind=rng.choice(["post", "comment"]),
                            text=" ".join(sentence(rng, 8) for _ in range(k // 8 + 1)))
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    t0 = time.perf_counter()
    # pinned to one CPU: the figure is what one core does, even if a stage uses a helper thread
    cpu = min(os.sched_getaffinity(0))
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         preexec_fn=lambda: os.sched_setaffinity(0, {cpu}))
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    out = (p.stdout.read() if p.stdout else "") + (p.stderr.read() if p.stderr else "")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"scan failed: {out}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, out.strip()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--fsm", type=Path, default=DEFAULT_FSM)
    ap.add_argument("--lists", choices=("fsm", "every", "both"), default="fsm",
                    help="fsm: the FSM list alone (no organisation list, not even the package's snapshots); "
                         "every: the FSM, the three organisation lists and the sites list installed from ../shared; "
                         "both: the two in turn, --rounds times, and the ratio of their CPU time")
    ap.add_argument("--rounds", type=int, default=3, help="with --lists both: rounds of the two warm scans")
    args = ap.parse_args()
    if not args.fsm.exists():
        sys.exit(f"{args.fsm}: not found (pass --fsm FILE)")
    sys.path.insert(0, str(HERE.parent / "src"))
    from repostguard.banks.fsm import parse_fsm
    from repostguard.matchers.quotes import extract_quotes
    from repostguard.matchers.urls import find_urls

    lst = parse_fsm(args.fsm)
    quotes = [q for e in lst.active[::7] for q, _ in extract_quotes(e.text) if len(q.split()) >= 4][:400]
    urls = [u for e in lst.active[::5] for u in find_urls(e.text, repair=True) if "/" in u][:200]
    exe = str(Path(sys.executable).with_name("repostguard"))
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        items = t / "items.jsonl"
        t0 = time.perf_counter()
        generate(items, args.items, quotes, urls)
        print(f"generated {args.items} items ({items.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
        modes = ("fsm", "every") if args.lists == "both" else (args.lists,)
        setups = {m: _setup(m, t, exe, args.fsm) for m in modes}
        print(f"lists: {args.lists}")
        print(f"load average before the runs: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
              f"(other work on the machine slows the wall-clock figure, not the CPU-second one)")

        def scan(mode: str, label: str) -> float:
            scan_cmd, env = setups[mode]
            db = t / f"{mode}-{label[:4]}.sqlite"
            db.unlink(missing_ok=True)
            wall, cpu, rss, out = run([*scan_cmd, "scan", str(items), "--fsm", str(args.fsm), "--db", str(db),
                                       "--json", str(t / "f.json"), "--no-ocr", "-q"], env)
            print(f"{mode} {label}: {args.items / wall:,.0f} items/s by wall clock ({wall:.1f} s, import + match + "
                  f"write), {args.items / cpu:,.0f} items per CPU-second ({cpu:.1f} s CPU), peak RSS {rss:.0f} MB")
            print(f"  {out.splitlines()[0]}")
            return cpu

        for mode in modes:
            scan(mode, "cold (list index built)")
        if args.lists != "both":
            scan(modes[0], "warm (list index cached)")
            return
        # issue 23: the two scans in turn on the same core, several rounds, so that the machine's drift
        # falls on both; each round's ratio of CPU seconds, and their median
        ratios = []
        for r in range(args.rounds):
            fsm_cpu = scan("fsm", f"warm, round {r + 1}")
            every_cpu = scan("every", f"warm, round {r + 1}")
            ratios.append(every_cpu / fsm_cpu)
            print(f"round {r + 1}: every list / FSM alone = {ratios[-1]:.3f}")
        print(f"every list / FSM alone, {args.rounds} rounds: median {statistics.median(ratios):.3f}, "
              f"range {min(ratios):.3f}-{max(ratios):.3f} (issue 23: at most 1.15)")


def _setup(mode: str, t: Path, exe: str, fsm: Path) -> tuple[list[str], dict[str, str]]:
    """The scan command and environment of ``mode``: the FSM list alone, or every list installed (each in its
    own home, so each keeps its own index cache)."""
    env = dict(os.environ, REPOSTGUARD_HOME=str(t / f"home-{mode}"))
    if mode == "fsm":
        # the FSM matcher alone: the scan's other matchers (the organisation lists' packaged snapshots, the
        # statements, the symbols) are taken out of the pipeline in the benchmark's own process
        return [sys.executable, "-c", "import sys; import repostguard.pipeline.scan as s; "
                "s.EXTRA_MATCHERS[:] = []; from repostguard.cli import main; "
                "sys.argv[0] = 'repostguard'; main()"], env
    lists = fsm.parent.parent / "lists"
    for kind, name in (("extremist", "extremist-orgs"), ("terrorist", "terrorist-orgs"),
                       ("undesirable", "undesirable-orgs"), ("sites", "banned-sites")):
        subprocess.run([exe, "lists", "update", "--list", kind, "--from", str(lists / f"{name}.json")],
                       env=env, check=True, stdout=subprocess.DEVNULL)
    return [exe], env

if __name__ == "__main__":
    main()
