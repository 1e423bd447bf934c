"""Selections: filters, severity order, paging, full-text search (Cyrillic case folded), stats."""

from __future__ import annotations

from pathlib import Path

from repostguard.decisions import decide
from repostguard.store import Store
from repostguard.views.query import (
    Selection,
    count_items,
    ensure_fts,
    fts_query,
    select_items,
    selected_ids,
    stats,
)

from .conftest import item_id


def refs(rows: list) -> list[str]:  # type: ignore[type-arg]
    return [r["ref"] for r in rows]


def test_order_is_by_severity_then_score(workspace: Path) -> None:
    with Store.open(workspace) as store:
        rows = select_items(store.conn, Selection())
    assert refs(rows) == [
        "p1",
        "p3",
        "p2",
        "p6",
        "p4",
    ]  # distribution (1.0, 0.9), mention (0.8, 0.7), indicator


def test_filters(workspace: Path) -> None:
    with Store.open(workspace) as store:
        c = store.conn
        assert refs(select_items(c, Selection(level="mention"))) == ["p2", "p6"]
        assert refs(select_items(c, Selection(kind="repost"))) == ["p2"]
        assert refs(select_items(c, Selection(year="2021"))) == ["p3"]
        assert count_items(c, Selection(platform="vk")) == 0
        decide(store, [item_id(workspace, "p3")], "delete")
        assert refs(select_items(c, Selection(decision="delete"))) == ["p3"]
        assert "p3" not in refs(select_items(c, Selection(decision="none")))
        assert count_items(c, Selection(decision="any")) == 1
        # scope=all reaches unflagged items too, flagged first
        assert refs(select_items(c, Selection(scope="all")))[-1] == "p5"
        assert count_items(c, Selection(scope="all")) == 6


def test_params_round_trip_and_junk_dropped() -> None:
    sel = Selection.from_params(
        {
            "level": "mention",
            "year": "20x1",
            "kind": "robot",
            "decision": "keep",
            "q": " книга ",
            "scope": "all",
            "platform": "vk",
        }
    )
    assert sel == Selection(platform="vk", level="mention", decision="keep", q="книга", scope="all")
    assert Selection.from_params(sel.params()) == sel
    assert Selection().is_empty()


def test_search_folds_cyrillic_case_and_prefixes(workspace: Path) -> None:
    with Store.open(workspace) as store:
        c = store.conn
        assert refs(select_items(c, Selection(q="ЗАПРЕЩЁННАЯ", scope="all"))) == ["p1", "p3", "p6"]
        assert refs(select_items(c, Selection(q="погод", scope="all"))) == ["p5"]
        assert refs(select_items(c, Selection(q="погод"))) == []  # flagged scope only
        assert refs(select_items(c, Selection(q="Музык", scope="all"))) == ["p2"]  # repost source name
        assert count_items(c, Selection(q='"); DROP', scope="all")) == 0
        assert count_items(c, Selection(q="***", scope="all")) == 0
        assert fts_query('a"b') == '"a"* "b"*'


def test_fts_follows_new_items(workspace: Path, tmp_path: Path) -> None:
    from repostguard.pipeline.scan import import_path

    with Store.open(workspace) as store:
        ensure_fts(store.conn)
        assert ensure_fts(store.conn) is False
        f = tmp_path / "more.jsonl"
        f.write_text('{"id": "n1", "text": "новая уникальнаязапись"}\n', "utf-8")
        import_path(store, f)
        assert refs(select_items(store.conn, Selection(q="уникальнаязапись", scope="all"))) == ["n1"]


def test_paging_and_selected_ids(workspace: Path) -> None:
    with Store.open(workspace) as store:
        c = store.conn
        page1 = select_items(c, Selection(), offset=0, limit=2)
        page2 = select_items(c, Selection(), offset=2, limit=2)
        assert refs(page1) + refs(page2) == refs(select_items(c, Selection()))[:4]
        assert len(selected_ids(c, Selection())) == 5


def test_stats(workspace: Path) -> None:
    with Store.open(workspace) as store:
        decide(store, [item_id(workspace, "p1")], "keep")
        st = stats(store.conn)
    assert (st.items, st.flagged, st.findings) == (6, 5, 5)
    assert st.by_year["2018"] == {"distribution": 1}
    assert st.by_bank_level["fsm"] == {"distribution": 2, "mention": 2, "indicator": 1}
    assert st.decisions == {"keep": 1, "none": 4}


def test_summary_follows_a_new_scan_and_deleted_items_are_marked(workspace: Path) -> None:
    from repostguard.model import Evidence, Finding
    from repostguard.views.items import item_view

    p5 = item_id(workspace, "p5")
    with Store.open(workspace) as store:
        c = store.conn
        assert "p5" not in refs(select_items(c, Selection()))
        scan = store.start_scan("fsm", "v2", "2" * 64, "test")
        f = Finding(
            p5,
            "p5",
            "fsm",
            "11",
            "distribution",
            "quote",
            0.99,
            Evidence("text", "погоду", (22, 28)),
            "ru",
            "en",
            "v2",
        )
        store.save_findings(scan, "fsm", [p5], [f], "test", 1)
        assert refs(select_items(c, Selection()))[:2] == ["p1", "p5"]
        with c:
            c.execute("UPDATE items SET deleted_at='2026-01-02T03:04:05+00:00' WHERE id=?", (p5,))
        row = select_items(c, Selection(item="p5"))[0]
        view = item_view(row, [], None, "ru")
        assert view.deleted_at.startswith("02.01.2026") or view.deleted_at.startswith("01.01.2026")


def test_identity_exposure_is_its_own_level_and_sorts_last(tmp_path: Path) -> None:
    """An item flagged only for identity exposure is shown as "exposure", after the indicators."""
    from repostguard.model import Evidence, Finding, Item
    from repostguard.views.query import RANK_LEVEL, ensure_summary

    db = tmp_path / "s.sqlite"
    with Store.open(db) as store:
        prof = Item(platform="vk", native_id="profile1", kind="profile", text="Телефон: +7 999 000 00 00")
        post = Item(platform="vk", native_id="wall1_1", kind="post", text="текст")
        store.import_items([prof, post], source="x", platform="vk")
        ev = Evidence(field="text", text="x")
        scan = store.start_scan("fsm", "v1", "0" * 64, "m1")
        store.save_findings(
            scan, "identity", None,
            [Finding(prof.id, prof.ref, "identity", "phone", "exposure", "identity", 1.0, ev, "ru", "en")], "m1", 2,
        )
        store.save_findings(
            scan, "statements", None,
            [Finding(post.id, post.ref, "statements", "s1", "indicator", "lexicon", 0.5, ev, "ru", "en")], "m1", 2,
        )
        # a summary made with the old ranks (exposure = indicator) is made again
        ensure_summary(store.conn)
        store.conn.execute("UPDATE review_summary_state SET signature = substr(signature, 8) WHERE id = 1")
        rows = select_items(store.conn, Selection())
        assert [(r["ref"], RANK_LEVEL[r["worst"]]) for r in rows] == [
            ("vk:wall1_1", "indicator"),
            ("vk:profile1", "exposure"),
        ]
        assert stats(store.conn).by_year["?"] == {"indicator": 1, "exposure": 1}
