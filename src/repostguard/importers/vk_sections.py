"""One function per section of VK's «Архив данных»: a record element in, one item out.

Written against the markup of a real archive (Russian interface, windows-1251, May 2026; see
docs/importers/vk.md for what was checked). Each function takes one record element (a
``div.item``, or a ``div.message``) and the :class:`Page` it stands on, and returns an
:class:`~repostguard.model.Item`, or None for a record that is not an item (a message of someone
else's). A record that cannot be read raises :class:`RecordError`, which the importer counts as a
warning: one bad record never refuses the archive.

What the markup looks like, section by section:

* wall (``wall/wallN.html``) and comments under wall posts (``wall/<post>/commentsN.html``):
  two ``div.item__main``, the first holding the text and ``.kludges`` (attachments), the second
  only ``a.post__link``; then ``.item__tertiary > span`` with ``Вы <date>`` or
  ``<a class="mem_link">Name</a> <date>`` and the labels ``post__deleted-label`` and
  ``post__archived-label``. A repost is ``div.repost`` (the person's own text) holding
  ``div.repost__post`` with ``div.repost__post__owner`` (a ``group_link``/``mem_link`` to the
  source page), the reposted text and its attachments; it has no link to the original post.
* the person's comments anywhere (``comments/commentsN.html``): the text, then the link to the
  comment; two ``.item__tertiary``, the attachments first and the date second.
* photo and video comments (``photos/photo-comments/<photo>/``, ``video/video-comments/<video>/``):
  ``div.reply-header`` (author link and date), the text, the attachments.
* photos, videos: a link to the object, then description or title, then date; the photos of the
  system album ``-6`` (profile pictures) are items of kind ``avatar``.
* audio (``audio/audio-albums/<album>/audiosN.html``): ``.audio__title`` «Artist — Title» and
  ``.audio__duration``; the archive gives audio no id.
* likes (``likes/<type>/likesN.html``), bookmarks, subscriptions: one link, no date.
* messages (``messages/<peer>/messagesN.html``): ``div.message[data-id]`` with
  ``.message__header`` (``Вы, <date>`` or a linked name), the text and attachments.

The profile page (``profile/page-info.html``) is read by :mod:`repostguard.importers.vk_profile`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from selectolax.lexbor import LexborNode

from repostguard.errors import Notice
from repostguard.importers._vk import (
    OBJECT_RE,
    PAGE_RE,
    WALL_RE,
    attachment_type,
    parse_vk_date,
)
from repostguard.model import Attachment, Item, Source

#: the folder of VK's system album of profile pictures (``photos/photo-albums/-6.html``, «Фото профиля»)
PROFILE_PHOTO_ALBUM = "-6"
_SELF_RE = re.compile(r"^\s*(?:Вы|You)\b")
_WS_RE = re.compile(r"[ \t\n\r\f]+")
_BLOCK_TAGS = frozenset({"div", "p", "li", "ul", "ol", "blockquote", "table", "tr", "h1", "h2", "h3", "h4"})
_SKIP_TAGS = frozenset({"script", "style", "img", "template"})
#: the peer ids of group chats start here (VK's ``2000000000 + chat id``)
CHAT_PEER_BASE = 2_000_000_000


class RecordError(ValueError):
    """A record that cannot be read; ``reason`` says what is missing (the importer adds the place)."""

    def __init__(self, key: str, **fields: Any) -> None:
        super().__init__(key)
        self.reason = Notice(key, **fields)

    def __str__(self) -> str:
        return str(self.reason)


@dataclass
class Page:
    """The page a record stands on: section, names, the archive's owner and the time zone."""

    section: str
    name: str  # relative to the archive root
    where: str  # how messages name the file
    owner: int
    tz: tzinfo
    #: the folder the page sits in (a like or bookmark type, a photo or video id, a peer id)
    folder: str = ""
    #: the album or page title (photos, videos, audio)
    title: str = ""
    #: what the import learnt from other sections: video titles by ``video<owner>_<id>``
    video_titles: dict[str, str] = field(default_factory=dict)
    #: audio records already seen, by content key (the archive gives audio no id)
    audio_seen: dict[str, int] = field(default_factory=dict)

    def item(self, el: LexborNode, index: int, **kw: object) -> Item:
        """An item of this page with the record's markup as its raw record."""
        return Item(platform="vk", raw=el.html, source_file=self.where, pointer=f"{self.name}#{index}", **kw)  # type: ignore[arg-type]


