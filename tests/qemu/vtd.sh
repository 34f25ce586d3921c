#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Host VT-d driver scenarios (issue 3): selftest=vtd moves edu DMA through a Nestor domain in
# every translation mode QEMU offers, and QEMU's VT-d model judges the tables. Also the
# command-line switches (iommu=off, iommu=legacy) and a machine without DMAR.
# Usage: tests/qemu/vtd.sh [build-dir]   (prints TAP; exits 1 if a scenario failed)
set -u
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
. tests/qemu/lib.sh

qemu_print_version || { echo "not ok 1 - qemu: QEMU is installed"; exit 1; }
[ -f "$BUILD/nestor.elf" ] || { echo "not ok 1 - qemu: $BUILD/nestor.elf exists (run make)"; exit 1; }

# The deliberate faults of the selftest make QEMU report them on stderr (error_report_once);
# any other VT-d message there is a programming error and fails the scenario.
VTD_EXPECTED_STDERR='detected slpte permission error|detected translation failure|New fault is not recorded due to compression of faults'

# vtd_stderr_check NAME: one TAP line, ok when QEMU's stderr has no unexpected VT-d message.
vtd_stderr_check() {
    local err=$QEMU_TEST_OUT/$1/stderr.log bad
    bad=$(grep -E -- "$QEMU_VTD_STDERR_RE" "$err" 2>/dev/null | grep -Ev -- "$VTD_EXPECTED_STDERR" || true)
    if [ -z "$bad" ]; then
        _qemu_tap ok "$1: QEMU stderr has only the expected fault reports"
    else
        _qemu_tap "not ok" "$1: QEMU stderr has only the expected fault reports"
        QEMU_TEST_FAILED=$((QEMU_TEST_FAILED + 1))
        printf '%s\n' "$bad" | sed 's/^/#   /'
    fi
}

SELFTEST_STEPS=(
    'attach edu to a new domain'
    'register the test frames as DMA regions'
    'a page outside the DMA regions \(the root table\) is refused'
    'RAM-to-device DMA from a mapped page'
    'device-to-RAM DMA writes the pattern'
    'DMA to an unmapped IOVA faults once'
    'DMA write to a read-only page faults'
    'unmapped IOVA faults after invalidation'
    'map 2 MiB with a large page'
    'DMA into the middle of a 2 MiB mapping'
    'DMA of a detached device faults'
    'fault event interrupt delivered'
)
SELFTEST=(--status 33 --vtd-stderr-ok --arg -d --arg guest_errors
    --expect '^vtd-selftest: [0-9]+ passed, 0 failed' --reject '^vtd-selftest: not ok'
    --expect '^vtd0: translation enabled \(root table 0x[0-9a-f]+, queued invalidation, (128|256)-bit descriptors\)'
    --expect '^vtd0: [0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7] attached to dom[0-9]+'
    --expect '^vtd0: [0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7] detached from dom[0-9]+ \(blocked\)')
for step in "${SELFTEST_STEPS[@]}"; do SELFTEST+=(--expect "^vtd-selftest: ok - $step"); done
# QEMU 7.2 defaults to aw-bits=39, QEMU 10 to 48: ask for 48 so 4-level tables are used in both.
AW48=
qemu_iommu_has aw-bits && AW48=aw-bits=48
FAULT='^warning: vtd0: fault: [0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7] write iova 0x0+345000'

qemu_scenario vtd-selftest-legacy --kernel "loglevel=info selftest=vtd" --iommu "$AW48" "${SELFTEST[@]}" \
    --expect '^vtd0: base 0xfed90000 ver 1\.0 mode legacy aw 48-bit \(4-level\)' \
    --expect "$FAULT reason 0x05 " --expect 'reason 0x02 \(context entry not present\)' \
    --expect '128-bit descriptors'
vtd_stderr_check vtd-selftest-legacy

