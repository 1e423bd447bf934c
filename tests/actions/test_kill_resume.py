"""A real process kill in the middle of ``repostguard clean run --yes``, then restarts.

The run is a subprocess pointed at the local fake VK server (in this process); it is killed
with SIGKILL shortly after it starts (during the backup or the first request) and then after N
deletions, restarted each time, and finally run to the end. The fake server's counters and the
journal must then show every approved object deleted exactly once, nothing else touched.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fakes.vk_server import serve

from repostguard.store import Store

from .conftest import PASSPHRASE, TOKEN, build_workspace, fake_state, kill_at_points


def _start(db: Path, env: dict[str, str], tmp: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "repostguard",
            "clean",
            "run",
            "--yes",
            "--db",
            str(db),
            "--pace",
            "0.08",
            "--jitter",
            "0.04",
            "--checklist",
            str(tmp / "checklist.html"),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def test_sigkill_midway_then_restart_deletes_each_once(tmp_path: Path) -> None:
    ws = build_workspace(tmp_path, n_posts=20)
    st = fake_state(ws)  # random errors are covered in-process (test_runner_vk); here: the kill
    with serve(st) as url:
        env = dict(
            os.environ,
            REPOSTGUARD_HOME=str(tmp_path / "home"),
            REPOSTGUARD_VK_TOKEN=TOKEN,
            REPOSTGUARD_VK_API_URL=url,
            REPOSTGUARD_BACKUP_PASSPHRASE=PASSPHRASE,
        )
        src = str(Path(__file__).resolve().parents[2] / "src")
        env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
        # kill points: soon after start (time), then after a number of deletions
        kills, outputs = kill_at_points(
            lambda: _start(ws.db, env, tmp_path), st.total_deletions,
            (("time", 0.6), ("deletions", 4), ("deletions", 9), ("deletions", 13)),
        )
        assert kills >= 3, outputs
        final = _start(ws.db, env, tmp_path)
        out, _ = final.communicate(timeout=120)
        assert final.returncode == 0, out
        status = subprocess.run(
            [sys.executable, "-m", "repostguard", "clean", "status", "--db", str(ws.db)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    # the fake server: every approved object deleted exactly once, nothing else, nothing twice
    assert set(st.deletions) == set(ws.keys.values())
    assert all(n == 1 for n in st.deletions.values()), st.deletions
    assert st.redundant == []
    # the journal and tombstones agree
    with Store.open(ws.db) as store:
        tomb = {r[0] for r in store.conn.execute("SELECT id FROM items WHERE deleted_at IS NOT NULL")}
        assert tomb == set(ws.delete_ids)
        last = dict(
            store.conn.execute(
                "SELECT item_id, status FROM clean_actions"
                " WHERE id IN (SELECT max(id) FROM clean_actions GROUP BY item_id)"
            )
        )
        assert set(last) == set(ws.delete_ids)
        assert set(last.values()) <= {"done", "gone"}
        runs = store.conn.execute("SELECT count(*) FROM clean_runs").fetchone()[0]
        assert runs >= 4
    assert "ещё в сети: 0" in status.stdout
    assert "ещё видно в сети: 0" in out
    assert TOKEN not in "".join(outputs) + out
