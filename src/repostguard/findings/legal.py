"""Severity and legal context of a finding: articles, penalties, limitation, role, visibility, two clocks.

Everything here is *risk*, never a verdict, and comes with a "not legal advice" note. The facts
(articles, penalty ranges, limitation rules, the continuing-offence rulings) are taken from the
project's research notes (``docs/legal-context.md`` lists them with their sources); penalties
change often, so each article names where to check the current text.

:func:`legal_context` takes a finding as the store returns it (a row of
:meth:`repostguard.store.Store.findings_rows`) or as the findings JSON writes it
(:func:`repostguard.pipeline.scan.finding_dict`) and returns a plain dict the report and the review page
can show. Prior penalties are only what the person entered (:func:`add_prior_penalty`); they are
never guessed.

:class:`LegalContexts` does the same for many findings of one workspace (a scan's findings JSON,
the report, the review page): it reads each list entry's dates once and the entered penalties once.
Every fact shown names its sources (:data:`SOURCES`), as plain text: nothing is ever fetched.
"""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from repostguard.findings.legal_facts import (
    ARTICLES,
    BANK_ARTICLES,
    DISCLAIMER_EN,
    DISCLAIMER_RU,
    EXTRA_NOTES,
    LIMITATION_STATES,
    LISTED_SOURCE_LABELS,
    ROLE,
    ROLE_SOURCES,
    SEVERITY_LABELS,
    SOURCES,
    VISIBILITY,
    VISIBILITY_SHORT,
    VISIBILITY_SOURCES,
    LegalSource,
    article_name,
)


def add_prior_penalty(
    conn: sqlite3.Connection, penalty_date: date, article: str | None = None, note: str | None = None
) -> None:
    """Record a prior penalty the person entered (``article`` such as ``20.3.3``; None if not given)."""
    with conn:
        conn.execute(
            "INSERT INTO legal_prior_penalties (article, penalty_date, note, entered_at) VALUES (?,?,?,?)",
            (article, penalty_date.isoformat(), note, datetime.now().isoformat(timespec="seconds")),
        )


