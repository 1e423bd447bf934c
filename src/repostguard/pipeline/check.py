"""Check before posting (issue 20, part 5): a pasted text, a link or a picture matched against every
installed list, the way a scan matches an item, with nothing stored.

In: a text, a link (a string: never opened, fetched or resolved) or a picture file. Out: a
:class:`CheckResult`: the findings, with the scan's explanations (ru, en) and the legal context the
scan's findings JSON gives (:func:`repostguard.pipeline.scan.finding_dict`).

A :class:`Checker` is built once (it loads the installed lists and builds every matcher that exists:
the FSM, the organisation lists, the statements detector, identity, and the hash banks when the
workspace given to it has any) and then answers each check in milliseconds (a picture: the time
its OCR takes). What is checked is a throwaway :class:`~repostguard.model.Item` that never reaches a
workspace. The matchers of the organisation lists, the hash matcher and the legal context read a
:class:`~repostguard.store.Store`: the checker keeps its own *in-memory* one (the lists' entries and
dates, a copy of the workspace's hash banks and entered prior penalties, the hash of the picture being
checked, removed afterwards); the workspace itself is only read, once, when the checker is built.

One checker may serve many threads (a web server's): checks run one at a time under a lock.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from repostguard.banks.fsm import load_fsm
from repostguard.banks.registry import LISTS
from repostguard.errors import InputError, Notice, UserError, os_reason
from repostguard.findings.legal import LegalContexts
from repostguard.matchers.base import Matcher
from repostguard.model import CHECK_KINDS, LEVEL_RANK, Attachment, Finding, Item
from repostguard.pipeline.scan import build_matchers, finding_dict, legal_row
from repostguard.store import Store, migrations

#: the longest text a check takes (a VK post holds 16,000 characters, a Telegram message 4,096)
MAX_TEXT_CHARS = 100_000
#: the platform and native ids of the throwaway items (``generic``: the ref is the native id)
PLATFORM = "generic"
#: tables of the workspace the checker copies into its own store when it is built
_WORKSPACE_TABLES = ("hash_banks", "hash_bank_entries", "legal_prior_penalties")
#: banks of matchers that cannot answer a check (identity reads profiles only), not named in ``lists``
_UNNAMED = ("identity",)


@dataclass
class CheckedList:
    """One list (bank) a check matched against: its bank, version and title (ru, en)."""

    bank: str
    version: str
    title_ru: str
    title_en: str

    def to_dict(self) -> dict[str, Any]:
        return {"bank": self.bank, "version": self.version, "title": {"ru": self.title_ru, "en": self.title_en}}


@dataclass
class CheckResult:
    """What one check found. Iterating, ``len`` and truth go over :attr:`findings` (most serious first).

    ``what``: ``text``, ``link`` or ``picture``; ``item``: the throwaway item that was matched;
    ``legal``: the legal context of each finding, in the same order; ``ocr_text``: the text read
    from a picture (None for a text or a link); ``notes``: anything the person should know about the
    check itself (e.g. a picture in which no text was found).
    """

    what: str
    item: Item
    findings: list[Finding]
    legal: list[dict[str, Any]]
    lists: list[CheckedList]
    ocr_text: str | None = None
    notes: list[Notice] = field(default_factory=list)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    def __bool__(self) -> bool:
        return bool(self.findings)

    def dicts(self) -> list[dict[str, Any]]:
        """The findings as the scan's findings JSON writes them, with ``legal`` (``item``: the check's id)."""
        out = []
        for f, legal in zip(self.findings, self.legal, strict=True):
            d = finding_dict(f, self.item)
            d["legal"] = legal
            out.append(d)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The whole result as JSON-ready data (for the app's endpoint)."""
        return {
            "what": self.what,
            "found": bool(self.findings),
            "findings": self.dicts(),
            "lists": [cl.to_dict() for cl in self.lists],
            "ocr_text": self.ocr_text,
            "notes": list(self.notes),
            "stored": False,
        }


#: titles of the banks that are not installed lists (the installed ones carry their own)
_OTHER_TITLES = {
    "hashes": ("банки хешей изображений", "hash banks of pictures"),
    "statements": ("высказывания, которые могут быть наказуемы", "statements that may be punishable"),
    "identity": ("личные данные профиля", "identity facts of a profile"),
}


def _titles(bank: str) -> tuple[str, str]:
    for spec in LISTS.values():
        if spec.bank == bank:
            return spec.title_ru, spec.title_en
    return _OTHER_TITLES.get(bank, (bank, bank))


