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

On POSIX systems a result travels as a frame written with ``writev`` and read with ``readv`` on
the pipe itself (:func:`_write_frame`): the pickle (protocol 5) and, out of band, the large
buffers of the items (their raw records and texts, already encoded). Neither process copies them
into or out of a pickle, and the importing process reads each result into one buffer instead of
accumulating the pipe's chunks (a worker pickled 54 KB per VK post in 47 us; see
docs/benchmarks.md for what it gives a whole import).
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import pickle
import queue
import signal
import struct
import sys
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable
from itertools import accumulate, islice
from multiprocessing.connection import Connection
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

    Parsing a page allocates and frees buffers of several MB (the page's text, the pickled items,
    the results read from a worker). With glibc's defaults each is a fresh ``mmap`` whose pages
    then fault in one by one (about 4.5 us per 4 KB page on the benchmark machine): pickling a
    page's items took 57 us per item instead of 9. The workers and the importing process call this
    (in the latter, 50,000 VK posts gave 310,000 page faults instead of 400,000). Best effort,
    process-wide and once; a no-op where the C library is not glibc.
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


def _widen_pipe(conn: Connection) -> None:
    """On Linux, let a result pipe hold 1 MB instead of 64 KB (a page's items are a few MB: each
    piece is a switch between the processes). Best effort: nothing changes where this is not possible."""
    try:
        import fcntl

        fcntl.fcntl(conn.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except (ImportError, AttributeError, OSError, ValueError):
        pass


#: whether results travel as frames written and read straight on the pipe's file descriptor
#: (see :func:`_write_frame`); elsewhere (Windows) as pickles through the Connection
FRAMED = hasattr(os, "writev") and hasattr(os, "readv")
#: most buffers one ``writev`` takes (POSIX guarantees at least 16; Linux takes 1,024)
_IOV_MAX = 512 if sys.platform == "linux" else 16
_COUNT = struct.Struct("<Q")


def _dumps(value: Any, framed: bool) -> tuple[bytes, list[memoryview]]:
    """``value`` pickled; when ``framed``, with its large buffers out of band (pickle protocol 5:
    objects that expose :class:`pickle.PickleBuffer`, such as the items, are not copied into
    the pickle, and reach the pipe straight from where they are)."""
    if not framed:
        return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), []
    bufs: list[pickle.PickleBuffer] = []
    blob = pickle.dumps(value, protocol=5, buffer_callback=bufs.append)
    return blob, [b.raw() for b in bufs]


def _write_frame(fd: int, blob: bytes, bufs: list[memoryview]) -> None:
    """One result on the pipe: the number of parts, their sizes, then the pickle and its buffers,
    gathered by ``writev`` (no copy of them in this process)."""
    parts: list[bytes | memoryview] = [blob, *bufs]
    views = [memoryview(_COUNT.pack(len(parts)) + struct.pack(f"<{len(parts)}Q", *map(len, parts)))]
    views += [memoryview(p) for p in parts if len(p)]
    i = 0
    while i < len(views):
        n = os.writev(fd, views[i : i + _IOV_MAX])
        while n > 0:  # a pipe may take less than asked: go on from there
            if n >= len(views[i]):
                n -= len(views[i])
                i += 1
            else:
                views[i] = views[i][n:]
                n = 0


def _read_exact(fd: int, view: memoryview) -> None:
    while len(view):
        n = os.readv(fd, [view])
        if n == 0:
            raise EOFError("the worker's pipe closed")
        view = view[n:]


def _read_frame(fd: int) -> Any:
    """The result :func:`_write_frame` wrote: read into one buffer, unpickled with its out-of-band
    buffers as views of it."""
    head = bytearray(_COUNT.size)
    _read_exact(fd, memoryview(head))
    (count,) = _COUNT.unpack(head)
    sizes_raw = bytearray(8 * count)
    _read_exact(fd, memoryview(sizes_raw))
    sizes = struct.unpack(f"<{count}Q", sizes_raw)
    whole = memoryview(bytearray(sum(sizes)))
    _read_exact(fd, whole)
    ends = list(accumulate(sizes))
    views = [whole[end - size : end] for size, end in zip(sizes, ends, strict=True)]
    return pickle.loads(views[0], buffers=views[1:])


def _send_results(conn: Connection, out: queue.SimpleQueue[tuple[bytes, list[memoryview]] | None],
                  framed: bool) -> None:
    """A worker's sending thread: writes each pickled result as soon as the pipe takes it."""
    while (msg := out.get()) is not None:
        if framed:
            _write_frame(conn.fileno(), *msg)
        else:
            conn.send_bytes(msg[0])


