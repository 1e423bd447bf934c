"""Synthetic pictures for the media tests and bench/bench_media.py: memes with captions and blanks.

Memes follow shared/docs/perf-baselines.md: noisy/gradient/shape backgrounds, 1-3 caption
lines top and/or bottom in DejaVu fonts, three styles: ``meme`` (white text, black outline),
``band`` (black text on a white band, demotivator style) and ``plain`` (coloured text).
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = ["DejaVuSans-Bold.ttf", "DejaVuSans.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSansCondensed-Bold.ttf"]
WORDS = (
    "свобода народ правда россия молодёжь движение братство земля память вера слава героям "
    "дорога огонь кровь честь воля сила знамя борьба армия мир ветер утро город друзья кот "
    "понедельник работа пятница выходные лето зима чай кофе люди жизнь время world free cat"
).split()


def fonts_available() -> bool:
    return all((FONT_DIR / f).exists() for f in FONTS)


def background(rng: random.Random, w: int, h: int) -> Image.Image:
    """A textured background without text: noise, gradients, blurred shapes, lines, stripes."""
    nrng = np.random.default_rng(rng.randrange(2**32))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    base = np.zeros((h, w, 3), np.float32)
    for c in range(3):
        a, b = nrng.uniform(-1, 1, 2)
        freq = nrng.uniform(2, 8)
        base[..., c] = 128 + 80 * np.sin((a * xx + b * yy) / max(w, h) * freq + nrng.uniform(0, 6))
    small = nrng.normal(0, 40, (max(2, h // 16), max(2, w // 16), 3)).astype(np.float32)
    import cv2

    base += cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
    if rng.random() < 0.5:  # 1/f-ish texture
        base += nrng.normal(0, 12, (h, w, 3)).astype(np.float32)
    im = Image.fromarray(base.clip(0, 255).astype(np.uint8))
    d = ImageDraw.Draw(im)
    for _ in range(rng.randint(2, 6)):
        x0, y0 = rng.randrange(w), rng.randrange(h)
        r = rng.randint(20, max(21, w // 4))
        d.ellipse((x0 - r, y0 - r, x0 + r, y0 + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    im = im.filter(ImageFilter.GaussianBlur(rng.uniform(2, 6)))
    d = ImageDraw.Draw(im)
    if rng.random() < 0.5:
        for _ in range(rng.randint(1, 4)):
            d.line([(rng.randrange(w), rng.randrange(h)), (rng.randrange(w), rng.randrange(h))],
                   fill=tuple(rng.randrange(256) for _ in range(3)), width=rng.randint(1, 4))
    return im


def caption(rng: random.Random) -> list[str]:
    lines = []
    for _ in range(rng.randint(1, 3)):
        lines.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 4))))
    if rng.random() < 0.5:
        lines = [s.upper() for s in lines]
    return lines


def meme(rng: random.Random, w: int, h: int, lines: list[str], style: str = "meme") -> Image.Image:
    """A picture with ``lines`` drawn in ``style`` (``meme``, ``band`` or ``plain``)."""
    im = background(rng, w, h)
    size = int(w * rng.uniform(0.05, 0.075))
    font = ImageFont.truetype(str(FONT_DIR / rng.choice(FONTS)), size)
    if style == "band":
        band_h = int(size * 1.3 * len(lines) + size)
        canvas = Image.new("RGB", (w, h + band_h), "white")
        canvas.paste(im, (0, band_h))
        d = ImageDraw.Draw(canvas)
        y = size // 2
        for s in lines:
            tw = d.textlength(s, font=font)
            d.text(((w - tw) / 2, y), s, font=font, fill="black")
            y += int(size * 1.3)
        return canvas
    d = ImageDraw.Draw(im)
    top = lines[: (len(lines) + 1) // 2] if len(lines) > 1 and rng.random() < 0.5 else lines
    bottom = lines[len(top):]
    for block, at_top in ((top, True), (bottom, False)):
        if not block:
            continue
        y = int(size * 0.5) if at_top else h - int(size * 1.3 * len(block) + size * 0.5)
        for s in block:
            tw = d.textlength(s, font=font)
            x = max(2, (w - tw) / 2)
            if style == "meme":
                d.text((x, y), s, font=font, fill="white", stroke_width=max(2, size // 14),
                       stroke_fill="black")
            else:
                d.text((x, y), s, font=font, fill=rng.choice([(250, 230, 40), (255, 60, 60), (20, 20, 20)]))
            y += int(size * 1.3)
    return im


def make_set(folder: Path, n_text: int, n_blank: int, seed: int = 7) -> list[tuple[Path, str]]:
    """Write ``n_text`` memes and ``n_blank`` pictures without text as JPEG q85; return (path, caption)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    out: list[tuple[Path, str]] = []
    for i in range(n_text + n_blank):
        w, h = rng.randint(600, 1000), rng.randint(600, 1000)
        if i < n_text:
            lines = caption(rng)
            style = rng.choices(["meme", "band", "plain"], [0.6, 0.25, 0.15])[0]
            im = meme(rng, w, h, lines, style)
            text = "\n".join(lines)
        else:
            im = background(rng, w, h)
            text = ""
        p = folder / f"{'t' if text else 'b'}{i:05d}.jpg"
        im.save(p, "JPEG", quality=85)
        out.append((p, text))
    return out


