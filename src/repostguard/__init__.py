"""repostguard: look at your own exported history the way an investigator would, before anyone else does."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
