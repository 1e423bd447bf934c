"""Benchmark of importing and scanning a VK «Архив данных» with the real importer (issue 18).

Generates, in a temporary folder deleted afterwards (unless ``--keep``), seeded synthetic VK
archives written by ``tests/fakes/vk_archive.py`` (the markup of a real archive, windows-1251,
50 records a page) with invented Russian text whose record sizes follow a real archive's spread
(log-normal, median about 620 bytes of HTML per record, a few posts of several KB, tiny likes and
audio records), and prints the median, p10 and p90 of the record sizes generated. About 0.5 % of
the text records quote or link an entry of the list, so the scan writes findings. Generation is
not timed.

The real CLI runs in subprocesses (``python -m repostguard``) against a temporary data dir
(``REPOSTGUARD_HOME``) where the FSM list is installed with ``lists update --list fsm --from``; a
warm-up scan of the small fixture archive builds the list's index cache before anything is timed.
Scans run as a user runs them (the picture stage on: the archive has no picture files, so it only
looks for them; ``--no-ocr`` turns it off). Times are wall clock; peak RSS is wait4's ru_maxrss of
the timed process (and the /proc-sampled sum of its process tree, if larger).

    .venv/bin/python bench/bench_import_vk.py [--case {import,archive,messages,all}] [--records 100000]
        [--messages 1000000] [--fsm ../shared/data/fsm/exportfsm-2025-07-09.csv] [--no-ocr] [--keep]

Cases and targets:

* ``import``: ``repostguard import`` of a mixed archive of ``--records`` records, the process pinned
  to one CPU: at least 10,000 records/s.
* ``archive``: the same archive (wall posts and reposts, comments, photos, videos, audio, likes,
  bookmarks, messages…) imported and scanned by ``repostguard scan ARCHIVE`` (2 cores): under
  30 s. Also timed apart: ``import`` alone, and ``scan`` of the stored items alone.
* ``messages``: an archive of ``--messages`` messages, a third of them the person's own (only those
  are imported), imported and scanned by ``scan ARCHIVE`` on 2 cores: under 3 minutes, peak memory
  under 1 GB.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from treerss import TreeRss

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_FSM = ROOT.parent / "shared" / "data" / "fsm" / "exportfsm-2025-07-09.csv"
FIXTURE = ROOT / "tests" / "fixtures" / "vk" / "archive_ru"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
from tests.fakes.vk_archive import (  # noqa: E402
    VkArchive,
    attachment,
    audio,
    bookmark,
    like,
    message,
    own_comment,
    photo,
    profile_row,
    reply_comment,
    subscription,
    text_html,
    video,
    wall_post,
    wall_repost,
)

OWNER = 100001
PER_PAGE = 50
#: record size spread: log-normal around MEDIAN bytes of HTML, clipped
MEDIAN, SIGMA, MIN_SIZE, MAX_SIZE = 690, 0.6, 120, 9000
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
NAMES = ["Пётр Тестов", "Анна Выдумкина", "Олег Примеров", "Мария Сочинённая", "Игорь Небывалов",
         "Ольга Условная", "Сергей Образцов", "Елена Пробная"]
CLUBS = ["Тестовое сообщество", "Клуб любителей примеров", "Выдуманные новости", "Городок Н", "Мемы про тесты"]
ARTISTS = ["Кино", "Земфира", "Аквариум", "Сплин", "Мумий Тролль", "ДДТ", "Алиса", "Би-2", "Ленинград"]
#: the share of each section among the records of the mixed archive
MIX = {"wall": 0.22, "repost": 0.06, "wall_comment": 0.08, "comment": 0.10, "photo": 0.06, "photo_comment": 0.03,
       "video": 0.03, "video_comment": 0.01, "audio": 0.07, "like": 0.10, "bookmark": 0.01, "subscription": 0.01,
       "message": 0.22}


# -- text -------------------------------------------------------------------------------------


class Text:
    """Seeded invented text: lines from a pool (some with links, «quotes», emoji), and list quotes."""

    def __init__(self, quotes: list[str], urls: list[str]) -> None:
        pool = random.Random(0)
        self.lines: list[str] = []
        for _ in range(5000):
            line = " ".join(pool.choice(WORDS) for _ in range(pool.randint(3, 16))).capitalize()
            r = pool.random()
            if r < 0.05:
                line += f" https://example.org/{pool.choice(WORDS)}/{pool.randint(1, 10**6)}"
            elif r < 0.08:
                line += f" vk.com/club{pool.randint(1, 10**8)}"
            elif r < 0.12:
                line += f" «{pool.choice(WORDS)} {pool.choice(WORDS)}»"
            elif r < 0.14:
                line += " 😀"
            self.lines.append(line + pool.choice([".", "!", "?", "...", " )))", ""]))
        self.sizes = [len(s.encode("cp1251", "xmlcharrefreplace")) for s in self.lines]
        self.quotes = quotes
        self.urls = urls

    def fill(self, rng: random.Random, nbytes: int) -> str:
        """About ``nbytes`` bytes of text as the page stores it (a line break is ``<br>``, 4 bytes)."""
        if nbytes <= 0:
            return ""
        if nbytes < 40:
            return " ".join(rng.choice(WORDS) for _ in range(max(1, nbytes // 8))).capitalize()
        out: list[str] = []
        size = 0
        n = len(self.lines)
        while size < nbytes:
            i = rng.randrange(n)
            if out:
                br = rng.random() < 0.15
                out.append("\n" if br else " ")
                size += 4 if br else 1
            out.append(self.lines[i])
            size += self.sizes[i]
        r = rng.random()
        if r < 0.003 and self.quotes:
            out.append(f" «{rng.choice(self.quotes)}»")
        elif r < 0.005 and self.urls:
            out.append(f" {rng.choice(self.urls)}")
        return "".join(out)


#: stands for the text in a rendered record until :meth:`Gen.sized` puts text of the right length there
MARK = "\x01"


def target_size(rng: random.Random) -> int:
    """A record's size in bytes: log-normal, and one record in a hundred a long post of several KB."""
    if rng.random() < 0.01:
        return rng.randint(3000, MAX_SIZE)
    return max(MIN_SIZE, min(MAX_SIZE, int(rng.lognormvariate(math.log(MEDIAN), SIGMA))))


