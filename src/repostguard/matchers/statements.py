"""An explainable detector of the kinds of wording anti-extremism cases cite.

It is deliberately simple and transparent: every rule is a pair of word groups (lemmas, so case
and verb forms do not matter) that must occur together inside one sentence, at most
``WINDOW`` words apart, sometimes with a *call* (an imperative, or «надо/пора/давайте» before an
infinitive). A finding shows the words that triggered it. Findings are always ``indicator``:
wording is a reason to re-read a post, not evidence of an offence, and nothing here ever gives a
``distribution`` finding.

Categories (``entry`` of the finding) and the articles they relate to (see :mod:`repostguard.findings.legal`):

* ``call-violence`` — calls to violence against people (CC 280);
* ``justify-terrorism`` — approval of terrorist acts or terrorists (CC 205.2);
* ``incitement-group`` — hostility against an ethnic, religious or social group (Admin 20.3.1 / CC 282);
* ``nazism`` — Nazi greetings and approval of Nazism (CC 354.1, Admin 20.3);
* ``territorial-integrity`` — calls to separate a part of the country (CC 280.1);
* ``discredit-army`` — "discrediting" the armed forces (Admin 20.3.3, CC 280.3, 207.3).

Each rule checks negation («не», «нельзя») right before the approving word, and reported speech
markers (news wording such as «суд», «приговор», «задержан») lower nothing but are shown in the
explanation; the detector is tuned on test texts and on benign posts so that jokes and news stay
quiet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from repostguard.i18n import t
from repostguard.matchers.gate import GateTerms, Group
from repostguard.matchers.morph import morph, tokens
from repostguard.matchers.normalize import FAST_CODEC, norm, norm_bytes_cached, norm_words_cached
from repostguard.model import Evidence, Finding, Item
from repostguard.paths import data_dir

BANK = "statements"
MATCHER_VERSION = "statements-5"
WINDOW = 5

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")

CALL_WORDS = {
    "надо",
    "нужно",
    "пора",
    "давай",
    "давайте",
    "должный",
    "следует",
    "необходимо",
    "призывать",
    "требовать",
    "айда",
    "будем",
}
VIOLENT = {
    "убить",
    "убивать",
    "резать",
    "зарезать",
    "перерезать",
    "вырезать",
    "вешать",
    "повесить",
    "перевешать",
    "расстрелять",
    "расстреливать",
    "стрелять",
    "перестрелять",
    "взорвать",
    "взрывать",
    "сжечь",
    "жечь",
    "громить",
    "разгромить",
    "уничтожить",
    "уничтожать",
    "мочить",
    "замочить",
    "истребить",
    "истреблять",
    "перебить",
    "линчевать",
    "казнить",
    "душить",
    "передушить",
    "бить",
}
TARGETS_ANY = {"все", "всё", "они", "их", "весь"}
GROUP_SLURS = {
    "жид",
    "жидовка",
    "чурка",
    "хач",
    "хачик",
    "хохол",
    "нерусь",
    "кацап",
    "москаль",
    "пиндос",
    "черномазый",
    "чучмек",
    "узкоглазый",
    "рашист",
    "укроп",
    "ватник",
    "жидовский",
    "хохлушка",
    "пидор",
    "пидорас",
    "чурбан",
    "зверёк",
    "зверек",
    "неверный",
}
HOSTILE = {
    "смерть",
    "долой",
    "выгнать",
    "выгонять",
    "гнать",
    "выселить",
    "очистить",
    "вон",
    "убираться",
    "выкинуть",
    "изгнать",
    "бить",
    "мочить",
    "резать",
    "истребить",
    "уничтожить",
    "вешать",
    "сдохнуть",
    "гореть",
}
TERROR = {
    "теракт",
    "террорист",
    "террористический",
    "смертник",
    "шахид",
    "шахидка",
    "подрыв",
    "взрыв",
    "захват",
    "басаев",
    "брейвик",
    "брейвика",
    "колумбайн",
    "скулшутинг",
    "скулшутер",
    "игил",
    "халифат",
    "моджахед",
}
APPROVE = {
    "герой",
    "правильно",
    "молодец",
    "заслужить",
    "слава",
    "правый",
    "прав",
    "право",
    "оправдать",
    "оправданный",
    "восхищаться",
    "уважать",
    "поддерживать",
    "красавчик",
    "мученик",
    "гордиться",
    "респект",
    "браво",
}
NAZI = {"гитлер", "рейх", "фюрер", "гиммлер", "геббельс", "ss", "сс", "ваффен", "бандера", "шухевич"}
NAZI_PHRASES = re.compile(
    r"(?<!\w)(зиг\W{0,3}хайль|хайль\W{0,3}гитлер|sieg\W{0,3}heil|heil\W{0,3}hitler|"
    r"14\W?88|white\s+power|слава\s+гитлеру)(?!\w)",
    re.IGNORECASE,
)
REGIONS = {
    "крым",
    "кавказ",
    "сибирь",
    "чечня",
    "ичкерия",
    "дагестан",
    "татарстан",
    "башкортостан",
    "курилы",
    "калининград",
    "якутия",
    "урал",
    "тува",
    "бурятия",
    "карелия",
    "кубань",
    "донбасс",
    "идель-урал",
}
SEPARATE = {
    "отделение",
    "отделить",
    "отделиться",
    "независимость",
    "независимый",
    "отдать",
    "вернуть",
    "суверенитет",
    "свобода",
    "свободный",
    "освободить",
    "деколонизация",
    "отсоединить",
}
ARMY = {
    "армия",
    "вс",
    "военный",
    "солдат",
    "оккупант",
    "военнослужащий",
    "минобороны",
    "мобилизованный",
    "вагнер",
    "контрактник",
    "орк",
}
DISCREDIT = {
    "преступник",
    "убийца",
    "мародёр",
    "мародер",
    "насильник",
    "позор",
    "преступный",
    "оккупант",
    "каратель",
    "фашист",
    "нацист",
    "оккупационный",
    "агрессия",
    "агрессор",
    "геноцид",
    "зверство",
}
ANTI_WAR = re.compile(
    r"(?<!\w)(нет\s+войне|no\s+to\s+war|нет\s+войны|остановите\s+войну|stop\s+the\s+war)(?!\w)", re.IGNORECASE
)
NEGATION = {"не", "нельзя", "ни", "никогда", "против"}
#: a sentence that reports on the lists or a court decision (news, a sceptical post about a ban): what it
#: names is mentioned, not called for or approved (docs/matching.md, "Mention versus statement")
REPORT_FRAME = re.compile(
    r"(?<!\w)(минюст\w*|министерств\w*\s+юстиции|(?:федеральн\w+\s+)?спис\w+\s+экстремистск\w+"
    r"|внес(?:ли|ён|ен|ла|ло)\s+в\s+(?:\w+\s+){0,3}спис\w+|включ\w+\s+в\s+(?:\w+\s+){0,3}спис\w+"
    r"|признал\w*\s+(?:\w+\s+){0,3}экстремистск\w+|суд\w*\s+(?:\w+\s+){0,2}(?:признал|запретил|постановил)\w*"
    r"|запрещ[её]н\w*\s+(?:в\s+россии|судом|минюстом))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Rule:
    """One rule: two word groups that must meet in a sentence (and a call, if ``need_call``)."""

    category: str
    first: frozenset[str]
    second: frozenset[str]
    need_call: bool = False
    negatable: bool = False

    def name(self, lang: str) -> str:
        """What the rule detects, in ``lang``: the catalogue's ``statements.<category>``."""
        return t(f"statements.{self.category}", lang)


