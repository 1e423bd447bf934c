"""The proposer of the symbol network's training (issue 24): a small fully convolutional network slid over a
pyramid of a picture, whose likeliest windows are the verifier's hard examples.

Only ``bench/symbols_train.py`` uses it: the package ships the verifier alone
(:mod:`repostguard.media.symbols.verify`), which judges the shape stage's near misses. The proposer finds, in
rendered pictures, the windows a network of its kind confuses with a symbol, so that the verifier learns
from them.

1. windows of :data:`WINDOW` px, :data:`STRIDE` px apart, at every level of a pyramid :data:`LEVEL_STEP`
   apart, so a symbol from about 20 px to the whole picture fills 0.5-0.8 of one level's window;
2. windows whose best symbol is at least :data:`PROPOSE_AT` likely and that are the likeliest among their
   neighbours are proposed, the :data:`MAX_PROPOSALS` likeliest at most;
3. the verifier sees each proposal with CONTEXT px around it (:func:`crops`), as it sees a near miss.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from repostguard.media.symbols.verify import CLASSES, CONTEXT, SYMBOL_SHARE, WINDOW

#: the step between windows (px of a pyramid level)
STRIDE = 8
#: pyramid levels are this factor apart
LEVEL_STEP = 2 ** 0.5
#: each level is padded by this much so that windows reach symbols at its edges
PAD = 12
#: a window is proposed when its best symbol is at least this likely (and a local maximum)
PROPOSE_AT = 0.3
#: at most this many proposals per picture
MAX_PROPOSALS = 48
#: where the proposer is written and read
PROPOSER = Path(__file__).resolve().parents[1] / "build" / "symbols_propose.onnx"


@dataclass(frozen=True)
class Proposal:
    """A window the proposer picked: its level, row and column, best symbol and probability."""

    level: int
    row: int
    col: int
    cls: int
    score: float


class _Net:
    """An ONNX network on one CPU thread."""

    def __init__(self, path: Path) -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self.input = self.session.get_inputs()[0].name
        self.lock = threading.Lock()

    def __call__(self, x: np.ndarray) -> np.ndarray:
        with self.lock:
            out = self.session.run(None, {self.input: x})[0]
        return np.asarray(out)


_NETS: dict[Path, _Net] = {}


def net(path: Path) -> _Net:
    """The network at ``path``, loaded on first use."""
    if path not in _NETS:
        _NETS[path] = _Net(path)
    return _NETS[path]


def levels(rgb: np.ndarray) -> list[tuple[float, np.ndarray]]:
    """The pyramid: (scale, picture at that scale padded by PAD), the input's own size first, each next
    LEVEL_STEP smaller, down to where the picture's shorter side is about one window."""
    h, w = rgb.shape[:2]
    out: list[tuple[float, np.ndarray]] = []
    scale = 1.0
    while True:
        lh, lw = max(1, round(h * scale)), max(1, round(w * scale))
        img = rgb if scale == 1.0 else cv2.resize(rgb, (lw, lh), interpolation=cv2.INTER_AREA)
        fill = [float(v) for v in img.reshape(-1, 3).mean(axis=0)]
        ph = max(0, WINDOW - (lh + 2 * PAD))
        pw = max(0, WINDOW - (lw + 2 * PAD))
        padded = cv2.copyMakeBorder(img, PAD, PAD + ph, PAD, PAD + pw, cv2.BORDER_CONSTANT, value=fill)
        out.append((scale, padded))
        if min(lh, lw) <= 0.85 * WINDOW:
            break
        scale /= LEVEL_STEP
    return out


def to_input(img: np.ndarray) -> np.ndarray:
    """Pictures (H x W x 3, or N x H x W x 3) as a network's input: N x 3 x H x W, float32, -0.5..0.5."""
    x = img[None] if img.ndim == 3 else img
    return np.ascontiguousarray(x.transpose(0, 3, 1, 2), np.float32) / np.float32(255.0) - np.float32(0.5)


def propose(pyramid: list[tuple[float, np.ndarray]], floor: float = PROPOSE_AT, limit: int = MAX_PROPOSALS,
            path: Path | None = None) -> list[Proposal]:
    """The proposer's windows: best symbol at least ``floor`` likely and no likelier than any neighbour of
    its level, the ``limit`` likeliest."""
    model = net(path or PROPOSER)
    out: list[Proposal] = []
    for k, (_, img) in enumerate(pyramid):
        prob = model(to_input(img))[0]  # (classes, rows, cols)
        p = prob[1:].max(axis=0)
        peak = p >= cv2.dilate(p, np.ones((3, 3), np.uint8))
        for i, j in zip(*np.nonzero((p >= floor) & peak), strict=True):
            out.append(Proposal(k, int(i), int(j), int(prob[1:, i, j].argmax()) + 1, float(p[i, j])))
    out.sort(key=lambda q: -q.score)
    return out[:limit]


def crops(pyramid: list[tuple[float, np.ndarray]], props: Sequence[Proposal]) -> np.ndarray:
    """Each proposal's window with CONTEXT px around it: N x (WINDOW + 2 CONTEXT) x ... x 3, uint8."""
    side = WINDOW + 2 * CONTEXT
    out = np.zeros((len(props), side, side, 3), np.uint8)
    framed: dict[int, np.ndarray] = {}
    for n, q in enumerate(props):
        if q.level not in framed:
            img = pyramid[q.level][1]
            fill = [float(v) for v in img.reshape(-1, 3).mean(axis=0)]
            framed[q.level] = cv2.copyMakeBorder(img, CONTEXT, CONTEXT, CONTEXT, CONTEXT, cv2.BORDER_CONSTANT,
                                                 value=fill)
        y, x = q.row * STRIDE, q.col * STRIDE
        out[n] = framed[q.level][y:y + side, x:x + side]
    return out


def box_of(pyramid: list[tuple[float, np.ndarray]], q: Proposal) -> tuple[int, int, int, int]:
    """The box (x, y, w, h, in input pixels) of the symbol a proposal's window would hold."""
    scale = pyramid[q.level][0]
    side = SYMBOL_SHARE * WINDOW / scale
    cx = (q.col * STRIDE + WINDOW / 2 - PAD) / scale
    cy = (q.row * STRIDE + WINDOW / 2 - PAD) / scale
    return int(round(cx - side / 2)), int(round(cy - side / 2)), int(round(side)), int(round(side))


__all__ = ["CLASSES", "MAX_PROPOSALS", "PROPOSER", "STRIDE", "Proposal", "box_of", "crops", "levels", "net", "propose",
           "to_input"]
