"""The checklist page (escaped, links as text, ticks saved) and the CLI commands end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes.vk_server import serve

from repostguard.actions import checklist
from repostguard.actions.advice import advice
from repostguard.actions.planner import build_plan
from repostguard.cli import cli
from repostguard.errors import UserError
from repostguard.model import Item
from repostguard.store import Store

from .conftest import PASSPHRASE, TOKEN, Workspace, decide, fake_state


def _fb_workspace(tmp: Path) -> tuple[Path, list[Item]]:
    db = tmp / "fb.sqlite"
    items = [
        Item(
            platform="facebook",
            native_id="p1",
            kind="post",
            text="<script>alert(1)</script> & «текст»",
            url="https://www.facebook.com/x/posts/1?a=<b>",
        ),
        Item(platform="instagram", native_id="i1", kind="photo", text="фото", url=None),
    ]
    with Store.open(db) as store:
        store.import_items(items[:1], source="t", platform="facebook")
        store.import_items(items[1:], source="t", platform="instagram")
        decide(store, items[0].id, "delete")
        decide(store, items[1].id, "hide")
    return db, items


def test_checklist_escapes_and_saves_ticks(tmp_path: Path) -> None:
    db, items = _fb_workspace(tmp_path)
    with Store.open(db) as store:
        plan = build_plan(store)
        assert {e.route for e in plan.entries} == {"manual"}
        page = checklist.render(store, plan.entries)
        assert "<script>" not in page and "&lt;script&gt;" in page
        assert "<a " not in page and "href" not in page  # links as text only
        assert "https://www.facebook.com/x/posts/1?a=&lt;b&gt;" in page
        assert "0 / 2" in page
        checklist.tick(store, items[0].ref)
        page = checklist.render(store, plan.entries)
        assert "1 / 2" in page and "☑" in page
        assert store.conn.execute("SELECT deleted_at FROM items WHERE id=?", (items[0].id,)).fetchone()[0]
        assert store.conn.execute("SELECT method, status FROM clean_actions").fetchall()[0][:] == (
            "manual:delete",
            "done",
        )
        checklist.tick(store, items[1].ref)  # hide: ticked, not a tombstone
        assert (
            store.conn.execute("SELECT deleted_at FROM items WHERE id=?", (items[1].id,)).fetchone()[0]
            is None
        )
        checklist.tick(store, items[1].ref, undo=True)
        assert items[1].id not in checklist.ticks(store)
        with pytest.raises(UserError):
            checklist.tick(store, "no-such-item")


def test_cli_dry_run_sends_nothing_and_shows_advice_once(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    st = fake_state(workspace)
    with serve(st) as url:
        monkeypatch.setenv("REPOSTGUARD_VK_API_URL", url)
        monkeypatch.setenv("REPOSTGUARD_VK_TOKEN", TOKEN)
        r = CliRunner().invoke(cli, ["clean", "run", "--db", str(workspace.db), "--lang", "en"])
        assert r.exit_code == 0, r.output
        assert r.output.count(advice("en").splitlines()[0]) == 1
        assert "Dry run: nothing was sent" in r.output
        assert st.calls == []
        r = CliRunner().invoke(
            cli, ["clean", "plan", "--db", str(workspace.db), "--out", str(tmp_path / "p.json")]
        )
        assert r.exit_code == 0 and json.loads((tmp_path / "p.json").read_text())["entries"]
        assert st.calls == []


def test_cli_run_backup_open_and_status(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    st = fake_state(workspace)
    with serve(st) as url:
        for k, v in {
            "REPOSTGUARD_VK_API_URL": url,
            "REPOSTGUARD_VK_TOKEN": TOKEN,
            "REPOSTGUARD_BACKUP_PASSPHRASE": PASSPHRASE,
        }.items():
            monkeypatch.setenv(k, v)
        bfile = tmp_path / "backup.rgbk"
        r = CliRunner().invoke(
            cli,
            [
                "clean",
                "run",
                "--yes",
                "--db",
                str(workspace.db),
                "--pace",
                "0",
                "--jitter",
                "0",
                "--backup",
                str(bfile),
                "--checklist",
                str(tmp_path / "c.html"),
            ],
        )
        assert r.exit_code == 0, r.output
        assert r.output.count(advice("ru").splitlines()[0]) == 1
        assert "ещё видно в сети: 0" in r.output and TOKEN not in r.output
        assert (tmp_path / "c.html").exists()  # the hide decision goes to the checklist
    assert st.total_deletions() == len(workspace.delete_ids)
    r = CliRunner().invoke(cli, ["backup", "open", str(bfile)])
    assert r.exit_code == 0 and f"{bfile}: {len(workspace.delete_ids)} записей" in r.output
    r = CliRunner().invoke(cli, ["backup", "open", str(bfile), "--extract", str(tmp_path / "out")])
    assert r.exit_code == 0 and len(list((tmp_path / "out").iterdir())) == len(workspace.delete_ids)
    r = CliRunner().invoke(cli, ["clean", "status", "--db", str(workspace.db)])
    assert f"удалено: {len(workspace.delete_ids)}; ещё в сети: 0" in r.output


def test_cli_wrong_account_exits_2_and_sends_nothing(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from repostguard.cli import main

    st = fake_state(workspace)
    old_umask = os.umask(0o022)
    os.umask(old_umask)
    monkeypatch.setattr(os, "umask", lambda m: old_umask)  # main() must not change this process's umask
    with serve(st) as url:
        for k, v in {
            "REPOSTGUARD_VK_API_URL": url,
            "REPOSTGUARD_VK_TOKEN": "vk1.a.other-account-token-SECRET",
            "REPOSTGUARD_BACKUP_PASSPHRASE": PASSPHRASE,
        }.items():
            monkeypatch.setenv(k, v)
        with pytest.raises(SystemExit) as ei:
            main(["clean", "run", "--yes", "--db", str(workspace.db), "--pace", "0"])
        assert ei.value.code == 2
    assert st.total_deletions() == 0 and "wall.delete" not in st.calls


def test_served_checklist_saves_ticks_and_refuses_cross_site(tmp_path: Path) -> None:
    import re
    import threading

    import httpx

    db, items = _fb_workspace(tmp_path)
    with Store.open(db) as store:
        entries = build_plan(store).entries
    urls: list[str] = []
    ready = threading.Event()
    stop = threading.Event()

    def on_ready(u: str) -> None:
        urls.append(u)
        ready.set()

    t = threading.Thread(target=checklist.serve, args=(db, entries), kwargs={"ready": on_ready, "stop": stop})
    t.start()
    try:
        assert ready.wait(10)
        url = urls[0]
        assert url.startswith("http://127.0.0.1:")
        with httpx.Client(base_url=url) as c:
            page = c.get("/")
            assert page.status_code == 200 and "&lt;script&gt;" in page.text and "<script>" not in page.text
            token = re.search(r"name='token' value='([^']+)'", page.text)
            assert token is not None
            form = {"item": items[0].id, "token": token.group(1), "undo": "0"}
            # another site in the same browser: refused, nothing saved
            r = c.post("/tick", data=form, headers={"Origin": "https://evil.example"})
            assert r.status_code == 403
            r = c.post("/tick", data=form, headers={"Sec-Fetch-Site": "cross-site"})
            assert r.status_code == 403
            r = c.post("/tick", data={**form, "token": "guess"})
            assert r.status_code == 403
            r = c.post("/tick", data=form, headers={"Host": "rebound.example"})
            assert r.status_code == 403
            with Store.open(db) as store:
                assert checklist.ticks(store) == {}
            r = c.post(
                "/tick", data=form, headers={"Origin": url.rstrip("/"), "Sec-Fetch-Site": "same-origin"}
            )
            assert r.status_code == 303
            assert "1 / 2" in c.get("/").text
    finally:
        stop.set()
        t.join(10)
    with Store.open(db) as store:
        assert items[0].id in checklist.ticks(store)
        assert store.conn.execute("SELECT deleted_at FROM items WHERE id=?", (items[0].id,)).fetchone()[0]


def test_checklist_all_covers_every_planned_item_grouped_by_kind_and_year(workspace: Workspace, tmp_path: Path) -> None:
    """Without a token: `clean checklist --all` lists every planned item still online, by kind and year."""
    with Store.open(workspace.db) as store, store.conn:
        store.conn.execute("UPDATE items SET date='2019-03-14T20:02:00+03:00' WHERE kind='post'")
        store.conn.execute("UPDATE items SET date='2021-12-31T23:30:00+00:00' WHERE kind='repost'")
        store.conn.execute("UPDATE items SET deleted_at='2026-01-01T00:00:00+00:00' WHERE id=?",
                           (workspace.delete_ids[0],))
    out = tmp_path / "all.html"
    res = CliRunner().invoke(cli, ["clean", "checklist", "--all", "--db", str(workspace.db), "--out", str(out)])
    assert res.exit_code == 0, res.output
    page = out.read_text("utf-8")
    online = workspace.delete_ids[1:] + workspace.hide_ids
    assert res.output.strip().endswith(f"что сделать вручную — {len(online)} пунктов")
    assert page.count("<li") == len(online)
    # 23:30 UTC on 31 December is already 2022 in Moscow: the year is the person's
    assert "<h3>запись · 2019" in page and "<h3>репост · 2022" in page
    res = CliRunner().invoke(cli, ["clean", "checklist", "--db", str(workspace.db), "--out", str(out)])
    assert out.read_text("utf-8").count("<li") == len(workspace.hide_ids)  # without --all: the by-hand ones


def test_cli_checklist_holds_what_vk_refused(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deletion VK refuses (error 15, the post still there) goes to the checklist with the hide decision."""
    st = fake_state(workspace)
    refused = workspace.delete_ids[0]
    st.denied.add(workspace.keys[refused])
    with serve(st) as url:
        for k, v in {"REPOSTGUARD_VK_API_URL": url, "REPOSTGUARD_VK_TOKEN": TOKEN,
                     "REPOSTGUARD_BACKUP_PASSPHRASE": PASSPHRASE}.items():
            monkeypatch.setenv(k, v)
        out = tmp_path / "c.html"
        r = CliRunner().invoke(cli, ["clean", "run", "--yes", "--db", str(workspace.db), "--pace", "0", "--jitter",
                                     "0", "--backup", str(tmp_path / "b.rgbk"), "--checklist", str(out)])
    assert r.exit_code == 0, r.output
    assert "ещё видно в сети: 1" in r.output and "что сделать вручную — " in r.output
    with Store.open(workspace.db) as store:
        ref = store.conn.execute("SELECT ref FROM items WHERE id=?", (refused,)).fetchone()[0]
    page = out.read_text("utf-8")
    assert page.count("<li") == 1 + len(workspace.hide_ids) and ref in page
