"""Parsing an export's pages in worker processes, with the results in their original order.

A large archive is mostly many independent pages (VK: 50 wall posts per page). Parsing them is
pure Python and holds one core; the store writes on another. :func:`ordered_map` runs a
function over the pages in a pool of processes and yields the results in page order, keeping at
most a few pages in flight so that memory stays flat whatever the archive's size, however fast
the workers are compared with the store.

The number of workers is the number of CPUs this process may use (at most :data:`MAX_WORKERS`),
or ``REPOSTGUARD_IMPORT_WORKERS`` (``1`` turns the pool off). Workers are started with the
``spawn`` method on every platform: they share no state (no open database, no threads) with the
importing process.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_WORKERS = 4
ENV_WORKERS = "REPOSTGUARD_IMPORT_WORKERS"


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity where the system tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def worker_count() -> int:
    """How many worker processes an import uses: ``REPOSTGUARD_IMPORT_WORKERS`` or the CPUs."""
    env = os.environ.get(ENV_WORKERS, "").strip()
    if env:
        try:
            return max(1, min(int(env), 16))
        except ValueError:
            pass
    return min(usable_cpus(), MAX_WORKERS)


#: glibc's mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_KEPT: list[bool] = []


def keep_large_buffers() -> None:
    """Let glibc serve buffers of up to 32 MB from the heap and keep up to 128 MB of freed heap.

    Parsing a page allocates and frees buffers of several MB (the page's text, the pickled items).
    With glibc's defaults each is a fresh ``mmap`` whose pages then fault in one by one (about
    4.5 us per 4 KB page on the benchmark machine): pickling a page's items took 57 us per item
    instead of 9. Best effort and process-wide; a no-op where the C library is not glibc.
    """
    if _KEPT:
        return
    _KEPT.append(True)
    if sys.platform != "linux":
        return
    try:
        import ctypes
        import ctypes.util

        name = ctypes.util.find_library("c")
        mallopt = ctypes.CDLL(name).mallopt if name else None
    except (ImportError, OSError, AttributeError):
        return
    if mallopt is not None:
        mallopt(_M_MMAP_THRESHOLD, 32 * 1024**2)
        mallopt(_M_TRIM_THRESHOLD, 128 * 1024**2)


def _widen_result_pipe(pool: ProcessPoolExecutor) -> None:
    """On Linux, let the pipe that brings results back hold 1 MB instead of 64 KB.

    A page's items are a few MB: with the default size each result crosses in 64 KB pieces, a
    switch between the processes for each. Best effort: nothing changes where this is not possible.
    """
    try:
        import fcntl

        reader = pool._result_queue._reader  # type: ignore[attr-defined]
        fcntl.fcntl(reader.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except (ImportError, AttributeError, OSError):
        pass


def ordered_map(
    fn: Callable[[T], R],
    tasks: Iterable[T],
    workers: int,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    window: int | None = None,
) -> Iterator[R]:
    """``map(fn, tasks)`` in ``workers`` processes; results in task order, ``window`` tasks in flight.

    An exception raised by ``fn`` is raised here, at its task's turn; the pool is then shut
    down without waiting for the tasks not yet started.
    """
    window = window or 2 * workers + 1
    keep_large_buffers()
    ctx = multiprocessing.get_context("spawn")
    pending: deque[Future[R]] = deque()
    it = iter(tasks)
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=initializer,
                             initargs=initargs) as pool:
        _widen_result_pipe(pool)
        try:
            for task in it:
                pending.append(pool.submit(fn, task))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for f in pending:
                f.cancel()
            pool.shutdown(wait=True, cancel_futures=True)
