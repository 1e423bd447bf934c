"""Trains the symbol detector's two small CNNs on synthetic renders and writes them as ONNX (issue 24).

usage (from the repository root, in the training environment, not the run-time one):

    python3 -m venv .venv-train
    .venv-train/bin/pip install -e '.[symbols-train]'
    .venv-train/bin/python bench/symbols_train.py     # writes src/repostguard/media/symbols/symbols_verify.onnx

The renderer is ``bench/symbols_render.py`` with ``bench/symbols_glyphs.py`` (fonts: Debian's
fonts-dejavu-core); nothing is downloaded. The package ships the verifier only
(:mod:`repostguard.media.symbols.verify`, which judges the shape stage's near misses); the proposer
(``bench/symbols_propose.py``, written to ``build/``) exists to find the verifier's hard examples.
Steps, each timed (CPU only; ``--jobs`` processes mine the hard examples):

1. render ``--patches`` training patches (64 x 64, their 4 x 4 windows of 40 px labelled) from ``--seed``;
2. train the *proposer* (``bench/symbols_propose.py``) on windows drawn from them, balanced
   between symbols, windows beside a symbol and windows without one; export it;
3. run it, as the detector does, over ``--scenes`` rendered pictures (half with symbols, half without) and
   keep what it proposes, labelled by where the symbols were drawn: the verifier's hard examples;
4. train the *verifier* on those and on the patches' windows (with their context); export it.

Every window is seen turned and mirrored (eight ways), some inverted, some with their colour channels
swapped (not a flag's), with changed contrast. The networks are trained with jax and optax (convolutions
as matrix products, which XLA runs several times faster on a CPU than its convolutions), and written as
plain ONNX graphs (Conv, Relu, MaxPool, Softmax; batch norm folded into the convolutions).

``--check N`` runs the package's whole cascade (:func:`repostguard.media.symbols.detect_symbols`, with the
verifier written) over N rendered pictures with symbols and N without (another seed), and prints per symbol
the share found and the share of pictures without a symbol where it fired.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

import symbols_propose as cnn  # noqa: E402
import symbols_render as render  # noqa: E402

from repostguard.media.symbols import verify  # noqa: E402

Layers = tuple[tuple[int, int, int, int, bool], ...]  # (kernel, stride, in, out, max-pool after)
#: ReLU and batch norm after each layer but the last, softmax at the end
PROPOSER: Layers = ((6, 2, 3, 16, False), (3, 1, 16, 32, True), (3, 1, 32, 48, True), (3, 1, 48, 64, False),
                    (1, 1, 64, 7, False))
VERIFIER: Layers = ((6, 2, 3, 16, False), (3, 1, 16, 32, True), (3, 1, 32, 64, True), (3, 1, 64, 64, False),
                    (3, 1, 64, 128, False), (1, 1, 128, 7, False))
W, CTX, ST = render.WINDOW, verify.CONTEXT, render.STRIDE
assert render.CLASSES == verify.CLASSES and W == verify.WINDOW and ST == cnn.STRIDE
assert tuple(render.POS_SIZE) == (0.5, 0.8) and 0.5 <= verify.SYMBOL_SHARE <= 0.8
BN_EPS, BN_MOMENTUM = 1e-3, 0.95
Model = tuple[list[dict[str, Any]], list[dict[str, Any]]]
#: the shape stage's blobs that are the verifier's examples (``--mine shapes``): best symbol score at least
#: this (below the run-time floor, so the network also sees what lies just under it), at most this many a picture
MINE_FLOOR, MINE_PER_PICTURE = 0.5, 16


def render_patches(n: int, seed: int, cache: Path | None) -> tuple[np.ndarray, np.ndarray]:
    """``n`` training patches and their labels, from ``seed`` (kept in ``cache`` when given)."""
    digest = hashlib.sha256((ROOT / "bench" / "symbols_render.py").read_bytes()).hexdigest()[:12]
    path = cache / f"patches-{n}-{seed}-{digest}.npz" if cache else None
    if path is not None and path.exists():
        data = np.load(path)
        return data["x"], data["y"]
    rng = np.random.default_rng(seed)
    x = np.zeros((n, render.PATCH, render.PATCH, 3), np.uint8)
    y = np.zeros((n, render.CELLS, render.CELLS), np.int8)
    for i in range(n):
        x[i], y[i] = render.training_patch(rng)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, x=x, y=y)
    return x, y


# ---------------------------------------------------------------- the networks in jax

def init(layers: Layers, seed: int) -> Model:
    """Weights (with batch-norm scale and shift) and running statistics."""
    rng = np.random.default_rng(seed)
    params, stats = [], []
    for k, _, cin, cout, _ in layers:
        params.append({"w": rng.normal(0, np.sqrt(2.0 / (k * k * cin)), (k, k, cin, cout)).astype(np.float32),
                       "b": np.zeros(cout, np.float32), "g": np.ones(cout, np.float32),
                       "beta": np.zeros(cout, np.float32)})
        stats.append({"mean": np.zeros(cout, np.float32), "var": np.ones(cout, np.float32)})
    return params, stats


def make_fns(layers: Layers, lr: float, steps: int) -> tuple[Any, Any, Any]:
    import jax
    import jax.numpy as jnp
    import optax

    def conv(x, w, s):  # type: ignore[no-untyped-def]
        """A valid convolution as one matrix product over the gathered patches."""
        k = w.shape[0]
        n, h, ww, c = x.shape
        oh, ow = (h - k) // s + 1, (ww - k) // s + 1
        cols = [x[:, i:i + s * (oh - 1) + 1:s, j:j + s * (ow - 1) + 1:s, :] for i in range(k) for j in range(k)]
        patches = jnp.concatenate(cols, axis=-1).reshape(-1, k * k * c)
        return (patches @ w.reshape(k * k * c, -1)).reshape(n, oh, ow, -1)

    def forward(params, stats, x, train):  # type: ignore[no-untyped-def]
        new_stats = []
        last = len(params) - 1
        for i, (p, st, (_, s, _, _, pool)) in enumerate(zip(params, stats, layers, strict=True)):
            x = conv(x, p["w"], s) + p["b"]
            if i == last:
                new_stats.append(st)
                continue
            if train:
                mean, var = x.mean(axis=(0, 1, 2)), x.var(axis=(0, 1, 2))
                new_stats.append({"mean": BN_MOMENTUM * st["mean"] + (1 - BN_MOMENTUM) * mean,
                                  "var": BN_MOMENTUM * st["var"] + (1 - BN_MOMENTUM) * var})
            else:
                mean, var = st["mean"], st["var"]
                new_stats.append(st)
            x = jax.nn.relu((x - mean) / jnp.sqrt(var + BN_EPS) * p["g"] + p["beta"])
            if pool:
                n, h, ww, c = x.shape
                x = x[:, :h // 2 * 2, :ww // 2 * 2].reshape(n, h // 2, 2, ww // 2, 2, c).max(axis=(2, 4))
        return x, new_stats

    sched = optax.warmup_cosine_decay_schedule(lr * 0.1, lr, max(1, steps // 30), max(2, steps), lr * 0.02)
    opt = optax.adamw(sched, weight_decay=1e-4)

    def loss_fn(params, stats, x, y):  # type: ignore[no-untyped-def]
        logits, new_stats = forward(params, stats, x, True)
        logits = logits.reshape(x.shape[0], -1)
        return optax.softmax_cross_entropy_with_integer_labels(logits, y).mean(), new_stats

    @jax.jit
    def step(params, stats, state, x, y):  # type: ignore[no-untyped-def]
        (loss, stats), grads = jax.value_and_grad(loss_fn, has_aux=True)(params, stats, x, y)
        updates, state = opt.update(grads, state, params)
        return optax.apply_updates(params, updates), stats, state, loss

    @jax.jit
    def predict(params, stats, x):  # type: ignore[no-untyped-def]
        return jax.nn.softmax(forward(params, stats, x, False)[0], axis=-1)

    return opt, step, predict


def augment(x: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each window turned and mirrored, some inverted, their channels swapped (not a flag's: its colours are
    what it is), their contrast changed; as the networks' input (NHWC, -0.5..0.5)."""
    x = x.copy()
    k = rng.integers(0, 8, len(x))
    for t in range(8):
        sel = np.flatnonzero(k == t)
        if len(sel):
            xs = x[sel][:, :, ::-1] if t >= 4 else x[sel]
            x[sel] = np.rot90(xs, t % 4, axes=(1, 2))
    flag = y == cnn.CLASSES.index("rainbow-flag")
    inv = (rng.random(len(x)) < 0.15) & ~flag
    x[inv] = 255 - x[inv]
    perm = np.tile(np.arange(3), (len(x), 1))
    swap = np.flatnonzero((rng.random(len(x)) < 0.3) & ~flag)
    perm[swap] = rng.permuted(np.tile(np.arange(3), (len(swap), 1)), axis=1)
    x = np.take_along_axis(x, perm[:, None, None, :], axis=3)
    xf = x.astype(np.float32) / np.float32(255.0) - np.float32(0.5)
    mean = xf.mean(axis=(1, 2, 3), keepdims=True)
    c = rng.uniform(0.45, 1.15, (len(x), 1, 1, 1)).astype(np.float32)
    b = rng.uniform(-0.12, 0.12, (len(x), 1, 1, 1)).astype(np.float32)
    return np.clip((xf - mean) * c + mean + b, -0.5, 0.5)


