"""The rainbow (pride) flag by its colour bands, the cheapest stage of the cascade.

Every pixel that is saturated and bright enough gets one of six hue classes (red, orange,
yellow, green, blue, violet). Each column (and, for flags turned on their side, each row) is
cut into runs of one class; a column *shows the flag* where six runs follow one another in the
flag's order (or reversed, upside down) with like lengths. Columns that show it and sit next to
each other form a candidate; it is a flag when it is at least :data:`MIN_ASPECT` times as wide as
its stack of bands is tall, its band height is steady, and the top edge of its stack is close to
a straight line (a tilted or gently waving flag passes; the arc of a natural rainbow does not).
Bands that run on past either end of the candidate in at least four hues in order mark an arc,
not a flag. Striped flags of fewer colours (the Russian tricolour and the like) never give six runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .shapes import best_apart

#: a box: x, y, width, height
Box = tuple[int, int, int, int]
#: working side for this stage (colour bands survive strong reduction)
SIDE = 360
#: OpenCV hue (0-180) lower bounds of orange, yellow, green, blue, violet, magenta and red (which wraps around)
_HUE_EDGES = (8, 21, 38, 88, 132, 166, 177)
#: the same boundaries turned toward red, for a flag whose cool colours drifted there (ink blended with skin or
#: warm paper moves blue and violet along the hue circle toward red): blue from 100, violet from 146, no magenta
_WARM_EDGES = (8, 21, 38, 100, 146, 177, 177)
#: magenta lies between violet and red on the hue circle: a flag's violet drifts into it when its ink is blended
#: with reddish skin or paper, and its red when the picture is tinted blue, so it may stand for either end of
#: the stack (never for both ends at once)
MAGENTA = 6
MIN_SAT, MIN_VAL = 45, 60
#: blended ink is duller too: the reading with the warm boundaries takes pixels from this saturation
WARM_MIN_SAT = 30
#: the two readings of a picture's hues: class boundaries and the saturation a pixel needs
READINGS = ((_HUE_EDGES, MIN_SAT), (_WARM_EDGES, WARM_MIN_SAT))
#: a candidate's run of columns must be this many times the height of its band stack
MIN_ASPECT = 0.7
#: top-edge residual (after a straight-line fit) allowed, as a share of the stack height
MAX_BEND = 0.12
#: curvature (times the stack height) above which a stack bent one way is an arc
ARC_CURVATURE = 0.2
#: a stack whose bands are thinner than this (px at the working side) is read again closer ...
THIN_BAND = 4
#: ... at this many times the working side's scale (at most the picture's own size)
ZOOM = 3.0
#: runs of one class at most this far apart (px) are one band cut by a scrap of another colour
SCRAP = 2
#: band heights may vary this much (coefficient of variation) across the candidate
MAX_BAND_CV = 0.35


@dataclass
class FlagHit:
    """A rainbow flag candidate: its box in the input picture's pixels and a score in 0..1."""

    x: int
    y: int
    w: int
    h: int
    score: float


def _classes(hsv: np.ndarray, edges: tuple[int, ...], min_sat: int = MIN_SAT) -> np.ndarray:
    """Per pixel of an HSV picture: 0 red, 1 orange, 2 yellow, 3 green, 4 blue, 5 violet, 6 magenta
    (:data:`MAGENTA`), by the lower hue bounds ``edges``; -1 neither (duller than ``min_sat`` or dark)."""
    hue = hsv[..., 0]
    cls = np.digitize(hue, np.asarray(edges)).astype(np.int8)  # the number of boundaries at or below the hue
    cls[cls == 7] = 0  # the red end of the hue circle
    cls[(hsv[..., 1] < min_sat) | (hsv[..., 2] < MIN_VAL)] = -1
    return cls


#: which places of the flag's order (bit k: the k-th band from red) a run of each class can take; magenta (6)
#: can be the red or the violet end
_PLACES = np.array([1, 2, 4, 8, 16, 32, 33], np.int8)


