"""Re-checking the stored history against what the lists' changes bring, and monthly reminders.

``repostguard lists update`` installs new list versions; ``repostguard recheck`` then, for each
installed list (the FSM and the three organisation lists):

1. finds the version the history was last checked against: the ``recheck_state`` table, else the
   version of the last scan (``scans``/``lists``), whose entries the store kept (``list_entries``);
2. diffs that version's entries with the current ones *by entry* (lists are edited in place):
   added, edited and re-admitted entries are *changed*; excluded or removed ones are *dropped*;
3. matches the stored items against the changed entries only: a cheap Aho-Corasick prefilter over
   their quotes, links and names picks candidate items, and the full matcher of the current list
   verifies just those (so results are the same as a full scan's), keeping findings of changed
   entries that were not already known;
4. deletes the findings of dropped entries (reported as no longer listed), stores the new ones and
   records the checked version.

It reports only what is new, in the findings JSON format of ``scan`` (:func:`repostguard.pipeline.scan.finding_dict`).
No network access; nothing runs in the background: :func:`reminder_text` and :func:`write_ics`
give the person a monthly schedule to run it themselves.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from repostguard.errors import UserError
from repostguard.matchers.base import ListBank, Matcher
from repostguard.matchers.kinds import LIST_KINDS
from repostguard.matchers.normalize import compact
from repostguard.matchers.pieces import NAME_MARK, PieceFinder, piece_finder
from repostguard.model import Finding, Item
from repostguard.paths import atomic_write, cache_dir, usable_cpus
from repostguard.pipeline.progress import ProgressListener, Teller
from repostguard.pipeline.scan import finding_dict, suppressions, write_json_atomic
from repostguard.store import Store, now_iso

PARALLEL_FROM = 20_000
CACHE_FORMAT = ":2"  # bump when item_compact changes: cached rows of another format are recomputed


@dataclass
class BankChange:
    """What changed in one bank since the last check, and what it brought."""

    bank: str
    from_version: str | None
    to_version: str
    changed: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    new_findings: int = 0
    dropped_findings: int = 0
    full: bool = False
    candidates: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "bank": self.bank,
            "from": self.from_version,
            "to": self.to_version,
            "changed": len(self.changed),
            "dropped": len(self.dropped),
            "new_findings": self.new_findings,
            "dropped_findings": self.dropped_findings,
            "full_check": self.full,
            "candidate_items": self.candidates,
        }


@dataclass
class RecheckSummary:
    """The result of one recheck run."""

    banks: list[BankChange] = field(default_factory=list)
    items: int = 0
    findings: list[dict[str, Any]] = field(default_factory=list)
    dropped: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    json_out: Path | None = None

    def lines(self) -> list[str]:
        out = []
        for b in self.banks:
            since = f"since {b.from_version}" if b.from_version else "first check"
            if not b.changed and not b.dropped and not b.full:
                out.append(f"{b.bank}: {b.to_version}: no changes {since}")
                continue
            out.append(
                f"{b.bank}: {b.to_version} ({since}): {len(b.changed)} new or edited entries, "
                f"{len(b.dropped)} excluded; {b.new_findings} new findings, "
                f"{b.dropped_findings} findings no longer listed"
            )
        line = (
            f"rechecked {self.items} items in {self.seconds:.1f} s: {len(self.findings)} new findings, "
            f"{len(self.dropped)} no longer listed"
        )
        if self.json_out:
            line += f"; written to {self.json_out}"
        out.append(line)
        return out


# -- what to check ---------------------------------------------------------------------------------


def _baseline(store: Store, b: ListBank) -> str | None:
    bank, current = b.bank, b.version
    row = store.conn.execute("SELECT list_version FROM recheck_state WHERE bank=?", (bank,)).fetchone()
    if row:
        return str(row[0])
    if b.kind.baseline_from_scans:
        row = store.conn.execute(
            "SELECT list_version FROM scans WHERE bank=? AND finished_at IS NOT NULL "
            "ORDER BY id DESC LIMIT 1", (bank,)
        ).fetchone()
        return str(row[0]) if row else None
    row = store.conn.execute(
        "SELECT version FROM lists WHERE bank=? AND version<>? ORDER BY id DESC LIMIT 1", (bank, current)
    ).fetchone()
    if row is None:
        row = store.conn.execute(
            "SELECT version FROM lists WHERE bank=? ORDER BY id DESC LIMIT 1", (bank,)
        ).fetchone()
    return str(row[0]) if row else None


def _diff(store: Store, b: ListBank, baseline: str | None) -> tuple[list[str], list[str], bool]:
    """(changed entries, dropped entries, full) between the stored baseline entries and ``b``."""
    active_now = {r[0]: r[1] for r in b.rows if not r[3]}
    if baseline is None:
        return list(active_now), [], True
    old = {
        r[0]: (r[1], bool(r[2]))
        for r in store.conn.execute(
            "SELECT entry, text, excluded FROM list_entries WHERE bank=? AND version=?", (b.bank, baseline)
        )
    }
    if not old:
        return list(active_now), [], True
    changed = [k for k, text in active_now.items() if k not in old or old[k][1] or old[k][0] != text]
    dropped = [k for k, (_t, exc) in old.items() if not exc and k not in active_now]
    return changed, dropped, False


# -- candidate prefilter -----------------------------------------------------------------------------


def item_compact(item: Item) -> str:
    """Everything matchers read of an item, in :func:`compact` form (cached per item in ``recheck_text``)."""
    return _compact_parts(
        item.text,
        [a.to_dict() for a in item.attachments],
        item.reposted_from.to_dict() if item.reposted_from else None,
        item.url,
    )


def _compact_parts(text: str, atts: list[dict[str, Any]], rf: dict[str, Any] | None, url: str | None) -> str:
    """The compact text of an item, then ``NAME_MARK``-delimited names (audio titles, repost source)."""
    names = [compact(str(a["title"])) for a in atts if a.get("title")]
    names += [compact(f"{a['artist']} {a.get('title') or ''}") for a in atts if a.get("artist")]
    if rf and rf.get("name"):
        names.append(compact(str(rf["name"])))
    parts = [text or ""]
    for a in atts:
        if a.get("artist"):  # audio is matched as "performer – title"
            parts.append(f"{a['artist']} {a.get('title') or ''}")
        for k in ("title", "url"):
            if a.get(k):
                parts.append(str(a[k]))
        ocr = (a.get("extra") or {}).get("ocr_text") or a.get("ocr_text")
        if ocr:
            parts.append(str(ocr))
    if rf:
        parts += [str(rf.get("name") or ""), str(rf.get("url") or "")]
    if url:
        parts.append(url)
    return compact(" ".join(parts)) + NAME_MARK + NAME_MARK.join(n for n in names if n) + NAME_MARK


class _Compacts:
    """Every item's compact text, from the ``recheck_text`` cache or computed (and cached) for items that
    changed. A large batch (the first recheck of a big store) is computed by worker processes while
    this process builds the matchers: call :meth:`result` when they are needed."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.ids: list[str] = []
        self.texts: list[str] = []
        self.stale: list[tuple[Any, ...]] = []
        # keyed by the item's rowid (appending integer keys is far cheaper than random text keys); the
        # item id and content hash are checked too, so a renumbered or changed item is recomputed
        rows = store.conn.execute(
            "SELECT i.rowid, i.id, i.content_hash, c.item_id, c.content_hash, c.compact, i.text,"
            " i.attachments, i.reposted_from, i.url FROM items i"
            " LEFT JOIN recheck_text c ON c.item_rowid = i.rowid WHERE i.deleted_at IS NULL ORDER BY i.rowid"
        )
        for rowid, iid, h0, cid, ch, comp, text, atts, rf, url in rows:
            h = h0 + CACHE_FORMAT
            if ch != h or cid != iid or comp is None:
                self.stale.append((len(self.ids), rowid, iid, h, text, atts, rf, url))
                comp = ""
            self.ids.append(iid)
            self.texts.append(comp)
        self._pool: Any = None
        self._async: Any = None
        workers = min(usable_cpus(), 4)
        if len(self.stale) >= PARALLEL_FROM and workers >= 2:
            import multiprocessing

            size = -(-len(self.stale) // (workers * 2))
            chunks = [self.stale[i : i + size] for i in range(0, len(self.stale), size)]
            try:
                self._pool = multiprocessing.get_context("fork").Pool(workers)
                self._async = self._pool.map_async(_compact_rows, chunks)
            except (OSError, ValueError):  # no fork or no processes here: compute in this process
                self._pool = self._async = None

    def result(self) -> tuple[list[str], list[str]]:
        """(item ids, compact texts), writing the newly computed ones to the cache."""
        if not self.stale:
            return self.ids, self.texts
        if self._async is not None:
            try:
                computed = [c for part in self._async.get() for c in part]
            finally:
                self._pool.close()
                self._pool.join()
        else:
            computed = _compact_rows(self.stale)
        upd: list[tuple[int, str, str, str]] = []
        for (pos, rowid, iid, h, *_rest), comp in zip(self.stale, computed, strict=True):
            self.texts[pos] = comp
            upd.append((rowid, iid, h, comp))
        with self.store.conn:
            self.store.conn.executemany(
                "INSERT OR REPLACE INTO recheck_text (item_rowid, item_id, content_hash, compact)"
                " VALUES (?,?,?,?)",
                upd,
            )
        self.stale = []
        return self.ids, self.texts


def _compact_rows(rows: list[tuple[Any, ...]]) -> list[str]:
    import json

    return [
        _compact_parts(
            text, json.loads(atts) if atts and atts != "[]" else [], json.loads(rf) if rf else None, url
        )
        for *_head, text, atts, rf, url in rows
    ]


def candidates(ids: list[str], texts: list[str], auto: PieceFinder) -> set[str]:
    """Ids of the items whose compact text holds any piece (one pass over all texts)."""
    from bisect import bisect_right
    from itertools import accumulate

    encoded = [t.encode() for t in texts]
    big = b"\x00".join(encoded)
    starts = [0, *accumulate(len(e) + 1 for e in encoded)][: len(texts)]  # each text's first byte
    out: set[str] = set()
    for _piece, start in auto.find(big):
        out.add(ids[bisect_right(starts, start) - 1])
    return out


# -- the run ---------------------------------------------------------------------------------------------


def run_recheck(db: Path, *, json_out: Path | None = None, progress: bool = False,
                listen: ProgressListener | None = None) -> RecheckSummary:
    """Recheck the store at ``db`` against the installed lists' changes since the last check.

    ``listen`` hears the stage ``recheck`` and the candidate items verified (of how many)."""
    t0 = time.perf_counter()
    banks = [b for kind in LIST_KINDS for b in kind.installed()]
    if not banks:
        raise UserError("err_no_list_installed")
    summary = RecheckSummary()
    with Store.open(db) as store:
        summary.items = store.count_items()
        suppressed = suppressions(store)
        plans: list[tuple[ListBank, BankChange]] = []
        for b in banks:
            baseline = _baseline(store, b)
            row = store.conn.execute(
                "SELECT matcher_version FROM recheck_state WHERE bank=?", (b.bank,)
            ).fetchone()
            if row is not None and row[0] != b.matcher_version:
                baseline = None  # the matcher changed since the last check: check every entry again
            if baseline == b.version:
                changed: list[str] = []
                dropped: list[str] = []
                full = False
            else:
                changed, dropped, full = _diff(store, b, baseline)
            plans.append((b, BankChange(b.bank, baseline, b.version, changed, dropped, full=full)))
            store.record_list(b.bank, b.version, b.sha256, len(b.rows), b.source, b.fetched_at)
            store.save_list_entries(b.bank, b.version, b.rows)
        # findings of entries that are no longer listed
        with store.conn:
            for b, ch in plans:
                for i in range(0, len(ch.dropped), 500):
                    chunk = ch.dropped[i : i + 500]
                    marks = ",".join("?" * len(chunk))
                    rows = store.conn.execute(
                        f"SELECT f.item_id, f.entry, i.ref FROM findings f JOIN items i ON i.id=f.item_id "
                        f"WHERE f.bank=? AND f.entry IN ({marks})",
                        [b.bank, *chunk],
                    ).fetchall()
                    summary.dropped += [
                        {
                            "item": r[2],
                            "bank": b.bank,
                            "entry": _entry_out(r[1]),
                            "reason": "no longer listed",
                        }
                        for r in rows
                    ]
                    ch.dropped_findings += len(rows)
                    store.conn.execute(
                        f"DELETE FROM findings WHERE bank=? AND entry IN ({marks})", [b.bank, *chunk]
                    )
        work = [(b, ch) for b, ch in plans if ch.changed]
        if work:
            _match_changed(store, work, suppressed, summary, cache_dir(), listen)
        with store.conn:
            for b, ch in plans:
                store.conn.execute(
                    "INSERT OR REPLACE INTO recheck_state (bank, list_version, list_sha256, matcher_version, "
                    "checked_at) VALUES (?,?,?,?,?)",
                    (b.bank, b.version, b.sha256, b.matcher_version, now_iso()),
                )
                store.conn.execute(
                    "INSERT INTO recheck_runs (run_at, bank, from_version, to_version, added, excluded, "
                    "edited, "
                    "new_findings, dropped_findings) VALUES (?,?,?,?,?,?,?,?,?)",
                    (
                        now_iso(),
                        b.bank,
                        ch.from_version,
                        b.version,
                        len(ch.changed),
                        len(ch.dropped),
                        0,
                        ch.new_findings,
                        ch.dropped_findings,
                    ),
                )
        summary.banks = [ch for _b, ch in plans]
    summary.seconds = time.perf_counter() - t0
    if json_out is not None:
        write_json_atomic(
            json_out,
            {
                "tool": "repostguard",
                "recheck": {"banks": [c.to_dict() for c in summary.banks], "checked_at": now_iso()},
                "counts": {
                    "items": summary.items,
                    "findings": len(summary.findings),
                    "dropped": len(summary.dropped),
                },
                "findings": summary.findings,
                "dropped": summary.dropped,
            },
        )
        summary.json_out = json_out
    return summary


def _entry_out(e: str) -> int | str:
    return int(e) if e.isdigit() else e


def _match_changed(
    store: Store,
    work: list[tuple[ListBank, BankChange]],
    suppressed: set[tuple[str, str, str]],
    summary: RecheckSummary,
    cache: Path | None,
    listen: ProgressListener | None = None,
) -> None:
    """Match the changed entries of each bank: prefilter candidates in one pass, verify them only."""
    compacts = _Compacts(store)  # starts computing what the cache lacks while the matchers are built
    checks: list[tuple[ListBank, BankChange, Matcher, set[str]]] = []
    pieces: dict[str, set[str]] = {}
    everything = False
    for b, ch in work:
        wanted = set(ch.changed)
        matcher, ps = b.kind.verifier(b, wanted, ch.full, cache)
        checks.append((b, ch, matcher, wanted))
        everything = everything or ch.full
        for p in ps:
            pieces.setdefault(p, set()).add(b.bank)
    ids, texts = compacts.result()
    auto = None if everything else piece_finder(list(pieces), min_len=3)
    cand = set(ids) if everything else (candidates(ids, texts, auto) if auto is not None else set())
    known = {(r[0], r[1], r[2]) for r in store.conn.execute("SELECT item_id, bank, entry FROM findings")}
    new: dict[str, list[Finding]] = {b.bank: [] for b, _c in work}
    order = {iid: i for i, iid in enumerate(ids)}
    teller = Teller(listen, "recheck", len(cand)) if listen is not None else None
    for item in store.iter_items(ids=sorted(cand, key=order.__getitem__)):
        if teller is not None:
            teller.step()
        for _b, ch, matcher, wanted in checks:
            ch.candidates += 1
            for f in matcher.match(item):
                key = (f.item_id, f.bank, f.entry)
                if f.entry not in wanted or key in known or key in suppressed:
                    continue
                known.add(key)
                new[f.bank].append(f)
                summary.findings.append(finding_dict(f, item, store))  # with its legal context
    for b, ch in work:
        fs = new.get(b.bank, [])
        ch.new_findings = len(fs)
        if fs:
            scan_id = store.start_scan(b.bank, b.version, b.sha256, b.matcher_version)
            # only findings not stored yet (see ``known``): adding them replaces nothing
            store.save_findings(scan_id, b.bank, [], fs, b.matcher_version, summary.items)


# -- reminders -----------------------------------------------------------------------------------------


def schedule(start: date | None = None, months: int = 12, day: int = 1) -> list[date]:
    """Monthly re-check dates: the ``day`` of each of the next ``months`` months."""
    start = start or date.today()
    out: list[date] = []
    y, m = start.year, start.month
    for _ in range(months):
        m += 1
        if m > 12:
            y, m = y + 1, 1
        out.append(date(y, m, min(day, 28)))
    return out


REMIND_STEPS_RU = "repostguard lists update && repostguard recheck"
REMIND_TEXT_RU = (
    "Проверьте историю заново: обновите списки и запустите повторную проверку "
    f"({REMIND_STEPS_RU}). Списки пополняются и правятся; запись, которая была безопасной, "
    "могла попасть под новый пункт."
)
REMIND_TEXT_EN = (
    "Re-check your history: update the lists and run the re-check "
    f"({REMIND_STEPS_RU}). The lists grow and are edited; a post that was harmless may now match."
)


def reminder_text(dates: list[date], lang: str = "ru") -> str:
    """The schedule as text for the terminal."""
    head = (
        "Напоминание о ежемесячной проверке (фоновых процессов нет — запускайте сами):"
        if lang == "ru"
        else "Monthly re-check schedule (nothing runs in the background: run it yourself):"
    )
    body = REMIND_TEXT_RU if lang == "ru" else REMIND_TEXT_EN
    return "\n".join([head, *[f"  {d.isoformat()}" for d in dates], "", body])


def _ics_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace(";", r"\;").replace(",", r"\,").replace("\n", r"\n")


def _fold(line: str) -> str:
    """Fold an iCalendar content line at 75 octets (RFC 5545 3.1)."""
    out, cur = [], b""
    for ch in line:
        b = ch.encode()
        if len(cur) + len(b) > 75:
            out.append(cur.decode())
            cur = b" "
        cur += b
    out.append(cur.decode())
    return "\r\n".join(out)


def ics_text(dates: list[date], lang: str = "ru", stamp: datetime | None = None) -> str:
    """An iCalendar file with one all-day event per date and a same-day alarm."""
    stamp = stamp or datetime.now(UTC)
    summary = "repostguard: ежемесячная проверка" if lang == "ru" else "repostguard: monthly re-check"
    desc = REMIND_TEXT_RU if lang == "ru" else REMIND_TEXT_EN
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//repostguard//remind//RU", "CALSCALE:GREGORIAN"]
    for d in dates:
        lines += [
            "BEGIN:VEVENT",
            f"UID:repostguard-recheck-{d.isoformat()}@repostguard.local",
            f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
            f"DTSTART;VALUE=DATE:{d:%Y%m%d}",
            f"DTEND;VALUE=DATE:{d + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_ics_escape(summary)}",
            f"DESCRIPTION:{_ics_escape(desc)}",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{_ics_escape(summary)}",
            "TRIGGER:PT9H",
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(x) for x in lines) + "\r\n"


def write_ics(path: Path, dates: list[date], lang: str = "ru") -> None:
    """Write the schedule as an iCalendar file (atomically, owner-only)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, ics_text(dates, lang).encode("utf-8"))


__all__ = [
    "run_recheck",
    "RecheckSummary",
    "BankChange",
    "schedule",
    "reminder_text",
    "ics_text",
    "write_ics",
]
