"""CSV report (formula guard, round trip into decisions) and the dossier; the CLI commands."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from repostguard.cli import cli
from repostguard.decisions import decide, get_decision, import_csv
from repostguard.errors import UserError
from repostguard.reports.csv_report import COLUMNS, column_key, csv_text, header, safe_cell, write_csv
from repostguard.reports.dossier import find_chromium, render_dossier, write_dossier
from repostguard.store import Store
from repostguard.views.entries import Entries
from repostguard.views.query import Selection

from .conftest import csv_rows, item_id


def test_safe_cell() -> None:
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("@SUM") == "'@SUM" and safe_cell("-2") == "'-2"
    assert safe_cell("обычный") == "обычный" and safe_cell(None) == ""


def _filled(rows: list[list[str]], actions: dict[str, str], path: Path) -> Path:
    """The CSV report ``rows`` (header first) with its action column filled in, as a person would in a
    spreadsheet."""
    keys = [column_key(h) for h in rows[0]]
    for row in rows[1:]:
        row[keys.index("action")] = actions.get(row[keys.index("item")], "")
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    path.write_text(buf.getvalue(), "utf-8")
    return path


def test_csv_selection_and_round_trip(workspace: Path, tmp_path: Path, fsm_file: Path) -> None:
    out = tmp_path / "sel.csv"
    with Store.open(workspace) as store:
        n = write_csv(store, out, Selection(level="distribution"), entries=Entries(fsm_file), lang="en")
        assert n == 2
        rows = list(csv.reader(io.StringIO(out.read_text("utf-8-sig"))))
        assert rows[0] == header("en") and [column_key(h) for h in rows[0]] == COLUMNS
        by_key = csv_rows(out.read_text("utf-8-sig"))
        assert [r["item"] for r in by_key] == ["p1", "p3"]
        assert by_key[0]["entry_included"] == "2019-03-15" and by_key[0]["listed_after_post"] == "yes"
        assert by_key[1]["listed_after_post"] == ""  # posted 2021, listed 2019
        # fill the action column in and import it back
        res = import_csv(store, _filled(rows, {"p1": "delete", "p3": "keep"}, tmp_path / "filled.csv"))
        assert res.by_action == {"delete": 1, "keep": 1}
        d = get_decision(store, item_id(workspace, "p1"))
        assert d is not None and d.action == "delete"
        all_rows = csv_text(store, Selection(scope="all")).splitlines()
        assert len(all_rows) == 1 + 6  # one finding per flagged item + the unflagged p5


def test_csv_in_russian(workspace: Path, fsm_file: Path) -> None:
    """The header and the words of the CSV in Russian: no code of the program in any cell."""
    with Store.open(workspace) as store:
        decide(store, [item_id(workspace, "p1")], "not-a-match")
        text = csv_text(store, Selection(level="distribution"), entries=Entries(fsm_file))
    assert text.splitlines()[0] == ",".join(header("ru"))
    p1 = csv_rows(text)[0]
    assert p1["item"] == "p1" and p1["platform"] == "общий формат" and p1["kind"] == "запись"
    assert p1["visibility"] == "все (открыто)" and p1["bank"] == "ФСЭМ" and p1["entry"] == "10"
    assert p1["level"] == "распространение" and p1["signal"] == "цитата" and p1["evidence_field"] == "в тексте"
    assert p1["listed_after_post"] == "да" and p1["action"] == "Не совпадение"
    assert p1["date"] == "2018-05-04 10:00:00+03:00" and p1["list_version"] == "fsm-test"


def test_csv_round_trip_in_russian(workspace: Path, tmp_path: Path, fsm_file: Path) -> None:
    with Store.open(workspace) as store:
        text = csv_text(store, Selection(level="distribution"), entries=Entries(fsm_file))
        rows = list(csv.reader(io.StringIO(text)))
        res = import_csv(store, _filled(rows, {"p1": "Удалить", "p3": "Оставить"}, tmp_path / "filled.csv"))
        assert res.by_action == {"delete": 1, "keep": 1}


def test_dossier_contents(workspace: Path, fsm_file: Path, tmp_path: Path) -> None:
    with Store.open(workspace) as store:
        decide(store, [item_id(workspace, "p2")], "hide", note="скрыл <сразу>")
        html = render_dossier(store, "p2", entries=Entries(fsm_file))
        assert "Справка о записи" in html and "Это не юридическая консультация" in html
        assert (
            "02.01.2016 12:30" in html
            and "решение Кировского районного суда г. Примерска от 05.06.2015" in html
        )
        assert "до 2017 г." in html and "Паблик «Музыка»" in html and "только друзья" in html
        assert "Скрыть" in html and "скрыл &lt;сразу&gt;" in html and "<style>" in html
        en = render_dossier(store, "p3", lang="en", entries=Entries(fsm_file))
        assert "Item dossier" in en and "not legal advice" in en
        assert "&lt;script&gt;" in en and "<script>" not in en
        assert "Undecided" in en or "undecided" in en
        with pytest.MonkeyPatch.context() as mp:  # neither WeasyPrint nor a browser: HTML, and say so
            mp.setattr("repostguard.reports.dossier.find_chromium", lambda: None)
            mp.setitem(sys.modules, "weasyprint", None)
            path, note = write_dossier(store, "p1", tmp_path / "d.pdf", pdf=True, entries=Entries(fsm_file))
        assert path.suffix == ".html" and note is not None and "WeasyPrint" in note and path.exists()
        if find_chromium() is not None:
            path, note = write_dossier(store, "p1", tmp_path / "d.pdf", pdf=True, entries=Entries(fsm_file))
            assert note is None and path.read_bytes().startswith(b"%PDF") and path.stat().st_size > 5000
        with pytest.raises(UserError):
            render_dossier(store, "no-such-item")


def test_dossier_without_a_list_says_so(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from repostguard.banks import lifecycle

    monkeypatch.setenv("REPOSTGUARD_HOME", str(tmp_path / "empty-home"))
    # and a package without its list snapshots (else the packaged FSM list stands in)
    monkeypatch.setattr(lifecycle, "PACKAGED_DIR", tmp_path / "no-snapshots")
    lifecycle._manifest.cache_clear()
    try:
        with Store.open(workspace) as store:
            html = render_dossier(store, "p1", entries=Entries())
    finally:
        lifecycle._manifest.cache_clear()
    assert "Текст записи недоступен" in html


def test_cli_decide_and_dossier(workspace: Path, fsm_file: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(
        cli, ["decide", "https://vk.com/wall1_101", "keep", "--db", str(workspace), "--note", "ok"]
    )
    assert r.exit_code == 0, r.output
    assert r.output.strip() == "p1: оставить"
    with Store.open(workspace) as store:
        d = get_decision(store, item_id(workspace, "p1"))
        assert d is not None and d.action == "keep" and d.note == "ok"
    r = runner.invoke(cli, ["decide", "p1", "explode", "--db", str(workspace)])
    assert r.exit_code == 2
    r = runner.invoke(cli, ["decide", "nope", "keep", "--db", str(workspace)])
    assert isinstance(r.exception, UserError)
    f = tmp_path / "d.csv"
    f.write_text("item,action\np2,hide\np6,delete\n", "utf-8")
    r = runner.invoke(cli, ["decide", "--csv", str(f), "--db", str(workspace)])
    assert r.exit_code == 0 and "записано 2 решения (удалить — 1, скрыть — 1)" in r.output
    out = tmp_path / "dossier.html"
    r = runner.invoke(
        cli,
        ["dossier", "p2", "--db", str(workspace), "--out", str(out), "--fsm", str(fsm_file), "--lang", "en"],
    )
    assert r.exit_code == 0, r.output
    assert out.exists() and "Item dossier" in out.read_text("utf-8") and (out.stat().st_mode & 0o077) == 0


def test_selection_reports_json_and_html(workspace: Path, tmp_path: Path, fsm_file: Path) -> None:
    import json

    from repostguard.reports.selection import selection_from_options, write_selection

    sel = selection_from_options(
        level="mention",
        platform=None,
        kind=None,
        bank=None,
        year=None,
        decision=None,
        item=None,
        q=None,
        scope=None,
    )
    assert sel == Selection(level="mention")
    with Store.open(workspace) as store:
        decide(store, [item_id(workspace, "p2")], "keep", note="n")
        n = write_selection(store, tmp_path / "s.json", "json", sel, entries=Entries(fsm_file))
        data = json.loads((tmp_path / "s.json").read_text("utf-8"))
        assert n == 2 and data["counts"] == {"items": 2, "findings": 2}
        assert [i["item"] for i in data["items"]] == ["p2", "p6"]
        assert data["items"][0]["decision"]["action"] == "keep" and data["selection"] == {"level": "mention"}
        assert data["items"][0]["findings"][0]["court_decision"].startswith("решение Кировского")
        n = write_selection(store, tmp_path / "s.html", "html", Selection(), lang="en")
        html = (tmp_path / "s.html").read_text("utf-8")
        assert n == 5 and html.count('<section class="item">') == 5
        assert "&lt;script&gt;" in html and "<script" not in html and "not legal advice" in html
        n = write_selection(store, tmp_path / "s.csv", "csv", Selection(year="2016"))
        assert n == 1 and "p2" in (tmp_path / "s.csv").read_text("utf-8-sig")


def test_cli_review_needs_a_workspace(tmp_path: Path) -> None:
    r = CliRunner().invoke(cli, ["review", "--db", str(tmp_path / "none.sqlite"), "--no-browser"])
    assert isinstance(r.exception, UserError) and "здесь ещё нет рабочей папки" in str(r.exception)
    assert not (tmp_path / "none.sqlite").exists()


def test_cli_report_csv_and_selection(workspace: Path, tmp_path: Path) -> None:
    import json

    runner = CliRunner()
    out = tmp_path / "r.csv"
    r = runner.invoke(cli, ["report", "--format", "csv", "--out", str(out), "--db", str(workspace)])
    assert r.exit_code == 0, r.output
    rows = csv_rows(out.read_text("utf-8-sig"))
    assert [row["item"] for row in rows] == ["p1", "p3", "p2", "p6", "p4"]
    out = tmp_path / "r.json"
    r = runner.invoke(
        cli,
        [
            "report",
            "--format",
            "json",
            "--out",
            str(out),
            "--db",
            str(workspace),
            "--level",
            "mention",
            "--year",
            "2022",
        ],
    )
    assert r.exit_code == 0, r.output
    data = json.loads(out.read_text("utf-8"))
    assert [i["item"] for i in data["items"]] == ["p6"] and data["selection"] == {
        "level": "mention",
        "year": "2022",
    }
    r = runner.invoke(
        cli,
        [
            "report",
            "--out",
            str(tmp_path / "s.html"),
            "--db",
            str(workspace),
            "--search",
            "погоду",
            "--all-history",
        ],
    )
    assert r.exit_code == 0, r.output
    assert (tmp_path / "s.html").read_text("utf-8").count('<section class="item">') == 1


def test_report_dates_carry_their_offset(workspace: Path) -> None:
    import re

    from repostguard.reports import render_html
    from repostguard.views.i18n import fmt_date

    assert fmt_date("2012-05-14T22:53:00+04:00", "ru") == "14.05.2012 22:53 МСК (UTC+04:00)"
    assert fmt_date("2012-05-14T22:53:00Z", "ru") == "15.05.2012 02:53 МСК (UTC+04:00)"
    assert fmt_date("2012-05-14", "ru") == "14.05.2012" and fmt_date(None, "ru") == ""
    with Store.open(workspace) as store:
        page = render_html(store, "ru")
    posted = re.findall(r"Дата публикации: ([^<]*)<", page)
    zoned = r"\d\d\.\d\d\.\d{4} \d\d:\d\d МСК \(UTC[+-]\d\d:\d\d\)"
    assert posted and all(re.match(zoned, p) for p in posted), posted
    assert re.search(r"Составлено: " + zoned, page)
    assert "Время указано в часовом поясе Europe/Moscow (МСК)." in page
