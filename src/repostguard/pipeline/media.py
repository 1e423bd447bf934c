"""The media pass of a scan: every photo attachment decoded once, hashed, text-checked, OCR'd.

Work is cached by picture content (sha256) in ``media_cache`` and by file (path, size, mtime)
in ``media_files``, written in small transactions as results arrive, so Ctrl-C loses at most
the pictures in flight and the next run picks up where this one stopped. Pictures are
processed by a pool of worker processes (one Tesseract engine each, one thread each).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from repostguard.errors import ExternalError, Notice, os_reason
from repostguard.i18n import t
from repostguard.media import hashing, images, textcheck
from repostguard.media import ocr as ocr_engine
from repostguard.media.ocr import OCR_VERSION, OcrEngine, choose_passes
from repostguard.media.symbols import DETECTOR_VERSION, WORK_SIDE, detect_symbols
from repostguard.paths import usable_cpus
from repostguard.pipeline.progress import Bars, ProgressListener, Teller, fan_out
from repostguard.store import Store, now_iso

#: pictures with a long side at least this are text-checked and hashed at half scale
HALF_SCALE_FROM = 500
#: individual warnings listed in the notes before a summary line
MAX_NOTES = 20


@dataclass
class PictureResult:
    """What the media pass learned about one picture (one row of ``media_cache``)."""

    sha256: str
    status: str = "ok"
    has_text: bool = False
    ocr_text: str = ""
    ocr_version: str | None = OCR_VERSION  # None: holds text that was not read (hashed only)
    pdq: str | None = None
    pdq_quality: int | None = None
    dhash: str | None = None
    width: int | None = None
    height: int | None = None
    #: why a bad picture was skipped, as kept (:meth:`~repostguard.media.images.BadImage.stored`)
    warning: str | None = None
    #: the symbols it shows: JSON [[id, score, x, y, w, h], ...] in the picture's pixels (None: not looked)
    symbols: str | None = None
    symbols_version: str | None = None
    #: CPU seconds the worker spent on this picture (diagnostics and the benchmark; not stored)
    cpu_s: float = 0.0


@dataclass
class PhotoRef:
    """One photo attachment of one item and the local file it points to."""

    item_id: str
    index: int
    path: str


@dataclass
class MediaStats:
    """Counts of one media pass (for notes and the benchmark)."""

    photos: int = 0
    pictures: int = 0
    cached: int = 0
    processed: int = 0
    text_checked_skip: int = 0
    ocr_done: int = 0
    bad: int = 0
    missing: int = 0
    #: the pictures skipped: file and why
    warnings: list[tuple[str, Notice | str]] = field(default_factory=list)


# -- the work on one picture (runs in a worker process) ----------------------------------------

_ENGINE: Any = None


def engine() -> Any:
    """This process's OCR engine, started on first use (one per worker process)."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = OcrEngine()
    return _ENGINE


