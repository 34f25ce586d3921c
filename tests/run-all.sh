#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Everything `make test` (and CI) runs: the build, the host unit tests, the fuzzers (FUZZ_SECONDS
# each, default 3), the QEMU suites and the Bochs suite. Every part prints TAP lines; this script tallies them ("ok" and "not ok"; SKIPs
# count as passed and are listed) and closes with "N passed, N failed".
# Exit status: non-zero on any failure or when no test ran.
#
# Usage: [BUILD=dir] tests/run-all.sh [part...]   parts: build unit fuzz qemu bochs (default: all)
# QEMU suites: every tests/qemu/*.sh except lib*.sh and run*.sh, in name order, one at a time.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
case $BUILD in /*) BUILD_ABS=$BUILD ;; *) BUILD_ABS=$PWD/$BUILD ;; esac # suites may cd elsewhere
PARTS=${*:-build unit fuzz qemu bochs}
MAKE=${MAKE:-make}
LOG=$BUILD/tests/run-all.log
mkdir -p "$BUILD/tests"
: > "$LOG"

want() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }

# run LABEL CMD...: runs a part, its output shown and logged. A part that fails without
# printing a "not ok" line gets one of its own, so no failure goes uncounted.
run() {
    local label=$1 rc; shift
    echo "# === $label ===" | tee -a "$LOG"
    "$@" 2>&1 | tee "$BUILD/tests/part.log"
    rc=${PIPESTATUS[0]}
    cat "$BUILD/tests/part.log" >> "$LOG"
    if [ $rc != 0 ] && ! grep -q '^not ok' "$BUILD/tests/part.log"; then
        echo "not ok - $label: exited with status $rc" | tee -a "$LOG"
    fi
    return $rc
}

t0=$SECONDS
{
    echo "# nestor tests: $(git log -1 --format='%h %s' 2>/dev/null || echo 'not a git tree')"
    echo "# gcc: $(gcc --version 2>/dev/null | head -n1)"
    echo "# qemu: $("${QEMU:-qemu-system-x86_64}" --version 2>/dev/null | head -n1 || echo 'not installed')"
    command -v bochs >/dev/null && echo "# bochs: $(dpkg-query -W -f='${Version}' bochs 2>/dev/null)"
} | tee -a "$LOG"
built=1
if want build; then
    if run build $MAKE -j2 BUILD="$BUILD" all; then
        echo "ok - build: $BUILD/nestor.elf and $BUILD/nestor.iso" | tee -a "$LOG"
    else
        built=0
    fi
fi

if want unit; then
    run "unit tests: build" $MAKE -j2 BUILD="$BUILD" unit-build &&
        run "unit tests (ASan+UBSan)" $MAKE --no-print-directory BUILD="$BUILD" unit
fi

if want fuzz; then
    run "fuzz: build" $MAKE -j2 BUILD="$BUILD" fuzz-build &&
        run "fuzz (libFuzzer, ${FUZZ_SECONDS:-3} s each)" $MAKE --no-print-directory BUILD="$BUILD" \
            FUZZ_SECONDS="${FUZZ_SECONDS:-3}" fuzz
fi

if want qemu; then
    if [ $built = 1 ]; then
        for suite in tests/qemu/*.sh; do
            case $(basename "$suite") in lib*.sh | run*.sh) continue ;; esac
            run "qemu: $suite" bash "$suite" "$BUILD_ABS"
        done
    else
        echo "not ok - qemu: suites not run: the build failed" | tee -a "$LOG"
    fi
fi

if want bochs && [ -f tests/bochs/run.sh ]; then
    if [ $built = 1 ]; then
        run "bochs: tests/bochs/run.sh" bash tests/bochs/run.sh "$BUILD_ABS"
    else
        echo "not ok - bochs: suite not run: the build failed" | tee -a "$LOG"
    fi
fi

passed=$(grep -c '^ok\b' "$LOG")
failed=$(grep -c '^not ok\b' "$LOG")
skipped=$(grep -E '^ok\b.*# *SKIP' "$LOG" || true)
echo
echo "# ---- summary ($((SECONDS - t0)) s, log in $LOG) ----"
if [ -n "$skipped" ]; then
    echo "# skipped (counted as passed):"
    printf '%s\n' "$skipped" | sed 's/^/#   /'
fi
if [ "$failed" != 0 ]; then
    echo "# failed:"
    grep '^not ok\b' "$LOG" | sed 's/^/#   /'
fi
[ $((passed + failed)) = 0 ] && echo "# no test ran"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ $((passed + failed)) != 0 ]
