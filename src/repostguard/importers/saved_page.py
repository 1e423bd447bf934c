"""A web page saved in the browser («Сохранить как… → веб-страница полностью»), of any site.

The browser writes ``page.html`` and a ``page_files`` folder with the page's pictures, styles and
scripts (Chrome and Firefox both name it ``<page>_files``; Chrome saves the page as it stands, posts
loaded by scrolling included, and puts ``<!-- saved from url=(NNNN)https://… -->`` at the top). The
person gives the ``.html`` file, a folder holding only that file and its ``_files`` folder, or a
ZIP of them. :class:`SavedPage` is that input, found and read; :class:`SavedPageImporter` reads any
site as ONE item (kind ``page``: the visible text, scripts and styles left out, and the pictures of
the ``_files`` folder), its platform guessed from the address the page was saved from
(``vk.com`` → ``vk``, ``max.ru`` → ``max``, else ``web``). Odnoklassniki's pages have their own
reader (:mod:`repostguard.importers.ok_page`), which falls back to the same one-page item.

Nothing is ever fetched: addresses in the page are text; a picture that is not in the ``_files``
folder is counted in a warning, never downloaded.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path, PurePosixPath
from typing import ClassVar
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from repostguard.errors import InputError
from repostguard.importers._archive import ExportArchive, folder_root, wrapper_prefix
from repostguard.importers._base import Importer
from repostguard.importers._html_dates import saved_at, zip_saved_at
from repostguard.importers._jsonstream import safe_rel
from repostguard.importers._vk import resolve_tz
from repostguard.importers.vk_sections import text_of
from repostguard.model import Attachment, Item

MAX_PAGE = 64 * 1024**2
PAGE_SUFFIXES = (".html", ".htm")
#: pictures read from the ``_files`` folder; smaller files are icons, smileys and spacers
PICTURE_EXT = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".heic", ".avif")
MIN_PICTURE = 2048
#: ``<!-- saved from url=(0023)https://ok.ru/feed -->`` (Chrome, Internet Explorer)
SAVED_FROM_RE = re.compile(rb"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.IGNORECASE)
_META_URL_RE = (
    re.compile(rb"""<link\b[^>]*\brel=["']?canonical["']?[^>]*\bhref=["']([^"'>\s]+)""", re.IGNORECASE),
    re.compile(rb"""<link\b[^>]*\bhref=["']([^"'>\s]+)["'][^>]*\brel=["']?canonical""", re.IGNORECASE),
    re.compile(rb"""<meta\b[^>]*\bproperty=["']og:url["'][^>]*\bcontent=["']([^"'>\s]+)""", re.IGNORECASE),
    re.compile(rb"""<meta\b[^>]*\bcontent=["']([^"'>\s]+)["'][^>]*\bproperty=["']og:url""", re.IGNORECASE),
)
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
_MARKUP_RE = re.compile(rb"<(?:!doctype\s+html|html|head|body|div|p|span|a|img|table|title|meta)\b", re.IGNORECASE)
#: pages of other exports, which their own importers read (or refuse): a Telegram chat, a VK archive page
_VK_ARCHIVE_RE = re.compile(rb"""<meta\s+name=["']jd["']""", re.IGNORECASE)
_TELEGRAM_RE = (re.compile(rb"""href=["']css/style\.css["']"""), re.compile(rb"""class=["']page_wrap["']"""))
_META_EXPORT_DIRS = ("your_facebook_activity", "your_instagram_activity")
#: a site's host (its last two labels) → the platform its page is read as
HOST_PLATFORMS = {"vk.com": "vk", "vk.ru": "vk", "max.ru": "max", "ok.ru": "odnoklassniki",
                  "odnoklassniki.ru": "odnoklassniki"}
_URL_RE = re.compile(r"https?://[^\s<>\"'«»]+", re.IGNORECASE)


def host_of(url: str | None) -> str:
    """The host of ``url`` in lower case without ``www.``/``m.``; empty when there is none."""
    if not url:
        return ""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    for pre in ("www.", "m.", "mobile."):
        host = host.removeprefix(pre)
    return host


