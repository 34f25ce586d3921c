#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs each libFuzzer harness for FUZZ_SECONDS on a scratch copy of its committed seeds
# (tests/fuzz/corpus/<name>/ stays as committed) and prints one TAP line each:
#   ok 1 - fuzz: insn_decode (123456 runs)
#   not ok 1 - fuzz: insn_decode: crash, input in <build>/fuzz/artifacts/insn_decode-crash-...
# Usage: FUZZ_SECONDS=N tests/fuzz/run.sh BUILD name...
set -u
cd "$(dirname "$0")/../.."
build=$1; shift
secs=${FUZZ_SECONDS:-10}
work=$build/fuzz/work
mkdir -p "$build/fuzz/artifacts"
echo "1..$#"
n=0 failed=0
for name in "$@"; do
    n=$((n + 1))
    bin=$build/fuzz/fuzz_$name
    rm -rf "$work/$name" && mkdir -p "$work/$name"
    cp tests/fuzz/corpus/"$name"/* "$work/$name"/ 2>/dev/null || true
    log=$build/fuzz/$name.log
    "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
        -artifact_prefix="$build/fuzz/artifacts/$name-" "$work/$name" > "$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
    if [ $rc = 0 ]; then
        echo "ok $n - fuzz: $name (${runs:-0} runs)"
    else
        art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n1)
        echo "not ok $n - fuzz: $name: status $rc${art:+, input in $art}"
        grep -E 'check failed|ERROR|SUMMARY|runtime error| in [a-z_0-9]+ /' "$log" | grep -v fuzzer:: | head -n 12 | sed 's/^/# /'
        failed=$((failed + 1))
    fi
done
[ $failed = 0 ]
