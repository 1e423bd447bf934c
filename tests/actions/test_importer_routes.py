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
    # photo and video comments (no comment id in the archive), a like of a comment without its id,
    # audio, messages, bookmarks, subscriptions, the profile and its photo are done by hand
    ("vk/archive_ru", "vk", "100001",
     {"audio", "profile", "avatar", "comment", "like", "message", "bookmark", "subscription"}),
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
    from repostguard.pipeline.scan import import_path

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
        if fixture == "vk/archive_ru":
            routes = {e.ref: e.route for e in plan.entries}
            assert "vk:wall100001_12" not in routes  # deleted on VK already: nothing to do
            assert routes["vk:like_wall-200002_77?reply"] == "manual"  # never the post's like instead
            assert routes["vk:like_wall-200002_77"] == "api"
            assert routes["vk:wall100001_10?reply=18"] == "api"
            assert routes["vk:photo100001_457239017?comment=id300003@1564731000"] == "manual"
            assert routes["vk:avatar/profile"] == "manual"  # changed in the profile's settings
