#!/usr/bin/env bash
# Set up everything repostguard needs in this clone: Debian packages (OCR engine, Chromium for the
# page tests) when apt-get is available, and a virtual environment in .venv with the package.
# Usage: scripts/setup.sh [--test]   (--test also installs the test tools)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

# Debian packages listed in scripts/debian-packages.txt
mapfile -t pkgs < <(grep -v '^\s*#' scripts/debian-packages.txt | sed 's/\s.*//' | grep -v '^$' || true)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    echo "setup: installing Debian packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: please install these packages with your system's package manager: ${missing[*]}" >&2
  fi
fi

PY=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
if ((want_test)); then
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test,build]'
else
  .venv/bin/python -m pip install -q --disable-pip-version-check -e .
fi
