"""Screenshots' pictures in the report and the dossier, with the evidence marked on them.

An item of kind ``screenshot`` (:mod:`repostguard.importers.screenshots`) holds, as photo attachments, the
crops of the screenshots its post is on: each with its ``box`` in the screenshot's pixels and the boxes of
its lines of text (``extra["lines"]``, ``[x0, y0, x1, y1, text]``). The report and the dossier show each
crop as a small JPEG embedded as a ``data:`` URI (the page stays one file and loads nothing), with a frame
drawn over it:

- a symbol found in the picture: its region (the finding's ``box`` and ``size``);
- a picture a hash bank matched: the whole picture;
- a text finding (a list's quote, an organisation, a statement…): the lines holding the matched text,
  found by the finding's span in the item's text (each line of the text is a line of the screenshot), else
  by looking for the evidence among the lines (:func:`rapidfuzz.fuzz.partial_ratio_alignment` on letters and
  digits). A finding that cannot be placed is said to be so («место не отмечено»).

Pictures with a banned symbol or a listed picture (:data:`SENSITIVE_BANKS`) are the material itself: the
report blurs them until the person asks to see them, and the dossier, a page meant for printing and
handing over, leaves them out (the plan of the picture with the region stays). Other kinds of item get
no picture: the report and the dossier carry no other pictures.
"""

from __future__ import annotations

import base64
import io
import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from repostguard.imaging import MAX_FILE_BYTES, BadImage, open_picture, picture_errors
from repostguard.views.items import FindingView, ItemView, servable_photo, workspace_roots

#: the largest picture shown (pixels): phone text (40-45 pixels high at 1080) is then about 14 pixels high
PICTURE_WIDTH = 360
PICTURE_MAX_HEIGHT = 960
JPEG_QUALITY = 80
#: banks whose findings say the picture itself is banned: blurred in the report, left out of the dossier
SENSITIVE_BANKS = frozenset({"symbols", "hashes"})
#: two readings of one line of text agree this well (0-100), OCR slips aside
SAME_LINE = 88
#: the evidence is taken as found among a picture's lines this well (0-100); short evidence must be exact
FOUND, FOUND_SHORT, SHORT = 85, 100, 8
_ATT = re.compile(r"^attachments\[(\d+)\]\.(path|ocr)$")
_TOKEN = re.compile(r"[^\W_]+", re.U)
#: a rectangle (x, y, width, height) or a box (x0, y0, x1, y1), in pixels
Rect = tuple[int, int, int, int]


@dataclass
class Mark:
    """A frame over a picture, in the shown picture's pixels: a ``kind`` (``text``, ``symbol``, ``picture``)
    and the title of the finding it shows."""

    x: int
    y: int
    w: int
    h: int
    kind: str
    label: str


@dataclass
class ScreenPicture:
    """One crop of a screenshot as shown: a ``data:`` URI of ``width`` x ``height`` pixels and its marks."""

    index: int
    key: str
    name: str
    src: str
    width: int
    height: int
    marks: list[Mark] = field(default_factory=list)
    #: shown blurred until asked (a banned symbol or a listed picture)
    blurred: bool = False

    @property
    def labels(self) -> list[str]:
        """The titles of the findings marked on the picture, each once."""
        return list(dict.fromkeys(m.label for m in self.marks))


def norm(text: str) -> str:
    """Letters and digits in lower case (``ё`` as ``е``), one space between words."""
    return " ".join(_TOKEN.findall(text.lower().replace("ё", "е")))


def is_sensitive(f: FindingView) -> bool:
    """Whether a finding says the picture itself is banned (a symbol, a listed picture)."""
    return f.bank in SENSITIVE_BANKS


def add_pictures(conn: sqlite3.Connection, db: Path | None, views: list[ItemView], *, dossier: bool = False) -> None:
    """Give each screenshot item of ``views`` its pictures (:attr:`ItemView.pictures`) with the findings
    marked, and each of its findings whether it is placed (:attr:`FindingView.in_picture`).

    ``db`` is the workspace's file (its media folder is where the crops are). In the dossier
    (``dossier``), a screenshot item with a sensitive finding gets no picture and
    :attr:`ItemView.pictures_withheld`.
    """
    shots = [v for v in views if v.kind == "screenshot"]
    if not shots:
        return
    roots = workspace_roots(conn, db)
    atts: dict[str, str] = {}
    ids = [v.id for v in shots]
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        q = f"SELECT id, attachments FROM items WHERE id IN ({','.join('?' * len(chunk))})"
        atts.update({str(r[0]): str(r[1] or "[]") for r in conn.execute(q, chunk)})
    for v in shots:
        try:
            parsed = json.loads(atts.get(v.id, "[]"))
        except ValueError:
            continue
        item_pictures(v, parsed if isinstance(parsed, list) else [], roots, dossier=dossier)