def photo_url(rng: random.Random) -> str:
    """A direct image link of the archive's kind (long and signed)."""
    key = "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(40))
    return (f"https://sun9-{rng.randint(1, 88)}.userapi.com/impg/{key[:20]}/{key[20:]}.jpg"
            f"?size=1280x960&quality=95&sign={rng.getrandbits(128):032x}&type=album")


def some_attachments(rng: random.Random, p: float) -> list[str]:
    out = []
    while rng.random() < p and len(out) < 4:
        r = rng.random()
        if r < 0.5:
            out.append(attachment("Фотография", f"https://vk.com/photo{OWNER}_{rng.randint(1, 10**9)}"))
        elif r < 0.7:
            out.append(attachment("Ссылка", f"https://example.org/{rng.choice(WORDS)}/{rng.randint(1, 10**6)}"))
        elif r < 0.85:
            vid = f"{rng.randint(1, 10**8)}_{rng.randint(1, 10**9)}"
            out.append(attachment("Видеозапись", f"https://vk.com/video-{vid}"))
        else:
            out.append(attachment("Аудиозапись"))
        p *= 0.6
    return out


# -- archives ---------------------------------------------------------------------------------


class Gen:
    """Writes an archive and counts its records and their sizes."""

    def __init__(self, root: Path, text: Text, seed: int) -> None:
        self.arc = VkArchive(root, OWNER)
        self.rng = random.Random(seed)
        self.text = text
        self.sizes: list[int] = []
        self.kinds: Counter[str] = Counter()
        self.t = datetime(2012, 1, 1)
        self.next_id = 1000

    def date(self) -> datetime:
        self.t += timedelta(seconds=self.rng.randint(30, 4000))
        return self.t

    def nid(self) -> int:
        self.next_id += self.rng.randint(1, 5)
        return self.next_id

    def sized(self, record: str, target: int) -> str:
        """``record`` (rendered with :data:`MARK` for its text) with text bringing it to about ``target`` bytes."""
        base = len(record.encode("cp1251", "xmlcharrefreplace")) - 1
        return record.replace(MARK, text_html(self.text.fill(self.rng, target - base)), 1)

    def pages(self, kind: str, name: str, crumbs: list[str], records: list[str], wrap: str = "") -> None:
        """``records`` on pages of PER_PAGE (``name`` has ``{n}`` for the page's offset), or all on one page."""
        if "{n}" not in name:
            self.arc.page(name, crumbs, records, wrap=wrap)
        else:
            for i in range(0, len(records), PER_PAGE):
                self.arc.page(name.format(n=i), crumbs, records[i:i + PER_PAGE], wrap=wrap)
        self.sizes.extend(len(r.encode("cp1251", "xmlcharrefreplace")) for r in records)
        self.kinds[kind] += len(records)

    def person(self) -> tuple[int, str]:
        return self.rng.randint(200000, 900000), self.rng.choice(NAMES)

    def mixed(self, n: int) -> None:
        """An archive of about ``n`` records of every section read, in the shares of :data:`MIX`."""
        rng, text = self.rng, self.text
        counts = {k: int(round(n * v)) for k, v in MIX.items()}
        counts["message"] += n - sum(counts.values())
        self.arc.page("profile/page-info.html", "Профиль", [profile_row("Полное имя", "Иван Придуманный"),
                                                           profile_row("Город", "Выдуманск")])
        # videos (read first: their titles go to the wall's video attachments)
        video_ids = [self.nid() for _ in range(counts["video"])]
        vids = [video(OWNER if rng.random() < 0.6 else -rng.randint(1, 10**8), vid,
                      text.fill(rng, rng.choice([0, 20, 40, 80])), f"{rng.randint(0, 59)}:{rng.randint(0, 59):02d}",
                      rng.randint(0, 10**5), self.date()) for vid in video_ids]
        albums = ["-1", "-2", *map(str, range(1, 1000))]  # uploaded, added, the person's albums
        for i in range(0, len(vids), 200):
            album = albums[min(i // 200, len(albums) - 1)]
            self.pages("video", f"video/video-albums/{album}.html", ["Видео", f"Альбом {album}"], vids[i:i + 200])
        # the wall: posts and reposts, newest first
        posts: list[int] = []
        wall: list[str] = []
        n_wall = counts["wall"] + counts["repost"]
        p_repost = counts["repost"] / max(1, n_wall)
        for _ in range(n_wall):
            pid, d, atts = self.nid(), self.date(), some_attachments(rng, 0.35)
            posts.append(pid)
            if rng.random() < p_repost:
                src = (-rng.randint(1, 10**8), rng.choice(CLUBS)) if rng.random() < 0.8 else self.person()
                own = text.fill(rng, 40) if rng.random() < 0.2 else ""
                wall.append(self.sized(wall_repost(OWNER, pid, own, src, MARK, d, atts), target_size(rng)))
                self.kinds["repost"] += 1
            else:
                author = None if rng.random() < 0.9 else self.person()
                wall.append(self.sized(wall_post(OWNER, pid, MARK, d, atts, author=author), target_size(rng)))
        self.pages("wall", "wall/wall{n}.html", ["Стена"], wall[::-1])
        self.kinds["wall"] -= self.kinds["repost"]
        # comments under the wall's posts (several per post, a few posts with many)
        commented = iter(rng.sample(posts, len(posts)))
        left = counts["wall_comment"]
        while left > 0:
            pid = next(commented, None) or self.nid()
            k = min(left, int(rng.paretovariate(1.2)) + 1)
            recs = []
            for _ in range(k):
                author = None if rng.random() < 0.3 else self.person()
                rec = wall_post(OWNER, pid, MARK, self.date(), reply=self.nid(), author=author)
                recs.append(self.sized(rec, target_size(rng)))
            self.pages("wall_comment", f"wall/{pid}/comments{{n}}.html", ["Стена", "Комментарии"], recs)
            left -= k
        # the person's comments anywhere
        recs = []
        for _ in range(counts["comment"]):
            obj = f"wall-{rng.randint(1, 10**8)}_{rng.randint(1, 10**6)}?reply={self.nid()}"
            rec = own_comment(obj, MARK, self.date(), some_attachments(rng, 0.1))
            recs.append(self.sized(rec, target_size(rng)))
        self.pages("comment", "comments/comments{n}.html", ["Комментарии"], recs)
        # photos in albums of up to 200, and comments under some of them
        photo_ids: list[int] = []
        left = counts["photo"]
        album = 0
        while left > 0:
            k = min(left, rng.randint(5, 200))
            album += 1
            recs = []
            for _ in range(k):
                pid = self.nid()
                photo_ids.append(pid)
                desc_size = 0 if rng.random() < 0.6 else target_size(rng)
                recs.append(self.sized(photo(OWNER, pid, photo_url(rng), MARK, self.date()), desc_size))
            self.pages("photo", f"photos/photo-albums/{album}.html", ["Фотографии", f"Альбом {album}"], recs)
            left -= k
        for kind, folder, crumb, ids in (("photo_comment", "photos/photo-comments", "Фотографии", photo_ids),
                                         ("video_comment", "video/video-comments", "Видео", video_ids)):
            objs = iter(rng.sample(ids, len(ids)))
            left = counts[kind]
            while left > 0:
                oid = next(objs, None) or self.nid()
                k = min(left, int(rng.paretovariate(1.5)) + 1)
                recs = []
                for _ in range(k):
                    who = (OWNER, "Иван Придуманный") if rng.random() < 0.3 else self.person()
                    recs.append(self.sized(reply_comment(who, MARK, self.date()), target_size(rng)))
                self.pages(kind, f"{folder}/{oid}/comments{{n}}.html", [crumb, "Комментарии"], recs)
                left -= k
        # audio: «Мои аудиозаписи» and a few albums
        recs = [audio(rng.choice(ARTISTS), text.fill(rng, rng.randint(5, 40)),
                      f"{rng.randint(1, 7)}:{rng.randint(0, 59):02d}") for _ in range(counts["audio"])]
        cut = len(recs) * 2 // 3
        self.pages("audio", "audio/audio-albums/-1/audios{n}.html", ["Музыка", "Мои аудиозаписи"], recs[:cut], "albums")
        self.pages("audio", "audio/audio-albums/1/audios{n}.html", ["Музыка", "Мне нравится"], recs[cut:], "albums")
        # likes, bookmarks, subscriptions
        likes: dict[str, list[str]] = {"wall": [], "photo": [], "video": [], "wall_reply": []}
        for _ in range(counts["like"]):
            t = rng.choice(list(likes))
            obj = {"wall_reply": "wall"}.get(t, t)
            likes[t].append(like(f"https://vk.com/{obj}-{rng.randint(1, 10**8)}_{self.nid()}"))
        for t, recs in likes.items():
            self.pages("like", f"likes/{t}/likes{{n}}.html", ["Отметки «Нравится»", t], recs)
        recs = [bookmark(f"https://vk.com/wall-{rng.randint(1, 10**8)}_{self.nid()}")
                for _ in range(counts["bookmark"])]
        self.pages("bookmark", "bookmarks/post/bookmarks{n}.html", ["Закладки", "Записи"], recs)
        recs = [subscription(f"club{self.nid()}", rng.choice(CLUBS)) for _ in range(counts["subscription"])]
        self.pages("subscription", "profile/subscriptions{n}.html", ["Подписки"], recs)
        self.messages(counts["message"])

    def messages(self, n: int) -> None:
        """``n`` messages in conversations of every kind (a few long, many short), a third the person's."""
        rng = self.rng
        left = n
        peers: set[int] = set()
        while left > 0:
            k = min(left, int(rng.paretovariate(0.9) * 30), 60000)
            r = rng.random()
            if r < 0.75:
                peer = rng.randint(200000, 900000)
                name, who = rng.choice(NAMES), None
            elif r < 0.85:
                peer = -rng.randint(1, 10**8)
                name, who = rng.choice(CLUBS), None
            else:
                peer = 2_000_000_000 + rng.randint(1, 5000)
                name, who = f"Беседа {peer - 2_000_000_000}", "chat"
            if peer in peers:
                continue
            peers.add(peer)
            recs = []
            mid = k + rng.randint(0, 1000)
            for _ in range(k):
                mid -= 1
                if rng.random() < 1 / 3:
                    sender = None
                    self.kinds["message_own"] += 1
                elif who == "chat":
                    sender = (f"id{rng.randint(200000, 900000)}", rng.choice(NAMES))
                else:
                    sender = (f"id{peer}" if peer > 0 else f"club{-peer}", name)
                atts = [attachment("Фотография", photo_url(rng))] if rng.random() < 0.08 else []
                recs.append(self.sized(message(mid, self.date(), MARK, sender, atts), target_size(rng)))
            self.pages("message", f"messages/{peer}/messages{{n}}.html", ["Сообщения", name], recs)
            left -= k
        self.arc.page("messages/index-messages.html", "Сообщения", [])

    def finish(self) -> None:
        self.arc.write_index()


def generate(root: Path, text: Text, records: int = 0, messages: int = 0, seed: int = 18) -> Gen:
    t0 = time.perf_counter()
    g = Gen(root, text, seed)
    if records:
        g.mixed(records)
    else:
        g.arc.page("profile/page-info.html", "Профиль", [profile_row("Полное имя", "Иван Придуманный")])
        g.messages(messages)
    g.finish()
    s = sorted(g.sizes)
    mb = sum(p.stat().st_size for p in root.rglob("*.html")) / 1e6
    pct = {q: s[int(len(s) * q / 100)] for q in (10, 50, 90, 99)}
    print(f"generated {len(s):,} records on {len(g.arc.written):,} pages, {mb:,.0f} MB of HTML, "
          f"in {time.perf_counter() - t0:.0f} s (not timed)")
    print(f"  record size (bytes of HTML): median {pct[50]}, p10 {pct[10]}, p90 {pct[90]}, p99 {pct[99]}, "
          f"max {s[-1]}, mean {sum(s) / len(s):.0f}")
    print("  records by kind: " + ", ".join(f"{k} {v:,}" for k, v in g.kinds.most_common()))
    return g


# -- running ----------------------------------------------------------------------------------


def run(args: list[str], env: dict[str, str], one_cpu: bool = False) -> tuple[float, float, float, str]:
    """Run ``python -m repostguard ARGS``: wall seconds, CPU seconds, peak RSS (MB), output."""
    cpu = min(os.sched_getaffinity(0))
    pre = (lambda: os.sched_setaffinity(0, {cpu})) if one_cpu else None
    t0 = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-m", "repostguard", *args], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, preexec_fn=pre)
    tree = TreeRss(p.pid)
    out = p.stdout.read() if p.stdout else ""  # the output is short: reading it never blocks the child
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    rss = max(ru.ru_maxrss / 1024, tree.stop())
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"repostguard {' '.join(args)} failed:\n{out}")
    return wall, ru.ru_utime + ru.ru_stime, rss, out.strip()


def stored(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM items").fetchone()[0]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(label: str, records: int, db: Path, res: tuple[float, float, float, str]) -> None:
    wall, cpu, rss, out = res
    print(f"  {label}: {records:,} records, {stored(db):,} items stored, {wall:.1f} s, "
          f"{records / wall:,.0f} records/s ({cpu:.1f} s CPU), peak RSS {rss:.0f} MB")
    lines = [ln.strip() for ln in out.splitlines()]
    summary = [ln for ln in lines if ln.startswith("scanned ") or ": vk: " in ln] or lines[-1:]
    print(f"    {summary[0] if summary else ''}")


def bench_import(arc: Path, records: int, tmp: Path, env: dict[str, str]) -> bool:
    print(f"\n[import] repostguard import {arc.name} --db DB, pinned to one CPU")
    res = run(["import", str(arc), "--db", str(tmp / "import1.sqlite"), "-q"], env, one_cpu=True)
    report("import (1 core)", records, tmp / "import1.sqlite", res)
    ok = records / res[0] >= 10_000
    print(f"  target: >= 10,000 records/s on one core: {records / res[0]:,.0f}/s {verdict(ok)}")
    return ok


def bench_scan(arc: Path, records: int, tmp: Path, env: dict[str, str], tag: str, limit: float,
               mem_mb: float | None, ocr: list[str]) -> bool:
    print(f"\n[{tag}] repostguard scan {arc.name} --db DB {' '.join(ocr)}(import and scan in one run, 2 cores)")
    db = tmp / f"{tag}-scan.sqlite"
    res = run(["scan", str(arc), "--db", str(db), *ocr, "-q"], env)
    report("scan ARCHIVE (import + match)", records, db, res)
    db2 = tmp / f"{tag}-import.sqlite"
    imp = run(["import", str(arc), "--db", str(db2), "-q"], env)
    report("apart: import", records, db2, imp)
    sc = run(["scan", "--db", str(db2), *ocr, "-q"], env)
    print(f"  apart: scan of the stored items: {sc[0]:.1f} s ({sc[1]:.1f} s CPU), peak RSS {sc[2]:.0f} MB; "
          f"import + scan apart {imp[0] + sc[0]:.1f} s")
    ok = res[0] < limit
    line = f"  target: import and scan under {limit:.0f} s: {res[0]:.1f} s {verdict(ok)}"
    if mem_mb is not None:
        peak = max(res[2], imp[2], sc[2])
        mem_ok = peak < mem_mb
        line += f"; peak memory under {mem_mb:.0f} MB: {peak:.0f} MB {verdict(mem_ok)}"
        ok = ok and mem_ok
    print(line)
    return ok


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--case", choices=["import", "archive", "messages", "all"], default="all")
    ap.add_argument("--records", type=int, default=100_000, help="records of the mixed archive")
    ap.add_argument("--messages", type=int, default=1_000_000, help="messages of the messages archive")
    ap.add_argument("--fsm", type=Path, default=DEFAULT_FSM)
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (printed)")
    ap.add_argument("--no-ocr", action="store_true",
                    help="scan with --no-ocr (default: as a user runs it; the archive has no picture files, "
                         "so the picture stage only looks for them)")
    args = ap.parse_args()
    if not args.fsm.exists():
        sys.exit(f"{args.fsm}: not found (pass --fsm FILE)")
    from repostguard.banks.fsm import parse_fsm
    from repostguard.matchers.quotes import extract_quotes
    from repostguard.matchers.urls import find_urls

    lst = parse_fsm(args.fsm)
    quotes = [q for e in lst.active[::7] for q, _ in extract_quotes(e.text) if len(q.split()) >= 4][:400]
    urls = [u for e in lst.active[::5] for u in find_urls(e.text, repair=True) if "/" in u][:200]
    text = Text(quotes, urls)
    ocr = ["--no-ocr"] if args.no_ocr else []
    tmp = Path(tempfile.mkdtemp(prefix="bench-vk-"))
    results: dict[str, bool] = {}
    try:
        env = dict(os.environ, REPOSTGUARD_HOME=str(tmp / "home"), PYTHONPATH=str(ROOT / "src"))
        env.pop("REPOSTGUARD_TZ", None)
        print(run(["lists", "update", "--list", "fsm", "--from", str(args.fsm)], env)[3].splitlines()[-1])
        warm = run(["scan", str(FIXTURE), "--db", str(tmp / "warm.sqlite"), "--no-ocr", "-q"], env)
        print(f"warm-up: scan of the fixture archive built the list's index cache ({warm[0]:.1f} s); "
              "every timed run below uses the cached index")
        print(f"machine: {os.cpu_count()} CPUs; load average before the runs: "
              f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")
        if args.case in ("import", "archive", "all"):
            arc = tmp / "mixed"
            print(f"\nmixed archive of {args.records:,} records:")
            g = generate(arc, text, records=args.records)
            n = len(g.sizes)
            if args.case in ("import", "all"):
                results["1. import >= 10,000 records/s on one core"] = bench_import(arc, n, tmp, env)
            if args.case in ("archive", "all"):
                results["2. mixed archive import + scan < 30 s"] = bench_scan(
                    arc, n, tmp, env, "archive", 30, None, ocr)
            if not args.keep:
                shutil.rmtree(arc)
        if args.case in ("messages", "all"):
            arc = tmp / "messages"
            print(f"\nmessages archive of {args.messages:,} messages:")
            g = generate(arc, text, messages=args.messages)
            print(f"  the person's own: {g.kinds['message_own']:,}")
            results["3. messages import + scan < 180 s, peak < 1 GB"] = bench_scan(
                arc, len(g.sizes), tmp, env, "messages", 180, 1024, ocr)
        print("\nsummary:")
        for k, ok in results.items():
            print(f"  {verdict(ok)}  {k}")
    finally:
        if args.keep:
            print(f"kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
