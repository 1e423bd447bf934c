"""The profile page of VK's «Архив данных» (``profile/page-info.html``): the profile and its photo.

The page is a list of ``div.item`` rows, each a label (``.item__tertiary``) and a value; the row
labelled «Фотография»/«Photo» holds the profile photo as an ``<img>`` whose ``src`` is a direct
link to VK's image server (a small square crop: ``…&as=32x32,…&cs=50x50``). The archive holds
links, not files: the picture is read only once ``repostguard media fetch`` has downloaded it.

Two items come from the page:

* ``profile<owner>`` (kind ``profile``): every text field as a ``profile_field`` attachment, read by
  the identity matcher, and ``Label: value`` lines as text, matched like a post's;
* ``avatar/profile`` (kind ``avatar``, like the profile pictures of the other importers): the
  profile photo as its photo attachment (``extra.role = "avatar"``), so that once fetched it is
  read, hashed and checked for symbols, and can be decided and cleaned up like a post. VK's
  placeholder for a page without a photo (``/images/camera_50.png`` and the like) is no item.

The person's past and present profile pictures in full size are the photos of the system album
``-6`` (``photos/photo-albums/-6.html``, «Фото профиля»), which
:func:`repostguard.importers.vk_sections.photo_record` makes items of kind ``avatar`` too.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from repostguard.importers._vk import PROFILE_LABELS, page_url
from repostguard.importers.vk_sections import Page, text_of
from repostguard.model import Attachment, Item

#: the archive's word for an empty field
NO_DATA = frozenset({"данных нет", "no data", "нет данных"})
#: the label of the profile photo's row (RU and EN interface)
PHOTO_LABELS = frozenset({"фотография", "фото", "photo", "profile photo"})
#: the native id of the profile photo's item (one per account: the photo shown on the page)
AVATAR_ID = "avatar/profile"
#: VK's own placeholders for a page without a photo (or a deleted one): not the person's picture
_PLACEHOLDER_RE = re.compile(r"^/images/(?:camera|deactivated|community|question)_[a-z0-9_]*\.(?:png|gif|jpe?g)$",
                             re.IGNORECASE)


def _rows(root: LexborNode) -> list[tuple[int, LexborNode, str]]:
    """``(index, row, label)`` of every labelled row of the page."""
    out: list[tuple[int, LexborNode, str]] = []
    for index, row in enumerate(root.css("div.item")):
        lab = row.css_first(".item__tertiary")
        if lab is not None:
            out.append((index, row, text_of(lab).rstrip(":")))
    return out


def profile_page(root: LexborNode, page: Page) -> Item:
    """The profile: one item, each text field a ``profile_field`` attachment.

    «Данных нет» (no data) is an empty field and is left out; the photo is an item of its own
    (:func:`profile_avatar`).
    """
    lines: list[str] = []
    atts: list[Attachment] = []
    for _index, row, label in _rows(root):
        if label.lower() in PHOTO_LABELS:
            continue
        value = text_of(row, skip=frozenset({"item__tertiary"}))
        if not label or not value or value.lower() in NO_DATA:
            continue
        key = label.lower()
        fld = PROFILE_LABELS.get(key) or re.sub(r"\W+", "_", key).strip("_") or "field"
        lines.append(f"{label}: {value}")
        atts.append(Attachment(type="profile_field", title=value, extra={"field": fld, "label": label}))
    return page.item(root, 0, native_id=f"profile{page.owner}", kind="profile", text="\n".join(lines),
                     attachments=atts, url=page_url(page.owner))


def is_placeholder(url: str) -> bool:
    """Whether ``url`` is one of VK's stock pictures for a page without a photo."""
    try:
        return bool(_PLACEHOLDER_RE.match(urlsplit(url).path))
    except ValueError:
        return False


def profile_avatar(root: LexborNode, page: Page) -> Item | None:
    """The profile photo as an item of kind ``avatar`` (native id :data:`AVATAR_ID`), or None when
    the page shows none (no photo row, no ``src``, or VK's placeholder).

    The link is kept as the archive gives it (a small crop): ``media fetch`` fetches exactly it and
    never makes up another size. The item's link is the person's page, where the photo is changed.
    """
    for index, row, label in _rows(root):
        if label.lower() not in PHOTO_LABELS:
            continue
        img = row.css_first("img")
        src = ((img.attributes.get("src") or "").strip() if img is not None else "")
        if not src or is_placeholder(src):
            return None
        att = Attachment(type="photo", url=src, extra={"role": "avatar"})
        return page.item(row, index, native_id=AVATAR_ID, kind="avatar", text="", author="self",
                         attachments=[att], url=page_url(page.owner))
    return None
