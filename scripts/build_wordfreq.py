#!/usr/bin/env python3
"""Build ``src/repostguard/matchers/wordfreq.tsv.gz``: the 30,000 commonest word forms of ordinary Russian
with their counts, from public-domain literature (the RusLit collection: see bench/negatives/README.md for
where it comes from). The organisation prefilter uses it to pick, for each name, the word whose start is
rarest in ordinary text (docs/organisations.md).

    .venv/bin/python scripts/build_wordfreq.py /work/ruslit/data/RusLit
"""

from __future__ import annotations

import gzip
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from repostguard.matchers.normalize import norm  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "src" / "repostguard" / "matchers" / "wordfreq.tsv.gz"
WORD = re.compile(r"[а-яё]{2,}")
KEEP = 30_000


def main() -> None:
    root = Path(sys.argv[1])
    counts: Counter[str] = Counter()
    for path in sorted(root.rglob("*.txt")):
        counts.update(WORD.findall(norm(path.read_text(encoding="utf-8", errors="replace"))))
    top = sorted(counts.most_common(KEEP))
    body = "".join(f"{w}\t{n}\n" for w, n in top)
    head = (f"# the {KEEP} commonest word forms (normalised) of the RusLit public-domain collection, with counts;"
            f" {sum(counts.values())} words read\n")
    OUT.write_bytes(gzip.compress((head + body).encode("utf-8"), mtime=0))
    print(f"{OUT}: {len(top)} forms of {len(counts)}")


if __name__ == "__main__":
    main()
