"""User-facing strings of the review page, the report, the printable selection and the dossier,
in Russian (default) and English, the label tables (levels, kinds, lists, signals, …) and the
one date format of each language."""

from __future__ import annotations

from datetime import date, datetime

from repostguard.banks.orgs import ORG_LISTS

LANGS = ("ru", "en")

STRINGS: dict[str, dict[str, str]] = {
    "title": {"ru": "repostguard: проверка истории", "en": "repostguard: history review"},
    "subtitle": {
        "ru": "Всё работает на этом компьютере. Ссылки показаны текстом и не открываются.",
        "en": "Everything runs on this computer. Links are shown as text and never opened.",
    },
    "items_total": {"ru": "записей в истории", "en": "items in the history"},
    "flagged": {"ru": "отмечено", "en": "flagged"},
    "findings": {"ru": "совпадений", "en": "findings"},
    "decided": {"ru": "решено", "en": "decided"},
    "timeline": {"ru": "Отмеченные записи по годам", "en": "Flagged items by year"},
    "by_list": {"ru": "Совпадения по спискам и уровням", "en": "Findings by list and level"},
    "progress": {"ru": "Решения", "en": "Decisions"},
    "filters": {"ru": "Фильтры", "en": "Filters"},
    "search": {"ru": "Поиск по истории", "en": "Search the history"},
    "search_ph": {"ru": "слова из записи…", "en": "words from a post…"},
    "scope": {"ru": "Где искать", "en": "Scope"},
    "scope_flagged": {"ru": "только отмеченные", "en": "flagged only"},
    "scope_all": {"ru": "вся история", "en": "whole history"},
    "platform": {"ru": "Платформа", "en": "Platform"},
    "kind": {"ru": "Тип", "en": "Kind"},
    "bank": {"ru": "Список", "en": "List"},
    "level": {"ru": "Уровень", "en": "Level"},
    "year": {"ru": "Год", "en": "Year"},
    "decision": {"ru": "Решение", "en": "Decision"},
    "any": {"ru": "все", "en": "any"},
    "apply": {"ru": "Показать", "en": "Show"},
    "reset": {"ru": "Сбросить", "en": "Reset"},
    "shown": {"ru": "Показано {a}–{b} из {n}", "en": "Showing {a}–{b} of {n}"},
    "nothing": {"ru": "Ничего не найдено.", "en": "Nothing found."},
    "prev": {"ru": "← Назад", "en": "← Previous"},
    "next": {"ru": "Дальше →", "en": "Next →"},
    "open": {"ru": "Подробнее", "en": "Details"},
    "dossier": {"ru": "Справка для юриста", "en": "Dossier for a lawyer"},
    "back": {"ru": "← К списку", "en": "← Back to the list"},
    "posted": {"ru": "Дата публикации", "en": "Posted"},
    "no_date": {"ru": "дата неизвестна", "en": "date unknown"},
    "tz_assumed": {"ru": "(часовой пояс предположен)", "en": "(time zone assumed)"},
    "original": {"ru": "Собственная запись", "en": "Own post"},
    "repost_from": {"ru": "Репост из", "en": "Repost from"},
    "repost_unknown": {
        "ru": "Репост (источник не указан в выгрузке)",
        "en": "Repost (source not in the export)",
    },
    "visibility": {"ru": "Кто видит", "en": "Visibility"},
    "vis_unknown": {"ru": "неизвестно", "en": "unknown"},
    "item_url": {"ru": "Адрес записи (не открывается)", "en": "Item URL (not opened)"},
    "ref": {"ru": "Номер записи", "en": "Item ref"},
    "text_empty": {"ru": "(без текста)", "en": "(no text)"},
    "attachments": {"ru": "Вложения", "en": "Attachments"},
    "link_text": {"ru": "ссылка (текстом, не открывается)", "en": "link (as text, not opened)"},
    "photo_missing": {
        "ru": "файл изображения не найден в рабочей папке",
        "en": "picture file not found in the workspace",
    },
    "photo_unsupported": {
        "ru": "файл не показывается (не картинка JPEG/PNG/GIF/WebP или лежит вне папки выгрузки)",
        "en": "file not shown (not a JPEG/PNG/GIF/WebP picture, or outside the export folder)",
    },
    "deleted_on": {"ru": "Удалено с платформы", "en": "Removed from the platform"},
    "why": {"ru": "Почему отмечено", "en": "Why it was flagged"},
    "evidence": {"ru": "Совпавший фрагмент", "en": "Matched text"},
    "entry": {"ru": "Запись списка", "en": "List entry"},
    "entry_text": {"ru": "Текст записи списка полностью", "en": "The list entry in full"},
    "entry_missing": {
        "ru": "Текст записи недоступен: список не установлен (repostguard lists update).",
        "en": "Entry text unavailable: no list installed (repostguard lists update).",
    },
    "included": {"ru": "Включено в список", "en": "Included in the list"},
    "included_unknown": {
        "ru": "до 2017 г. (дата в списке не указывается)",
        "en": "before 2017 (the list gives no date)",
    },
    "court": {"ru": "Решение суда", "en": "Court decision"},
    "court_date": {"ru": "Дата решения", "en": "Decision date"},
    "excluded": {"ru": "Запись исключена из списка", "en": "The entry has been excluded from the list"},
    "listed_after": {
        "ru": "Материал включён в список после даты публикации.",
        "en": "The material was listed after the item was posted.",
    },
    "list_version": {"ru": "Версия списка", "en": "List version"},
    "legal": {"ru": "Правовой контекст (оценка риска)", "en": "Legal context (risk estimate)"},
    "legal_article": {"ru": "Статья", "en": "Article"},
    "legal_limitation": {"ru": "Давность", "en": "Limitation"},
    "legal_role": {"ru": "Что это", "en": "What it is"},
    "legal_clocks": {"ru": "Две даты", "en": "The two clocks"},
    "legal_item_date": {"ru": "запись", "en": "item"},
    "legal_listed": {"ru": "в списке с", "en": "listed on"},
    "legal_prior": {"ru": "Указанные вами наказания", "en": "Penalties you entered"},
    "legal_sources": {
        "ru": "Источники (адреса показаны текстом и не открываются)",
        "en": "Sources (addresses shown as text, never opened)",
    },
    "legal_check": {
        "ru": "Санкции часто меняются: проверяйте действующий текст кодексов (consultant.ru, pravo.gov.ru); "
        "«проверить» — цифра из вторичного источника.",
        "en": "Penalties change often: check the current text of the codes (consultant.ru, pravo.gov.ru); "
        "“verify” marks a figure from a secondary source.",
    },
    "signal": {"ru": "Признак", "en": "Signal"},
    "score": {"ru": "Оценка", "en": "Score"},
    "explanation": {"ru": "Пояснение", "en": "Explanation"},
    "your_decision": {"ru": "Ваше решение", "en": "Your decision"},
    "undecided": {"ru": "не решено", "en": "undecided"},
    "decided_at": {"ru": "решено", "en": "decided"},
    "note": {"ru": "Заметка", "en": "Note"},
    "note_ph": {"ru": "заметка для себя (необязательно)", "en": "a note for yourself (optional)"},
    "clear": {"ru": "Отменить решение", "en": "Clear decision"},
    "bulk": {"ru": "Решение для выбранных", "en": "Decision for the selection"},
    "bulk_selected": {"ru": "отмеченные галочками", "en": "ticked items"},
    "bulk_all": {"ru": "все {n} записей по текущим фильтрам", "en": "all {n} items matching the filters"},
    "select_all": {"ru": "выбрать все на странице", "en": "select all on this page"},
    "saved": {"ru": "Сохранено: {n}", "en": "Saved: {n}"},
    "csv": {"ru": "Скачать CSV выборки", "en": "Download the selection as CSV"},
    "lang_switch": {"ru": "English", "en": "Русский"},
    "not_advice": {
        "ru": "Это не юридическая консультация. Программа сравнивает текст с официальными списками "
        "и может ошибаться; решение о записи и её правовой оценке принимаете вы и ваш юрист.",
        "en": "This is not legal advice. The program compares text with official lists and can be "
        "wrong; the decision about an item and its legal assessment are yours and your lawyer's.",
    },
    "no_findings": {"ru": "У этой записи нет совпадений.", "en": "This item has no findings."},
    "dossier_title": {"ru": "Справка о записи", "en": "Item dossier"},
    "dossier_intro": {
        "ru": "Справка составлена программой repostguard по локальной копии истории пользователя. "
        "Она описывает факты, найденные в выгрузке, и не содержит оценок.",
        "en": "This dossier was produced by repostguard from the person's local copy of their "
        "history. It describes facts found in the export and contains no assessment.",
    },
    "generated": {"ru": "Составлено", "en": "Generated"},
    "the_item": {"ru": "Запись", "en": "The item"},
    "dates": {"ru": "Даты", "en": "Dates"},
    "repost_chain": {"ru": "Происхождение (репост)", "en": "Origin (repost chain)"},
    "what_decided": {"ru": "Решение пользователя", "en": "The person's decision"},
    "source": {"ru": "источник", "en": "source"},
    "print_hint": {
        "ru": "Чтобы сохранить в PDF, используйте «Печать» в браузере.",
        "en": "To save as PDF, use the browser's Print.",
    },
    "platform_name": {"ru": "Платформа", "en": "Platform"},
    "error": {"ru": "Ошибка", "en": "Error"},
    "not_found": {"ru": "Запись не найдена.", "en": "Item not found."},
    "other": {"ru": "прочее", "en": "other"},
    "unknown_year": {"ru": "без даты", "en": "undated"},
    # the report of the whole audit (repostguard report): what the page has no word for
    "report_title": {"ru": "repostguard: отчёт о проверке истории", "en": "repostguard: history audit report"},
    "help_distribution": {
        "ru": "Запись сама воспроизводит, содержит ссылку на материал из списка или проигрывает его. "
        "Это самый серьёзный риск.",
        "en": "The item itself reproduces, links to or plays material from the list. "
        "This is the most serious risk.",
    },
    "help_mention": {
        "ru": "Запись только называет материал, страницу или исполнителя из списка, похожа на новость "
        "о списке или является репостом со страницы из списка.",
        "en": "The item only names material, a page or a performer from the list, reads like news "
        "about the list, or is a repost from a listed page.",
    },
    "help_indicator": {"ru": "Слабый признак, который стоит просмотреть.", "en": "A weak sign worth a look."},
    "help_exposure": {
        "ru": "Данные профиля, которые связывают аккаунт с вами.",
        "en": "Profile data that ties the account to you.",
    },
    "same_picture": {
        "ru": "Та же картинка есть и в других записях",
        "en": "The same picture is also in other items",
    },
    "legal_intro": {
        "ru": "У каждого совпадения указаны статьи, к которым оно может относиться, санкции и сроки "
        "давности — по исследовательским заметкам проекта; источники перечислены в конце отчёта. "
        "Санкции часто меняются: проверяйте действующий текст кодексов (consultant.ru, "
        "pravo.gov.ru). Пометка «проверить» означает, что цифра взята из вторичного источника.",
        "en": "Each finding names the articles it may relate to, their penalties and limitation "
        "periods, from the project's research notes; the sources are listed at the end of the "
        "report. Penalties change often: check the current text of the codes (consultant.ru, "
        "pravo.gov.ru). “Verify” marks a figure taken from a secondary source.",
    },
    "sources": {"ru": "Источники", "en": "Sources"},
    "sources_intro": {
        "ru": "Факты о статьях, санкциях и сроках давности взяты из этих источников. Адреса показаны "
        "текстом: отчёт ничего не загружает и не открывает.",
        "en": "The facts about articles, penalties and limitation periods come from these sources. "
        "Addresses are shown as text: the report loads and opens nothing.",
    },
}