RULES: tuple[Rule, ...] = (
    Rule("call-violence", frozenset(VIOLENT), frozenset(TARGETS_ANY | GROUP_SLURS), need_call=True),
    Rule("incitement-group", frozenset(GROUP_SLURS), frozenset(HOSTILE)),
    Rule("justify-terrorism", frozenset(TERROR), frozenset(APPROVE), negatable=True),
    Rule("nazism", frozenset(NAZI), frozenset(APPROVE), negatable=True),
    Rule("territorial-integrity", frozenset(REGIONS), frozenset(SEPARATE), need_call=True),
    Rule("discredit-army", frozenset(ARMY), frozenset(DISCREDIT)),
)
CATEGORIES = {r.category: r for r in RULES}
_PREFILTER: frozenset[str] = frozenset().union(*(r.first for r in RULES))
_FIXED = re.compile(NAZI_PHRASES.pattern + "|" + ANTI_WAR.pattern, re.IGNORECASE)
_FIXED_WORDS = frozenset(
    norm(w)
    for w in ("88", "1488", "хайль", "heil", "hitler", "гитлеру", "войне", "войны", "войну", "war", "power")
)


#: possessive pronouns: after a word that can be a noun they make it one («мочи моей», «силы нашей»)
_POSSESSIVE = frozenset({"мой", "твой", "наш", "ваш", "свой"})


#: how sure a statement finding is (its ``score``); below :data:`LOW_CONFIDENCE` it is shown «на проверку»
BASE_CONFIDENCE = 0.45
#: a sentence this long (in words) reads as prose or a story, not a slogan
LONG_SENTENCE = 25
_DIALOGUE = re.compile(r"^\s*(?:[-–—]|[«\"“„])")


