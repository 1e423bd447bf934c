"""The register of schema migrations: every table of every stage is declared as a named migration
here in :mod:`repostguard.store` (``migrations`` and the ``tables_*`` modules), in the order they
were released; :mod:`.migrations` applies them."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(name: str) -> Callable[[Migration], Migration]:
    """Register ``fn`` as the migration called ``name`` (names are unique)."""

    def register(fn: Migration) -> Migration:
        if any(n == name for n, _ in MIGRATIONS):
            raise ValueError(f"duplicate migration name {name}")
        MIGRATIONS.append((name, fn))
        return fn

    return register
