"""Benchmark of ``recheck``: a list update touching 300 entries, on a 100,000-item store.

Builds, in a temporary data dir: an "old" FSM list (the 2025-07-09 official export with 250 of its
active entries removed and 50 edited), a store of N items (the texts of shared/bench/dev cycled,
with fresh ids; they quote real list entries), marks the store as checked against the old list
(as a scan or recheck would have), installs the real 2025 list (plus the three organisation
lists, unchanged) and times ``run_recheck`` — cold: no FSM index is cached yet, as right after
``lists update``. Prints items/s, the changed-entry count, new findings and the peak RSS.

    .venv/bin/python bench/bench_recheck.py [--items 100000]

Needs /work/shared (development data); exits with a message when it is absent.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
SHARED = HERE.parent.parent / "shared"
FSM_2025 = SHARED / "data" / "fsm" / "exportfsm-2025-07-09.csv"
ITEMS = SHARED / "bench" / "dev" / "items.jsonl"
LISTS = SHARED / "data" / "lists"


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--removed", type=int, default=250)
    ap.add_argument("--edited", type=int, default=50)
    ap.add_argument(
        "--check",
        action="store_true",
        help="also compare with a full scan of the distinct texts against the new list (slow)",
    )
    args = ap.parse_args()
    for p in (FSM_2025, ITEMS):
        if not p.exists():
            sys.exit(f"{p} is absent (shared development data); cannot run the benchmark")
    tmp = Path(tempfile.mkdtemp(prefix="rg-bench-recheck-"))
    os.environ["REPOSTGUARD_HOME"] = str(tmp / "home")
    try:
        _run(args, tmp)
    finally:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


def _run(args: argparse.Namespace, tmp: Path) -> None:

    from repostguard.banks.fsm import parse_fsm, update_fsm
    from repostguard.banks.orgs import ORG_KINDS, load_org_list, store_rows, update_org
    from repostguard.model import Attachment, Item
    from repostguard.pipeline.recheck import run_recheck
    from repostguard.store import Store, now_iso

    new = parse_fsm(FSM_2025)
    active = [e for e in new.entries if not e.excluded]
    removed = {e.number for e in active[-args.removed :]}
    edited = {e.number for e in active[-(args.removed + args.edited) : -args.removed]}
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    w.writerow(["#", "Материал", "Дата включения (указывается с 01.01.2017)"])
    for e in new.entries:
        if e.number in removed:
            continue
        text = e.text if e.number not in edited else "Статья «Прежний текст записи до правки»"
        w.writerow([e.number, text, e.included.strftime("%d.%m.%Y") if e.included else ""])
    old_csv = tmp / "old.csv"
    old_csv.write_bytes(buf.getvalue().encode("cp1251", "replace"))
    update_fsm(from_file=old_csv)
    old = parse_fsm(old_csv)
    for kind in ORG_KINDS:
        if (LISTS / f"{kind}-orgs.json").exists():
            update_org(kind, from_file=LISTS / f"{kind}-orgs.json")

    recs = [json.loads(line) for line in ITEMS.open(encoding="utf-8")]
    items = (
        Item(
            "generic",
            f"b{i}",
            r.get("kind", "post"),
            text=r.get("text", ""),
            date=r.get("date"),
            attachments=[Attachment.from_dict(a) for a in r.get("attachments", [])],
        )
        for i, r in ((i, recs[i % len(recs)]) for i in range(args.items))
    )
    db = tmp / "w.sqlite"
    t = time.perf_counter()
    with Store.open(db) as st:
        st.import_items(items, source="bench", platform="generic")
        rows = [
            (
                str(e.number),
                e.text,
                e.included.isoformat() if e.included else None,
                e.excluded,
                e.court_decision,
                e.decision_date.isoformat() if e.decision_date else None,
            )
            for e in old.entries
        ]
        st.save_list_entries("fsm", old.version, rows)
        from repostguard.matchers.fsm import MATCHER_VERSION as FSM_MV
        from repostguard.matchers.orgs import MATCHER_VERSION as ORG_MV

        marks = [("fsm", old.version, old.sha256, FSM_MV)]
        for kind in ORG_KINDS:
            loaded = load_org_list(kind)
            if loaded:
                st.save_list_entries(loaded[0].bank, loaded[0].version, store_rows(loaded[0]))
                marks.append((loaded[0].bank, loaded[0].version, loaded[0].sha256, ORG_MV))
        with st.conn:
            for bank, version, sha, mv in marks:
                st.conn.execute(
                    "INSERT OR REPLACE INTO recheck_state VALUES (?,?,?,?,?)",
                    (bank, version, sha, mv, now_iso()),
                )
    print(f"setup: {args.items} items stored in {time.perf_counter() - t:.1f} s")
    update_fsm(from_file=FSM_2025)

    t = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        cProfile.runctx("run_recheck(db)", globals(), locals(), str(tmp / "prof"))
        pstats.Stats(str(tmp / "prof")).sort_stats("cumtime").print_stats(25)
        return
    c = time.process_time() + _children_cpu()
    summary = run_recheck(db, json_out=tmp / "recheck.json")
    dt, cpu = time.perf_counter() - t, time.process_time() + _children_cpu() - c
    fsm = next(b for b in summary.banks if b.bank == "fsm")
    print(
        f"recheck: {summary.items} items in {dt:.2f} s = {summary.items / dt:,.0f} items/s; "
        f"fsm changed entries {len(fsm.changed)}, dropped {len(fsm.dropped)}, "
        f"candidate items {fsm.candidates}, "
        f"new findings {len(summary.findings)}"
    )
    if args.check:
        from repostguard.matchers.fsm import FsmMatcher

        full = FsmMatcher(new)
        wanted = set(fsm.changed)
        n = min(len(recs), args.items)
        with Store.open(db) as st:
            expect = {
                (it.ref, f.entry)
                for it in st.iter_items()
                if int(it.native_id[1:]) < n
                for f in full.match(it)
                if f.entry in wanted
            }
        got = {
            (f["item"], str(f["entry"]))
            for f in summary.findings
            if f["bank"] == "fsm" and int(f["item"][1:]) < n
        }
        print(
            f"check on {n} distinct texts: full scan {len(expect)} findings of changed entries, "
            f"recheck {len(got)}; "
            f"missed {len(expect - got)}, extra {len(got - expect)}"
        )
        for x in sorted(expect - got)[:10]:
            print("  missed", x)
        for x in sorted(got - expect)[:10]:
            print("  extra", x)
    print(f"CPU time of the recheck (with its worker processes): {cpu:.2f} s (wall clock is longer when "
          f"other work shares the machine; load average {os.getloadavg()[0]:.1f})")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"target: under 10 s -> {'OK' if dt < 10 else 'MISSED'}")
    # the usual monthly case: the previous recheck already cached every item's compact text
    with Store.open(db) as st, st.conn:
        st.conn.execute("UPDATE recheck_state SET list_version=?, list_sha256=? WHERE bank='fsm'",
                        (old.version, old.sha256))
    t, c = time.perf_counter(), time.process_time()
    again = run_recheck(db)
    dt2, cpu2 = time.perf_counter() - t, time.process_time() - c
    print(f"warm recheck (same update, item texts cached by the previous recheck): {dt2:.2f} s wall, "
          f"{cpu2:.2f} s CPU, {again.items / dt2:,.0f} items/s")


if __name__ == "__main__":
    main()