qemu_scenario vtd-selftest-scalable --kernel "loglevel=info selftest=vtd" --iommu "x-scalable-mode=on${AW48:+,$AW48}" \
    "${SELFTEST[@]}" --expect '^vtd0: base 0xfed90000 ver 1\.0 mode scalable aw 48-bit \(4-level\)' \
    --expect "$FAULT pasid 0x0 reason 0x05 " --expect '256-bit descriptors'
vtd_stderr_check vtd-selftest-scalable

fs=$(qemu_first_stage_prop)
if [ -n "$fs" ]; then
    qemu_scenario vtd-selftest-first-stage --kernel "loglevel=info selftest=vtd" \
        --iommu "x-scalable-mode=on,$fs=on" "${SELFTEST[@]}" \
        --expect '^vtd0: base 0xfed90000 ver 1\.0 mode scalable aw 48-bit \(4-level\) first-stage' \
        --expect "$FAULT pasid 0x0 reason 0x71 " --expect 'reason 0x85 ' \
        --expect 'attached to dom[0-9]+ \(did [0-9]+, translated, first-stage\)'
    vtd_stderr_check vtd-selftest-first-stage
else
    qemu_skip vtd-selftest-first-stage "QEMU $(qemu_version) has no intel-iommu first-stage translation"
fi

# 3-level tables (SAGAW 39-bit only), and caching mode (new translations must be invalidated too).
if qemu_iommu_has aw-bits; then
    qemu_scenario vtd-selftest-scalable-aw39 --kernel "loglevel=info selftest=vtd" \
        --iommu "x-scalable-mode=on,aw-bits=39" "${SELFTEST[@]}" \
        --expect '^vtd0: base 0xfed90000 ver 1\.0 mode scalable aw 39-bit \(3-level\)'
    vtd_stderr_check vtd-selftest-scalable-aw39
else
    qemu_skip vtd-selftest-scalable-aw39 "QEMU $(qemu_version) intel-iommu has no aw-bits property"
fi
if qemu_iommu_has caching-mode; then
    qemu_scenario vtd-selftest-caching-mode --kernel "loglevel=info selftest=vtd" --iommu "caching-mode=on" \
        "${SELFTEST[@]}" --expect '^vtd0: .*\bCM=1\b'
    vtd_stderr_check vtd-selftest-caching-mode
else
    qemu_skip vtd-selftest-caching-mode "QEMU $(qemu_version) intel-iommu has no caching-mode property"
fi

# iommu=legacy on a scalable-capable unit; the selftest must pass in legacy tables.
qemu_scenario vtd-force-legacy --kernel "loglevel=info iommu=legacy selftest=vtd" --iommu "x-scalable-mode=on" \
    "${SELFTEST[@]}" --expect '^vtd0: base 0xfed90000 ver 1\.0 mode legacy ' \
    --expect '^vtd0: legacy mode: iommu=legacy' --expect '\bSMTS SLTS\b'
vtd_stderr_check vtd-force-legacy

# Default policy without a selftest: the unit translates and every device is blocked.
qemu_scenario vtd-default-blocking --kernel "loglevel=info" --iommu "x-scalable-mode=on" \
    --expect '^iommu: 1 unit\(s\) translating; devices without a domain are blocked' \
    --expect '^vtd0: fault events on vector 0x[0-9a-f]+' --reject 'attached to dom' \
    --expect '^nestor: boot complete'

qemu_scenario vtd-iommu-off --kernel "loglevel=info iommu=off" --iommu "" \
    --expect '^warning: iommu: disabled by iommu=off: device DMA is not isolated' \
    --reject '^vtd0: translation enabled' --expect '^nestor: boot complete'

qemu_scenario vtd-no-dmar --kernel "loglevel=info" \
    --expect '^warning: iommu: no ACPI DMAR table: no VT-d unit to program, device DMA is not isolated' \
    --reject '^vtd0:' --expect '^nestor: boot complete'

qemu_scenario vtd-no-dmar-selftest --kernel "loglevel=info selftest=vtd" --status 35 \
    --expect '^vtd-selftest: not ok - VT-d active \(no unit was brought up\)' \
    --expect '^vtd-selftest: 0 passed, 1 failed'

qemu_suite_end
