"""The glyphs of the symbol network's training renderer (issue 24): the six symbols and their look-alikes,
drawn from geometry as masks in unit coordinates (:class:`Pen`).

Part of the training renderer (``bench/symbols_render.py`` places, styles and composites these glyphs); it
shares no code with ``bench/symbols_heldout.py`` (the held-out generator) nor with the package's
``references.py``. Everything is drawn from a ``numpy.random.Generator``, so a seed fixes it.

Look-alikes: crosses, windows, grids, stars of 4-7 and 10-16 points, asterisks, snowflakes, suns, wheels, peace
signs, letters (Z, N, S, И, Ж, ...), flags of 3-5 bands, rainbow arcs and colour sweeps, pinwheels, meanders.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

CLASSES = ("background", "swastika", "ss-runes", "celtic-cross", "wolfsangel", "rainbow-flag", "aue-star")
#: the detector's window (px), stride (px), and the training patch (4 x 4 windows)
WINDOW, STRIDE, PATCH = 40, 8, 64
CELLS = (PATCH - WINDOW) // STRIDE + 1
#: a symbol counts for a window when its larger side is this share of the window
POS_SIZE = (0.5, 0.8)
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
Rng = np.random.Generator


# ---------------------------------------------------------------- drawing in unit coordinates

class Pen:
    """Draws on a square canvas of ``size`` px in unit coordinates: (0, 0) at the centre, 1 = 0.42 of the side."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.c = size / 2.0
        self.u = 0.42 * size

    def canvas(self) -> np.ndarray:
        return np.zeros((self.size, self.size), np.uint8)

    def px(self, pts: list[tuple[float, float]] | np.ndarray) -> np.ndarray:
        a = np.asarray(pts, np.float64)
        return np.round((self.c + a * self.u) * 16).astype(np.int32)

    def poly(self, m: np.ndarray, pts: list[tuple[float, float]] | np.ndarray, value: int = 255) -> None:
        cv2.fillPoly(m, [self.px(pts)], value, cv2.LINE_AA, 4)

    def disc(self, m: np.ndarray, x: float, y: float, r: float, value: int = 255) -> None:
        cv2.circle(m, (int(round((self.c + x * self.u) * 16)), int(round((self.c + y * self.u) * 16))),
                   max(1, int(round(r * self.u * 16))), value, -1, cv2.LINE_AA, 4)

    def ring(self, m: np.ndarray, r: float, w: float, value: int = 255) -> None:
        cc = int(round(self.c * 16))
        cv2.circle(m, (cc, cc), max(1, int(round(r * self.u * 16))), value, max(1, int(round(w * self.u))),
                   cv2.LINE_AA, 4)

    def stroke(self, m: np.ndarray, pts: list[tuple[float, float]], w: float, cap: str = "square",
               join: str = "miter", value: int = 255) -> None:
        """A thick polyline: each segment a quadrilateral (square caps extend the ends by half the width),
        joints filled round or mitred."""
        a = np.asarray(pts, np.float64)
        h = w / 2
        for i in range(len(a) - 1):
            p, q = a[i], a[i + 1]
            d = q - p
            ln = float(np.hypot(*d)) or 1e-9
            t = d / ln
            n = np.array([-t[1], t[0]]) * h
            if cap == "square":
                if i == 0:
                    p = p - t * h
                if i == len(a) - 2:
                    q = q + t * h
            self.poly(m, [p + n, q + n, q - n, p - n], value)
        for i in range(len(a)):
            if join == "round" or (cap == "round" and i in (0, len(a) - 1)):
                self.disc(m, a[i, 0], a[i, 1], h, value)
            elif 0 < i < len(a) - 1:
                self._miter(m, a[i - 1], a[i], a[i + 1], h, value)

    def _miter(self, m: np.ndarray, p: np.ndarray, q: np.ndarray, r: np.ndarray, h: float, value: int) -> None:
        t1 = (q - p) / (np.hypot(*(q - p)) or 1e-9)
        t2 = (r - q) / (np.hypot(*(r - q)) or 1e-9)
        n1, n2 = np.array([-t1[1], t1[0]]), np.array([-t2[1], t2[0]])
        cross = t1[0] * t2[1] - t1[1] * t2[0]
        if abs(cross) < 1e-6:
            return
        side = -1.0 if cross > 0 else 1.0  # the outer side of the turn
        bis = n1 + n2
        bl = float(np.hypot(*bis))
        if bl < 1e-6:
            return
        cos_half = bl / 2
        tip = q + side * bis / bl * h / max(cos_half, 0.25)
        self.poly(m, [q, q + side * n1 * h, tip, q + side * n2 * h], value)


