"""The catalogues: every keyed entry in both languages with the same fields, plural forms complete,
every key the code names present, the language chosen as documented, click's own words and every help
text of the command line translated."""

from __future__ import annotations

import re
import string
from pathlib import Path

import click
import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner

from repostguard import i18n
from repostguard.cli import cli
from repostguard.cli.lang import _paragraphs, localize
from repostguard.i18n import LOCALE_DIR, current_lang, t

SRC = Path(__file__).resolve().parents[2] / "src" / "repostguard"
#: domains whose key is the English text itself (the English catalogue is the key)
SOURCE_DOMAINS = ("click", "help")


def _read(lang: str, domain: str) -> dict[str, object]:
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        cat = read_po(fh, locale=lang)
    return {(m.id[0] if isinstance(m.id, (tuple, list)) else m.id): m.string for m in cat if m.id}


def _fields(text: object) -> set[str]:
    texts = text if isinstance(text, (tuple, list)) else (text,)
    return {f for s in texts for _, f, _, _ in string.Formatter().parse(str(s)) if f}


def _domains() -> set[str]:
    return {p.stem for lang in i18n.LANGS for p in (LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")}


def test_every_keyed_entry_has_both_languages_and_the_same_fields() -> None:
    for domain in sorted(_domains() - set(SOURCE_DOMAINS)):
        ru, en = _read("ru", domain), _read("en", domain)
        assert set(ru) == set(en), (domain, sorted(set(ru) ^ set(en))[:10])
        for key in ru:
            for lang, value in (("ru", ru[key]), ("en", en[key])):
                forms = value if isinstance(value, (tuple, list)) else (value,)
                assert all(forms), f"{domain}.po ({lang}): {key} is empty"
            assert _fields(ru[key]) <= _fields(en[key]) | {"n"} and _fields(en[key]) <= _fields(ru[key]) | {"n"}, (
                domain, key, ru[key], en[key])


def _plural_sources(domain: str) -> dict[str, str]:
    """The English plural (``msgid_plural``) of each source entry that has one: its forms may use its fields."""
    with (LOCALE_DIR / "ru" / "LC_MESSAGES" / f"{domain}.po").open("rb") as fh:
        cat = read_po(fh, locale="ru")
    return {m.id[0]: m.id[1] for m in cat if isinstance(m.id, (tuple, list))}


def test_source_domains_are_translated_to_russian() -> None:
    for domain in SOURCE_DOMAINS:
        ru, plurals = _read("ru", domain), _plural_sources(domain)
        for source, value in ru.items():
            assert value, f"{domain}.po: {source!r} has no Russian"
            assert _fields(value) <= _fields(source) | _fields(plurals.get(source, "")), (domain, source, value)


def test_plural_forms_follow_the_language() -> None:
    assert [t("cli_items_n", "ru", n=n) for n in (1, 2, 5, 11, 21, 22, 25, 111)] == [
        "1 запись", "2 записи", "5 записей", "11 записей", "21 запись", "22 записи", "25 записей", "111 записей"]
    assert [t("cli_items_n", "en", n=n) for n in (1, 2, 0)] == ["1 item", "2 items", "0 items"]


def test_every_key_the_code_names_is_in_the_catalogues() -> None:
    keys = i18n.catalogue("ru").messages.keys() | i18n.catalogue("en").messages.keys()
    pattern = re.compile(r"""\b(?:t|Refused|tr)\(\s*["']([a-z][a-z0-9_]*(?:\.[a-z0-9_-]+)?)["']""")
    missing = []
    for path in list(SRC.rglob("*.py")) + list(SRC.rglob("*.html")) + list(SRC.rglob("*.j2")):
        for key in pattern.findall(path.read_text("utf-8")):
            if key not in keys and not key.endswith(("_", ".")):  # a prefix of a key made at run time
                missing.append(f"{path.relative_to(SRC)}: {key}")
    assert missing == []


def test_the_language_is_the_option_then_the_variable_then_the_system(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE", "REPOSTGUARD_LANG"):
        monkeypatch.delenv(var, raising=False)
    assert current_lang() == "ru"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert current_lang() == "en"
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert current_lang() == "ru"  # Russian unless the system speaks English
    monkeypatch.setenv("REPOSTGUARD_LANG", "en")
    assert current_lang() == "en"
    token = i18n.LANG.set("ru")
    try:
        assert current_lang() == "ru"
    finally:
        i18n.LANG.reset(token)


def _help_paragraphs(command: click.Command) -> list[str]:
    out = []
    for text in [command.help or "", command.short_help or ""] + [
            p.help or "" for p in command.params if isinstance(p, click.Option) and not p.hidden]:
        out += [p.strip() for p in text.split("\n\n") if p.strip()]
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            out += _help_paragraphs(sub)
    return out


def test_every_help_text_of_the_command_line_is_in_russian(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPOSTGUARD_LANG", "en")
    localize(cli)  # the English sources
    ru = _read("ru", "help")
    missing = sorted({p for p in _help_paragraphs(cli) if p not in ru})
    assert missing == [], f"{len(missing)} help paragraphs without Russian, e.g. {missing[:5]}"


def test_click_speaks_russian(monkeypatch: pytest.MonkeyPatch) -> None:
    from repostguard.cli.lang import patch_click

    monkeypatch.setenv("REPOSTGUARD_LANG", "ru")
    patch_click()
    localize(cli)
    res = CliRunner().invoke(cli, ["--help"], prog_name="repostguard")
    assert res.exit_code == 0
    assert res.output.startswith("Использование: repostguard") and "Параметры:" in res.output
    assert "Usage:" not in res.output and "Show this message" not in res.output
    res = CliRunner().invoke(cli, ["--lang", "en", "--help"], prog_name="repostguard")
    assert res.output.startswith("Usage: repostguard") and "Show this message and exit." in res.output
    assert _paragraphs("Language: ru (default) or en.") == "Language: ru (default) or en."
