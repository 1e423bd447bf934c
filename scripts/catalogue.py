#!/usr/bin/env python3
"""Add or change keyed messages in the catalogues (locale/<lang>/LC_MESSAGES/<domain>.po), both languages at once.

    .venv/bin/python scripts/catalogue.py DOMAIN KEY "русский текст" "English text"
    .venv/bin/python scripts/catalogue.py DOMAIN KEY --plural "1 запись|{n} записи|{n} записей" "{n} item|{n} items"
    .venv/bin/python scripts/catalogue.py --source DOMAIN "English source text" "русский перевод"

Keyed domains hold both languages; ``--source`` domains (``click``, ``help``) have the English text as the
key and only a Russian catalogue. Files are rewritten with Babel, in their existing order plus the new
entries at the end.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

LOCALE = Path(__file__).resolve().parents[1] / "src" / "repostguard" / "locale"


def _open(lang: str, domain: str) -> tuple[Path, Catalog]:
    path = LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"
    if path.exists():
        with path.open("rb") as fh:
            return path, read_po(fh, locale=lang, domain=domain)
    return path, Catalog(locale=lang, domain=domain, project="repostguard", version="0.1.0",
                         copyright_holder="repostguard", charset="utf-8", fuzzy=False)


def _save(path: Path, cat: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    cat.fuzzy = False
    with path.open("wb") as fh:
        write_po(fh, cat, width=0, sort_output=False)


def put(lang: str, domain: str, key: str, text: str, plural: bool) -> None:
    path, cat = _open(lang, domain)
    if plural:
        forms = tuple(text.split("|"))
        if len(forms) != cat.num_plurals:
            raise SystemExit(f"{lang}: {cat.num_plurals} plural forms needed, got {len(forms)}: {text!r}")
        cat.delete(key)
        cat.add((key, key), string=forms)
    else:
        cat.delete(key)
        cat.add(key, string=text)
    _save(path, cat)


def main(argv: list[str]) -> None:
    if argv[:1] == ["--source"]:
        _, domain, source, ru = argv
        put("ru", domain, source, ru, plural=False)
        return
    plural = "--plural" in argv
    args = [a for a in argv if a != "--plural"]
    domain, key, ru, en = args
    put("ru", domain, key, ru, plural)
    put("en", domain, key, en, plural)


if __name__ == "__main__":
    main(sys.argv[1:])
