"""The symbols bank: banned symbols written in an item's texts (:mod:`.symbols_text`) and shown in its
pictures (found by the media pass, :mod:`repostguard.media.symbols`, and kept in ``media_cache``).

One matcher for the bank, so an item gets at most one finding per symbol (the strongest, a picture's
when both show it). A picture's finding names the attachment, and its evidence carries the region
(``box``) and the picture's size, which the page, the report and the dossier draw as a frame.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from repostguard.i18n import t
from repostguard.matchers.gate import GateTerms
from repostguard.matchers.symbols_text import SymbolTextMatcher, load_table
from repostguard.media.symbols import DETECTOR_VERSION
from repostguard.model import Evidence, Finding, Item
from repostguard.store import Store

BANK = "symbols"
MATCHER_VERSION = f"symbols-2+{DETECTOR_VERSION}"


class SymbolMatcher:
    """Symbols in an item's texts and pictures.

    Parameters: ``store`` (the pictures' symbols are read from its media cache at the first match, so a
    matcher made before the media pass of the same scan sees them), ``text`` (the text matcher).
    """

    bank = BANK
    version = MATCHER_VERSION

    def __init__(self, store: Store | None, text: SymbolTextMatcher | None = None) -> None:
        self._text = text or SymbolTextMatcher()
        self.list_version = self._text.list_version
        self._store = store
        self._by_path: dict[str, tuple[list[list[Any]], int, int]] | None = None
        self._fetched: dict[str, str] = {}

    def _load(self) -> dict[str, tuple[list[list[Any]], int, int]]:
        out: dict[str, tuple[list[list[Any]], int, int]] = {}
        if self._store is None:
            return out
        conn = self._store.conn
        for path, sym, w, h in conn.execute(
            "SELECT f.path, c.symbols, c.width, c.height FROM media_files f JOIN media_cache c"
            " ON c.sha256 = f.sha256 WHERE c.status = 'ok' AND c.symbols IS NOT NULL AND c.symbols != '[]'"
        ):
            try:
                hits = json.loads(sym)
            except ValueError:
                continue
            out[str(path)] = (hits, int(w or 0), int(h or 0))
        self._fetched = self._store.fetched_photos()
        return out

    def gate_terms(self) -> GateTerms:
        """For the scan's text gate (:mod:`.gate`): the text matcher's terms, and every item with a picture."""
        return dataclasses.replace(self._text.gate_terms(), photos=True)

    def match(self, item: Item, extra_texts: list[tuple[str, str]] | None = None) -> list[Finding]:
        """The item's symbols: one finding per symbol, a picture's before a text's."""
        best: dict[str, Finding] = {}
        for i, a in enumerate(item.attachments):
            if a.type != "photo":
                continue
            if self._by_path is None:
                self._by_path = self._load()
            path = a.path or (self._fetched.get(a.url) if a.url else None)
            got = self._by_path.get(path) if path else None
            if not got:
                continue
            hits, w, h = got
            for sym, score, x, y, bw, bh in hits:
                if sym in best and best[sym].score >= score:
                    continue
                name = t(f"symbols.{sym}", "ru")
                best[sym] = Finding(
                    item_id=item.id, item_ref=item.ref, bank=BANK, entry=str(sym), level="distribution",
                    signal="symbol-picture", score=float(score),
                    evidence=Evidence(field=f"attachments[{i}].path", text=name, box=(x, y, bw, bh),
                                      size=(w, h) if w and h else None),
                    explanation_ru=t(f"symbols_picture.{sym}", "ru"),
                    explanation_en=t(f"symbols_picture.{sym}", "en"),
                    list_version=self.list_version,
                )
        for f in self._text.match(item, extra_texts):
            if f.entry not in best:
                best[f.entry] = f
        return list(best.values())


def matcher_factory(store: Store) -> SymbolMatcher:
    """The scan.EXTRA_MATCHERS factory (the table ships with the package)."""
    return SymbolMatcher(store, SymbolTextMatcher(load_table()))


__all__ = ["SymbolMatcher", "BANK", "MATCHER_VERSION", "matcher_factory"]
