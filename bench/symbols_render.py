"""The training renderer of the symbol detector's small CNN (issue 24): symbols and look-alikes drawn from
geometry (``bench/symbols_glyphs.py``), composited onto varied backgrounds.

It shares no code with ``bench/symbols_heldout.py`` (the held-out generator) nor with the package's
``references.py``: its own geometry, its own styles, its own backgrounds. Everything is drawn from a
``numpy.random.Generator``, so a seed fixes it.

- :func:`training_patch` draws one 64 x 64 training patch and the labels of its 4 x 4 windows
  (40 x 40 px each, 8 px apart: the detector's window and stride);
- :func:`scene` draws a whole picture with zero, one or two symbols or look-alikes, for checking the
  detector as it runs (``bench/symbols_train.py --check``).

Symbols: the six of ``repostguard.media.symbols.SYMBOLS``. Look-alikes: crosses, windows, grids, stars of
4-7 and 10-16 points, asterisks, snowflakes, suns, wheels, peace signs, letters (Z, N, S, И, Ж, ...),
flags of 3-5 bands, rainbow arcs and colour sweeps, pinwheels, meanders.

Styles: solid fill, two-tone, outline only, filled with an outline, drop shadow, textured fill, low-contrast
tattoo-like ink on skin, strong perspective, affine stretch, a smooth wobble, occluding lines and shapes;
backgrounds flat, gradient, shapes, blotchy noise, busy photo-like clutter, skin, stripes, text; then
blur, noise and JPEG at the source resolution before the reduction to the window's scale.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
from symbols_glyphs import (
    CELLS,
    CLASSES,
    FLAG,
    FONT_DIR,
    FONTS,
    LOOK_WEIGHTS,
    LOOKALIKE_DRAW,
    PATCH,
    POS_SIZE,
    STRIDE,
    SYMBOL_DRAW,
    WINDOW,
    Layers,
    Pen,
    Rng,
)

# ---------------------------------------------------------------- backgrounds

def _colour(rng: Rng) -> np.ndarray:
    return rng.uniform(0, 255, 3).astype(np.float32)


def _blotches(h: int, w: int, rng: Rng, scale: float, channels: int = 3) -> np.ndarray:
    """Smooth random field in 0..1: noise at a coarse grid, enlarged with cubic interpolation."""
    gh, gw = max(2, int(h / scale) + 2), max(2, int(w / scale) + 2)
    small = rng.random((gh, gw, channels)).astype(np.float32)
    big = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
    return np.clip(big.reshape(h, w, channels), 0, 1)


def _shapes(img: np.ndarray, rng: Rng, n: int, size: float, near: np.ndarray | None = None) -> None:
    h, w = img.shape[:2]
    for _ in range(n):
        col = tuple(float(v) for v in (near + rng.normal(0, 12, 3) if near is not None and rng.random() < 0.3
                                       else _colour(rng)))
        kind = rng.integers(0, 5)
        x, y = int(rng.integers(-w // 8, w + w // 8)), int(rng.integers(-h // 8, h + h // 8))
        r = int(max(2, rng.uniform(0.05, 1.0) * size))
        if kind == 0:
            cv2.circle(img, (x, y), r, col, -1 if rng.random() < 0.8 else int(rng.integers(1, 4)), cv2.LINE_AA)
        elif kind == 1:
            cv2.rectangle(img, (x, y), (x + r, y + int(r * rng.uniform(0.3, 1.5))), col,
                          -1 if rng.random() < 0.8 else int(rng.integers(1, 4)))
        elif kind == 2:
            cv2.line(img, (x, y), (int(rng.integers(0, w)), int(rng.integers(0, h))), col, int(rng.integers(1, 4)),
                     cv2.LINE_AA)
        elif kind == 3:
            pts = np.array([(x + rng.uniform(-r, r), y + rng.uniform(-r, r)) for _ in range(3)], np.int32)
            cv2.fillPoly(img, [pts], col, cv2.LINE_AA)
        else:
            cv2.ellipse(img, (x, y), (r, max(1, r // 2)), float(rng.uniform(0, 180)), 0, float(rng.uniform(90, 360)),
                        col, int(rng.integers(1, 4)), cv2.LINE_AA)


def _text(img: np.ndarray, rng: Rng, size: float) -> None:
    from PIL import Image, ImageDraw, ImageFont

    h, w = img.shape[:2]
    pil = Image.fromarray(img.clip(0, 255).astype(np.uint8))
    d = ImageDraw.Draw(pil)
    for _ in range(int(rng.integers(1, 4))):
        font = ImageFont.truetype(str(FONT_DIR / str(rng.choice(FONTS))), max(6, int(size * rng.uniform(0.1, 0.5))))
        words = "".join(str(rng.choice(list("абвгдежзиклмнопрстуфхцчшщыэюяABCDEFGHKLMNOPRSTZ0123456789 ")))
                        for _ in range(int(rng.integers(3, 25))))
        outlined = rng.random() < 0.35  # meme captions: light letters outlined in dark
        d.text((float(rng.uniform(-0.2, 0.8) * w), float(rng.uniform(-0.1, 0.9) * h)), words, font=font,
               fill=tuple(int(v) for v in _colour(rng)), stroke_width=int(rng.integers(1, 3)) if outlined else 0,
               stroke_fill=tuple(int(v) for v in _colour(rng) * 0.3))
    img[:] = np.asarray(pil, np.float32)


def _arc(img: np.ndarray, rng: Rng, scale: float) -> None:
    """Part of a natural rainbow: six bands bent round a far centre, often see-through."""
    h, w = img.shape[:2]
    r = scale * rng.uniform(1.0, 6.0)
    band = max(1.0, r * rng.uniform(0.015, 0.05)) if rng.random() < 0.5 else scale * rng.uniform(0.04, 0.12)
    a = rng.uniform(0, 2 * math.pi)
    cx = w / 2 + (r + rng.uniform(-0.3, 0.3) * scale) * math.cos(a)  # (drawn in this order: cx, then cy)
    cy = h / 2 + (r + rng.uniform(-0.3, 0.3) * scale) * math.sin(a)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    k = ((r - np.hypot(xx - cx, yy - cy)) / band).astype(int)
    ok = (k >= 0) & (k < 6)
    cols = FLAG + rng.normal(0, 15, (6, 3))
    alpha = rng.uniform(0.3, 1.0)
    img[ok] = img[ok] * (1 - alpha) + cols[k[ok]] * alpha


def background(h: int, w: int, rng: Rng, kind: str | None = None, scale: float = 64.0) -> tuple[np.ndarray, str]:
    """A background of ``h`` x ``w`` (float32 RGB 0..255); ``scale`` is about the size of what is drawn on it."""
    kinds = ("flat", "gradient", "shapes", "blotch", "busy", "skin", "stripes", "text", "photo", "caption", "arc")
    weights = np.array([1.0, 2.0, 3.0, 1.5, 2.0, 2.0, 0.4, 1.2, 1.5, 1.2, 0.5])
    kind = kind or str(rng.choice(kinds, p=weights / weights.sum()))
    if kind == "flat":
        img = np.broadcast_to(_colour(rng), (h, w, 3)).copy()
    elif kind == "skin":
        base = np.array([rng.uniform(150, 240), rng.uniform(100, 190), rng.uniform(70, 160)], np.float32)
        base *= rng.uniform(0.45, 1.0)
        img = base * (0.8 + 0.35 * _blotches(h, w, rng, scale * rng.uniform(0.2, 1.0), 1))
        img += rng.normal(0, rng.uniform(1, 6), (h, w, 1)).astype(np.float32)
        if rng.random() < 0.3:  # hairs
            for _ in range(int(rng.integers(3, 20))):
                x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
                a = rng.uniform(0, math.pi)
                ln = rng.uniform(0.1, 0.4) * scale
                cv2.line(img, (x, y), (int(x + ln * math.cos(a)), int(y + ln * math.sin(a))),
                         tuple(float(v) for v in base * 0.4), 1, cv2.LINE_AA)
    else:
        a, b = _colour(rng), _colour(rng)
        t = np.linspace(0, 1, h)[:, None, None] if rng.random() < 0.5 else np.linspace(0, 1, w)[None, :, None]
        img = (a * (1 - t) + b * t) * np.ones((h, w, 1), np.float32)
        if kind == "shapes":
            _shapes(img, rng, int(rng.integers(2, 10)), scale)
        elif kind == "blotch":
            img = 255 * _blotches(h, w, rng, scale * rng.uniform(0.1, 1.0))
        elif kind in ("busy", "photo"):
            img = 255 * _blotches(h, w, rng, scale * rng.uniform(0.08, 0.5))
            if kind == "photo":
                img = cv2.GaussianBlur(img, (0, 0), max(0.5, scale * 0.03)) * rng.uniform(0.5, 1.0) + \
                    rng.uniform(0, 80)
            _shapes(img, rng, int(rng.integers(5, 40)), scale * rng.uniform(0.3, 1.0))
            img += rng.normal(0, rng.uniform(0, 15), img.shape).astype(np.float32)
        elif kind == "stripes":
            period = max(3.0, scale * rng.uniform(0.05, 0.4))
            ang = rng.uniform(0, math.pi)
            yy, xx = np.mgrid[0:h, 0:w]
            s = (np.sin((xx * math.cos(ang) + yy * math.sin(ang)) / period * 2 * math.pi) > 0)[..., None]
            img = np.where(s, img, _colour(rng)).astype(np.float32)
        elif kind == "text":
            _text(img, rng, scale)
        elif kind == "caption":  # letters as large as a symbol, often light and outlined (memes, posters)
            _text(img, rng, scale * rng.uniform(2.0, 5.0))
        elif kind == "arc":
            _arc(img, rng, scale)
        elif kind == "gradient" and rng.random() < 0.5:
            _shapes(img, rng, int(rng.integers(1, 5)), scale)
    return np.ascontiguousarray(img, np.float32), kind


# ---------------------------------------------------------------- placing and styling a glyph

def _homography(rng: Rng, strength: float) -> np.ndarray:
    """A random view: rotation, stretch, shear and perspective (``strength`` 0..1 scales the last three)."""
    th = rng.uniform(0, 2 * math.pi)
    rot = np.array([[math.cos(th), -math.sin(th), 0], [math.sin(th), math.cos(th), 0], [0, 0, 1]])
    sx = math.exp(rng.normal(0, 0.25 * strength))
    sh = rng.normal(0, 0.25 * strength)
    aff = np.array([[sx, sh, 0], [0, 1 / sx, 0], [0, 0, 1]])
    ph = rng.uniform(0, 2 * math.pi)
    mag = abs(rng.normal(0, 0.55 * strength))
    per = np.array([[1, 0, 0], [0, 1, 0], [mag * math.cos(ph), mag * math.sin(ph), 1]])
    return per @ aff @ rot


def place(layers: Layers, pen: Pen, out_h: int, out_w: int, cx: float, cy: float, size: float, rng: Rng,
          strength: float, wobble: float = 0.0) -> tuple[Layers, tuple[float, float, float, float]] | None:
    """The glyph's layers warped into an ``out_h`` x ``out_w`` frame, its bounding box (larger side ``size``)
    centred at (cx, cy); also that box (x, y, w, h). None when the view is degenerate."""
    ink = layers["ink"]
    pts = cv2.findNonZero((ink > 64).astype(np.uint8))
    if pts is None:
        return None
    hull = cv2.convexHull(pts).reshape(-1, 2).astype(np.float64)
    unit = (hull - pen.c) / pen.u  # glyph in unit coordinates
    hview = _homography(rng, strength)
    q = np.hstack([unit, np.ones((len(unit), 1))]) @ hview.T
    if (q[:, 2] <= 0.2).any():
        return None
    q = q[:, :2] / q[:, 2:]
    x0, y0 = q.min(axis=0)
    x1, y1 = q.max(axis=0)
    big = max(x1 - x0, y1 - y0)
    if min(x1 - x0, y1 - y0) < 0.2 * big:
        return None
    k = size / big
    to_unit = np.array([[1 / pen.u, 0, -pen.c / pen.u], [0, 1 / pen.u, -pen.c / pen.u], [0, 0, 1]])
    place_m = np.array([[k, 0, cx - k * (x0 + x1) / 2], [0, k, cy - k * (y0 + y1) / 2], [0, 0, 1]])
    full = place_m @ hview @ to_unit
    shrink = size / (2 * pen.u)
    out: Layers = {}
    for name, layer in layers.items():
        src = layer.astype(np.float32) / (255.0 if layer.dtype == np.uint8 else 1.0)
        if shrink < 0.7:  # warpPerspective does not area-average: smooth to the target's scale first
            src = cv2.GaussianBlur(src, (0, 0), 0.4 / shrink)
        warped = cv2.warpPerspective(src, full, (out_w, out_h), flags=cv2.INTER_LINEAR, borderValue=0)
        if wobble > 0:
            warped = _wobble(warped, rng, wobble, size)
        out[name] = warped
    return out, (cx - size / 2 if x1 - x0 >= y1 - y0 else cx - k * (x1 - x0) / 2,
                 cy - k * (y1 - y0) / 2, k * (x1 - x0), k * (y1 - y0))


def _wobble(a: np.ndarray, rng: Rng, amount: float, size: float) -> np.ndarray:
    """A smooth displacement of up to ``amount`` of the symbol's size (skin, a crumpled sheet)."""
    h, w = a.shape[:2]
    seed = int(rng.integers(0, 2**31))
    sub = np.random.default_rng(seed)
    dx = (_blotches(h, w, sub, size * 0.5, 1)[..., 0] - 0.5) * 2 * amount * size
    dy = (_blotches(h, w, sub, size * 0.5, 1)[..., 0] - 0.5) * 2 * amount * size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    return cv2.remap(a, xx + dx, yy + dy, cv2.INTER_LINEAR, borderValue=0)


