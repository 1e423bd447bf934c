"""The app's background work: one job at a time (an import and scan, or a list update), in a thread.

A :class:`Job` keeps its own record (stage, counts, rate, time left, outcome) on the server, so the
start screen polls it and a reloaded page shows the same state. The scan tells the job its progress
through :data:`repostguard.pipeline.scan.ProgressListener` (the same counts the CLI's bars show);
cancelling is cooperative: the listener raises :class:`Cancelled` between items, so an import is
rolled back whole (it is one transaction) and a scan stopped while matching saves no findings.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from repostguard.errors import RepostguardError
from repostguard.pipeline.recheck import RecheckSummary, run_recheck
from repostguard.pipeline.scan import ScanSummary, run_scan

#: the stages a job goes through, in order (the scan's own stages, a list update, a re-check, the end)
STAGES = ("queued", "loading", "opening", "importing", "pictures", "matching", "saving", "lists", "recheck",
          "cleaning", "done")
#: the stages whose counts are items (or pictures): the page shows them, with the rate and time left; the
#: others count steps (the matchers loaded, the MB of the archive read), so the display moves, nothing more
COUNTED = ("importing", "pictures", "matching", "saving", "recheck", "cleaning")
#: the new findings a re-check job keeps for the page
RECHECK_SHOWN = 20
#: the states a job ends in
FINAL = ("done", "failed", "cancelled")


class Cancelled(Exception):
    """Raised inside the scan by the progress listener when the person cancelled the job."""


@dataclass
class Job:
    """One piece of background work and everything the page shows about it."""

    id: int
    kind: str  # "scan", "lists", "recheck" or "clean"
    label: str  # what it works on, as the person named it (a file name, a path)
    state: str = "running"  # running, done, failed, cancelled
    stage: str = "queued"
    done: int = 0
    total: int | None = None
    started: float = field(default_factory=time.monotonic)
    stage_started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    rate: float | None = None  # items per second in the current stage
    eta: float | None = None  # seconds left in the current stage, when its total is known
    error: str = ""  # one line, for failed jobs
    result: dict[str, Any] = field(default_factory=dict)
    cancel: threading.Event = field(default_factory=threading.Event, repr=False)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def listen(self, stage: str, done: int, total: int | None) -> None:
        """The scan's progress listener: record the stage and counts; stop if cancelled."""
        if self.cancel.is_set():
            raise Cancelled
        now = time.monotonic()
        with self.lock:
            if stage != self.stage:
                self.stage, self.stage_started = stage, now
            self.done, self.total = done, total
            elapsed = now - self.stage_started
            self.rate = done / elapsed if elapsed > 0.2 and done and stage in COUNTED else None
            left = (total - done) if total is not None else None
            self.eta = left / self.rate if self.rate and left is not None else None

    def snapshot(self) -> dict[str, Any]:
        """The job as the status endpoint returns it (JSON-ready)."""
        with self.lock:
            end = self.finished if self.finished is not None else time.monotonic()
            return {
                "id": self.id,
                "kind": self.kind,
                "label": self.label,
                "state": self.state,
                "stage": self.stage,
                "done": self.done,
                "total": self.total,
                "rate": round(self.rate, 1) if self.rate else None,
                "eta": round(self.eta) if self.eta is not None else None,
                "elapsed": round(end - self.started, 1),
                "error": self.error,
                "result": dict(self.result),
                "cancelling": self.cancel.is_set() and self.state == "running",
            }

    def _end(self, state: str, error: str = "", result: dict[str, Any] | None = None) -> None:
        with self.lock:
            self.state, self.error = state, error
            if result is not None:
                self.result = result
            if state == "done":
                self.stage = "done"
            self.finished = time.monotonic()


class Busy(RepostguardError):
    """Another job is still running."""