ACTION_LABELS = {
    "delete": {"ru": "Удалить", "en": "Delete"},
    "hide": {"ru": "Скрыть", "en": "Hide"},
    "keep": {"ru": "Оставить", "en": "Keep"},
    "not-a-match": {"ru": "Не совпадение", "en": "Not a match"},
    "none": {"ru": "Не решено", "en": "Undecided"},
    "any": {"ru": "Есть решение", "en": "Decided"},
}

LEVEL_LABELS = {
    "distribution": {"ru": "распространение", "en": "distribution"},
    "mention": {"ru": "упоминание", "en": "mention"},
    "indicator": {"ru": "признак", "en": "indicator"},
    "exposure": {"ru": "личные данные", "en": "personal data"},
    "other": {"ru": "прочее", "en": "other"},
}

KIND_LABELS = {
    "post": {"ru": "запись", "en": "post"},
    "repost": {"ru": "репост", "en": "repost"},
    "comment": {"ru": "комментарий", "en": "comment"},
    "like": {"ru": "отметка «нравится»", "en": "like"},
    "photo": {"ru": "фото", "en": "photo"},
    "audio": {"ru": "аудио", "en": "audio"},
    "video": {"ru": "видео", "en": "video"},
    "message": {"ru": "сообщение", "en": "message"},
    "profile": {"ru": "профиль", "en": "profile"},
    "bookmark": {"ru": "закладка", "en": "bookmark"},
    "subscription": {"ru": "подписка", "en": "subscription"},
}

