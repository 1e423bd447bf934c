"""Parser of the official export of the Federal List of Extremist Materials (FSM).

The export as it really is (see docs/lists.md): windows-1251, CRLF, ``;`` separated, ``"``
quoting with ``""`` escapes, header ``#;Материал;Дата включения (указывается с 01.01.2017)``;
entry numbers with gaps; an inclusion date only for entries added since 2017; excluded entries
keep their number with a text such as ``Исключен`` or ``Запись исключена из списка``.

A file that does not parse as the list is refused with a one-line :class:`ListError` naming the
file and line. A UTF-8 copy is accepted (with a note); a copy with double-encoded text
(mojibake) is repaired line by line when that is unambiguous and reported as repaired, and
refused when rows are broken.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from repostguard.errors import ListError

HEADER_WORD = "Материал"
MAX_SIZE = 64 * 1024**2

_EXCLUDED = re.compile(
    r"^\s*(?:исключ[её]н[аоы]?\b|запись\s+исключена|материал[ыи]?\s+исключ[её]н[аоы]?\b)",
    re.IGNORECASE,
)
_DECISION = re.compile(
    r"\(([^()]*(?:решени|определени|приговор|постановлени)[^()]*(?:\([^()]*\)[^()]*)*)\)\s*[.;]?\s*$",
    re.IGNORECASE,
)
_DECISION_INLINE = re.compile(r"((?:решение|определение|приговор)\s+вынесен\w*\s+[^;]*?\d{2}\.\d{2}\.\d{4})",
                              re.IGNORECASE)
_DATE = re.compile(r"(\d{2})\.(\d{2})\.(\d{4})")
# cp1251 decodings of UTF-8 continuation bytes after Р/С: the signature of double-encoded Cyrillic
_MOJIBAKE = re.compile("[РС][\u0402\u0403\u201a\u0453\u201e\u2020\u2021\u20ac\u2030\u0409\u0452\u2018\u2019"
                       "\u201c\u201d\u2022\u2122\u0459\u045a\u045c\u045b\u045f\u040e\u045e\u0408\u00a4\u0490"
                       "\u00a6\u00a7\u0401\u00a9\u0404\u00ae\u0407\u00b0\u00b1\u0406\u0456\u0491\u00b5\u00b6"
                       "\u00b7\u0451\u0454\u0458\u0405\u0455\u0457\u040a\u040c\u040b\u040f]")
_C1 = re.compile("[\u0080-\u009f]")


@dataclass
class FsmEntry:
    """One entry of the list: its number, the full text, inclusion date and exclusion flag."""

    number: int
    text: str
    included: date | None
    excluded: bool
    line: int

    @property
    def court_decision(self) -> str | None:
        """The court decision as the entry states it (usually in its closing parentheses)."""
        m = _DECISION.search(self.text.strip())
        if m:
            return m.group(1).strip()
        m = _DECISION_INLINE.search(self.text)
        return m.group(1).strip() if m else None

    @property
    def decision_date(self) -> date | None:
        return decision_date_of(self.court_decision)


def decision_date_of(decision: str | None) -> date | None:
    """The date of a court decision as :attr:`FsmEntry.court_decision` gives it."""
    if not decision:
        return None
    m = _DATE.search(decision)
    return _to_date(m.group(0)) if m else None


@dataclass
class FsmList:
    """A parsed list file with its provenance."""

    entries: list[FsmEntry]
    sha256: str
    encoding: str
    path: str = ""
    repaired_lines: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def last_inclusion(self) -> date | None:
        dates = [e.included for e in self.entries if e.included]
        return max(dates) if dates else None

    @property
    def version(self) -> str:
        return list_version("fsm", self.last_inclusion, self.sha256)

    @property
    def active(self) -> list[FsmEntry]:
        return [e for e in self.entries if not e.excluded]

    def by_number(self) -> dict[int, FsmEntry]:
        return {e.number: e for e in self.entries}


def list_version(bank: str, last_inclusion: date | None, sha256: str) -> str:
    """The version string every list and finding carries: ``<bank>-<last inclusion>-<sha256 prefix>``."""
    return f"{bank}-{last_inclusion.isoformat() if last_inclusion else 'undated'}-{sha256[:8]}"


def _to_date(s: str) -> date | None:
    m = _DATE.fullmatch(s.strip())
    if not m:
        return None
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def _decode(data: bytes, path: Path) -> tuple[str, str, list[str]]:
    notes: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
        notes.append("UTF-8 copy (the official export is windows-1251)")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1251")
            encoding = "windows-1251"
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            raise ListError(path, f"byte 0x{data[e.start]:02x} is neither windows-1251 nor UTF-8", line) from e
    return text, encoding, notes


def _repair_line(line: str) -> str | None:
    """Undo one level of UTF-8-read-as-windows-1251 on ``line``; None if that is not what happened."""
    try:
        return line.encode("cp1251").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def parse_fsm_bytes(data: bytes, path: Path | str = "<list>") -> FsmList:
    """Parse the bytes of an export; raise ListError if they are not the list."""
    path = Path(path)
    sha = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise ListError(path, "empty file")
    if data[:1] in (b"<", b"{", b"[") or data.lstrip()[:15].lower().startswith((b"<!doctype", b"<html")):
        raise ListError(path, "this is not the CSV export (it looks like HTML or JSON)", 1)
    text, encoding, notes = _decode(data, path)
    lines = text.splitlines(keepends=True)
    repaired = 0
    for i, line in enumerate(lines):
        if len(_MOJIBAKE.findall(line)) >= 3:
            fixed = _repair_line(line)
            if fixed is None:
                raise ListError(path, "text is double-encoded (mojibake) and cannot be repaired; "
                                "download the official export again", i + 1)
            lines[i] = fixed
            repaired += 1
    c1 = [i for i, line in enumerate(lines) if _C1.search(line)]
    if repaired:
        notes.append(f"repaired {repaired} double-encoded lines")
    text = "".join(lines)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"', doublequote=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as e:
        raise ListError(path, f"no header row ({e})", 1) from e
    if len(header) < 2 or header[0].strip().lstrip("\ufeff") != "#" or HEADER_WORD not in header[1]:
        shown = ";".join(header)[:60]
        hint = " (wrong encoding?)" if encoding == "windows-1251" and not re.search("[а-яА-Я]", shown) else ""
        raise ListError(path, f"header is {shown!r}, expected '#;Материал;Дата включения…'{hint}", 1)
    entries: list[FsmEntry] = []
    seen: dict[int, int] = {}
    broken: list[int] = []
    try:
        for row in reader:
            lineno = reader.line_num
            if not row or all(not c.strip() for c in row):
                continue
            num = row[0].strip()
            if not num:
                broken.append(lineno)
                continue
            if not num.isdigit():
                raise ListError(path, f"entry number {num[:20]!r} is not a number", lineno)
            if len(row) < 2:
                raise ListError(path, f"entry {num} has no text column", lineno)
            n = int(num)
            body = row[1].strip()
            inc_raw = row[2].strip() if len(row) > 2 else ""
            included = _to_date(inc_raw) if inc_raw else None
            if inc_raw and included is None:
                notes.append(f"line {lineno}: entry {n}: inclusion date {inc_raw[:20]!r} unreadable")
            if n in seen:
                notes.append(f"line {lineno}: entry {n} repeated (first at line {seen[n]}); kept the first")
                continue
            seen[n] = lineno
            entries.append(FsmEntry(n, body, included, bool(_EXCLUDED.match(body)) or not body, lineno))
    except csv.Error as e:
        raise ListError(path, f"CSV syntax error ({e})", reader.line_num) from e
    if broken:
        raise ListError(
            path,
            f"{len(broken)} rows without an entry number (first at line {broken[0]}): the file is damaged "
            "(re-saved or converted?); download the official export again",
            broken[0],
        )
    if c1:
        raise ListError(path, "control characters from a broken encoding conversion; download the official "
                        "export again", c1[0] + 1)
    if not entries:
        raise ListError(path, "no entries")
    return FsmList(entries=entries, sha256=sha, encoding=encoding, path=str(path), repaired_lines=repaired,
                   notes=notes)


def parse_fsm(path: Path | str) -> FsmList:
    """Parse an export file; raise ListError (one line, with the file and line) if it is not the list."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_SIZE:
            raise ListError(path, f"{size // 1024**2} MB is far larger than the list can be")
        data = path.read_bytes()
    except IsADirectoryError as e:
        raise ListError(path, "is a folder, not a list file") from e
    except OSError as e:
        raise ListError(path, f"cannot be read ({e.strerror or e})") from e
    return parse_fsm_bytes(data, path)