def _rot(pts: list[tuple[float, float]], deg: float) -> list[tuple[float, float]]:
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    return [(x * c - y * s, x * s + y * c) for x, y in pts]


# ---------------------------------------------------------------- the symbols

Layers = dict[str, np.ndarray]  # "ink" (always), "light" (two-tone), "bands" (H x W x 6 for the flag)


def g_swastika(pen: Pen, rng: Rng) -> Layers:
    m = pen.canvas()
    w = rng.uniform(0.13, 0.55)  # up to blocky arms, half as wide as long (graffiti, hand-drawn, badges)
    hook = rng.uniform(0.35, 1.0) * (1.0 if rng.random() < 0.5 else -1.0)
    cap = "square" if rng.random() < 0.85 else "round"
    bend = rng.uniform(80, 100) if rng.random() < 0.2 else 90.0  # hooks not quite square
    arm = [(0.0, 0.0), (0.0, -1.0 + w / 2), (hook * math.sin(math.radians(bend)), -1.0 + w / 2
                                            - hook * math.cos(math.radians(bend)))]
    for k in range(4):
        pen.stroke(m, _rot(arm, 90 * k), w, cap=cap)
    if rng.random() < 0.1:  # dots between the arms
        for k in range(4):
            x, y = _rot([(0.45 * math.copysign(1, hook), -0.45)], 90 * k)[0]
            pen.disc(m, x, y, rng.uniform(0.07, 0.12))
    return {"ink": m}


def g_ss_runes(pen: Pen, rng: Rng) -> Layers:
    m = pen.canvas()
    hw = rng.uniform(0.18, 0.5)  # half-width of one rune (its height is 2): narrow to wide zigzags
    w = rng.uniform(0.1, 0.3)
    e = rng.uniform(-0.08, 0.22)  # the middle stroke's rise
    gap = 2 * hw + rng.uniform(0.05, 0.35)
    slant = rng.uniform(-0.15, 0.15)
    join = "miter" if rng.random() < 0.7 else "round"
    cap = "square" if rng.random() < 0.8 else "round"
    top_in = rng.uniform(0.75, 1.0)
    for dx in (-gap / 2, gap / 2):
        pts = [(hw, -top_in), (-hw, e), (hw, -e), (-hw, top_in)]
        pts = [(dx + x + slant * y, y) for x, y in pts]
        pen.stroke(m, pts, w, cap=cap, join=join)
    return {"ink": m}


def g_celtic(pen: Pen, rng: Rng) -> Layers:
    m = pen.canvas()
    r = rng.uniform(0.48, 0.78)
    rw = rng.uniform(0.06, 0.2)
    aw = rng.uniform(0.07, 0.26)
    arm = max(r + rw / 2 + 0.1, rng.uniform(0.8, 1.0))
    pen.ring(m, r, rw)
    pen.poly(m, [(-aw / 2, -arm), (aw / 2, -arm), (aw / 2, arm), (-aw / 2, arm)])
    pen.poly(m, [(-arm, -aw / 2), (arm, -aw / 2), (arm, aw / 2), (-arm, aw / 2)])
    return {"ink": m}


