"""The errors and warnings of the lower stages (importers, lists, pipeline, store, media, decisions): catalogue
keys of the domain ``errors`` in both languages, said in Russian without an English word or a code of the
program, and in English when English is asked for — whenever they are shown, not when they were raised."""

from __future__ import annotations

import re
import string
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from repostguard import i18n
from repostguard.banks.fsm import parse_fsm, parse_fsm_bytes
from repostguard.errors import InputError, ListError, Notice, RepostguardError
from repostguard.i18n import t
from repostguard.importers.generic import GenericImporter
from repostguard.importers.registry import IMPORTERS, detect
from repostguard.importers.vk_archive import SECTIONS
from repostguard.media.ocr import LANGS as OCR_LANGS
from repostguard.model import CHECK_KINDS
from tests.russian import foreign_words

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "repostguard"
VK_RU = ROOT / "tests/fixtures/vk/archive_ru"
FSM_DAMAGED = ROOT.parent / "shared/data/fsm/exportfsm-2023-07-mixed-encoding.csv"
CYRILLIC = re.compile("[А-Яа-яЁё]")


@pytest.fixture
def english() -> Iterator[None]:
    token = i18n.LANG.set("en")
    try:
        yield
    finally:
        i18n.LANG.reset(token)


def _error_keys() -> dict[str, str]:
    cat = i18n.catalogue("ru")
    return {k: d for k, d in cat.domains.items() if d == "errors"}


def test_every_error_key_the_code_names_is_in_both_languages() -> None:
    ru, en = i18n.catalogue("ru").messages, i18n.catalogue("en").messages
    named: set[str] = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text("utf-8")
        named |= set(re.findall(r"""["'](err_[a-z0-9_]*[a-z0-9])["']""", text))
    # keys made at run time from a prefix and a value
    named |= {f"err_vk_section_{s}" for s, *_ in SECTIONS} | {"err_vk_section_profile"}
    named |= {f"err_check_{what}_{k}" for what in ("empty", "long") for k in ("text", "link")}
    named |= {f"err_ocr_lang_{lang}" for lang in OCR_LANGS}
    missing = sorted(k for k in named if k not in ru or k not in en)
    assert missing == []
    assert all(k.startswith("err_") for k in _error_keys())
    assert set(CHECK_KINDS)  # the kinds a check names are the model's own (no message per kind)


def test_no_error_message_names_a_field_t_takes_itself() -> None:
    """``key`` and ``lang`` are :func:`repostguard.i18n.t`'s own parameters: a field of that name breaks it."""
    for key in _error_keys():
        for lang in i18n.LANGS:
            msg = i18n.catalogue(lang).messages[key]
            for text in msg if isinstance(msg, tuple) else (msg,):
                fields = {f for _, f, _, _ in string.Formatter().parse(text) if f}
                assert not fields & {"key", "lang"}, (key, lang, text)


def test_the_unknown_format_message_names_every_platform() -> None:
    en = t("err_unknown_format", "en")
    assert all(cls.platform in en for cls in IMPORTERS)


# -- a representative set: said in Russian, and in English when asked --------------------------------


