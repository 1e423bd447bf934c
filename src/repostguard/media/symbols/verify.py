"""The last stage of the cascade: a small convolutional network looks again at the shape stage's near misses.

Shape comparison (:mod:`.shapes`) decides most pictures on its own: a blob that matches a symbol's references
well enough, and better than every look-alike, is a hit; a blob far from every symbol is nothing. Between the
two lie the *near misses*: blobs whose best symbol score falls short of that symbol's threshold by at most
:data:`NEAR_BELOW`. Symbols drawn in styles the references do not cover (seen at a slant, outlined, faint
strokes on skin, on a busy background) land there, and so do windows, stars and letters. The network sees
the blob's square with the context around it (the symbol filling :data:`SYMBOL_SHARE` of the
:data:`WINDOW`) and says which of the six symbols, or none, it shows; a near miss is a hit when one symbol
is at least :data:`VERIFY_AT` likely, averaged over the view as drawn and mirrored (:data:`VIEWS`), or at least
:data:`VERIFY_CLOSE` when it is the symbol the shape stage saw and the blob came within :data:`CLOSE_BELOW` of
that symbol's threshold.

The network (``symbols_verify.onnx``, beside this module: weights, no picture) was trained on synthetic
renders only, symbols drawn from geometry by ``bench/symbols_render.py``, by ``bench/symbols_train.py`` in a
separate environment; it runs here with onnxruntime on one CPU thread. At most :data:`MAX_CANDIDATES` near
misses per picture are looked at, those closest to their symbol's threshold first, one per symbol and place.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from .shapes import MARGIN, THRESHOLDS, Blob, box_iou
from .stars import tapers

MODEL = Path(__file__).with_name("symbols_verify.onnx")
#: the classes of the network's output, in order
CLASSES = ("background", "swastika", "ss-runes", "celtic-cross", "wolfsangel", "rainbow-flag", "aue-star")
#: the window the network was trained on (px), the context it sees on each side, and the share of the
#: window a symbol's larger side fills (``bench/symbols_render.py`` draws them so)
WINDOW, CONTEXT, SYMBOL_SHARE = 40, 8, 0.65
#: the side of the network's input (px)
SIDE = WINDOW + 2 * CONTEXT
#: a blob whose best symbol score falls short of that symbol's threshold by at most this is a near miss (the
#: floor follows each family's threshold: the SS pair's, 0.59, lies far below the swastika's, 0.81)
NEAR_BELOW = 0.25
#: at most this many near misses per picture are looked at, those closest to their thresholds first
MAX_CANDIDATES = 8
#: a near miss whose box overlaps a hit's, or a better near miss's of the same symbol, this much (intersection over
#: union) is the same place
SAME_PLACE = 0.6
#: a shape hit near its threshold is dropped when the network gives its symbol less than this (:func:`overrule`)
VETO_BELOW = 0.05
#: the probability (averaged over the views) a symbol needs
VERIFY_AT = 0.98
#: ... and for a near miss at most CLOSE_BELOW short of its threshold (or above it, beaten by a look-alike), whose
#: shape already nearly decided
CLOSE_BELOW, VERIFY_CLOSE = 0.03, 0.8
#: how many views are averaged: as drawn, mirrored
VIEWS = 2
#: the symbols the network confirms (the flag is found by its colour bands, :mod:`.rainbow`)
CONFIRMS = frozenset(CLASSES[1:]) - {"rainbow-flag"}
#: a rainbow flag the colour bands found is dropped when the network gives its view less than this for the flag
#: (:func:`flags_kept`)
FLAG_BELOW = 0.5


class _Network:
    """The ONNX network, loaded on first use, one CPU thread, one call at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.session: Any = None
        self.lock = threading.Lock()

    def __call__(self, x: np.ndarray) -> np.ndarray:
        with self.lock:
            if self.session is None:
                import onnxruntime as ort

                opts = ort.SessionOptions()
                opts.intra_op_num_threads = 1
                opts.inter_op_num_threads = 1
                opts.log_severity_level = 3
                self.session = ort.InferenceSession(str(self.path), opts, providers=["CPUExecutionProvider"])
            name = self.session.get_inputs()[0].name
            out = self.session.run(None, {name: x})[0]
        return np.asarray(out, np.float32).reshape(len(x), len(CLASSES))


NETWORK = _Network(MODEL)


def crop(rgb: np.ndarray, box: Sequence[int]) -> np.ndarray:
    """The network's view of a blob: the square around ``box`` (x, y, w, h in ``rgb``'s pixels) scaled so that
    its larger side fills SYMBOL_SHARE of the WINDOW, with CONTEXT around it (beyond the picture's edge: its
    mean colour), SIDE x SIDE x 3."""
    x, y, w, h = box
    s = SYMBOL_SHARE * WINDOW / max(w, h, 1)
    cx, cy = x + w / 2, y + h / 2
    fill = [float(v) for v in cv2.mean(rgb)[:3]]
    # only the part of the picture the view shows is read
    reach = SIDE / (2 * s) + 2
    x0, y0 = max(0, int(cx - reach)), max(0, int(cy - reach))
    x1, y1 = min(rgb.shape[1], int(cx + reach) + 1), min(rgb.shape[0], int(cy + reach) + 1)
    if x1 <= x0 or y1 <= y0:
        return np.full((SIDE, SIDE, 3), np.round(fill), np.uint8)
    src = rgb[y0:y1, x0:x1]
    fx = fy = 1.0
    if s < 1:  # reduced by averaging areas first (as the training renders were); the warp then moves it
        small = (max(1, round((x1 - x0) * s)), max(1, round((y1 - y0) * s)))
        src = cv2.resize(src, small, interpolation=cv2.INTER_AREA)
        fx, fy = small[0] / (x1 - x0), small[1] / (y1 - y0)
    warp = np.array([[s / fx, 0, SIDE / 2 - s * (cx - x0)], [0, s / fy, SIDE / 2 - s * (cy - y0)]], np.float32)
    return cv2.warpAffine(src, warp, (SIDE, SIDE), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=fill)


