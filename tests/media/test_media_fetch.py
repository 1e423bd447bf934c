"""media fetch: only own VK photo links, rate limited, resumable; a fake server on 127.0.0.1 only."""

from __future__ import annotations

import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from repostguard.actions import fetch
from repostguard.cli import main
from repostguard.model import Attachment, Item
from repostguard.store import Store


def _jpeg() -> bytes:
    b = io.BytesIO()
    Image.new("RGB", (32, 32), "red").save(b, "JPEG")
    return b.getvalue()


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def log_message(self, *a: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        _Handler.hits.append(self.path)
        if self.path.startswith("/ok"):
            body = _jpeg()
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path.startswith("/gone"):
            self.send_response(404)
            self.end_headers()
        elif self.path.startswith("/html"):
            body = b"<html>login</html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path.startswith("/redir"):
            self.send_response(302)
            self.send_header("Location", "http://example.org/x.jpg")
            self.end_headers()
        else:
            self.send_response(500)
            self.end_headers()


@pytest.fixture()
def server() -> Iterator[str]:
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    _Handler.hits = []
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def _vk(native: str, *urls: str, author: str = "self", kind: str = "post") -> Item:
    atts = [Attachment(type="photo", url=u, extra={"role": "avatar"} if kind == "avatar" else {}) for u in urls]
    return Item(platform="vk", native_id=native, kind=kind, attachments=atts, author=author,
                raw={"n": native})


def test_fetch_downloads_own_photos_only_and_resumes(server: str, tmp_path: Path) -> None:
    s = Store.open(tmp_path / "w.sqlite")
    items = [
        _vk("wall1_1", f"{server}/ok/a.jpg", f"{server}/gone/b.jpg", f"{server}/html/c.jpg"),
        _vk("wall1_2", f"{server}/redir/d.jpg", f"{server}/ok/page", "https://vk.com/photo1_2"),
        _vk("wall1_3", f"{server}/ok/other.jpg", author="Someone Else"),
        _vk("avatar/profile", f"{server}/ok/avatar.jpg", kind="avatar"),  # the person's own profile photo
        Item(platform="vk", native_id="like_wall2_1", kind="like", raw={},
             attachments=[Attachment(type="photo", url=f"{server}/ok/liked.jpg")]),
        Item(platform="generic", native_id="g", kind="post",
             attachments=[Attachment(type="photo", url=f"{server}/ok/generic.jpg")], raw={}),
    ]
    s.import_items(items[:5], source="t", platform="vk")
    s.import_items(items[5:], source="t", platform="generic")
    res = fetch.fetch_media(s, delay=0.0, allowed_hosts=("127.0.0.1",), allow_http=True)
    assert (res.fetched, res.gone, res.failed, res.refused) == (2, 1, 2, 2)
    assert sorted(_Handler.hits) == ["/gone/b.jpg", "/html/c.jpg", "/ok/a.jpg", "/ok/avatar.jpg", "/redir/d.jpg"]
    paths = [Path(r[0]) for r in s.conn.execute("SELECT path FROM media_fetch WHERE status='ok' ORDER BY url")]
    for p in paths:
        assert p.read_bytes()[:2] == b"\xff\xd8" and (p.stat().st_mode & 0o077) == 0
        assert p.parent.parent == tmp_path / "w.sqlite.media"
    # resume: nothing fetched twice; failed ones are retried, expired ones are not
    _Handler.hits = []
    res2 = fetch.fetch_media(s, delay=0.0, allowed_hosts=("127.0.0.1",), allow_http=True)
    assert res2.already == 2 and res2.fetched == 0
    assert sorted(_Handler.hits) == ["/html/c.jpg", "/redir/d.jpg"]
    # the downloaded files are now photos of their items for the media pass
    from repostguard.pipeline.media import photo_refs

    assert sorted(r.path for r in photo_refs(s)) == sorted(map(str, paths))
    s.close()


def test_fetch_rate_limit(server: str, tmp_path: Path) -> None:
    import time

    s = Store.open(tmp_path / "w.sqlite")
    s.import_items([_vk("wall1_1", *(f"{server}/ok/{k}.jpg" for k in range(3)))], source="t", platform="vk")
    t0 = time.monotonic()
    res = fetch.fetch_media(s, delay=0.3, allowed_hosts=("127.0.0.1",), allow_http=True)
    assert res.fetched == 3 and time.monotonic() - t0 >= 0.6
    s.close()


def test_default_hosts_refuse_anything_but_vk_image_servers() -> None:
    ok = "https://sun9-80.userapi.com/impg/abc/def.jpg?size=1280x960&sign=x"
    assert fetch.url_allowed(ok, fetch.VK_IMAGE_HOSTS) is None
    for bad in ("http://sun9-80.userapi.com/a.jpg", "https://vk.com/photo1_2", "https://evil.com/userapi.com/a.jpg",
                "https://userapi.com.evil.com/a.jpg", "https://sun9-1.userapi.com/page", "https://u:p@pp.vk.me/a.jpg",
                "ftp://pp.vk.me/a.jpg"):
        assert fetch.url_allowed(bad, fetch.VK_IMAGE_HOSTS) is not None, bad


def test_cli_asks_first_and_declining_downloads_nothing(server: str, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.sqlite"
    with Store.open(db) as s:
        s.import_items([_vk("wall1_1", f"{server}/ok/a.jpg")], source="t", platform="vk")
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    main(["media", "fetch", "--db", str(db)])
    out = capsys.readouterr().out
    assert "Ничего не скачано" in out and _Handler.hits == []
    # with --yes, the default (VK-only) hosts refuse the local test URL: still no request
    main(["media", "fetch", "--db", str(db), "--yes"])
    assert "не ссылки на фото VK (пропущены): 1" in capsys.readouterr().out and _Handler.hits == []
