"""The three organisation lists: parsing, installing and versioning them in the data dir.

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

Layout under ``<data dir>/lists/<bank>/``, as for the FSM list (:mod:`repostguard.banks.install`):
``<sha256>.<ext>`` (the bytes as fetched), ``<sha256>.json`` (provenance) and ``state.json`` with
``current`` and ``previous``, replaced atomically. A broken file is refused with a one-line
:class:`~repostguard.errors.ListError` naming the file and the place.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from repostguard.banks.fsm import list_version
from repostguard.banks.install import SHRINK_LIMIT, update_fsm
from repostguard.banks.install import _download as download
from repostguard.errors import ExternalError, ListError, UserError
from repostguard.paths import atomic_write, data_dir, lists_dir

#: list kind → (bank name, official URL or None, title ru, title en)
KINDS: dict[str, tuple[str, str | None, str, str]] = {
    "extremist": (
        "orgs-extremist",
        "https://minjust.gov.ru/ru/documents/7822/",
        "перечень экстремистских организаций (Минюст)",
        "list of extremist organisations (Minjust)",
    ),
    "terrorist": (
        "orgs-terrorist",
        "http://www.fsb.ru/fsb/npd/terror.htm",
        "единый федеральный список террористических организаций (ФСБ)",
        "unified federal list of terrorist organisations (FSB)",
    ),
    "undesirable": (
        "orgs-undesirable",
        "https://reestrs.minjust.gov.ru/rest/registry/c2d1692e-a9f6-5a79-13ee-5da5b42980df/values",
        "перечень нежелательных организаций (Минюст)",
        "list of undesirable organisations (Minjust)",
    ),
    "sites": (
        "orgs-sites",
        None,
        "сайты организаций из списков (не официальный перечень)",
        "web sites of listed organisations (not an official list)",
    ),
}
ORG_KINDS = ("extremist", "terrorist", "undesirable")
BANK_KIND = {bank: kind for kind, (bank, *_rest) in KINDS.items()}
MAX_SIZE = 32 * 1024**2

_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_PERSON_GROUP = re.compile(r"^\s*объединени\w*\s*,?\s*членами\s+которого\s+явля", re.IGNORECASE)
_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}$")
_EXCLUDED_WORD = re.compile(r"исключ", re.IGNORECASE)


def _to_date(s: str | None) -> date | None:
    if not s:
        return None
    m = _DATE.search(str(s))
    if not m:
        return None
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


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
class OrgList:
    """A parsed organisation list with its provenance."""

    kind: str
    entries: list[OrgEntry]
    sha256: str
    fmt: str
    path: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def bank(self) -> str:
        return KINDS[self.kind][0]

    @property
    def last_inclusion(self) -> date | None:
        ds = [e.included for e in self.entries if e.included]
        return max(ds) if ds else None

    @property
    def version(self) -> str:
        return list_version(self.bank, self.last_inclusion, self.sha256)

    @property
    def active(self) -> list[OrgEntry]:
        return [e for e in self.entries if not e.excluded]

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
        place = f"item [{i}]"
        if not isinstance(row, dict):
            raise ListError(path, f"{place}: expected an object, found {type(row).__name__}")
        if kind == "sites":
            dom = row.get("domain")
            if not isinstance(dom, str) or not _DOMAIN.match(dom.strip().lower()):
                raise ListError(path, f"{place}: 'domain' is missing or not a domain name")
            label = str(row.get("label") or dom)
            e = _entry(f"{dom.strip().lower()} — {label}", [], None, False, False, place)
            e.domains = [dom.strip().lower()]
            out.append(e)
            continue
        name = row.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ListError(path, f"{place}: 'name' is missing or empty")
        aliases = row.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ListError(path, f"{place}: 'aliases' must be a list of strings")
        date_raw = row.get("dateIn")
        included = _to_date(date_raw) if date_raw else None
        if date_raw and included is None:
            raise ListError(path, f"{place}: 'dateIn' {str(date_raw)[:20]!r} is not a DD.MM.YYYY date")
        excluded = bool(row.get("excluded")) or bool(row.get("dateOut"))
        out.append(_entry(name, aliases, included, excluded, bool(row.get("is_person")), place))
    return out


def _parse_registry(values: list[Any], path: Path) -> list[OrgEntry]:
    out: list[OrgEntry] = []
    for i, row in enumerate(values):
        place = f"values[{i}]"
        if not isinstance(row, dict):
            raise ListError(path, f"{place}: expected an object")
        name = row.get("field_5_s") or row.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ListError(path, f"{place}: no organisation name (field_5_s)")
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
            out.append(_entry(name, _quoted(name), None, False, False, f"table row {n + 1}"))
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
                f"item {n + 1}",
            )
        )
    return out


def parse_org_bytes(data: bytes, kind: str, path: Path | str = "<list>") -> OrgList:
    """Parse a list file's bytes; raise ListError (file and place) if it is not the list."""
    if kind not in KINDS:
        raise UserError(f"unknown list {kind!r}; expected one of {', '.join(KINDS)}")
    path = Path(path)
    sha = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise ListError(path, "empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            raise ListError(
                path, f"byte 0x{data[e.start]:02x} is neither UTF-8 nor windows-1251", line
            ) from e
    head = text.lstrip()[:200].lower()
    notes: list[str] = []
    if head.startswith(("[", "{")):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as e:
            raise ListError(path, f"not valid JSON ({e.msg})", e.lineno) from e
        if isinstance(doc, list):
            entries, fmt = _parse_json_array(doc, kind, path), "json"
        elif isinstance(doc, dict) and isinstance(doc.get("values"), list):
            if kind == "sites":
                raise ListError(path, "a registry answer is not a list of sites")
            entries, fmt = _parse_registry(doc["values"], path), "registry-json"
            size = doc.get("size")
            if isinstance(size, int) and size > len(entries):
                notes.append(f"the registry says {size} entries, the file has {len(entries)}")
        else:
            raise ListError(
                path, "JSON is neither a list of organisations nor a registry answer ('values')", 1
            )
    elif head.startswith(("<!doctype", "<html", "<")) or "<table" in head or "<body" in head:
        if kind == "sites":
            raise ListError(path, "an HTML page is not a list of sites")
        entries, fmt = _parse_html(text, path), "html"
    else:
        raise ListError(path, "neither JSON nor HTML: not an organisation list", 1)
    if not entries:
        raise ListError(path, f"no entries found ({fmt}); the page layout may have changed")
    merged: dict[str, OrgEntry] = {}
    for ent in entries:
        old = merged.get(ent.key)
        if old is None:
            merged[ent.key] = ent
        else:
            notes.append(f"{ent.place}: duplicate of {old.place}; merged")
            old.aliases += [a for a in ent.aliases if a not in old.aliases]
            old.included = min(filter(None, (old.included, ent.included)), default=None)
    return OrgList(kind=kind, entries=list(merged.values()), sha256=sha, fmt=fmt, path=str(path), notes=notes)


