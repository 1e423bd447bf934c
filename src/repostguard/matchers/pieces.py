"""Finding every occurrence of a set of text pieces at once (Aho-Corasick), shared by the
organisation prefilter and the re-check."""

from __future__ import annotations

from collections.abc import Iterator

import ahocorasick_rs

#: pieces shorter than this are too common to pick candidates
MIN_PIECE = 4
#: delimits the names segment of an item's compact text (audio titles, repost source); compact text never holds it
NAME_MARK = "\x02"


class PieceFinder:
    """Every occurrence of a set of text pieces, overlapping ones included (Aho-Corasick).

    Texts are searched as bytes, UTF-8 unless ``encoding`` names another: given a ``str``,
    ahocorasick_rs keeps a map from byte to character offsets as large as the text (about 90 MB more
    at peak for the 6-million-character text of a 100,000-item re-check).
    """

    def __init__(self, pieces: list[str], encoding: str = "utf-8") -> None:
        self.pieces = pieces
        # a piece the encoding cannot hold becomes "?", which normalised text never holds
        self._auto = ahocorasick_rs.BytesAhoCorasick(
            [p.encode(encoding, "replace") for p in pieces], implementation=ahocorasick_rs.Implementation.ContiguousNFA
        )

    def find(self, data: bytes) -> Iterator[tuple[str, int]]:
        """(piece, byte offset where it starts in ``data``, UTF-8) for each occurrence."""
        p = self.pieces
        return ((p[i], s) for i, s, _e in self._auto.find_matches_as_indexes(data, overlapping=True))

    def matches(self, data: bytes) -> list[tuple[int, int, int]]:
        """``(index in pieces, start, end)`` of each occurrence in ``data`` (bytes offsets)."""
        return self._auto.find_matches_as_indexes(data, overlapping=True)  # type: ignore[no-any-return]

    def indexes(self, data: bytes) -> Iterator[int]:
        """The index in :attr:`pieces` of the piece of each occurrence in ``data``."""
        return (i for i, _s, _e in self._auto.find_matches_as_indexes(data, overlapping=True))


def piece_finder(pieces: list[str], min_len: int = MIN_PIECE) -> PieceFinder | None:
    """A finder of the distinct ``pieces`` of ``min_len`` characters or more (None if none)."""
    kept = sorted({p for p in pieces if len(p) >= min_len})
    return PieceFinder(kept) if kept else None
