"""The encrypted local backup written before anything is deleted, and reading it back.

File layout (all integers big-endian)::

    header   b"RGBACKUP" | version (1 byte) | log2(N) r p of scrypt (1 byte each) | salt (16 bytes)
    records  length (8 bytes) | nonce (12 bytes) | AES-256-GCM ciphertext with tag

The key is scrypt(passphrase, salt, N, r, p); each record's associated data is the header plus
the record's index, so records cannot be reordered, swapped between files or altered unseen.
Record 0 is a small marker (a wrong passphrase fails there, with a clear message); every other
record is one item as JSON: the unified item, the raw export record and its media files
(base64). Records are appended one by one, so a killed backup leaves a readable prefix. The
file is synced to disk when it is closed, and the store's ``clean_backups`` index is written
only after the file was read back and every record checked.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
import struct
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from repostguard.errors import InputError, UserError, os_reason
from repostguard.i18n import t
from repostguard.model import Item
from repostguard.store import Store, now_iso

MAGIC = b"RGBACKUP"
VERSION = 1
SALT_LEN = 16
NONCE_LEN = 12
HEADER_LEN = len(MAGIC) + 4 + SALT_LEN
LOG2_N, R, P = 15, 8, 1
MAX_RECORD = 4 * 1024 * 1024 * 1024


@functools.lru_cache(maxsize=4)  # the read-back check right after writing derives the same key
def _key(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    if not 10 <= log2_n <= 22 or not 1 <= r <= 32 or not 1 <= p <= 16:
        raise ValueError("scrypt parameters out of range")
    return Scrypt(salt=salt, length=32, n=2**log2_n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _aad(header: bytes, index: int) -> bytes:
    return header + struct.pack(">Q", index)


@dataclass
class BackupRecord:
    """One item read back from a backup."""

    item_id: str
    ref: str
    item: dict[str, Any]
    raw: str | None
    media: list[dict[str, Any]] = field(default_factory=list)
    backed_up_at: str = ""
    sha256: str = ""

    def media_bytes(self, i: int) -> bytes:
        return base64.b64decode(self.media[i]["data"])


class BackupWriter:
    """Appends encrypted item records to a new backup file (owner-only, never overwritten)."""

    def __init__(self, path: Path, passphrase: str, *, log2_n: int = LOG2_N) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if not passphrase:
            raise UserError("act_backup_empty_passphrase")
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        salt = os.urandom(SALT_LEN)
        self.header = MAGIC + bytes([VERSION, log2_n, R, P]) + salt
        self._aes = AESGCM(_key(passphrase, salt, log2_n, R, P))
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise UserError("act_backup_exists", path=self.path) from None
        self._fh: BinaryIO = os.fdopen(fd, "wb")
        self._fh.write(self.header)
        self.index = 0
        self._append({"type": "marker", "app": "repostguard", "created_at": now_iso()})

    def _append(self, obj: dict[str, Any]) -> str:
        plain = json.dumps(obj, ensure_ascii=False, sort_keys=True).encode("utf-8")
        nonce = os.urandom(NONCE_LEN)
        ct = self._aes.encrypt(nonce, plain, _aad(self.header, self.index))
        self._fh.write(struct.pack(">Q", NONCE_LEN + len(ct)) + nonce + ct)
        self._fh.flush()  # a killed process leaves whole records behind; fsync once, at close
        self.index += 1
        return hashlib.sha256(plain).hexdigest()

    def add(
        self, item_id: str, item: Item, raw: str | None, *, warn: Callable[[str], None] | None = None
    ) -> str:
        """Append one item with its raw record and media files; return the record's sha256."""
        media: list[dict[str, Any]] = []
        for i, a in enumerate(item.attachments):
            if not a.path:
                continue
            p = Path(a.path)
            try:
                data = p.read_bytes()
            except OSError as e:
                if warn:
                    warn(t("act_backup_media_missing", ref=item.ref, path=p, reason=os_reason(e)))
                media.append({"attachment": i, "name": p.name, "path": str(p), "missing": True})
                continue
            media.append(
                {
                    "attachment": i,
                    "name": p.name,
                    "path": str(p),
                    "size": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "data": base64.b64encode(data).decode("ascii"),
                }
            )
        return self._append(
            {
                "type": "item",
                "item_id": item_id,
                "ref": item.ref,
                "item": item.unified_dict(),
                "raw": raw,
                "media": media,
                "backed_up_at": now_iso(),
            }
        )

    def close(self) -> None:
        """Sync the file to disk and close it (before anything is indexed as backed up)."""
        if not self._fh.closed:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()

    def __enter__(self) -> BackupWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_backup(path: Path, passphrase: str) -> Iterator[BackupRecord]:
    """Decrypt and yield every item record; a wrong passphrase or damage raises a one-line error.

    A truncated last record (a backup killed while writing) ends the stream quietly: everything
    before it is intact and was checked.
    """
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    path = Path(path)
    try:
        fh = open(path, "rb")
    except OSError as e:
        raise InputError(path, "act_backup_unreadable", reason=os_reason(e)) from e
    with fh:
        header = fh.read(HEADER_LEN)
        if len(header) < HEADER_LEN or not header.startswith(MAGIC):
            raise InputError(path, "act_backup_not_backup")
        version, log2_n, r, p = header[len(MAGIC) : len(MAGIC) + 4]
        if version != VERSION:
            raise InputError(path, "act_backup_version", version=version)
        try:
            aes = AESGCM(_key(passphrase, header[-SALT_LEN:], log2_n, r, p))
        except ValueError as e:
            raise InputError(path, "act_backup_bad_header") from e
        index = 0
        while True:
            at = fh.tell()
            ln = fh.read(8)
            if not ln:
                return
            if len(ln) < 8:
                return  # truncated tail
            (size,) = struct.unpack(">Q", ln)
            if size < NONCE_LEN + 16 or size > MAX_RECORD:
                raise InputError(path, "act_backup_bad_record", record=index, byte=at)
            blob = fh.read(size)
            if len(blob) < size:
                return  # truncated tail
            try:
                plain = aes.decrypt(blob[:NONCE_LEN], blob[NONCE_LEN:], _aad(header, index))
            except InvalidTag:
                if index == 0:
                    raise UserError("act_backup_wrong_passphrase", path=path) from None
                raise InputError(path, "act_backup_record_altered", record=index, byte=at) from None
            obj = json.loads(plain)
            if index > 0 and obj.get("type") == "item":
                yield BackupRecord(
                    item_id=obj["item_id"],
                    ref=obj["ref"],
                    item=obj["item"],
                    raw=obj.get("raw"),
                    media=obj.get("media") or [],
                    backed_up_at=obj.get("backed_up_at", ""),
                    sha256=hashlib.sha256(plain).hexdigest(),
                )
            index += 1