def _damaged_zip(tmp_path: Path) -> Path:
    z = tmp_path / "archive.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(VK_RU.rglob("*")):
            if f.is_file():
                zf.write(f, "Archive/" + f.relative_to(VK_RU).as_posix())
    cut = tmp_path / "cut.zip"
    cut.write_bytes(z.read_bytes()[: z.stat().st_size // 2])
    return cut


def _zip_bomb(tmp_path: Path) -> Path:
    z = tmp_path / "bomb.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("profile/page-info.html", "<html></html>")
        zf.writestr("wall/wall9.html", b"\0" * (8 * 1024**2))
    return z


def _not_an_export(tmp_path: Path) -> Path:
    d = tmp_path / "notes"
    d.mkdir()
    (d / "notes.txt").write_text("просто заметки", "utf-8")
    return d


def _bad_jsonl(tmp_path: Path) -> Path:
    f = tmp_path / "items.jsonl"
    f.write_text("{broken\n{broken\n", "utf-8")
    return f


def _raised(make: object, path: Path) -> RepostguardError:
    with pytest.raises(RepostguardError) as e:
        make(path)  # type: ignore[operator]
    return e.value


def _read(path: Path) -> None:
    imp = detect(path)
    imp.verify()
    list(imp.iter_items())


CASES = [
    # (what, how to make the input, english words)
    ("damaged ZIP", _damaged_zip, "damaged or truncated ZIP"),
    ("ZIP bomb", _zip_bomb, "refusing a ZIP bomb"),
    ("not an export", _not_an_export, "not an export format repostguard knows"),
    ("bad JSONL line", _bad_jsonl, "not valid JSON"),
]


@pytest.mark.parametrize(("what", "make", "english_words"), CASES, ids=[c[0] for c in CASES])
def test_an_import_error_is_russian_and_english_when_asked(
        tmp_path: Path, what: str, make: object, english_words: str) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    err = _raised(_read, path)
    assert isinstance(err, InputError) and err.key.startswith("err_")
    ru = str(err)
    assert "\n" not in ru and str(path) in ru
    assert foreign_words(ru, data=(str(path),)) == [], ru
    token = i18n.LANG.set("en")
    try:
        en = str(err)  # the same error, said again in the language of the moment
    finally:
        i18n.LANG.reset(token)
    assert english_words in en and not CYRILLIC.search(en.replace(str(path), "")), en
    assert str(err) == ru


def test_a_damaged_fsm_list_is_russian_and_english_when_asked(tmp_path: Path) -> None:
    rows = "#;Материал;Дата включения (указывается с 01.01.2017)\r\n1;Книга;\r\n;обрывок;\r\n;ещё обрывок;\r\n"
    p = tmp_path / "exportfsm.csv"
    p.write_bytes(rows.encode("cp1251"))
    with pytest.raises(ListError) as e:
        parse_fsm(p)
    ru = str(e.value)
    assert ru.startswith(f"{p}, строка 3: 2 строки без номера записи (первая — строка 3): файл повреждён")
    assert foreign_words(ru, data=(str(p),)) == []
    token = i18n.LANG.set("en")
    try:
        en = str(e.value)
    finally:
        i18n.LANG.reset(token)
    assert en.startswith(f"{p}, line 3: 2 rows without an entry number (first at line 3): the file is damaged")


def test_the_shared_damaged_fsm_copy_is_russian_and_english_when_asked(english: None) -> None:
    if not FSM_DAMAGED.is_file():
        pytest.skip("../shared is not here")
    with pytest.raises(ListError) as e:
        parse_fsm(FSM_DAMAGED)
    en = str(e.value)
    assert "rows without an entry number" in en and "line 4811" in en and not CYRILLIC.search(en)
    token = i18n.LANG.set("ru")
    try:
        ru = str(e.value)
    finally:
        i18n.LANG.reset(token)
    assert "строк без номера записи" in ru and "строка 4811" in ru
    assert foreign_words(ru, data=(str(FSM_DAMAGED),)) == []


def test_list_errors_that_are_not_the_list(tmp_path: Path) -> None:
    for data, words in [(b"", "пустой файл"), (b"<html>Access denied</html>", "похоже на HTML или JSON"),
                        ("#;Материал;Дата\r\n".encode("cp1251"), "нет ни одной записи")]:
        with pytest.raises(ListError) as e:
            parse_fsm_bytes(data, tmp_path / "x.csv")
        assert words in str(e.value) and foreign_words(str(e.value), data=(str(tmp_path / "x.csv"),)) == []


def test_a_counted_warning_is_said_when_it_is_shown(tmp_path: Path) -> None:
    f = tmp_path / "items.jsonl"
    f.write_text('{"id": "1", "text": "пост"}\n{broken\n{broken\n', "utf-8")
    imp = GenericImporter(f)
    assert [i.native_id for i in imp.iter_items()] == ["1"]
    (w,) = imp.warnings
    assert isinstance(w, Notice)
    assert str(w) == f"{f}: пропущены 2 записи: не JSON: ошибка в столбце 2 (первая — строка 2)"
    assert foreign_words(str(w), data=(str(f),)) == []
    token = i18n.LANG.set("en")
    try:
        assert str(w) == f"{f}: 2 records skipped: not valid JSON (column 2) (first at line 2)"
    finally:
        i18n.LANG.reset(token)


@pytest.mark.parametrize(("n", "ru"), [(1, "пропущена 1 запись"), (3, "пропущены 3 записи"),
                                       (5, "пропущено 5 записей"), (21, "пропущена 21 запись")])
def test_counts_follow_the_russian_plural(n: int, ru: str) -> None:
    text = str(Notice("err_skipped_many", file="f.json", n=n, reason=Notice("err_rec_not_object"), where="[0]"))
    assert text.startswith(f"f.json: {ru}: запись не является объектом")


# -- the app's intake sorts refusals by the error's key ------------------------------------------------


def test_check_export_sorts_refusals_by_key(tmp_path: Path) -> None:
    from repostguard.app.intake import Refused, check_export

    cases = [(_zip_bomb(tmp_path), "app_refuse_bomb"), (_damaged_zip(tmp_path), "app_refuse_damaged"),
             (tmp_path / "nothing-here.zip", "app_refuse_no_path"), (_not_an_export(tmp_path), "app_refuse_not_export")]
    for path, key in cases:
        with pytest.raises(Refused) as e:
            check_export(path, path.name)
        assert e.value.key == key, (path, e.value.__cause__)
    assert check_export(VK_RU, "archive_ru") == "vk"
