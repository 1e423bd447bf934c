"""Banned symbols in pictures (repostguard.media.symbols): pictures drawn here, with a drawing helper
of its own (not the package's references), and the shared dev set when it is present."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from PIL import Image

from repostguard.media.symbols import DETECTOR_VERSION, SYMBOLS, SymbolHit, detect_symbols

DEV = Path(__file__).parents[3] / "shared" / "bench" / "symbols-dev"

# ---------------------------------------------------------------- an independent drawing helper

_SWASTIKA_5X5 = np.array([[1, 0, 1, 1, 1],
                          [1, 0, 1, 0, 0],
                          [1, 1, 1, 1, 1],
                          [0, 0, 1, 0, 1],
                          [1, 1, 1, 0, 1]], np.uint8)


def _glyph(kind: str, mirror: bool = False) -> np.ndarray:
    """A 240x240 mask (255 = ink) of one symbol or look-alike, drawn with plain OpenCV primitives."""
    m = np.zeros((240, 240), np.uint8)
    if kind == "swastika":
        g = np.fliplr(_SWASTIKA_5X5) if mirror else _SWASTIKA_5X5
        m[20:220, 20:220] = cv2.resize(g * 255, (200, 200), interpolation=cv2.INTER_NEAREST)
    elif kind == "celtic-cross":
        cv2.circle(m, (120, 120), 62, 255, 16)
        cv2.rectangle(m, (110, 15), (130, 225), 255, -1)
        cv2.rectangle(m, (15, 110), (225, 130), 255, -1)
    elif kind == "wolfsangel":
        cv2.polylines(m, [np.array([(50, 40), (190, 40), (50, 200), (190, 200)])], False, 255, 22)
        cv2.line(m, (40, 120), (200, 120), 255, 22)
    elif kind == "ss-runes":
        for dx in (-45, 45):
            pts = np.array([(120 + dx + 25, 20), (120 + dx - 35, 122), (120 + dx + 35, 118), (120 + dx - 25, 220)])
            cv2.polylines(m, [pts], False, 255, 20)
    elif kind == "plus":
        cv2.rectangle(m, (95, 20), (145, 220), 255, -1)
        cv2.rectangle(m, (20, 95), (220, 145), 255, -1)
    elif kind == "latin-cross":
        cv2.rectangle(m, (108, 10), (132, 230), 255, -1)
        cv2.rectangle(m, (50, 60), (190, 84), 255, -1)
    elif kind == "window":
        cv2.rectangle(m, (25, 25), (215, 215), 255, 14)
        cv2.rectangle(m, (113, 25), (127, 215), 255, -1)
        cv2.rectangle(m, (25, 113), (215, 127), 255, -1)
    elif kind == "chessboard":
        for i in range(6):
            for j in range(6):
                if (i + j) % 2 == 0:
                    m[30 + 30 * i:60 + 30 * i, 30 + 30 * j:60 + 30 * j] = 255
    elif kind == "circle-dot":
        cv2.circle(m, (120, 120), 95, 255, 14)
        cv2.circle(m, (120, 120), 22, 255, -1)
    elif kind in ("star5", "star6"):
        n, inner = (5, 0.4) if kind == "star5" else (6, 0.55)
        pts = []
        for k in range(2 * n):
            r, a = 100 * (1.0 if k % 2 == 0 else inner), -math.pi / 2 + k * math.pi / n
            pts.append((120 + r * math.cos(a), 120 + r * math.sin(a)))
        cv2.fillPoly(m, [np.round(np.array(pts)).astype(np.int32)], 255)
    elif kind == "blocky-swastika":  # arms half as wide as they are long, short hooks
        for k in range(4):
            a = k * math.pi / 2
            arm = [(-25, 0), (25, 0), (25, -100), (-25, -100)]
            hook = [(-25, -100), (60, -100), (60, -50), (-25, -50)]
            ca, sa = math.cos(a), math.sin(a)
            for poly in (arm, hook):
                turned = np.array([(120 + x * ca - y * sa, 120 + x * sa + y * ca) for x, y in poly])
                cv2.fillPoly(m, [np.round(turned).astype(np.int32)], 255)
    elif kind == "asterisk8":  # eight thin spokes of one width (a star's points taper)
        for k in range(8):
            a = k * math.pi / 4
            cv2.line(m, (120, 120), (round(120 + 100 * math.cos(a)), round(120 + 100 * math.sin(a))), 255, 12)
    elif kind == "hash":
        for c in (85, 155):
            cv2.rectangle(m, (c - 10, 20), (c + 10, 220), 255, -1)
            cv2.rectangle(m, (20, c - 10), (220, c + 10), 255, -1)
    else:
        raise ValueError(kind)
    return m


def _aue_star(canvas: np.ndarray, cx: int, cy: int, r: int) -> None:
    """The eight-pointed compass rose: each point split into a black and a white half, outlined."""
    for k in range(8):
        a = -math.pi / 2 + k * math.pi / 4
        tip = (cx + (r if k % 2 == 0 else 0.65 * r) * math.cos(a), cy + (r if k % 2 == 0 else 0.65 * r) * math.sin(a))
        for side in (-1, 1):
            b = a + side * math.pi / 8
            base = (cx + 0.3 * r * math.cos(b), cy + 0.3 * r * math.sin(b))
            tri = np.round(np.array([(cx, cy), tip, base])).astype(np.int32)
            cv2.fillPoly(canvas, [tri], (15, 15, 15) if side < 0 else (245, 245, 245))
            cv2.polylines(canvas, [tri], True, (15, 15, 15), 2)


def _background(h: int = 600, w: int = 800, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    yy = np.linspace(0, 1, h)[:, None, None]
    top, bottom = rng.uniform(90, 200, 3), rng.uniform(60, 170, 3)
    img = np.broadcast_to(top * (1 - yy) + bottom * yy, (h, w, 3)).copy()
    for _ in range(4):
        cv2.circle(img, (int(rng.integers(0, w)), int(rng.integers(0, h // 4))), int(rng.integers(15, 50)),
                   [float(v) for v in rng.uniform(60, 220, 3)], -1)
    return img.clip(0, 255).astype(np.uint8)


def picture(kind: str, angle: float = 0.0, mirror: bool = False, at: tuple[int, int] = (300, 250),
            size: int = 220, ink: tuple[int, int, int] = (20, 20, 20)) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A picture with one symbol or look-alike and the box where it was drawn."""
    img = _background()
    x, y = at
    if kind == "aue-star":
        patch = np.zeros((240, 240, 3), np.uint8)
        _aue_star(patch, 120, 120, 110)
        alpha = (cv2.cvtColor(patch, cv2.COLOR_RGB2GRAY) > 0) | (patch.max(axis=2) > 0)
        mask = alpha.astype(np.uint8) * 255
    elif kind in ("rainbow-flag", "tricolour"):
        colours = ([(228, 3, 3), (255, 140, 0), (255, 237, 0), (0, 128, 38), (36, 64, 142), (115, 41, 130)]
                   if kind == "rainbow-flag" else [(255, 255, 255), (0, 57, 166), (213, 43, 30)])
        fw, fh = size + 60, size
        for i, c in enumerate(colours):
            img[y + i * fh // len(colours):y + (i + 1) * fh // len(colours), x:x + fw] = c
        return img, (x, y, fw, fh)
    else:
        mask = _glyph(kind, mirror)
        patch = np.zeros((240, 240, 3), np.uint8) + np.array(ink, np.uint8)
    rot = cv2.getRotationMatrix2D((120, 120), angle, size / 240)
    patch = cv2.warpAffine(patch, rot, (240, 240))
    mask = cv2.warpAffine(mask, rot, (240, 240))
    region = img[y:y + 240, x:x + 240]
    region[mask > 127] = patch[mask > 127]
    ys, xs = np.nonzero(mask > 127)
    return img, (x + int(xs.min()), y + int(ys.min()), int(xs.max() - xs.min()), int(ys.max() - ys.min()))


def _overlaps(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    ix = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    return ix * iy > 0.3 * min(a[2] * a[3], b[2] * b[3])


def _found(hits: list[SymbolHit], symbol: str, box: tuple[int, int, int, int]) -> bool:
    return any(h.symbol == symbol and _overlaps(h.box, box) for h in hits)


# ---------------------------------------------------------------- tests


def test_public_surface() -> None:
    assert DETECTOR_VERSION == "symbols-8"
    assert set(SYMBOLS) == {"swastika", "ss-runes", "celtic-cross", "wolfsangel", "rainbow-flag", "aue-star"}
    assert detect_symbols(np.zeros((8, 8, 3), np.uint8)) == []
    assert detect_symbols(_background()) == []


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_each_symbol_found_where_drawn(symbol: str) -> None:
    img, box = picture(symbol)
    hits = detect_symbols(img)
    assert _found(hits, symbol, box), hits
    assert all(0.0 <= h.score <= 1.0 for h in hits)


@pytest.mark.parametrize("mirror", [False, True])
@pytest.mark.parametrize("angle", [0, 17, 45, 110])
def test_swastika_any_rotation_both_chiralities(angle: float, mirror: bool) -> None:
    img, box = picture("swastika", angle=angle, mirror=mirror)
    assert _found(detect_symbols(img), "swastika", box)


@pytest.mark.parametrize("symbol,angle", [("celtic-cross", 30), ("wolfsangel", 90), ("wolfsangel", 200),
                                          ("ss-runes", -20), ("aue-star", 22)])
def test_rotated_symbols(symbol: str, angle: float) -> None:
    img, box = picture(symbol, angle=angle)
    assert _found(detect_symbols(img), symbol, box)


def test_light_symbol_on_dark_and_small() -> None:
    img, box = picture("swastika", angle=10, ink=(240, 240, 240))
    background = img.min(axis=2) < 235
    img[background] //= 2
    assert _found(detect_symbols(img), "swastika", box)
    small, sbox = picture("celtic-cross", at=(540, 40), size=70)
    assert _found(detect_symbols(small), "celtic-cross", sbox)


def test_large_picture_is_reduced_and_boxes_scaled() -> None:
    img, box = picture("wolfsangel", angle=15)
    big = cv2.resize(img, None, fx=3, fy=3, interpolation=cv2.INTER_LINEAR)
    bigbox = tuple(3 * v for v in box)
    hits = detect_symbols(big)
    assert _found(hits, "wolfsangel", bigbox)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["plus", "latin-cross", "window", "chessboard", "circle-dot", "star5", "star6",
                                  "hash", "tricolour"])
@pytest.mark.parametrize("angle", [0, 30])
def test_lookalikes_stay_quiet(kind: str, angle: float) -> None:
    img, _ = picture(kind, angle=angle)
    assert detect_symbols(img) == []


def test_natural_rainbow_arc_is_not_a_flag() -> None:
    img = _background(seed=3)
    over = img.copy()
    colours = [(228, 3, 3), (255, 140, 0), (255, 237, 0), (0, 128, 38), (36, 64, 142), (115, 41, 130)]
    for i, c in enumerate(colours):
        cv2.ellipse(over, (400, 560), (330 - 12 * i, 330 - 12 * i), 0, 180, 360, c, 12)
    img = (0.5 * img + 0.5 * over).astype(np.uint8)
    assert [h for h in detect_symbols(img) if h.symbol == "rainbow-flag"] == []


def _two_tone_star(canvas: np.ndarray, cx: int, cy: int, r: int) -> None:
    """An AUE star whose points are split into a black and a white half, with no outline around the white halves:
    no grey level shows the whole star."""
    for k in range(8):
        a = -math.pi / 2 + k * math.pi / 4
        tip = (cx + (r if k % 2 == 0 else 0.65 * r) * math.cos(a), cy + (r if k % 2 == 0 else 0.65 * r) * math.sin(a))
        for side in (-1, 1):
            b = a + side * math.pi / 8
            tri = np.round(np.array([(cx, cy), tip, (cx + 0.3 * r * math.cos(b), cy + 0.3 * r * math.sin(b))]))
            cv2.fillPoly(canvas, [tri.astype(np.int32)], (15, 15, 15) if side < 0 else (245, 245, 245))


@pytest.mark.parametrize("radius", [50, 110])
def test_aue_star_found_as_a_two_tone_figure(radius: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dark layer shows only the star's black halves (a pinwheel, a near miss); the star is the black halves
    and the pixels around them that are not background (shapes._Search.two_tone). Without that step it is
    missed."""
    from repostguard.media.symbols import shapes

    img = _background()
    _two_tone_star(img, 400, 300, radius)
    box = (400 - radius, 300 - radius, 2 * radius, 2 * radius)
    assert _found(detect_symbols(img), "aue-star", box)
    monkeypatch.setattr(shapes, "TWO_TONE_PLACES", 0)
    assert not _found(detect_symbols(img), "aue-star", box)


def test_blob_running_into_a_caption_is_cut_from_it() -> None:
    """A symbol whose blob runs into the outlined letters of a caption: the letters' boxes (widened for their
    outline) are taken out, and what is left is the symbol."""
    from repostguard.media.symbols import parts

    symbol = _glyph("wolfsangel")[::2, ::2] // 255  # 120 x 120
    blob = np.zeros((160, 400), np.uint8)
    blob[40:160, 140:260] = symbol
    text = parts.TextMask(160, 400)
    for i in range(8):  # a line of letters 22 px high above the symbol, their outlines touching
        x = 20 + 33 * i
        blob[8:36, x - 3:x + 30] = 1
        blob[11:33, x:x + 27] = 0
        text.add(x, 11, 27, 22)
    top = 40 + int(np.nonzero(symbol.any(axis=1))[0][0])
    blob[30:top + 2, 190:196] = 1  # the outline of the letter above runs down into the symbol's top
    assert cv2.connectedComponents(blob, connectivity=8)[0] == 2  # one blob: the letters and the symbol
    parts_found = parts.without_text(blob, 0, 0, text)
    assert len(parts_found) == 1
    part, px, py = parts_found[0]
    assert py == 11 + 22 + round(parts.TEXT_MARGIN * 22)  # below the letters and their outline
    assert symbol.sum() <= part.sum() <= symbol.sum() + 6 * (top + 2 - py)  # the symbol and the stub below the text
    assert parts.without_text(symbol, 140, 40, text) == []  # a blob that touches no text is left alone


# ---------------------------------------------------------------- the shared dev set


@pytest.fixture(scope="module")
def dev_results() -> tuple[dict, dict[str, set[str]]]:
    if not (DEV / "truth.json").exists():
        pytest.skip(f"shared symbols dev set not present at {DEV}")
    truth = json.loads((DEV / "truth.json").read_text(encoding="utf-8"))
    got: dict[str, set[str]] = defaultdict(set)
    for line in (DEV / "items.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        for att in item["attachments"]:
            with Image.open(DEV / att["path"]) as im:
                got[item["id"]] |= {h.symbol for h in detect_symbols(np.asarray(im.convert("RGB")))}
    return truth, got


def _per_symbol(truth: dict, got: dict[str, set[str]]) -> dict[str, float]:
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for iid, t in truth["positives"].items():
        per[t["template"]][1] += 1
        per[t["template"]][0] += bool(got.get(iid, set()) & set(t["accept"]))
    return {k: a / b for k, (a, b) in per.items()}


def test_dev_set_no_false_alarms_and_overall_recall(dev_results: tuple[dict, dict[str, set[str]]]) -> None:
    truth, got = dev_results
    alarms = [iid for iid in truth["negatives"] if got.get(iid)]
    assert alarms == []
    hits = sum(bool(got.get(i, set()) & set(t["accept"])) for i, t in truth["positives"].items())
    assert hits / len(truth["positives"]) >= 0.95
    assert min(_per_symbol(truth, got).values()) >= 0.85  # the floor measured for symbols-1 (docs/symbols.md)


def test_dev_set_recall_target_per_symbol(dev_results: tuple[dict, dict[str, set[str]]]) -> None:
    truth, got = dev_results
    assert min(_per_symbol(truth, got).values()) >= 0.95


# ---------------------------------------------------------------- texture and speed guards


def _textured(k: int) -> np.ndarray:
    """The k-th textured background of the media benchmark's fast set (seed 99), cut to 840 x 673."""
    import random
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    import synth

    rng = random.Random(99)
    for _ in range(k):
        synth.background(rng, 1100, 1100)
    return np.asarray(synth.background(rng, 1100, 1100).convert("RGB"))[:673, :840].copy()


def test_texture_cut_at_a_grey_level_is_no_symbol(monkeypatch: pytest.MonkeyPatch) -> None:
    """Colour noise cut at a grey level gives blobs of any shape; one of this background's is close enough
    to a wolfsangel to pass the shape comparison. It hardly stands out from the texture around it, so it
    is not compared: no finding. Without the contrast test its shape just reaches the threshold, and the network
    overrules it (``verify.overrule``); without both, the false alarm is back."""
    from repostguard.media.symbols import shapes, verify

    picture = _textured(11)
    assert detect_symbols(picture) == []
    monkeypatch.setattr(shapes, "MIN_CONTRAST", 0.0)
    assert detect_symbols(picture) == []
    monkeypatch.setattr(verify, "VETO_BELOW", 0.0)
    assert [h.symbol for h in detect_symbols(picture)] == ["wolfsangel"]


def test_figure_contrast_drawn_symbol_against_texture() -> None:
    """A symbol drawn in one colour on that texture stands out far above the floor; a blob cut from
    the texture itself does not."""
    from repostguard.media.symbols import shapes

    picture = _textured(11)
    ink = _glyph("swastika")[::2, ::2] > 0  # 120 x 120
    drawn = picture.copy()
    drawn[200:320, 300:420][ink] = (20, 20, 20)
    assert shapes.figure_contrast(drawn, ink.astype(np.uint8), 300, 200) > 3 * shapes.MIN_CONTRAST
    gray = cv2.cvtColor(picture, cv2.COLOR_RGB2GRAY)
    n, labels, stats, _ = cv2.connectedComponentsWithStats((gray < 135).astype(np.uint8), connectivity=8)
    values = []
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        if max(w, h) >= shapes.MIN_SIDE and area >= 40:
            values.append(shapes.figure_contrast(picture, (labels[y:y + h, x:x + w] == i).astype(np.uint8), x, y))
    assert len(values) > 20
    assert float(np.median(values)) < shapes.MIN_CONTRAST


def _column_matches_plain(cls: np.ndarray) -> list[tuple[int, int, int, float]]:
    """The rainbow stage's column scan written the plain way (every window of six runs compared)."""
    from repostguard.media.symbols import rainbow

    out = []
    h = cls.shape[0]
    for x in range(cls.shape[1]):
        col = cls[:, x]
        cuts = np.flatnonzero(np.diff(col)) + 1
        starts, ends = np.concatenate([[0], cuts]), np.concatenate([cuts, [h]])
        vals = col[starts]
        keep = (vals >= 0) & (ends - starts >= 2)
        runs = []
        for a, b, v in zip(starts[keep], ends[keep], vals[keep], strict=True):
            if runs and runs[-1][2] == v and a - runs[-1][1] <= rainbow.SCRAP:
                runs[-1][1] = b
            else:
                runs.append([a, b, v])
        starts = np.array([r[0] for r in runs], np.int64)
        ends = np.array([r[1] for r in runs], np.int64)
        vals = np.array([r[2] for r in runs], np.int64)
        for i in range(len(vals) - 5):
            window = list(vals[i:i + 6])
            ways = ([0, 1, 2, 3, 4, 5], [5, 4, 3, 2, 1, 0])
            if not any(all(v == want or (v == rainbow.MAGENTA and want in (0, 5) and k in (0, 5))
                           for k, (v, want) in enumerate(zip(window, way, strict=True))) for way in ways):
                continue
            lens = (ends[i:i + 6] - starts[i:i + 6]).astype(np.float64)
            gaps = starts[i + 1:i + 6] - ends[i:i + 5]
            med = float(np.median(lens[1:5]))
            if med < 2 or lens[1:5].max() > 2.5 * med or lens.min() < 0.33 * med or gaps.max() > 0.5 * med:
                continue
            top = max(int(starts[i]), int(ends[i]) - int(round(1.3 * med)))
            bottom = min(int(ends[i + 5]), int(starts[i + 5]) + int(round(1.3 * med)))
            out.append((x, top, bottom, med))
    return out


_RUN = st.tuples(st.integers(-1, 6), st.integers(1, 6)).map(lambda r: [r])
_FLAG = st.tuples(st.booleans(), st.lists(st.integers(1, 7), min_size=6, max_size=6)).map(
    lambda f: [(v, n) for v, n in zip(range(5, -1, -1) if f[0] else range(6), f[1], strict=True)])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_RUN, _FLAG), min_size=1, max_size=12), st.integers(1, 4), st.integers(0, 2**16))
