"""OCR with Tesseract, called in-process through tesserocr (one engine per worker process).

Two passes per picture with text (see shared/docs/perf-baselines.md): the picture as it is
(grayscale), which reads black-on-white bands and demotivators, and a white-text mask (pixels
with V > 200 and S < 50 become black on white), which reads the classic white outlined meme
caption that default Tesseract misses. The two outputs are joined.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any

import cv2
import numpy as np

from repostguard import imaging
from repostguard.errors import ExternalError, Listing, Notice

LANGS = ("rus", "eng")
#: bumped when the passes change, so cached OCR text from older passes is redone
OCR_VERSION = "4"


def install_hint() -> Notice:
    """How to get the OCR engine and its Russian and English data on this system."""
    if sys.platform == "win32":
        return Notice("err_ocr_install_windows")
    if sys.platform == "darwin":
        return Notice("err_ocr_install", command="brew install tesseract tesseract-lang")
    return Notice("err_ocr_install", command="sudo apt-get install tesseract-ocr tesseract-ocr-rus tesseract-ocr-eng")


def tessdata_dir() -> str | None:
    """The folder holding ``rus.traineddata`` and ``eng.traineddata`` (TESSDATA_PREFIX first)."""
    return imaging.tessdata_dir(LANGS)


def check_engine() -> str:
    """Raise ExternalError (one line) unless Tesseract and both languages are usable; return a version."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        import tesserocr
    except ImportError as e:
        raise ExternalError("err_ocr_no_engine", hint=install_hint()) from e
    path = tessdata_dir()
    if path is None:
        raise ExternalError("err_ocr_no_data", hint=install_hint())
    _, langs = tesserocr.get_languages(path)
    missing = [lang for lang in LANGS if lang not in langs]
    if missing:
        raise ExternalError("err_ocr_missing_langs", path=path, hint=install_hint(),
                            langs=Listing(Notice(f"err_ocr_lang_{lang}") for lang in missing))
    return str(tesserocr.tesseract_version()).splitlines()[0].strip()


def white_text_mask(rgb: np.ndarray, outline: int = 0) -> np.ndarray:
    """Grayscale picture with near-white low-saturation pixels black and everything else white.

    With ``outline`` > 0, only white pixels within ``outline`` pixels of a dark pixel are kept:
    the letters of an outlined caption are, a light sky or wall behind it is not.
    """
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    m = (hsv[..., 2] > 200) & (hsv[..., 1] < 50)
    if outline > 0:
        k = outline | 1
        dark = (hsv[..., 2] < 90).astype(np.uint8)
        m &= cv2.dilate(dark, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))) > 0
    out = np.full(m.shape, 255, np.uint8)
    out[m] = 0
    return out


def outline_size(line_height: float | None, width: int) -> int:
    """How far (pixels) letter interiors may be from their outline, from the text's height."""
    base = 0.14 * line_height if line_height else width / 100
    return int(min(41, max(7, round(base))))


_WS = re.compile(r"[ \t]+")


#: a line box whose share of white-text-mask pixels is in this range holds white (outlined) text;
#: black text on a light band fills more, coloured text on a picture less
WHITE_TEXT_SHARE = (0.05, 0.42)


#: below this mean word confidence (0-100) of the chosen pass, the other pass runs too
MIN_CONFIDENCE = int(os.environ.get("REPOSTGUARD_OCR_MIN_CONFIDENCE", "80"))


def choose_passes(rgb: np.ndarray, lines: list[tuple[int, int, int, int]]) -> tuple[bool, bool]:
    """Which passes ``(raw, mask)`` the text lines found by the text check need.

    ``rgb`` and ``lines`` are at the same (half) scale. Lines of white text need the mask pass;
    any other line needs the raw pass; with no lines (text check off) both run.
    """
    if not lines:
        return True, True
    m = white_text_mask(rgb) == 0
    raw = mask = False
    for x, y, w, h in lines:
        share = float(m[y : y + h, x : x + w].mean())
        if WHITE_TEXT_SHARE[0] <= share <= WHITE_TEXT_SHARE[1]:
            mask = True
        else:
            raw = True
    return raw, mask


def clean_text(text: str) -> str:
    """Tesseract output without runs of spaces and empty lines."""
    lines = (_WS.sub(" ", line).strip() for line in text.replace("\x0c", "").splitlines())
    return "\n".join(line for line in lines if line)


def _alnum(s: str) -> int:
    return sum(ch.isalnum() for ch in s)


class OcrEngine:
    """One Tesseract engine (rus+eng, one thread); create one per process and reuse it."""

    def __init__(self) -> None:
        os.environ["OMP_THREAD_LIMIT"] = "1"
        import tesserocr

        path = tessdata_dir()
        if path is None:
            raise ExternalError("err_ocr_no_data", hint=install_hint())
        try:
            self._api: Any = tesserocr.PyTessBaseAPI(path=path, lang="+".join(LANGS))
            self.last_confidence = 0
            self._outline = 0
        except RuntimeError as e:
            raise ExternalError("err_ocr_cannot_start", path=path, hint=install_hint()) from e

    def _read_gray(self, gray: np.ndarray) -> str:
        g = np.ascontiguousarray(gray)
        h, w = g.shape[:2]
        self._api.SetImageBytes(g.tobytes(), w, h, 1, w)
        return str(self._api.GetUTF8Text() or "")

    def read(self, rgb: np.ndarray, *, raw: bool = True, mask: bool = True, line_height: float | None = None
             ) -> str:
        """The text of an RGB picture: raw pass and white-text pass, joined (duplicates dropped).

        ``raw``/``mask`` choose the passes (see :func:`choose_passes`); both by default. When
        only one is chosen and Tesseract's mean confidence in its result is below
        :data:`MIN_CONFIDENCE`, the other pass runs too. ``line_height`` (pixels, at the scale of
        ``rgb``) sizes the outline test of the white-text pass.
        """
        self._outline = outline_size(line_height, rgb.shape[1])
        parts: list[str] = []
        order = ([self._raw] if raw else []) + ([self._mask] if mask else [])
        if len(order) == 1:
            order.append(self._mask if raw else self._raw)
        for k, pass_ in enumerate(order):
            if k == 1 and raw != mask and self.last_confidence >= MIN_CONFIDENCE:
                break  # the chosen pass read its text confidently
            t = clean_text(self._read_gray(pass_(rgb)))
            self.last_confidence = int(self._api.MeanTextConf()) if _alnum(t) >= 3 else 0
            if _alnum(t) >= 3 and t not in parts:
                parts.append(t)
        return "\n".join(parts)

    @staticmethod
    def _raw(rgb: np.ndarray) -> np.ndarray:
        return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)

    def _mask(self, rgb: np.ndarray) -> np.ndarray:
        return white_text_mask(rgb, self._outline)

    def close(self) -> None:
        self._api.End()
