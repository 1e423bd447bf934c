"""Odnoklassniki (ok.ru) pages saved in the browser: the feed, «Заметки», one topic, albums, groups.

OK gives no archive to download; a person can save their own pages («Сохранить как… → веб-страница
полностью», see docs/importers/odnoklassniki.md). The markup read here is the one public code that
reads the live page uses (Snipr10/ok_parser, antijob/neuro-parser, Amrion/parserOK,
sokomishalov/skraper): no real saved page has been seen yet, so every rule below is an inference
from those readers, and anything the reader does not recognise degrades to the one-page item of
:mod:`repostguard.importers.saved_page`.

* a post (a feed card) is ``div.feed-w``; its text ``div.media-text_cnt_tx``; its link
  ``a.media-text_a`` (to ``…/statuses/<id>`` or ``…/topic/<id>``); its author ``a.feed-avatar-link``;
  its date the text of ``div.feed-info-date > time`` (older pages: ``div.feed_date``): ``14:05``,
  ``вчера 14:05``, ``12 мар``, ``3 янв 2019`` (:mod:`repostguard.importers._html_dates`), resolved
  against the time the page was saved; its photos ``img.collage_img`` pointing into the ``_files`` folder;
* a topic opened on its own is ``.mlr_cnt`` with ``meta[itemprop=datePublished]``;
* since 2025 some classes carry a hashed suffix (``group-name__63bs8``): classes are matched on
  their stable part (the class itself, or the class followed by ``__``).

A card is a ``repost`` when, on the page of a profile or group, its author is another profile or
group (the page's owner comes from the address the page was saved from), or when its header says it
was shared («поделился», «поделилась»): inferred, not seen. A card that cannot be read is a counted
warning; the page is never refused for it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from repostguard.errors import Notice
from repostguard.importers._html_dates import parse_iso, parse_page_date
from repostguard.importers._jsonstream import Skipped
from repostguard.importers.saved_page import (
    PageReader,
    SavedPage,
    decode_markup,
    links_in,
    page_address,
    platform_of,
)
from repostguard.importers.vk_sections import text_of
from repostguard.model import Attachment, Item, Source

BASE = "https://ok.ru"
#: OK's own markup, for a page whose address was not kept (Firefox writes no ``saved from`` comment)
_OK_MARKUP_RE = re.compile(
    rb"""class=["'](?:[^"']*\s)?(?:feed-w|media-text_cnt_tx|mlr_cnt)(?:__[A-Za-z0-9]+)?(?=["'\s])""")
#: a post's own address: ``/profile/1/statuses/2``, ``/group/1/topic/2``, ``/name/topic/2``
POST_RE = re.compile(r"/(statuses|topic)/(\d+)")
#: the topic id OK puts in a card's data attributes (``topicId,123,groupId``)
TOPIC_ID_RE = re.compile(r"topicId,(\d+)")
PHOTO_RE = re.compile(r"/(?:photo|album/\d+)/(\d+)")
#: first path segments that are OK's own sections, never a person's or group's short name
RESERVED = frozenset({"feed", "dk", "music", "video", "games", "messages", "search", "discovery", "friends",
                      "groups", "notifications", "guests", "marks", "settings", "app", "apps", "live", "post"})
SHARED_RE = re.compile(r"\bподелил(?:ся|ась)\b|\bshared\b", re.IGNORECASE)
#: where a card names its author: the avatar link, else the group's name (classes, stable part)
AUTHOR_CLASSES = ("feed-avatar-link", "group-name")


def _tokens(node: LexborNode) -> list[str]:
    return (node.attributes.get("class") or "").split()


def has_class(node: LexborNode, name: str) -> bool:
    """True when ``node`` has class ``name`` or ``name`` with a hashed suffix (``name__63bs8``)."""
    return any(t == name or t.startswith(name + "__") for t in _tokens(node))


def find_all(node: LexborNode, name: str, tag: str = "") -> list[LexborNode]:
    """The elements under ``node`` (``tag`` if given) with class ``name`` (see :func:`has_class`)."""
    return [n for n in node.css(f'{tag}[class*="{name}"]') if has_class(n, name)]


def find(node: LexborNode, name: str, tag: str = "") -> LexborNode | None:
    found = find_all(node, name, tag)
    return found[0] if found else None


def _inside(node: LexborNode, names: tuple[str, ...], stop: LexborNode | None = None) -> bool:
    """True when an ancestor of ``node`` (below ``stop``) has one of the classes ``names``."""
    p = node.parent
    while p is not None and p is not stop and p.tag not in ("body", "html"):
        if any(has_class(p, n) for n in names):
            return True
        p = p.parent
    return False


def _split(url: str) -> SplitResult | None:
    """``url`` split, or None for an address too broken to split (``http://[x``)."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def absolute(href: str | None) -> str | None:
    """An OK address as written in the page, made absolute (``/group/1`` → ``https://ok.ru/group/1``),
    its query dropped; None for anything that is not OK's."""
    if not href:
        return None
    href = href.strip()
    if href.startswith("//"):
        href = "https:" + href
    if href.startswith("/"):
        href = BASE + href
    if platform_of(href) != "odnoklassniki":
        return None
    parts = _split(href)
    return f"https://{parts.hostname}{parts.path}".rstrip("/") if parts is not None and parts.hostname else None


def entity(href: str | None) -> str | None:
    """The profile or group an OK address belongs to (``profile/1``, ``group/2``, a short name), or None."""
    if not href:
        return None
    parts = _split(href.strip() if not href.startswith("/") else BASE + href.strip())
    if parts is None:
        return None
    if parts.hostname and platform_of(f"https://{parts.hostname}/") != "odnoklassniki":
        return None
    gid = parse_qs(parts.query).get("st.groupId")
    if gid and gid[0].isdigit():
        return f"group/{gid[0]}"
    segs = [s for s in parts.path.split("/") if s]
    if len(segs) >= 2 and segs[0] in ("profile", "group") and segs[1].isdigit():
        return f"{segs[0]}/{segs[1]}"
    if segs and re.fullmatch(r"group(\d+)", segs[0]):
        return f"group/{segs[0][5:]}"
    if segs and segs[0] not in RESERVED and re.fullmatch(r"[A-Za-z0-9._-]{2,64}", segs[0]):
        return segs[0].lower()
    return None


def external_link(href: str | None) -> str | None:
    """The outside address an ``<a>`` of a post leads to: OK's redirect (``st.link=…``) read, OK's own
    pages and anything that is not ``http(s)`` left out. Read as text, never opened."""
    if not href:
        return None
    href = href.strip()
    if "st.link=" in href:
        parts = _split(href)
        q = parse_qs(parts.query) if parts is not None else {}
        target = (q.get("st.link") or [""])[0]
        href = unquote(target) if target else href
    if not href.lower().startswith(("http://", "https://")):
        return None
    return None if platform_of(href) == "odnoklassniki" else href


@dataclass
class PageInfo:
    """What the page is (from the address it was saved from): its kind, its owner, its address."""

    kind: str  # profile, group, feed, topic, album, unknown
    owner: str | None
    address: str | None

    @classmethod
    def of(cls, address: str | None) -> PageInfo:
        if not address:
            return cls("unknown", None, None)
        parts = _split(address)
        path = parts.path.rstrip("/") if parts is not None else ""
        owner = entity(address)
        if POST_RE.search(path):
            kind = "topic"
        elif "/album/" in path or path.endswith(("/photos", "/albums")):
            kind = "album"
        elif owner is None:
            kind = "feed" if path in ("", "/feed") or path.startswith("/feed") else "unknown"
        else:
            kind = "group" if owner.startswith("group/") else "profile"
        return cls(kind, owner, address)


class CardError(ValueError):
    """A card that cannot be read; ``reason`` is the catalogue key of why."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.reason = Notice(key)


class OkPageImporter(PageReader):
    """Odnoklassniki pages saved in the browser (see the module's docstring)."""

    platform = "odnoklassniki"

    def __init__(self, path: Path, media_dir: Path | None = None, tz: str | None = None) -> None:
        super().__init__(path, media_dir, tz)
        self._skipped = Skipped()
        self._relative = 0
        self._undated: list[str] = []
        self._others = 0
        self._seen: set[str] = set()

    @classmethod
    def detect(cls, path: Path) -> bool:
        page = SavedPage.locate(path)
        if page is None:
            return False
        head = decode_markup(page.peek()).encode("utf-8", "replace")
        address = page_address(head[: 256 * 1024])
        if address is not None:
            return platform_of(address) == "odnoklassniki"
        return _OK_MARKUP_RE.search(head) is not None

    def iter_items(self) -> Iterator[Item]:
        page = self._page()
        tree = page.parse()
        info = PageInfo.of(page.address)
        root = tree.body or tree.root
        items: list[Item] = []
        if root is not None:
            cards = [c for c in find_all(root, "feed-w", "div") if not _inside(c, ("feed-w",))]
            for index, card in enumerate(cards):
                try:
                    item = self._card(card, info, index)
                except CardError as e:
                    self._skipped.add(page.where, e.reason, Notice("err_ok_card_n", n=index + 1))
                    continue
                if item.native_id not in self._seen:
                    self._seen.add(item.native_id)
                    items.append(item)
            topic = self._topic(tree, root, info)
            if topic is not None and topic.native_id not in self._seen:
                self._seen.add(topic.native_id)
                items.append(topic)
            if not items and info.kind == "album":
                items.extend(self._album(root))
        if not items:
            items.append(self.page_item(tree, self.platform, "err_ok_note_one_page"))
        yield from items
        self._finish()

    # -- one card -------------------------------------------------------------------------------

    def _card(self, card: LexborNode, info: PageInfo, index: int) -> Item:
        page = self._page()
        text = "\n\n".join(t for t in (text_of(n) for n in self._texts(card)) if t)
        url = self._post_url(card)
        pictures = self._pictures(card)
        links = self._links(card, text)
        if not text and not pictures and not links and url is None:
            raise CardError("err_ok_card_empty")
        date_node = self._date_node(card)
        date, assumed = self._date(date_node)
        authors = self._authors(card)
        header = " ".join(text_of(n) for n in find_all(card, "feed_h") + find_all(card, "feed-header"))
        kind, author, source = "post", "self", None
        if authors:
            who, name, href = authors[0]  # the avatar's, else the first group or user name
            if info.owner is not None and info.kind in ("profile", "group"):
                if who != info.owner:
                    kind, source = "repost", Source(name=name or None, url=absolute(href))
            elif info.owner is None:
                author = name or absolute(href) or "self"
                self._others += author != "self"
        if SHARED_RE.search(header) and kind == "post":
            kind = "repost"
        native = self._native_id(card, url, authors, date_node, text, pictures)
        return Item(
            platform=self.platform,
            native_id=native,
            kind=kind,
            text=text,
            date=date,
            date_tz_assumed=assumed,
            author=author,
            attachments=pictures + links,
            reposted_from=source,
            url=url,
            raw=card.html or "",
            source_file=page.where,
            pointer=f"{page.name}#{index}",
        )

    @staticmethod
    def _texts(node: LexborNode) -> list[LexborNode]:
        found = [n for n in find_all(node, "media-text_cnt_tx") if not _inside(n, ("media-text_cnt_tx",), node)]
        if not found:
            found = [n for n in find_all(node, "media-text_cnt") if not _inside(n, ("media-text_cnt",), node)]
        return [n for n in found if not _inside(n, ("comments", "comments_lst"), node)]

    @staticmethod
    def _post_url(card: LexborNode) -> str | None:
        """The post's own address: ``a.media-text_a`` (or the heading link, «ещё»), else any link to a
        status or topic in the card."""
        links = (find_all(card, "media-text_a", "a") + find_all(card, "media-text_heading-lnk-v2", "a")
                 + [a for m in find_all(card, "media_more") for a in m.css("a")] + card.css("a[href]"))
        for a in links:
            href = a.attributes.get("href") or ""
            if POST_RE.search(href.split("?", 1)[0]):
                return absolute(href)
        return None

    @staticmethod
    def _date_node(card: LexborNode) -> LexborNode | None:
        for box in find_all(card, "feed-info-date"):
            t = box.css_first("time")
            return t if t is not None else box
        return find(card, "feed_date") or card.css_first("time")

    def _date(self, node: LexborNode | None) -> tuple[str | None, bool]:
        if node is None:
            return None, False
        stamp = node.attributes.get("datetime") if node.tag == "time" else None
        if stamp:
            iso, assumed = parse_iso(stamp, self.tz)
            if iso is not None:
                return iso, assumed
        shown = text_of(node)
        iso, relative = parse_page_date(shown, self._page().saved, self.tz)
        if iso is None:
            if shown:
                self._undated.append(shown)
            return None, False
        self._relative += relative
        return iso, True  # the page shows local time, in the zone of the browser: assumed to be the person's

    def _pictures(self, node: LexborNode) -> list[Attachment]:
        imgs: list[LexborNode] = []
        for img in (find_all(node, "collage_img", "img") + find_all(node, "collage-slider-v2_i_image", "img")
                    + [i for c in find_all(node, "collage") for i in c.css("img")]
                    + [i for c in find_all(node, "media-photos") for i in c.css("img")]):
            if not any(img.attributes.get("src") == o.attributes.get("src") for o in imgs):
                imgs.append(img)
        return self.pictures(imgs)

    @staticmethod
    def _links(card: LexborNode, text: str) -> list[Attachment]:
        """Link attachments: the addresses written in the text, the links of the text and of the
        link previews (``media-link``), OK's own pages left out."""
        out: dict[str, str | None] = {}
        for u in links_in(text):
            if platform_of(u) != "odnoklassniki":
                out.setdefault(u, None)
        boxes = find_all(card, "media-text_cnt_tx") + find_all(card, "media-link")
        for box in boxes:
            for a in box.css("a[href]"):
                target = external_link(a.attributes.get("href"))
                if target is not None:
                    shown = text_of(a) if has_class(box, "media-link") else ""
                    if out.get(target) is None:
                        out[target] = shown if shown and shown != target else None
        return [Attachment(type="link", url=u, title=t) for u, t in out.items()]

    @staticmethod
    def _authors(card: LexborNode) -> list[tuple[str, str, str]]:
        """``(profile or group, name, address)`` of each author the card names, the avatar's first."""
        out: list[tuple[str, str, str]] = []
        for cls in AUTHOR_CLASSES:
            for a in find_all(card, cls, "a"):
                href = a.attributes.get("href") or ""
                e = entity(href)
                if e is None or any(e == o[0] for o in out):
                    continue
                img = a.css_first("img[alt]")
                name = text_of(a) or (img.attributes.get("alt") or "" if img is not None else "")
                out.append((e, name or a.attributes.get("title") or a.attributes.get("aria-label") or "", href))
        return out

    @staticmethod
    def _native_id(card: LexborNode, url: str | None, authors: list[tuple[str, str, str]],
                   date_node: LexborNode | None, text: str, pictures: list[Attachment]) -> str:
        """``statuses/<id>`` or ``topic/<id>`` when the card says it, else a hash of what it shows."""
        m = POST_RE.search(url or "")
        if m:
            return f"{m.group(1)}/{m.group(2)}"
        m = TOPIC_ID_RE.search(card.html or "")
        if m:
            return f"topic/{m.group(1)}"
        key = "\x00".join([authors[0][0] if authors else "", text_of(date_node), text,
                           *(Path(p.path or "").name for p in pictures)])
        return "card/" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]

    # -- a topic on its own, an album -------------------------------------------------------------

    def _topic(self, tree: LexborHTMLParser, root: LexborNode, info: PageInfo) -> Item | None:
        layer = find(root, "mlr_cnt")
        if layer is None:
            return None
        page = self._page()
        texts = self._texts(layer)
        text = "\n\n".join(t for t in (text_of(n) for n in texts) if t)
        if not texts:
            for n in find_all(layer, "comments"):
                n.decompose()
            text = text_of(layer)
        meta = tree.css_first('meta[itemprop="datePublished"]')
        date, assumed = parse_iso(meta.attributes.get("content") or "", self.tz) if meta is not None else (None, False)
        if date is None:
            date, assumed = self._date(self._date_node(layer))
        parts = _split(info.address) if info.address else None
        m = POST_RE.search(parts.path) if parts is not None else None
        url = absolute(info.address) if m else self._post_url(layer)
        native = self._native_id(layer, url, self._authors(layer), None, text, [])
        pictures = self._pictures(layer)
        if not text and not pictures:
            return None
        return Item(
            platform=self.platform,
            native_id=native,
            kind="post",
            text=text,
            date=date,
            date_tz_assumed=assumed,
            author="self",
            attachments=pictures + self._links(layer, text),
            url=url,
            raw=layer.html or "",
            source_file=page.where,
            pointer=f"{page.name}#topic",
        )

    def _album(self, root: LexborNode) -> list[Item]:
        """An album page: one ``photo`` item per photo link (``…/album/<a>/<id>``, ``…/photo/<id>``)
        whose picture is in the ``_files`` folder. Inferred from OK's photo addresses only."""
        page = self._page()
        out: list[Item] = []
        for i, a in enumerate(root.css("a[href]")):
            href = a.attributes.get("href") or ""
            m = PHOTO_RE.search(href.split("?", 1)[0])
            img = a.css_first("img")
            if m is None or img is None:
                continue
            pics = self.pictures([img])
            native = f"photo/{m.group(1)}"
            if not pics or native in self._seen:
                continue
            self._seen.add(native)
            out.append(Item(platform=self.platform, native_id=native, kind="photo",
                            text=(img.attributes.get("alt") or "").strip(), author="self", attachments=pics,
                            url=absolute(href), raw=a.html or "", source_file=page.where,
                            pointer=f"{page.name}#photo{i}"))
        return out

    # -- what the person is told --------------------------------------------------------------------

    def _finish(self) -> None:
        page = self._page()
        self.warn_pictures()
        for w in self._skipped.warnings():
            self.warn(w)
        if self._undated:
            self.warn("err_ok_undated", file=page.where, n=len(self._undated), example=self._undated[0][:40])
        if self._relative:
            saved = page.saved.strftime("%Y-%m-%d %H:%M") if page.saved is not None else "?"
            self.note("err_ok_note_relative_dates", file=page.where, n=self._relative, saved=saved, tz=self.tz_name)
        if self._others:
            self.note("err_ok_note_others", file=page.where, n=self._others)


__all__ = ["OkPageImporter", "PageInfo", "absolute", "entity", "external_link", "find", "find_all", "has_class"]