def platform_of(url: str | None) -> str:
    """The platform of a saved page by the address it was saved from (``web`` when unknown)."""
    host = host_of(url)
    for h in (host, ".".join(host.split(".")[-2:])):
        if h in HOST_PLATFORMS:
            return HOST_PLATFORMS[h]
    return "web"


def page_address(head: bytes) -> str | None:
    """The address a page was saved from: Chrome's ``saved from url`` comment, else the page's
    ``<link rel=canonical>`` or ``og:url`` (only ``http(s)`` addresses; never opened)."""
    for rx in (SAVED_FROM_RE, *_META_URL_RE):
        m = rx.search(head)
        if m:
            url = m.group(1).decode("utf-8", "replace").replace("&amp;", "&")
            if url.lower().startswith(("http://", "https://")):
                return url
    return None


def links_in(text: str) -> list[str]:
    """The ``http(s)`` addresses written in a text, in order, each once (trailing punctuation cut)."""
    out: list[str] = []
    for m in _URL_RE.finditer(text):
        url = m.group(0).rstrip(".,;:!?)]}")
        if url not in out:
            out.append(url)
    return out


def _page_name(names: list[str]) -> str | None:
    """The saved page among a folder's or ZIP's files (relative to the root): exactly one ``.html``
    file at the top, everything else inside its ``<name>_files`` folder; None otherwise."""
    pages = [n for n in names if "/" not in n and n.lower().endswith(PAGE_SUFFIXES)]
    if len(pages) != 1:
        return None
    folder = PurePosixPath(pages[0]).stem + "_files/"
    if all(n == pages[0] or n.startswith(folder) for n in names):
        return pages[0]
    return None


