"""Banned symbols in pictures, found offline by colour and shape (issue 24).

:func:`detect_symbols` takes an RGB picture (``numpy`` array, height x width x 3) and returns a
:class:`SymbolHit` for each of the six symbols of :data:`SYMBOLS` it sees. It is a cascade,
cheapest stage first:

1. the rainbow flag by its six colour bands (:mod:`.rainbow`), each kept when the network of step 4 sees a flag
   in it too;
2. blobs of several grey-level, local and colour layers (:mod:`.layers`), dropped early when too small, too large
   or too convex (:mod:`.shapes`);
3. each remaining blob's polar grid compared at every rotation (and mirrored) with reference
   shapes drawn from geometry in code (:mod:`.references`) -- symbols and look-alikes alike;
4. the near misses of that comparison (a symbol's best blobs that fall short of its threshold) looked at
   again by a small convolutional network trained on synthetic renders (:mod:`.verify`).

No picture of any symbol ships with the package (the network's file holds weights). docs/symbols.md gives
the method, thresholds and the measured figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from .rainbow import find_flags
from .shapes import best_apart, find_blobs
from .verify import confirm, flags_kept, near_misses, overrule

DETECTOR_VERSION = "symbols-8"
#: the symbols' ids, as findings name them (bank ``symbols``)
SYMBOLS = ("swastika", "ss-runes", "celtic-cross", "wolfsangel", "rainbow-flag", "aue-star")
#: pictures are reduced to this long side before the shape stages
WORK_SIDE = 800

__all__ = ["DETECTOR_VERSION", "SYMBOLS", "SymbolHit", "detect_symbols"]


@dataclass(frozen=True)
class SymbolHit:
    """One symbol seen in a picture.

    **Parameters**
    - ``symbol``: one of :data:`SYMBOLS`
    - ``score``: how closely it matched, 0..1: the shape's overlap with its best reference, the flag's score,
      or, for a near miss the network confirmed, the network's probability
    - ``box``: ``(x, y, w, h)`` in the input picture's pixels
    """

    symbol: str
    score: float
    box: tuple[int, int, int, int]


def detect_symbols(rgb: np.ndarray, ignore: Sequence[tuple[int, int, int, int]] = ()) -> list[SymbolHit]:
    """The symbols seen in an RGB (or grey) picture, best first; one hit per symbol and place.

    ``ignore``: regions ``(x, y, w, h)`` in the picture's pixels known to hold lines of text (the media pass
    finds them for OCR); a shape lying wholly inside one is a letter and is not scored."""
    if rgb.ndim == 2:
        rgb = cv2.cvtColor(rgb, cv2.COLOR_GRAY2RGB)
    elif rgb.shape[2] == 4:
        rgb = rgb[..., :3]
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    h, w = rgb.shape[:2]
    if min(h, w) < 16:
        return []
    flags = find_flags(rgb)
    boxes = [(f.x, f.y, f.w, f.h) for f in flags]
    hits = [SymbolHit("rainbow-flag", f.score, box)
            for f, box, kept in zip(flags, boxes, flags_kept(rgb, boxes), strict=True) if kept]
    scale = min(1.0, WORK_SIDE / max(h, w))
    work = rgb if scale == 1.0 else cv2.resize(rgb, (round(w * scale), round(h * scale)),
                                                 interpolation=cv2.INTER_AREA)
    blobs = find_blobs(work, keep_all=True, ignore=[tuple(round(v * scale) for v in box) for box in ignore])
    found = [(b, b.family, float(b.score)) for b in overrule(work, [b for b in blobs if b.family in SYMBOLS])]
    for b, symbol, p in found + confirm(work, near_misses(blobs)):
        box = (int(b.x / scale), int(b.y / scale), int(round(b.w / scale)), int(round(b.h / scale)))
        hits.append(SymbolHit(symbol, round(p, 3), box))
    return _suppress(hits)


def _suppress(hits: list[SymbolHit]) -> list[SymbolHit]:
    """Keeps the best hit of each symbol among hits whose boxes overlap (the same blob seen in
    several layers)."""
    return best_apart(hits, lambda h: h.box, lambda h: h.score, kind=lambda h: h.symbol)
