"""``repostguard demo``: the whole flow on a made-up history and a made-up list, with no download.

Everything here is invented by the project: the "list" is written in the official export's
format (windows-1251, ``;``, the real header) but its entries are fictional materials, and the
history belongs to nobody. It shows what a scan finds and why: exact and disguised quotes, a
truncated quote, links written the way people write them, an audio record, a repost from a
listed page, a news item that only names a title, a common slogan that is not evidence on its
own, and a post full of HTML that the report shows as text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from repostguard.cli._common import scan_line
from repostguard.i18n import t
from repostguard.pipeline.scan import run_scan
from repostguard.reports import write_report
from repostguard.store import Store
from repostguard.views.i18n import LEVEL_LABELS, SIGNAL_LABELS, label

DEMO_LIST = [
    ("1", "Листовка «Вымышленный призыв к несуществующему восстанию» (решение Энского районного суда "
          "от 12.03.2009);", ""),
    ("2", "Исключен", ""),
    ("3", "Видеоролик «Марш придуманных теней по улицам Энска», размещенный на странице "
          "https://vk.com/video-1000001_2000002 (решение Энского городского суда от 01.02.2016);", "20.05.2016"),
    ("4", "Аудиозапись «Песня о ненастоящей войне» исполнителя «Группа Выдумка» продолжительностью "
          "3 мин. 10 сек. (решение Энского районного суда от 11.11.2017);", "15.01.2018"),
    ("5", "Текст песни «Ночь над выдуманным городом», начинающийся словами «Мы пришли из страны, которой нет» "
          "и заканчивающийся словами «и никто не вернётся домой» (решение Энского суда от 03.03.2019);",
     "10.04.2019"),
    ("6", "Информационные материалы, размещенные на странице пользователя в социальной сети «ВКонтакте» по "
          "адресу http://vk.com/id1000000007 (решение Энского районного суда от 05.06.2020);", "01.08.2020"),
    ("7", "Изображение с надписью «Вымысел сильнее правды», размещенное в группе «Клуб придуманных историй» "
          "(решение Энского районного суда от 09.09.2021);", "12.10.2021"),
    ("8", "Видеоролик «Придуманный фильм о несуществующих событиях» по адресу "
          "https://www.youtube.com/watch?v=DemoVid0001 (решение Энского суда от 02.02.2022);", "15.03.2022"),
    ("9", "Книга «Свобода вымышленной страны» и статья «Вымышленная страна» (решение Энского областного суда "
          "от 30.06.2023);", "01.09.2023"),
    ("10", "Плакат с лозунгом «Свобода вымышленной страны» (решение Энского городского суда от 01.12.2023);",
     "20.01.2024"),
    ("11", "Плакат с лозунгом «Свобода вымышленной страны» (решение Сосновского районного суда от 02.12.2023);",
     "20.01.2024"),
    ("12", "Листовка «Свобода вымышленной страны» (решение Еловского районного суда от 03.12.2023);",
     "20.01.2024"),
    ("13", "Брошюра «Свобода вымышленной страны» (решение Кленовского районного суда от 04.12.2023);",
     "20.01.2024"),
    ("14", "Статья «Свобода вымышленной страны» (решение Липовского районного суда от 05.12.2023);",
     "20.01.2024"),
]

DEMO_HISTORY: list[dict[str, Any]] = [
    {"id": "demo-1", "kind": "post", "date": "2015-06-01T12:00:00+03:00",
     "text": "Нашёл старую листовку: «Вымышленный призыв к несуществующему восстанию». Кто помнит?"},
    {"id": "demo-2", "kind": "repost", "date": "2016-02-10T09:30:00+03:00",
     "text": "Мaрш придумaнных\u200b теней по улицам Энcкa"},
    {"id": "demo-3", "kind": "post", "date": "2019-05-05T22:10:00+03:00",
     "text": "Вспомнилось: Мы пришли из страны, которой нет…"},
    {"id": "demo-4", "kind": "post", "date": "2017-03-03T18:00:00+03:00", "text": "Смотрите!",
     "attachments": [{"type": "link", "url": "https://m.vk.com/video-1000001_2000002?list=abc"}]},
    {"id": "demo-5", "kind": "audio", "date": "2018-07-07T07:07:00+03:00", "text": "",
     "attachments": [{"type": "audio", "artist": "Группа Выдумка", "title": "Песня о ненастоящей войне",
                      "duration": 190}]},
    {"id": "demo-6", "kind": "repost", "date": "2020-09-09T10:00:00+03:00", "text": "Интересная мысль про погоду.",
     "reposted_from": {"name": "Чья-то страница", "url": "https://vk.ru/id1000000007"}},
    {"id": "demo-7", "kind": "post", "date": "2022-04-01T08:00:00+03:00",
     "text": "Минюст внёс в федеральный список экстремистских материалов ролик «Придуманный фильм о "
             "несуществующих событиях». Суд вынес решение ещё весной."},
    {"id": "demo-8", "kind": "post", "date": "2022-05-05T15:00:00+03:00",
     "text": "Пересмотрел youtu.be/DemoVid0001 )))"},
    {"id": "demo-9", "kind": "post", "date": "2024-02-02T20:00:00+03:00", "text": "Свобода вымышленной страны!"},
    {"id": "demo-10", "kind": "comment", "date": "2023-03-03T13:00:00+03:00",
     "text": "<script>alert('xss')</script> <img src=x onerror=alert(1)> — просто проверка, как отчёт "
             "показывает чужой текст: Вымысел сильнее правды"},
    {"id": "demo-11", "kind": "post", "date": "2021-01-01T00:05:00+03:00", "text": "С Новым годом! Всем тепла."},
    {"id": "demo-12", "kind": "post", "date": "2020-02-02T11:00:00+03:00",
     "text": "Ссылка на профиль друга: https://vk.com/id1000000008"},
    {"id": "demo-13", "kind": "audio", "date": "2019-09-09T09:09:00+03:00", "text": "",
     "attachments": [{"type": "audio", "artist": "Обычная группа", "title": "Песня о настоящей весне"}]},
]


def write_demo_files(workdir: Path) -> tuple[Path, Path]:
    """Write the demo list (official format, windows-1251) and history (generic format)."""
    workdir.mkdir(parents=True, exist_ok=True)
    lst = workdir / "demo-list.csv"
    rows = ["#;Материал;Дата включения (указывается с 01.01.2017)"]
    for num, text, date in DEMO_LIST:
        rows.append(f'{num};"{text.replace(chr(34), chr(34) * 2)}";{date}')
    lst.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1251"))
    hist = workdir / "demo-history.jsonl"
    with open(hist, "w", encoding="utf-8") as fh:
        for rec in DEMO_HISTORY:
            fh.write(json.dumps({"platform": "generic", **rec}, ensure_ascii=False) + "\n")
    return lst, hist


def run_demo(workdir: Path, lang: str = "ru") -> None:
    """Write the demo files, scan them into a fresh workspace and write the report."""
    workdir = Path(workdir)
    lst, hist = write_demo_files(workdir)
    db = workdir / "demo.sqlite"
    for p in (db, db.with_name(db.name + "-journal")):
        p.unlink(missing_ok=True)
    findings = workdir / "findings.json"
    summary = run_scan(db, hist, fsm=lst, json_out=findings, ocr=False, progress=False)
    report = workdir / "report.html"
    with Store.open(db) as store:
        write_report(store, report, fmt="html", lang=lang)
    click.echo(t("cli_demo_intro", lang))
    click.echo(scan_line(summary))
    data = json.loads(findings.read_text("utf-8"))
    for f in sorted(data["findings"], key=lambda f: (f["level"] != "distribution", f["item"])):
        click.echo(t("cli_demo_finding", lang, item=f["item"], level=label(LEVEL_LABELS, f["level"], lang),
                     entry=str(f["entry"]), signal=label(SIGNAL_LABELS, f["signal"], lang),
                     explanation=f["explanation"][lang if lang in f["explanation"] else "ru"][:110]))
    click.echo(t("cli_demo_report", lang, path=report.resolve()))
    click.echo(t("cli_demo_findings", lang, path=findings.resolve()))