# -- text -------------------------------------------------------------------------------------


def text_of(node: LexborNode | None, skip: frozenset[str] = frozenset()) -> str:
    """The visible text of ``node``: HTML whitespace collapsed, ``<br>`` and blocks as line breaks,
    entities read (by the parser), elements with a class in ``skip`` left out."""
    if node is None:
        return ""
    parts: list[str] = []
    _walk(node, skip, parts)
    return clean_text("".join(parts))


def _walk(node: LexborNode, skip: frozenset[str], parts: list[str]) -> None:
    for ch in node.iter(include_text=True):
        tag = ch.tag
        if tag == "-text":
            parts.append(_WS_RE.sub(" ", ch.text_content or ""))
        elif tag == "br":
            parts.append("\n")
        elif tag in _SKIP_TAGS or tag == "-comment":
            continue
        else:
            if skip:
                cls = ch.attributes.get("class")
                if cls and not skip.isdisjoint(cls.split()):
                    continue
            if tag in _BLOCK_TAGS:
                parts.append("\n")
                _walk(ch, skip, parts)
                parts.append("\n")
            else:
                _walk(ch, skip, parts)


def clean_text(s: str) -> str:
    """Each line trimmed of spaces, no blank lines at the ends (blank lines inside are kept)."""
    if "\n" not in s:
        return s.strip(" ")
    lines = [ln.strip(" ") for ln in s.split("\n")]
    out: list[str] = []
    for ln in lines:
        if ln or (out and out[-1]):
            out.append(ln)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def _classes(node: LexborNode) -> list[str]:
    return (node.attributes.get("class") or "").split()


def _children(node: LexborNode) -> list[LexborNode]:
    return [c for c in node.iter() if c.tag != "-text"]


# -- shared pieces ----------------------------------------------------------------------------


def attachments(kludges: LexborNode | None, page: Page) -> list[Attachment]:
    """The attachments of a ``.kludges`` (or ``.item__tertiary``) block, by their localized label.

    A video gets its title from the archive's video section when the person has that video; an
    unknown label is kept as type ``unknown`` with the label (never dropped).
    """
    out: list[Attachment] = []
    if kludges is None:
        return out
    for att in kludges.css("div.attachment"):
        desc = att.css_first(".attachment__description")
        label = text_of(desc)
        kind = attachment_type(label) if label else None
        link = att.css_first("a.attachment__link") or att.css_first("a[href]")
        url = (link.attributes.get("href") or None) if link is not None else None
        a = Attachment(type=kind or "unknown", url=url)
        if kind is None:
            a.extra["label"] = label
        extra_text = text_of(att, skip=frozenset({"attachment__description", "attachment__link"}))
        if extra_text and extra_text != url:
            a.title = extra_text
        if a.type == "video" and url and not a.title:
            m = OBJECT_RE.search(url)
            if m and m.group(1) in ("video", "clip"):
                title = page.video_titles.get(f"video{m.group(2)}_{m.group(3)}")
                if title:
                    a.title = title
        out.append(a)
    return out


def _inside(node: LexborNode, container: LexborNode) -> bool:
    p = node.parent
    while p is not None:
        if p.mem_id == container.mem_id:
            return True
        p = p.parent
    return False


def page_of_link(a: LexborNode | None) -> Source | None:
    """A link to a user or community page as a repost source (name and canonical page URL)."""
    if a is None:
        return None
    href = (a.attributes.get("href") or "").strip()
    name = text_of(a) or None
    m = PAGE_RE.search(href)
    if m:
        kind = "club" if m.group(1) in ("club", "public", "event") else "id"
        return Source(name=name, url=f"https://vk.com/{kind}{m.group(2)}")
    return Source(name=name, url=href or None)


