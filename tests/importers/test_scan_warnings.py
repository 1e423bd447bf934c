"""`scan INPUT` shows the import's warnings (their count and the first ones) as `import` does."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from repostguard.cli import cli
from repostguard.i18n import t

ROOT = Path(__file__).resolve().parents[2]
MASTODON = ROOT / "tests/fixtures/mastodon/archive"  # two warnings: a missing media file, a bare-URI Create


def _list(tmp_path: Path) -> Path:
    from repostguard.cli.demo import DEMO_LIST

    rows = ["#;Материал;Дата включения (указывается с 01.01.2017)"] + [
        f'{n};"{text.replace(chr(34), chr(34) * 2)}";{date}' for n, text, date in DEMO_LIST
    ]
    path = tmp_path / "list.csv"
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("utf-8"))
    return path


@pytest.mark.parametrize("verb", ["import", "scan"])
def test_scan_prints_the_import_warnings_like_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, verb: str
) -> None:
    monkeypatch.setenv("REPOSTGUARD_HOME", str(tmp_path / "home"))  # never the user's data dir
    args = [verb, str(MASTODON), "--db", str(tmp_path / "w.sqlite"), "-q"]
    if verb == "scan":
        args += ["--fsm", str(_list(tmp_path)), "--no-ocr"]
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 0, r.output
    warned = [line for line in r.stderr.splitlines() if line.startswith("  " + t("cli_warning", text=""))]
    assert len(warned) == 2
    assert any("медиафайл" in w for w in warned) and any("только адрес" in w for w in warned)
    if verb == "scan":
        assert t("cli_import_warnings_n", input=MASTODON, n=2) in r.stderr
    else:
        assert "предупреждений: 2" in r.stdout
