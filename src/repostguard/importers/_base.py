"""The importer contract every platform implements.

An importer is constructed on a path (a file, a folder, or a ZIP archive), says whether it
recognises it (:meth:`Importer.detect`), checks it before anything is stored
(:meth:`Importer.verify`: layout, owning account) and then streams unified items
(:meth:`Importer.iter_items`), keeping each raw record on ``Item.raw``. Problems that do not stop
the import are appended to ``warnings`` as one-line messages (:class:`~repostguard.errors.Notice`: a
catalogue key and its fields, said in the language of the moment they are shown); problems that do
raise :class:`repostguard.errors.InputError` naming the file and the place.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from repostguard.errors import Notice
from repostguard.model import Item


class Importer(ABC):
    """Base class of importers; subclasses set ``platform`` and ``version``."""

    platform: ClassVar[str]
    version: ClassVar[str] = "1"  # a subclass names its own only once it changes what it reads

    def __init__(self, path: Path, media_dir: Path | None = None) -> None:
        self.path = Path(path)
        #: where media files extracted from a ZIP go (the workspace's media folder)
        self.media_dir = media_dir
        self.warnings: list[Notice] = []
        #: what the import left out by design, for the person to know (not a problem of the export)
        self.notes: list[Notice] = []

    @classmethod
    @abstractmethod
    def detect(cls, path: Path) -> bool:
        """True when ``path`` looks like this importer's format (cheap, reads little)."""

    def verify(self) -> None:  # noqa: B027 - optional hook
        """Check the layout and owner before importing; raise InputError if it is not usable."""

    @abstractmethod
    def iter_items(self) -> Iterator[Item]:
        """Stream the unified items of the export."""

    def warn(self, message: Notice | str, **fields: Any) -> None:
        """Add a warning: a :class:`Notice`, or the key of one and its fields."""
        self.warnings.append(message if isinstance(message, Notice) else Notice(message, **fields))

    def note(self, key: str, **fields: Any) -> None:
        """Add a note (what the import left out by design): the key of a message and its fields."""
        self.notes.append(Notice(key, **fields))
