"""Checks only the AUE star must pass, read off the polar grid of its silhouette (:mod:`.shapes`): rows are rings
from the centre out, columns angles."""

from __future__ import annotations

import numpy as np

#: an AUE star's silhouette has this many points at least (four- to six-pointed stars have fewer)
MIN_STAR_POINTS = 7
#: an AUE star's points taper to their tips, so its silhouette fills its outer rings (85-100 % of its radius) at most
#: this share of what it fills of its middle rings (40-60 %): about 0.1 for a star, whose points narrow as 1 - r;
#: spokes of one width (an asterisk) narrow in angle only as 1 / r, about 0.55 (:func:`tapers`)
MAX_TIP_FILL = 0.3


def star_points(grid: np.ndarray) -> int:
    """How many points a silhouette's polar grid shows: local maxima of its fill along each ray
    that stand out from the troughs between them."""
    n_t = grid.shape[1]
    prof = grid.sum(axis=0)
    prof = np.convolve(np.concatenate([prof[-2:], prof, prof[:2]]), np.ones(3) / 3, mode="same")[2:-2]
    lo, hi = float(prof.min()), float(prof.max())
    if hi - lo < 1e-6:
        return 0
    level = lo + 0.25 * (hi - lo)
    count = 0
    for j in range(n_t):
        window = prof[[(j + d) % n_t for d in range(-3, 4)]]
        if prof[j] >= level and prof[j] == window.max() and prof[j] > prof[(j - 1) % n_t]:
            count += 1
    return count


def tapers(grid: np.ndarray) -> bool:
    """Whether a silhouette's polar grid narrows toward its rim as a star's points do (:data:`MAX_TIP_FILL`)."""
    n_r = grid.shape[0]
    fill = grid.mean(axis=1)
    middle = float(fill[int(0.4 * n_r):int(0.6 * n_r)].mean())
    return middle > 0 and float(fill[int(0.85 * n_r):].mean()) <= MAX_TIP_FILL * middle