def parse_org_file(path: Path | str, kind: str) -> OrgList:
    """Parse a list file; ListError (one line, with the file) if it cannot be read or is not the list."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_SIZE:
            raise ListError(path, "far larger than an organisation list can be")
        data = path.read_bytes()
    except IsADirectoryError as e:
        raise ListError(path, "is a folder, not a list file") from e
    except OSError as e:
        raise ListError(path, f"cannot be read ({e.strerror or e})") from e
    return parse_org_bytes(data, kind, path)


# -- installing --------------------------------------------------------------------------------


def _bank_dir(kind: str) -> Path:
    d = lists_dir() / KINDS[kind][0]
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    return d


def _state(kind: str) -> dict[str, Any]:
    p = _bank_dir(kind) / "state.json"
    if not p.exists():
        return {}
    try:
        data: dict[str, Any] = json.loads(p.read_text("utf-8"))
        return data
    except (OSError, json.JSONDecodeError) as e:
        raise UserError(f"{p}: damaged ({e}); run `repostguard lists update --list {kind}` again") from e


def installed_org_meta(kind: str, which: str = "current") -> dict[str, Any] | None:
    """Provenance of the installed (current or previous) version of list ``kind``, or None."""
    if not (lists_dir() / KINDS[kind][0] / "state.json").exists():
        return None
    sha = _state(kind).get(which)
    if not sha:
        return None
    try:
        meta: dict[str, Any] = json.loads((_bank_dir(kind) / f"{sha}.json").read_text("utf-8"))
        return meta
    except (OSError, json.JSONDecodeError):
        return None


def load_org_list(kind: str, which: str = "current") -> tuple[OrgList, dict[str, Any]] | None:
    """The installed list ``kind`` (parsed) and its provenance, or None when it is not installed."""
    meta = installed_org_meta(kind, which)
    if meta is None:
        return None
    p = _bank_dir(kind) / f"{meta['sha256']}.{meta.get('ext', 'list.json')}"
    return parse_org_file(p, kind), meta


def install_org_bytes(
    data: bytes, kind: str, source: str, *, force: bool = False
) -> tuple[OrgList, dict[str, Any], dict[str, Any] | None]:
    """Validate and install ``data`` as the current list ``kind``; the old current becomes previous."""
    lst = parse_org_bytes(data, kind, source)
    old = installed_org_meta(kind)
    if old and not force and len(lst.entries) < SHRINK_LIMIT * int(old.get("entries", 0)):
        raise UserError(
            f"{source}: {len(lst.entries)} entries, far fewer than the installed {old['entries']}; "
            "refusing what looks like a truncated list (use --force to install it anyway)"
        )
    ext = "list.html" if lst.fmt == "html" else "list.json"  # "<sha>.json" is the provenance
    meta = {
        "bank": lst.bank,
        "kind": kind,
        "version": lst.version,
        "source": source,
        "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "sha256": lst.sha256,
        "ext": ext,
        "format": lst.fmt,
        "entries": len(lst.entries),
        "excluded": len(lst.entries) - len(lst.active),
        "last_inclusion": lst.last_inclusion.isoformat() if lst.last_inclusion else None,
        "notes": lst.notes[:20],
    }
    d = _bank_dir(kind)
    atomic_write(d / f"{lst.sha256}.{ext}", data)
    atomic_write(d / f"{lst.sha256}.json", json.dumps(meta, ensure_ascii=False, indent=1).encode())
    state = _state(kind)
    new_state = {
        "current": lst.sha256,
        "previous": state.get("current") if state.get("current") != lst.sha256 else state.get("previous"),
    }
    atomic_write(d / "state.json", json.dumps(new_state).encode())
    return lst, meta, old


def org_mirrors(kind: str, extra: list[str] | None = None) -> list[str]:
    """Mirrors of list ``kind``: --mirror, then REPOSTGUARD_<KIND>_MIRRORS, then config.json
    ``org_mirrors``."""
    out = list(extra or [])
    env = os.environ.get(f"REPOSTGUARD_{kind.upper()}_MIRRORS", "")
    out += [u.strip() for u in env.split(",") if u.strip()]
    cfg = data_dir() / "config.json"
    if cfg.exists():
        try:
            conf = json.loads(cfg.read_text("utf-8")).get("org_mirrors", {})
        except (OSError, json.JSONDecodeError) as e:
            raise UserError(f"{cfg}: not valid JSON ({e})") from e
        out += [str(u) for u in (conf.get(kind, []) if isinstance(conf, dict) else [])]
    return out


def _download(url: str, kind: str) -> bytes:
    if not ("/rest/registry/" in url and url.rstrip("/").endswith("/values")):
        return download(url)  # a plain file, as for the FSM list
    import httpx

    # the registry's paged JSON API (it caps a page at 1000 rows)
    headers = {"User-Agent": "repostguard (list update)"}
    values: list[Any] = []
    offset = 0
    with httpx.Client(
        timeout=httpx.Timeout(60.0, connect=15.0), follow_redirects=True, headers=headers
    ) as client:
        while True:
            r = client.post(url, json={"offset": offset, "limit": 1000, "search": ""})
            r.raise_for_status()
            page = r.json()
            chunk = page.get("values") or []
            values += chunk
            offset += len(chunk)
            if not chunk or offset >= int(page.get("size") or 0) or offset > 100_000:
                break
    return json.dumps({"values": values, "size": len(values)}, ensure_ascii=False).encode()


def fetch_org(kind: str, mirrors: list[str]) -> tuple[bytes, str, list[str]]:
    """Download list ``kind``: the official source, then each mirror; the first that parses wins."""
    import httpx

    errors: list[str] = []
    official = os.environ.get(f"REPOSTGUARD_{kind.upper()}_URL", KINDS[kind][1] or "")
    for url in [u for u in (official, *mirrors) if u]:
        try:
            data = _download(url, kind)
            parse_org_bytes(data, kind, url)
            return data, url, errors
        except (httpx.HTTPError, OSError, ValueError) as e:
            errors.append(f"{url}: {type(e).__name__}: {e}")
        except ListError as e:
            errors.append(str(e))
    if not errors:
        raise UserError(
            f"{kind}: there is no official source; install it with --list {kind} --from FILE "
            "or give a --mirror"
        )
    raise ExternalError(
        f"could not get the {kind} list: "
        + " | ".join(errors)
        + f"; try a mirror (--mirror URL) or a file (--list {kind} --from FILE)"
    )


def diff_org_lists(old: OrgList, new: OrgList) -> dict[str, list[str]]:
    """Entry keys added, newly excluded, re-admitted, edited (aliases/date) and removed between two
    versions."""
    ob, nb = old.by_key(), new.by_key()
    added = [k for k, e in nb.items() if k not in ob and not e.excluded]
    excluded = [k for k, e in nb.items() if k in ob and e.excluded and not ob[k].excluded]
    readmitted = [k for k, e in nb.items() if k in ob and not e.excluded and ob[k].excluded]
    edited = [
        k
        for k, e in nb.items()
        if k in ob
        and (sorted(e.aliases) != sorted(ob[k].aliases) or e.included != ob[k].included)
        and not e.excluded
    ]
    removed = [k for k in ob if k not in nb]
    return {
        "added": added,
        "excluded": excluded,
        "readmitted": readmitted,
        "edited": edited,
        "removed": removed,
    }


def update_org(
    kind: str, from_file: Path | None = None, mirrors: list[str] | None = None, force: bool = False
) -> str:
    """``lists update --list KIND``: install from a file or the network; a summary of what changed."""
    if from_file is not None:
        try:
            data = Path(from_file).read_bytes()
        except OSError as e:
            raise ListError(from_file, f"cannot be read ({e.strerror or e})") from e
        source = str(Path(from_file).resolve())
        notes: list[str] = []
    else:
        data, source, notes = fetch_org(kind, org_mirrors(kind, mirrors))
    lst, meta, old = install_org_bytes(data, kind, source, force=force)
    lines = [
        f"{kind}: installed {meta['version']}: {meta['entries']} entries ({meta['excluded']} excluded), "
        f"last inclusion {meta['last_inclusion']}, sha256 {meta['sha256']}, from {source}"
    ]
    lines += [f"note: {n}" for n in [*notes, *lst.notes[:5]]]
    if old and old["sha256"] != meta["sha256"]:
        prev = load_org_list(kind, "previous")
        if prev is not None:
            d = diff_org_lists(prev[0], lst)
            lines.append(
                f"{kind}: changes since {old['version']}: added {len(d['added'])}, excluded "
                f"{len(d['excluded'])}, edited {len(d['edited'])}, removed {len(d['removed'])}; "
                "run `repostguard recheck` to see what they mean for your history"
            )
    return "\n".join(lines)


def store_rows(lst: OrgList) -> list[tuple[str, str, str | None, bool, str | None, str | None]]:
    """Rows for :meth:`repostguard.store.Store.save_list_entries` (entry, text, included, excluded, …)."""
    return [
        (e.key, e.name, e.included.isoformat() if e.included else None, e.excluded, None, None)
        for e in lst.entries
    ]


__all__ = [
    "KINDS",
    "ORG_KINDS",
    "BANK_KIND",
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


def update_lists(
    which: str | None, *, from_file: Path | None = None, mirrors: list[str] | None = None, force: bool = False
) -> str:
    """``lists update [--list fsm|extremist|terrorist|undesirable|sites|all]``: the summary to print.

    Without ``--list``: ``--from``/``--mirror`` mean the FSM CSV (as before the organisation lists
    existed), otherwise every list is updated. With ``all``, the FSM comes first and its failure is an
    error as before; an organisation list that cannot be fetched is reported as a note, so a blocked
    site does not undo the others.
    """
    if which is None:
        which = "fsm" if (from_file is not None or mirrors) else "all"
        if from_file is not None:
            try:
                head = Path(from_file).read_bytes()[:64].lstrip(b"\xef\xbb\xbf \r\n\t")
            except OSError:
                head = b""
            if head[:1] in (b"[", b"{"):
                raise UserError(
                    f"{from_file}: this is JSON, not the FSM CSV; for an organisation list add "
                    "--list extremist|terrorist|undesirable|sites"
                )
    if which == "fsm":
        return update_fsm(from_file=from_file, mirrors=mirrors, force=force)
    if which in KINDS:
        return update_org(which, from_file=from_file, mirrors=mirrors, force=force)
    if which != "all":
        raise UserError(f"--list {which}: expected fsm, {', '.join(KINDS)} or all")
    if from_file is not None:
        raise UserError("--from installs one list: add --list fsm|extremist|terrorist|undesirable|sites")
    out = [update_fsm(mirrors=mirrors, force=force)]
    for kind in (*ORG_KINDS, "sites"):
        if kind == "sites" and not org_mirrors(kind):
            continue
        try:
            out.append(update_org(kind, force=force))
        except (ExternalError, UserError) as e:
            out.append(f"note: {kind}: not updated ({e})")
    return "\n".join(out)
