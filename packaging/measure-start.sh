#!/usr/bin/env bash
# Time from exec of the bundled app to its main window being mapped, under a private Xvfb.
# Each run uses a fresh --data-dir (so it is a first run) and never connects; the addresses are
# loopback anyway. Prints each run and the median. Needs xvfb and xdotool (Debian packages).
#
# Usage: bash packaging/measure-start.sh [RUNS] [PROGRAM]   (defaults: 5, dist/zp2p/zp2p)
#        COLD=1 evicts the bundle's files from the page cache before each run (posix_fadvise,
#        no root needed), so every run reads the bundle from disk as after a reboot.
set -euo pipefail

runs=${1:-5}
program=${2:-dist/zp2p/zp2p}
export ZP2P_ALLOWED_NETS=127.0.0.0/8
work=$(mktemp -d)
xvfb_pid="" app_pid=""

cleanup() {
    [ -n "$app_pid" ] && kill -KILL "$app_pid" 2>/dev/null || true
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

now_ms() { date +%s%3N; }

evict() {
    python3 - "$1" <<'PY'
import os, sys
for folder, _, files in os.walk(sys.argv[1]):
    for name in files:
        path = os.path.join(folder, name)
        if os.path.isfile(path) and not os.path.islink(path):
            fd = os.open(path, os.O_RDONLY)
            os.fdatasync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            os.close(fd)
PY
}

# A private display: the first free number from 90 up.
display=90
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp -noreset >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY=":$display" QT_QPA_PLATFORM=xcb
for _ in $(seq 100); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.05; done
xdpyinfo >/dev/null 2>&1 || { echo "measure-start.sh: Xvfb did not start" >&2; cat "$work/xvfb.log" >&2; exit 1; }

times=()
for i in $(seq "$runs"); do
    if [ "${COLD:-0}" = 1 ]; then evict "$(dirname "$program")"; fi
    data="$work/data-$i"
    start=$(now_ms)
    "$program" --data-dir "$data" --bind 127.0.3.20 --scan 127.0.3.16/29 >"$work/app-$i.log" 2>&1 &
    app_pid=$!
    shown=""
    while [ -z "$shown" ]; do
        if xdotool search --onlyvisible --pid "$app_pid" >/dev/null 2>&1; then shown=$(now_ms); break; fi
        if ! kill -0 "$app_pid" 2>/dev/null; then echo "run $i: the app exited before showing a window" >&2; cat "$work/app-$i.log" >&2; exit 1; fi
        if [ $(( $(now_ms) - start )) -gt 15000 ]; then echo "run $i: no window within 15 s" >&2; cat "$work/app-$i.log" >&2; exit 1; fi
        sleep 0.01
    done
    ms=$((shown - start))
    times+=("$ms")
    echo "run $i: window shown after $ms ms"
    kill -TERM "$app_pid"
    for _ in $(seq 100); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
    app_pid=""
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
echo "start to shown window: median $median ms over $runs runs ($program)"