def g_wolfsangel(pen: Pen, rng: Rng) -> Layers:
    m = pen.canvas()
    w = rng.uniform(0.1, 0.34)
    hh = rng.uniform(0.4, 1.0)  # half the height between the hooks
    hx = rng.uniform(0.35, 1.0) * (1.0 if hh > 0.6 else 1.6)  # half a hook; a flat Z turned is the N-like form
    hx, hh = hx / max(hx, hh), hh / max(hx, hh)
    tilt = math.radians(rng.uniform(-25, 25)) if rng.random() < 0.35 else 0.0  # hooks bent off the horizontal
    dy = math.tan(tilt) * hx
    pts = [(-hx, -hh + dy), (hx, -hh), (-hx, hh), (hx, hh - dy)]
    pen.stroke(m, pts, w, cap="square", join="miter" if rng.random() < 0.8 else "round")
    bar = rng.uniform(0.6, 1.15) * max(hx, 0.5)
    pen.stroke(m, [(-bar, 0.0), (bar, 0.0)], w * rng.uniform(0.8, 1.1), cap="square")
    return {"ink": m}


FLAG = np.array([(228, 3, 3), (255, 140, 0), (255, 237, 0), (0, 128, 38), (36, 64, 142), (115, 41, 130)], float)


def g_rainbow(pen: Pen, rng: Rng) -> Layers:
    s = pen.size
    half_h = 1.0 / rng.uniform(1.3, 2.0)
    yy = (np.arange(s)[:, None] - pen.c) / pen.u
    xx = (np.arange(s)[None, :] - pen.c) / pen.u
    wave = (rng.uniform(0, 0.12) * np.sin(rng.uniform(1.5, 4.5) * xx + rng.uniform(0, 6.3))
            if rng.random() < 0.6 else 0.0 * xx)
    v = (yy - wave + half_h) / (2 * half_h)  # 0..1 across the flag
    inside = (v >= 0) & (v < 1) & (np.abs(xx) <= 1.0)
    band = np.clip((v * 6).astype(int), 0, 5)
    bands = np.zeros((s, s, 6), np.float32)
    for k in range(6):
        bands[..., k] = (band == k) & inside
    return {"ink": inside.astype(np.uint8) * 255, "bands": bands}


def g_aue_star(pen: Pen, rng: Rng) -> Layers:
    ink, light = pen.canvas(), pen.canvas()
    diag = rng.uniform(0.5, 1.0)
    inner = rng.uniform(0.08, 0.4)
    twotone = rng.random() < 0.55
    rot0 = -90.0
    for k in range(8):
        a = math.radians(rot0 + 45 * k)
        ln = 1.0 if k % 2 == 0 else diag
        tip = (ln * math.cos(a), ln * math.sin(a))
        for side in (-1, 1):
            b = a + side * math.pi / 8
            base = (inner * math.cos(b), inner * math.sin(b))
            tri = [(0.0, 0.0), tip, base]
            if twotone and side > 0:
                pen.poly(light, tri)
            else:
                pen.poly(ink, tri)
    if rng.random() < 0.15:
        pen.disc(ink, 0, 0, inner * rng.uniform(0.5, 1.0))
    if rng.random() < 0.12:
        pen.ring(ink, rng.uniform(0.45, 0.7) * diag + 0.1, rng.uniform(0.03, 0.07))
    out = {"ink": ink}
    if twotone:
        out["light"] = light
    return out


SYMBOL_DRAW: dict[str, Callable[[Pen, Rng], Layers]] = {
    "swastika": g_swastika, "ss-runes": g_ss_runes, "celtic-cross": g_celtic, "wolfsangel": g_wolfsangel,
    "rainbow-flag": g_rainbow, "aue-star": g_aue_star,
}


# ---------------------------------------------------------------- the look-alikes

def _bar(pen: Pen, m: np.ndarray, x0: float, y0: float, x1: float, y1: float) -> None:
    pen.poly(m, [(x0, y0), (x1, y0), (x1, y1), (x0, y1)])


