"""``repostguard media fetch``: download the person's own VK photos, which VK archives only link to.

This is one of repostguard's three network actions, and it is opt-in. It downloads only:

- photo attachments (``Attachment.type == "photo"``) of VK items (platform :data:`.vk.NAME`) whose
  author is the person (not other people's comments or posts on the wall, not likes), among them
  the person's profile pictures: the items of kind ``avatar`` (the profile page's photo, a small
  crop fetched as the archive links it, and the photos of the profile pictures album ``-6``);
- direct image URLs over HTTPS on VK's image servers (``*.userapi.com``, ``*.vk.me``,
  ``*.vkuserphoto.ru``, ``*.vk-cdn.net``) whose path ends in an image extension; never a page,
  never a redirect (redirects are not followed), never a URL named in the installed list;
- at most one request per ``delay`` seconds, each file at most 40 MiB and only if the server
  says it is an image.

Each result is recorded in ``media_fetch`` as it happens, so an interrupted run resumes; links
that are gone (HTTP 403/404/410: VK photo links in an archive expire) are not retried unless
asked. Files go to the workspace media folder (owner-only).
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from repostguard.actions.vk import NAME as VK
from repostguard.banks.fsm import load_fsm
from repostguard.errors import ExternalError, UserError
from repostguard.i18n import t
from repostguard.media.images import MAX_FILE_BYTES
from repostguard.pipeline.scan import media_dir_for
from repostguard.store import Store, now_iso

VK_IMAGE_HOSTS = ("userapi.com", "vk.me", "vkuserphoto.ru", "vk-cdn.net")
IMAGE_PATH = re.compile(r"\.(?:jpe?g|png|webp|gif|heic)$", re.IGNORECASE)
DEFAULT_DELAY = 1.0
TIMEOUT = 30.0
GONE = (403, 404, 410)


@dataclass
class FetchCandidate:
    """One photo URL that may be fetched, with the item it belongs to."""

    item_id: str
    url: str


@dataclass
class FetchSummary:
    """Counts of one fetch run."""

    candidates: int = 0
    already: int = 0
    fetched: int = 0
    gone: int = 0
    failed: int = 0
    refused: int = 0
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        """The counts in one line, in the current language."""
        return t("act_fetch_summary", fetched=self.fetched, already=self.already, gone=self.gone,
                 failed=self.failed, refused=self.refused)


def host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == h or host.endswith("." + h) for h in allowed)


def url_allowed(url: str, allowed_hosts: tuple[str, ...], *, allow_http: bool = False) -> str | None:
    """None if ``url`` is a direct image on an allowed host, else why not."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "not a URL"
    if parts.scheme != "https" and not (allow_http and parts.scheme == "http"):
        return "not an https link"
    if parts.username or parts.password:
        return "link with credentials"
    if not parts.hostname or not host_allowed(parts.hostname, allowed_hosts):
        return "not on a VK image server"
    if not IMAGE_PATH.search(parts.path):
        return "not a direct link to a picture"
    return None


def _listed_fragments() -> list[str]:
    """Lower-cased text of the installed list (if any), to refuse URLs it names."""
    try:
        lst, _ = load_fsm(None)
    except Exception:  # noqa: BLE001 - no list installed: nothing to refuse
        return []
    return [e.text.lower() for e in lst.entries]


def candidates(store: Store) -> list[FetchCandidate]:
    """Photo URLs of the person's own VK items that have no local file, profile pictures included.

    Each URL is the archive's own, as imported: no other size of a picture is ever asked for.
    """
    out: list[FetchCandidate] = []
    seen: set[str] = set()
    for item in store.iter_items():
        if item.platform != VK or item.author != "self" or item.kind == "like":
            continue  # not the person's own item (a like is someone else's post)
        for a in item.attachments:
            if a.type != "photo" or a.path or not a.url:
                continue
            if a.url in seen:
                continue
            seen.add(a.url)
            out.append(FetchCandidate(item.id, a.url))
    return out


def _record(store: Store, c: FetchCandidate, status: str, path: str | None, http_status: int | None,
            error: str | None) -> None:
    with store.conn:
        store.conn.execute(
            "INSERT OR REPLACE INTO media_fetch (url, item_id, status, path, http_status, error, fetched_at)"
            " VALUES (?,?,?,?,?,?,?)",
            (c.url, c.item_id, status, path, http_status, error, now_iso()),
        )


