"""recheck after a list update: only what the changes bring (new, edited, excluded entries); remind."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from repostguard.banks.fsm import update_fsm
from repostguard.banks.orgs import update_org
from repostguard.pipeline.recheck import ics_text, reminder_text, run_recheck, schedule
from repostguard.pipeline.scan import run_scan
from repostguard.store import Store

from .conftest import EXTREMIST, FSM_2021, FSM_2025, need, write_json

OLD = [
    ("1", "Книга «Первая длинная книга о чём-то очень важном»", "01.02.2018"),
    ("2", "Песня «Вторая длинная песня про что-то хорошее»", "01.02.2018"),
    ("4", "Статья «Старая статья»", "01.02.2018"),
]
NEW = [
    ("1", "Книга «Первая длинная книга о чём-то очень важном»", "01.02.2018"),
    ("2", "Исключен", "01.02.2018"),
    ("3", "Видеоролик «Третий длинный ролик о совсем важном деле»", "01.03.2024"),
    ("4", "Статья «Совсем другая длинная статья о жизни людей»", "01.02.2018"),
]
HISTORY = [
    {
        "id": "h1",
        "kind": "repost",
        "text": "Репост. «Первая длинная книга о чём-то очень важном»",
        "date": "2019-01-01",
    },
    {
        "id": "h2",
        "kind": "post",
        "text": "Слушайте «Вторая длинная песня про что-то хорошее»",
        "date": "2019-01-01",
    },
    {
        "id": "h3",
        "kind": "post",
        "text": "Смотрите «Третий длинный ролик о совсем важном деле»",
        "date": "2020-01-01",
    },
    {
        "id": "h4",
        "kind": "post",
        "text": "Читайте «Совсем другая длинная статья о жизни людей»",
        "date": "2020-01-01",
    },
    {"id": "h5", "kind": "post", "text": "Сторонники ФБК вышли на митинг", "date": "2020-05-01"},
    {"id": "h6", "kind": "post", "text": "Обычный пост про котиков", "date": "2020-05-01"},
]


@pytest.fixture(autouse=True)
def shared_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Built FSM indexes are cached across these tests (as in the data dir of a real installation)."""
    import repostguard.pipeline.scan as scan

    d = tmp_path_factory.getbasetemp() / "fsm-cache"
    monkeypatch.setattr(scan, "cache_dir", lambda: d)


