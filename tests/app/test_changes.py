"""The start screen's "a list has changed since the last check" panel and its re-check job: a workspace
scanned against one version of a list, a newer version installed, the notice with the entries added and
excluded, «Перепроверить» run as a background job, and what it brought."""

from __future__ import annotations

from pathlib import Path

from core.conftest import write_list  # type: ignore[import-not-found]
from core.test_store import write_items  # type: ignore[import-not-found]
from starlette.testclient import TestClient

from repostguard.app.changes import checked_version, list_changes
from repostguard.app.jobs import Jobs
from repostguard.banks.registry import update_lists
from repostguard.cli.demo import DEMO_HISTORY, DEMO_LIST
from repostguard.pipeline.scan import run_scan
from repostguard.store import Store

from .conftest import ORIGIN, TOKEN, wait_job

App = tuple[TestClient, Jobs]
SAME = {"origin": ORIGIN}


def _scanned_then_updated(tmp_path: Path, db: Path) -> None:
    """The demo history scanned against a list without entry 5; then a version that adds entry 5 (a song
    an item quotes) and excludes entry 1 (which an item quoted) is installed."""
    old = [row for row in DEMO_LIST if row[0] != "5"]
    new = [(n, "Исключен", d) if n == "1" else (n, text, d) for n, text, d in DEMO_LIST]
    update_lists("fsm", from_file=write_list(tmp_path / "v1.csv", old))
    summary = run_scan(db, write_items(tmp_path / "h.jsonl", DEMO_HISTORY), ocr=False, progress=False)
    assert summary.items == len(DEMO_HISTORY)
    with Store.open(db) as store:
        assert store.conn.execute("SELECT count(*) FROM findings WHERE bank='fsm' AND entry='1'").fetchone()[0]
        assert not store.conn.execute("SELECT count(*) FROM findings WHERE bank='fsm' AND entry='5'").fetchone()[0]
    update_lists("fsm", from_file=write_list(tmp_path / "v2.csv", new))


def test_no_notice_when_the_workspace_was_checked_against_the_lists_in_use(tmp_path: Path, db: Path,
                                                                           installed: Path) -> None:
    assert list_changes(db, "ru") == []  # no workspace yet
    run_scan(db, installed, ocr=False, progress=False)
    assert list_changes(db, "ru") == []
    with Store.open(db) as store:
        assert checked_version(store.conn, "fsm", ).startswith("fsm-2024-01-20")  # type: ignore[union-attr]
        # the organisation lists the scan took from the package
        assert checked_version(store.conn, "orgs-undesirable") == "orgs-undesirable-2026-07-03-f33e3440"


def test_a_newer_list_is_announced_and_the_recheck_job_brings_its_findings(app: App, tmp_path: Path,
                                                                          db: Path) -> None:
    client, _ = app
    _scanned_then_updated(tmp_path, db)
    changes = list_changes(db, "ru")
    assert [(c["bank"], c["added"], c["excluded"]) for c in changes] == [("fsm", 1, 1)]
    page = client.get(f"/{TOKEN}/start").text
    assert 'id="changes"' in page and "Списки изменились после последней проверки" in page
    assert "добавлено записей: 1, исключено: 1" in page and "Перепроверить" in page
    en = list_changes(db, "en")[0]["text"]
    assert "1 entries added, 1 excluded" in en

    # the new endpoint is guarded like the others
    assert client.post(f"/{TOKEN}/recheck", headers={"origin": "http://evil.example"}).status_code == 403
    assert client.post(f"/{TOKEN}/recheck").status_code == 403

    r = client.post(f"/{TOKEN}/recheck", headers=SAME, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/{TOKEN}/start"
    s = wait_job(client)
    assert s["state"] == "done" and s["kind"] == "recheck", s
    res = s["result"]
    assert res["new_findings"] >= 1 and any(f["entry"] == 5 for f in res["findings"])
    assert res["dropped_findings"] >= 1  # the findings of the excluded entry 1
    fsm = next(b for b in res["banks"] if b["bank"] == "fsm")
    assert fsm["changed"] == 1 and fsm["dropped"] == 1
    with Store.open(db) as store:
        assert store.conn.execute("SELECT count(*) FROM findings WHERE bank='fsm' AND entry='5'").fetchone()[0]
        assert not store.conn.execute("SELECT count(*) FROM findings WHERE bank='fsm' AND entry='1'").fetchone()[0]

    page = client.get(f"/{TOKEN}/start").text
    assert 'id="job-result"' in page and "Новых находок: " in page and "запись 5" in page
    assert 'id="changes"' not in page  # checked against the version in use now
    assert list_changes(db, "ru") == []


def test_recheck_of_an_empty_workspace_is_refused(app: App, installed: Path) -> None:
    client, _ = app
    r = client.post(f"/{TOKEN}/recheck", headers=SAME)
    assert r.status_code == 400 and "Перепроверять нечего" in r.text
