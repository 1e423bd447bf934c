# ruff: noqa: E501, W293  (markup templates keep VK's long lines and its blank lines of spaces)
"""A writer of VK «Архив данных» pages with the markup of a real archive and invented content.

The templates reproduce, element for element, the pages of a real archive (Russian interface,
windows-1251, May 2026; see docs/importers/vk.md): the page head with ``<meta name="jd">``, the
breadcrumbs, ``div.wrap_page_content`` with one ``div.item`` per record, and each section's
record markup. Every text, name and id given to them in tests and benchmarks is invented.

    arc = VkArchive(root, owner=100001)
    arc.page("wall/wall0.html", "Стена", [wall_post(100001, 10, "Текст", D(2024, 5, 7, 21, 15))])
    arc.write_index()
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path

MONTHS_RU = ["янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"]
MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def vk_date(d: datetime, seconds: bool = False, lang: str = "ru") -> str:
    """``7 мая 2026 в 21:15`` (messages add seconds), or ``7 May 2026 at 9:15 pm`` in English."""
    if lang == "en":
        h = d.hour % 12 or 12
        t = f"{h}:{d.minute:02d}" + (f":{d.second:02d}" if seconds else "") + (" pm" if d.hour >= 12 else " am")
        return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year} at {t}"
    t = f"{d.hour}:{d.minute:02d}" + (f":{d.second:02d}" if seconds else "")
    return f"{d.day} {MONTHS_RU[d.month - 1]} {d.year} в {t}"


def text_html(text: str) -> str:
    """A text as VK writes it: escaped, ``!`` as ``&#33;``, line breaks as ``<br>``."""
    return escape(text, quote=False).replace("!", "&#33;").replace("\n", "<br>")


