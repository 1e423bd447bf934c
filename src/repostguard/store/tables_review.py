"""The review stage's own tables: a full-text index over the history.

``review_fts`` is a standalone FTS5 table (item id + text + attachment titles), filled by
:func:`repostguard.views.query.ensure_fts` when the items changed since it was last built, so
imports pay nothing for it. ``review_fts_state`` keeps the signature of the items it indexed.
"""

from __future__ import annotations

import sqlite3

from repostguard.store.registry import migration


@migration("0100_review_fts")
def _review_fts(conn: sqlite3.Connection) -> None:
    conn.executescript(
        """
        CREATE VIRTUAL TABLE review_fts USING fts5(
            item_id UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TABLE review_fts_state (id INTEGER PRIMARY KEY CHECK (id = 1), signature TEXT NOT NULL);
        """
    )


@migration("0101_review_summary")
def _review_summary(conn: sqlite3.Connection) -> None:
    """One row per flagged item (its most serious level, best score, findings count), so the first
    page of a large workspace is an index walk; rebuilt by
    :func:`repostguard.views.query.ensure_summary` whenever the findings changed."""
    conn.executescript(
        """
        CREATE TABLE review_summary (
            item_id TEXT PRIMARY KEY,
            worst INTEGER NOT NULL,
            best REAL NOT NULL,
            n INTEGER NOT NULL,
            date TEXT,
            year TEXT,
            platform TEXT,
            kind TEXT
        );
        CREATE INDEX review_summary_order ON review_summary(worst, best DESC, date DESC, item_id);
        CREATE TABLE review_summary_state (id INTEGER PRIMARY KEY CHECK (id = 1), signature TEXT NOT NULL);
        CREATE INDEX review_findings_bank_level ON findings(bank, level, item_id);
        """
    )
