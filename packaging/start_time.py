"""How long the app takes to start: from launching it to its URL line, and to the start screen's answer.

    .venv/bin/python packaging/start_time.py dist/repostguard [RUNS]

Each run starts ``EXE app --no-browser --no-ocr`` with an empty environment (a fresh data dir in a
temporary folder), waits for the URL line, asks for the start screen on 127.0.0.1, then stops the
app with SIGTERM. Compare with ``.venv/bin/repostguard``.
"""

from __future__ import annotations

import http.client
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit


def one_run(exe: str, home: Path) -> tuple[float, float, int, int]:
    """(seconds to the URL line, seconds to the answer, HTTP status, exit status after SIGTERM)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([exe, "app", "--no-browser", "--no-ocr", "--db", str(home / "ws.sqlite")],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            env={"REPOSTGUARD_HOME": str(home)})
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    t_url = time.perf_counter() - t0
    parts = urlsplit(url)
    while True:
        try:
            conn = http.client.HTTPConnection(str(parts.hostname), parts.port, timeout=5)
            conn.request("GET", parts.path)
            status = conn.getresponse().status
            break
        except OSError:
            time.sleep(0.01)
    t_answer = time.perf_counter() - t0
    proc.terminate()
    return t_url, t_answer, status, proc.wait(timeout=30)


def main() -> None:
    """Start the executable named on the command line a few times and print each run's figures."""
    exe, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
    for run in range(runs):
        with tempfile.TemporaryDirectory() as home:
            t_url, t_answer, status, rc = one_run(exe, Path(home))
        print(f"run {run + 1}: URL line after {t_url:.2f} s, start screen answered ({status}) after "
              f"{t_answer:.2f} s; exit status {rc} after SIGTERM")


if __name__ == "__main__":
    main()
