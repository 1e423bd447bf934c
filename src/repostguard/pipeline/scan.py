"""The scan pipeline: import → (media signals) → match against the banks → findings.

Stages never change items; they write findings only. Each finding records the list version
and matcher version it was computed against.
"""

from __future__ import annotations

import gc
import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from repostguard.banks.fsm import FSM_LIST, FsmList, decision_date_of, load_fsm
from repostguard.banks.lifecycle import snapshot_in_use
from repostguard.banks.registry import LISTS
from repostguard.errors import UserError
from repostguard.findings.legal import contexts_for
from repostguard.importers.registry import detect
from repostguard.matchers.base import Matcher
from repostguard.matchers.fsm import MATCHER_VERSION, FsmMatcher
from repostguard.matchers.gate import TextGate
from repostguard.matchers.identity import IdentityMatcher
from repostguard.matchers.orgs import ORG_KINDS
from repostguard.matchers.orgs import matcher_factory as org_matcher_factory
from repostguard.matchers.statements import matcher_factory as statements_matcher_factory
from repostguard.matchers.symbols import matcher_factory as symbols_matcher_factory
from repostguard.model import LEVEL_RANK, Finding, Item
from repostguard.paths import atomic_write, cache_dir
from repostguard.pipeline.progress import Bars, ProgressListener, Teller, fan_out, told
from repostguard.store import ImportResult, Store


def media_dir_for(store: Store) -> Path | None:
    """The workspace's media folder (next to the database), for files extracted from archives."""
    if store.path is None:
        return None
    d = store.path.with_name(store.path.name + ".media")
    return d


def import_path(store: Store, path: Path,
                wrap: Callable[[Iterable[Item]], Iterator[Item]] | None = None,
                progress: bool = False, listen: ProgressListener | None = None) -> tuple[ImportResult, str]:
    """Detect the format of ``path``, verify it and import it in one transaction.

    ``wrap`` may look at the items as they stream into the store (the scan matches them there);
    ``listen`` hears the stages ``opening`` (detecting the format, verifying, reading the file's
    fingerprint: done and total in MB) and ``importing`` (the items); ``progress`` draws the same
    events as bars on standard error (when it is a terminal).
    """
    bars = Bars() if progress else None
    tell = fan_out(listen, bars)
    try:
        return _import(store, path, wrap, tell)
    finally:
        if bars is not None:
            bars.close()


def _import(store: Store, path: Path, wrap: Callable[[Iterable[Item]], Iterator[Item]] | None,
            listen: ProgressListener | None) -> tuple[ImportResult, str]:
    opening = Teller(listen, "opening") if listen is not None else None
    importer = detect(path, media_dir_for(store))
    if opening is not None:
        opening.tell()  # the format is known
    importer.verify()
    if opening is not None:
        opening.tell()
    sha = _file_sha256(path, opening) if path.is_file() else None
    items: Iterable[Item] = importer.iter_items()
    if wrap is not None:
        items = wrap(items)
    if listen is not None:
        items = told(items, "importing", listen)
    res = store.import_items(items, source=str(path), platform=importer.platform, sha256=sha,
                             importer_version=f"{type(importer).__name__}/{importer.version}")
    res.warnings[:0] = importer.warnings
    res.notes = list(importer.notes)
    if importer.warnings:
        with store.conn:
            store.conn.execute("UPDATE imports SET warnings=? WHERE id=?",
                               (json.dumps([str(w) for w in res.warnings], ensure_ascii=False), res.import_id))
    return res, importer.platform


