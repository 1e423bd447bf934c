"""Reading a screenshot: decoding it safely, when it was taken (EXIF), and its lines of text with
their boxes (Tesseract through tesserocr, one engine for the whole import).

This is the importers' own reader, not :mod:`repostguard.media`: importers and media are one
layer and do not import each other (``[tool.importlinter]``), and splitting a screenshot into
posts needs its text at import time. It asks Tesseract once per screenshot, on the grayscale
picture reduced to about 540-720 pixels wide (phone text is 40-45 pixels high at 1080: about 20
after reduction, which Tesseract reads well and four times faster), for the text lines with their
boxes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np
from PIL import Image, ImageOps

from repostguard.errors import Notice
from repostguard.imaging import BadImage, open_picture, picture_errors, tessdata_dir

#: the same limits as the media pass's (repostguard.media.images): a 40 MiB file, 40 million pixels
LANGS = "rus+eng"
try:  # HEIC/HEIF screenshots (iPhones) where the library is available, as the media pass reads them
    import pillow_heif

    pillow_heif.register_heif_opener()
except Exception:  # noqa: BLE001 - optional
    pass
#: lines Tesseract is less sure of than this (0-100) are dropped (photos and icons read as letters)
MIN_LINE_CONFIDENCE = 45


@dataclass
class Picture:
    """A decoded screenshot: upright RGB and its grayscale."""

    rgb: Image.Image
    gray: np.ndarray


@dataclass
class Line:
    """One line of text: its box in the picture's pixels (x0, y0, x1, y1), its text, Tesseract's confidence."""

    box: tuple[int, int, int, int]
    text: str
    conf: float

    @property
    def top(self) -> int:
        return self.box[1]

    @property
    def bottom(self) -> int:
        return self.box[3]

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]


def decode(data: bytes) -> Picture:
    """Decode ``data`` upright (EXIF orientation), refusing bombs and what is not a picture."""
    im = open_picture(data)
    with picture_errors():
        rgb = ImageOps.exif_transpose(im).convert("RGB")
    return Picture(rgb=rgb, gray=np.asarray(rgb.convert("L")))


def exif_time(im: Image.Image) -> tuple[datetime | None, bool]:
    """EXIF DateTimeOriginal (or DateTime) with OffsetTimeOriginal when given: (moment, zone known)."""
    try:
        exif = im.getexif()
        sub = exif.get_ifd(0x8769)
        raw = sub.get(36867) or exif.get(306)
        if not raw:
            return None, False
        dt = datetime.strptime(str(raw).strip()[:19], "%Y:%m:%d %H:%M:%S")
        off = str(sub.get(36881) or "").strip()
        if len(off) == 6 and off[0] in "+-" and off[3] == ":":
            delta = timedelta(hours=int(off[1:3]), minutes=int(off[4:6]))
            return dt.replace(tzinfo=timezone(-delta if off[0] == "-" else delta)), True
        return dt, False
    except Exception:  # noqa: BLE001 - a damaged EXIF block only loses the time
        return None, False


def reading_scale(width: int) -> int:
    """By how much a screenshot is reduced before reading: to 540-720 pixels wide (phones are 720-1440)."""
    return max(1, round(width / 620))


class LineReader:
    """One Tesseract engine (rus+eng, one thread) giving the lines of a picture with their boxes."""

    def __init__(self) -> None:
        os.environ["OMP_THREAD_LIMIT"] = "1"
        path = tessdata_dir()
        if path is None:
            raise BadImage("err_ocr_no_data", hint=Notice("err_screens_ocr_hint"))
        try:
            import tesserocr
        except ImportError as e:
            raise BadImage("err_ocr_no_engine", hint=Notice("err_screens_ocr_hint")) from e
        self._tess: Any = tesserocr
        try:
            self._api: Any = tesserocr.PyTessBaseAPI(path=path, lang=LANGS)
        except RuntimeError as e:
            raise BadImage("err_ocr_cannot_start", path=path, hint=Notice("err_screens_ocr_hint")) from e

    def lines(self, gray: np.ndarray) -> list[Line]:
        """The lines of text of a grayscale picture (dark themes inverted), boxes in its own pixels."""
        scale = reading_scale(gray.shape[1])
        g = gray
        if scale > 1:
            h, w = gray.shape[0] // scale * scale, gray.shape[1] // scale * scale
            g = gray[:h, :w].reshape(h // scale, scale, w // scale, scale).mean(axis=(1, 3)).astype(np.uint8)
        if float(g.mean()) < 110:  # a dark theme: light letters on dark
            g = 255 - g
        g = np.ascontiguousarray(g)
        out: list[Line] = []
        try:
            self._api.SetImageBytes(g.tobytes(), g.shape[1], g.shape[0], 1, g.shape[1])
            self._api.Recognize()
        except RuntimeError:  # a picture Tesseract cannot lay out: no lines
            return out
        ril = self._tess.RIL.TEXTLINE
        it = self._api.GetIterator()
        if it is None:
            return out
        while True:
            try:
                text = " ".join((it.GetUTF8Text(ril) or "").split())
                box = it.BoundingBox(ril)
                conf = float(it.Confidence(ril))
            except RuntimeError:  # tesserocr's "No text returned" for an empty picture
                text, box, conf = "", None, 0.0
            if text and box and conf >= MIN_LINE_CONFIDENCE and sum(c.isalnum() for c in text) >= 2:
                x0, y0, x1, y1 = (int(v) * scale for v in box)
                out.append(Line((x0, y0, x1, y1), text, conf))
            if not it.Next(ril):
                break
        out.sort(key=lambda ln: (ln.top, ln.box[0]))
        return out

    def close(self) -> None:
        self._api.End()

