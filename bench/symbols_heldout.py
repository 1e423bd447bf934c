"""A held-out set of pictures with (and without) banned symbols, drawn independently of the detector.

usage: .venv/bin/python bench/symbols_heldout.py [OUT_DIR] [--seed N] [--per-style K] [--negatives N]
OUT_DIR (default /tmp/symbols-heldout) receives items.jsonl (generic format), media/*.jpg and truth.json
in the format of /work/shared/bench/symbols-dev, so bench/symbols_eval.py and score_symbols.py read it.

Nothing here is shared with repostguard.media.symbols: the symbols are drawn by their own geometry
(other proportions, drawn with other primitives), in styles the dev set does not show:

- ``persp``: a strong perspective warp of a solid symbol on a gradient with shapes;
- ``outline``: the symbol's outline only, 2-6 px strokes, no fill;
- ``tattoo``: low-contrast, blurred ink on a skin-like texture, slightly warped;
- ``busy``: a photo-like background (noise, gradients, dozens of random shapes and lines);
- ``two``: two different symbols in one picture (truth accepts either; ``all`` lists both).

Negatives are look-alikes drawn the same ways (crosses, grids, chessboards, stars, snowflakes, flags,
a natural rainbow, a Z, a peace sign, an asterisk, plain busy pictures). The seed fixes everything.
"""

from __future__ import annotations

import argparse
import json
import math
import random
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

SYMBOLS = ("swastika", "ss-runes", "celtic-cross", "wolfsangel", "rainbow-flag", "aue-star")
STYLES = ("persp", "outline", "tattoo", "busy", "two")
LOOKALIKES = ("plus", "latin-cross", "orthodox-cross", "window", "chessboard", "four-squares", "hash", "snowflake",
              "star4", "star5", "star6", "circle-dot", "swiss-flag", "red-cross", "tricolour", "rainbow-arc",
              "z-letter", "peace", "asterisk", "plain")
Patch = tuple[np.ndarray, np.ndarray]  # colour (S, S, 3) float32 0..255, alpha (S, S) float32 0..1


# ---------------------------------------------------------------- geometry (independent of the detector)

def _poly(mask: np.ndarray, pts: list[tuple[float, float]]) -> None:
    cv2.fillPoly(mask, [np.round(np.array(pts) * 8).astype(np.int32)], 255, cv2.LINE_AA, 3)


def _seg(mask: np.ndarray, a: tuple[float, float], b: tuple[float, float], t: float, value: int = 255) -> None:
    """A thick segment as a rotated rectangle with square ends (not cv2.line's round caps)."""
    (x0, y0), (x1, y1) = a, b
    ln = math.hypot(x1 - x0, y1 - y0) or 1.0
    nx, ny = -(y1 - y0) / ln * t / 2, (x1 - x0) / ln * t / 2
    pts = [(x0 + nx, y0 + ny), (x1 + nx, y1 + ny), (x1 - nx, y1 - ny), (x0 - nx, y0 - ny)]
    cv2.fillPoly(mask, [np.round(np.array(pts) * 8).astype(np.int32)], value, cv2.LINE_AA, 3)


def _rot(pts: list[tuple[float, float]], ang: float, c: float) -> list[tuple[float, float]]:
    ca, sa = math.cos(ang), math.sin(ang)
    return [(c + (x - c) * ca - (y - c) * sa, c + (x - c) * sa + (y - c) * ca) for x, y in pts]


def m_swastika(s: int, rng: random.Random) -> np.ndarray:
    m = np.zeros((s, s), np.uint8)
    c = s / 2
    half = 0.42 * s
    t = rng.uniform(0.16, 0.26) * s
    hook = rng.uniform(0.55, 0.95) * half
    sign = rng.choice((-1, 1))
    for k in range(4):
        a = k * math.pi / 2
        arm = [(c - t / 2, c), (c + t / 2, c), (c + t / 2, c - half), (c - t / 2, c - half)]
        x0, x1 = sorted((c - sign * t / 2, c + sign * hook))
        h = [(x0, c - half), (x1, c - half), (x1, c - half + t), (x0, c - half + t)]
        _poly(m, _rot(arm, a, c))
        _poly(m, _rot(h, a, c))
    return m


