#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Boot scenarios (issue 2): the ELF through -kernel with each VT-d model mode, the ISO under
# SeaBIOS and OVMF, q35 without an IOMMU, a bigger memory, and the CPU self-tests.
# Usage: tests/qemu/boot.sh [build-dir]   (prints TAP; exits 1 if a scenario failed)
set -u
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
. tests/qemu/lib.sh

qemu_print_version || { echo "not ok 1 - qemu: QEMU is installed"; exit 1; }
qemu_print_capabilities
for f in "$BUILD/nestor.elf" "$BUILD/nestor.iso"; do
    [ -f "$f" ] || { echo "not ok 1 - qemu: $f exists (run make)"; exit 1; }
done

# Lines every boot on QEMU prints; the BDF of edu is never assumed (enumeration finds it).
BANNER='^Nestor 0\.1 - VT-d microhypervisor'
BOOTED='^nestor: boot complete'
COMMON=(--expect "$BANNER" --expect "$BOOTED" --expect '^cpus: 1\b'
    --expect '^mem: .*\b[0-9]+ MiB usable' --expect '^pci: .*\b1234:11e8\b')
DRHD='^dmar: drhd0 base 0x00000000fed90000'
VTD_CAP='^vtd0: .*\bcap 0x[0-9a-f]+ .*\bND=[0-9].*\bSAGAW=0x[0-9a-f]+.*\bMGAW=[0-9]+'
VTD_ECAP='^vtd0: .*\becap 0x[0-9a-f]+ .*\bQI\b.*\bIR\b.*\bPT\b'
VTD_ON='^vtd0: translation enabled'
VTD=(--expect "$DRHD" --expect "$VTD_CAP" --expect "$VTD_ECAP" --expect "$VTD_ON")
NO_VTD='^dmar: no DMAR table: VT-d is not available'
# 128 MiB of RAM leaves between 100 and 127 MiB usable; 4 GiB (q35 puts 2 GiB above 4 GiB) more than 3 GiB.
MEM_128='^mem: .*\b(1[01][0-9]|12[0-7]) MiB usable'
MEM_4G='^mem: .*\b(3[0-9]{3}|40[0-9][0-9]) MiB usable'

qemu_scenario elf-legacy --kernel "loglevel=info" --iommu "" \
    "${COMMON[@]}" "${VTD[@]}" --expect "$MEM_128" --expect '^vtd0: .*\bSMTS=0' \
    --expect '^vtd0: base 0xfed90000 .*\bmode legacy\b'

qemu_scenario elf-scalable --kernel "loglevel=info" --iommu "x-scalable-mode=on" \
    "${COMMON[@]}" "${VTD[@]}" --expect '^vtd0: .*\bSMTS( |$)' --expect '^vtd0: .*\bSLTS( |$)' \
    --expect '^vtd0: base 0xfed90000 .*\bmode scalable\b' --reject '^vtd0: base .*first-stage'

fs=$(qemu_first_stage_prop)
if [ -n "$fs" ]; then
    # QEMU's first-stage model drops the second stage (ECAP.SLTS clear) and never offers NEST.
    qemu_scenario elf-scalable-first-stage --kernel "loglevel=info" --iommu "x-scalable-mode=on,$fs=on" \
        "${COMMON[@]}" "${VTD[@]}" --expect '^vtd0: .*\bFLTS( |$)' --expect '^vtd0: .*\bSLTS=0' \
        --expect '^vtd0: .*\bNEST=0' --expect '^vtd0: base 0xfed90000 .*\bmode scalable\b.*\bfirst-stage'
else
    qemu_skip elf-scalable-first-stage "QEMU $(qemu_version) has no intel-iommu first-stage translation (x-flts/fsts)"
fi

# The page-table depth follows CAP.SAGAW: 39-bit (3-level) only, and 39+48-bit (4-level preferred).
if qemu_iommu_has aw-bits; then
    qemu_scenario elf-legacy-aw39 --kernel "loglevel=info" --iommu "aw-bits=39" \
        "${COMMON[@]}" "${VTD[@]}" --expect '^vtd0: .*\bSAGAW=0x2 MGAW=39\b' \
        --expect '^vtd0: base .*\baw 39-bit \(3-level\)'
    qemu_scenario elf-scalable-aw48 --kernel "loglevel=info" --iommu "x-scalable-mode=on,aw-bits=48" \
        "${COMMON[@]}" "${VTD[@]}" --expect '^vtd0: .*\bSAGAW=0x6 MGAW=48\b' \
        --expect '^vtd0: base .*\baw 48-bit \(4-level\)'