def l_cross(pen: Pen, rng: Rng) -> Layers:
    m = pen.canvas()
    w = rng.uniform(0.12, 0.5)
    kind = rng.integers(0, 5)
    if kind == 0:  # plus / Greek cross
        _bar(pen, m, -w / 2, -1, w / 2, 1)
        _bar(pen, m, -1, -w / 2, 1, w / 2)
    elif kind == 1:  # latin cross
        _bar(pen, m, -w / 3, -1, w / 3, 1)
        y = rng.uniform(-0.6, -0.3)
        _bar(pen, m, -0.6, y - w / 3, 0.6, y + w / 3)
    elif kind == 2:  # orthodox cross
        t = rng.uniform(0.08, 0.16)
        _bar(pen, m, -t / 2, -1, t / 2, 1)
        _bar(pen, m, -0.3, -0.78 - t / 2, 0.3, -0.78 + t / 2)
        _bar(pen, m, -0.6, -0.45 - t / 2, 0.6, -0.45 + t / 2)
        pen.stroke(m, [(-0.35, 0.45), (0.35, 0.25)], t)
    elif kind == 3:  # iron / Maltese cross: arms widening outward
        for k in range(4):
            pen.poly(m, _rot([(-w / 3, 0), (w / 3, 0), (0.55, -1), (-0.55, -1)], 90 * k))
    else:  # saltire
        pen.stroke(m, [(-0.9, -0.9), (0.9, 0.9)], w * 0.7)
        pen.stroke(m, [(-0.9, 0.9), (0.9, -0.9)], w * 0.7)
    return {"ink": m}


def l_frame(pen: Pen, rng: Rng) -> Layers:
    m = pen.canvas()
    kind = rng.integers(0, 5)
    t = rng.uniform(0.08, 0.2)
    if kind == 0:  # window
        _bar(pen, m, -0.85, -0.85, 0.85, 0.85)
        pen.poly(m, [(-0.85 + t, -0.85 + t), (0.85 - t, -0.85 + t), (0.85 - t, 0.85 - t), (-0.85 + t, 0.85 - t)], 0)
        _bar(pen, m, -t / 2, -0.85, t / 2, 0.85)
        _bar(pen, m, -0.85, -t / 2, 0.85, t / 2)
    elif kind == 1:  # hash
        for c in (-0.33, 0.33):
            _bar(pen, m, c - t / 2, -1, c + t / 2, 1)
            _bar(pen, m, -1, c - t / 2, 1, c + t / 2)
    elif kind == 2:  # chessboard
        n = int(rng.integers(3, 7))
        s = 2.0 / n
        for i in range(n):
            for j in range(n):
                if (i + j) % 2 == 0:
                    _bar(pen, m, -1 + j * s, -1 + i * s, -1 + (j + 1) * s, -1 + (i + 1) * s)
    elif kind == 3:  # four squares
        g = rng.uniform(0.05, 0.2)
        for sx in (-1, 1):
            for sy in (-1, 1):
                xs = sorted((sx * g / 2, sx * 0.9))
                ys = sorted((sy * g / 2, sy * 0.9))
                _bar(pen, m, xs[0], ys[0], xs[1], ys[1])
    else:  # grid of lines
        n = int(rng.integers(3, 6))
        for c in np.linspace(-0.9, 0.9, n):
            _bar(pen, m, c - t / 3, -0.9, c + t / 3, 0.9)
            _bar(pen, m, -0.9, c - t / 3, 0.9, c + t / 3)
    return {"ink": m}