def _ink_colour(rng: Rng, bg_mean: np.ndarray, low: bool) -> np.ndarray:
    if low:
        lum = float(bg_mean.mean())
        sign = -1.0 if lum > 90 or rng.random() < 0.2 else 1.0
        delta = rng.uniform(28, 60)
        tint = rng.normal(0, 10, 3)
        return np.clip(bg_mean + sign * delta + tint, 0, 255).astype(np.float32)
    for _ in range(20):
        c = _colour(rng) if rng.random() < 0.6 else np.full(3, rng.choice([rng.uniform(0, 40), rng.uniform(215, 255)]),
                                                                 np.float32)
        if np.abs(c - bg_mean).max() > 60:
            return c.astype(np.float32)
    return (255 - bg_mean).astype(np.float32)


def _outline(mask: np.ndarray, width: float) -> np.ndarray:
    """The band of ``width`` px inside the edge of a soft mask."""
    binary = (mask > 0.5).astype(np.uint8)
    k = max(1, int(round(width)))
    inner = cv2.erode(binary, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * k + 1, 2 * k + 1)))
    band = cv2.GaussianBlur((binary - inner).astype(np.float32), (0, 0), 0.6)
    return np.clip(band * 1.3, 0, 1)


def composite(img: np.ndarray, layers: Layers, rng: Rng, style: str, size: float) -> None:
    """Draws the warped glyph onto ``img`` in place."""
    ink = layers["ink"][..., None]
    region = ink[..., 0] > 0.3
    bg_mean = img[region].mean(axis=0) if region.any() else img.reshape(-1, 3).mean(axis=0)
    if "bands" in layers:  # the flag: its colours, shaded, maybe washed out
        cols = FLAG + rng.normal(0, 12, (6, 3))
        colour = np.tensordot(layers["bands"], cols, axes=([2], [0])).astype(np.float32)
        colour /= np.maximum(layers["bands"].sum(axis=2, keepdims=True), 1e-3)
        if style == "tattoo":
            colour = 0.55 * colour + 0.45 * bg_mean
        shade = 1 + 0.25 * (_blotches(img.shape[0], img.shape[1], rng, size * 0.5, 1) - 0.5)
        alpha = ink * (rng.uniform(0.55, 0.9) if style == "tattoo" else 1.0)
        img[:] = img * (1 - alpha) + colour * shade * alpha
        return
    if "colour" in layers:
        alpha = ink * (rng.uniform(0.45, 1.0) if rng.random() < 0.3 else 1.0)
        img[:] = img * (1 - alpha) + layers["colour"] * alpha
        return
    light = layers.get("light")
    if style == "tattoo":
        colour = np.array([rng.uniform(10, 60), rng.uniform(20, 70), rng.uniform(30, 90)], np.float32)
        alpha = ink * rng.uniform(0.4, 0.85)
        if light is not None:
            alpha = np.maximum(alpha, light[..., None] * rng.uniform(0.0, 0.3))
        alpha = cv2.GaussianBlur(alpha[..., 0], (0, 0), max(0.3, rng.uniform(0.005, 0.025) * size))[..., None]
        img[:] = img * (1 - alpha) + colour * alpha
        return
    low = rng.random() < 0.2
    a = _ink_colour(rng, bg_mean, low)
    if style == "outline":
        width = max(1.0, rng.uniform(0.015, 0.07) * size)
        both = np.maximum(ink[..., 0], light) if light is not None else ink[..., 0]
        band = _outline(both, width)
        if light is not None:  # the line between the halves too
            band = np.maximum(band, _outline(ink[..., 0], width * 0.7))
        fill = rng.random() < 0.3
        if fill:
            b = _ink_colour(rng, a, False)
            img[:] = img * (1 - both[..., None]) + b * both[..., None]
        img[:] = img * (1 - band[..., None]) + a * band[..., None]
        return
    if style == "shadow":
        off = int(max(1, rng.uniform(0.03, 0.08) * size))
        sh = np.roll(np.roll(ink, off, axis=0), off, axis=1)
        img[:] = img * (1 - 0.6 * sh)
    if style == "texture":
        tex = 0.6 + 0.8 * _blotches(img.shape[0], img.shape[1], rng, size * rng.uniform(0.05, 0.3), 1)
        img[:] = img * (1 - ink) + np.clip(a * tex, 0, 255) * ink
    else:
        img[:] = img * (1 - ink) + a * ink
    if light is not None:
        lt = light[..., None]
        b = _ink_colour(rng, a, False) if rng.random() < 0.5 else (255 - a)
        img[:] = img * (1 - lt) + b * lt
        if rng.random() < 0.7:  # a thin outline round the halves
            band = _outline(np.maximum(ink[..., 0], light), max(1.0, 0.02 * size))
            img[:] = img * (1 - band[..., None]) + a * band[..., None]
    elif style == "bordered":
        band = _outline(ink[..., 0], max(1.0, rng.uniform(0.02, 0.06) * size))
        b = _ink_colour(rng, a, False)
        img[:] = img * (1 - band[..., None]) + b * band[..., None]


