"""The legal facts a finding's context is made of: the articles and their penalties, limitation
rules, the continuing-offence rulings, roles and visibility, and the sources of each fact.

Taken from the project's research notes (``docs/legal-context.md`` lists them with their sources);
penalties change often, so each article names where to check the current text. Plain data: the
logic that applies it to a finding is :mod:`repostguard.findings.legal`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
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
    "period runs from the day it is detected (Supreme Court 81-AD21-9-K8, Constitutional Court 575-O)."
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
            "Supreme Court ruling 81-AD21-9-K8 of 13.08.2021: a VK comment is a continuing offence, the "
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
            "Заявление компании «Мэйл.ру Груп» (теперь VK) от 06.08.2018 о делах «за лайки и репосты»",
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
    "symbols": ["Admin 20.3"],
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
    "page": ("ваша страница, сохранённая из браузера", "your page, saved from the browser"),
    "screenshot": ("запись со снимка экрана вашей страницы", "a post on a screenshot of your page"),
    "avatar": ("фото профиля (его видят все, кто открывает профиль)",
               "a profile picture (seen by everyone who opens the profile)"),
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
VISIBILITY_SHORT = {
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
        "runs from the day it is detected, not from the day it was posted (Supreme Court 81-AD21-9-K8).",
    ),
    "removed": (
        "Запись удалена. Длящимся нарушение считали потому, что запись оставалась видна (ВС РФ 81-АД21-9-К8, "
        "КС РФ 575-О); сохраните дату удаления.",
        "The item is deleted. The offence was treated as continuing because the post stayed visible "
        "(Supreme Court 81-AD21-9-K8, Constitutional Court 575-O); keep the date you removed it.",
    ),
}
