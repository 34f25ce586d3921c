#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Boots the Nestor ISO in Bochs (VMX) and checks the serial log. Prints TAP lines.
# Usage: tests/bochs/run.sh [build-dir]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
out=$build/tests/bochs
mkdir -p "$out"
iso=$build/nestor.iso
n=0
fails=0

tap() { # status name [detail]
    n=$((n + 1))
    if [ "$1" = ok ]; then echo "ok $n - bochs: $2"; else echo "not ok $n - bochs: $2${3:+ ($3)}"; fails=$((fails + 1)); fi
}

if ! command -v bochs >/dev/null; then
    n=$((n + 1)); echo "ok $n - bochs: boot # SKIP bochs is not installed"; exit 0
fi

# boot NAME TIMEOUT: runs Bochs until Nestor writes "Shutdown" to port 0x8900 or the timeout.
boot() {
    local name=$1 limit=$2 dir=$out/$1
    rm -rf "$dir" && mkdir -p "$dir"
    cp "$iso" "$dir/nestor.iso" || return 1   # a private copy: a rebuild must not change it mid-run
    sed -e "s|@ISO@|$dir/nestor.iso|" -e "s|@SERIAL@|$dir/serial.log|" -e "s|@LOG@|$dir/bochs.log|" \
        "$top/tests/bochs/bochsrc.in" > "$dir/bochsrc"
    echo c > "$dir/cmds"
    # Bochs' term display needs a terminal: script(1) gives it one.
    (cd "$dir" && timeout "$limit" script -qfc "bochs -q -f bochsrc -rc cmds" /dev/null > term.out 2>&1)
    echo $? > "$dir/status"
}

# expect NAME PATTERN...: every extended regex must match the serial log.
expect() {
    local name=$1 log=$out/$1/serial.log miss=""; shift
    for p in "$@"; do grep -Eq -- "$p" "$log" 2>/dev/null || miss="$miss [$p]"; done
    if [ -z "$miss" ]; then tap ok "$name"; else
        tap fail "$name" "missing:$miss"
        echo "# --- serial log ($log) ---"; sed 's/^/# /' "$log" 2>/dev/null | tail -60
    fi
}

boot vmx 240
if [ "$(cat "$out/vmx/status")" = 124 ]; then tap fail "vmx ends by itself" "timed out"; else tap ok "vmx ends by itself"; fi
expect vmx '^Nestor .* VT-d microhypervisor' 'nestor: exit code 0x10 \(bochs shutdown port\)' 'nestor: boot complete'
exit $((fails > 0))
