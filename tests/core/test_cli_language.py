"""Issue 22 (the command line): everything the CLI says is in the person's language.

Through click's runner, in Russian: the ``--help`` of every command of the tree, a demo, a list installed from a
file, a scan of the demo files, a report, ``lists show``, ``check "…"`` and two usage errors (an unknown option, a
missing argument) hold no English word and no internal code (:func:`tests.russian.foreign_words`); the same in
English (``--lang en``) holds no Russian word of the CLI's own. What is exempt is what the person types (command
names, option values, the names of environment variables and of the columns of a file the command reads) and
what comes from the data (the demo's posts and list entries, the lists' versions and checksums, paths).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from repostguard import i18n
from repostguard.banks.fsm import installed_meta
from repostguard.cli import cli
from repostguard.cli.demo import DEMO_HISTORY, DEMO_LIST, write_demo_files
from repostguard.cli.lang import localize, patch_click
from tests.russian import foreign_words

#: what the person types or a file's fixed names, named in the help: not words of the interface
SYNTAX = ("REPOSTGUARD_HOME", "hash,label,reference[,quality]", "item, action, note", "backups/", "dossier-",
          "not-a-match")
#: a Russian word: a run of Cyrillic letters
_CYRILLIC = re.compile(r"[А-Яа-яЁё]+")


@pytest.fixture(autouse=True)
def _click_in_the_language() -> Iterator[None]:
    """As ``main`` does: click's words and the help texts through the catalogues; English again afterwards."""
    patch_click()
    localize(cli)
    yield
    token = i18n.LANG.set("en")
    try:
        localize(cli)
    finally:
        i18n.LANG.reset(token)


def _commands(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from _commands(sub, (*path, name))


def _typed() -> list[str]:
    """Everything the person types on the command line: command names, options (``-h``), choices, defaults
    that are paths; longest first."""
    out: set[str] = {*SYNTAX, "-h"}
    for path, command in _commands(cli):
        out.update(path)
        for param in command.params:
            out.update(param.opts)
            if isinstance(param.type, click.Choice):
                out.update(str(c) for c in param.type.choices)
            if isinstance(param.default, Path):
                out.add(str(param.default))
    return sorted(out, key=len, reverse=True)


def _untyped(text: str) -> str:
    """``text`` without what the person types (each as a whole word: ``repost`` is not taken out of
    ``repostguard``)."""
    text = re.sub(r"-\n\s+", "-", text)  # a choice cut at its hyphen by the help's line wrapping
    for word in _typed():
        text = re.sub(rf"(?<![\w./-]){re.escape(word)}(?![\w/-]|\.\w)", " ", text)
    return text


def _data_texts() -> list[str]:
    """The demo's data: its posts (texts, attachments, reposted pages), its ids and its list's entries."""
    texts: list[str] = []
    for rec in DEMO_HISTORY:
        texts += [rec["id"], rec.get("text", "")]
        for att in rec.get("attachments", []):
            texts += [str(v) for v in att.values()]
        texts += [str(v) for v in rec.get("reposted_from", {}).values()]
    texts += [text for _, text, _ in DEMO_LIST]
    return [x for x in texts if x]


def _data(extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The data as ``foreign_words`` takes it: the whole texts, then each of their words with Latin letters (an
    address also without its scheme, as the explanations quote it), then ``extra``."""
    out = _data_texts()
    for text in list(out):
        for token in text.split():
            token = re.sub(r"^[«(]+|[»()!.,;:]+$", "", token)
            if re.search("[A-Za-z]", token):
                out += [token, re.sub(r"^https?://(?:www\.)?", "", token)]
    return (*out, *extra)


def _run(args: list[str], code: int = 0) -> str:
    res = CliRunner().invoke(cli, args, prog_name="repostguard")
    assert res.exit_code == code, (args, res.output, res.exception)
    return res.output


def _session(tmp_path: Path, lang: list[str]) -> tuple[dict[str, str], tuple[str, ...]]:
    """Every output of the session (``--help`` of each command, then the runs), and the data they show."""
    out = {" ".join(path) or "repostguard": _run([*lang, *path, "--help"]) for path, _ in _commands(cli)}
    lst, hist = write_demo_files(tmp_path / "files")
    db = str(tmp_path / "w.sqlite")
    out["demo"] = _run([*lang, "demo", "--dir", str(tmp_path / "demo")])
    out["lists update"] = _run([*lang, "lists", "update", "--from", str(lst)])
    out["scan"] = _run([*lang, "scan", str(hist), "--db", db, "--no-ocr"])
    out["report"] = _run([*lang, "report", "--db", db, "-o", str(tmp_path / "report.html")])
    out["lists show"] = _run([*lang, "lists", "show"])
    out["check"] = _run([*lang, "check", "Вспомнилось: Мы пришли из страны, которой нет"], code=1)
    out["unknown option"] = _run([*lang, "scan", "--no-such-option"], code=2)
    out["missing argument"] = _run([*lang, "dossier"], code=2)
    checked = json.loads(_run(["check", "--json", "текст"]))["lists"]
    meta = installed_meta() or {}
    versions = (*(x["version"] for x in checked), meta.get("sha256", ""), str(tmp_path))
    return out, _data(versions)


def test_the_command_line_speaks_russian(tmp_path: Path) -> None:
    out, data = _session(tmp_path, [])
    assert out["repostguard"].startswith("Использование: repostguard [ПАРАМЕТРЫ] [КОМАНДА]")
    assert "Ошибка: Нет такого параметра: '--no-such-option'." in out["unknown option"]
    assert "Ошибка: Не указан аргумент 'ЗАПИСЬ'." in out["missing argument"]
    assert re.search(r"проверено 13 записей по fsm-\S+ за \d+,\d с: 10 записей с совпадениями, \d+ совпадени",
                     out["scan"])
    assert "ФСЭМ: установлена версия fsm-" in out["lists update"]
    assert "[распространение] ФСЭМ, запись № 5" in out["check"]
    foreign = {name: words for name, text in out.items() if (words := foreign_words(_untyped(text), data=data))}
    assert foreign == {}


def test_the_command_line_speaks_english(tmp_path: Path) -> None:
    out, data = _session(tmp_path, ["--lang", "en"])
    assert out["repostguard"].startswith("Usage: repostguard [OPTIONS] [COMMAND]")
    assert "Error: No such option '--no-such-option'." in out["unknown option"]
    assert "Error: Missing argument 'ITEM'." in out["missing argument"]
    assert re.search(r"scanned 13 items against fsm-\S+ in \d+\.\d s: 10 items flagged", out["scan"])
    data_words = {w.lower() for text in data for w in _CYRILLIC.findall(text)}
    russian = {}
    for name, text in out.items():
        text = _untyped(text)
        for d in sorted(data, key=len, reverse=True):
            text = text.replace(d, " ")
        # a word of the data, or the start of one (an explanation quotes a title cut at its length)
        words = [w for w in _CYRILLIC.findall(text)
                 if not any(d.startswith(w.lower()) for d in data_words)]
        if words:
            russian[name] = words
    assert russian == {}
