#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Guest scenarios (issue 4, SVM+NPT under TCG): the built-in guest (selftest=svm); no NPT
# (Nestor says so and starts no guest); the test guest natively on QEMU (-kernel) and as a
# Nestor guest (-initrd module "guest"), whose outputs must be identical once the "[vm0] "
# prefix is stripped; the test guest from the ISO (GRUB module2); a guest triple fault
# (only the VM stops); a module that is not a Multiboot kernel (refused with a log line).
# Usage: tests/qemu/svm.sh [build-dir]   (prints TAP; exits 1 if a scenario failed)
set -u
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
. tests/qemu/lib.sh

GUEST=$BUILD/guests/testguest.elf
qemu_print_version || { echo "not ok 1 - qemu: QEMU is installed"; exit 1; }
for f in "$BUILD/nestor.elf" "$BUILD/nestor.iso" "$GUEST"; do
    [ -f "$f" ] || { echo "not ok 1 - qemu: $f exists (run make)"; exit 1; }
done

BOOTED='^nestor: boot complete'
SVM_ON='^svm: revision [0-9]+, [0-9]+ ASIDs, NPT yes'
GUEST_PASSED='^vm0: guest wrote 0x10 to isa-debug-exit\b'
GUEST_STOPPED='^vm0: stopped: '
COUNTERS='^vm0: exits total [0-9]+'

qemu_scenario svm-builtin-guest --kernel "loglevel=info selftest=svm" \
    --expect "$SVM_ON" --expect '^vm0: running' --expect '^\[vm0\] hello from guest' \
    --expect '^\[vm0\] cpuid: NestorNestor\b' --expect "$GUEST_PASSED" --expect '^vm0: exits cpuid 1\b' \
    --expect "$COUNTERS" --expect "$BOOTED"

# qemu64,+svm without +npt: the later -cpu wins.
qemu_scenario svm-without-npt --kernel "loglevel=info selftest=svm" --arg -cpu --arg qemu64,+svm \
    --status 35 --expect '^svm: revision [0-9]+, [0-9]+ ASIDs, NPT no' \
    --expect 'svm: no nested paging \(NPT\): guests cannot run' --expect 'guest\(s\) requested but no virtualisation back end' \
    --reject '^vm0: running' --reject '^\[vm0\]' --expect "$BOOTED"

qemu_native_guest testguest-native "$GUEST" "" "" -device edu
qemu_scenario testguest-nestor --kernel "loglevel=info" --arg -initrd --arg "$GUEST guest mem=32M" \
    --expect "$SVM_ON" --expect '^vm0: 32 MiB RAM' --expect '^\[vm0\] 1\.\.[0-9]+' --reject '^\[vm0\] not ok' \
    --expect "$GUEST_PASSED" --expect '^vm0: exits io [0-9]+' --expect "$COUNTERS" --expect "$BOOTED"
qemu_compare testguest-identical-output testguest-native testguest-nestor

qemu_scenario testguest-iso --iso --expect '^vm0: guest module 0' --expect '^\[vm0\] 1\.\.[0-9]+' \
    --reject '^\[vm0\] not ok' --expect "$GUEST_PASSED" --expect "$BOOTED"

# The guest triple-faults (QEMU's default reject /triple fault/ stays armed: Nestor itself must
# not fault): that VM stops with a log line; Nestor carries on and ends normally.
qemu_scenario testguest-triple-fault --kernel "loglevel=info" --arg -initrd --arg "$GUEST guest mem=8M triplefault" \
    --expect '^vm0: guest module 0, [0-9]+ bytes, command line "triplefault"' \
    --expect '^\[vm0\] # testguest: forcing a shutdown' --expect '^vm0: stopped: shutdown: the guest triple-faulted' \
    --expect '^vm0: exits shutdown 1\b' --expect "$BOOTED"

# The guest executes XCHG on its LAPIC page (MMIO), which the MOV-family emulation refuses:
# that VM stops with a log line naming the instruction bytes; Nestor carries on and ends normally.
qemu_scenario testguest-mmio-unsupported --kernel "loglevel=info" \
    --arg -initrd --arg "$GUEST guest mem=32M mmio-unsupported" \
    --expect '^error: vm0: unsupported instruction 87 [0-9a-f ]+ at rip 0x[0-9a-f]+ on MMIO 0xfee00' \
    --expect '^vm0: stopped: unsupported instruction at rip' --expect '^vm0: exits npf [0-9]+' \
    --expect "$BOOTED"

# A module that is not a Multiboot kernel (a relocatable object): refused, the run reports failure.
BAD=$(ls "$BUILD"/guests/obj/tests/guests/guest_lib.c.o 2>/dev/null | head -n1)
qemu_scenario guest-image-refused --kernel "loglevel=info" --arg -initrd --arg "$BAD guest" --status 35 \
    --expect '^error: vm0: multiboot: ' --expect '^error: vm0: guest image refused; VM not started' \
    --reject '^vm0: running' --expect "$BOOTED"

qemu_suite_end
