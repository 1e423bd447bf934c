"""Snapshot of what `repostguard scan` gives, to show a refactoring changes no finding.

Installs the real lists from ``../shared/data`` (FSM 2025-07-09 and the organisation and sites
lists) into a temporary data dir, then scans, each into a fresh workspace, the dev matching set
and every importer's fixture export (tests/fixtures/cases), with today's date pinned (the legal context
depends on it) and OCR off, and writes one findings JSON per input into OUT, the scan's list
``source`` path reduced to its name and ``fetched_at`` left out. Run it before and after a change and compare:

    .venv/bin/python bench/scan_snapshot.py /tmp/snap-before
    … change …
    .venv/bin/python bench/scan_snapshot.py /tmp/snap-after
    diff -r /tmp/snap-before /tmp/snap-after && echo identical
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PINNED = "2026-12-06"

#: run inside the scan's process: pins the day the legal context counts to, then runs the CLI
RUNNER = """
import datetime, sys
pinned = datetime.date.fromisoformat(sys.argv.pop(1))
try:
    from repostguard.findings import legal as L
except ImportError:
    from repostguard.findings import legal as L
init = L.LegalContexts.__init__
def pinned_init(self, store, *, today=None):
    init(self, store, today=today or pinned)
L.LegalContexts.__init__ = pinned_init
from repostguard.cli import main
sys.argv[0] = "repostguard"
main()
"""


def inputs() -> list[tuple[str, Path]]:
    sys.path.insert(0, str(ROOT / "src"))
    from repostguard.importers.registry import IMPORTERS

    out = [("dev", SHARED / "bench" / "dev" / "items.jsonl")]
    for cls in IMPORTERS:
        cases = ROOT / "tests" / "fixtures" / "cases" / f"{cls.__name__}.json"
        for i, case in enumerate(json.loads(cases.read_text("utf-8")) if cases.exists() else []):
            path = ROOT / str(case["path"])
            out.append((f"{cls.__name__}-{i}-{path.name}", path))
    return out


def _stable(v: object) -> object:
    """The JSON without what changes from run to run (when a list was fetched, temporary paths)."""
    if isinstance(v, dict):
        return {k: (Path(x).name if k == "source" and isinstance(x, str) else _stable(x))
                for k, x in v.items() if k != "fetched_at"}
    if isinstance(v, list):
        return [_stable(x) for x in v]
    return v


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "REPOSTGUARD_HOME": str(Path(tmp) / "home")}
        py = [sys.executable, "-c", RUNNER, PINNED]
        lists = [("fsm", SHARED / "data/fsm/exportfsm-2025-07-09.csv"),
                 ("extremist", SHARED / "data/lists/extremist-orgs.json"),
                 ("terrorist", SHARED / "data/lists/terrorist-orgs.json"),
                 ("undesirable", SHARED / "data/lists/undesirable-orgs.json"),
                 ("sites", SHARED / "data/lists/banned-sites.json")]
        for name, f in lists:
            subprocess.run([*py, "lists", "update", "--list", name, "--from", str(f)], env=env, check=True,
                           capture_output=True)
        for name, path in inputs():
            db = Path(tmp) / f"{name}.sqlite"
            js = args.out / f"{name}.json"
            r = subprocess.run([*py, "scan", str(path), "--db", str(db), "--json", str(js), "--no-ocr", "-q"],
                               env=env, capture_output=True, text=True)
            if r.returncode != 0:
                print(f"{name}: exit {r.returncode}: {r.stderr.strip()[:300]}")
                continue
            data = _stable(json.loads(js.read_text("utf-8")))
            js.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
            print(f"{name}: {len(data.get('findings', []))} findings")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