def _fast_one(args: tuple[int, int, str, str, int]) -> tuple[str, str]:
    """One picture of :func:`make_fast_set` (runs in a worker)."""
    i, n_text, folder, bg_dir, n_bg = args
    rng = random.Random(i * 7919 + 13)
    base = Image.open(Path(bg_dir) / f"bg{rng.randrange(n_bg)}.png")
    w, h = rng.randint(600, 1000), rng.randint(600, 1000)
    x, y = rng.randrange(base.width - w + 1), rng.randrange(base.height - h + 1)
    im = base.crop((x, y, x + w, y + h))
    if i < n_text:
        lines = caption(rng)
        style = rng.choices(["meme", "band"], [0.7, 0.3])[0]
        im = draw_caption(rng, im, lines, style)
        text = "\n".join(lines)
    else:
        text = ""
    p = Path(folder) / f"{'t' if text else 'b'}{i:05d}.jpg"
    im.save(p, "JPEG", quality=85)
    return str(p), text


def draw_caption(rng: random.Random, im: Image.Image, lines: list[str], style: str) -> Image.Image:
    """Draw ``lines`` on a copy of ``im`` in ``style`` (``meme`` or ``band``)."""
    w, h = im.size
    size = int(w * rng.uniform(0.05, 0.07))
    font = ImageFont.truetype(str(FONT_DIR / rng.choice(FONTS)), size)
    if style == "band":
        band_h = int(size * 1.3 * len(lines) + size)
        canvas = Image.new("RGB", (w, h + band_h), "white")
        canvas.paste(im, (0, band_h))
        d = ImageDraw.Draw(canvas)
        y = size // 2
        for s in lines:
            d.text((max(2, (w - d.textlength(s, font=font)) / 2), y), s, font=font, fill="black")
            y += int(size * 1.3)
        return canvas
    im = im.copy()
    d = ImageDraw.Draw(im)
    y = int(size * 0.5)
    for s in lines:
        d.text((max(2, (w - d.textlength(s, font=font)) / 2), y), s, font=font, fill="white",
               stroke_width=max(2, size // 14), stroke_fill="black")
        y += int(size * 1.3)
    return im


def make_fast_set(folder: Path, n_text: int, n_blank: int, *, backgrounds: int = 16, jobs: int = 2
                  ) -> list[tuple[Path, str]]:
    """Many distinct pictures quickly: crops of a few textured backgrounds, half with captions."""
    import multiprocessing as mp

    folder.mkdir(parents=True, exist_ok=True)
    bg_dir = folder / "_bg"
    bg_dir.mkdir(exist_ok=True)
    rng = random.Random(99)
    for k in range(backgrounds):
        background(rng, 1100, 1100).save(bg_dir / f"bg{k}.png", compress_level=1)
    args = [(i, n_text, str(folder), str(bg_dir), backgrounds) for i in range(n_text + n_blank)]
    with mp.get_context("forkserver").Pool(jobs) as pool:
        out = pool.map(_fast_one, args, chunksize=20)
    return [(Path(p), t) for p, t in out]
