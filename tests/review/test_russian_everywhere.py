"""Issue 22, part 3 (the page side): everything the person reads about a workspace is in their language.

A workspace with findings of every bank, signal, level and field (the demo history and list, a few more
posts, among them a picture with the text read on it, the VK archive fixture, and the two findings no list
shipped with the tests can give: a picture of a hash bank, a link to an organisation's site) is shown
through the app: the start
screen (with a check-box answer), the review page (flagged and whole history), each finding's item page
and dossier, the CSV, the report and the printable selection. With the tags stripped, the Russian text
holds no English word and no internal code (bank ids, signal names, field paths, kinds, platforms,
levels) and the English text no Russian interface word. What comes from the data (post texts, URLs,
attachment titles and file names, list entries, refs, versions' hashes, paths) is exempt, and only
that: the exemptions are read from the workspace itself.
"""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from repostguard.app.jobs import Jobs
from repostguard.app.start import create_start_app
from repostguard.banks.lifecycle import available_meta
from repostguard.banks.registry import LISTS, update_lists
from repostguard.cli.demo import write_demo_files
from repostguard.decisions import decide
from repostguard.findings.legal import SOURCES
from repostguard.pipeline.scan import run_scan
from repostguard.reports import render_html
from repostguard.reports.selection import selection_html
from repostguard.store import Store
from repostguard.views.entries import Entries
from repostguard.views.items import window_bounds
from repostguard.views.query import Selection
from tests.russian import foreign_words

PORT = 45681
TOKEN = "ru-t0k3n"
ORIGIN = f"http://127.0.0.1:{PORT}"
VK_ARCHIVE = Path(__file__).resolve().parents[1] / "fixtures" / "vk" / "archive_ru"
SITE = "http://fiction-site.example"

#: more of a history: an organisation named in a post and in a link's title, calls to violence and
#: approval of terrorism, a profile, a like of a listed page, a link to another page of a listed site,
#: a picture (hash bank) and a picture with text on it
EXTRA_HISTORY = [
    {"id": "x-org", "kind": "post", "date": "2022-01-01T10:00:00+03:00", "text": "Поддерживаю ФБК, правда."},
    {"id": "x-org-title", "kind": "post", "date": "2022-01-04T10:00:00+03:00", "text": "Смотрите",
     "attachments": [{"type": "link", "url": "https://example.org/investigation", "title": "Расследование ФБК"}]},
    {"id": "x-org-site", "kind": "post", "date": "2022-01-05T10:00:00+03:00", "text": "Поддержите",
     "attachments": [{"type": "link", "url": "https://fbk.info/donate"}]},
    {"id": "x-violence", "kind": "post", "date": "2022-01-02T10:00:00+03:00", "text": "Надо их всех убить."},
    {"id": "x-terror", "kind": "comment", "date": "2022-01-03T10:00:00+03:00",
     "text": "Шахиды — настоящие герои, слава им."},
    {"id": "x-profile", "kind": "profile", "date": "2022-01-03T11:00:00+03:00",
     "text": "Телефон: +7 912 345-67-89\nEmail: ivan@example.com"},
    {"id": "x-like", "kind": "like", "date": "2021-03-03T10:00:00+03:00", "text": "",
     "url": "https://vk.com/id1000000007"},
    {"id": "x-site", "kind": "post", "date": "2023-05-05T10:00:00+03:00", "text": "Нашёл тут",
     "attachments": [{"type": "link", "url": "http://fiction-site.example/other"}]},
    {"id": "x-picture", "kind": "photo", "date": "2023-06-06T10:00:00+03:00", "text": "",
     "attachments": [{"type": "photo", "url": "https://example.org/meme.jpg", "title": "мем"}]},
    {"id": "x-ocr", "kind": "post", "date": "2023-07-07T10:00:00+03:00", "text": "Без слов",
     "attachments": [{"type": "photo", "url": "https://example.org/poster.jpg",
                      "ocr_text": "Вымысел сильнее правды"}]},
]
#: what the person pastes into the check box
CHECKED = "Надо их всех убить. Вымысел сильнее правды"
LIST_ROW = f'15;"Интернет-ресурс {SITE} (решение Энского районного суда от 01.02.2024);";15.03.2024'


