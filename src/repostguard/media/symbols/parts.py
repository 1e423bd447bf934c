"""Cutting a blob again when it matches nothing as it stands (used by :mod:`.shapes`).

A symbol in a picture often touches or overlaps something of its own shade, so the layer's blob is the symbol
and more. These helpers cut such a blob into the parts that may be the symbol alone:

- :func:`split`: at the Otsu threshold of its own pixels in its most varied colour channel (a black symbol on a
  navy rectangle of like brightness);
- :func:`peel`: by openings that drop thin attachments (the outline of caption letters, a frame);
- :func:`without_text`: without the lines of text the layers show (:func:`text_like`, :class:`TextMask`): a
  meme's caption, white letters with a black outline, touching the symbol;
- :func:`two_tone`: the other way round, a blob that is only half of its figure: the AUE star's points are
  split lengthwise into a dark and a light half, so a dark layer shows the dark halves and whatever of the
  star's thin outline survived; the light halves are the pixels around it that are not background.
"""

from __future__ import annotations

import cv2
import numpy as np

#: smallest blob side considered, in working pixels
MIN_SIDE = 14
#: round kernels with which a failed blob is opened to cut thin attachments off it
PEEL_KERNELS = (5, 9)
#: glyphs of one line of text: at least this many blobs of like height side by side
TEXT_RUN = 5
#: a line of text's letters are widened by this share of their height (at least 2 px): their outline
TEXT_MARGIN = 0.2
#: a pixel is of a figure's other tone when its colour is this far (RGB distance) from every colour of the
#: background around it
TWO_TONE_DISTANCE = 60.0


