"""How common a word start is in ordinary Russian: the counts of the 30,000 commonest word forms of a
public-domain literature collection (``wordfreq.tsv.gz``, built by ``scripts/build_wordfreq.py``).

The organisation prefilter asks it which word of a name starts the fewest ordinary words, so that word's
start can stand for the name (docs/organisations.md).
"""

from __future__ import annotations

import gzip
from bisect import bisect_left
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

FILE = Path(__file__).with_name("wordfreq.tsv.gz")


@lru_cache(maxsize=1)
def _table() -> tuple[list[str], list[int]]:
    words: list[str] = []
    counts: list[int] = []
    for line in gzip.decompress(FILE.read_bytes()).decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            w, n = line.split("\t")
            words.append(w)
            counts.append(int(n))
    return words, [0, *accumulate(counts)]


def prefix_count(prefix: str) -> int:
    """How many words of the collection start with ``prefix`` (normalised, lower case)."""
    words, sums = _table()
    lo = bisect_left(words, prefix)
    hi = bisect_left(words, prefix + "\uffff")
    return sums[hi] - sums[lo]
