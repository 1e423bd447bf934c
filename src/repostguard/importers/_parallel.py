"""Parsing an export's pages in worker processes, with the results in their original order.

A large archive is mostly many independent pages (VK: 50 wall posts per page). Parsing them is
pure Python and holds one core. :func:`ordered_map` runs a function over the pages in a pool of
processes (and in the importing process, between writing results to the store) and yields the
results in page order, keeping a bounded number of pages in flight (8 per process) so that
memory stays flat whatever the archive's size.

The number of workers is one less than the number of CPUs this process may use (at most
:data:`MAX_WORKERS`): the importing process parses pages too whenever it would otherwise wait.
``REPOSTGUARD_IMPORT_WORKERS`` sets it (``0`` turns the pool off). Workers are started with the
``spawn`` method on every platform: they share no state (no open database, no threads) with the
importing process.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Any, TypeVar

from repostguard.errors import ExternalError
from repostguard.system import usable_cpus

T = TypeVar("T")
R = TypeVar("R")

MAX_WORKERS = 4
#: tasks handed to each worker at a time: enough to keep it busy while this process parses or
#: writes a page (about 30 ms), few enough to leave this process pages to take when it waits
HANDED = 4
ENV_WORKERS = "REPOSTGUARD_IMPORT_WORKERS"


def worker_count() -> int:
    """Worker processes an import starts: ``REPOSTGUARD_IMPORT_WORKERS``, else one per usable CPU
    but one (the importing process parses too, see :func:`ordered_map`); 0 means none."""
    env = os.environ.get(ENV_WORKERS, "").strip()
    if env:
        try:
            return max(0, min(int(env), 16))
        except ValueError:
            pass
    return min(usable_cpus() - 1, MAX_WORKERS)


#: glibc's mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3


@functools.cache
def keep_large_buffers() -> None:
    """Let glibc serve buffers of up to 32 MB from the heap and keep up to 128 MB of freed heap.

    Parsing a page allocates and frees buffers of several MB (the page's text, the pickled items).
    With glibc's defaults each is a fresh ``mmap`` whose pages then fault in one by one (about
    4.5 us per 4 KB page on the benchmark machine): pickling a page's items took 57 us per item
    instead of 9. Best effort, process-wide and once; a no-op where the C library is not glibc.
    The C library is the program's own symbols (``CDLL(None)``): ``ctypes.util.find_library``
    would run ``ldconfig`` in a subprocess at every worker's start.
    """
    if sys.platform != "linux":
        return
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (ImportError, OSError, AttributeError):
        return
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


def _to_run_here(slots: deque[list[Any]]) -> list[Any] | None:
    """The task this process should run itself while the next result is not ready, or None to wait.

    Only tasks not handed to a worker: the next one if it is among them, else the last one.
    Workers are handed tasks in order, :data:`HANDED` each at a time, so taking
    from the back never leaves them without work.
    """
    head = slots[0]
    if head[1] is None and head[2] is None:
        return head
    for slot in reversed(slots):
        if slot[1] is None and slot[2] is None:
            return slot
    return None


def ordered_map(
    fn: Callable[[T], R],
    tasks: Iterable[T],
    workers: int,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    window: int | None = None,
    local: Callable[[T], R] | None = None,
) -> Iterator[R]:
    """``map(fn, tasks)`` in ``workers`` processes; results in task order, ``window`` tasks in flight.

    With ``local`` (``fn``'s equivalent in this process), this process works too: whenever the
    next result is not ready, it takes a task in flight that no worker has been handed (see
    :func:`_to_run_here`) and runs it itself, instead of waiting. A caller that spends its time
    between results (the store writing the items) thus parses only when it would otherwise be
    idle, and one process per CPU suffices: with more processes than CPUs each one ran about 30 %
    slower (caches, switches).

    An exception raised by ``fn`` or ``local`` is raised here, at its task's turn; the pool is
    then shut down without waiting for the tasks not yet started. A worker that dies (killed, out
    of memory) is an :class:`ExternalError` saying so.
    """
    window = window or 8 * (workers + 1) + 2
    ctx = multiprocessing.get_context("spawn")
    # [task, future once handed to a worker, (value, error) once run here]
    slots: deque[list[Any]] = deque()
    it = iter(tasks)
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=initializer,
                             initargs=initargs) as pool:
        _widen_result_pipe(pool)

        def fill() -> None:
            if len(slots) < window:
                slots.extend([task, None, None] for task in islice(it, window - len(slots)))
            # hand the earliest tasks nobody has to the workers, HANDED each (one running, the rest queued)
            busy = sum(1 for s in slots if s[1] is not None and not s[1].done())
            for slot in slots:
                if busy >= HANDED * workers:
                    break
                if slot[1] is None and slot[2] is None:
                    slot[1] = pool.submit(fn, slot[0])
                    busy += 1

        # The pool's thread that reads results (and feeds workers) needs the GIL between each
        # piece of a result read from the pipe; while this process parses, it gets it only every
        # switch interval (5 ms by default), and a worker stalled on a full pipe that long.
        switch = sys.getswitchinterval()
        sys.setswitchinterval(min(switch, 0.0005))
        try:
            fill()
            while slots:
                head = slots[0]
                if head[2] is None and (head[1] is None or not head[1].done()):
                    mine = _to_run_here(slots) if local is not None else None
                    if mine is not None and local is not None:
                        try:
                            mine[2] = (local(mine[0]), None)
                        except Exception as e:  # raised at the task's turn, as a worker's would be
                            mine[2] = (None, e)
                        fill()
                        continue
                    if head[1] is None:  # nobody has it and this process may not run it: hand it out
                        head[1] = pool.submit(fn, head[0])
                slots.popleft()
                if head[2] is not None:
                    value, error = head[2]
                    if error is not None:
                        raise error
                    yield value
                else:
                    yield head[1].result()
                fill()
        except BrokenProcessPool as e:
            raise ExternalError(
                f"a worker process stopped abruptly ({e}; out of memory?); nothing was imported: "
                f"try again, or with {ENV_WORKERS}=0 to work in one process"
            ) from e
        finally:
            sys.setswitchinterval(switch)
            pool.shutdown(wait=True, cancel_futures=True)
