"""Reference shapes of the geometric symbols, drawn from geometry in code (no picture is shipped).

Each symbol has a few variants (stroke width, hook length, point ratio) drawn as polygons and
thick polylines on a square canvas; :mod:`.shapes` turns each into a polar occupancy grid once
and compares candidate blobs with them. Look-alike references (plus, latin cross, square frame,
four- and six-pointed stars, ...) are drawn the same way: a blob must resemble its symbol more
than any look-alike to count.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import cv2
import numpy as np

#: canvas side of a drawn reference, in pixels
CANVAS = 160
_C = CANVAS / 2.0
#: pixels per unit of the drawing coordinates (a shape of radius 1.41 still fits the canvas)
_UNIT = 0.33 * CANVAS

Point = tuple[float, float]


@dataclass(frozen=True)
class Reference:
    """One drawn reference: the symbol id (or ``-lookalike`` name), its mask, and whether it is a
    silhouette (compared with a candidate's filled outline) or a solid form (compared as drawn)."""

    symbol: str
    variant: str
    mask: np.ndarray
    filled: bool = False


def _canvas() -> np.ndarray:
    return np.zeros((CANVAS, CANVAS), np.uint8)


def _pts(points: Iterable[Point], scale: float = 1.0, angle: float = 0.0) -> np.ndarray:
    """Unit coordinates (centre 0,0; radius about 1) to canvas pixels, rotated by ``angle`` degrees."""
    a = math.radians(angle)
    ca, sa = math.cos(a), math.sin(a)
    r = _UNIT * scale
    out = [(_C + r * (x * ca - y * sa), _C + r * (x * sa + y * ca)) for x, y in points]
    return np.round(np.array(out, np.float64) * 16).astype(np.int32)


def _poly(m: np.ndarray, points: Iterable[Point], angle: float = 0.0) -> None:
    cv2.fillPoly(m, [_pts(points, angle=angle)], 255, cv2.LINE_AA, 4)


def _line(m: np.ndarray, points: Iterable[Point], width: float, angle: float = 0.0) -> None:
    px = int(round(width * _UNIT))
    cv2.polylines(m, [_pts(points, angle=angle)], False, 255, max(1, px), cv2.LINE_AA, 4)


def _rect(x0: float, y0: float, x1: float, y1: float) -> list[Point]:
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def _binary(m: np.ndarray) -> np.ndarray:
    return (m > 127).astype(np.uint8) * 255


def swastika(width: float = 0.2, hook: float = 1.0, mirror: bool = False) -> np.ndarray:
    """A swastika of arm half-length 1: a cross with a hook of ``hook`` at the end of each arm."""
    m = _canvas()
    w = width / 2
    x0, x1 = (-hook, w) if mirror else (-w, hook)
    for k in range(4):
        ang = 90.0 * k
        _poly(m, _rect(-w, -1.0, w, w), ang)  # the arm, from the centre up
        _poly(m, _rect(x0, -1.0, x1, -1.0 + width), ang)  # its hook
    return _binary(m)


_SIG = [(0.3, -1.0), (-0.45, 0.0), (0.45, 0.0), (-0.3, 1.0)]


def sig_rune(width: float = 0.16, xs: float = 1.0, slant: float = 0.0) -> np.ndarray:
    """One "sig" rune: a lightning stroke of three segments (height 2), ``xs`` times as wide as the
    plain form, leaning by ``slant``."""
    m = _canvas()
    _line(m, [(xs * x + slant * y, y) for x, y in _SIG], width)
    return _binary(m)


def ss_runes(width: float = 0.14, xs: float = 1.0, gap: float = 0.4) -> np.ndarray:
    """Two sig runes side by side (the SS emblem), their centres ``gap`` apart."""
    m = _canvas()
    for dx in (-gap / 2, gap / 2):
        _line(m, [(dx + 0.5 * xs * x, 0.5 * y) for x, y in _SIG], width / 2)
    return _binary(m)


def wolfsangel(width: float = 0.16, bar: float = 0.75, hooks: float = 0.55, height: float = 0.95) -> np.ndarray:
    """The wolfsangel as drawn on flags and patches: a Z (hooks of half-length ``hooks`` at both ends
    of a diagonal, ``2 * height`` apart) with a crossbar of half-length ``bar`` through its middle.
    Turned a quarter, the same drawing is the "N with a bar" form."""
    m = _canvas()
    _line(m, [(-hooks, -height), (hooks, -height), (-hooks, height), (hooks, height)], width)
    _line(m, [(-bar, 0.0), (bar, 0.0)], width)
    return _binary(m)


def wolfsangel_vertical(width: float = 0.16, bar: float = 0.6) -> np.ndarray:
    """The "vertical" wolfsangel: a bar with two hooks (an N-like shape) and a crossbar."""
    m = _canvas()
    _line(m, [(-0.45, 0.5), (-0.45, -0.95), (0.45, 0.95), (0.45, -0.5)], width)
    _line(m, [(-bar, 0.0), (bar, 0.0)], width)
    return _binary(m)


def celtic_cross(ring: float = 0.62, ring_w: float = 0.13, arm_w: float = 0.14, arm: float = 1.0) -> np.ndarray:
    """A ring with the arms of an equal cross through it, the arms reaching past the ring."""
    m = _canvas()
    r = int(round(ring * _UNIT))
    t = max(1, int(round(ring_w * _UNIT)))
    cv2.circle(m, (int(_C), int(_C)), r, 255, t, cv2.LINE_AA)
    w = arm_w / 2
    _poly(m, _rect(-w, -arm, w, arm))
    _poly(m, _rect(-arm, -w, arm, w))
    return _binary(m)


def star(points: int, inner: float, short: float = 1.0, angle: float = 0.0) -> np.ndarray:
    """A filled star of ``points`` points; every other point has length ``short`` (compass roses)."""
    m = _canvas()
    pts: list[Point] = []
    for k in range(2 * points):
        a = math.pi * k / points - math.pi / 2
        if k % 2 == 0:
            r = 1.0 if (k // 2) % 2 == 0 else short
        else:
            r = inner
        pts.append((r * math.cos(a), r * math.sin(a)))
    _poly(m, pts, angle)
    return _binary(m)


def plus(width: float = 0.3) -> np.ndarray:
    """An equal-armed cross (plus, Swiss and Red Cross flags)."""
    m = _canvas()
    w = width / 2
    _poly(m, _rect(-w, -1, w, 1))
    _poly(m, _rect(-1, -w, 1, w))
    return _binary(m)


def latin_cross(width: float = 0.24) -> np.ndarray:
    """A latin cross (long lower arm)."""
    m = _canvas()
    w = width / 2
    _poly(m, _rect(-w, -1, w, 1))
    _poly(m, _rect(-0.6, -0.55 - w, 0.6, -0.55 + w))
    return _binary(m)


def square_frame(width: float = 0.12, cross: bool = True) -> np.ndarray:
    """A window: a square frame, optionally with a cross of glazing bars inside it."""
    m = _canvas()
    s = 0.72
    _poly(m, _rect(-s, -s, s, s))
    i = s - width
    cv2.fillPoly(m, [_pts(_rect(-i, -i, i, i))], 0, cv2.LINE_AA, 4)
    if cross:
        w = width / 2
        _poly(m, _rect(-w, -s, w, s))
        _poly(m, _rect(-s, -w, s, w))
    return _binary(m)


def ring_dot(ring: float = 0.9, ring_w: float = 0.15, dot: float = 0.25) -> np.ndarray:
    """A ring with a dot at its centre."""
    m = _canvas()
    r = int(round(ring * _UNIT))
    cv2.circle(m, (int(_C), int(_C)), r, 255, max(1, int(round(ring_w * _UNIT))), cv2.LINE_AA)
    cv2.circle(m, (int(_C), int(_C)), int(round(dot * _UNIT)), 255, -1, cv2.LINE_AA)
    return _binary(m)


def hash_sign(width: float = 0.16) -> np.ndarray:
    """A hash sign: two vertical and two horizontal bars."""
    m = _canvas()
    w = width / 2
    for c in (-0.35, 0.35):
        _poly(m, _rect(c - w, -1, c + w, 1))
        _poly(m, _rect(-1, c - w, 1, c + w))
    return _binary(m)


def snowflake(width: float = 0.1) -> np.ndarray:
    """A six-armed snowflake with two branches on each arm."""
    m = _canvas()
    for k in range(6):
        a = math.pi * k / 3
        ca, sa = math.cos(a), math.sin(a)
        _line(m, [(0, 0), (ca, sa)], width)
        for d in (0.55,):
            bx, by = d * ca, d * sa
            for s in (-1, 1):
                b = a + s * math.pi / 4
                _line(m, [(bx, by), (bx + 0.3 * math.cos(b), by + 0.3 * math.sin(b))], width)
    return _binary(m)


def _symbol_refs() -> list[Reference]:
    refs: list[Reference] = []
    for w, hook in ((0.18, 0.6), (0.18, 1.0), (0.28, 0.6), (0.28, 0.8), (0.28, 1.0), (0.38, 0.6), (0.38, 0.8),
                    (0.38, 1.0), (0.46, 0.6), (0.46, 0.8)):
            refs.append(Reference("swastika", f"w{w}-h{hook}", swastika(w, hook)))
    for w in (0.16, 0.26):
        for xs in (0.8, 1.2):
            refs.append(Reference("sig", f"w{w}-x{xs}", sig_rune(w, xs)))
            for gap in (0.32, 0.45):
                refs.append(Reference("ss-runes", f"w{w}-x{xs}-g{gap}", ss_runes(w, xs, gap)))
    for w in (0.14, 0.22, 0.3):
        for bar, hooks, height in ((0.6, 0.6, 0.95), (0.9, 0.9, 0.95), (0.75, 1.0, 0.95), (1.0, 1.0, 0.6),
                                   (0.8, 0.8, 0.7)):
            refs.append(Reference("wolfsangel", f"z-w{w}-b{bar}-{hooks}-{height}", wolfsangel(w, bar, hooks, height)))
        refs.append(Reference("wolfsangel", f"v-w{w}", wolfsangel_vertical(w, 0.6)))
    for ring in (0.55, 0.65, 0.78):
        for rw in (0.1, 0.16):
            for aw in (0.12, 0.19, 0.3):
                refs.append(Reference("celtic-cross", f"r{ring}-{rw}-{aw}", celtic_cross(ring, rw, aw)))
    for short in (0.55, 0.7, 0.85, 1.0):
        for inner in (0.15, 0.22, 0.3, 0.38):
            refs.append(Reference("aue-star", f"s{short}-i{inner}", star(8, inner, short), filled=True))
    return refs


def _lookalike_refs() -> list[Reference]:
    refs: list[Reference] = []
    for w in (0.2, 0.35, 0.5):
        refs.append(Reference("-plus", f"w{w}", plus(w)))
    refs.append(Reference("-latin-cross", "0.24", latin_cross(0.24)))
    refs.append(Reference("-window", "0.12", square_frame(0.12)))
    refs.append(Reference("-window", "0.2", square_frame(0.2)))
    refs.append(Reference("-ring-dot", "0", ring_dot()))
    refs.append(Reference("-hash", "0", hash_sign()))
    refs.append(Reference("-snowflake", "0", snowflake()))
    for n, inner in ((4, 0.25), (4, 0.4), (5, 0.4), (6, 0.55), (6, 0.5)):
        refs.append(Reference(f"-star{n}", f"i{inner}", star(n, inner), filled=True))
    return refs


def all_references() -> list[Reference]:
    """Every reference: the symbols' variants and the look-alikes'."""
    return _symbol_refs() + _lookalike_refs()
