"""Our own negative set (issue 23): at least 20,000 ordinary Russian texts, and what every list says of them.

    .venv/bin/python bench/negset.py build OUT_DIR [--ruslit /work/ruslit/data/RusLit] [--seed 23]
    .venv/bin/python bench/negset.py run OUT_DIR [--shared ../shared] [--show 80]
    .venv/bin/python bench/negset.py dev FINDINGS_JSON [--shared ../shared]

``build`` writes ``OUT_DIR/items.jsonl`` in the generic items format from public-domain literature (the
RusLit collection, see bench/negatives/README.md), the proverbs and the everyday posts written for this
set (bench/negatives/*.txt). ``run`` installs every list into a temporary home (the FSM, the three
organisation lists, the sites list), scans the set and prints, per list, negatives per 1,000 with a
distribution or indicator finding and with any finding, then the findings themselves. ``dev`` prints the
same two rates per list for the negatives of the dev set (a findings JSON of a scan of it), which
``../shared/bench/score.py`` does not count for the banks other than the FSM.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "negatives"
REPO = HERE.parent
SERIOUS = ("distribution", "indicator")

CITIES = ["Твери", "Калуге", "Самаре", "Перми", "Омске", "Уфе", "Туле", "Кирове", "Вологде", "Пскове"]
CITY_NOM = ["Тверь", "Калуга", "Самара", "Пермь", "Омск", "Уфа", "Тула", "Киров", "Вологда", "Псков"]
NAMES = ["Аня", "Марина", "Светлана Петровна", "Игорь", "Серёжа", "Наташа", "Ольга", "Дима", "Лена", "Саша"]
DISHES = ["курица с картошкой", "сырники", "плов", "окрошка", "голубцы", "пельмени", "шарлотка", "уха"]
TEAMS = ["Наши", "Ребята", "Динамовцы", "Железнодорожники", "Волжане"]
SENT = re.compile(r"(?<=[.!?…])\s+(?=[А-ЯЁA-Z«—-])")


def _fill(tpl: str, rng: random.Random) -> str:
    site = rng.choice([
        f"https://www.youtube.com/watch?v={''.join(rng.choice('abcdefghijkXYZ0123456789_-') for _ in range(11))}",
        f"https://vk.com/wall-{rng.randint(10**6, 10**9)}_{rng.randint(1, 99999)}",
        f"https://ok.ru/video/{rng.randint(10**11, 10**12)}",
        f"https://dzen.ru/a/{''.join(rng.choice('abcdefghijk0123456789') for _ in range(16))}",
        f"https://rutube.ru/video/{''.join(rng.choice('0123456789abcdef') for _ in range(32))}/",
        f"https://t.me/{rng.choice(['kotiki', 'recepty_doma', 'dacha_sad', 'news_city'])}{rng.randint(1, 999)}/"
        f"{rng.randint(1, 9999)}",
        f"https://www.ozon.ru/product/{rng.randint(10**8, 10**9)}/",
    ])
    return tpl.format(
        name=rng.choice(NAMES), city=rng.choice(CITIES), n=rng.randint(2, 60),
        price=f"{rng.randint(1, 90) * 500:,}".replace(",", " "),
        phone=f"+7 9{rng.randint(10, 99)} {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
        date=f"{rng.randint(1, 28)}.{rng.randint(1, 12):02d}", year=rng.randint(1975, 2025),
        site=site, dish=rng.choice(DISHES), team=rng.choice(TEAMS))


def _lines(name: str) -> list[str]:
    return [x.strip() for x in (DATA / name).read_text(encoding="utf-8").splitlines() if x.strip()]


def _passages(root: Path, rng: random.Random, want: int) -> list[tuple[str, str]]:
    """Passages of 1-5 sentences (prose, essays) or 2-8 lines (poems), at most 150 per work, spread over works."""
    per_work: list[list[tuple[str, str]]] = []
    for path in sorted(root.rglob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        src = f"{path.parent.parent.name}/{path.parent.name}/{path.stem}"
        got: list[tuple[str, str]] = []
        if path.parts[-3] == "poems":
            lines = [x.strip() for x in text.splitlines() if x.strip()]
            i = 8
            while i < len(lines) - 8:
                k = rng.randint(2, 8)
                got.append((src, "\n".join(lines[i:i + k])))
                i += k + rng.randint(2, 12)
        else:
            paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n(?=\s{2,})", text)]
            sents = [s for p in paras[3:] for s in SENT.split(p) if 15 <= len(s) <= 400]
            i = 0
            while i < len(sents):
                k = rng.randint(1, 5)
                chunk = " ".join(sents[i:i + k])
                if 30 <= len(chunk) <= 700:
                    got.append((src, chunk))
                i += k + rng.randint(1, 12)
        rng.shuffle(got)
        per_work.append(got[:150])
    out: list[tuple[str, str]] = []
    while len(out) < want and any(per_work):
        for w in per_work:
            if w and len(out) < want:
                out.append(w.pop())
    return out


def build(out: Path, ruslit: Path, seed: int) -> int:
    rng = random.Random(seed)
    if not ruslit.is_dir():
        sys.exit(f"{ruslit}: the RusLit collection is not there (see bench/negatives/README.md)")
    proverbs, posts, comms, bands = (_lines(n) for n in ("proverbs.txt", "posts.txt", "communities.txt",
                                                         "bands.txt"))
    lit = _passages(ruslit, rng, 14_500)
    items: list[dict[str, object]] = []

    def add(origin: str, **kw: object) -> None:
        y = rng.randint(2011, 2025)
        items.append({"id": f"neg-{len(items)}", "platform": "generic", "origin": origin,
                      "date": f"{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:"
                              f"{rng.randint(0, 59):02d}:00+03:00", **kw})

    for src, text in lit:
        add(f"lit:{src}", kind=rng.choice(["post", "post", "comment"]), text=text)
    for p in proverbs:
        add("proverb", kind="post", text=p)
    for _ in range(1200):
        p = rng.choice(proverbs)
        add("proverb", kind=rng.choice(["post", "comment"]), text=rng.choice([
            f"{p} Вот и я так думаю.", f"Как говорила моя бабушка: «{p}»", f"{p} 😊", f"«{p}» — это про нас.",
            f"Сегодня опять убедилась: {p[0].lower()}{p[1:]}"]))
    for _ in range(3000):
        add("post", kind=rng.choice(["post", "post", "comment"]), text=_fill(rng.choice(posts), rng))
    for _ in range(1000):
        name = _fill(rng.choice(comms), rng)
        body = rng.choice(lit)[1] if rng.random() < 0.6 else _fill(rng.choice(posts), rng)
        add("repost", kind="repost", text=body,
            reposted_from={"name": name, "url": f"https://vk.com/public{rng.randint(10**5, 10**9)}"})
    for _ in range(1000):
        words = rng.choice(lit)[1].split()
        j = rng.randrange(max(1, len(words) - 5))
        title = " ".join(words[j:j + rng.randint(2, 5)]).strip(",.;:!?—«»\"")
        add("audio", kind="audio", text="", attachments=[{"type": "audio", "artist": rng.choice(bands),
                                                          "title": title, "duration": rng.randint(120, 360)}])
    for _ in range(500):
        words = rng.choice(lit)[1].split()
        j = rng.randrange(max(1, len(words) - 6))
        title = " ".join(words[j:j + rng.randint(2, 6)]).strip(",.;:!?—«»\"")
        title = rng.choice([title, f"{title}.mp4", f"{title} (видео)", title.upper()])
        add("video", kind="video", text="", attachments=[{
            "type": "video", "title": title,
            "extra": {"id": f"video{rng.randint(10**5, 10**9)}_{rng.randint(10**5, 10**9)}"}}])
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "items.jsonl", "w", encoding="utf-8") as fh:
        for it in items:
            fh.write(json.dumps(it, ensure_ascii=False) + "\n")
    print(f"{len(items)} items written to {out / 'items.jsonl'} "
          f"({dict(Counter(str(i['origin']).split(':')[0] for i in items))})")
    return len(items)


def _rates(findings: list[dict[str, object]], ids: set[str], n: int) -> list[str]:
    by_bank: dict[str, set[str]] = defaultdict(set)
    serious: dict[str, set[str]] = defaultdict(set)
    for f in findings:
        iid = str(f["item"])
        if iid not in ids:
            continue
        by_bank[str(f["bank"])].add(iid)
        by_bank["every list"].add(iid)
        if f.get("level") in SERIOUS:
            serious[str(f["bank"])].add(iid)
            serious["every list"].add(iid)
    rows = [f"{'list':14s} {'dist/indicator':>16s} {'any':>10s}   (per 1,000 of {n} negatives)"]
    for bank in sorted(set(by_bank) | {"every list"}, key=lambda b: (b == "every list", b)):
        rows.append(f"{bank:14s} {1000 * len(serious[bank]) / n:16.2f} {1000 * len(by_bank[bank]) / n:10.2f}")
    return rows


def _load(path: Path) -> list[dict[str, object]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return list(data.get("findings", []) if isinstance(data, dict) else data)


def run(out: Path, shared: Path, show: int) -> None:
    exe = str(REPO / ".venv" / "bin" / "repostguard")
    items = out / "items.jsonl"
    recs = {json.loads(x)["id"]: json.loads(x) for x in items.read_text(encoding="utf-8").splitlines()}
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, REPOSTGUARD_HOME=home, REPOSTGUARD_LANG="en")
        lists = [("fsm", shared / "data/fsm/exportfsm-2025-07-09.csv")] + [
            (k, shared / f"data/lists/{f}") for k, f in (("extremist", "extremist-orgs.json"),
                                                        ("terrorist", "terrorist-orgs.json"),
                                                        ("undesirable", "undesirable-orgs.json"),
                                                        ("sites", "banned-sites.json"))]
        for name, path in lists:
            subprocess.run([exe, "lists", "update", "--list", name, "--from", str(path)], env=env, check=True,
                           stdout=subprocess.DEVNULL)
        js = Path(home) / "f.json"
        subprocess.run([exe, "scan", str(items), "--db", str(Path(home) / "w.sqlite"), "--json", str(js),
                        "--no-ocr", "-q"], env=env, check=True)
        findings = _load(js)
    print("\n".join(_rates(findings, set(recs), len(recs))))
    by_origin: Counter[str] = Counter()
    shown = 0
    for f in sorted(findings, key=lambda f: (str(f["bank"]), str(f["level"]), str(f["item"]))):
        rec = recs.get(str(f["item"]), {})
        by_origin[str(rec.get("origin", "?")).split(":")[0]] += 1
        if shown < show:
            ev = f.get("evidence") or {}
            shown += 1
            print(f"- {f['item']} [{rec.get('origin')}] {f['bank']}:{f['entry']} {f['level']} {f.get('signal')}: "
                  f"{str(ev.get('text', ''))[:140]!r}" if isinstance(ev, dict) else "")
    print("findings by origin:", dict(by_origin))


def dev(findings_json: Path, shared: Path) -> None:
    truth = json.loads((shared / "bench/dev/truth.json").read_text(encoding="utf-8"))
    negs = set(truth["negatives"])
    print("\n".join(_rates(_load(findings_json), negs, len(negs))))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("out", type=Path)
    b.add_argument("--ruslit", type=Path, default=Path("/work/ruslit/data/RusLit"))
    b.add_argument("--seed", type=int, default=23)
    r = sub.add_parser("run")
    r.add_argument("out", type=Path)
    r.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    r.add_argument("--show", type=int, default=80)
    d = sub.add_parser("dev")
    d.add_argument("findings", type=Path)
    d.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    a = ap.parse_args()
    if a.cmd == "build":
        build(a.out, a.ruslit, a.seed)
    elif a.cmd == "run":
        run(a.out, a.shared, a.show)
    else:
        dev(a.findings, a.shared)


if __name__ == "__main__":
    main()