def _column_matches(cls: np.ndarray) -> list[tuple[int, int, int, float]]:
    """(column, top, bottom, band height) of every column showing the six bands in order.

    The runs of all columns that can show the flag are cut at once: one array of runs, column after column,
    so that six runs in order are found by comparing shifted arrays, not column by column."""
    h = cls.shape[0]
    # a column can show the flag only if each of the six colours has a run of two pixels or more in it
    pairs = np.where(cls[1:] == cls[:-1], cls[1:], -1)
    able = np.ones(cls.shape[1], bool)
    magenta = (pairs == MAGENTA).any(axis=0)
    for k in range(6):
        able &= (pairs == k).any(axis=0) | (magenta if k in (0, 5) else False)
    cols = np.flatnonzero(able)
    if not len(cols):
        return []
    flat = np.ascontiguousarray(cls[:, cols].T).ravel()  # the columns one after another
    cut = np.ones(flat.size, bool)
    cut[1:] = flat[1:] != flat[:-1]
    cut[::h] = True  # each column starts a run
    starts = np.flatnonzero(cut)
    ends = np.append(starts[1:], flat.size)
    vals = flat[starts]
    keep = (vals >= 0) & (ends - starts >= 2)
    starts, ends, vals = starts[keep], ends[keep], vals[keep]
    column = starts // h
    # runs of one class that a dropped scrap (at most SCRAP px) had cut in two are one band again
    same = (vals[1:] == vals[:-1]) & (column[1:] == column[:-1]) & (starts[1:] - ends[:-1] <= SCRAP)
    first = np.concatenate([[True], ~same])
    last = np.concatenate([~same, [True]])
    starts, ends, vals, column = starts[first], ends[last], vals[first], column[first]
    n = len(vals) - 5
    if n <= 0:
        return []
    places = _PLACES[vals]
    up = column[5:] == column[:n]  # six runs of one column
    down = up.copy()
    for k in range(6):
        up &= (places[k:k + n] >> k) & 1 > 0
        down &= (places[k:k + n] >> (5 - k)) & 1 > 0
    i = np.flatnonzero(up | down)
    if not len(i):
        return []
    lens = np.stack([ends[i + k] - starts[i + k] for k in range(6)], axis=1).astype(np.float64)
    gaps = np.stack([starts[i + k + 1] - ends[i + k] for k in range(5)], axis=1)
    med = np.median(lens[:, 1:5], axis=1)
    # the outer bands may run on into a background of their own hue: only their minimum counts
    ok = ((med >= 2) & (lens[:, 1:5].max(axis=1) <= 2.5 * med) & (lens.min(axis=1) >= 0.33 * med)
          & (gaps.max(axis=1) <= 0.5 * med))
    i, med = i[ok], med[ok]
    base = column[i] * h
    reach = np.round(1.3 * med).astype(np.int64)
    top = np.maximum(starts[i], ends[i] - reach) - base
    bottom = np.minimum(ends[i + 5], starts[i + 5] + reach) - base
    return list(zip(cols[column[i]].tolist(), top.tolist(), bottom.tolist(), med.tolist(), strict=True))


def _groups(matches: list[tuple[int, int, int, float]]) -> list[list[tuple[int, int, int, float]]]:
    """Matching columns chained left to right when they are near and their stacks overlap."""
    groups: list[list[tuple[int, int, int, float]]] = []
    for m in sorted(matches):
        x, top, bot, band = m
        for g in groups:
            gx, gt, gb, gband = g[-1]
            if 0 < x - gx <= max(3.0, 0.6 * gband) and top < gb and bot > gt:
                g.append(m)
                break
        else:
            groups.append([m])
    return groups


def _judge(group: list[tuple[int, int, int, float]]) -> float:
    """0 when the group is not a flag, else a score in 0..1."""
    xs = np.array([g[0] for g in group], np.float64)
    tops = np.array([g[1] for g in group], np.float64)
    bands = np.array([g[3] for g in group], np.float64)
    stack = 6 * float(np.median(bands))
    span = xs[-1] - xs[0] + 1
    if len(group) < 8 or span < MIN_ASPECT * stack:
        return 0.0
    if float(bands.std() / bands.mean()) > MAX_BAND_CV:
        return 0.0
    fit = np.polyfit(xs, tops, 1)
    if abs(fit[0]) > 1.0:  # steeper than 45 degrees: the other scan direction sees it
        return 0.0
    bend = float(np.sqrt(np.mean((tops - np.polyval(fit, xs)) ** 2)))
    if bend > MAX_BEND * stack:
        return 0.0
    # an arc: the middle of the stack bends one way all along, so a parabola explains what a
    # straight line leaves (a waving flag bends both ways; a straight one not at all)
    mids = (tops + np.array([g[2] for g in group], np.float64)) / 2
    line = float(np.sqrt(np.mean((mids - np.polyval(np.polyfit(xs, mids, 1), xs)) ** 2)))
    quad = np.polyfit(xs, mids, 2)
    para = float(np.sqrt(np.mean((mids - np.polyval(quad, xs)) ** 2)))
    if abs(2 * quad[0]) * stack > ARC_CURVATURE and line > 0.012 * stack and para < 0.5 * line:
        return 0.0
    return float(min(1.0, 0.6 + 0.4 * min(1.0, span / (1.5 * stack))) * (1 - bend / stack))