def _star_pts(n: int, inner: float, short: float = 1.0) -> list[tuple[float, float]]:
    pts = []
    for k in range(2 * n):
        a = -math.pi / 2 + k * math.pi / n
        r = (1.0 if (k // 2) % 2 == 0 else short) if k % 2 == 0 else inner
        pts.append((r * math.cos(a), r * math.sin(a)))
    return pts


def l_star(pen: Pen, rng: Rng) -> Layers:
    m = pen.canvas()
    n = int(rng.choice([4, 5, 5, 6, 6, 7, 8, 10, 12, 16]))
    if n == 8:
        inner = rng.uniform(0.62, 0.8)  # a fat octagram (two squares), not a compass rose
    elif n == 4:
        inner = rng.uniform(0.15, 0.5)
    elif n >= 10:
        inner = rng.uniform(0.4, 0.8)
    else:
        inner = rng.uniform(0.25, 0.6)
    pen.poly(m, _star_pts(n, inner))
    if n == 6 and rng.random() < 0.4:  # Star of David as two triangles
        m[:] = 0
        t = rng.uniform(0.08, 0.18)
        for k in (0, 1):
            tri = [(math.cos(a), math.sin(a)) for a in (np.arange(3) * 2 * math.pi / 3 - math.pi / 2 + k * math.pi)]
            pen.stroke(m, tri + [tri[0]], t)
    return {"ink": m}


def l_asterisk(pen: Pen, rng: Rng) -> Layers:
    m = pen.canvas()
    n = int(rng.choice([5, 6, 6, 8, 12]))
    t = rng.uniform(0.06, 0.3) if n == 8 else rng.uniform(0.06, 0.28)  # thin spokes too: no taper, unlike a star
    cap = "round" if rng.random() < 0.5 else "square"
    for k in range(n):
        a = 2 * math.pi * k / n - math.pi / 2
        pen.stroke(m, [(0, 0), (math.cos(a), math.sin(a))], t, cap=cap)
    if rng.random() < 0.3:
        pen.disc(m, 0, 0, rng.uniform(0.15, 0.35))
    return {"ink": m}


def l_snowflake(pen: Pen, rng: Rng) -> Layers:
    m = pen.canvas()
    t = rng.uniform(0.06, 0.14)
    n = 6 if rng.random() < 0.8 else 8
    for k in range(n):
        a = 2 * math.pi * k / n
        ca, sa = math.cos(a), math.sin(a)
        pen.stroke(m, [(0, 0), (ca, sa)], t, cap="round")
        for d in (0.45, 0.7):
            bx, by = d * ca, d * sa
            for s in (-1, 1):
                b = a + s * math.radians(rng.uniform(35, 55))
                ln = rng.uniform(0.15, 0.3)
                pen.stroke(m, [(bx, by), (bx + ln * math.cos(b), by + ln * math.sin(b))], t, cap="round")
    return {"ink": m}


def l_round(pen: Pen, rng: Rng) -> Layers:
    m = pen.canvas()
    kind = rng.integers(0, 6)
    rw = rng.uniform(0.08, 0.2)
    r = rng.uniform(0.75, 0.95)
    if kind == 0:  # ring with a dot
        pen.ring(m, r, rw)
        pen.disc(m, 0, 0, rng.uniform(0.12, 0.35))
    elif kind == 1:  # circled plus: the arms end at the ring
        pen.ring(m, r, rw)
        t = rng.uniform(0.06, 0.2)
        _bar(pen, m, -t / 2, -r, t / 2, r)
        _bar(pen, m, -r, -t / 2, r, t / 2)
    elif kind == 2:  # peace sign
        pen.ring(m, r, rw)
        t = rng.uniform(0.06, 0.16)
        pen.stroke(m, [(0, -r), (0, r)], t, cap="square")
        pen.stroke(m, [(0, 0), (-r * 0.7, r * 0.7)], t)
        pen.stroke(m, [(0, 0), (r * 0.7, r * 0.7)], t)
    elif kind == 3:  # wheel with spokes
        pen.ring(m, r, rw)
        n = int(rng.choice([3, 5, 6, 8]))
        t = rng.uniform(0.05, 0.12)
        for k in range(n):
            a = 2 * math.pi * k / n
            pen.stroke(m, [(0, 0), (r * math.cos(a), r * math.sin(a))], t)
    elif kind == 4:  # sun: disc with rays
        pen.disc(m, 0, 0, rng.uniform(0.3, 0.5))
        n = int(rng.choice([8, 10, 12, 16]))
        t = rng.uniform(0.05, 0.12)
        for k in range(n):
            a = 2 * math.pi * k / n
            pen.stroke(m, [(0.6 * math.cos(a), 0.6 * math.sin(a)), (math.cos(a), math.sin(a))], t)
    else:  # circle with a saltire inside
        pen.ring(m, r, rw)
        t = rng.uniform(0.06, 0.16)
        d = r * 0.7
        pen.stroke(m, [(-d, -d), (d, d)], t)
        pen.stroke(m, [(-d, d), (d, -d)], t)
    return {"ink": m}


def l_zigzag(pen: Pen, rng: Rng) -> Layers:
    """Strokes like the wolfsangel and the runes, but not them: Z, N, И, S-like bolts alone, a zigzag."""
    m = pen.canvas()
    w = rng.uniform(0.1, 0.26)
    kind = rng.choice([0, 1, 2, 3, 5])
    if kind == 0:  # Z
        hx, hh = rng.uniform(0.4, 0.8), rng.uniform(0.7, 1.0)
        pen.stroke(m, [(-hx, -hh), (hx, -hh), (-hx, hh), (hx, hh)], w)
    elif kind == 1:  # N or И
        hx, hh = rng.uniform(0.4, 0.8), rng.uniform(0.7, 1.0)
        s = 1 if rng.random() < 0.5 else -1
        pen.stroke(m, [(-hx, hh), (-hx, -hh), (hx, hh * s), (hx, -hh * s)], w)
    elif kind == 2:  # one lightning bolt
        hw = rng.uniform(0.25, 0.5)
        pen.stroke(m, [(hw, -1), (-hw, 0.05), (hw, -0.05), (-hw, 1)], w)
    elif kind == 3:  # zigzag line
        n = int(rng.integers(3, 7))
        pts = [(-1 + 2 * k / n, 0.4 if k % 2 else -0.4) for k in range(n + 1)]
        pen.stroke(m, pts, w)
    else:  # two parallel strokes with a kink (like "//" or "44")
        for dx in (-0.3, 0.3):
            pen.stroke(m, [(dx + 0.2, -1), (dx - 0.2, 1)], w)
    return {"ink": m}


def l_curly(pen: Pen, rng: Rng) -> Layers:
    """Four-fold shapes that turn one way but are no swastika: a pinwheel, a triskelion, a meander square."""
    m = pen.canvas()
    kind = rng.integers(0, 3)
    if kind == 0:
        for k in range(4):
            pts = [(0.0, 0.0), (0.0, -1.0), (0.7, -0.3)]
            pen.poly(m, _rot(pts, 90 * k))
    elif kind == 1:
        w = rng.uniform(0.12, 0.25)
        for k in range(3):
            arc = [(0.5 * math.cos(t) - 0.0, 0.5 * math.sin(t) - 0.5) for t in np.linspace(-1.5, 2.2, 8)]
            pen.stroke(m, _rot(arc, 120 * k), w, join="round", cap="round")
    else:
        w = rng.uniform(0.1, 0.2)
        pen.stroke(m, [(-0.9, 0.9), (-0.9, -0.9), (0.9, -0.9), (0.9, 0.9), (-0.4, 0.9), (-0.4, -0.4), (0.4, -0.4),
                       (0.4, 0.4)], w)
    return {"ink": m}


def l_stripes(pen: Pen, rng: Rng) -> Layers:
    """Flags of 3-5 bands, a natural rainbow's arc, a sweep of hues: colour look-alikes of the rainbow flag."""
    m = pen.canvas()
    s = pen.size
    kind = rng.integers(0, 3)
    yy = (np.arange(s)[:, None] - pen.c) / pen.u
    xx = (np.arange(s)[None, :] - pen.c) / pen.u + 0 * yy
    if kind == 0:
        n = int(rng.choice([3, 3, 4, 5]))
        aspect = rng.uniform(1.3, 2.0)
        pen.poly(m, [(-1, -1 / aspect), (1, -1 / aspect), (1, 1 / aspect), (-1, 1 / aspect)])
        band = np.clip(((yy + 1 / aspect) * aspect / 2 * n).astype(int), 0, n - 1)
        cols = rng.uniform(0, 255, (n, 3))
        if rng.random() < 0.4:  # real-looking tricolours
            cols = np.array([(255, 255, 255), (0, 57, 166), (213, 43, 30)], float)[:n] if n == 3 else cols
        img = cols[np.broadcast_to(band, (s, s))]
    elif kind == 1:  # arc of a rainbow
        r0 = rng.uniform(0.7, 0.95)
        bw = rng.uniform(0.03, 0.07)
        d = np.hypot(xx, yy - 0.6)
        k = ((r0 - d) / bw).astype(int)
        ok = (k >= 0) & (k < 6) & (yy < 0.6)
        m[ok] = 255
        img = FLAG[np.clip(k, 0, 5)]
    else:  # a sweep of hues
        pen.poly(m, [(-1, -0.5), (1, -0.5), (1, 0.5), (-1, 0.5)])
        hue = ((xx + 1) / 2 * 170).clip(0, 179).astype(np.uint8)
        hsv = np.dstack([hue, np.full_like(hue, 220), np.full_like(hue, 230)])
        img = cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB).astype(float)
    return {"ink": m, "colour": np.broadcast_to(img, (s, s, 3)).astype(np.float32)}


_LETTERS = "ZNSXKHMWAEFLTY4578" + "ЖИШФЯЛДБГЭЮ"
FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSerif.ttf", "DejaVuSansMono.ttf",
          "DejaVuSerif-Bold.ttf", "DejaVuSansCondensed-Bold.ttf")


