# SPDX-License-Identifier: GPL-2.0-only
# QEMU system-test harness, sourced by the tests/qemu/*.sh suites.
#
# qemu_scenario boots Nestor once under TCG (q35, SVM+NPT, edu, isa-debug-exit), bounded by a
# timeout, and checks: the exact exit status (33 = success through isa-debug-exit value 0x10;
# a triple fault under -no-reboot gives 0 and must fail), regexes that the serial log must and
# must not match, and QEMU's stderr free of VT-d model errors. It prints exactly one TAP line,
# "ok N - qemu: NAME" or "not ok N - qemu: NAME" (with the logs as "# " lines after a failure)
# or "ok N - qemu: NAME # SKIP reason".
#
# Environment: QEMU (binary, default qemu-system-x86_64), BUILD (default build),
# QEMU_TEST_VERBOSE=1 prints the logs of passing scenarios too.

: "${QEMU:=qemu-system-x86_64}"
: "${BUILD:=build}"
QEMU_TEST_N=0
QEMU_TEST_FAILED=0
QEMU_TEST_OUT=$BUILD/tests/qemu
QEMU_OVMF_CODE=${QEMU_OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.fd}
QEMU_OVMF_VARS=${QEMU_OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.fd}

# Success and panic/exception statuses: isa-debug-exit turns value v into (v << 1) | 1.
QEMU_STATUS_SUCCESS=33   # PLATFORM_EXIT_SUCCESS 0x10
QEMU_STATUS_FAULT=37     # 0x12: exception or panic

# Failure signatures no successful boot may print (scenarios that expect a fault drop them).
QEMU_DEFAULT_REJECT=('^PANIC:' '^EXCEPTION' 'triple fault')

# QEMU's VT-d model reports guest-programming errors on stderr (vtd_* functions, intel_iommu).
QEMU_VTD_STDERR_RE='vtd_|intel_iommu|intel-iommu'

_qemu_iommu_help=""

qemu_version() {
    "$QEMU" --version 2>/dev/null | sed -n 's/^QEMU emulator version \([0-9][0-9.]*\).*/\1/p'
}

# Prints the QEMU version line as a TAP comment; fails when QEMU is missing.
qemu_print_version() {
    if ! command -v "$QEMU" >/dev/null 2>&1; then
        echo "# qemu: $QEMU not found (make deps installs qemu-system-x86)"
        return 1
    fi
    echo "# qemu: $("$QEMU" --version | head -n1) ($(command -v "$QEMU"))"
}

# qemu_iommu_has PROP: true if this QEMU's intel-iommu device has the property.
qemu_iommu_has() {
    [ -n "$_qemu_iommu_help" ] ||
        _qemu_iommu_help=$("$QEMU" -machine q35 -device intel-iommu,help 2>&1 </dev/null || true)
    printf '%s\n' "$_qemu_iommu_help" | grep -Eq "^[[:space:]]*$1[=[:space:]]"
}

# The name of the first-stage-translation switch: fsts (after QEMU 10.0), x-flts (10.0), or none.
qemu_first_stage_prop() {
    if qemu_iommu_has fsts; then echo fsts
    elif qemu_iommu_has x-flts; then echo x-flts
    fi
}

# Prints the intel-iommu properties this QEMU offers that the suites care about.
qemu_print_capabilities() {
    local p have=""
    for p in x-scalable-mode x-flts fsts x-pasid-mode aw-bits caching-mode; do
        qemu_iommu_has "$p" && have="$have $p"
    done
    echo "# qemu: intel-iommu properties:${have:- none}"
    [ -r "$QEMU_OVMF_CODE" ] || echo "# qemu: no OVMF at $QEMU_OVMF_CODE (UEFI scenarios skip)"
}

_qemu_tap() { # result name [directive]
    QEMU_TEST_N=$((QEMU_TEST_N + 1))
    echo "$1 $QEMU_TEST_N - qemu: $2${3:+ # $3}"
}

qemu_skip() { # name reason
    _qemu_tap ok "$1" "SKIP $2"
}

_qemu_dump() { # label file
    if [ -s "$2" ]; then
        echo "# --- $1 ($2) ---"
        # Terminal escapes (GRUB's menu, OVMF) stripped; the file keeps them.
        tail -n 150 "$2" | tr -d '\r' | sed -e 's/\x1b\[[0-9;?=]*[A-Za-z]//g' | awk '{ print "#   " $0 }'
    else
        echo "# --- $1 ($2): empty ---"
    fi
}