def _lines(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text(
        "\n".join(json.dumps({**r, "platform": "generic"}, ensure_ascii=False) for r in rows), "utf-8"
    )
    return path


def test_recheck_reports_only_what_the_update_brings(tmp_path: Path) -> None:
    from tests.core.conftest import write_list

    old, new = write_list(tmp_path / "old.csv", OLD), write_list(tmp_path / "new.csv", NEW)
    orgs_v1 = write_json(tmp_path / "e1.json", [e for e in EXTREMIST if "ФБК" not in e["aliases"]])
    orgs_v2 = write_json(tmp_path / "e2.json", EXTREMIST)
    db = tmp_path / "w.sqlite"
    update_fsm(from_file=old)
    update_org("extremist", from_file=orgs_v1)
    s = run_scan(db, _lines(tmp_path / "h.jsonl", HISTORY), ocr=False, progress=False)
    with Store.open(db) as st:
        before = {(r["ref"], r["bank"], r["entry"]) for r in st.findings_rows()}
    assert ("h1", "fsm", "1") in before and ("h2", "fsm", "2") in before
    assert not any(ref in ("h3", "h4", "h5") for ref, _b, _e in before), before
    assert s.items == 6

    update_fsm(from_file=new)
    update_org("extremist", from_file=orgs_v2)
    out = tmp_path / "recheck.json"
    r = run_recheck(db, json_out=out)
    data = json.loads(out.read_text("utf-8"))
    got = {(f["item"], f["bank"], str(f["entry"])) for f in data["findings"]}
    fbk = next(f for f in data["findings"] if f["bank"] == "orgs-extremist")
    assert got == {("h3", "fsm", "3"), ("h4", "fsm", "4"), ("h5", "orgs-extremist", fbk["entry"])}
    assert {(d["item"], d["entry"]) for d in data["dropped"]} == {("h2", 2)}
    for f in data["findings"]:  # the findings format of scan
        for key in (
            "item",
            "bank",
            "entry",
            "level",
            "signal",
            "score",
            "evidence",
            "explanation",
            "list_version",
            "platform",
            "native_id",
            "kind",
            "date",
        ):
            assert key in f
        assert f["level"] in ("distribution", "mention", "indicator")
    assert fbk["level"] == "mention"
    h3 = next(f for f in data["findings"] if f["item"] == "h3")  # posted 2020, listed 01.03.2024
    assert h3["legal"]["posted_before_listing"] is True and h3["legal"]["listed_date"] == "2024-03-01"
    assert [a["code"] for a in h3["legal"]["articles"]] == ["Admin 20.29"]
    fsm_change = next(b for b in r.banks if b.bank == "fsm")
    assert sorted(fsm_change.changed) == ["3", "4"] and fsm_change.dropped == ["2"]
    with Store.open(db) as st:
        now = {(r["ref"], r["bank"], r["entry"]) for r in st.findings_rows()}
    assert ("h2", "fsm", "2") not in now and ("h3", "fsm", "3") in now and ("h1", "fsm", "1") in now

    again = run_recheck(db)
    assert again.findings == [] and again.dropped == []
    assert all(not b.changed and not b.dropped for b in again.banks)


def _entries_added_after_2021(n: int) -> list[tuple[int, str]]:
    from repostguard.banks.fsm import parse_fsm
    from repostguard.matchers.normalize import compact
    from repostguard.matchers.quotes import extract_quotes

    old, new = parse_fsm(need(FSM_2021)), parse_fsm(need(FSM_2025))
    old_numbers = {e.number for e in old.entries}
    old_text = compact(" ".join(e.text for e in old.entries))
    new_compacts = [compact(e.text) for e in new.entries]
    out: list[tuple[int, str]] = []
    for e in new.active:
        if e.number in old_numbers or "http" in e.text or "vk.com" in e.text:
            continue
        for q, _start in extract_quotes(e.text):
            words = q.split()
            c = compact(q)
            if (
                5 <= len(words) <= 14
                and len(c) >= 25
                and c not in old_text
                and "«" not in q
                and sum(c in t for t in new_compacts) == 1
            ):
                out.append((e.number, q))
                break
        if len(out) == n:
            break
    return out


def test_the_two_official_snapshots(tmp_path: Path) -> None:
    """A history quoting only entries added after 2021: nothing against 2021, exactly those against 2025."""
    chosen = _entries_added_after_2021(6)
    assert len(chosen) == 6
    hist = _lines(
        tmp_path / "h.jsonl",
        [{"id": f"q{n}", "kind": "post", "text": f"Смотрите: «{q}»", "date": "2022-01-01"} for n, q in chosen]
        + [{"id": "plain", "kind": "post", "text": "Хорошая погода сегодня"}],
    )
    db = tmp_path / "w.sqlite"
    s = run_scan(db, hist, fsm=FSM_2021, ocr=False, progress=False)
    assert s.items == len(chosen) + 1
    with Store.open(db) as st:
        assert st.findings_rows("fsm") == []
    update_fsm(from_file=FSM_2025)
    out = tmp_path / "r.json"
    r = run_recheck(db, json_out=out)
    got = {
        (f["item"], f["entry"]) for f in json.loads(out.read_text("utf-8"))["findings"] if f["bank"] == "fsm"
    }
    assert got == {(f"q{n}", n) for n, _q in chosen}
    fsm = next(b for b in r.banks if b.bank == "fsm")
    assert fsm.from_version is not None and fsm.from_version.startswith("fsm-2021")
    assert len(fsm.changed) > 200 and fsm.candidates < 50


def test_remind_schedule_and_calendar() -> None:
    dates = schedule(date(2026, 11, 26), months=3, day=5)
    assert dates == [date(2026, 12, 5), date(2027, 1, 5), date(2027, 2, 5)]
    txt = reminder_text(dates)
    assert "2027-01-05" in txt and "repostguard recheck" in txt
    ics = ics_text(dates, "ru")
    assert (
        ics.count("BEGIN:VEVENT") == 3
        and ics.startswith("BEGIN:VCALENDAR\r\n")
        and ics.endswith("END:VCALENDAR\r\n")
    )
    assert "DTSTART;VALUE=DATE:20270105" in ics
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    assert re.search(r"SUMMARY:repostguard", ics)


def test_cli_recheck_and_remind(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "REPOSTGUARD_HOME": str(tmp_path / "home")}

    def rg(*a: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "repostguard", *a], capture_output=True, text=True, env=env, timeout=120
        )

    r = rg("recheck", "--db", str(tmp_path / "w.sqlite"))  # no list installed: the packaged snapshots
    assert r.returncode == 0 and "ФСЭМ: fsm-2025-07-09-522073ae (первая проверка)" in r.stdout, r.stderr
    r = rg("recheck", "--db", str(tmp_path / "w.sqlite"), "--prior-penalty", "20.3.3:yesterday")
    assert r.returncode == 2 and "--prior-penalty" in r.stderr
    ics = tmp_path / "r.ics"
    r = rg("remind", "--ics", str(ics), "--months", "2")
    assert r.returncode == 0 and ics.read_text("utf-8").count("BEGIN:VEVENT") == 2
    assert (ics.stat().st_mode & 0o077) == 0
    r = rg("remind", "--lang", "en")
    assert r.returncode == 0 and "Monthly re-check" in r.stdout


def test_compact_cache_in_worker_processes_equals_serial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import repostguard.pipeline.recheck as R

    db = tmp_path / "w.sqlite"
    with Store.open(db) as st:
        from repostguard.model import Attachment, Item

        st.import_items(
            [
                Item(
                    "generic",
                    f"i{n}",
                    "post",
                    text=f"Текст ё {n} «Книга»",
                    attachments=[Attachment("audio", artist="Исп", title=f"Песня {n}")],
                )
                for n in range(50)
            ],
            source="t",
            platform="generic",
        )
        monkeypatch.setattr(R, "PARALLEL_FROM", 1)
        ids, texts = R._Compacts(st).result()
        items = {it.id: it for it in st.iter_items()}
        assert texts == [R.item_compact(items[i]) for i in ids]
        assert texts[0].startswith("тексте0книга") and "\x02исппесня0\x02" in texts[0]
        cached = st.conn.execute("SELECT count(*) FROM recheck_text").fetchone()[0]
        assert cached == 50
        again = R._Compacts(st)
        assert again.stale == [] and again.result()[1] == texts
