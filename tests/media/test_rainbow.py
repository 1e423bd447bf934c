"""The rainbow flag stage (issue 24): flags whose colours drifted (ink blended with skin), small flags on large
pictures, and the arcs and stripes that must stay quiet in those readings too."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from repostguard.media.symbols import rainbow

FLAG = [(228, 3, 3), (255, 140, 0), (255, 237, 0), (0, 128, 38), (36, 64, 142), (115, 41, 130)]
SKIN = (205, 120, 85)


def _skin(h: int, w: int, seed: int) -> np.ndarray:
    """A skin-coloured ground with soft blotches and grain, as a photographed arm."""
    rng = np.random.default_rng(seed)
    blotch = cv2.GaussianBlur(rng.normal(0, 1, (h // 16 + 1, w // 16 + 1)), (0, 0), 2)
    blotch = cv2.resize(blotch, (w, h), interpolation=cv2.INTER_CUBIC)[..., None]
    img = np.array(SKIN, np.float64)[None, None] * (1 + 0.12 * blotch / (np.abs(blotch).max() + 1e-9))
    return img + rng.normal(0, 3, (h, w, 3))


def _tattoo(img: np.ndarray, x: int, y: int, fw: int, fh: int, ink: float) -> None:
    """A flag in ink that lets ``1 - ink`` of the skin under it show, blurred as ink under the skin is."""
    under = img[y:y + fh, x:x + fw].copy()
    flag = np.zeros_like(under)
    for i, c in enumerate(FLAG):
        flag[i * fh // 6:(i + 1) * fh // 6] = c
    img[y:y + fh, x:x + fw] = ink * flag + (1 - ink) * under
    img[:] = cv2.GaussianBlur(img, (0, 0), 1.2)


def _flags(img: np.ndarray) -> list[rainbow.FlagHit]:
    return rainbow.find_flags(np.clip(img, 0, 255).astype(np.uint8))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_flag_blended_with_skin_is_found(seed: int) -> None:
    """Ink blended with skin moves blue into the violet hues and violet into magenta: the fixed hue boundaries cut
    the blue band into violet and the violet band into red, so no column showed six bands in order."""
    img = _skin(700, 700, seed)
    _tattoo(img, 200, 260, 300, 180, ink=0.6)
    hits = _flags(img)
    assert len(hits) == 1
    f = hits[0]
    assert abs(f.x - 200) < 30 and abs(f.y - 260) < 30 and abs(f.w - 300) < 40 and abs(f.h - 180) < 40


def test_the_same_blend_reads_wrong_with_the_plain_boundaries() -> None:
    """What the warm reading is for: with the plain boundaries alone no column of the blended flag is in order."""
    img = _skin(700, 700, 1)
    _tattoo(img, 200, 260, 300, 180, ink=0.6)
    pixels = np.clip(img, 0, 255).astype(np.uint8)
    small = cv2.resize(pixels, (rainbow.SIDE, rainbow.SIDE), interpolation=cv2.INTER_AREA)
    hsv = cv2.cvtColor(small, cv2.COLOR_RGB2HSV)
    plain = rainbow._column_matches(rainbow._settle(rainbow._classes(hsv, rainbow._HUE_EDGES)))
    warm = rainbow._column_matches(rainbow._settle(rainbow._classes(hsv, rainbow._WARM_EDGES, rainbow.WARM_MIN_SAT)))
    assert len(warm) > 3 * max(1, len(plain))


def test_an_arc_blended_with_skin_stays_quiet() -> None:
    """A rainbow arc in the same ink: the warm reading shows its bands in order, and the arc test still holds."""
    img = _skin(700, 900, 4)
    over = img.copy()
    for i, c in enumerate(FLAG):
        cv2.ellipse(over, (450, 600), (360 - 14 * i, 360 - 14 * i), 0, 180, 360, c, 14)
    img = 0.5 * img + 0.5 * over
    assert _flags(cv2.GaussianBlur(img, (0, 0), 1.2)) == []


def _busy(h: int, w: int, seed: int) -> np.ndarray:
    """Colour noise in cells of 6 px: at the working side of a large picture, a cell is a pixel or two."""
    rng = np.random.default_rng(seed)
    return cv2.resize(rng.uniform(0, 255, (h // 6, w // 6, 3)), (w, h), interpolation=cv2.INTER_NEAREST)


@pytest.mark.parametrize("seed", [2, 3, 4])
def test_a_small_flag_on_a_large_picture_is_read_again_closer(seed: int) -> None:
    """A flag 60 px tall on an 1800 px picture has bands of 2 px at the working side (360): the noise around it
    looks like bands running on, as an arc's do, so it was taken for one; its place is read again at three times
    that scale, where it is a flag."""
    img = _busy(1200, 1800, seed)
    x, y, fw, fh = 900, 500, 100, 60
    for i, c in enumerate(FLAG):
        img[y + i * fh // 6:y + (i + 1) * fh // 6, x:x + fw] = c
    hits = _flags(img)
    assert len(hits) == 1
    f = hits[0]
    assert abs(f.x - x) < 12 and abs(f.y - y) < 12 and abs(f.w - fw) < 20 and abs(f.h - fh) < 20


@pytest.mark.parametrize("seed", [2, 3, 4])
def test_a_small_arc_on_a_large_picture_stays_quiet(seed: int) -> None:
    img = _busy(1200, 1800, seed)
    assert _flags(img) == []
    for i, c in enumerate(FLAG):
        cv2.ellipse(img, (900, 700), (140 - 10 * i, 140 - 10 * i), 0, 180, 360, c, 10)
    assert _flags(img) == []


def test_settle_mends_single_flipped_pixels_and_keeps_thin_bands() -> None:
    col = np.array([4, 4, 5, 4, 4, 5, 5, 4, 4, 0, 0, 1, 1], np.int8)[:, None]
    out = rainbow._settle(col)[:, 0].tolist()
    assert out == [4, 4, 4, 4, 4, 5, 5, 4, 4, 0, 0, 1, 1]
