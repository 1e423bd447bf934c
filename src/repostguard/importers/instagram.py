"""Instagram "Download your information" in JSON: posts, stories, reels, likes, comments.

Field by field as in shared/docs/formats.md §5. Files sit under ``your_instagram_activity/``
(2024+) or at the root (older): ``content/posts_N.json``, ``content/stories.json``,
``content/reels.json``, ``likes/liked_posts.json``, ``likes/liked_comments.json``,
``comments/post_comments_N.json``, ``comments/reels_comments.json``. Strings are repaired from
Meta's mojibake (dict keys too). Records have no id: the native id is
``<kind>/<timestamp>/<hash of the record>``.

``likes/liked_posts.json`` comes in two shapes: the older ``{"likes_media_likes": [{"title":
owner, "string_list_data": [{"href", "timestamp"}]}]}`` and the current top-level list of records
``{"timestamp", "label_values": [{"label": "URL", "href"}, {"title": "Owner", "dict": [{"dict":
[{"label": "Username"}, {"label": "Name"}, …]}]}, {"label": "Caption"}], "fbid"}``. Checked
against public parsers of Instagram exports (their readers of ``liked_posts.json``: URL, owner,
caption, timestamp); the nesting of the owner's ``dict`` is inferred from them. A record that
cannot be read (not an object, nothing to show: no URL, no time, no text) is skipped with a
counted warning, never stored as an empty item.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from repostguard.errors import Notice
from repostguard.importers._jsonstream import PICTURE_EXT, avatar_item, d, lst, profile_item, s, stable_id, utc_iso
from repostguard.importers._meta import INSTAGRAM_ROOT, MetaExport
from repostguard.model import Attachment, Item, Source

#: (file name pattern relative to the activity root, record kind, accepted list keys)
FILES: list[tuple[re.Pattern[str], str, tuple[str, ...]]] = [
    (re.compile(r"^content/posts(?:_\d+)?\.json$"), "post", ()),
    (re.compile(r"^content/stories\.json$"), "story", ("ig_stories",)),
    (re.compile(r"^content/reels\.json$"), "reel", ("ig_reels_media",)),
    (re.compile(r"^likes/liked_posts\.json$"), "like", ("likes_media_likes",)),
    (re.compile(r"^likes/liked_comments\.json$"), "like", ("likes_comment_likes",)),
    (re.compile(r"^comments/post_comments(?:_\d+)?\.json$"), "comment", ("comments_media_comments",)),
    (re.compile(r"^comments/reels_comments\.json$"), "comment", ("comments_reels_comments",)),
]
#: the reason a record of each kind is skipped when it has nothing to read
EMPTY_RECORD = {"post": "err_ig_empty_post", "story": "err_ig_empty_story", "reel": "err_ig_empty_reel",
                "like": "err_ig_empty_like", "comment": "err_ig_empty_comment"}
#: what a record of each kind with a title but no media is, in the count of parts not read
WITHOUT_MEDIA = {"post": "err_ig_post_without_media", "story": "err_ig_story_without_media",
                 "reel": "err_ig_reel_without_media"}
PROFILE_FILES = (
    "personal_information/personal_information/personal_information.json",
    "personal_information/personal_information.json",
    "account_information/personal_information.json",
)
#: (identity matcher field, Instagram's label in personal_information.json)
PROFILE_LABELS = [
    ("full_name", "Name"),
    ("screen_name", "Username"),
    ("email", "Email"),
    ("phone", "Phone Number"),
    ("birth_date", "Date of birth"),
    ("website", "Website"),
    ("bio", "Bio"),
]
ORDER = ("post", "story", "reel", "comment", "like")


def _labels(values: Any, title: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """``(title of the enclosing group, entry)`` for every labelled entry of a ``label_values``
    list, nested groups (``{"title": "Owner", "dict": [...]}``) included."""
    for lv in lst(values):
        lv = d(lv)
        if "label" in lv:
            yield title, lv
        if "dict" in lv:
            yield from _labels(lv.get("dict"), s(lv.get("title")) or title)


def _label(rec: dict[str, Any], label: str, group: str | None = None) -> str | None:
    """The value (or link) of the first entry labelled ``label`` (inside group ``group`` if given)."""
    for title, lv in _labels(rec.get("label_values")):
        if lv.get("label") == label and (group is None or title == group):
            return s(lv.get("value")) or s(lv.get("href"))
    return None


_USERNAME = re.compile(r"^[A-Za-z0-9._]{1,30}$")


def _account_url(user: str | None) -> str | None:
    """The page of an Instagram user name (``https://www.instagram.com/<name>``); None for anything that
    is not a user name (a display name)."""
    return f"https://www.instagram.com/{user}" if user and _USERNAME.match(user) else None


def _field(rec: dict[str, Any], label: str) -> dict[str, Any]:
    """A labelled value from ``string_map_data`` (or the newer ``label_values`` list)."""
    smd = d(rec.get("string_map_data"))
    if label in smd:
        return d(smd[label])
    for lv in lst(rec.get("label_values")):
        lv = d(lv)
        if lv.get("label") == label:
            return lv
    return {}


class InstagramImporter(MetaExport):
    """Reads an Instagram JSON export (ZIP or folder, 2024+ or older layout)."""

    platform = "instagram"
    activity_root = INSTAGRAM_ROOT
    export_name = "Instagram"

    def __init__(self, path: Path, media_dir: Path | None = None) -> None:
        super().__init__(path, media_dir)
        self.files: list[tuple[str, str, tuple[str, ...]]] = []
        self._user: dict[str, Any] = {}

    @classmethod
    def detect(cls, path: Path) -> bool:
        names = [
            "content/posts_1.json",
            "likes/liked_posts.json",
            "comments/post_comments_1.json",
            "comments/post_comments.json",
            "content/stories.json",
        ]
        return cls._detect(path, names)

    def verify(self) -> None:
        arch, names = self._open()
        files = []
        for n in names:
            if not n.startswith(self.root):
                continue
            rest = n[len(self.root) :]
            for rx, kind, keys in FILES:
                if rx.match(rest):
                    files.append((kind, n, keys))
        if not files:
            self._refuse(names, "err_ig_no_files")
        self.files = sorted(files, key=lambda f: (ORDER.index(f[0]), f[1]))
        users = lst(d(self._read_profile(arch, PROFILE_FILES)).get("profile_user"))
        self._user = d(users[0] if users else {})
        self.owner = s(_field(self._user, "Username").get("value"))
        if self.owner is None:
            self.warn("err_ig_no_profile", file=arch.display(self.root or "."))

    def iter_items(self) -> Iterator[Item]:
        if self.archive is None:
            self.verify()
        arch = self.archive
        assert arch is not None
        if self._user:
            prof = profile_item(
                self.platform,
                [(f, label, s(_field(self._user, label).get("value"))) for f, label in PROFILE_LABELS],
                url=f"https://www.instagram.com/{self.owner}/" if self.owner else None,
                raw=self._user,
                source_file=self._profile_file,
            )
            if prof is not None:
                yield prof
        # profile pictures: media/profile/… (and any file the profile record names)
        named = {s(d(v).get("uri")) for v in d(self._user.get("media_map_data")).values()} - {None}
        url = f"https://www.instagram.com/{self.owner}/" if self.owner else None
        pics = {n for n in arch.glob("media/profile/") if n.lower().endswith(PICTURE_EXT)}
        pics |= {str(u) for u in named if arch.exists(str(u))}
        for pic in sorted(pics):
            yield avatar_item(self.platform, pic, arch.media_path(pic, self.media_dir), url=url,
                              source_file=arch.display(pic))
        for kind, name, keys in self.files:
            for rec, disp, where in self._records(arch, name, keys):
                if kind in ("post", "story", "reel"):
                    item = self._media_item(kind, rec, disp, where)
                elif kind == "comment":
                    item = self._comment(rec, disp, where)
                else:
                    item = self._like(rec, disp, where)
                if item is None:
                    self._skipped.add(disp, Notice(EMPTY_RECORD[kind]), where)
                    continue
                yield item
        self._warn_missing_media(arch.display(self.root or "."))
        for what, n in sorted(self._unknown.items(), key=lambda wn: str(wn[0])):
            self.warn("err_ig_unknown_records", file=arch.display(self.root or "."), n=n, what=what)
        self._warn_skipped()

    def _media_item(self, kind: str, rec: dict[str, Any], disp: str, where: str) -> Item | None:
        media = [d(m) for m in lst(rec.get("media"))]
        if not media and s(rec.get("uri")):
            media = [rec]  # stories: one media object per record
        if not media:
            if not s(rec.get("title")):
                return None  # nothing to show: skipped (counted by the caller)
            self._unknown[Notice(WITHOUT_MEDIA[kind])] += 1
        atts = [self._media_att({"uri": m.get("uri")}) for m in media]
        text = s(rec.get("title")) or (s(media[0].get("title")) if media else None) or ""
        ts = rec.get("creation_timestamp", media[0].get("creation_timestamp") if media else None)
        if kind == "post":
            item_kind, vis = "post", None
        elif kind == "story":
            item_kind, vis = (atts[0].type if atts else "photo"), "story"
        else:
            item_kind, vis = "video", None
        return Item(
            platform=self.platform,
            native_id=stable_id(kind, ts, rec),
            kind=item_kind,
            text=text,
            date=utc_iso(ts),
            author="self",
            attachments=atts,
            visibility=vis,
            raw=rec,
            source_file=disp,
            pointer=where,
        )

    def _comment(self, rec: dict[str, Any], disp: str, where: str) -> Item | None:
        text = s(_field(rec, "Comment").get("value"))
        if text is None:
            return None  # a comment without its text: nothing to check (counted by the caller)
        ts = _field(rec, "Time").get("timestamp")
        owner = s(_field(rec, "Media Owner").get("value"))
        return Item(
            platform=self.platform,
            native_id=stable_id("comment", ts, rec),
            kind="comment",
            text=text or "",
            date=utc_iso(ts),
            author="self",
            reposted_from=Source(name=owner, url=_account_url(owner)) if owner else None,
            raw=rec,
            source_file=disp,
            pointer=where,
        )

    def _like(self, rec: dict[str, Any], disp: str, where: str) -> Item | None:
        """A liked post or comment: the older ``string_list_data`` shape or the current
        ``label_values`` one (URL, owner, caption, ``timestamp``); None when nothing is readable."""
        sld = [d(x) for x in lst(rec.get("string_list_data"))]
        first = sld[0] if sld else {}
        if sld or "label_values" not in rec:
            ts = first.get("timestamp")
            href = s(first.get("href"))
            owner = s(rec.get("title"))
            owner_url = _account_url(owner)
            text = ""
        else:
            ts = rec.get("timestamp")
            href = _label(rec, "URL", "")
            user = _label(rec, "Username", "Owner")
            owner = user or _label(rec, "Name", "Owner")
            owner_url = _label(rec, "URL", "Owner") or _account_url(user)
            text = _label(rec, "Caption") or ""
        date = utc_iso(ts)
        if not href and not text and date is None:
            return None
        return Item(
            platform=self.platform,
            native_id=stable_id("like", ts, rec),
            kind="like",
            text=text,
            date=date,
            author="self",
            attachments=[Attachment(type="link", url=href)] if href else [],
            reposted_from=Source(name=owner, url=owner_url) if owner or owner_url else None,
            url=href,
            raw=rec,
            source_file=disp,
            pointer=where,
        )
