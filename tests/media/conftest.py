"""Fixtures of the media tests: synthetic pictures, a store with photo items, engine skips."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from repostguard.model import Attachment, Item
from repostguard.store import Store

from .synth import background, fonts_available, meme


def _engine_ok() -> str | None:
    try:
        from repostguard.media.ocr import check_engine

        check_engine()
    except Exception as e:  # noqa: BLE001
        return str(e)
    return None


ENGINE_PROBLEM = _engine_ok()
needs_ocr = pytest.mark.skipif(ENGINE_PROBLEM is not None,
                               reason=f"Tesseract rus+eng not usable here: {ENGINE_PROBLEM}")
needs_fonts = pytest.mark.skipif(not fonts_available(),
                                 reason="DejaVu fonts (fonts-dejavu-core) not installed")

CAPTION_TOP = "СВОБОДА ИЛИ СМЕРТЬ"
CAPTION_BOTTOM = "БЕЛЫЙ КОТ ПРАВДА"


@pytest.fixture(scope="session")
def pics(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A few pictures: two memes (one also recompressed and resized), a blank, and bad files."""
    if not fonts_available():
        pytest.skip("DejaVu fonts (fonts-dejavu-core) not installed")
    d = tmp_path_factory.mktemp("pics")
    rng = random.Random(3)
    out: dict[str, Path] = {}
    m1 = meme(rng, 800, 700, [CAPTION_TOP, CAPTION_BOTTOM], "meme")
    m1.save(d / "meme1.jpg", quality=88)
    out["meme1"] = d / "meme1.jpg"
    m1.resize((560, 490)).save(d / "meme1_small.jpg", quality=60)
    out["meme1_small"] = d / "meme1_small.jpg"
    m2 = meme(random.Random(11), 760, 760, ["ОПЯТЬ РАБОТА", "ПОНЕДЕЛЬНИК"], "band")
    m2.save(d / "meme2.png")
    out["meme2"] = d / "meme2.png"
    background(random.Random(5), 700, 600).save(d / "blank.jpg", quality=85)
    out["blank"] = d / "blank.jpg"
    return out


@pytest.fixture()
def store() -> Store:
    s = Store.open(None)
    yield s
    s.close()


def photo_item(native_id: str, *paths: Path | str, platform: str = "generic", kind: str = "repost",
               urls: list[str] | None = None, author: str = "self") -> Item:
    atts = [Attachment(type="photo", path=str(p)) for p in paths]
    atts += [Attachment(type="photo", url=u) for u in urls or []]
    return Item(platform=platform, native_id=native_id, kind=kind, text="", attachments=atts, author=author,
                raw={"id": native_id})


def add_items(store: Store, items: list[Item]) -> None:
    store.import_items(items, source="test", platform=items[0].platform)


def copy(src: Path, dst: Path) -> Path:
    shutil.copy(src, dst)
    return dst
