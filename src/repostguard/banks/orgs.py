"""The organisation lists: their declarations and their parser.

Lists (bank names in brackets):

* Minjust list of organisations banned as **extremist** (``orgs-extremist``);
* FSB unified list of **terrorist** organisations (``orgs-terrorist``);
* Minjust list of **undesirable** organisations (``orgs-undesirable``);
* optionally, a curated list of web **sites** of listed organisations (``orgs-sites``; not official,
  installed only from a file or mirror the person chooses).

Accepted formats (detected from the bytes, never from the file name):

* a JSON array of ``{"name", "aliases"?, "is_person"?, "dateIn"?, "excluded"?}`` objects (the format
  of public mirrors such as ``chekazoid/legal-entity-marks``; ``banned-sites.json`` rows are
  ``{"domain", "label", "type"}``);
* the JSON answer of the ``reestrs.minjust.gov.ru`` REST registry (``{"values": [...]}`` with
  ``field_5_s`` name, ``field_2_s`` date added, ``field_8_s`` exclusion date, ``field_10_s`` status);
* the official HTML pages: a numbered list (Minjust) or a table №/name/decision (FSB).

A broken file is refused with a one-line :class:`~repostguard.errors.ListError` naming the file
and the place. The lists are installed by :mod:`repostguard.banks.lifecycle`, as the FSM list, under
``<data dir>/lists/<bank>/``: ``<sha256>.list.json`` or ``<sha256>.list.html`` (the bytes as
fetched), ``<sha256>.json`` (provenance) and ``state.json`` with ``current`` and ``previous``.
Another list of this kind is one more entry of :data:`ORG_LISTS`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from repostguard.banks import lifecycle
from repostguard.banks.lifecycle import (
    Installed,
    ListFacts,
    ListSpec,
    diff_entries,
    dmy_date,
    download_registry,
    read_file,
)
from repostguard.errors import ListError, UserError
from repostguard.i18n import t

MAX_SIZE = 32 * 1024**2

_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_PERSON_GROUP = re.compile(r"^\s*объединени\w*\s*,?\s*членами\s+которого\s+явля", re.IGNORECASE)
_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}$")
_EXCLUDED_WORD = re.compile(r"исключ", re.IGNORECASE)


def _to_date(s: str | None) -> date | None:
    return dmy_date(_DATE.search(str(s))) if s else None


def entry_key(name: str) -> str:
    """The stable id of an entry: derived from its name (whitespace and case do not matter)."""
    canon = " ".join(name.lower().replace("ё", "е").split())
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()[:12]


@dataclass
class OrgEntry:
    """One organisation (or one site) of a list.

    ``person_group`` marks the «объединение, членами которого являются …» entries: their text names
    private persons, so only their quoted organisation names and aliases are ever matched.
    """

    key: str
    name: str
    aliases: list[str] = field(default_factory=list)
    included: date | None = None
    excluded: bool = False
    is_person: bool = False
    person_group: bool = False
    domains: list[str] = field(default_factory=list)
    place: str = ""

    @property
    def matchable(self) -> bool:
        return not self.excluded and not self.is_person


@dataclass
class OrgList(ListFacts[OrgEntry]):
    """A parsed organisation list with its provenance."""

    kind: str
    entries: list[OrgEntry]
    sha256: str
    fmt: str
    path: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def bank(self) -> str:
        return KINDS[self.kind].bank

    def by_key(self) -> dict[str, OrgEntry]:
        return {e.key: e for e in self.entries}


# -- parsing ---------------------------------------------------------------------------------


def _entry(
    name: str, aliases: list[str], included: date | None, excluded: bool, is_person: bool, place: str
) -> OrgEntry:
    name = " ".join(name.split())
    domains = sorted(
        {
            m.lower()
            for m in re.findall(r"\b(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,6}\b", name)
            if _DOMAIN.match(m.lower()) and not m.lower().startswith(("г.", "т.", "с."))
        }
    )
    return OrgEntry(
        key=entry_key(name),
        name=name,
        aliases=[" ".join(a.split()) for a in aliases if a and a.strip()],
        included=included,
        excluded=excluded,
        is_person=is_person,
        person_group=bool(_PERSON_GROUP.match(name)),
        domains=domains,
        place=place,
    )


def _parse_json_array(rows: list[Any], kind: str, path: Path) -> list[OrgEntry]:
    out: list[OrgEntry] = []
    for i, row in enumerate(rows):
        place = t("err_org_place_item", i=i)
        if not isinstance(row, dict):
            raise ListError(path, "err_org_not_object", place=place)
        if kind == "sites":
            dom = row.get("domain")
            if not isinstance(dom, str) or not _DOMAIN.match(dom.strip().lower()):
                raise ListError(path, "err_org_bad_domain", place=place)
            label = str(row.get("label") or dom)
            e = _entry(f"{dom.strip().lower()} — {label}", [], None, False, False, place)
            e.domains = [dom.strip().lower()]
            out.append(e)
            continue
        name = row.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ListError(path, "err_org_no_name", place=place)
        aliases = row.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ListError(path, "err_org_bad_aliases", place=place)
        date_raw = row.get("dateIn")
        included = _to_date(date_raw) if date_raw else None
        if date_raw and included is None:
            raise ListError(path, "err_org_bad_date", place=place, date=str(date_raw)[:20])
        excluded = bool(row.get("excluded")) or bool(row.get("dateOut"))
        out.append(_entry(name, aliases, included, excluded, bool(row.get("is_person")), place))
    return out


def _parse_registry(values: list[Any], path: Path) -> list[OrgEntry]:
    out: list[OrgEntry] = []
    for i, row in enumerate(values):
        place = t("err_org_place_registry", i=i)
        if not isinstance(row, dict):
            raise ListError(path, "err_org_not_object", place=place)
        name = row.get("field_5_s") or row.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ListError(path, "err_org_registry_no_name", place=place)
        status = str(row.get("field_10_s") or "")
        excluded = bool(row.get("field_8_s")) or bool(_EXCLUDED_WORD.search(status))
        out.append(_entry(name, _quoted(name), _to_date(row.get("field_2_s")), excluded, False, place))
    return out


def _quoted(text: str) -> list[str]:
    """«…» fragments of a name: the usual short names of organisations."""
    return [q.strip() for q in re.findall(r"«([^«»]{2,120})»", text) if q.strip()]


_HTML_NUMBERED = re.compile(r"^\s*(\d{1,4})\s*[.)]\s+(.{4,})$")


def _parse_html(text: str, path: Path) -> list[OrgEntry]:
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tree = HTMLParser(text)
    out: list[OrgEntry] = []
    rows = tree.css("table tr")
    for n, tr in enumerate(rows):
        cells = [" ".join(td.text(separator=" ").split()) for td in tr.css("td")]
        if len(cells) >= 2 and cells[0].rstrip(".").isdigit() and cells[1]:
            name = cells[1]  # the third cell is the court decision, not an inclusion date
            out.append(_entry(name, _quoted(name), None, False, False, t("err_org_place_row", n=n + 1)))
    if out:
        return out
    blocks = tree.css("li") or tree.css("p")
    for n, node in enumerate(blocks):
        line = " ".join(node.text(separator=" ").split())
        m = _HTML_NUMBERED.match(line)
        name = m.group(2) if m else (line if node.tag == "li" else "")
        if not name:
            continue
        name = re.split(
            r"\s+[(–—-]\s*(?:решение|определение|приговор)", name, maxsplit=1, flags=re.IGNORECASE
        )[0]
        out.append(
            _entry(
                name.strip(" ;."),
                _quoted(name),
                _to_date(line[-40:]) if "включ" in line else None,
                bool(re.search(r"исключ[её]н", line, re.IGNORECASE) and "за исключ" not in line),
                False,
                t("err_org_place_point", n=n + 1),
            )
        )
    return out


def parse_org_bytes(data: bytes, kind: str, path: Path | str = "<list>") -> OrgList:
    """Parse a list file's bytes; raise ListError (file and place) if it is not the list."""
    if kind not in KINDS:
        raise UserError("err_unknown_list", kind=kind, kinds=", ".join(KINDS))
    path = Path(path)
    sha = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise ListError(path, "err_list_empty_file")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            raise ListError(path, "err_org_bad_byte", line, byte=f"0x{data[e.start]:02x}") from e
    head = text.lstrip()[:200].lower()
    notes: list[str] = []
    if head.startswith(("[", "{")):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as e:
            raise ListError(path, "err_not_json", e.lineno) from e
        if isinstance(doc, list):
            entries, fmt = _parse_json_array(doc, kind, path), "json"
        elif isinstance(doc, dict) and isinstance(doc.get("values"), list):
            if kind == "sites":
                raise ListError(path, "err_org_registry_not_sites")
            entries, fmt = _parse_registry(doc["values"], path), "registry-json"
            size = doc.get("size")
            if isinstance(size, int) and size > len(entries):
                notes.append(t("err_org_note_registry_size", size=size, n=len(entries)))
        else:
            raise ListError(path, "err_org_json_unknown", 1)
    elif head.startswith(("<!doctype", "<html", "<")) or "<table" in head or "<body" in head:
        if kind == "sites":
            raise ListError(path, "err_org_html_not_sites")
        entries, fmt = _parse_html(text, path), "html"
    else:
        raise ListError(path, "err_org_not_list", 1)
    if not entries:
        raise ListError(path, "err_org_no_entries")
    merged: dict[str, OrgEntry] = {}
    for ent in entries:
        old = merged.get(ent.key)
        if old is None:
            merged[ent.key] = ent
        else:
            notes.append(t("err_org_note_duplicate", place=ent.place, first=old.place))
            old.aliases += [a for a in ent.aliases if a not in old.aliases]
            old.included = min(filter(None, (old.included, ent.included)), default=None)
    return OrgList(kind=kind, entries=list(merged.values()), sha256=sha, fmt=fmt, path=str(path), notes=notes)