def confidence(sent: str, *, explicit: bool, target: bool, close: bool) -> float:
    """How sure a statement finding is, from what makes a call a call, as rules one can read:

    - an explicit call (an imperative, «надо/пора/давайте» before the verb): +0.2;
    - a slur for a group as the target: +0.2;
    - the two words right next to each other («Смерть жидам», «Бей хачей»): +0.1;
    - a long sentence (prose, a story, a report: :data:`LONG_SENTENCE` words or more): −0.2;
    - a line of dialogue or a quotation (it starts with a dash or a quotation mark): −0.2.
    """
    c = BASE_CONFIDENCE + 0.2 * explicit + 0.2 * target + 0.1 * close
    if len(sent.split()) >= LONG_SENTENCE:
        c -= 0.2
    if _DIALOGUE.match(sent):
        c -= 0.2
    return round(min(0.95, max(0.1, c)), 2)


def _has_noun_reading(word: str) -> bool:
    return any(p.tag.POS == "NOUN" for p in morph().parse(word.lower())[:3])


def _thing_after(sent: str, toks: list[tuple[str, int, int]] | tuple[tuple[str, int, int], ...], keys: list[str],
                 j: int) -> bool:
    """Whether the pronoun target at ``j`` («весь», «все», «их») is the determiner of a thing right after it
    («уничтожим весь мир», «сжечь все старые дома»): an inanimate noun (pymorphy's likeliest reading, after at
    most two adjectives), not people."""
    if keys[j] not in TARGETS_ANY:
        return False
    for k in range(j + 1, min(len(keys), j + 4)):  # adjectives between («все старые дома») are passed over
        p = morph().parse(sent[toks[k][1] : toks[k][2]].lower())[0]
        if p.tag.POS in ("ADJF", "PRTF"):
            continue
        return p.tag.POS == "NOUN" and "inan" in str(p.tag)
    return False


def _is_imperative(word: str) -> bool:
    return any("impr" in str(p.tag) for p in morph().parse(word.lower())[:2])


def _surface_forms(lemmas: frozenset[str]) -> frozenset[str]:
    """Every word form of ``lemmas`` (pymorphy lexemes) in :func:`norm` form, for the cheap prefilter."""
    out: set[str] = set()
    an = morph()
    for lem in lemmas:
        out.add(norm(lem))
        for p in an.parse(lem)[:3]:
            if p.normal_form.replace("ё", "е") == lem.replace("ё", "е"):
                # only forms whose likeliest reading is this word («душа» is a noun, not «душить»)
                out.update(
                    norm(f.word)
                    for f in p.lexeme
                    if an.parse(f.word)[0].normal_form.replace("ё", "е") == lem.replace("ё", "е")
                )
    return frozenset(out)