STYLES = ("solid", "outline", "tattoo", "shadow", "texture", "bordered")
_STYLE_W = np.array([4.0, 2.5, 2.0, 0.6, 0.8, 0.8])


def _degrade(img: np.ndarray, rng: Rng, scale: float) -> np.ndarray:
    """Blur, noise and JPEG at the source resolution."""
    if rng.random() < 0.5:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.3, 1.2) * scale)
    if rng.random() < 0.4:
        img = img + rng.normal(0, rng.uniform(2, 14), img.shape).astype(np.float32)
    out = img.clip(0, 255).astype(np.uint8)
    if rng.random() < 0.6:
        ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(25, 95))])
        out = cv2.imdecode(buf, cv2.IMREAD_UNCHANGED)
    return out


def _occlude(img: np.ndarray, rng: Rng, cx: float, cy: float, size: float) -> None:
    """A few thin lines or small shapes across the symbol (a frame, a scratch, a caption's edge)."""
    for _ in range(int(rng.integers(1, 3))):
        col = tuple(float(v) for v in _colour(rng))
        if rng.random() < 0.6:
            a = rng.uniform(0, math.pi)
            d = rng.uniform(-0.5, 0.5) * size
            ox, oy = cx + d * math.sin(a), cy - d * math.cos(a)
            ln = size * 1.5
            cv2.line(img, (int(ox - ln * math.cos(a)), int(oy - ln * math.sin(a))),
                     (int(ox + ln * math.cos(a)), int(oy + ln * math.sin(a))), col,
                     max(1, int(rng.uniform(0.01, 0.04) * size)), cv2.LINE_AA)
        else:
            r = max(1, int(rng.uniform(0.05, 0.15) * size))
            cv2.circle(img, (int(cx + rng.uniform(-0.5, 0.5) * size), int(cy + rng.uniform(-0.5, 0.5) * size)), r,
                       col, -1, cv2.LINE_AA)