def _finding_rows(ids: dict[str, str], org: tuple[str, str]) -> list[tuple[object, ...]]:
    """The findings no list of the tests gives: a picture of a hash bank (as the media pass and the hash
    matcher would give it), a link to an organisation's site (the sites list is not shipped)."""
    return [
        (ids["x-picture"], "hashes", "bank-ref-0007", "distribution", "image-hash", 0.98,
         {"field": "attachments[0].path", "text": "/data/export/photos/meme.jpg (PDQ distance 5)",
          "matched": "Картинка из банка"},
         "Картинка совпадает с изображением из банка хэшей: «Картинка из банка» (bank-ref-0007); "
         "расстояние PDQ 5 из 256 (порог 31).",
         "The picture matches a hash bank picture: “Картинка из банка” (bank-ref-0007); PDQ distance 5 of 256.",
         "hashes-1-0a1b2c3d"),
        (ids["x-org-site"], "orgs-extremist", org[0], "mention", "org-link", 0.6,
         {"field": "attachments[0].url", "text": "https://fbk.info/donate", "matched": "fbk.info"},
         "Ссылка ведёт на сайт организации из перечня экстремистских организаций.",
         "The link points to the site of an organisation of the list of extremist organisations.", org[1]),
    ]


def build(root: Path) -> tuple[Path, Path]:
    """The workspace (``root/ws/workspace.sqlite``) and the list file installed as the FSM list."""
    lst, hist = write_demo_files(root / "demo")
    lst.write_bytes(lst.read_bytes() + (LIST_ROW + "\r\n").encode("cp1251"))
    with hist.open("a", encoding="utf-8") as fh:
        for rec in EXTRA_HISTORY:
            fh.write(json.dumps({"platform": "generic", **rec}, ensure_ascii=False) + "\n")
    update_lists("fsm", from_file=lst)
    db = root / "ws" / "workspace.sqlite"
    db.parent.mkdir()
    run_scan(db, hist, ocr=False, progress=False)
    run_scan(db, VK_ARCHIVE, ocr=False, progress=False)
    with Store.open(db) as store:
        conn = store.conn
        ids = {r[0]: r[1] for r in conn.execute("SELECT native_id, id FROM items")}
        scan_id = conn.execute("SELECT max(id) FROM scans").fetchone()[0]
        # the organisation the scan found named in a post (its entry and list version)
        org = conn.execute("SELECT entry, list_version FROM findings WHERE item_id=? AND bank='orgs-extremist'",
                           (ids["x-org"],)).fetchone()
        with conn:
            conn.executemany(
                "INSERT INTO findings (item_id, bank, entry, level, signal, score, evidence, explanation_ru,"
                " explanation_en, list_version, matcher_version, scan_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [(*r[:6], json.dumps(r[6], ensure_ascii=False), *r[7:], "test", scan_id)
                 for r in _finding_rows(ids, tuple(org))],
            )
        decide(store, [ids["demo-1"]], "delete", note="удалю после проверки")
        decide(store, [ids["x-org"]], "not-a-match")
    return db, lst


