"""Decoding pictures as they come: JPEG, PNG, WebP, GIF, HEIC; EXIF orientation; bomb guards.

Every decode goes through :func:`open_checked`, which refuses files that are too large,
pictures that claim too many pixels (decompression bombs) and anything Pillow cannot read,
by raising :class:`BadImage` with a short reason. Nothing here reads a whole huge file into
memory: the size is checked with ``stat`` first and the pixel count from the header.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFile, ImageOps

from repostguard.errors import Notice
from repostguard.imaging import MAX_FILE_BYTES, BadImage, open_picture, picture_errors

#: how many frames of an animated picture are looked at (the first and evenly spaced later ones)
MAX_FRAMES = 4
#: pictures whose long side is above this are decoded reduced for OCR (libjpeg DCT scaling / area resize)
OCR_MAX_SIDE = 2200

ImageFile.LOAD_TRUNCATED_IMAGES = False

_HEIF = False
try:  # HEIC/HEIF where the library is available
    import pillow_heif

    pillow_heif.register_heif_opener()
    _HEIF = True
except Exception:  # noqa: BLE001 - optional
    _HEIF = False


def reason_of(stored: str | None) -> Notice | str:
    """A kept reason (:meth:`BadImage.stored`) as a message; text kept by an older version as it is."""
    try:
        data = json.loads(stored or "")
    except ValueError:
        return stored or ""
    if not isinstance(data, dict) or not isinstance(data.get("key"), str):
        return stored or ""
    key = data.pop("key")
    return Notice(key, **data)


@dataclass
class Decoded:
    """A decoded picture: RGB frames (uint8 HxWx3) at the requested scale, and the original size."""

    frames: list[np.ndarray]
    width: int
    height: int
    format: str


def heif_available() -> bool:
    return _HEIF


def _to_rgb(im: Image.Image) -> Image.Image:
    """Any mode (CMYK, 16-bit, palette, alpha, float) to 8-bit RGB; transparency over white."""
    mode = im.mode
    if mode == "RGB":
        return im
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        arr = np.asarray(im, dtype=np.float64)
        hi = float(arr.max()) if arr.size else 0.0
        lo = float(arr.min()) if arr.size else 0.0
        scale = 255.0 / (hi - lo) if hi > lo else 0.0
        arr8 = ((arr - lo) * scale).clip(0, 255).astype(np.uint8)
        return Image.fromarray(arr8).convert("RGB")
    if mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        bg = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        bg.alpha_composite(rgba)
        return bg.convert("RGB")
    return im.convert("RGB")


def _frame_indices(n: int) -> list[int]:
    if n <= 1:
        return [0]
    k = min(MAX_FRAMES, n)
    return sorted({round(i * (n - 1) / (k - 1)) for i in range(k)})


def read_bytes(path: str | Path) -> bytes:
    """The file's bytes, refusing files above :data:`MAX_FILE_BYTES` before reading them."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as e:
        raise BadImage("err_img_cannot_read") from e
    if size > MAX_FILE_BYTES:
        raise BadImage("err_img_too_large", mb=round(size / 1e6), limit=MAX_FILE_BYTES // 2**20)
    if size == 0:
        raise BadImage("err_img_empty")
    try:
        return p.read_bytes()
    except OSError as e:
        raise BadImage("err_img_cannot_read") from e


def decode(data: bytes, *, max_side: int | None = None, scale: int = 1, all_frames: bool = False) -> Decoded:
    """Decode ``data`` to RGB frames, upright per EXIF, reduced by ``scale`` (1, 2, 4, 8) or to ``max_side``.

    JPEG reduction uses libjpeg's DCT scaling (cheap); other formats are area-resized after
    decoding. With ``all_frames`` an animated picture gives its first and a few later frames.
    Raises :class:`BadImage` for anything that is not a readable, reasonably sized picture.
    """
    im = open_picture(data)
    w, h = im.size
    with picture_errors():
        fmt = im.format or "?"
        target = scale
        if max_side and max(w, h) > max_side:
            target = max(target, int(np.ceil(max(w, h) / max_side)))
        if fmt == "JPEG" and target > 1:
            im.draft("RGB", (max(1, w // target), max(1, h // target)))
        n = int(getattr(im, "n_frames", 1) or 1)
        idx = _frame_indices(n) if all_frames else [0]
        frames: list[np.ndarray] = []
        for i in idx:
            if n > 1:
                im.seek(i)
            fr = ImageOps.exif_transpose(im) if i == 0 else im.copy()
            fr = _to_rgb(fr)
            if target > 1 and max(fr.size) > max(w, h) // target + 1:
                fr = fr.reduce(target)  # not DCT-scaled (PNG, WebP, GIF, HEIC): box-average it
            frames.append(np.asarray(fr, dtype=np.uint8))
        return Decoded(frames=frames, width=w, height=h, format=fmt)
