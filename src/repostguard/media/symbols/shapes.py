"""Geometric symbols by shape: binarise, take blobs, compare their polar grids with references.

Stages (each a filter for the next):

1. *Layers* (:mod:`.layers`). The picture (already at most 800 px) is cut at grey levels, dark and light, by
   local (adaptive) thresholds of both polarities, and by its main colours. Each layer is split into
   connected blobs.
2. *Cheap blob filters.* Size (at least :data:`MIN_SIDE` px), not the whole picture, not a lump
   (solidity of the blob and of its filled outline above :data:`MAX_SOLIDITY`), not seen already.
   A large blob that matches nothing is cut again (:mod:`.parts`): at the Otsu threshold of its own pixels in
   its most varied colour channel and by openings that drop thin attachments; once every layer has shown its
   lines of text, without the text it runs into (a caption's outlined letters).
3. *Polar grid.* The blob is centred on its centroid, scaled so that its farthest pixel lies on
   the unit circle, blurred a little and sampled on :data:`N_R` rings x :data:`N_T` angles, as drawn
   and with its holes filled (its silhouette), plain and affine-normalised.
4. *Comparison.* Ring-weighted fuzzy overlap with every reference grid (:mod:`.references`) at the
   rotation (and, for symbols drawn either way, the mirror) of best FFT correlation. A blob is a
   symbol when its best score reaches that family's threshold and beats the best look-alike
   reference by :data:`MARGIN`; an AUE star must also show eight tapering points (:mod:`.stars`). The
   best near misses of the AUE star are compared again as the whole two-tone figure (dark and light halves)
   of which a layer shows one tone.
5. *SS runes.* Touching runes match the pair references; two separate blobs that each look like one
   sig rune, of like size and side by side, make a pair too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import cv2
import numpy as np

from .layers import layers
from .parts import MIN_SIDE, TextMask, peel, split, text_like, two_tone, without_text
from .references import Reference, all_references
from .stars import MIN_STAR_POINTS, star_points, tapers

T = TypeVar("T")

#: a blob must overlap one family's middle variant this much before the whole bank is tried
PROTOTYPE_GATE = 0.42
#: a blob whose plain grids score below this for every symbol is not compared in affine-normalised form
WHITEN_GATE = 0.5
#: blur (grid pixels) of the normalised blob before sampling
GRID_BLUR = 1.5
#: rings and angles of the polar grid
N_R, N_T = 12, 48
#: side of the square a blob is resampled to before the polar grid is read
_GRID_SIDE = 65
#: blobs (and their silhouettes) more solid than this are lumps, not symbols: discs, boxes and blotches fill their
#: convex hull to 0.95 and more; a blocky swastika (arms 0.6 as wide as they are long, long hooks) to about 0.89
MAX_SOLIDITY = 0.92
#: how much better than the best look-alike a blob must match its symbol
MARGIN = 0.04
#: a blob whose figure contrast (:func:`figure_contrast`) is below this is not compared at all: texture
#: cut at a grey level (grass, noise, a busy photo) makes hundreds of such blobs, none drawn
MIN_CONTRAST = 2.0
#: a near miss of the AUE star scoring at least this is compared again as a two-tone figure (:func:`.parts.two_tone`)
TWO_TONE_FLOOR = 0.6
#: at most this many places of a picture are compared so
TWO_TONE_PLACES = 4
#: a blob that fills at most this share of its box is a line drawing: its silhouette is taken after closing
#: gaps of up to CLOSE_GAPS px in its lines
OUTLINE_FILL = 0.35
CLOSE_GAPS = 7
_GAP_KERNEL = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (CLOSE_GAPS, CLOSE_GAPS))
#: score a blob must reach, per reference family
THRESHOLDS: dict[str, float] = {  # midway between the dev set's lowest true hit and highest look-alike
    "swastika": 0.81,
    "celtic-cross": 0.78,
    "wolfsangel": 0.74,
    "aue-star": 0.77,
    "sig": 0.70,
    "ss-runes": 0.59,
}
#: families matched mirrored too (symbols drawn in either chirality)
_MIRRORED = {"swastika", "wolfsangel", "celtic-cross", "aue-star", "ss-runes"}


@dataclass
class Blob:
    """One connected blob of one layer: its box in working pixels and its best matches."""

    x: int
    y: int
    w: int
    h: int
    layer: str
    family: str = ""
    score: float = 0.0
    lookalike: str = ""
    lookalike_score: float = 0.0
    best: str = ""
    #: the polar grid of the blob's silhouette (holes filled), when it was compared in full
    grid: np.ndarray | None = field(default=None, repr=False, compare=False)


def _polar_maps() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    c = (_GRID_SIDE - 1) / 2.0
    radii = (np.arange(N_R) + 0.5) / N_R * c
    angles = np.arange(N_T) * 2 * np.pi / N_T
    mx = (c + radii[:, None] * np.cos(angles)[None, :]).astype(np.float32)
    my = (c + radii[:, None] * np.sin(angles)[None, :]).astype(np.float32)
    weights = (radii / radii.sum()).astype(np.float32)
    return mx, my, weights


_MX, _MY, _W = _polar_maps()


def polar_grid(mask: np.ndarray, whiten: bool = False) -> np.ndarray | None:
    """The polar occupancy grid (N_R x N_T, values 0..1) of a binary mask, centred on its centroid
    and scaled to its farthest pixel; None for an empty mask.

    With ``whiten`` the mask is first mapped so that its second moments are equal in every
    direction: a shape and any affine view of it (a sheet seen at a slant, a stretched meme) then
    give the same grid up to rotation and mirroring, which the comparison searches anyway."""
    m = cv2.moments(mask, binaryImage=True)
    if m["m00"] <= 0:
        return None
    cx, cy = m["m10"] / m["m00"], m["m01"] / m["m00"]
    lin = np.eye(2)
    if whiten:
        cov = np.array([[m["mu20"], m["mu11"]], [m["mu11"], m["mu02"]]]) / m["m00"]
        vals, vecs = np.linalg.eigh(cov)
        if vals.min() <= 1e-6 or vals.max() / vals.min() > 400:
            return None
        lin = vecs @ np.diag(np.sqrt(vals.mean() / vals)) @ vecs.T
    # the farthest pixel (under ``lin``) is a corner of the blob's convex hull, so a point of its outer contour
    contours, _ = cv2.findContours((mask > 0).astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    edge = np.concatenate(contours).reshape(-1, 2).T.astype(np.float64)
    pts = lin @ (edge - np.array([[cx], [cy]]))
    r = float(np.sqrt((pts ** 2).sum(axis=0)).max()) + 0.5
    if r < 3:
        return None
    c = (_GRID_SIDE - 1) / 2.0
    s = c / r
    a = s * lin
    affine = np.hstack([a, (np.array([c, c]) - a @ np.array([cx, cy]))[:, None]]).astype(np.float32)
    src: np.ndarray = (mask > 0).astype(np.float32)
    if s < 1:  # warpAffine does not area-average: smooth to the grid's scale first
        src = cv2.GaussianBlur(src, (0, 0), 0.45 / s)
    norm = cv2.warpAffine(src, affine, (_GRID_SIDE, _GRID_SIDE), flags=cv2.INTER_LINEAR)
    if GRID_BLUR > 0:  # tolerance: thin parts a little off their place still overlap
        norm = cv2.GaussianBlur(norm, (0, 0), GRID_BLUR)
    return cv2.remap(norm.astype(np.float32), _MX, _MY, cv2.INTER_LINEAR)


class _Bank:
    """The references' polar grids, normalised and transformed once for the correlation."""

    def __init__(self, refs: list[Reference]) -> None:
        self.refs = refs
        grids, raws = [], []
        for ref in refs:
            g = polar_grid(ref.mask)
            assert g is not None
            raws.append(g)
            grids.append(_standardise(g))
        self.raw = np.stack(raws).astype(np.float32)
        self.mass = (self.raw * _W[None, :, None]).sum(axis=(1, 2))  # each grid's ring-weighted sum
        self._subsets: dict[tuple[bool | None, bool, bool], tuple[np.ndarray, ...]] = {}
        self.grids = np.stack(grids)  # (n, N_R, N_T)
        self.wfft = np.fft.rfft(self.grids, axis=2) * _W[None, :, None]
        # a reference without holes is its own silhouette: it is compared with both forms of a blob
        self.drawn = np.array([not r.filled for r in refs])
        self.silhouette = np.array([r.filled or not _has_holes(r.mask) for r in refs])
        # shapes of three-fold or higher symmetry have equal second moments in every direction:
        # their affine-normalised grid is their own, so a blob's whitened grid is compared with them
        self.isotropic = np.array([_isotropic(r.mask) for r in refs])
        self.family = [r.symbol for r in refs]
        self.mirror_ok = np.array([r.symbol in _MIRRORED for r in refs])
        self.is_symbol = np.array([not r.symbol.startswith("-") for r in refs])
        # one middle variant of each symbol family: a blob far from all of them is not looked at further
        self.prototype = np.zeros(len(refs), bool)
        for fam in set(self.family):
            idx = [i for i, f in enumerate(self.family) if f == fam]
            if not fam.startswith("-"):
                self.prototype[idx[len(idx) // 2]] = True

    def _subset(self, filled: bool | None, whitened: bool, first: bool) -> tuple[np.ndarray, ...]:
        """The references compared with one kind of grid, and their transformed grids, cut out once."""
        key = (filled, whitened, first)
        if key not in self._subsets:
            kind = self.drawn | self.silhouette if filled is None else self.silhouette if filled else self.drawn
            keep = kind & (self.isotropic | (not whitened))
            if first:
                keep &= self.prototype
            sel = np.flatnonzero(keep)
            # (frequency, reference, ring): one matrix product per frequency sums the rings
            spectra = np.ascontiguousarray(self.wfft[sel].transpose(2, 0, 1))
            self._subsets[key] = (sel, spectra, self.raw[sel], self.mass[sel], self.mirror_ok[sel])
        return self._subsets[key]

    def scores(self, grid: np.ndarray, filled: bool | None, whitened: bool = False, first: bool = False) -> np.ndarray:
        """Overlap of ``grid`` with each reference of the given kind (``filled``: the silhouettes; not: the drawn
        forms; None: both) at the rotation (and mirror, where allowed) of best correlation; -1 for references of
        another kind."""
        out = np.full(len(self.refs), -1.0)
        sel, spectra, raw, mass, msel = self._subset(filled, whitened, first)
        if not len(sel):
            return out
        g = _standardise(grid)
        mirrored = bool(msel.any())
        views = np.stack([g, g[:, ::-1]]) if mirrored else g[None]
        # ring weights are folded into the references' spectra; the sum over rings is taken before the inverse
        spectrum = np.conj(np.fft.rfft(views, axis=2)).transpose(2, 1, 0)  # (frequency, ring, view)
        corr = np.fft.irfft(np.matmul(spectra, spectrum).transpose(2, 1, 0), n=N_T, axis=2)  # (view, ref, angle)
        # the cross-correlation peaks where the rolled grid lines up with the reference
        # each view rolled by each reference's best shift s: the N_T angles from (N_T - s) mod N_T on of the view
        # written twice over
        forms = (grid, grid[:, ::-1])
        cols = ((N_T - np.argmax(corr, axis=2)) % N_T)[:, :, None] + _COLS  # (view, ref, angle)
        rolled = np.stack([np.concatenate([forms[v], forms[v]], axis=1)[:, cols[v]]
                           for v in range(len(views))]).transpose(0, 2, 1, 3)  # (view, ref, N_R, N_T)
        best = _overlaps(rolled, raw, float((grid * _W[:, None]).sum()), mass)
        out[sel] = np.where(msel, best.max(axis=0), best[0]) if mirrored else best[0]
        return out


_COLS = np.arange(N_T)


def _overlaps(a: np.ndarray, b: np.ndarray, a_mass: float, b_mass: np.ndarray) -> np.ndarray:
    """Ring-weighted fuzzy intersection over union of stacks of polar grids ``a`` (views x k x N_R x N_T, each
    view a rolling of one grid whose weighted sum is ``a_mass``) and ``b`` (k x N_R x N_T, weighted sums
    ``b_mass``), one value per pair. The union is the two sums less the intersection (max = a + b - min)."""
    inter = np.einsum("vkrt,r->vk", np.minimum(a, b[None]), _W)
    union = a_mass + b_mass[None] - inter
    return np.where(union > 0, inter / np.maximum(union, 1e-9), 0.0)


def _isotropic(mask: np.ndarray) -> bool:
    m = cv2.moments(mask, binaryImage=True)
    vals = np.linalg.eigvalsh(np.array([[m["mu20"], m["mu11"]], [m["mu11"], m["mu02"]]]))
    return bool(vals.min() > 0.93 * vals.max())


def _has_holes(mask: np.ndarray) -> bool:
    binary = (mask > 127).astype(np.uint8)
    contours, _ = cv2.findContours(binary, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    filled = np.zeros_like(binary)
    cv2.drawContours(filled, contours, -1, 1, -1)
    return int(filled.sum()) > 1.02 * int(binary.sum())


def _standardise(g: np.ndarray) -> np.ndarray:
    """Zero weighted mean and unit weighted variance, so the weighted cross term is a correlation."""
    mean = float((g * _W[:, None]).sum() / N_T)
    d = g - mean
    var = float(((d * d) * _W[:, None]).sum() / N_T)
    return d / np.sqrt(var) if var > 1e-9 else d * 0.0


_BANK: _Bank | None = None


def bank() -> _Bank:
    """The reference bank, built on first use."""
    global _BANK
    if _BANK is None:
        _BANK = _Bank(all_references())
    return _BANK


def _outline(crop: np.ndarray) -> tuple[np.ndarray, float]:
    """The blob with its holes filled, and the area of its convex hull."""
    contours, _ = cv2.findContours(crop, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    out = np.zeros_like(crop)
    cv2.drawContours(out, contours, -1, 1, -1)
    hull = cv2.convexHull(np.concatenate(contours))
    return out, float(cv2.contourArea(hull))


def find_blobs(rgb: np.ndarray, keep_all: bool = False, ignore: Sequence[Sequence[int]] = ()) -> list[Blob]:
    """Every blob of every layer that matches a symbol family better than any look-alike (a blob wholly
    inside one of the ``ignore`` regions, a line of text, is not looked at)."""
    h, w = rgb.shape[:2]
    search = _Search(rgb, keep_all)
    for gx, gy, gw, gh in ignore:
        search.text.add(int(gx), int(gy), int(gw), int(gh))
    for name, layer in layers(rgb):
        n, labels, boxes = components(layer)
        letters = text_like(boxes, n)
        search.text.add_letters(boxes, letters)
        for i in range(1, n):
            x, y, bw, bh = (int(v) for v in boxes[i])
            if max(bw, bh) < MIN_SIDE or min(bw, bh) < 4 or i in letters or (bw > 0.95 * w and bh > 0.95 * h):
                continue
            if any(gx <= x and gy <= y and x + bw <= gx + gw and y + bh <= gy + gh for gx, gy, gw, gh in ignore):
                continue
            crop = (labels[y:y + bh, x:x + bw] == i).astype(np.uint8)
            area = cv2.countNonZero(crop)
            if area < 40:
                continue
            if search.seen.check(x, y, bw, bh, area):
                continue
            search.consider(crop, x, y, name)
    search.retry_without_text()
    search.two_tone()
    return _pair_runes(search.hits)


def components(layer: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """The 8-connected blobs of a binary layer: their count (with the background, label 0), the label picture
    and each label's box (x, y, w, h), as ``cv2.connectedComponentsWithStats`` gives them, without the areas.

    Its statistics cost several times the labelling on a textured picture; the box of each blob is that of its
    outer contour (labels' order and boxes are the same: ``test_components_are_those_of_opencv``)."""
    n, labels = cv2.connectedComponents(layer, connectivity=8)
    boxes = np.zeros((n, 4), np.int32)
    contours, hierarchy = cv2.findContours(layer, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if contours:
        for k in np.flatnonzero(hierarchy[0][:, 3] < 0):  # outer contours; holes' contours have a parent
            c = contours[int(k)]
            boxes[labels[c[0, 0, 1], c[0, 0, 0]]] = cv2.boundingRect(c)
    return n, labels, boxes


class _Search:
    """The blobs of one picture being compared: what was found, what was seen, where the text is, and the
    large blobs that matched nothing (tried again without the text once every layer has shown its letters)."""

    def __init__(self, rgb: np.ndarray, keep_all: bool) -> None:
        self.rgb = np.ascontiguousarray(rgb)
        self.keep_all = keep_all
        self.bank = bank()
        self.hits: list[Blob] = []
        self.seen = _Seen()
        self.text = TextMask(*rgb.shape[:2])
        self.failed: list[tuple[np.ndarray, int, int, str]] = []
        self.stars: list[tuple[Blob, np.ndarray]] = []

    def consider(self, crop: np.ndarray, x: int, y: int, name: str) -> None:
        """Compares one blob of a layer; a large one that matches nothing is cut into parts (:func:`.parts.split`,
        :func:`.parts.peel`) and kept for :meth:`retry_without_text`."""
        bh, bw = crop.shape
        ph, pw = self.rgb.shape[:2]
        large = max(bw, bh) >= 3 * MIN_SIDE and bw * bh < 0.4 * pw * ph
        shape = None if int(crop.sum()) > 0.85 * bw * bh else outline_of(crop)
        if shape is None and not large:
            return  # a small lump: nothing to compare, nothing to cut
        # a blob that hardly stands out is not compared, but may still be cut into parts that do
        faint = figure_contrast(self.rgb, crop, x, y) < MIN_CONTRAST
        blob = None if faint or shape is None else self._evaluate(crop, x, y, name, shape)
        if blob is not None and blob.family:
            return
        if large:
            # a faint blob's parts of another colour may stand out (ink on skin); its peeled core does not
            for part, px, py in split(self.rgb, crop, x, y) + ([] if faint else peel(crop, x, y)):
                self._part(part, px, py, name + "-split")
            self.failed.append((crop, x, y, name))

    def retry_without_text(self) -> None:
        """The large blobs that matched nothing and run into a line of text, compared again without it."""
        if self.text.empty:
            return
        for crop, x, y, name in self.failed:
            for part, px, py in without_text(crop, x, y, self.text):
                self._part(part, px, py, name + "-text")

    def _part(self, part: np.ndarray, px: int, py: int, name: str) -> None:
        """A part cut out of a blob, compared when it was not seen yet and stands out from around it."""
        if self.seen.check(px, py, part.shape[1], part.shape[0], int(part.sum())):
            return
        shape = outline_of(part)
        if shape is not None and figure_contrast(self.rgb, part, px, py) >= MIN_CONTRAST:
            self._evaluate(part, px, py, name, shape)

    def _evaluate(self, crop: np.ndarray, x: int, y: int, name: str, shape: Outline) -> Blob | None:
        """:func:`_evaluate`; the blob is recorded when it matched (or always, with ``keep_all``), a near miss of
        the AUE star is kept for :meth:`two_tone`."""
        blob = _evaluate(crop, x, y, name, self.bank, shape)
        if blob is not None and not blob.family and blob.best == "aue-star" and blob.score >= TWO_TONE_FLOOR:
            self.stars.append((blob, crop))
        if blob is not None and (blob.family or self.keep_all):
            self.hits.append(blob)
        return blob

    def two_tone(self) -> None:
        """The best near misses of the AUE star (TWO_TONE_PLACES of them, one per place, none where a star was
        found) compared again as the whole two-tone figure of which they are one tone (:func:`.parts.two_tone`)."""
        done = [b for b in self.hits if b.family == "aue-star"]
        for blob, crop in sorted(self.stars, key=lambda s: -s[0].score):
            if len(done) >= TWO_TONE_PLACES or any(box_iou(blob, d) > 0.6 for d in done):
                continue
            done.append(blob)
            figure = two_tone(self.rgb, crop, blob.x, blob.y, self.text)
            whole = None if figure is None else _evaluate(*figure, blob.layer + "-2tone", self.bank)
            if whole is not None and (whole.family or (self.keep_all and whole.score > blob.score)):
                self.hits.append(whole)


def iou(a: Sequence[int], b: Sequence[int]) -> float:
    """The overlap of two boxes ``(x, y, w, h)``: intersection over union."""
    ix = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def best_apart(items: Sequence[T], box: Callable[[T], Sequence[int]], score: Callable[[T], float],
               kind: Callable[[T], object] = lambda _: None, same: float = 0.3) -> list[T]:
    """The best of ``items`` of each kind among those whose boxes overlap more than ``same`` (:func:`iou`): one
    hit per place, best first."""
    kept: list[T] = []
    for item in sorted(items, key=lambda t: -score(t)):
        if not any(kind(k) == kind(item) and iou(box(k), box(item)) > same for k in kept):
            kept.append(item)
    return kept


def box_iou(a: Blob, b: Blob) -> float:
    """The overlap of two blobs' boxes: :func:`iou`."""
    return iou((a.x, a.y, a.w, a.h), (b.x, b.y, b.w, b.h))


_RING = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))
_CORE = np.ones((3, 3), np.uint8)


def figure_contrast(planes: np.ndarray, crop: np.ndarray, x: int, y: int) -> float:
    """How clearly a blob stands out from what lies around it: in each colour plane of ``planes`` (R, G, B),
    the difference between the mean inside the blob (its edge pixels left out when it is thick
    enough) and the mean of a ring 2-4 px outside it, over the mean of their spreads; the best plane.

    A drawn symbol is one colour on another: its value is high (5-60). A blob cut out of texture by a
    grey level differs from its surroundings by about as much as the texture varies: 1-2. The grey plane
    is not used: the blob was cut from it, so inside and outside differ there by construction."""
    h, w = crop.shape
    ph, pw = planes.shape[:2]
    x0, y0 = max(0, x - 6), max(0, y - 6)
    x1, y1 = min(pw, x + w + 6), min(ph, y + h + 6)
    mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
    mask[y - y0:y - y0 + h, x - x0:x - x0 + w] = crop
    inner = cv2.erode(mask, _CORE) if min(h, w) > 8 else mask
    if cv2.countNonZero(inner) < 5:
        inner = mask
    near = cv2.dilate(mask, _RING)
    ring = cv2.dilate(near, _RING) - near
    if cv2.countNonZero(ring) < 5:
        return 0.0
    region = planes[y0:y1, x0:x1]
    m_in, s_in = cv2.meanStdDev(region, mask=inner)
    m_out, s_out = cv2.meanStdDev(region, mask=ring)
    return float((np.abs(m_in - m_out) / (0.5 * (s_in + s_out) + 2.0)).max())


class _Seen:
    """Blobs already evaluated: one with the same box and area to a few percent (the same shape
    cut at another threshold) is not evaluated again."""

    def __init__(self) -> None:
        self.keys: set[tuple[int, ...]] = set()

    def check(self, x: int, y: int, w: int, h: int, area: int) -> bool:
        """True if such a blob was seen; otherwise records this one and returns False."""
        q = max(4, round(0.05 * max(w, h)))
        key = (x // q, y // q, (x + w) // q, (y + h) // q, round(2 * np.log2(max(area, 1))))
        if key in self.keys:
            return True
        self.keys.add(key)
        return False


def _pair_runes(blobs: list[Blob]) -> list[Blob]:
    """Single sig runes become an SS emblem when another of like size stands beside them; lone
    runes are dropped."""
    sigs = [b for b in blobs if b.family == "sig"]
    out = [b for b in blobs if b.family != "sig"]
    for i, a in enumerate(sigs):
        for c in sigs[i + 1:]:
            sa, sc = max(a.w, a.h), max(c.w, c.h)
            if max(sa, sc) > 1.5 * min(sa, sc):
                continue
            d = np.hypot((a.x + a.w / 2) - (c.x + c.w / 2), (a.y + a.h / 2) - (c.y + c.h / 2))
            if not 0.2 * sa <= d <= 1.0 * sa:
                continue
            x0, y0 = min(a.x, c.x), min(a.y, c.y)
            x1, y1 = max(a.x + a.w, c.x + c.w), max(a.y + a.h, c.y + c.h)
            out.append(Blob(x0, y0, x1 - x0, y1 - y0, a.layer, "ss-runes", min(a.score, c.score), a.lookalike,
                            max(a.lookalike_score, c.lookalike_score), "ss-runes"))
    for b in sigs:  # lone runes: kept as near misses, not hits
        b.family = ""
        out.append(b)
    return out


Outline = tuple[int, np.ndarray, np.ndarray, int]


def outline_of(crop: np.ndarray) -> Outline | None:
    """A blob's area, the blob with a pixel of margin, its silhouette (holes filled) and the silhouette's area;
    None for a lump (discs, boxes, blotches: the blob and its silhouette both fill their convex hull to more
    than MAX_SOLIDITY), which is no symbol."""
    area = int(crop.sum())
    framed = cv2.copyMakeBorder(crop, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0)
    filled, hull_area = _outline(framed)
    fa = int(filled.sum())
    if hull_area <= 0 or (area / hull_area > MAX_SOLIDITY and fa / hull_area > MAX_SOLIDITY):
        return None
    return area, framed, filled, fa


def _evaluate(crop: np.ndarray, x: int, y: int, layer: str, b: _Bank, shape: Outline | None = None) -> Blob | None:
    """The blob's matches, or None when the cheap filters drop it (``shape``: its :func:`outline_of`, if known)."""
    shape = shape if shape is not None else outline_of(crop)
    if shape is None:
        return None
    area, crop, filled, fa = shape
    blob = Blob(x, y, crop.shape[1] - 2, crop.shape[0] - 2, layer)
    scores = np.full(len(b.refs), -1.0)
    if area <= OUTLINE_FILL * blob.w * blob.h and max(blob.w, blob.h) >= 3 * MIN_SIDE:
        # a line drawing: what its lines enclose once small gaps in them are closed (an outline crossed by
        # something of another shade is open there, and its plain silhouette is only the line)
        k = CLOSE_GAPS
        closed, _ = _outline(cv2.morphologyEx(cv2.copyMakeBorder(crop, k, k, k, k, cv2.BORDER_CONSTANT, value=0),
                                              cv2.MORPH_CLOSE, _GAP_KERNEL))
        if int(closed.sum()) > 1.3 * fa:
            filled, fa = closed, int(closed.sum())
    holes = fa > area * 1.05
    g0 = polar_grid(crop)
    gs0 = polar_grid(filled) if holes else g0
    if g0 is None or gs0 is None:
        return None
    first = _both(b, g0, gs0, False, True)
    if float(first.max()) < PROTOTYPE_GATE:
        blob.score = float(first.max())
        return blob
    gf = None
    for whiten in (False, True):
        g = polar_grid(crop, whiten) if whiten else g0
        gs = (polar_grid(filled, whiten) if holes else g) if whiten else gs0
        scores = np.maximum(scores, _both(b, g, gs, whiten, False))
        if not whiten:
            gf = gs
            if float(scores[b.is_symbol].max()) < WHITEN_GATE:
                break  # nowhere near any symbol as it stands: an affine view of one would be closer
    _judge(blob, scores, b)
    blob.grid = gf
    if blob.family == "aue-star" and (gf is None or star_points(gf) < MIN_STAR_POINTS or not tapers(gf)):
        blob.family = ""
    return blob


def _both(b: _Bank, drawn: np.ndarray | None, silhouette: np.ndarray | None, whitened: bool,
          first: bool) -> np.ndarray:
    """A blob's scores against every reference: its drawn grid against the drawn references, its silhouette's
    against the silhouettes (one comparison when the blob has no holes, so that both are the same grid)."""
    if drawn is not None and drawn is silhouette:
        return b.scores(drawn, filled=None, whitened=whitened, first=first)
    out = np.full(len(b.refs), -1.0)
    if drawn is not None:
        out = b.scores(drawn, filled=False, whitened=whitened, first=first)
    if silhouette is not None:
        out = np.maximum(out, b.scores(silhouette, filled=True, whitened=whitened, first=first))
    return out


def _judge(blob: Blob, scores: np.ndarray, b: _Bank) -> None:
    best_sym, best_look = -1.0, -1.0
    fam, look = "", ""
    for s, f, is_sym in zip(scores, b.family, b.is_symbol, strict=True):
        if is_sym and s > best_sym:
            best_sym, fam = float(s), f
        elif not is_sym and s > best_look:
            best_look, look = float(s), f
    blob.score, blob.lookalike, blob.lookalike_score = best_sym, look, best_look
    blob.best = fam
    if best_sym >= THRESHOLDS.get(fam, 1.0) and best_sym >= best_look + MARGIN:
        blob.family = fam
