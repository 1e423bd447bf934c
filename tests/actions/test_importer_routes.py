"""The plan on what the real importers produce (their own fixtures): routes and archive owner.

Skips when an importer or its fixture is not in this tree (they belong to another stage).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from repostguard.actions.planner import build_plan
from repostguard.actions.runner import archive_owner
from repostguard.store import Store, now_iso

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CASES = [
    ("vk/archive_ru", "vk", "100001", {"audio", "profile"}),
    ("vk_api/wall_response.json", "vk", "100001", set()),
    ("telegram/full_export", "telegram", "4242", {"profile"}),
    ("twitter/archive", "x", "111111", {"profile"}),
]


@pytest.mark.parametrize("fixture,platform,owner,manual_kinds", CASES)
def test_routes_on_imported_fixtures(
    tmp_path: Path, fixture: str, platform: str, owner: str | None, manual_kinds: set[str]
) -> None:
    path = FIXTURES / fixture
    if not path.exists():
        pytest.skip(f"{path} is not in this tree")
    from repostguard.scan import import_path

    with Store.open(tmp_path / "ws.sqlite") as store:
        try:
            _res, got = import_path(store, path)
        except Exception as e:  # noqa: BLE001 - another stage's importer may be missing here
            pytest.skip(f"importer for {fixture} not available: {e}")
        assert got == platform
        with store.conn:
            store.conn.execute(
                "INSERT INTO decisions (item_id, action, decided_at, source)"
                " SELECT id, 'delete', ?, 'cli' FROM items",
                (now_iso(),),
            )
        plan = build_plan(store)
        assert plan.entries
        assert {e.kind for e in plan.entries if e.route == "manual"} == manual_kinds
        assert all(e.route == "api" for e in plan.entries if e.kind not in manual_kinds)
        assert archive_owner(store, platform) == owner
