"""Fixtures of the app tests: a private data dir with the demo list installed, the demo history, a
workspace path, and the guarded app (start screen and review) behind a test client."""

from __future__ import annotations

import io
import time
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from repostguard.app.jobs import Jobs
from repostguard.app.start import create_start_app
from repostguard.banks.registry import update_lists
from repostguard.cli.demo import write_demo_files

PORT = 45679
TOKEN = "app-t0k3n"
ORIGIN = f"http://127.0.0.1:{PORT}"
VK_ARCHIVE = Path(__file__).resolve().parents[1] / "fixtures" / "vk" / "archive_ru"


@pytest.fixture(autouse=True)
def _private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch the real data dir (installed lists, caches) from these tests."""
    home = tmp_path / "rg-home"
    monkeypatch.setenv("REPOSTGUARD_HOME", str(home))
    return home


@pytest.fixture
def no_snapshots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A package without its list snapshots (as if ``banks/data`` were missing): nothing to fall back on."""
    from repostguard.banks import lifecycle

    monkeypatch.setattr(lifecycle, "PACKAGED_DIR", tmp_path / "no-snapshots")
    lifecycle._manifest.cache_clear()
    yield
    lifecycle._manifest.cache_clear()


@pytest.fixture
def demo(tmp_path: Path) -> tuple[Path, Path]:
    """The demo list (official CSV format) and the demo history (generic JSONL)."""
    return write_demo_files(tmp_path / "demo")


@pytest.fixture
def installed(demo: tuple[Path, Path]) -> Path:
    """The demo list installed as the FSM list; returns the history."""
    update_lists("fsm", from_file=demo[0])
    return demo[1]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    ws.mkdir()
    return ws / "workspace.sqlite"


@pytest.fixture
def app(db: Path) -> Iterator[tuple[TestClient, Jobs]]:
    jobs = Jobs(db, ocr=False)
    asgi, _ = create_start_app(db, TOKEN, PORT, jobs=jobs, max_upload=8 * 1024**2)
    client = TestClient(asgi, base_url=ORIGIN)
    try:
        yield client, jobs
    finally:
        jobs.cancel()
        jobs.wait(30)


def zip_folder(folder: Path) -> bytes:
    """``folder`` as a ZIP, in memory (the way a person downloads an export)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(folder).as_posix())
    return buf.getvalue()


def wait_job(client: TestClient, timeout: float = 60) -> dict[str, Any]:
    """The app's current job once it no longer runs (polled as the start screen polls it)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        s: dict[str, Any] = client.get(f"/{TOKEN}/job").json()
        if s["state"] != "running":
            return s
        time.sleep(0.05)
    raise AssertionError("the job did not finish")
