"""Reports of the whole audit: a self-contained HTML page (no external resources, every piece of
item text escaped) or JSON, grouped by severity.

Each flagged item is shown once, with its text and the matched evidence highlighted, and under it
every finding: the list entry in full with its court decision, the entry's inclusion date (or,
for entries before 2017, the decision date) and the item's own date, so the two clocks can be
compared. Wording is about risk, never a verdict.

Each finding also carries its legal context (:class:`repostguard.findings.legal.LegalContexts`): the
articles with their penalty ranges, where the limitation clock stands, the role and visibility of
the item, and notes such as "posted before the material was listed". The sources of these facts
are listed once at the end of the HTML report, as plain text (never links that load anything).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment

from repostguard import __version__
from repostguard.findings.legal import SOURCES, LegalContexts
from repostguard.model import LEVEL_RANK
from repostguard.paths import atomic_write
from repostguard.pipeline.groups import near_duplicate_groups
from repostguard.store import Store
from repostguard.views.render import report_env

LABELS: dict[str, dict[str, str]] = {
    "ru": {
        "title": "repostguard: отчёт о проверке истории",
        "generated": "Составлен",
        "list": "Список",
        "items_scanned": "Проверено записей",
        "items_flagged": "Записей с совпадениями",
        "findings": "Совпадений",
        "distribution": "Распространение",
        "mention": "Упоминание",
        "indicator": "Признак",
        "exposure": "Личные данные",
        "distribution_help": "Запись сама воспроизводит, содержит ссылку на материал из списка или проигрывает его. "
                             "Это самый серьёзный риск.",
        "mention_help": "Запись только называет материал, страницу или исполнителя из списка, похожа на новость "
                        "о списке или является репостом со страницы из списка.",
        "indicator_help": "Слабый признак, который стоит просмотреть.",
        "exposure_help": "Данные профиля, которые связывают аккаунт с вами.",
        "entry": "Запись списка №",
        "included": "Включена в список",
        "included_unknown": "дата включения не указана (записи до 2017 года)",
        "decision": "Решение суда",
        "decision_date": "дата решения",
        "posted": "Опубликовано",
        "posted_before": "Запись опубликована до включения материала в список.",
        "repost_from": "Репост из",
        "signal": "Сигнал",
        "score": "Сходство",
        "evidence": "Совпало",
        "no_findings": "Совпадений не найдено.",
        "not_advice": "Это оценка риска, а не юридическое заключение и не юридическая консультация. Решения о "
                      "том, что является нарушением, принимают суд и правоприменитель; список меняется, "
                      "проверяйте историю снова после обновления списка.",
        "date_unknown": "дата неизвестна",
        "tz_assumed": "(часовой пояс не указан в выгрузке, предположен)",
        "assumed_tz": "(часовой пояс предположен)",
        "attachments": "Вложения",
        "list_version": "версия списка",
        "also": "То же совпадение и в других записях списка",
        "same_picture": "Та же картинка есть и в других записях",
        "legal": "Правовой контекст (оценка риска)",
        "legal_intro": "У каждого совпадения указаны статьи, к которым оно может относиться, санкции и сроки "
                       "давности — по исследовательским заметкам проекта; источники перечислены в конце отчёта. "
                       "Санкции часто меняются: проверяйте действующий текст кодексов (consultant.ru, "
                       "pravo.gov.ru). Пометка «проверить» означает, что цифра взята из вторичного источника.",
        "limitation": "Давность",
        "listed_on": "в списке с",
        "sources": "Источники",
        "sources_intro": "Факты о статьях, санкциях и сроках давности взяты из этих источников. Адреса показаны "
                         "текстом: отчёт ничего не загружает и не открывает.",
    },
    "en": {
        "title": "repostguard: history audit report",
        "generated": "Generated",
        "list": "List",
        "items_scanned": "Items checked",
        "items_flagged": "Items with matches",
        "findings": "Findings",
        "distribution": "Distribution",
        "mention": "Mention",
        "indicator": "Indicator",
        "exposure": "Personal data",
        "distribution_help": "The item itself reproduces, links to or plays material from the list. "
                             "This is the most serious risk.",
        "mention_help": "The item only names material, a page or a performer from the list, reads like news "
                        "about the list, or is a repost from a listed page.",
        "indicator_help": "A weak sign worth a look.",
        "exposure_help": "Profile data that ties the account to you.",
        "entry": "List entry No.",
        "included": "Added to the list",
        "included_unknown": "inclusion date not given (entries before 2017)",
        "decision": "Court decision",
        "decision_date": "decision date",
        "posted": "Posted",
        "posted_before": "The item was posted before the material was added to the list.",
        "repost_from": "Repost from",
        "signal": "Signal",
        "score": "Similarity",
        "evidence": "Matched",
        "no_findings": "No matches found.",
        "not_advice": "This is a risk assessment, not a legal opinion and not legal advice. Courts and "
                      "law enforcement decide what is an offence; the lists change, so check your history "
                      "again after updating them.",
        "date_unknown": "date unknown",
        "tz_assumed": "(the export gives no time zone; assumed)",
        "assumed_tz": "(time zone assumed)",
        "attachments": "Attachments",
        "list_version": "list version",
        "also": "The same match in other list entries",
        "same_picture": "The same picture is also in other items",
        "legal": "Legal context (risk estimate)",
        "legal_intro": "Each finding names the articles it may relate to, their penalties and limitation "
                       "periods, from the project's research notes; the sources are listed at the end of the "
                       "report. Penalties change often: check the current text of the codes (consultant.ru, "
                       "pravo.gov.ru). “Verify” marks a figure taken from a secondary source.",
        "limitation": "Limitation",
        "listed_on": "listed on",
        "sources": "Sources",
        "sources_intro": "The facts about articles, penalties and limitation periods come from these sources. "
                         "Addresses are shown as text: the report loads and opens nothing.",
    },
}
SIGNALS = {
    "quote": {"ru": "цитата", "en": "quote"}, "url": {"ru": "ссылка", "en": "link"},
    "audio": {"ru": "аудиозапись", "en": "audio"}, "source": {"ru": "источник репоста", "en": "repost source"},
    "page": {"ru": "страница, названная в списке", "en": "page named in the list"},
    "site": {"ru": "сайт", "en": "site"}, "image-hash": {"ru": "изображение", "en": "picture"},
    "profile": {"ru": "профиль", "en": "profile"},
}
BANK_NAMES = {
    "fsm": {"ru": "Федеральный список экстремистских материалов", "en": "Federal List of Extremist Materials"},
    "hashes": {"ru": "Банк хешей изображений", "en": "Image hash bank"},
    "identity": {"ru": "Личные данные профиля", "en": "Profile identity data"},
}


@dataclass
class FindingView:
    """One finding as the report shows it."""

    bank: str
    bank_name: str
    entry: str
    level: str
    signal: str
    score: float
    explanation: str
    evidence: dict[str, Any]
    list_version: str
    entry_text: str | None = None
    included: str | None = None
    court_decision: str | None = None
    decision_date: str | None = None
    posted_before_listing: bool = False
    #: the legal context (:func:`repostguard.findings.legal.legal_context`): articles, penalties, limitation, notes
    legal: dict[str, Any] | None = None


@dataclass
class ItemView:
    """An item with its findings, text split around the highlighted evidence."""

    ref: str
    platform: str
    kind: str
    date: str | None
    date_tz_assumed: bool
    url: str | None
    text_parts: list[tuple[str, bool]]
    attachments: list[str]
    reposted_from: str | None
    findings: list[FindingView] = field(default_factory=list)
    #: other items that hold the same picture (a meme posted or reposted several times)
    same_picture: list[str] = field(default_factory=list)

    @property
    def level(self) -> str:
        return min((f.level for f in self.findings), key=lambda lv: LEVEL_RANK.get(lv, 9))


def fmt_moment(value: str | None) -> str:
    """An ISO 8601 moment as ``2012-05-14 22:53 UTC+04:00``: the time as recorded, with its offset."""
    if not value:
        return ""
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if len(value) <= 10:  # a date without a time
        return f"{dt:%Y-%m-%d}"
    out = f"{dt:%Y-%m-%d %H:%M}"
    off = dt.utcoffset()
    if off is not None:
        mins = int(off.total_seconds()) // 60
        out += f" UTC{'+' if mins >= 0 else '-'}{abs(mins) // 60:02d}:{abs(mins) % 60:02d}"
    return out


def _highlight(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, highlighted) parts; overlapping spans are merged."""
    merged: list[list[int]] = []
    for s, e in sorted((max(0, s), min(len(text), e)) for s, e in spans if e > s):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    parts: list[tuple[str, bool]] = []
    pos = 0
    for s, e in merged:
        if s > pos:
            parts.append((text[pos:s], False))
        parts.append((text[s:e], True))
        pos = e
    if pos < len(text):
        parts.append((text[pos:], False))
    return parts


