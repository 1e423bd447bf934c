"""Held-out matching benchmark: a generator of an archive built like ``../shared/bench/dev`` (same templates,
same items and truth format) from OTHER entries of the Federal List of Extremist Materials and other sentences.

    .venv/bin/python bench/match_heldout.py OUT_DIR [--shared ../shared] [--seed 20261207]

writes ``OUT_DIR/items.jsonl`` (generic items format) and ``OUT_DIR/truth.json`` (read by
``../shared/bench/score.py``). Templates (see ``../shared/bench/README.md``): T1-quote, T2-perturbed, T3-url,
T5-audio, T6-listed-source, N1-benign, N2-short-title, N4-other-link, N6-benign-audio and the informational
N3-news-mention; the OCR templates T4/N5 are not generated. Every entry number that appears in an ``accept``
list of the dev set is excluded, and so is any material whose honest accept list touches one. A positive's
``accept`` lists every active entry holding the same material: the same quote (lower case, ё→е, punctuation
and spaces ignored, Latin look-alike letters folded, a video/audio file extension ignored), found among the
entry's quotes or, for a quote of 12+ letters, anywhere in its text; or the same canonical URL. Wrapper
sentences, benign texts, song titles and news frames are hand-written for this set
(``bench/match_heldout/texts.txt``); nothing is copied from the dev items, ``bench/negatives`` or
``bench/negset.py``. Nothing here opens a URL.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))

from repostguard.banks.fsm import parse_fsm  # noqa: E402
from repostguard.matchers.quotes import extract_quotes  # noqa: E402
from repostguard.matchers.urls import canonical, find_urls  # noqa: E402

SEED = 20261207
FSM_NAME = "data/fsm/exportfsm-2025-07-09.csv"
SIZES = {"T1-quote": 150, "T2-perturbed": 150, "T3-url": 100, "T5-audio": 60, "T6-listed-source": 40,
         "N1-benign": 1500, "N2-short-title": 100, "N4-other-link": 100, "N6-benign-audio": 60,
         "N3-news-mention": 60}
PREFIX = {"T1-quote": "t1", "T2-perturbed": "t2", "T3-url": "t3", "T5-audio": "t5", "T6-listed-source": "t6",
          "N1-benign": "n1", "N2-short-title": "n2", "N4-other-link": "n4", "N6-benign-audio": "n6",
          "N3-news-mention": "n3"}

# the words before a quote that make it a page, community, site, author or performer name, not the material
NAME_CTX = re.compile(
    r"(странице|страничке|профил\w+|пользовател\w+|ником|никнеймом|псевдоним\w*|именем|групп\w+|сообществ\w+|"
    r"паблик\w*|канал\w*|сайт\w*|ресурс\w*|исполнител\w*|автор\w*|издательств\w*|организаци\w*|объединени\w*|"
    r"сети|газет\w+|журнал\w*|рубрик\w+|раздел\w*|альбом\w*|ООО|АНО)\s*(?:под\s+(?:названием|именем))?\s*"
    r"[:–—-]?\s*$", re.IGNORECASE)
URLISH = re.compile(r"https?:|www\.|\w\.(?:com|ru|org|net|info|su|ua|kz|by|tv|me)\b|/", re.IGNORECASE)
FILE_EXT = re.compile(r"\s*\.\s*(?:mp\s*4|m4v|avi|flv|mkv|mov|wmv|3gp|webm|mpe?g|mp\s*3|wav|ogg|m4a)\s*$",
                      re.IGNORECASE)
AUDIO_CTX = re.compile(r"аудио|песн|музыкальн|трек|фонограм|mp\s*3|композици", re.IGNORECASE)
PERFORMER_AFTER = re.compile(r"^\W{0,3}\s*(?:музыкальной\s+)?(?:исполнител\w+|групп\w+|в\s+исполнении\s+групп\w+)"
                             r"\s*[:–—-]?\s*«([^«»]{2,40})»", re.IGNORECASE)
PERFORMER_BEFORE = re.compile(r"(?:исполнител\w+|групп\w+)\s*[:–—-]?\s*«([^«»]{2,40})»\s*(?:под\s+названием\s*)?"
                              r"[:–—-]?\s*$", re.IGNORECASE)
# a short title used in a benign text must not be a slur, a call or a religious-extremist word
NOT_BENIGN = re.compile(
    r"хач|чур|черн\w*жоп|жид|евре|нацис|наци\b|скин|88|фюрер|гитлер|адольф|свастик|зиг|ss|сс\b|убе?й|убива|"
    r"бей\b|бить|смерть|смерти|террор|джихад|шахид|муджах|моджах|кафир|кафыр|халифат|аллах|иблис|расов|"
    r"арий|арийск|русофоб|москал|хохл|укроп|кацап|ватн|негр|нигер|пидо|педик|содом|сион|масон|ублюд|мраз|"
    r"инородц|орки|свинь|резня|погром|расист|нерусь|рейх|фашис|бандер|имарат|ваххаб|такфир|вилаят|кавказ|"
    r"славян|руси\b|русь\b|русск|белая|белый|белые|ненавист|враг|сатан|дьявол|антихрист|таджик|узбек|чечен|"
    r"армян|цыган|ислам|мусульм|ахыр|кяфир|рус\b|россия для|фашиз|ариец|антисемит|холокост|рожи|мартышк|сжечь|"
    r"убь|ударь|уничтож|мочи|китайц|грузин|пейсах|раввин|талмуд|иуде|хиджаб|намаз|коран|сунн|шариат|единобож|"
    r"пророк|расизм|национал|кров|месть|казн|неверн|геноцид|чернокож|недочелов|бритоголов|ритуальн|реванш|"
    r"заразу|испражн|героин|марихуан|сдохн|штурмов|черные|черный|панка|христианиз|христианств|креста|богов",
    re.IGNORECASE)
LOOKALIKE = {"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "к": "k", "А": "A",
             "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X"}
ZWSP = "\u200b"
SITE_WORDS = ("интернет", "вконтакте", "одноклассники", "ютуб", "контакте", "твиттер")
PLATFORMS = ("vk.com", "youtube.com", "ok.ru", "t.me", "facebook.com", "instagram.com", "x.com")


FOLD = str.maketrans("aeopcyxkmtbh", "аеорсухкмтвн")


def compact(s: str) -> str:
    """Lower case, ё→е, only letters and digits, Latin look-alike letters folded to Cyrillic (the list writes
    one performer «P.S. 7.62.» in one entry and «Р.S.7.62» with a Cyrillic Р in another)."""
    return re.sub(r"[\W_]+", "", s.lower().replace("ё", "е")).translate(FOLD)


def stem(title: str) -> str:
    """``title`` without a video or audio file's extension."""
    return FILE_EXT.sub("", title) or title


