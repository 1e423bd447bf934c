#!/usr/bin/env bash
# Fresh clone → the whole test suite: set up (Debian packages, .venv with test tools), lint, type-check, test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
.venv/bin/ruff check src tests bench
.venv/bin/mypy src/repostguard
.venv/bin/lint-imports  # the layers of the pipeline (pyproject.toml, [tool.importlinter])
exec .venv/bin/python -m pytest "$@"
