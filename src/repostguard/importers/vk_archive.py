"""VK «Архив данных» (vk.com/data_protection): linked HTML pages, read page by page.

Each page is parsed with selectolax (lexbor); each record element goes to one function of
:mod:`repostguard.importers.vk_sections`, which gives one item whose raw record is the record's
markup as it stands in the file; the profile page goes to :mod:`repostguard.importers.vk_profile`
(the profile, and the profile photo as an item of kind ``avatar``). Sections are read in an order
that lets later ones use what earlier ones taught: the video albums first (their titles go to
video attachments on the wall), then the wall, comments, photos, audio, likes, bookmarks,
subscriptions and messages.

The archive's owner is read from ``<meta name="jd">`` on every page (pages of two accounts mixed
together are refused). A record that cannot be read is skipped and counted: one warning per
section and problem, naming the first place. Dates carry no time zone: Europe/Moscow is assumed
(or the ``tz`` option / ``$REPOSTGUARD_TZ``) and every dated item has ``date_tz_assumed=True``.
See docs/importers/vk.md for what was checked against a real archive.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

from selectolax.lexbor import LexborHTMLParser, LexborNode

from repostguard.errors import InputError, Listing, Notice
from repostguard.importers import vk_profile as P
from repostguard.importers import vk_sections as S
from repostguard.importers._archive import ExportArchive, wrapper_prefix
from repostguard.importers._base import Importer
from repostguard.importers._jsonstream import Skipped
from repostguard.importers._vk import resolve_tz
from repostguard.model import Item

MAX_PAGE = 256 * 1024**2

Reader = Callable[[LexborNode, S.Page, int], "Item | None"]

#: the sections read, in import order: name, page pattern (relative to the archive root; group 1
#: is the folder the page sits in, if any), the record selector and the reader of one record
SECTIONS: list[tuple[str, re.Pattern[str], str, Reader]] = [
    ("video", re.compile(r"^video/video-albums/([^/]+)\.html$"), "div.item", S.video_record),
    ("wall", re.compile(r"^wall/wall\d+\.html$"), "div.item", S.wall_record),
    ("wall_comments", re.compile(r"^wall/([^/]+)/comments\d*\.html$"), "div.item", S.wall_record),
    ("comments", re.compile(r"^comments/comments\d*\.html$"), "div.item", S.own_comment),
    ("photos", re.compile(r"^photos/photo-albums/([^/]+)\.html$"), "div.item", S.photo_record),
    ("photo_comments", re.compile(r"^photos/photo-comments/([^/]+)/comments\d*\.html$"), "div.item",
     S.reply_comment),
    ("video_comments", re.compile(r"^video/video-comments/([^/]+)/comments\d*\.html$"), "div.item",
     S.reply_comment),
    ("audio", re.compile(r"^audio/audio-albums/([^/]+)/audios\d*\.html$"), "div.item", S.audio_record),
    ("likes", re.compile(r"^likes/([^/]+)/likes\d*\.html$"), "div.item", S.like_record),
    ("bookmarks", re.compile(r"^bookmarks/([^/]+)/bookmarks\d*\.html$"), "div.item", S.bookmark_record),
    ("subscriptions", re.compile(r"^profile/subscriptions\d*\.html$"), "div.item", S.subscription_record),
    ("messages", re.compile(r"^messages/(-?\d+)/messages\d*\.html$"), "div.message", S.message_record),
]
PROFILE = "profile/page-info.html"
#: any page that shows this is VK's official archive (also sections that are not read)
OFFICIAL_RE = re.compile(
    "|".join(p.pattern for _s, p, _c, _f in SECTIONS)
    + r"|^profile/page-info\.html$|^messages/index-messages\.html$|^audio/audio-albums\.html$"
)
#: third-party dumps (VkOpt and similar): ``Диалоги/…/history_N.html``
THIRD_PARTY_RE = re.compile(
    r"(?:^|/)(?:Диалоги|Dialogs)/|(?:^|/)history_\d+\.html$|(?:^|/)vkopt[^/]*$", re.IGNORECASE
)
_JD_RE = re.compile(rb"""<meta\s+name=["']jd["']\s+content=["']([A-Za-z0-9+/=_-]+)["']""", re.IGNORECASE)
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
_PAGE_NAME_RE = re.compile(rb"(?:^|/)(?:wall/wall\d+|profile/page-info|comments/comments\d*)\.html")


