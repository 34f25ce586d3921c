#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Device assignment (issue 4): QEMU's edu given to a Nestor guest with assign=, in scalable
# and legacy VT-d mode. The test guest ("edu" on its command line) runs natively on QEMU and
# as a Nestor guest with edu assigned; the outputs must be identical once "[vm0] " is
# stripped. Also: Nestor with edu not assigned against a native run without edu (the guest
# reports edu absent the same way); a guest DMA beyond its RAM (the host IOMMU blocks it
# and Nestor logs the fault naming the VM); refusals (missing device, host bridge, bridge,
# malformed address, no DMAR, iommu=off), each leaving the VM running without the device.
# Usage: tests/qemu/assign.sh [build-dir]   (prints TAP; exits 1 if a scenario failed)
set -u
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
. tests/qemu/lib.sh

GUEST=$BUILD/guests/testguest.elf
qemu_print_version || { echo "not ok 1 - qemu: QEMU is installed"; exit 1; }
for f in "$BUILD/nestor.elf" "$GUEST"; do
    [ -f "$f" ] || { echo "not ok 1 - qemu: $f exists (run make)"; exit 1; }
done

BOOTED='^nestor: boot complete'
GUEST_PASSED='^vm0: guest wrote 0x10 to isa-debug-exit\b'
GUEST_LINES='^\[vm0\] 1\.\.[0-9]+'
BDF_RE='[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]'

# native NAME EDU(0|1) IOMMU_PROPS|-: the test guest alone on QEMU with "edu" on its command line.
native() {
    local args=()
    [ "$2" = 1 ] && args+=(-device edu)
    [ "$3" != - ] && args+=(-device "intel-iommu${3:+,$3}")
    qemu_native_guest "$1" "$GUEST" edu '^ok [0-9]* - edu: found on PCI' "${args[@]}"
}

# Where this QEMU puts edu (never hard-coded): from Nestor's own PCI summary.
qemu_scenario assign-host-finds-edu --kernel "loglevel=info" --iommu "x-scalable-mode=on" \
    --expect "^pci: $BDF_RE 1234:11e8 " --expect "$BOOTED"
EDU=$(tr -d '\r' < "$QEMU_TEST_OUT/assign-host-finds-edu/serial.log" 2>/dev/null |
    sed -En "s/^pci: ($BDF_RE) 1234:11e8 .*/\1/p" | head -n1)
if [ -z "$EDU" ]; then
    echo "not ok - qemu: assign: edu's address not found; remaining scenarios not run"
    qemu_suite_end
    exit 1
