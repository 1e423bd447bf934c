"""The explicit list of importers and format detection."""

from __future__ import annotations

from pathlib import Path

from repostguard.errors import InputError, os_reason
from repostguard.importers._base import Importer
from repostguard.importers.facebook import FacebookImporter
from repostguard.importers.generic import GenericImporter
from repostguard.importers.instagram import InstagramImporter
from repostguard.importers.mastodon import MastodonImporter
from repostguard.importers.ok_page import OkPageImporter
from repostguard.importers.saved_page import SavedPageImporter
from repostguard.importers.screenshots import ScreenshotImporter
from repostguard.importers.telegram import TelegramImporter
from repostguard.importers.twitter import TwitterImporter
from repostguard.importers.vk_api import VkApiImporter
from repostguard.importers.vk_archive import VkArchiveImporter

#: every importer, most specific first; the generic format comes last (the message ``err_unknown_format``
#: names their platforms)
IMPORTERS: list[type[Importer]] = [VkArchiveImporter, VkApiImporter,
                                   TelegramImporter, TwitterImporter, FacebookImporter, InstagramImporter,
                                   MastodonImporter, OkPageImporter, SavedPageImporter, ScreenshotImporter,
                                   GenericImporter]


def detect(path: Path, media_dir: Path | None = None) -> Importer:
    """The importer that recognises ``path``, or an InputError saying what formats are known."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "err_no_such_path")
    for cls in IMPORTERS:
        try:
            ok = cls.detect(path)
        except OSError as e:
            raise InputError(path, "err_cannot_read_because", reason=os_reason(e)) from e
        if ok:
            return cls(path, media_dir)
    raise InputError(path, "err_unknown_format")