def decode_html(data: bytes, where: str) -> str:
    """A page's text: UTF-8, else its declared charset, else windows-1251; InputError otherwise."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise InputError(where, "err_vk_page_utf16")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    m = _CHARSET_RE.search(data[:4096])
    declared = m.group(1).decode("ascii").lower() if m else ""
    tried: list[str] = []
    pos = 0
    for enc in ("utf-8", declared, "cp1251"):
        if not enc or enc in tried:
            continue
        tried.append(enc)
        try:
            return data.decode(enc)
        except LookupError:
            continue
        except UnicodeDecodeError as e:
            pos = e.start
    raise InputError(where, "err_vk_page_encoding", encodings=", ".join(tried), byte=pos)


def read_jd(head: bytes) -> dict[str, Any] | None:
    """The archive marker ``<meta name="jd">`` of a page (owner id and generation time), or None."""
    m = _JD_RE.search(head)
    if not m:
        return None
    b64 = m.group(1)
    pad = b"=" * (-len(b64) % 4)
    for alt in (b"-_", None):
        try:
            data = json.loads(base64.b64decode(b64 + pad, altchars=alt))
        except (binascii.Error, ValueError):
            continue
        return data if isinstance(data, dict) else None
    return None


def natural_key(name: str) -> list[Any]:
    """``wall2.html`` before ``wall10.html``."""
    return [(0, int(t)) if t.isdigit() else (1, t) for t in re.split(r"(\d+)", name)]


def page_title(root: LexborNode) -> str:
    """The page's own title: the last breadcrumb (an album's or a conversation's name)."""
    crumbs = root.css(".ui_crumb")
    return S.text_of(crumbs[-1]) if crumbs else ""