def data_strings(db: Path) -> tuple[str, ...]:
    """What the workspace's data says: item texts (and the pieces shown around the evidence), refs, dates
    as recorded, URLs, attachments, repost sources, the findings' evidence and a picture bank's references,
    the list entries, the lists' sources and versions' hashes, notes, paths."""
    out: set[str] = {str(db.parent), str(db), CHECKED, *CHECKED.split(". ")}
    with Store.open(db) as store:
        conn = store.conn
        texts: dict[str, str] = {}
        for iid, ref, native, text, date, url, atts, rf in conn.execute(
            "SELECT id, ref, native_id, text, date, url, attachments, reposted_from FROM items"
        ):
            texts[iid] = text or ""
            out |= {ref, native, text or "", date or "", url or "", *str(text or "").splitlines()}
            for a in json.loads(atts or "[]"):
                out |= {str(a[k]) for k in ("title", "url", "artist", "path") if a.get(k)}
                if a.get("path"):
                    out.add(Path(str(a["path"])).name)
            if rf:
                out |= {str(v) for v in json.loads(rf).values()}
        for iid, bank, entry, ev, version in conn.execute(
            "SELECT item_id, bank, entry, evidence, list_version FROM findings"
        ):
            e = json.loads(ev or "{}")
            # (a picture's evidence is its path: the distance its matcher appends is said in words)
            out |= {str(e.get("text") or "").split(" (PDQ ")[0], str(e.get("matched") or "")}
            out |= set(str(e.get("matched") or "").split(" + "))
            if isinstance(e.get("span"), list) and e.get("field") == "text":
                start, end = window_bounds(texts[iid], tuple(e["span"]))
                out.add(texts[iid][start:end])
            if bank == "hashes":  # a picture bank's own reference of the picture
                out.add(entry)
            out |= set(re.findall(r"[0-9a-f]{8}", version or ""))
        for text, court in conn.execute("SELECT text, court_decision FROM list_entries"):
            out |= {text or "", court or ""}
        for (version,) in conn.execute("SELECT version FROM lists"):
            out |= set(re.findall(r"[0-9a-f]{8}", version))
        for (note,) in conn.execute("SELECT note FROM decisions WHERE note IS NOT NULL"):
            out.add(note)
        for (src,) in conn.execute("SELECT source FROM imports"):
            out.add(str(src))
    for spec in LISTS.values():  # the lists the start screen and the check box name
        meta = available_meta(spec) or {}
        out |= {str(meta.get("source") or ""), *re.findall(r"[0-9a-f]{8}", str(meta.get("version") or ""))}
    out |= {src.where for src in SOURCES.values()}
    return tuple(s for s in out if s.strip())


#: inline tags: a highlighted word (``<mark>``) stays inside the text it was cut from
_INLINE = re.compile(r"</?(?:mark|b|i|em|strong|code|span|q|small|abbr)\b[^>]*>")
#: the attributes a person reads (the page's script shows the ``data-*`` messages)
_READ = ("title", "placeholder", "aria-label", "alt", "data-working", "data-failed", "data-choose", "data-sending")


def _text(html: str) -> str:
    """What a person reads of a page: its text and the words of its attributes, without scripts or styles."""
    tree = LexborHTMLParser(html)
    # (the script fills the fields of its messages in: «файл {i} из {n}»)
    words = [re.sub(r"\{\w+\}", " ", v or "") for node in tree.css(", ".join(f"[{a}]" for a in _READ))
             for k, v in node.attributes.items() if k in _READ]
    tree = LexborHTMLParser(_INLINE.sub("", html))
    tree.strip_tags(["script", "style"])
    for node in tree.css("a.lang"):  # the switch to the other language names it in that language
        node.decompose()
    return " ".join([tree.root.text(separator=" ") if tree.root else "", *words])


def _strip(text: str, data: tuple[str, ...]) -> str:
    """``text`` without the data strings (each where it stands as a whole, not inside a word)."""
    for d in sorted((d for d in data if d in text), key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(d)}(?!\w)" if d[:1].isalnum() or d[-1:].isalnum() else re.escape(d),
                      " ", text)
    return text


def _where(found: dict[str, list[str]], texts: dict[str, str]) -> str:
    """Each output's leaks with a little of the text around the first one."""
    lines = []
    for name, words in found.items():
        text = texts[name]
        at = max(0, text.find(words[0]))
        lines.append(f"{name}: {words} … {' '.join(text[max(0, at - 60): at + 60].split())} …")
    return "\n".join(lines)


def _csv_text(body: bytes) -> str:
    return " ".join(" ".join(row) for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, Path]:
    return build(tmp_path)


@pytest.fixture
def client(workspace: tuple[Path, Path]) -> Iterator[TestClient]:
    db, _lst = workspace
    jobs = Jobs(db, ocr=False)
    asgi, _ = create_start_app(db, TOKEN, PORT, jobs=jobs)
    try:
        yield TestClient(asgi, base_url=ORIGIN)
    finally:
        jobs.cancel()
        jobs.wait(30)


