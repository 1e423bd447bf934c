"""Run a plan: back-up check, journal before and after every request, resumable after a kill.

Every request is preceded by an ``intent`` row committed to the store and followed by its
result (``done``, ``gone``, ``denied``, ``not-sent``, ``failed``) with the platform's answer and
the time. A run killed at any moment leaves at most one ``intent`` row per platform without a
result; the next run asks the platform whether that object still exists before sending anything
again, so nothing is deleted twice and nothing is skipped. Deleted items stay in the store with
``items.deleted_at`` set (a tombstone with the date).
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from repostguard.actions._base import DENIED, DONE, GONE, Actioner, Call, Pacer, StopRun
from repostguard.actions.planner import Entry, Plan, backed_up_ids
from repostguard.actions.registry import find, label_of
from repostguard.errors import UserError
from repostguard.i18n import t
from repostguard.store import Store, now_iso

UNRESOLVED = ("intent", "failed")
#: what the run says of an item after the platform's answer
RESULT_KEYS = {DONE: "act_run_done", GONE: "act_run_gone", DENIED: "act_run_denied"}


class Journal:
    """The ``clean_actions`` journal of one run; every write is committed at once."""

    def __init__(self, store: Store, plan_sha256: str) -> None:
        self.conn: sqlite3.Connection = store.conn
        with self.conn:
            cur = self.conn.execute(
                "INSERT INTO clean_runs (started_at, plan_sha256) VALUES (?, ?)", (now_iso(), plan_sha256)
            )
        self.run_id = int(cur.lastrowid or 0)

    def last(self, item_id: str) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute(
            "SELECT * FROM clean_actions WHERE item_id=? AND method NOT LIKE 'probe:%'"
            " ORDER BY id DESC LIMIT 1",
            (item_id,),
        ).fetchone()
        return row

    def intent(self, e: Entry, call: Call) -> int:
        with self.conn:
            cur = self.conn.execute(
                "INSERT INTO clean_actions (run_id, item_id, platform, action, method, target, status,"
                " intent_at)"
                " VALUES (?,?,?,?,?,?, 'intent', ?)",
                (
                    self.run_id,
                    e.item_id,
                    e.platform,
                    e.action,
                    call.method,
                    json.dumps(call.params, sort_keys=True),
                    now_iso(),
                ),
            )
        return int(cur.lastrowid or 0)

    def finish(self, row_id: int, item_id: str, status: str, answer: dict[str, Any]) -> None:
        at = now_iso()
        with self.conn:
            self.conn.execute(
                "UPDATE clean_actions SET status=?, result_at=?, answer=? WHERE id=?",
                (status, at, json.dumps(answer, ensure_ascii=False, default=str)[:4000], row_id),
            )
            if status in (DONE, GONE):
                self.conn.execute(
                    "UPDATE items SET deleted_at=? WHERE id=? AND deleted_at IS NULL", (at, item_id)
                )

    def note(self, e: Entry, method: str, call: Call | None, status: str, answer: dict[str, Any]) -> None:
        """A row with intent and result at once (a probe answer or a refusal: nothing sent)."""
        row = self.intent(e, Call(method, call.params if call else {}))
        self.finish(row, e.item_id, status, answer)

    def end(self, status: str, message: str | None = None) -> None:
        with self.conn:
            self.conn.execute(
                "UPDATE clean_runs SET finished_at=?, status=?, message=? WHERE id=?",
                (now_iso(), status, message, self.run_id),
            )


@dataclass
class RunReport:
    """What a run did and what is online afterwards."""

    done: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)  # found already deleted (answer or probe)
    gone_before: list[str] = field(default_factory=list)  # tombstoned by an earlier run
    denied: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # not backed up
    manual: list[Entry] = field(default_factory=list)
    not_reached: list[str] = field(default_factory=list)
    stopped: dict[str, str] = field(default_factory=dict)
    #: the stop of each platform that stopped (its reason and what the person needs to go on)
    stops: dict[str, StopRun] = field(default_factory=dict)
    online: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report in the current language, one line per count, then one per platform that stopped."""
        out = [
            t("act_report_done", n=len(self.done)),
            t("act_report_gone", n=len(self.gone) + len(self.gone_before)),
            t("act_report_denied", n=len(self.denied)),
            t("act_report_refused", n=len(self.refused)),
            t("act_report_manual", n=len(self.manual)),
            t("act_report_not_reached", n=len(self.not_reached)),
            t("act_report_online", n=len(self.online)),
        ]
        for platform, msg in self.stopped.items():
            out.append(t("act_report_stopped", platform=label_of(platform), reason=msg))
        return out


def archive_owner(store: Store, platform: str) -> str | None:
    """The account the imported archive belongs to, as far as the items tell (the platform's own
    owner detection; None for a platform without one)."""
    declared = find(platform)
    if declared is None or declared.owner is None:
        return None
    return declared.owner(store)


