"""Quotes of list entries: every quoted fragment of an entry, with the role the words before it
give it (the material itself, a page or community name, a performer), and how strong it is as
evidence. Used by the FSM matcher (:mod:`.fsm`) and the pages index (:mod:`.pages`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from repostguard.matchers import urls as U
from repostguard.matchers.normalize import compact

MIN_QUOTE_LETTERS = 12
MIN_QUOTE_WORDS = 3
SLOGAN_ENTRIES = 5
SHORT_WORDS = 4

_URLISH = re.compile(r"https?:|www\.|\w\.(?:com|ru|org|net|info|su|ua|kz|by)\b", re.IGNORECASE)
SOURCE_CTX = re.compile(
    r"(странице|страничке|страница|аккаунте|аккаунта|профиле|профиля|пользовател\w*|ником|никнеймом|"
    r"под\s+именем|группе|группы\s+в|сообществе|сообщества|паблике|канале|канала|сайте|сайта|блоге|"
    r"форуме|издательств\w*|типографи\w*|организаци\w*|объединени\w*|ООО|АНО|"
    r"социальной\s+сети|сети|разделе|раздела|рубрике|рубрики|альбоме|альбома|папке)\s*(?:под\s+(?:названием|именем|ником))?\s*[:–—-]?\s*$",
    re.IGNORECASE,
)
# (``на странице общества «…»``, as the list names a VK community's page, is a community too)
COMMUNITY_CTX = re.compile(r"(группе|группы|сообществе|сообщества|паблике|канале|канала|странице\s+общества)"
                            r"\s*(?:под\s+названием)?\s*[:–—-]?\s*$",
                            re.IGNORECASE)
ALIAS_GAP = re.compile(r"\s*\(\s*")
PERFORMER_CTX = re.compile(
    r"(исполнител\w*|музыкальн\w+\s+групп\w*|рок-групп\w*|групп[аы]|коллектив\w*|певц\w*|певиц\w*"
    r"|псевдоним\w*)"
    r"\s*[:–—-]?\s*$",
    re.IGNORECASE,
)


@dataclass
class Quote:
    """A normalised quote of one or more entries."""

    compact: str
    text: str  # as written in the (first) entry
    words: int
    entries: set[int] = field(default_factory=set)
    role: str = "material"  # material | source | community | performer

    content_words: int = 0
    #: words that carry meaning (nouns, adjectives, verbs, participles); -1 when not counted
    lexical: int = -1
    is_url: bool = False
    norm_words: tuple[str, ...] = ()

    @property
    def is_name(self) -> bool:
        """A page, community or performer name rather than the material (short, or a person's page)."""
        if self.role == "material":
            return False
        return self.words <= SHORT_WORDS or (self.role == "source" and self.words <= 6)

    @property
    def is_slogan(self) -> bool:
        """A short phrase that many different entries contain: not evidence of one material."""
        return self.words <= SHORT_WORDS and len(self.entries) >= SLOGAN_ENTRIES

    @property
    def is_generic(self) -> bool:
        """A short title made of everyday words with at most one that carries meaning («Что нам делать»,
        «Как вести себя»): people write it without knowing the material."""
        return 0 <= self.lexical < 2 and self.words <= 4

    @property
    def strong(self) -> bool:
        """Long enough to be evidence of the material on its own (not a slogan or a name)."""
        return (self.words >= MIN_QUOTE_WORDS
                and (self.content_words >= MIN_QUOTE_WORDS or self.words > MIN_QUOTE_WORDS
                     or len(self.compact) >= 15)
                and len(self.compact) >= MIN_QUOTE_LETTERS
                and not self.is_url)


_GUILLEMET = re.compile("[«»]")


def extract_quotes(text: str) -> list[tuple[str, int]]:
    """Every quoted fragment of ``text`` with its start offset: «…» (nested), “…”, „…“ and "…"."""
    out: list[tuple[str, int]] = []
    stack: list[int] = []
    for m in _GUILLEMET.finditer(text):
        i = m.start()
        if m.group() == "«":
            stack.append(i)
        elif stack:
            start = stack.pop()
            out.append((text[start + 1 : i], start))
    for m in re.finditer(r"“([^“”]+)”|„([^„“”]+)[“”]", text):
        out.append((m.group(1) or m.group(2), m.start()))
    for m in re.finditer(r'"([^"]{3,})"', text):
        out.append((m.group(1), m.start()))
    return out


#: a video or audio file's extension at the end of a title, as the list writes it («….mp 4», «….avi»)
_FILE_EXT = re.compile(r"\s*\.\s*(?:mp\s*4|m4v|avi|flv|mkv|mov|wmv|3gp|webm|mpe?g|mp\s*3|wav|ogg|m4a)\s*$",
                       re.IGNORECASE)


def file_stem(title: str) -> str:
    """``title`` without a video or audio file's extension at its end."""
    return _FILE_EXT.sub("", title) or title


def with_file_stems(quotes: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """``quotes`` and, for a title that ends with a file's extension, the title without it: the file
    «Бабушка – скинхед.mp 4» is shared as the video «Бабушка – скинхед»."""
    out = list(quotes)
    for frag, start in quotes:
        stem = file_stem(frag)
        if stem != frag and stem.strip():
            out.append((stem, start))
    return out


SAYINGS_FILE = Path(__file__).resolve().parent / "sayings.tsv"


@lru_cache(maxsize=1)
def sayings() -> frozenset[str]:
    """The compact forms of the well-known sayings (``sayings.tsv``: proverbs, idioms, fairy-tale formulae):
    a list quote equal to one of them is a mention to check, not evidence of the material on its own."""
    out = set()
    for line in SAYINGS_FILE.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.add(compact(line.split("\t", 1)[0]))
    return frozenset(out)


def quote_role(entry_text: str, start: int) -> str:
    """What the quote starting at ``start`` is, from the words before it: community, source, performer
    or material."""
    before = entry_text[max(0, start - 60) : start]
    if COMMUNITY_CTX.search(before):
        return "community"
    if SOURCE_CTX.search(before):
        return "source"
    if PERFORMER_CTX.search(before):
        return "performer"
    return "material"


def is_address(frag: str) -> bool:
    """True when a quote is (mostly) a web address rather than words (an e-mail is words here)."""
    if not _URLISH.search(frag):
        return False
    rest = frag
    for u in U.find_urls(frag, repair=True):
        rest = rest.replace(u, " ")
    rest = re.sub(r"(?i)https?:/*|www\.", " ", rest)
    return sum(1 for w in rest.split() if any(c.isalpha() for c in w)) < 2


def explain_quote(n: int, quote: str, score: float, partial: bool, why: str, n_entries: int) -> tuple[str, str]:
    """Why a quote of entry ``n`` was found (ru, en): ``why`` is report, name, saying, generic, slogan or
    the material."""
    short = quote if len(quote) <= 120 else quote[:117] + "…"
    how_ru = "" if score >= 99.5 and not partial else (" (с отличиями или не полностью" + (
        f", сходство {score:.0f}%)" if score < 99.5 else ")"))
    how_en = "" if score >= 99.5 and not partial else (" (with differences or in part" + (
        f", similarity {score:.0f}%)" if score < 99.5 else ")"))
    if why == "report":
        return (f"Текст называет материал № {n} списка («{short}»){how_ru}, но похоже на сообщение о списке, "
                "а не на распространение самого материала.",
                f"The text names material No. {n} of the list («{short}»){how_en}, but reads like a report about "
                "the list rather than distribution of the material.")
    if why == "name":
        return (f"Текст называет страницу, сообщество или исполнителя из записи № {n} списка («{short}»){how_ru}; "
                "это упоминание, а не сам материал.",
                f"The text names a page, community or performer from entry No. {n} of the list («{short}»){how_en}; "
                "a mention, not the material itself.")
    if why == "saying":
        return (f"«{short}»{how_ru} — известное выражение, и оно же название или строка материала № {n} списка; "
                "одно это выражение не говорит, что запись распространяет материал. Прочитайте запись.",
                f"«{short}»{how_en} is a well-known saying, and also the title or a line of material No. {n} of the "
                "list; the saying alone does not tell that the item spreads the material. Read the item.")
    if why == "generic":
        return (f"«{short}»{how_ru} — обычная фраза из общеупотребительных слов, и она же название материала "
                f"№ {n} списка; одна она не говорит, что запись распространяет материал. Прочитайте запись.",
                f"«{short}»{how_en} is an everyday phrase of common words, and also the title of material No. {n} "
                "of the list; alone it does not tell that the item spreads the material. Read the item.")
    if why == "slogan":
        return (f"Фраза «{short}»{how_ru} встречается в {n_entries} записях списка (в том числе № {n}) как часть "
                "разных материалов; сама по себе она не воспроизводит конкретный материал.",
                f"The phrase «{short}»{how_en} occurs in {n_entries} entries of the list (No. {n} among them) as part "
                "of different materials; on its own it does not reproduce a particular one.")
    return (f"Текст воспроизводит название или фрагмент материала № {n} списка: «{short}»{how_ru}.",
            f"The text reproduces the title or a passage of material No. {n} of the list: «{short}»{how_en}.")