class Pools:
    """Where training windows come from: named pools, each drawn from at a fixed share of every batch."""

    def __init__(self) -> None:
        self.pools: list[tuple[float, Any]] = []

    def add(self, share: float, draw: Any) -> None:
        """``draw(k, rng)`` gives k windows (uint8 NHWC) and their labels."""
        self.pools.append((share, draw))

    def batch(self, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        total = sum(s for s, _ in self.pools)
        counts = [int(round(n * s / total)) for s, _ in self.pools]
        counts[0] += n - sum(counts)
        parts = [draw(k, rng) for k, (_, draw) in zip(counts, self.pools, strict=True) if k > 0]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def patch_windows(x: np.ndarray, y: np.ndarray, cells: np.ndarray, ctx: int) -> Any:
    """A pool of the patches' windows at ``cells`` (rows of patch, row, col), with ``ctx`` px around."""
    side = W + 2 * ctx

    def draw(k: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        rows = cells[rng.integers(0, len(cells), k)]
        win = np.stack([x[p, i * ST - ctx:i * ST - ctx + side, j * ST - ctx:j * ST - ctx + side] for p, i, j in rows])
        return win, y[rows[:, 0], rows[:, 1], rows[:, 2]]
    return draw


def array_pool(xs: np.ndarray, ys: np.ndarray) -> Any:
    def draw(k: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        idx = rng.integers(0, len(xs), k)
        return xs[idx], ys[idx]
    return draw


def train(layers: Layers, model: Model, pools: Pools, steps: int, lr: float, batch: int, seed: int,
          log: str) -> Model:
    import jax.numpy as jnp

    opt, step, _ = make_fns(layers, lr, steps)
    params, stats = model
    state = opt.init(params)
    rng = np.random.default_rng(seed)
    t0 = time.time()
    losses = []
    for s in range(steps):
        xb, yb = pools.batch(batch, rng)
        xb = augment(xb, yb, rng)
        params, stats, state, loss = step(params, stats, state, jnp.asarray(xb), jnp.asarray(yb.astype(np.int32)))
        losses.append(float(loss))
        if (s + 1) % 500 == 0 or s + 1 == steps:
            print(f"{log} step {s + 1}/{steps}: loss {np.mean(losses):.4f} ({time.time() - t0:.0f} s)", flush=True)
            losses = []
    return params, stats


def evaluate(layers: Layers, model: Model, x: np.ndarray, y: np.ndarray, log: str) -> None:
    import jax.numpy as jnp

    _, _, predict = make_fns(layers, 1e-3, 10)
    xf = x.astype(np.float32) / np.float32(255.0) - np.float32(0.5)
    probs = np.concatenate([np.asarray(predict(*model, jnp.asarray(xf[i:i + 512]))).reshape(-1, len(cnn.CLASSES))
                            for i in range(0, len(x), 512)])
    y = y.reshape(-1)
    bg = probs[y == 0][:, 1:].max(axis=1)
    line = f"  {log}: background {len(bg)} >0.5 {np.mean(bg > 0.5):.4f} >0.9 {np.mean(bg > 0.9):.4f};"
    for c, name in enumerate(cnn.CLASSES[1:], start=1):
        sel = probs[y == c]
        line += f" {name} {np.mean(sel[:, c] > 0.5):.2f}/{np.mean(sel[:, c] > 0.9):.2f}"
    print(line, flush=True)


# ---------------------------------------------------------------- ONNX

def folded(model: Model) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each layer's weights (OIHW) and bias with its batch norm folded in."""
    params, stats = model
    out = []
    for i, (p, st) in enumerate(zip(params, stats, strict=True)):
        w, b = np.asarray(p["w"], np.float64), np.asarray(p["b"], np.float64)
        if i < len(params) - 1:
            k = np.asarray(p["g"], np.float64) / np.sqrt(np.asarray(st["var"], np.float64) + BN_EPS)
            w = w * k
            b = (b - np.asarray(st["mean"], np.float64)) * k + np.asarray(p["beta"], np.float64)
        out.append((np.ascontiguousarray(w.transpose(3, 2, 0, 1), np.float32), b.astype(np.float32)))
    return out


def export(layers: Layers, model: Model, path: Path, name: str) -> None:
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    nodes, inits = [], []
    prev = "x"
    weights = folded(model)
    for i, ((wt, b), (k, s, _, _, pool)) in enumerate(zip(weights, layers, strict=True)):
        inits += [numpy_helper.from_array(wt, f"w{i}"), numpy_helper.from_array(b, f"b{i}")]
        nodes.append(helper.make_node("Conv", [prev, f"w{i}", f"b{i}"], [f"conv{i}"], kernel_shape=[k, k],
                                      strides=[s, s]))
        prev = f"conv{i}"
        if i < len(weights) - 1:
            nodes.append(helper.make_node("Relu", [prev], [f"relu{i}"]))
            prev = f"relu{i}"
            if pool:
                nodes.append(helper.make_node("MaxPool", [prev], [f"pool{i}"], kernel_shape=[2, 2], strides=[2, 2]))
                prev = f"pool{i}"
    nodes.append(helper.make_node("Softmax", [prev], ["p"], axis=1))
    graph = helper.make_graph(
        nodes, name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 3, "h", "w"])],
        [helper.make_tensor_value_info("p", TensorProto.FLOAT, ["n", len(cnn.CLASSES), "rows", "cols"])], inits)
    onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="symbols_train")
    onnx_model.ir_version = 8
    onnx.checker.check_model(onnx_model)
    path.write_bytes(onnx_model.SerializeToString())
    cnn._NETS.pop(path, None)