def outputs(client: TestClient, db: Path, lang: str) -> dict[str, str]:
    """Every page and file of the workspace in ``lang``, as the text a person reads."""
    client.cookies.set("rg_lang", lang)
    out: dict[str, str] = {}

    def page(name: str, path: str) -> None:
        r = client.get(f"/{TOKEN}{path}")
        assert r.status_code == 200, (path, r.status_code)
        out[name] = _text(r.text)

    page("start", "/start")
    r = client.post(f"/{TOKEN}/check?part=1", data={"text": CHECKED, "kind": "comment"}, headers={"origin": ORIGIN})
    assert r.status_code == 200 and "check-found" in r.text
    out["check"] = _text(r.text)
    page("index", "/")
    page("index-all", "/?scope=all")
    with Store.open(db) as store:
        flagged = [r[0] for r in store.conn.execute("SELECT DISTINCT item_id FROM findings ORDER BY item_id")]
        for iid in flagged:
            page(f"item {iid}", f"/item/{iid}")
            page(f"dossier {iid}", f"/dossier/{iid}")
        r = client.get(f"/{TOKEN}/export.csv?scope=all")
        assert r.status_code == 200
        out["csv"] = _csv_text(r.content)
        out["report"] = _text(render_html(store, lang))
        entries = Entries()
        out["selection"] = _text(selection_html(store, Selection(), lang=lang, entries=entries))
        out["selection-filtered"] = _text(selection_html(
            store, Selection(level="mention", platform="generic", kind="post", decision="any"), lang=lang,
            entries=entries))
    return out


def test_every_output_is_in_russian(client: TestClient, workspace: tuple[Path, Path]) -> None:
    db, _ = workspace
    data = data_strings(db)
    shown = outputs(client, db, "ru")
    texts = {name: _strip(text, data) for name, text in shown.items()}
    found = {name: sorted(set(words)) for name, text in texts.items() if (words := foreign_words(text))}
    assert not found, _where(found, texts)
    # what the leaks a person saw are now called
    every = " ".join(shown.values())
    for words in ("ФСЭМ, запись № 7", "Высказывания, одобрение терроризма", "Вид совпадения: формулировка",
                  "(во вложенной ссылке)", "(в заголовке ссылки)", "(в тексте на картинке)", "общий формат",
                  "ВКонтакте", "Данные профиля, номер телефона", "Банк изображений, bank-ref-0007",
                  "Перечень экстремистских организаций (Минюст), Некоммерческая организация «Фонд борьбы"):
        assert words in every, words
    assert "запись списка уровень вид совпадения" in shown["csv"]


def test_the_workspace_has_every_bank_signal_level_and_field(workspace: tuple[Path, Path]) -> None:
    """The workspace the test above reads gives findings of every kind the pages have to name."""
    db, _ = workspace
    with Store.open(db) as store:
        rows = list(store.conn.execute("SELECT bank, signal, level, evidence FROM findings"))
    banks = {r[0] for r in rows}
    assert {"fsm", "orgs-extremist", "statements", "identity", "hashes"} <= banks
    assert {r[1] for r in rows} >= {"quote", "url", "audio", "source", "page", "site", "image-hash", "profile",
                                    "statement", "org-name", "org-link"}
    assert {r[2] for r in rows} == {"distribution", "mention", "indicator", "exposure"}
    fields = {re.sub(r"\[\d+\]", "[N]", json.loads(r[3])["field"]) for r in rows}
    assert {"text", "attachments[N].url", "attachments[N].title", "attachments[N].ocr", "attachments[N].path",
            "attachments[N]", "reposted_from.url", "url"} <= fields


CYRILLIC = re.compile(r"[А-Яа-яЁё]+")


def test_every_output_is_in_english(client: TestClient, workspace: tuple[Path, Path]) -> None:
    db, _ = workspace
    data = data_strings(db)
    texts = {name: _strip(text, data) for name, text in outputs(client, db, "en").items()}
    found = {name: sorted(set(words)) for name, text in texts.items() if (words := CYRILLIC.findall(text))}
    assert not found, _where(found, texts)


SRC = Path(__file__).resolve().parents[2] / "src" / "repostguard"