def author_and_date(span: LexborNode | None, page: Page) -> tuple[str, str | None, str | None]:
    """``Вы <date>`` or ``<a>Name</a> <date>``: ("self" or the name, the author's page, ISO date)."""
    if span is None:
        return "self", None, None
    text = text_of(span)
    date = parse_vk_date(text, page.tz)
    if _SELF_RE.match(text):
        return "self", None, date
    a = span.css_first("a[href]")
    if a is None:
        return text.split(",")[0].strip() or "?", None, date
    href = a.attributes.get("href") or ""
    m = PAGE_RE.search(href)
    if m and m.group(1) == "id" and int(m.group(2)) == page.owner:
        return "self", href, date
    return text_of(a) or "?", href or None, date


def _object_link(el: LexborNode, kinds: tuple[str, ...]) -> str | None:
    """``<owner>_<id>`` of the first link in ``el`` to a VK object of one of ``kinds``, or None."""
    for a in el.css("a[href]"):
        m = OBJECT_RE.search(a.attributes.get("href") or "")
        if m and m.group(1) in kinds:
            return f"{m.group(2)}_{m.group(3)}"
    return None


#: a duration as the archive writes it: ``m:ss`` or ``h:mm:ss``
_DURATION_RE = re.compile(r"(?:(\d+):)?(\d+):(\d{2})\b")


def _seconds(m: re.Match[str] | None) -> int | None:
    """The seconds of a :data:`_DURATION_RE` match (None for no match)."""
    return int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + int(m.group(3)) if m else None


def _date_required(date: str | None, key: str) -> str:
    """``date``, or a :class:`RecordError` of key ``key`` (the record's kind without a date)."""
    if date is None:
        raise RecordError(key)
    return date


# -- wall and comments under wall posts -------------------------------------------------------


def wall_record(el: LexborNode, page: Page, index: int) -> Item:
    """A wall post, a repost or (on a ``wall/<post>/comments`` page) a comment under a post."""
    link = el.css_first("a.post__link")
    href = (link.attributes.get("href") or "") if link is not None else ""
    m = WALL_RE.search(href)
    if m is None:
        raise RecordError("err_vk_no_post_link")
    owner, post, reply = m.group(1), m.group(2), m.group(3)
    native = f"wall{owner}_{post}" + (f"?reply={reply}" if reply else "")
    mains = el.css("div.item__main")
    body: LexborNode | None = None
    if mains and not (link is not None and _inside(link, mains[0])):
        kids = _children(mains[0])
        body = kids[0] if kids else mains[0]
    tert = el.css_first("div.item__tertiary")
    span = None
    if tert is not None:
        for s in tert.css("span"):
            if not any(c.startswith("post__") for c in _classes(s)):
                span = s
                break
    author, _author_url, date = author_and_date(span, page)
    visibility = None
    if el.css_first(".post__deleted-label") is not None:
        visibility = "deleted"
    elif el.css_first(".post__archived-label") is not None:
        visibility = "archived"
    kind = "comment" if reply else "post"
    source = None
    atts: list[Attachment] = []
    text = ""
    if body is not None:
        rp = body.css_first("div.repost__post") if "repost" in _classes(body) else None
        own = text_of(body, skip=frozenset({"kludges", "repost__post"}))
        if rp is not None:
            kind = "repost" if not reply else kind
            source = page_of_link(rp.css_first(".repost__post__owner a"))
            shared = text_of(rp, skip=frozenset({"kludges", "repost__post__owner"}))
            text = "\n\n".join(t for t in (own, shared) if t)
            for k in body.css("div.kludges"):
                atts.extend(attachments(k, page))
        else:
            text = own
            atts = attachments(body.css_first("div.kludges"), page)
    no_date = "err_vk_comment_no_date" if reply else "err_vk_wall_no_date"
    return page.item(
        el, index, native_id=native, kind=kind, text=text, date=_date_required(date, no_date),
        date_tz_assumed=True, author=author, attachments=atts, reposted_from=source,
        url=f"https://vk.com/{native}", visibility=visibility,
    )


