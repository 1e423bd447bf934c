"""Serve the review page (or the whole app: start screen and review) on 127.0.0.1, on a random free
port, behind a random token."""

from __future__ import annotations

import secrets
import socket
import webbrowser
from collections.abc import Callable
from pathlib import Path

from repostguard.app.cleanup import CleanUp
from repostguard.app.jobs import Jobs
from repostguard.app.start import create_start_app
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
    app_mode: bool = False,
    fsm: Path | None = None,
    ocr: bool = True,
    clean_pace: float | None = None,
) -> None:
    """Serve the review page for ``db`` until interrupted; ``announce`` gets the URL (one line).

    With ``app_mode``, the start screen too (choose an archive, lists, background scan), and the
    browser opens on it; a running job is cancelled when the server stops.
    """
    import uvicorn

    db.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    prepare(db)
    entries = entries if entries is not None else Entries()
    entries.preload()  # parse the list once, before the first page is asked for
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(64)
    real_port = sock.getsockname()[1]
    token = new_token()
    jobs: Jobs | None = None
    if app_mode:
        jobs = Jobs(db, fsm=fsm, ocr=ocr)
        cleanup = CleanUp(db, jobs) if clean_pace is None else CleanUp(db, jobs, pace=clean_pace, jitter=clean_pace)
        app, _ = create_start_app(db, token, real_port, entries, jobs=jobs, fsm=fsm, cleanup=cleanup)
    else:
        app = create_app(db, token, real_port, entries)
    url = f"http://127.0.0.1:{real_port}/{token}/"
    opened = url + "start" if app_mode else url
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
    announce(opened)
    if open_browser:
        try:
            webbrowser.open(opened)
        except Exception:  # noqa: BLE001 - a missing browser is not an error: the URL is printed
            pass
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        if jobs is not None and jobs.cancel():
            jobs.wait(30)  # the import rolls back, the store stays as it was


__all__ = ["serve", "new_token"]
