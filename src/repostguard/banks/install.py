"""Installing, versioning and comparing the FSM list in the data dir.

Layout under ``<data dir>/lists/fsm/``: each installed version is ``<sha256>.csv`` (the bytes as
fetched) with ``<sha256>.json`` (source, fetch time, sha256, entry count, version); ``state.json``
names the current and previous versions and is replaced atomically, so an interrupted update
leaves the previous list in place. ``lists update`` is one of the program's only network
actions: it fetches the official CSV, then the configured mirrors.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from repostguard.banks.fsm import FsmList, parse_fsm, parse_fsm_bytes
from repostguard.errors import ExternalError, ListError, UserError
from repostguard.paths import atomic_write, data_dir, lists_dir

OFFICIAL_FSM_URL = "https://minjust.gov.ru/uploaded/files/exportfsm.csv"
MAX_DOWNLOAD = 64 * 1024**2
SHRINK_LIMIT = 0.9


def _fsm_dir() -> Path:
    d = lists_dir() / "fsm"
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    return d


def _state() -> dict[str, Any]:
    p = _fsm_dir() / "state.json"
    if not p.exists():
        return {}
    try:
        data: dict[str, Any] = json.loads(p.read_text("utf-8"))
        return data
    except (OSError, json.JSONDecodeError) as e:
        raise UserError(f"{p}: damaged ({e}); run `repostguard lists update` again") from e


def installed_meta(which: str = "current") -> dict[str, Any] | None:
    sha = _state().get(which)
    if not sha:
        return None
    p = _fsm_dir() / f"{sha}.json"
    try:
        meta: dict[str, Any] = json.loads(p.read_text("utf-8"))
        return meta
    except (OSError, json.JSONDecodeError):
        return None


def load_fsm(path: Path | None = None, which: str = "current") -> tuple[FsmList, dict[str, Any]]:
    """The list to scan with: ``path`` if given, else the installed one (UserError if none)."""
    if path is not None:
        lst = parse_fsm(path)
        return lst, {"source": str(path)}
    meta = installed_meta(which)
    if meta is None:
        raise UserError(
            "no Federal List is installed: run `repostguard lists update` (downloads the official list), "
            "or `repostguard lists update --from FILE`, or pass --fsm FILE"
        )
    csv_path = _fsm_dir() / f"{meta['sha256']}.csv"
    return parse_fsm(csv_path), meta


def configured_mirrors(extra: list[str] | None = None) -> list[str]:
    """Mirror URLs: --mirror options, then REPOSTGUARD_FSM_MIRRORS (comma-separated), then config.json."""
    out = list(extra or [])
    env = os.environ.get("REPOSTGUARD_FSM_MIRRORS", "")
    out += [u.strip() for u in env.split(",") if u.strip()]
    cfg = data_dir() / "config.json"
    if cfg.exists():
        try:
            out += [str(u) for u in json.loads(cfg.read_text("utf-8")).get("fsm_mirrors", [])]
        except (OSError, json.JSONDecodeError) as e:
            raise UserError(f"{cfg}: not valid JSON ({e})") from e
    return out


def _download(url: str) -> bytes:
    import httpx

    with httpx.Client(timeout=httpx.Timeout(60.0, connect=15.0), follow_redirects=True,
                      headers={"User-Agent": "repostguard (list update)"}) as client:
        with client.stream("GET", url) as r:
            r.raise_for_status()
            buf = bytearray()
            for chunk in r.iter_bytes():
                buf += chunk
                if len(buf) > MAX_DOWNLOAD:
                    raise ExternalError(f"{url}: larger than {MAX_DOWNLOAD // 1024**2} MB, refused")
            return bytes(buf)


@dataclass
class Fetched:
    data: bytes
    source: str
    errors: list[str]


def fetch_fsm(mirrors: list[str]) -> Fetched:
    """Download the list from the official URL, then each mirror; the first that parses wins."""
    import httpx

    errors: list[str] = []
    official = os.environ.get("REPOSTGUARD_FSM_URL", OFFICIAL_FSM_URL)
    for url in [official, *mirrors]:
        try:
            data = _download(url)
            parse_fsm_bytes(data, url)
            return Fetched(data, url, errors)
        except (httpx.HTTPError, OSError) as e:
            errors.append(f"{url}: {type(e).__name__}: {e}")
        except ListError as e:
            errors.append(str(e))
    raise ExternalError("could not get the list: " + " | ".join(errors) +
                        "; try a mirror (--mirror URL) or a file (--from FILE)")


def install_fsm_bytes(data: bytes, source: str, *, force: bool = False) -> tuple[FsmList, dict[str, Any],
                                                                                  dict[str, Any] | None]:
    """Validate and install ``data`` as the current list; the old current becomes previous."""
    lst = parse_fsm_bytes(data, source)
    old_meta = installed_meta("current")
    if old_meta and not force and len(lst.entries) < SHRINK_LIMIT * int(old_meta.get("entries", 0)):
        raise UserError(
            f"{source}: {len(lst.entries)} entries, far fewer than the installed {old_meta['entries']}; "
            "refusing what looks like a truncated list (use --force to install it anyway)"
        )
    d = _fsm_dir()
    meta = {
        "bank": "fsm",
        "version": lst.version,
        "source": source,
        "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "sha256": lst.sha256,
        "entries": len(lst.entries),
        "excluded": len(lst.entries) - len(lst.active),
        "last_inclusion": lst.last_inclusion.isoformat() if lst.last_inclusion else None,
        "encoding": lst.encoding,
        "repaired_lines": lst.repaired_lines,
        "notes": lst.notes[:20],
    }
    atomic_write(d / f"{lst.sha256}.csv", data)
    atomic_write(d / f"{lst.sha256}.json", json.dumps(meta, ensure_ascii=False, indent=1).encode())
    state = _state()
    new_state = {"current": lst.sha256,
                 "previous": state.get("current") if state.get("current") != lst.sha256 else state.get("previous")}
    atomic_write(d / "state.json", json.dumps(new_state).encode())
    return lst, meta, old_meta


def update_fsm(from_file: Path | None = None, mirrors: list[str] | None = None, force: bool = False) -> str:
    """``lists update``: install from a file or the network; a summary of what changed."""
    if from_file is not None:
        try:
            data = Path(from_file).read_bytes()
        except OSError as e:
            raise ListError(from_file, f"cannot be read ({e.strerror or e})") from e
        source = str(Path(from_file).resolve())
        notes: list[str] = []
    else:
        fetched = fetch_fsm(configured_mirrors(mirrors))
        data, source, notes = fetched.data, fetched.source, fetched.errors
    lst, meta, old_meta = install_fsm_bytes(data, source, force=force)
    lines = [f"installed {meta['version']}: {meta['entries']} entries ({meta['excluded']} excluded), "
             f"last inclusion {meta['last_inclusion']}, sha256 {meta['sha256']}, from {source}"]
    if lst.repaired_lines:
        lines.append(f"note: {lst.repaired_lines} double-encoded lines were repaired")
    if lst.encoding != "windows-1251":
        lines.append(f"note: the file is {lst.encoding}; the official export is windows-1251")
    for n in notes:
        lines.append(f"note: {n}")
    if old_meta and old_meta["sha256"] != meta["sha256"]:
        old_list, _ = load_fsm(None, which="previous")
        d = diff_lists(old_list, lst)
        lines.append(f"since {old_meta['version']}: {len(d['added'])} added, {len(d['excluded'])} newly excluded, "
                     f"{len(d['edited'])} edited, {len(d['removed'])} removed; previous version kept")
    elif old_meta:
        lines.append("the installed list was already this version")
    return "\n".join(lines)



def diff_lists(old: FsmList, new: FsmList) -> dict[str, list[int]]:
    """Entry numbers added, removed, newly excluded, re-admitted and edited between two lists."""
    o, n = old.by_number(), new.by_number()
    added = sorted(k for k in n if k not in o)
    removed = sorted(k for k in o if k not in n)
    excluded = sorted(k for k in n if k in o and n[k].excluded and not o[k].excluded)
    readmitted = sorted(k for k in n if k in o and o[k].excluded and not n[k].excluded)
    edited = sorted(
        k for k in n if k in o and not n[k].excluded and not o[k].excluded
        and " ".join(n[k].text.split()) != " ".join(o[k].text.split())
    )
    return {"added": added, "removed": removed, "excluded": excluded, "readmitted": readmitted, "edited": edited}


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
            raise UserError(f"{meta.get('source')}: no entry {entry}")
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
        ("fetched at", meta.get("fetched_at", "—")),
        ("sha256", lst.sha256),
        ("entries", f"{len(lst.entries)} ({len(lst.entries) - len(lst.active)} excluded, "
                    f"numbers up to {max(e.number for e in lst.entries)})"),
        ("last inclusion", lst.last_inclusion.isoformat() if lst.last_inclusion else "—"),
        ("encoding", lst.encoding),
    ]
    prev = installed_meta("previous") if path is None else None
    if prev:
        rows.append(("previous", f"{prev['version']} ({prev['entries']} entries, fetched {prev['fetched_at']})"))
    return "\n".join(f"{k:15} {v}" for k, v in rows)
