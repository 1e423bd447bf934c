"""Synthetic phone screenshots of social-network feeds, drawn with Pillow (DejaVu fonts), for
tests/importers/test_screenshots.py and bench/bench_screenshots.py. Names and texts are invented.

A feed is a list of posts (author, date as the screen shows it, body lines); :func:`feed` draws it
as one tall page in the look of a platform (VK: grey bands between posts; OK: thin rules and a
«Класс!» button), and :func:`screens` cuts the page into phone screens with the status bar and the
app's header and tab bar drawn over each, the way a phone shows a scrolled feed.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
W, H = 1080, 2340
STATUS_H, HEADER_H, TABS_H = 80, 150, 160
#: how much of the feed one screen shows
VISIBLE = H - STATUS_H - HEADER_H - TABS_H
MEME_H = 420


def fonts_available() -> bool:
    return all((FONT_DIR / f).exists() for f in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"))


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size)


@dataclass
class Post:
    author: str
    when: str
    body: str
    #: a picture under the text: a coloured meme with this caption in white (None: no picture)
    meme: str | None = None


#: the interface of each look: header title, action bar, tab bar, post separator
LOOKS: dict[str, dict[str, str | int]] = {
    "vk": {"title": "ВКонтакте", "actions": "Нравится 12    Комментировать    Поделиться",
           "tabs": "Главная   Сервисы   Мессенджер   Записи", "band": 24},
    "plain": {"title": "Моя страница", "actions": "", "tabs": "", "band": -1},  # no separators at all
    "ok": {"title": "Одноклассники", "actions": "Класс!  7     Комментировать     Поделиться",
           "tabs": "Лента   Друзья   Заметки   Сообщения", "band": 0},
}


def feed(posts: list[Post], look: str = "vk", width: int = W) -> Image.Image:
    """The posts as one tall page (no status bar): header, author, date, body, action bar, separator."""
    st = LOOKS[look]
    band = int(st["band"])
    fonts = {"name": _font(40, bold=True), "date": _font(32), "text": _font(40), "actions": _font(32)}
    colours = {"name": (20, 20, 20), "date": (130, 130, 130), "text": (0, 0, 0), "actions": (110, 120, 130)}
    blocks: list[tuple[str, int, str]] = []  # (what, y, text)
    y = 40
    for p in posts:
        blocks += [("avatar", y, ""), ("name", y + 10, p.author), ("date", y + 70, p.when)]
        y += 160
        for para in p.body.split("\n"):
            for line in textwrap.wrap(para, 44) or [""]:
                blocks.append(("text", y, line))
                y += 58
        if p.meme is not None:
            y += 20
            blocks.append(("meme", y, p.meme))
            y += MEME_H
        y += 30
        blocks.append(("actions", y, str(st["actions"])))
        y += 90
        blocks.append(("sep", y, ""))
        y += max(band, 4) + (40 if band >= 0 else -60)
    im = Image.new("RGB", (width, y + 40), "white")
    d = ImageDraw.Draw(im)
    for what, yy, text in blocks:
        if what == "avatar":
            d.ellipse((40, yy + 10, 150, yy + 120), fill=(180, 190, 205))
        elif what == "sep" and band > 0:
            d.rectangle((0, yy, width, yy + band), fill=(235, 237, 240))
        elif what == "sep" and band == 0:
            d.rectangle((0, yy, width, yy + 3), fill=(225, 225, 225))
        elif what == "sep":
            pass
        elif what == "meme":
            d.rectangle((40, yy, width - 40, yy + MEME_H), fill=(52, 72, 110))
            d.ellipse((width // 2 - 120, yy + 40, width // 2 + 120, yy + 200), fill=(214, 170, 90))
            lines = textwrap.wrap(text.upper(), 26)
            for k, line in enumerate(lines):
                d.text((80, yy + 250 + 64 * k), line, font=_font(50, bold=True), fill="white")
        else:
            d.text((180 if what in ("name", "date") else 40, yy), text, font=fonts[what], fill=colours[what])
    return im


def frame(page: Image.Image, top: int, look: str = "vk", height: int = H, clock: str = "20:02") -> Image.Image:
    """One phone screen showing ``page`` from ``top``: status bar, the app's header, the tab bar."""
    st = LOOKS[look]
    im = Image.new("RGB", (page.width, height), "white")
    view = page.crop((0, top, page.width, min(page.height, top + height - STATUS_H - HEADER_H - TABS_H)))
    im.paste(view, (0, STATUS_H + HEADER_H))
    d = ImageDraw.Draw(im)
    d.rectangle((0, 0, page.width, STATUS_H), fill=(245, 245, 245))
    d.text((40, 18), clock, font=_font(34), fill=(0, 0, 0))
    d.rectangle((page.width - 120, 28, page.width - 50, 58), outline=(0, 0, 0), width=3)
    d.rectangle((0, STATUS_H, page.width, STATUS_H + HEADER_H), fill="white")
    d.text((40, STATUS_H + 45), str(st["title"]), font=_font(50, bold=True), fill=(0, 0, 0))
    d.line((0, STATUS_H + HEADER_H - 2, page.width, STATUS_H + HEADER_H - 2), fill=(215, 215, 215), width=2)
    d.rectangle((0, height - TABS_H, page.width, height), fill=(250, 250, 250))
    d.line((0, height - TABS_H, page.width, height - TABS_H), fill=(215, 215, 215), width=2)
    d.text((40, height - TABS_H + 60), str(st["tabs"]), font=_font(32), fill=(90, 90, 90))
    return im


def long_screen(posts: list[Post], look: str = "vk") -> Image.Image:
    """A scrolling ("long") screenshot: the whole feed under one status bar and header."""
    page = feed(posts, look)
    return frame(page, 0, look, height=page.height + STATUS_H + HEADER_H + TABS_H)
