#!/usr/bin/env sh
# Refresh the .ts sources from the window's code, then compile them to the .qm files the app loads.
# Usage: scripts/build_translations.sh [--no-update]   (--no-update only compiles)
set -eu
cd "$(dirname "$0")/.."
BIN="${VENV:-.venv}/bin"
I18N=resources/i18n
if [ "${1:-}" != "--no-update" ]; then
    "$BIN/pyside6-lupdate" -no-obsolete -locations relative zp2p_gui/ui/*.py \
        -ts "$I18N/zp2p_en.ts" "$I18N/zp2p_ko.ts"
fi
for ts in "$I18N"/zp2p_*.ts; do
    "$BIN/pyside6-lrelease" -silent "$ts" -qm "${ts%.ts}.qm"
done
