"""Peak memory of a process tree, sampled from /proc (Linux), for the benchmark scripts."""

from __future__ import annotations

import os
import threading


class TreeRss:
    """Samples the summed RSS of a process (default: this one) and all its descendants every ``every`` s.

    Forkserver workers are not children of this process for ``getrusage``, and ``wait4`` gives
    only the largest process of a tree, so /proc is read.
    """

    def __init__(self, root: int | None = None, every: float = 0.2) -> None:
        self.root = os.getpid() if root is None else root
        self.every = every
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def tree_mb(self) -> float:
        parent: dict[int, int] = {}
        rss: dict[int, int] = {}
        page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                with open(f"/proc/{d}/stat") as fh:
                    parts = fh.read().rsplit(")", 1)[1].split()
                parent[int(d)] = int(parts[1])
                rss[int(d)] = int(parts[21]) * page_kb
            except (OSError, IndexError, ValueError):
                continue
        me = self.root
        total = 0
        for pid, kb in rss.items():
            p = pid
            while p and p != me and p in parent:
                p = parent[p]
            if p == me:
                total += kb
        return total / 1024

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, self.tree_mb())
            self._stop.wait(self.every)

    def stop(self) -> float:
        self._stop.set()
        self._t.join()
        return self.peak_mb
