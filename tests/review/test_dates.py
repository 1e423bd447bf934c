"""Dates a lawyer can use and honest emptiness (issue 20 parts 2 and 3): every moment in the
person's zone with the zone named; each finding's timeline (posted, court decision, listed or
unknown, today), never the court date as the listing date; "posted before listing" on one calendar;
nothing checked is a warning and exit code 1, never "no matches"."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from repostguard.app.web import create_app
from repostguard.cli import cli
from repostguard.reports import render_html, report_json
from repostguard.reports.csv_report import csv_text
from repostguard.store import Store
from repostguard.views.entries import Entries, EntryView, posted_before_listing
from repostguard.views.i18n import fmt_date, list_day
from repostguard.views.query import Selection
from repostguard.views.timeline import finding_timeline

from .conftest import FSM_CSV, build_workspace, csv_rows, item_id

TOKEN = "t" * 32
PORT = 45679
ORIGIN = f"http://127.0.0.1:{PORT}"


def _entry(included: date | None, decided: date | None) -> EntryView:
    return EntryView("fsm", "11", "Песня", included, "решение суда", decided)


def test_timeline_with_an_inclusion_date() -> None:
    tl = finding_timeline(_entry(date(2019, 3, 15), date(2019, 2, 1)), "2018-05-04T10:00:00+03:00", "ru",
                          on=date(2026, 1, 2))
    assert [(s.kind, s.when) for s in tl.steps] == [
        ("posted", "04.05.2018 10:00 МСК (UTC+03:00)"),
        ("court", "01.02.2019"),
        ("listed", "15.03.2019"),
        ("today", "02.01.2026"),
    ]
    assert tl.relation == "before" and tl.posted_before
    assert tl.relation_text == "Материал включён в список после даты публикации."


def test_timeline_without_an_inclusion_date_never_shows_the_court_date_as_listing() -> None:
    entry = _entry(None, date(2015, 6, 5))
    tl = finding_timeline(entry, "2016-01-02T12:30:00+03:00", "ru", on=date(2026, 1, 2))
    kinds = [(s.kind, s.when, s.unknown) for s in tl.steps]
    assert kinds == [
        ("court", "05.06.2015", False),
        ("listed", "дата включения неизвестна", True),
        ("posted", "02.01.2016 12:30 МСК (UTC+03:00)", False),
        ("today", "02.01.2026", False),
    ]
    assert "дата решения суда — не дата включения" in tl.steps[1].note
    assert tl.relation == "undecided" and not tl.posted_before
    # before the decision: certainly before the listing; in 2017 or later: certainly after it
    assert finding_timeline(entry, "2015-01-01T10:00:00+03:00", "en").relation == "before_decision"
    after = finding_timeline(entry, "2018-01-01T10:00:00+03:00", "en")
    assert after.relation == "after_undated" and "already listed" in after.relation_text
    # no list at hand: the post and today only
    assert [s.kind for s in finding_timeline(None, None, "ru").steps] == ["posted", "today"]


def test_posted_before_listing_is_decided_on_one_calendar() -> None:
    """22:30 UTC on the 14th is 01:30 on the 15th in Moscow: not before a listing of the 15th."""
    entry = _entry(date(2021, 3, 15), None)
    late_utc = "2021-03-14T22:30:00Z"
    assert list_day(late_utc) == date(2021, 3, 15)
    assert not posted_before_listing(entry, late_utc)
    assert finding_timeline(entry, late_utc, "ru").relation == "same_day"
    assert posted_before_listing(entry, "2021-03-14T20:30:00Z")  # 23:30 on the 14th in Moscow


def test_display_zone_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPOSTGUARD_DISPLAY_TZ", "Europe/Berlin")
    assert fmt_date("2021-08-03T13:21:00+03:00", "ru") == "03.08.2021 12:21 Europe/Berlin (UTC+02:00)"
    monkeypatch.setenv("REPOSTGUARD_DISPLAY_TZ", "No/Such_Zone")
    assert fmt_date("2021-08-03T13:21:00+03:00", "en") == "3 Aug 2021, 13:21 MSK (UTC+03:00)"


def test_report_and_csv_name_the_zone(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(workspace) as store:
        html = render_html(store, "ru")
        data = report_json(store, "en")
        text = csv_text(store, Selection())
    assert "Время указано в часовом поясе Europe/Moscow (МСК)." in html
    assert "04.05.2018 10:00 МСК (UTC+03:00)" in html
    assert data["time_zone"] == "Europe/Moscow" and data["items_checked"] == 6 and not data["nothing_checked"]
    rows = csv_rows(text)
    assert {r["time_zone"] for r in rows} == {"Europe/Moscow"}
    assert rows and all(r["date"].endswith("+03:00") for r in rows)
    monkeypatch.setenv("REPOSTGUARD_DISPLAY_TZ", "Asia/Yekaterinburg")
    with Store.open(workspace) as store:
        rows = csv_rows(csv_text(store, Selection()))
        html = render_html(store, "en")
    p1 = next(r for r in rows if r["item"] == "p1")
    assert p1["date"] == "2018-05-04 12:00:00+05:00" and p1["time_zone"] == "Asia/Yekaterinburg"
    assert "4 May 2018, 12:00 Asia/Yekaterinburg (UTC+05:00)" in html


def test_page_and_dossier_show_the_timeline_and_zone(workspace: Path, fsm_file: Path) -> None:
    app = create_app(workspace, TOKEN, PORT, Entries(fsm_file))
    with TestClient(app, base_url=ORIGIN) as c:
        index = c.get(f"/{TOKEN}/").text
        assert "Время указано в часовом поясе Europe/Moscow (МСК)." in index
        assert "04.05.2018 10:00 МСК (UTC+03:00)" in index and "Ничего не проверено" not in index
        p2 = c.get(f"/{TOKEN}/item/{item_id(workspace, 'p2')}").text
        assert "Хронология" in p2 and "дата включения неизвестна" in p2
        assert "до 2017 г. (дата в списке не указывается)" not in p2
        dossier = c.get(f"/{TOKEN}/dossier/{item_id(workspace, 'p1')}").text
        assert "Хронология" in dossier and "15.03.2019" in dossier and "Сегодня" in dossier
        assert "Europe/Moscow (МСК)" in dossier


# -- nothing checked ------------------------------------------------------------------------------


def test_scan_of_an_empty_file_checks_nothing(tmp_path: Path) -> None:
    fsm = tmp_path / "fsm.csv"
    fsm.write_bytes(FSM_CSV.encode("cp1251"))
    empty = tmp_path / "items.jsonl"
    empty.write_text("")
    r = CliRunner().invoke(cli, ["scan", str(empty), "--fsm", str(fsm), "--db", str(tmp_path / "w.sqlite"), "-q"])
    assert r.exit_code == 1, r.output
    assert "ничего не проверено" in r.output and "0 совпадений" not in r.output


def test_report_of_a_workspace_never_scanned(tmp_path: Path) -> None:
    r = CliRunner().invoke(cli, ["report", "--db", str(tmp_path / "w.sqlite"), "-o", str(tmp_path / "r.html")])
    assert r.exit_code == 1 and "ничего не проверено" in r.output and "0 совпадений" not in r.output
    html = (tmp_path / "r.html").read_text("utf-8")
    assert "Ничего не проверено." in html and "Совпадений не найдено" not in html
    # imported but never scanned
    exp = tmp_path / "exp.jsonl"
    exp.write_text(json.dumps({"id": "a", "kind": "post", "text": "привет", "date": "2020-01-01"}) + "\n")
    assert CliRunner().invoke(cli, ["import", str(exp), "--db", str(tmp_path / "w.sqlite"), "-q"]).exit_code == 0
    r = CliRunner().invoke(cli, ["report", "--db", str(tmp_path / "w.sqlite"), "-o", str(tmp_path / "r.html"),
                                 "--lang", "en"])
    assert r.exit_code == 1 and "never scanned" in r.output
    html = (tmp_path / "r.html").read_text("utf-8")
    assert "Nothing was checked." in html and "not checked yet" in html


def test_report_after_a_clean_scan_says_no_matches(tmp_path: Path) -> None:
    fsm = tmp_path / "fsm.csv"
    fsm.write_bytes(FSM_CSV.encode("cp1251"))
    exp = tmp_path / "exp.jsonl"
    exp.write_text(json.dumps({"id": "a", "kind": "post", "text": "про погоду", "date": "2020-01-01"}) + "\n")
    db = str(tmp_path / "w.sqlite")
    r = CliRunner().invoke(cli, ["scan", str(exp), "--fsm", str(fsm), "--db", db, "-q"])
    assert r.exit_code == 0 and "0 совпадений" in r.output
    r = CliRunner().invoke(cli, ["report", "--db", db, "-o", str(tmp_path / "r.html")])
    assert r.exit_code == 0
    html = (tmp_path / "r.html").read_text("utf-8")
    assert "Совпадений не найдено: проверено записей — 1." in html and "Ничего не проверено" not in html


def test_page_says_nothing_was_checked(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite"
    with Store.open(db):
        pass
    app = create_app(db, TOKEN, PORT, Entries())
    with TestClient(app, base_url=ORIGIN) as c:
        page = c.get(f"/{TOKEN}/").text
    assert "Ничего не проверено." in page and "В рабочей папке нет ни одной записи" in page
    assert "Совпадений не найдено" not in page and "Ничего не найдено." not in page


def test_page_with_items_never_scanned(tmp_path: Path) -> None:
    exp = tmp_path / "exp.jsonl"
    exp.write_text(json.dumps({"id": "a", "kind": "post", "text": "привет", "date": "2020-01-01"}) + "\n")
    db = tmp_path / "w.sqlite"
    assert CliRunner().invoke(cli, ["import", str(exp), "--db", str(db), "-q"]).exit_code == 0
    app = create_app(db, TOKEN, PORT, Entries())
    with TestClient(app, base_url=ORIGIN) as c:
        page = c.get(f"/{TOKEN}/").text
    assert "Записи импортированы (1), но ещё не проверены" in page


def test_workspace_fixture_is_checked(tmp_path: Path) -> None:
    db = build_workspace(tmp_path)
    with Store.open(db) as store:
        assert report_json(store)["items_checked"] == 6