def own_comment(el: LexborNode, page: Page, index: int) -> Item:
    """A comment of the person's anywhere (``comments/``): text, link, attachments, date."""
    mains = el.css("div.item__main")
    link = m = None
    for mn in mains:
        for a in mn.css("a[href]"):
            found = OBJECT_RE.search(a.attributes.get("href") or "")
            if found:
                link, m = a, found
    if link is None or m is None:
        raise RecordError("err_vk_comment_no_link")
    native = f"{m.group(1)}{m.group(2)}_{m.group(3)}" + (f"?reply={m.group(4)}" if m.group(4) else "")
    text = "\n".join(t for t in (text_of(mn) for mn in mains if not _inside(link, mn)) if t)
    terts = el.css("div.item__tertiary")
    atts: list[Attachment] = []
    date = None
    for t in terts:
        if t.css_first("div.attachment") is not None:
            atts.extend(attachments(t, page))
        else:
            date = date or parse_vk_date(text_of(t), page.tz)
    return page.item(
        el, index, native_id=native, kind="comment", text=text, date=_date_required(date, "err_vk_comment_no_date"),
        date_tz_assumed=True, author="self", attachments=atts, url=f"https://vk.com/{native}",
    )


def reply_comment(el: LexborNode, page: Page, index: int) -> Item:
    """A comment under a photo or a video: ``div.reply-header`` (author, date), text, attachments.

    The archive gives these comments no id of their own: the native id is the object's, the
    author's page and the time (``photo<owner>_<id>?comment=<author>@<unix time>``), stable
    across archives of the same account.
    """
    head = el.css_first("div.reply-header")
    if head is None:
        raise RecordError("err_vk_comment_no_header")
    author, author_url, date = author_and_date(head, page)
    date = _date_required(date, "err_vk_comment_no_date")
    mains = el.css("div.item__main")
    text = "\n".join(t for t in (text_of(mn) for mn in mains if not _inside(head, mn)) if t)
    atts: list[Attachment] = []
    for mn in mains:
        atts.extend(attachments(mn, page))
    obj_kind = "photo" if page.section == "photo_comments" else "video"
    obj = f"{obj_kind}{page.owner}_{page.folder}"
    pm = PAGE_RE.search(author_url or "")
    who = f"id{page.owner}" if author == "self" else (f"{pm.group(1)}{pm.group(2)}" if pm else "unknown")
    stamp = int(datetime.fromisoformat(date).timestamp())
    native = f"{obj}?comment={who}@{stamp}"
    return page.item(
        el, index, native_id=native, kind="comment", text=text, date=date, date_tz_assumed=True,
        author=author, attachments=atts, url=f"https://vk.com/{obj}",
    )


# -- photos, videos, audio --------------------------------------------------------------------


def photo_record(el: LexborNode, page: Page, index: int) -> Item:
    """A photo of an album: its page, the direct image URL, description, date.

    A photo of the profile pictures album (:data:`PROFILE_PHOTO_ALBUM`) is a profile picture: kind
    ``avatar`` with ``extra.role = "avatar"``; its native id stays ``photo<owner>_<id>``.
    """
    ref = _object_link(el, ("photo",))
    img = el.css_first("img")
    if ref is None:
        alt = (img.attributes.get("alt") or "") if img is not None else ""
        mm = re.fullmatch(r"(?:photo)?(-?\d+)_(\d+)", alt)
        if not mm:
            raise RecordError("err_vk_photo_no_link")
        ref = f"{mm.group(1)}_{mm.group(2)}"
    obj = f"photo{ref}"
    mains = el.css("div.item__main")
    desc = ""
    for mn in mains[1:]:
        t = text_of(mn)
        if t and not t.startswith(("vk.com/", "https://", "http://")):
            desc = t
            break
    date = None
    for tert in el.css("div.item__tertiary"):
        date = date or parse_vk_date(text_of(tert), page.tz)
    att = Attachment(type="photo", url=(img.attributes.get("src") or None) if img is not None else None)
    if page.title:
        att.extra["album"] = page.title
    kind = "photo"
    if page.section == "photos" and page.folder == PROFILE_PHOTO_ALBUM:
        kind = "avatar"  # a profile picture, past or present: changed in the profile, not on the wall
        att.extra["role"] = "avatar"
    return page.item(el, index, native_id=obj, kind=kind, text=desc, date=date, date_tz_assumed=date is not None,
                     attachments=[att], url=f"https://vk.com/{obj}")