def _rune(m: np.ndarray, cx: float, cy: float, h: float, t: float, wide: float) -> None:
    p = [(cx + wide * 0.5 * h, cy - h / 2), (cx - wide * 0.55 * h, cy + 0.04 * h),
         (cx + wide * 0.55 * h, cy - 0.04 * h), (cx - wide * 0.5 * h, cy + h / 2)]
    for a, b in zip(p, p[1:], strict=False):
        _seg(m, a, b, t)
        cv2.circle(m, (round(b[0]), round(b[1])), int(t / 2), 255, -1)


def m_ss(s: int, rng: random.Random) -> np.ndarray:
    m = np.zeros((s, s), np.uint8)
    h = 0.8 * s
    t = rng.uniform(0.09, 0.14) * h
    wide = rng.uniform(0.32, 0.45)
    gap = rng.uniform(0.32, 0.45) * h
    for dx in (-gap / 2, gap / 2):
        _rune(m, s / 2 + dx, s / 2, h, t, wide)
    return m


def m_celtic(s: int, rng: random.Random) -> np.ndarray:
    m = np.zeros((s, s), np.uint8)
    c = s / 2
    arm = 0.45 * s
    r = arm / rng.uniform(1.2, 1.6)
    rt = rng.uniform(0.1, 0.2) * r
    at = rng.uniform(0.1, 0.2) * s
    cv2.circle(m, (round(c), round(c)), round(r - rt / 2), 255, max(2, round(rt)), cv2.LINE_AA)
    _seg(m, (c, c - arm), (c, c + arm), at)
    _seg(m, (c - arm, c), (c + arm, c), at)
    return m


def m_wolfsangel(s: int, rng: random.Random) -> np.ndarray:
    m = np.zeros((s, s), np.uint8)
    c = s / 2
    hh = rng.uniform(0.3, 0.42) * s
    hw = rng.uniform(0.25, 0.4) * s
    t = rng.uniform(0.08, 0.13) * s
    pts = [(c - hw, c - hh), (c + hw, c - hh), (c - hw, c + hh), (c + hw, c + hh)]
    if rng.random() < 0.5:
        pts = [(x, 2 * c - y) for x, y in pts]  # the mirrored Z
    for a, b in zip(pts, pts[1:], strict=False):
        _seg(m, a, b, t)
    bar = rng.uniform(0.7, 1.1) * hw
    _seg(m, (c - bar, c), (c + bar, c), t)
    return m


