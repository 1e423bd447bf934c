"""Fixtures of the core tests: the shared data (skipped cleanly when absent), a private data dir,
a small made-up list and matcher."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
FSM_2025 = SHARED / "data" / "fsm" / "exportfsm-2025-07-09.csv"
FSM_2021 = SHARED / "data" / "fsm" / "exportfsm-2021-09.csv"
FSM_MIXED = SHARED / "data" / "fsm" / "exportfsm-2023-07-mixed-encoding.csv"
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
    return home


def write_list(path: Path, rows: list[tuple[str, str, str]], encoding: str = "cp1251") -> Path:
    lines = ["#;Материал;Дата включения (указывается с 01.01.2017)"]
    for num, text, date in rows:
        lines.append(f'{num};"{text.replace(chr(34), chr(34) * 2)}";{date}')
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


@pytest.fixture()
def no_snapshots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A package without its list snapshots (as if ``banks/data`` were missing): nothing to fall back on."""
    from repostguard.banks import lifecycle

    monkeypatch.setattr(lifecycle, "PACKAGED_DIR", tmp_path / "no-snapshots")
    lifecycle._manifest.cache_clear()
    yield
    lifecycle._manifest.cache_clear()


@pytest.fixture()
def demo_list(tmp_path: Path) -> Path:
    from repostguard.cli.demo import DEMO_LIST

    return write_list(tmp_path / "list.csv", list(DEMO_LIST))


@pytest.fixture()
def demo_matcher(demo_list: Path):  # type: ignore[no-untyped-def]
    from repostguard.banks.fsm import parse_fsm
    from repostguard.matchers.fsm import FsmMatcher

    return FsmMatcher(parse_fsm(demo_list))


def list_matcher(tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, str, str]]):  # type: ignore[no-untyped-def]
    """The FSM matcher of a made-up list of ``rows`` (for a module-scoped fixture)."""
    from repostguard.banks.fsm import parse_fsm
    from repostguard.matchers.fsm import FsmMatcher

    return FsmMatcher(parse_fsm(write_list(tmp_path_factory.mktemp("list") / "fsm.csv", rows)))


def levels(m: object, text: str) -> dict[str, str]:
    """What matcher ``m`` finds in a VK wall post of ``text``: entry → level."""
    from repostguard.model import Item

    item = Item(platform="vk", native_id="w1_1", kind="post", text=text)
    return {f.entry: f.level for f in m.match(item)}  # type: ignore[attr-defined]