def video_record(el: LexborNode, page: Page, index: int) -> Item:
    """A video of an album: link, title (second ``item__main``), duration and views, date."""
    ref = _object_link(el, ("video", "clip"))
    if ref is None:
        raise RecordError("err_vk_video_no_link")
    obj = f"video{ref}"
    mains = el.css("div.item__main")
    title = text_of(mains[1]) if len(mains) > 1 else ""
    if title.startswith(("vk.com/", "https://")):
        title = ""
    duration = _seconds(_DURATION_RE.match(text_of(mains[2]).lstrip()) if len(mains) > 2 else None)
    date = None
    for t in el.css("div.item__tertiary"):
        date = date or parse_vk_date(text_of(t), page.tz)
    url = f"https://vk.com/{obj}"
    att = Attachment(type="video", url=url, title=title or None, duration=duration)
    if page.title:
        att.extra["album"] = page.title
    return page.item(el, index, native_id=obj, kind="video", text="", date=date, date_tz_assumed=date is not None,
                     attachments=[att], url=url)


def split_audio(text: str) -> tuple[str | None, str]:
    """«Artist — Title» (the archive writes ``&mdash;``) as (artist, title); no dash: (None, text)."""
    text = " ".join(text.split())
    for sep in (" — ", " – ", " - "):
        if sep in text:
            a, b = text.split(sep, 1)
            return a.strip() or None, b.strip()
    return None, text


def audio_record(el: LexborNode, page: Page, index: int) -> Item:
    """An audio record: «Artist — Title» and duration. The archive gives audio no id, so the native
    id is made of performer and title (``audio_<hash>``, ``_2`` for the second copy, and so on)."""
    ttl = el.css_first(".audio__title")
    if ttl is None:
        raise RecordError("err_vk_audio_no_title")
    artist, title = split_audio(text_of(ttl))
    if not title and not artist:
        raise RecordError("err_vk_audio_no_artist")
    dur_el = el.css_first(".audio__duration")
    duration = _seconds(_DURATION_RE.fullmatch(text_of(dur_el)) if dur_el is not None else None)
    key = hashlib.sha1(f"{artist}\x00{title}".encode()).hexdigest()[:16]
    n = page.audio_seen[key] = page.audio_seen.get(key, 0) + 1
    att = Attachment(type="audio", artist=artist, title=title or None, duration=duration)
    if page.title:
        att.extra["album"] = page.title
    return page.item(el, index, native_id=f"audio_{key}" + (f"_{n}" if n > 1 else ""), kind="audio", text="",
                     attachments=[att])


# -- likes, bookmarks, subscriptions ----------------------------------------------------------

#: like folders whose objects are comments (a like of a comment is not a like of its post)
COMMENT_LIKES = frozenset({"wall_reply", "photo_comment", "video_comment", "market_comment", "topic_comment"})


def like_record(el: LexborNode, page: Page, index: int) -> Item:
    """A like: the liked object's link, its type from the folder (``likes/<type>/``); no date."""
    a = el.css_first("a[href]")
    href = (a.attributes.get("href") or "").strip() if a is not None else ""
    if not href:
        raise RecordError("err_vk_like_no_link")
    m = OBJECT_RE.search(href)
    liked = page.folder
    comment = liked in COMMENT_LIKES
    if m:
        obj = f"{m.group(1)}{m.group(2)}_{m.group(3)}"
        if m.group(4):
            obj += f"?reply={m.group(4)}"
        elif comment:
            obj += "?reply"  # a comment's like whose comment id the archive does not give
        url = f"https://vk.com/{m.group(1)}{m.group(2)}_{m.group(3)}" + (f"?reply={m.group(4)}" if m.group(4) else "")
    else:
        obj = href.split("://", 1)[-1]
        url = href
    att_type = "comment" if comment else (attachment_type(liked) or {"textpost": "wall"}.get(liked, liked or "link"))
    att = Attachment(type=att_type, url=url, extra={"liked": liked} if liked else {})
    return page.item(el, index, native_id=f"like_{obj}", kind="like", text="", attachments=[att], url=url)