def probabilities(views: np.ndarray) -> np.ndarray:
    """The network's class probabilities for each picture of ``views`` (N x SIDE x SIDE x 3, uint8), averaged
    over VIEWS views of each: N x len(CLASSES)."""
    if not len(views):
        return np.zeros((0, len(CLASSES)), np.float32)
    stack = [views, views[:, :, ::-1]][:VIEWS]
    x = np.ascontiguousarray(np.concatenate(stack).transpose(0, 3, 1, 2), np.float32) / np.float32(255.0)
    p = NETWORK(x - np.float32(0.5))
    return np.asarray(p.reshape(len(stack), len(views), len(CLASSES)).mean(axis=0))


def look(rgb: np.ndarray, boxes: Sequence[Sequence[int]]) -> np.ndarray:
    """The network's class probabilities for the view (:func:`crop`) of each box of ``rgb``: len(boxes) x
    len(CLASSES)."""
    if not boxes:
        return np.zeros((0, len(CLASSES)), np.float32)
    return probabilities(np.stack([crop(rgb, box) for box in boxes]))


def shortfall(b: Blob) -> float:
    """How far a blob's best symbol score lies below that symbol's threshold (negative when above it)."""
    return THRESHOLDS[b.best] - b.score


def near_misses(blobs: Sequence[Blob]) -> list[Blob]:
    """The blobs worth the network's look: no hit, best symbol score at most NEAR_BELOW short of its threshold
    (a lone SS rune is no symbol), one per symbol and place (none where a hit is), the MAX_CANDIDATES closest to
    their thresholds. A place may hold blobs nearest to different symbols (an outlined wolfsangel's whole outline,
    and a part of it that looks more like a star's point): each is its own view for the network."""
    hits = [b for b in blobs if b.family]
    out: list[Blob] = []
    for b in sorted((b for b in blobs if not b.family and b.best in CONFIRMS and shortfall(b) <= NEAR_BELOW),
                    key=shortfall):
        if any(box_iou(b, o) > SAME_PLACE for o in hits + [o for o in out if o.best == b.best]):
            continue
        out.append(b)
        if len(out) >= MAX_CANDIDATES:
            break
    return out


def overrule(rgb: np.ndarray, hits: Sequence[Blob]) -> list[Blob]:
    """The shape stage's hits without those the network overrules: a hit scoring less than MARGIN above its
    family's threshold is shown to the network too, and dropped when the network gives its symbol less than
    VETO_BELOW (it sees something else in it, nearly sure). Texture cut at a grey level sometimes just reaches a
    threshold; a drawn symbol the network was trained on rarely gets so little."""
    doubtful = [b for b in hits if -shortfall(b) < MARGIN]  # a hit's best symbol is its family
    if not doubtful:
        return list(hits)
    probs = look(rgb, [(b.x, b.y, b.w, b.h) for b in doubtful])
    dropped = {id(b) for b, p in zip(doubtful, probs, strict=True) if p[CLASSES.index(b.family)] < VETO_BELOW}
    return [b for b in hits if id(b) not in dropped]


def flags_kept(rgb: np.ndarray, boxes: Sequence[Sequence[int]]) -> list[bool]:
    """Which of the rainbow flags the colour bands found (boxes x, y, w, h in ``rgb``'s pixels) the network also sees
    as a flag (at least FLAG_BELOW). Stripes of six hues in order are rare outside the flag, but a short straight piece
    of a rainbow's arc, or a flag of another design whose colours drifted, can show them; the network, trained on
    flags waving, in perspective, on skin and among clutter, gives those views little."""
    return [bool(p[CLASSES.index("rainbow-flag")] >= FLAG_BELOW) for p in look(rgb, boxes)]


def confirm(rgb: np.ndarray, blobs: Sequence[Blob]) -> list[tuple[Blob, str, float]]:
    """The near misses the network sees a symbol in: (blob, symbol, probability)."""
    out = []
    for b, p in zip(blobs, look(rgb, [(b.x, b.y, b.w, b.h) for b in blobs]), strict=True):
        c = int(p.argmax())
        need = VERIFY_CLOSE if CLASSES[c] == b.best and shortfall(b) <= CLOSE_BELOW else VERIFY_AT
        if CLASSES[c] not in CONFIRMS or p[c] < need:
            continue
        if CLASSES[c] == "aue-star" and (b.grid is None or not tapers(b.grid)):
            continue  # spokes of one width: an asterisk, whatever the network makes of it
        out.append((b, CLASSES[c], float(p[c])))
    return out


__all__ = ["CLASSES", "FLAG_BELOW", "MODEL", "NEAR_BELOW", "VERIFY_AT", "VETO_BELOW", "confirm", "crop", "flags_kept",
           "look", "near_misses", "overrule", "probabilities", "shortfall"]