# ---------------------------------------------------------------- training patches

def _draw_item(img: np.ndarray, rng: Rng, kind: str, cx: float, cy: float, size: float,
               lookalike: bool) -> tuple[float, float, float, float] | None:
    """Draws one symbol (or look-alike) into ``img``, the box returned."""
    canvas = int(np.clip(2.2 * size, 48, 256))
    pen = Pen(canvas)
    draw = LOOKALIKE_DRAW[kind] if lookalike else SYMBOL_DRAW[kind]
    layers = draw(pen, rng)
    if kind == "rainbow-flag" and rng.random() < 0.5:
        strength = rng.uniform(0.0, 0.8)
    else:
        strength = float(rng.choice([rng.uniform(0, 0.4), rng.uniform(0.4, 1.3)], p=[0.6, 0.4]))
    style = str(rng.choice(STYLES, p=_STYLE_W / _STYLE_W.sum()))
    if kind in ("rainbow-flag", "stripes"):
        style = "tattoo" if rng.random() < 0.25 else "solid"
    wobble = rng.uniform(0.0, 0.04) if style == "tattoo" or rng.random() < 0.1 else 0.0
    for _ in range(4):
        placed = place(layers, pen, img.shape[0], img.shape[1], cx, cy, size, rng, strength, wobble)
        if placed is not None:
            break
        strength *= 0.5
    else:
        return None
    warped, box = placed
    if rng.random() < 0.12 and style != "tattoo":  # on a disc or a plate of its own (an armband, a badge)
        ink = warped["ink"]
        plate = cv2.dilate((ink > 0.2).astype(np.uint8), cv2.getStructuringElement(
            cv2.MORPH_ELLIPSE, (int(0.5 * size) | 1, int(0.5 * size) | 1)))
        plate = cv2.GaussianBlur(plate.astype(np.float32), (0, 0), 0.8)[..., None]
        img[:] = img * (1 - plate) + _colour(rng) * plate
    composite(img, warped, rng, style, size)
    if rng.random() < 0.15:
        _occlude(img, rng, cx, cy, size)
    return box


