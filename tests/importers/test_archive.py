"""Reading an export the same way from a folder or a ZIP."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from repostguard.importers._archive import ExportArchive


def _export(tmp_path: Path) -> dict[str, bytes]:
    files = {f"Archive/wall/wall{i}.html": os.urandom(3000 + 977 * i) for i in range(4)}
    files["Archive/index.html"] = b"<html></html>"
    return files


@pytest.mark.skipif(not hasattr(os, "posix_fadvise"), reason="no posix_fadvise on this system")
@pytest.mark.parametrize("as_zip", [False, True])
def test_prefetch_names_the_bytes_a_read_will_need(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, as_zip: bool
) -> None:
    """Prefetching a page asks the system for exactly the file, or the ZIP bytes that hold the
    member (its local header and its data), and reading it afterwards gives the same bytes."""
    files = _export(tmp_path)
    if as_zip:
        path = tmp_path / "export.zip"
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for name, data in files.items():
                z.writestr(name, data)
    else:
        path = tmp_path / "export"
        for name, data in files.items():
            (path / name).parent.mkdir(parents=True, exist_ok=True)
            (path / name).write_bytes(data)
    calls: list[tuple[int, int, int, int]] = []
    real = os.posix_fadvise

    def spy(fd: int, offset: int, length: int, advice: int) -> None:
        calls.append((os.fstat(fd).st_ino, offset, length, advice))
        real(fd, offset, length, advice)

    monkeypatch.setattr(os, "posix_fadvise", spy)
    with ExportArchive.open(path) as arc:
        for i in range(4):
            name = f"wall/wall{i}.html"
            calls.clear()
            arc.prefetch(name)
            assert len(calls) == 1
            ino, offset, length, advice = calls[0]
            assert advice == os.POSIX_FADV_WILLNEED
            if as_zip:
                assert ino == path.stat().st_ino
                info = arc.zip.getinfo("Archive/" + name)  # type: ignore[union-attr]
                with open(path, "rb") as fh:  # where the member's data really ends
                    fh.seek(info.header_offset + 26)
                    n, m = int.from_bytes(fh.read(2), "little"), int.from_bytes(fh.read(2), "little")
                end = info.header_offset + 30 + n + m + info.compress_size
                assert offset == info.header_offset and offset + length >= end
            else:
                assert ino == (path / "Archive" / name).stat().st_ino and (offset, length) == (0, 0)
            assert arc.read_bytes(name) == files["Archive/" + name]
        calls.clear()
        arc.prefetch("wall/missing.html")  # best effort: nothing to read, nothing raised
        assert calls == []


# --------------------------------------------------------------------------- wrapper folders
WRAPPED = {
    "Telegram Desktop/DataExport_2024-03-10/result.json": b"{}",
    "Telegram Desktop/DataExport_2024-03-10/chats/chat_001/photos/p.jpg": b"jpg",
    "__MACOSX/Telegram Desktop/._result.json": b"junk",
    "Telegram Desktop/.DS_Store": b"junk",
}


def _write(tmp_path: Path, files: dict[str, bytes], as_zip: bool) -> Path:
    if as_zip:
        path = tmp_path / "export.zip"
        with zipfile.ZipFile(path, "w") as z:
            for name, data in files.items():
                z.writestr(name, data)
        return path
    path = tmp_path / "export"
    for name, data in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_bytes(data)
    return path


@pytest.mark.parametrize("as_zip", [False, True])
def test_any_number_of_wrapper_folders_is_stripped(tmp_path: Path, as_zip: bool) -> None:
    """Two nested wrappers (junk beside them ignored): names, reads and detection agree."""
    from repostguard.importers._jsonstream import probe, read_head

    path = _write(tmp_path, WRAPPED, as_zip)
    with ExportArchive.open(path) as arc:
        assert arc.prefix == "Telegram Desktop/DataExport_2024-03-10/"
        assert set(arc.names()) >= {"result.json", "chats/chat_001/photos/p.jpg"}
        assert arc.exists("result.json") and arc.read_bytes("chats/chat_001/photos/p.jpg") == b"jpg"
        assert arc.display("result.json").endswith("Telegram Desktop/DataExport_2024-03-10/result.json")
        assert list(arc.glob("chats/", ".jpg")) == ["chats/chat_001/photos/p.jpg"]
        assert arc.size("result.json") == 2
    assert probe(path, ["result.json"]) == "result.json"
    assert read_head(path, "result.json") == b"{}"
    assert probe(path, ["DataExport_2024-03-10/result.json"]) is None  # one root, not two


@pytest.mark.parametrize("as_zip", [False, True])
def test_a_content_folder_is_never_taken_for_a_wrapper(tmp_path: Path, as_zip: bool) -> None:
    """An X archive zipped as its data/ folder, inside a wrapper: only the wrapper goes."""
    from repostguard.importers._archive import wrapper_prefix

    path = _write(tmp_path, {"Archive/data/tweets.js": b"x", "Archive/data/like.js": b"y"}, as_zip)
    with ExportArchive.open(path) as arc:
        assert arc.prefix == "Archive/" and sorted(arc.names()) == ["data/like.js", "data/tweets.js"]
    assert wrapper_prefix(["a/b/c.txt", "a/b/d/e.txt"]) == "a/b/"
    assert wrapper_prefix(["a/b/c.txt", "a/d.txt"]) == "a/"
    assert wrapper_prefix(["c.txt"]) == ""
    assert wrapper_prefix(["your_instagram_activity/likes/liked_posts.json"]) == ""
