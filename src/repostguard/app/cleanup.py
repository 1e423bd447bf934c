"""The clean-up in the app: the backup, the platform access held in memory, the run as a background
job that pauses, resumes and stops for what only the person can do.

What is kept where:

- in the workspace (survives a restart): decisions, the plan made from them, the backups' index,
  the journal of every request (:mod:`repostguard.actions.runner`), ticks, and the time VK's daily
  limit lifts (the workspace's settings);
- in this process's memory only: the access (the token and the account it belongs to), the
  captcha waiting for an answer, the last stop. A restart therefore asks for the access again; the
  journal makes the next run ask VK about an interrupted request before sending anything again.

The passphrase is used while the backup is written and dropped; the token lives in the client object
only. Neither is written to disk, a log line or a page.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from repostguard.actions._base import Pacer, StopRun
from repostguard.actions.backup import backup_items
from repostguard.actions.planner import Plan, backed_up_ids, build_plan
from repostguard.actions.runner import RunReport, archive_owner, run_lock, run_plan
from repostguard.actions.vk import VkClient
from repostguard.actions.vk_token import AddressError, grant_from_address
from repostguard.app.intake import Refused
from repostguard.app.jobs import Busy, Cancelled, Job, Jobs
from repostguard.store import Store, now_iso
from repostguard.store.settings import read_settings, write_setting

#: the setting that keeps, per platform, when its daily limit lifts (UTC, ISO 8601)
RETRY_KEY = "clean_retry_after"
#: how long a flood-control stop lasts before the page suggests coming back
FLOOD_PAUSE = timedelta(hours=24)
#: the shortest passphrase accepted for a backup
MIN_PASSPHRASE = 8
#: the platforms whose access the page takes (the others go to the checklist, or to ``clean run``)
PAGE_PLATFORMS = ("vk",)


@dataclass
class Access:
    """A platform access given in the page: the client (it holds the token) and whose it is."""

    platform: str
    client: VkClient = field(repr=False)
    account: str
    name: str
    owner: str | None  # the archive's owner as the items tell, None when they do not
    confirmed: bool = False
    since: str = field(default_factory=now_iso)


@dataclass
class Stop:
    """Why the last run stopped, for the page: the reason (:data:`repostguard.actions._base.STOP_REASONS`),
    VK's message and what the person needs to go on (a captcha's id and picture address)."""

    platform: str
    reason: str
    message: str
    detail: dict[str, str] = field(default_factory=dict)
    at: str = field(default_factory=now_iso)


class CleanUp:
    """The clean-up of one workspace, driven by the page (:mod:`repostguard.app.cleanpage`).

    ``pace`` and ``jitter``: the wait between two deletions is ``pace`` plus up to ``jitter`` seconds
    at random (1-3 s by default, as VK clean-up tools do); ``log2_n`` the backup's scrypt cost.
    """

    def __init__(self, db: Path, jobs: Jobs, *, pace: float = 1.0, jitter: float = 2.0,
                 log2_n: int | None = None, client: Callable[[str], VkClient] = VkClient) -> None:
        self.db = db
        self.jobs = jobs
        self.pace = pace
        self.jitter = jitter
        self.log2_n = log2_n
        self.client = client
        self.access: dict[str, Access] = {}
        self.stop: Stop | None = None
        self.closed: dict[str, bool] = {}  # the end check: platform -> the access no longer works
        self.backup_note: dict[str, Any] = {}
        self._lock = threading.Lock()

    # -- what the page reads ---------------------------------------------------------------------

    def plan(self, store: Store) -> Plan:
        return build_plan(store)

    def retry_after(self) -> dict[str, str]:
        """Per platform, when its daily limit lifts (only the ones still in the future)."""
        value = read_settings(self.db).get(RETRY_KEY)
        now = datetime.now(UTC)
        out: dict[str, str] = {}
        for platform, when in (value.items() if isinstance(value, dict) else []):
            try:
                if datetime.fromisoformat(str(when)) > now:
                    out[str(platform)] = str(when)
            except ValueError:
                continue
        return out

    def running(self) -> bool:
        job = self.jobs.current
        return job is not None and job.kind == "clean" and job.state == "running"

    # -- the backup ------------------------------------------------------------------------------

    def backup(self, passphrase: str, again: str) -> dict[str, Any]:
        """Back up every planned deletion not backed up yet, under ``passphrase`` (then dropped)."""
        if len(passphrase) < MIN_PASSPHRASE:
            raise Refused("clean_refuse_short", n=MIN_PASSPHRASE)
        if passphrase != again:
            raise Refused("clean_refuse_mismatch")
        if self.jobs.running():
            raise Refused("app_refuse_busy")
        with Store.open(self.db) as store:
            plan = build_plan(store)
            backed = backed_up_ids(store)
            gone = store.deleted_ids()
            todo = [e.item_id for e in plan.entries
                    if e.action == "delete" and e.item_id not in backed and e.item_id not in gone]
            if not todo:
                return {"items": 0}
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            path = self.db.parent / "backups" / f"backup-{stamp}.rgbk"
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if self.log2_n:
                n = backup_items(store, todo, path, passphrase, log2_n=self.log2_n)
            else:
                n = backup_items(store, todo, path, passphrase)
        self.backup_note = {"items": n, "file": str(path), "at": now_iso()}
        return self.backup_note

    # -- the access ------------------------------------------------------------------------------

    def connect(self, platform: str, pasted: str) -> Access:
        """Take the token out of what the person pasted, ask VK whose it is, keep it (unconfirmed)."""
        if platform not in PAGE_PLATFORMS:
            raise Refused("clean_refuse_platform")
        if self.running():
            raise Refused("app_refuse_busy")
        try:
            grant = grant_from_address(pasted)
        except AddressError as e:
            raise Refused(f"clean_paste_{e.code}", detail=e.detail) from None
        client = self.client(grant.token)
        try:
            account, name = client.whoami()
        except StopRun as s:
            raise Refused("clean_refuse_rejected" if s.reason == "token" else "clean_refuse_unreachable",
                          detail=str(s)) from None
        if grant.user_id and grant.user_id != account:
            raise Refused("clean_refuse_rejected", detail="user_id")
        with Store.open(self.db) as store:
            owner = archive_owner(store, platform)
        if owner is not None and owner != account:
            raise Refused("clean_refuse_other_account", account=account, owner=owner)
        with self._lock:
            self.access[platform] = Access(platform, client, account, name, owner)
            self.closed.pop(platform, None)
            if self.stop is not None and self.stop.platform == platform and self.stop.reason == "token":
                self.stop = None
        return self.access[platform]

    def confirm(self, platform: str) -> None:
        acc = self.access.get(platform)
        if acc is None:
            raise Refused("clean_refuse_no_access")
        acc.confirmed = True

    def forget(self, platform: str) -> None:
        """Drop the access from memory (the person said it is not their account, or is done)."""
        if self.running():
            raise Refused("app_refuse_busy")
        with self._lock:
            self.access.pop(platform, None)

    def check_closed(self, platform: str) -> bool:
        """Whether the access no longer works (after ending all sessions); when so, it is forgotten."""
        acc = self.access.get(platform)
        if acc is None:
            raise Refused("clean_refuse_no_access")
        try:
            acc.client.whoami()
        except StopRun as s:
            if s.reason != "token":
                raise Refused("clean_refuse_unreachable", detail=str(s)) from None
            with self._lock:
                self.access.pop(platform, None)
            self.closed[platform] = True
            return True
        self.closed[platform] = False
        return False

    # -- the run ---------------------------------------------------------------------------------

    def answer_captcha(self, key: str, label: str) -> Job:
        """Go on after a captcha: with the characters of VK's picture (``key``), or, for VK's newer
        check page, after the person passed it in their browser (no key)."""
        stop = self.stop
        if stop is None or stop.reason != "captcha" or not (key.strip() or stop.detail.get("page")):
            raise Refused("clean_refuse_captcha")
        acc = self.access.get(stop.platform)
        if acc is None:
            raise Refused("clean_refuse_no_access")
        if key.strip():
            acc.client.answer_captcha(stop.detail.get("sid", ""), key)
        return self.start(label, anyway=True)

    def start(self, label: str, *, anyway: bool = False) -> Job:
        """Start (or continue) the run in the background: every confirmed access, paced. Before a
        platform's daily limit lifts only with ``anyway`` (the person chose to try)."""
        actioners = {p: a.client for p, a in self.access.items() if a.confirmed}
        if not actioners:
            raise Refused("clean_refuse_no_access")
        if not anyway and set(self.retry_after()) & set(actioners):
            raise Refused("clean_refuse_flood")
        with Store.open(self.db) as store:
            plan = self._api_plan(store, set(actioners))
            if not plan.entries:
                raise Refused("clean_refuse_nothing")
            backed = backed_up_ids(store)
            if any(e.action == "delete" and e.item_id not in backed for e in plan.entries):
                raise Refused("clean_refuse_backup")
        self.stop = None

        def work(job: Job) -> dict[str, Any]:
            def pausable(seconds: float) -> None:
                if job.cancel.wait(seconds):
                    raise Cancelled  # paused while waiting: nothing was sent

            job.listen("cleaning", 0, None)
            with run_lock(self.db), Store.open(self.db) as store:
                rep = run_plan(store, self._api_plan(store, set(actioners)), actioners,
                               pacer=Pacer(self.pace, self.jitter, sleep=pausable), listen=job.listen)
            return self._after(rep)

        try:
            return self.jobs.clean(label, work)
        except Busy as e:
            raise Refused("app_refuse_busy") from e

    def pause(self) -> bool:
        return self.running() and self.jobs.cancel()

    @staticmethod
    def _api_plan(store: Store, platforms: set[str]) -> Plan:
        plan = build_plan(store)
        gone = store.deleted_ids()
        plan.entries = [e for e in plan.entries
                        if e.route == "api" and e.platform in platforms and e.item_id not in gone]
        return plan

    def _after(self, rep: RunReport) -> dict[str, Any]:
        """Keep what the page needs from a finished or stopped run."""
        for platform, s in rep.stops.items():
            self.stop = Stop(platform, s.reason, _said(s), dict(s.detail))
            if s.reason == "token":
                with self._lock:
                    self.access.pop(platform, None)
            if s.reason == "flood":
                retry = read_settings(self.db).get(RETRY_KEY)
                retry = dict(retry) if isinstance(retry, dict) else {}
                retry[platform] = (datetime.now(UTC) + FLOOD_PAUSE).isoformat(timespec="seconds")
                write_setting(self.db, RETRY_KEY, retry)
        if not rep.stops and self.retry_after():
            write_setting(self.db, RETRY_KEY, {})
        return {
            "done": len(rep.done), "gone": len(rep.gone) + len(rep.gone_before), "denied": len(rep.denied),
            "refused": len(rep.refused), "not_reached": len(rep.not_reached), "online": len(rep.online),
            "stopped": {p: s.reason for p, s in rep.stops.items()},
        }


def _said(stop: StopRun) -> str:
    """What the platform itself answered (its message and code), else the stop's own first words."""
    msg, code = stop.answer.get("error_msg"), stop.answer.get("error_code")
    if msg:
        return f"{msg} ({code})" if code else str(msg)
    return str(stop)


__all__ = ["Access", "CleanUp", "Stop", "PAGE_PLATFORMS", "RETRY_KEY"]
