"""Where repostguard keeps its files: the data dir (``REPOSTGUARD_HOME`` overrides it)."""

from __future__ import annotations

import os
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


def lists_dir() -> Path:
    """Where installed lists live."""
    path = data_dir() / "lists"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
