"""The organisation matcher: names, aliases and web sites of organisations on the three lists.

Phrases taken from each entry that is not excluded (and is not a person):

* the name itself (unless it is an «объединение, членами которого являются …» entry, whose text
  names private persons: of those only the quoted organisation names and the aliases are used),
  its aliases and every «…» fragment, and Latin names in parentheses;
* country names that the mirror's parser left among the aliases, fragments shorter than three
  letters and bare legal forms are dropped;
* every phrase is turned into a sequence of word keys (:mod:`.morph`: lemmas for Cyrillic, so
  case forms match; a transliteration skeleton for Latin, and a transliterated copy of each
  Cyrillic phrase, so ``Azov``/``Meduza`` meet «Азов»/«Медуза»).

Levels: a distinctive phrase gives a ``mention``. A *weak* phrase — one or two ordinary dictionary
words such as «База» or «Свободная Россия» — counts only when the item puts it in quotes, writes
every word with a capital letter, or talks about organisations or bans near it, and then gives an
``indicator``. Upper-case abbreviations (АУЕ, ФБК) match only in upper case. Links to a domain
named in an entry (or in an installed ``sites`` list) are findings of their own (signal
``org-link``). No organisation finding is ever ``distribution``, and a person's name is never
matched.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from repostguard.banks.orgs import KINDS, ORG_KINDS, OrgEntry, OrgList, load_org_list, store_rows
from repostguard.matchers import urls as U
from repostguard.matchers.base import ListBank, Matcher
from repostguard.matchers.cache import cached
from repostguard.matchers.gate import GateTerms, Group
from repostguard.matchers.morph import (
    is_dictionary_word,
    is_given_name,
    is_place,
    morph,
    tokens,
    translit,
    word_key,
    words_of,
)
from repostguard.matchers.normalize import FAST_CODEC, norm
from repostguard.matchers.orgs_gate import CUE_STEMS, GATE, QUOTE_MARKS, Look
from repostguard.matchers.wordfreq import prefix_count
from repostguard.model import Evidence, Finding, Item
from repostguard.paths import cache_dir
from repostguard.store import Store

MATCHER_VERSION = "orgs-1"
PREFIX = 6
COMMON_DF = 8


def _prefix(nw: str) -> str:
    """The prefix of a normalised word that its case forms share: «весна» → «вес», «фонд» → «фон»."""
    return nw[: min(PREFIX, max(3, len(nw) - 2))] if re.search("[а-я]", nw) else nw[:PREFIX]


_LEGAL_FORMS = re.compile(
    r"^(?:ооо|оао|зао|ао|нко|ано|нпо|ип|ltd|inc|llc|gmbh|e\s*v|z\s*s|s\s*r\s*o|o\s*p\s*s|mtu|мту|фонд|центр|"
    r"институт|ассоциация|движение|организация|объединение|союз|общество|партия|группа|сообщество)$",
    re.IGNORECASE,
)
_COUNTRY_WORDS = {
    "королевство",
    "республика",
    "штат",
    "конфедерация",
    "герцогство",
    "княжество",
    "федерация",
    "государство",
    "содружество",
    "америка",
    "украина",
    "германия",
    "латвия",
    "литва",
    "эстония",
    "польша",
    "чехия",
    "грузия",
    "великобритания",
    "канада",
    "нидерланды",
    "швеция",
    "франция",
    "швейцария",
    "норвегия",
    "финляндия",
    "австрия",
    "израиль",
    "ирландия",
    "дания",
    "бельгия",
    "люксембург",
    "италия",
    "испания",
    "кипр",
    "молдова",
    "болгария",
    "румыния",
}
_PAREN_LATIN = re.compile(r"\(([A-Za-z][^()«»]{2,100})\)")
_QUOTE = re.compile(r"«([^«»]{2,150})»")
#: a noun of a kind of thing that is not an organisation, among the three words before a name, makes the
#: name that thing's own (a namesake): «магазин «Мир Всем»», «кафе «Весна»», «щенка назвали Айдар»
_NAMESAKE_KIND = re.compile(
    r"(?:^|\s)(?:магазин|кафе|ресторан|бар|кофейн|пиццери|столов|салон|ателье|аптек|гостиниц|отел|хостел|"
    r"санатори|лагер|турбаз|кинотеатр|театр|дк|дом[а-яё]* культуры|секци|студи|хор|ансамбл|кружк|кружок|лице|"
    r"гимнази|детск[а-яё]* сад|тц|трц|торгов[а-яё]* центр|рынок|рынк|стадион|спорткомплекс|бассейн|парк|"
    r"сквер|улиц|проспект|площад|переул|бульвар|сорт|бренд|фильм|песн|книг|журнал|газет|конкурс|фестивал|"
    r"турнир|кличк|назвал|зовут|собак|котик|котён|котен|кошк|щен|пёс|пес)[а-яё]*(?=[\s«\"“,]|$)",
    re.IGNORECASE,
)
#: words about organisations and bans, in the text as written (the gate finds their stems in normalised text)
_CUE = re.compile("(" + "|".join(CUE_STEMS) + ")", re.IGNORECASE)


@dataclass
class Phrase:
    """One matchable phrase: its word keys, the entries it names and how strong it is."""

    keys: tuple[str, ...]
    text: str
    entries: set[str] = field(default_factory=set)
    weak: bool = False
    upper: str | None = None  # an abbreviation that must be written in upper case


def _clean_alias(a: str) -> str | None:
    a = " ".join(a.strip(" «»\"'.,;:()").split())
    ws = words_of(a)
    if len(a.replace(" ", "")) < 3 or not ws:
        return None
    if all(_LEGAL_FORMS.match(w) for w in ws):
        return None
    keys = [word_key(w) for w in ws]
    if any(k in _COUNTRY_WORDS for k in keys) and len(ws) <= 4:
        return None
    if len(ws) == 1 and is_place(norm(ws[0])):
        return None
    return a


def entry_phrases(e: OrgEntry) -> list[str]:
    """The surface phrases an entry is matched by (never the persons named in a person-group entry)."""
    raw: list[str] = list(e.aliases)
    raw += _QUOTE.findall(e.name)
    if not e.person_group:
        raw.append(e.name)
        raw += _PAREN_LATIN.findall(e.name)
    out: list[str] = []
    for r in raw:
        c = _clean_alias(r)
        if c and c not in out:
            out.append(c)
    return out


def _phrase_for(text: str) -> Phrase | None:
    ws = words_of(text)
    if not ws:
        return None
    keys = tuple(word_key(w) for w in ws)
    upper = None
    if len(ws) == 1 and ws[0].isupper() and len(ws[0]) <= 6:
        upper = ws[0]
    cyr = [w for w in ws if re.search(r"[а-яё]", w, re.IGNORECASE)]
    # ordinary words: dictionary words, places, people's first names («Айдар», «Салават») and numbers
    # («Группа 36»); a name made only of them is weak
    weak = (
        upper is None
        and len(ws) <= 2
        and bool(cyr)
        and all(w.isdigit() or w in cyr for w in ws)
        and all(w.isdigit() or is_dictionary_word(norm(w)) or is_place(norm(w)) or is_given_name(norm(w))
                for w in ws)
    )
    if upper is None and len(ws) == 1 and len(keys[0].lstrip("~")) < 4:
        weak = True
    return Phrase(keys=keys, text=text, weak=weak, upper=upper)




def _adjacent(ws: list[str]) -> str | None:
    """For the scan's text gate: a pattern over normalised text that a text holding the phrase of words
    ``ws`` matches, their word starts one after the other (a word's other letters and spaces between them;
    none when a character :func:`norm` deletes stood there); None for one word, or a word of several parts
    (``Ногай-Эл``: its start alone does not tell where the next word starts)."""
    if len(ws) < 2 or any(not re.fullmatch(r"[^\W_]+", w) for w in ws):
        return None
    starts = [_prefix(norm(w)) for w in ws]
    if not all(starts):
        return None
    out = " "
    for i, (w, x) in enumerate(zip(ws, starts, strict=True)):
        if _whole(w):
            out += re.escape(x) + (" +" if i < len(ws) - 1 else " ")  # the word itself, then its end
        else:
            out += re.escape(x) + ("[^ ]* *" if i < len(ws) - 1 else "")
    return out


def _whole(w: str) -> bool:
    """Whether a word ``w`` of a name can only be matched whole (its normalised form, then a word's end): a
    short word written in Cyrillic that pymorphy cannot analyse at all («Ра» of «Век Ра») is its own key
    and has no other forms, while the start of an ordinary word it is (``ра``: «работа», «раз») is
    everywhere. (A Latin word's key is a skeleton that other spellings share: never whole.)"""
    nw = norm(w)
    return (len(nw) <= 3 and re.fullmatch("[а-яёА-ЯЁ]+", w) is not None
            and "UNKN" in str(morph().parse(nw)[0].tag))


class OrgMatcher:
    """Matches items against one organisation list (``only`` restricts it to some entry keys)."""

    version = MATCHER_VERSION

    def __init__(self, lst: OrgList, only: set[str] | None = None, sites: OrgList | None = None) -> None:
        self.list = lst
        self.kind = lst.kind
        self.bank = KINDS[lst.kind].bank
        self.list_version = lst.version
        self.entries: dict[str, OrgEntry] = {
            e.key: e for e in lst.entries if e.matchable and (only is None or e.key in only)
        }
        self.phrases: dict[tuple[str, ...], Phrase] = {}
        self.domains: dict[str, set[str]] = defaultdict(set)
        for e in self.entries.values():
            for text in entry_phrases(e):
                self._add(text, e.key)
                if re.search(r"[а-яё]", text, re.IGNORECASE) and not text.isupper():
                    self._add(translit(text), e.key, translit_of=True)
            for d in e.domains:
                self.domains[d].add(e.key)
        if sites is not None and self.kind == "undesirable":
            self._add_sites(sites)
        self.by_first: dict[str, list[Phrase]] = defaultdict(list)
        for p in self.phrases.values():
            self.by_first[p.keys[0]].append(p)
        self._build_prefilter()

    @classmethod
    def cached(cls, lst: OrgList, sites: OrgList | None, cache_dir: Path | None) -> OrgMatcher:
        """The matcher of ``lst`` (with ``sites``), from the cache when it was built before (:mod:`.cache`)."""
        sites_key = sites.sha256[:16] if sites is not None and lst.kind == "undesirable" else "-"
        return cached(cache_dir, f"orgs-{lst.kind}-{lst.sha256[:16]}-{sites_key}-{MATCHER_VERSION}",
                      lambda: cls(lst, sites=sites),
                      lambda m: isinstance(m, cls) and m.list.sha256 == lst.sha256)

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        GATE.join(self)  # a matcher loaded from the cache searches through the shared gate too

    def _add(self, text: str, key: str, translit_of: bool = False) -> None:
        p = _phrase_for(text)
        if p is None:
            return
        if translit_of and len(p.keys) == 1 and len(p.keys[0]) < 6:
            return  # short transliterations collide with ordinary Latin words
        old = self.phrases.get(p.keys)
        if old is None:
            self.phrases[p.keys] = p
            old = p
        old.entries.add(key)

    def _add_sites(self, sites: OrgList) -> None:
        names = {norm(n): e.key for e in self.entries.values() for n in [e.name, *e.aliases]}
        for s in sites.entries:
            label = norm(s.name.split(" — ", 1)[-1])
            for n, key in names.items():
                if n and label.find(n) >= 0:
                    for d in s.domains:
                        self.domains[d].add(key)

    def prefilter_pieces(self) -> list[str]:
        """The prefilter's word prefixes (without spaces, so they also hold in :func:`compact` text)."""
        return [p.replace(" ", "") for p in self._pieces]

    def _build_prefilter(self) -> None:
        """The scan's prefilter, so almost every item is skipped before tokenisation (cheap, in C).

        A phrase can only match a text in which each of its words of two letters or more starts a word
        (the word's prefix, with room for case endings: «Весна» → «Весну»); a site only where its name
        starts a word. One automaton holds one *anchor* per phrase, the prefix of its rarest word (a word
        pymorphy does not know, then one few names share, then the longest), so an ordinary text usually
        holds none. Only when an anchor is found are the phrase's other prefixes looked for, and what the
        full match will demand of the text as written checked: an abbreviation in capitals, a weak
        one-word name in quotation marks, a weak two-word name in quotation marks, near words about
        organisations, or with its first word's capital. :meth:`prefilter_pieces` gives the anchors
        for the re-check, which looks for any of them.
        """
        df: Counter[str] = Counter()
        for p in self.phrases.values():
            df.update(set(p.keys))
        self._pieces: list[str] = []  # one anchor per phrase and site (the re-check's pieces)
        needs: list[set[str]] = []  # per phrase or site: the prefixes it needs
        #: per phrase or site: (capitals it needs, what else the text as written must hold: "" nothing,
        #: "q" quotation marks, "qc" quotation marks or words about organisations, "qcw" those or ``cap``)
        checks: list[tuple[str | None, str, str]] = []
        adjacent: list[str | None] = []  # per phrase or site: its words' starts one after the other (_adjacent)
        for p in self.phrases.values():
            ws = words_of(p.text)
            # the word whose start is rarest in ordinary text (then among names, then the longest): generic
            # words (организация, движение, мир, человек) would let ordinary texts through
            w = min(ws, key=lambda w: (prefix_count(_prefix(norm(w))) if len(_prefix(norm(w))) >= 3 else 1 << 40,
                                       df[word_key(w)], -len(w)))
            pre = _prefix(norm(w))
            if len(pre) < 3 or (len(ws) > 1 and all(len(x) <= 3 for x in ws)):
                pre = norm(p.text)[:PREFIX]  # short words («Век Ра»): the phrase's start, spaces included
            if not pre:
                continue
            self._pieces.append(pre)
            every = {q for q in (_prefix(norm(x)) for x in ws) if len(q) >= 2}
            needs.append(every or {pre})
            # what the full match (_match_text) will demand of the text as written
            gate, cap = "", ""
            if p.weak and len(p.keys) == 1:
                gate = "q"  # one ordinary word: only as a quoted name
            elif p.weak:
                cap = ws[0][:3] if ws[0][:1].isupper() else ""
                gate = "qcw" if cap else "qc"
            checks.append((p.upper, gate, cap))
            adjacent.append(_adjacent(ws))
        for d in self.domains:
            pre = norm(d.split(".")[0])[:PREFIX]
            if pre:
                self._pieces.append(pre)
                needs.append({pre})
                checks.append((None, "", ""))
                adjacent.append(None)
        self._checks = checks
        # the anchors of distinctive names and sites (strong) and of weak names go to the gate shared by the
        # three lists (orgs_gate), which searches every item once for all of them and the cue stems
        #: per phrase or site: the word starts the text must hold besides the anchor (checked with a
        #: plain search in the few texts an anchor lets through)
        # (a weak name's anchor is checked too: the capitals path finds it by its capitals, not its anchor)
        self._needs: list[tuple[tuple[bytes, ...], tuple[bytes, ...]]] = []
        #: per phrase or site: what :meth:`candidate` demands, for the scan's text gate (:meth:`gate_terms`)
        self._gate_groups: list[Group] = []
        for pre, need, (upper, gate, cap), adj in zip(self._pieces, needs, checks, adjacent, strict=True):
            words = [" " + x for x in need if x != pre or gate]
            self._needs.append((tuple(w.encode(FAST_CODEC, "replace") for w in words),
                                tuple(w.encode() for w in words)))
            pieces = (" " + pre, *sorted(set(words) - {" " + pre}))
            if upper is not None:
                self._gate_groups.append(Group(pieces, written=(upper,), pattern=adj))
            elif gate:
                self._gate_groups.append(Group(pieces, written=QUOTE_MARKS + ((cap,) if gate == "qcw" else ()),
                                               normal=tuple(CUE_STEMS) if gate != "q" else (), pattern=adj))
            else:
                self._gate_groups.append(Group(pieces, pattern=adj))
        strong: dict[str, list[int]] = {}
        weak: dict[str, list[int]] = {}
        for i, (pre, (_upper, gate, _cap)) in enumerate(zip(self._pieces, checks, strict=True)):
            (weak if gate else strong).setdefault(" " + pre, []).append(i)
        self._gate_terms = GateTerms(groups=tuple(self._gate_groups))
        self._strong_phrases = list(strong.values())
        self._weak_phrases = list(weak.values())
        # what the shared gate searches for this list (orgs_gate)
        self.strong_anchors = list(strong)
        self.weak_anchors = list(weak)
        self.weak_caps = [tuple({checks[i][2] for i in phrases if checks[i][1] == "qcw" and checks[i][2]})
                          for phrases in weak.values()]
        GATE.join(self)

    def gate_terms(self) -> GateTerms:
        """For the scan's text gate (:mod:`.gate`): a name or a site can only be found in an item whose texts
        hold what :meth:`candidate` checks (the anchor and the other word starts of a name, its capitals or
        quotation marks or words about organisations), the words of a name one after the other. The shared
        organisation gate (:mod:`.orgs_gate`) still has its say on the items let through."""
        return self._gate_terms

    def candidate(self, look: Look, texts: list[str]) -> bool:
        """Whether ``texts`` can hold one of the list's names or sites, given the anchors the shared gate
        found in them (:mod:`.orgs_gate`): the phrase's other word starts, and what the full match will
        demand of the text as written."""
        enc, one = look.enc, look.data

        def holds(i: int) -> bool:
            upper = self._checks[i][0]
            if upper is not None and not any(upper in t for t in texts):
                return False
            return all(w in one for w in self._needs[i][enc])

        if any(holds(i) for h in look.strong for i in self._strong_phrases[h]):
            return True
        weak = [i for h in look.weak for i in self._weak_phrases[h]]
        if not weak:
            return False
        cue, quoted = look.cue, look.quoted
        for i in weak:
            _upper, gate, cap = self._checks[i]
            # what the full match demands of the text as written (see the gates in _build_prefilter)
            if not quoted and (gate == "q" or not (cue or (gate == "qcw" and any(cap in t for t in texts)))):
                continue
            if holds(i):
                return True
        return False

    # -- matching -------------------------------------------------------------------------

    def match(self, item: Item, extra_texts: list[tuple[str, str]] | None = None) -> list[Finding]:
        """Findings (``mention``/``indicator``) for organisation names and links in ``item``."""
        if not self._pieces or not GATE.may_hold(self, item, extra_texts):
            return []
        fields = item.texts() + list(extra_texts or [])
        if item.reposted_from and item.reposted_from.name:
            fields.append(("reposted_from.name", item.reposted_from.name))
        urls = item.urls()
        found: dict[str, Finding] = {}
        for fld, text in fields:
            self._match_text(item, fld, text, found)
        if self.domains:
            self._match_links(item, fields, urls, found)
        return list(found.values())

    def _match_text(self, item: Item, fld: str, text: str, found: dict[str, Finding]) -> None:
        toks = tokens(text)
        cue = bool(_CUE.search(text))
        for i, (k, _s, _e) in enumerate(toks):
            for p in self.by_first.get(k, ()):
                n = len(p.keys)
                if tuple(t[0] for t in toks[i : i + n]) != p.keys:
                    continue
                start, end = toks[i][1], toks[i + n - 1][2]
                written = text[start:end]
                if p.upper is not None and written != p.upper:
                    continue
                level = "mention"
                if p.weak:
                    quoted = text[max(0, start - 1) : start] in ("«", '"', "“") and text[end : end + 1] in (
                        "»",
                        '"',
                        "”",
                    )
                    near = cue and bool(_CUE.search(text[max(0, start - 60) : end + 60]))
                    # written as the list writes the name: same capital letters, the first one capital
                    cased = [w[:1].isupper() for w in words_of(written)]
                    caps = bool(cased) and cased[0] and cased == [w[:1].isupper() for w in words_of(p.text)]
                    sentence_start = not text[:start].strip() or text[:start].rstrip()[-1:] in ".!?\n"
                    before = " ".join(text[max(0, start - 40) : start].split()[-3:])
                    if _NAMESAKE_KIND.search(before):
                        continue  # the name of a shop, a club, a dog: a namesake
                    if n == 1:
                        ok = quoted  # one ordinary word: only as a quoted name
                    else:
                        ok = quoted or near or (caps and not sentence_start)
                    if not ok:
                        continue
                    level = "mention" if quoted and near else "indicator"
                for key in p.entries:
                    self._add_finding(item, key, level, "org-name", fld, written, (start, end), p.text, found)

    def _match_links(
        self,
        item: Item,
        fields: list[tuple[str, str]],
        urls: list[tuple[str, str]],
        found: dict[str, Finding],
    ) -> None:
        cands = list(urls)
        for fld, text in fields:
            cands += [(fld, u) for u in U.find_urls(text)]
        for fld, u in cands:
            host = re.sub(r"^[a-z]+://", "", u.lower()).split("/", 1)[0].split(":", 1)[0]
            host = host[4:] if host.startswith("www.") else host
            parts = host.split(".")
            for i in range(len(parts) - 1):
                dom = ".".join(parts[i:])
                for key in self.domains.get(dom, ()):
                    self._add_finding(item, key, "mention", "org-link", fld, u, None, dom, found)

    def _add_finding(
        self,
        item: Item,
        key: str,
        level: str,
        signal: str,
        fld: str,
        written: str,
        span: tuple[int, int] | None,
        matched: str,
        found: dict[str, Finding],
    ) -> None:
        e = self.entries[key]
        old = found.get(key)
        if old is not None and (old.level == "mention" or level == "indicator") and old.signal == signal:
            return
        title_ru, title_en = KINDS[self.kind].title_ru, KINDS[self.kind].title_en
        listed = f" (в списке с {e.included:%d.%m.%Y})" if isinstance(e.included, date) else ""
        listed_en = f" (listed since {e.included.isoformat()})" if isinstance(e.included, date) else ""
        if signal == "org-link":
            ru = (
                f"Ссылка на сайт «{matched}» организации «{_short(e.name)}», которая входит в {title_ru}"
                f"{listed}. Публикация материалов или ссылок такой организации — риск по ст. 20.33 КоАП."
            )
            en = (
                f"A link to the site “{matched}” of “{_short(e.name)}”, "
                f"which is on the {title_en}{listed_en}. "
                "Posting material or links of such an organisation is a risk under Admin. Code 20.33."
            )
        else:
            weak_ru = " Совпадение слабое: это могут быть обычные слова." if level == "indicator" else ""
            weak_en = " A weak match: these may be ordinary words." if level == "indicator" else ""
            ru = (
                f"Упоминается «{written}» — название организации «{_short(e.name)}», которая входит в "
                f"{title_ru}{listed}.{weak_ru}"
            )
            en = (
                f"“{written}” names the organisation “{_short(e.name)}”, which is on the {title_en}"
                f"{listed_en}.{weak_en}"
            )
        found[key] = Finding(
            item_id=item.id,
            item_ref=item.ref,
            bank=self.bank,
            entry=key,
            level=level,
            signal=signal,
            score=1.0 if level == "mention" else 0.5,
            evidence=Evidence(field=fld, text=written, span=span, matched=matched),
            explanation_ru=ru,
            explanation_en=en,
            list_version=self.list_version,
        )


def _short(name: str, n: int = 120) -> str:
    name = " ".join(name.split())
    return name if len(name) <= n else name[: n - 1] + "…"


def matcher_factory(kind: str) -> Callable[[Store], OrgMatcher | None]:
    """A scan.EXTRA_MATCHERS factory for list ``kind``: the matcher, or None if the list is not installed.

    It also records the list version and its entries in the store, for the legal context and recheck.
    """

    def factory(store: Store) -> OrgMatcher | None:

        try:
            loaded = load_org_list(kind)
        except Exception:  # noqa: BLE001 - a damaged installed list must not break the FSM scan
            return None
        if loaded is None:
            return None
        lst, meta = loaded
        sites = None
        if kind == "undesirable":
            try:
                s = load_org_list("sites")
                sites = s[0] if s else None
            except Exception:  # noqa: BLE001
                sites = None
        store.record_list(
            lst.bank, lst.version, lst.sha256, len(lst.entries), meta.get("source"), meta.get("fetched_at")
        )
        store.save_list_entries(lst.bank, lst.version, store_rows(lst))
        return OrgMatcher.cached(lst, sites, cache_dir())

    return factory


class OrgKind:
    """The organisation lists (extremist, terrorist, undesirable) as a kind of installed list."""

    baseline_from_scans = False

    def installed(self) -> list[ListBank]:
        out: list[ListBank] = []
        for kind in ORG_KINDS:
            loaded = load_org_list(kind)
            if loaded is None:
                continue
            lst, meta = loaded
            out.append(ListBank(lst.bank, lst.version, lst.sha256, meta.get("source"), meta.get("fetched_at"),
                                store_rows(lst), MATCHER_VERSION, lst, self))
        return out

    def verifier(self, bank: ListBank, wanted: set[str], full: bool, cache: Path | None
                 ) -> tuple[Matcher, list[str]]:
        matcher = OrgMatcher(bank.payload, only=None if full else wanted)
        return matcher, [] if full else matcher.prefilter_pieces()


__all__ = ["OrgKind", "OrgMatcher", "Phrase", "entry_phrases", "matcher_factory", "MATCHER_VERSION", "ORG_KINDS"]
