"""Hash banks: CSV files of PDQ hashes of known pictures, with a label and a list reference.

Modelled on ThreatExchange PDQ hash lists, so that organisations can share the hashes of
pictures that led to cases without sharing the pictures. The format (docs/media.md):

- UTF-8 (a BOM is accepted), comma-separated, one row per line, with a header row; lines starting with ``#``
  and blank lines are ignored.
- ``hash`` (also ``pdq``, ``pdq_hash``, ``signal_value``): the PDQ hash, 64 hex digits;
- ``label``: what the picture is, shown to the person;
- ``reference``: where it is listed (e.g. ``ФСМ 1234`` or a court decision); the finding's entry;
- ``quality`` (optional): PDQ quality 0-100; rows below 50 are dropped, as PDQ recommends.

Any other column is ignored. A bad row stops the import with the file and line number, and
nothing of that file is stored.

A file is read and verified as every list is (:func:`repostguard.banks.lifecycle.read_file`); its
hashes are then added to the workspace's banks, which keep every file imported (by sha256) rather than
a current and a previous version.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from repostguard.banks.lifecycle import read_file
from repostguard.errors import InputError
from repostguard.media.hashing import MIN_PDQ_QUALITY, PDQ_HEX
from repostguard.store import Store, now_iso

HASH_COLUMNS = ("hash", "pdq", "pdq_hash", "signal_value")
MAX_BANK_BYTES = 200 * 1024 * 1024
MAX_FIELD = 2000
_TOO_LARGE = "err_bank_too_large"


@dataclass
class BankRow:
    """One usable row of a hash bank file."""

    pdq: str
    quality: int | None
    label: str
    reference: str
    line: int


@dataclass
class BankImport:
    """What an import did."""

    path: Path
    rows: int = 0
    added: int = 0
    already: int = 0
    dropped_low_quality: int = 0
    same_file: bool = False

    def line(self) -> str:
        if self.same_file:
            return f"{self.path}: this file was already imported; nothing changed"
        return (f"{self.path}: {self.rows} hashes read, {self.added} added, {self.already} already known, "
                f"{self.dropped_low_quality} dropped as low quality (< {MIN_PDQ_QUALITY})")


def parse_bank(path: Path, data: bytes | None = None) -> tuple[list[BankRow], int]:
    """Parse a hash bank CSV; return its usable rows and the number dropped for low quality."""
    path = Path(path)
    if data is None:
        data = read_file(path, limit=MAX_BANK_BYTES, too_large=_TOO_LARGE, error=InputError)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(path, "err_bank_not_utf8", line) from e
    lines = [(n, s) for n, s in enumerate(text.splitlines(), 1)
             if s.strip() and not s.lstrip().startswith("#")]
    if not lines:
        raise InputError(path, "err_bank_empty")
    header_line, header_text = lines[0]
    try:
        header = [h.strip().lower() for h in next(csv.reader([header_text]))]
    except csv.Error as e:
        raise InputError(path, "err_bank_header_not_csv", header_line) from e
    hcol = next((header.index(c) for c in HASH_COLUMNS if c in header), None)
    if hcol is None:
        raise InputError(path, "err_bank_no_hash_column", header_line)
    missing = [c for c in ("label", "reference") if c not in header]
    if len(missing) == 2:
        raise InputError(path, "err_bank_no_label_reference", header_line)
    if missing:
        raise InputError(path, "err_bank_no_column", header_line, column=missing[0])
    lcol, rcol = header.index("label"), header.index("reference")
    qcol = header.index("quality") if "quality" in header else None
    rows: list[BankRow] = []
    dropped = 0
    need = max(hcol, lcol, rcol, qcol if qcol is not None else 0)
    for n, row_text in lines[1:]:
        try:
            rec = next(csv.reader([row_text], strict=True))
        except csv.Error as e:
            raise InputError(path, "err_bank_bad_row", n) from e
        if len(rec) <= need:
            raise InputError(path, "err_bank_few_columns", n, n=len(rec), need=need + 1)
        h = rec[hcol].strip()
        if not PDQ_HEX.match(h):
            raise InputError(path, "err_bank_bad_hash", n, hash=h[:70])
        label, ref = rec[lcol].strip(), rec[rcol].strip()
        if not label or not ref:
            raise InputError(path, "err_bank_empty_label", n)
        if len(label) > MAX_FIELD or len(ref) > MAX_FIELD:
            raise InputError(path, "err_bank_long_field", n, max=MAX_FIELD)
        quality: int | None = None
        if qcol is not None and rec[qcol].strip():
            try:
                quality = int(rec[qcol].strip())
            except ValueError as e:
                raise InputError(path, "err_bank_quality_nan", n, quality=rec[qcol][:20]) from e
            if not 0 <= quality <= 100:
                raise InputError(path, "err_bank_quality_range", n, quality=quality)
            if quality < MIN_PDQ_QUALITY:
                dropped += 1
                continue
        rows.append(BankRow(h.lower(), quality, label, ref, n))
    return rows, dropped


def import_bank(store: Store, path: Path) -> BankImport:
    """Parse ``path`` and add its hashes to the store's banks, in one transaction."""
    path = Path(path)
    data = read_file(path, limit=MAX_BANK_BYTES, too_large=_TOO_LARGE, missing="err_no_such_file", error=InputError)
    rows, dropped = parse_bank(path, data)
    res = BankImport(path=path, rows=len(rows), dropped_low_quality=dropped)
    sha = hashlib.sha256(data).hexdigest()
    conn = store.conn
    if conn.execute("SELECT 1 FROM hash_banks WHERE sha256=?", (sha,)).fetchone():
        res.same_file = True
        return res
    with conn:
        cur = conn.execute(
            "INSERT INTO hash_banks (source, sha256, imported_at, entries, dropped_low_quality)"
            " VALUES (?,?,?,?,?)",
            (path.name, sha, now_iso(), len(rows), dropped),
        )
        bank_id = int(cur.lastrowid or 0)
        before = conn.total_changes
        conn.executemany(
            "INSERT OR IGNORE INTO hash_bank_entries (bank_id, pdq, quality, label, reference)"
            " VALUES (?,?,?,?,?)",
            [(bank_id, r.pdq, r.quality, r.label, r.reference) for r in rows],
        )
        res.added = conn.total_changes - before
    res.already = len(rows) - res.added
    return res


def bank_version(store: Store) -> str:
    """A short version string of the imported banks (their files' sha256), for findings."""
    shas = [r[0] for r in store.conn.execute("SELECT sha256 FROM hash_banks ORDER BY id")]
    if not shas:
        return "hashes-none"
    return f"hashes-{len(shas)}-{hashlib.sha256(''.join(shas).encode()).hexdigest()[:8]}"
