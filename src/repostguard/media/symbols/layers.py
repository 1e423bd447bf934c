"""The binary layers a picture is cut into before its blobs are looked at (:func:`.shapes.find_blobs`).

- *Grey levels*: below and above each of :data:`GRAY_STEPS`. A symbol drawn in one colour on a plain or
  smooth background is one blob at some level.
- *Local mean*: the adaptive threshold of both polarities, for symbols on a background whose brightness
  changes across the picture.
- *Colours* (``symbols-8``): the picture's :data:`COLOURS` main colours (k-means in CIELAB over a sample of
  its pixels), each a layer of the pixels within :data:`COLOUR_DISTANCE` of it. On a busy background
  (colour noise, lines and shapes of every colour) a symbol's grey level is shared by the clutter touching
  it, so at every grey level its blob runs into the clutter; in colour it rarely does, since a symbol is
  drawn in one colour and the clutter around it is of others. Each colour's layer is opened (:data:`OPEN`) to
  cut the ragged blobs that texture gives at a colour into small pieces.
"""

from __future__ import annotations

import cv2
import numpy as np

#: the grey levels a picture is cut at (each: darker than, and lighter than)
GRAY_STEPS = (45, 75, 105, 135, 165, 195, 225)
#: how many main colours are layers of their own
COLOURS = 8
#: a pixel belongs to a colour's layer when each of its CIELAB coordinates lies this close to the colour's
#: (OpenCV's 8-bit scale: L, a and b each 0..255)
COLOUR_DISTANCE = 20
#: each colour's layer is opened with a square of this side (1: not at all): colour noise and texture cut at a colour
#: give ragged blobs joined by single pixels, which fall apart into pieces too small to compare
OPEN = 3
#: the main colours are found on every SAMPLE_STEP-th pixel of every SAMPLE_STEP-th row
SAMPLE_STEP = 4
#: k-means: iterations at most, and the seed of its first centres (the same picture gives the same layers)
_KMEANS_ITERATIONS, _SEED = 10, 20261208


def layers(rgb: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """The picture's layers, named, each a uint8 mask of 0 and 1 of the picture's size."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    out: list[tuple[str, np.ndarray]] = []
    for t in GRAY_STEPS:
        out.append((f"dark{t}", (gray < t).astype(np.uint8)))
        out.append((f"light{t}", (gray > t).astype(np.uint8)))
    side = min(gray.shape)
    block = max(15, (side // 8) | 1)
    out.append(("adapt-dark", cv2.adaptiveThreshold(gray, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                                     block, 18)))
    out.append(("adapt-light", cv2.adaptiveThreshold(gray, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY,
                                                      block, -18)))
    return out + colour_layers(rgb)


def main_colours(lab: np.ndarray, k: int) -> np.ndarray:
    """The main colours (at most ``k`` x 3, uint8, distinct) of a CIELAB picture (uint8): k-means over a sample
    of its pixels, seeded with k-means++ from a fixed seed."""
    sample = np.ascontiguousarray(lab[::SAMPLE_STEP, ::SAMPLE_STEP].reshape(-1, 3), np.float32)
    if len(sample) < k:
        return np.unique(sample.astype(np.uint8), axis=0)
    cv2.setRNGSeed(_SEED)
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, _KMEANS_ITERATIONS, 1.0)
    labels = np.zeros((len(sample), 1), np.int32)
    _, _, centres = cv2.kmeans(sample, k, labels, criteria, 1, cv2.KMEANS_PP_CENTERS)
    return np.unique(np.clip(np.round(centres), 0, 255).astype(np.uint8), axis=0)


def colour_layers(rgb: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """One layer per main colour: the pixels whose CIELAB coordinates each lie within COLOUR_DISTANCE of its, opened
    with an OPEN x OPEN square."""
    if COLOURS < 1:
        return []
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)
    out = []
    for k, c in enumerate(main_colours(lab, COLOURS).astype(np.int16)):
        lo = np.clip(c - COLOUR_DISTANCE, 0, 255).astype(np.uint8)
        hi = np.clip(c + COLOUR_DISTANCE, 0, 255).astype(np.uint8)
        mask = cv2.inRange(lab, lo, hi) // 255
        if OPEN > 1:
            mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((OPEN, OPEN), np.uint8))
        out.append((f"colour{k}", mask))
    return out