def l_letters(pen: Pen, rng: Rng) -> Layers:
    """One to three letters of a real font (the look-alikes of text: Z, N, S, SS, И, Ж, ...)."""
    from PIL import Image, ImageDraw, ImageFont

    n = int(rng.choice([1, 1, 1, 2, 2, 3]))
    text = "".join(str(rng.choice(list(_LETTERS))) for _ in range(n))
    if rng.random() < 0.15:
        text = str(rng.choice(["SS", "ZZ", "NN", "44", "ZV", "Z", "N", "XX", "Ж"]))
    font = ImageFont.truetype(str(FONT_DIR / str(rng.choice(FONTS))), int(pen.size * 0.7))
    im = Image.new("L", (pen.size * 3, pen.size * 2), 0)
    ImageDraw.Draw(im).text((pen.size * 0.2, pen.size * 0.2), text, font=font, fill=255)
    a = np.asarray(im)
    ys, xs = np.nonzero(a > 0)
    if not len(xs):
        return {"ink": pen.canvas()}
    crop = a[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    side = int(0.84 * pen.size)
    f = side / max(crop.shape)
    crop = cv2.resize(crop, (max(1, int(crop.shape[1] * f)), max(1, int(crop.shape[0] * f))),
                      interpolation=cv2.INTER_AREA)
    m = pen.canvas()
    y0, x0 = (pen.size - crop.shape[0]) // 2, (pen.size - crop.shape[1]) // 2
    m[y0:y0 + crop.shape[0], x0:x0 + crop.shape[1]] = crop
    return {"ink": m}


LOOKALIKE_DRAW: dict[str, Callable[[Pen, Rng], Layers]] = {
    "cross": l_cross, "frame": l_frame, "star": l_star, "asterisk": l_asterisk, "snowflake": l_snowflake,
    "round": l_round, "zigzag": l_zigzag, "curly": l_curly, "stripes": l_stripes, "letters": l_letters,
}
LOOK_WEIGHTS = {"cross": 3, "frame": 2, "star": 3, "asterisk": 2, "snowflake": 1, "round": 2, "zigzag": 3,
                 "curly": 1, "stripes": 2, "letters": 3}
