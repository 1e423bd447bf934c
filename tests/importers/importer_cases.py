"""The expected results of each importer's own fixtures: ``tests/fixtures/cases/<Importer>.json``, a list of
cases (``path``, ``counts`` per kind, listed ``items``, ``warnings``) read by the generic fixture runner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CASES_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "cases"


def fixture_cases(cls: type) -> list[dict[str, Any]]:
    """The cases of importer ``cls`` (none when it has no file)."""
    path = CASES_DIR / f"{cls.__name__}.json"
    if not path.exists():
        return []
    cases: list[dict[str, Any]] = json.loads(path.read_text("utf-8"))
    return cases
