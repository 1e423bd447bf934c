"""Symbols in text: swastikas, SS runes, the rainbow flag, the AUE name and star, Nazi number codes.

Displaying the symbols of Nazism or of an organisation a court declared extremist is an offence under
Art. 20.3 KoAP RF (a second time within a year of the penalty: Art. 282.4 UK RF), and people have been
punished for characters in a post, a nickname or a status. :class:`SymbolTextMatcher` finds them in every
text the tool reads of an item (its text, the titles of its attachments and of its audio records, the text
read from its pictures, and ``extra_texts``); each finding is ``distribution`` (the text displays the
symbol), ``entry`` = the symbol's id.

What is looked for is data, not code: ``symbols_text.tsv``, one pattern per row with its id, kind, context,
description and sources, and the table's version (:func:`load_table`). This module holds the rules of
matching, the same for every row:

* **chars** — Unicode code points written ``U+XXXX``, matched as written; the emoji variation selector
  U+FE0F is optional after every character (🏳️‍🌈 with or without it).
* **word** — letters, case-insensitive, with Latin and Cyrillic look-alike letters mixed (:data:`LOOKALIKES`),
  as a whole word: a letter or a digit right before or after makes it part of another word («КАУЕР»), an
  underscore or a dot does not (``Зиг_Хайль``). A word of up to 4 letters may have a dot (and a space)
  between its letters (``А.У.Е.``); a final ``*`` is a stem (``зигова*``); words of a phrase are separated by
  any white space. A spelling all in Latin letters counts only when the row spells it so in Latin
  (``AUE``, never the English «aye»).
* **code** — the digits and separator as written, never part of a longer number: no digit right before or
  after it, nor a digit one separator away (a phone number ``+7 988 123-45-88``, a date ``12/14/88``, a
  price ``14.88``, a time ``14:88``); not after a number sign or an address word (``№``, ``д.``, ``дом``,
  ``кв.``, ``стр.``, :data:`_NUMBER_BEFORE`), not before a unit (``руб``, ``лет``, ``%``, :data:`_UNIT_AFTER`).

The ``context`` column says when a hit is a finding: ``none`` always; ``requires:G`` only when a hit of a
row that ``marks`` G is within :data:`WINDOW` characters (either side, any line); ``with:G`` always, and
stronger (a higher score, the evidence spanning both) with such a hit nearby; ``marker`` never (a word such
as «хайль», a star). So «88» alone, a price or a phone number stays quiet, while «Зиг хайль 88» and «卐 88»
do not; «14/88» is a code well known as a whole and is a finding by itself.

Speed: three compiled expressions (the ``chars`` rows, the codes, the words that may be findings), each
starting with a character or a set of characters so that the engine skips to them; the words that are only
markers are looked for only in a text with a hit that needs context. Before them, most texts are ruled out
by :class:`_Prefilter`, a necessary condition derived from the table (a rare character, a code's digits, a
word's letters), checked in C in the normalised bytes a scan's other matchers have already computed when
the text allows: about 250,000 ordinary texts per CPU-second in a scan, 130,000 alone
(``bench/bench_symbols_text.py``).

Each finding's evidence is the field, the text that matched (the symbol, and the marker when context was
needed or found: ``text == field_text[span]``) and the table's own pattern (``matched``); the explanation
states a risk, never a verdict. At most one finding per symbol id and item: the strongest, then the first.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from repostguard.i18n import t
from repostguard.matchers.gate import GateTerms, Group
from repostguard.matchers.normalize import FAST_CODEC, fast_encodes, norm, norm_bytes_cached
from repostguard.model import Evidence, Finding, Item

BANK = "symbols"
MATCHER_VERSION = "symbols-text-2"
SIGNAL = "symbol-text"
TABLE_FILE = Path(__file__).resolve().parent / "symbols_text.tsv"
#: at most this many characters between a hit and the marker that gives it context
WINDOW = 40
KINDS = ("chars", "word", "code")
COLUMNS = ("id", "kind", "pattern", "context", "marks", "description", "source")

#: look-alike letters: each Cyrillic letter and the Latin letters that look the same (both ways)
LOOKALIKES = {"а": "a", "в": "b", "е": "eё", "ё": "eе", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
              "с": "c", "т": "t", "у": "y", "х": "x"}
_REVERSE: dict[str, str] = {}
for _cyr, _lats in LOOKALIKES.items():
    for _lat in _lats:
        if _lat.isascii():
            _REVERSE[_lat] = _REVERSE.get(_lat, "") + _cyr

#: scores: a character or a code well known as a whole; a word (it may be a coincidence); a hit with the
#: context it requires; a hit with the context that strengthens it
SCORE_CHARS, SCORE_WORD, SCORE_CONTEXT, SCORE_STRONG = 1.0, 0.8, 0.9, 1.0
#: a word in small letters on its own: below findings/legal.LOW_CONFIDENCE, so shown «на проверку»
SCORE_CASUAL = 0.5

_VS16 = "\ufe0f"
_LETTER_AFTER = r"(?![^\W_])"
_CODE_SEPS = ".,:/\\-–"
#: a number sign or an address word right before a code: «№ 88», «д. 14/88», «кв. 88»
_NUMBER_BEFORE = re.compile(r"(?:№|#|\+|\b(?:no|д|дом|кв|корп|стр|тел|к|ул|п)\.?)\s*$", re.IGNORECASE)
#: a unit right after a code, as a whole word: «88 руб», «88 лет», «88-летний», «1488 года», «88%» (not «14/88 Часть»)
_UNIT_AFTER = re.compile(
    r"[\s-]?(?:(?:руб(?:л[ьяей]{1,2})?|коп(?:е[ей]к[аи]?)?|тыс(?:яч[аи]?)?|млн|млрд|лет(?:н[а-я]*)?"
    r"|год(?:а|у|ов|ах|ом)?|кг|км|см|мм|мл|шт|мин(?:ут[аы]?)?|сек(?:унд[аы]?)?|час(?:а|ов)?|грн|евро"
    r"|долл(?:ар[а-я]*)?|р|г|л|м|т|к)(?![^\W\d_])|[%₽$€°])",
    re.IGNORECASE)


@dataclass(frozen=True)
class Row:
    """One row of the table (see the module's docstring and the table's header for the columns)."""

    id: str
    kind: str
    pattern: str
    context: str
    marks: frozenset[str]
    description: str
    source: tuple[str, ...]
    line: int

    @property
    def finding(self) -> bool:
        """Whether a hit of this row may be a finding (else it is only context)."""
        return self.id != "-" and self.context != "marker"

    @property
    def requires(self) -> str | None:
        """The context group a hit needs nearby to be a finding, if any."""
        return self.context.split(":", 1)[1] if self.context.startswith("requires:") else None

    @property
    def strengthened_by(self) -> str | None:
        """The context group that makes a hit stronger, if any."""
        return self.context.split(":", 1)[1] if self.context.startswith("with:") else None

    def shown(self) -> str:
        """The pattern as a person reads it: the characters themselves for ``chars``, the spellings of a
        ``word`` separated by « / »."""
        return chars_of(self.pattern) if self.kind == "chars" else " / ".join(self.pattern.split("|"))


@dataclass(frozen=True)
class Table:
    """The parsed table: its version, its rows and its sources (key → citation)."""

    version: str
    rows: tuple[Row, ...]
    sources: dict[str, str]

    def ids(self) -> list[str]:
        """The symbol ids that can be findings, in the table's order."""
        return list(dict.fromkeys(r.id for r in self.rows if r.finding))