class VkArchiveImporter(Importer):
    """VK's official «Архив данных» (a ZIP or its unpacked folder, under any wrapper folders)."""

    platform = "vk"
    format_name: ClassVar[str] = "vk_archive"
    #: 3: the profile photo is an item of kind ``avatar`` (``avatar/profile``) and so are the photos of
    #: the profile pictures album ``-6`` (a re-import updates what version 2 stored)
    version = "3"

    def __init__(self, path: Path, media_dir: Path | None = None, tz: str | None = None) -> None:
        super().__init__(path, media_dir)
        self.tz, self.tz_name = resolve_tz(tz)
        self.owner_id: int | None = None
        self._arc: ExportArchive | None = None
        #: what was read and left out on purpose, e.g. ``messages_of_others``
        self.stats: Counter[str] = Counter()
        #: records that could not be read, by section and problem
        self._skipped = Skipped()

    # -- detection and verification ---------------------------------------------------------

    @classmethod
    def _truncated_zip(cls, path: Path) -> bool:
        """A file that starts like a ZIP but has no readable directory, with VK page names inside."""
        if not path.is_file():
            return False
        with open(path, "rb") as fh:
            head = fh.read(256 * 1024)
        if not head.startswith(b"PK\x03\x04") or zipfile.is_zipfile(path):
            return False
        return _PAGE_NAME_RE.search(head) is not None

    @classmethod
    def detect(cls, path: Path) -> bool:
        path = Path(path)
        if cls._truncated_zip(path):
            return True
        if path.is_dir():
            try:
                with ExportArchive.open(path) as arc:
                    names = arc.names()
            except InputError:
                return False
        elif zipfile.is_zipfile(path):
            # names only (verify opens the archive and refuses a broken or bomb-like one)
            try:
                with zipfile.ZipFile(path) as zf:
                    listed = [n.replace("\\", "/") for n in zf.namelist() if not n.endswith("/")]
            except (zipfile.BadZipFile, OSError, EOFError):
                return False
            cut = len(wrapper_prefix(listed))
            names = [n[cut:] for n in listed]
        else:
            return False
        return any(OFFICIAL_RE.search(n) or THIRD_PARTY_RE.search(n) for n in names)

    def _archive(self) -> ExportArchive:
        if self._arc is None:
            if self._truncated_zip(self.path):
                raise InputError(self.path, "err_damaged_zip_directory")
            self._arc = ExportArchive.open(self.path)
            for w in self._arc.warnings:
                self.warn(w)
        return self._arc

    def pages(self) -> list[tuple[str, str, str]]:
        """``(section, name, folder)`` of every page read, in import order."""
        names = self._archive().names()
        out: list[tuple[str, str, str]] = []
        if PROFILE in names:
            out.append(("profile", PROFILE, ""))
        for section, rx, _sel, _fn in SECTIONS:
            found = []
            for n in names:
                m = rx.match(n)
                if m:
                    found.append((n, m.group(1) if rx.groups else ""))
            found.sort(key=lambda t: natural_key(t[0]))
            out.extend((section, n, folder) for n, folder in found)
        return out

    def verify(self) -> None:
        arc = self._archive()
        names = arc.names()
        if not any(OFFICIAL_RE.search(n) for n in names):
            third = [n for n in names if THIRD_PARTY_RE.search(n)]
            if third:
                raise InputError(arc.display(third[0]), "err_vk_third_party")
            raise InputError(self.path, "err_vk_no_pages")
        pages = self.pages()
        owners: Counter[int] = Counter()
        first_page: dict[int, str] = {}
        missing = 0
        for _section, name, _folder in pages:
            with arc.open_bytes(name) as fh:
                try:
                    head = fh.read(4096)
                except (zipfile.BadZipFile, OSError, EOFError) as e:
                    raise InputError(arc.display(name), "err_damaged_file") from e
            jd = read_jd(head)
            uid = jd.get("user_id") if jd else None
            if isinstance(uid, int) and not isinstance(uid, bool):
                owners[uid] += 1
                first_page.setdefault(uid, name)
            else:
                missing += 1
        if not owners:
            raise InputError(arc.display(pages[0][1]) if pages else self.path, "err_vk_no_marker")
        if len(owners) > 1:
            accounts = Listing(Notice("err_vk_account_pages", id=u, n=n, page=first_page[u])
                               for u, n in owners.most_common())
            raise InputError(self.path, "err_vk_mixed_accounts", accounts=accounts)
        self.owner_id = next(iter(owners))
        if missing:
            self.warn("err_vk_pages_without_marker", path=self.path, n=missing)

    # -- reading ------------------------------------------------------------------------------

    def _root(self, name: str) -> LexborNode:
        arc = self._archive()
        where = arc.display(name)
        html = decode_html(arc.read_bytes(name, MAX_PAGE), where)
        root = LexborHTMLParser(html).root
        if root is None:
            raise InputError(where, "err_vk_empty_page")
        return root

    def iter_items(self) -> Iterator[Item]:
        """The items of every page, section by section (see :data:`SECTIONS`)."""
        if self.owner_id is None:
            self.verify()
        assert self.owner_id is not None
        arc = self._archive()
        video_titles: dict[str, str] = {}
        audio_seen: dict[str, int] = {}
        seen: set[str] = set()
        readers = {s: (sel, fn) for s, _rx, sel, fn in SECTIONS}
        for section, name, folder in self.pages():
            root = self._root(name)
            page = S.Page(section=section, name=name, where=arc.display(name), owner=self.owner_id, tz=self.tz,
                          folder=folder, title=page_title(root), video_titles=video_titles, audio_seen=audio_seen)
            if section == "profile":
                yield P.profile_page(root, page)
                avatar = P.profile_avatar(root, page)
                if avatar is not None:
                    yield avatar
                continue
            selector, reader = readers[section]
            for index, el in enumerate(root.css(selector)):
                try:
                    item = reader(el, page, index)
                except S.RecordError as e:
                    self._skipped.add(section, e.reason, Notice("err_at_page_record", page=page.where, n=index + 1))
                    continue
                if item is None:
                    self.stats[f"{section}_of_others"] += 1
                    continue
                if item.native_id in seen:
                    # a comment of the person's stands both in comments/ and under its post;
                    # a video may be in two albums
                    self.stats[f"{section}_repeated"] += 1
                    continue
                seen.add(item.native_id)
                if section == "wall" and any(a.type == "audio" and not (a.title or a.artist)
                                             for a in item.attachments):
                    self.stats["wall_audio_unnamed"] += 1
                if section == "video":
                    title = item.attachments[0].title if item.attachments else None
                    if title:
                        video_titles[item.native_id] = title
                yield item
        if self.stats["messages_of_others"]:
            self.note("err_vk_note_others_messages", n=self.stats["messages_of_others"])
        if n_audio := self.stats["wall_audio_unnamed"]:
            self.note("err_vk_note_unnamed_audio", n=n_audio)
        for section, problem, n, first in sorted(self._skipped.counts(), key=lambda c: (c[0], str(c[1]))):
            self.warn("err_vk_skipped", place=first, n=n, section=Notice(f"err_vk_section_{section}"), reason=problem)

    def close(self) -> None:
        if self._arc is not None:
            self._arc.close()
            self._arc = None