def _star_pts(c: float, n: int, outer: list[float], inner: float, rot: float = 0.0) -> list[tuple[float, float]]:
    pts = []
    for k in range(2 * n):
        a = rot - math.pi / 2 + k * math.pi / n
        r = outer[(k // 2) % len(outer)] if k % 2 == 0 else inner
        pts.append((c + r * math.cos(a), c + r * math.sin(a)))
    return pts


def p_aue(s: int, rng: random.Random, outline_only: bool = False) -> Patch:
    """The compass-rose star: eight points, each split lengthwise into a dark and a light half."""
    c = s / 2
    long_r = 0.46 * s
    short_r = rng.uniform(0.55, 0.85) * long_r
    inner = rng.uniform(0.14, 0.22) * long_r
    dark = np.array([rng.randint(0, 40)] * 3, np.float32)
    light = np.array([rng.randint(215, 255)] * 3, np.float32)
    col = np.zeros((s, s, 3), np.float32)
    alpha = np.zeros((s, s), np.uint8)
    lw = max(1, round(s / 90))
    for k in range(8):
        a = -math.pi / 2 + k * math.pi / 4
        r = long_r if k % 2 == 0 else short_r
        tip = (c + r * math.cos(a), c + r * math.sin(a))
        for side in (-1, 1):
            b = a + side * math.pi / 8
            base = (c + inner * math.cos(b), c + inner * math.sin(b))
            tri = np.round(np.array([(c, c), tip, base]) * 8).astype(np.int32)
            half = np.zeros((s, s), np.uint8)
            cv2.fillPoly(half, [tri], 255, cv2.LINE_AA, 3)
            if not outline_only:
                fill = dark if side < 0 else light
                col[half > 0] = fill
                alpha = np.maximum(alpha, half)
            cv2.polylines(alpha, [tri], True, 255, lw, cv2.LINE_AA, 3)
            cv2.polylines(col, [tri], True, dark.tolist(), lw, cv2.LINE_AA, 3)
    if outline_only:
        col[:] = dark
    return col, alpha.astype(np.float32) / 255


def p_rainbow(s: int, rng: random.Random) -> Patch:
    colours = [(228, 3, 3), (255, 140, 0), (255, 237, 0), (0, 128, 38), (36, 64, 142), (115, 41, 130)]
    fw, fh = int(0.9 * s), int(0.9 * s * rng.uniform(0.55, 0.7))
    flag = np.zeros((fh, fw, 3), np.float32)
    for i, c in enumerate(colours):
        flag[i * fh // 6:(i + 1) * fh // 6] = c
    if rng.random() < 0.6:  # waving: shift columns by a sine
        amp, per = rng.uniform(0.03, 0.08) * fh, rng.uniform(0.6, 1.2) * fw
        ys = np.arange(fh + 2 * int(amp) + 2)
        wav = np.zeros((len(ys), fw, 3), np.float32)
        a = np.zeros((len(ys), fw), np.float32)
        for x in range(fw):
            off = int(amp + amp * math.sin(2 * math.pi * x / per)) + 1
            wav[off:off + fh, x] = flag[:, x]
            a[off:off + fh, x] = 1
        flag, fa = wav, a
        shade = 0.85 + 0.15 * np.sin(2 * np.pi * np.arange(fw) / per)[None, :, None]
        flag = flag * shade
    else:
        fa = np.ones(flag.shape[:2], np.float32)
    col = np.zeros((s, s, 3), np.float32)
    alpha = np.zeros((s, s), np.float32)
    y0, x0 = (s - flag.shape[0]) // 2, (s - fw) // 2
    col[y0:y0 + flag.shape[0], x0:x0 + fw] = flag
    alpha[y0:y0 + flag.shape[0], x0:x0 + fw] = fa
    return col, alpha


# look-alikes

def m_plus(s: int, rng: random.Random) -> np.ndarray:
    m = np.zeros((s, s), np.uint8)
    c, a, t = s / 2, 0.42 * s, rng.uniform(0.12, 0.3) * s
    _seg(m, (c, c - a), (c, c + a), t)
    _seg(m, (c - a, c), (c + a, c), t)
    return m


def m_latin(s: int, rng: random.Random, orthodox: bool = False) -> np.ndarray:
    m = np.zeros((s, s), np.uint8)
    c, t = s / 2, rng.uniform(0.07, 0.12) * s
    _seg(m, (c, 0.06 * s), (c, 0.94 * s), t)
    _seg(m, (c - 0.28 * s, 0.32 * s), (c + 0.28 * s, 0.32 * s), t)
    if orthodox:
        _seg(m, (c - 0.14 * s, 0.17 * s), (c + 0.14 * s, 0.17 * s), t * 0.8)
        _seg(m, (c - 0.18 * s, 0.72 * s), (c + 0.18 * s, 0.62 * s), t * 0.8)
    return m


def m_window(s: int, rng: random.Random) -> np.ndarray:
    m = np.zeros((s, s), np.uint8)
    a, b, t = 0.1 * s, 0.9 * s, rng.uniform(0.05, 0.1) * s
    for p, q in (((a, a), (b, a)), ((b, a), (b, b)), ((b, b), (a, b)), ((a, b), (a, a)),
                 ((s / 2, a), (s / 2, b)), ((a, s / 2), (b, s / 2))):
        _seg(m, p, q, t)
    return m


def m_chess(s: int, rng: random.Random) -> np.ndarray:
    m = np.zeros((s, s), np.uint8)
    n = rng.randint(3, 8)
    cell = 0.9 * s / n
    for i in range(n):
        for j in range(n):
            if (i + j) % 2 == 0:
                x, y = 0.05 * s + j * cell, 0.05 * s + i * cell
                _poly(m, [(x, y), (x + cell, y), (x + cell, y + cell), (x, y + cell)])
    return m


def m_four(s: int, rng: random.Random) -> np.ndarray:
    m = np.zeros((s, s), np.uint8)
    g = rng.uniform(0.03, 0.08) * s
    for x in (0.05 * s, s / 2 + g / 2):
        for y in (0.05 * s, s / 2 + g / 2):
            w = 0.45 * s - g / 2
            _poly(m, [(x, y), (x + w, y), (x + w, y + w), (x, y + w)])
    return m


def m_hash(s: int, rng: random.Random) -> np.ndarray:
    m = np.zeros((s, s), np.uint8)
    t, sl = rng.uniform(0.06, 0.11) * s, rng.uniform(0, 0.12) * s
    for f in (0.35, 0.65):
        _seg(m, (f * s + sl, 0.08 * s), (f * s - sl, 0.92 * s), t)
        _seg(m, (0.08 * s, f * s), (0.92 * s, f * s), t)
    return m


def m_snowflake(s: int, rng: random.Random) -> np.ndarray:
    m = np.zeros((s, s), np.uint8)
    c, r, t = s / 2, 0.45 * s, rng.uniform(0.03, 0.06) * s
    for k in range(6):
        a = k * math.pi / 3
        _seg(m, (c, c), (c + r * math.cos(a), c + r * math.sin(a)), t)
        for f in (0.45, 0.7):
            bx, by = c + f * r * math.cos(a), c + f * r * math.sin(a)
            for sd in (-1, 1):
                b = a + sd * math.pi / 4
                _seg(m, (bx, by), (bx + 0.25 * r * math.cos(b), by + 0.25 * r * math.sin(b)), t)
    return m


def m_star(s: int, rng: random.Random, n: int) -> np.ndarray:
    m = np.zeros((s, s), np.uint8)
    if n == 6 and rng.random() < 0.5:  # a hexagram of two triangles
        for rot in (0, math.pi):
            pts = [(s / 2 + 0.45 * s * math.cos(rot - math.pi / 2 + k * 2 * math.pi / 3),
                    s / 2 + 0.45 * s * math.sin(rot - math.pi / 2 + k * 2 * math.pi / 3)) for k in range(3)]
            _poly(m, pts)
        return m
    inner = {4: rng.uniform(0.18, 0.35), 5: rng.uniform(0.38, 0.5), 6: rng.uniform(0.45, 0.6)}[n]
    _poly(m, _star_pts(s / 2, n, [0.46 * s], inner * 0.46 * s))
    return m


def m_circle_dot(s: int, rng: random.Random) -> np.ndarray:
    m = np.zeros((s, s), np.uint8)
    c = round(s / 2)
    cv2.circle(m, (c, c), round(0.4 * s), 255, max(2, round(rng.uniform(0.04, 0.1) * s)), cv2.LINE_AA)
    cv2.circle(m, (c, c), round(rng.uniform(0.06, 0.15) * s), 255, -1, cv2.LINE_AA)
    return m


def m_z(s: int, rng: random.Random) -> np.ndarray:
    m = np.zeros((s, s), np.uint8)
    t = rng.uniform(0.1, 0.16) * s
    pts = [(0.15 * s, 0.12 * s), (0.85 * s, 0.12 * s), (0.15 * s, 0.88 * s), (0.85 * s, 0.88 * s)]
    for a, b in zip(pts, pts[1:], strict=False):
        _seg(m, a, b, t)
    return m


def m_peace(s: int, rng: random.Random) -> np.ndarray:
    m = np.zeros((s, s), np.uint8)
    c, r, t = s / 2, 0.42 * s, rng.uniform(0.05, 0.09) * s
    cv2.circle(m, (round(c), round(c)), round(r), 255, max(2, round(t)), cv2.LINE_AA)
    _seg(m, (c, c - r), (c, c + r), t)
    for sd in (-1, 1):
        _seg(m, (c, c), (c + sd * r * math.sin(math.pi / 4), c + r * math.cos(math.pi / 4)), t)
    return m


def m_asterisk(s: int, rng: random.Random) -> np.ndarray:
    m = np.zeros((s, s), np.uint8)
    c, r, t = s / 2, 0.45 * s, rng.uniform(0.04, 0.08) * s
    n = 8 if rng.random() < 0.5 else 6
    for k in range(n):
        a = k * 2 * math.pi / n
        _seg(m, (c, c), (c + r * math.cos(a), c + r * math.sin(a)), t)
    return m


def p_flag(s: int, rng: random.Random, kind: str) -> Patch:
    fw, fh = int(0.9 * s), int(0.6 * s)
    flag = np.zeros((fh, fw, 3), np.float32)
    if kind == "tricolour":
        colours = rng.choice([[(255, 255, 255), (0, 57, 166), (213, 43, 30)], [(0, 0, 0), (221, 0, 0), (255, 206, 0)],
                              [(253, 185, 19), (0, 106, 68), (193, 39, 45)], [(0, 158, 96), (252, 209, 22),
                                                                               (58, 117, 196)]])
        for i, c in enumerate(colours):
            flag[i * fh // 3:(i + 1) * fh // 3] = c
    else:
        red = (218, 41, 28)
        flag[:] = red if kind == "swiss-flag" else (255, 255, 255)
        c, a, t = (fw / 2, fh / 2), 0.3 * fh, 0.2 * fh
        m = np.zeros((fh, fw), np.uint8)
        _seg(m, (c[0], c[1] - a), (c[0], c[1] + a), t)
        _seg(m, (c[0] - a, c[1]), (c[0] + a, c[1]), t)
        flag[m > 127] = (255, 255, 255) if kind == "swiss-flag" else red
    col = np.zeros((s, s, 3), np.float32)
    alpha = np.zeros((s, s), np.float32)
    y0, x0 = (s - fh) // 2, (s - fw) // 2
    col[y0:y0 + fh, x0:x0 + fw] = flag
    alpha[y0:y0 + fh, x0:x0 + fw] = 1
    return col, alpha


MASKS: dict[str, Callable[[int, random.Random], np.ndarray]] = {
    "swastika": m_swastika, "ss-runes": m_ss, "celtic-cross": m_celtic, "wolfsangel": m_wolfsangel,
    "plus": m_plus, "latin-cross": m_latin, "orthodox-cross": lambda s, r: m_latin(s, r, True),
    "window": m_window, "chessboard": m_chess, "four-squares": m_four, "hash": m_hash, "snowflake": m_snowflake,
    "star4": lambda s, r: m_star(s, r, 4), "star5": lambda s, r: m_star(s, r, 5),
    "star6": lambda s, r: m_star(s, r, 6), "circle-dot": m_circle_dot, "z-letter": m_z, "peace": m_peace,
    "asterisk": m_asterisk,
}


# ---------------------------------------------------------------- backgrounds

def bg_gradient(w: int, h: int, rng: random.Random) -> np.ndarray:
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    c0 = np.array([rng.randint(0, 255) for _ in range(3)], np.float32)
    c1 = np.array([rng.randint(0, 255) for _ in range(3)], np.float32)
    a = rng.uniform(0, 2 * math.pi)
    t = ((xx * math.cos(a) + yy * math.sin(a)) - min(0, w * math.cos(a)) - min(0, h * math.sin(a)))
    t = (t / max(1.0, float(t.max())))[..., None]
    img = c0 * (1 - t) + c1 * t
    for _ in range(rng.randint(2, 6)):
        colour = [rng.randint(0, 255) for _ in range(3)]
        x, y, r = rng.randrange(w), rng.randrange(h), rng.randint(15, max(16, w // 5))
        if rng.random() < 0.5:
            cv2.circle(img, (x, y), r, colour, -1, cv2.LINE_AA)
        else:
            cv2.rectangle(img, (x, y), (x + r, y + rng.randint(10, r)), colour, -1)
    return img


def bg_busy(w: int, h: int, rng: random.Random) -> np.ndarray:
    """Photo-like clutter: a smooth colour field, noise, dozens of shapes, lines and small text-like marks."""
    nrng = np.random.default_rng(rng.randrange(2**32))
    low = nrng.uniform(0, 255, (max(2, h // 60), max(2, w // 60), 3)).astype(np.float32)
    img = cv2.resize(low, (w, h), interpolation=cv2.INTER_CUBIC)
    for _ in range(rng.randint(30, 80)):
        colour = [rng.randint(0, 255) for _ in range(3)]
        x, y = rng.randrange(w), rng.randrange(h)
        r = rng.randint(4, max(5, w // 8))
        kind = rng.random()
        if kind < 0.3:
            cv2.circle(img, (x, y), r, colour, -1 if rng.random() < 0.7 else rng.randint(1, 4), cv2.LINE_AA)
        elif kind < 0.6:
            cv2.rectangle(img, (x, y), (x + r, y + rng.randint(3, r + 3)), colour, -1)
        elif kind < 0.85:
            cv2.line(img, (x, y), (rng.randrange(w), rng.randrange(h)), colour, rng.randint(1, 6), cv2.LINE_AA)
        else:
            pts = np.array([(x + rng.randint(-r, r), y + rng.randint(-r, r)) for _ in range(rng.randint(3, 6))])
            cv2.fillPoly(img, [pts.astype(np.int32)], colour, cv2.LINE_AA)
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.5, 2.0))
    img += nrng.normal(0, rng.uniform(4, 14), img.shape).astype(np.float32)
    return img


def bg_skin(w: int, h: int, rng: random.Random) -> np.ndarray:
    """Skin-like: a warm tone with low-frequency shading, blotches and pore-scale noise."""
    nrng = np.random.default_rng(rng.randrange(2**32))
    tone = np.array(rng.choice([(224, 172, 140), (198, 134, 100), (241, 194, 167), (141, 85, 60),
                                (230, 180, 150)]), np.float32)
    shade = cv2.resize(nrng.normal(0, 1, (6, 6)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    img = tone[None, None, :] * (1 + 0.08 * shade[..., None])
    blot = cv2.GaussianBlur(nrng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 6)
    img += 60 * blot[..., None] * np.array([1.0, 0.6, 0.5], np.float32)
    img += nrng.normal(0, 5, img.shape).astype(np.float32)
    return img


# ---------------------------------------------------------------- compositing

def _outline(mask: np.ndarray, rng: random.Random) -> np.ndarray:
    contours, _ = cv2.findContours((mask > 127).astype(np.uint8), cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    out = np.zeros_like(mask)
    cv2.drawContours(out, contours, -1, 255, rng.randint(2, max(2, mask.shape[0] // 40)), cv2.LINE_AA)
    return out


def _perspective(col: np.ndarray, alpha: np.ndarray, rng: random.Random, strength: float) -> Patch:
    s = alpha.shape[0]
    src = np.float32([[0, 0], [s, 0], [s, s], [0, s]])
    dst = src + np.float32([[rng.uniform(-1, 1) * strength * s for _ in range(2)] for _ in range(4)])
    dst -= dst.min(axis=0)
    size = (int(dst[:, 0].max()) + 1, int(dst[:, 1].max()) + 1)
    mat = cv2.getPerspectiveTransform(src, dst)
    return (cv2.warpPerspective(col, mat, size, flags=cv2.INTER_LINEAR),
            cv2.warpPerspective(alpha, mat, size, flags=cv2.INTER_LINEAR))


def _rotate(col: np.ndarray, alpha: np.ndarray, deg: float) -> Patch:
    s = alpha.shape[0]
    mat = cv2.getRotationMatrix2D((s / 2, s / 2), deg, 1.0)
    return cv2.warpAffine(col, mat, (s, s)), cv2.warpAffine(alpha, mat, (s, s))


def _contrasting(img: np.ndarray, rng: random.Random) -> list[float]:
    mean = float(img.mean())
    if rng.random() < 0.2:
        return [float(rng.randint(0, 255)) for _ in range(3)]
    v = rng.randint(0, 50) if mean > 110 else rng.randint(205, 255)
    return [float(v + rng.randint(-10, 10))] * 3


def make_patch(name: str, s: int, rng: random.Random, style: str, canvas: np.ndarray) -> Patch:
    """A symbol or look-alike, coloured and with its alpha, before placement."""
    if name == "aue-star":
        col, alpha = p_aue(s, rng, outline_only=style == "outline")
    elif name == "rainbow-flag":
        col, alpha = p_rainbow(s, rng)
    elif name in ("swiss-flag", "red-cross", "tricolour"):
        col, alpha = p_flag(s, rng, name)
    else:
        mask = MASKS[name](s, rng)
        if style == "outline":
            mask = _outline(mask, rng)
        colour = _contrasting(canvas, rng)
        if name == "red-cross":
            colour = [218.0, 41.0, 28.0]
        col = np.zeros((s, s, 3), np.float32) + np.array(colour, np.float32)
        alpha = mask.astype(np.float32) / 255
    if style == "tattoo":
        ink = np.array(rng.choice([(40, 60, 70), (30, 40, 60), (50, 50, 50), (35, 55, 45)]), np.float32)
        if name != "rainbow-flag":
            col = np.zeros_like(col) + ink
        alpha = cv2.GaussianBlur(alpha, (0, 0), max(0.8, s / 200)) * rng.uniform(0.4, 0.7)
    col, alpha = _rotate(col, alpha, rng.uniform(0, 360) if name != "rainbow-flag" else rng.uniform(-20, 20))
    strength = {"persp": rng.uniform(0.12, 0.25), "tattoo": rng.uniform(0.03, 0.1)}.get(style, rng.uniform(0, 0.05))
    return _perspective(col, alpha, rng, strength)


def place(img: np.ndarray, patch: Patch, rng: random.Random, taken: list[tuple[int, int, int, int]]) -> None:
    col, alpha = patch
    h, w = img.shape[:2]
    ph, pw = alpha.shape
    if ph >= h or pw >= w:
        scale = 0.9 * min(h / ph, w / pw)
        col = cv2.resize(col, (int(pw * scale), int(ph * scale)))
        alpha = cv2.resize(alpha, (int(pw * scale), int(ph * scale)))
        ph, pw = alpha.shape
    for _ in range(30):
        x, y = rng.randint(0, w - pw), rng.randint(0, h - ph)
        if not any(x < tx + tw and tx < x + pw and y < ty + th and ty < y + ph for tx, ty, tw, th in taken):
            break
    taken.append((x, y, pw, ph))
    region = img[y:y + ph, x:x + pw]
    a = alpha[..., None]
    img[y:y + ph, x:x + pw] = region * (1 - a) + col * a


def rainbow_arc(img: np.ndarray, rng: random.Random) -> None:
    h, w = img.shape[:2]
    colours = [(228, 3, 3), (255, 140, 0), (255, 237, 0), (0, 128, 38), (36, 64, 142), (115, 41, 130)]
    cx, cy = rng.randint(w // 4, 3 * w // 4), rng.randint(h // 2, h + h // 3)
    r0 = rng.randint(w // 4, w // 2)
    band = max(3, r0 // rng.randint(12, 25))
    over = img.copy()
    for i, c in enumerate(colours):
        cv2.ellipse(over, (cx, cy), (r0 - i * band, r0 - i * band), 0, 180, 360, c, band, cv2.LINE_AA)
    a = rng.uniform(0.35, 0.8)
    img[:] = img * (1 - a) + over * a


def picture(names: list[str], style: str, rng: random.Random) -> np.ndarray:
    w, h = rng.randint(500, 1000), rng.randint(450, 1000)
    img = {"busy": bg_busy, "tattoo": bg_skin}.get(style, bg_gradient)(w, h, rng)
    taken: list[tuple[int, int, int, int]] = []
    for name in names:
        if name == "plain":
            continue
        if name == "rainbow-arc":
            rainbow_arc(img, rng)
            continue
        lo = 0.12 if style != "tattoo" else 0.25
        s = int(min(w, h) * rng.uniform(lo, 0.5 if len(names) == 1 else 0.35))
        place(img, make_patch(name, max(24, s), rng, style, img), rng, taken)
    if style == "tattoo":
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.6, 1.4))
    return img.clip(0, 255).astype(np.uint8)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", type=Path, default=Path("/tmp/symbols-heldout"))
    ap.add_argument("--seed", type=int, default=20261206)
    ap.add_argument("--per-style", type=int, default=6, help="positives per symbol and style")
    ap.add_argument("--negatives", type=int, default=240)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    media = args.out / "media"
    media.mkdir(parents=True, exist_ok=True)
    items, truth = [], {"positives": {}, "negatives": {}}
    jobs: list[tuple[str, list[str], str, bool]] = []
    for sym in SYMBOLS:
        for style in STYLES:
            if sym == "rainbow-flag" and style == "outline":
                continue  # a flag has no outline form; its colour bands are the symbol
            for k in range(args.per_style):
                names = [sym]
                if style == "two":
                    names.append(rng.choice([x for x in SYMBOLS if x != sym]))
                jobs.append((f"h-{sym}-{style}-{k}", names, style, True))
    neg_styles = ("persp", "outline", "tattoo", "busy", "two")
    for k in range(args.negatives):
        look = LOOKALIKES[k % len(LOOKALIKES)]
        style = neg_styles[(k // len(LOOKALIKES)) % len(neg_styles)]
        if look in ("swiss-flag", "red-cross", "tricolour", "rainbow-arc", "plain") and style == "outline":
            style = "busy"
        names = [look]
        if style == "two":
            names.append(rng.choice([x for x in LOOKALIKES if x not in (look, "plain")]))
        jobs.append((f"hn-{look}-{style}-{k}", names, style, False))
    for iid, names, style, positive in jobs:
        img = picture(names, style, rng)
        quality = rng.randint(55, 92)
        cv2.imwrite(str(media / f"{iid}.jpg"), cv2.cvtColor(img, cv2.COLOR_RGB2BGR),
                    [cv2.IMWRITE_JPEG_QUALITY, quality])
        items.append({"id": iid, "platform": "generic", "kind": "photo", "date": "2022-03-01T12:00:00+03:00",
                      "text": "", "attachments": [{"type": "photo", "path": f"media/{iid}.jpg"}]})
        if positive:
            truth["positives"][iid] = {"template": f"H-{names[0]}-{style}", "accept": names, "all": names}
        else:
            truth["negatives"][iid] = {"template": f"HN-{names[0]}", "style": style, "shows": names}
    with (args.out / "items.jsonl").open("w", encoding="utf-8") as f:
        for it in items:
            f.write(json.dumps(it, ensure_ascii=False) + "\n")
    (args.out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(truth['positives'])} positives, {len(truth['negatives'])} negatives in {args.out}")


if __name__ == "__main__":
    main()
