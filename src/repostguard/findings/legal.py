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
class LegalSource:
    """A source the project's research notes (shared/docs/legal.md) cite for a fact shown to the user.

    ``where`` names the publication or site as plain text: it is shown, never fetched or previewed.
    """

    key: str
    ru: str
    en: str
    where: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


_CODES_AT = "consultant.ru, pravo.gov.ru"
#: every source a legal fact shown to the user comes from, in the order reports list them
SOURCES: dict[str, LegalSource] = {
    s.key: s
    for s in (
        LegalSource(
            "codes",
            "Действующие тексты КоАП РФ и УК РФ (санкции статей)",
            "Current texts of the Administrative and Criminal Codes (penalties)",
            _CODES_AT,
        ),
        LegalSource(
            "koap-4.5",
            "КоАП РФ, ст. 4.5: срок давности 60 дней, 90 — если дело рассматривает судья; для длящегося "
            "нарушения — со дня обнаружения",
            "Administrative Code art. 4.5: limitation 60 days, 90 if a judge hears the case; for a continuing "
            "offence, from the day it is detected",
            _CODES_AT,
        ),
        LegalSource(
            "uk-78",
            "УК РФ, ст. 78 и 15: сроки давности 2 / 6 / 10 / 15 лет по тяжести",
            "Criminal Code arts. 78 and 15: limitation 2 / 6 / 10 / 15 years by gravity",
            _CODES_AT,
        ),
        LegalSource(
            "vs-81-ad21",
            "Определение ВС РФ 81-АД21-9-К8 от 13.08.2021: комментарий во ВКонтакте — длящееся нарушение, "
            "срок давности считается со дня обнаружения",
            "Supreme Court ruling 81-АД21-9-К8 of 13.08.2021: a VK comment is a continuing offence, the "
            "limitation period runs from its detection",
            "pravo.ru (21.09.2021), advgazeta.ru",
        ),
        LegalSource(
            "ks-575-o",
            "Определение КС РФ 575-О от 28.03.2024: не принята жалоба на штраф по 20.3 за записи, "
            "сделанные до запрета организации",
            "Constitutional Court ruling 575-O of 28.03.2024: a complaint against a 20.3 fine for posts made "
            "before the organisation was banned was not admitted",
            "rapsinews.ru (14.05.2024)",
        ),
        LegalSource(
            "fz-519-521",
            "Федеральные законы 519-ФЗ и 521-ФЗ от 27.12.2018: ч. 1 ст. 282 УК — только после "
            "административного наказания по 20.3.1 в течение года",
            "Federal laws 519-FZ and 521-FZ of 27.12.2018: CC 282 part 1 only after an administrative "
            "penalty under 20.3.1 within a year",
            _CODES_AT,
        ),
        LegalSource(
            "plenum-11",
            "Постановление Пленума ВС РФ № 11 от 28.06.2011 (ред. № 32 от 20.09.2018): нужен умысел, "
            "в том числе для репоста",
            "Supreme Court Plenum No. 11 of 28.06.2011 (as amended by No. 32 of 20.09.2018): intent is "
            "required, also for a repost",
            "consultant.ru",
        ),
        LegalSource(
            "luzgin",
            "Дело Лузгина (Пермь): штраф 200 000 ₽ по ст. 354.1 УК за репост статьи, оставлен в силе ВС РФ "
            "01.09.2016",
            "The Luzgin case (Perm): a 200,000 RUB fine under CC 354.1 for a repost, upheld by the Supreme "
            "Court on 01.09.2016",
            "namvd.ru",
        ),
        LegalSource(
            "ulan-ude-2025",
            "Улан-Удэ, 2025: штраф по 20.33 КоАП; довод о закрытом аккаунте суд отклонил",
            "Ulan-Ude, 2025: a fine under Admin 20.33; the court rejected the “closed account” argument",
            "gazeta-n1.ru (29.10.2025)",
        ),
        LegalSource(
            "mailru-2018",
            "Заявление Mail.ru Group от 06.08.2018 о делах «за лайки и репосты»",
            "Mail.ru Group's statement of 06.08.2018 on cases “for likes and reposts”",
            "Meduza, The Insider (06.08.2018)",
        ),
        LegalSource(
            "svoboda-2023",
            "Санкции ст. 280.3 УК РФ после изменений 2023 г.",
            "Penalties of CC 280.3 after the 2023 amendment",
            "Radio Liberty (Радио Свобода), 2023",
        ),
        LegalSource("stykrf", "Санкции ст. 282.4 УК РФ", "Penalties of CC 282.4", "stykrf.ru"),
        LegalSource("66ru", "Санкции ст. 354.1 УК РФ", "Penalties of CC 354.1", "66.ru"),
    )
}
_ADMIN_SOURCES = ("codes", "koap-4.5", "vs-81-ad21", "ks-575-o")
_CRIM_SOURCES = ("codes", "uk-78")


