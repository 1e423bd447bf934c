"""The symbols a picture shows, added to the media cache by the named migration ``0102_media_symbols``.

- ``media_cache.symbols``: a JSON list of ``[id, score, x, y, w, h]`` in the picture's pixels
  (:mod:`repostguard.media.symbols`);
- ``media_cache.symbols_version``: the detector's version that found them (older ones are looked at again).

Imported at the end of :mod:`repostguard.store.migrations`; imports nothing else of the store.
"""

from __future__ import annotations

import sqlite3

from repostguard.store.registry import migration


@migration("0102_media_symbols")
def _media_symbols(conn: sqlite3.Connection) -> None:
    conn.executescript(
        """
        ALTER TABLE media_cache ADD COLUMN symbols TEXT;
        ALTER TABLE media_cache ADD COLUMN symbols_version TEXT;
        """
    )
