"""Geometric symbols by shape: binarise, take blobs, compare their polar grids with references.

Stages (each a filter for the next):

1. *Layers.* The picture (already at most 800 px) is cut at the grey levels of :data:`GRAY_STEPS`,
   dark and light, and by local (adaptive) thresholds of both polarities. Each layer is split into
   connected blobs.
2. *Cheap blob filters.* Size (at least :data:`MIN_SIDE` px), not the whole picture, not a lump
   (solidity of the blob and of its filled outline above :data:`MAX_SOLIDITY`), not seen already.
   A large blob that matches nothing is cut again: at the Otsu threshold of its own pixels in its
   most varied colour channel (:func:`_split`) and by openings that drop thin attachments (:func:`_peel`).
3. *Polar grid.* The blob is centred on its centroid, scaled so that its farthest pixel lies on
   the unit circle, blurred a little and sampled on :data:`N_R` rings x :data:`N_T` angles, as drawn
   and with its holes filled (its silhouette), plain and affine-normalised.
4. *Comparison.* Ring-weighted fuzzy overlap with every reference grid (:mod:`.references`) at the
   rotation (and, for symbols drawn either way, the mirror) of best FFT correlation. A blob is a
   symbol when its best score reaches that family's threshold and beats the best look-alike
   reference by :data:`MARGIN`; an AUE star must also show at least :data:`MIN_STAR_POINTS` points.
5. *SS runes.* Touching runes match the pair references; two separate blobs that each look like one
   sig rune, of like size and side by side, make a pair too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from .references import Reference, all_references

#: grey levels at which the picture is cut into dark and light layers
GRAY_STEPS = (45, 75, 105, 135, 165, 195, 225)
#: round kernels with which a failed blob is opened to cut thin attachments off it
PEEL_KERNELS = (5, 9)
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
#: smallest blob side considered, in working pixels
MIN_SIDE = 14
#: blobs (and their silhouettes) more solid than this are lumps, not symbols
MAX_SOLIDITY = 0.86
#: how much better than the best look-alike a blob must match its symbol
MARGIN = 0.04
#: a blob whose figure contrast (:func:`figure_contrast`) is below this is not compared at all: texture
#: cut at a grey level (grass, noise, a busy photo) makes hundreds of such blobs, none drawn
MIN_CONTRAST = 2.0
#: score a blob must reach, per reference family
THRESHOLDS: dict[str, float] = {  # midway between the dev set's lowest true hit and highest look-alike
    "swastika": 0.81,
    "celtic-cross": 0.78,
    "wolfsangel": 0.74,
    "aue-star": 0.77,
    "sig": 0.70,
    "ss-runes": 0.59,
}
#: an AUE star's silhouette has this many points at least (four- to six-pointed stars have fewer)
MIN_STAR_POINTS = 7
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
    ys, xs = np.nonzero(mask)
    pts = lin @ np.stack([xs - cx, ys - cy])
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

    def scores(self, grid: np.ndarray, filled: bool, whitened: bool = False, first: bool = False) -> np.ndarray:
        """Overlap of ``grid`` with each reference of the given kind at the rotation (and mirror,
        where allowed) of best correlation; -1 for references of the other kind."""
        g = _standardise(grid)
        out = np.full(len(self.refs), -1.0)
        keep = (self.silhouette if filled else self.drawn) & (self.isotropic | (not whitened))
        if first:
            keep &= self.prototype
        sel = np.flatnonzero(keep)
        if not len(sel):
            return out
        ref_fft = self.wfft[sel]  # ring weights folded in; the sum over rings is taken before the inverse
        direct = np.fft.irfft(np.einsum("krf,rf->kf", ref_fft, np.conj(np.fft.rfft(g, axis=1))), n=N_T, axis=1)
        mirror = np.fft.irfft(np.einsum("krf,rf->kf", ref_fft, np.conj(np.fft.rfft(g[:, ::-1], axis=1))), n=N_T,
                              axis=1)
        # the cross-correlation peaks where the rolled grid lines up with the reference
        cols = np.arange(N_T)[None, :]
        shifts = np.argmax(direct, axis=1)[:, None]
        rolled = grid[:, (cols - shifts) % N_T].transpose(1, 0, 2)  # (k, N_R, N_T)
        raw = self.raw[sel]
        best = _overlaps(rolled, raw)
        msel = self.mirror_ok[sel]
        if msel.any():
            mshift = np.argmax(mirror, axis=1)[:, None]
            mrolled = grid[:, ::-1][:, (cols - mshift) % N_T].transpose(1, 0, 2)
            best = np.where(msel, np.maximum(best, _overlaps(mrolled, raw)), best)
        out[sel] = best
        return out


def _overlaps(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Ring-weighted fuzzy intersection over union of stacks of polar grids, one value per pair."""
    w = _W[None, :, None]
    inter = (np.minimum(a, b) * w).sum(axis=(1, 2))
    union = (np.maximum(a, b) * w).sum(axis=(1, 2))
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


