#!/usr/bin/env bash
# Build the one-file app: dist/repostguard (dist/repostguard.exe on Windows) from packaging/repostguard.spec.
# Installs the pinned PyInstaller (pyproject.toml, the `build` extra) into .venv when it is not there yet;
# without .venv it first runs scripts/setup.sh. PyInstaller builds for the system it runs on.
# Usage: scripts/build-app.sh [PYINSTALLER OPTIONS...]   e.g. --distpath DIR --workpath DIR
# REPOSTGUARD_APP_TESSDATA=DIR bundles Tesseract data from DIR, =none bundles none (packaging/repostguard.spec).
set -euo pipefail
cd "$(dirname "$0")/.."

venv_python() {
  if [[ -x .venv/bin/python ]]; then echo .venv/bin/python
  elif [[ -x .venv/Scripts/python.exe ]]; then echo .venv/Scripts/python.exe  # Windows (Git Bash)
  fi
}
PY=$(venv_python)
if [[ -z "$PY" ]]; then
  scripts/setup.sh
  PY=$(venv_python)
fi

# the `build` extra's pins, and whether the environment already has exactly them
mapfile -t pins < <("$PY" - <<'PYEOF'
import tomllib
with open("pyproject.toml", "rb") as fh:
    print("\n".join(tomllib.load(fh)["project"]["optional-dependencies"]["build"]))
PYEOF
)
if ! "$PY" - "${pins[@]}" <<'PYEOF'
import sys
from importlib.metadata import PackageNotFoundError, version
for pin in sys.argv[1:]:
    name, want = pin.split("==")
    try:
        if version(name) != want:
            sys.exit(1)
    except PackageNotFoundError:
        sys.exit(1)
PYEOF
then
  echo "build-app: installing ${pins[*]}"
  "$PY" -m pip install -q --disable-pip-version-check "${pins[@]}"
fi
"$PY" -c "import repostguard" 2>/dev/null || "$PY" -m pip install -q --disable-pip-version-check -e .

"$PY" -m PyInstaller --noconfirm --log-level WARN "$@" packaging/repostguard.spec
