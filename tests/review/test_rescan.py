"""The whole loop with the real matcher: scan, mark not-a-match, re-scan (quiet), change the
decision, re-scan (flagged again). Uses the real list from /work/shared when it is present."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repostguard.decisions import decide, get_decision, resolve_item
from repostguard.pipeline.scan import run_scan
from repostguard.store import Store

FSM = Path("/work/shared/data/fsm/exportfsm-2025-07-09.csv")


@pytest.mark.skipif(not FSM.exists(), reason=f"development list {FSM} is absent")
def test_not_a_match_keeps_later_scans_quiet(tmp_path: Path) -> None:
    items = tmp_path / "items.jsonl"
    items.write_text(
        json.dumps(
            {"id": "a1", "text": 'Кто-нибудь слышал? "Необходимость создания Имарата и Джамаата" Жесть.'},
            ensure_ascii=False,
        )
        + "\n",
        "utf-8",
    )
    db = tmp_path / "ws.sqlite"
    assert run_scan(db, items, fsm=FSM, ocr=False, progress=False).findings >= 1
    with Store.open(db) as store:
        a1 = resolve_item(store, "a1")
        decide(store, [a1], "not-a-match", note="цитата в споре")
    assert run_scan(db, None, fsm=FSM, ocr=False, progress=False).findings == 0
    with Store.open(db) as store:
        d = get_decision(store, a1)
        assert d is not None and d.action == "not-a-match"  # the re-scan kept the decision
        decide(store, [a1], "keep")
    assert run_scan(db, items, fsm=FSM, ocr=False, progress=False).findings >= 1  # re-import + re-scan
    with Store.open(db) as store:
        d = get_decision(store, a1)
        assert d is not None and d.action == "keep"
