"""Screenshots of one's own pages as a source: a folder or ZIP of phone screenshots, one item per post.

For networks without an export (Odnoklassniki, Max) or instead of one, a person takes screenshots
of their own page. Each picture is read once at import (:mod:`._screen_ocr`: Tesseract's lines
with their boxes), cut into posts (:mod:`._screen_layout`: separators, post headers), and each
post becomes an item of kind ``screenshot``: its text as read (line order kept), its date as the
screen shows it (:mod:`._screen_dates`, relative forms resolved against the moment of capture),
the network told by the interface's words (:mod:`._screen_cues`), and the post's region of the
screenshot as a photo attachment (its box in ``extra``) that the media pass hashes and reads like
any photo. A post seen on two overlapping screenshots (consecutive by the moment of capture) is
one item. The moment of capture (EXIF, else the file name a phone gives, else the file's time) is
kept as ``captured_at`` in the raw record and in the attachment.

Detection: a folder or ZIP holding pictures only (junk aside), at least half of a sample of them
looking like phone screenshots (a screenshot's file name, or a tall portrait picture), so that no
other export is taken for one.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, ClassVar

from PIL import Image

from repostguard.errors import InputError, Notice
from repostguard.imaging import MAX_FILE_BYTES, BadImage
from repostguard.importers._archive import ExportArchive, _junk, folder_root
from repostguard.importers._base import Importer
from repostguard.importers._screen_cues import CUES_VERSION, PLATFORMS, recognise
from repostguard.importers._screen_dates import time_from_name
from repostguard.importers._screen_layout import Part, merge_lines, same_post, separators, split
from repostguard.importers._screen_ocr import LineReader, Picture, decode, exif_time
from repostguard.importers._vk import resolve_tz
from repostguard.model import Attachment, Item

PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".heic", ".heif")
#: file names phones and desktops give screenshots
SCREENSHOT_NAME = re.compile(r"screenshot|screen_?shot|снимок[ _]экрана|скриншот|^scr[_-]|^img_\d{8}", re.I)
#: a portrait picture at least this much taller than wide looks like a phone screen (16:9 is 1.78)
TALL = 1.6
#: how many pictures detection looks at
SAMPLE = 24
UNKNOWN = "unknown"


@dataclass
class _Shot:
    """One screenshot as read: its name, moment of capture, parts (posts) and network."""

    name: str
    display: str
    captured: datetime
    captured_from: str
    tz_assumed: bool
    parts: list[Part]
    platform: str
    scores: dict[str, int]
    size: tuple[int, int]
    sha256: str = ""
    crops: list[str | None] = field(default_factory=list)
    #: the screenshot as a file (its own in a folder, extracted from a ZIP), when it is needed
    file: str | None = None


@dataclass
class _Post:
    """One post: its parts on one or more screenshots."""

    pieces: list[tuple[_Shot, int]]
    lines: list[str]


def _pictures(names: list[str]) -> list[str] | None:
    """The picture names, or None when anything else is there."""
    pics = []
    for n in names:
        if _junk(n):
            continue
        if not n.lower().endswith(PICTURE_SUFFIXES):
            return None
        pics.append(n)
    return pics


def _looks_like_screenshot(name: str, size: tuple[int, int] | None) -> bool:
    if SCREENSHOT_NAME.search(name.rsplit("/", 1)[-1]):
        return True
    return size is not None and size[0] > 0 and size[1] / size[0] >= TALL


def _header_size(fh: Any) -> tuple[int, int] | None:
    try:
        with Image.open(fh) as im:
            return im.size
    except Exception:  # noqa: BLE001 - not a picture: it does not look like a screenshot
        return None


class ScreenshotImporter(Importer):
    """A folder or ZIP of screenshots of one's own pages (see the module's docstring)."""

    platform = "screenshots"
    #: 2: the attachments keep their lines' boxes (``extra["lines"]``)
    version = "2"
    FILE_LIMIT: ClassVar[int] = 5000  # files detection lists at most in a folder

    def __init__(self, path: Path, media_dir: Path | None = None, platform: str | None = None,
                 tz: str | None = None) -> None:
        """``platform`` names the network of every screenshot (when the person knows it better);
        ``tz`` the phone's time zone (else $REPOSTGUARD_TZ, else Moscow)."""
        super().__init__(path, media_dir)
        self.override = platform if platform in PLATFORMS else None
        self.tz, self.tz_name = resolve_tz(tz)

    # -- detection -------------------------------------------------------------------------------

    @classmethod
    def detect(cls, path: Path) -> bool:
        path = Path(path)
        if path.is_dir():
            root = folder_root(path)
            names: list[str] = []
            for dirpath, _dirs, files in os.walk(root):
                names += [Path(dirpath, f).relative_to(root).as_posix() for f in files]
                if len(names) > cls.FILE_LIMIT:
                    return False
            pics = _pictures(names)
            if not pics:
                return False
            sample = pics[:: max(1, len(pics) // SAMPLE)][:SAMPLE]
            sizes = {n: _header_size(root / n) if not SCREENSHOT_NAME.search(n) else None for n in sample}
        elif path.is_file() and zipfile.is_zipfile(path):
            try:
                with zipfile.ZipFile(path) as zf:
                    infos = {i.filename: i for i in zf.infolist() if not i.is_dir()}
                    pics = _pictures(list(infos))
                    if not pics:
                        return False
                    sample = pics[:: max(1, len(pics) // SAMPLE)][:SAMPLE]
                    sizes = {}
                    for n in sample:
                        if SCREENSHOT_NAME.search(n) or infos[n].file_size > MAX_FILE_BYTES:
                            sizes[n] = None
                            continue
                        with zf.open(infos[n]) as fh:
                            sizes[n] = _header_size(fh)
            except (zipfile.BadZipFile, OSError, EOFError):
                return False
        else:
            return False
        like = sum(_looks_like_screenshot(n, sizes.get(n)) for n in sample)
        return like * 2 >= len(sample)

    def verify(self) -> None:
        with ExportArchive.open(self.path) as arch:
            if not _pictures(arch.names()):
                raise InputError(self.path, "err_screens_none")

    # -- import ----------------------------------------------------------------------------------

    def iter_items(self) -> Iterator[Item]:
        """The items, screenshot by screenshot in the order they were taken (posts as soon as no
        later screenshot can add to them); posts whose network is not told wait for the end, to take
        the folder's."""
        with ExportArchive.open(self.path) as arch:
            try:
                reader: LineReader | None = LineReader()
            except BadImage as e:
                reader = None
                self.note("err_screens_not_read", reason=e.reason)
            try:
                yield from self._stream(arch, reader)
            finally:
                if reader is not None:
                    reader.close()
                self.warnings.extend(arch.warnings)

    def _stream(self, arch: ExportArchive, reader: LineReader | None) -> Iterator[Item]:
        names = _pictures(arch.names()) or []
        when = {n: self._when(arch, n) for n in names}
        votes: Counter[str] = Counter()
        held: list[_Shot | _Post] = []  # of a network not told yet
        prev: list[_Post] = []
        unread = 0
        for name in sorted(names, key=lambda n: (when[n][0], n)):
            shot = self._read(arch, reader, name, when[name])
            if shot is None:
                continue
            if shot.platform != UNKNOWN:
                votes[shot.platform] += 1
            if not shot.parts:
                unread += reader is not None
                held.append(shot)
                continue
            here = self._join(prev, shot)
            for post in prev:
                if not any(post is p for p in here):  # no later screenshot can add to it
                    yield from self._emit(post, held)
            prev = here
        for post in prev:
            yield from self._emit(post, held)
        folder = votes.most_common(1)[0][0] if len(votes) == 1 else UNKNOWN
        for x in held:
            yield self._picture_item(x, folder) if isinstance(x, _Shot) else self._post_item(x, folder)
        if unread:
            self.note("err_screens_no_text", n=unread)

    def _emit(self, post: _Post, held: list[_Shot | _Post]) -> Iterator[Item]:
        if self._network(post.pieces[0][0], UNKNOWN) == UNKNOWN:
            held.append(post)
        else:
            yield self._post_item(post, UNKNOWN)

    def _when(self, arch: ExportArchive, name: str) -> tuple[datetime, str, bool]:
        """When the screenshot was taken, from what, and whether its zone is assumed: EXIF (read from
        the header only), else the file name, else the file's time."""
        exif: tuple[datetime | None, bool] = (None, False)
        try:
            with arch.open_bytes(name) as fh, Image.open(fh) as im:
                exif = exif_time(im)
        except Exception:  # noqa: BLE001 - not a picture: reading it says so
            pass
        if exif[0] is not None:
            return (exif[0], "exif", False) if exif[1] else (exif[0].replace(tzinfo=self.tz), "exif", True)
        named = time_from_name(name, self.tz)
        if named is not None:
            return named, "name", True
        return self._file_time(arch, name, self.tz), "file", True

    @staticmethod
    def _file_time(arch: ExportArchive, name: str, tz: tzinfo) -> datetime:
        if arch.zip is not None:
            info = arch.zip.getinfo(arch.prefix + name)
            try:
                return datetime(*info.date_time, tzinfo=tz)
            except ValueError:
                return datetime(1980, 1, 1, tzinfo=tz)
        return datetime.fromtimestamp((arch.path / (arch.prefix + name)).stat().st_mtime, tz)

    def _read(self, arch: ExportArchive, reader: LineReader | None, name: str,
              when: tuple[datetime, str, bool]) -> _Shot | None:
        """One screenshot read and cut into parts; None (and a warning) when it cannot be read."""
        display = arch.display(name)
        size = arch.size(name)
        try:
            if size > MAX_FILE_BYTES:
                raise BadImage("err_img_too_large", mb=round(size / 1e6), limit=MAX_FILE_BYTES // 2**20)
            data = arch.read_bytes(name, limit=MAX_FILE_BYTES)
            pic = decode(data)
        except BadImage as e:
            self.warn("err_picture_skipped", file=display, reason=e.reason)
            return None
        except InputError as e:
            self.warn("err_picture_skipped", file=display, reason=Notice("err_cannot_read_because", reason=e))
            return None
        captured, source, assumed = when
        lines = reader.lines(pic.gray) if reader is not None else []
        med = sorted(ln.height for ln in lines)[len(lines) // 2] if lines else 40
        rules, gaps = separators(pic.gray, med)
        h, w = pic.gray.shape
        platform, scores = recognise("\n".join(ln.text for ln in lines))
        # Instagram shows a post's date under it: its parts are not cut at dates
        parts = split(lines, rules, gaps, h, w, captured, headers=(self.override or platform) != "instagram")
        shot = _Shot(name, display, captured, source, assumed, parts, platform, scores, (w, h),
                     sha256=hashlib.sha256(data).hexdigest())
        if not parts or self.media_dir is None or arch.zip is None:  # (a ZIP's is extracted only when needed)
            shot.file = str(arch.media_path(name, self.media_dir) or "") or None
        if parts:
            shot.crops = [self._crop(pic, shot, k) for k in range(len(parts))]
        return shot

    def _crop(self, pic: Picture, shot: _Shot, k: int) -> str | None:
        """The file of part ``k``'s region (in the workspace's media folder), or None without one."""
        if self.media_dir is None:
            return shot.file if len(shot.parts) == 1 else None
        p = shot.parts[k]
        target = self.media_dir / "screenshots" / f"{shot.sha256[:24]}-{max(0, p.top)}-{p.bottom}.jpg"
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp = target.with_name(target.name + ".part")
            try:
                pic.rgb.crop((0, max(0, p.top), shot.size[0], min(shot.size[1], p.bottom))).save(
                    tmp, "JPEG", quality=90)
                os.replace(tmp, target)
            except OSError:
                tmp.unlink(missing_ok=True)
                return None
        return str(target)

    # -- posts and items -------------------------------------------------------------------------

    def _join(self, prev: list[_Post], shot: _Shot) -> list[_Post]:
        """The posts of ``shot``: each of its parts joined to a post of the previous screenshot
        (``prev``) it continues or repeats, else a new post."""
        here: list[_Post] = []
        for k, part in enumerate(shot.parts):
            match = next((p for n, p in enumerate(prev) if self._comparable(p.pieces[-1][0], shot)
                          and same_post(self._part(p.pieces[-1]), part, adjacent=k == 0 and n == len(prev) - 1)),
                         None)
            if match is None and k == 0 and part.cut_top and prev and self._part(prev[-1].pieces[-1]).cut_bottom:
                match = prev[-1] if self._overlaps(prev[-1], part) else None
            if match is not None:
                match.lines = merge_lines(match.lines, part.texts)
                match.pieces.append((shot, k))
                here.append(match)
            else:
                here.append(_Post([(shot, k)], part.texts))
        return here

    @staticmethod
    def _comparable(a: _Shot, b: _Shot) -> bool:
        """Whether two screenshots may show one feed: not of two networks each recognised."""
        return a.platform == b.platform or UNKNOWN in (a.platform, b.platform)

    @staticmethod
    def _part(piece: tuple[_Shot, int]) -> Part:
        return piece[0].parts[piece[1]]

    @staticmethod
    def _overlaps(post: _Post, part: Part) -> bool:
        merged = merge_lines(post.lines, part.texts)
        return len(merged) < len(post.lines) + len(part.texts)

    def _network(self, shot: _Shot, folder_platform: str) -> str:
        """The network of ``shot``: the one named by the person, else told by its words, else the folder's."""
        if self.override:
            return self.override
        return shot.platform if shot.platform != UNKNOWN else folder_platform

    def _attachment(self, shot: _Shot, k: int | None, network: str) -> Attachment:
        """The photo of part ``k`` of ``shot`` (the whole screenshot for None). ``extra``: the screenshot's
        name, the part's ``box`` and its ``lines`` (``[x0, y0, x1, y1, text]``), both in the screenshot's pixels,
        the moment of capture and the network."""
        box = [0, 0, shot.size[0], shot.size[1]]
        lines: list[list[int | str]] = []
        if k is not None:
            p = shot.parts[k]
            box = [0, max(0, p.top), shot.size[0], min(shot.size[1], p.bottom)]
            lines = [[*ln.box, ln.text] for ln in p.lines]
        path = shot.crops[k] if k is not None and shot.crops else shot.file
        extra: dict[str, Any] = {"screenshot": shot.display, "box": box, "captured_at": shot.captured.isoformat(),
                                 "captured_from": shot.captured_from, "platform": network}
        if lines:
            extra["lines"] = lines
        return Attachment(type="photo", path=path, extra=extra)

    def _shot_raw(self, shot: _Shot, network: str) -> dict[str, Any]:
        return {"file": shot.name, "captured_at": shot.captured.isoformat(), "captured_from": shot.captured_from,
                "captured_tz_assumed": shot.tz_assumed, "platform": network, "platform_read": shot.platform,
                "cues": shot.scores, "cues_version": CUES_VERSION, "size": list(shot.size)}

    def _picture_item(self, shot: _Shot, folder_platform: str) -> Item:
        net = self._network(shot, folder_platform)
        return Item(platform=self.platform, native_id=shot.name, kind="screenshot", text="", date=None,
                    attachments=[self._attachment(shot, None, net)], raw=self._shot_raw(shot, net),
                    source_file=shot.display)

    def _post_item(self, post: _Post, folder_platform: str) -> Item:
        first_shot, first_k = post.pieces[0]
        dated = next(((s, k) for s, k in post.pieces if s.parts[k].date is not None), None)
        date_iso, assumed = None, False
        head: dict[str, Any] = {}
        if dated is not None:
            s, k = dated
            d = s.parts[k].date
            assert d is not None
            date_iso, assumed = d.when.isoformat(), s.tz_assumed
            head = {"date_text": d.text, "date_precision": d.precision, "date_relative": d.relative,
                    "date_from": s.name, "author_line": s.parts[k].author}
        net = self._network(first_shot, folder_platform)
        raw = self._shot_raw(first_shot, net)
        raw.update(head)
        raw["lines"] = post.lines
        atts = [self._attachment(s, k, net) for s, k in post.pieces]
        raw["parts"] = [{"file": s.name, "box": a.extra["box"], "captured_at": s.captured.isoformat()}
                        for (s, _k), a in zip(post.pieces, atts, strict=True)]
        return Item(platform=self.platform, native_id=f"{first_shot.name}#{first_k + 1}", kind="screenshot",
                    text="\n".join(post.lines), date=date_iso, date_tz_assumed=assumed, attachments=atts, raw=raw,
                    source_file=first_shot.display)