def parse_org_file(path: Path | str, kind: str) -> OrgList:
    """Parse a list file; ListError (one line, with the file) if it cannot be read or is not the list."""
    path = Path(path)
    data = read_file(path, limit=MAX_SIZE, too_large="err_org_too_large", folder="err_list_is_folder")
    return parse_org_bytes(data, kind, path)


# -- the installed lists ---------------------------------------------------------------------------


def _spec(kind: str) -> ListSpec[OrgList]:
    spec = KINDS.get(kind)
    if spec is None:
        raise UserError("err_unknown_list", kind=kind, kinds=", ".join(KINDS))
    return spec


def installed_org_meta(kind: str, which: str = "current") -> dict[str, Any] | None:
    """Provenance of the installed (current or previous) version of list ``kind``, or None."""
    return lifecycle.installed_meta(_spec(kind), which)


def load_org_list(kind: str, which: str = "current") -> tuple[OrgList, dict[str, Any]] | None:
    """The installed list ``kind`` (parsed) and its provenance, or None when it is not installed."""
    return lifecycle.load(_spec(kind), which)


def install_org_bytes(
    data: bytes, kind: str, source: str, *, force: bool = False
) -> tuple[OrgList, dict[str, Any], dict[str, Any] | None]:
    """Validate and install ``data`` as the current list ``kind``; the old current becomes previous."""
    return lifecycle.install(_spec(kind), data, source, force=force)


