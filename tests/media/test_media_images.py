"""Decoding: formats, EXIF orientation, animated frames, and every kind of bad picture."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from repostguard.media import images


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return struct.pack(">I", len(data)) + kind + data + crc


def png_bomb(w: int = 100_000, h: int = 100_000) -> bytes:
    """A tiny PNG whose header claims w x h pixels."""
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1000)
    chunks = _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def _jpeg(im: Image.Image, **kw: object) -> bytes:
    b = io.BytesIO()
    im.save(b, "JPEG", **kw)
    return b.getvalue()


def test_png_bomb_is_refused_without_decoding() -> None:
    data = png_bomb()
    assert len(data) < 2000
    with pytest.raises(images.BadImage, match="бомбу распаковки"):
        images.decode(data)


def test_jpeg_claiming_huge_size_is_refused() -> None:
    data = bytearray(_jpeg(Image.new("RGB", (16, 16), "red")))
    sof = data.find(b"\xff\xc0")
    assert sof > 0
    data[sof + 5 : sof + 9] = struct.pack(">HH", 65000, 65000)  # height, width
    with pytest.raises(images.BadImage, match="бомбу распаковки"):
        images.decode(bytes(data))


def test_truncated_jpeg_and_non_image(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    full = _jpeg(Image.fromarray(rng.integers(0, 255, (300, 300, 3), dtype=np.uint8)), quality=90)
    with pytest.raises(images.BadImage, match="картинка повреждена"):
        images.decode(full[: len(full) // 2])
    with pytest.raises(images.BadImage, match="это не картинка"):
        images.decode(b"<html><body>this is not a picture</body></html>")
    with pytest.raises(images.BadImage, match="пустой файл"):
        (tmp_path / "e.jpg").write_bytes(b"")
        images.read_bytes(tmp_path / "e.jpg")


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    p = tmp_path / "huge.jpg"
    with open(p, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: costs no disk and must not be read
    with pytest.raises(images.BadImage, match="больше предела"):
        images.read_bytes(p)


def test_cmyk_and_16bit_png_decode_to_rgb() -> None:
    cmyk = _jpeg(Image.new("CMYK", (64, 48), (0, 255, 255, 0)))  # red in CMYK
    d = images.decode(cmyk)
    assert d.frames[0].shape == (48, 64, 3)
    assert d.frames[0][..., 0].mean() > 150 and d.frames[0][..., 1].mean() < 100
    arr = (np.linspace(0, 65535, 80 * 60).reshape(60, 80)).astype(np.uint16)
    b = io.BytesIO()
    Image.fromarray(arr).save(b, "PNG")
    d16 = images.decode(b.getvalue())
    f = d16.frames[0]
    assert f.dtype == np.uint8 and f.shape == (60, 80, 3)
    assert f.min() == 0 and f.max() == 255  # stretched, not clipped to white


def test_exif_orientation_is_applied() -> None:
    im = Image.new("RGB", (200, 100), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 CW on display
    data = _jpeg(im, exif=exif.tobytes())
    d = images.decode(data)
    assert d.frames[0].shape[:2] == (200, 100)  # upright: now taller than wide


def test_gif_frames_first_and_later() -> None:
    frames = [Image.new("RGB", (40, 30), (i * 25, 255 - i * 25, 0)) for i in range(10)]
    b = io.BytesIO()
    frames[0].save(b, "GIF", save_all=True, append_images=frames[1:], duration=50)
    d = images.decode(b.getvalue(), all_frames=True)
    assert 2 <= len(d.frames) <= images.MAX_FRAMES
    assert not np.array_equal(d.frames[0], d.frames[-1])
    assert len(images.decode(b.getvalue()).frames) == 1


def test_webp_png_alpha_and_half_scale() -> None:
    im = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    b = io.BytesIO()
    im.save(b, "WEBP")
    d = images.decode(b.getvalue(), scale=2)
    assert d.frames[0].shape == (150, 200, 3)
    assert d.frames[0].mean() > 250  # transparency over white
    j = images.decode(_jpeg(Image.new("RGB", (800, 600), "blue")), scale=2)
    assert j.frames[0].shape == (300, 400, 3) and (j.width, j.height) == (800, 600)


def test_heic_when_available() -> None:
    if not images.heif_available():
        pytest.skip("pillow-heif not available")
    b = io.BytesIO()
    try:
        Image.new("RGB", (64, 64), "green").save(b, "HEIF")
    except Exception as e:  # noqa: BLE001 - libheif without an encoder
        pytest.skip(f"no HEIF encoder here ({e})")
    d = images.decode(b.getvalue())
    assert d.frames[0].shape == (64, 64, 3) and d.frames[0][..., 1].mean() > 100


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000), st.sampled_from([b"", b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n", b"GIF89a",
                                                  b"RIFF\x00\x00\x00\x00WEBP"]))
def test_junk_never_crashes(junk: bytes, magic: bytes) -> None:
    try:
        d = images.decode(magic + junk)
    except images.BadImage as e:
        assert str(e)
    else:
        assert d.frames and d.frames[0].dtype == np.uint8
