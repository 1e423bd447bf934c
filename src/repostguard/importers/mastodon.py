"""Mastodon's archive (Settings → Import and export → Request your archive).

Field by field as in shared/docs/formats.md §6: ``outbox.json`` (an ActivityStreams
``OrderedCollection`` streamed with ijson), ``likes.json`` (status URIs only, no dates) and
``actor.json`` (the owner). A ``Create`` activity is a ``post`` (a ``comment`` when it replies to
someone else), its HTML ``content`` converted to text and its content warning kept in front;
an ``Announce`` is a ``repost`` with the boosted status's URI as the source. Visibility comes
from ``to``/``cc``: public, unlisted, followers or direct.

Checked against Mastodon's ``app/services/backup_service.rb`` (the archive's files: outbox.json
built from ``ActivityPub::ActivitySerializer``, likes.json and bookmarks.json as lists of status
URIs, actor.json, media paths made relative). Mastodon writes an ``Announce``'s ``object`` as the
boosted status's URI; an ``Announce`` carrying the boosted post inline (other servers, older
archives) keeps its text. A ``Create`` whose ``object`` is a bare URI has no text to check: it is
skipped with a counted warning, as is any activity that cannot be read (not an object, no ``id``)
and a like that is not a URI. Still inferred: how other ActivityPub servers' archives differ.

Mastodon writes the archive as ``archive-<date>-<hex>.tar.gz`` (newer versions may write a ZIP).
A ``.tar.gz`` is read as it is: its JSON files and ``media_attachments/`` are extracted one by one,
with the same checks as for a ZIP (no ``../``, absolute or linked names, a size cap), into the
workspace's media folder (or a temporary folder that is removed after the import). The activity's
``actor`` must be the owner named in ``actor.json``.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import tarfile
import tempfile
import zlib
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from repostguard.errors import InputError, Notice
from repostguard.importers._archive import MAX_MEMBER, MAX_TOTAL_UNCOMPRESSED, ExportArchive
from repostguard.importers._base import Importer
from repostguard.importers._jsonstream import (
    Skipped,
    array_prefix,
    avatar_item,
    d,
    iter_json_items,
    load_json,
    lst,
    not_in_export,
    open_export,
    probe,
    profile_item,
    read_head,
    s,
    safe_rel,
)
from repostguard.model import Attachment, Item, Source

PUBLIC = {"https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"}
POST_TYPES = {"Note", "Question", "Article", "Page"}
USER_STATUS_RE = re.compile(r"^https?://([^/]+)/users/([^/]+)/statuses/\d+")
AT_STATUS_RE = re.compile(r"^https?://([^/]+)/@([^/]+)/\d+")


class _Text(HTMLParser):
    """HTML to plain text: paragraphs and ``<br>`` become newlines, tags are dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(markup: str) -> str:
    """The text of a Mastodon status's HTML ``content``."""
    if "<" not in markup:
        return html.unescape(markup)
    p = _Text()
    try:
        p.feed(markup)
        p.close()
    except (AssertionError, ValueError):  # malformed markup: fall back to dropping tags
        return html.unescape(re.sub(r"<[^>]*>", " ", markup)).strip()
    return "".join(p.parts).strip()


def _author_of(uri: str) -> str | None:
    m = USER_STATUS_RE.match(uri) or AT_STATUS_RE.match(uri)
    return f"@{m.group(2)}@{m.group(1)}" if m else None


def _author_of_actor(actor: str) -> str | None:
    """``https://host/users/name`` as ``@name@host``."""
    m = re.match(r"^https?://([^/]+)/(?:users/|@)([^/]+)/?$", actor)
    return f"@{m.group(2)}@{m.group(1)}" if m else None


