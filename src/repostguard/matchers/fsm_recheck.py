"""The FSM as a kind of installed list (:class:`repostguard.matchers.base.ListKind`): its bank,
and for a recheck the matcher of its changed entries with the pieces that pick candidate items.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from repostguard.banks.fsm import FsmList, load_fsm
from repostguard.errors import UserError
from repostguard.matchers.base import ListBank, Matcher
from repostguard.matchers.fsm import MATCHER_VERSION, FsmMatcher
from repostguard.matchers.normalize import compact
from repostguard.matchers.pages import recheck_pieces
from repostguard.matchers.pieces import MIN_PIECE, NAME_MARK, piece_finder
from repostguard.matchers.quotes import extract_quotes

CHUNK = 12
STRIDE = 6
MAX_DF = 2
SHARE_LIMIT = 13  # above MAX_CHUNK_DF of the FSM matcher


class FsmKind:
    """The Federal List of Extremist Materials, installed by ``lists update``."""

    baseline_from_scans = True

    def installed(self) -> list[ListBank]:
        try:
            fsm, meta = load_fsm(None)
        except UserError:
            return []
        rows = [
            (
                str(e.number),
                e.text,
                e.included.isoformat() if e.included else None,
                e.excluded,
                e.court_decision,
                e.decision_date.isoformat() if e.decision_date else None,
            )
            for e in fsm.entries
        ]
        return [ListBank("fsm", fsm.version, fsm.sha256, meta.get("source"), meta.get("fetched_at"), rows,
                         MATCHER_VERSION, fsm, self)]

    def verifier(self, bank: ListBank, wanted: set[str], full: bool, cache: Path | None
                 ) -> tuple[Matcher, list[str]]:
        matcher = _fsm_verifier(bank.payload, wanted, cache, full)
        pieces = [] if full else [p for p in _fsm_pieces(bank.payload, matcher, wanted) if len(p) >= MIN_PIECE]
        return matcher, pieces


def _fsm_verifier(fsm: Any, wanted: set[str], cache: Path | None, full: bool) -> Any:
    """The FSM matcher that verifies candidates.

    The full list's matcher when it is cached (or every entry changed); otherwise one built from
    the changed entries plus, for each of their quotes, up to ``SHARE_LIMIT`` other entries whose
    text contains it: the full matcher treats a quote that many entries share as a slogan or a
    common name (not evidence of one material), and the smaller matcher must see the same.
    """
    if full or (cache is not None and (cache / f"fsm-{fsm.sha256[:16]}-{MATCHER_VERSION}.pickle").exists()):
        return FsmMatcher.cached(fsm, cache)
    keep = {int(k) for k in wanted}
    quotes: set[str] = set()
    for e in fsm.active:
        if e.number in keep:
            quotes |= {c for c in (compact(q) for q, _s in extract_quotes(e.text)) if len(c) >= 2}
    auto = piece_finder(list(quotes), min_len=2)
    if auto is not None:
        sharing: dict[str, int] = {}
        for e in fsm.active:
            if e.number in keep:
                continue
            for q in {piece for piece, _start in auto.find(compact(e.text).encode())}:
                if sharing.get(q, 0) < SHARE_LIMIT:
                    sharing[q] = sharing.get(q, 0) + 1
                    keep.add(e.number)
    sub = FsmList(
        entries=[e for e in fsm.entries if e.number in keep], sha256=fsm.sha256, encoding=fsm.encoding
    )
    return FsmMatcher(sub)


def _fsm_pieces(fsm: Any, verifier: Any, wanted: set[str]) -> list[str]:
    """Rare character chunks of the changed entries' quotes and links, in :func:`compact` form."""
    per_quote: list[list[str]] = []
    want = {int(k) for k in wanted}
    names: list[str] = []
    for q in verifier.quotes.values():
        if want.isdisjoint(q.entries):
            continue
        c = q.compact
        if not q.strong:
            # the matcher looks for these (page, band and short titles) only as a whole audio title,
            # "performer title" or repost source name: the names segment of the item's compact text
            names.append(f"{NAME_MARK}{c}{NAME_MARK}")
            continue
        if len(c) <= CHUNK:
            per_quote.append([c])
        else:
            per_quote.append([c[i : i + CHUNK] for i in range(0, len(c) - CHUNK + 1, STRIDE)] + [c[-CHUNK:]])
    # how many entries of the whole list contain each chunk: common chunks ("россиядл…") would make
    # most items candidates, so each quote keeps its rare chunks (or, if it has none, its rarest two)
    df: dict[str, int] = {}
    auto = piece_finder([p for ps in per_quote for p in ps])
    if auto is not None:
        big = "\x00".join(verifier.entry_compact.get(e.number) or compact(e.text) for e in fsm.active)
        for v, _start in auto.find(big.encode()):
            df[v] = df.get(v, 0) + 1
    pieces: list[str] = list(names)
    for ps in per_quote:
        rare = [p for p in ps if df.get(p, 0) <= MAX_DF]
        pieces += rare or sorted(ps, key=lambda p: df.get(p, 0))[:2]
    # a like, comment, bookmark, subscription or repost tied to a page an entry names: the page's number
    # or name in the item's address, source or text

    pieces += recheck_pieces(verifier.pages, want)
    for key, numbers in [*verifier.url_index.items(), *verifier.site_index.items()]:
        if want.isdisjoint(numbers):
            continue
        host, _, path = key.partition("/")
        pieces.append(compact(path) if path else compact(host.rsplit(".", 1)[0]))
    for n in want:  # audio entries are matched on performer + title: take the entry's own rare chunks
        c = verifier.entry_compact.get(n, "")
        if c and n not in {e for q in verifier.quotes.values() for e in q.entries}:
            pieces += [c[i : i + CHUNK] for i in range(0, max(1, len(c) - CHUNK + 1), CHUNK * 2)][:6]
    return pieces