VIS_LABELS = {
    "members": {"ru": "участники беседы", "en": "chat members"},
    "dialog": {"ru": "собеседник", "en": "the other person"},
    "community": {"ru": "администраторы сообщества", "en": "the community's admins"},
    "archived": {"ru": "только вы (запись в архиве)", "en": "only you (archived post)"},
    "public": {"ru": "все (открыто)", "en": "everyone (public)"},
    "friends": {"ru": "только друзья", "en": "friends only"},
    "private": {"ru": "только вы", "en": "only you"},
    "closed": {"ru": "закрытый профиль", "en": "closed profile"},
    "deleted": {"ru": "удалено", "en": "deleted"},
}

BANK_LABELS = {
    "fsm": {
        "ru": "Федеральный список экстремистских материалов",
        "en": "Federal List of Extremist Materials",
    },
    "orgs": {"ru": "Списки организаций", "en": "Organisation lists"},
    "hashes": {"ru": "Изображения (хеши)", "en": "Pictures (hashes)"},
    "statements": {"ru": "Высказывания", "en": "Statements"},
    "identity": {"ru": "Идентификация", "en": "Identity"},
    # each organisation list by its own title (``orgs-extremist``…), from its declaration
    **{spec.bank: {"ru": spec.title_ru[:1].upper() + spec.title_ru[1:],
                   "en": spec.title_en[:1].upper() + spec.title_en[1:]} for spec in ORG_LISTS},
}

