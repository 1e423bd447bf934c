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


def _item_with_text(n: int) -> object:
    """An item as a worker sends it: encoded (raw record and text as bytes, see prepare_to_send)."""
    from repostguard.model import Item

    item = Item(platform="vk", native_id=f"wall1_{n}", kind="post", text="слово " * n,
                raw=("<div>" + "x" * n + "</div>").encode("cp1251"), raw_encoding="windows-1251")
    item.prepare_to_send()
    return item


def _sent(item: object) -> dict[str, object]:
    """What an item carries from a worker (its text and raw record encoded, their types checked)."""
    state = dict(item.__getstate__())  # type: ignore[attr-defined]
    assert type(state["_text_utf8"]) is bytes and type(state["_stored_raw"][0]) is bytes
    return state


def _items_of(n: int) -> list[object]:
    return [_item_with_text(k) for k in (n, 10, 5000, 0)]


@pytest.mark.parametrize("framed", [True, False])
def test_items_arrive_whole_either_way(monkeypatch: pytest.MonkeyPatch, framed: bool) -> None:
    """Items travel as frames with their encoded text out of band (POSIX) or as plain pickles
    (Windows): the same items arrive, their text and raw record as bytes."""
    from repostguard.importers import _parallel

    if framed and not _parallel.FRAMED:
        pytest.skip("no writev/readv on this system")
    monkeypatch.setattr(_parallel, "FRAMED", framed)
    got = list(ordered_map(_items_of, [3000, 70000, 1], 1))
    want = [_items_of(n) for n in (3000, 70000, 1)]
    assert [[_sent(i) for i in page] for page in got] == [[_sent(i) for i in page] for page in want]
    big = got[1][0]
    assert type(big._text_utf8) is bytes and type(big._stored_raw[0]) is bytes  # type: ignore[attr-defined]
    assert big.text == "слово " * 70000  # type: ignore[attr-defined]


def test_large_buffers_go_out_of_band_with_protocol_5() -> None:
    import pickle

    item = _item_with_text(5000)
    bufs: list[pickle.PickleBuffer] = []
    blob = pickle.dumps(item, protocol=5, buffer_callback=bufs.append)
    assert sorted(len(b.raw()) for b in bufs) == [5011, len("слово ".encode()) * 5000]
    assert len(blob) < 1000
    back = pickle.loads(blob, buffers=[memoryview(b.raw()) for b in bufs])
    assert _sent(back) == _sent(item)
    for protocol in (4, 5):  # in band: a small item, or another protocol
        small = _item_with_text(3)
        for it in (small, item):
            copy = pickle.loads(pickle.dumps(it, protocol=protocol))
            assert _sent(copy) == _sent(it)


def test_frames_survive_partial_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pipe may take part of a write: the frame goes on from there (here writev takes 7 bytes
    at a time and at most 3 buffers), and is read back whole."""
    import os
    import threading

    from repostguard.importers import _parallel

    if not _parallel.FRAMED:
        pytest.skip("no writev/readv on this system")
    real = os.writev
    calls = []

    def stingy(fd: int, bufs: list[memoryview]) -> int:
        calls.append(len(bufs))
        first = bytes(bufs[0])[:7]
        return real(fd, [first])

    monkeypatch.setattr(os, "writev", stingy)
    monkeypatch.setattr(_parallel, "_IOV_MAX", 3)
    value = {"items": _items_of(6000), "note": "ok"}
    blob, bufs = _parallel._dumps(value, True)
    assert len(bufs) == 4  # two items with text and raw record large enough
    r, w = os.pipe()
    try:
        writer = threading.Thread(target=_parallel._write_frame, args=(w, blob, bufs))
        writer.start()
        got = _parallel._read_frame(r)
        writer.join()
    finally:
        os.close(r)
        os.close(w)
    assert max(calls) <= 3 and len(calls) > 100
    assert got["note"] == "ok"
    assert [_sent(i) for i in got["items"]] == [_sent(i) for i in value["items"]]  # type: ignore[index]


def test_a_frame_cut_short_is_end_of_file() -> None:
    import os

    from repostguard.importers import _parallel

    if not _parallel.FRAMED:
        pytest.skip("no writev/readv on this system")
    blob, bufs = _parallel._dumps(_items_of(6000), True)
    r, w = os.pipe()
    whole = bytearray()
    head = _parallel._COUNT.pack(1 + len(bufs))
    import struct

    whole += head + struct.pack(f"<{1 + len(bufs)}Q", len(blob), *map(len, bufs)) + blob
    os.write(w, bytes(whole[:-10]))
    os.close(w)
    with pytest.raises(EOFError):
        _parallel._read_frame(r)
    os.close(r)
