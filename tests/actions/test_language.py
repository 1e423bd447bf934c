"""The clean-up speaks the person's language: in Russian no English word and no internal code (platforms by
label, actions, routes, kinds and statuses in words), in English no Russian but the data."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes.vk_server import serve

from repostguard.actions import checklist
from repostguard.actions.planner import build_plan, load_plan
from repostguard.cli import cli
from repostguard.errors import InputError, UserError
from repostguard.store import Store
from tests.russian import foreign_words

from .conftest import PASSPHRASE, TOKEN, Workspace, fake_state

#: the commands a message tells the person to type stay as they are typed
COMMANDS = ("repostguard clean tick", "repostguard clean plan", "repostguard decide")


def _data(db: Path) -> tuple[str, ...]:
    """What comes from the data: every item's ref, text preview and address."""
    with Store.open(db) as store:
        rows = store.conn.execute("SELECT ref, text, url FROM items").fetchall()
        previews = tuple(e.preview for e in build_plan(store).entries)
    return tuple(v for r in rows for v in r if v) + previews + COMMANDS


def _invoke(args: list[str]) -> str:
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0, res.output
    return res.output


def _page_text(page: str) -> str:
    return html.unescape(re.sub(r"<style>.*?</style>|<[^>]+>", " ", page, flags=re.S))


def test_plan_run_status_and_checklist_say_everything_in_russian(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(workspace.db)
    data = _data(workspace.db)
    outputs = [
        _invoke(["clean", "plan", "--db", db, "--out", str(tmp_path / "plan.json")]),
        _invoke(["clean", "run", "--db", db]),  # the dry run: the table, the advice, the entries
    ]
    assert "платформа" in outputs[0] and "через API платформы" in outputs[0] and "вручную" in outputs[0]
    assert "удалить" in outputs[1] and "скрыть" in outputs[1] and "Пробный запуск" in outputs[1]
    note = json.loads((tmp_path / "plan.json").read_text("utf-8"))["note"]
    assert note.startswith("Можно править")
    st = fake_state(workspace)
    st.denied.add(workspace.keys[workspace.delete_ids[0]])  # a refusal, to have every kind of line
    with serve(st) as url:
        for k, v in {"REPOSTGUARD_VK_API_URL": url, "REPOSTGUARD_VK_TOKEN": TOKEN,
                     "REPOSTGUARD_BACKUP_PASSPHRASE": PASSPHRASE}.items():
            monkeypatch.setenv(k, v)
        outputs.append(_invoke(["clean", "run", "--yes", "--db", db, "--pace", "0", "--jitter", "0",
                                "--backup", str(tmp_path / "b.rgbk"), "--checklist", str(tmp_path / "c.html")]))
    assert "удалено сейчас: " in outputs[-1] and "что сделать вручную — 2 пункта" in outputs[-1]
    outputs.append(_invoke(["clean", "status", "--all", "--db", db]))
    assert "последнее в журнале: платформа отказала, через API платформы" in outputs[-1]
    outputs.append(_invoke(["backup", "open", str(tmp_path / "b.rgbk")]))
    outputs.append(_invoke(["clean", "checklist", "--all", "--db", db, "--out", str(tmp_path / "all.html")]))
    for out in outputs:
        assert foreign_words(out, data=data) == [], out
    for page in ("c.html", "all.html"):
        text = _page_text((tmp_path / page).read_text("utf-8"))
        assert "запись · " in text and "удалить" in text
        assert foreign_words(text, data=data) == [], text


def test_refusals_are_said_in_russian(workspace: Workspace, tmp_path: Path) -> None:
    data = _data(workspace.db)
    f = tmp_path / "plan.json"
    with Store.open(workspace.db) as store:
        build_plan(store).write(f, store)
        plan = json.loads(f.read_text("utf-8"))
        refused: list[str] = []
        for entry in ({"item": "vk:nothing", "action": "delete"}, {"item": plan["entries"][0]["item"]}):
            f.write_text(json.dumps({**plan, "entries": [entry]}), encoding="utf-8")
            with pytest.raises(InputError) as ei:
                load_plan(f, store)
            refused.append(str(ei.value))
        keep = store.conn.execute("SELECT ref FROM items WHERE id=?", (workspace.keep_ids[0],)).fetchone()[0]
        f.write_text(json.dumps({**plan, "entries": [{"item": keep, "action": "delete"}]}), encoding="utf-8")
        with pytest.raises(InputError) as ei:
            load_plan(f, store)
        refused.append(str(ei.value))
        assert "решение: «Оставить»" in refused[-1]
        with pytest.raises(UserError) as eu:
            checklist.tick(store, keep)
        refused.append(str(eu.value))
    assert refused[0].startswith(f"{f}: запись плана 1: записи 'vk:nothing' нет в рабочей базе")
    typed = ("'vk:nothing'", "'None'", "None", "action", "delete, hide, keep")  # what the plan file holds
    for message in refused:
        assert foreign_words(message, data=data + typed) == [], message


def test_plan_run_and_status_in_english(workspace: Workspace) -> None:
    db = str(workspace.db)
    data = _data(workspace.db)
    out = "".join(_invoke(["--lang", "en", "clean", *args, "--db", db]) for args in (["plan"], ["run"], ["status"]))
    assert "through the platform's API" in out and "by hand" in out
    assert "Dry run: nothing was sent" in out and "Before deleting" in out
    assert f"gone: 0; still online: {len(workspace.delete_ids)}" in out
    for d in sorted((*data, "81-АД21-9-К8", "575-О"), key=len, reverse=True):  # the rulings' numbers are Russian
        out = out.replace(d, " ")
    assert re.findall(r"[А-Яа-яЁё]+", out) == []
