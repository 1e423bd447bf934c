"""The explicit list of importers and format detection."""

from __future__ import annotations

from pathlib import Path

from repostguard.errors import InputError
from repostguard.importers._base import Importer
from repostguard.importers.facebook import FacebookImporter
from repostguard.importers.generic import GenericImporter
from repostguard.importers.instagram import InstagramImporter
from repostguard.importers.mastodon import MastodonImporter
from repostguard.importers.telegram import TelegramImporter
from repostguard.importers.twitter import TwitterImporter
from repostguard.importers.vk_api import VkApiImporter
from repostguard.importers.vk_archive import VkArchiveImporter

#: every importer, most specific first; the generic format comes last
IMPORTERS: list[type[Importer]] = [VkArchiveImporter, VkApiImporter,
                                   TelegramImporter, TwitterImporter, FacebookImporter, InstagramImporter,
                                   MastodonImporter, GenericImporter]


def detect(path: Path, media_dir: Path | None = None) -> Importer:
    """The importer that recognises ``path``, or an InputError saying what formats are known."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file or folder")
    for cls in IMPORTERS:
        try:
            ok = cls.detect(path)
        except OSError as e:
            raise InputError(path, f"cannot be read ({e.strerror or e})") from e
        if ok:
            return cls(path, media_dir)
    known = ", ".join(dict.fromkeys(c.platform for c in IMPORTERS))
    raise InputError(
        path,
        f"not an export format repostguard knows (known: {known}); "
        "Odnoklassniki has no self-service archive: write your items in the generic format "
        "(docs/generic-format.md)",
    )
