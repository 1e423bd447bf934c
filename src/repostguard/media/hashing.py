"""Perceptual hashes: PDQ (256 bits, for hash banks) and dHash (64 bits, for near-duplicates).

PDQ hex strings follow the reference implementation (and ThreatExchange hash lists): 64 hex
digits, most significant word first. Both hashes are computed on the half-scale decode (see
shared/docs/perf-baselines.md: PDQ drifts a median 8 bits of 256 from the full decode, far
below the match threshold of 31).
"""

from __future__ import annotations

import re

import cv2
import numpy as np

PDQ_HEX = re.compile(r"^[0-9a-fA-F]{64}$")
#: PDQ's own recommendation: hashes of quality below this are too featureless to match on
MIN_PDQ_QUALITY = 50


def pdq(rgb: np.ndarray) -> tuple[str, int]:
    """PDQ hash (64 hex digits) and quality (0-100) of an RGB uint8 picture."""
    import pdqhash

    vec, quality = pdqhash.compute(np.ascontiguousarray(rgb))
    return np.packbits(vec.astype(np.uint8)).tobytes().hex(), int(quality)


def dhash(gray: np.ndarray) -> str:
    """64-bit difference hash (16 hex digits) of a grayscale picture."""
    small = cv2.resize(gray, (9, 8), interpolation=cv2.INTER_AREA).astype(np.int16)
    bits = (small[:, 1:] > small[:, :-1]).flatten().astype(np.uint8)
    return np.packbits(bits).tobytes().hex()


def pdq_words(hexes: list[str]) -> np.ndarray:
    """PDQ hex strings as an (N, 4) uint64 array (big-endian words), for fast Hamming search."""
    if not hexes:
        return np.zeros((0, 4), np.uint64)
    raw = np.frombuffer(bytes.fromhex("".join(hexes)), dtype=">u8").reshape(len(hexes), 4)
    return raw.astype(np.uint64)


def hex64_words(hexes: list[str]) -> np.ndarray:
    """16-hex-digit hashes as an (N,) uint64 array."""
    if not hexes:
        return np.zeros((0,), np.uint64)
    return np.frombuffer(bytes.fromhex("".join(hexes)), dtype=">u8").astype(np.uint64)


def hamming_pdq(query: np.ndarray, bank: np.ndarray) -> np.ndarray:
    """Hamming distances (uint16) from one query (4,) uint64 to every row of ``bank`` (N, 4).

    Column at a time, accumulated, as measured fastest in perf-baselines.md.
    """
    dist = np.zeros(bank.shape[0], np.uint16)
    for c in range(4):
        dist += np.bitwise_count(np.bitwise_xor(bank[:, c], query[c])).astype(np.uint16)
    return dist


def hamming_hex(a: str, b: str) -> int:
    """Hamming distance between two hex strings of the same length."""
    return int(bin(int(a, 16) ^ int(b, 16)).count("1"))