def training_patch(rng: Rng) -> tuple[np.ndarray, np.ndarray]:
    """One PATCH x PATCH RGB patch (uint8) and its CELLS x CELLS labels: a class index per window, -1 where
    the window is left out of the loss (a symbol near but not centred in it)."""
    src = float(rng.choice([1.0, rng.uniform(1.0, 2.0), rng.uniform(2.0, 3.0)], p=[0.25, 0.5, 0.25]))
    side = int(round(PATCH * src))
    bg, bg_kind = background(side, side, rng, scale=WINDOW * src)
    labels = np.zeros((CELLS, CELLS), np.int8)
    r = rng.random()
    if r < 0.5:  # a symbol centred on one window, at the window's scale
        cls = int(rng.integers(1, len(CLASSES)))
        i, j = (int(v) for v in rng.integers(1, CELLS - 1, 2))  # inner windows: the verifier's context fits
        cx = (j * STRIDE + WINDOW / 2 + rng.uniform(-STRIDE / 2, STRIDE / 2)) * src
        cy = (i * STRIDE + WINDOW / 2 + rng.uniform(-STRIDE / 2, STRIDE / 2)) * src
        size = rng.uniform(*POS_SIZE) * WINDOW * src
        if _draw_item(bg, rng, CLASSES[cls], cx, cy, size, False) is None:
            return _finish(bg, rng, src), labels
        labels[max(0, i - 1):i + 2, max(0, j - 1):j + 2] = -1
        labels[i, j] = cls
    elif r < 0.8:  # a look-alike anywhere
        kind = str(rng.choice(list(LOOK_WEIGHTS), p=np.array(list(LOOK_WEIGHTS.values())) /
                              sum(LOOK_WEIGHTS.values())))
        cx, cy = rng.uniform(0.2, 0.8, 2) * side
        size = rng.uniform(0.35, 1.0) * WINDOW * src
        _draw_item(bg, rng, kind, cx, cy, size, True)
    elif r < 0.9:  # a symbol at the wrong scale: too small, or too large for one window
        cls = int(rng.integers(1, len(CLASSES)))
        small = rng.random() < 0.4
        size = (rng.uniform(0.15, 0.3) if small else rng.uniform(1.3, 2.5)) * WINDOW * src
        cx, cy = rng.uniform(0.25, 0.75, 2) * side
        _draw_item(bg, rng, CLASSES[cls], cx, cy, size, False)
    # else: background only
    return _finish(bg, rng, src), labels