def jd(owner: int, time_current: int = 1778180891) -> str:
    raw = json.dumps({"user_id": owner, "time_current": time_current}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def head(owner: int, crumbs: list[str], depth: int, charset: str = "windows-1251", marker: bool = True) -> str:
    up = "../" * depth
    links = f'<a class="ui_crumb" href="{up}index.html" data-testid="header_link_crumb">Профиль</a>'
    for c in crumbs[:-1]:
        links += f'<div class="ui_crumb_sep"></div><a class="ui_crumb" href="#" data-testid="header_link_crumb">{escape(c)}</a>'
    if crumbs:
        links += f'<div class="ui_crumb_sep"></div><div class="ui_crumb" >{escape(crumbs[-1])}</div>'
    meta = f'\n  <meta name="jd" content="{jd(owner)}">' if marker else ""
    return f"""<!DOCTYPE html>
<html>
<head>
  <meta charset="{charset}">{meta}
  <title>VK</title>
  <link rel="shortcut icon" href="{up}favicon.ico">
  <link rel="stylesheet" type="text/css" href="{up}style.css">
</head>
<body>
  <div class="wrap">
    <div class="header">
  <div class="page_header">
    <div class="top_home_logo"></div>
  </div>
</div>
    <div class="page_content clear_fix">
<div class="page_block">
<!--content-->
 <h2 class="page_block_h2">
<div class="page_block_header clear_fix">
  <div class="page_block_header_extra_left _header_extra_left"></div>
  <div class="page_block_header_extra _header_extra"></div>
  <div class="page_block_header_inner _header_inner" data-testid="header">{links}</div>
</div>
</h2>
      <div class="wrap_page_content">"""


TAIL = """      </div>
    </div>
  </div>
</body>
</html>
"""


def attachment(label: str, href: str | None = None, text: str | None = None) -> str:
    link = f"\n  <a class='attachment__link' href='{escape(href)}'>{escape(text or href)}</a>" if href else "\n  "
    return f'<div class="attachment">\n  <div class="attachment__description">{label}</div>{link}\n</div>'


def kludges(atts: list[str]) -> str:
    return '<div class="kludges">' + "".join(atts) + "</div>"


def _tertiary_span(author: tuple[int, str] | None, date: datetime, labels: str = "", lang: str = "ru") -> str:
    if author is None:
        who = "Вы" if lang == "ru" else "You"
        span = f"<span>{who} {vk_date(date, lang=lang)}</span>"
    else:
        aid, name = author
        cls = "group_link" if aid < 0 else "mem_link"
        page = f"club{-aid}" if aid < 0 else f"id{aid}"
        span = f'<span><a href="https://vk.com/{page}" class="{cls}" >{escape(name)}</a> {vk_date(date, lang=lang)}</span>'
    return f"""  <div class='item__tertiary'><div class="clear_fix">
    {span}
     {labels}
    <div class="fl_r"></div>
</div></div>"""


def _item(inner: str) -> str:
    return f'<div class="item">\n{inner}\n</div>'


def wall_post(owner: int, post: int, text: str, date: datetime, atts: list[str] | None = None,
              author: tuple[int, str] | None = None, deleted: bool = False, archived: bool = False,
              reply: int | None = None, lang: str = "ru") -> str:
    """A wall post (or, with ``reply``, a comment under a post on a ``wall/<post>/comments`` page)."""
    labels = ""
    if deleted:
        labels = '<span class="post__deleted-label">(Пост удалён)</span>'
    elif archived:
        labels = '<span class="post__archived-label">(Запись архивирована)</span>'
    link = f"https://vk.com/wall{owner}_{post}" + (f"?reply={reply}" if reply else "")
    return _item(
        f"""  <div class='item__main'><div>
  {text_html(text)}
  {kludges(atts or [])}
</div></div><div class='item__main'><div class='clear_fix'><a class="post__link fl_l" href="{link}">{link}</a></div></div>
  
{_tertiary_span(author, date, labels, lang)}"""
    )


def wall_repost(owner: int, post: int, own_text: str, source: tuple[int, str], text: str, date: datetime,
                atts: list[str] | None = None, lang: str = "ru") -> str:
    """A repost: the person's text, then ``repost__post`` with the source page and the shared text."""
    sid, name = source
    cls, page = ("group_link", f"public{-sid}") if sid < 0 else ("mem_link", f"id{sid}")
    link = f"https://vk.com/wall{owner}_{post}"
    return _item(
        f"""  <div class='item__main'><div class="repost">
  {text_html(own_text)}
  <div class="repost__post">
    <div class="repost__post__owner"><a href="https://vk.com/{page}" class="{cls}" >{escape(name)}</a></div>
    <div>{text_html(text)}</div>
    {kludges(atts or [])}
  </div>
</div></div><div class='item__main'><div class='clear_fix'><a class="post__link fl_l" href="{link}">{link}</a></div></div>
  
{_tertiary_span(None, date, "", lang)}"""
    )


def own_comment(obj: str, text: str, date: datetime, atts: list[str] | None = None) -> str:
    """A comment of the person's as ``comments/commentsN.html`` lists it (``obj``: ``wall1_2?reply=3``)."""
    url = f"https://vk.com/{obj}"
    return _item(
        f"""  <div class='item__main'>{text_html(text)}</div><div class='item__main'><a href="{url}">{url}</a></div>
  
  <div class='item__tertiary'>{"".join(atts or [])}</div><div class='item__tertiary'>{vk_date(date)}</div>"""
    )


def reply_comment(author: tuple[int, str], text: str, date: datetime) -> str:
    """A comment under a photo or a video: ``reply-header`` with the author and the date."""
    aid, name = author
    return _item(
        f"""  <div class='item__main'><div class="reply-header"><a href="https://vk.com/id{aid}" class="mem_link" >{escape(name)}</a> {vk_date(date)}</div></div><div class='item__main'>{text_html(text)}</div><div class='item__main'></div>
  
  """
    )


def photo(owner: int, pid: int, src: str, text: str, date: datetime) -> str:
    url = f"https://vk.com/photo{owner}_{pid}"
    return _item(
        f"""  <div class='item__main'><a href="{url}"><img src="{escape(src)}" alt="{owner}_{pid}"></a></div><div class='item__main'>{text_html(text)}</div><div class='item__main'><a href="{url}">vk.com/photo{owner}_{pid}</a></div>
  
  <div class='item__tertiary'></div><div class='item__tertiary'><div class="clear_fix">{vk_date(date)} </div></div>"""
    )


def video(owner: int, vid: int, title: str, duration: str, views: int, date: datetime) -> str:
    url = f"https://vk.com/video{owner}_{vid}"
    return _item(
        f"""  <div class='item__main'><a href="{url}">
  <div class="video-thumb">
      <div class="video-thumb__image" style="background-image: url(https://example.invalid/thumb{vid}.jpg);"></div>
  </div>
</a></div><div class='item__main'>{text_html(title)}</div><div class='item__main'>{duration} <span class="divider">|</span> {views} просмотров</div><div class='item__main'><a href="{url}">vk.com/video{owner}_{vid}</a></div>
  
  <div class='item__tertiary'><div class="clear_fix">{vk_date(date)} <div class="fl_r"></div> </div></div>"""
    )


def audio(artist: str, title: str, duration: str) -> str:
    return _item(
        f"""  <div class='item__main'><div class="clear_fix audio">
  <div class="fl_l audio__title">{escape(artist)} &mdash; {escape(title)}</div><span class="fl_r audio__duration">{duration}</span>
</div></div>
  
  """
    )


def like(url: str) -> str:
    return _item(f"""  <div class='item__main'><a href="{url}">{url}</a></div>
  
  """)


def bookmark(url: str, title: str | None = None) -> str:
    return _item(f"""  <div class='item__main'><a href="{url}">{escape(title or url)}</a></div>
  
  <div class='item__tertiary'></div>""")


def subscription(page: str, name: str, role: str | None = None) -> str:
    tert = f"\n  <div class='item__tertiary'>{escape(role)}</div>" if role else "\n  "
    return _item(f"""  <div class='item__main'><a href="https://vk.com/{page}">{escape(name)}</a></div>
  {tert}""")


def message(mid: int, date: datetime, text: str, sender: tuple[str, str] | None = None,
            atts: list[str] | None = None) -> str:
    """A message: from the person (``sender`` None) or from ``(page, name)``."""
    if sender is None:
        who = f"Вы, {vk_date(date, seconds=True)}"
    else:
        who = f'<a href="https://vk.com/{sender[0]}">{escape(sender[1])}</a>, {vk_date(date, seconds=True)}'
    return _item(
        f"""  <div class='item__main'><div class="message" data-id="{mid}">
  <div class="message__header">{who}</div>
  <div>{text_html(text)}{kludges(atts or [])}</div>
</div></div>
  
  """
    )


def profile_row(label: str, value: str) -> str:
    return f"""<div class="item">
  <div class="item__tertiary">{escape(label)}</div>
  <div>{escape(value)}</div>
</div>
"""


def profile_photo(src: str) -> str:
    return f"""<div class="item">
  <div class="item__tertiary">Фотография</div>
  <img class="fans_fan_img" src="{escape(src)}">
</div>
"""


@dataclass
class VkArchive:
    """An archive being written: pages (windows-1251 by default) under ``root``."""

    root: Path
    owner: int
    encoding: str = "cp1251"
    written: list[str] = field(default_factory=list)

    def page(self, name: str, crumbs: str | list[str], records: list[str], owner: int | None = None,
             wrap: str = "", marker: bool = True) -> Path:
        """Write one page: ``crumbs`` after «Профиль»; ``wrap`` a class to hold the records (audio: ``albums``)."""
        crumbs = [crumbs] if isinstance(crumbs, str) else crumbs
        depth = name.count("/")
        charset = "windows-1251" if self.encoding == "cp1251" else self.encoding
        body = "".join(records)
        if wrap:
            body = f'<div class="{wrap}">\n  {body}\n</div>'
        html = head(owner if owner is not None else self.owner, crumbs, depth, charset, marker) + body + TAIL
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(html.encode(self.encoding, "xmlcharrefreplace"))
        self.written.append(name)
        return path

    def write_index(self) -> None:
        """``index.html`` and ``style.css`` at the root, as in the archive."""
        (self.root / "style.css").write_text("body{}\n")
        links = "".join(f'<a href="{n}">{n}</a><br>' for n in self.written)
        (self.root / "index.html").write_bytes((head(self.owner, [], 0) + links + TAIL).encode(self.encoding))