def _continues(cls: np.ndarray, group: list[tuple[int, int, int, float]]) -> bool:
    """Whether the bands go on past either end of the group, bent so that no column there shows
    all six evenly: the arc of a natural rainbow does, a flag ends at its hoist and fly. A column a
    little beyond each end is looked at near where the stack ended; five bands in order, each at
    least half a band thick, mean the stack continues."""
    band = float(np.median([g[3] for g in group]))
    stack = 6 * band
    h, w = cls.shape
    for end, sign in ((group[0], -1), (group[-1], 1)):
        for dist in (0.4, 0.8):
            xi = int(round(end[0] + sign * dist * stack))
            if not 0 <= xi < w:
                continue
            y0, y1 = max(0, int(end[1] - stack)), min(h, int(end[2] + stack))
            col = cls[y0:y1, xi]
            cuts = np.flatnonzero(np.diff(col)) + 1
            starts = np.concatenate([[0], cuts])
            lens = np.diff(np.concatenate([starts, [len(col)]]))
            vals = [int(col[st]) for st, ln in zip(starts, lens, strict=True) if col[st] >= 0 and ln >= 0.5 * band]
            seq = np.array([v for k, v in enumerate(vals) if k == 0 or v != vals[k - 1]], np.int16)
            if _in_order(seq, 5):
                return True
    return False


def _settle(cls: np.ndarray) -> np.ndarray:
    """Classes with single pixels that differ from both neighbours along a column, when those agree, set to
    theirs: ink blended with a textured ground (a tattoo on skin) flips pixels of a band whose hue lies near a
    class's edge, and cuts the band into runs too short to count. A band of two pixels or more is kept."""
    out = cls.copy()
    above, below = cls[:-2], cls[2:]
    flip = (above == below) & (cls[1:-1] != above)
    out[1:-1][flip] = above[flip]
    return out


def _in_order(seq: np.ndarray, count: int) -> bool:
    """Whether ``count`` classes of ``seq`` follow each other in the flag's order, either way (magenta standing
    for red or violet at an end)."""
    for i in range(len(seq) - count + 1):
        run = seq[i:i + count]
        for turn in (run, run[::-1]):
            core = turn.copy()
            if core[0] == MAGENTA:  # as the red at the bottom of the order
                core[0] = 0
            if core[-1] == MAGENTA:  # as the violet at its top
                core[-1] = 5
            if (core != MAGENTA).all() and (np.diff(core) == 1).all():
                return True
    return False


def find_flags(rgb: np.ndarray) -> list[FlagHit]:
    """Rainbow flags in an RGB picture, boxes in its own pixels."""
    h, w = rgb.shape[:2]
    scale = min(1.0, SIDE / max(h, w))
    hits, small = _read(rgb, scale)
    for x, y, bw, bh in dict.fromkeys(small):  # each place once, though several readings saw it
        # a stack of thin bands at the working side: read its place again closer, with room around it
        zoom = min(1.0, scale * ZOOM)
        pad_x, pad_y = 2 * bh + bw, bh
        x0, y0 = max(0, x - pad_x), max(0, y - pad_y)
        x1, y1 = min(w, x + bw + pad_x), min(h, y + bh + pad_y)
        if min(x1 - x0, y1 - y0) * zoom < 16:
            continue
        found, _ = _read(rgb[y0:y1, x0:x1], zoom)
        hits.extend(FlagHit(f.x + x0, f.y + y0, f.w, f.h, f.score) for f in found)
    # one flag read with both sets of hue boundaries, or again closer: the best reading
    return best_apart(hits, lambda f: (f.x, f.y, f.w, f.h), lambda f: f.score)


def _read(rgb: np.ndarray, scale: float) -> tuple[list[FlagHit], list[Box]]:
    """The flags of a picture read at ``scale``, and the boxes (input pixels) of stacks whose bands were too thin
    there to judge (none when the picture is read at its own size)."""
    h, w = rgb.shape[:2]
    small = cv2.resize(rgb, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    hsv = cv2.cvtColor(small, cv2.COLOR_RGB2HSV)
    hits: list[FlagHit] = []
    thin: list[Box] = []
    for edges, min_sat in READINGS:
        cls = _classes(hsv, edges, min_sat)
        for transposed in (False, True):
            found, groups = _scan(_settle(cls.T if transposed else cls), transposed, scale)
            hits.extend(found)
            if scale < 1.0:
                thin.extend(box for box, band in groups if band < THIN_BAND)
    return hits, thin


def _scan(c: np.ndarray, transposed: bool, scale: float) -> tuple[list[FlagHit], list[tuple[Box, float]]]:
    """The flags of one reading of the picture's columns (its rows, ``transposed``), and every stack of at least
    three columns that was no flag, with its box (input pixels) and band height (working pixels)."""
    hits: list[FlagHit] = []
    rest: list[tuple[Box, float]] = []
    for group in _groups(_column_matches(c)):
        x0, x1 = group[0][0], group[-1][0] + 1
        y0, y1 = min(g[1] for g in group), max(g[2] for g in group)
        if transposed:
            x0, x1, y0, y1 = y0, y1, x0, x1
        box: Box = (int(x0 / scale), int(y0 / scale), int((x1 - x0) / scale), int((y1 - y0) / scale))
        score = _judge(group)
        if score <= 0 or _continues(c, group):
            if len(group) >= 3:
                rest.append((box, float(np.median([g[3] for g in group]))))
            continue
        hits.append(FlagHit(*box, round(score, 3)))
    return hits, rest