def analyse(path: str, sha256: str, *, ocr: bool = True, text_check: bool = True, choose: bool = True
            ) -> PictureResult:
    """Decode, hash, text-check and (if it seems to hold text) OCR the picture at ``path``.

    With ``choose``, only the OCR passes the text lines need run (:func:`ocr.choose_passes`).

    Never raises for a bad picture: the result has ``status="bad"`` and a ``warning``.
    """
    res = PictureResult(sha256=sha256)
    c0 = time.process_time()
    try:
        data = images.read_bytes(path)
        # the header gives the size; small pictures are checked at full scale
        half = images.decode(data, scale=1, all_frames=True, max_side=None) if _small(data) else \
            images.decode(data, scale=2, all_frames=True)
        res.width, res.height = half.width, half.height
        # line heights found at the check's scale, in pixels of the original picture
        half_factor = max(half.width, half.height) / float(max(half.frames[0].shape[:2]) or 1)
        first = half.frames[0]
        gray0 = textcheck.to_gray(first)
        res.pdq, res.pdq_quality = hashing.pdq(first)
        res.dhash = hashing.dhash(gray0)
        lines0 = textcheck.text_lines(gray0) if text_check else []
        if max(first.shape[:2]) < min(WORK_SIDE, max(half.width, half.height)):
            # the detector reduces to WORK_SIDE pixels itself (area-averaging): a half-scale frame is too
            # small for small symbols, so it gets the picture at up to twice that
            sym = images.decode(data, max_side=2 * WORK_SIDE)
            k = max(sym.frames[0].shape[:2]) / float(max(first.shape[:2]))
            res.symbols = _symbols(sym.frames[0], max(sym.width, sym.height) / float(max(sym.frames[0].shape[:2])),
                                   [tuple(round(v * k) for v in box) for box in lines0])
        else:
            res.symbols = _symbols(first, half_factor, lines0)
        res.symbols_version = DETECTOR_VERSION
        passes: dict[int, tuple[bool, bool]] = {}
        heights: dict[int, float] = {}
        for i, fr in enumerate(half.frames):
            if not text_check:
                passes[i] = (True, True)
                continue
            lines = lines0 if i == 0 else textcheck.text_lines(textcheck.to_gray(fr))
            if lines:
                passes[i] = choose_passes(fr, lines) if choose else (True, True)
                heights[i] = float(np.median([h for _, _, _, h in lines])) * half_factor
        res.has_text = bool(passes)
        if passes and not ocr:
            res.ocr_version = None  # a later pass with OCR reads it
        if passes and ocr:
            full = images.decode(data, max_side=images.OCR_MAX_SIDE, all_frames=len(half.frames) > 1)
            texts: list[str] = []
            for i, (raw, mask) in passes.items():
                if i < len(full.frames):
                    lh = heights.get(i)
                    if lh is not None:  # to the scale of the OCR decode (reduced if huge)
                        lh *= max(full.frames[i].shape[:2]) / float(max(full.width, full.height) or 1)
                    t = engine().read(full.frames[i], raw=raw, mask=mask, line_height=lh)
                    if t and t not in texts:
                        texts.append(t)
            res.ocr_text = "\n".join(texts)
    except images.BadImage as e:
        res.status = "bad"
        res.warning = e.stored()
        res.pdq = res.dhash = None
        res.has_text = False
        res.ocr_text = ""
    res.cpu_s = time.process_time() - c0
    return res


def _symbols(rgb: np.ndarray, factor: float, text: list[Any] | None = None) -> str:
    """The symbols ``rgb`` shows (:func:`~repostguard.media.symbols.detect_symbols`), as stored: boxes in
    pixels of the original picture (``factor``: its size over ``rgb``'s). ``text``: the lines of text found
    in it (in ``rgb``'s pixels), whose letters the detector need not look at."""
    hits = detect_symbols(rgb, text or ())
    return json.dumps([[h.symbol, round(h.score, 3), *(round(v * factor) for v in h.box)] for h in hits])


def symbols_only(path: str) -> tuple[str | None, str]:
    """The stored symbols of the picture at ``path`` alone (a picture whose other results are current)."""
    try:
        data = images.read_bytes(path)
        dec = images.decode(data, max_side=2 * WORK_SIDE)
        factor = max(dec.width, dec.height) / float(max(dec.frames[0].shape[:2]) or 1)
        return _symbols(dec.frames[0], factor), DETECTOR_VERSION
    except images.BadImage:
        return None, DETECTOR_VERSION


def _small(data: bytes) -> bool:
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as im:
            return max(im.size) < HALF_SCALE_FROM
    except Exception:  # noqa: BLE001 - decode() reports it properly
        return True


def _work(args: tuple[str, str, bool, bool]) -> PictureResult:
    path, sha, ocr, text_check = args
    try:
        return analyse(path, sha, ocr=ocr, text_check=text_check)
    except Exception:  # noqa: BLE001 - a worker must never take the pool down
        return PictureResult(sha256=sha, status="bad", warning=images.BadImage("err_img_failed").stored())


def _init_worker() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        import cv2

        cv2.setNumThreads(1)
    except Exception:  # noqa: BLE001
        pass
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    # Leptonica prints messages such as "Error in boxClipToRectangle" straight to fd 2 on odd
    # pictures; they mean nothing to the person and would tear the progress bar. Workers report
    # every problem through their results, so their stderr is not needed.
    if not os.environ.get("REPOSTGUARD_DEBUG"):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)


# -- the pass over the store (parent process) -------------------------------------------------