def chars_of(pattern: str) -> str:
    """The characters a ``chars`` pattern names (``"U+5350 U+0020"`` → ``"卐 "``)."""
    out = []
    for cp in pattern.split():
        if not re.fullmatch(r"U\+[0-9A-Fa-f]{4,6}", cp):
            raise ValueError(f"not a code point: {cp!r}")
        out.append(chr(int(cp[2:], 16)))
    return "".join(out)


def parse_table(text: str) -> Table:
    """Parse the table's text; ValueError names the line of anything malformed."""
    version = ""
    sources: dict[str, str] = {}
    rows: list[Row] = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("#"):
            parts = line[1:].strip().split("\t")
            if parts[0] == "version" and len(parts) == 2:
                version = parts[1].strip()
            elif parts[0] == "source" and len(parts) == 3:
                sources[parts[1].strip()] = parts[2].strip()
            elif parts[0] == "columns" and tuple(parts[1:]) != COLUMNS:
                raise ValueError(f"line {n}: the columns are {COLUMNS}, not {tuple(parts[1:])}")
            continue
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != len(COLUMNS):
            raise ValueError(f"line {n}: {len(COLUMNS)} tab-separated columns expected, got {len(cells)}")
        rid, kind, pattern, context, marks, description, source = (c.strip() for c in cells)
        if kind not in KINDS:
            raise ValueError(f"line {n}: unknown kind {kind!r}")
        if not (context in ("none", "marker") or re.fullmatch(r"(requires|with):[a-z-]+", context)):
            raise ValueError(f"line {n}: unknown context {context!r}")
        keys = tuple(k.strip() for k in source.split(";") if k.strip())
        if not keys or not pattern or not description:
            raise ValueError(f"line {n}: a pattern, a description and a source are needed")
        if kind == "chars":
            chars_of(pattern)  # raises on a malformed code point
        rows.append(Row(rid, kind, pattern, context,
                        frozenset(m.strip() for m in marks.split(",") if m.strip() not in ("", "-")),
                        description, keys, n))
    if not version:
        raise ValueError("the table has no version line")
    for r in rows:
        unknown = [k for k in r.source if k not in sources]
        if unknown:
            raise ValueError(f"line {r.line}: unknown source {unknown}")
    return Table(version, tuple(rows), sources)


