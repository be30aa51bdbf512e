#!/usr/bin/env bash
# CI for the packaged app (issue 6): build dist/zp2p, run its --version and --self-test, then let
# the bundle host a room on loopback that a venv node joins; one message each way, both /quit.
# Loopback only (127.0.3.8/29), every step under `timeout`, every process ours is ended on exit,
# each node keeps its identity in a scratch --data-dir (never the user's).
#
# Usage: bash packaging/ci-bundle.sh [--no-build]   (--no-build reuses an existing dist/zp2p)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export ZP2P_ALLOWED_NETS=127.0.0.0/8
export QT_QPA_PLATFORM=offscreen
BUNDLE=dist/zp2p/zp2p
VENV_ZP2P=.venv/bin/zp2p
HOST_IP=127.0.3.10
MEMBER_IP=127.0.3.11
SCAN=127.0.3.8/29
NODE_LIFETIME=60   # hard cap on each headless node, whatever the script does

work=$(mktemp -d)
pids=()
cleanup() {
    local status=$?
    exec 3>&- 4>&- 2>/dev/null || true
    # Each pid is a `timeout`, which leads its own process group and passes TERM on to the node.
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for _ in $(seq 50); do
        alive=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ $alive -eq 0 ] && break
        sleep 0.1
    done
    for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
    if [ $status -ne 0 ]; then
        for log in "$work"/*.out "$work"/*.err; do
            [ -s "$log" ] && { echo "--- $(basename "$log")"; tail -n 40 "$log"; }
        done
        echo "ci-bundle: FAILED" >&2
    fi
    rm -rf "$work"
}
trap cleanup EXIT

step() { echo "== ci-bundle: $*"; }
fail() { echo "ci-bundle: $*" >&2; exit 1; }

# wait_event FILE EVENT SECONDS [TEXT]: a JSON line with that event (and text) appears in time.
# Spaces are left out of the lines and of TEXT alike, so any JSON layout matches.
wait_event() {
    local file=$1 event=$2 seconds=$3 text=${4:-}
    local deadline=$((SECONDS + seconds))
    text=${text// /}
    while [ $SECONDS -le $deadline ]; do
        if { tr -d ' ' <"$file"; } 2>/dev/null | grep -F "\"event\":\"$event\"" | grep -qF "$text"; then return 0; fi
        sleep 0.1
    done
    fail "no '$event' ${text:+with '$text' }in $(basename "$file") within $seconds s"
}

# wait_exit PID SECONDS: the process ends in time with status 0.
wait_exit() {
    local pid=$1 seconds=$2 status
    local deadline=$((SECONDS + seconds))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -le $deadline ]; do sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && fail "process $pid did not exit within $seconds s after /quit"
    status=0
    wait "$pid" || status=$?
    [ $status -eq 0 ] || fail "process $pid exited with $status after /quit"
}

if [ "${1:-}" != "--no-build" ]; then
    step "build"
    timeout 900 bash packaging/build.sh
fi
[ -x "$BUNDLE" ] || fail "$BUNDLE is missing; run packaging/build.sh"
[ -x "$VENV_ZP2P" ] || fail "$VENV_ZP2P is missing; run scripts/setup.sh"

step "bundle --version"
timeout 30 "$BUNDLE" --version

step "bundle --self-test"
timeout 30 "$BUNDLE" --self-test

port=$(timeout 10 .venv/bin/python -c \
    "from zp2p_gui.selftest import find_free_port; print(find_free_port(('$HOST_IP', '$MEMBER_IP')))")
common=(--headless --port "$port" --scan "$SCAN" --room ci-bundle)

# start_node ROLE PROGRAM NICK IP WINDOW: a headless node reading $work/ROLE.in, writing
# $work/ROLE.out and .err, with its own data folder; bounded by NODE_LIFETIME, killed by the trap.
# Its pid goes to ${ROLE}_pid.
start_node() {
    local role=$1 program=$2 nick=$3 ip=$4 window=$5
    mkfifo "$work/$role.in"
    timeout -k 5 "$NODE_LIFETIME" "$program" "${common[@]}" --nick "$nick" --bind "$ip" \
        --data-dir "$work/$role-data" --discovery-window "$window" \
        <"$work/$role.in" >"$work/$role.out" 2>"$work/$role.err" &
    pids+=("$!")
    printf -v "${role}_pid" '%s' "$!"
}

step "bundle hosts on $HOST_IP:$port"
start_node host "$BUNDLE" bundle-host "$HOST_IP" 0.5
exec 3>"$work/host.in"
wait_event "$work/host.out" hosting 20 "\"host\": \"$HOST_IP\""

step "venv node joins"
# A long discovery window: the member must find the running host, never host a room itself.
start_node member "$VENV_ZP2P" venv-member "$MEMBER_IP" 10
exec 4>"$work/member.in"
wait_event "$work/member.out" joined 20 "\"host\": \"$HOST_IP\""

step "one message each way"
echo "hello from the venv" >&4
wait_event "$work/host.out" message 10 '"text": "hello from the venv"'
echo "hello from the bundle" >&3
wait_event "$work/member.out" message 10 '"text": "hello from the bundle"'

step "both /quit"
echo /quit >&4
wait_exit "$member_pid" 15
echo /quit >&3
wait_exit "$host_pid" 15
exec 3>&- 4>&-
step "passed"
