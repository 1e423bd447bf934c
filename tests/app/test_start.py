"""The start screen's endpoints through the ASGI interface: the guard on every new endpoint, the
refusals (not an export, a ZIP bomb, a path that is not a file) with nothing written, a job run to
the end on the demo history, a second archive added, cancelling, the lists."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from repostguard.app import jobs as jobs_module
from repostguard.app.jobs import Cancelled, Job, Jobs
from repostguard.app.start import job_view
from repostguard.pipeline.scan import run_scan
from repostguard.store import Store

from .conftest import ORIGIN, TOKEN, VK_ARCHIVE, wait_job, zip_folder

App = tuple[TestClient, Jobs]
SAME = {"origin": ORIGIN}


def _uploads(db: Path) -> list[Path]:
    folder = db.with_name(db.name + ".uploads")
    return sorted(folder.iterdir()) if folder.exists() else []


def _imports(db: Path) -> int:
    if not db.exists():
        return 0
    with Store.open(db) as store:
        return int(store.conn.execute("SELECT count(*) FROM imports").fetchone()[0])


def _upload(client: TestClient, name: str, body: bytes, headers: dict[str, str] | None = None) -> Any:
    return client.post(f"/{TOKEN}/upload?name={name}", content=body,
                       headers={"content-type": "application/octet-stream", **(SAME if headers is None else headers)})


def test_new_endpoints_refuse_without_token_or_with_foreign_origin(app: App, db: Path, installed: Path) -> None:
    client, _ = app
    body = installed.read_bytes()
    assert client.post("/upload?name=a.jsonl", content=body, headers=SAME).status_code == 403
    assert client.post("/wrong/upload?name=a.jsonl", content=body, headers=SAME).status_code == 403
    assert _upload(client, "a.jsonl", body, {"origin": "http://evil.example"}).status_code == 403
    assert _upload(client, "a.jsonl", body, {}).status_code == 403  # neither Origin nor Sec-Fetch-Site
    assert _upload(client, "a.jsonl", body, {"sec-fetch-site": "cross-site"}).status_code == 403
    assert _upload(client, "a.jsonl", body, {"host": "evil.example"}).status_code == 403
    for path in ("/open", "/job/cancel", "/lists/update", "/lists/install?list=fsm&name=x.csv"):
        assert client.post(f"/{TOKEN}{path}", data={"path": str(installed)},
                           headers={"origin": "http://evil.example"}).status_code == 403
        assert client.post(f"/{TOKEN}{path}", data={"path": str(installed)}).status_code == 403
    assert client.get("/job").status_code == 403 and client.get("/start").status_code == 403
    r = client.get(f"/{TOKEN}/job", headers={"origin": "http://evil.example"})
    assert r.status_code == 403
    assert _uploads(db) == [] and _imports(db) == 0


def test_start_screen_has_csp_and_no_inline_script(app: App, installed: Path) -> None:
    client, _ = app
    r = client.get(f"/{TOKEN}/start")
    assert r.status_code == 200 and "script-src 'self'" in r.headers["content-security-policy"]
    assert "<script>" not in r.text and " style=" not in r.text and "<style" not in r.text
    assert 'type="file"' in r.text and "/static/start.js" in r.text
    assert "версия от 20.01.2024" in r.text  # the installed list's version, in words
    # the organisation lists are not installed: the packaged snapshots stand in, dated
    assert "встроенный снимок списка от 29.07.2026" in r.text
    # an empty workspace sends the review page to the start screen
    r = client.get(f"/{TOKEN}/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/{TOKEN}/start"


def test_upload_that_is_not_an_export_is_refused_and_deleted(app: App, db: Path, installed: Path) -> None:
    client, _ = app
    r = _upload(client, "notes.txt", "просто текст\n".encode())
    assert r.status_code == 400
    assert r.json()["error"].startswith("«notes.txt»: это не выгрузка")
    assert "\n" not in r.json()["error"]
    r = _upload(client, "holiday.zip", zip_folder_of({"photo.txt": b"not an export"}))
    assert r.status_code == 400 and "не выгрузка" in r.json()["error"]
    r = _upload(client, "empty.zip", b"")
    assert r.status_code == 400 and "пустой" in r.json()["error"]
    assert _uploads(db) == [] and _imports(db) == 0


def zip_folder_of(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_zip_bomb_is_refused(app: App, db: Path, installed: Path) -> None:
    client, _ = app
    bomb = zip_folder_of({"wall0.html": b"<html>" + b"0" * (3 * 1024**2)})  # expands ~1000x
    assert len(bomb) < 64 * 1024
    r = _upload(client, "Archive.zip", bomb)
    assert r.status_code == 400 and "ZIP-бомбу" in r.json()["error"]
    assert _uploads(db) == [] and _imports(db) == 0


def test_upload_over_the_limit_is_refused(app: App, db: Path, installed: Path) -> None:
    client, _ = app
    r = _upload(client, "big.zip", b"PK" + b"\0" * (9 * 1024**2))
    assert r.status_code == 413 and "больше 1 ГБ" in r.json()["error"]
    assert _uploads(db) == []


def test_paths_that_are_not_exports_are_refused(app: App, db: Path, installed: Path, tmp_path: Path) -> None:
    client, _ = app
    text = tmp_path / "letter.txt"
    text.write_text("Дорогой друг", "utf-8")
    cases = {
        str(tmp_path / "nope.zip"): "такого файла или папки нет",
        "relative/Archive.zip": "укажите полный путь",
        "/dev/null": "это не файл и не папка",
        str(text): "это не выгрузка",
        "": "такого файла или папки нет",
    }
    for path, words in cases.items():
        r = client.post(f"/{TOKEN}/open", data={"path": path}, headers=SAME)
        assert r.status_code == 400, path
        assert words in r.text, (path, r.text[:300])
        assert 'role="alert"' in r.text
    assert _uploads(db) == [] and _imports(db) == 0


def test_a_job_runs_to_the_end_on_the_demo_history(app: App, db: Path, installed: Path) -> None:
    client, jobs = app
    r = _upload(client, "demo-history.jsonl", installed.read_bytes())
    assert r.status_code == 200, r.text
    assert r.json()["platform"] == "generic" and r.json()["job"]["state"] == "running"
    s = wait_job(client)
    assert s["state"] == "done", s
    assert s["stage"] == "done" and s["headline"] == "Готово" and s["percent"] == 100
    assert s["result"]["items"] == 13 and s["result"]["added"] == 13 and s["result"]["findings"] > 0
    assert "записей" in s["counts_text"]
    # the upload stays in the workspace folder, the item's source
    assert [p.name for p in _uploads(db)] == ["demo-history.jsonl"]
    page = client.get(f"/{TOKEN}/start").text  # a reload shows the same, finished, state
    assert "Готово" in page and "Итог проверки" in page and "Смотреть находки" in page
    assert "Что дальше" in page and "Ничего не удаляется" in page
    review = client.get(f"/{TOKEN}/").text
    assert review.count('class="card ') >= 5 and "Итог проверки" in review
    assert "Применить" in review and "Ничего не удаляется" in review
    assert "<script>alert" not in review  # the demo's hostile comment is text


def test_second_archive_adds_to_the_same_workspace(app: App, db: Path, installed: Path) -> None:
    client, _ = app
    assert _upload(client, "demo-history.jsonl", installed.read_bytes()).status_code == 200
    assert wait_job(client)["state"] == "done"
    r = _upload(client, "Archive.zip", zip_folder(VK_ARCHIVE))
    assert r.status_code == 200, r.text
    assert r.json()["platform"] == "vk"
    s = wait_job(client)
    assert s["state"] == "done", s
    with Store.open(db) as store:
        platforms = dict(store.conn.execute("SELECT platform, count(*) FROM items GROUP BY platform"))
    assert platforms["generic"] == 13 and platforms["vk"] > 0
    assert s["result"]["items"] == sum(platforms.values())
    page = client.get(f"/{TOKEN}/start").text
    assert "<th scope=\"row\">ВКонтакте</th>" in page and "<th scope=\"row\">общий формат</th>" in page


def test_path_on_disk_runs_a_job(app: App, db: Path, installed: Path) -> None:
    client, _ = app
    r = client.post(f"/{TOKEN}/open", data={"path": f'"{VK_ARCHIVE}"'}, headers=SAME, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/{TOKEN}/start"
    assert wait_job(client)["state"] == "done"
    assert _uploads(db) == []  # read where it is, not copied


def test_without_an_installed_list_the_packaged_snapshot_is_used_and_dated(
        app: App, db: Path, demo: tuple[Path, Path]) -> None:
    client, _ = app
    page = client.get(f"/{TOKEN}/start").text
    assert "встроенный снимок списка от 09.07.2025" in page and "Ни один список ещё не установлен" not in page
    r = _upload(client, "demo-history.jsonl", demo[1].read_bytes())
    assert r.status_code == 200, r.text
    s = wait_job(client)
    assert s["state"] == "done" and s["result"]["list_version"] == "fsm-2025-07-09-522073ae"


def test_no_list_at_all_is_said_before_uploading(app: App, db: Path, demo: tuple[Path, Path], no_snapshots: None
                                                 ) -> None:
    client, _ = app
    r = _upload(client, "demo-history.jsonl", demo[1].read_bytes())
    assert r.status_code == 400 and "Сначала установите список" in r.json()["error"]
    assert "Ни один список ещё не установлен" in client.get(f"/{TOKEN}/start").text
    assert _uploads(db) == []


def test_list_installed_from_a_file_through_the_page(app: App, demo: tuple[Path, Path]) -> None:
    client, jobs = app
    r = client.post(f"/{TOKEN}/lists/install?list=fsm&name=exportfsm.csv", content=demo[0].read_bytes(),
                    headers={"content-type": "application/octet-stream", **SAME})
    assert r.status_code == 200, r.text
    s = wait_job(client)
    assert s["state"] == "done" and s["kind"] == "lists"
    assert any("ФСЭМ: установлена версия fsm-" in line for line in s["result"]["lines"])  # in the words of the app
    assert "версия от 20.01.2024" in client.get(f"/{TOKEN}/start").text
    r = client.post(f"/{TOKEN}/lists/install?list=nope&name=x.csv", content=b"x",
                    headers={"content-type": "application/octet-stream", **SAME})
    assert r.status_code == 400 and "такого списка нет" in r.json()["error"]


def _slow_scan(started: list[Job]) -> Any:
    def fake(db: Path, path: Path, **kw: Any) -> Any:
        listen = kw["listen"]
        for i in range(10_000):
            listen("importing", i, None)
            time.sleep(0.01)
        raise AssertionError("never cancelled")

    return fake


def test_cancel_and_busy(app: App, db: Path, installed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    client, jobs = app
    monkeypatch.setattr(jobs_module, "run_scan", _slow_scan([]))
    assert _upload(client, "demo-history.jsonl", installed.read_bytes()).status_code == 200
    time.sleep(0.2)
    s = client.get(f"/{TOKEN}/job").json()
    assert s["state"] == "running" and s["stage"] == "importing" and s["done"] > 0
    assert "Чтение архива" in s["headline"]
    page = client.get(f"/{TOKEN}/start").text
    assert 'data-state="running"' in page and "Остановить" in page
    r = _upload(client, "again.jsonl", installed.read_bytes())
    assert r.status_code == 409 and "Проверка ещё идёт" in r.json()["error"]
    r = client.post(f"/{TOKEN}/open", data={"path": str(VK_ARCHIVE)}, headers=SAME)
    assert r.status_code == 409
    r = client.post(f"/{TOKEN}/job/cancel", headers=SAME, follow_redirects=False)
    assert r.status_code == 303
    s = wait_job(client, 10)
    assert s["state"] == "cancelled" and "Остановлено" in s["headline"]


def test_cancel_during_import_rolls_the_import_back(db: Path, installed: Path, tmp_path: Path) -> None:
    lines = [f'{{"id": "n{i}", "kind": "post", "date": "2020-01-01T10:00:00+03:00", "text": "пост {i}"}}'
             for i in range(500)]
    hist = tmp_path / "many.jsonl"
    hist.write_text("\n".join(lines) + "\n", "utf-8")
    run_scan(db, installed, ocr=False, progress=False)  # an earlier import stays
    heard: list[tuple[str, int, int | None]] = []

    def listen(stage: str, done: int, total: int | None) -> None:
        heard.append((stage, done, total))
        if stage == "importing" and done >= 128:
            raise Cancelled

    with pytest.raises(Cancelled):
        run_scan(db, hist, ocr=False, progress=False, listen=listen)
    importing = [h for h in heard if h[0] == "importing"]
    assert importing[0] == ("importing", 0, None) and importing[1] == ("importing", 1, None)  # the first item
    assert heard[-1][0] == "importing" and 128 <= heard[-1][1] < 200
    with Store.open(db) as store:
        assert store.conn.execute("SELECT count(*) FROM items").fetchone()[0] == 13
        assert store.conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 1


def test_scan_tells_its_stages_in_order(db: Path, installed: Path) -> None:
    heard: list[tuple[str, int, int | None]] = []
    run_scan(db, installed, ocr=False, progress=False, listen=lambda *a: heard.append(a))
    stages = list(dict.fromkeys(s for s, _, _ in heard))
    assert stages == ["loading", "opening", "importing", "pictures", "matching", "saving"]
    assert heard[0][:2] == ("loading", 0)  # at once, before the lists load
    assert ("importing", 1, None) in heard  # the first item is told at once
    assert ("importing", 13, 13) in heard and heard[-1] == ("saving", 13, 13)


def test_first_stages_show_no_item_counts() -> None:
    """Loading the lists and opening the archive count steps, not items: the page names the stage only."""
    job = Job(1, "scan", "x")
    job.listen("loading", 3, 9)
    view = job_view(job.snapshot(), "ru")
    assert view["headline"] == "Загрузка списков…" and "записей" not in view["counts_text"]
    job.listen("opening", 0, 40)
    assert job_view(job.snapshot(), "en")["headline"].startswith("Opening the archive")
    job.listen("importing", 1, None)
    assert "1 запись ·" in job_view(job.snapshot(), "ru")["counts_text"]
    job.listen("importing", 5, 21)
    assert "5 из 21 записи" in job_view(job.snapshot(), "ru")["counts_text"]


def test_job_record_rate_and_time_left() -> None:
    job = Job(1, "scan", "x")
    job.stage_started -= 2.0
    job.stage = "matching"
    job.listen("matching", 100, 300)
    snap = job.snapshot()
    assert snap["rate"] and 40 < snap["rate"] < 60 and snap["eta"] is not None and 3 <= snap["eta"] <= 5
    job.cancel.set()
    with pytest.raises(Cancelled):
        job.listen("matching", 101, 300)