def check_export(layers: Layers, model: Model, path: Path, x: np.ndarray) -> float:
    import jax.numpy as jnp

    _, _, predict = make_fns(layers, 1e-3, 10)
    ref = np.asarray(predict(*model, jnp.asarray(x.astype(np.float32) / np.float32(255.0) - np.float32(0.5))))
    got = cnn.net(path)(cnn.to_input(x)).transpose(0, 2, 3, 1)
    return float(np.abs(ref - got).max())


# ---------------------------------------------------------------- the proposer's examples on whole pictures

def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    small = min(a[2] * a[3], b[2] * b[3])
    return ix * iy / small if small > 0 else 0.0


def label(box: tuple[int, int, int, int], shown: list[tuple[str, tuple[float, float, float, float]]]) -> int:
    """A proposal's class by where the symbols were drawn: the symbol when the window is centred on it at its
    scale, background when it is off every symbol, -1 (left out) in between."""
    px, py = box[0] + box[2] / 2, box[1] + box[3] / 2
    for name, (x, y, w, h) in shown:
        size = max(w, h)
        d = np.hypot(px - (x + w / 2), py - (y + h / 2)) / size
        if d <= 0.25 and 0.7 <= box[2] / size <= 1.45:
            return cnn.CLASSES.index(name)
        if _overlap(box, (x, y, w, h)) > 0.1:
            return -1
    return 0