SIGNAL_LABELS = {
    "quote": {"ru": "цитата", "en": "quote"},
    "url": {"ru": "ссылка", "en": "link"},
    "audio": {"ru": "аудиозапись", "en": "audio"},
    "source": {"ru": "источник репоста", "en": "repost source"},
    "page": {"ru": "страница, названная в списке", "en": "page named in the list"},
    "site": {"ru": "сайт", "en": "site"},
    "image-hash": {"ru": "изображение", "en": "picture"},
    "profile": {"ru": "профиль", "en": "profile"},
}

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def t(key: str, lang: str, **kw: object) -> str:
    """The string ``key`` in ``lang`` (falling back to Russian, then to the key itself)."""
    d = STRINGS.get(key)
    s = (d.get(lang) or d.get("ru") or key) if d else key
    return s.format(**kw) if kw else s


def label(table: dict[str, dict[str, str]], value: str | None, lang: str) -> str:
    """A value's label from one of the label tables, or the value itself."""
    if value is None:
        return ""
    d = table.get(value)
    return (d.get(lang) or value) if d else value


def fmt_local(value: str | None, lang: str) -> str:
    """A moment repostguard recorded (UTC, ISO 8601) in this computer's local time and format."""
    if not value:
        return ""
    try:
        dt = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    if dt.tzinfo is not None:
        dt = dt.astimezone()
    return fmt_date(dt, lang)


def fmt_date(value: str | date | None, lang: str, *, with_time: bool = True) -> str:
    """A date in the language's local format: ``03.08.2021 13:21`` (ru), ``3 Aug 2021, 13:21`` (en).

    The time is shown as the export recorded it, not converted, followed by its offset
    (``UTC+03:00``) when it has one.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        dt: datetime | None = value
        d = value.date()
    elif isinstance(value, date):
        dt, d = None, value
    else:
        s = str(value)
        try:
            dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
            d = dt.date()
        except ValueError:
            return s
        if len(s) <= 10:
            dt = None
    if lang == "en":
        out = f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"
        if dt is not None and with_time:
            out += f", {dt:%H:%M}"
    else:
        out = f"{d:%d.%m.%Y}"
        if dt is not None and with_time:
            out += f" {dt:%H:%M}"
    if dt is not None and with_time and (off := dt.utcoffset()) is not None:
        mins = int(off.total_seconds()) // 60
        out += f" UTC{'+' if mins >= 0 else '-'}{abs(mins) // 60:02d}:{abs(mins) % 60:02d}"
    return out
