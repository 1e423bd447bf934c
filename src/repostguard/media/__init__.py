"""The media stage: text in pictures (OCR), perceptual hashes, hash banks, near-duplicates.

This package's ``__init__`` imports nothing heavy: :mod:`repostguard.store.migrations`
imports :mod:`repostguard.media.schema` while the store itself is still loading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from repostguard.store import Store


def prepare(store: Store, *, progress: bool, notes: list[str], jobs: int | None = None
            ) -> dict[str, list[tuple[str, str]]]:
    """OCR and hash every photo of the store (cached); item id -> [(field, OCR text), ...].

    See :func:`repostguard.media.pipeline.prepare`.
    """
    from repostguard.media.pipeline import prepare as _prepare

    return _prepare(store, progress=progress, notes=notes, jobs=jobs)


def near_duplicate_groups(store: Store) -> dict[str, str]:
    """Item id -> group id for items sharing a picture (same meme posted several times).

    See :func:`repostguard.media.groups.near_duplicate_groups`.
    """
    from repostguard.media.groups import near_duplicate_groups as _groups

    return _groups(store)


__all__ = ["prepare", "near_duplicate_groups"]
