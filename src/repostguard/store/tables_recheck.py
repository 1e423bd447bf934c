"""Tables of the organisation-list, recheck and legal-context stage (issue 7), as named migrations.

Imported by one line at the end of :mod:`repostguard.store.migrations`.
"""

from __future__ import annotations

import sqlite3

from repostguard.store.registry import migration


@migration("0070_recheck_state")
def _recheck_state(conn: sqlite3.Connection) -> None:
    """What each bank was last checked against, and a log of recheck runs."""
    conn.executescript(
        """
        CREATE TABLE recheck_state (
            bank TEXT PRIMARY KEY,
            list_version TEXT NOT NULL,
            list_sha256 TEXT,
            matcher_version TEXT NOT NULL,
            checked_at TEXT NOT NULL
        );
        CREATE TABLE recheck_runs (
            id INTEGER PRIMARY KEY,
            run_at TEXT NOT NULL,
            bank TEXT NOT NULL,
            from_version TEXT,
            to_version TEXT NOT NULL,
            added INTEGER NOT NULL DEFAULT 0,
            excluded INTEGER NOT NULL DEFAULT 0,
            edited INTEGER NOT NULL DEFAULT 0,
            new_findings INTEGER NOT NULL DEFAULT 0,
            dropped_findings INTEGER NOT NULL DEFAULT 0
        );
        """
    )


@migration("0071_legal_prior_penalties")
def _prior_penalties(conn: sqlite3.Connection) -> None:
    """Prior administrative penalties, only as the person enters them (never guessed)."""
    conn.execute(
        "CREATE TABLE legal_prior_penalties (id INTEGER PRIMARY KEY, article TEXT,"
        " penalty_date TEXT NOT NULL,"
        " note TEXT, entered_at TEXT NOT NULL)"
    )


@migration("0072_recheck_text")
def _recheck_text(conn: sqlite3.Connection) -> None:
    """Each item's text in the matchers' compact form, keyed by its content hash (a cache for recheck)."""
    conn.execute(
        "CREATE TABLE recheck_text (item_rowid INTEGER PRIMARY KEY, item_id TEXT NOT NULL,"
        " content_hash TEXT NOT NULL, compact TEXT NOT NULL)"
    )