@lru_cache(maxsize=1)
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def ordinary_word(w: str) -> bool:
    """A dictionary word that is not a name, place, organisation or abbreviation in any reading."""
    m = _morph()
    if len(w) < 2 or not m.word_is_known(w):
        return False
    return not any(p.tag.grammemes & {"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr", "Infr"}
                   for p in m.parse(w))


def load_parts(path: Path) -> dict[str, list[str]]:
    parts: dict[str, list[str]] = defaultdict(list)
    cur = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or (line.startswith("#") and not line.startswith("##")):
            continue
        if line.startswith("## "):
            cur = line[3:].strip()
            continue
        parts[cur].append(line)
    return dict(parts)


@dataclass
class Bank:
    """The active entries, indexed by quote and by canonical URL, for honest accept lists."""

    texts: dict[int, str]
    flat: dict[int, str] = field(default_factory=dict)
    by_quote: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    by_url: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    urls_of: dict[int, list[tuple[str, str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for n, text in self.texts.items():
            self.flat[n] = compact(text)
            for q, _ in extract_quotes(text):
                for form in {compact(q), compact(stem(q))}:
                    if form:
                        self.by_quote[form].add(n)
            got = []
            for u in find_urls(text, repair=True):
                key = canonical(u)
                if key:
                    self.by_url[key].add(n)
                    got.append((key, u))
            self.urls_of[n] = got

    def accept_quote(self, quote: str) -> set[int]:
        c = compact(stem(quote))
        out = set(self.by_quote.get(c, set())) | set(self.by_quote.get(compact(quote), set()))
        if len(c) >= 12:
            out |= {n for n, flat in self.flat.items() if c in flat}
        return out

    def accept_audio(self, artist: str, title: str) -> set[int]:
        a, t = compact(artist), compact(stem(title))
        return {n for n, flat in self.flat.items() if a in flat and t in flat}


def material_quotes(bank: Bank, n: int, min_words: int) -> list[str]:
    """Quotes of entry ``n`` that name or reproduce the material itself (not a page, site or performer)."""
    text = bank.texts[n]
    out = []
    for q, start in extract_quotes(text):
        q = q.strip()
        if "«" in q or "»" in q:
            continue  # an outer quote holding a nested one: its parts are taken separately
        if NAME_CTX.search(text[max(0, start - 60): start]) or URLISH.search(q):
            continue
        if len(q.split()) >= min_words and sum(ch.isalpha() for ch in q) >= 12:
            out.append(q)
    return out


class Gen:
    def __init__(self, shared: Path, seed: int) -> None:
        self.rng = random.Random(seed)
        fsm = parse_fsm(shared / FSM_NAME)
        self.bank = Bank({e.number: e.text for e in fsm.active})
        truth = json.loads((shared / "bench/dev/truth.json").read_text(encoding="utf-8"))
        self.dev: set[int] = set()
        for sec in truth.values():
            for lab in sec.values():
                self.dev.update(lab.get("accept", []))
        dev_items = (shared / "bench/dev/items.jsonl").read_text(encoding="utf-8")
        self.dev_flat = compact(dev_items)
        self.parts = load_parts(HERE / "match_heldout" / "texts.txt")
        self.used: set[int] = set()  # entries already behind a held-out positive or news item
        self.items: list[dict[str, Any]] = []
        self.truth: dict[str, dict[str, Any]] = {"positives": {}, "negatives": {}, "informational": {}}
        self.counts: dict[str, int] = defaultdict(int)
        self.n1_seen: set[str] = set()

    # ---- helpers -------------------------------------------------------------------------------------------
    def pick(self, section: str) -> str:
        return self.rng.choice(self.parts[section])

    def fill(self, s: str) -> str:
        s = s.format(name=self.pick("names"), city=self.pick("cities"), dish=self.pick("dishes"),
                     day=self.pick("days"), hour=self.rng.randint(5, 9))
        return s[:1].upper() + s[1:]

    def date(self) -> str:
        d = datetime(2012, 1, 1, 0, 0) + timedelta(minutes=self.rng.randrange(14 * 365 * 24 * 60))
        return d.strftime("%Y-%m-%dT%H:%M:00+03:00")

    def fresh(self, entries: set[int]) -> bool:
        """True when a material's accept list touches neither the dev set nor an entry already used here."""
        return bool(entries) and not (entries & self.dev) and not (entries & self.used)

    def add(self, template: str, kind: str, text: str, accept: set[int] | None = None, level: str = "distribution",
            **extra: Any) -> None:
        iid = f"{PREFIX[template]}-{self.counts[template]}"
        self.counts[template] += 1
        item: dict[str, Any] = {"id": iid, "kind": kind, "text": text}
        item.update({k: v for k, v in extra.items() if v is not None})
        item.update(date=self.date(), platform="generic")
        self.items.append(item)
        if template.startswith("T"):
            assert accept
            self.truth["positives"][iid] = {"template": template, "accept": sorted(accept), "level": level}
            self.used |= accept
        elif template == "N3-news-mention":
            assert accept
            self.truth["informational"][iid] = {"template": template, "accept": sorted(accept)}
            self.used |= accept
        else:
            self.truth["negatives"][iid] = {"template": template}

    def benign(self) -> str:
        """An everyday post: one to three sentences on one topic, sometimes with a closing line."""
        topics = [k for k in self.parts if k.startswith("topic:")]
        for _ in range(200):
            sents = self.parts[self.rng.choice(topics)]
            k = self.rng.choices([1, 2, 3], weights=[4, 4, 2])[0]
            text = " ".join(self.fill(s) for s in self.rng.sample(sents, k))
            r = self.rng.random()
            if r < 0.25:
                text += " " + self.pick("closers")
            elif r < 0.32:
                text += "\n" + self.pick("aphorisms")
            if text not in self.n1_seen:
                self.n1_seen.add(text)
                return text
        return text

    def kind(self) -> str:
        return self.rng.choices(["post", "repost", "comment"], weights=[6, 3, 1])[0]

    # ---- choosing material -----------------------------------------------------------------------------------
    def quote_pool(self) -> list[tuple[int, str]]:
        """(entry, quote) candidates for T1/T2/N3, one random quote per non-dev entry, in random order."""
        nums = sorted(n for n in self.bank.texts if n not in self.dev)
        self.rng.shuffle(nums)
        out = []
        for n in nums:
            qs = material_quotes(self.bank, n, 4)
            if qs:
                out.append((n, self.rng.choice(qs)))
        return out

    def take_quote(self, pool: list[tuple[int, str]]) -> tuple[str, set[int]]:
        while pool:
            n, q = pool.pop()
            acc = self.bank.accept_quote(q)
            acc.add(n)
            if self.fresh(acc):
                return q, acc
        raise RuntimeError("out of quotes")

    # ---- templates -----------------------------------------------------------------------------------------
    def t1(self, pool: list[tuple[int, str]]) -> None:
        for _ in range(SIZES["T1-quote"]):
            q, acc = self.take_quote(pool)
            mark = self.rng.choices(["«»", '""', ""], weights=[4, 2.5, 3.5])[0]
            body = f"{mark[0]}{q}{mark[1]}" if mark else q
            pre = self.pick("t1_prefix") if self.rng.random() < 0.85 else ""
            suf = self.pick("t1_suffix") if self.rng.random() < 0.5 else ""
            sep = "\n" if self.rng.random() < 0.2 else " "
            self.add("T1-quote", self.kind(), sep.join(x for x in (pre, body, suf) if x), acc)

    def perturb(self, q: str) -> str:
        ops = self.rng.sample(["case", "punct", "yo", "latin", "typo", "trunc", "zwsp", "lines"],
                              self.rng.choices([1, 2, 3], weights=[4, 4, 2])[0])
        s = q
        words = s.split()
        if "trunc" in ops and len(words) >= 6:
            s = " ".join(words[: max(4, int(len(words) * self.rng.uniform(0.5, 0.8)))])
        if "punct" in ops:
            s = re.sub(r"[^\w\s]+", self.rng.choice(["", " "]), s)
            s = re.sub(r" {2,}", " ", s).strip()
        if "case" in ops:
            s = self.rng.choice([s.upper(), s.lower(), s.capitalize(), "".join(
                ch.upper() if self.rng.random() < 0.5 else ch.lower() for ch in s)])
        if "yo" in ops:
            s = s.replace("ё", "е").replace("Ё", "Е") if "ё" in s.lower() else re.sub(
                "е", lambda m: "ё" if self.rng.random() < 0.3 else "е", s)
        if "typo" in ops:
            for _ in range(self.rng.randint(1, 2)):
                spots = [m.start() for m in re.finditer(r"(?<=\w)\w(?=\w\w)", s)]
                if not spots:
                    break
                i = self.rng.choice(spots)
                how = self.rng.choice(["drop", "swap", "double"])
                if how == "drop":
                    s = s[:i] + s[i + 1:]
                elif how == "swap":
                    s = s[:i] + s[i + 1] + s[i] + s[i + 2:]
                else:
                    s = s[:i] + s[i] + s[i:]
        if "latin" in ops:
            share = self.rng.uniform(0.3, 0.8)
            s = "".join(LOOKALIKE[ch] if ch in LOOKALIKE and self.rng.random() < share else ch for ch in s)
        if "zwsp" in ops:
            chars = list(s)
            for _ in range(self.rng.randint(2, 7)):
                chars.insert(self.rng.randrange(1, len(chars) + 1), ZWSP)
            s = "".join(chars)
        if "lines" in ops:
            s = re.sub(" ", lambda m: self.rng.choice(["\n", "  ", " ", " "]), s)
        return s

    def t2(self, pool: list[tuple[int, str]]) -> None:
        for _ in range(SIZES["T2-perturbed"]):
            q, acc = self.take_quote(pool)
            s = self.perturb(q)
            if s == q:
                s = self.perturb(q.upper())
            pre = self.pick("t1_prefix") if self.rng.random() < 0.8 else ""
            self.add("T2-perturbed", self.kind(), " ".join(x for x in (pre, s) if x), acc)

    def n3(self, pool: list[tuple[int, str]]) -> None:
        for _ in range(SIZES["N3-news-mention"]):
            q, acc = self.take_quote(pool)
            nom, acc_form, gender = self.pick("n3_kinds").split("|")
            end = {"m": ("", "ся"), "f": ("а", "ась"), "n": ("о", "ось")}[gender]
            text = self.pick("n3_frames").format(kind=nom, kind_acc=acc_form, t=q, a=end[0], sja=end[1])
            self.add("N3-news-mention", "post", text, acc)

    def url_keys(self) -> list[tuple[str, str]]:
        """(canonical key, URL as the list writes it) for every page or video a non-dev entry names."""
        seen: dict[str, str] = {}
        for pairs in self.bank.urls_of.values():
            for key, u in pairs:
                if key in seen or " " in key or len(key) > 120:
                    continue
                host = key.split("/", 1)[0].split("?", 1)[0]
                if not re.search(r"\.[a-zа-я]{2,}$", host) or not re.fullmatch(r"[\w.-]+", host):
                    continue
                if self.bank.by_url[key] & self.dev:
                    continue
                seen[key] = u
        return sorted(seen.items())

    def render_url(self, key: str, orig: str) -> str:
        """``key`` written as people write links."""
        scheme = self.rng.choices(["https://", "http://", ""], weights=[5, 2, 3])[0]
        if key.startswith("vk.com/"):
            host = self.rng.choices(["vk.com", "m.vk.com", "vk.ru", "www.vk.com"], weights=[5, 2, 2, 1])[0]
            path = key[len("vk.com/"):]
            slash = "/" if "?" not in path and self.rng.random() < 0.25 else ""
            return f"{scheme}{host}/{path}{slash}"
        if key.startswith("youtube.com/watch?v="):
            vid = key.split("=", 1)[1]
            form = self.rng.choice(["watch", "short", "mobile"])
            if form == "short":
                tail = f"?si={''.join(self.rng.choice('abcdefghXYZ0123456789') for _ in range(16))}" \
                    if self.rng.random() < 0.3 else ""
                return f"{scheme or 'https://'}youtu.be/{vid}{tail}"
            host = "m.youtube.com" if form == "mobile" else self.rng.choice(["www.youtube.com", "youtube.com"])
            return f"{scheme}{host}/watch?v={vid}"
        u = re.sub(r"^[a-z]+:/*", "", orig.strip(), flags=re.IGNORECASE)
        if u.lower().startswith("www.") and self.rng.random() < 0.5:
            u = u[4:]
        elif not u.lower().startswith("www.") and self.rng.random() < 0.2 and u.count(".") == 1:
            u = "www." + u
        if not re.search(r"[/?=&.]$|\.\w{2,4}$", u.split("/", 1)[-1]) and "/" in u and self.rng.random() < 0.3:
            u += "/"
        return scheme + u

    def fresh_urls(self, keys: list[tuple[str, str]], n: int) -> Iterator[tuple[str, set[int]]]:
        """Up to ``n`` (url, accept) of ``keys`` (canonical key, as the list writes it) in random order, each
        written as people write links, whose entries no other item uses."""
        self.rng.shuffle(keys)
        done = 0
        for key, orig in keys:
            if done == n:
                break
            acc = set(self.bank.by_url[key])
            if not self.fresh(acc):
                continue
            url = self.render_url(key, orig)
            if canonical(url) != key:
                continue  # a form this renderer cannot write faithfully (the list's own malformation)
            done += 1
            yield url, acc

    def t3(self) -> None:
        keys = [(k, u) for k, u in self.url_keys() if not re.fullmatch(r"[^/]+", k)]
        for url, acc in self.fresh_urls(keys, SIZES["T3-url"]):
            if self.rng.random() < 0.5:
                self.add("T3-url", self.kind(), f"{self.pick('link_text')} {url}", acc)
            else:
                title = self.benign()
                title = title[:60] if self.rng.random() < 0.5 else title
                self.add("T3-url", "post", self.pick("link_text"),
                         acc, attachments=[{"type": "link", "url": url, "title": title}])

    def t6(self) -> None:
        page = re.compile(r"^(?:vk\.com/(?!(?:wall|video|photo|audio|album|topic|note|doc)-?\d)[\w.]+"
                          r"|ok\.ru/(?:profile|group)/\d+|t\.me/\w+|(?:facebook|instagram|x)\.com/[\w.]+)$")
        keys = [(k, u) for k, u in self.url_keys() if page.match(k)]
        for url, acc in self.fresh_urls(keys, SIZES["T6-listed-source"]):
            self.add("T6-listed-source", "repost", self.benign(), acc, level="any",
                     reposted_from={"name": self.pick("repost_names"), "url": url})

    def audio_pool(self) -> list[tuple[str, str, set[int]]]:
        """(artist, title, accept) for songs and audio recordings non-dev entries name."""
        out = []
        nums = sorted(n for n in self.bank.texts if n not in self.dev)
        self.rng.shuffle(nums)
        for n in nums:
            text = self.bank.texts[n]
            if not AUDIO_CTX.search(text):
                continue
            cands = []
            for q, start in extract_quotes(text):
                q = q.strip()
                if "«" in q or "»" in q or URLISH.search(stem(q)):
                    continue
                m = re.match(r"^(.{2,40}?)\s+[–—-]\s+(.{3,80})$", q)
                if m and len(m.group(1).split()) <= 4 and not NAME_CTX.search(text[max(0, start - 60): start]):
                    cands.append((m.group(1).strip(), m.group(2).strip()))
                    continue
                end = start + len(q) + 2
                pa = PERFORMER_AFTER.match(text[end: end + 80])
                pb = PERFORMER_BEFORE.search(text[max(0, start - 80): start])
                perf = pa or pb
                if perf and len(q.split()) <= 12 and not NAME_CTX.search(text[max(0, start - 60): start]):
                    cands.append((perf.group(1).strip(), q))
            if cands:
                artist, title = self.rng.choice(cands)
                acc = self.bank.accept_audio(artist, title) | {n}
                out.append((artist, title, acc))
        return out

    def t5(self) -> None:
        done = 0
        for artist, title, acc in self.audio_pool():
            if done == SIZES["T5-audio"]:
                break
            if not self.fresh(acc):
                continue
            t = title if FILE_EXT.search(title) and self.rng.random() < 0.3 else stem(title)
            att: dict[str, Any] = {"type": "audio", "artist": artist, "title": t}
            if self.rng.random() < 0.6:
                att["duration"] = self.rng.randint(95, 330)
            self.add("T5-audio", "audio", "", acc, attachments=[att])
            done += 1

    # ---- negatives -----------------------------------------------------------------------------------------
    def n1(self) -> None:
        singles = self.parts["jokes"] + self.parts["aphorisms"]
        self.rng.shuffle(singles)
        for i in range(SIZES["N1-benign"]):
            text = singles[i] if i < len(singles) else self.benign()
            self.n1_seen.add(text)
            self.add("N1-benign", self.kind(), text)

    def short_titles(self) -> list[str]:
        """One- or two-word titles of non-dev entries made of ordinary words (not in the dev items)."""
        out: dict[str, str] = {}
        for n in sorted(self.bank.texts):
            text = self.bank.texts[n]
            for q, start in extract_quotes(text):
                q = q.strip(" .…!?,")
                words = q.split()
                if not 1 <= len(words) <= 2 or not re.fullmatch(r"[А-Яа-яЁё][А-Яа-яЁё -]{3,30}", q):
                    continue
                if NAME_CTX.search(text[max(0, start - 60): start]) or NOT_BENIGN.search(q):
                    continue
                if not all(ordinary_word(w) for w in re.split(r"[ -]+", q.lower()) if w):
                    continue
                c = compact(q)
                if len(c) < 4 or c in out or c in SITE_WORDS or "журнал" in c:
                    continue
                holders = self.bank.by_quote.get(c, set()) | {n}
                if holders & self.dev or c in self.dev_flat:
                    continue
                out[c] = q
        return sorted(out.values())

    def n2(self) -> None:
        titles = self.short_titles()
        for t in self.rng.sample(titles, SIZES["N2-short-title"]):
            frame = self.pick("n2_frames")
            tag = "".join(w[:1].upper() + w[1:] for w in t.split())
            text = frame.format(text=self.benign(), t=t, tag=tag)
            self.add("N2-short-title", self.kind(), text)

    def other_link(self) -> str:
        r = self.rng
        digits = "".join(r.choice("0123456789") for _ in range(r.randint(6, 9))).lstrip("0") or "7"
        yid = "".join(r.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789_-") for _ in range(11))
        handle = r.choice(["dacha", "recepty", "kotiki", "shkola", "rybalka", "knigi", "remont", "pogoda"]) + \
            r.choice(["_", ".", ""]) + r.choice(["club", "home", "sovety", "life", "online"]) + str(r.randint(1, 99))
        return r.choice([
            f"https://vk.com/id{digits}", f"vk.com/club{digits}", f"https://m.vk.com/public{digits}",
            f"https://vk.com/wall-{digits}_{r.randint(1, 9999)}", f"https://vk.com/video{digits}_{r.randint(1, 10**9)}",
            f"vk.com/{handle}", f"https://youtu.be/{yid}", f"https://www.youtube.com/watch?v={yid}",
            f"https://ok.ru/profile/{digits}{r.randint(100, 999)}", f"ok.ru/group/{digits}{r.randint(10, 99)}",
            f"https://t.me/{handle}", f"https://vk.ru/{handle}"])

    def n4(self) -> None:
        done = 0
        while done < SIZES["N4-other-link"]:
            url = self.other_link()
            key = canonical(url)
            if not key or key in self.bank.by_url:
                continue
            if self.rng.random() < 0.6:
                self.add("N4-other-link", self.kind(), f"{self.benign()} {url}")
            else:
                self.add("N4-other-link", "post", self.pick("link_text"),
                         attachments=[{"type": "link", "url": url, "title": self.benign()[:60]}])
            done += 1

    def n6(self) -> None:
        songs = []
        for line in self.parts["songs"]:
            artist, title = line.split("|", 1)
            if self.bank.accept_audio(artist, title):
                continue  # an ordinary song must not be a listed one
            songs.append((artist, title))
        self.rng.shuffle(songs)
        for artist, title in songs[: SIZES["N6-benign-audio"]]:
            att: dict[str, Any] = {"type": "audio", "artist": artist, "title": title}
            if self.rng.random() < 0.7:
                att["duration"] = self.rng.randint(150, 340)
            self.add("N6-benign-audio", "audio", "", attachments=[att])

    def build(self) -> None:
        pool = self.quote_pool()
        self.t1(pool)
        self.t2(pool)
        self.n3(pool)
        self.t3()
        self.t6()
        self.t5()
        self.n1()
        self.n2()
        self.n4()
        self.n6()
        self.rng.shuffle(self.items)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path, help="OUT_DIR for items.jsonl and truth.json")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--seed", type=int, default=SEED)
    a = ap.parse_args()
    g = Gen(a.shared, a.seed)
    g.build()
    a.out.mkdir(parents=True, exist_ok=True)
    with open(a.out / "items.jsonl", "w", encoding="utf-8") as f:
        for item in g.items:
            f.write(json.dumps(item, ensure_ascii=False) + "\n")
    (a.out / "truth.json").write_text(json.dumps(g.truth, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(g.items)} items: " + ", ".join(f"{k} {v}" for k, v in sorted(g.counts.items())))
    short = {k: v for k, v in g.counts.items() if v < SIZES[k]}
    if short:
        print(f"WARNING: fewer items than asked: {short}")


if __name__ == "__main__":
    main()
