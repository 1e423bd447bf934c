"""Text check and OCR on synthetic memes (needs Tesseract rus+eng and DejaVu fonts)."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from repostguard import imaging
from repostguard.errors import ExternalError
from repostguard.media import images, ocr, textcheck

from .conftest import CAPTION_BOTTOM, CAPTION_TOP, needs_ocr
from .synth import background, caption, make_set, meme


def _gray_half(p: Path) -> np.ndarray:
    return textcheck.to_gray(images.decode(p.read_bytes(), scale=2).frames[0])


def test_text_check_separates_memes_from_blanks(tmp_path: Path) -> None:
    made = make_set(tmp_path, 6, 6, seed=21)
    flagged_text = sum(textcheck.has_text(_gray_half(p)) for p, t in made if t)
    flagged_blank = sum(textcheck.has_text(_gray_half(p)) for p, t in made if not t)
    assert flagged_text >= 5  # the plain low-contrast style may be missed now and then
    assert flagged_blank <= 1


def test_text_check_finds_outlined_and_band_captions() -> None:
    for style in ("meme", "band"):
        for seed in range(3):
            rng = random.Random(seed)
            im = meme(rng, 700, 600, caption(rng), style)
            assert textcheck.has_text(textcheck.to_gray(np.asarray(im.reduce(2)))), (style, seed)
    blank = background(random.Random(1), 700, 600).reduce(2)
    assert not textcheck.has_text(textcheck.to_gray(np.asarray(blank)))


@needs_ocr
def test_ocr_reads_white_outlined_caption(pics: dict[str, Path]) -> None:
    eng = ocr.OcrEngine()
    text = eng.read(images.decode(pics["meme1"].read_bytes()).frames[0]).upper()
    words = (CAPTION_TOP + " " + CAPTION_BOTTOM).split()
    found = sum(w in text for w in words)
    assert found >= len(words) - 1, text


@needs_ocr
def test_ocr_reads_band_caption(pics: dict[str, Path]) -> None:
    eng = ocr.OcrEngine()
    text = eng.read(images.decode(pics["meme2"].read_bytes()).frames[0]).upper()
    assert "ПОНЕДЕЛЬНИК" in text and "РАБОТА" in text, text


def test_missing_language_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("tesserocr")
    (tmp_path / "eng.traineddata").write_bytes(b"x")
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    monkeypatch.setattr(imaging, "TESSDATA_CANDIDATES", ())
    with pytest.raises(ExternalError) as e:
        ocr.check_engine()
    msg = str(e.value)
    assert "нет данных Tesseract для языков: русский" in msg and "apt-get install" in msg and "\n" not in msg
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path / "nothing"))
    with pytest.raises(ExternalError, match="не найдены данные языков для Tesseract"):
        ocr.check_engine()


def test_white_text_mask() -> None:
    rgb = np.zeros((10, 10, 3), np.uint8)
    rgb[2:4, 2:8] = 255
    rgb[6, :] = (255, 240, 40)  # yellow: saturated, not white text
    m = ocr.white_text_mask(rgb)
    assert m[3, 5] == 0 and m[0, 0] == 255 and m[6, 5] == 255


def test_clean_text() -> None:
    assert ocr.clean_text("  a  b\n\n\n c \x0c") == "a b\nc"


def test_outline_mask_drops_light_background_keeps_outlined_letters() -> None:
    rgb = np.full((60, 120, 3), 235, np.uint8)  # light wall
    rgb[20:40, 10:50] = 0  # a black outline block ...
    rgb[27:33, 15:45] = 255  # ... around a thin white letter stroke
    plain = ocr.white_text_mask(rgb)
    outlined = ocr.white_text_mask(rgb, 7)
    assert plain[5, 100] == 0 and outlined[5, 100] == 255  # the wall is gone
    assert outlined[30, 30] == 0  # the letter stays
    assert ocr.outline_size(60, 800) == 8 and ocr.outline_size(None, 800) == 8
    assert 7 <= ocr.outline_size(1000, 50) <= 41


def test_choose_passes() -> None:
    rgb = np.full((40, 200, 3), (40, 90, 160), np.uint8)
    rgb[10:30, 10:190:4] = 255  # white letter strokes on a blue picture
    assert ocr.choose_passes(rgb, [(10, 10, 180, 20)]) == (False, True)
    band = np.full((40, 200, 3), 255, np.uint8)
    band[10:30, 10:190:4] = 0  # black letters on a white band
    assert ocr.choose_passes(band, [(10, 10, 180, 20)]) == (True, False)
    assert ocr.choose_passes(band, []) == (True, True)


@pytest.mark.parametrize(
    ("platform", "says"),
    [("linux", "apt-get install tesseract-ocr tesseract-ocr-rus"), ("darwin", "brew install tesseract"),
     ("win32", "Tesseract для Windows")],
)
def test_install_hint_fits_the_system(platform: str, says: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from repostguard.media.ocr import install_hint

    monkeypatch.setattr(sys, "platform", platform)
    hint = str(install_hint())
    assert says in hint and "--no-ocr" in hint
    assert ("apt-get" in hint) == (platform == "linux")


def test_tessdata_of_a_windows_install_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Windows installers put the language data under Program Files\\Tesseract-OCR\\tessdata."""
    import sys

    from repostguard.media import ocr

    data = tmp_path / "Tesseract-OCR" / "tessdata"
    data.mkdir(parents=True)
    for lang in ("rus", "eng"):
        (data / f"{lang}.traineddata").write_bytes(b"x")
    monkeypatch.delenv("TESSDATA_PREFIX", raising=False)
    monkeypatch.setattr(imaging, "TESSDATA_CANDIDATES", ())
    monkeypatch.setenv("ProgramFiles", str(tmp_path))
    monkeypatch.setattr(sys, "platform", "linux")
    assert ocr.tessdata_dir() is None  # only looked for on Windows
    monkeypatch.setattr(sys, "platform", "win32")
    assert ocr.tessdata_dir() == str(data)
