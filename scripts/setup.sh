#!/usr/bin/env bash
# Installs what zp2p needs on a fresh Debian machine: Qt's system libraries (when root),
# the .venv with the locked dependencies, and zp2p itself as the `zp2p` console script.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libegl1 libgl1 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3 libxcb-cursor0
  libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1
  fonts-dejavu-core fonts-noto-cjk fonts-noto-color-emoji xvfb xauth)

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=()
  for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing system libraries: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
else
  echo "setup: not root or no apt-get; make sure Qt's libraries are installed (see README)" >&2
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.lock
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
if [ -x scripts/build_translations.sh ]; then
  bash scripts/build_translations.sh --no-update >/dev/null  # compile only: a set-up must not edit tracked sources
fi
echo "setup: ready — start the app with .venv/bin/zp2p"
