"""A folder sent file by file through the folder picker (its paths kept, the ZIP rules applied, a
refused folder leaving nothing), the person's time zone kept for the workspace and used by the page,
the CSV and the dossier, and the timeline by year in the start screen's summary."""

from __future__ import annotations

import contextvars
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from starlette.testclient import TestClient

from repostguard.app import folder as folder_module
from repostguard.app.jobs import Jobs
from repostguard.cli._common import resolve_db
from repostguard.pipeline.scan import run_scan
from repostguard.store import Store
from repostguard.store.settings import settings_path, workspace_zone
from repostguard.views.i18n import WORKSPACE_ZONE, display_zone, fmt_date

from .conftest import ORIGIN, TOKEN, VK_ARCHIVE, wait_job

App = tuple[TestClient, Jobs]
SAME = {"origin": ORIGIN}
OCTET = {"content-type": "application/octet-stream", **SAME}
TELEGRAM = Path(__file__).resolve().parents[1] / "fixtures" / "telegram" / "full_export"


def _uploads(db: Path) -> list[Path]:
    folder = db.with_name(db.name + ".uploads")
    return sorted(folder.iterdir()) if folder.exists() else []


def _begin(client: TestClient, name: str, files: int, size: int, headers: dict[str, str] | None = None) -> Any:
    return client.post(f"/{TOKEN}/folder/begin?name={name}&files={files}&bytes={size}",
                       headers=OCTET if headers is None else headers)


def _send_file(client: TestClient, fid: str, rel: str, body: bytes, headers: dict[str, str] | None = None) -> Any:
    return client.post(f"/{TOKEN}/folder/file", params={"id": fid, "path": rel}, content=body,
                       headers=OCTET if headers is None else headers)


