"""The life of an installed list: fetch with mirrors → verify → install current/previous → diff → load.

Every list ``lists update`` installs goes through this module: the FSM CSV (:mod:`.fsm`) and the
organisation and sites lists (:mod:`.orgs`). A list is declared once, as a :class:`ListSpec` (its
name, bank, official URL, parser, labels); :mod:`.registry` lists every declaration. The hash banks
(:mod:`.hashes`) read and verify their files with :func:`read_file` and are kept in the workspace.

Layout under ``<data dir>/lists/<bank>/``: each installed version is ``<sha256>.<ext>`` (the bytes as
fetched) with ``<sha256>.json`` (provenance: source, fetch time, sha256, entry counts, version);
``state.json`` names the ``current`` and ``previous`` versions and is replaced atomically, so an
interrupted update leaves the previous list in place. Every file is written owner-only and atomically
(:func:`repostguard.paths.atomic_write`).

Fetching is one of the program's only network actions, and runs only on ``lists update``: the
official URL (``REPOSTGUARD_<NAME>_URL`` replaces it, for tests), then the mirrors (``--mirror``,
``REPOSTGUARD_<NAME>_MIRRORS``, ``config.json``); the first copy that parses as the list wins. A new
version with far fewer entries than the installed one is refused unless forced.

A dated snapshot of each list ships in the package (``banks/data/``, listed with its date and source
in ``manifest.json``): when no version of a list is installed, :func:`load` gives the snapshot instead
(its provenance says ``packaged`` and ``snapshot_date``), so the first scan works offline and can say
how old its list is. An installed version always wins; installing never looks at the snapshot.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from repostguard.errors import ExternalError, InputError, ListError, Listing, Notice, UserError, os_reason
from repostguard.i18n import current_lang, has, t
from repostguard.paths import atomic_write, data_dir, lists_dir

if TYPE_CHECKING:
    import httpx

MAX_DOWNLOAD = 64 * 1024**2
SHRINK_LIMIT = 0.9
#: the order of the provenance fields in ``<sha256>.json``; each kind writes the ones it has
META_ORDER = ("bank", "kind", "version", "source", "fetched_at", "sha256", "ext", "format", "entries",
              "excluded", "last_inclusion", "encoding", "repaired_lines", "notes")


def list_version(bank: str, last_inclusion: date | None, sha256: str) -> str:
    """The version string every list and finding carries: ``<bank>-<last inclusion>-<sha256 prefix>``."""
    return f"{bank}-{last_inclusion.isoformat() if last_inclusion else 'undated'}-{sha256[:8]}"


def dmy_date(m: re.Match[str] | None) -> date | None:
    """The date of a ``DD.MM.YYYY`` match (day, month, year groups); None without one or for no such day."""
    if m is None:
        return None
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


class Entry(Protocol):
    """What the lifecycle reads of a list entry."""

    included: date | None
    excluded: bool


E = TypeVar("E", bound=Entry)
K = TypeVar("K", bound=Hashable)


class ListFacts(Generic[E]):
    """What every parsed list tells about itself (a base of the kinds' list classes)."""

    entries: list[E]
    sha256: str
    notes: list[str]

    @property
    def bank(self) -> str:
        raise NotImplementedError

    @property
    def last_inclusion(self) -> date | None:
        dates = [e.included for e in self.entries if e.included]
        return max(dates) if dates else None

    @property
    def version(self) -> str:
        return list_version(self.bank, self.last_inclusion, self.sha256)

    @property
    def active(self) -> list[E]:
        return [e for e in self.entries if not e.excluded]


L = TypeVar("L", bound="ListFacts[Any]")


def read_file(path: Path | str, *, limit: int | None = None, too_large: str = "err_too_large_mb",
              folder: str | None = None, missing: str | None = None, error: type[InputError] = ListError) -> bytes:
    """The bytes of a list file, or ``error`` in one line naming the file.

    The messages are catalogue keys: ``too_large`` (field ``mb``: the file's size in MB) past ``limit``
    bytes; ``folder`` for a folder and ``missing`` for anything that is not a file, where given; else
    the system's reason.
    """
    p = Path(path)
    try:
        if missing is not None and not p.is_file():
            raise error(path, missing)
        if limit is not None:
            size = p.stat().st_size
            if size > limit:
                raise error(path, too_large, mb=size // 1024**2)
        return p.read_bytes()
    except OSError as e:
        if folder and isinstance(e, IsADirectoryError):
            raise error(path, folder) from e
        raise error(path, "err_cannot_read_because", reason=os_reason(e)) from e


def _client() -> httpx.Client:
    import httpx

    return httpx.Client(timeout=httpx.Timeout(60.0, connect=15.0), follow_redirects=True,
                        headers={"User-Agent": "repostguard (list update)"})


def download(url: str) -> bytes:
    """GET ``url`` (at most :data:`MAX_DOWNLOAD` bytes)."""
    with _client() as client, client.stream("GET", url) as r:
        r.raise_for_status()
        buf = bytearray()
        for chunk in r.iter_bytes():
            buf += chunk
            if len(buf) > MAX_DOWNLOAD:
                raise ExternalError("err_download_too_large", url=url, mb=MAX_DOWNLOAD // 1024**2)
        return bytes(buf)


def download_registry(url: str) -> bytes:
    """:func:`download`, except that a ``reestrs.minjust.gov.ru`` REST registry (``…/rest/registry/<id>/values``)
    is read through its paged JSON API (it caps a page at 1000 rows) into one ``{"values", "size"}`` answer."""
    if not ("/rest/registry/" in url and url.rstrip("/").endswith("/values")):
        return download(url)
    values: list[Any] = []
    offset = 0
    with _client() as client:
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


@dataclass(frozen=True)
class ListSpec(Generic[L]):
    """The declaration of one installable list; adding a list of a known kind is one of these.

    **Parameters**

    - ``name``: the ``--list`` name; also ``REPOSTGUARD_<NAME>_URL`` and ``REPOSTGUARD_<NAME>_MIRRORS``.
    - ``bank``: the findings' bank, and the folder under ``<data dir>/lists/``.
    - ``url``: the official source, tried first; None for a list installed only from mirrors or files.
    - ``title_ru``, ``title_en``: what the list is, as the findings' explanations name it.
    - ``parse``: bytes and where they came from → the list; ListError if they are not the list.
    - ``parse_file``: a file → the list (size-checked); ListError.
    - ``summary``: the lines ``lists update`` prints for what it installed.
    - ``mirrors_key``: where ``config.json`` lists mirrors: ``("fsm_mirrors",)`` or ``("org_mirrors", name)``.
    - ``ext``: the extension of the installed data file, unless ``describe`` names one (``ext``).
    - ``describe``: the kind's own provenance fields (those of :data:`META_ORDER` it has).
    - ``download``: one URL → its bytes.
    - ``default``: ``--from``/``--mirror`` without ``--list`` mean this list (the FSM).
    - ``auxiliary``: no matcher of its own; it helps another list's (the sites).
    """

    name: str
    bank: str
    url: str | None
    title_ru: str
    title_en: str
    parse: Callable[[bytes, str], L]
    parse_file: Callable[[Path], L]
    summary: Callable[[Installed[L]], list[str]]
    mirrors_key: tuple[str, ...]
    ext: str
    describe: Callable[[L], dict[str, Any]] = lambda _lst: {}
    download: Callable[[str], bytes] = download
    default: bool = False
    auxiliary: bool = False

    def label(self) -> str:
        """The list's name in the person's language (its label, else its title)."""
        key = f"banks.{self.bank}"
        if has(key):
            return t(key)
        title = self.title_ru if current_lang() == "ru" else self.title_en
        return title[:1].upper() + title[1:]

    @property
    def option(self) -> str:
        """The option that selects this list on the command line ('' for the default list)."""
        return "" if self.default else f"--list {self.name}"


@dataclass(frozen=True)
class Installed(Generic[L]):
    """What an update installed: the list, its provenance, the provenance it replaced, its source."""

    spec: ListSpec[L]
    lst: L
    meta: dict[str, Any]
    old: dict[str, Any] | None
    source: str
    notes: list[Notice | ListError]  # why the sources tried before ``source`` failed

    @property
    def headline(self) -> str:
        """«<list>: установлена версия …»: what was installed, in the person's language."""
        m = self.meta
        return t("cli_list_installed", list=self.spec.label(), version=m["version"],
                 entries=t("cli_entries_n", n=m["entries"]), excluded=m["excluded"],
                 last=m["last_inclusion"] or "—", sha=m["sha256"], source=self.source)

    @property
    def replaced(self) -> bool:
        """Another version was current before: the previous version is the one to diff against."""
        return self.old is not None and self.old["sha256"] != self.meta["sha256"]


# -- the installed versions ------------------------------------------------------------------------


def _words(*words: str) -> str:
    return " ".join(w for w in words if w)


def bank_dir(spec: ListSpec[Any]) -> Path:
    """The list's folder, created owner-only."""
    d = lists_dir() / spec.bank
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    return d


def _state(spec: ListSpec[Any]) -> dict[str, Any]:
    p = bank_dir(spec) / "state.json"
    if not p.exists():
        return {}
    try:
        data: dict[str, Any] = json.loads(p.read_text("utf-8"))
        return data
    except (OSError, json.JSONDecodeError) as e:
        command = _words("repostguard lists update", spec.option)
        raise UserError("err_list_state_damaged", path=p, command=command) from e


def installed_meta(spec: ListSpec[Any], which: str = "current") -> dict[str, Any] | None:
    """Provenance of the installed ``current`` or ``previous`` version, or None."""
    if not (lists_dir() / spec.bank / "state.json").exists():
        return None
    sha = _state(spec).get(which)
    if not sha:
        return None
    try:
        meta: dict[str, Any] = json.loads((bank_dir(spec) / f"{sha}.json").read_text("utf-8"))
        return meta
    except (OSError, json.JSONDecodeError):
        return None


def load(spec: ListSpec[L], which: str = "current") -> tuple[L, dict[str, Any]] | None:
    """The installed version (parsed) and its provenance; for ``current``, the packaged snapshot when
    no version is installed (:func:`load_packaged`); else None."""
    meta = installed_meta(spec, which)
    if meta is None:
        return load_packaged(spec) if which == "current" else None
    return spec.parse_file(bank_dir(spec) / f"{meta['sha256']}.{meta.get('ext', spec.ext)}"), meta


# -- the packaged snapshots ------------------------------------------------------------------------

#: where the packaged snapshots and their ``manifest.json`` live
PACKAGED_DIR = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=1)
def _manifest() -> dict[str, dict[str, Any]]:
    try:
        lists: dict[str, dict[str, Any]] = json.loads((PACKAGED_DIR / "manifest.json").read_text("utf-8"))["lists"]
        return lists
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def packaged_meta(spec: ListSpec[Any]) -> dict[str, Any] | None:
    """What the manifest says of the list's packaged snapshot (without reading it), or None without one:
    ``version``, ``packaged``, ``snapshot_date`` (ISO), ``source`` (the official source), ``sha256``,
    ``official``, ``copy``."""
    m = _manifest().get(spec.name)
    if not m or not (PACKAGED_DIR / str(m.get("file", ""))).is_file():
        return None
    return {"bank": spec.bank, "version": m["version"], "packaged": True, "snapshot_date": m["date"],
            "source": m["source"], "entries": m.get("entries"), "excluded": m.get("excluded"),
            "last_inclusion": m.get("last_inclusion"),
            "fetched_at": None, "sha256": m["sha256"], "official": bool(m.get("official")),
            "copy": m.get("copy", ""), "file": str(PACKAGED_DIR / m["file"])}


def snapshot_in_use(spec: ListSpec[Any]) -> dict[str, Any] | None:
    """The packaged snapshot's :func:`packaged_meta` when it is what :func:`load` gives (no version of the
    list is installed), else None."""
    return packaged_meta(spec) if installed_meta(spec) is None else None


def load_packaged(spec: ListSpec[L]) -> tuple[L, dict[str, Any]] | None:
    """The packaged snapshot of the list (parsed) and its provenance, or None when the package has none.

    A snapshot whose bytes are not those the manifest names is refused (ListError), never used."""
    meta = packaged_meta(spec)
    if meta is None:
        return None
    path = Path(meta["file"])
    try:
        data = gzip.decompress(read_file(path))
    except (OSError, EOFError, gzip.BadGzipFile) as e:
        raise ListError(path, "err_snapshot_damaged") from e
    lst = spec.parse(data, str(path))
    if lst.sha256 != meta["sha256"]:
        raise ListError(path, "err_snapshot_mismatch")
    facts = {"version": lst.version, "entries": len(lst.entries), "excluded": len(lst.entries) - len(lst.active),
             "last_inclusion": lst.last_inclusion.isoformat() if lst.last_inclusion else None, **spec.describe(lst)}
    return lst, {**meta, **facts}


def available_meta(spec: ListSpec[Any]) -> dict[str, Any] | None:
    """The installed version's provenance, else the packaged snapshot's (:func:`packaged_meta`), else None."""
    return installed_meta(spec) or packaged_meta(spec)


def snapshot_age(meta: dict[str, Any], today: date | None = None) -> tuple[date, int] | None:
    """(the snapshot's date, its age in days) of a packaged snapshot's provenance; None for an installed list."""
    if not meta.get("packaged") or not meta.get("snapshot_date"):
        return None
    day = date.fromisoformat(str(meta["snapshot_date"]))
    return day, max(0, ((today or date.today()) - day).days)


def install(spec: ListSpec[L], data: bytes, source: str, *, force: bool = False
            ) -> tuple[L, dict[str, Any], dict[str, Any] | None]:
    """Verify and install ``data`` as the current version; the old current becomes previous.

    Returns the list, its provenance and the provenance of the version it replaced.
    """
    lst = spec.parse(data, source)
    old = installed_meta(spec)
    if old and not force and len(lst.entries) < SHRINK_LIMIT * int(old.get("entries", 0)):
        raise UserError("err_list_shrunk", source=source, n=len(lst.entries), installed=old["entries"])
    facts = {
        "bank": spec.bank,
        "version": lst.version,
        "source": source,
        "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "sha256": lst.sha256,
        "entries": len(lst.entries),
        "excluded": len(lst.entries) - len(lst.active),
        "last_inclusion": lst.last_inclusion.isoformat() if lst.last_inclusion else None,
        "notes": lst.notes[:20],
        **spec.describe(lst),
    }
    meta = {k: facts[k] for k in META_ORDER if k in facts} | facts
    d = bank_dir(spec)
    atomic_write(d / f"{lst.sha256}.{meta.get('ext', spec.ext)}", data)
    atomic_write(d / f"{lst.sha256}.json", json.dumps(meta, ensure_ascii=False, indent=1).encode())
    state = _state(spec)
    new_state = {"current": lst.sha256,
                 "previous": state.get("current") if state.get("current") != lst.sha256 else state.get("previous")}
    atomic_write(d / "state.json", json.dumps(new_state).encode())
    return lst, meta, old


# -- getting a version -----------------------------------------------------------------------------


def configured_mirrors(spec: ListSpec[Any], extra: list[str] | None = None) -> list[str]:
    """Mirror URLs: ``extra`` (--mirror), then ``REPOSTGUARD_<NAME>_MIRRORS`` (comma-separated), then
    ``config.json`` in the data dir (at ``spec.mirrors_key``)."""
    out = list(extra or [])
    env = os.environ.get(f"REPOSTGUARD_{spec.name.upper()}_MIRRORS", "")
    out += [u.strip() for u in env.split(",") if u.strip()]
    cfg = data_dir() / "config.json"
    if cfg.exists():
        try:
            conf: Any = json.loads(cfg.read_text("utf-8"))
        except (OSError, json.JSONDecodeError) as e:
            raise UserError("err_config_not_json", path=cfg) from e
        for key in spec.mirrors_key:
            conf = conf.get(key, []) if isinstance(conf, dict) else []
        out += [str(u) for u in conf]
    return out


def fetch(spec: ListSpec[Any], mirror_urls: list[str]) -> tuple[bytes, str, list[Notice | ListError]]:
    """Download the list: the official source, then each mirror; the first that parses wins.

    Returns the bytes, the URL and why the URLs tried before it failed.
    """
    import httpx

    errors: list[Notice | ListError] = []
    official = os.environ.get(f"REPOSTGUARD_{spec.name.upper()}_URL", spec.url or "")
    for url in [u for u in (official, *mirror_urls) if u]:
        try:
            data = spec.download(url)
            spec.parse(data, url)
            return data, url, errors
        except ListError as e:
            errors.append(e)
        except httpx.HTTPStatusError as e:
            errors.append(Notice("err_fetch_status", url=url, status=e.response.status_code))
        except httpx.TimeoutException:
            errors.append(Notice("err_fetch_timeout", url=url))
        except (httpx.HTTPError, OSError):
            errors.append(Notice("err_fetch_network", url=url))
        except ValueError:
            errors.append(Notice("err_fetch_bad_data", url=url))
    if not errors:
        raise UserError("err_list_no_source", name=spec.name)
    if spec.default:
        raise ExternalError("err_list_fetch_failed_default", errors=Listing(errors, " | "))
    raise ExternalError("err_list_fetch_failed", name=spec.name, errors=Listing(errors, " | "))


def update(spec: ListSpec[Any], from_file: Path | None = None, mirrors: list[str] | None = None,
           force: bool = False) -> str:
    """``lists update`` of one list: install from a file or the network; the summary to print."""
    notes: list[Notice | ListError] = []
    if from_file is not None:
        data, source = read_file(from_file), str(Path(from_file).resolve())
    else:
        data, source, notes = fetch(spec, configured_mirrors(spec, mirrors))
    lst, meta, old = install(spec, data, source, force=force)
    return "\n".join(spec.summary(Installed(spec, lst, meta, old, source, notes)))


# -- comparing versions ----------------------------------------------------------------------------


def diff_entries(old: Mapping[K, E], new: Mapping[K, E], *, edited: Callable[[E, E], bool],
                 added: Callable[[E], bool] = lambda _e: True) -> dict[str, list[K]]:
    """Keys added, removed, newly excluded, re-admitted and edited between two versions of a list.

    ``added`` says which new entries count as added; ``edited(old, new)`` compares an entry kept and
    not excluded in the new version.
    """
    return {
        "added": [k for k, e in new.items() if k not in old and added(e)],
        "removed": [k for k in old if k not in new],
        "excluded": [k for k, e in new.items() if k in old and e.excluded and not old[k].excluded],
        "readmitted": [k for k, e in new.items() if k in old and old[k].excluded and not e.excluded],
        "edited": [k for k, e in new.items() if k in old and not e.excluded and edited(old[k], e)],
    }