@example([[(0, 3), (1, 3), (2, 3), (3, 3), (4, 3), (5, 3)]], 2, 0)
def test_rainbow_column_scan_equals_the_plain_scan(segments: list[list[tuple[int, int]]], width: int,
                                                   seed: int) -> None:
    """Columns of runs of hue classes, with six-band stacks either way up among them: the scan finds the
    same stacks as comparing every window of six runs."""
    from repostguard.media.symbols import rainbow

    col = np.concatenate([np.full(n, v, np.int8) for seg in segments for v, n in seg])
    rng = np.random.default_rng(seed)
    cls = np.stack([col] + [np.roll(col, int(rng.integers(0, 5))) for _ in range(width - 1)], axis=1)
    for reverse in (False, True):
        c = np.ascontiguousarray(cls[::-1]) if reverse else cls
        assert rainbow._column_matches(c) == _column_matches_plain(c)
    if segments == [[(0, 3), (1, 3), (2, 3), (3, 3), (4, 3), (5, 3)]]:
        assert rainbow._column_matches(cls)  # the plain stack is found at all


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 60), st.integers(1, 60), st.floats(0.05, 0.95),
       st.integers(0, 3))
def test_components_are_those_of_opencv(seed: int, h: int, w: int, fill: float, smooth: int) -> None:
    """The shape stage's blobs (labels, their order, their boxes) are exactly OpenCV's connected components with
    statistics, which cost several times as much: random layers, speckled or smoothed into blobs with holes
    and islands in the holes."""
    from repostguard.media.symbols.shapes import components

    rng = np.random.default_rng(seed)
    noise = rng.random((h, w)).astype(np.float32)
    if smooth:
        noise = cv2.GaussianBlur(noise, (0, 0), smooth)
    layer = (noise < np.quantile(noise, fill)).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(layer, connectivity=8)
    m, ours, boxes = components(layer)
    assert m == n
    assert np.array_equal(ours, labels)
    assert np.array_equal(boxes[1:], stats[1:, :4])


