"""Where repostguard keeps its files (the data dir; ``REPOSTGUARD_HOME`` overrides it), how it writes
them (atomically, owner-only), and what the machine offers (usable CPUs)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import platformdirs

APP = "repostguard"


def data_dir() -> Path:
    """The data dir, created owner-only if it does not exist."""
    env = os.environ.get("REPOSTGUARD_HOME")
    path = Path(env).expanduser() if env else Path(platformdirs.user_data_dir(APP, appauthor=False))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def default_db() -> Path:
    """The default workspace database."""
    return data_dir() / "workspace.sqlite"


def cache_dir() -> Path | None:
    """Where built indexes are cached (under the data dir); None if it cannot be created."""
    try:
        return data_dir() / "cache"
    except OSError:
        return None


def lists_dir() -> Path:
    """Where installed lists live."""
    path = data_dir() / "lists"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def atomic_write(path: str | Path, data: bytes | str, *, sync: bool = True) -> Path:
    """Replace ``path`` with ``data`` atomically (text is written as UTF-8); returns the path.

    The file is owner-only (0600): ``tempfile.mkstemp`` creates it so, whatever the umask.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity where the system tells it, as in a container
    limited to some CPUs), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1