def article_name(code: str, lang: str = "ru") -> str:
    """``Admin 20.29`` → ``ст. 20.29 КоАП РФ`` / ``Admin Code art. 20.29``; ``CC 280`` likewise."""
    kind, _, num = code.partition(" ")
    if lang == "en":
        return f"{'Admin Code' if kind == 'Admin' else 'Criminal Code'} art. {num}"
    return f"ст. {num} {'КоАП РФ' if kind == 'Admin' else 'УК РФ'}"


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
    #: keys of :data:`SOURCES` the title, penalty and limitation come from
    sources: tuple[str, ...] = _ADMIN_SOURCES

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["sources"] = list(self.sources)
        d["name_ru"] = article_name(self.code, "ru")
        d["name_en"] = article_name(self.code, "en")
        d["check_at"] = CHECK_AT
        return d


def _years_en(years: str) -> str:
    return years.replace(" или ", " or ").replace("лет", "years").replace("года", "years")


def _crim(years: str) -> tuple[str, str]:
    return (
        f"Уголовный срок давности — {years} (ст. 78 УК РФ); как он применяется к видимым записям, "
        "в источниках не устоялось: считайте видимую запись текущим риском.",
        f"Criminal limitation: {_years_en(years)} (CC art. 78); how it "
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
        sources=(*_ADMIN_SOURCES, "ulan-ude-2025"),
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
        sources=(*_ADMIN_SOURCES, "fz-519-521"),
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
        sources=_CRIM_SOURCES,
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
        sources=_CRIM_SOURCES,
    ),
    "CC 354.1": Article(
        "CC 354.1",
        "«Реабилитация нацизма»",
        "“Rehabilitation of Nazism”",
        "ч. 1: до 3 лет или штраф до 3 млн ₽; в интернете — до 5 лет (проверить)",
        "part 1: up to 3 years or a fine up to 3m RUB; online: up to 5 years (verify)",
        *_crim("2 или 6 лет"),
        verify=True,
        sources=(*_CRIM_SOURCES, "66ru", "luzgin"),
    ),
    "CC 282": Article(
        "CC 282",
        "Возбуждение ненависти либо вражды (ч. 1 — только после админ. наказания по 20.3.1 в течение года)",
        "Inciting hatred (part 1 only after an admin penalty under 20.3.1 within a year)",
        "ч. 1: штраф 300–600 тыс. ₽ или 2–5 лет; ч. 2: 3–6 лет",
        "part 1: fine 300–600k RUB or 2–5 years; part 2: 3–6 years",
        *_crim("6 или 10 лет"),
        sources=(*_CRIM_SOURCES, "fz-519-521", "plenum-11"),
    ),
    "CC 280.3": Article(
        "CC 280.3",
        "Повторная «дискредитация» армии (в течение года после наказания по 20.3.3)",
        "Repeated “discrediting” of the army (within a year of a penalty under 20.3.3)",
        "штраф 100–300 тыс. ₽ или до 5 лет; ч. 2 — до 7 лет",
        "fine 100–300k RUB or up to 5 years; part 2: up to 7 years",
        *_crim("6 или 10 лет"),
        sources=(*_CRIM_SOURCES, "svoboda-2023"),
    ),
    "CC 207.3": Article(
        "CC 207.3",
        "Публичное распространение «заведомо ложной информации» об армии",
        "Public spreading of “knowingly false information” about the army",
        "ч. 1: штраф 0,7–1,5 млн ₽ или до 3 лет; ч. 2: 5–10 лет; ч. 3: 10–15 лет",
        "part 1: fine 0.7–1.5m RUB or up to 3 years; part 2: 5–10 years; part 3: 10–15 years",
        *_crim("2, 10 или 15 лет"),
        sources=_CRIM_SOURCES,
    ),
    "CC 282.4": Article(
        "CC 282.4",
        "Повторная демонстрация нацистской или экстремистской символики",
        "Repeated display of Nazi or extremist symbols",
        "штраф 600 тыс.–1 млн ₽ или до 4 лет",
        "fine 600k–1m RUB or up to 4 years",
        *_crim("6 лет"),
        sources=(*_CRIM_SOURCES, "stykrf"),
    ),
    "CC 284.1": Article(
        "CC 284.1",
        "Участие в нежелательной организации (повторно в течение года)",
        "Participation in an undesirable organisation (repeated within a year)",
        "до 4 лет (проверить)",
        "up to 4 years (verify)",
        *_crim("6 лет"),
        verify=True,
        sources=_CRIM_SOURCES,
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
    "photo": ("фото на вашей странице", "a photo on your page"),
    "audio": ("аудиозапись на вашей странице", "an audio record on your page"),
    "video": ("видеозапись на вашей странице", "a video on your page"),
    "profile": ("данные вашего профиля", "your profile data"),
    "bookmark": (
        "закладка (видна только вам, но остаётся в аккаунте)",
        "a bookmark (visible only to you, but kept in the account)",
    ),
    "subscription": (
        "подписка на сообщество (видна в профиле, если список подписок открыт)",
        "a subscription to a community (shown on the profile when subscriptions are public)",
    ),
}
#: sources of the role sentences that state a legal fact
ROLE_SOURCES: dict[str, tuple[str, ...]] = {"repost": ("luzgin", "plenum-11"), "like": ("mailru-2018",)}
VISIBILITY = {
    None: ("видимость неизвестна: считайте запись публичной", "visibility unknown: treat it as public"),
    "public": ("видна всем", "public"),
    "friends": (
        "видна друзьям: закрытый профиль не был защитой в делах по 20.33",
        "friends only: a closed account was no defence in 20.33 cases",
    ),
    "closed": (
        "закрытый профиль: он не был защитой в делах по 20.33",
        "closed profile: a closed account was no defence in 20.33 cases",
    ),
    "private": ("видна только вам", "only you"),
    "deleted": ("удалена", "deleted"),
    "members": ("видна участникам беседы", "visible to the chat's members"),
    "dialog": ("видна собеседнику", "visible to the other person"),
    "community": ("видна администраторам сообщества", "visible to the community's admins"),
    "archived": ("запись в архиве: видна только вам", "archived post: visible only to you"),
}
VISIBILITY_SOURCES: dict[str | None, tuple[str, ...]] = {"friends": ("ulan-ude-2025",), "closed": ("ulan-ude-2025",)}
_VIS_SHORT = {
    None: ("видимость неизвестна", "visibility unknown"),
    "public": ("видна всем", "public"),
    "friends": ("видна друзьям", "friends only"),
    "closed": ("закрытый профиль", "closed profile"),
    "private": ("видна только вам", "only you"),
    "deleted": ("удалена", "deleted"),
    "members": ("участники беседы", "chat members"),
    "dialog": ("собеседник", "the other person"),
    "community": ("администраторы сообщества", "the community's admins"),
    "archived": ("в архиве: видна только вам", "archived: only you"),
}
SEVERITY_LABELS = {
    "high": ("высокий риск", "high risk"),
    "medium": ("средний риск", "medium risk"),
    "low": ("низкий риск", "low risk"),
}
LISTED_SOURCE_LABELS = {
    "included": ("дата включения в список", "the date it was added to the list"),
    "decision": (
        "дата решения суда из текста записи списка (до 2017 г. дата включения не указывается)",
        "the court decision date in the entry's text (the list gives no inclusion date before 2017)",
    ),
}
LIMITATION_STATES = {
    "continuing": (
        "Пока запись видна, нарушение считается длящимся: 90-дневный срок давности по КоАП идёт со дня "
        "обнаружения, а не со дня публикации (ВС РФ 81-АД21-9-К8).",
        "While the item is visible it counts as a continuing offence: the 90-day administrative limitation "
        "runs from the day it is detected, not from the day it was posted (Supreme Court 81-АД21-9-К8).",
    ),
    "removed": (
        "Запись удалена. Длящимся нарушение считали потому, что запись оставалась видна (ВС РФ 81-АД21-9-К8, "
        "КС РФ 575-О); сохраните дату удаления.",
        "The item is deleted. The offence was treated as continuing because the post stayed visible "
        "(Supreme Court 81-АД21-9-К8, Constitutional Court 575-O); keep the date you removed it.",
    ),
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
    if isinstance(s, date):
        return s
    try:
        return date.fromisoformat(str(s)[:10])
    except ValueError:
        return None


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


def _risk(severity: str, codes: list[str], kind: str, vis: Any, removed: bool, escalation: list[Any]) -> dict[str, str]:
    """One short sentence (ru, en) that says how serious it is; always risk wording, never a verdict."""
    sev_ru, sev_en = SEVERITY_LABELS.get(severity, (severity, severity))
    role_ru, role_en = ROLE.get(kind, (kind, kind))
    role_ru, role_en = role_ru.split(" (")[0], role_en.split(" (")[0]
    vis_ru, vis_en = _VIS_SHORT.get(vis, (str(vis), str(vis)))
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
    item_date = _parse_date(_get(finding_row, "date"))
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
        sources.append("ks-575-o")
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
    limitation = _limitation(codes, removed)
    if limitation:
        sources.extend(limitation["sources"])
    src_label = LISTED_SOURCE_LABELS.get(listed_from)
    used = set(sources)
    return {
        "articles": [_article_dict(c) for c in codes],
        "severity": severity,
        "risk": _risk(severity, codes, kind, vis, removed, escalation),
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