else
    qemu_skip elf-legacy-aw39 "QEMU $(qemu_version) intel-iommu has no aw-bits property"
    qemu_skip elf-scalable-aw48 "QEMU $(qemu_version) intel-iommu has no aw-bits property"
fi

qemu_scenario iso-bios --iso --iommu "x-scalable-mode=on" "${COMMON[@]}" "${VTD[@]}"

if [ -r "$QEMU_OVMF_CODE" ] && [ -r "$QEMU_OVMF_VARS" ]; then
    qemu_scenario iso-uefi --iso --ovmf --iommu "x-scalable-mode=on" "${COMMON[@]}" "${VTD[@]}"
else
    qemu_skip iso-uefi "OVMF not installed ($QEMU_OVMF_CODE)"
fi

qemu_scenario elf-no-iommu --kernel "loglevel=info" "${COMMON[@]}" --expect "$NO_VTD" \
    --reject '^vtd0:' --reject '^dmar: drhd'

# iommu=off leaves the unit alone; iommu=legacy uses legacy mode on a scalable-capable unit.
qemu_scenario elf-iommu-off --kernel "iommu=off" --iommu "x-scalable-mode=on" \
    "${COMMON[@]}" --expect "$DRHD" --expect '^warning: iommu: disabled by iommu=off' --reject "$VTD_ON"

qemu_scenario elf-iommu-legacy --kernel "iommu=legacy" --iommu "x-scalable-mode=on" \
    "${COMMON[@]}" "${VTD[@]}" --expect '^vtd0: .*\bSMTS( |$)' --expect '^vtd0: base 0xfed90000 .*\bmode legacy\b'

qemu_scenario elf-4g-memory --kernel "loglevel=info" --iommu "x-scalable-mode=on" --mem 4G \
    "${COMMON[@]}" "${VTD[@]}" --expect "$MEM_4G"

# CPU self-tests: an exception is reported with its name and a symbolised backtrace, then the
# run stops with status 37 (value 0x12), never a triple fault.
qemu_scenario selftest-exception --kernel "selftest=exception" --iommu "" --status $QEMU_STATUS_FAULT \
    --expect "$BANNER" --expect '^EXCEPTION: #UD' --expect '^backtrace:' \
    --expect '^ +#[0-9]+ 0x[0-9a-f]+ [A-Za-z_][A-Za-z0-9_.]*\+0x[0-9a-f]+' --reject "$BOOTED"

qemu_scenario selftest-pagefault --kernel "selftest=pagefault" --iommu "" --status $QEMU_STATUS_FAULT \
    --expect "$BANNER" --expect '^EXCEPTION: #PF' --expect '^backtrace:' --reject "$BOOTED"

qemu_scenario selftest-doublefault --kernel "selftest=doublefault" --iommu "" --status $QEMU_STATUS_FAULT \
    --expect "$BANNER" --expect '^EXCEPTION: #DF' --reject "$BOOTED"

qemu_scenario selftest-panic --kernel "selftest=panic" --iommu "" --status $QEMU_STATUS_FAULT \
    --expect "$BANNER" --expect '^PANIC: selftest' --expect '^backtrace:' \
    --expect '^ +#[0-9]+ 0x[0-9a-f]+ kmain\+0x[0-9a-f]+' --reject "$BOOTED"

qemu_scenario selftest-timer --kernel "selftest=timer" --iommu "" \
    --expect "$BANNER" --expect '^selftest: timer interrupt received' --expect "$BOOTED"

# No PIT (q35,pit=off): the TSC calibration must notice and fall back, never print nonsense.
qemu_scenario no-pit --kernel "loglevel=info" --iommu "" --arg -machine --arg pit=off "${COMMON[@]}" \
    --expect '^time: .*\(PIT did not count' --reject '^time: TSC 0\.'

qemu_suite_end