def peel(crop: np.ndarray, x: int, y: int) -> list[tuple[np.ndarray, int, int]]:
    """A blob that touches thin lines of its own shade (the outline of caption letters, a frame),
    opened with growing round kernels: the thicker parts that survive, largest first."""
    out: list[tuple[np.ndarray, int, int]] = []
    total = int(crop.sum())
    for k in PEEL_KERNELS:
        opened = cv2.morphologyEx(crop, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
        n, labels, stats, _ = cv2.connectedComponentsWithStats(opened, connectivity=8)
        for i in np.argsort(-stats[1:, cv2.CC_STAT_AREA])[:3] + 1:
            px, py, pw, ph, pa = (int(v) for v in stats[i])
            if max(pw, ph) >= 2 * MIN_SIDE and 40 <= pa < 0.8 * total:
                out.append(((labels[py:py + ph, px:px + pw] == i).astype(np.uint8), x + px, y + py))
    return out


def split(rgb: np.ndarray, crop: np.ndarray, x: int, y: int) -> list[tuple[np.ndarray, int, int]]:
    """A blob that merged with a neighbour of another colour but like brightness, cut again at the
    Otsu threshold of its own pixels in the colour channel where they differ most: the two
    largest parts on either side."""
    values = rgb[y:y + crop.shape[0], x:x + crop.shape[1]]
    if cv2.countNonZero(crop) < 50:
        return []
    inside = values[crop > 0]
    ch = int(np.argmax(cv2.meanStdDev(values, mask=crop)[1]))
    chan = np.ascontiguousarray(values[..., ch])
    spread = inside[:, ch]
    if int(spread.max()) - int(spread.min()) < 16:
        return []
    t, _ = cv2.threshold(spread.reshape(1, -1), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    out: list[tuple[np.ndarray, int, int]] = []
    for part in ((chan <= t) & (crop > 0), (chan > t) & (crop > 0)):
        n, labels, stats, _ = cv2.connectedComponentsWithStats(part.astype(np.uint8), connectivity=8)
        for i in np.argsort(-stats[1:, cv2.CC_STAT_AREA])[:2] + 1:
            px, py, pw, ph, pa = (int(v) for v in stats[i])
            if max(pw, ph) >= MIN_SIDE and 40 <= pa < 0.85 * len(inside):
                out.append(((labels[py:py + ph, px:px + pw] == i).astype(np.uint8), x + px, y + py))
    return out


def text_like(stats: np.ndarray, n: int) -> set[int]:
    """The blobs that are letters of a line of text: TEXT_RUN or more of like height (within 25 %) whose
    vertical middles agree (within a third of the height), each within two heights of the next. A symbol
    is not one of a row of like shapes; skipping the letters keeps text-heavy pictures (screenshots, posters)
    from costing seconds."""
    if n <= TEXT_RUN:
        return set()
    idx = [i for i in range(1, n) if 6 <= stats[i, 3] <= 120]
    idx.sort(key=lambda i: (stats[i, 1] + stats[i, 3] / 2, stats[i, 0]))
    out: set[int] = set()
    # bucket by vertical middle, then walk each bucket left to right
    rows: dict[int, list[int]] = {}
    for i in idx:
        rows.setdefault(int((stats[i, 1] + stats[i, 3] / 2) // 12), []).append(i)
    for key in sorted(rows):
        cand = sorted(rows[key] + rows.get(key + 1, []), key=lambda i: stats[i, 0])
        run: list[int] = []
        for i in cand:
            h, mid = stats[i, 3], stats[i, 1] + stats[i, 3] / 2
            if run:
                j = run[-1]
                hj, midj = stats[j, 3], stats[j, 1] + stats[j, 3] / 2
                near = stats[i, 0] - (stats[j, 0] + stats[j, 2]) <= 2 * max(h, hj)
                alike = abs(h - hj) <= 0.25 * max(h, hj) and abs(mid - midj) <= max(h, hj) / 3
                if not (near and alike):
                    if len(run) >= TEXT_RUN:
                        out.update(run)
                    run = []
            run.append(i)
        if len(run) >= TEXT_RUN:
            out.update(run)
    return out


class TextMask:
    """Where the picture shows lines of text: the boxes of the letters :func:`text_like` found in any layer
    (and the lines of text the caller knows of), each widened by TEXT_MARGIN of its height for the letters'
    outline. Built while the layers are cut, read afterwards."""

    def __init__(self, height: int, width: int) -> None:
        self.mask = np.zeros((height, width), np.uint8)
        self.empty = True

    def add(self, x: int, y: int, w: int, h: int, margin: int = -1) -> None:
        """Marks one letter's (or line's) box, widened by ``margin`` px (by default TEXT_MARGIN of its height)."""
        m = max(2, round(TEXT_MARGIN * h)) if margin < 0 else margin
        self.mask[max(0, y - m):y + h + m, max(0, x - m):x + w + m] = 1
        self.empty = False

    def add_letters(self, stats: np.ndarray, letters: set[int]) -> None:
        """Marks the letters (indices into connected-component ``stats``) of one layer."""
        for i in letters:
            self.add(*(int(v) for v in stats[i, :4]))


def without_text(crop: np.ndarray, x: int, y: int, text: TextMask) -> list[tuple[np.ndarray, int, int]]:
    """A blob that runs into a line of text (a caption's outlined letters) with the text's region taken out:
    its two largest parts, if they are large enough to be a symbol; nothing when the blob touches no text or is
    half text or more."""
    t = text.mask[y:y + crop.shape[0], x:x + crop.shape[1]]
    rest = crop & (1 - t)
    total, left = int(crop.sum()), int(rest.sum())
    if left == total or left < 0.5 * total:
        return []
    out: list[tuple[np.ndarray, int, int]] = []
    n, labels, stats, _ = cv2.connectedComponentsWithStats(rest, connectivity=8)
    for i in np.argsort(-stats[1:, cv2.CC_STAT_AREA])[:2] + 1:
        px, py, pw, ph, pa = (int(v) for v in stats[i])
        if max(pw, ph) >= 3 * MIN_SIDE and pa >= 40:
            out.append(((labels[py:py + ph, px:px + pw] == i).astype(np.uint8), x + px, y + py))
    return out


_K5 = np.ones((5, 5), np.uint8)


def two_tone(rgb: np.ndarray, crop: np.ndarray, x: int, y: int,
             text: TextMask | None = None) -> tuple[np.ndarray, int, int] | None:
    """The whole figure of which the blob is one tone: the blob and the pixels near its convex hull whose
    colour is far (TWO_TONE_DISTANCE) from every colour of the background ring around it (three clusters of
    the ring's colours; text left out of both), the connected part that holds the blob. None when that adds
    nothing."""
    h, w = crop.shape
    ph, pw = rgb.shape[:2]
    pad = 8
    x0, y0, x1, y1 = max(0, x - pad), max(0, y - pad), min(pw, x + w + pad), min(ph, y + h + pad)
    blob = np.zeros((y1 - y0, x1 - x0), np.uint8)
    blob[y - y0:y - y0 + h, x - x0:x - x0 + w] = crop
    contours, _ = cv2.findContours(blob, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    hull = np.zeros_like(blob)
    cv2.fillPoly(hull, [cv2.convexHull(np.concatenate(contours))], 1)
    region = cv2.dilate(hull, _K5)
    free = np.ones_like(blob) if text is None or text.empty else 1 - text.mask[y0:y1, x0:x1]
    ring = cv2.bitwise_and(cv2.dilate(region, _K5) - region, free)
    if cv2.countNonZero(ring) < 20:
        return None
    pixels = rgb[y0:y1, x0:x1].astype(np.float32)
    background = np.ascontiguousarray(pixels[ring > 0][::max(1, cv2.countNonZero(ring) // 300)])
    k = min(3, len(background))
    _, _, centres = cv2.kmeans(background, k, np.empty(0), (cv2.TERM_CRITERIA_MAX_ITER, 8, 1.0), 1,
                               cv2.KMEANS_PP_CENTERS)
    nearest = np.min([((pixels - c) ** 2).sum(axis=2) for c in centres], axis=0)
    far = nearest > TWO_TONE_DISTANCE ** 2
    figure = ((far & (region > 0) & (free > 0)) | (blob > 0)).astype(np.uint8)
    if int(figure.sum()) < 1.05 * int(crop.sum()):
        return None
    n, labels, stats, _ = cv2.connectedComponentsWithStats(figure, connectivity=8)
    ids, counts = np.unique(labels[blob > 0], return_counts=True)
    i = int(ids[np.argmax(counts)])
    fx, fy, fw, fh, _ = (int(v) for v in stats[i])
    return (labels[fy:fy + fh, fx:fx + fw] == i).astype(np.uint8), x0 + fx, y0 + fy
