"""What Meta's two "Download your information" JSON exports (Facebook, Instagram) share.

Both come as a ZIP or a folder whose 2024+ layout puts the activity files under one folder
(``your_facebook_activity/``, ``your_instagram_activity/``) and whose older layout has them at the
top; both keep record lists in JSON files, streamed with ijson, with Meta's latin-1-escaped UTF-8
mojibake repaired; both name media files by ``uri`` and the owner's profile in one JSON file.
:class:`MetaExport` holds that part; the importers read the records themselves.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar, NoReturn

from repostguard.errors import InputError, Notice
from repostguard.importers._archive import ExportArchive
from repostguard.importers._base import Importer
from repostguard.importers._jsonstream import (
    Skipped,
    array_prefix,
    fix_mojibake,
    iter_json_items,
    load_json,
    not_in_export,
    probe,
    s,
    safe_rel,
)
from repostguard.model import Attachment

FACEBOOK_ROOT = "your_facebook_activity/"
INSTAGRAM_ROOT = "your_instagram_activity/"
VIDEO_EXT = (".mp4", ".mov", ".m4v", ".webm", ".avi")


class MetaExport(Importer):
    """The common part of the Facebook and Instagram importers: finding the export's layout, the
    profile file and the record lists, and resolving media ``uri`` values to files.

    Subclasses set ``activity_root`` (the 2024+ layout's folder) and ``export_name`` (the platform, in
    messages: ``Facebook``).
    """

    activity_root: ClassVar[str]
    export_name: ClassVar[str]

    def __init__(self, path: Path, media_dir: Path | None = None) -> None:
        super().__init__(path, media_dir)
        self.archive: ExportArchive | None = None
        #: ``activity_root`` in the 2024+ layout, else empty
        self.root = ""
        self.owner: str | None = None
        self._missing_media = 0
        #: parts of the export not read, by what they are (a message)
        self._unknown: Counter[Notice] = Counter()
        self._profile_file: str | None = None
        self._skipped = Skipped()

    @classmethod
    def _detect(cls, path: Path, names: list[str], *, unless_under: str | None = None) -> bool:
        """True for a ZIP or folder (not a lone JSON file) that holds one of ``names`` or the activity
        folder, and nothing under ``unless_under`` (the other Meta export's folder)."""
        path = Path(path)
        if not (path.is_dir() or path.is_file()) or path.is_file() and path.suffix.lower() == ".json":
            return False
        if unless_under is not None and probe(path, prefixes=[unless_under]):
            return False
        return probe(path, names=names, prefixes=[cls.activity_root]) is not None

    def _open(self) -> tuple[ExportArchive, list[str]]:
        """Open the export and find its layout (``self.root``); the archive and all its file names."""
        arch = self.archive = ExportArchive.open(self.path)
        names = arch.names()
        self.root = self.activity_root if any(n.startswith(self.activity_root) for n in names) else ""
        return arch, names

    def _refuse(self, names: list[str], key: str) -> NoReturn:
        """Raise for an export without any file this importer reads (``key``: the message that says which)."""
        if any(n.endswith(".html") for n in names[:5000]):
            raise InputError(self.path, "err_meta_html", name=self.export_name)
        raise InputError(self.path, key)

    def _read_profile(self, arch: ExportArchive, candidates: tuple[str, ...]) -> Any:
        """The first of the profile files ``candidates`` the export has, parsed and repaired (None when
        it has none); remembers which file it was."""
        for name in candidates:
            if arch.exists(name):
                with arch.open_bytes(name) as fh:
                    data = fix_mojibake(load_json(fh, arch.display(name)))
                self._profile_file = arch.display(name)
                return data
        return None

    def _records(
        self, arch: ExportArchive, name: str, keys: tuple[str, ...]
    ) -> Iterator[tuple[dict[str, Any], str, str]]:
        """``(record, file as displayed, place in the file)`` for each record of the list that file
        ``name`` holds under one of ``keys`` (or at its top), strings repaired; a record that is not
        an object is skipped with a counted warning. A file without such a list is refused."""
        disp = arch.display(name)
        prefix = array_prefix(arch, name, keys)
        if prefix is None:
            raise InputError(disp, "err_meta_not_a_list")
        base = "" if prefix == "item" else prefix.removesuffix(".item")
        with arch.open_bytes(name) as fh:
            for i, rec in enumerate(iter_json_items(fh, prefix, disp, base)):
                where = f"{base}[{i}]"
                if not isinstance(rec, dict):
                    self._skipped.add(disp, Notice("err_rec_not_object"), where)
                    continue
                yield fix_mojibake(rec), disp, where

    def _warn_missing_media(self, place: str) -> None:
        if self._missing_media:
            self.warn("err_media_missing", file=place, n=self._missing_media)

    def _warn_skipped(self) -> None:
        for w in self._skipped.warnings():
            self.warn(w)

    def _media_att(self, media: dict[str, Any]) -> Attachment:
        """An attachment for a Meta media object: the file it names, or its URL when it is a link."""
        uri = s(media.get("uri")) or ""
        typ = "video" if uri.lower().endswith(VIDEO_EXT) else "photo"
        title = s(media.get("description")) or s(media.get("title"))
        att = Attachment(type=typ, title=title)
        rel = safe_rel(uri) if uri and "://" not in uri else None
        if uri and "://" in uri:
            att.url = uri
            return att
        if rel is None:
            if uri:
                self._unknown[Notice("err_meta_unsafe_media_path")] += 1
            return att
        p = None
        if self.archive is not None:
            p = self.archive.media_path(rel, self.media_dir)
            if p is None and rel.startswith(FACEBOOK_ROOT):
                p = self.archive.media_path(rel[len(FACEBOOK_ROOT) :], self.media_dir)
        if p is None:
            self._missing_media += self.archive is None or not_in_export(self.archive, rel)
            att.extra["uri"] = uri
        else:
            att.path = str(p.resolve())
        return att
