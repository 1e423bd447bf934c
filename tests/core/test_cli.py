"""The CLI as a person uses it: scan, lists update/show/diff, report, demo, and bad input."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from repostguard.store import Store

from .conftest import FSM_2021, FSM_2025, FSM_MIXED, need, write_list
from .test_store import RECS, write_items


def rg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([sys.executable, "-m", "repostguard", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


def test_scan_writes_findings_json(tmp_path: Path, demo_list: Path) -> None:
    from repostguard.cli.demo import DEMO_HISTORY

    hist = write_items(tmp_path / "h.jsonl", DEMO_HISTORY)
    out = tmp_path / "f.json"
    r = rg("scan", str(hist), "--fsm", str(demo_list), "--json", str(out), "--db", str(tmp_path / "w.sqlite"),
           "--no-ocr")
    assert r.returncode == 0, r.stderr
    assert "проверено 13 записей" in r.stdout
    data = json.loads(out.read_text("utf-8"))
    assert data["list"]["version"].startswith("fsm-") and data["list"]["entries"] == 14
    assert data["counts"]["items"] == 13
    f = next(f for f in data["findings"] if f["item"] == "demo-1")
    for key in ("item", "bank", "entry", "level", "signal", "score", "evidence", "explanation", "list_version",
                "platform", "native_id"):
        assert key in f
    assert (f["bank"], f["entry"], f["level"]) == ("fsm", 1, "distribution")
    assert set(f["explanation"]) == {"ru", "en"}


def test_scan_without_a_list_uses_the_packaged_snapshot_and_says_how_old(tmp_path: Path) -> None:
    hist = write_items(tmp_path / "h.jsonl", RECS)
    r = rg("scan", str(hist), "--db", str(tmp_path / "w.sqlite"), "--no-ocr")
    assert r.returncode == 0, r.stderr  # offline, against the list the package carries
    assert "по fsm-2025-07-09-522073ae" in r.stdout
    assert re.search(r"встроенный снимок списка от 09\.07\.2025, \d+ (день|дня|дней) назад; обновите списки", r.stdout)
    assert "lists update" in r.stdout


@pytest.mark.parametrize("content, words", [("{broken", "строка 2"), ('{"text": "x"}', "без поля «id»")])
def test_one_bad_line_is_a_counted_warning(tmp_path: Path, demo_list: Path, content: str, words: str) -> None:
    f = tmp_path / "bad.jsonl"
    f.write_text(json.dumps(RECS[0]) + "\n" + content + "\n", "utf-8")
    db = tmp_path / "w.sqlite"
    r = rg("scan", str(f), "--fsm", str(demo_list), "--db", str(db), "--json", str(tmp_path / "o.json"))
    assert r.returncode == 0, r.stderr
    assert "пропущена 1 запись" in r.stderr and str(f) in r.stderr and words in r.stderr
    with Store.open(db) as st:
        assert st.count_items() == 1


@pytest.mark.parametrize("content, words", [("{broken", "строка 1"), ('{"text": "x"}', "без поля «id»")])
def test_a_file_with_no_readable_line_is_one_line_exit_2(tmp_path: Path, demo_list: Path, content: str,
                                                        words: str) -> None:
    f = tmp_path / "bad.jsonl"
    f.write_text(content + "\n" + content + "\n", "utf-8")
    db = tmp_path / "w.sqlite"
    r = rg("scan", str(f), "--fsm", str(demo_list), "--db", str(db), "--json", str(tmp_path / "o.json"))
    assert r.returncode == 2
    err = r.stderr.strip()
    assert len(err.splitlines()) == 1 and str(f) in err and (words in err)
    assert not (tmp_path / "o.json").exists()


def test_missing_file_and_wrong_format(tmp_path: Path, demo_list: Path) -> None:
    r = rg("scan", str(tmp_path / "nope.zip"), "--fsm", str(demo_list), "--db", str(tmp_path / "w.sqlite"))
    assert r.returncode == 2 and "нет такого файла или папки" in r.stderr
    odd = tmp_path / "notes.txt"
    odd.write_text("just some notes", "utf-8")
    r = rg("import", str(odd), "--db", str(tmp_path / "w.sqlite"))
    assert r.returncode == 2 and "в общем формате" in r.stderr


def test_lists_update_from_file_keeps_provenance_and_previous(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {"REPOSTGUARD_HOME": str(home)}
    r = rg("lists", "update", "--from", str(need(FSM_2021)), env=env)
    assert r.returncode == 0, r.stderr
    assert "fsm-2021-09-08" in r.stdout
    r = rg("lists", "update", "--from", str(need(FSM_2025)), env=env)
    assert r.returncode == 0, r.stderr
    added = int(re.search(r"добавлено: (\d+)", r.stdout).group(1))  # type: ignore[union-attr]
    assert 250 <= added <= 300
    show = rg("lists", "show", env=env)
    assert "522073ae953da53f49e406cbb4a49a6a13ad4ebc7979441e9af3c8ab84f7f3de" in show.stdout
    assert "предыдущая версия" in show.stdout and "fsm-2021-09-08" in show.stdout
    assert "5441" in show.stdout
    state = json.loads((home / "lists" / "fsm" / "state.json").read_text())
    meta = json.loads((home / "lists" / "fsm" / f"{state['current']}.json").read_text())
    assert meta["source"].endswith("exportfsm-2025-07-09.csv") and meta["fetched_at"] and meta["entries"] == 5441
    one = rg("lists", "show", "--entry", "1", env=env)
    assert "Омска" in one.stdout and "2006" in one.stdout
    # the damaged copy is refused and the installed list stays
    bad = rg("lists", "update", "--from", str(need(FSM_MIXED)), env=env)
    assert bad.returncode == 2 and "файл повреждён" in bad.stderr and "строка 4811" in bad.stderr
    assert json.loads((home / "lists" / "fsm" / "state.json").read_text()) == state
    # a much shorter list is refused unless forced
    short = write_list(tmp_path / "short.csv",
                       [("1", "Книга «Вымышленная длинная книга» (решение от 01.01.2010);", "")])
    r = rg("lists", "update", "--from", str(short), env=env)
    assert r.returncode == 2 and "--force" in r.stderr


def test_scan_uses_the_installed_list(tmp_path: Path, demo_list: Path) -> None:
    env = {"REPOSTGUARD_HOME": str(tmp_path / "home")}
    assert rg("lists", "update", "--from", str(demo_list), env=env).returncode == 0
    from repostguard.cli.demo import DEMO_HISTORY

    hist = write_items(tmp_path / "h.jsonl", DEMO_HISTORY)
    r = rg("scan", str(hist), "--db", str(tmp_path / "w.sqlite"), "--no-ocr", env=env)
    assert r.returncode == 0 and "записей с совпадениями" in r.stdout


def test_lists_diff_of_the_two_snapshots() -> None:
    r = rg("lists", "diff", str(need(FSM_2021)), str(need(FSM_2025)), "--json")
    d = json.loads(r.stdout)
    assert 250 <= len(d["added"]) <= 300
    assert min(d["added"]) > 5100


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802
        code, body = self.routes.get(self.path, (404, b"not found"))
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a: object) -> None:
        pass


def test_lists_update_falls_back_to_a_mirror(tmp_path: Path, demo_list: Path) -> None:
    srv = HTTPServer(("127.0.0.1", 0), _Handler)
    _Handler.routes = {"/official.csv": (503, b"down"), "/mirror.csv": (200, demo_list.read_bytes())}
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{srv.server_port}"
    try:
        env = {"REPOSTGUARD_HOME": str(tmp_path / "home"), "REPOSTGUARD_FSM_URL": f"{base}/official.csv"}
        r = rg("lists", "update", "--mirror", f"{base}/mirror.csv", env=env)
        assert r.returncode == 0, r.stderr
        assert f"источник: {base}/mirror.csv" in r.stdout and "503" in r.stdout
        env["REPOSTGUARD_FSM_URL"] = f"{base}/missing.csv"
        r = rg("lists", "update", env=env)
        assert r.returncode == 3 and "404" in r.stderr
    finally:
        srv.shutdown()


def test_scan_makes_no_network_call(tmp_path: Path, demo_list: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from repostguard.cli.demo import DEMO_HISTORY
    from repostguard.pipeline.scan import run_scan

    def refuse(*a: object, **k: object) -> None:
        raise AssertionError("network access during a scan")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    hist = write_items(tmp_path / "h.jsonl", DEMO_HISTORY)
    s = run_scan(tmp_path / "w.sqlite", hist, fsm=demo_list, json_out=tmp_path / "f.json", progress=False)
    assert s.items == 13 and s.findings > 0


def test_demo_and_report_escape_post_text(tmp_path: Path) -> None:
    r = rg("demo", "--dir", str(tmp_path / "d"))
    assert r.returncode == 0, r.stderr
    html = (tmp_path / "d" / "report.html").read_text("utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    # self-contained: no script, no external stylesheet, image or font
    assert not re.search(r"<script|<link|<img|url\(|@import", html)
    assert "<mark>Вымышленный призыв к несуществующему восстанию</mark>" in html
    assert "Материал включён в список после даты публикации" in html
    r2 = rg("report", "--db", str(tmp_path / "d" / "demo.sqlite"), "--format", "json", "-o", str(tmp_path / "r.json"))
    assert r2.returncode == 0, r2.stderr
    data = json.loads((tmp_path / "r.json").read_text("utf-8"))
    levels = [i["level"] for i in data["items"]]
    assert levels == sorted(levels, key=["distribution", "mention"].index)


def test_bench_dev_targets(tmp_path: Path) -> None:
    """The dev benchmark (text signals): the targets of issue 2 hold."""
    from .conftest import BENCH

    items = need(BENCH / "items.jsonl")
    out = tmp_path / "f.json"
    r = rg("scan", str(items), "--fsm", str(need(FSM_2025)), "--db", str(tmp_path / "w.sqlite"), "--json", str(out),
           "--no-ocr", "-q")
    assert r.returncode == 0, r.stderr
    score = subprocess.run([sys.executable, str(BENCH.parent / "score.py"), str(BENCH / "truth.json"), str(out),
                            "--json"], capture_output=True, text=True, check=True)
    res = json.loads(score.stdout)
    per = {k: tuple(map(int, v.split("/"))) for k, v in res["per_template"].items()}
    for t in ("T1-quote", "T2-perturbed", "T3-url", "T5-audio", "T6-listed-source"):
        hit, total = per[t]
        assert hit / total >= 0.95, (t, per[t])
    assert res["precision_distribution"] >= 0.97
    assert res["false_alarm_items_per_1000_negatives"] <= 2.0
