#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Runs unit-test binaries; each prints TAP lines. A binary that crashes or exits non-zero
# without a "not ok" line is reported as one failure of its own.
status=0
for t in "$@"; do
    name=$(basename "$t")
    echo "# unit: $name"
    out=$("$t" 2>&1); rc=$?
    printf '%s\n' "$out"
    if [ $rc -ne 0 ]; then
        status=1
        printf '%s\n' "$out" | grep -q '^not ok' || echo "not ok - $name exited with status $rc"
    fi
done
exit $status