def _cached_forms() -> frozenset[str]:
    """:func:`_surface_forms` of the prefilter, cached in the data dir (keyed by this module's code)."""
    import hashlib
    import json
    import os
    import tempfile
    from pathlib import Path


    try:
        code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
        path = data_dir() / "cache" / f"statement-forms-{code}.json"
        if path.exists():
            return frozenset(json.loads(path.read_text("utf-8")))
    except (OSError, ValueError):
        path = None
    forms = _surface_forms(_PREFILTER)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".forms-")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(sorted(forms), fh, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError:
            pass  # the cache is an optimisation only
    return forms


class StatementMatcher:
    """Finds statement-like wording in items; ``indicator`` findings with the triggering words."""

    bank = BANK
    version = MATCHER_VERSION
    list_version = MATCHER_VERSION

    def __init__(self) -> None:
        self.forms = _cached_forms()
        self.any_trigger = self.forms | _FIXED_WORDS
        self.any_trigger_bytes = frozenset(w.encode(FAST_CODEC, "replace") for w in self.any_trigger)

    def gate_terms(self) -> GateTerms:
        """For the scan's text gate (:mod:`.gate`): a text can only trigger a rule or a fixed phrase when one of
        its words is a trigger word form (the prefilter of :meth:`match`)."""
        return GateTerms(groups=tuple(Group((f" {w} ",)) for w in sorted(self.any_trigger)))

    def match(self, item: Item, extra_texts: list[tuple[str, str]] | None = None) -> list[Finding]:
        """At most one finding per category and item, on the first sentence that triggers it."""
        out: dict[str, Finding] = {}
        for fld, text in [*item.texts(), *(extra_texts or [])]:
            if fld.endswith(".title") and item.kind != "post":
                continue
            # most texts hold no word that any rule or fixed phrase starts from: ruled out in C
            fast = norm_bytes_cached(text)
            if fast is not None and self.any_trigger_bytes.isdisjoint(fast.split()):
                continue
            words = norm_words_cached(text)
            if fast is None and self.any_trigger.isdisjoint(words):
                continue
            if self.forms.isdisjoint(words) and (_FIXED_WORDS.isdisjoint(words) or not _FIXED.search(text)):
                continue
            for m in _SENTENCE.finditer(text):
                self._sentence(item, fld, text, m.start(), m.group(0), out)
        return list(out.values())

    def _sentence(
        self, item: Item, fld: str, text: str, offset: int, sent: str, out: dict[str, Finding]
    ) -> None:
        fixed = NAZI_PHRASES.search(sent) or ANTI_WAR.search(sent)
        if fixed is not None:
            cat = "nazism" if NAZI_PHRASES.search(sent) else "discredit-army"
            if cat not in out:
                # a fixed phrase (a Nazi slogan, an anti-war one) is what it is: confident unless in dialogue
                conf = confidence(sent, explicit=True, target=True, close=True)
                out[cat] = self._finding(item, fld, text, offset, sent, cat, [fixed.group(0)], conf)
        toks = tokens(sent)
        keys = [t[0] for t in toks]
        if not _PREFILTER.intersection(keys):
            return
        if REPORT_FRAME.search(sent):
            return  # the sentence reports on the lists or a court: a mention, not the author's own call
        for rule in RULES:
            if rule.category in out:
                continue
            for i, k in enumerate(keys):
                if k not in rule.first:
                    continue
                lo, hi = max(0, i - WINDOW), min(len(keys), i + WINDOW + 1)
                j = next((j for j in range(lo, hi) if j != i and keys[j] in rule.second
                          and not _thing_after(sent, toks, keys, j)), None)
                if j is None:
                    continue
                if rule.negatable and any(keys[x] in NEGATION for x in range(max(0, j - 2), j)):
                    continue
                if i + 1 < len(keys) and keys[i + 1] in _POSSESSIVE and _has_noun_reading(
                        sent[toks[i][1] : toks[i][2]]):
                    continue  # «мочи моей нет»: the noun (strength), not the verb
                words = [sent[toks[i][1] : toks[i][2]], sent[toks[j][1] : toks[j][2]]]
                if rule.need_call:
                    verb = i if rule.first is not rule.second and keys[i] in VIOLENT else j
                    call = _is_imperative(sent[toks[verb][1] : toks[verb][2]]) or any(
                        keys[x] in CALL_WORDS for x in range(max(0, verb - 3), verb)
                    )
                    if rule.category == "territorial-integrity" and keys[j] in {
                        "свобода",
                        "независимость",
                        "деколонизация",
                    }:
                        # «Свободу Сибири!»: the slogan form, the word right before the region
                        call = call or (j == i - 1 and not sent[toks[j][2] : toks[i][1]].strip())
                    if not call:
                        continue
                explicit = not rule.need_call or call
                target = any(keys[x] in GROUP_SLURS for x in (i, j))
                conf = confidence(sent, explicit=explicit and rule.need_call, target=target, close=abs(i - j) <= 2)
                out[rule.category] = self._finding(item, fld, text, offset, sent, rule.category, words, conf)
                break

    def _finding(
        self, item: Item, fld: str, text: str, offset: int, sent: str, cat: str, words: list[str], conf: float
    ) -> Finding:
        rule = CATEGORIES[cat]
        lead = len(sent) - len(sent.lstrip())
        start, end = offset + lead, offset + len(sent.rstrip())
        shown = ", ".join(f"«{w}»" for w in words)
        shown_en = ", ".join(f"“{w}”" for w in words)
        return Finding(
            item_id=item.id,
            item_ref=item.ref,
            bank=BANK,
            entry=cat,
            level="indicator",
            signal="statement",
            score=conf,
            evidence=Evidence(
                field=fld, text=text[start:end][:300], span=(start, end), matched=" + ".join(words)
            ),
            explanation_ru=(
                f"Формулировка похожа на {rule.name('ru')}: сработали слова {shown}. Это только повод "
                "перечитать запись: автоматическая проверка не понимает шутки, цитаты и контекст."
            ),
            explanation_en=(
                f"The wording resembles {rule.name('en')}: triggered by {shown_en}. It is only a reason to "
                "re-read the item: an automatic check does not understand jokes, quotes or context."
            ),
            list_version=MATCHER_VERSION,
        )


def matcher_factory(store: object) -> StatementMatcher:
    """The scan.EXTRA_MATCHERS factory (the detector needs no list)."""
    return StatementMatcher()


__all__ = ["StatementMatcher", "RULES", "CATEGORIES", "BANK", "MATCHER_VERSION", "matcher_factory"]