def backup_items(
    store: Store,
    item_ids: Iterable[str],
    path: Path,
    passphrase: str,
    *,
    warn: Callable[[str], None] | None = None,
    progress: Callable[[int], None] | None = None,
    log2_n: int = LOG2_N,
) -> int:
    """Back up ``item_ids`` into a new file at ``path``, read it back, then index it in the store.

    Returns the number of items backed up. Nothing is indexed unless the read-back matches.
    """
    ids = list(dict.fromkeys(item_ids))
    if not ids:
        return 0
    written: dict[str, str] = {}
    with BackupWriter(path, passphrase, log2_n=log2_n) as w:
        for n, iid in enumerate(ids, 1):
            row = store.conn.execute("SELECT * FROM items WHERE id=?", (iid,)).fetchone()
            if row is None:
                raise UserError("act_backup_item_missing", item=iid)
            written[iid] = w.add(iid, store.row_to_item(row), store.raw_record(iid), warn=warn)
            if progress:
                progress(n)
    read = {rec.item_id: rec.sha256 for rec in read_backup(path, passphrase)}
    bad = [i for i, h in written.items() if read.get(i) != h]
    if bad:
        raise UserError("act_backup_readback_failed", path=path, n=len(bad))
    with store.conn:
        store.conn.executemany(
            "INSERT OR REPLACE INTO clean_backups (item_id, file, record_sha256, backed_up_at)"
            " VALUES (?,?,?,?)",
            [(i, str(Path(path).resolve()), h, now_iso()) for i, h in written.items()],
        )
    return len(written)


def extract(records: Iterable[BackupRecord], out_dir: Path) -> int:
    """Write each record as ``<n>/item.json`` plus its media files under ``out_dir``."""
    n = 0
    for n, rec in enumerate(records, 1):
        d = out_dir / f"{n:05d}"
        d.mkdir(parents=True, exist_ok=True)
        meta = {
            "item_id": rec.item_id,
            "ref": rec.ref,
            "item": rec.item,
            "raw": rec.raw,
            "backed_up_at": rec.backed_up_at,
            "media": [{k: v for k, v in m.items() if k != "data"} for m in rec.media],
        }
        (d / "item.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
        for i, m in enumerate(rec.media):
            if "data" in m:
                safe = Path(str(m.get("name") or f"media{i}")).name or f"media{i}"
                (d / f"{i:02d}-{safe}").write_bytes(rec.media_bytes(i))
    return n
