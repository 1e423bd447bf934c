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

#: working side for this stage (colour bands survive strong reduction)
SIDE = 360
#: OpenCV hue (0-180) upper bounds of orange, yellow, green, blue, violet; red wraps around
_HUE_EDGES = (8, 21, 38, 88, 132, 166)
MIN_SAT, MIN_VAL = 45, 60
#: a candidate's run of columns must be this many times the height of its band stack
MIN_ASPECT = 0.7
#: top-edge residual (after a straight-line fit) allowed, as a share of the stack height
MAX_BEND = 0.12
#: curvature (times the stack height) above which a stack bent one way is an arc
ARC_CURVATURE = 0.2
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


def hue_classes(rgb: np.ndarray) -> np.ndarray:
    """Per pixel: 0 red, 1 orange, 2 yellow, 3 green, 4 blue, 5 violet, -1 neither (dull or dark)."""
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    h, s, v = hsv[..., 0].astype(np.int16), hsv[..., 1], hsv[..., 2]
    cls = np.zeros(h.shape, np.int8)
    for k, edge in enumerate(_HUE_EDGES):
        cls[h >= edge] = k + 1
    cls[cls == 6] = 0  # the red end of the hue circle
    cls[(s < MIN_SAT) | (v < MIN_VAL)] = -1
    return cls


def _column_matches(cls: np.ndarray) -> list[tuple[int, int, int, float]]:
    """(column, top, bottom, band height) of every column showing the six bands in order."""
    out = []
    h = cls.shape[0]
    # a column can show the flag only if each of the six classes has a run of two pixels or more in it
    pairs = np.where(cls[1:] == cls[:-1], cls[1:], -1)
    able = np.ones(cls.shape[1], bool)
    for k in range(6):
        able &= (pairs == k).any(axis=0)
    for x in (int(v) for v in np.flatnonzero(able)):
        col = cls[:, x]
        cuts = np.flatnonzero(np.diff(col)) + 1
        starts = np.concatenate([[0], cuts])
        ends = np.concatenate([cuts, [h]])
        vals = col[starts]
        keep = (vals >= 0) & (ends - starts >= 2)
        starts, ends, vals = starts[keep], ends[keep], vals[keep]
        if len(vals) < 6:
            continue
        # runs i..i+5 whose classes step by one all the way up from red or down from violet
        step = np.diff(vals.astype(np.int16))
        up = np.convolve(step == 1, np.ones(5, np.int32), mode="valid") == 5
        down = np.convolve(step == -1, np.ones(5, np.int32), mode="valid") == 5
        first = vals[:len(up)]
        for i in np.flatnonzero((up & (first == 0)) | (down & (first == 5))):
            lens = (ends[i:i + 6] - starts[i:i + 6]).astype(np.float64)
            gaps = starts[i + 1:i + 6] - ends[i:i + 5]
            med = float(np.median(lens[1:5]))
            # the outer bands may run on into a background of their own hue: only their minimum counts
            if med < 2 or lens[1:5].max() > 2.5 * med or lens.min() < 0.33 * med or gaps.max() > 0.5 * med:
                continue
            top = max(int(starts[i]), int(ends[i]) - int(round(1.3 * med)))
            bottom = min(int(ends[i + 5]), int(starts[i + 5]) + int(round(1.3 * med)))
            out.append((x, top, bottom, med))
    return out


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
            seq = [v for k, v in enumerate(vals) if k == 0 or v != vals[k - 1]]
            for i in range(len(seq) - 4):
                steps = {seq[k + 1] - seq[k] for k in range(i, i + 4)}
                if steps in ({1}, {-1}):
                    return True
    return False


def find_flags(rgb: np.ndarray) -> list[FlagHit]:
    """Rainbow flags in an RGB picture, boxes in its own pixels."""
    h, w = rgb.shape[:2]
    scale = min(1.0, SIDE / max(h, w))
    small = cv2.resize(rgb, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    cls = hue_classes(small)
    hits: list[FlagHit] = []
    for transposed in (False, True):
        c = cls.T if transposed else cls
        for group in _groups(_column_matches(c)):
            score = _judge(group)
            if score <= 0 or _continues(c, group):
                continue
            x0, x1 = group[0][0], group[-1][0] + 1
            y0, y1 = min(g[1] for g in group), max(g[2] for g in group)
            if transposed:
                x0, x1, y0, y1 = y0, y1, x0, x1
            hits.append(FlagHit(int(x0 / scale), int(y0 / scale), int((x1 - x0) / scale), int((y1 - y0) / scale),
                                round(score, 3)))
    return hits
