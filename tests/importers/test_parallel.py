"""The ordered process map that importers parse large archives with."""

from __future__ import annotations

import pytest

from repostguard.importers._parallel import ordered_map, worker_count


@pytest.mark.parametrize("local", [None, abs])
def test_results_in_task_order(local: object) -> None:
    tasks = list(range(-40, 40))
    got = list(ordered_map(abs, tasks, 1, local=local, window=5))  # type: ignore[arg-type]
    assert got == [abs(t) for t in tasks]


@pytest.mark.parametrize("local", [None, int])
def test_error_raised_at_its_turn(local: object) -> None:
    got: list[int] = []
    with pytest.raises(ValueError, match="invalid literal"):
        for v in ordered_map(int, ["1", "2", "x", "4", "5", "6"], 1, local=local):  # type: ignore[arg-type]
            got.append(v)
    assert got == [1, 2]


def test_worker_count_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPOSTGUARD_IMPORT_WORKERS", "0")
    assert worker_count() == 0
    monkeypatch.setenv("REPOSTGUARD_IMPORT_WORKERS", "3")
    assert worker_count() == 3
    monkeypatch.delenv("REPOSTGUARD_IMPORT_WORKERS")
    assert 0 <= worker_count() <= 4


def test_cpus_follow_the_affinity(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process limited to some CPUs (a container, taskset) counts those, for every parallel step."""
    import os

    from repostguard import system

    monkeypatch.delenv("REPOSTGUARD_IMPORT_WORKERS", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    assert system.usable_cpus() == 3
    assert worker_count() == 2  # the importing process parses too
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {5}, raising=False)
    assert system.usable_cpus() == 1
    assert worker_count() == 0
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)  # as on Windows and macOS
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert system.usable_cpus() == 6


def test_a_worker_that_dies_is_a_clear_error() -> None:
    import os

    from repostguard.errors import ExternalError

    with pytest.raises(ExternalError, match="worker process stopped abruptly.*REPOSTGUARD_IMPORT_WORKERS=0"):
        list(ordered_map(os._exit, [3, 4], 1))


def test_stopping_early_stops_the_workers() -> None:
    """A consumer that stops reading (an error while storing, Ctrl-C) leaves no worker behind."""
    import multiprocessing

    results = ordered_map(abs, list(range(-50, 0)), 1, window=6)
    assert [next(results), next(results)] == [50, 49]
    results.close()
    assert multiprocessing.active_children() == []


def test_an_error_that_does_not_pickle_still_reaches_its_turn() -> None:
    """A worker's exception that cannot travel back is raised here as a RuntimeError with its text."""
    with pytest.raises(RuntimeError, match="Unpicklable: cannot travel"):
        list(ordered_map(_raise_unpicklable, [1], 1))


class Unpicklable(Exception):
    def __init__(self, msg: str) -> None:
        super().__init__(msg)
        self.handle = lambda: None  # a lambda does not pickle

    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("no")


def _raise_unpicklable(x: int) -> int:
    raise Unpicklable("cannot travel")