def _layers(rgb: np.ndarray) -> list[tuple[str, np.ndarray]]:
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
    return out


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
    b = bank()
    h, w = rgb.shape[:2]
    hits: list[Blob] = []
    seen = _Seen()
    planes = np.ascontiguousarray(rgb)
    for name, layer in _layers(rgb):
        n, labels, stats, _ = cv2.connectedComponentsWithStats(layer, connectivity=8)
        text = _text_like(stats, n)
        for i in range(1, n):
            x, y, bw, bh, area = (int(v) for v in stats[i])
            if max(bw, bh) < MIN_SIDE or min(bw, bh) < 4 or area < 40 or i in text:
                continue
            if any(gx <= x and gy <= y and x + bw <= gx + gw and y + bh <= gy + gh for gx, gy, gw, gh in ignore):
                continue
            if bw > 0.95 * w and bh > 0.95 * h:
                continue
            if seen.check(x, y, bw, bh, area):
                continue
            crop = (labels[y:y + bh, x:x + bw] == i).astype(np.uint8)
            # a blob that hardly stands out is not compared, but may still be cut into parts that do
            faint = figure_contrast(planes, crop, x, y) < MIN_CONTRAST
            blob = None if faint or area > 0.85 * bw * bh else _evaluate(crop, x, y, name, b)
            if blob is not None and (blob.family or keep_all):
                hits.append(blob)
            if (blob is None or not blob.family) and max(bw, bh) >= 3 * MIN_SIDE and bw * bh < 0.4 * w * h:
                # a faint blob's parts of another colour may stand out (ink on skin); its peeled core does not
                for part, px, py in _split(rgb, crop, x, y) + ([] if faint else _peel(crop, x, y)):
                    if seen.check(px, py, part.shape[1], part.shape[0], int(part.sum())):
                        continue
                    if figure_contrast(planes, part, px, py) < MIN_CONTRAST:
                        continue
                    sub = _evaluate(part, px, py, name + "-split", b)
                    if sub is not None and (sub.family or keep_all):
                        hits.append(sub)
    return _pair_runes(hits)


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


#: glyphs of one line of text: at least this many blobs of like height side by side
TEXT_RUN = 5


def _text_like(stats: np.ndarray, n: int) -> set[int]:
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


def _evaluate(crop: np.ndarray, x: int, y: int, layer: str, b: _Bank) -> Blob | None:
    """The blob's matches, or None when the cheap filters drop it."""
    area = int(crop.sum())
    crop = np.pad(crop, 1)
    filled, hull_area = _outline(crop)
    fa = int(filled.sum())
    # solidity of the blob and of its silhouette: lumps (discs, boxes, blotches) are no symbols
    if hull_area <= 0 or (area / hull_area > MAX_SOLIDITY and fa / hull_area > MAX_SOLIDITY):
        return None
    blob = Blob(x, y, crop.shape[1] - 2, crop.shape[0] - 2, layer)
    scores = np.full(len(b.refs), -1.0)
    holes = fa > area * 1.05
    g0 = polar_grid(crop)
    gs0 = polar_grid(filled) if holes else g0
    if g0 is None or gs0 is None:
        return None
    first = np.maximum(b.scores(g0, filled=False, first=True), b.scores(gs0, filled=True, first=True))
    if float(first.max()) < PROTOTYPE_GATE:
        blob.score = float(first.max())
        return blob
    gf = None
    for whiten in (False, True):
        g = polar_grid(crop, whiten) if whiten else g0
        gs = (polar_grid(filled, whiten) if holes else g) if whiten else gs0
        if g is not None:
            scores = np.maximum(scores, b.scores(g, filled=False, whitened=whiten))
        if gs is not None:
            scores = np.maximum(scores, b.scores(gs, filled=True, whitened=whiten))
        if not whiten:
            gf = gs
            if float(scores[b.is_symbol].max()) < WHITEN_GATE:
                break  # nowhere near any symbol as it stands: an affine view of one would be closer
    _judge(blob, scores, b)
    if blob.family == "aue-star" and (gf is None or star_points(gf) < MIN_STAR_POINTS):
        blob.family = ""
    return blob


def star_points(grid: np.ndarray) -> int:
    """How many points a silhouette's polar grid shows: local maxima of its fill along each ray
    that stand out from the troughs between them."""
    prof = grid.sum(axis=0)
    prof = np.convolve(np.concatenate([prof[-2:], prof, prof[:2]]), np.ones(3) / 3, mode="same")[2:-2]
    lo, hi = float(prof.min()), float(prof.max())
    if hi - lo < 1e-6:
        return 0
    level = lo + 0.25 * (hi - lo)
    count = 0
    for j in range(N_T):
        window = prof[[(j + d) % N_T for d in range(-3, 4)]]
        if prof[j] >= level and prof[j] == window.max() and prof[j] > prof[(j - 1) % N_T]:
            count += 1
    return count


def _peel(crop: np.ndarray, x: int, y: int) -> list[tuple[np.ndarray, int, int]]:
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


def _split(rgb: np.ndarray, crop: np.ndarray, x: int, y: int) -> list[tuple[np.ndarray, int, int]]:
    """A blob that merged with a neighbour of another colour but like brightness, cut again at the
    Otsu threshold of its own pixels in the colour channel where they differ most: the two
    largest parts on either side."""
    values = rgb[y:y + crop.shape[0], x:x + crop.shape[1]]
    inside = values[crop > 0]
    if len(inside) < 50:
        return []
    ch = int(np.argmax(inside.std(axis=0)))
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
