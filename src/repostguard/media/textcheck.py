"""A cheap text-presence check run before OCR, so pictures without text cost ~3 ms, not ~45 ms.

The ``grad`` filter of shared/docs/perf-baselines.md: on a half-scale grayscale picture,
threshold the morphological gradient, close it horizontally so the letters of a line merge,
and look for blobs shaped like a line of text (wide, not too full, not too empty, with many
stroke starts per character width). It is tuned to miss as few captions as possible: a false
positive only costs an OCR call.
"""

from __future__ import annotations

import cv2
import numpy as np

GRAD_THRESHOLD = 100
MIN_LINE_HEIGHT = 6
MIN_ASPECT = 2.0
MIN_WIDTH_SHARE = 0.08
FILL_RANGE = (0.12, 0.85)
MIN_STARTS_PER_CHAR = 0.5

_K3 = cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))


def to_gray(rgb: np.ndarray) -> np.ndarray:
    """RGB (HxWx3 uint8) to grayscale uint8."""
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


def _stroke_starts(row: np.ndarray) -> int:
    r = row.astype(np.int8)
    return int(np.count_nonzero(np.diff(r) > 0))


def text_lines(gray: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Bounding boxes ``(x, y, w, h)`` of blobs shaped like lines of text in ``gray`` (half scale)."""
    H, W = gray.shape[:2]
    if H < 8 or W < 16:
        return []
    grad = cv2.morphologyEx(gray, cv2.MORPH_GRADIENT, _K3)
    mask = (grad > GRAD_THRESHOLD).astype(np.uint8)
    kw = max(3, W // 40)
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (kw, 3)))
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    out: list[tuple[int, int, int, int]] = []
    for i in range(1, n):
        x, y, w, h, _area = (int(v) for v in stats[i])
        if h < MIN_LINE_HEIGHT or w < MIN_ASPECT * h or w < MIN_WIDTH_SHARE * W or h > H * 0.4:
            continue
        box = mask[y : y + h, x : x + w]
        fill = float(box.mean())  # share of edge pixels in the line's box (before closing)
        if not FILL_RANGE[0] <= fill <= FILL_RANGE[1]:
            continue
        starts = max(_stroke_starts(box[int(h * f)]) for f in (0.35, 0.5, 0.65))
        chars = max(1.0, w / (0.6 * h))
        if starts / chars >= MIN_STARTS_PER_CHAR:
            out.append((x, y, w, h))
    return out


def has_text(gray: np.ndarray) -> bool:
    """True when the (half-scale grayscale) picture seems to hold at least one line of text."""
    return bool(text_lines(gray))
