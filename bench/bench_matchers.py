"""What each matcher costs per item, in one process on one core: the FSM list alone against the default set
of lists (the FSM, the three organisation lists with the sites list, the statements, identity and symbols).

Items are bench_scan.py's seeded synthetic history (ordinary posts, links, audio, reposts, about 1 % quoting or
linking list entries); the lists are the shared snapshots, parsed as ``lists update`` installs them. Matching
only: the import and the store are measured by bench_scan.py. As in the scan, the text gate
(``matchers/gate.py``) tells, after the FSM, which items each other matcher reads (its own line: ``gate``);
``--no-gate`` gives every item to every matcher (their own prefilters only).

    .venv/bin/python bench/bench_matchers.py [--items 100000] [--shared ../shared]

Target (issue 23): every list at least 1/1.15 of the FSM alone's items per CPU-second; peak RSS < 500 MB.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    ap.add_argument("--no-gate", action="store_true", help="every item to every matcher")
    args = ap.parse_args()
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    from bench_scan import generate

    from repostguard.banks.fsm import parse_fsm
    from repostguard.banks.orgs import parse_org_file
    from repostguard.importers.generic import GenericImporter
    from repostguard.matchers.fsm import FsmMatcher
    from repostguard.matchers.gate import TextGate
    from repostguard.matchers.identity import IdentityMatcher
    from repostguard.matchers.orgs import OrgMatcher
    from repostguard.matchers.quotes import extract_quotes
    from repostguard.matchers.statements import StatementMatcher
    from repostguard.matchers.symbols import SymbolMatcher
    from repostguard.matchers.symbols_text import SymbolTextMatcher
    from repostguard.matchers.urls import find_urls
    from repostguard.pipeline.scan import MATCH_BATCH

    lst = parse_fsm(args.shared / "data/fsm/exportfsm-2025-07-09.csv")
    quotes = [q for e in lst.active[::7] for q, _ in extract_quotes(e.text) if len(q.split()) >= 4][:400]
    urls = [u for e in lst.active[::5] for u in find_urls(e.text, repair=True) if "/" in u][:200]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "items.jsonl"
        generate(path, args.items, quotes, urls)
        items = list(GenericImporter(path).iter_items())
    lists = args.shared / "data/lists"
    sites = parse_org_file(lists / "banned-sites.json", "sites")
    t0 = time.process_time()
    fsm = FsmMatcher(lst)
    built = {"fsm": time.process_time() - t0}
    others: list[tuple[str, object]] = []
    for kind in ("extremist", "terrorist", "undesirable"):
        t0 = time.process_time()
        m = OrgMatcher(parse_org_file(lists / f"{kind}-orgs.json", kind),
                       sites=sites if kind == "undesirable" else None)
        built[kind] = time.process_time() - t0
        others.append((kind, m))
    others += [("statements", StatementMatcher()), ("identity", IdentityMatcher()),
               ("symbols", SymbolMatcher(None, SymbolTextMatcher()))]
    t0 = time.process_time()
    gate = None if args.no_gate else TextGate([m for _, m in others])  # type: ignore[misc]
    built["gate"] = time.process_time() - t0
    print(f"{len(items):,} items; index built in " + ", ".join(f"{k} {v:.1f} s" for k, v in built.items()))
    # as the scan does: items in batches of MATCH_BATCH, each matcher over the whole batch in turn
    matchers = [("fsm", fsm), *others]
    cost = {name: 0.0 for name, _ in matchers}
    found = {name: 0 for name, _ in matchers}
    read = {name: 0 for name, _ in matchers}
    if gate is not None:
        cost["gate"] = 0.0
    clock = time.thread_time
    for b in range(0, len(items), MATCH_BATCH):
        batch = items[b : b + MATCH_BATCH]
        wanted: dict[int, list[int]] | None = None
        for name, m in matchers:
            if gate is not None and gate.screens(m) and wanted is None:
                t0 = clock()
                wanted = gate.look([(it, None) for it in batch])
                cost["gate"] += clock() - t0
            t0 = clock()
            these = batch if wanted is None or not gate.screens(m) else [batch[i] for i in wanted[id(m)]]  # type: ignore[union-attr]
            for it in these:
                found[name] += len(m.match(it))  # type: ignore[attr-defined]
            read[name] += len(these)
            cost[name] += clock() - t0
    total = sum(cost.values())
    for name, c in cost.items():
        print(f"  {name:12s} {c:6.2f} s CPU  {len(items) / c:>10,.0f} items/s  {found.get(name, 0):>6,} findings"
              + (f"  {read[name]:>7,} items read" if name in read else ""))
    print(f"FSM alone: {len(items) / cost['fsm']:,.0f} items per CPU-second; every list: {len(items) / total:,.0f} "
          f"({total / cost['fsm']:.2f}x the FSM's time); peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