def _memory_store() -> Store:
    """An in-memory store usable from any thread (the checker's lock serialises its use)."""
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    migrations.migrate(conn)
    return Store(conn, None)


def _copy_workspace(workspace: Store, mine: Store) -> None:
    """Copy what the checker needs of ``workspace`` (hash banks, entered prior penalties) into ``mine``.

    Only the columns both have are copied; a workspace without such a table is skipped.
    """
    for table in _WORKSPACE_TABLES:
        try:
            theirs = [r[1] for r in workspace.conn.execute(f"PRAGMA table_info({table})")]
            cols = [c for c in (r[1] for r in mine.conn.execute(f"PRAGMA table_info({table})")) if c in theirs]
            if not cols:
                continue
            names = ", ".join(cols)
            rows = [tuple(r) for r in workspace.conn.execute(f"SELECT {names} FROM {table}")]
        except sqlite3.Error:
            continue
        with mine.conn:
            mine.conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(cols))})", rows)


def open_workspace_readonly(path: Path) -> Store | None:
    """The workspace at ``path`` opened read-only (nothing written, not even a migration), or None
    when there is none (or it is not a database): a checker then has no hash bank."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.Error:
        return None
    conn.row_factory = sqlite3.Row
    return Store(conn, path)


class Checker:
    """Matches what a person is about to post against every installed list; stores nothing.

    Parameters:
        workspace: an open workspace whose hash banks and entered prior penalties the checks use
            (read once, here); None: no hash bank, no prior penalty.
        fsm: an FSM CSV to use instead of the installed list (as ``scan --fsm``).

    Without an installed FSM list the package's snapshot is used (as a scan does); raises
    :class:`~repostguard.errors.UserError` when there is neither (and no file is given): a check
    against no list would say "nothing found" about nothing.
    """

    def __init__(self, workspace: Store | None = None, *, fsm: Path | None = None) -> None:
        fsm_list, provenance = load_fsm(fsm)
        self._store = _memory_store()
        store = self._store
        if workspace is not None:
            _copy_workspace(workspace, store)
        self.matchers: list[Matcher] = build_matchers(store, fsm_list, provenance)  # as a scan builds them
        # identity facts belong to a profile, never to a check: that matcher is built but not named
        self.lists = [CheckedList(m.bank, m.list_version or m.version, *_titles(m.bank))
                      for m in self.matchers if m.bank not in _UNNAMED]
        self._lock = threading.Lock()
        self._ocr_checked = False

    @property
    def has_hashes(self) -> bool:
        """Whether a hash bank is loaded (pictures are then also matched by their hash)."""
        return any(m.bank == "hashes" for m in self.matchers)

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> Checker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the three checks ---------------------------------------------------------------------

    def check_text(self, text: str, *, kind: str = "post", visibility: str | None = "public") -> CheckResult:
        """Match a pasted text (a post, a comment, a message about to be written)."""
        text = _text(text, "text")
        item = _item("check-text", kind, visibility, text=text)
        return self._check("text", item)

    def check_link(self, url: str, *, kind: str = "post", visibility: str | None = "public") -> CheckResult:
        """Match a link as the text of a post and as a link attached to it; it is never opened."""
        url = _text(url, "link")
        if any(c.isspace() for c in url):
            raise UserError("err_check_link_spaces")
        item = _item("check-link", kind, visibility, text=url, attachments=[Attachment(type="link", url=url)])
        return self._check("link", item)

    def check_picture(self, path: str | Path, *, kind: str = "post", visibility: str | None = "public",
                      text: str = "") -> CheckResult:
        """Read the text in the picture at ``path`` (OCR, as a scan does), hash it, and match both
        (with ``text``, the words that go with the picture, if any).

        Raises :class:`~repostguard.errors.InputError` for a file that is not a readable picture and
        :class:`~repostguard.errors.ExternalError` when the OCR engine is missing.
        """
        from repostguard.media.images import reason_of  # deferred: numpy, Pillow
        from repostguard.pipeline.media import analyse, file_sha256  # deferred: numpy, OpenCV, Pillow

        p = Path(path)
        if not p.is_file():
            raise InputError(p, "err_not_a_file")
        self.prepare_pictures()
        try:
            sha = file_sha256(str(p))
        except OSError as e:
            raise InputError(p, "err_cannot_read_because", reason=os_reason(e)) from e
        with self._lock:  # one Tesseract engine, not safe to share between threads
            res = analyse(str(p), sha)
        if res.status != "ok":
            raise InputError(p, "err_check_not_picture", reason=reason_of(res.warning))
        path_key = str(p.resolve())
        item = _item("check-picture", kind, visibility, text=text.strip(),
                     attachments=[Attachment(type="photo", path=path_key)])
        extra = [("attachments[0].ocr", res.ocr_text)] if res.ocr_text else None
        notes: list[Notice] = []
        if not res.ocr_text:
            notes.append(Notice("err_check_no_text"))
        if res.pdq is None or (res.pdq_quality or 0) < 50:
            if self.has_hashes:
                notes.append(Notice("err_check_too_plain"))
        result = self._check("picture", item, extra, picture=(path_key, res))
        result.ocr_text = res.ocr_text
        result.notes = notes
        return result

    def prepare_pictures(self) -> None:
        """Check the OCR engine and start it now, so the first picture does not wait for it
        (:class:`~repostguard.errors.ExternalError` when it is missing)."""
        if self._ocr_checked:
            return
        from repostguard.media.ocr import check_engine  # deferred: loads OpenCV and Tesseract
        from repostguard.pipeline.media import engine  # deferred: loads numpy, OpenCV and Pillow

        check_engine()
        with self._lock:
            engine()
        self._ocr_checked = True

    # -- matching -------------------------------------------------------------------------------

    def _check(self, what: str, item: Item, extra: list[tuple[str, str]] | None = None,
               picture: tuple[str, Any] | None = None) -> CheckResult:
        with self._lock:
            matchers = self.matchers
            if picture is not None:
                fresh = self._picture_matchers(*picture)
                matchers = [fresh.get(m.bank, m) for m in matchers]
            try:
                findings: list[Finding] = []
                for m in matchers:
                    findings += m.match(item, extra_texts=extra)
            finally:
                if picture is not None:
                    self._forget_picture(picture[0])
            findings.sort(key=lambda f: (LEVEL_RANK.get(f.level, 9), -f.score, f.bank,
                                         int(f.entry) if f.entry.isdigit() else 0, f.entry))
            contexts = LegalContexts(self._store)  # per check: "today" moves on in a long-running app
            legal = [contexts(legal_row(f, item)) for f in findings]
        return CheckResult(what=what, item=item, findings=findings, legal=legal, lists=list(self.lists))

    def _picture_matchers(self, path: str, res: Any) -> dict[str, Matcher]:
        """The hash and symbols matchers, knowing this one picture (its hash and symbols, in the checker's
        own store only), by bank."""
        from repostguard.matchers.hashes import HashMatcher  # deferred: numpy
        from repostguard.matchers.symbols import SymbolMatcher
        from repostguard.pipeline.media import save_results

        save_results(self._store, [res])
        with self._store.conn:
            self._store.conn.execute("INSERT OR REPLACE INTO media_files VALUES (?,?,?,?)",
                                     (path, res.sha256, 0, 0))
        out: dict[str, Matcher] = {"symbols": SymbolMatcher(self._store)}
        if self.has_hashes:
            out["hashes"] = HashMatcher(self._store)
        return out

    def _forget_picture(self, path: str) -> None:
        with self._store.conn:
            self._store.conn.execute("DELETE FROM media_files WHERE path=?", (path,))
            self._store.conn.execute("DELETE FROM media_cache")


def _text(value: str, what: str) -> str:
    """``value`` stripped; a :class:`UserError` when it is empty or too long (``what``: ``text`` or ``link``)."""
    value = (value or "").strip()
    if not value:
        raise UserError(f"err_check_empty_{what}")
    if len(value) > MAX_TEXT_CHARS:
        raise UserError(f"err_check_long_{what}", limit=MAX_TEXT_CHARS)
    return value


def _item(native_id: str, kind: str, visibility: str | None, *, text: str,
          attachments: list[Attachment] | None = None) -> Item:
    if kind not in CHECK_KINDS:
        raise UserError("err_check_kind", kind=kind)
    return Item(platform=PLATFORM, native_id=native_id, kind=kind, text=text, attachments=attachments or [],
                visibility=visibility, raw=None)


__all__ = ["Checker", "CheckResult", "CheckedList", "open_workspace_readonly", "CHECK_KINDS", "MAX_TEXT_CHARS"]
