"""Posts on a screenshot, and one post seen on several screenshots.

:func:`separators` finds the horizontal rules and bands feeds draw between posts (rows of one
colour across the width, other than the background) and wide empty gaps; :func:`split` cuts the
lines of text read from a screenshot into posts: at the separators, and inside a part at each
post header (an author line over a date line such as «14 мар 2019 в 20:02»); the status bar, the
app's header and its tab bar are left out. :func:`merge_lines` joins the lines of one post seen
on two overlapping screenshots; :func:`same_post` tells whether two parts are one post.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from rapidfuzz import fuzz

from repostguard.importers._screen_dates import ScreenDate, screen_date
from repostguard.importers._screen_ocr import Line

#: a row is of one colour when its values differ by at most this (0-255)
UNIFORM = 6
#: a separator differs from the background by at least this
SEP_CONTRAST = 6
#: the share of a phone screen's height (2.2 times its width), from the top and from the bottom,
#: where the app's bars are
TOP_BARS, BOTTOM_BARS = 0.13, 0.10
#: a header's date line is at most this long (characters)
DATE_LINE_MAX = 48
#: two parts are one post when the shorter's text is found in the longer's this well (0-100)
SAME_POST = 88
#: lines made only of these words (and numbers) are the interface, not the post
UI_WORDS = frozenset("""
нравится комментировать комментарий комментарии поделиться класс классы главная сервисы мессенджер
записи запись лента друзья заметки сообщения сообщение уведомления видео клипы музыка ответить
репост репосты показать ещё еще далее читать полностью просмотры просмотров подписаться подписка
чаты звонки контакты настройки профиль каналы обсудить переслать like comment share reply more
home feed menu
""".split())
_WORD = re.compile(r"[^\W\d_]+", re.U)
_CLOCK = re.compile(r"^\W*[012]?\d:[0-5]\d\b")


@dataclass
class Part:
    """One post (or the part of it) on one screenshot: its rows, lines, and header when seen."""

    top: int
    bottom: int
    lines: list[Line]
    date: ScreenDate | None = None
    author: str | None = None
    #: the part begins at the top of the feed's visible area / ends at its bottom (the post may go on)
    cut_top: bool = False
    cut_bottom: bool = False
    date_line: str | None = None

    @property
    def texts(self) -> list[str]:
        return [ln.text for ln in self.lines]


def is_ui(text: str) -> bool:
    """True for a line of interface words only («Нравится 12 Комментировать Поделиться»)."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return not any(c.isdigit() for c in text)  # «12.03.2019» is a date; «•••» is an icon
    return all(w in UI_WORDS for w in words)