def _scenes(n: int, seed: int) -> Any:
    """The ``n`` rendered pictures of ``seed`` (half with symbols), drawn one after another from one generator."""
    rng = np.random.default_rng(seed)
    for k in range(n):
        yield render.scene(rng, positive=k % 2 == 0)


def _fresh_networks() -> None:
    """In a worker process: the networks are loaded again, not shared with the parent's sessions."""
    cnn._NETS.clear()


def _proposals(scene: tuple[np.ndarray, list[Any]]) -> tuple[np.ndarray, np.ndarray]:
    """The proposer's proposals (with context) in one rendered picture, labelled by where its symbols are."""
    img, shown = scene
    pyramid = cnn.levels(img)
    props = cnn.propose(pyramid, limit=2 * cnn.MAX_PROPOSALS)
    if not props:
        return np.zeros((0, W + 2 * CTX, W + 2 * CTX, 3), np.uint8), np.zeros(0, np.int8)
    labels = np.array([label(cnn.box_of(pyramid, q), shown) for q in props], np.int8)
    keep = labels >= 0
    return cnn.crops(pyramid, props)[keep], labels[keep]


def mine(n: int, seed: int, jobs: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The proposer's proposals (with context) over ``n`` rendered pictures, half of them with symbols,
    labelled. The pictures are drawn here, in order, from one generator; ``jobs`` processes run the proposer on
    them, and their results are put back in the pictures' order, so the examples do not depend on ``jobs``."""
    from multiprocessing import get_context

    if jobs <= 1:
        parts = [_proposals(s) for s in _scenes(n, seed)]
    else:
        with get_context("fork").Pool(jobs, initializer=_fresh_networks) as pool:
            parts = list(pool.imap(_proposals, _scenes(n, seed), chunksize=8))
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _near_misses(task: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """The shape stage's near misses in rendered picture ``k`` of ``seed`` (half with symbols), as the
    verifier sees them (:func:`repostguard.media.symbols.verify.crop`), labelled by where the symbols were
    drawn; its hits too (the network must not undo them)."""
    from repostguard.media.symbols import WORK_SIDE, shapes

    seed, k = task
    rng = np.random.default_rng([seed, k])
    img, shown = render.scene(rng, positive=k % 2 == 0)
    h, w = img.shape[:2]
    scale = min(1.0, WORK_SIDE / max(h, w))
    work = img if scale == 1.0 else cv2.resize(img, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    blobs = sorted((b for b in shapes.find_blobs(work, keep_all=True)
                    if b.best in verify.CONFIRMS and b.score >= MINE_FLOOR), key=lambda b: -b.score)
    kept: list[Any] = []
    for b in blobs:
        if not any(shapes.box_iou(b, o) > verify.SAME_PLACE for o in kept):
            kept.append(b)
    xs, ys = [], []
    for b in kept[:MINE_PER_PICTURE]:
        box = (round(b.x / scale), round(b.y / scale), round(b.w / scale), round(b.h / scale))
        c = label(box, shown)
        if c >= 0:
            xs.append(verify.crop(work, (b.x, b.y, b.w, b.h)))
            ys.append(c)
    if not xs:
        return np.zeros((0, verify.SIDE, verify.SIDE, 3), np.uint8), np.zeros(0, np.int8)
    return np.stack(xs), np.array(ys, np.int8)


def mine_shapes(n: int, seed: int, jobs: int) -> tuple[np.ndarray, np.ndarray]:
    """The shape stage's near misses over ``n`` rendered pictures, in ``jobs`` processes."""
    from multiprocessing import get_context

    with get_context("fork").Pool(jobs) as pool:
        parts = pool.map(_near_misses, [(seed, k) for k in range(n)], chunksize=16)
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def check(n: int, seed: int) -> None:
    """The package's cascade (shape stage, then the verifier on its near misses) over ``n`` rendered pictures
    with symbols and ``n`` without: per symbol, the share found and the share of pictures without it where it
    fired."""
    from repostguard.media.symbols import detect_symbols

    rng = np.random.default_rng(seed)
    names = cnn.CLASSES[1:]
    found, shown_n, fired = dict.fromkeys(names, 0), dict.fromkeys(names, 0), dict.fromkeys(names, 0)
    cpu = 0.0
    for k in range(2 * n):
        positive = k % 2 == 0
        img, shown = render.scene(rng, positive=positive)
        t = time.process_time()
        seen = {h.symbol for h in detect_symbols(img)}
        cpu += time.process_time() - t
        for s, _ in shown:
            shown_n[s] += 1
            found[s] += s in seen
        if not positive:
            for s in seen:
                fired[s] += 1
    print(f"rendered check: {n} pictures with symbols, {n} without; CPU {cpu / (2 * n):.3f} s/picture")
    for s in names:
        print(f"{s:14s} found {found[s]:4d}/{shown_n[s]:<4d} fired in {fired[s]}/{n} without")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--patches", type=int, default=80_000)
    ap.add_argument("--steps", type=int, default=3000, help="proposer training steps")
    ap.add_argument("--scenes", type=int, default=3000, help="rendered pictures mined for hard examples")
    ap.add_argument("--mine", choices=("proposer", "shapes"), default="proposer",
                    help="where the verifier's hard examples come from: the proposer's windows, or the shape "
                         "stage's near misses (no proposer is trained)")
    ap.add_argument("--jobs", type=int, default=2,
                    help="processes mining the hard examples (the examples do not depend on it)")
    ap.add_argument("--verify-steps", type=int, default=4000)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--seed", type=int, default=24)
    ap.add_argument("--cache", type=Path, default=None, help="keep rendered patches here")
    ap.add_argument("--skip-proposer", action="store_true", help="keep the proposer that is there")
    ap.add_argument("--check", type=int, default=0, help="only check the exported networks on N+N pictures")
    ap.add_argument("--out-dir", type=Path, default=verify.MODEL.parent, help="where the verifier goes (and is read)")
    ap.add_argument("--proposer", type=Path, default=cnn.PROPOSER, help="where the proposer goes (and is read)")
    args = ap.parse_args()
    cnn.PROPOSER = args.proposer
    cnn.PROPOSER.parent.mkdir(parents=True, exist_ok=True)
    verifier = args.out_dir / verify.MODEL.name
    verify.NETWORK = verify._Network(verifier)
    if args.check:
        check(args.check, args.seed + 1000)
        return
    c0, w0 = time.process_time(), time.time()
    x, y = render_patches(args.patches, args.seed, args.cache)
    print(f"rendered {len(x)} patches: {time.process_time() - c0:.0f} s CPU", flush=True)
    n_val = max(1000, len(x) // 40)
    xv, yv, x, y = x[:n_val], y[:n_val], x[n_val:], y[n_val:]
    has = (y > 0).any(axis=(1, 2))
    pos = np.argwhere(y > 0)
    beside = np.argwhere(y == 0)
    beside = beside[has[beside[:, 0]]]
    empty = np.argwhere(np.broadcast_to(~has[:, None, None], y.shape))
    inner = empty[(empty[:, 1] >= 1) & (empty[:, 1] <= 2) & (empty[:, 2] >= 1) & (empty[:, 2] <= 2)]
    if not args.skip_proposer and args.mine == "proposer":
        pools = Pools()
        pools.add(0.45, patch_windows(x, y, pos, 0))
        pools.add(0.15, patch_windows(x, y, beside, 0))
        pools.add(0.4, patch_windows(x, y, empty, 0))
        model = train(PROPOSER, init(PROPOSER, args.seed), pools, args.steps, args.lr, args.batch, args.seed,
                      "proposer")
        evaluate(PROPOSER, model, xv, yv, "proposer")
        export(PROPOSER, model, cnn.PROPOSER, "symbols-proposer")
        print(f"proposer exported, differs from jax by {check_export(PROPOSER, model, cnn.PROPOSER, xv[:8]):.1e} "
              f"({time.process_time() - c0:.0f} s CPU)", flush=True)
    if args.mine == "proposer":
        sx, sy = mine(args.scenes, args.seed + 1, args.jobs)
    else:
        sx, sy = mine_shapes(args.scenes, args.seed + 1, args.jobs)
    print(f"mined {len(sx)} {args.mine} examples, {int((sy > 0).sum())} on symbols ({time.process_time() - c0:.0f} s "
          f"CPU here, {time.time() - w0:.0f} s wall)", flush=True)
    pools = Pools()
    pools.add(0.3, patch_windows(x, y, pos, CTX))
    pools.add(0.1, array_pool(sx[sy > 0], sy[sy > 0]))
    pools.add(0.45, array_pool(sx[sy == 0], sy[sy == 0]))
    pools.add(0.15, patch_windows(x, y, inner, CTX))
    model = train(VERIFIER, init(VERIFIER, args.seed + 5), pools, args.verify_steps, args.lr, args.batch,
                  args.seed + 6, "verifier")
    vpos = np.argwhere(yv > 0)
    vx = np.stack([xv[p, i * ST - CTX:i * ST + W + CTX, j * ST - CTX:j * ST + W + CTX] for p, i, j in vpos])
    evaluate(VERIFIER, model, vx, yv[vpos[:, 0], vpos[:, 1], vpos[:, 2]], "verifier (patch symbols)")
    export(VERIFIER, model, verifier, "symbols-verifier")
    print(f"verifier exported, differs from jax by {check_export(VERIFIER, model, verifier, vx[:8]):.1e}")
    print(f"done: {time.process_time() - c0:.0f} s CPU, {time.time() - w0:.0f} s wall")


if __name__ == "__main__":
    main()