def _ext(url: str, content_type: str) -> str:
    m = IMAGE_PATH.search(urlsplit(url).path)
    if m:
        return m.group(0).lower()
    return {"image/png": ".png", "image/webp": ".webp", "image/gif": ".gif"}.get(content_type, ".jpg")


def fetch_media(
    store: Store,
    *,
    client: httpx.Client | None = None,
    delay: float = DEFAULT_DELAY,
    allowed_hosts: tuple[str, ...] = VK_IMAGE_HOSTS,
    allow_http: bool = False,
    retry_gone: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> FetchSummary:
    """Download the photos of :func:`candidates` not fetched yet into the workspace media folder."""
    media = media_dir_for(store)
    if media is None:
        raise UserError("act_fetch_needs_file")
    folder = media / "vk-photos"
    summary = FetchSummary()
    cands = candidates(store)
    summary.candidates = len(cands)
    done = {r[0]: r[1] for r in store.conn.execute("SELECT url, status FROM media_fetch")}
    listed = _listed_fragments()
    own_client = client is None
    cl = client or httpx.Client(timeout=TIMEOUT, follow_redirects=False,
                                headers={"User-Agent": "repostguard (own-archive photo fetch)"})
    last = 0.0
    try:
        for k, c in enumerate(cands):
            if on_progress:
                on_progress(k, len(cands))
            prev = done.get(c.url)
            if prev == "ok" or (prev in ("gone", "refused") and not retry_gone):
                summary.already += prev == "ok"
                summary.gone += prev == "gone"
                summary.refused += prev == "refused"
                continue
            why = url_allowed(c.url, allowed_hosts, allow_http=allow_http)
            low = c.url.lower()
            bare = re.sub(r"^https?://", "", low).split("?")[0]
            if why is None and listed and any(bare in entry for entry in listed):
                why = "named in the list"
            if why is not None:
                summary.refused += 1
                _record(store, c, "refused", None, None, why)
                continue
            wait = last + delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            last = time.monotonic()
            _fetch_one(store, cl, c, folder, summary)
    finally:
        if own_client:
            cl.close()
    return summary


def _fetch_one(store: Store, cl: httpx.Client, c: FetchCandidate, folder: Path,
               summary: FetchSummary) -> None:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = hashlib.sha256(c.url.encode()).hexdigest()[:24]
    tmp = folder / f".{name}.part"
    try:
        with cl.stream("GET", c.url) as r:
            if r.status_code in GONE:
                summary.gone += 1
                _record(store, c, "gone", None, r.status_code, f"HTTP {r.status_code}: the link has expired")
                return
            if r.status_code == 429:
                raise ExternalError("act_fetch_rate", command="repostguard media fetch")
            if 300 <= r.status_code < 400:
                summary.failed += 1
                _record(store, c, "error", None, r.status_code, "redirect not followed")
                return
            if r.status_code != 200:
                summary.failed += 1
                _record(store, c, "error", None, r.status_code, f"HTTP {r.status_code}")
                return
            ctype = r.headers.get("content-type", "").split(";")[0].strip().lower()
            if not ctype.startswith("image/"):
                summary.failed += 1
                _record(store, c, "error", None, r.status_code, f"not a picture ({ctype or 'no type'})")
                return
            size = 0
            fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as fh:
                for chunk in r.iter_bytes():
                    size += len(chunk)
                    if size > MAX_FILE_BYTES:
                        raise _TooLarge()
                    fh.write(chunk)
        final = folder / f"{name}{_ext(c.url, ctype)}"
        os.replace(tmp, final)
        summary.fetched += 1
        _record(store, c, "ok", str(final), 200, None)
    except _TooLarge:
        tmp.unlink(missing_ok=True)
        summary.failed += 1
        _record(store, c, "error", None, 200, f"larger than {MAX_FILE_BYTES // 2**20} MiB")
    except httpx.HTTPError as e:
        tmp.unlink(missing_ok=True)
        summary.failed += 1
        summary.errors.append(f"{c.url}: {type(e).__name__}")
        _record(store, c, "error", None, None, f"{type(e).__name__}: {str(e)[:200]}")
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class _TooLarge(Exception):
    pass
