"""Fixtures of the issue-7 tests: shared data (skipped cleanly when absent), a private data dir,
small made-up organisation lists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
LISTS = SHARED / "data" / "lists"
FSM_2021 = SHARED / "data" / "fsm" / "exportfsm-2021-09.csv"
FSM_2025 = SHARED / "data" / "fsm" / "exportfsm-2025-07-09.csv"
BENCH = SHARED / "bench" / "dev"


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent (shared development data); skipping")
    return path


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data dir, so nothing touches the user's real one."""
    home = tmp_path / "home"
    monkeypatch.setenv("REPOSTGUARD_HOME", str(home))
    for kind in ("FSM", "EXTREMIST", "TERRORIST", "UNDESIRABLE", "SITES"):
        monkeypatch.delenv(f"REPOSTGUARD_{kind}_MIRRORS", raising=False)
    return home


EXTREMIST = [
    {
        "name": "Некоммерческая организация «Фонд борьбы с коррупцией»",
        "type": "extremist",
        "aliases": ["ФБК"],
        "is_person": False,
        "dateIn": "09.06.2021",
    },
    {
        "name": "Межрегиональное общественное движение «Артподготовка»",
        "type": "extremist",
        "aliases": ["Артподготовка"],
        "is_person": False,
    },
    {
        "name": "Общественное движение «Свободная Россия»",
        "type": "extremist",
        "aliases": ["Свободная Россия"],
        "is_person": False,
    },
    {
        "name": "Объединение, членами которого являются: Иванов Пётр Сергеевич, "
        "родившийся 01.02.1970 в г. Твери, "
        "и ООО «Рижский хлеб»",
        "type": "extremist",
        "aliases": ["Рижский хлеб"],
        "is_person": False,
    },
    {"name": "Иванов Пётр Сергеевич", "type": "extremist", "aliases": [], "is_person": True},
    {"name": "Религиозная группа «Весна»", "type": "extremist", "aliases": ["Весна"], "is_person": False},
]
UNDESIRABLE = [
    {
        "name": "«Национальный фонд в поддержку демократии» (The National Endowment for Democracy)",
        "type": "undesirable",
        "aliases": ["Национальный фонд в поддержку демократии", "Соединенные Штаты Америки"],
        "is_person": False,
        "dateIn": "29.07.2015",
    },
    {
        "name": "ProtectDefenders.eu («Защити защитников.ЕС») (Королевство Бельгия)",
        "type": "undesirable",
        "aliases": ["Защити защитников.ЕС", "Королевство Бельгия"],
        "is_person": False,
        "dateIn": "01.03.2024",
    },
]


def write_json(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text(json.dumps(rows, ensure_ascii=False), "utf-8")
    return path


@pytest.fixture()
def extremist_file(tmp_path: Path) -> Path:
    return write_json(tmp_path / "extremist.json", EXTREMIST)


@pytest.fixture()
def undesirable_file(tmp_path: Path) -> Path:
    return write_json(tmp_path / "undesirable.json", UNDESIRABLE)
