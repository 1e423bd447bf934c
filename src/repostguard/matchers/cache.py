"""Matchers' indexes kept between runs: building an index from a list takes seconds (the FSM's) or a
fraction of one (each organisation list's), loading it back a fraction of that.

An index is kept in the cache folder as a pickle named by the list it was built from and the code that
built it (every module and data file of this package), written atomically in an owner-only folder; a
stale, damaged or foreign file is built again, and the copies older code built are removed. The cache is
an optimisation only: without a folder, or when writing fails, the index is built.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
HERE = Path(__file__).parent


@lru_cache(maxsize=1)
def code_version() -> str:
    """What every index depends on: the matchers' modules and data files (any change rebuilds)."""
    files = sorted([*HERE.glob("*.py"), *HERE.glob("*.tsv"), *HERE.glob("*.tsv.gz")])
    return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()[:12]


def cached(cache_dir: Path | None, name: str, build: Callable[[], T], valid: Callable[[object], bool]) -> T:
    """The index ``name`` (list and matcher version, without the code's) from ``cache_dir`` when a kept
    copy passes ``valid``, else ``build()``, kept for the next run."""
    if cache_dir is None:
        return build()
    path = cache_dir / f"{name}-{code_version()}.pickle"
    if path.exists():
        try:
            with open(path, "rb") as fh:
                kept = pickle.load(fh)
            if valid(kept):
                return kept  # type: ignore[no-any-return]
        except Exception:  # noqa: BLE001 - a stale or damaged cache is rebuilt
            pass
    made = build()
    try:
        cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=f".{name[:12]}-")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(made, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        for old in cache_dir.glob(f"{name}-*.pickle"):
            if old != path and len(old.name) == len(path.name):
                old.unlink(missing_ok=True)  # built by older code: never valid again
    except OSError:
        pass  # the cache is an optimisation only
    return made


__all__ = ["cached", "code_version"]