class Jobs:
    """The jobs of one workspace: at most one runs; the last one is kept for the page."""

    def __init__(self, db: Path, *, ocr: bool = True, fsm: Path | None = None) -> None:
        self.db = db
        self.ocr = ocr
        self.fsm = fsm
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.current: Job | None = None
        self.threads: list[threading.Thread] = []

    def running(self) -> bool:
        job = self.current
        return job is not None and job.state == "running"

    def _start(self, kind: str, label: str, work: Callable[[Job], dict[str, Any]]) -> Job:
        with self._lock:
            if self.running():
                raise Busy("another job is still running")
            job = Job(next(self._ids), kind, label)
            self.current = job

        def run() -> None:
            try:
                result = work(job)
            except Cancelled:
                job._end("cancelled")
            except RepostguardError as e:
                job._end("failed", str(e).splitlines()[0] if str(e) else type(e).__name__)
            except Exception as e:  # noqa: BLE001 - a bug: the page says so instead of hanging
                job._end("failed", f"unexpected error ({type(e).__name__}); this is a bug, please report it")
            else:
                job._end("done", result=result)

        thread = threading.Thread(target=run, name=f"repostguard-job-{job.id}", daemon=True)
        self.threads.append(thread)
        thread.start()
        return job

    def scan(self, path: Path, label: str) -> Job:
        """Import ``path`` into the workspace and scan it, in the background."""

        def work(job: Job) -> dict[str, Any]:
            job.listen("loading", 0, None)  # at once: the page never waits on "queued"
            summary = run_scan(self.db, path, fsm=self.fsm, ocr=self.ocr, progress=False, listen=job.listen)
            return _scan_result(summary)

        return self._start("scan", label, work)

    def lists(self, label: str, update: Callable[[], str]) -> Job:
        """Run ``update`` (installs lists; returns its summary) in the background."""

        def work(job: Job) -> dict[str, Any]:
            job.listen("lists", 0, None)
            return {"lines": update().splitlines()[:20]}

        return self._start("lists", label, work)

    def recheck(self, label: str) -> Job:
        """Re-check the workspace against what the lists' changes bring (:func:`run_recheck`), in the
        background; the result names the new findings."""

        def work(job: Job) -> dict[str, Any]:
            job.listen("recheck", 0, None)
            return _recheck_result(run_recheck(self.db, listen=job.listen))

        return self._start("recheck", label, work)

    def clean(self, label: str, work: Callable[[Job], dict[str, Any]]) -> Job:
        """Run the clean-up ``work`` (:mod:`repostguard.app.cleanup`) in the background; cancelling it
        is its pause."""
        return self._start("clean", label, work)

    def cancel(self) -> bool:
        """Ask the running job to stop; False when nothing runs."""
        job = self.current
        if job is None or job.state != "running":
            return False
        job.cancel.set()
        return True

    def wait(self, timeout: float = 60.0) -> None:
        """Wait for the running job's thread (tests, shutdown)."""
        for thread in list(self.threads):
            thread.join(timeout)


def _scan_result(summary: ScanSummary) -> dict[str, Any]:
    imp = summary.imported
    return {
        "items": summary.items,
        "flagged": summary.items_flagged,
        "findings": summary.findings,
        "by_level": dict(summary.by_level),
        "list_version": summary.list_version,
        "added": imp.added if imp else 0,
        "updated": imp.updated if imp else 0,
        "unchanged": imp.unchanged if imp else 0,
        "warnings": len(imp.warnings) if imp else 0,
        "notes": [str(n) for n in summary.notes[:5]],
        "seconds": round(summary.seconds, 1),
    }


def _recheck_result(summary: RecheckSummary) -> dict[str, Any]:
    return {
        "items": summary.items,
        "new_findings": len(summary.findings),
        "dropped_findings": len(summary.dropped),
        "banks": [b.to_dict() for b in summary.banks],
        "findings": [{"item": f.get("item"), "bank": f.get("bank"), "entry": f.get("entry"), "level": f.get("level")}
                     for f in summary.findings[:RECHECK_SHOWN]],
        "seconds": round(summary.seconds, 1),
    }


__all__ = ["Job", "Jobs", "Busy", "Cancelled", "STAGES", "COUNTED", "FINAL"]
