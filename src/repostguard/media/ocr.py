"""OCR with Tesseract, called in-process through tesserocr (one engine per worker process).

Two passes per picture with text (see shared/docs/perf-baselines.md): the picture as it is
(grayscale), which reads black-on-white bands and demotivators, and a white-text mask (pixels
with V > 200 and S < 50 become black on white), which reads the classic white outlined meme
caption that default Tesseract misses. The two outputs are joined.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from repostguard.errors import ExternalError

LANGS = ("rus", "eng")
#: bumped when the passes change, so cached OCR text from older passes is redone
OCR_VERSION = "2"
_TESSDATA_CANDIDATES = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/usr/local/share/tesseract-ocr/tessdata",
    "/opt/homebrew/share/tessdata",
)
INSTALL_HINT = (
    "install it with: sudo apt-get install tesseract-ocr tesseract-ocr-rus tesseract-ocr-eng "
    "(or scan with --no-ocr) / установите: sudo apt-get install tesseract-ocr tesseract-ocr-rus "
    "tesseract-ocr-eng (или запустите scan с --no-ocr)"
)


def tessdata_dir() -> str | None:
    """The folder holding ``rus.traineddata`` and ``eng.traineddata`` (TESSDATA_PREFIX first)."""
    env = os.environ.get("TESSDATA_PREFIX")
    cands = ([env, str(Path(env) / "tessdata")] if env else []) + list(_TESSDATA_CANDIDATES)
    for c in cands:
        if c and all((Path(c) / f"{lang}.traineddata").is_file() for lang in LANGS):
            return c
    for c in cands:
        if c and Path(c).is_dir() and any(Path(c).glob("*.traineddata")):
            return c
    return None


def check_engine() -> str:
    """Raise ExternalError (one line) unless Tesseract and both languages are usable; return a version."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        import tesserocr
    except ImportError as e:
        raise ExternalError(f"OCR engine not available (python package tesserocr: {e}); "
                            f"{INSTALL_HINT}") from e
    path = tessdata_dir()
    if path is None:
        raise ExternalError(f"Tesseract language data not found (no tessdata folder); {INSTALL_HINT}")
    _, langs = tesserocr.get_languages(path)
    missing = [lang for lang in LANGS if lang not in langs]
    if missing:
        raise ExternalError(f"Tesseract language(s) {', '.join(missing)} missing in {path}; {INSTALL_HINT}")
    return str(tesserocr.tesseract_version()).splitlines()[0].strip()


def white_text_mask(rgb: np.ndarray) -> np.ndarray:
    """Grayscale picture with near-white low-saturation pixels black and everything else white."""
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    m = (hsv[..., 2] > 200) & (hsv[..., 1] < 50)
    out = np.full(m.shape, 255, np.uint8)
    out[m] = 0
    return out


_WS = re.compile(r"[ \t]+")


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
            raise ExternalError(f"Tesseract language data not found; {INSTALL_HINT}")
        try:
            self._api: Any = tesserocr.PyTessBaseAPI(path=path, lang="+".join(LANGS))
        except RuntimeError as e:
            raise ExternalError(f"Tesseract could not start with rus+eng in {path} ({e}); "
                                f"{INSTALL_HINT}") from e

    def _read_gray(self, gray: np.ndarray) -> str:
        g = np.ascontiguousarray(gray)
        h, w = g.shape[:2]
        self._api.SetImageBytes(g.tobytes(), w, h, 1, w)
        return str(self._api.GetUTF8Text() or "")

    def read(self, rgb: np.ndarray) -> str:
        """The text of an RGB picture: raw pass and white-text pass, joined (duplicates dropped)."""
        gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        parts: list[str] = []
        for img in (gray, white_text_mask(rgb)):
            t = clean_text(self._read_gray(img))
            if _alnum(t) >= 3 and t not in parts:
                parts.append(t)
        return "\n".join(parts)

    def close(self) -> None:
        self._api.End()
