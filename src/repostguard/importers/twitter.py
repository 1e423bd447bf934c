"""The X (Twitter) archive: ``data/tweets.js`` (and ``tweets-partN.js``, older ``tweet.js``),
``data/like.js``, ``data/account.js`` and ``data/tweets_media/``.

Field by field as in shared/docs/formats.md §4. Every ``data/*.js`` file is a JavaScript
assignment ``window.YTD.<name>.partN = [ … ]``; the prefix is skipped and the array is streamed
with ijson, one tweet at a time.

* A retweet has no structured marker: its text starts with ``RT @user: `` → kind ``repost`` with
  ``@user`` as the source (and the original tweet's URL when a media entry names it).
* A quote tweet shows only as a link to another tweet in ``entities.urls`` → kind ``repost``, the
  quoted URL as a link attachment and as the source.
* A reply to someone else is a ``comment``; a reply to oneself (a thread) stays a ``post``.
* Likes (``like.js``) carry no time: their ``date`` is empty. Their native id is
  ``like/<tweet id>`` so that liking one's own tweet does not collide with the tweet.
* Deleted tweets (``deleted-tweets.js``, ``window.YTD.deleted_tweets.partN``, the same records as
  ``tweets.js``, media under ``deleted_tweets_media/``) are read too, with visibility ``deleted``:
  they were removed from X but were published. Checked against public parsers of X archives that
  read this file (same ``tweet`` records, the ``deleted_tweets`` variable name).

A tweet or like that cannot be read (not an object, no numeric id) is skipped with a counted
warning; a tweet without a readable ``created_at`` is imported without a date (counted too).
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from repostguard.errors import InputError, Notice
from repostguard.importers._archive import ExportArchive
from repostguard.importers._base import Importer
from repostguard.importers._jsonstream import (
    PICTURE_EXT,
    Skipped,
    avatar_item,
    d,
    iter_json_items,
    load_json,
    lst,
    probe,
    profile_item,
    read_head,
    s,
    skip_js_assignment,
)
from repostguard.model import Attachment, Item, Source

RT_RE = re.compile(r"^RT @(\w{1,50}): ?", re.S)
STATUS_RE = re.compile(
    r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/(\w{1,50})/status(?:es)?/(\d+)", re.I
)
TWEET_FILE_RE = re.compile(r"^tweets?(?:-part(\d+))?\.js$")
DELETED_FILE_RE = re.compile(r"^deleted-tweets(?:-part(\d+))?\.js$")
MEDIA_DIRS = ("tweets_media/", "tweet_media/", "deleted_tweets_media/")


def _find_key(obj: Any, key: str, depth: int = 0) -> Any:
    """The first value of ``key`` anywhere in a small JSON tree."""
    if depth > 8:
        return None
    if isinstance(obj, dict):
        if key in obj:
            return obj[key]
        obj = list(obj.values())
    if isinstance(obj, list):
        for v in obj:
            found = _find_key(v, key, depth + 1)
            if found is not None:
                return found
    return None


def _tweet_date(v: Any) -> str | None:
    t = s(v)
    if not t:
        return None
    for fmt in ("%a %b %d %H:%M:%S %z %Y", "%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z"):
        try:
            return datetime.strptime(t.replace("Z", "+0000"), fmt).astimezone(UTC).isoformat()
        except ValueError:
            continue
    return None


class TwitterImporter(Importer):
    """Reads an X/Twitter archive (the ZIP or its folder)."""

    platform = "x"

    def __init__(self, path: Path, media_dir: Path | None = None) -> None:
        super().__init__(path, media_dir)
        self.archive: ExportArchive | None = None
        self.base = "data/"
        self.username: str | None = None
        self.account_id: str | None = None
        self.tweet_files: list[str] = []
        self._media: dict[str, list[str]] = defaultdict(list)
        self._missing_media = 0
        self._account: dict[str, Any] = {}
        self.deleted_files: list[str] = []
        self._skipped = Skipped()
        self._undated = 0

    @classmethod
    def detect(cls, path: Path) -> bool:
        path = Path(path)
        if not (path.is_dir() or path.is_file()):
            return False
        found = probe(
            path,
            ["data/account.js", "data/tweets.js", "data/tweet.js", "data/like.js", "account.js", "tweet.js"],
        )
        if not found:
            return False
        return read_head(path, found, 64).lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"window.YTD.")

    def verify(self) -> None:
        arch = self.archive = ExportArchive.open(self.path)
        self.base = "data/" if any(n.startswith("data/") and n.endswith(".js") for n in arch.names()) else ""
        parts: list[tuple[int, str]] = []
        deleted: list[tuple[int, str]] = []
        for n in arch.glob(self.base, ".js"):
            rest = n[len(self.base) :]
            m = TWEET_FILE_RE.match(rest)
            if m:
                parts.append((int(m.group(1) or 0), n))
            m = DELETED_FILE_RE.match(rest)
            if m:
                deleted.append((int(m.group(1) or 0), n))
        self.tweet_files = [n for _, n in sorted(parts)]
        self.deleted_files = [n for _, n in sorted(deleted)]
        like = self.base + "like.js"
        if not self.tweet_files and not self.deleted_files and not arch.exists(like):
            raise InputError(arch.display(self.base or "."), "err_x_no_tweets")
        acc = self.base + "account.js"
        if arch.exists(acc):
            disp = arch.display(acc)
            with arch.open_bytes(acc) as fh:
                _, stream = skip_js_assignment(fh, disp)
                data = load_json(stream, disp)
            rec = d(d(lst(data)[0] if lst(data) else {}).get("account"))
            self._account = rec
            self.username = s(rec.get("username"))
            self.account_id = s(rec.get("accountId"))
            if not self.username:
                raise InputError(disp, "err_x_no_username")
        else:
            self.warn("err_x_no_account_file", file=arch.display(acc))
        for md in MEDIA_DIRS:
            for n in arch.glob(self.base + md):
                name = n.rsplit("/", 1)[-1]
                tid = name.split("-", 1)[0]
                if tid.isdigit():
                    self._media[tid].append(n)

    def _small_js(self, name: str) -> Any:
        """A small ``data/<name>`` file's list (profile, phone number, age), or None if absent."""
        assert self.archive is not None
        full = self.base + name
        if not self.archive.exists(full):
            return None
        disp = self.archive.display(full)
        with self.archive.open_bytes(full) as fh:
            _, stream = skip_js_assignment(fh, disp)
            return load_json(stream, disp, limit=16 * 1024**2)

    def _profile(self) -> Item | None:
        acc = self._account
        prof = d(d(d((lst(self._small_js("profile.js"))[:1] or [{}])[0]).get("profile")).get("description"))
        phone = d(d((lst(self._small_js("phone-number.js"))[:1] or [{}])[0]).get("device"))
        birth = _find_key(self._small_js("ageinfo.js"), "birthDate")
        assert self.archive is not None
        return profile_item(
            self.platform,
            [
                ("full_name", "accountDisplayName", s(acc.get("accountDisplayName"))),
                ("screen_name", "username", f"@{self.username}" if self.username else None),
                ("email", "email", s(acc.get("email"))),
                ("phone", "phoneNumber", s(phone.get("phoneNumber"))),
                ("birth_date", "birthDate", s(birth)),
                ("city", "location", s(prof.get("location"))),
                ("website", "website", s(prof.get("website"))),
                ("bio", "bio", s(prof.get("bio"))),
            ],
            url=f"https://x.com/{self.username}" if self.username else None,
            raw={"account": acc, "profile": prof, "phone": phone, "birthDate": birth},
            source_file=self.archive.display(self.base + "account.js"),
        )

    def iter_items(self) -> Iterator[Item]:
        if self.archive is None:
            self.verify()
        arch = self.archive
        assert arch is not None
        prof = self._profile()
        if prof is not None:
            yield prof
        # the avatar and header pictures (data/profile_media/<accountId>-<file>)
        media = d(d((lst(self._small_js("profile.js"))[:1] or [{}])[0]).get("profile"))
        header = (s(media.get("headerMediaUrl")) or "").rsplit("/", 1)[-1].split(".")[0]
        url = f"https://x.com/{self.username}" if self.username else None
        for pic in sorted(arch.glob(self.base + "profile_media/")):
            if pic.lower().endswith(PICTURE_EXT):
                role = "header" if header and pic.rsplit("/", 1)[-1].split(".")[0].endswith(header) else "avatar"
                yield avatar_item(self.platform, pic, arch.media_path(pic, self.media_dir), role=role, url=url,
                                  source_file=arch.display(pic))
        for name in self.tweet_files + self.deleted_files:
            deleted = name in self.deleted_files
            disp = arch.display(name)
            with arch.open_bytes(name) as fh:
                var, stream = skip_js_assignment(fh, disp)
                want = r"deleted_tweets" if deleted else r"tweets?"
                if not re.match(rf"^window\.YTD\.{want}\.part\d+$", var):
                    what = Notice("err_x_what_deleted" if deleted else "err_x_what_tweets")
                    raise InputError(disp, "err_x_unexpected_data", what=what, found=var[:60])
                for i, entry in enumerate(iter_json_items(stream, "item", disp, "")):
                    item = self._tweet(entry, disp, f"[{i}]")
                    if item is not None:
                        if deleted:
                            item.visibility = "deleted"
                        yield item
        like = self.base + "like.js"
        if arch.exists(like):
            disp = arch.display(like)
            with arch.open_bytes(like) as fh:
                var, stream = skip_js_assignment(fh, disp)
                if not re.match(r"^window\.YTD\.like\.part\d+$", var):
                    raise InputError(disp, "err_x_unexpected_data", what=Notice("err_x_what_likes"), found=var[:60])
                for i, entry in enumerate(iter_json_items(stream, "item", disp, "")):
                    item = self._like(entry, disp, f"[{i}]")
                    if item is not None:
                        yield item
        if self._missing_media:
            self.warn("err_x_media_missing", file=arch.display(self.base + "tweets_media/"), n=self._missing_media)
        if self._undated:
            self.warn("err_x_undated", file=arch.display(self.base or "."), n=self._undated)
        for w in self._skipped.warnings():
            self.warn(w)

    def _status_url(self, tid: str) -> str:
        return (
            f"https://x.com/{self.username}/status/{tid}"
            if self.username
            else f"https://x.com/i/web/status/{tid}"
        )

    def _tweet(self, entry: Any, disp: str, where: str) -> Item | None:
        t = entry.get("tweet", entry) if isinstance(entry, dict) else None
        if not isinstance(t, dict):
            self._skipped.add(disp, Notice("err_x_tweet_not_object"), where)
            return None
        tid = s(t.get("id_str")) or s(t.get("id"))
        if not tid or not tid.isdigit():
            self._skipped.add(disp, Notice("err_x_tweet_no_id"), where)
            return None
        date = _tweet_date(t.get("created_at"))
        if date is None:
            self._undated += 1
        raw_text = t.get("full_text", t.get("text"))
        if raw_text is not None and not isinstance(raw_text, str):
            self._skipped.add(disp, Notice("err_x_tweet_text_not_string"), where)
            return None
        text = html.unescape(raw_text or "")
        ents = d(t.get("entities"))
        atts: list[Attachment] = []
        source: Source | None = None
        for u in lst(ents.get("urls")):
            u = d(u)
            short, full = s(u.get("url")), s(u.get("expanded_url"))
            if not full:
                continue
            if short:
                text = text.replace(short, full)
            atts.append(Attachment(type="link", url=full, title=s(u.get("display_url"))))
            m = STATUS_RE.match(full)
            if m and m.group(2) != tid and source is None:
                source = Source(name=f"@{m.group(1)}", url=full)
        quote = source is not None
        rt = RT_RE.match(text)
        media = lst(d(t.get("extended_entities")).get("media")) or lst(ents.get("media"))
        for mobj in media:
            mobj = d(mobj)
            murl = s(mobj.get("url"))
            if murl:
                text = text.replace(murl, "").rstrip()
            atts.append(self._media_att(tid, mobj, retweet=rt is not None))
        kind = "post"
        if rt:
            kind = "repost"
            user = rt.group(1)
            text = text[rt.end() :]
            src_id = next(
                (
                    s(d(m).get("source_status_id_str")) or s(d(m).get("source_status_id"))
                    for m in media
                    if d(m).get("source_status_id_str") or d(m).get("source_status_id")
                ),
                None,
            )
            source = Source(
                name=f"@{user}",
                url=f"https://x.com/{user}/status/{src_id}" if src_id else f"https://x.com/{user}",
            )
        else:
            reply_user = s(t.get("in_reply_to_user_id_str")) or s(t.get("in_reply_to_user_id"))
            if s(t.get("in_reply_to_status_id_str")) or s(t.get("in_reply_to_status_id")):
                if reply_user is None or reply_user != self.account_id:
                    kind = "comment"
            if kind == "post" and quote:
                kind = "repost"
        return Item(
            platform=self.platform,
            native_id=tid,
            kind=kind,
            text=text,
            date=date,
            author="self",
            attachments=atts,
            reposted_from=source,
            url=self._status_url(tid),
            raw=entry,
            source_file=disp,
            pointer=where,
        )

    def _media_att(self, tid: str, m: dict[str, Any], retweet: bool) -> Attachment:
        mtype = s(m.get("type")) or "photo"
        typ = "photo" if mtype == "photo" else "video"
        url = s(m.get("media_url_https")) or s(m.get("media_url"))
        att = Attachment(type=typ, url=url, extra={"media_type": mtype})
        files = self._media.get(tid, [])
        want = f"{tid}-{PurePosixPath(url).name}" if url else None
        chosen = next((f for f in files if want and f.endswith("/" + want)), None)
        if chosen is None and typ == "video":
            chosen = next((f for f in files if f.lower().endswith((".mp4", ".mov", ".m4v"))), None)
        if chosen is not None and self.archive is not None:
            p = self.archive.media_path(chosen, self.media_dir)
            if p is not None:
                att.path = str(p.resolve())
                return att
        if not retweet:
            self._missing_media += 1
        return att

    def _like(self, entry: Any, disp: str, where: str) -> Item | None:
        if not isinstance(entry, dict) or not isinstance(entry.get("like", entry), dict):
            self._skipped.add(disp, Notice("err_x_like_not_object"), where)
            return None
        lk = entry.get("like", entry)
        tid = s(lk.get("tweetId"))
        if not tid or not tid.isdigit():
            self._skipped.add(disp, Notice("err_x_like_no_id"), where)
            return None
        text = lk.get("fullText")
        url = s(lk.get("expandedUrl")) or f"https://x.com/i/web/status/{tid}"
        return Item(
            platform=self.platform,
            native_id=f"like/{tid}",
            kind="like",
            text=html.unescape(text) if isinstance(text, str) else "",
            author="self",
            url=url,
            raw=entry,
            source_file=disp,
            pointer=where,
        )
