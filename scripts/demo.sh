#!/usr/bin/env bash
# Fresh clone → the demo scan end to end: set up, then scan a made-up history against a made-up
# list and write the HTML report (nothing is downloaded; no personal data).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/repostguard demo --dir repostguard-demo "$@"
