"""What the machine offers the process: the one place that counts CPUs for the parallel steps."""

from __future__ import annotations

import os


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity where the system tells it, as in a container
    limited to some CPUs), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1
