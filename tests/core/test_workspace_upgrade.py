"""A workspace written before the stage layout (issue 19) opens, keeps its decisions, and rescans
to the same findings with today's code.

The workspace is kept as an SQL dump (``tests/fixtures/store/workspace-before-layout.sql``) of the
demo's workspace made by the code of commit 9057361, with two decisions recorded.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from repostguard.decisions import get_decision, resolve_item
from repostguard.pipeline.scan import run_scan
from repostguard.reports import render_html
from repostguard.store import Store
from repostguard.store.migrations import MIGRATIONS, applied

DUMP = Path(__file__).resolve().parents[1] / "fixtures" / "store" / "workspace-before-layout.sql"


def _old_workspace(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript(DUMP.read_text("utf-8"))
    conn.close()
    return path


def _findings(store: Store) -> set[tuple[str, str, str, str]]:
    return {(r["ref"], r["bank"], r["entry"], r["level"]) for r in store.findings_rows()}


def _action(store: Store, ref: str) -> str | None:
    d = get_decision(store, resolve_item(store, ref))
    return d.action if d is not None else None


def test_a_workspace_made_before_the_layout_opens_and_rescans_the_same(tmp_path: Path, demo_list: Path) -> None:
    db = _old_workspace(tmp_path / "old.sqlite")
    with Store.open(db) as st:
        assert applied(st.conn) == [name for name, _ in MIGRATIONS]
        assert st.count_items() == 13
        before = _findings(st)
        assert len(before) == 15
        assert _action(st, "demo-1") == "delete" and _action(st, "demo-6") == "keep"
        assert "demo-1" in render_html(st, "ru")
    run_scan(db, None, fsm=demo_list, ocr=False, progress=False)
    with Store.open(db) as st:
        assert _findings(st) == before
        assert _action(st, "demo-1") == "delete"
