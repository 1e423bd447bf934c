"""Opening a picture safely, and finding Tesseract's language data: shared by the stages that read pictures
(the pictures pass in :mod:`repostguard.media`, the screenshot importer, the report's pictures).

Pictures come from strangers: a file can be empty, huge, a decompression bomb, or not a picture at all.
:func:`open_picture` refuses all of these with :class:`BadImage`, whose ``reason`` is a catalogue message.
"""

from __future__ import annotations

import io
import json
import os
import sys
import warnings
from pathlib import Path
from typing import Any

from PIL import Image

from repostguard.errors import Notice

#: larger files are not decoded (a phone photo is 2-12 MB)
MAX_FILE_BYTES = 40 * 1024 * 1024
#: decompression-bomb guard: more pixels than this is refused before decoding (a 48 MP photo is about 48 M)
MAX_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow's own guard raises DecompressionBombError above 2x this

#: where Tesseract's language data usually is (after $TESSDATA_PREFIX)
TESSDATA_CANDIDATES = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/usr/local/share/tesseract-ocr/tessdata",
    "/opt/homebrew/share/tessdata",
)
#: where the Windows installers of Tesseract put their language data (for all users, or one)
WINDOWS_TESSDATA = (("ProgramFiles", "Tesseract-OCR"), ("ProgramFiles(x86)", "Tesseract-OCR"),
                    ("LOCALAPPDATA", "Programs/Tesseract-OCR"))


class BadImage(Exception):
    """A picture that cannot or must not be decoded; ``reason`` says why (no file name): a catalogue key
    and its fields, said in the language of the moment it is shown."""

    def __init__(self, key: str, **fields: Any) -> None:
        super().__init__(key)
        self.reason = Notice(key, **fields)

    def __str__(self) -> str:
        return str(self.reason)

    def stored(self) -> str:
        """The reason as it is kept (``media_cache.warning``): its key and fields, as JSON."""
        return json.dumps({"key": self.reason.key, **self.reason.fields}, ensure_ascii=False)


def open_picture(data: bytes) -> Image.Image:
    """The picture in ``data``, opened lazily (its pixels are decoded on first use), after the checks that
    need no decoding: not empty, at most :data:`MAX_FILE_BYTES`, a known format, at most :data:`MAX_PIXELS`.
    Decode it inside :func:`picture_errors`, which turns what Pillow raises into :class:`BadImage`."""
    if not data:
        raise BadImage("err_img_empty")
    if len(data) > MAX_FILE_BYTES:
        raise BadImage("err_img_too_large", mb=round(len(data) / 1e6), limit=MAX_FILE_BYTES // 2**20)
    with picture_errors():
        im = Image.open(io.BytesIO(data))
        w, h = im.size
        if w <= 0 or h <= 0:
            raise BadImage("err_img_no_pixels")
        if w * h > MAX_PIXELS:
            raise BadImage("err_img_bomb_pixels", width=w, height=h, limit=MAX_PIXELS)
        return im


class picture_errors:  # noqa: N801 - used as a context manager, like contextlib's
    """Within it, Pillow's decompression-bomb warning is an error, and what Pillow raises for a bad
    picture becomes :class:`BadImage` (the cause keeps Pillow's own words)."""

    def __enter__(self) -> None:
        self._warnings = warnings.catch_warnings()
        self._warnings.__enter__()
        warnings.simplefilter("error", Image.DecompressionBombWarning)

    def __exit__(self, kind: type[BaseException] | None, e: BaseException | None, tb: Any) -> None:
        self._warnings.__exit__(kind, e, tb)
        if e is None or isinstance(e, BadImage) or not isinstance(e, Exception):
            return
        if isinstance(e, (Image.DecompressionBombError, Image.DecompressionBombWarning)):
            raise BadImage("err_img_bomb") from e
        if isinstance(e, MemoryError):
            raise BadImage("err_img_too_large_to_decode") from e
        if type(e).__name__ == "UnidentifiedImageError":
            raise BadImage("err_img_unknown_format") from e
        raise BadImage("err_img_damaged") from e


def tessdata_dir(langs: tuple[str, ...] = ("rus", "eng")) -> str | None:
    """The folder holding the language data of ``langs`` ($TESSDATA_PREFIX first, then the usual places);
    else the first of them holding any language data; None when there is none."""
    env = os.environ.get("TESSDATA_PREFIX")
    cands = ([env, str(Path(env) / "tessdata")] if env else []) + list(TESSDATA_CANDIDATES)
    if sys.platform == "win32":
        cands += [str(Path(base) / sub / "tessdata") for var, sub in WINDOWS_TESSDATA
                  if (base := os.environ.get(var))]
    for c in cands:
        if c and all((Path(c) / f"{lang}.traineddata").is_file() for lang in langs):
            return c
    for c in cands:
        if c and Path(c).is_dir() and any(Path(c).glob("*.traineddata")):
            return c
    return None


__all__ = ["BadImage", "MAX_FILE_BYTES", "MAX_PIXELS", "TESSDATA_CANDIDATES", "open_picture", "picture_errors",
           "tessdata_dir"]
