"""Severity and legal context of a finding: articles, penalties, limitation, role, visibility, two clocks.

Everything here is *risk*, never a verdict, and comes with a "not legal advice" note. The facts
(articles, penalty ranges, limitation rules, the continuing-offence rulings) are taken from the
project's research notes (``docs/legal-context.md`` lists them with their sources); penalties
change often, so each article names where to check the current text.

:func:`legal_context` takes a finding as the store returns it (a row of
:meth:`repostguard.store.Store.findings_rows`) or as the findings JSON writes it
(:func:`repostguard.scan.finding_dict`) and returns a plain dict the report and the review page
can show. Prior penalties are only what the person entered (:func:`add_prior_penalty`); they are
never guessed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

DISCLAIMER_RU = (
    "Это оценка риска, а не юридическая консультация и не вывод о нарушении. Нормы и штрафы часто "
    "меняются: проверьте действующий текст кодексов (consultant.ru, pravo.gov.ru) или спросите юриста."
)
DISCLAIMER_EN = (
    "This is a risk estimate, not legal advice and not a finding of an offence. Laws and fines change "
    "often: check the current text of the codes (consultant.ru, pravo.gov.ru) or ask a lawyer."
)
CHECK_AT = "consultant.ru, pravo.gov.ru"
ADMIN_LIMIT_RU = (
    "Срок давности — 90 дней (дело рассматривает судья), но видимая запись считается длящимся "
    "нарушением: срок идёт со дня обнаружения (ВС РФ 81-АД21-9-К8, КС РФ 575-О)."
)
ADMIN_LIMIT_EN = (
    "Limitation: 90 days (heard by a judge), but a visible post counts as a continuing offence: the "
    "period runs from the day it is detected (Supreme Court 81-АД21-9-К8, Constitutional Court 575-O)."
)


@dataclass(frozen=True)
class Article:
    """One article of the Criminal (CC) or Administrative (Admin) Code, as the research notes state it."""

    code: str
    title_ru: str
    title_en: str
    penalty_ru: str
    penalty_en: str
    limitation_ru: str
    limitation_en: str
    escalates_to: str | None = None
    verify: bool = False

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["check_at"] = CHECK_AT
        return d


def _crim(years: str) -> tuple[str, str]:
    return (
        f"Уголовный срок давности — {years} (ст. 78 УК РФ); как он применяется к видимым записям, "
        "в источниках не устоялось: считайте видимую запись текущим риском.",
        f"Criminal limitation: {years.replace('лет', 'years').replace('года', 'years')} (CC art. 78); how it "
        "applies to visible posts is not settled in the sources: treat a visible post as a live risk.",
    )


ARTICLES: dict[str, Article] = {
    "Admin 20.29": Article(
        "Admin 20.29",
        "Массовое распространение экстремистских материалов (из ФСЭМ)",
        "Mass distribution of extremist materials (FSM-listed)",
        "штраф 1 000–3 000 ₽ или арест до 15 суток, с конфискацией",
        "fine 1,000–3,000 RUB or arrest up to 15 days, with confiscation",
        ADMIN_LIMIT_RU,
        ADMIN_LIMIT_EN,
    ),
    "Admin 20.3": Article(
        "Admin 20.3",
        "Пропаганда или демонстрация нацистской символики или символики экстремистских организаций",
        "Propaganda or display of Nazi symbols or symbols of extremist organisations",
        "штраф 1 000–2 000 ₽ с конфискацией, или арест до 15 суток",
        "fine 1,000–2,000 RUB with confiscation, or arrest up to 15 days",
        ADMIN_LIMIT_RU,
        ADMIN_LIMIT_EN,
        escalates_to="CC 282.4",
    ),
    "Admin 13.15": Article(
        "Admin 13.15",
        "Упоминание организации из списка без указания, что она запрещена (ч. 2; касается в основном СМИ)",
        "Mentioning a listed organisation without saying it is banned (part 2; mainly aimed at media)",
        "штраф 2 000–2 500 ₽ с конфискацией",
        "fine 2,000–2,500 RUB with confiscation",
        ADMIN_LIMIT_RU,
        ADMIN_LIMIT_EN,
    ),
    "Admin 20.33": Article(
        "Admin 20.33",
        "Участие в деятельности нежелательной организации (включая публикацию её материалов или ссылок)",
        "Participation in an undesirable organisation's activity (including posting its material or links)",
        "штраф 5 000–15 000 ₽ (проверить)",
        "fine 5,000–15,000 RUB (verify)",
        ADMIN_LIMIT_RU,
        ADMIN_LIMIT_EN,
        escalates_to="CC 284.1",
        verify=True,
    ),
    "Admin 20.3.1": Article(
        "Admin 20.3.1",
        "Возбуждение ненависти либо вражды (когда это не преступление)",
        "Inciting hatred (when it is not a crime)",
        "штраф 10 000–20 000 ₽, или обязательные работы до 100 ч, или арест до 15 суток",
        "fine 10,000–20,000 RUB, or compulsory work up to 100 h, or arrest up to 15 days",
        ADMIN_LIMIT_RU,
        ADMIN_LIMIT_EN,
        escalates_to="CC 282",
    ),
    "Admin 20.3.3": Article(
        "Admin 20.3.3",
        "«Дискредитация» армии или государственных органов",
        "“Discrediting” the army or state bodies",
        "ч. 1: штраф 30 000–50 000 ₽; ч. 2: 50 000–100 000 ₽",
        "part 1: fine 30,000–50,000 RUB; part 2: 50,000–100,000 RUB",
        ADMIN_LIMIT_RU,
        ADMIN_LIMIT_EN,
        escalates_to="CC 280.3",
    ),
    "CC 280": Article(
        "CC 280",
        "Публичные призывы к экстремистской деятельности (ч. 2 — через интернет)",
        "Public calls to extremist activity (part 2: via the Internet)",
        "ч. 1: штраф 100–300 тыс. ₽ или до 4 лет; ч. 2: до 5 лет (проверить)",
        "part 1: fine 100–300k RUB or up to 4 years; part 2: up to 5 years (verify)",
        *_crim("6 лет"),
        verify=True,
    ),
    "CC 205.2": Article(
        "CC 205.2",
        "Публичные призывы к терроризму, его «оправдание» или пропаганда",
        "Public calls to terrorism, its “justification” or propaganda",
        "ч. 1: штраф 100–500 тыс. ₽ или 2–5 лет; ч. 2 (интернет): штраф 300 тыс.–1 млн ₽ или 5–7 лет "
        "(проверить)",
        "part 1: fine 100–500k RUB or 2–5 years; part 2 (online): fine 300k–1m RUB or 5–7 years (verify)",
        *_crim("6 или 10 лет"),
        verify=True,
    ),
    "CC 354.1": Article(
        "CC 354.1",
        "«Реабилитация нацизма»",
        "“Rehabilitation of Nazism”",
        "ч. 1: до 3 лет или штраф до 3 млн ₽; в интернете — до 5 лет (проверить)",
        "part 1: up to 3 years or a fine up to 3m RUB; online: up to 5 years (verify)",
        *_crim("2 или 6 лет"),
        verify=True,
    ),
    "CC 282": Article(
        "CC 282",
        "Возбуждение ненависти либо вражды (ч. 1 — только после админ. наказания по 20.3.1 в течение года)",
        "Inciting hatred (part 1 only after an admin penalty under 20.3.1 within a year)",
        "ч. 1: штраф 300–600 тыс. ₽ или 2–5 лет; ч. 2: 3–6 лет",
        "part 1: fine 300–600k RUB or 2–5 years; part 2: 3–6 years",
        *_crim("6 или 10 лет"),
    ),
    "CC 280.3": Article(
        "CC 280.3",
        "Повторная «дискредитация» армии (в течение года после наказания по 20.3.3)",
        "Repeated “discrediting” of the army (within a year of a penalty under 20.3.3)",
        "штраф 100–300 тыс. ₽ или до 5 лет; ч. 2 — до 7 лет",
        "fine 100–300k RUB or up to 5 years; part 2: up to 7 years",
        *_crim("6 или 10 лет"),
    ),
    "CC 207.3": Article(
        "CC 207.3",
        "Публичное распространение «заведомо ложной информации» об армии",
        "Public spreading of “knowingly false information” about the army",
        "ч. 1: штраф 0,7–1,5 млн ₽ или до 3 лет; ч. 2: 5–10 лет; ч. 3: 10–15 лет",
        "part 1: fine 0.7–1.5m RUB or up to 3 years; part 2: 5–10 years; part 3: 10–15 years",
        *_crim("2, 10 или 15 лет"),
    ),
    "CC 282.4": Article(
        "CC 282.4",
        "Повторная демонстрация нацистской или экстремистской символики",
        "Repeated display of Nazi or extremist symbols",
        "штраф 600 тыс.–1 млн ₽ или до 4 лет",
        "fine 600k–1m RUB or up to 4 years",
        *_crim("6 лет"),
    ),
    "CC 284.1": Article(
        "CC 284.1",
        "Участие в нежелательной организации (повторно в течение года)",
        "Participation in an undesirable organisation (repeated within a year)",
        "до 4 лет (проверить)",
        "up to 4 years (verify)",
        *_crim("6 лет"),
        verify=True,
    ),
}

#: (bank, level or category) → articles, most relevant first
BANK_ARTICLES: dict[str, list[str]] = {
    "fsm": ["Admin 20.29"],
    "orgs-extremist": ["Admin 20.3", "Admin 13.15"],
    "orgs-terrorist": ["CC 205.2", "Admin 20.3", "Admin 13.15"],
    "orgs-undesirable": ["Admin 20.33"],
    "orgs-sites": ["Admin 20.33"],
    "statements:call-violence": ["CC 280"],
    "statements:justify-terrorism": ["CC 205.2"],
    "statements:incitement-group": ["Admin 20.3.1", "CC 282"],
    "statements:nazism": ["CC 354.1", "Admin 20.3"],
    "statements:territorial-integrity": ["CC 280"],
    "statements:discredit-army": ["Admin 20.3.3", "CC 207.3"],
}
EXTRA_NOTES: dict[str, tuple[str, str]] = {
    "statements:territorial-integrity": (
        "Призывы к нарушению территориальной целостности отдельно наказываются по ст. 280.1 УК РФ; "
        "её санкций "
        "нет в наших материалах — проверьте текст кодекса.",
        "Calls to violate territorial integrity are also punished under CC 280.1; "
        "its penalties are not in our "
        "notes: check the code.",
    ),
    "orgs-extremist": (
        "Само упоминание организации обычным человеком, по нашим источникам, редко становится делом; "
        "риск выше "
        "для символики (20.3) и материалов организации.",
        "In the sources checked, a mere mention by an ordinary person rarely leads to a case; "
        "the risk is higher "
        "for symbols (20.3) and the organisation's material.",
    ),
}
ROLE = {
    "post": ("ваша запись", "your own post"),
    "repost": ("репост (суды считают его распространением)", "a repost (courts treat it as distribution)"),
    "comment": ("комментарий", "a comment"),
    "like": (
        "отметка «нравится» (редко основание для дела, но не гарантия безопасности)",
        "a like (rarely the basis of a case, but not safe)",
    ),
    "message": ("личное сообщение (не публично)", "a private message (not public)"),
}
VISIBILITY = {
    None: ("видимость неизвестна: считайте запись публичной", "visibility unknown: treat it as public"),
    "public": ("видна всем", "public"),
    "friends": (
        "видна друзьям: закрытый профиль не был защитой в делах по 20.33",
        "friends only: a closed account was no defence in 20.33 cases",
    ),
    "private": ("видна только вам", "only you"),
    "deleted": ("удалена", "deleted"),
}


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
    try:
        return date.fromisoformat(str(s)[:10])
    except ValueError:
        return None


def _listed(store: Any, bank: str, version: str, entry: str) -> tuple[date | None, str]:
    """The listing date of an entry and where it comes from ('included', 'decision', '')."""
    if store is None or not version:
        return None, ""
    row = store.conn.execute(
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


def legal_context(
    store: Any, finding_row: Mapping[str, Any] | sqlite3.Row, *, today: date | None = None
) -> dict[str, Any]:
    """The legal context of one finding (see the module docstring); cheap: one indexed query."""
    today = today or date.today()
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
    item_date = _parse_date(_get(finding_row, "date"))
    listed, listed_from = _listed(store, bank, str(_get(finding_row, "list_version") or ""), entry)
    notes_ru: list[str] = []
    notes_en: list[str] = []
    before = item_date is not None and listed is not None and item_date < listed
    if item_date is not None and listed is not None and before:
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
    if listed_from == "decision":
        notes_ru.append("Дата внесения в список не указана (записи до 2017 г.): показана дата решения суда.")
        notes_en.append(
            "The list gives no inclusion date (entries before 2017): the court decision date is shown."
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
    if store is not None:
        try:
            priors = prior_penalties(store.conn)
        except sqlite3.Error:
            priors = []
        for code in codes:
            art = ARTICLES[code]
            if not art.escalates_to:
                continue
            for p in priors:
                pd = _parse_date(p["date"])
                same = p["article"] in (None, "", code.split(" ", 1)[1])
                if pd and same and today - pd <= timedelta(days=365):
                    escalation.append({"article": code, "becomes": art.escalates_to, "prior": p})
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
    return {
        "articles": [ARTICLES[c].to_dict() for c in codes],
        "severity": severity,
        "role": {"kind": kind, "ru": role_ru, "en": role_en},
        "visibility": {"value": vis, "ru": vis_ru, "en": vis_en},
        "item_date": item_date.isoformat() if item_date else None,
        "listed_date": listed.isoformat() if listed else None,
        "listed_date_source": listed_from or None,
        "posted_before_listing": before,
        "escalation": escalation,
        "notes": {"ru": notes_ru, "en": notes_en},
        "disclaimer": {"ru": DISCLAIMER_RU, "en": DISCLAIMER_EN},
    }


__all__ = [
    "legal_context",
    "ARTICLES",
    "BANK_ARTICLES",
    "add_prior_penalty",
    "prior_penalties",
    "DISCLAIMER_RU",
    "DISCLAIMER_EN",
]