def decode_markup(data: bytes) -> str:
    """Markup bytes as text (see :meth:`SavedPage.text`)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    m = _CHARSET_RE.search(data[:8192])
    declared = m.group(1).decode("ascii").lower() if m else ""
    for enc in (declared, "utf-8"):
        if not enc:
            continue
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1251", "replace")


def _is_junk(name: str) -> bool:
    return any(p.startswith(".") or p in ("__MACOSX", "Thumbs.db", "desktop.ini") for p in name.split("/"))


@dataclass
class SavedPage:
    """A saved page found at the path the person gave: the page file, the archive it is read from
    (a ZIP) or the folder it sits in, its text, address and save time."""

    path: Path
    #: the page's file name relative to ``root`` (a folder) or to the ZIP's root
    name: str
    root: Path
    archive: ExportArchive | None = None
    data: bytes = b""
    address: str | None = None
    saved: datetime | None = None
    #: ``path`` is a ZIP holding the page (its member ``member``)
    zipped: bool = False
    member: str = ""
    _text: str | None = field(default=None, repr=False)

    @property
    def where(self) -> str:
        """How messages name the page file."""
        return self.archive.display(self.name) if self.archive is not None else str(self.root / self.name)

    @property
    def files_folder(self) -> str:
        """The name of the page's ``_files`` folder."""
        return PurePosixPath(self.name).stem + "_files"

    @classmethod
    def locate(cls, path: Path) -> SavedPage | None:
        """The saved page at ``path`` (a page file, a folder or a ZIP holding exactly one page and its
        ``_files`` folder), or None when ``path`` is not one. Cheap: one listing, one head read."""
        path = Path(path)
        if path.is_file() and path.suffix.lower() in PAGE_SUFFIXES:
            if any(part in _META_EXPORT_DIRS for part in path.parts):
                return None
            with open(path, "rb") as fh:
                head = fh.read(64 * 1024)
            if _VK_ARCHIVE_RE.search(head) or all(rx.search(head) for rx in _TELEGRAM_RE):
                return None
            return cls(path, path.name, path.parent)
        if path.is_dir():
            root = folder_root(path)
            try:
                with os.scandir(root) as it:
                    entries = [e for e in it if not _is_junk(e.name)]
            except OSError:
                return None
            pages = [e.name for e in entries if e.is_file() and e.name.lower().endswith(PAGE_SUFFIXES)]
            if len(pages) != 1:
                return None
            folder = PurePosixPath(pages[0]).stem + "_files"
            if any(e.name != pages[0] and not (e.name == folder and e.is_dir()) for e in entries):
                return None
            return cls.locate(root / pages[0])
        if path.is_file() and zipfile.is_zipfile(path):
            try:
                with zipfile.ZipFile(path) as zf:
                    members = {n.replace("\\", "/"): n for n in zf.namelist() if not n.endswith(("/", "\\"))}
            except (zipfile.BadZipFile, OSError, EOFError):
                return None
            listed = sorted(n for n in members if not _is_junk(n))
            prefix = wrapper_prefix(listed)
            name = _page_name([n[len(prefix):] for n in listed])
            if name is None:
                return None
            return cls(path, name, path, zipped=True, member=members[prefix + name])
        return None

    def peek(self, size: int = 1024**2) -> bytes:
        """The first ``size`` bytes of the page file (for detection; b"" when it cannot be read)."""
        try:
            if self.zipped:
                with zipfile.ZipFile(self.path) as zf, zf.open(self.member) as fh:
                    return fh.read(size)
            with open(self.root / self.name, "rb") as fh:
                return fh.read(size)
        except (OSError, zipfile.BadZipFile, EOFError, KeyError):
            return b""

    def read(self, tz: tzinfo) -> None:
        """Read the page's bytes, address and save time; InputError when it is no web page."""
        if self.zipped:
            self.archive = ExportArchive.open(self.path)
            self.data = self.archive.read_bytes(self.name, MAX_PAGE)
            zf = self.archive.zip
            self.saved = zip_saved_at(zf.getinfo(self.member).date_time, tz) if zf is not None else None
        else:
            f = self.root / self.name
            try:
                with open(f, "rb") as fh:
                    self.data = fh.read(MAX_PAGE + 1)
                self.saved = saved_at(f.stat().st_mtime, tz)
            except OSError as e:
                raise InputError(f, "err_cannot_read") from e
            if len(self.data) > MAX_PAGE:
                raise InputError(f, "err_too_large_mb", mb=MAX_PAGE // 1024**2)
        head = self.data[:4096]
        if b"\x00" in head.lstrip(b"\xef\xbb\xbf") and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise InputError(self.where, "err_page_not_html")  # binary: a picture, an archive, a program
        start = self.text()[: 256 * 1024].encode("utf-8", "replace")
        if not _MARKUP_RE.search(start):
            raise InputError(self.where, "err_page_not_html")
        self.address = page_address(start)

    def text(self) -> str:
        """The page's markup as text: its byte-order mark, else its declared charset, else UTF-8,
        else windows-1251 (pages of Russian sites saved long ago)."""
        if self._text is None:
            self._text = decode_markup(self.data)
        return self._text

    def parse(self) -> LexborHTMLParser:
        """The page parsed (scripts, styles and the like removed: they are not what the person shows)."""
        tree = LexborHTMLParser(self.text())
        tree.strip_tags(["script", "style", "noscript", "template", "svg", "link"])
        return tree

    def picture(self, src: str, media_dir: Path | None) -> tuple[Path | None, str]:
        """The local file of a picture the page shows: ``(file, "")``, or ``(None, why)`` where why is
        ``remote`` (an address: the picture was not saved, and is never downloaded), ``missing`` (named
        in the page, absent from the folder) or ``skip`` (not a picture file: an inline image, a path
        leaving the page's folder)."""
        src = (src or "").strip()
        if not src or src.startswith("data:"):
            return None, "skip"
        if src.lower().startswith(("http://", "https://", "//")):
            return None, "remote"
        rel = safe_rel(unquote(src.split("?", 1)[0].split("#", 1)[0]))
        if rel is None or not rel.lower().endswith(PICTURE_EXT):
            return None, "skip"
        if self.archive is not None:
            if not self.archive.exists(rel):
                return None, "missing"
            if self.archive.size(rel) < MIN_PICTURE:
                return None, "skip"
            p = self.archive.media_path(rel, media_dir)
            return (p.resolve(), "") if p is not None else (None, "missing")
        f = self.root / rel
        try:
            size = f.stat().st_size
        except OSError:
            return None, "missing"
        return (f.resolve(), "") if size >= MIN_PICTURE else (None, "skip")

    def close(self) -> None:
        if self.archive is not None:
            self.archive.close()


class PageReader(Importer):
    """What the saved-page importers share: finding and reading the page, its pictures, the one-page item."""

    platform: ClassVar[str] = "web"

    def __init__(self, path: Path, media_dir: Path | None = None, tz: str | None = None) -> None:
        super().__init__(path, media_dir)
        self.tz, self.tz_name = resolve_tz(tz)
        self.page: SavedPage | None = None
        self._missing = 0
        self._remote = 0

    def verify(self) -> None:
        page = SavedPage.locate(self.path)
        if page is None:
            raise InputError(self.path, "err_page_not_found")
        page.read(self.tz)
        self.page = self.page or page
        for w in page.archive.warnings if page.archive is not None else []:
            self.warn(w)

    def _page(self) -> SavedPage:
        if self.page is None:
            self.verify()
        assert self.page is not None
        return self.page

    def pictures(self, nodes: list[LexborNode]) -> list[Attachment]:
        """Photo attachments for the ``img`` elements ``nodes`` (each file once): local files only;
        the others counted for the warnings."""
        page = self._page()
        out: list[Attachment] = []
        seen: set[str] = set()
        for img in nodes:
            src = img.attributes.get("src") or ""
            p, why = page.picture(src, self.media_dir)
            if p is not None:
                if str(p) not in seen:
                    seen.add(str(p))
                    out.append(Attachment(type="photo", path=str(p)))
            elif why == "missing":
                self._missing += 1
            elif why == "remote":
                self._remote += 1
        return out

    def warn_pictures(self) -> None:
        """The warnings about pictures that could not be read (missing, or never saved)."""
        page = self._page()
        if self._missing:
            self.warn("err_page_pictures_missing", file=page.where, n=self._missing, folder=page.files_folder)
        if self._remote:
            self.warn("err_page_pictures_remote", file=page.where, n=self._remote)

    def page_item(self, tree: LexborHTMLParser, platform: str, note: str) -> Item:
        """The whole page as one item (kind ``page``): its visible text, its pictures and the links in
        its text, with a note (``note``: a catalogue key) saying it was read as one page."""
        page = self._page()
        body = tree.body or tree.root
        text = text_of(body)
        title_node = tree.css_first("title")
        title = text_of(title_node) if title_node is not None else ""
        atts = self.pictures(body.css("img") if body is not None else [])
        atts += [Attachment(type="link", url=u) for u in links_in(text)]
        if title and not text.startswith(title):
            text = f"{title}\n{text}" if text else title
        key = page.address or text
        self.note(note, file=page.where)
        # no date: the page's save time is not when what it shows was written
        return Item(
            platform=platform,
            native_id="page/" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16],
            kind="page",
            text=text,
            author="self",
            attachments=atts,
            url=page.address,
            raw=body.html if body is not None else "",
            source_file=page.where,
            pointer=page.name,
        )

    def close(self) -> None:
        if self.page is not None:
            self.page.close()


class SavedPageImporter(PageReader):
    """A page of any site saved in the browser, read as one item (see the module's docstring)."""

    platform = "web"

    @classmethod
    def detect(cls, path: Path) -> bool:
        return SavedPage.locate(path) is not None

    def iter_items(self) -> Iterator[Item]:
        page = self._page()
        tree = page.parse()
        yield self.page_item(tree, platform_of(page.address), "err_page_note_one_page")
        self.warn_pictures()


__all__ = ["HOST_PLATFORMS", "PageReader", "SavedPage", "SavedPageImporter", "decode_markup", "host_of", "links_in",
           "page_address", "platform_of"]