fi
echo "# edu is $EDU"
EDU_RE=${EDU//./\\.}

for mode in scalable legacy; do
    props=$([ $mode = scalable ] && echo "x-scalable-mode=on" || echo "")
    native "assign-native-edu-$mode" 1 "$props"
    qemu_scenario "assign-edu-$mode" --kernel "loglevel=info assign=$EDU" --iommu "$props" --mem 256 \
        --arg -initrd --arg "$GUEST guest mem=32M edu" \
        --expect "^vm0: $EDU_RE: DMA confined: dom[0-9]+ on vtd0 maps the VM's 32 MiB of RAM \(IOVA = GPA, [0-9]+ run\(s\)\), nothing else" \
        --expect "^vm0: $EDU_RE: BAR0 0x[0-9a-f]+\+0x100000 mapped GPA = HPA, uncached" \
        --expect "^vm0: assigned $EDU_RE \(1234:11e8\) at the same address in its PCI" \
        --expect "^vm0: $EDU_RE: MSI enabled: guest vector 0x41 to APIC 0 \(physical\), host vector 0x[0-9a-f]+" \
        --expect "$GUEST_LINES" --reject '^\[vm0\] not ok' --expect "$GUEST_PASSED" \
        --expect "^vm0: released $EDU_RE: DMA blocked again, dom[0-9]+ destroyed; MSIs delivered 1, dropped 0" \
        --reject 'DMA of assigned .* blocked by the IOMMU' --expect "$BOOTED"
    qemu_compare "assign-identical-output-$mode" "assign-native-edu-$mode" "assign-edu-$mode"
done

# edu present on the host but not assigned: the guest sees no edu, exactly as natively without one.
native assign-native-no-edu 0 "x-scalable-mode=on"
qemu_scenario assign-not-assigned --kernel "loglevel=info" --iommu "x-scalable-mode=on" \
    --arg -initrd --arg "$GUEST guest mem=32M edu" \
    --expect '^\[vm0\] ok [0-9]+ - edu: found on PCI bus 0 through 0xCF8 # SKIP edu absent' \
    --reject '^\[vm0\] not ok' --expect "$GUEST_PASSED" --reject '^vm0: assigned' --expect "$BOOTED"
qemu_compare assign-identical-output-no-edu assign-native-no-edu assign-not-assigned

# The guest makes edu write beyond its RAM: the host IOMMU blocks it, Nestor names the VM.
qemu_scenario assign-dma-outside-ram --kernel "loglevel=info assign=$EDU" --iommu "x-scalable-mode=on" --mem 256 \
    --arg -initrd --arg "$GUEST guest mem=32M edu-dma-outside" --vtd-stderr-ok \
    --expect '^\[vm0\] # edu: DMA from the device to 0x0ff00000' \
    --expect "^warning: vm0: DMA of assigned $EDU_RE blocked by the IOMMU \(dom[0-9]+\): vtd0: fault: $EDU_RE write iova 0x0*ff00000 " \
    --expect "$GUEST_PASSED" --expect "^vm0: released $EDU_RE: DMA blocked again" --expect "$BOOTED"
if grep -q 'translation failure (dev=[0-9a-f:]*, iova=0xff00000)' "$QEMU_TEST_OUT/assign-dma-outside-ram/stderr.log" 2>/dev/null; then
    _qemu_tap ok "assign-dma-outside-ram: QEMU's IOMMU model did not translate the write"
else
    _qemu_tap "not ok" "assign-dma-outside-ram: QEMU's IOMMU model did not translate the write"
    QEMU_TEST_FAILED=$((QEMU_TEST_FAILED + 1))
    _qemu_dump "QEMU stderr" "$QEMU_TEST_OUT/assign-dma-outside-ram/stderr.log"
fi

# Refusals: each logged, the VM runs without the device.
qemu_scenario assign-refusals --kernel "loglevel=info assign=00:00.0,00:05.0,00:1e.7,zz:1.0" \
    --iommu "x-scalable-mode=on" --arg -device --arg "pcie-root-port,id=rp5,bus=pcie.0,addr=0x5,chassis=5" \
    --arg -initrd --arg "$GUEST guest mem=32M" \
    --expect '^warning: assign: 0000:00:00\.0: not assigned: it is a host bridge; vm0 runs without it' \
    --expect '^warning: assign: 0000:00:05\.0: not assigned: it is a PCI bridge; vm0 runs without it' \
    --expect '^warning: assign: 0000:00:1e\.7: no such PCI device; vm0 runs without it' \
    --expect '^warning: assign: "zz:1\.0" is not a PCI address' \
    --reject '^vm0: assigned' --expect "$GUEST_PASSED" --expect "$BOOTED"
qemu_scenario assign-refused-without-dmar --kernel "loglevel=info assign=$EDU" \
    --arg -initrd --arg "$GUEST guest mem=32M" \
    --expect "^warning: assign: $EDU_RE: not assigned: no VT-d \(no DMAR table, or iommu=off\): without DMA confinement the device could reach all memory; vm0 runs without it" \
    --reject '^vm0: assigned' --expect "$GUEST_PASSED" --expect "$BOOTED"
qemu_scenario assign-refused-iommu-off --kernel "loglevel=info iommu=off assign=$EDU" --iommu "x-scalable-mode=on" \
    --arg -initrd --arg "$GUEST guest mem=32M" \
    --expect "^warning: assign: $EDU_RE: not assigned: no VT-d \(no DMAR table, or iommu=off\)" \
    --reject '^vm0: assigned' --expect "$GUEST_PASSED" --expect "$BOOTED"

qemu_suite_end