def item_pictures(view: ItemView, attachments: list[Any], roots: list[Path], *, dossier: bool = False) -> None:
    """The pictures of one screenshot item (see :func:`add_pictures`); ``roots``: where pictures may be read."""
    view.pictures, view.pictures_withheld = [], False
    for f in view.findings:
        f.in_picture = None
    sensitive = any(is_sensitive(f) for f in view.findings)
    if sensitive and dossier:
        view.pictures_withheld = any(isinstance(a, dict) and servable_photo(a, roots) for a in attachments)
        return
    placed: set[int] = set()
    for i, a in enumerate(attachments):
        if not isinstance(a, dict) or not servable_photo(a, roots):
            continue
        pic = _picture(view, i, a, placed)
        if pic is not None:
            pic.blurred = sensitive
            view.pictures.append(pic)
    if view.pictures:
        for j, f in enumerate(view.findings):
            f.in_picture = j in placed


def _picture(view: ItemView, index: int, att: dict[str, Any], placed: set[int]) -> ScreenPicture | None:
    """The shown picture of attachment ``index``, with the marks of the findings placed on it (their
    positions in ``view.findings`` are added to ``placed``); None when the file cannot be read."""
    from PIL import Image, ImageOps  # deferred: only reports with screenshots decode pictures

    given = att.get("extra")
    extra: dict[str, Any] = given if isinstance(given, dict) else {}
    try:
        path = Path(str(att["path"]))
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        im = open_picture(path.read_bytes())
        with picture_errors():
            rgb = ImageOps.exif_transpose(im).convert("RGB")
    except (BadImage, OSError):  # a damaged or vanished picture is left out, as a missing one
        return None
    fw, fh = rgb.size
    box = _box(extra.get("box"))
    origin = (0, 0)  # the crop's corner in the screenshot's pixels
    file_origin = (0, 0)  # the crop's corner in the file's pixels
    lines: list[tuple[Rect, str]] = []
    if box is not None:
        bw, bh = box[2] - box[0], box[3] - box[1]
        known = True
        if abs(fw - bw) <= 2 and abs(fh - bh) <= 2:  # the file is the crop
            origin = (box[0], box[1])
        elif fw >= box[2] and fh >= box[3]:  # the file is the whole screenshot: crop it
            rgb = rgb.crop(box)
            origin = file_origin = (box[0], box[1])
        else:  # a file of another size: its lines' places are not known
            known = False
        lines = _lines(extra.get("lines")) if known else []
    w, h = rgb.size
    if w <= 0 or h <= 0:
        return None
    scale = min(1.0, PICTURE_WIDTH / w, PICTURE_MAX_HEIGHT / h)
    tw, th = max(1, round(w * scale)), max(1, round(h * scale))
    marks: list[Mark] = []
    for j, f in enumerate(view.findings):
        rects = _place(view, f, index, lines, origin, file_origin, (fw, fh), (w, h))
        if rects:
            placed.add(j)
            kind = "text" if not f.evidence_field.endswith(".path") else (
                "symbol" if f.evidence_data.get("box") else "picture")
            marks += [Mark(round(x * scale), round(y * scale), max(2, round(rw * scale)), max(2, round(rh * scale)),
                           kind, f.title) for x, y, rw, rh in rects]
    small = rgb.resize((tw, th), Image.Resampling.LANCZOS) if (tw, th) != (w, h) else rgb
    buf = io.BytesIO()
    small.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True)
    src = "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
    name = str(extra.get("screenshot") or Path(str(att["path"])).name)
    return ScreenPicture(index=index, key=f"shot-{view.id[:16]}-{index}", name=name.rsplit("/", 1)[-1], src=src,
                         width=tw, height=th, marks=marks)


def _box(value: Any) -> Rect | None:
    if isinstance(value, list) and len(value) == 4 and all(isinstance(x, int | float) for x in value):
        x0, y0, x1, y1 = (int(x) for x in value)
        if 0 <= x0 < x1 and 0 <= y0 < y1:
            return x0, y0, x1, y1
    return None


def _lines(value: Any) -> list[tuple[Rect, str]]:
    """The lines kept with a crop: (box in the screenshot's pixels, text)."""
    out: list[tuple[Rect, str]] = []
    if not isinstance(value, list):
        return out
    for ln in value:
        if isinstance(ln, list) and len(ln) == 5 and isinstance(ln[4], str):
            b = _box(ln[:4])
            if b is not None:
                out.append((b, ln[4]))
    return out