def prior_penalties(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = conn.execute("SELECT article, penalty_date, note FROM legal_prior_penalties ORDER BY penalty_date")
    return [{"article": r[0], "date": r[1], "note": r[2]} for r in rows]


def _get(row: Any, key: str) -> Any:
    try:
        return row[key]
    except (KeyError, IndexError):
        return None


def _parse_date(s: Any) -> date | None:
    if not s:
        return None
    if isinstance(s, date):
        return s
    try:
        return date.fromisoformat(str(s)[:10])
    except ValueError:
        return None


#: the zone of the lists' calendar dates: an item's day is taken in it before comparing
LIST_ZONE = ZoneInfo("Europe/Moscow")


def _item_day(s: Any) -> date | None:
    """The day an item was posted, on the lists' calendar (Moscow), so that "posted before listing"
    does not depend on the zone the export recorded."""
    if s and not isinstance(s, date) and len(str(s)) > 10:
        try:
            dt = datetime.fromisoformat(str(s).replace("Z", "+00:00"))
        except ValueError:
            return _parse_date(s)
        return (dt.astimezone(LIST_ZONE) if dt.tzinfo is not None else dt).date()
    return _parse_date(s)


def _limitation(codes: list[str], removed: bool) -> dict[str, Any] | None:
    """Where the limitation clock stands for these articles (None when there is no article)."""
    if not codes:
        return None
    if removed:
        state, sources = "removed", ["vs-81-ad21", "ks-575-o"]
        ru, en = LIMITATION_STATES["removed"]
    elif any(c.startswith("Admin") for c in codes):
        state, sources = "continuing", ["koap-4.5", "vs-81-ad21"]
        ru, en = LIMITATION_STATES["continuing"]
    else:
        art = ARTICLES[codes[0]]
        state, sources = "unsettled", ["uk-78"]
        ru, en = art.limitation_ru, art.limitation_en
    return {"state": state, "ru": ru, "en": en, "sources": sources}


#: below this confidence (a finding's ``score``) an indicator is shown «на проверку»
LOW_CONFIDENCE = 0.6
TO_CHECK_RISK = {
    "ru": "На проверку: совпадение слабое, это могут быть обычные слова, цитата или шутка. Прочитайте запись; "
          "какие статьи могут к ней относиться — в правовом контексте.",
    "en": "To check: a weak match; these may be ordinary words, a quotation or a joke. Read the item; which "
          "articles it may concern is in the legal context.",
}


def _risk(severity: str, codes: list[str], kind: str, vis: Any, removed: bool, escalation: list[Any]) -> dict[str, str]:
    """One short sentence (ru, en) that says how serious it is; always risk wording, never a verdict."""
    sev_ru, sev_en = SEVERITY_LABELS.get(severity, (severity, severity))
    role_ru, role_en = ROLE.get(kind, (kind, kind))
    role_ru, role_en = role_ru.split(" (")[0], role_en.split(" (")[0]
    vis_ru, vis_en = VISIBILITY_SHORT.get(vis, (str(vis), str(vis)))
    if removed and vis != "deleted":
        vis_ru, vis_en = "удалена", "deleted"
    ru = f"{sev_ru[0].upper()}{sev_ru[1:]}: {role_ru}, {vis_ru}"
    en = f"{sev_en[0].upper()}{sev_en[1:]}: {role_en}, {vis_en}"
    if codes:
        ru += " — может рассматриваться по " + ", ".join(article_name(c, "ru") for c in codes) + "."
        en += " — it may fall under " + ", ".join(article_name(c, "en") for c in codes) + "."
    else:
        ru += "; статья для такого совпадения не определена."
        en += "; no article is attached to this kind of finding."
    if escalation:
        becomes = ", ".join(sorted({article_name(e["becomes"], "ru") for e in escalation}))
        becomes_en = ", ".join(sorted({article_name(e["becomes"], "en") for e in escalation}))
        ru += f" С учётом указанного вами наказания повтор может подпасть под {becomes}."
        en += f" Given the penalty you entered, a repeat may fall under {becomes_en}."
    ru += " Это оценка риска, а не вывод о нарушении."
    en += " This is a risk estimate, not a finding of an offence."
    return {"ru": ru, "en": en}


class LegalContexts:
    """The legal context of many findings of one workspace (see :func:`legal_context`).

    Each list entry's dates are read once (one indexed query per distinct entry) and the entered
    prior penalties once, so building the context of every finding of a scan stays cheap. Use one
    instance per run (a scan, a report, a page): it does not notice penalties entered meanwhile.

    Parameters:
        store: an open :class:`repostguard.store.Store`, or None (then listing dates are unknown
            unless the caller passes them, and no prior penalty is known).
        today: the day escalation windows are counted to (default: today).
    """

    def __init__(self, store: Any, *, today: date | None = None) -> None:
        # the connection, not the store: contexts_for() keys its cache weakly on the store
        self.conn: sqlite3.Connection | None = store.conn if store is not None else None
        self.today = today or date.today()
        self._listed: dict[tuple[str, str, str], tuple[date | None, str]] = {}
        self._priors: list[dict[str, Any]] | None = None

    def listed(self, bank: str, version: str, entry: str) -> tuple[date | None, str]:
        """The listing date of an entry and where it comes from ('included', 'decision' or '')."""
        key = (bank, version, entry)
        hit = self._listed.get(key)
        if hit is None:
            hit = self._listed[key] = _listed(self.conn, bank, version, entry)
        return hit

    def priors(self) -> list[dict[str, Any]]:
        """The prior penalties the person entered (read once)."""
        if self._priors is None:
            self._priors = []
            if self.conn is not None:
                try:
                    self._priors = prior_penalties(self.conn)
                except sqlite3.Error:
                    self._priors = []
        return self._priors

    def __call__(
        self, finding_row: Mapping[str, Any] | sqlite3.Row, *, listed: tuple[date | None, str] | None = None
    ) -> dict[str, Any]:
        """The context of one finding; ``listed`` = (date, 'included' or 'decision') overrides the lookup."""
        return _context(self, finding_row, listed)


def _listed(conn: sqlite3.Connection | None, bank: str, version: str, entry: str) -> tuple[date | None, str]:
    """The listing date of an entry and where it comes from ('included', 'decision', '')."""
    if conn is None or not version:
        return None, ""
    row = conn.execute(
        "SELECT included, decision_date FROM list_entries WHERE bank=? AND version=? AND entry=?",
        (bank, version, entry),
    ).fetchone()
    if row is None:
        return None, ""
    if row[0]:
        return _parse_date(row[0]), "included"
    if row[1]:
        return _parse_date(row[1]), "decision"
    return None, ""


_ARTICLE_DICTS: dict[str, dict[str, Any]] = {}
_SOURCE_DICTS: dict[str, dict[str, str]] = {k: v.to_dict() for k, v in SOURCES.items()}


def _article_dict(code: str) -> dict[str, Any]:
    """``ARTICLES[code].to_dict()``, built once (a copy is returned)."""
    d = _ARTICLE_DICTS.get(code)
    if d is None:
        d = _ARTICLE_DICTS[code] = ARTICLES[code].to_dict()
    return {**d, "sources": list(d["sources"])}


_BY_STORE: weakref.WeakKeyDictionary[Any, LegalContexts] = weakref.WeakKeyDictionary()


def contexts_for(store: Any) -> LegalContexts:
    """One :class:`LegalContexts` per open store (for callers that see findings one by one, like a scan)."""
    ctx = _BY_STORE.get(store)
    if ctx is None:
        ctx = _BY_STORE[store] = LegalContexts(store)
    return ctx


def legal_context(
    store: Any, finding_row: Mapping[str, Any] | sqlite3.Row, *, today: date | None = None
) -> dict[str, Any]:
    """The legal context of one finding (see the module docstring); cheap: one indexed query."""
    return LegalContexts(store, today=today)(finding_row)


def _context(
    lc: LegalContexts, finding_row: Mapping[str, Any] | sqlite3.Row, listed_override: tuple[date | None, str] | None
) -> dict[str, Any]:
    today = lc.today
    bank = str(_get(finding_row, "bank") or "")
    entry = str(_get(finding_row, "entry") if _get(finding_row, "entry") is not None else "")
    key = f"{bank}:{entry}" if bank == "statements" else bank
    codes = BANK_ARTICLES.get(key, [])
    kind = _get(finding_row, "kind") or "post"
    author = _get(finding_row, "author")
    role_ru, role_en = ROLE.get(kind, (kind, kind))
    if author not in (None, "self") and kind != "like":
        role_ru, role_en = f"{role_ru} (автор: {author})", f"{role_en} (author: {author})"
    vis = _get(finding_row, "visibility")
    vis_ru, vis_en = VISIBILITY.get(vis, (str(vis), str(vis)))
    removed = vis == "deleted" or bool(_get(finding_row, "deleted_at"))
    item_date = _item_day(_get(finding_row, "date"))
    if listed_override is not None and listed_override[0] is not None:
        listed, listed_from = listed_override
    else:
        listed, listed_from = lc.listed(bank, str(_get(finding_row, "list_version") or ""), entry)
    sources: list[str] = []
    for c in codes:
        sources.extend(ARTICLES[c].sources)
    sources.extend(ROLE_SOURCES.get(kind, ()))
    sources.extend(VISIBILITY_SOURCES.get(vis, ()))
    notes_ru: list[str] = []
    notes_en: list[str] = []
    before = item_date is not None and listed is not None and item_date < listed
    if item_date is not None and listed is not None and before and listed_from == "decision":
        # the court decision is not the listing: the entry was listed after it, on a day the list omits
        notes_ru.append(
            f"Запись сделана {item_date:%d.%m.%Y}, до решения суда ({listed:%d.%m.%Y}), по которому материал "
            "внесли в список, — то есть до того как он попал в список. Для административных статей это не "
            "защита: важно, что запись видна сейчас (КС РФ 575-О)."
        )
        notes_en.append(
            f"Posted on {item_date.isoformat()}, before the court decision ({listed.isoformat()}) on which the "
            "material was listed, so before it was listed. For administrative articles this is no defence: what "
            "matters is that the post is visible now (Constitutional Court 575-O)."
        )
        sources.append("ks-575-o")
    elif item_date is not None and listed is not None and before:
        notes_ru.append(
            f"Запись сделана {item_date:%d.%m.%Y}, до того как материал или организация попали в "
            f"список ({listed:%d.%m.%Y}). Для административных статей это не защита: важно, что запись "
            "видна сейчас (КС РФ 575-О)."
        )
        notes_en.append(
            f"Posted on {item_date.isoformat()}, before the material or organisation was listed "
            f"({listed.isoformat()}). For administrative articles this is no defence: what matters is that "
            "the post is visible now (Constitutional Court 575-O)."
        )
        sources.append("ks-575-o")
    if listed_from == "decision":
        notes_ru.append(
            f"Дата включения в список неизвестна: список указывает её только с 2017 г. Дата {listed:%d.%m.%Y} — "
            "дата решения суда, а не включения; в список материал внесли позже."
            if listed is not None else "Дата включения в список неизвестна."
        )
        notes_en.append(
            f"The inclusion date is unknown: the list gives it only from 2017 on. {listed.isoformat()} is the "
            "court decision date, not the listing date; the material was listed later."
            if listed is not None else "The inclusion date is unknown."
        )
    if kind == "like":
        notes_ru.append(
            "Отметки «нравится» редко становятся основанием для дела, но безопасными их назвать нельзя."
        )
        notes_en.append("Likes are rarely the basis of a case, but they cannot be called safe.")
    extra = EXTRA_NOTES.get(key)
    if extra:
        notes_ru.append(extra[0])
        notes_en.append(extra[1])
    escalation: list[dict[str, Any]] = []
    relevant: list[dict[str, Any]] = []
    priors = lc.priors()
    for p in priors:
        if any(p["article"] in (None, "", c.split(" ", 1)[1]) for c in codes):
            relevant.append(dict(p))
    for code in codes:
        art = ARTICLES[code]
        if not art.escalates_to:
            continue
        for p in priors:
            pd = _parse_date(p["date"])
            same = p["article"] in (None, "", code.split(" ", 1)[1])
            if pd and same and today - pd <= timedelta(days=365):
                escalation.append({"article": code, "becomes": art.escalates_to, "prior": p})
                sources.extend(ARTICLES[art.escalates_to].sources)
                notes_ru.append(
                    f"Вы указали наказание от {pd:%d.%m.%Y}: повторное деяние в течение года может "
                    f"быть квалифицировано уже по {art.escalates_to} (уголовная статья)."
                )
                notes_en.append(
                    f"You entered a penalty of {pd.isoformat()}: a repeat within a year may fall "
                    f"under {art.escalates_to} (a criminal article)."
                )
    level = _get(finding_row, "level")
    severity = "high" if level == "distribution" else ("medium" if level == "mention" else "low")
    if escalation:
        severity = "high"
    score = _get(finding_row, "score")
    # a weak indicator (ordinary words that may be a call, a name that may be an organisation's) is for the
    # person to read: its headline names no article and no penalty (they stay in the context, one click away)
    to_check = level == "indicator" and score is not None and float(score) < LOW_CONFIDENCE
    limitation = _limitation(codes, removed)
    if limitation:
        sources.extend(limitation["sources"])
    src_label = LISTED_SOURCE_LABELS.get(listed_from)
    used = set(sources)
    return {
        "articles": [_article_dict(c) for c in codes],
        "severity": severity,
        "risk": TO_CHECK_RISK if to_check else _risk(severity, codes, kind, vis, removed, escalation),
        "to_check": to_check,
        "confidence": float(score) if score is not None else None,
        "role": {"kind": kind, "ru": role_ru, "en": role_en},
        "visibility": {"value": vis, "ru": vis_ru, "en": vis_en},
        "limitation": limitation,
        "item_date": item_date.isoformat() if item_date else None,
        "listed_date": listed.isoformat() if listed else None,
        "listed_date_source": listed_from or None,
        "listed_date_source_label": {"ru": src_label[0], "en": src_label[1]} if src_label else None,
        "posted_before_listing": before,
        "escalation": escalation,
        "prior_penalties": relevant,
        "notes": {"ru": notes_ru, "en": notes_en},
        "sources": [dict(v) for k, v in _SOURCE_DICTS.items() if k in used],
        "disclaimer": {"ru": DISCLAIMER_RU, "en": DISCLAIMER_EN},
    }


__all__ = [
    "legal_context",
    "LegalContexts",
    "LegalSource",
    "contexts_for",
    "article_name",
    "ARTICLES",
    "BANK_ARTICLES",
    "SOURCES",
    "add_prior_penalty",
    "prior_penalties",
    "DISCLAIMER_RU",
    "DISCLAIMER_EN",
]