def bookmark_record(el: LexborNode, page: Page, index: int) -> Item:
    """A bookmark (``bookmarks/<type>/``): the bookmarked post, video, page or link and its title."""
    a = el.css_first("a[href]")
    href = (a.attributes.get("href") or "").strip() if a is not None else ""
    if not href:
        raise RecordError("err_vk_bookmark_no_link")
    title = text_of(a)
    if title == href or title.startswith(("https://", "http://")):
        title = ""
    m = OBJECT_RE.search(href)
    pm = PAGE_RE.search(href)
    if m:
        key = f"{m.group(1)}{m.group(2)}_{m.group(3)}"
    elif pm:
        key = f"{'club' if pm.group(1) != 'id' else 'id'}{pm.group(2)}"
    else:
        key = "url_" + hashlib.sha1(href.encode()).hexdigest()[:16]
    kind = page.folder or "link"
    atts = [Attachment(type="video" if kind == "video" else "link", url=href, title=title or None,
                       extra={"bookmark": kind})]
    return page.item(el, index, native_id=f"bookmark_{key}", kind="bookmark", text="", attachments=atts, url=href)


def subscription_record(el: LexborNode, page: Page, index: int) -> Item:
    """A community or page the person follows; «Владелец»/«Owner» when they own it."""
    a = el.css_first("a[href]")
    src = page_of_link(a)
    if src is None or not src.url:
        raise RecordError("err_vk_subscription_no_link")
    note = text_of(el.css_first("div.item__tertiary"))
    owner = note.lower() in ("владелец", "owner", "администратор", "admin")
    key = src.url.rsplit("/", 1)[-1]
    att = Attachment(type="page", url=src.url, extra={"role": note} if owner else {})
    return page.item(el, index, native_id=f"subscription_{key}", kind="subscription", text=src.name or "",
                     attachments=[att], url=src.url, author="self")


# -- messages ---------------------------------------------------------------------------------


def audience(peer: int) -> str:
    """Who sees a message in conversation ``peer``: a group chat's members, a community, one person."""
    if peer >= CHAT_PEER_BASE:
        return "members"
    if peer < 0:
        return "community"
    return "dialog"


def message_record(el: LexborNode, page: Page, index: int) -> Item | None:
    """A message of the person's (None for someone else's: they are not imported)."""
    head = el.css_first(".message__header")
    if head is None:
        raise RecordError("err_vk_message_no_header")
    if not _SELF_RE.match(head.text(deep=True)):
        return None
    mid = el.attributes.get("data-id") or ""
    try:
        peer = int(page.folder)
    except ValueError as e:
        raise RecordError("err_vk_bad_conversation_folder", folder=page.folder) from e
    if not mid.isdigit():
        raise RecordError("err_vk_message_no_id")
    date = _date_required(parse_vk_date(text_of(head), page.tz), "err_vk_message_no_date")
    body = None
    for ch in _children(el):
        if ch.mem_id != head.mem_id:
            body = ch
            break
    text = text_of(body, skip=frozenset({"kludges"}))
    atts = [a for a in attachments(body, page) if a.type != "deleted"] if body is not None else []
    sel = f"c{peer - CHAT_PEER_BASE}" if peer >= CHAT_PEER_BASE else str(peer)
    return page.item(
        el, index, native_id=f"message{peer}_{mid}", kind="message", text=text, date=date, date_tz_assumed=True,
        author="self", attachments=atts, url=f"https://vk.com/im?sel={sel}&msgid={mid}",
        visibility=audience(peer),
    )
