"""The layers a picture is cut into before its blobs are compared (``media/symbols/layers.py``)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repostguard.media.symbols import detect_symbols
from repostguard.media.symbols import layers as layers_module
from repostguard.media.symbols.layers import COLOURS, GRAY_STEPS, colour_layers, layers

from .test_symbols import _found, _glyph


def _grey(c: tuple[int, int, int]) -> float:
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]


def _striped_with_symbol(ink: tuple[int, int, int]) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A swastika in ``ink`` over stripes of two colours of about its grey level, 12 px wide, with a little noise:
    at every grey level the symbol and the stripes touching it are one blob."""
    h, w = 600, 800
    a, b = (70, 160, 200), (150, 140, 150)
    img = np.zeros((h, w, 3), np.uint8)
    for x0 in range(0, w, 24):
        img[:, x0:x0 + 12] = a
        img[:, x0 + 12:x0 + 24] = b
    rng = np.random.default_rng(3)
    img = (img.astype(int) + rng.integers(-6, 7, img.shape)).clip(0, 255).astype(np.uint8)
    mask = cv2.warpAffine(_glyph("swastika"), cv2.getRotationMatrix2D((120, 120), 20, 1.0), (240, 240))
    img[200:440, 300:540][mask > 127] = ink
    ys, xs = np.nonzero(mask > 127)
    return img, (300 + int(xs.min()), 200 + int(ys.min()), int(np.ptp(xs)), int(np.ptp(ys)))


def test_symbol_in_clutter_of_its_grey_is_found_by_its_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    """A symbol drawn in one colour over clutter of other colours but its own grey level: only its colour's layer
    shows it apart from the clutter. Without the colour layers it is not found."""
    ink = (235, 130, 40)
    img, box = _striped_with_symbol(ink)
    assert abs(_grey(ink) - _grey((70, 160, 200))) < 15 and abs(_grey(ink) - _grey((150, 140, 150))) < 10
    assert _found(detect_symbols(img), "swastika", box)
    monkeypatch.setattr(layers_module, "COLOURS", 0)
    assert not _found(detect_symbols(img), "swastika", box)


def test_layers_named_and_binary() -> None:
    img, _ = _striped_with_symbol((235, 130, 40))
    out = layers(img)
    names = [n for n, _ in out]
    assert names[:2 * len(GRAY_STEPS)] == [f"{p}{t}" for t in GRAY_STEPS for p in ("dark", "light")]
    assert names[2 * len(GRAY_STEPS):2 * len(GRAY_STEPS) + 2] == ["adapt-dark", "adapt-light"]
    colours = [n for n in names if n.startswith("colour")]
    # three colours drawn (the noise spreads them): at most COLOURS layers, and one of them is the ink's
    assert 3 <= len(colours) <= COLOURS
    for _, m in out:
        assert m.shape == img.shape[:2] and m.dtype == np.uint8 and set(np.unique(m)) <= {0, 1}


def test_colour_layers_same_picture_same_layers() -> None:
    img, _ = _striped_with_symbol((235, 130, 40))
    first, second = colour_layers(img), colour_layers(img.copy())
    assert [n for n, _ in first] == [n for n, _ in second]
    assert all(np.array_equal(a, b) for (_, a), (_, b) in zip(first, second, strict=True))


def test_colour_layer_of_a_flat_colour_is_its_region() -> None:
    """Four flat colours: each is one main colour, and its layer is exactly its quarter of the picture."""
    img = np.zeros((120, 160, 3), np.uint8)
    quarters = [((0, 60, 0, 80), (220, 30, 30)), ((0, 60, 80, 160), (30, 200, 40)),
                ((60, 120, 0, 80), (20, 40, 210)), ((60, 120, 80, 160), (240, 240, 240))]
    for (y0, y1, x0, x1), c in quarters:
        img[y0:y1, x0:x1] = c
    masks = [m for _, m in colour_layers(img)]
    assert len(masks) == 4
    for (y0, y1, x0, x1), _ in quarters:
        region = np.zeros(img.shape[:2], np.uint8)
        region[y0:y1, x0:x1] = 1
        assert any(np.array_equal(m, region) for m in masks)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 40), st.integers(1, 40), st.integers(1, 6))
def test_colour_layers_any_picture(seed: int, h: int, w: int, levels: int) -> None:
    """Any picture, however small or few-coloured: at most COLOURS binary layers of its size; each holds only pixels
    near its colour, and every 3 x 3 square of exactly that colour."""
    rng = np.random.default_rng(seed)
    img = (rng.integers(0, levels, (h, w, 3)) * (255 // levels)).astype(np.uint8)
    out = colour_layers(img)
    assert 1 <= len(out) <= COLOURS
    lab = cv2.cvtColor(img, cv2.COLOR_RGB2LAB)
    centres = layers_module.main_colours(lab, COLOURS)
    assert len(centres) == len(out)
    square = np.ones((layers_module.OPEN, layers_module.OPEN), np.uint8)
    for c, (_, m) in zip(centres, out, strict=True):
        assert m.shape == (h, w) and set(np.unique(m)) <= {0, 1}
        near = (np.abs(lab.astype(int) - c.astype(int)) <= layers_module.COLOUR_DISTANCE).all(axis=2)
        assert not (m.astype(bool) & ~near).any()
        exact = cv2.morphologyEx((lab == c).all(axis=2).astype(np.uint8), cv2.MORPH_OPEN, square)
        assert (m[exact == 1] == 1).all()
