"""Facebook "Download your information" in JSON: posts and shares, comments, reactions.

Field by field as in shared/docs/formats.md §5. Both folder layouts are read: the 2024+ one
(``your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json``,
``your_facebook_activity/comments_and_reactions/…``) and the older one (``posts/your_posts_1.json``,
``comments/comments.json``, ``likes_and_reactions/posts_and_comments.json``). Every string is
repaired from Meta's latin-1-escaped UTF-8 mojibake. Record lists are streamed with ijson.

Meta gives records no id: the native id is ``<kind>/<timestamp>/<hash of the record>``, stable
across re-imports. A share has no structured flag: a post is a ``repost`` when its (localized)
title says it shared something, or when it carries a link (``external_context``) but no own text.

Liked pages (``pages/pages_you've_liked.json``: ``{"page_likes_v2": [{"name", "timestamp",
"url"}]}``, checked against public parsers of Facebook exports that read this file) are items of
kind ``like`` whose URL is the page and whose text is the page's name. A record that cannot be
read (not an object; a liked page without name or URL) is skipped with a counted warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from repostguard.errors import Notice
from repostguard.importers._archive import ExportArchive
from repostguard.importers._jsonstream import d, lst, profile_item, s, stable_id, utc_iso
from repostguard.importers._meta import FACEBOOK_ROOT, INSTAGRAM_ROOT, MetaExport
from repostguard.model import Attachment, Item, Source

SHARE_RE = re.compile(
    r"\bshared\b|поделил|поделилась|поделился|compartió|a partagé|hat .* geteilt|ha condiviso", re.I
)
SHARED_FROM_RE = re.compile(r"shared (.+?)'s (?:post|video|photo|link|reel|album|event)", re.I)
POSTS_RE = re.compile(r"^(?:your_posts(?:__check_ins__photos_and_videos)?(?:_\d+)?|your_posts)\.json$")
REACTIONS_RE = re.compile(r"^(?:likes_and_reactions(?:_\d+)?|posts_and_comments)\.json$")
PROFILE_FILES = (
    "personal_information/profile_information/profile_information.json",
    "profile_information/profile_information.json",
    FACEBOOK_ROOT + "personal_information/profile_information/profile_information.json",
)
GROUP_RE = re.compile(r"\bposted in (.+?)\.?$", re.I)
#: whose post a reaction or a comment is on, from its English title («X likes Y's post.», «X reacted to
#: Y's photo.», «X commented on Y's post.», «X replied to Y's comment.»); «his own post» names nobody
OBJECT_OWNER_RE = re.compile(
    r"\b(?:likes|liked|reacted to|commented on|replied to) (.+?)'s "
    r"(?:post|photo|video|link|reel|album|status|comment|event|life event|story|note)\b", re.I)
FILE_ORDER = ("post", "group_post", "comment", "group_comment", "like", "page_like")
#: the keys a file of each kind keeps its list under (none: the file is the list)
LIST_KEYS: dict[str, tuple[str, ...]] = {
    "post": (),
    "group_post": ("group_posts_v2", "group_posts"),
    "comment": ("comments_v2", "comments"),
    "group_comment": ("group_comments_v2", "group_comments"),
    "like": ("reactions_v2", "reactions", "likes_v2", "likes"),
    "page_like": ("page_likes_v2", "page_likes"),
}
PAGE_LIKES = ("pages_you've_liked.json", "pages_you_ve_liked.json")
KNOWN_ATT_KEYS = {"media", "external_context", "place", "event", "note", "text", "poll", "fundraiser", "name"}


class FacebookImporter(MetaExport):
    """Reads a Facebook JSON export (ZIP or folder, 2024+ or older layout)."""

    platform = "facebook"
    activity_root = FACEBOOK_ROOT
    export_name = "Facebook"

    def __init__(self, path: Path, media_dir: Path | None = None) -> None:
        super().__init__(path, media_dir)
        self.files: list[tuple[str, str]] = []  # (kind, name)
        self._others = 0
        self._profile: dict[str, Any] = {}

    @classmethod
    def detect(cls, path: Path) -> bool:
        names = [
            "posts/your_posts_1.json",
            "posts/your_posts__check_ins__photos_and_videos_1.json",
            "comments/comments.json",
            "comments_and_reactions/comments.json",
            "likes_and_reactions/posts_and_comments.json",
            "comments_and_reactions/posts_and_comments.json",
            *(f"pages/{n}" for n in PAGE_LIKES),
        ]
        return cls._detect(path, names, unless_under=INSTAGRAM_ROOT)

    def verify(self) -> None:
        arch, names = self._open()
        r = self.root
        files: list[tuple[str, str]] = []
        for n in names:
            if not n.startswith(r):
                continue
            rest = n[len(r) :]
            folder, _, base = rest.rpartition("/")
            if folder == "posts" and POSTS_RE.match(base):
                files.append(("post", n))
            elif folder in ("comments", "comments_and_reactions") and base == "comments.json":
                files.append(("comment", n))
            elif folder in ("likes_and_reactions", "comments_and_reactions") and REACTIONS_RE.match(base):
                files.append(("like", n))
            elif folder == "groups" and base in (
                "your_posts_in_groups.json",
                "group_posts_and_comments.json",
            ):
                files.append(("group_post", n))
            elif folder == "groups" and base == "your_comments_in_groups.json":
                files.append(("group_comment", n))
            elif folder == "pages" and base in PAGE_LIKES:
                files.append(("page_like", n))
        if not files:
            self._refuse(names, "err_fb_no_files")
        self.files = sorted(files, key=lambda kn: (FILE_ORDER.index(kn[0]), _num_key(kn[1])))
        prof = d(self._read_profile(arch, PROFILE_FILES))
        self._profile = d(prof.get("profile_v2") or prof.get("profile"))
        self.owner = s(d(self._profile.get("name")).get("full_name"))
        if self.owner is None:
            self.warn("err_fb_no_profile", file=arch.display(r + "posts/"))

    def iter_items(self) -> Iterator[Item]:
        if self.archive is None:
            self.verify()
        arch = self.archive
        assert arch is not None
        prof = self._profile_item()
        if prof is not None:
            yield prof
        for kind, name in self.files:
            for rec, disp, where in self._records(arch, name, LIST_KEYS[kind]):
                if kind in ("post", "group_post"):
                    yield self._post(rec, disp, where, group=kind == "group_post")
                elif kind in ("comment", "group_comment"):
                    yield self._comment(rec, disp, where, group=kind == "group_comment")
                elif kind == "page_like":
                    item = self._page_like(rec, disp, where)
                    if item is None:
                        self._skipped.add(disp, Notice("err_fb_page_like_empty"), where)
                        continue
                    yield item
                else:
                    yield self._reaction(rec, disp, where)
        self._finish(arch)

    def _profile_item(self) -> Item | None:
        p = self._profile
        if not p:
            return None
        name = d(p.get("name"))
        bday = d(p.get("birthday"))
        birth = None
        if isinstance(bday.get("year"), int) and bday.get("year"):
            birth = "-".join(f"{int(bday.get(k) or 0):02d}" for k in ("year", "month", "day") if bday.get(k))
        fields: list[tuple[str, str, Any]] = [
            ("full_name", "full_name", s(name.get("full_name"))),
            ("screen_name", "username", s(p.get("username"))),
            ("birth_date", "birthday", birth),
            ("city", "current_city", s(d(p.get("current_city")).get("name"))),
            ("home_town", "hometown", s(d(p.get("hometown")).get("name"))),
        ]
        fields += [("email", "emails", s(e)) for e in lst(d(p.get("emails")).get("emails"))]
        fields += [
            ("phone", "phone_number", s(d(ph).get("phone_number"))) for ph in lst(p.get("phone_numbers"))
        ]
        fields += [("website", "websites", s(d(w).get("address"))) for w in lst(p.get("websites"))]
        return profile_item(
            self.platform,
            fields,
            url=s(p.get("profile_uri")),
            raw=p,
            source_file=self._profile_file,
        )

    def _finish(self, arch: ExportArchive) -> None:
        self._warn_missing_media(arch.display(self.root))
        if self._others:
            self.warn("err_fb_others", file=arch.display(self.root), n=self._others, owner=self.owner)
        for what, n in sorted(self._unknown.items(), key=lambda wn: str(wn[0])):
            self.warn("err_fb_unknown_parts", file=arch.display(self.root), n=n, what=what)
        self._warn_skipped()

    def _atts(self, rec: dict[str, Any]) -> tuple[list[Attachment], dict[str, Any] | None]:
        atts: list[Attachment] = []
        ext: dict[str, Any] | None = None
        for a in lst(rec.get("attachments")):
            for x in lst(d(a).get("data")):
                x = d(x)
                for key, val in x.items():
                    val_d = d(val)
                    if key == "media":
                        atts.append(self._media_att(val_d))
                    elif key == "external_context":
                        ext = ext or val_d
                        atts.append(
                            Attachment(
                                type="link",
                                url=s(val_d.get("url")),
                                title=s(val_d.get("name")) or s(val_d.get("source")),
                            )
                        )
                    elif key == "place":
                        atts.append(Attachment(type="geo", title=s(val_d.get("name"))))
                    elif key in ("event", "note", "poll", "fundraiser"):
                        atts.append(
                            Attachment(
                                type=key,
                                title=s(val_d.get("name"))
                                or s(val_d.get("title"))
                                or s(val_d.get("question")),
                            )
                        )
                    elif key not in KNOWN_ATT_KEYS:
                        self._unknown[Notice("err_fb_unknown_attachment", name=key[:30])] += 1
        return atts, ext

    def _post(self, rec: dict[str, Any], disp: str, where: str, group: bool = False) -> Item:
        ts = rec.get("timestamp")
        texts = [s(d(x).get("post")) for x in lst(rec.get("data"))]
        text = "\n".join(t for t in texts if t)
        title = s(rec.get("title")) or ""
        atts, ext = self._atts(rec)
        share = bool(SHARE_RE.search(title)) or (ext is not None and not text)
        source = None
        if share:
            m = SHARED_FROM_RE.search(title)
            name = s(d(ext).get("name")) or s(d(ext).get("source")) or (m.group(1) if m else None)
            source = Source(name=name, url=s(d(ext).get("url")))
        if group:
            m = GROUP_RE.search(title)
            if m:
                atts.append(Attachment(type="group", title=m.group(1)))
        return Item(
            platform=self.platform,
            native_id=stable_id("group_post" if group else "post", ts, rec),
            kind="repost" if share else "post",
            text=text,
            date=utc_iso(ts),
            author="self",
            attachments=atts,
            reposted_from=source,
            visibility="group" if group else None,
            raw=rec,
            source_file=disp,
            pointer=where,
        )

    def _comment(self, rec: dict[str, Any], disp: str, where: str, group: bool = False) -> Item:
        c: dict[str, Any] = {}
        for x in lst(rec.get("data")):
            if isinstance(d(x).get("comment"), dict):
                c = x["comment"]
                break
        if not c:
            self._unknown[Notice("err_fb_comment_without_data")] += 1
        ts = c.get("timestamp", rec.get("timestamp"))
        who = s(c.get("author"))
        author = "self" if self.owner is None or who is None or who == self.owner else "other"
        if author == "other":
            self._others += 1
        atts, _ = self._atts(rec)
        if s(c.get("group")):
            atts.append(Attachment(type="group", title=s(c.get("group"))))
        return Item(
            platform=self.platform,
            native_id=stable_id("group_comment" if group else "comment", ts, rec),
            kind="comment",
            text=s(c.get("comment")) or "",
            date=utc_iso(ts),
            author=author,
            attachments=atts,
            reposted_from=_object_owner(rec),
            visibility="group" if group else None,
            raw=rec,
            source_file=disp,
            pointer=where,
        )

    def _reaction(self, rec: dict[str, Any], disp: str, where: str) -> Item:
        r: dict[str, Any] = {}
        for x in lst(rec.get("data")):
            if isinstance(d(x).get("reaction"), dict):
                r = x["reaction"]
                break
        actor = s(r.get("actor"))
        author = "self" if self.owner is None or actor is None or actor == self.owner else "other"
        if author == "other":
            self._others += 1
        ts = rec.get("timestamp")
        return Item(
            platform=self.platform,
            native_id=stable_id("reaction", ts, rec),
            kind="like",
            text=s(rec.get("title")) or "",
            date=utc_iso(ts),
            author=author,
            reposted_from=_object_owner(rec),
            raw=rec,
            source_file=disp,
            pointer=where,
        )

    def _page_like(self, rec: dict[str, Any], disp: str, where: str) -> Item | None:
        """A liked page: kind ``like``, the page's URL, its name as the text."""
        name, url = s(rec.get("name")), s(rec.get("url"))
        if not name and not url:
            return None
        ts = rec.get("timestamp")
        return Item(
            platform=self.platform,
            native_id=stable_id("page_like", ts, rec),
            kind="like",
            text=name or "",
            date=utc_iso(ts),
            author="self",
            url=url,
            raw=rec,
            source_file=disp,
            pointer=where,
        )


def _object_owner(rec: dict[str, Any]) -> Source | None:
    """The page or person whose post a reaction or comment is on, as its title names them (the page
    matchers check the name against the pages list entries name)."""
    m = OBJECT_OWNER_RE.search(s(rec.get("title")) or "")
    return Source(name=m.group(1).strip()) if m else None


def _num_key(name: str) -> tuple[str, int]:
    m = re.search(r"_(\d+)\.json$", name)
    return (name[: m.start()] if m else name, int(m.group(1)) if m else 0)