def update_org(
    kind: str, from_file: Path | None = None, mirrors: list[str] | None = None, force: bool = False
) -> str:
    """``lists update --list KIND``: install from a file or the network; a summary of what changed."""
    return lifecycle.update(_spec(kind), from_file, mirrors, force)


def diff_org_lists(old: OrgList, new: OrgList) -> dict[str, list[str]]:
    """Entry keys added, newly excluded, re-admitted, edited (aliases/date) and removed between two
    versions."""
    return diff_entries(
        old.by_key(),
        new.by_key(),
        edited=lambda o, n: sorted(n.aliases) != sorted(o.aliases) or n.included != o.included,
        added=lambda e: not e.excluded,
    )


def _summary(done: Installed[OrgList]) -> list[str]:
    """What ``lists update`` says about an organisation list it installed: the version, its notes, what changed."""
    lines = [done.headline, *(t("cli_note", text=n) for n in [*done.notes, *done.lst.notes[:5]])]
    prev = load_org_list(done.spec.name, "previous") if done.old and done.replaced else None
    if done.old and prev is not None:
        d = diff_org_lists(prev[0], done.lst)
        lines.append(t("cli_list_org_changed", list=done.spec.label(), version=done.old["version"],
                       added=len(d["added"]), excluded=len(d["excluded"]), edited=len(d["edited"]),
                       removed=len(d["removed"])))
    return lines