def _emitted_signals() -> set[str]:
    """The signal names the matchers give their findings (``signal="…"``, ``_finding(item, n, level, "…"``)."""
    src = "\n".join(p.read_text("utf-8") for p in (SRC / "matchers").glob("*.py"))
    found: set[str] = set()
    for pattern in (r'signal\s*=\s*"([\w-]+)"', r'_finding\(\s*item,\s*\w+,\s*[^,]+,\s*"([\w-]+)"',
                    r'signal\s*=\s*"[\w-]+"\s+if\b[^\n]*else\s+"([\w-]+)"'):
        found |= set(re.findall(pattern, src))
    return found


def test_every_code_the_pages_name_has_a_label_in_both_languages() -> None:
    """Each value a page, a report or the CSV names has its words: every signal a matcher emits, every rule
    of the statement detector, every fact of a profile, every platform an importer gives, every kind,
    visibility, level, decision, list and CSV column."""
    from repostguard.decisions import ACTIONS
    from repostguard.i18n import Labels
    from repostguard.matchers.identity import LINKED
    from repostguard.matchers.statements import CATEGORIES
    from repostguard.model import KINDS, LEVELS, VISIBILITIES
    from repostguard.reports.csv_report import COLUMNS
    from repostguard.views import i18n as v

    platforms = set(re.findall(r'platform\s*=\s*"(\w+)"',
                               "\n".join(p.read_text("utf-8") for p in (SRC / "importers").glob("*.py"))))
    assert {"vk", "telegram", "x", "facebook", "instagram", "mastodon", "generic"} <= platforms
    signals = _emitted_signals()
    assert len(signals) >= 11
    tables: list[tuple[Labels, set[str]]] = [
        (v.SIGNAL_LABELS, signals),
        (v.STATEMENT_LABELS, set(CATEGORIES)),
        (v.IDENTITY_LABELS, {"phone", "email", "full_name", "birth_date", "city", "home_town",
                             *(f"linked_account:{k}" for k in LINKED)}),
        (v.PLATFORM_LABELS, platforms),
        (v.KIND_LABELS, set(KINDS)),
        (v.VIS_LABELS, set(VISIBILITIES)),
        (v.LEVEL_LABELS, set(LEVELS)),
        (v.ACTION_LABELS, set(ACTIONS)),
        (v.BANK_LABELS, {"fsm", "hashes", "statements", "identity", "orgs-extremist", "orgs-terrorist",
                         "orgs-undesirable"}),
        (v.CSV_LABELS, set(COLUMNS)),
        (v.FIELD_LABELS, {"text", "link", "photo_title", "link_title", "video_title", "doc_title", "profile_field",
                          "title", "ocr", "audio", "picture", "repost_url", "repost_name", "url", "other"}),
    ]
    for table, values in tables:
        for value in sorted(values):
            ru, en = table.label(value, "ru"), table.label(value, "en")
            assert ru and en, (table.prefix, value)
            assert not foreign_words(ru, ("Telegram", "Facebook", "Instagram", "Mastodon", "Twitter")), (ru, value)
            assert not CYRILLIC.search(en), (en, value)
    assert v.BANK_LABELS.label("fsm", "ru") == "ФСЭМ"


@pytest.mark.parametrize(("path", "kind", "words"), [
    ("text", "post", "в тексте"),
    ("attachments[0].url", "link", "во вложенной ссылке"),
    ("attachments[0].title", "photo", "в подписи к фото"),
    ("attachments[0].title", "link", "в заголовке ссылки"),
    ("attachments[0].ocr", "photo", "в тексте на картинке"),
    ("attachments[0]", "audio", "в аудиозаписи (исполнитель и название)"),
    ("attachments[0].path", "photo", "в самой картинке"),
    ("attachments[3].title", "profile_field", "в поле профиля"),
    ("reposted_from.url", "post", "в адресе источника репоста"),
    ("attachments[7].url", "link", "во вложенной ссылке"),  # an index past the attachments: still a link
    ("extra.something", "post", "в другой части записи"),
])
def test_field_paths_are_named_by_their_kind(path: str, kind: str, words: str) -> None:
    from repostguard.views.i18n import field_label

    atts = [{"type": kind}] * 4
    assert field_label(path, atts, "ru") == words