def _finish(img: np.ndarray, rng: Rng, src: float) -> np.ndarray:
    out = _degrade(img, rng, src)
    if out.shape[0] != PATCH:
        out = cv2.resize(out, (PATCH, PATCH), interpolation=cv2.INTER_AREA)
    return out


# ---------------------------------------------------------------- whole pictures

def scene(rng: Rng, positive: bool = True) -> tuple[np.ndarray, list[tuple[str, tuple[float, float, float, float]]]]:
    """A whole picture (uint8 RGB) and what is drawn in it, (symbol, box): one or two symbols, or one or two
    look-alikes and nothing in the list."""
    h = int(rng.integers(240, 800))
    w = int(rng.integers(240, 800))
    img, _ = background(h, w, rng, scale=min(h, w) * rng.uniform(0.1, 0.4))
    shown: list[tuple[str, tuple[float, float, float, float]]] = []
    n = (1 if rng.random() < 0.75 else 2) if positive else int(rng.integers(1, 4))
    for k in range(n):
        size = min(h, w) * rng.uniform(0.06, 0.7) / (1.5 if n == 2 else 1.0)
        cx = (rng.uniform(0.15, 0.4) + 0.5 * k if n == 2 else rng.uniform(0.2, 0.8)) * w
        cy = rng.uniform(0.25, 0.75) * h
        if positive:
            kind = str(rng.choice([c for c in CLASSES[1:] if c not in [x[0] for x in shown]]))
            box = _draw_item(img, rng, kind, cx, cy, size, False)
            if box is not None:
                shown.append((kind, box))
        else:
            kind = str(rng.choice(list(LOOK_WEIGHTS), p=np.array(list(LOOK_WEIGHTS.values())) /
                                  sum(LOOK_WEIGHTS.values())))
            _draw_item(img, rng, kind, cx, cy, size, True)
    return _degrade(img, rng, 1.0), shown