def collect(store: Store, lang: str = "ru") -> list[ItemView]:
    """Every flagged item with its findings, most serious first."""
    by_item: dict[str, ItemView] = {}
    spans: dict[str, list[tuple[int, int]]] = {}
    entries_cache: dict[tuple[str, str, str], Any] = {}
    legal = LegalContexts(store)
    for row in store.findings_rows():
        iid = row["item_id"]
        view = by_item.get(iid)
        if view is None:
            atts = []
            for a in json.loads(row["attachments"] or "[]"):
                if a.get("type") == "audio":
                    atts.append(f"♪ {a.get('artist') or ''} – {a.get('title') or ''}")
                else:
                    bits = [a.get("type", "?"), a.get("title") or "", a.get("url") or "", Path(a["path"]).name
                            if a.get("path") else ""]
                    atts.append(" · ".join(b for b in bits if b))
            rf = json.loads(row["reposted_from"]) if row["reposted_from"] else None
            date_raw = row["date"]
            view = ItemView(
                ref=row["ref"], platform=row["platform"], kind=row["kind"], date=date_raw,
                date_tz_assumed=bool(row["date_tz_assumed"]), url=row["url"], text_parts=[], attachments=atts,
                reposted_from=" · ".join(x for x in (rf.get("name"), rf.get("url")) if x) if rf else None,
            )
            view._text = row["text"]  # type: ignore[attr-defined]
            by_item[iid] = view
            spans[iid] = []
        ev = json.loads(row["evidence"])
        if ev.get("field") == "text" and ev.get("span"):
            spans[iid].append((int(ev["span"][0]), int(ev["span"][1])))
        fv = FindingView(
            bank=row["bank"], bank_name=BANK_NAMES.get(row["bank"], {}).get(lang, row["bank"]), entry=row["entry"],
            level=row["level"], signal=SIGNALS.get(row["signal"], {}).get(lang, row["signal"]), score=row["score"],
            explanation=row["explanation_ru"] if lang == "ru" else row["explanation_en"], evidence=ev,
            list_version=row["list_version"], legal=legal(row),
        )
        key = (row["bank"], row["list_version"], row["entry"])
        if key not in entries_cache:
            entries_cache[key] = store.list_entry(*key)
        le = entries_cache[key]
        if le is not None:
            fv.entry_text = le["text"]
            fv.included = le["included"]
            fv.court_decision = le["court_decision"]
            fv.decision_date = le["decision_date"]
            listed = le["included"] or le["decision_date"]
            if listed and view.date and view.date[:10] < listed:
                fv.posted_before_listing = True
        view.findings.append(fv)
    groups = _picture_groups(store)
    if groups:
        members: dict[str, list[str]] = {}
        for member, g in groups.items():
            members.setdefault(g, []).append(member)
        refs = _refs(store, [i for ms in members.values() if len(ms) > 1 for i in ms])
        for iid, v in by_item.items():
            grp = groups.get(iid)
            if grp is not None:
                v.same_picture = sorted(refs[o] for o in members[grp] if o != iid and o in refs)
    views = list(by_item.values())
    for iid, v in by_item.items():
        v.text_parts = _highlight(getattr(v, "_text", ""), spans[iid])
        v.findings.sort(key=lambda f: (LEVEL_RANK.get(f.level, 9), -f.score, f.bank, _num(f.entry)))
    views.sort(key=lambda v: (LEVEL_RANK.get(v.level, 9), -max(f.score for f in v.findings), v.date or ""))
    return views


