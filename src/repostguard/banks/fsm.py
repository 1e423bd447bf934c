"""The Federal List of Extremist Materials (FSM): its parser, its declaration, ``lists show`` and ``lists diff``.

The export as it really is (see docs/lists.md): windows-1251, CRLF, ``;`` separated, ``"``
quoting with ``""`` escapes, header ``#;Материал;Дата включения (указывается с 01.01.2017)``;
entry numbers with gaps; an inclusion date only for entries added since 2017; excluded entries
keep their number with a text such as ``Исключен`` or ``Запись исключена из списка``.

A file that does not parse as the list is refused with a one-line :class:`ListError` naming the
file and line. A UTF-8 copy is accepted (with a note); a copy with double-encoded text
(mojibake) is repaired line by line when that is unambiguous and reported as repaired, and
refused when rows are broken.

The list is installed by :mod:`repostguard.banks.lifecycle` under ``<data dir>/lists/fsm/`` as
``<sha256>.csv`` (the bytes as fetched) with ``<sha256>.json`` (source, fetch time, sha256, entry
count, version) and ``state.json`` (current and previous). ``lists update`` fetches the official CSV,
then the configured mirrors.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from repostguard.banks import lifecycle
from repostguard.banks.lifecycle import Installed, ListFacts, ListSpec, diff_entries, dmy_date, read_file
from repostguard.errors import ListError, UserError
from repostguard.i18n import t

OFFICIAL_FSM_URL = "https://minjust.gov.ru/uploaded/files/exportfsm.csv"
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
class FsmList(ListFacts[FsmEntry]):
    """A parsed list file with its provenance."""

    entries: list[FsmEntry]
    sha256: str
    encoding: str
    path: str = ""
    repaired_lines: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def bank(self) -> str:
        return "fsm"

    def by_number(self) -> dict[int, FsmEntry]:
        return {e.number: e for e in self.entries}


def _to_date(s: str) -> date | None:
    return dmy_date(_DATE.fullmatch(s.strip()))


def _decode(data: bytes, path: Path) -> tuple[str, str, list[str]]:
    notes: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
        notes.append(t("err_fsm_note_utf8"))
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1251")
            encoding = "windows-1251"
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            raise ListError(path, "err_fsm_bad_byte", line, byte=f"0x{data[e.start]:02x}") from e
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
        raise ListError(path, "err_list_empty_file")
    if data[:1] in (b"<", b"{", b"[") or data.lstrip()[:15].lower().startswith((b"<!doctype", b"<html")):
        raise ListError(path, "err_fsm_not_csv", 1)
    text, encoding, notes = _decode(data, path)
    lines = text.splitlines(keepends=True)
    repaired = 0
    for i, line in enumerate(lines):
        if len(_MOJIBAKE.findall(line)) >= 3:
            fixed = _repair_line(line)
            if fixed is None:
                raise ListError(path, "err_fsm_mojibake", i + 1)
            lines[i] = fixed
            repaired += 1
    c1 = [i for i, line in enumerate(lines) if _C1.search(line)]
    if repaired:
        notes.append(t("err_fsm_note_repaired", n=repaired))
    text = "".join(lines)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"', doublequote=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as e:
        raise ListError(path, "err_fsm_no_header", 1) from e
    if len(header) < 2 or header[0].strip().lstrip("\ufeff") != "#" or HEADER_WORD not in header[1]:
        shown = ";".join(header)[:60]
        wrong_encoding = encoding == "windows-1251" and not re.search("[а-яА-Я]", shown)
        raise ListError(path, "err_fsm_bad_header_encoding" if wrong_encoding else "err_fsm_bad_header", 1,
                        shown=shown)
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
                raise ListError(path, "err_fsm_bad_number", lineno, num=num[:20])
            if len(row) < 2:
                raise ListError(path, "err_fsm_no_text", lineno, num=num)
            n = int(num)
            body = row[1].strip()
            inc_raw = row[2].strip() if len(row) > 2 else ""
            included = _to_date(inc_raw) if inc_raw else None
            if inc_raw and included is None:
                notes.append(t("err_fsm_note_bad_date", line=lineno, entry=n, date=inc_raw[:20]))
            if n in seen:
                notes.append(t("err_fsm_note_repeated", line=lineno, entry=n, first=seen[n]))
                continue
            seen[n] = lineno
            entries.append(FsmEntry(n, body, included, bool(_EXCLUDED.match(body)) or not body, lineno))
    except csv.Error as e:
        raise ListError(path, "err_csv_syntax", reader.line_num) from e
    if broken:
        raise ListError(path, "err_fsm_rows_without_number", broken[0], n=len(broken), first=broken[0])
    if c1:
        raise ListError(path, "err_fsm_control_chars", c1[0] + 1)
    if not entries:
        raise ListError(path, "err_list_no_entries")
    return FsmList(entries=entries, sha256=sha, encoding=encoding, path=str(path), repaired_lines=repaired,
                   notes=notes)


def parse_fsm(path: Path | str) -> FsmList:
    """Parse an export file; raise ListError (one line, with the file and line) if it is not the list."""
    path = Path(path)
    data = read_file(path, limit=MAX_SIZE, too_large="err_fsm_too_large", folder="err_list_is_folder")
    return parse_fsm_bytes(data, path)


# -- the installed list ----------------------------------------------------------------------------


def installed_meta(which: str = "current") -> dict[str, Any] | None:
    """Provenance of the installed (current or previous) list, or None."""
    return lifecycle.installed_meta(FSM_LIST, which)


def load_fsm(path: Path | None = None, which: str = "current") -> tuple[FsmList, dict[str, Any]]:
    """The list to scan with: ``path`` if given, else the installed one, else the packaged snapshot
    (its provenance says ``packaged``); UserError if there is none of them."""
    if path is not None:
        return parse_fsm(path), {"source": str(path)}
    loaded = lifecycle.load(FSM_LIST, which)
    if loaded is None:
        raise UserError("err_fsm_not_installed")
    return loaded


def update_fsm(from_file: Path | None = None, mirrors: list[str] | None = None, force: bool = False) -> str:
    """``lists update --list fsm``: install from a file or the network; a summary of what changed."""
    return lifecycle.update(FSM_LIST, from_file, mirrors, force)


def _summary(done: Installed[FsmList]) -> list[str]:
    """What ``lists update`` says about the FSM it installed: the version, how the file was read, what changed."""
    lst, old = done.lst, done.old
    lines = [done.headline]
    if lst.repaired_lines:
        lines.append(t("cli_note", text=t("cli_list_repaired", n=lst.repaired_lines)))
    if lst.encoding != "windows-1251":
        lines.append(t("cli_note", text=t("cli_list_encoding", encoding=lst.encoding)))
    lines += [t("cli_note", text=n) for n in done.notes]
    if old and done.replaced:
        d = diff_lists(load_fsm(None, which="previous")[0], lst)
        lines.append(t("cli_list_changed", version=old["version"], added=len(d["added"]), excluded=len(d["excluded"]),
                       edited=len(d["edited"]), removed=len(d["removed"])))
    elif old:
        lines.append(t("cli_list_same"))
    return lines


# -- comparing and showing -------------------------------------------------------------------------


def diff_lists(old: FsmList, new: FsmList) -> dict[str, list[int]]:
    """Entry numbers added, removed, newly excluded, re-admitted and edited between two lists."""
    d = diff_entries(old.by_number(), new.by_number(), edited=lambda o, n: not o.excluded
                     and " ".join(n.text.split()) != " ".join(o.text.split()))
    return {what: sorted(numbers) for what, numbers in d.items()}


def diff_text(old_path: Path, new_path: Path, *, as_json: bool = False) -> str:
    """``lists diff OLD NEW`` output."""
    old, new = parse_fsm(old_path), parse_fsm(new_path)
    d = diff_lists(old, new)
    if as_json:
        return json.dumps({"old": old.version, "new": new.version, **d}, ensure_ascii=False, indent=1)
    nb = new.by_number()
    lines = [f"{old.version} → {new.version}",
             f"added {len(d['added'])}, newly excluded {len(d['excluded'])}, edited {len(d['edited'])}, "
             f"removed {len(d['removed'])}, re-admitted {len(d['readmitted'])}"]
    for k in d["added"]:
        e = nb[k]
        text = " ".join(e.text.split())
        lines.append(f"+ {k} [{e.included.isoformat() if e.included else '—'}] {text[:110]}")
    for k in d["excluded"]:
        lines.append(f"- {k} excluded")
    for k in d["edited"]:
        lines.append(f"~ {k} edited")
    for k in d["removed"]:
        lines.append(f"x {k} no longer in the file")
    return "\n".join(lines)


def show_fsm(entry: int | None = None, path: Path | None = None) -> str:
    """``lists show`` output: provenance and counts, or one entry in full."""
    lst, meta = load_fsm(path)
    if entry is not None:
        e = lst.by_number().get(entry)
        if e is None:
            raise UserError("err_fsm_no_entry", source=meta.get("source"), entry=entry)
        return "\n".join([
            f"№ {e.number}" + (" (excluded)" if e.excluded else ""),
            f"inclusion date: {e.included.isoformat() if e.included else 'not given (entries before 2017)'}",
            f"court decision: {e.court_decision or '—'}",
            "",
            e.text,
        ])
    rows = [
        ("version", lst.version),
        ("source", meta.get("source")),
        ("fetched at", meta.get("fetched_at") or "—"),
        ("sha256", lst.sha256),
        ("entries", f"{len(lst.entries)} ({len(lst.entries) - len(lst.active)} excluded, "
                    f"numbers up to {max(e.number for e in lst.entries)})"),
        ("last inclusion", lst.last_inclusion.isoformat() if lst.last_inclusion else "—"),
        ("encoding", lst.encoding),
    ]
    age = lifecycle.snapshot_age(meta)
    if age is not None:
        rows[1] = ("source", f"packaged snapshot of {age[0].isoformat()} ({age[1]} days old) of {meta.get('source')}")
        rows.append(("installed", "no list is installed: run `repostguard lists update`"))
    prev = installed_meta("previous") if path is None else None
    if prev:
        rows.append(("previous", f"{prev['version']} ({prev['entries']} entries, fetched {prev['fetched_at']})"))
    return "\n".join(f"{k:15} {v}" for k, v in rows)


#: the declaration of the list (:class:`repostguard.banks.lifecycle.ListSpec`)
FSM_LIST: ListSpec[FsmList] = ListSpec(
    name="fsm",
    bank="fsm",
    url=OFFICIAL_FSM_URL,
    title_ru="федеральный список экстремистских материалов",
    title_en="Federal List of Extremist Materials",
    parse=parse_fsm_bytes,
    parse_file=parse_fsm,
    summary=_summary,
    mirrors_key=("fsm_mirrors",),
    ext="csv",
    describe=lambda lst: {"encoding": lst.encoding, "repaired_lines": lst.repaired_lines},
    default=True,
)