# qemu_scenario NAME [options]
#   --kernel CMDLINE   boot $BUILD/nestor.elf through -kernel with -append CMDLINE (the default,
#                      with an empty command line)
#   --iso              boot $BUILD/nestor.iso from CD-ROM under SeaBIOS (GRUB's default entry)
#   --ovmf             with --iso: boot under UEFI (OVMF pflash, a copy of the VARS in BUILD)
#   --iommu PROPS      add -device intel-iommu (PROPS: "" for legacy, or "x-scalable-mode=on,...")
#   --mem SIZE         guest RAM (-m), default 128
#   --timeout SECONDS  default 60, 120 with --ovmf
#   --status N         expected exit status, default 33
#   --expect RE        extended regex the serial log must match (repeatable)
#   --reject RE        extended regex the serial log must not match (repeatable)
#   --vtd-stderr-ok    VT-d messages on QEMU's stderr are expected
#   --arg ARG          one more QEMU argument (repeatable)
# Returns 0 when the scenario passed.
qemu_scenario() {
    local name=$1; shift
    local boot=kernel cmdline="" ovmf=0 iommu="" have_iommu=0 mem=128 limit="" status=$QEMU_STATUS_SUCCESS
    local vtd_ok=0 expect=() reject=() extra=()
    while [ $# -gt 0 ]; do
        case $1 in
        --kernel) boot=kernel; cmdline=$2; shift ;;
        --iso) boot=iso ;;
        --ovmf) ovmf=1 ;;
        --iommu) have_iommu=1; iommu=$2; shift ;;
        --mem) mem=$2; shift ;;
        --timeout) limit=$2; shift ;;
        --status) status=$2; shift ;;
        --expect) expect+=("$2"); shift ;;
        --reject) reject+=("$2"); shift ;;
        --vtd-stderr-ok) vtd_ok=1 ;;
        --arg) extra+=("$2"); shift ;;
        *) echo "# qemu_scenario $name: unknown option $1" >&2; _qemu_tap "not ok" "$name"; QEMU_TEST_FAILED=$((QEMU_TEST_FAILED + 1)); return 1 ;;
        esac
        shift
    done
    [ -n "$limit" ] || { [ $ovmf = 1 ] && limit=120 || limit=60; }
    [ "$status" = "$QEMU_STATUS_SUCCESS" ] && reject+=("${QEMU_DEFAULT_REJECT[@]}")

    local dir=$QEMU_TEST_OUT/$name
    local serial=$dir/serial.log err=$dir/stderr.log out=$dir/stdout.log
    rm -rf "$dir" && mkdir -p "$dir"

    local args=(-accel tcg -machine q35 -cpu qemu64,+svm,+npt -m "$mem" -smp 1
        -nodefaults -display none -serial "file:$serial" -no-reboot
        -device isa-debug-exit,iobase=0xf4,iosize=4 -device edu)
    [ $have_iommu = 1 ] && args+=(-device "intel-iommu${iommu:+,$iommu}")
    if [ $boot = kernel ]; then
        args+=(-kernel "$BUILD/nestor.elf" -append "$cmdline")
    else
        args+=(-cdrom "$BUILD/nestor.iso" -boot d)
        if [ $ovmf = 1 ]; then
            cp "$QEMU_OVMF_VARS" "$dir/OVMF_VARS.fd"
            args+=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$QEMU_OVMF_CODE"
                -drive "if=pflash,format=raw,unit=1,file=$dir/OVMF_VARS.fd")
        fi
    fi
    args+=("${extra[@]}")
    printf '%q ' timeout -k 5 "$limit" "$QEMU" "${args[@]}" > "$dir/command"
    echo >> "$dir/command"

    local t0=$SECONDS rc
    timeout -k 5 "$limit" "$QEMU" "${args[@]}" </dev/null >"$out" 2>"$err"
    rc=$?
    local secs=$((SECONDS - t0))

    local why=() re
    if [ $rc = 124 ] || [ $rc = 137 ]; then
        why+=("timed out after ${limit}s")
    elif [ "$rc" != "$status" ]; then
        case $rc in
        0) why+=("exit status 0 (triple fault or shutdown, not isa-debug-exit), expected $status") ;;
        *) why+=("exit status $rc, expected $status") ;;
        esac
    fi
    for re in "${expect[@]}"; do
        grep -Eq -- "$re" "$serial" 2>/dev/null || why+=("serial log lacks /$re/")
    done
    for re in "${reject[@]}"; do
        grep -Eq -- "$re" "$serial" 2>/dev/null && why+=("serial log matches /$re/: $(grep -Em1 -- "$re" "$serial" | tr -d '\r')")
    done
    if [ $vtd_ok = 0 ] && grep -Eq -- "$QEMU_VTD_STDERR_RE" "$err"; then
        why+=("QEMU stderr has VT-d errors: $(grep -Em1 -- "$QEMU_VTD_STDERR_RE" "$err")")
    fi

    if [ ${#why[@]} = 0 ]; then
        _qemu_tap ok "$name"
        echo "#   ${secs}s, status $rc"
        if [ "${QEMU_TEST_VERBOSE:-0}" = 1 ]; then _qemu_dump "serial log" "$serial"; fi
        return 0
    fi
    _qemu_tap "not ok" "$name"
    QEMU_TEST_FAILED=$((QEMU_TEST_FAILED + 1))
    for re in "${why[@]}"; do echo "#   $re"; done
    echo "#   command: $(cat "$dir/command")"
    _qemu_dump "serial log" "$serial"
    _qemu_dump "QEMU stderr" "$err"
    [ -s "$out" ] && _qemu_dump "QEMU stdout" "$out"
    return 1
}

# Ends a suite: the TAP plan, and the status (1 if any scenario failed).
# qemu_guest_output FILE: a Nestor serial log's guest lines, CRs dropped, "[vm0] " stripped.
qemu_guest_output() { tr -d '\r' < "$1" | sed -n 's/^\[vm0\] //p'; }

# qemu_native_guest NAME GUEST APPEND EXPECT_RE [QEMU ARGS...]: the test guest alone on QEMU
# (-kernel GUEST -append APPEND); passes on status 33 with a TAP plan line in its output and,
# unless EXPECT_RE is empty, a line matching it. Keeps the serial log for qemu_compare.
qemu_native_guest() {
    local name=$1 guest=$2 append=$3 expect=$4 dir=$QEMU_TEST_OUT/$1 rc
    shift 4
    rm -rf "$dir" && mkdir -p "$dir"
    timeout -k 5 60 "$QEMU" -accel tcg -machine q35 -cpu qemu64,+svm,+npt -m 128 -smp 1 -nodefaults \
        -display none -serial "file:$dir/serial.log" -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4 \
        "$@" -kernel "$guest" ${append:+-append "$append"} </dev/null >"$dir/stdout.log" 2>"$dir/stderr.log"
    rc=$?
    if [ "$rc" = "$QEMU_STATUS_SUCCESS" ] && grep -q '^1\.\.[0-9]' "$dir/serial.log" &&
        { [ -z "$expect" ] || grep -Eq -- "$expect" "$dir/serial.log"; }; then
        _qemu_tap ok "$name"
        return 0
    fi
    _qemu_tap "not ok" "$name"
    QEMU_TEST_FAILED=$((QEMU_TEST_FAILED + 1))
    echo "#   exit status $rc, expected $QEMU_STATUS_SUCCESS, a TAP plan${expect:+ and a line matching $expect}"
    _qemu_dump "serial log" "$dir/serial.log"
    _qemu_dump "QEMU stderr" "$dir/stderr.log"
    return 1
}

# qemu_compare NAME NATIVE NESTED: the guest printed the same lines natively (scenario NATIVE)
# and under Nestor (scenario NESTED, "[vm0] " stripped).
qemu_compare() {
    local name=$1 dir=$QEMU_TEST_OUT/$1
    mkdir -p "$dir"
    tr -d '\r' < "$QEMU_TEST_OUT/$2/serial.log" > "$dir/native.txt" 2>/dev/null
    qemu_guest_output "$QEMU_TEST_OUT/$3/serial.log" > "$dir/nested.txt" 2>/dev/null
    if [ -s "$dir/native.txt" ] && diff -u "$dir/native.txt" "$dir/nested.txt" > "$dir/diff.txt"; then
        _qemu_tap ok "$name"
        echo "#   $(wc -l < "$dir/native.txt") identical lines"
        return 0
    fi
    _qemu_tap "not ok" "$name"
    QEMU_TEST_FAILED=$((QEMU_TEST_FAILED + 1))
    _qemu_dump "diff native -> nested" "$dir/diff.txt"
    return 1
}

qemu_suite_end() {
    echo "1..$QEMU_TEST_N"
    [ "$QEMU_TEST_FAILED" = 0 ]
}
