"""The FSM export parser: the real snapshots, the damaged copy, and junk."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repostguard.banks.fsm import parse_fsm, parse_fsm_bytes
from repostguard.errors import ListError

from .conftest import FSM_2021, FSM_2025, FSM_MIXED, need, write_list


def test_official_2025_snapshot() -> None:
    lst = parse_fsm(need(FSM_2025))
    assert lst.sha256 == "522073ae953da53f49e406cbb4a49a6a13ad4ebc7979441e9af3c8ab84f7f3de"
    assert lst.encoding == "windows-1251"
    assert len(lst.entries) == 5441
    assert max(e.number for e in lst.entries) == 5473
    assert sum(e.excluded for e in lst.entries) == 213
    assert lst.last_inclusion == date(2025, 7, 9)
    assert lst.version == "fsm-2025-07-09-522073ae"
    by = lst.by_number()
    assert by[1].court_decision and "Первомайским районным судом г. Омска" in by[1].court_decision
    assert by[1].decision_date == date(2006, 11, 23)
    assert by[1].included is None  # before 2017 the list gives no inclusion date
    # «за исключением» inside a description is not an exclusion
    assert not by[4154].excluded and "за исключением" in by[4154].text
    assert by[632].excluded  # «Материалы исключены из списка (определение …)»


def test_official_2021_snapshot() -> None:
    lst = parse_fsm(need(FSM_2021))
    assert max(e.number for e in lst.entries) == 5204
    assert lst.last_inclusion == date(2021, 9, 8)


def test_mixed_encoding_copy_is_refused_with_the_place() -> None:
    with pytest.raises(ListError) as ei:
        parse_fsm(need(FSM_MIXED))
    msg = str(ei.value)
    assert "exportfsm-2023-07-mixed-encoding.csv" in msg and "строка 4811" in msg and "файл повреждён" in msg
    assert "\n" not in msg


def test_double_encoded_lines_are_repaired_and_reported(tmp_path: Path) -> None:
    good = "Книга «Вымышленная книга» (решение Энского суда от 01.01.2010);"
    broken = good.encode("utf-8").decode("cp1251")  # what a wrong re-save does to one line
    p = write_list(tmp_path / "l.csv", [("1", good, ""), ("2", broken, "")], encoding="utf-8")
    lst = parse_fsm(p)
    assert lst.repaired_lines == 1
    assert lst.by_number()[2].text == good
    assert "восстановлена 1 дважды перекодированная строка" in lst.notes


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "пустой файл"),
        (b"<!DOCTYPE html><html>Access denied</html>", "HTML"),
        ("номер,текст\n1,a\n".encode("cp1251"), "заголовок «номер,текст»"),
        ("#;Материал;Дата\nабв;текст;\n".encode("cp1251"), "номер записи «абв» — не число"),
        ("#;Материал;Дата\n".encode("cp1251"), "нет ни одной записи"),
    ],
)
def test_not_the_list(data: bytes, words: str, tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_bytes(data)
    with pytest.raises(ListError) as ei:
        parse_fsm(p)
    assert words in str(ei.value) and str(p) in str(ei.value)


def test_wrong_encoding_is_named(tmp_path: Path) -> None:
    p = tmp_path / "koi.csv"
    p.write_bytes("#;Материал;Дата включения\n1;Книга;\n".encode("koi8_r"))
    with pytest.raises(ListError) as ei:
        parse_fsm(p)
    assert "строка 1: заголовок «" in str(ei.value)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_junk_bytes_raise_only_list_errors(data: bytes) -> None:
    try:
        lst = parse_fsm_bytes(b"#;\xcc\xe0\xf2\xe5\xf0\xe8\xe0\xeb;x\r\n" + data, "junk.csv")
    except ListError:
        return
    assert all(e.number >= 0 for e in lst.entries)