def _file_sha256(path: Path, teller: Teller | None = None) -> str:
    """The file's SHA-256; ``teller`` hears the MB read (of the file's size in MB)."""
    h = hashlib.sha256()
    if teller is not None:
        teller.done, teller.total = 0, max(1, -(-path.stat().st_size // 2**20))
        teller.tell()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(2**20), b""):
            h.update(chunk)
            if teller is not None:
                teller.step()
    return h.hexdigest()


@dataclass
class ScanSummary:
    """What a scan did, for the one-line summary and the findings JSON."""

    items: int = 0
    findings: int = 0
    list_version: str = ""
    by_level: Counter[str] = field(default_factory=Counter)
    by_signal: Counter[str] = field(default_factory=Counter)
    items_flagged: int = 0
    seconds: float = 0.0
    imported: ImportResult | None = None
    json_out: Path | None = None
    notes: list[str] = field(default_factory=list)
    #: the provenance of each list the scan took from the package's snapshots (none of its kind installed)
    snapshots: list[dict[str, Any]] = field(default_factory=list)

    def line(self) -> str:
        lv = ", ".join(f"{k} {v}" for k, v in sorted(self.by_level.items(), key=lambda kv: LEVEL_RANK.get(kv[0], 9)))
        out = (f"scanned {self.items} items against {self.list_version} in {self.seconds:.1f} s: "
               f"{self.items_flagged} items flagged, {self.findings} findings ({lv or 'none'})")
        if self.json_out:
            out += f"; findings written to {self.json_out}"
        return out


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON to ``path`` via a temporary file, so a crash never leaves half a file."""
    atomic_write(path, json.dumps(data, ensure_ascii=False))  # dumps without indent runs in C


def finding_dict(f: Finding, item: Item, store: Store | None = None) -> dict[str, Any]:
    """A finding as written in the findings JSON (fields read by shared/bench/score.py, and ours).

    With ``store``, the finding also gets ``legal``: its severity and legal context
    (:mod:`repostguard.findings.legal`; the list entry's dates are read once per entry from the store).
    """
    d = {
        "item": item.ref,
        "bank": f.bank,
        "entry": int(f.entry) if f.entry.isdigit() else f.entry,
        "level": f.level,
        "signal": f.signal,
        "score": round(f.score, 3),
        "evidence": f.evidence.to_dict(),
        "explanation": {"ru": f.explanation_ru, "en": f.explanation_en},
        "list_version": f.list_version,
        "platform": item.platform,
        "native_id": item.native_id,
        "url": item.url,
        "kind": item.kind,
        "date": item.date,
    }
    if store is not None:
        d["legal"] = contexts_for(store)(legal_row(f, item))
    return d


def legal_row(f: Finding, item: Item) -> dict[str, Any]:
    """What :mod:`repostguard.findings.legal` reads of a finding and its item."""
    return {"bank": f.bank, "entry": f.entry, "level": f.level, "list_version": f.list_version, "score": f.score,
            "kind": item.kind, "date": item.date, "visibility": item.visibility, "author": item.author}


def _identity_matcher(store: Store) -> Matcher:
    return IdentityMatcher()


def _hash_matcher(store: Store) -> Matcher | None:
    from repostguard.matchers.hashes import HashMatcher  # deferred: loads numpy and OpenCV

    m = HashMatcher(store)
    return m if m.entries else None


#: the matchers of the banks other than the scan's list: each factory takes the store and returns a
#: :class:`~repostguard.matchers.base.Matcher`, or None when its bank is not available (no list
#: installed, no hashes imported); one line per bank
EXTRA_MATCHERS: list[Callable[[Store], Matcher | None]] = [
    _identity_matcher,
    _hash_matcher,
    *(org_matcher_factory(k) for k in ORG_KINDS),
    statements_matcher_factory,
    symbols_matcher_factory,
]


#: items matched together (see check_batch in run_scan)
MATCH_BATCH = 512


def build_matchers(store: Store, fsm_list: FsmList, provenance: dict[str, Any],
                   step: Callable[[], None] | None = None) -> list[Matcher]:
    """Every matcher that exists: the FSM list's (recorded in ``store`` with its entries, for the legal
    context and recheck), then each of :data:`EXTRA_MATCHERS` that is available. ``step`` is called
    after the list's entries, its index and each factory."""
    store.record_list("fsm", fsm_list.version, fsm_list.sha256, len(fsm_list.entries),
                      provenance.get("source"), provenance.get("fetched_at"))
    store.save_list_entries("fsm", fsm_list.version, entry_rows(fsm_list))
    if step is not None:
        step()
    matchers: list[Matcher] = [FsmMatcher.cached(fsm_list, cache_dir())]
    if step is not None:
        step()
    for factory in EXTRA_MATCHERS:
        m = factory(store)
        if step is not None:
            step()
        if m is not None:
            matchers.append(m)
    return matchers


def prebuild_index() -> None:
    """Build the matcher's index of the installed FSM list now (after ``lists update``), so the next
    scan starts at once; nothing when no list is installed."""
    try:
        lst, _meta = load_fsm(None)
    except UserError:
        return
    FsmMatcher.cached(lst, cache_dir())


def run_scan(db: Path, input_path: Path | None, *, fsm: Path | None = None, json_out: Path | None = None,
             ocr: bool = True, progress: bool = True, jobs: int | None = None,
             listen: ProgressListener | None = None) -> ScanSummary:
    """Import ``input_path`` (if any) into ``db`` and match every item against the FSM list.

    ``listen`` hears the stages (loading, opening, importing, pictures, matching, saving) and their
    counts; ``progress`` draws the same events as bars on standard error (when it is a terminal).
    """
    bars = Bars() if progress else None
    try:
        return _run_scan(db, input_path, fsm=fsm, json_out=json_out, ocr=ocr, jobs=jobs,
                         listen=fan_out(listen, bars) or _quiet)
    finally:
        gc.unfreeze()
        if bars is not None:
            bars.close()


def _quiet(stage: str, done: int, total: int | None) -> None:
    """A listener that hears nothing."""


def _run_scan(db: Path, input_path: Path | None, *, fsm: Path | None, json_out: Path | None, ocr: bool,
              jobs: int | None, listen: ProgressListener) -> ScanSummary:
    t0 = time.perf_counter()
    loading = Teller(listen, "loading", 3 + len(EXTRA_MATCHERS))  # the list, its entries, its index, the rest
    fsm_list, provenance = load_fsm(fsm)  # fail on a bad list before touching the store
    loading.step()
    summary = ScanSummary(list_version=fsm_list.version, snapshots=[
        snap for spec in LISTS.values() if (fsm is None or spec is not FSM_LIST) and (snap := snapshot_in_use(spec))])
    with Store.open(db) as store:
        matchers = build_matchers(store, fsm_list, provenance, loading.step)
        gate = TextGate.of(matchers[1:], cache_dir())  # every matcher but the FSM's
        # The matchers' indexes (millions of objects) live as long as the scan: the cyclic garbage collector
        # need not walk them at each of its full collections (which cost 0.2 s per 100,000 items with the
        # FSM list alone, 0.4 s with every list, and half that so); they go back to it when the scan ends.
        gc.freeze()
        suppressed = suppressions(store)
        findings: dict[str, list[Finding]] = {m.bank: [] for m in matchers}
        out: list[dict[str, Any]] = []
        flagged: set[str] = set()
        done: set[str] = set()  # ids already matched
        deferred: list[str] = []  # ids of imported items that wait for the picture stage
        deleted = store.deleted_ids()

        batch: list[tuple[Item, list[tuple[str, str]] | None]] = []

        def check_batch() -> None:
            # Each matcher runs over the whole batch in turn, so its index stays in the CPU's cache
            # (interleaving the matchers, and the import, item by item costs a third more).
            # The text gate tells, in one pass over the batch's normalised text (after the FSM, which has
            # normalised the texts), which items each matcher other than the FSM must read (matchers/gate.py).
            per_item: list[list[Finding]] = [[] for _ in batch]
            wanted: dict[int, list[int]] | None = None
            for matcher in matchers:
                if gate is None or not gate.screens(matcher):
                    for i, (item, texts) in enumerate(batch):
                        per_item[i] += matcher.match(item, extra_texts=texts)
                    continue
                if wanted is None:
                    wanted = gate.look(batch)
                for i in wanted[id(matcher)]:
                    item, texts = batch[i]
                    per_item[i] += matcher.match(item, extra_texts=texts)
            for (item, _), fs in zip(batch, per_item, strict=True):
                summary.items += 1
                for f in fs:
                    if (f.item_id, f.bank, f.entry) in suppressed:
                        continue
                    findings.setdefault(f.bank, []).append(f)
                    flagged.add(f.item_id)
                    summary.by_level[f.level] += 1
                    summary.by_signal[f.signal] += 1
                    if json_out is not None:
                        out.append(finding_dict(f, item, store))
            batch.clear()

        def check(item: Item, texts: list[tuple[str, str]] | None, iid: str) -> None:
            done.add(iid)
            batch.append((item, texts))
            if len(batch) >= MATCH_BATCH:
                check_batch()

        def check_while_importing(items: Iterable[Item]) -> Iterator[Item]:
            # Items are matched as they stream into the store, so a fresh import is never read back.
            # Items with pictures wait for the picture stage when it runs (their OCR text is not known
            # yet); a repeated id is matched once (the store keeps the first); deleted items never.
            for item in items:
                yield item
                iid = item.id
                if iid in done or iid in deleted:
                    continue
                if any(a.type == "photo" for a in item.attachments):
                    deferred.append(iid)
                    continue
                check(item, None, iid)
            check_batch()

        before = store.conn.execute("SELECT max(rowid) FROM items").fetchone()[0] or 0
        if input_path is not None:
            summary.imported, _ = import_path(store, input_path, wrap=check_while_importing, listen=listen)
        listen("pictures", 0, None)
        extra = _media_signals(store, ocr=ocr, summary=summary, jobs=jobs, listen=listen)
        scan_id = store.start_scan("fsm", fsm_list.version, fsm_list.sha256, MATCHER_VERSION)
        # the rest: items of earlier imports, and items that waited for the picture stage
        rest = store.count_items() - len(done)
        matching = Teller(listen, "matching", rest)
        for item in chain(store.iter_items(upto=before), store.iter_items(ids=deferred)):
            iid = item.id
            if iid not in done:
                check(item, extra.get(iid), iid)
                matching.step()
        check_batch()
        matching.tell()
        listen("saving", summary.items, summary.items)
        for bank, fs in findings.items():
            version = next((m.version for m in matchers if m.bank == bank), "")
            store.save_findings(scan_id, bank, None, fs, version, summary.items)
        summary.findings = sum(len(fs) for fs in findings.values())
        summary.items_flagged = len(flagged)
        summary.seconds = time.perf_counter() - t0
        if json_out is not None:
            write_json_atomic(json_out, {
                "tool": "repostguard",
                "list": {"bank": "fsm", "version": fsm_list.version, "sha256": fsm_list.sha256,
                         "entries": len(fsm_list.entries), "excluded": len(fsm_list.entries) - len(fsm_list.active),
                         **{k: v for k, v in provenance.items() if k in ("source", "fetched_at", "snapshot_date")}},
                "banks": {m.bank: {"version": m.list_version or m.version} for m in matchers},
                "matcher_version": MATCHER_VERSION,
                "counts": {"items": summary.items, "items_flagged": summary.items_flagged,
                           "findings": summary.findings, "by_level": dict(summary.by_level),
                           "by_signal": dict(summary.by_signal),
                           "by_bank": {b: len(fs) for b, fs in findings.items()}},
                "notes": summary.notes,
                "findings": out,
            })
            summary.json_out = json_out
    return summary


def entry_rows(fsm_list: FsmList) -> Iterator[tuple[str, str, str | None, bool, str | None, str | None]]:
    for e in fsm_list.entries:
        dec = e.court_decision
        ddate = decision_date_of(dec)
        yield (str(e.number), e.text, e.included.isoformat() if e.included else None, e.excluded, dec,
               ddate.isoformat() if ddate else None)


def suppressions(store: Store) -> set[tuple[str, str, str]]:
    rows = store.conn.execute("SELECT item_id, bank, entry FROM suppressions")
    return {(r[0], r[1], r[2]) for r in rows}


def _media_signals(store: Store, *, ocr: bool, summary: ScanSummary, jobs: int | None,
                   listen: ProgressListener) -> dict[str, list[tuple[str, str]]]:
    """Text read from pictures (OCR), per item id, when enabled. The picture stage runs in any case: it
    hashes the pictures and looks for symbols in them (``--no-ocr`` leaves only the reading out)."""
    from repostguard.pipeline.media import prepare  # deferred: loads numpy, OpenCV and Pillow

    result: dict[str, list[tuple[str, str]]] = prepare(store, notes=summary.notes, jobs=jobs, ocr=ocr,
                                                       listen=listen)
    return result if ocr else {}


__all__ = ["import_path", "run_scan", "ScanSummary", "build_matchers", "finding_dict", "legal_row", "entry_rows",
           "suppressions", "UserError", "ProgressListener"]
