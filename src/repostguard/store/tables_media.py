"""The media stage's tables, added by the named migration ``0003_media``.

- ``media_cache``: per picture content (sha256): status, whether it holds text, OCR text, PDQ
  hash and quality, the cheap 64-bit dHash, size, and a warning for pictures that were skipped.
- ``media_files``: per file path, the sha256 it had (size and mtime), so a second run reads
  nothing it already knows.
- ``media_fetch``: VK photo URLs fetched (or not) by ``repostguard media fetch``.
- ``hash_banks`` / ``hash_bank_entries``: imported banks of PDQ hashes of known pictures.

Imported at the end of :mod:`repostguard.store.migrations`; imports nothing else of the store.
"""

from __future__ import annotations

import sqlite3

from repostguard.store.registry import migration


@migration("0003_media")
def _media(conn: sqlite3.Connection) -> None:
    conn.executescript(
        """
        CREATE TABLE media_cache (
            sha256 TEXT PRIMARY KEY,
            status TEXT NOT NULL,           -- 'ok' or 'bad'
            has_text INTEGER,
            ocr_text TEXT,
            ocr_version TEXT,
            pdq TEXT,                       -- 64 hex digits
            pdq_quality INTEGER,
            dhash TEXT,                     -- 16 hex digits
            width INTEGER,
            height INTEGER,
            warning TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE media_files (
            path TEXT PRIMARY KEY,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL
        );
        CREATE TABLE media_fetch (
            url TEXT PRIMARY KEY,
            item_id TEXT NOT NULL,
            status TEXT NOT NULL,           -- 'ok', 'gone', 'error', 'refused'
            path TEXT,
            http_status INTEGER,
            error TEXT,
            fetched_at TEXT NOT NULL
        );
        CREATE INDEX media_fetch_item ON media_fetch(item_id);
        CREATE TABLE hash_banks (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            imported_at TEXT NOT NULL,
            entries INTEGER NOT NULL,
            dropped_low_quality INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE hash_bank_entries (
            id INTEGER PRIMARY KEY,
            bank_id INTEGER NOT NULL REFERENCES hash_banks(id),
            pdq TEXT NOT NULL,
            quality INTEGER,
            label TEXT NOT NULL,
            reference TEXT NOT NULL,
            UNIQUE(pdq, reference)
        );
        """
    )

