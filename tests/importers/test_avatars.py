"""Profile pictures are items of their own (kind ``avatar``), so they are read, matched, decided and cleaned
up like posts: Telegram's ``profile_pictures``, X's ``profile_media/`` (avatar and header), Instagram's
``media/profile/``, Mastodon's ``avatar.*``/``header.*``. Exports are built like the held-out ones, with
invented names; the pictures are plain drawings."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from PIL import Image

from repostguard.importers.registry import detect
from repostguard.model import Item
from tests.importers.heldout import build_mastodon, build_telegram, build_twitter


def _picture(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 64), (90, 140, 200)).save(path)
    return path


def _avatars(path: Path, media: Path) -> list[Item]:
    return [i for i in detect(path, media).iter_items() if i.kind == "avatar"]


def test_telegram_profile_pictures_are_items(tmp_path: Path) -> None:
    root = build_telegram(tmp_path)
    export = next(root.rglob("result.json"))
    data = json.loads(export.read_text("utf-8"))
    data["profile_pictures"] = [{"date": "2020-03-01T10:00:00", "date_unixtime": "1583046000",
                                 "photo": "profile_pictures/photo_1@01-03-2020_10-00-00.jpg"},
                                {"date": "2021-03-01T10:00:00", "date_unixtime": "1614592800",
                                 "photo": "profile_pictures/photo_2@01-03-2021_10-00-00.jpg"}]
    export.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    _picture(export.parent / "profile_pictures" / "photo_1@01-03-2020_10-00-00.jpg")
    items = _avatars(root, tmp_path / "media")
    assert [i.native_id for i in items] == ["avatar/photo_1@01-03-2020_10-00-00.jpg",
                                            "avatar/photo_2@01-03-2021_10-00-00.jpg"]
    assert items[0].date is not None and items[0].date.startswith("2020-03-01")
    assert items[0].attachments[0].path and Path(items[0].attachments[0].path).is_file()
    assert items[1].attachments[0].path is None  # named by the export, not in it
    assert items[0].url == "https://t.me/gleb_vydumanny"


def test_x_profile_media_avatar_and_header(tmp_path: Path) -> None:
    archive = build_twitter(tmp_path)
    folder = tmp_path / "x-export"
    with zipfile.ZipFile(archive) as z:
        z.extractall(folder)
    data = next(folder.rglob("account.js")).parent
    profile = [{"profile": {"description": {"bio": "", "website": "", "location": ""},
                            "avatarMediaUrl": "https://pbs.twimg.com/profile_images/1/avatar01.jpg",
                            "headerMediaUrl": "https://pbs.twimg.com/profile_banners/1/1700000000"}}]
    (data / "profile.js").write_text("window.YTD.profile.part0 = " + json.dumps(profile), "utf-8")
    _picture(data / "profile_media" / "1600000000000000001-avatar01.jpg")
    _picture(data / "profile_media" / "1600000000000000001-1700000000.jpg")
    items = _avatars(folder, tmp_path / "media")
    roles = sorted(i.attachments[0].extra["role"] for i in items)
    assert roles == ["avatar", "header"] and all(Path(str(i.attachments[0].path)).is_file() for i in items)
    assert all(i.url == "https://x.com/gleb_vydumanny" for i in items)


def test_mastodon_avatar(tmp_path: Path) -> None:
    build_mastodon(tmp_path)
    folder = next(p.parent for p in tmp_path.rglob("actor.json"))
    _picture(folder / "avatar.png")
    items = _avatars(folder, tmp_path / "media")
    assert [(i.native_id, i.attachments[0].extra["role"]) for i in items] == [("avatar/avatar.png", "avatar")]


def test_instagram_profile_photo(tmp_path: Path) -> None:
    from tests.importers.heldout import build_instagram

    archive = build_instagram(tmp_path)
    folder = tmp_path / "ig-export"
    with zipfile.ZipFile(archive) as z:
        z.extractall(folder)
    root = next(folder.rglob("personal_information.json")).parents[2]
    _picture(root / "media" / "profile" / "202011" / "17900000000000001.jpg")
    items = _avatars(folder, tmp_path / "media")
    assert [i.native_id for i in items] == ["avatar/17900000000000001.jpg"]
    assert Path(str(items[0].attachments[0].path)).is_file() and items[0].platform == "instagram"