def check_account(store: Store, actioner: Actioner, given: str | None = None) -> str:
    """Refuse credentials of another account than the archive's owner; return the account id."""
    acct = actioner.account_id()
    owner = given or archive_owner(store, actioner.platform)
    if owner is None:
        raise UserError("act_owner_unknown", platform=label_of(actioner.platform),
                        option=f"--account {actioner.platform}={acct}")
    if str(owner) != str(acct):
        raise UserError("act_other_account", platform=label_of(actioner.platform), account=acct, owner=owner)
    return acct


def run_plan(
    store: Store,
    plan: Plan,
    actioners: Mapping[str, Actioner],
    *,
    pacer: Pacer | None = None,
    echo: Callable[[str], None] | None = None,
    listen: Callable[[str, int, int | None], None] | None = None,
) -> RunReport:
    """Execute ``plan`` through ``actioners`` (platform -> client); return the report.

    ``listen`` hears ``("cleaning", entries handled, entries in all)`` before each entry and at the
    end; it may raise to stop the run there (the app's pause): nothing is in flight at that moment.
    """
    pacer = pacer or Pacer()
    journal = Journal(store, plan.sha256())
    rep = RunReport()
    backed = backed_up_ids(store)
    tomb = store.deleted_ids()
    say = echo or (lambda s: None)
    hear = listen or (lambda stage, done, total: None)
    try:
        for n, e in enumerate(plan.entries):
            hear("cleaning", n, len(plan.entries))
            if e.item_id in tomb:
                rep.gone_before.append(e.ref)
                continue
            act = actioners.get(e.platform)
            row = store.conn.execute("SELECT * FROM items WHERE id=?", (e.item_id,)).fetchone()
            if row is None:
                raise UserError("act_run_item_missing", ref=e.ref, command="repostguard clean plan")
            call = act.prepare(store.row_to_item(row), e.action) if act else None
            if act is None or call is None:
                rep.manual.append(e)
                continue
            if e.platform in rep.stopped:
                rep.not_reached.append(e.ref)
                continue
            try:
                last = journal.last(e.item_id)
                if last is not None and last["status"] in UNRESOLVED:
                    # an earlier attempt may have reached the platform: ask before sending again
                    if not act.exists(call):
                        journal.note(
                            e,
                            f"probe:{call.method}",
                            call,
                            GONE,
                            {"probe": "not found after an interrupted attempt"},
                        )
                        rep.gone.append(e.ref)
                        say(t("act_run_gone", ref=e.ref))
                        continue
                if e.action == "delete" and e.item_id not in backed:
                    journal.note(e, call.method, call, "refused", {"reason": "not backed up"})
                    rep.refused.append(e.ref)
                    continue
                pacer.wait()
                rid = journal.intent(e, call)
                try:
                    res = act.execute(call)
                except StopRun as s:
                    journal.finish(rid, e.item_id, "failed" if s.maybe_sent else "not-sent", s.answer)
                    raise
                journal.finish(rid, e.item_id, res.status, res.answer)
                {DONE: rep.done, GONE: rep.gone}.get(res.status, rep.denied).append(e.ref)
                say(t(RESULT_KEYS.get(res.status, "act_run_denied"), ref=e.ref))
            except StopRun as s:
                rep.stopped[e.platform] = str(s)
                rep.stops[e.platform] = s
                rep.not_reached.append(e.ref)
                say(t("act_report_stopped", platform=label_of(e.platform), reason=s))
        hear("cleaning", len(plan.entries), len(plan.entries))
    except BaseException:
        journal.end("stopped", "interrupted")
        raise
    gone_now = store.deleted_ids()
    rep.online = [e.ref for e in plan.entries if e.action == "delete" and e.item_id not in gone_now]
    journal.end("stopped" if rep.stopped else "finished", "; ".join(rep.stopped.values()) or None)
    return rep


@contextmanager
def run_lock(db: Path) -> Iterator[None]:
    """Hold an exclusive lock for one ``clean run`` on this workspace (released even on a kill)."""
    lock = db.with_name(db.name + ".clean-lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if not _try_lock(fd):
            raise UserError("act_run_locked", path=db)
        yield
    finally:
        os.close(fd)


def _try_lock(fd: int) -> bool:
    """Lock the open file ``fd`` for this process without waiting; False if another one holds it.

    The system drops the lock when the file is closed or the process ends, however it ends:
    ``flock`` on POSIX systems, ``msvcrt.locking`` (of the file's first byte) on Windows.
    """
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def status_rows(store: Store) -> list[sqlite3.Row]:
    """Per item in the journal: its last status and whether it is gone (for ``clean status``)."""
    return list(
        store.conn.execute(
            "SELECT i.ref, i.platform, i.deleted_at, a.status, a.method, a.result_at, a.answer"
            " FROM clean_actions a JOIN items i ON i.id=a.item_id"
            " WHERE a.id IN (SELECT max(id) FROM clean_actions GROUP BY item_id) ORDER BY i.platform, i.ref"
        )
    )