def photo_refs(store: Store) -> list[PhotoRef]:
    """Every photo attachment with a local file: its own path, or the file ``media fetch`` saved."""
    fetched = store.fetched_photos()
    out: list[PhotoRef] = []
    for item in store.iter_items():
        for i, a in enumerate(item.attachments):
            if a.type != "photo":
                continue
            p = a.path or (fetched.get(a.url) if a.url else None)
            if p:
                out.append(PhotoRef(item.id, i, str(p)))
    return out


def file_sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _resolve_files(store: Store, paths: Iterable[str], stats: MediaStats) -> dict[str, str]:
    """path -> sha256 for every readable file, using ``media_files`` when size and mtime match."""
    known = {r[0]: (r[1], r[2], r[3])
             for r in store.conn.execute("SELECT path, sha256, size, mtime_ns FROM media_files")}
    out: dict[str, str] = {}
    new_rows: list[tuple[str, str, int, int]] = []
    for p in paths:
        try:
            st = os.stat(p)
        except OSError as e:
            stats.missing += 1
            stats.warnings.append((p, Notice("err_cannot_read_because", reason=os_reason(e))))
            continue
        k = known.get(p)
        if k and k[1] == st.st_size and k[2] == st.st_mtime_ns:
            out[p] = k[0]
            continue
        if st.st_size > images.MAX_FILE_BYTES:
            stats.bad += 1
            stats.warnings.append((p, Notice("err_img_too_large", mb=round(st.st_size / 1e6),
                                             limit=images.MAX_FILE_BYTES // 2**20)))
            continue
        try:
            sha = file_sha256(p)
        except OSError as e:
            stats.missing += 1
            stats.warnings.append((p, Notice("err_cannot_read_because", reason=os_reason(e))))
            continue
        out[p] = sha
        new_rows.append((p, sha, st.st_size, st.st_mtime_ns))
    if new_rows:
        with store.conn:
            store.conn.executemany("INSERT OR REPLACE INTO media_files VALUES (?,?,?,?)", new_rows)
    return out


def save_results(store: Store, results: list[PictureResult]) -> None:
    """Store ``results`` in ``media_cache`` (one transaction) and empty the list."""
    if not results:
        return
    now = now_iso()
    with store.conn:
        store.conn.executemany(
            "INSERT OR REPLACE INTO media_cache (sha256, status, has_text, ocr_text, ocr_version, pdq,"
            " pdq_quality, dhash, width, height, warning, created_at, symbols, symbols_version)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(r.sha256, r.status, int(r.has_text), r.ocr_text, r.ocr_version, r.pdq, r.pdq_quality, r.dhash,
              r.width, r.height, r.warning, now, r.symbols, r.symbols_version) for r in results],
        )
    results.clear()


def _pending(store: Store, shas: dict[str, str], ocr: bool) -> list[tuple[str, str]]:
    """(path, sha) of pictures not cached yet (or cached by an older OCR version), one path per sha.

    A picture whose other results are current but whose symbols an older detector looked for (or none)
    is looked at again here, for its symbols only."""
    cached: dict[str, tuple[str, str | None, str | None]] = {}
    for r in store.conn.execute("SELECT sha256, status, ocr_version, symbols_version FROM media_cache"):
        cached[r[0]] = (r[1], r[2], r[3])
    todo: dict[str, str] = {}
    again: dict[str, str] = {}
    for p, sha in shas.items():
        c = cached.get(sha)
        if c is not None and (c[0] == "bad" or not ocr or c[1] == OCR_VERSION):
            if c[0] != "bad" and c[2] != DETECTOR_VERSION:
                again.setdefault(sha, p)
            continue
        todo.setdefault(sha, p)
    if again:
        with store.conn:
            store.conn.executemany("UPDATE media_cache SET symbols=?, symbols_version=? WHERE sha256=?",
                                   [(*symbols_only(p), sha) for sha, p in again.items()])
    return [(p, sha) for sha, p in todo.items()]


def run_pending(todo: list[tuple[str, str]], *, jobs: int, ocr: bool, text_check: bool = True
                ) -> Iterator[PictureResult]:
    """Process ``todo`` with ``jobs`` worker processes (in-process when 1), yielding results as they come."""
    args = [(p, sha, ocr, text_check) for p, sha in todo]
    if jobs <= 1 or len(todo) < 4:
        for a in args:
            yield _work(a)
        return
    # not "fork": OpenCV and Tesseract keep thread pools that a forked child can deadlock on
    ctx = mp.get_context("forkserver" if sys.platform.startswith("linux") else "spawn")
    if ctx.get_start_method() == "forkserver":
        mp.set_forkserver_preload(["repostguard.pipeline.media"])
    pool = ctx.Pool(processes=jobs, initializer=_init_worker, maxtasksperchild=2000)
    try:
        yield from pool.imap_unordered(_work, args, chunksize=2)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


def prepare(store: Store, *, progress: bool = False, notes: list[str], jobs: int | None = None, ocr: bool = True,
            stats: MediaStats | None = None, listen: ProgressListener | None = None
            ) -> dict[str, list[tuple[str, str]]]:
    """OCR and hash every photo attachment of ``store``; return item id -> [(field, OCR text), ...].

    ``listen`` hears the stage ``pictures``: the pictures processed of those to process;
    ``progress`` draws the same events as a bar on standard error (when it is a terminal).

    Cached and resumable; bad pictures are skipped with a warning appended to ``notes``.
    When pictures need OCR and Tesseract or one of its languages is missing, they are hashed but not
    read, and a note says so (a later scan with OCR reads them).
    """
    stats = stats if stats is not None else MediaStats()
    refs = photo_refs(store)
    stats.photos = len(refs)
    if not refs:
        return {}
    shas = _resolve_files(store, dict.fromkeys(r.path for r in refs), stats)
    stats.pictures = len(set(shas.values()))
    todo = _pending(store, shas, ocr)
    stats.cached = stats.pictures - len(todo)
    if todo:
        if ocr:
            try:
                ocr_engine.check_engine()
            except ExternalError as e:  # no engine or no language data: hash the pictures, say so, go on
                notes.append(t("err_ocr_skipped", reason=e))  # read on a later scan, once OCR is there
                ocr = False
        batch: list[PictureResult] = []
        bars = Bars() if progress else None
        tell = fan_out(listen, bars)
        teller = Teller(tell, "pictures", len(todo)) if tell is not None else None
        try:
            for r in run_pending(todo, jobs=jobs or usable_cpus(), ocr=ocr):
                batch.append(r)
                stats.processed += 1
                if teller is not None:
                    teller.step()
                if len(batch) >= 25:
                    save_results(store, batch)
        finally:
            save_results(store, batch)  # keep what is done, also on Ctrl-C (or when the job is cancelled)
            if bars is not None:
                bars.close()
    rows = {r[0]: r for r in store.conn.execute(
        "SELECT sha256, status, has_text, ocr_text, warning FROM media_cache")}
    out: dict[str, list[tuple[str, str]]] = {}
    bad_files: list[tuple[str, Notice | str]] = []
    for sha_path, sha in shas.items():
        row = rows.get(sha)
        if row is not None and row[1] == "bad":
            bad_files.append((sha_path, images.reason_of(row[4])))
    stats.bad += len(bad_files)
    stats.warnings.extend(bad_files)
    for ref in refs:
        ref_sha = shas.get(ref.path)
        row = rows.get(ref_sha) if ref_sha else None
        if row is None or row[1] != "ok":
            continue
        if row[3]:
            out.setdefault(ref.item_id, []).append((f"attachments[{ref.index}].ocr", row[3]))
    ok = [rows[s] for s in set(shas.values()) if s in rows and rows[s][1] == "ok"]
    stats.text_checked_skip = sum(1 for r in ok if not r[2])
    stats.ocr_done = sum(1 for r in ok if r[2])
    if stats.warnings:
        notes.extend(t("err_picture_skipped", file=p, reason=why) for p, why in stats.warnings[:MAX_NOTES])
        if len(stats.warnings) > MAX_NOTES:
            notes.append(t("err_pictures_not_listed", n=len(stats.warnings) - MAX_NOTES))
        notes.append(t("err_pictures_summary", bad=stats.bad, missing=stats.missing,
                       n=len({r.path for r in refs})))
    return out


__all__ = ["prepare", "analyse", "PictureResult", "MediaStats", "photo_refs", "run_pending", "file_sha256"]
