"""``repostguard`` with no arguments and ``repostguard app`` start the app (the start screen), and a list
update that cannot reach any source fails on the page with its reason, without touching the network
beyond the address given."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from repostguard.app import server
from repostguard.app.jobs import Jobs
from repostguard.banks.registry import LISTS
from repostguard.cli import cli

from .conftest import ORIGIN, TOKEN


@pytest.mark.parametrize("args", [[], ["app", "--no-browser"]])
def test_no_arguments_and_app_open_the_start_screen(args: list[str], monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(server, "serve", lambda db, **kw: calls.append({"db": db, **kw}))
    result = CliRunner().invoke(cli, [*args, "--db", str(tmp_path / "w.sqlite")] if args else [])
    assert result.exit_code == 0, result.output
    (call,) = calls
    assert call["app_mode"] is True and call["open_browser"] is (not args)


def test_update_without_a_reachable_source_fails_with_its_reason(
    app: tuple[TestClient, Jobs], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in LISTS:
        monkeypatch.setenv(f"REPOSTGUARD_{name.upper()}_URL", "http://127.0.0.1:9/list.csv")
    client, _ = app
    r = client.post(f"/{TOKEN}/lists/update", headers={"origin": ORIGIN}, follow_redirects=False)
    assert r.status_code == 303
    for _ in range(400):
        s = client.get(f"/{TOKEN}/job").json()
        if s["state"] != "running":
            break
        time.sleep(0.05)
    assert s["state"] == "failed" and s["kind"] == "lists"
    assert s["error_text"].startswith("Причина: не удалось получить список")
    page = client.get(f"/{TOKEN}/start").text
    assert "Не получилось" in page and "127.0.0.1:9" in page
