"""The single-item dossier: a printable HTML page (PDF when WeasyPrint is installed) with the
facts a lawyer asks for: the item, its dates, the list entry and court decision, the repost
chain, visibility, and what the person decided and when. Neutral wording, not legal advice.

A screenshot item shows its screenshot's crops with the evidence marked (:mod:`repostguard.views.pictures`),
unless a banned symbol or a listed picture was found on them: the dossier is meant to be printed and handed
over, so it never carries such a picture (the plan of the picture with the region stays).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

from repostguard.decisions import resolve_item
from repostguard.i18n import Labels
from repostguard.paths import atomic_write
from repostguard.store import Store
from repostguard.views.entries import Entries, workspace_entries
from repostguard.views.i18n import fmt_date, label, t
from repostguard.views.items import item_row, item_view
from repostguard.views.pictures import add_pictures
from repostguard.views.query import findings_for
from repostguard.views.render import DOSSIER_CSS, render

#: where a decision was taken (``decisions.source``: the page, the command line, a CSV file)
DECIDED_IN = Labels("decided_in")


def render_dossier(
    store: Store,
    item_key: str,
    *,
    lang: str = "ru",
    entries: Entries | None = None,
    css_href: str | None = None,
    pictures: bool = True,
) -> str:
    """The dossier of the item ``item_key`` (id, ref or URL) as HTML.

    With ``css_href`` the page links its stylesheet (served by the review page, whose CSP allows
    no inline style); without it the stylesheet is embedded so the file stands alone. ``pictures``:
    a screenshot item shows its pictures (embedded in the page).
    """
    item_id = resolve_item(store, item_key)
    row = item_row(store.conn, item_id)
    assert row is not None
    fs = findings_for(store.conn, [item_id])[item_id]
    view = item_view(
        row, fs, workspace_entries(store.conn, entries if entries is not None else Entries()), lang,
        raw=store.raw_record(item_id),
    )
    if pictures:
        add_pictures(store.conn, store.path, [view], dossier=True)
    now = datetime.now().astimezone()
    return render(
        "dossier.html",
        lang,
        item=view,
        generated=fmt_date(now.isoformat(timespec="minutes"), lang),
        decided_in=label(DECIDED_IN, row["decision_source"], lang) if row["decision_source"] else "",
        css_href=css_href,
        css="" if css_href else DOSSIER_CSS.read_text("utf-8"),
    )


def write_dossier(
    store: Store,
    item_key: str,
    out: Path,
    *,
    lang: str = "ru",
    pdf: bool = False,
    entries: Entries | None = None,
    pictures: bool = True,
) -> tuple[Path, str | None]:
    """Write the dossier to ``out`` (HTML, or PDF if asked and possible); return the path and a note.

    ``pictures``: a screenshot item shows its pictures (see :func:`render_dossier`).

    PDF comes from WeasyPrint if it is installed, else from a Chromium or Chrome found on this
    computer (headless, printing the local file, with networking features off and a throw-away
    profile). Without either, the HTML is written next to ``out`` and the note says so.
    """
    html = render_dossier(store, item_key, lang=lang, entries=entries, pictures=pictures)
    note = None
    out = Path(out)
    if pdf:
        try:
            import weasyprint  # type: ignore[import-not-found]
        except ImportError:
            weasyprint = None
        if weasyprint is not None:
            data: bytes = weasyprint.HTML(string=html).write_pdf()
            atomic_write(out, data)
            return out, None
        made = pdf_with_chromium(html)
        if made is not None:
            atomic_write(out, made)
            return out, None
        out = out.with_suffix(".html")
        note = t("dossier_pdf_missing", lang)
    atomic_write(out, html.encode("utf-8"))
    return out, note


CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """A Chromium or Chrome executable on this computer, or None."""
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def pdf_with_chromium(html: str, *, timeout: float = 90.0) -> bytes | None:
    """The PDF of ``html`` printed by a headless Chromium, or None if there is none or it failed.

    The page is a local file with no external resource (its CSP forbids any); Chromium runs with
    a temporary profile and its background networking, updates and first-run steps turned off.
    """
    exe = find_chromium()
    if exe is None:
        return None
    with tempfile.TemporaryDirectory(prefix="repostguard-pdf-") as tmp:
        src = Path(tmp) / "dossier.html"
        dst = Path(tmp) / "dossier.pdf"
        src.write_text(html, "utf-8")
        args = [
            exe,
            "--headless",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--disable-extensions",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp}/profile",
            f"--print-to-pdf={dst}",
            src.as_uri(),
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        try:
            subprocess.run(
                args,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=timeout,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        try:
            data = dst.read_bytes()
        except OSError:
            return None
    return data if data.startswith(b"%PDF") else None


__all__ = ["render_dossier", "write_dossier"]
