"""Tables of the clean-up stage: runs, the action journal, the backups index, checklist ticks."""

from __future__ import annotations

import sqlite3

from repostguard.store.registry import migration


@migration("0006_clean_journal")
def _clean_journal(conn: sqlite3.Connection) -> None:
    """Runs, one journal row per attempt (intent first, result after), backups and ticks."""
    conn.executescript(
        """
        CREATE TABLE clean_runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            plan_sha256 TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'running',   -- running | finished | stopped
            message TEXT
        );
        CREATE TABLE clean_actions (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES clean_runs(id),
            item_id TEXT NOT NULL REFERENCES items(id),
            platform TEXT NOT NULL,
            action TEXT NOT NULL,           -- delete | hide | probe
            method TEXT NOT NULL,           -- the platform call, e.g. wall.delete
            target TEXT NOT NULL,           -- the call's parameters as JSON (never a token)
            status TEXT NOT NULL,           -- intent | done | gone | denied | not-sent | failed | refused
            intent_at TEXT NOT NULL,
            result_at TEXT,
            answer TEXT                     -- the platform's answer as JSON
        );
        CREATE INDEX clean_actions_item ON clean_actions(item_id, id);
        CREATE TABLE clean_backups (
            item_id TEXT NOT NULL REFERENCES items(id),
            file TEXT NOT NULL,
            record_sha256 TEXT NOT NULL,
            backed_up_at TEXT NOT NULL,
            PRIMARY KEY (item_id, file)
        );
        CREATE TABLE clean_ticks (
            item_id TEXT PRIMARY KEY REFERENCES items(id),
            ticked_at TEXT NOT NULL,
            note TEXT
        );
        """
    )
