"""The local store: one SQLite file per workspace, owner-only, with named migrations.

It keeps each unified item next to the raw record it came from, the lists scans ran against,
and the findings with the list version they were computed against. An import runs in one
transaction: a failed import leaves the database as it was. Every stage's tables are declared
here (:mod:`.migrations`, ``tables_*``): the store imports no stage. In: items and findings. Out:
the same, queried.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from repostguard.errors import Notice, UserError
from repostguard.model import Attachment, Finding, Item, Source
from repostguard.store import migrations

PAGE_SIZE = 16384  # bytes, for new workspaces
BATCH = 2000  # rows per executemany
FLUSH_BYTES = 16 * 1024**2  # ... or fewer, when the rows hold this much text: keeps the memory of long records low
WRITEBACK_EVERY = 2  # flushes (about 32 MB of long records): see _Writeback
RAW_KEY_PREFIX = "r"  # raw records stored from now on: "r" + 12 digits, in storage order (older ones: sha256 hex)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class ImportResult:
    """Counts of one import run."""

    import_id: int
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    #: problems that did not stop the import (said in the language of the moment they are shown)
    warnings: list[Notice] = field(default_factory=list)
    #: what the importer left out by design (other people's messages, …)
    notes: list[Notice] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged


def _raw_key(n: int) -> str:
    return f"{RAW_KEY_PREFIX}{n:012d}"


def _next_raw_number(conn: sqlite3.Connection) -> int:
    """The number of the next raw record key: one more than the largest so far (an index look-up)."""
    row = conn.execute(
        "SELECT id FROM raw_records WHERE id >= ? AND id < ? ORDER BY id DESC LIMIT 1",
        (RAW_KEY_PREFIX, chr(ord(RAW_KEY_PREFIX) + 1)),
    ).fetchone()
    if row is None:
        return 1
    tail = str(row[0])[len(RAW_KEY_PREFIX):]
    if len(tail) != 12 or not tail.isdigit():
        raise sqlite3.DatabaseError(f"unexpected raw record key {row[0]!r}")
    return int(tail) + 1


class _Writeback:
    """Asks the system to start writing a bulk import's pages to disk as they pile up.

    Left alone, Linux keeps up to a tenth of the memory as unwritten pages: a 3 GB import then
    waited for most of them at its final commit, with nothing else to do (1.7 s of 37 s). Every
    :data:`WRITEBACK_EVERY` flushes, ``posix_fadvise(DONTNEED)`` starts an asynchronous writeback
    of the file (and drops the pages already written from the system's cache). Advisory only:
    SQLite's own writes and its commit are unchanged; where the call is missing, nothing happens.
    Every 2 flushes (~32 MB) rather than 8 leaves less to write at the commit: 50,000 VK posts
    imported at a median 1,637 records/s against 1,606 (five alternating runs each: a gain within
    the machine's run-to-run noise).
    """

    def __init__(self, path: Path | None) -> None:
        self.fd: int | None = None
        self.flushes = 0
        if path is not None and hasattr(os, "posix_fadvise"):
            try:
                self.fd = os.open(path, os.O_RDONLY)
            except OSError:
                self.fd = None

    def wrote(self) -> None:
        self.flushes += 1
        if self.fd is not None and self.flushes % WRITEBACK_EVERY == 0:
            try:
                os.posix_fadvise(self.fd, 0, 0, os.POSIX_FADV_DONTNEED)
            except OSError:
                pass

    def __enter__(self) -> _Writeback:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _private_file(path: Path) -> None:
    """Create ``path`` (if missing) readable and writable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


class Store:
    """A workspace database. Use :meth:`open`; close with :meth:`close` or as a context manager."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, path: str | Path | None) -> Store:
        """Open (creating owner-only and migrating if needed) the store at ``path``; None is in-memory."""
        if path is None or str(path) == ":memory:":
            conn = sqlite3.connect(":memory:")
            p = None
        else:
            p = Path(path)
            if p.exists() and p.is_dir():
                raise UserError("err_db_is_folder", path=p)
            old_umask = os.umask(0o077)
            try:
                _private_file(p)
                conn = sqlite3.connect(p)
                try:
                    conn.execute("PRAGMA schema_version").fetchone()
                except sqlite3.DatabaseError as e:
                    conn.close()
                    raise UserError("err_db_not_database", path=p) from e
            finally:
                os.umask(old_umask)
        conn.row_factory = sqlite3.Row
        if conn.execute("PRAGMA page_count").fetchone()[0] == 0:
            # a new workspace: 16 KB pages (SQLite's default is 4 KB) hold a whole typical item and
            # make the indexes shallower; bulk imports run about a quarter faster, long records
            # need fewer overflow pages. Existing workspaces keep the size they were created with.
            conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA cache_size = -65536")  # 64 MB: bulk imports touch many index pages
        conn.execute("PRAGMA temp_store = MEMORY")
        migrations.migrate(conn)
        return cls(conn, p)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- items -----------------------------------------------------------------------------

    def import_items(
        self,
        items: Iterable[Item],
        *,
        source: str,
        platform: str,
        sha256: str | None = None,
        importer_version: str = "",
        warnings: list[Notice] | None = None,
    ) -> ImportResult:
        """Store ``items`` (a stream) in one transaction; an exception rolls everything back.

        Raw records get sequential keys (:func:`_raw_key`), so their index only grows at its end;
        the item's content hash is still derived from the raw record's sha256, so that re-importing
        an unchanged archive finds every item unchanged whichever version stored it. Foreign keys are
        not checked during the bulk insert: every row it writes references the raw record and the
        import written just before it, in the same transaction.
        """
        conn = self.conn
        fk_off = not conn.in_transaction and conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        if fk_off:
            conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction, hence the check
        try:
            with conn, _Writeback(self.path) as writeback:
                return self._import(items, source=source, platform=platform, sha256=sha256,
                                    importer_version=importer_version, warnings=warnings,
                                    writeback=writeback)
        finally:
            if fk_off:
                conn.execute("PRAGMA foreign_keys = ON")

    def _import(self, items: Iterable[Item], *, source: str, platform: str, sha256: str | None,
                importer_version: str, warnings: list[Notice] | None, writeback: _Writeback) -> ImportResult:
        conn = self.conn
        cur = conn.execute(
            "INSERT INTO imports (source, platform, sha256, importer_version, started_at) VALUES (?,?,?,?,?)",
            (source, platform, sha256, importer_version, now_iso()),
        )
        import_id = int(cur.lastrowid or 0)
        res = ImportResult(import_id)
        known: dict[str, str] = dict(conn.execute("SELECT id, content_hash FROM items WHERE platform = ?", (platform,)))
        next_raw = _next_raw_number(conn)
        raw_rows: list[tuple[Any, ...]] = []
        new_rows: list[tuple[Any, ...]] = []
        upd_rows: list[tuple[Any, ...]] = []
        pending = 0
        seen: set[str] = set()
        sha = hashlib.sha256
        ver = f"{importer_version}\x00".encode()

        def flush() -> None:
            if raw_rows:
                # UTF-8 bytes are stored as the text they are; bytes in another encoding as they are
                conn.executemany(
                    "INSERT INTO raw_records (id, platform, source_file, pointer, content, encoding)"
                    " VALUES (?1,?2,?3,?4,CASE WHEN ?6 IS NULL THEN CAST(?5 AS TEXT) ELSE ?5 END,?6)",
                    raw_rows)
            if new_rows:
                conn.executemany(
                    "INSERT INTO items (id, ref, platform, native_id, kind, date, date_tz_assumed, author,"
                    " text, attachments, reposted_from, url, visibility, raw_id, content_hash, import_id)"
                    " VALUES (?,?,?,?,?,?,?,?,CAST(? AS TEXT),?,?,?,?,?,?,?)",  # text: str or UTF-8 bytes
                    new_rows,
                )
            if upd_rows:
                conn.executemany(
                    "UPDATE items SET ref=?, platform=?, native_id=?, kind=?, date=?, date_tz_assumed=?,"
                    " author=?, text=CAST(? AS TEXT), attachments=?, reposted_from=?, url=?, visibility=?, raw_id=?,"
                    " content_hash=?, import_id=? WHERE id=?",
                    [r[1:] + r[:1] for r in upd_rows],
                )
            raw_rows.clear()
            new_rows.clear()
            upd_rows.clear()
            writeback.wrote()

        for item in items:
            iid = item.id  # cached on the item: the scan reads it again
            if iid in seen:
                res.warnings.append(Notice("err_duplicate_id", file=item.source_file or source, id=item.native_id))
                continue
            seen.add(iid)
            data, raw_sha = item.stored_raw()
            # the item is derived from its raw record by this importer: hash both
            chash = sha(ver + raw_sha.encode()).hexdigest()
            old = known.get(iid)
            if old == chash:
                res.unchanged += 1
                continue
            raw_id = _raw_key(next_raw)
            next_raw += 1
            raw_rows.append((raw_id, item.platform, item.source_file, item.pointer, data, item.stored_encoding()))
            atts_json, rf_json = item.stored_json()
            text = item.text
            row = (
                iid,
                item.ref,
                item.platform,
                item.native_id,
                item.kind,
                item.date,
                int(item.date_tz_assumed),
                item.author,
                text,
                atts_json,
                rf_json,
                item.url,
                item.visibility,
                raw_id,
                chash,
                import_id,
            )
            if old is not None:
                upd_rows.append(row)
                res.updated += 1
            else:
                new_rows.append(row)
                res.added += 1
            pending += len(data) + len(text) * (1 if isinstance(text, bytes) else 2) + 200
            if pending >= FLUSH_BYTES or len(new_rows) + len(upd_rows) >= BATCH:
                flush()
                pending = 0
        flush()
        if warnings:
            res.warnings[:0] = warnings
        conn.execute(
            "UPDATE imports SET finished_at=?, added=?, updated=?, unchanged=?, warnings=? WHERE id=?",
            (now_iso(), res.added, res.updated, res.unchanged,
             json.dumps([str(w) for w in res.warnings], ensure_ascii=False), import_id),
        )
        return res

    @staticmethod
    def row_to_item(row: sqlite3.Row) -> Item:
        rf = json.loads(row["reposted_from"]) if row["reposted_from"] else None
        atts = row["attachments"]
        item = Item(
            platform=row["platform"],
            native_id=row["native_id"],
            kind=row["kind"],
            text=row["text"],
            date=row["date"],
            date_tz_assumed=bool(row["date_tz_assumed"]),
            author=row["author"],
            attachments=[Attachment.from_dict(a) for a in json.loads(atts)] if atts != "[]" else [],
            reposted_from=Source(**rf) if rf else None,
            url=row["url"],
            visibility=row["visibility"],
        )
        item.known_id(row["id"])
        return item

    def iter_items(self, *, include_deleted: bool = False, ids: Iterable[str] | None = None,
                   upto: int | None = None) -> Iterator[Item]:
        """Every stored item (without its raw record), in import order.

        ``ids``: only these items; ``upto``: only the rows stored before a point (a rowid, as
        ``SELECT max(rowid) FROM items`` gave it then).
        """
        where = [] if include_deleted else ["deleted_at IS NULL"]
        if upto is not None:
            where.append(f"rowid <= {int(upto)}")
        sql = "SELECT * FROM items" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY rowid"
        if ids is not None:
            wanted = list(ids)
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                q = f"SELECT * FROM items WHERE id IN ({','.join('?' * len(chunk))}) ORDER BY rowid"
                for row in self.conn.execute(q, chunk):
                    yield self.row_to_item(row)
            return
        for row in self.conn.execute(sql):
            yield self.row_to_item(row)

    def deleted_ids(self) -> set[str]:
        """Ids of the items deleted on their platform (tombstones)."""
        return {r[0] for r in self.conn.execute("SELECT id FROM items WHERE deleted_at IS NOT NULL")}

    def fetched_photos(self) -> dict[str, str]:
        """The local file of each photo ``media fetch`` brought, by the URL the item names it by."""
        return {str(u): str(p) for u, p in self.conn.execute("SELECT url, path FROM media_fetch WHERE status='ok'")}

    def count_items(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM items WHERE deleted_at IS NULL").fetchone()[0])

    def get_item(self, key: str) -> Item | None:
        """An item by its id, its ref, its native id or its URL on the platform."""
        row = self.conn.execute(
            "SELECT * FROM items WHERE id=? OR ref=? OR url=? OR native_id=? LIMIT 1", (key, key, key, key)
        ).fetchone()
        return self.row_to_item(row) if row else None

    def raw_record(self, item_id: str) -> str | None:
        """The raw export record of an item, exactly as the importer gave it (None if there is none)."""
        row = self.conn.execute(
            "SELECT r.content, r.encoding FROM items i JOIN raw_records r ON r.id = i.raw_id WHERE i.id=?",
            (item_id,),
        ).fetchone()
        if row is None:
            return None
        content, enc = row
        return content.decode(enc or "utf-8", "replace") if isinstance(content, bytes) else content

    # -- lists, scans, findings -------------------------------------------------------------

    def record_list(self, bank: str, version: str, sha256: str, entries: int, source: str | None,
                    fetched_at: str | None) -> None:
        with self.conn:
            self.conn.execute(
                "INSERT OR IGNORE INTO lists (bank, version, source, fetched_at, sha256, entries) VALUES (?,?,?,?,?,?)",
                (bank, version, source, fetched_at, sha256, entries),
            )

    def save_list_entries(self, bank: str, version: str, rows: Iterable[tuple[str, str, str | None, bool,
                                                                            str | None, str | None]]) -> None:
        """Keep the entries of a list version (entry, text, included, excluded, decision, decision date)."""
        if self.conn.execute("SELECT 1 FROM list_entries WHERE bank=? AND version=? LIMIT 1",
                             (bank, version)).fetchone():
            return
        with self.conn:
            self.conn.executemany(
                "INSERT OR IGNORE INTO list_entries VALUES (?,?,?,?,?,?,?,?)",
                [(bank, version, e, t, inc, int(exc), dec, ddate) for e, t, inc, exc, dec, ddate in rows],
            )

    def list_entry(self, bank: str, version: str, entry: str) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute(
            "SELECT * FROM list_entries WHERE bank=? AND version=? AND entry=?", (bank, version, entry)
        ).fetchone()
        return row

    def start_scan(self, bank: str, list_version: str, list_sha256: str, matcher_version: str) -> int:
        with self.conn:
            cur = self.conn.execute(
                "INSERT INTO scans (started_at, bank, list_version, list_sha256, matcher_version) VALUES (?,?,?,?,?)",
                (now_iso(), bank, list_version, list_sha256, matcher_version),
            )
        return int(cur.lastrowid or 0)

    def save_findings(self, scan_id: int, bank: str, item_ids: Iterable[str] | None, findings: list[Finding],
                      matcher_version: str, items_scanned: int) -> None:
        """Replace the findings of ``bank`` for the scanned items (all items if ``item_ids`` is None)."""
        with self.conn:
            if item_ids is None:
                self.conn.execute("DELETE FROM findings WHERE bank=?", (bank,))
            else:
                ids = list(item_ids)
                for i in range(0, len(ids), 500):
                    chunk = ids[i : i + 500]
                    self.conn.execute(
                        f"DELETE FROM findings WHERE bank=? AND item_id IN ({','.join('?' * len(chunk))})",
                        [bank, *chunk],
                    )
            self.conn.executemany(
                "INSERT OR REPLACE INTO findings (item_id, bank, entry, level, signal, score, evidence,"
                " explanation_ru, explanation_en, list_version, matcher_version, scan_id)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (f.item_id, f.bank, f.entry, f.level, f.signal, f.score,
                     json.dumps(f.evidence.to_dict(), ensure_ascii=False), f.explanation_ru, f.explanation_en,
                     f.list_version, matcher_version, scan_id)
                    for f in findings
                ],
            )
            self.conn.execute(
                "UPDATE scans SET finished_at=?, items=?, findings=? WHERE id=?",
                (now_iso(), items_scanned, len(findings), scan_id),
            )

    def findings_rows(self, bank: str | None = None) -> list[sqlite3.Row]:
        sql = (
            "SELECT f.*, i.ref, i.platform, i.native_id, i.kind, i.date, i.date_tz_assumed, i.url, i.text,"
            " i.attachments, i.reposted_from, i.visibility, i.author FROM findings f JOIN items i ON i.id = f.item_id"
        )
        args: tuple[Any, ...] = ()
        if bank:
            sql += " WHERE f.bank = ?"
            args = (bank,)
        return list(self.conn.execute(sql + " ORDER BY f.id", args))

    def last_scan(self) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute(
            "SELECT * FROM scans WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return row
