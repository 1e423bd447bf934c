"""What the browser tests share: Debian's Chromium driven by Playwright, a ``repostguard`` page served by
the real CLI in a subprocess (its address read from its first line, then waited for), and screenshots.

A test module calls :func:`require` at import (skips cleanly without Chromium or Playwright; fails under
``CI=true`` without Chromium, where the set-up installs it)."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
SHOTS = Path("/tmp/app-shots")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def require() -> ModuleType:
    """Playwright's sync API, or the module is skipped (failed under ``CI=true`` without Chromium)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Debian chromium is missing (/usr/bin/chromium) and CI=true", pytrace=False)
        pytest.skip("Debian chromium is not installed (/usr/bin/chromium)", allow_module_level=True)
    return pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


@contextmanager
def launched() -> Iterator[object]:
    """A headless Chromium (closed at the end)."""
    sync_api = require()
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


def shot(page: object, name: str, folder: Path = SHOTS) -> None:
    """A full-page screenshot into ``folder`` and ``artifacts/`` (gitignored)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(path, ARTIFACTS / f"app-{name}")


def demo_home(root: Path) -> tuple[Path, Path]:
    """A private data dir under ``root`` with the demo list installed; returns it and the demo history."""
    from repostguard.banks.registry import update_lists
    from repostguard.cli.demo import write_demo_files

    home = root / "home"
    old = os.environ.get("REPOSTGUARD_HOME")
    os.environ["REPOSTGUARD_HOME"] = str(home)
    try:
        lst, hist = write_demo_files(root / "demo")
        update_lists("fsm", from_file=lst)
    finally:
        if old is None:
            del os.environ["REPOSTGUARD_HOME"]
        else:
            os.environ["REPOSTGUARD_HOME"] = old
    return home, hist


class Served:
    """``repostguard ARGS…`` in a subprocess serving a page; :meth:`start` returns the address it printed."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.args, self.env = args, env
        self.proc: subprocess.Popen[str] | None = None
        self.outputs: list[str] = []

    def start(self) -> str:
        self.proc = subprocess.Popen([sys.executable, "-m", "repostguard", *self.args], stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, env=self.env)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        assert line.startswith("http://127.0.0.1:"), line
        parts = urlsplit(line)
        for _ in range(100):  # until it accepts connections
            try:
                http.client.HTTPConnection(str(parts.hostname), parts.port, timeout=1).request("HEAD", "/")
                break
            except OSError:
                time.sleep(0.05)
        self.outputs.append(line)
        return line

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc is None:
            return
        self.proc.send_signal(sig)
        try:
            out, _ = self.proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate()
        self.outputs.append(out or "")
        self.proc = None


__all__ = ["ARGS", "CHROMIUM", "SHOTS", "Served", "demo_home", "launched", "require", "shot"]
