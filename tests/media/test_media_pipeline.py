"""prepare(): OCR texts per item, cache and resume, bad pictures counted and named, parallel."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from repostguard.errors import ExternalError
from repostguard.pipeline import media as pipeline
from repostguard.pipeline.media import prepare
from repostguard.store import Store

from .conftest import CAPTION_BOTTOM, CAPTION_TOP, add_items, needs_ocr, photo_item
from .test_media_images import png_bomb


def _bad_files(d: Path) -> dict[str, Path]:
    d.mkdir(parents=True, exist_ok=True)
    out = {"bomb": d / "bomb.png", "notimg": d / "notimg.jpg", "big": d / "big.jpg", "trunc": d / "trunc.jpg"}
    out["bomb"].write_bytes(png_bomb())
    out["notimg"].write_text("<html>not a picture</html>")
    with open(out["big"], "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    return out


@needs_ocr
def test_prepare_reads_memes_and_skips_bad_pictures(store: Store, pics: dict[str, Path], tmp_path: Path
                                                     ) -> None:
    bad = _bad_files(tmp_path / "bad")
    data = pics["meme1"].read_bytes()
    bad["trunc"].write_bytes(data[: len(data) // 3])
    items = [
        photo_item("a", pics["meme1"]),
        photo_item("b", pics["blank"], pics["meme2"]),
        photo_item("c", *bad.values(), tmp_path / "missing.jpg"),
    ]
    add_items(store, items)
    notes: list[str] = []
    stats = pipeline.MediaStats()
    out = prepare(store, progress=False, notes=notes, jobs=2)
    ids = {it.native_id: it.id for it in items}
    assert set(out) == {ids["a"], ids["b"]}
    assert out[ids["b"]][0][0] == "attachments[1].ocr"  # the blank (index 0) has no text
    text_a = out[ids["a"]][0][1].upper()
    assert sum(w in text_a for w in (CAPTION_TOP + " " + CAPTION_BOTTOM).split()) >= 4, text_a
    joined = "\n".join(notes)
    for name in ("bomb.png", "notimg.jpg", "big.jpg", "trunc.jpg", "missing.jpg"):
        assert name in joined, name
    assert "слишком большие — 4" in joined and "не найдено — 1" in joined
    # second run: everything cached, nothing decoded again
    stats = pipeline.MediaStats()
    out2 = pipeline.prepare(store, progress=False, notes=[], jobs=2, stats=stats)
    assert out2 == out and stats.processed == 0 and stats.cached == stats.pictures == 6
    row = store.conn.execute("SELECT count(*) FROM media_cache WHERE status='ok' AND has_text=0").fetchone()
    assert row[0] == 1  # the blank was skipped by the text check


def test_prepare_without_ocr_hashes_and_resumes_after_interrupt(
    store: Store, pics: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = []
    for k in range(6):
        p = tmp_path / f"p{k}.jpg"
        shutil.copy(pics["blank"], p)
        with open(p, "ab") as fh:
            fh.write(bytes([k]))  # distinct content, same picture
        files.append(p)
    add_items(store, [photo_item(f"i{k}", p) for k, p in enumerate(files)])
    real = pipeline._work
    calls = {"n": 0}

    def flaky(args: tuple[str, str, bool, bool]) -> pipeline.PictureResult:
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt
        return real(args)

    monkeypatch.setattr(pipeline, "_work", flaky)
    with pytest.raises(KeyboardInterrupt):
        pipeline.prepare(store, progress=False, notes=[], jobs=1, ocr=False)
    assert store.conn.execute("SELECT count(*) FROM media_cache").fetchone()[0] == 3
    monkeypatch.setattr(pipeline, "_work", real)
    stats = pipeline.MediaStats()
    pipeline.prepare(store, progress=False, notes=[], jobs=1, ocr=False, stats=stats)
    assert stats.cached == 3 and stats.processed == 3
    rows = store.conn.execute("SELECT pdq, dhash, pdq_quality FROM media_cache").fetchall()
    assert len(rows) == 6 and all(len(r[0]) == 64 and len(r[1]) == 16 for r in rows)


def test_missing_engine_hashes_the_pictures_and_says_so(store: Store, pics: dict[str, Path],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """No OCR engine or language data (a one-file app without tessdata, a machine without Tesseract): the
    scan goes on, the pictures are hashed but not read, a note says so, and a later scan reads them."""
    from repostguard.media import ocr

    add_items(store, [photo_item("x", pics["meme1"])])

    def broken() -> str:
        raise ExternalError("err_ocr_skipped", reason="—")  # any ExternalError of check_engine

    monkeypatch.setattr(ocr, "check_engine", broken)
    notes: list[str] = []
    prepare(store, progress=False, notes=notes)
    assert len(notes) == 1 and notes[0].startswith("текст на картинках не прочитан")
    rows = store.conn.execute("SELECT pdq, ocr_version FROM media_cache").fetchall()
    assert len(rows) == 1 and rows[0][0] and rows[0][1] is None  # hashed, not read: read when OCR is back


def test_no_photos_no_engine_needed(store: Store) -> None:
    from repostguard.model import Item

    add_items(store, [Item(platform="generic", native_id="t", kind="post", text="hello", raw={})])
    assert prepare(store, progress=False, notes=[]) == {}


@needs_ocr
def test_gif_caption_in_a_later_frame_is_read(store: Store, tmp_path: Path) -> None:
    import random

    from .synth import background, meme

    plain = background(random.Random(2), 640, 480)
    captioned = meme(random.Random(4), 640, 480, ["ПЯТНИЦА ВЫХОДНЫЕ"], "band").resize((640, 480))
    frames = [plain] * 6 + [captioned] * 6
    p = tmp_path / "anim.gif"
    frames[0].save(p, save_all=True, append_images=frames[1:], duration=80)
    add_items(store, [photo_item("g", p)])
    out = prepare(store, progress=False, notes=[], jobs=1)
    text = " ".join(t for v in out.values() for _, t in v).upper()
    assert "ПЯТНИЦА" in text or "ВЫХОДНЫЕ" in text, text


def test_cli_media_process(pics: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from repostguard.cli import main

    db = tmp_path / "w.sqlite"
    with Store.open(db) as s:
        add_items(s, [photo_item("a", pics["blank"]), photo_item("b", pics["blank"])])
    main(["media", "process", "--no-ocr", "-q", "--db", str(db)])
    out = capsys.readouterr().out
    assert "фото во вложениях: 2, картинок: 1" in out and "обработаны сейчас: 1" in out
    main(["media", "groups", "--db", str(db)])
    assert "2 записи: a, b" in capsys.readouterr().out  # the same picture in two items is one group


@needs_ocr
def test_hash_only_pass_then_ocr_pass_reads_the_text(store: Store, pics: dict[str, Path]) -> None:
    add_items(store, [photo_item("a", pics["meme2"]), photo_item("b", pics["blank"])])
    assert pipeline.prepare(store, progress=False, notes=[], jobs=1, ocr=False) == {}
    stats = pipeline.MediaStats()
    out = pipeline.prepare(store, progress=False, notes=[], jobs=1, stats=stats)
    assert stats.processed == 1 and stats.cached == 1  # only the picture with text is read again
    assert "РАБОТА" in " ".join(t for v in out.values() for _, t in v).upper()
