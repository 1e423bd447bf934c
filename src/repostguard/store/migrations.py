"""Named schema migrations, applied in order and recorded in ``_migrations``.

A migration is registered with :func:`migration` and never edited once released: change the
schema by adding a new one. Other stages (review, clean-up, organisation lists) add theirs the
same way, in the ``tables_*`` modules of this package, imported at the bottom of this one.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from repostguard.store.registry import MIGRATIONS, migration


def applied(conn: sqlite3.Connection) -> list[str]:
    conn.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    return [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY rowid")]


def pending(conn: sqlite3.Connection) -> list[str]:
    done = set(applied(conn))
    return [n for n, _ in MIGRATIONS if n not in done]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply every pending migration, each in its own transaction; return their names."""
    done = set(applied(conn))
    ran: list[str] = []
    for name, fn in MIGRATIONS:
        if name in done:
            continue
        with conn:
            fn(conn)
            conn.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                (name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
        ran.append(name)
    return ran


@migration("0001_core")
def _core(conn: sqlite3.Connection) -> None:
    conn.executescript(
        """
        CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            platform TEXT NOT NULL,
            sha256 TEXT,
            importer_version TEXT,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            added INTEGER DEFAULT 0,
            updated INTEGER DEFAULT 0,
            unchanged INTEGER DEFAULT 0,
            warnings TEXT
        );
        CREATE TABLE raw_records (
            id TEXT PRIMARY KEY,            -- sha256 of the record as stored
            platform TEXT NOT NULL,
            source_file TEXT,
            pointer TEXT,
            content TEXT NOT NULL
        );
        CREATE TABLE items (
            id TEXT PRIMARY KEY,            -- derived from platform + native id
            ref TEXT NOT NULL UNIQUE,
            platform TEXT NOT NULL,
            native_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            date TEXT,
            date_tz_assumed INTEGER NOT NULL DEFAULT 0,
            author TEXT NOT NULL DEFAULT 'self',
            text TEXT NOT NULL DEFAULT '',
            attachments TEXT NOT NULL DEFAULT '[]',
            reposted_from TEXT,
            url TEXT,
            visibility TEXT,
            raw_id TEXT REFERENCES raw_records(id),
            content_hash TEXT NOT NULL,
            import_id INTEGER REFERENCES imports(id),
            deleted_at TEXT
        );
        CREATE INDEX items_platform_kind ON items(platform, kind);
        CREATE INDEX items_date ON items(date);
        CREATE TABLE lists (
            id INTEGER PRIMARY KEY,
            bank TEXT NOT NULL,
            version TEXT NOT NULL,
            source TEXT,
            fetched_at TEXT,
            sha256 TEXT NOT NULL,
            entries INTEGER,
            UNIQUE(bank, sha256)
        );
        CREATE TABLE scans (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            bank TEXT NOT NULL,
            list_version TEXT NOT NULL,
            list_sha256 TEXT NOT NULL,
            matcher_version TEXT NOT NULL,
            items INTEGER,
            findings INTEGER
        );
        CREATE TABLE findings (
            id INTEGER PRIMARY KEY,
            item_id TEXT NOT NULL REFERENCES items(id),
            bank TEXT NOT NULL,
            entry TEXT NOT NULL,
            level TEXT NOT NULL,
            signal TEXT NOT NULL,
            score REAL NOT NULL,
            evidence TEXT NOT NULL,
            explanation_ru TEXT NOT NULL,
            explanation_en TEXT NOT NULL,
            list_version TEXT NOT NULL,
            matcher_version TEXT NOT NULL,
            scan_id INTEGER REFERENCES scans(id),
            UNIQUE(item_id, bank, entry)
        );
        CREATE INDEX findings_item ON findings(item_id);
        CREATE INDEX findings_bank_entry ON findings(bank, entry);
        """
    )


@migration("0002_decisions")
def _decisions(conn: sqlite3.Connection) -> None:
    """The person's decisions per item, and entries they marked as not a match on an item."""
    conn.executescript(
        """
        CREATE TABLE decisions (
            item_id TEXT PRIMARY KEY REFERENCES items(id),
            action TEXT NOT NULL CHECK (action IN ('delete', 'hide', 'keep', 'not-a-match')),
            note TEXT,
            decided_at TEXT NOT NULL,
            source TEXT                      -- 'cli', 'page', 'csv'
        );
        CREATE TABLE suppressions (
            item_id TEXT NOT NULL REFERENCES items(id),
            bank TEXT NOT NULL,
            entry TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (item_id, bank, entry)
        );
        """
    )



@migration("0010_list_entries")
def _list_entries(conn: sqlite3.Connection) -> None:
    """The list entries a scan ran against, so reports show them without the list file."""
    conn.executescript(
        """
        CREATE TABLE list_entries (
            bank TEXT NOT NULL,
            version TEXT NOT NULL,
            entry TEXT NOT NULL,
            text TEXT NOT NULL,
            included TEXT,                   -- inclusion date (ISO), when the list gives one
            excluded INTEGER NOT NULL DEFAULT 0,
            court_decision TEXT,
            decision_date TEXT,
            PRIMARY KEY (bank, version, entry)
        );
        """
    )


@migration("0011_raw_encoding")
def _raw_encoding(conn: sqlite3.Connection) -> None:
    """Raw records may be kept in the export's own encoding: ``content`` is then that encoding's
    bytes (a BLOB) and ``encoding`` names it; NULL means UTF-8 text, as every record before."""
    conn.execute("ALTER TABLE raw_records ADD COLUMN encoding TEXT")

# the other stages' tables, in the order they were released (isort must not reorder them)
# isort: off
from repostguard.store import tables_recheck as _recheck_schema  # noqa: E402,F401  (org lists, recheck, legal)
from repostguard.store import tables_actions as _clean_schema  # noqa: E402,F401  (clean-up tables)
from repostguard.store import tables_media as _media_schema  # noqa: E402,F401  (media cache, hash banks)
from repostguard.store import tables_review as _review_schema  # noqa: E402,F401  (review full-text index)
from repostguard.store import tables_symbols as _symbols_schema  # noqa: E402,F401  (symbols in pictures)
# isort: on
