"""Serve the review page on 127.0.0.1, on a random free port, behind a random token."""

from __future__ import annotations

import secrets
import socket
import webbrowser
from collections.abc import Callable
from pathlib import Path

from repostguard.app.web import create_app, prepare
from repostguard.views.entries import Entries


def new_token() -> str:
    """A fresh random token for the page's URL (never written to disk or logs)."""
    return secrets.token_urlsafe(24)


def serve(
    db: Path,
    *,
    open_browser: bool = True,
    entries: Entries | None = None,
    announce: Callable[[str], None] = print,
    port: int = 0,
) -> None:
    """Serve the review page for ``db`` until interrupted; ``announce`` gets the URL (one line)."""
    import uvicorn

    prepare(db)
    entries = entries if entries is not None else Entries()
    entries.preload()  # parse the list once, before the first page is asked for
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(64)
    real_port = sock.getsockname()[1]
    token = new_token()
    app = create_app(db, token, real_port, entries)
    url = f"http://127.0.0.1:{real_port}/{token}/"
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        server_header=False,
        date_header=False,
        proxy_headers=False,
    )
    server = uvicorn.Server(config)
    announce(url)
    if open_browser:
        try:
            webbrowser.open(url)
        except Exception:  # noqa: BLE001 - a missing browser is not an error: the URL is printed
            pass
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


__all__ = ["serve", "new_token"]