def send_folder(client: TestClient, folder: Path) -> Any:
    """``folder`` as the page sends it: begin, each file with its path (the folder's name first, as
    the browser's ``webkitRelativePath``), done; the answer of done."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    r = _begin(client, folder.name, len(files), sum(p.stat().st_size for p in files))
    assert r.status_code == 200, r.text
    fid = r.json()["id"]
    for p in files:
        r = _send_file(client, fid, f"{folder.name}/{p.relative_to(folder).as_posix()}", p.read_bytes())
        assert r.status_code == 200, (p, r.text)
    return client.post(f"/{TOKEN}/folder/done?id={fid}", headers=SAME)


def _items(db: Path) -> dict[str, int]:
    with Store.open(db) as store:
        return dict(store.conn.execute("SELECT kind, count(*) FROM items GROUP BY kind"))


@pytest.mark.parametrize("fixture", [VK_ARCHIVE, TELEGRAM], ids=["vk", "telegram"])
def test_folder_sent_file_by_file_becomes_a_job(app: App, db: Path, installed: Path, tmp_path: Path,
                                                fixture: Path) -> None:
    client, _ = app
    r = send_folder(client, fixture)
    assert r.status_code == 200, r.text
    assert r.json()["platform"] == ("vk" if fixture == VK_ARCHIVE else "telegram")
    s = wait_job(client)
    assert s["state"] == "done", s
    # the same items as the folder read where it is
    direct = tmp_path / "direct.sqlite"
    run_scan(direct, fixture, ocr=False, progress=False)
    assert _items(db) == _items(direct) and sum(_items(db).values()) > 0
    # kept in the workspace folder with its relative paths, owner-only, no half-received folder
    [kept] = _uploads(db)
    assert kept.name == fixture.name and (kept.stat().st_mode & 0o777) == 0o700
    sent = sorted(p.relative_to(fixture).as_posix() for p in fixture.rglob("*") if p.is_file())
    got = sorted(p.relative_to(kept / fixture.name).as_posix() for p in kept.rglob("*") if p.is_file())
    assert got == sent
    page = client.get(f"/{TOKEN}/start").text
    assert "Итог проверки" in page and 'webkitdirectory' in page


@pytest.mark.parametrize("rel", ["../evil.txt", "Export/../../evil.txt", "/etc/evil.txt", "C:/evil.txt",
                                 "C:\\Windows\\evil.txt", "..\\evil.txt", "", "Export/./", "a\0b"])
def test_unsafe_relative_paths_refuse_the_whole_folder(app: App, db: Path, installed: Path, tmp_path: Path,
                                                      rel: str) -> None:
    client, _ = app
    fid = _begin(client, "Export", 2, 20).json()["id"]
    assert _send_file(client, fid, "Export/result.json", b"{}").status_code == 200
    r = _send_file(client, fid, rel, b"evil")
    assert r.status_code == 400, r.text
    assert "небезопасным путём" in r.json()["error"] and "\n" not in r.json()["error"]
    assert _uploads(db) == []  # the file sent before is gone too
    assert not (db.parent / "evil.txt").exists() and not (tmp_path / "evil.txt").exists()
    # the folder is dropped: going on with it is refused
    assert _send_file(client, fid, "Export/more.json", b"{}").status_code == 400
    assert client.post(f"/{TOKEN}/folder/done?id={fid}", headers=SAME).status_code == 400
    assert _uploads(db) == []


def test_the_same_path_twice_is_refused(app: App, db: Path, installed: Path) -> None:
    client, _ = app
    fid = _begin(client, "Export", 2, 4).json()["id"]
    assert _send_file(client, fid, "Export/a.json", b"{}").status_code == 200
    assert _send_file(client, fid, "Export/a.json", b"{}").status_code == 400
    assert _uploads(db) == []


def test_folder_size_and_count_caps(app: App, db: Path, installed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    client, _ = app  # the app's upload limit is 8 MB
    r = _begin(client, "Export", 3, 9 * 1024**2)
    assert r.status_code == 413 and "папка больше" in r.json()["error"]
    r = _begin(client, "Export", folder_module.MAX_FOLDER_FILES + 1, 10)
    assert r.status_code == 413 and "больше 200000 файлов" in r.json()["error"]
    # the browser's word is not trusted: the bytes received are counted
    fid = _begin(client, "Export", 2, 10).json()["id"]
    assert _send_file(client, fid, "Export/a.bin", b"x" * (5 * 1024**2)).status_code == 200
    r = _send_file(client, fid, "Export/b.bin", b"x" * (4 * 1024**2))
    assert r.status_code == 413 and "папка больше" in r.json()["error"]
    assert _uploads(db) == []
    # so are the files
    monkeypatch.setattr(folder_module, "MAX_FOLDER_FILES", 2)
    fid = _begin(client, "Export", 1, 10).json()["id"]
    for name in ("a", "b"):
        assert _send_file(client, fid, f"Export/{name}.json", b"{}").status_code == 200
    r = _send_file(client, fid, "Export/c.json", b"{}")
    assert r.status_code == 413 and "больше 2 файлов" in r.json()["error"]
    assert _uploads(db) == []


def test_a_folder_that_is_not_an_export_leaves_nothing(app: App, db: Path, installed: Path) -> None:
    client, _ = app
    fid = _begin(client, "Holiday", 1, 5).json()["id"]
    assert _send_file(client, fid, "Holiday/notes.txt", b"hello").status_code == 200
    r = client.post(f"/{TOKEN}/folder/done?id={fid}", headers=SAME)
    assert r.status_code == 400 and "не выгрузка" in r.json()["error"]
    assert _uploads(db) == []
    # an empty folder too
    fid = _begin(client, "Empty", 0, 0).json()["id"]
    r = client.post(f"/{TOKEN}/folder/done?id={fid}", headers=SAME)
    assert r.status_code == 400 and "пустой" in r.json()["error"]
    assert _uploads(db) == []
    # cancelled midway
    fid = _begin(client, "Export", 2, 4).json()["id"]
    assert _send_file(client, fid, "Export/a.json", b"{}").status_code == 200
    assert client.post(f"/{TOKEN}/folder/cancel?id={fid}", headers=SAME).json() == {"dropped": True}
    assert _uploads(db) == []


def test_folder_and_zone_endpoints_refuse_without_token_or_with_foreign_origin(
        app: App, db: Path, installed: Path) -> None:
    client, _ = app
    evil = {"content-type": "application/octet-stream", "origin": "http://evil.example"}
    none = {"content-type": "application/octet-stream"}
    assert client.post("/folder/begin?name=E&files=1&bytes=2", headers=OCTET).status_code == 403
    assert client.post("/wrong/folder/begin?name=E&files=1&bytes=2", headers=OCTET).status_code == 403
    assert _begin(client, "E", 1, 2, evil).status_code == 403
    assert _begin(client, "E", 1, 2, none).status_code == 403
    assert _begin(client, "E", 1, 2, {**OCTET, "host": "evil.example"}).status_code == 403
    assert _uploads(db) == []
    fid = _begin(client, "Export", 1, 2).json()["id"]
    for headers in (evil, none):
        assert _send_file(client, fid, "Export/result.json", b"{}", headers).status_code == 403
        assert client.post(f"/{TOKEN}/folder/done?id={fid}", headers=headers).status_code == 403
        assert client.post(f"/{TOKEN}/folder/cancel?id={fid}", headers=headers).status_code == 403
        assert client.post(f"/{TOKEN}/settings/zone", data={"zone": "UTC"},
                           headers={k: v for k, v in headers.items() if k != "content-type"}).status_code == 403
    assert client.post("/settings/zone", data={"zone": "UTC"}, headers=SAME).status_code == 403
    assert not settings_path(db).exists()
    # a wrong id is refused
    assert _send_file(client, "0" * 24, "Export/result.json", b"{}").status_code == 400
    assert [p for p in _uploads(db) if any(p.rglob("*"))] == []


def test_time_zone_chosen_on_the_start_screen(app: App, db: Path, installed: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    client, _ = app
    monkeypatch.delenv("REPOSTGUARD_DISPLAY_TZ", raising=False)
    page = client.get(f"/{TOKEN}/start").text
    assert '<option value="Europe/Moscow" selected>Москва (UTC+03:00)</option>' in page
    assert "Europe/Moscow (МСК)" in page and '<option value="UTC"' in page
    # a post at 2021-03-21 12:10 MSK (09:10 UTC) in the demo history is shown in the chosen zone
    assert client.post(f"/{TOKEN}/upload?name=demo.jsonl", content=installed.read_bytes(),
                       headers=OCTET).status_code == 200
    assert wait_job(client)["state"] == "done"
    r = client.post(f"/{TOKEN}/settings/zone", data={"zone": "Asia/Yekaterinburg"}, headers=SAME,
                    follow_redirects=False)
    assert r.status_code == 303
    assert workspace_zone(db) == "Asia/Yekaterinburg" and (settings_path(db).stat().st_mode & 0o777) == 0o600
    page = client.get(f"/{TOKEN}/start").text
    assert '<option value="Asia/Yekaterinburg" selected>' in page and "Сейчас: Asia/Yekaterinburg" in page
    with Store.open(db) as store:
        item_id, date = store.conn.execute(
            "SELECT id, date FROM items WHERE date LIKE '%T%' ORDER BY id LIMIT 1").fetchone()
    shown = fmt_date(date, "ru", zone=ZoneInfo("Asia/Yekaterinburg"))
    assert shown.endswith("Asia/Yekaterinburg (UTC+05:00)")
    assert shown in client.get(f"/{TOKEN}/item/{item_id}").text
    assert shown in client.get(f"/{TOKEN}/dossier/{item_id}").text
    csv = client.get(f"/{TOKEN}/export.csv").content.decode("utf-8-sig")
    assert "Asia/Yekaterinburg" in csv and "+05:00" in csv
    # the request's zone does not leak out of it
    assert display_zone().key == "Europe/Moscow"
    # a zone not offered is refused, the setting kept
    r = client.post(f"/{TOKEN}/settings/zone", data={"zone": "Mars/Olympus"}, headers=SAME)
    assert r.status_code == 400 and "такого часового пояса в списке нет" in r.text
    assert workspace_zone(db) == "Asia/Yekaterinburg"
    # the environment variable still wins, and the screen says so
    monkeypatch.setenv("REPOSTGUARD_DISPLAY_TZ", "Europe/Berlin")
    page = client.get(f"/{TOKEN}/start").text
    assert "REPOSTGUARD_DISPLAY_TZ задаёт пояс Europe/Berlin" in page
    assert fmt_date(date, "ru", zone=ZoneInfo("Europe/Berlin")) in client.get(f"/{TOKEN}/item/{item_id}").text


def test_the_cli_reads_the_workspace_zone(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REPOSTGUARD_DISPLAY_TZ", raising=False)
    from repostguard.store.settings import write_setting

    write_setting(db, "time_zone", "Asia/Vladivostok")

    def command() -> str:
        resolve_db(db)
        return display_zone().key

    assert contextvars.copy_context().run(command) == "Asia/Vladivostok"
    assert WORKSPACE_ZONE.get() == "" and display_zone().key == "Europe/Moscow"


def test_start_summary_has_the_timeline_by_year(app: App, db: Path, installed: Path) -> None:
    client, _ = app
    assert 'id="timeline"' not in client.get(f"/{TOKEN}/start").text  # nothing checked yet
    assert client.post(f"/{TOKEN}/upload?name=demo.jsonl", content=installed.read_bytes(),
                       headers=OCTET).status_code == 200
    assert wait_job(client)["state"] == "done"
    page = client.get(f"/{TOKEN}/start").text
    assert '<details class="fold fold-charts" id="timeline">' in page
    assert "Отмеченные записи по годам" in page and '<svg class="chart"' in page
    # after the summary table, before the «Что дальше» panel
    assert page.index("summary-table") < page.index('id="timeline"') < page.index('class="next"')