@lru_cache(maxsize=4)
def load_table(path: Path = TABLE_FILE) -> Table:
    """The table shipped with the package (or the one at ``path``)."""
    return parse_table(path.read_text("utf-8"))


def _cased(c: str) -> set[str]:
    """A letter and its look-alikes (:data:`LOOKALIKES`), in both cases."""
    low = c.lower()
    alts = {low} | set(LOOKALIKES.get(low, "")) | set(_REVERSE.get(low, ""))
    return {x for a in alts for x in (a, a.upper())}


def _class(chars: set[str]) -> str:
    return "[" + "".join(re.escape(x) for x in sorted(chars)) + "]"


def _spelling_regex(spelling: str) -> tuple[set[str], str]:
    """The first letter's characters and the regex of the rest of one spelling of a ``word`` row."""
    stem = spelling.endswith("*")
    words = spelling.rstrip("*").split()
    short = len(words) == 1 and len(words[0]) <= 4 and not stem
    sep = r"(?:\.\s?)?" if short else ""
    body = r"\s+".join(sep.join(_class(_cased(c)) for c in w) for w in words)
    first = body[:body.index("]") + 1]
    rest = body[len(first):] + (r"\.?" if short else "") + (r"[^\W\d_]*" if stem else "")
    return _cased(words[0][0]), rest


def _words_regex(rows: list[tuple[int, Row]]) -> re.Pattern[str] | None:
    """One expression for the ``word`` rows given (index, row): it starts with the set of every spelling's
    first letter (so the engine skips to those characters quickly), then checks that no letter or digit is
    before it, then each spelling's rest as a group ``w<row index>_<n>``, then that no letter or digit
    follows."""
    first: set[str] = set()
    branches = []
    for i, r in rows:
        for n, spelling in enumerate(r.pattern.split("|")):
            chars, rest = _spelling_regex(spelling)
            first |= chars
            branches.append(f"(?P<w{i}_{n}>(?<={_class(chars)}){rest})")
    if not branches:
        return None
    return re.compile(rf"{_class(first)}(?<![^\W_].)(?:{'|'.join(branches)}){_LETTER_AFTER}")


def _chars_key(text: str) -> str:
    return text.replace(_VS16, "")


def _chars_regex(rows: list[Row]) -> re.Pattern[str] | None:
    """One expression for the ``chars`` rows: their characters, each with an optional U+FE0F, longest first
    (every branch starts with a character, so the engine skips to those quickly)."""
    seqs = sorted({_chars_key(chars_of(r.pattern)) for r in rows}, key=lambda x: (-len(x), x))
    if not seqs:
        return None
    return re.compile("|".join("".join(re.escape(c) + _VS16 + "?" for c in seq) for seq in seqs))


def _codes_regex(rows: list[Row]) -> re.Pattern[str] | None:
    """One expression for the ``code`` rows, longest first; a space in a code is any white space."""
    codes = sorted({r.pattern for r in rows}, key=lambda x: (-len(x), x))
    if not codes:
        return None
    return re.compile("|".join(re.escape(c).replace(r"\ ", r"\s") for c in codes))


def _latin_ok(row: Row, written: str) -> bool:
    """A word written all in Latin letters counts only when the row spells it so (see the docstring)."""
    letters = "".join(c for c in written.lower() if c.isalpha())
    if not letters.isascii():
        return True
    for spelling in row.pattern.split("|"):
        if not spelling.isascii():
            continue
        latin = "".join(c for c in spelling.lower() if c.isalpha())
        if letters == latin or (spelling.endswith("*") and letters.startswith(latin)):
            return True
    return False


