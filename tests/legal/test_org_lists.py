"""Organisation lists: parsing every accepted format, refusing broken files, installing and versioning."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repostguard.banks.orgs import (
    diff_org_lists,
    install_org_bytes,
    installed_org_meta,
    load_org_list,
    parse_org_bytes,
    parse_org_file,
    update_org,
)
from repostguard.banks.registry import update_lists
from repostguard.errors import ListError, UserError

from .conftest import EXTREMIST, LISTS, need, write_json


def rg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-m", "repostguard", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


@pytest.mark.parametrize("kind,count", [("extremist", 674), ("terrorist", 74), ("undesirable", 367)])
def test_shared_snapshots_parse(kind: str, count: int) -> None:
    lst = parse_org_file(need(LISTS / f"{kind}-orgs.json"), kind)
    assert len(lst.entries) <= count and len(lst.entries) >= count - 5  # exact duplicates are merged
    assert lst.version.startswith(f"orgs-{kind}-")
    if kind == "extremist":
        assert sum(e.person_group for e in lst.entries) >= 15
    if kind == "undesirable":
        assert all(e.included for e in lst.entries)
        assert lst.last_inclusion is not None and lst.last_inclusion.year == 2026


def test_json_array_fields(extremist_file: Path) -> None:
    lst = parse_org_file(extremist_file, "extremist")
    fbk = next(e for e in lst.entries if "ФБК" in e.aliases)
    assert fbk.included is not None and fbk.included.isoformat() == "2021-06-09"
    assert next(e for e in lst.entries if e.is_person).matchable is False
    assert next(e for e in lst.entries if "Рижский хлеб" in e.aliases).person_group


def test_registry_answer_with_exclusions() -> None:
    doc = {
        "size": 2,
        "values": [
            {"field_2_s": "29.07.2015", "field_5_s": "«Фонд А» (Foundation A)", "field_10_s": ""},
            {
                "field_2_s": "01.12.2015",
                "field_5_s": "Фонд Б",
                "field_8_s": "01.01.2020",
                "field_10_s": "Исключена",
            },
        ],
    }
    lst = parse_org_bytes(json.dumps(doc, ensure_ascii=False).encode(), "undesirable", "reg.json")
    assert lst.fmt == "registry-json"
    assert [e.excluded for e in lst.entries] == [False, True]
    assert lst.entries[0].aliases == ["Фонд А"]


def test_html_table_and_numbered_list() -> None:
    table = (
        "<html><body><table><tr><th>№</th><th>Наименование</th><th>Решение</th></tr>"
        "<tr><td>1.</td><td>«База» («Аль-Каида»)</td><td>решение ВС РФ от 14.02.2003</td></tr>"
        "<tr><td>2</td><td>«Братья-мусульмане»</td><td>там же</td></tr></table></body></html>"
    )
    lst = parse_org_bytes(table.encode(), "terrorist", "terror.htm")
    assert [e.name for e in lst.entries] == ["«База» («Аль-Каида»)", "«Братья-мусульмане»"]
    assert "Аль-Каида" in lst.entries[0].aliases
    numbered = (
        "<html><body><ol><li>1. Межрегиональная общественная организация «Национал-большевистская партия» "
        "(решение Московского городского суда от 19.04.2007);</li><li>2. Движение «Х» исключено</li>"
        "</ol></body></html>"
    )
    lst = parse_org_bytes(numbered.encode(), "extremist", "7822.html")
    assert lst.entries[0].name.endswith("«Национал-большевистская партия»")
    assert lst.entries[1].excluded


@pytest.mark.parametrize(
    "data,where",
    [
        (b"", "пустой файл"),
        (b'[{"name": "A"}, 5]', "элемент [1]: ожидался объект"),
        (b'[{"aliases": []}]', "элемент [0]: не указано название"),
        (b'[{"name": "A", "dateIn": "yesterday"}]', "элемент [0]: дата включения «yesterday»"),
        (b'[{"name": "A", "aliases": "B"}]', "элемент [0]: другие названия должны быть списком строк"),
        (b'{"name": 1}', "ни список организаций, ни ответ реестра"),
        (b'[{"name": "A",', "строка 1: не JSON"),
        (b"#;\xcc\xe0\xf2\xe5\xf0\xe8\xe0\xeb;\r\n1;x;\r\n", "ни JSON, ни HTML"),
        (b"<html><body><p>nothing here</p></body></html>", "записей не найдено"),
    ],
)
def test_broken_files_are_refused_with_file_and_place(tmp_path: Path, data: bytes, where: str) -> None:
    p = tmp_path / "bad.json"
    p.write_bytes(data)
    with pytest.raises(ListError) as e:
        parse_org_file(p, "extremist")
    msg = str(e.value)
    assert str(p) in msg and where in msg and "\n" not in msg


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(lambda s: s.encode()),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
            max_leaves=12,
        ).map(lambda o: json.dumps(o).encode()),
    )
)
def test_junk_input_gives_list_error_or_a_list(data: bytes) -> None:
    for kind in ("extremist", "sites"):
        try:
            lst = parse_org_bytes(data, kind, "junk")
        except ListError as e:
            assert "junk" in str(e) and "\n" not in str(e)
        else:
            assert lst.entries


def test_install_versions_and_diff(tmp_path: Path, extremist_file: Path) -> None:
    out = update_org("extremist", from_file=extremist_file)
    assert "установлена версия orgs-extremist-" in out
    first = installed_org_meta("extremist")
    assert first is not None and first["entries"] == len(EXTREMIST) and first["source"] == str(extremist_file)
    rows = [*EXTREMIST, {"name": "Движение «Новое»", "aliases": ["Новое движение"], "dateIn": "01.10.2025"}]
    rows[1] = {**rows[1], "excluded": True}
    out = update_org("extremist", from_file=write_json(tmp_path / "v2.json", rows))
    assert "добавлено: 1, исключено: 1" in out and "recheck" in out
    state = json.loads((tmp_path / "home" / "lists" / "orgs-extremist" / "state.json").read_text())
    assert state["previous"] == first["sha256"] and state["current"] != first["sha256"]
    cur = load_org_list("extremist")
    prev = load_org_list("extremist", "previous")
    assert cur is not None and prev is not None
    d = diff_org_lists(prev[0], cur[0])
    assert len(d["added"]) == 1 and len(d["excluded"]) == 1 and not d["removed"]
    # the data file and the provenance are separate files
    bank_dir = tmp_path / "home" / "lists" / "orgs-extremist"
    assert (bank_dir / f"{state['current']}.list.json").exists() and (
        bank_dir / f"{state['current']}.json"
    ).exists()


def test_truncated_list_is_refused_and_keeps_the_installed_one(tmp_path: Path, extremist_file: Path) -> None:
    update_org("extremist", from_file=extremist_file)
    before = installed_org_meta("extremist")
    with pytest.raises(UserError, match="2 записи — намного меньше, чем в установленном списке"):
        install_org_bytes(json.dumps(EXTREMIST[:2], ensure_ascii=False).encode(), "extremist", "short.json")
    assert installed_org_meta("extremist") == before


def test_from_without_list_on_json_says_to_add_list(extremist_file: Path) -> None:
    with pytest.raises(UserError, match="--list extremist"):
        update_lists(None, from_file=extremist_file)


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802
        code, body = self.routes.get(self.path, (404, b"not found"))
        self.send_response(code)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a: object) -> None:
        pass


def test_cli_update_all_official_then_mirror(tmp_path: Path, extremist_file: Path) -> None:
    from tests.core.conftest import write_list

    fsm = write_list(tmp_path / "fsm.csv", [("1", "Книга «Пример длинного названия книги»", "01.02.2020")])
    srv = HTTPServer(("127.0.0.1", 0), _Handler)
    _Handler.routes = {
        "/fsm.csv": (200, fsm.read_bytes()),
        "/ext-down": (503, b"down"),
        "/ext-mirror": (200, extremist_file.read_bytes()),
        "/terror": (
            200,
            b"<html><table><tr><td>1</td><td>\xc2\xabX\xc2\xbb \xd0\x93\xd1\x80\xd1\x83"
            b"\xd0\xbf\xd0\xbf\xd0\xb0</td></tr></table></html>",
        ),
    }
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{srv.server_port}"
    try:
        env = {
            "REPOSTGUARD_HOME": str(tmp_path / "home"),
            "REPOSTGUARD_FSM_URL": f"{base}/fsm.csv",
            "REPOSTGUARD_EXTREMIST_URL": f"{base}/ext-down",
            "REPOSTGUARD_EXTREMIST_MIRRORS": f"{base}/ext-mirror",
            "REPOSTGUARD_TERRORIST_URL": f"{base}/terror",
            "REPOSTGUARD_UNDESIRABLE_URL": f"{base}/missing",
        }
        r = rg("lists", "update", env=env)
        assert r.returncode == 0, r.stderr
        assert "ФСЭМ: установлена версия fsm-" in r.stdout
        assert "(Минюст): установлена версия orgs-extremist-" in r.stdout and f"источник: {base}/ext-mirror" in r.stdout
        assert "установлена версия orgs-terrorist-" in r.stdout
        assert "примечание: Перечень нежелательных организаций (Минюст): список не обновлён" in r.stdout
        assert "404" in r.stdout
        r = rg("lists", "update", "--list", "terrorist", "--from", str(tmp_path / "nope.html"), env=env)
        assert r.returncode == 2 and "nope.html" in r.stderr
    finally:
        srv.shutdown()