def _place(view: ItemView, f: FindingView, index: int, lines: list[tuple[Rect, str]], origin: tuple[int, int],
           file_origin: tuple[int, int], file_size: tuple[int, int], size: tuple[int, int]) -> list[Rect]:
    """Where finding ``f`` is on attachment ``index``: rectangles (x, y, w, h) in the crop's pixels."""
    fld, ev = f.evidence_field, f.evidence_data
    m = _ATT.match(fld)
    if m is not None and m.group(2) == "path":
        if int(m.group(1)) != index:
            return []
        return _symbol_rect(ev, file_origin, file_size, size) if ev.get("box") else (
            [(0, 0, size[0], size[1])] if f.bank in SENSITIVE_BANKS else [])
    if m is not None and int(m.group(1)) != index:  # text read from another of the item's pictures
        return []
    if not lines:
        return []
    ranges: list[tuple[int, float, float]] = []  # (line, start, end as shares of the line)
    if fld == "text":
        ranges = _by_span(view.text_raw, ev, lines)
    if not ranges and (m is not None or fld == "text"):
        ranges = _by_search(str(ev.get("text") or ""), lines)
    rects: list[Rect] = []
    for k, a, b in ranges:
        (x0, y0, x1, y1), text = lines[k]
        pad = max(2, (y1 - y0) // 5)
        # a part of a line: its place estimated from its share of the letters, one letter's width spare
        spare = max(pad, round(0.8 * (x1 - x0) / max(1, len(text))))
        left = x0 - pad if a <= 0 else x0 + int((x1 - x0) * a) - spare
        right = x1 + pad if b >= 1 else x0 + round((x1 - x0) * b) + spare
        rx0, ry0 = max(0, left - origin[0]), max(0, y0 - pad - origin[1])
        rx1, ry1 = min(size[0], right - origin[0]), min(size[1], y1 + pad - origin[1])
        if rx1 > rx0 and ry1 > ry0:
            rects.append((rx0, ry0, rx1 - rx0, ry1 - ry0))
    return rects


def _symbol_rect(ev: dict[str, Any], file_origin: tuple[int, int], file_size: tuple[int, int],
                 size: tuple[int, int]) -> list[Rect]:
    """A symbol's region (in the pixels of the picture the media pass saw) in the crop's pixels."""
    box, seen = ev.get("box"), ev.get("size")
    if not (isinstance(box, list) and len(box) == 4):
        return []
    sx = file_size[0] / seen[0] if isinstance(seen, list) and len(seen) == 2 and seen[0] else 1.0
    sy = file_size[1] / seen[1] if isinstance(seen, list) and len(seen) == 2 and seen[1] else 1.0
    x, y = box[0] * sx - file_origin[0], box[1] * sy - file_origin[1]
    x0, y0 = max(0, int(x)), max(0, int(y))
    x1, y1 = min(size[0], int(x + box[2] * sx + 0.5)), min(size[1], int(y + box[3] * sy + 0.5))
    return [(x0, y0, x1 - x0, y1 - y0)] if x1 > x0 and y1 > y0 else []


def _by_span(text: str, ev: dict[str, Any], lines: list[tuple[Rect, str]]) -> list[tuple[int, float, float]]:
    """The picture's lines holding the evidence's span in the item's text (a line of the text is a line read
    from a screenshot): each with the share of it the span covers."""
    span = ev.get("span")
    if not (isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span)):
        return []
    a, b = span
    if not 0 <= a < b <= len(text):
        return []
    out: list[tuple[int, float, float]] = []
    used: set[int] = set()
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        lo, hi = max(a, start), min(b, end)
        if lo >= hi or not line.strip():
            continue
        want = norm(line)
        best, best_score = -1, 0.0
        for k, (_, seen) in enumerate(lines):
            if k in used:
                continue
            score = 100.0 if norm(seen) == want else fuzz.ratio(norm(seen), want)
            if score > best_score:
                best, best_score = k, score
        if best >= 0 and best_score >= SAME_LINE:
            used.add(best)
            lo, hi = _words(line, lo - start, hi - start)
            out.append((best, lo / len(line), hi / len(line)))
    return sorted(out)


def _by_search(evidence: str, lines: list[tuple[Rect, str]]) -> list[tuple[int, float, float]]:
    """The picture's lines holding ``evidence``, found among their letters and digits."""
    target = norm(evidence)
    if not target:
        return []
    texts = [norm(t) for _b, t in lines]
    joined, starts = "", []
    for t in texts:
        starts.append(len(joined) + (1 if joined else 0))
        joined = f"{joined} {t}" if joined else t
    if not joined:
        return []
    al = fuzz.partial_ratio_alignment(target, joined)
    if al is None or al.score < (FOUND_SHORT if len(target) < SHORT else FOUND):
        return []
    out: list[tuple[int, float, float]] = []
    for k, (s, t) in enumerate(zip(starts, texts, strict=True)):
        e = s + len(t)
        lo, hi = max(al.dest_start, s), min(al.dest_end, e)
        if t and hi - lo >= min(3, len(t)):
            lo, hi = _words(t, lo - s, hi - s)
            out.append((k, lo / len(t), hi / len(t)))
    return out


def _words(text: str, lo: int, hi: int) -> tuple[int, int]:
    """``text[lo:hi]`` widened to whole words (letters and digits)."""
    while lo > 0 and text[lo - 1].isalnum():
        lo -= 1
    while hi < len(text) and text[hi].isalnum():
        hi += 1
    return lo, hi


__all__ = ["Mark", "ScreenPicture", "add_pictures", "item_pictures", "is_sensitive", "norm", "SENSITIVE_BANKS",
           "PICTURE_WIDTH"]