@pytest.mark.parametrize("inner", [0.15, 0.25, 0.38])
@pytest.mark.parametrize("spoke", [6, 10, 16])
def test_a_star_tapers_an_asterisk_does_not(inner: float, spoke: int) -> None:
    """The AUE star's points narrow to their tips; eight spokes of one width do not (stars.tapers)."""
    from repostguard.media.symbols.shapes import polar_grid
    from repostguard.media.symbols.stars import tapers

    star = np.zeros((240, 240), np.uint8)
    pts = [(120 + (100 if k % 2 == 0 else 100 * inner) * math.cos(k * math.pi / 8),
            120 + (100 if k % 2 == 0 else 100 * inner) * math.sin(k * math.pi / 8)) for k in range(16)]
    cv2.fillPoly(star, [np.round(np.array(pts)).astype(np.int32)], 1)
    asterisk = np.zeros((240, 240), np.uint8)
    for k in range(8):
        a = k * math.pi / 4
        cv2.line(asterisk, (120, 120), (round(120 + 100 * math.cos(a)), round(120 + 100 * math.sin(a))), 1, spoke)
    star_grid, asterisk_grid = polar_grid(star), polar_grid(asterisk)
    assert star_grid is not None and asterisk_grid is not None
    assert tapers(star_grid)
    assert not tapers(asterisk_grid)