def store_rows(lst: OrgList) -> list[tuple[str, str, str | None, bool, str | None, str | None]]:
    """Rows for :meth:`repostguard.store.Store.save_list_entries` (entry, text, included, excluded, …)."""
    return [
        (e.key, e.name, e.included.isoformat() if e.included else None, e.excluded, None, None)
        for e in lst.entries
    ]


# -- the lists -------------------------------------------------------------------------------------


def _org_list(
    name: str, url: str | None, title_ru: str, title_en: str, *, auxiliary: bool = False
) -> ListSpec[OrgList]:
    """The declaration of the organisation list ``name``: bank ``orgs-<name>``, this module's parser."""
    return ListSpec(
        name=name,
        bank=f"orgs-{name}",
        url=url,
        title_ru=title_ru,
        title_en=title_en,
        parse=lambda data, source: parse_org_bytes(data, name, source),
        parse_file=lambda path: parse_org_file(path, name),
        summary=_summary,
        mirrors_key=("org_mirrors", name),
        ext="list.json",
        describe=lambda lst: {"kind": lst.kind, "ext": "list.html" if lst.fmt == "html" else "list.json",
                              "format": lst.fmt},  # "<sha>.json" is the provenance
        download=download_registry,
        auxiliary=auxiliary,
    )


#: the organisation lists, in the order ``lists update`` installs them: another is one more line
ORG_LISTS: tuple[ListSpec[OrgList], ...] = (
    _org_list(
        "extremist",
        "https://minjust.gov.ru/ru/documents/7822/",
        "перечень экстремистских организаций (Минюст)",
        "list of extremist organisations (Minjust)",
    ),
    _org_list(
        "terrorist",
        "http://www.fsb.ru/fsb/npd/terror.htm",
        "единый федеральный список террористических организаций (ФСБ)",
        "unified federal list of terrorist organisations (FSB)",
    ),
    _org_list(
        "undesirable",
        "https://reestrs.minjust.gov.ru/rest/registry/c2d1692e-a9f6-5a79-13ee-5da5b42980df/values",
        "перечень нежелательных организаций (Минюст)",
        "list of undesirable organisations (Minjust)",
    ),
    _org_list(
        "sites",
        None,
        "сайты организаций из списков (не официальный перечень)",
        "web sites of listed organisations (not an official list)",
        auxiliary=True,  # no matcher of its own: the undesirable list's matcher reads it
    ),
)
#: list kind → its declaration (bank, official URL or None, titles)
KINDS: dict[str, ListSpec[OrgList]] = {s.name: s for s in ORG_LISTS}
#: the lists with a matcher of their own
ORG_KINDS = tuple(s.name for s in ORG_LISTS if not s.auxiliary)

__all__ = [
    "KINDS",
    "ORG_KINDS",
    "ORG_LISTS",
    "OrgEntry",
    "OrgList",
    "parse_org_bytes",
    "parse_org_file",
    "install_org_bytes",
    "update_org",
    "load_org_list",
    "installed_org_meta",
    "diff_org_lists",
    "entry_key",
    "store_rows",
]
