"""The workspace's own settings (the person's time zone): a small JSON file beside the database,
``<workspace>.settings.json``, owner-only, replaced atomically. A missing or damaged file is no
settings at all; reading never fails."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from repostguard.paths import atomic_write

#: the setting that names the person's time zone (an IANA name)
ZONE_KEY = "time_zone"


def settings_path(db: Path) -> Path:
    """Where the settings of the workspace ``db`` are kept."""
    return db.with_name(db.name + ".settings.json")


def read_settings(db: Path) -> dict[str, Any]:
    """The settings of the workspace ``db`` (empty when there are none or the file is unreadable)."""
    try:
        data = json.loads(settings_path(db).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_setting(db: Path, key: str, value: Any) -> None:
    """Set one setting of the workspace ``db`` (the file is written owner-only, atomically)."""
    data = read_settings(db)
    data[key] = value
    atomic_write(settings_path(db), json.dumps(data, ensure_ascii=False, indent=1) + "\n", sync=False)


def workspace_zone(db: Path) -> str:
    """The time zone the workspace ``db`` names (an IANA name), or ``""``."""
    value = read_settings(db).get(ZONE_KEY, "")
    return value if isinstance(value, str) else ""


__all__ = ["ZONE_KEY", "read_settings", "settings_path", "workspace_zone", "write_setting"]
