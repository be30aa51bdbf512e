#!/usr/bin/env bash
# Build the one-folder app at dist/zp2p/zp2p from a clean clone or a working tree.
# Sets up .venv when something is missing (scripts/setup.sh with the locked versions, else pip with
# $PYTHON, default python3, 3.11+), builds, and prints the bundle size and the build time.
#
# Usage: bash packaging/build.sh
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
PYINSTALLER_REQ="pyinstaller>=6.10,<7"

py=.venv/bin/python
ready() { [ -x "$py" ] && "$py" -c 'import zp2p_gui, zmq, PySide6.QtWidgets, platformdirs, netifaces, PyInstaller' 2>/dev/null; }
if ! ready && [ -f scripts/setup.sh ]; then
    echo "== scripts/setup.sh: .venv with the locked dependencies"
    bash scripts/setup.sh
fi
if [ ! -x "$py" ]; then
    "${PYTHON:-python3}" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || { echo "build.sh: need Python 3.11+ (set PYTHON=...)" >&2; exit 1; }
    "${PYTHON:-python3}" -m venv .venv
fi
if ! "$py" -c 'import zp2p_gui, zmq, PySide6.QtWidgets, platformdirs, netifaces' 2>/dev/null; then
    echo "== installing zp2p and its dependencies into .venv"
    "$py" -m pip install -q -e .
fi
if ! "$py" -m PyInstaller --version >/dev/null 2>&1; then
    echo "== installing $PYINSTALLER_REQ into .venv"
    "$py" -m pip install -q "$PYINSTALLER_REQ"
fi
# Compiled translations are build outputs; the bundle must carry the current ones.
if [ -x scripts/build_translations.sh ]; then
    bash scripts/build_translations.sh --no-update >/dev/null  # compile only: a build must not edit tracked sources
fi

echo "== building with PyInstaller $("$py" -m PyInstaller --version)"
now() { "$py" -c "import time; print(time.time())"; }  # BSD date has no %N
start=$(now)
"$py" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/zp2p.spec
end=$(now)

# The menu installer travels with the folder, so a user who got only dist/zp2p can still add it.
case $(uname -s) in
    Linux) install -m 0755 packaging/install-desktop.sh dist/zp2p/install-desktop.sh ;;
esac

program=dist/zp2p/zp2p
[ -x "$program" ] || program=dist/zp2p/zp2p.exe
[ -x "$program" ] || { echo "build.sh: no executable in dist/zp2p" >&2; exit 1; }
size_mb=$(du -sm dist/zp2p | cut -f1)
seconds=$(awk "BEGIN { printf \"%.1f\", $end - $start }")
echo "== built $program ($("$program" --version)): $size_mb MB in $seconds s"