def _worker_main(
    tasks: Connection,
    results: Connection,
    fn: Callable[[Any], Any],
    initializer: Callable[..., None] | None,
    initargs: tuple[Any, ...],
    framed: bool,
) -> None:
    """A worker process: runs ``fn`` on each task it receives, in order, until it receives None.

    Each result (or the exception raised) is pickled here and written by a thread of its own, so
    the worker goes on with its next task while the importing process is busy elsewhere and the
    pipe is full. Ctrl-C is the importing process's to handle: it stops the workers. ``framed``:
    see :data:`FRAMED`.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    keep_large_buffers()
    sys.setswitchinterval(0.0005)  # the sending thread gets the GIL back soon after each write
    if initializer is not None:
        initializer(*initargs)
    out: queue.SimpleQueue[tuple[bytes, list[memoryview]] | None] = queue.SimpleQueue()
    sender = threading.Thread(target=_send_results, args=(results, out, framed), daemon=True)
    sender.start()
    try:
        while True:
            try:
                task = tasks.recv()
            except EOFError:
                break
            if task is None:
                break
            try:
                msg = _dumps((fn(task), None), framed)
            except Exception as e:  # raised in the importing process at the task's turn
                try:
                    msg = _dumps((None, e), framed)
                except Exception:
                    msg = _dumps((None, RuntimeError(f"{type(e).__name__}: {e}")), framed)
            out.put(msg)
    finally:
        out.put(None)
        sender.join()


class _Worker:
    """A worker process, its two pipes, and the tasks handed to it whose results have not come."""

    def __init__(self, ctx: Any, fn: Callable[[Any], Any], initializer: Callable[..., None] | None,
                 initargs: tuple[Any, ...]) -> None:
        task_r, self.tasks = ctx.Pipe(duplex=False)
        self.results, result_w = ctx.Pipe(duplex=False)
        _widen_pipe(self.results)
        self.framed = FRAMED
        self.proc = ctx.Process(target=_worker_main,
                                args=(task_r, result_w, fn, initializer, initargs, self.framed), daemon=True)
        self.proc.start()
        task_r.close()  # the worker's ends: a worker that dies then reads as end of file here
        result_w.close()
        self.handed: deque[list[Any]] = deque()

    def hand(self, slot: list[Any]) -> None:
        try:
            self.tasks.send(slot[0])
        except OSError as e:  # the worker is gone
            raise self._died(e) from e
        slot[1] = self
        self.handed.append(slot)

    def receive(self, block: bool) -> bool:
        """Read the next result into its slot; False if none is there yet (``block`` waits for it)."""
        if not block and not self.results.poll():
            return False
        try:
            if self.framed:
                value = _read_frame(self.results.fileno())
            else:
                value = pickle.loads(self.results.recv_bytes())
        except (EOFError, OSError) as e:
            raise self._died(e) from e
        self.handed.popleft()[2] = value
        return True

    def _died(self, e: Exception) -> _WorkerDied:
        code = self.proc.exitcode
        return _WorkerDied(f"exit code {code}" if code is not None else str(e) or type(e).__name__)

    def stop(self, wait: bool) -> None:
        try:
            self.tasks.send(None)
        except OSError:
            pass
        self.tasks.close()
        if wait:
            self.proc.join(5)
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join()
        self.results.close()


class _WorkerDied(Exception):
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
) -> Generator[R, None, None]:
    """``map(fn, tasks)`` in ``workers`` processes; results in task order, ``window`` tasks in flight.

    With ``local`` (``fn``'s equivalent in this process), this process works too: whenever the
    next result is not ready, it takes a task in flight that no worker has been handed (see
    :func:`_to_run_here`) and runs it itself, instead of waiting. A caller that spends its time
    between results (the store writing the items) thus parses only when it would otherwise be
    idle, and one process per CPU suffices: with more processes than CPUs each one ran about 30 %
    slower (caches, switches).

    Each worker has a pipe for its tasks and one for its results, and this process reads and
    writes them itself: no thread of this process stands between a worker and its next task (a
    process pool's feeding and reading threads needed this process's GIL for each piece, and the
    worker waited for them a quarter of the time).

    An exception raised by ``fn`` or ``local`` is raised here, at its task's turn; the workers
    are then stopped. A worker that dies (killed, out of memory) is an :class:`ExternalError`
    saying so.
    """
    window = window or 8 * (workers + 1) + 2
    ctx = multiprocessing.get_context("spawn")
    if workers > 0:
        keep_large_buffers()  # each result read here is a buffer of a few MB
    # [task, worker once handed to one, (value, error) once run]
    slots: deque[list[Any]] = deque()
    it = iter(tasks)
    pool: list[_Worker] = []
    ok = False
    try:
        for _ in range(workers):
            pool.append(_Worker(ctx, fn, initializer, initargs))

        def fill() -> None:
            for w in pool:  # results already there: their workers' pipes are free again
                while w.handed and w.receive(block=False):
                    pass
            if len(slots) < window:
                slots.extend([task, None, None] for task in islice(it, window - len(slots)))
            # hand the earliest tasks nobody has to the workers, HANDED each (one running, the rest queued)
            free = [w for w in pool if len(w.handed) < HANDED]
            if not free:
                return
            for slot in slots:
                if slot[1] is None and slot[2] is None:
                    w = min(free, key=lambda w: len(w.handed))
                    w.hand(slot)
                    if len(w.handed) >= HANDED:
                        free.remove(w)
                        if not free:
                            return

        fill()
        while slots:
            head = slots[0]
            if head[2] is None:
                mine = _to_run_here(slots) if local is not None else None
                if mine is not None and local is not None:
                    try:
                        mine[2] = (local(mine[0]), None)
                    except Exception as e:  # raised at the task's turn, as a worker's would be
                        mine[2] = (None, e)
                    fill()
                    continue
                if head[1] is None:  # nobody has it and this process may not run it: hand it out
                    min(pool, key=lambda w: len(w.handed)).hand(head)
                worker = head[1]
                while head[2] is None:
                    worker.receive(block=True)
            slots.popleft()
            value, error = head[2]
            if error is not None:
                raise error
            yield value
            fill()
        ok = True
    except _WorkerDied as e:
        raise ExternalError(
            f"a worker process stopped abruptly ({e}; out of memory?); nothing was imported: "
            f"try again, or with {ENV_WORKERS}=0 to work in one process"
        ) from e
    finally:
        for w in pool:
            w.stop(wait=ok)