def _iso(v: Any) -> str | None:
    t = s(v)
    if not t:
        return None
    try:
        dt = datetime.fromisoformat(t.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt.astimezone(UTC).isoformat() if dt.tzinfo else dt.isoformat()


def _as_list(v: Any) -> list[str]:
    if isinstance(v, str):
        return [v]
    return [x for x in lst(v) if isinstance(x, str)]


TAR_KEEP = ("outbox.json", "likes.json", "actor.json")


class _Extracted(ExportArchive):
    """The folder a ``.tar.gz`` was extracted to, named in messages after the ``.tar.gz``."""

    label: Path | None = None

    def display(self, name: str) -> str:
        return f"{self.label}!{name}" if self.label else super().display(name)


def _is_tar_gz(path: Path) -> bool:
    return path.is_file() and path.name.lower().endswith((".tar.gz", ".tgz"))


class MastodonImporter(Importer):
    """Reads a Mastodon archive folder or ZIP (``outbox.json``, ``likes.json``, ``actor.json``)."""

    platform = "mastodon"

    def __init__(self, path: Path, media_dir: Path | None = None) -> None:
        super().__init__(path, media_dir)
        self.archive: ExportArchive | None = None
        self.actor_id: str | None = None
        self.username: str | None = None
        self._missing_media = 0
        self._unknown: Counter[Notice] = Counter()
        self._foreign = 0
        self._actor: dict[str, Any] = {}
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._skipped = Skipped()

    @classmethod
    def detect(cls, path: Path) -> bool:
        path = Path(path)
        if path.is_file() and path.name == "outbox.json":
            with path.open("rb") as fh:
                return b"OrderedCollection" in fh.read(4096)
        if _is_tar_gz(path):
            if not path.name.startswith("archive-"):
                return False
            with path.open("rb") as fh:
                return fh.read(2) == b"\x1f\x8b"
        if not (path.is_dir() or path.is_file()) or not probe(path, ["outbox.json"]):
            return False
        return b"OrderedCollection" in read_head(path, "outbox.json", 4096)

    def verify(self) -> None:
        if _is_tar_gz(self.path):
            arch: ExportArchive = _Extracted.open(self._untar())
            arch.label = self.path  # type: ignore[attr-defined]
            self.archive = arch
        else:
            arch = self.archive = open_export(self.path, ("actor.json", "likes.json"))
        if not arch.exists("outbox.json"):
            raise InputError(self.path, "err_mdn_no_outbox")
        with arch.open_bytes("outbox.json") as fh:
            head = fh.read(4096)
        if b"OrderedCollection" not in head:
            raise InputError(arch.display("outbox.json"), "err_mdn_not_outbox")
        if arch.exists("actor.json"):
            with arch.open_bytes("actor.json") as fh:
                actor = d(load_json(fh, arch.display("actor.json")))
            self._actor = actor
            self.actor_id = s(actor.get("id"))
            self.username = s(actor.get("preferredUsername"))
            if not self.actor_id:
                raise InputError(arch.display("actor.json"), "err_mdn_no_actor_id")
        else:
            self.warn("err_mdn_no_actor_file", file=arch.display("actor.json"))

    def _untar(self) -> Path:
        """Extract the JSON files and media of a ``.tar.gz`` archive safely; the folder."""
        st = self.path.stat()
        ident = hashlib.sha256(f"{self.path.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[
            :16
        ]
        if self.media_dir is not None:
            target = self.media_dir / f"mastodon-{ident}"
            if (target / ".complete").is_file():
                return target
        else:  # no workspace media folder: JSON only, into a temporary folder removed after the import
            self._tmp = tempfile.TemporaryDirectory(prefix="repostguard-")
            target = Path(self._tmp.name)
        target.mkdir(parents=True, exist_ok=True, mode=0o700)
        total = 0
        try:
            with tarfile.open(self.path, "r|gz") as tar:
                for m in tar:
                    if not m.isfile():
                        continue  # directories, links and devices are never created
                    rel = safe_rel(m.name.lstrip("/"))  # re-rooted under the target folder
                    if rel is None:
                        self.warn("err_zip_unsafe_member", file=self.path, member=m.name[:80])
                        continue
                    if rel not in TAR_KEEP and not (rel.startswith("media_attachments/") and self.media_dir):
                        continue
                    total += m.size
                    if m.size > MAX_MEMBER or total > MAX_TOTAL_UNCOMPRESSED:
                        raise InputError(self.path, "err_tar_too_large", member=rel)
                    dest = target / rel
                    dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                    src = tar.extractfile(m)
                    if src is None:
                        continue
                    tmp = dest.with_name(dest.name + ".part")
                    with src, open(tmp, "wb") as out:
                        shutil.copyfileobj(src, out, 1024 * 1024)
                    os.replace(tmp, dest)
        except (tarfile.TarError, EOFError, zlib.error, OSError) as e:
            self._drop_tmp()
            raise InputError(self.path, "err_damaged_targz") from e
        except InputError:
            self._drop_tmp()
            raise
        (target / ".complete").write_text("ok")
        return target

    def _drop_tmp(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def iter_items(self) -> Iterator[Item]:
        try:
            yield from self._iter_items()
        finally:
            self._drop_tmp()

    def _iter_items(self) -> Iterator[Item]:
        if self.archive is None:
            self.verify()
        arch = self.archive
        assert arch is not None
        prof = self._profile(arch)
        if prof is not None:
            yield prof
        # the avatar and header pictures (actor.json's icon and image: avatar.*, header.*)
        a = self._actor or {}
        for role, key in (("avatar", "icon"), ("header", "image")):
            pic = s(d(a.get(key)).get("url"))
            if pic and "://" not in pic and arch.exists(pic):
                yield avatar_item(self.platform, pic, arch.media_path(pic, self.media_dir), role=role,
                                  url=s(a.get("url")) or self.actor_id, source_file=arch.display(pic))
        for name, kind in (("outbox.json", "outbox"), ("likes.json", "likes")):
            if not arch.exists(name):
                continue
            disp = arch.display(name)
            prefix = array_prefix(arch, name, ("orderedItems",))
            if prefix is None:
                # orderedItems is usually not the first key: stream it by name
                prefix = "orderedItems.item"
            with arch.open_bytes(name) as fh:
                for i, rec in enumerate(iter_json_items(fh, prefix, disp, "orderedItems")):
                    where = f"orderedItems[{i}]"
                    if kind == "likes":
                        uri = s(rec) if isinstance(rec, str) else s(d(rec).get("id"))
                        if not uri:
                            self._skipped.add(disp, Notice("err_mdn_like_not_uri"), where)
                            continue
                        yield Item(
                            platform=self.platform,
                            native_id=f"like/{uri}",
                            kind="like",
                            author="self",
                            url=uri,
                            raw={"object": uri},
                            source_file=disp,
                            pointer=where,
                        )
                        continue
                    item = self._activity(rec, disp, where)
                    if item is not None:
                        yield item
        if self._missing_media:
            self.warn("err_mdn_media_missing", file=arch.display("media_attachments/"), n=self._missing_media)
        if self._foreign:
            self.warn("err_mdn_foreign", file=arch.display("outbox.json"), n=self._foreign, actor=self.actor_id)
        for what, n in sorted(self._unknown.items(), key=lambda wn: str(wn[0])):
            self.warn("err_mdn_unknown", file=arch.display("outbox.json"), n=n, what=what)
        for w in self._skipped.warnings():
            self.warn(w)

    def _profile(self, arch: ExportArchive) -> Item | None:
        a = self._actor
        if not a:
            return None
        host = re.match(r"^https?://([^/]+)/", self.actor_id or "")
        user = s(a.get("preferredUsername"))
        fields: list[tuple[str, str, Any]] = [
            ("full_name", "name", s(a.get("name"))),
            ("screen_name", "preferredUsername", f"@{user}@{host.group(1)}" if user and host else user),
        ]
        for pv in lst(a.get("attachment")):
            pv = d(pv)
            label, value = s(pv.get("name")), s(pv.get("value"))
            if label and value:
                text = html_to_text(value)
                fields.append(("website" if "://" in value else label.lower(), label, text))
        summary = s(a.get("summary"))
        fields.append(("bio", "summary", html_to_text(summary) if summary else None))
        return profile_item(
            self.platform,
            fields,
            url=s(a.get("url")) or self.actor_id,
            raw=a,
            source_file=arch.display("actor.json"),
        )

    def _visibility(self, obj: dict[str, Any]) -> str | None:
        to, cc = _as_list(obj.get("to")), _as_list(obj.get("cc"))
        if PUBLIC & set(to):
            return "public"
        if PUBLIC & set(cc):
            return "unlisted"
        if any(x.endswith("/followers") for x in to):
            return "followers"
        return "direct" if to or cc else None

    def _activity(self, rec: Any, disp: str, where: str) -> Item | None:
        if not isinstance(rec, dict):
            self._skipped.add(disp, Notice("err_mdn_activity_not_object"), where)
            return None
        atype = s(rec.get("type"))
        aid = s(rec.get("id"))
        if not aid:
            self._skipped.add(disp, Notice("err_mdn_activity_no_id"), where)
            return None
        actor = s(rec.get("actor"))
        if self.actor_id and actor and actor != self.actor_id:
            self._foreign += 1
            return None
        if atype == "Announce":
            return self._announce(rec, aid, disp, where)
        if atype != "Create":
            self._unknown[Notice("err_mdn_activity_type", type=str(atype)[:30])] += 1
            return None
        obj = rec.get("object")
        if isinstance(obj, str):
            self._skipped.add(disp, Notice("err_mdn_bare_uri"), where)
            return None
        if not isinstance(obj, dict):
            self._skipped.add(disp, Notice("err_mdn_create_not_object"), where)
            return None
        otype = s(obj.get("type"))
        if otype not in POST_TYPES:
            self._unknown[Notice("err_mdn_object_type", type=str(otype)[:30])] += 1
            return None
        oid = s(obj.get("id")) or aid
        text, atts = self._content(obj)
        reply = s(obj.get("inReplyTo"))
        own_thread = bool(reply and self.actor_id and reply.startswith(self.actor_id + "/"))
        kind = "comment" if reply and not own_thread else "post"
        return Item(
            platform=self.platform,
            native_id=oid,
            kind=kind,
            text=text,
            date=_iso(obj.get("published")) or _iso(rec.get("published")),
            author="self",
            attachments=atts,
            url=s(obj.get("url")) or oid,
            visibility=self._visibility(obj),
            raw=rec,
            source_file=disp,
            pointer=where,
        )

    def _announce(self, rec: dict[str, Any], aid: str, disp: str, where: str) -> Item:
        """A boost: the boosted status's URI is the source; its text and attachments when the
        archive carries the status inline."""
        obj = rec.get("object")
        inline = d(obj)
        target = s(obj) if isinstance(obj, str) else s(inline.get("id"))
        text, atts = self._content(inline) if inline else ("", [])
        author = s(inline.get("attributedTo")) if inline else None
        name = _author_of(target or "") or (_author_of_actor(author) if author else None)
        return Item(
            platform=self.platform,
            native_id=aid,
            kind="repost",
            text=text,
            date=_iso(rec.get("published")),
            author="self",
            attachments=atts,
            reposted_from=Source(name=name, url=s(inline.get("url")) or target),
            url=target,
            visibility=self._visibility(rec),
            raw=rec,
            source_file=disp,
            pointer=where,
        )

    def _content(self, obj: dict[str, Any]) -> tuple[str, list[Attachment]]:
        """A status's text (content warning first) and attachments (poll, media)."""
        content = obj.get("content")
        text = html_to_text(content) if isinstance(content, str) else ""
        summary = s(obj.get("summary"))
        if summary:
            text = f"{summary}\n\n{text}" if text else summary
        options = [s(d(o).get("name")) for o in lst(obj.get("oneOf")) + lst(obj.get("anyOf"))]
        atts: list[Attachment] = []
        if any(options):
            atts.append(Attachment(type="poll", extra={"answers": [o for o in options if o]}))
        for a in lst(obj.get("attachment")):
            atts.append(self._attachment(d(a)))
        return text, atts

    def _attachment(self, a: dict[str, Any]) -> Attachment:
        mt = s(a.get("mediaType")) or ""
        typ = (
            "photo"
            if mt.startswith("image/")
            else "video"
            if mt.startswith("video/")
            else "audio"
            if mt.startswith("audio/")
            else "file"
        )
        url = s(a.get("url")) or ""
        att = Attachment(type=typ, title=s(a.get("name")), extra={"media_type": mt} if mt else {})
        if "://" in url:
            att.url = url
            return att
        rel = safe_rel(url.lstrip("/"))  # archive paths start with "/" but are relative to its root
        p = self.archive.media_path(rel, self.media_dir) if rel and self.archive else None
        if p is None:
            self._missing_media += not (rel and self.archive) or not_in_export(self.archive, rel)
            if url:
                att.extra["file"] = url
        else:
            att.path = str(p.resolve())
        return att