def _picture_groups(store: Store) -> dict[str, str]:
    """Item id -> near-duplicate group id, when the picture stage is available."""
    try:
        return near_duplicate_groups(store)
    except (ImportError, sqlite3.OperationalError):
        return {}


def _refs(store: Store, ids: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        q = f"SELECT id, ref FROM items WHERE id IN ({','.join('?' * len(chunk))})"
        out.update({r[0]: r[1] for r in store.conn.execute(q, chunk)})
    return out


def _num(s: str) -> int:
    return int(s) if s.isdigit() else 0


def _env() -> Environment:
    return report_env(fmt_moment=fmt_moment)


def render_html(store: Store, lang: str = "ru", views: list[ItemView] | None = None) -> str:
    views = collect(store, lang) if views is None else views
    scan = store.last_scan()
    groups: dict[str, list[ItemView]] = {}
    for v in views:
        groups.setdefault(v.level, []).append(v)
    order = sorted(groups, key=lambda lv: LEVEL_RANK.get(lv, 9))
    used = {s["key"] for v in views for f in v.findings if f.legal for s in f.legal["sources"]}
    sources = [src for key, src in SOURCES.items() if key in used]
    return _env().get_template("report.html.j2").render(
        sources=sources, source_no={src.key: i for i, src in enumerate(sources, 1)},
        L=LABELS[lang], lang=lang, groups=[(lv, groups[lv]) for lv in order], version=__version__,
        generated=fmt_moment(datetime.now(UTC).astimezone().isoformat()),
        scan=scan, items_total=store.count_items(), items_flagged=len(views),
        findings_total=sum(len(v.findings) for v in views),
    )


def report_json(store: Store, lang: str = "ru") -> dict[str, Any]:
    views = collect(store, lang)
    scan = store.last_scan()
    return {
        "tool": "repostguard", "version": __version__,
        "list_version": scan["list_version"] if scan else None,
        "items_scanned": store.count_items(),
        "items": [
            {"item": v.ref, "platform": v.platform, "kind": v.kind, "date": v.date, "url": v.url,
             "level": v.level, "text": "".join(p for p, _ in v.text_parts), "reposted_from": v.reposted_from,
             "same_picture": v.same_picture,
             "findings": [{"bank": f.bank, "entry": f.entry, "level": f.level, "signal": f.signal,
                           "score": f.score, "evidence": f.evidence, "explanation": f.explanation,
                           "list_version": f.list_version, "entry_text": f.entry_text, "included": f.included,
                           "court_decision": f.court_decision, "posted_before_listing": f.posted_before_listing,
                           "legal": f.legal}
                          for f in v.findings]}
            for v in views
        ],
    }


def write_report(store: Store, out: Path, fmt: str = "html", lang: str = "ru") -> int:
    """Write the report of every finding to ``out`` atomically; return the number of findings."""
    if fmt == "json":
        data = report_json(store, lang)
        payload = json.dumps(data, ensure_ascii=False, indent=1).encode()
        n = sum(len(i["findings"]) for i in data["items"])
    else:
        views = collect(store, lang)
        payload = render_html(store, lang, views).encode()
        n = sum(len(v.findings) for v in views)
    atomic_write(out, payload)
    return n