def _sep(c: str) -> bool:
    return c.isspace() or c in _CODE_SEPS


def _code_ok(text: str, start: int, end: int) -> bool:
    """A code is no part of a longer number, nor the number of an address, a price or an age (see the
    module's docstring)."""
    if start > 0 and (text[start - 1].isdecimal() or text[start - 1] == "+"):
        return False
    if start > 1 and _sep(text[start - 1]) and text[start - 2].isdecimal():
        return False
    if end < len(text) and (text[end].isdecimal() or (_sep(text[end]) and text[end + 1:end + 2].isdecimal())):
        return False
    return _NUMBER_BEFORE.search(text, max(0, start - 8), start) is None and _UNIT_AFTER.match(text, end) is None


@dataclass(frozen=True)
class _Hit:
    row: Row
    start: int
    end: int


class SymbolTextMatcher:
    """Finds the table's symbols in an item's texts: ``distribution`` findings, one per symbol id."""

    bank = BANK
    version = MATCHER_VERSION

    def __init__(self, table: Table | None = None, *, screen: bool = True) -> None:
        """``table``: the shipped table unless given; ``screen=False`` runs every text through the full
        expression (what the prefilter must never change, tests check)."""
        self.table = table or load_table()
        self.screen = screen
        self.list_version = self.table.version
        rows = self.table.rows
        self._chars = _chars_regex([r for r in rows if r.kind == "chars"])
        self._by_chars = {_chars_key(chars_of(r.pattern)): r for r in rows if r.kind == "chars"}
        self._codes = _codes_regex([r for r in rows if r.kind == "code"])
        self._by_code = {r.pattern: r for r in rows if r.kind == "code"}
        words = [(i, r) for i, r in enumerate(rows) if r.kind == "word"]
        self._rows = rows
        #: the words that may be findings are looked for in every text; the words that are only context,
        #: only in a text with a hit that needs context
        self._words = _words_regex([(i, r) for i, r in words if r.finding])
        self._marker_words = _words_regex([(i, r) for i, r in words if not r.finding])
        self._prefilter = _Prefilter(rows)
        if len(self._by_chars) != len([r for r in rows if r.kind == "chars"]):
            raise ValueError("two chars rows name the same characters")

    def gate_terms(self) -> GateTerms:
        """For the scan's text gate (:mod:`.gate`): what :class:`_Prefilter` looks for in normalised bytes (a
        code's last digits, a word's letters); a text outside the one-byte encoding is always read."""
        p = self._prefilter
        if not self.screen or not p.fast:
            return GateTerms(everything=True)
        words = p.gate_groups()
        if words is None:
            return GateTerms(everything=True)
        return GateTerms(groups=tuple(Group((c,)) for c in p.codes) + words, fast_only=True)

    def hits(self, text: str) -> list[_Hit]:
        """The hits of the table's rows in ``text``, in order: every chars, code and finding word hit; the
        marker words only when a hit needs or may use context (else no finding can come of them)."""
        if self.screen and not self._prefilter(text):
            return []
        out: list[_Hit] = []
        if self._chars is not None:
            for m in self._chars.finditer(text):
                out.append(_Hit(self._by_chars[_chars_key(m.group())], *m.span()))
        if self._codes is not None:
            for m in self._codes.finditer(text):
                s, e = m.span()
                if _code_ok(text, s, e):
                    out.append(_Hit(self._by_code[re.sub(r"\s", " ", m.group())], s, e))
        out += self._word_hits(self._words, text)
        if self._marker_words is not None and any(h.row.requires or h.row.strengthened_by for h in out):
            out += self._word_hits(self._marker_words, text)
        out.sort(key=lambda h: h.start)
        return out

    def _word_hits(self, rx: re.Pattern[str] | None, text: str) -> list[_Hit]:
        if rx is None:
            return []
        out = []
        for m in rx.finditer(text):
            row = self._rows[int((m.lastgroup or "w0_0")[1:].split("_")[0])]
            if _latin_ok(row, m.group()):
                out.append(_Hit(row, *m.span()))
        return out

    def texts(self, item: Item, extra_texts: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
        """What is read of ``item``: its texts (:meth:`Item.texts`), its audio records' titles and
        performers (shown in the person's audio list), then ``extra_texts``; each (field, text) once."""
        out = list(item.texts())
        for i, a in enumerate(item.attachments):
            if a.type == "audio":
                out += [(f"attachments[{i}].{k}", v) for k, v in (("title", a.title), ("artist", a.artist)) if v]
        out += list(extra_texts or [])
        return list(dict.fromkeys(out))

    def match(self, item: Item, extra_texts: list[tuple[str, str]] | None = None) -> list[Finding]:
        """At most one finding per symbol id: the strongest hit, then the first (texts in :meth:`texts` order)."""
        best: dict[str, Finding] = {}
        if item.attachments or extra_texts:
            pairs = self.texts(item, extra_texts)
        else:  # (most items: their text only)
            pairs = [("text", item.text)] if item.text else []
        for fld, text in pairs:
            hits = self.hits(text)
            if not hits:
                continue
            for f in self._findings(item, fld, text, hits):
                if f.entry not in best or f.score > best[f.entry].score:
                    best[f.entry] = f
        return list(best.values())

    def _findings(self, item: Item, fld: str, text: str, hits: list[_Hit]) -> Iterable[Finding]:
        markers: dict[str, tuple[list[_Hit], list[int]]] = {}
        for h in hits:
            for g in h.row.marks:
                markers.setdefault(g, ([], []))
                markers[g][0].append(h)
                markers[g][1].append(h.start)
        for h in hits:
            row = h.row
            if not row.finding:
                continue
            group = row.requires or row.strengthened_by
            near = _nearest(h, *markers[group]) if group and group in markers else None
            if row.requires and near is None:
                continue
            if near is not None:
                score = SCORE_CONTEXT if row.requires else SCORE_STRONG
                start, end = min(h.start, near.start), max(h.end, near.end)
            else:
                score = SCORE_CHARS if row.kind != "word" else SCORE_WORD
                start, end = h.start, h.end
            symbol, context = text[h.start:h.end], text[near.start:near.end] if near else ""
            named = row.kind == "word" and near is None and _named_in_passing(text, h.start, h.end)
            # a name written in small letters, on its own and undotted («ауе», «Ауе!»), is also a common
            # exclamation: to check, not shown as the movement's slogan (capitals, dots or a star are)
            casual = (row.kind == "word" and near is None and not named and not symbol.isupper()
                      and "." not in symbol)
            if casual:
                score = SCORE_CASUAL
            level = "mention" if named else ("indicator" if casual else "distribution")
            key = f"symbols_explain.{row.id}" + (
                "-near" if near is not None else ("-named" if named else ("-casual" if casual else "")))
            yield Finding(
                item_id=item.id,
                item_ref=item.ref,
                bank=BANK,
                entry=row.id,
                level=level,
                signal=SIGNAL,
                score=score,
                evidence=Evidence(field=fld, text=text[start:end], span=(start, end),
                                  matched=row.shown() + (f" + {near.row.shown()}" if near else "")),
                explanation_ru=t(key, "ru", symbol=symbol, context=context),
                explanation_en=t(key, "en", symbol=symbol, context=context),
                list_version=self.list_version,
            )


#: words before a name that make it the object of a sentence about it («в АУЕ», «про АУЕ», «по ауе»)
_PREPOSITIONS = frozenset("в во по про о об из от для за к ко с со у на при без до".split())
#: words near a name that show the text talks about it («что значит АУЕ», «символику АУЕ», «субкультура»)
_ABOUT = re.compile(r"(?i)\b(значит|такое|символик\w*|картинк\w*|движени\w*|субкультур\w*|лекци\w*|"
                    r"запрещ\w*|признан\w*|экстремист\w*)\b")


def _named_in_passing(text: str, start: int, end: int) -> bool:
    """Whether the word at ``start:end`` is named in a sentence about it rather than shown as a slogan: after a
    preposition, in a question, or near words about it (within 30 characters). A word on its own, or in a
    chant («ЖИЗНЬ ВОРАМ АУЕ»), is shown."""
    before = text[:start].split()
    if before and before[-1].strip("«\"(—-,.").lower() in _PREPOSITIONS:
        return True
    left = max(text.rfind(c, 0, start) for c in ".!?\n") + 1
    stops = [i for i in (text.find(c, end) for c in ".!?\n") if i >= 0]
    right = min(stops) if stops else len(text)
    sentence = text[left:right + 1]
    if sentence.rstrip().endswith("?"):
        return True
    return bool(_ABOUT.search(text[max(0, start - 30):end + 30]))


def _nearest(h: _Hit, markers: list[_Hit], starts: list[int]) -> _Hit | None:
    """The hit of ``markers`` (sorted, not overlapping; ``starts`` their starts) closest to ``h`` within
    :data:`WINDOW` characters, not ``h`` itself: the last one starting before it or the first one after."""
    i = bisect_left(starts, h.start)
    best: tuple[int, _Hit] | None = None
    for j in (i - 1, i, i + 1):
        if 0 <= j < len(markers) and markers[j] is not h:
            o = markers[j]
            gap = max(o.start - h.end, h.start - o.end, 0)
            if gap <= WINDOW and (best is None or gap < best[0]):
                best = (gap, o)
    return best[1] if best else None


class _Prefilter:
    """Whether a text may hold a finding: a cheap necessary condition, derived from the finding rows (a
    marker alone is never a finding, so markers are not looked for here).

    A text that is all in :data:`~repostguard.matchers.normalize.FAST_CODEC` is checked in its normalised
    bytes (:func:`~repostguard.matchers.normalize.norm_bytes_cached`, which a scan's other matchers have
    usually computed already): no ``chars`` row can match there (each holds a character outside the codec;
    checked when built, else every text takes the other path), so only a code's last digits and a word's
    letters (folded as ``norm`` folds them, any spaces or dots between) are searched. Any other text is
    searched for the first character of every ``chars`` row, the last digits of every code and the
    letters of every word (both cases, look-alikes).
    """

    def __init__(self, rows: tuple[Row, ...]) -> None:
        found = [r for r in rows if r.finding]
        chars = sorted({chars_of(r.pattern)[0] for r in found if r.kind == "chars"})
        self.chars = re.compile("[" + "".join(re.escape(c) for c in chars) + "]") if chars else None
        self.codes = sorted({re.findall(r"\d+", r.pattern)[-1] for r in found if r.kind == "code"})
        self.codes_b = [c.encode("ascii") for c in self.codes]
        spellings = [s.rstrip("*") for r in found if r.kind == "word" for s in r.pattern.split("|")]
        self.spellings = spellings
        self.words = re.compile("|".join(_loose(s, _cased) for s in spellings)) if spellings else None
        #: the words' letters, as :func:`norm` folds them (a pattern over normalised text)
        self.words_fast = "|".join(_loose(s, _folded) for s in spellings) if spellings else None
        self.words_b = re.compile(self.words_fast.encode(FAST_CODEC)) if self.words_fast else None
        self.fast = all(not all(fast_encodes(c) for c in chars_of(r.pattern)) for r in found if r.kind == "chars")

    def gate_groups(self) -> tuple[Group, ...] | None:
        """The words' letters for the scan's text gate: pieces of three characters every match of
        :attr:`words_fast` holds (in the normalised text, where a dot is a space: the first letter or a
        space, the second letter, the third letter or a space), each with the pattern itself to check (None
        when a word has fewer than two letters)."""
        out: list[Group] = []
        for s in self.spellings:
            sets = [sorted(_folded(c)) for c in s if not c.isspace()]
            if len(sets) < 2 or not all(sets):
                return None  # (no such word in the table: no piece of three characters to look for)
            third = [*sets[2], " "] if len(sets) > 2 else [""]
            out += [Group((a + b + c,), pattern=self.words_fast) for a in [*sets[0], " "] for b in sets[1]
                    for c in third]
        return tuple(out)

    def __call__(self, text: str) -> bool:
        fast = norm_bytes_cached(text) if self.fast else None
        if fast is not None:
            return any(c in fast for c in self.codes_b) or (
                self.words_b is not None and self.words_b.search(fast) is not None)
        return ((self.chars is not None and self.chars.search(text) is not None)
                or any(c in text for c in self.codes)
                or (self.words is not None and self.words.search(text) is not None))


def _folded(c: str) -> set[str]:
    """A letter and its look-alikes as :func:`norm` folds them, those the fast codec has."""
    return {f for a in _cased(c) for f in norm(a) if fast_encodes(f)}


def _loose(spelling: str, letters: Callable[[str], set[str]]) -> str:
    """A spelling's letters with anything (dots, spaces) between them: a superset of :func:`row_regex`."""
    sep = r"[\s.]*"
    return sep.join("[" + "".join(re.escape(x) for x in sorted(letters(c))) + "]"
                    for c in spelling if not c.isspace())


def matcher_factory(store: object) -> SymbolTextMatcher:
    """The scan.EXTRA_MATCHERS factory (the table ships with the package; no list to install)."""
    return SymbolTextMatcher()


__all__ = ["SymbolTextMatcher", "Row", "Table", "load_table", "parse_table", "chars_of",
           "matcher_factory", "BANK", "MATCHER_VERSION", "SIGNAL", "TABLE_FILE", "WINDOW"]
