"""Near-duplicate groups: the same meme posted or reposted several times is one group.

Pictures are compared by their 64-bit dHash (cheap, robust to recompression and resizing).
Candidate pairs are found with the pigeonhole trick (two hashes within distance 7 share at
least one of their 8 bytes), then confirmed by the full distance. Two guards keep different
memes apart: pictures too plain to hash meaningfully (PDQ quality < 50) are never grouped,
and two pictures that both hold text are grouped only if their OCR texts are alike (the same
template with a different caption is not the same meme).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from repostguard.media.hashing import MIN_PDQ_QUALITY, hamming_hex, hex64_words
from repostguard.pipeline.media import photo_refs
from repostguard.store import Store

#: largest dHash distance (of 64) for two pictures to be the same picture
DHASH_THRESHOLD = 7
#: largest PDQ distance (of 256) as a second check, when both PDQ hashes are known
PDQ_THRESHOLD = 70
#: smallest OCR text similarity (0-100) when both pictures hold text
TEXT_SIMILARITY = 60


class _DSU:
    def __init__(self, n: int) -> None:
        self.p = list(range(n))

    def find(self, a: int) -> int:
        while self.p[a] != a:
            self.p[a] = self.p[self.p[a]]
            a = self.p[a]
        return a

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[max(ra, rb)] = min(ra, rb)


def _norm(text: str) -> str:
    return " ".join("".join(ch.lower() if ch.isalnum() else " " for ch in text).split())


def _texts_alike(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    na, nb = _norm(a), _norm(b)
    if not na or not nb:
        return True
    return fuzz.token_set_ratio(na, nb) >= TEXT_SIMILARITY


def picture_groups(hashes: list[tuple[str, str, str, int]]) -> list[list[int]]:
    """Groups (indices, 2 or more) of pictures given as ``(dhash, pdq, ocr_text, pdq_quality)``."""
    n = len(hashes)
    if n < 2:
        return []
    words = hex64_words([h[0] for h in hashes])
    bytes_ = words.view(np.uint8).reshape(n, 8)
    dsu = _DSU(n)
    checked: set[tuple[int, int]] = set()
    for col in range(8):
        buckets: dict[int, list[int]] = defaultdict(list)
        for i, v in enumerate(bytes_[:, col].tolist()):
            buckets[v].append(i)
        for members in buckets.values():
            if len(members) < 2:
                continue
            m = np.array(members)
            sub = words[m]
            for a_pos in range(len(members) - 1):
                d = np.bitwise_count(np.bitwise_xor(sub[a_pos + 1 :], sub[a_pos]))
                for off in np.nonzero(d <= DHASH_THRESHOLD)[0].tolist():
                    i, j = members[a_pos], members[a_pos + 1 + off]
                    key = (min(i, j), max(i, j))
                    if key in checked:
                        continue
                    checked.add(key)
                    if _confirm(hashes[i], hashes[j]):
                        dsu.union(i, j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[dsu.find(i)].append(i)
    return [g for g in groups.values() if len(g) > 1]


def _confirm(a: tuple[str, str, str, int], b: tuple[str, str, str, int]) -> bool:
    if a[3] < MIN_PDQ_QUALITY or b[3] < MIN_PDQ_QUALITY:
        return False
    if a[1] and b[1] and hamming_hex(a[1], b[1]) > PDQ_THRESHOLD:
        return False
    return _texts_alike(a[2], b[2])


def near_duplicate_groups(store: Store) -> dict[str, str]:
    """Item id -> group id for every item whose picture also appears in another item.

    The group id is ``"pic-"`` plus the first 12 hex digits of the sha256 of the group's first
    picture; items in no group are left out. Needs the media pass (``prepare``) to have run.
    """
    refs = photo_refs(store)
    if not refs:
        return {}
    sha_by_path = {r[0]: r[1] for r in store.conn.execute("SELECT path, sha256 FROM media_files")}
    info = {r[0]: (r[1], r[2] or "", r[3] or "", int(r[4] or 0)) for r in store.conn.execute(
        "SELECT sha256, dhash, pdq, ocr_text, pdq_quality FROM media_cache"
        " WHERE status='ok' AND dhash IS NOT NULL")}
    shas: list[str] = sorted({s for r in refs if (s := sha_by_path.get(r.path)) is not None and s in info})
    index = {s: k for k, s in enumerate(shas)}
    items_of: dict[int, set[str]] = defaultdict(set)
    for r in refs:
        s = sha_by_path.get(r.path)
        if s in index:
            items_of[index[s]].add(r.item_id)
    dsu = _DSU(len(shas))
    for g in picture_groups([info[s] for s in shas]):
        for k in g[1:]:
            dsu.union(g[0], k)
    members: dict[int, set[str]] = defaultdict(set)
    for k in range(len(shas)):
        members[dsu.find(k)] |= items_of[k]
    out: dict[str, str] = {}
    for root, item_ids in members.items():
        if len(item_ids) < 2:
            continue
        gid = f"pic-{shas[root][:12]}"
        for iid in sorted(item_ids):
            out.setdefault(iid, gid)
    return out