def separators(gray: np.ndarray, line_height: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(rules and bands, wide empty gaps) of a grayscale screenshot, as row ranges [y0, y1)."""
    step = 2 if gray.shape[1] >= 800 else 1
    g = gray[:, int(gray.shape[1] * 0.02): int(gray.shape[1] * 0.98): step]
    if g.size == 0:
        return [], []
    lo, hi = g.min(axis=1).astype(np.int16), g.max(axis=1).astype(np.int16)
    uniform = (hi - lo) <= UNIFORM
    if not uniform.any():
        return [], []
    vals = ((lo + hi) // 2)[uniform]
    bg = int(np.bincount(vals.astype(np.int64), minlength=256).argmax())
    mid = (lo + hi) // 2
    sep = uniform & (np.abs(mid - bg) >= SEP_CONTRAST)
    blank = uniform & ~sep
    return _runs(sep, 1), _runs(blank, max(3, int(3.2 * line_height)))


def _runs(mask: np.ndarray, min_len: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    padded = np.concatenate([[False], mask, [False]])
    d = np.diff(padded.astype(np.int8))
    for a, b in zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1), strict=True):
        if b - a >= min_len:
            out.append((int(a), int(b)))
    return out


def body_rows(height: int, width: int, rules: list[tuple[int, int]], lines: list[Line]) -> tuple[int, int]:
    """The rows of the feed itself: below the status bar and app header, above the tab bar."""
    # the bars are as tall as the screen's density makes them: measured on a phone's 2.2:1 screen
    top_zone = int(min(height / 3, width * 2.2 * TOP_BARS))
    bottom_zone = height - int(min(height / 3, width * 2.2 * BOTTOM_BARS))
    top = 0
    for _y0, y1 in rules:
        if y1 <= top_zone:
            top = y1
    bottom = height
    for y0, _y1 in reversed(rules):
        if y0 >= bottom_zone:
            bottom = y0
    if top == 0:  # no rule under the header: skip the status bar's clock line at least
        for ln in lines:
            if ln.bottom <= top_zone and _CLOCK.match(ln.text):
                top = ln.bottom + 1
    return top, bottom


def _header_at(lines: list[Line], i: int, captured: datetime) -> ScreenDate | None:
    text = lines[i].text
    if len(text) > DATE_LINE_MAX:
        return None
    d = screen_date(text, captured)
    if d is None:
        return None
    head, tail = text[: d.span[0]], text[d.span[1]:]
    # the date is the line («14 мар 2019 в 20:02», «вчера в 18:30 ·»), not a word of a sentence
    return d if sum(c.isalnum() for c in head) <= 1 and sum(c.isalnum() for c in tail) <= 3 else None


def split(lines: list[Line], rules: list[tuple[int, int]], gaps: list[tuple[int, int]], height: int,
          width: int, captured: datetime, headers: bool = True) -> list[Part]:
    """The posts of one screenshot, top to bottom (see the module's docstring).

    With ``headers`` false (a network that shows a post's date under it, as Instagram), parts are
    cut at the separators only, and each takes the first date it shows.
    """
    top, bottom = body_rows(height, width, rules, lines)
    body = [ln for ln in lines if ln.top >= top and ln.bottom <= bottom and not is_ui(ln.text)]
    if not body:
        return []
    cuts = sorted({y0 for y0, y1 in rules if top < y0 < bottom})
    if not cuts:
        cuts = sorted({(y0 + y1) // 2 for y0, y1 in gaps if top < y0 and y1 < bottom})
    edges = [top, *cuts, bottom]
    parts: list[Part] = []
    for a, b in zip(edges, edges[1:], strict=False):
        inside = [ln for ln in body if a <= (ln.top + ln.bottom) // 2 < b]
        if inside:
            parts.extend(_by_headers(inside, a, b, captured) if headers else [_undivided(inside, a, b, captured)])
    if parts:
        parts[0].cut_top = parts[0].top == top and parts[0].date is None
        parts[-1].cut_bottom = parts[-1].bottom == bottom
    return parts


def _undivided(lines: list[Line], a: int, b: int, captured: datetime) -> Part:
    """One part of a screenshot as one post, dated by the first date line in it."""
    d = next((dd for i in range(len(lines)) if (dd := _header_at(lines, i, captured))), None)
    return Part(a, b, lines, date=d)


def _header_gap(lines: list[Line]) -> float:
    """How far above its author line a post header is from the line before (more than lines of text are)."""
    gaps = sorted(b.top - a.bottom for a, b in zip(lines, lines[1:], strict=False) if b.top > a.bottom)
    heights = sorted(ln.height for ln in lines)
    med_gap = gaps[len(gaps) // 2] if gaps else 0
    return max(2.0 * med_gap, 1.0 * heights[len(heights) // 2])


def _by_headers(lines: list[Line], a: int, b: int, captured: datetime) -> list[Part]:
    """One part of a screenshot cut at each post header in it (author line over a date line)."""
    starts: list[tuple[int, ScreenDate, str | None]] = []
    for i in range(len(lines)):
        d = _header_at(lines, i, captured)
        if d is None:
            continue
        start, author = i, None
        if i > 0:
            prev = lines[i - 1]
            if lines[i].top - prev.bottom <= 1.5 * max(prev.height, lines[i].height) and len(prev.text) <= 60:
                start, author = i - 1, prev.text
            elif i > 1:
                continue  # a date line inside a post, with no author over it, is text
        if starts and start <= starts[-1][0] + 1:
            continue  # a second date right under a header belongs to it
        if start > 0 and lines[start].top - lines[start - 1].bottom < _header_gap(lines):
            continue  # a date word wrapped onto its own line, in the run of a post's lines
        starts.append((start, d, author))
    if not starts:
        return [_undivided(lines, a, b, captured)]
    parts: list[Part] = []
    if starts[0][0] > 0:
        parts.append(Part(a, lines[starts[0][0]].top - 1, lines[: starts[0][0]]))
    for k, (s, d, author) in enumerate(starts):
        e = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        p_top = a if k == 0 and s == 0 else lines[s].top - max(4, lines[s].height // 2)
        p_bottom = b if e == len(lines) else lines[e].top - max(4, lines[e].height // 2)
        parts.append(Part(p_top, p_bottom, lines[s:e], date=d, author=author, date_line=d.text))
    return parts


_TOKEN = re.compile(r"[^\W_]+", re.U)


def _norm(text: str) -> str:
    """Letters and digits in lower case (``ё`` as ``е``), one space between words."""
    return " ".join(_TOKEN.findall(text.lower().replace("ё", "е")))


#: how far apart two readings of one post's date may be, by their precision (screenshots taken
#: minutes apart read «5 часов назад» a few minutes apart)
_SLACK = {"minute": timedelta(minutes=10), "hour": timedelta(hours=2), "day": timedelta(days=1, hours=1),
          "week": timedelta(days=8), "month": timedelta(days=32), "year": timedelta(days=370)}


def _dates_agree(a: ScreenDate, b: ScreenDate) -> bool:
    coarse = max(_SLACK[a.precision], _SLACK[b.precision])
    return abs(a.when - b.when) <= coarse


def same_post(a: Part, b: Part, adjacent: bool = False) -> bool:
    """Whether ``a`` and ``b`` (from two screenshots) are the same post, or two parts of it.

    ``adjacent``: ``a`` is the last part of its screenshot and ``b`` the first of the next, where
    a post cut by the bottom of the screen goes on; only there is a short part (a header alone) joined.
    """
    if a.date is not None and b.date is not None and (_norm(a.author or "") != _norm(b.author or "")
                                                       or not _dates_agree(a.date, b.date)):
        return False
    ta, tb = _norm(" ".join(a.texts)), _norm(" ".join(b.texts))
    short, long_ = sorted((ta, tb), key=len)
    if len(short) < (12 if adjacent else 30):
        return False
    return fuzz.partial_ratio(short, long_) >= SAME_POST


def _same_line(x: str, y: str) -> bool:
    """One line read twice: the same words, OCR slips aside, and the same numbers."""
    nx, ny = _norm(x), _norm(y)
    if nx == ny:
        return True
    return (min(len(nx), len(ny)) >= 8 and re.findall(r"\d+", nx) == re.findall(r"\d+", ny)
            and fuzz.ratio(nx, ny) >= 88)


def merge_lines(first: list[str], second: list[str]) -> list[str]:
    """The lines of one post seen as ``first`` then ``second`` (scrolling down): overlap kept once."""
    for k in range(min(len(first), len(second)), 0, -1):  # the end of first is the start of second
        if all(_same_line(x, y) for x, y in zip(first[-k:], second[:k], strict=True)):
            return first + second[k:]
    for k in range(min(len(first), len(second)), 0, -1):  # scrolled up instead
        if all(_same_line(x, y) for x, y in zip(second[-k:], first[:k], strict=True)):
            return second + first[k:]
    out = list(first)
    for ln in second:
        if not any(_same_line(ln, o) for o in out):
            out.append(ln)
    return out
