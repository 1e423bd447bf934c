"""VK profile pictures end to end: an invented «Архив данных» whose profile photo and profile pictures album
(``-6``) link to a fake image server on 127.0.0.1; import, ``media fetch``, scan, decide, checklist.

The archive links to pictures, not files: the profile photo and the album's photos are items of kind
``avatar``, ``media fetch`` downloads them (the profile photo's link exactly as the archive gives it, crop
parameters included), and the scan reads them like any photo: a drawn caption quoting a listed item gives a
finding on the profile picture. Every name, id and text here is invented.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from datetime import datetime as D
from pathlib import Path

import pytest
from fakes.vk_archive import VkArchive, photo, profile_photo, profile_row

from repostguard.actions import checklist, fetch
from repostguard.actions.planner import build_plan
from repostguard.cli import main
from repostguard.decisions import decide
from repostguard.pipeline.media import photo_refs
from repostguard.pipeline.scan import import_path
from repostguard.store import Store

from .conftest import needs_ocr
from .test_media_scan import FSM_CSV

OWNER = 100001
AVATAR_PATH = "/ok/avatar-crop.jpg"
#: the shape of the archive's profile photo link: a square crop of the picture, asked for at 50x50
AVATAR_QUERY = "?quality=95&crop=10,0,700,700&as=32x32,48x48,72x72&ava=1&cs=50x50"


class _Pictures(http.server.BaseHTTPRequestHandler):
    """Serves the pictures of :attr:`files` by path (query ignored), 404 for anything else."""

    files: dict[str, bytes] = {}
    hits: list[str] = []

    def log_message(self, *a: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        _Pictures.hits.append(self.path)
        body = _Pictures.files.get(self.path.split("?")[0])
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture()
def server(pics: dict[str, Path]) -> Iterator[str]:
    _Pictures.files = {AVATAR_PATH: pics["meme1"].read_bytes(), "/ok/album-6.jpg": pics["meme1_small"].read_bytes(),
                       "/ok/holiday.jpg": pics["blank"].read_bytes()}
    _Pictures.hits = []
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pictures)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def build_archive(root: Path, server: str) -> Path:
    """A small archive: a profile with a photo, a profile pictures album (-6) and an ordinary album."""
    arc = VkArchive(root / "Archive", OWNER)
    arc.page("profile/page-info.html", "Профиль", [
        profile_photo(f"{server}{AVATAR_PATH}{AVATAR_QUERY}"),
        profile_row("Полное имя", "Ефим Придуманный"),
        profile_row("Статус", "Данных нет"),
        profile_row("Город", "Небывальск"),
    ])
    arc.page("photos/photo-albums/-6.html", ["Фотографии", "Фото профиля"], [
        photo(OWNER, 457239101, f"{server}/ok/album-6.jpg?size=560x490&quality=95&type=album", "",
              D(2023, 3, 4, 12, 0)),
    ])
    arc.page("photos/photo-albums/310.html", ["Фотографии", "Поход"], [
        photo(OWNER, 457239102, f"{server}/ok/holiday.jpg?size=700x600&type=album", "Привал у реки",
              D(2022, 7, 1, 18, 30)),
    ])
    arc.write_index()
    return root / "Archive"


def test_profile_photo_and_album_minus_6_are_avatars(tmp_path: Path) -> None:
    folder = build_archive(tmp_path, "https://sun9-1.userapi.com")
    with Store.open(tmp_path / "w.sqlite") as store:
        res, platform = import_path(store, folder)
        assert platform == "vk"
        items = {i.native_id: i for i in store.iter_items()}
        avatar = items["avatar/profile"]
        assert (avatar.kind, avatar.author, avatar.url) == ("avatar", "self", f"https://vk.com/id{OWNER}")
        assert [(a.type, a.url, a.extra.get("role")) for a in avatar.attachments] == [
            ("photo", f"https://sun9-1.userapi.com{AVATAR_PATH}{AVATAR_QUERY}", "avatar")]
        album = items[f"photo{OWNER}_457239101"]
        assert album.kind == "avatar" and album.attachments[0].extra == {"album": "Фото профиля", "role": "avatar"}
        assert album.date is not None and album.date.startswith("2023-03-04")
        assert items[f"photo{OWNER}_457239102"].kind == "photo"  # an ordinary album stays photos
        # the profile item keeps its text fields, and no longer carries the photo
        profile = items[f"profile{OWNER}"]
        assert profile.text == "Полное имя: Ефим Придуманный\nГород: Небывальск"
        assert [a.type for a in profile.attachments] == ["profile_field", "profile_field"]
        # a second import of the same archive changes nothing (stable native ids)
        again, _ = import_path(store, folder)
        assert again.added == 0 and again.updated == 0 and again.unchanged == res.added
        # media fetch would ask for both profile pictures, the profile photo's link as the archive gives it
        urls = {c.url for c in fetch.candidates(store)}
        assert f"https://sun9-1.userapi.com{AVATAR_PATH}{AVATAR_QUERY}" in urls and len(urls) == 3


def test_placeholder_photo_is_no_avatar(tmp_path: Path) -> None:
    arc = VkArchive(tmp_path / "Archive", OWNER)
    arc.page("profile/page-info.html", "Профиль", [profile_photo("https://vk.com/images/camera_50.png"),
                                                   profile_row("Полное имя", "Ефим Придуманный")])
    arc.write_index()
    with Store.open(None) as store:
        import_path(store, tmp_path / "Archive")
        assert {i.kind for i in store.iter_items()} == {"profile"}


@needs_ocr
def test_fetched_profile_pictures_are_read_matched_and_listed(server: str, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPOSTGUARD_HOME", str(tmp_path / "home"))
    folder = build_archive(tmp_path, server)
    db = tmp_path / "w.sqlite"
    main(["import", str(folder), "--db", str(db)])
    with Store.open(db) as store:
        got = fetch.fetch_media(store, delay=0.0, allowed_hosts=("127.0.0.1",), allow_http=True)
        assert (got.fetched, got.failed, got.refused) == (3, 0, 0)
        # the profile photo's link is asked for exactly as the archive gives it
        assert f"{AVATAR_PATH}{AVATAR_QUERY}" in _Pictures.hits
        ids = {i.native_id: i.id for i in store.iter_items()}
        local = {r.item_id: r.path for r in photo_refs(store)}
        for native in ("avatar/profile", f"photo{OWNER}_457239101"):
            path = Path(local[ids[native]])
            assert path.is_file() and path.parent == db.parent / "w.sqlite.media" / "vk-photos"
    fsm = tmp_path / "fsm.csv"
    fsm.write_bytes(FSM_CSV.encode("cp1251"))
    out = tmp_path / "f.json"
    main(["scan", str(folder), "--fsm", str(fsm), "--db", str(db), "--json", str(out), "-q"])
    findings = json.loads(out.read_text("utf-8"))["findings"]
    found = {(f["item"], f["bank"], str(f["entry"])) for f in findings}
    # the caption drawn on the profile picture quotes list entry 10: read by OCR, matched like a post
    assert ("vk:avatar/profile", "fsm", "10") in found, found
    assert (f"vk:photo{OWNER}_457239101", "fsm", "10") in found, found
    assert not any(item == f"vk:photo{OWNER}_457239102" for item, _, _ in found)
    # decided and cleaned up like a post: the checklist says where a profile picture is changed
    with Store.open(db) as store:
        ids = {i.native_id: i.id for i in store.iter_items()}
        decide(store, [ids["avatar/profile"], ids[f"photo{OWNER}_457239101"]], "delete")
        plan = build_plan(store)
        routes = {e.ref: e.route for e in plan.entries}
        assert routes == {"vk:avatar/profile": "manual", f"vk:photo{OWNER}_457239101": "api"}
        page = checklist.render(store, [e for e in plan.entries if e.route == "manual"], lang="ru")
        assert "фото профиля" in page.lower() and "в настройках профиля" in page
        assert f"https://vk.com/id{OWNER}" in page
