"""Matching pictures against imported hash banks (PDQ, Hamming distance <= 31 by default).

A picture's PDQ hash comes from the media pass (:func:`repostguard.media.prepare`), cached in
``media_cache``; pictures with a PDQ quality below 50 are not matched, nor are bank hashes of
such quality (they are dropped at import), as PDQ recommends.
"""

from __future__ import annotations

import numpy as np

from repostguard.banks.hashes import bank_version
from repostguard.media.hashing import MIN_PDQ_QUALITY, hamming_pdq, pdq_words
from repostguard.model import Evidence, Finding, Item
from repostguard.store import Store

DEFAULT_THRESHOLD = 31
MATCHER_VERSION = "hashes-1"


class HashMatcher:
    """Finds pictures of items that are copies of pictures in the imported hash banks.

    Parameters: ``store`` (its banks and media cache are read once, at construction),
    ``threshold`` (largest PDQ distance that is a match), ``min_quality``.
    """

    bank = "hashes"
    version = MATCHER_VERSION

    def __init__(self, store: Store, threshold: int = DEFAULT_THRESHOLD,
                 min_quality: int = MIN_PDQ_QUALITY) -> None:
        self.threshold = int(threshold)
        self.min_quality = int(min_quality)
        self.list_version = bank_version(store)
        rows = list(store.conn.execute("SELECT pdq, label, reference FROM hash_bank_entries ORDER BY id"))
        self._labels = [str(r[1]) for r in rows]
        self._refs = [str(r[2]) for r in rows]
        self._bank = pdq_words([str(r[0]) for r in rows])
        self._store = store
        # the pictures' hashes are read at the first match, so a matcher made before the media
        # pass of the same scan (which fills the cache) still sees them
        self._by_path: dict[str, tuple[str, int]] | None = None
        self._fetched: dict[str, str] = {}

    def _load_pictures(self) -> dict[str, tuple[str, int]]:
        by_path: dict[str, tuple[str, int]] = {}
        conn = self._store.conn
        for p, h, q in conn.execute(
            "SELECT f.path, c.pdq, c.pdq_quality FROM media_files f"
            " JOIN media_cache c ON c.sha256 = f.sha256 WHERE c.status = 'ok' AND c.pdq IS NOT NULL"
        ):
            by_path[str(p)] = (str(h), int(q or 0))
        self._fetched = self._store.fetched_photos()
        return by_path

    @property
    def entries(self) -> int:
        return len(self._refs)

    def match(self, item: Item, extra_texts: list[tuple[str, str]] | None = None) -> list[Finding]:
        """Findings for the pictures of ``item`` within the threshold of a bank hash (best per reference)."""
        if not self._refs:
            return []
        if self._by_path is None:
            self._by_path = self._load_pictures()
        best: dict[str, tuple[int, int, str]] = {}  # reference -> (distance, attachment index, path)
        labels: dict[str, str] = {}
        for i, a in enumerate(item.attachments):
            if a.type != "photo":
                continue
            path = a.path or (self._fetched.get(a.url) if a.url else None)
            if not path:
                continue
            h = self._by_path.get(path)
            if h is None or h[1] < self.min_quality:
                continue
            q = pdq_words([h[0]])[0]
            dist = hamming_pdq(q, self._bank)
            for k in np.nonzero(dist <= self.threshold)[0].tolist():
                ref, d = self._refs[k], int(dist[k])
                if ref not in best or d < best[ref][0]:
                    best[ref] = (d, i, path)
                    labels[ref] = self._labels[k]
        out: list[Finding] = []
        for ref, (d, i, path) in sorted(best.items(), key=lambda kv: kv[1][0]):
            label = labels[ref]
            out.append(Finding(
                item_id=item.id,
                item_ref=item.ref,
                bank=self.bank,
                entry=ref,
                level="distribution",
                signal="image-hash",
                score=round(1.0 - d / 256.0, 3),
                evidence=Evidence(field=f"attachments[{i}].path", text=f"{path} (PDQ distance {d})",
                                  matched=label),
                explanation_ru=(f"Картинка совпадает с изображением из банка хэшей: «{label}» ({ref}); "
                                f"расстояние PDQ {d} из 256 (порог {self.threshold})."),
                explanation_en=(f"The picture matches a picture in the hash bank: \u201c{label}\u201d "
                                f"({ref}); "
                                f"PDQ distance {d} of 256 (threshold {self.threshold})."),
                list_version=self.list_version,
            ))
        return out
