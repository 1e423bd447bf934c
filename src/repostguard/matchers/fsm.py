"""The FSM matcher: turns list entries into signals and finds them in items.

Signals taken from each active (not excluded) entry:

* **quotes** — every «…» (nested too), “…” and "…" fragment: titles, captions, the first and
  last lines of songs and texts. Each gets a role from the words before it: a page, group or
  user name (``на странице «…»``) is a *source name*, a band or singer (``исполнителя «…»``) a
  *performer*; the rest are *material* quotes.
* **urls** — every address in the entry, repaired and canonicalised (:mod:`.urls`).
* **audio** — performer + title, checked against the entry's text.

Matching an item:

1. Candidates come from an Aho-Corasick automaton (ahocorasick_rs) over short character chunks of every material
   quote (in the :func:`~.normalize.compact` form, so spaces, punctuation, case, ``ё``, look-alike
   letters and zero-width characters do not matter); only chunks that are rare in the list are
   used. Fuzzy scoring (RapidFuzz) runs only on those candidates, never on every title.
2. A candidate is verified by aligning the quote (or, for a truncated quote, its longest
   matching prefix or suffix) with the item's text; small typos are tolerated.
3. Quotes of one or two words, or shorter than 12 letters (a common slogan that happens to be a
   title), never give a ``distribution`` finding from text alone.
4. The level is ``distribution`` when the item reproduces, links or plays the material, and
   ``mention`` when the text around the quote reports on the list (``Минюст внёс в список…``),
   when only a page or band name matches, or when the item relates to a page an entry names (a repost
   from it, a like, comment, bookmark or subscription: see :mod:`.pages`).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any

import ahocorasick_rs
from rapidfuzz import fuzz

from repostguard.banks.fsm import FsmEntry, FsmList
from repostguard.matchers import urls as U
from repostguard.matchers.cache import cached
from repostguard.matchers.morph import lexical_words
from repostguard.matchers.normalize import (
    FAST_CODEC,
    compact,
    compact_cached,
    compact_with_map,
    norm,
    norm_bytes_cached,
)
from repostguard.matchers.pages import RELATION_KINDS, PageIndex, match_pages
from repostguard.matchers.quotes import (
    ALIAS_GAP,
    MIN_QUOTE_LETTERS,
    MIN_QUOTE_WORDS,
    SHORT_WORDS,
    Quote,
    explain_quote,
    extract_quotes,
    file_stem,
    is_address,
    quote_role,
    sayings,
    with_file_stems,
)
from repostguard.matchers.records import (
    AND_GAP,
    PERFORMERS,
    VIDEO_TITLE_LETTERS,
    VIDEO_WORDS,
    named_in,
    split_audio_title,
    video_id_urls,
)
from repostguard.matchers.spans import (
    FULL_SCORE,
    SPEECH,
    align,
    content_words_covered,
    densest,
    letter_follows,
    letter_precedes,
    mid_word,
    overlap,
    set_off,
    text_span,
    word_bounds,
)
from repostguard.model import Evidence, Finding, Item

MATCHER_VERSION = "fsm-3"

CHUNK = 8
LONG_CHUNK = 10
STRIDE = 5
SHORT_STRIDE = 2
SHORT_QUOTE = 32
MAX_CHUNK_DF = 6
CHUNK_SHARE = 0.3
MAX_NEED_CHUNKS = 6

_SITE_ENTRY = re.compile(r"\s*(?:интернет[- ]?)?(?:ресурс|сайт|веб-сайт|web-сайт|портал|информационн\w+\s+ресурс)",
                         re.IGNORECASE)
_QUOTED_URL = re.compile(r"[«\"“„]\s*((?:https?://|www\.)?[^\s«»\"“”]+\.[^\s«»\"“”]+)")
_REPORT_CUES = re.compile(
    r"\b(минюст\w*|министерств\w*\s+юстиции|экстремистск\w*|экстремизм\w*|запрещ[её]н\w*|запрет\w*|"
    r"признал[аи]?|признан[аоы]?|суд\s+(?:признал|постановил|вынес)|федеральн\w*\s+спис\w*|"
    r"внес[её]н\w*\s+в\s+спис\w*|внес\s+в\s+спис\w*|внесли\s+в\s+спис\w*|включ\w+\s+в\s+спис\w*)"
)


class FsmMatcher:
    """Matches items against one parsed list. Build once per scan; :meth:`match` per item."""

    bank = "fsm"
    version = MATCHER_VERSION

    def __init__(self, fsm: FsmList) -> None:
        self.list = fsm
        self.list_version = fsm.version
        self.entries: dict[int, FsmEntry] = {e.number: e for e in fsm.active}
        self.quotes: dict[str, Quote] = {}
        self.url_index: dict[str, set[int]] = defaultdict(set)
        self.site_index: dict[str, set[int]] = defaultdict(set)
        self.entry_compact: dict[int, str] = {}
        #: the performers an entry names (as written), to tell a song of the same title by someone else
        self.entry_performers: dict[int, set[str]] = {}
        self.site_entries: set[int] = set()  # entries that list a whole site, not a page of it
        for e in self.entries.values():
            self._add_entry(e)
        self.pages = PageIndex.build(self.entries.values(), self.url_index)
        self.text_quotes: list[Quote] = [q for q in self.quotes.values() if q.strong]
        self.sayings = sayings()
        self.by_compact_any: dict[str, list[Quote]] = defaultdict(list)
        for q in self.quotes.values():
            self.by_compact_any[q.compact].append(q)
        self._build_automaton()

    @classmethod
    def cached(cls, fsm: FsmList, cache_dir: Path | None) -> FsmMatcher:
        """The matcher for ``fsm``, from the cache if it was built before (keyed by list and matcher)."""
        return cached(cache_dir, f"fsm-{fsm.sha256[:16]}-{MATCHER_VERSION}", lambda: cls(fsm),
                      lambda m: isinstance(m, cls) and m.list.sha256 == fsm.sha256)

    # -- building --------------------------------------------------------------------------

    def _add_entry(self, e: FsmEntry) -> None:
        self.entry_compact[e.number] = compact(e.text)
        performer_end = -1
        for frag, start in with_file_stems(extract_quotes(e.text)):
            c = compact(frag)
            if len(c) < 2:
                continue
            role = quote_role(e.text, start)
            if role == "performer" or (performer_end >= 0 and ALIAS_GAP.fullmatch(e.text[performer_end:start])) or (
                    performer_end >= 0 and AND_GAP.fullmatch(e.text[performer_end:start])):
                # a performer, its other spelling right after it («Кальвадос» («Calvados»)), or the next of
                # several («Замай» и «Слава КПСС»)
                self.entry_performers.setdefault(e.number, set()).add(frag.strip())
                performer_end = start + len(frag) + 2
            else:
                performer_end = -1
            q = self.quotes.get(c)
            words = sum(1 for w in frag.split() if any(ch.isalnum() for ch in w))
            if q is None or words > q.words:
                # the same letters written with more words apart («околореп-Зигазага» and «Околореп - Зига,
                # Зага»): the spelling that shows its words counts them, whichever entry came first
                ws = norm(frag).split()
                new = Quote(compact=c, text=frag.strip(), words=words, role=role,
                            content_words=sum(1 for w in ws if len(w) >= 3), lexical=lexical_words(ws),
                            is_url=is_address(frag), norm_words=tuple(ws))
                if q is not None:
                    new.entries, new.role = q.entries, "material" if "material" in (q.role, role) else q.role
                self.quotes[c] = q = new
            elif q.role != "material" and role == "material":
                q.role = "material"
            q.entries.add(e.number)
        head = e.text[:160]
        if _SITE_ENTRY.match(e.text):
            for raw in U.find_urls(head, repair=True):
                key = U.canonical(raw)
                if key and U.is_site_only(key):
                    self.site_entries.add(e.number)
        joined = U.join_broken_escapes(e.text)
        sites: set[str] = set()
        page_hosts: set[str] = set()
        for raw in dict.fromkeys(U.find_urls(e.text, repair=True) + U.find_urls(joined, repair=True)):
            key = U.canonical(raw)
            if key is None:
                continue
            if U.is_site_only(key):
                sites.add(key)
            else:
                self.url_index[key].add(e.number)
                page_hosts.add(U.host_of(key))
            if U.is_site_only(key):
                self.url_index[key].add(e.number)
            for alias in U.aliases(key):  # the same post as an export writes it (an X like, a Mastodon boost)
                self.url_index[alias].add(e.number)
        # a site the entry names only as where its files lie («на сайте www.ifolder.ru, в файлах … по
        # ссылкам ifolder.ru/…») is a host of those files, not the material's own site: another page of it
        # is not a sign of the material
        for site in sites - page_hosts:
            self.site_index[site].add(e.number)

    def _build_automaton(self) -> None:
        df: dict[str, set[int]] = defaultdict(set)
        chunks_of: list[list[str]] = []
        heads: list[tuple[str, str]] = []  # per quote: its first two chunks
        for qi, q in enumerate(self.text_quotes):
            c = q.compact
            # short quotes: short chunks at every 2nd letter (a typo must not hide them); long quotes:
            # longer chunks, which ordinary text hits far less often
            stride, size = (SHORT_STRIDE, CHUNK) if len(c) <= SHORT_QUOTE else (STRIDE, LONG_CHUNK)
            cs = {c[i : i + size] for i in range(0, max(1, len(c) - size + 1), stride)}
            if len(c) > size:
                cs.add(c[-size:])
            chunks_of.append(sorted(cs))
            heads.append((c[:size], c[stride : stride + size]))
            for ch in cs:
                df[ch].add(qi)
        self.chunk_count: list[int] = []
        postings: dict[str, list[int]] = defaultdict(list)
        self.need: list[int] = []
        for qi, chs in enumerate(chunks_of):
            kept = [ch for ch in chs if len(df[ch]) <= MAX_CHUNK_DF] or chs
            self.chunk_count.append(len(kept))
            cc = len(kept)
            self.need.append(min(MAX_NEED_CHUNKS, max(1 if cc <= 2 else 2, math.ceil(CHUNK_SHARE * cc))))
            for ch in kept:
                postings[ch].append(qi)
        # a chunk's value is its id; its quotes are in self.postings[id], its text in self.chunk_text[id]
        self.postings: list[tuple[int, ...]] = []
        self.chunk_text: list[str] = []
        ids: dict[str, int] = {}
        for ci, (ch, qis) in enumerate(postings.items()):
            self.postings.append(tuple(qis))
            self.chunk_text.append(ch)
            ids[ch] = ci
        #: per chunk that is a long quote's first, the quote and the id of its second chunk (a short quote's first
        #: two chunks, ten letters, are in too many ordinary texts; so are many quotes' last two, which end
        #: in common words: «…этим государством»)
        heads_of: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for qi, (a, b) in enumerate(heads):
            if (len(self.text_quotes[qi].compact) > SHORT_QUOTE and a != b and a in ids and b in ids
                    and qi in postings[a] and qi in postings[b]):
                heads_of[ids[a]].append((qi, ids[b]))
        self.heads = dict(heads_of)
        self.head_ids = frozenset(self.heads)  # (a set: the intersection with a text's runs over the smaller)
        #: the chunk ids of each quote
        self.quote_chunks: list[tuple[int, ...]] = [
            tuple(ids[ch] for ch in chs if ch in ids and qi in postings[ch]) for qi, chs in enumerate(chunks_of)]
        # the same chunks and quotes in the automaton's bytes: texts on the fast path are verified in bytes
        self.chunk_bytes: list[bytes] = [c.encode(AC_CODEC, "replace") for c in self.chunk_text]
        self.quote_bytes: list[bytes] = [q.compact.encode(AC_CODEC, "replace") for q in self.text_quotes]
        self.automaton = _chunk_automaton(self.chunk_bytes) if self.chunk_bytes else None

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["automaton"] = None  # not picklable; rebuilt from the chunks on load (a fraction of a second)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.automaton = _chunk_automaton(self.chunk_bytes) if self.chunk_bytes else None

    # -- matching --------------------------------------------------------------------------

    def match(self, item: Item, extra_texts: list[tuple[str, str]] | None = None) -> list[Finding]:
        """Every finding of ``item`` (at most one per entry: the strongest)."""
        best: dict[int, Finding] = {}
        texts = item.texts()
        if extra_texts:
            texts += extra_texts
        for fld, text in texts:
            self._match_text(item, fld, text, best)
            if "«" in text or '"' in text or "“" in text:
                self._match_named_titles(item, fld, text, best)
        self._match_urls(item, texts, best)
        if item.attachments:
            self._match_audio(item, best)
            self._match_video_titles(item, best)
        if item.reposted_from is not None or item.kind in RELATION_KINDS:
            match_pages(self, item, best)  # a repost's source page, a liked or bookmarked post's page…
        return list(best.values()) if best else []

    def _offer(self, best: dict[int, Finding], f: Finding) -> None:
        n = int(f.entry)
        old = best.get(n)
        rank = {"distribution": 0, "mention": 1}
        if old is None or (rank[f.level], -f.score) < (rank[old.level], -old.score):
            best[n] = f

    def _finding(self, item: Item, n: int, level: str, signal: str, score: float, ev: Evidence,
                 ru: str, en: str) -> Finding:
        return Finding(item_id=item.id, item_ref=item.ref, bank="fsm", entry=str(n), level=level, signal=signal,
                       score=round(score, 3), evidence=ev, explanation_ru=ru, explanation_en=en,
                       list_version=self.list_version)

    def _match_text(self, item: Item, fld: str, text: str, best: dict[int, Finding]) -> None:
        if self.automaton is None or len(text) < MIN_QUOTE_LETTERS:
            return
        # the compact form in bytes: computed in C for most texts (norm_bytes), else from the full path
        fast = norm_bytes_cached(text)
        t: str | None = None
        if fast is None:
            t = compact_cached(text)
            key = t.encode(AC_CODEC, "replace")
        else:
            key = fast.replace(b" ", b"")
        if len(key) < MIN_QUOTE_LETTERS:
            return
        auto = self.automaton
        post = self.postings
        # first pass: the distinct chunks the text holds, and per quote how many of its chunks that is;
        # the second pass (where each chunk is) runs only for the few quotes that reach their share
        ids = set(map(itemgetter(0), auto.find_matches_as_indexes(key, overlapping=True)))
        if not ids:
            return
        need_of = self.need
        counts = Counter(chain.from_iterable(map(post.__getitem__, ids)))
        # per candidate quote, the chunks that must lie close together: its share of them, or two where the
        # text holds a long quote's first two chunks (a quote cut short, with a typo in what is left, holds
        # fewer than its share)
        cands = {qi: need_of[qi] for qi, c in counts.items() if c >= need_of[qi]}
        heads = self.heads
        for ci in ids.intersection(self.head_ids):
            for qi, other in heads[ci]:
                if other in ids and qi not in cands:
                    cands[qi] = 2
        if not cands:
            return
        # verification aligns the compact forms: in bytes on the fast path (one byte per letter, so the
        # same offsets and scores), else in str
        fast_path = t is None
        tt: str | bytes = key if t is None else t
        chunk_of: list[bytes] | list[str] = self.chunk_bytes if fast_path else self.chunk_text
        matches: list[tuple[int, float, int, int, Quote]] = []  # covered, score, start, end, quote
        offsets: list[int] | None = None
        located: list[tuple[int, int, list[tuple[int, int]]]] = []
        for qi in cands:
            # where the quote's chunks are in the text (few chunks, found directly), in text order
            hits: list[tuple[int, int]] = []
            for ci in self.quote_chunks[qi]:
                if ci in ids:
                    ch = chunk_of[ci]
                    pos = tt.find(ch)  # type: ignore[arg-type]  # both str or both bytes
                    while pos >= 0:
                        hits.append((pos + len(ch) - 1, ci))
                        pos = tt.find(ch, pos + 1)  # type: ignore[arg-type]
            if hits:
                hits.sort()
                located.append((hits[0][0], qi, hits))
        located.sort(key=itemgetter(0, 1))  # in text order: equal matches keep the first quote met
        for _, qi, hits in located:
            need = cands[qi]
            q = self.text_quotes[qi]
            n = len(q.compact)
            span = densest(hits, int(1.5 * n) + CHUNK, need)
            if span is None:
                continue  # the shared chunks are scattered over the text, not one passage
            lo = max(0, span[0] - n - CHUNK)
            hi = min(len(tt), span[1] + n + 1)
            # a title of four words or fewer is never found truncated («говорил мой дед» is not «как говорил
            # мой дед»): only the whole of it is looked for
            res = align(self.quote_bytes[qi] if fast_path else q.compact, tt[lo:hi], parts=q.words > SHORT_WORDS)
            if res is None:
                continue
            res = (res[0], (res[1][0] + lo, res[1][1] + lo), res[2], res[3])
            score, (s, e), covered, part = res
            if part != "full" and content_words_covered(q.norm_words, covered, part) < MIN_QUOTE_WORDS:
                continue  # too little of the quote: a few common words are not evidence
            if offsets is None:
                offsets = compact_with_map(text)[1]
            start, end = text_span(offsets, s, e)
            if score < 100.0 and (mid_word(text, start) or mid_word(text, end)):
                # a loose alignment that cuts a word («С днём рождения, Ле|на» for «С днем рождения дед»):
                # it must still hold once widened to whole words
                if part != "full":
                    continue
                fits = [b for b in (word_bounds(text, start, end), word_bounds(text, start, end, inward=True))
                        if fuzz.ratio(q.compact, compact(text[b[0]:b[1]])) >= FULL_SCORE]
                if not fits:
                    continue
                start, end = fits[0]
            if part == "prefix" and letter_follows(text, end):
                continue  # the text goes on with other words: a different title that starts the same way
            if part == "suffix" and letter_precedes(text, start):
                continue
            matches.append((covered, score, start, end, q))
        # a longer quote matched over the same words makes the shorter ones redundant
        def rank(m: tuple[int, float, int, int, Quote]) -> tuple[bool, float, float]:
            # full matches before truncated ones; among full ones the closest (then the longest),
            # among truncated ones the longest part (then the closest)
            full = m[0] >= len(m[4].compact)
            return (not full, -m[1], -m[0]) if full else (True, -m[0], -m[1])

        # a match is dropped when a strictly better match of another quote covers its words
        matches.sort(key=rank)
        kept: list[tuple[int, float, int, int, Quote]] = []
        for m in matches:
            if any(rank(k) < rank(m) and overlap(k[2], k[3], m[2], m[3]) >= 0.8 * (m[3] - m[2]) for k in kept):
                continue
            kept.append(m)
        for covered, score, start, end, q in kept:
            outside = text[:start] + " " + text[end:]
            reporting = bool(_REPORT_CUES.search(norm(outside)))
            # a saying used as one (in running text, or quoted as what someone says); set off in quotes on
            # its own it is a title, and a title is the material's
            said = (q.compact in self.sayings or compact(text[start:end]) in self.sayings) and (
                not set_off(text, start, end) or bool(SPEECH.search(text[max(0, start - 50) : start])))
            why = "report" if reporting else ("name" if q.is_name else
                                              ("saying" if said else
                                               ("slogan" if q.is_slogan else
                                                ("generic" if q.is_generic else ""))))
            level = "mention" if why else "distribution"
            partial = covered < len(q.compact)
            for n in q.entries:
                ru, en = explain_quote(n, q.text, score, partial, why, len(q.entries))
                ev = Evidence(field=fld, text=text[start:end], span=(start, end), matched=q.text)
                self._offer(best, self._finding(item, n, level, "quote", score / 100.0, ev, ru, en))

    def _match_urls(self, item: Item, texts: list[tuple[str, str]], best: dict[int, Finding]) -> None:
        found: list[tuple[str, str]] = list(item.urls()) + video_id_urls(item)
        if item.kind in RELATION_KINDS and item.url:
            # the liked, commented or bookmarked object (or the subscribed page) that an importer also
            # gives as an attachment is a relation (matched in pages.py), not a link the person shared
            found = [(fld, u) for fld, u in found if u != item.url]
        for fld, text in texts:
            for u in U.find_urls(text):
                found.append((fld, u))
        if not found:
            return
        quoted = {u for fld, text in texts for u in _quoted_urls(text)}
        for fld, raw in found:
            key = U.canonical(raw)
            if key is None:
                continue
            for n in self.url_index.get(key, ()):
                if U.is_site_only(key) and n not in self.site_entries:
                    level, score = "mention", 0.6
                    ru = (f"Упомянут сайт {key}, на котором, согласно записи № {n} списка, был размещён "
                          "материал; сам сайт в список не внесён.")
                    en = (f"Names the site {key} where, according to entry No. {n} of the list, the material was "
                          "published; the site itself is not listed.")
                elif raw in quoted:
                    level, score = "mention", 0.6
                    ru = (f"Адрес из записи № {n} списка приведён в кавычках, как цитата ({key}); "
                          "это упоминание адреса, но по нему можно перейти.")
                    en = (f"An address from entry No. {n} of the list is quoted as text ({key}); "
                          "a mention of the address, though it can still be followed.")
                else:
                    level, score = "distribution", 1.0
                    ru = f"Ссылка ведёт на адрес, названный в записи № {n} списка: {key}."
                    en = f"The link points to an address named in entry No. {n} of the list: {key}."
                self._offer(best, self._finding(item, n, level, "url", score,
                                                Evidence(field=fld, text=raw, matched=key), ru, en))
            host = U.host_of(key)
            if not U.is_site_only(key) and host not in U.PLATFORM_HOSTS:
                for n in self.site_index.get(host, ()):
                    ru = (f"Ссылка ведёт на другую страницу сайта {host}, названного в записи № {n} списка; "
                          "сама страница в списке не названа.")
                    en = (f"The link points to another page of the site {host} named in entry No. {n}; "
                          "the page itself is not named in the list.")
                    self._offer(best, self._finding(item, n, "mention", "site", 0.5,
                                                    Evidence(field=fld, text=raw, matched=host), ru, en))

    def _match_named_titles(self, item: Item, fld: str, text: str, best: dict[int, Finding]) -> None:
        """A song or film named in quotes together with its performer («Колумбайн» Замая): a mention of the
        entry, however short the title (the text names the material; it does not reproduce it)."""
        words: set[str] | None = None
        for frag, _start in extract_quotes(text):
            for q in self.by_compact_any.get(compact(frag), []):
                if q.role != "material":
                    continue
                for n in q.entries:
                    performers = self.entry_performers.get(n)
                    if not performers:
                        continue
                    if words is None:
                        words = set(norm(text).split())
                    named = [p for p in sorted(performers) if named_in(p, words)]
                    if not named:
                        continue
                    who = ", ".join(f"«{p}»" for p in named)
                    ru = (f"Текст называет материал № {n} списка («{q.text}», исполнитель {who}), но не воспроизводит "
                          "его: это упоминание.")
                    en = (f"The text names material No. {n} of the list (“{q.text}” by {who}) without reproducing "
                          "it: a mention.")
                    ev = Evidence(field=fld, text=frag, matched=q.text)
                    self._offer(best, self._finding(item, n, "mention", "quote", 0.6, ev, ru, en))

    def _match_video_titles(self, item: Item, best: dict[int, Finding]) -> None:
        """A video attachment whose title (without a file extension) is the title of a listed video."""
        for i, a in enumerate(item.attachments):
            if a.type != "video" or not a.title:
                continue
            title_c = compact(file_stem(a.title))
            for q in self.by_compact_any.get(title_c, []):
                if q.role != "material":
                    continue
                for n in q.entries:
                    if not any(w in self.entry_compact.get(n, "")[:60] for w in VIDEO_WORDS):
                        continue  # the entry is not a video: a book or a song of that title is another thing
                    if len(title_c) >= VIDEO_TITLE_LETTERS and q.words >= 2:
                        level, score = "distribution", 0.9
                        ru = f"Видеозапись: её название совпадает с названием видеоматериала № {n} списка."
                        en = f"Video: its title is the title of the video material No. {n} of the list."
                    else:
                        level, score = "mention", 0.5
                        ru = (f"Видеозапись: её короткое название совпадает с названием видеоматериала № {n} "
                              "списка; одного названия мало, чтобы сказать, что это он, — проверьте.")
                        en = (f"Video: its short title is the title of the video material No. {n} of the list; "
                              "a title this short is not enough to tell: check it.")
                    ev = Evidence(field=f"attachments[{i}].title", text=a.title, matched=q.text)
                    self._offer(best, self._finding(item, n, level, "video", score, ev, ru, en))

    def _match_audio(self, item: Item, best: dict[int, Finding]) -> None:
        for i, a in enumerate(item.attachments):
            if a.type != "audio" or not a.title:
                continue
            artist, title = split_audio_title(a.artist or "", a.title)
            title_c = compact(title)
            artist_c = compact(artist)
            if not title_c:
                continue
            performers = [c for c in (compact(p) for p in PERFORMERS.split(artist)) if len(c) >= 3]
            cands: list[tuple[Quote, bool]] = [(q, False) for q in self.by_compact_any.get(title_c, [])]
            if artist_c:
                cands += [(q, True) for q in self.by_compact_any.get(artist_c + title_c, [])]
            shown = f"{artist} – {title}" if artist else title
            for q, combined in cands:
                if q.role not in ("material", "performer") and not combined:
                    continue
                for n in q.entries:
                    ec = self.entry_compact.get(n, "")
                    # the record's performer, or one of its performers («Замай, Слава КПСС»), named by the entry
                    artist_ok = combined or (len(artist_c) >= 3 and artist_c in ec) or (
                        len(performers) > 1 and any(p in ec for p in performers))
                    if not artist_ok and len(artist_c) >= 5 and ec:
                        artist_ok = fuzz.partial_ratio(artist_c, ec, score_cutoff=90) > 0
                    if artist_ok:
                        level, score = "distribution", 1.0
                        ru = f"Аудиозапись: исполнитель и название совпадают с материалом № {n} списка."
                        en = f"Audio record: performer and title match material No. {n} of the list."
                    elif artist_c and self.entry_performers.get(n):
                        # the entry names its performer and the record has another one: a song of the
                        # same title by someone else, most likely not the material
                        others = ", ".join(f"«{x}»" for x in sorted(self.entry_performers[n]))[:100]
                        level, score = "mention", 0.4
                        ru = (f"Аудиозапись: название совпадает с материалом № {n} списка, но исполнитель "
                              f"другой (в списке: {others}); вероятно, это другая песня — проверьте.")
                        en = (f"Audio record: the title matches material No. {n} of the list, but the performer "
                              f"differs (the list names: {others}); most likely another song: check it.")
                    elif q.strong and q.role == "material":
                        level, score = "distribution", 0.8
                        ru = (f"Аудиозапись: название совпадает с материалом № {n} списка "
                              "(исполнитель в записи списка не назван или другой).")
                        en = (f"Audio record: the title matches material No. {n} of the list "
                              "(the entry names no performer, or another one).")
                    else:
                        continue
                    ev = Evidence(field=f"attachments[{i}]", text=shown, matched=q.text)
                    self._offer(best, self._finding(item, n, level, "audio", score, ev, ru, en))


AC_CODEC = FAST_CODEC


def _chunk_automaton(chunks: list[bytes]) -> Any:
    """An Aho-Corasick automaton whose pattern ids are the chunk ids (ahocorasick_rs, contiguous NFA)."""
    return ahocorasick_rs.BytesAhoCorasick(chunks, implementation=ahocorasick_rs.Implementation.ContiguousNFA)


def _quoted_urls(text: str) -> set[str]:
    """Addresses written inside quotation marks (cited as text rather than shared as a link)."""
    if "«" not in text and '"' not in text and "“" not in text:
        return set()
    out: set[str] = set()
    for m in _QUOTED_URL.finditer(text):
        out.update(U.find_urls(m.group(1)))
    return out
