#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Boots Nestor in Bochs (VMX with EPT, no VT-d) and checks the serial log. Prints TAP lines.
# Scenarios:
#   vmx            the ISO's default entry: decoded VMX capabilities on one "vmx:" line, the
#                  "no DMAR" line, the test guest (GRUB module "guest") run by the VMX back end
#                  with its lines prefixed "[vm0] ", its isa-debug-exit value ending the run
#   vmx-same-as-svm  the test guest's lines equal those of the SVM run of the same ISO under
#                  QEMU (tests/qemu/svm.sh testguest-iso, or a run made here), device lines
#                  (edu) left out
#   vmx-builtin    selftest=vmx: the built-in guest (hello, CPUID signature, debug exit)
#   vmx-triple-fault  the test guest triple-faults: only the VM stops, Nestor ends normally
#   vmx-probe-guest  a tiny guest (probe_guest.S): VMCALL comes back as an injected #UD,
#                  an unlisted MSR as #GP(0); LAPIC MMIO through EPT violations and the MMIO
#                  emulation; a read beyond RAM stops the VM with the GPA named
#   vmx-fail-guest-state, vmx-fail-control  a VM entry broken on purpose (vmx_fail=, vmx.h):
#                  the failure is decoded and logged, the VM stops, Nestor ends normally
# Every run is bounded (timeout) and must end by itself through the Bochs shutdown port.
# Usage: tests/bochs/run.sh [build-dir]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
case $build in /*) ;; *) build=$top/$build ;; esac
out=$build/tests/bochs
mkdir -p "$out"
iso=$build/nestor.iso
limit=240
n=0
fails=0

tap() { # status name [detail]
    n=$((n + 1))
    if [ "$1" = ok ]; then echo "ok $n - bochs: $2"; else echo "not ok $n - bochs: $2${3:+ ($3)}"; fails=$((fails + 1)); fi
}

if ! command -v bochs >/dev/null; then
    n=$((n + 1)); echo "ok $n - bochs: boot # SKIP bochs is not installed"; exit 0
fi

# make_iso DIR KERNEL_CMDLINE [MODULE_LINE]: DIR/nestor.iso booting Nestor with that command
# line (and a module2 line), from the files of the built ISO and DIR/*.bin (in /boot).
make_iso() {
    local dir=$1 cmdline=$2 module=${3:-}
    rm -rf "$dir/isodir" && cp -r "$build/isodir" "$dir/isodir" || return 1
    for f in "$dir"/*.bin; do [ -f "$f" ] && cp "$f" "$dir/isodir/boot/"; done
    {
        echo "serial --unit=0 --speed=115200"
        echo "terminal_input serial console"
        echo "terminal_output serial console"
        echo "set timeout=0"
        echo "menuentry \"Nestor ($cmdline)\" {"
        echo "    multiboot2 /boot/nestor.elf $cmdline"
        [ -n "$module" ] && echo "    $module"
        echo "    boot"
        echo "}"
    } > "$dir/isodir/boot/grub/grub.cfg"
    grub-mkrescue -o "$dir/nestor.iso" --install-modules="multiboot2 multiboot normal serial terminal configfile iso9660 part_msdos part_gpt" \
        --fonts= --locales= --themes= --compress=xz "$dir/isodir" > "$dir/grub-mkrescue.log" 2>&1
}

# boot NAME [KERNEL_CMDLINE [MODULE_LINE]]: runs Bochs until Nestor writes "Shutdown" to port
# 0x8900 or the time limit; without a command line, on a private copy of the built ISO.
boot() {
    local name=$1 dir=$out/$1
    if [ $# -ge 2 ]; then
        make_iso "$dir" "$2" "${3:-}" || { echo 1 > "$dir/status"; return 1; }
    else
        cp "$iso" "$dir/nestor.iso" || return 1   # a private copy: a rebuild must not change it mid-run
    fi
    sed -e "s|@ISO@|$dir/nestor.iso|" -e "s|@SERIAL@|$dir/serial.log|" -e "s|@LOG@|$dir/bochs.log|" \
        "$top/tests/bochs/bochsrc.in" > "$dir/bochsrc"
    echo c > "$dir/cmds"
    # Bochs' term display needs a terminal: script(1) gives it one.
    (cd "$dir" && timeout -k 5 "$limit" script -qfc "bochs -q -f bochsrc -rc cmds" /dev/null > term.out 2>&1)
    echo $? > "$dir/status"
}

# Bochs' term display needs a pseudo-terminal, which script(1) allocates: say so plainly when
# the machine has none (a container or chroot without /dev/pts) instead of listing missing lines.
if ! script -qfc true /dev/null >/dev/null 2>&1; then
    tap fail "pseudo-terminal for Bochs' term display" "script(1) cannot create one: is /dev/pts mounted?"
    exit 1
fi

# ended NAME: the run ended by itself (not by the time limit).
ended() {
    if [ "$(cat "$out/$1/status" 2>/dev/null)" = 124 ]; then tap fail "$1 ends by itself" "timed out after $limit s"
    else tap ok "$1 ends by itself"; fi
}

# expect NAME TEST PATTERN... [! PATTERN...]: every extended regex before "!" must match a line
# of the serial log, none after it may.
expect() {
    local name=$1 test=$2 log=$out/$1/serial.log miss="" reject=0; shift 2
    for p in "$@"; do
        if [ "$p" = "!" ]; then reject=1; continue; fi
        if [ $reject = 0 ]; then tr -d '\r' < "$log" 2>/dev/null | grep -Eq -- "$p" || miss="$miss [missing: $p]"
        else ! tr -d '\r' < "$log" 2>/dev/null | grep -Eq -- "$p" || miss="$miss [present: $p]"; fi
    done
    if [ -z "$miss" ]; then tap ok "$name: $test"; else
        tap fail "$name: $test" "${miss# }"
        echo "# --- serial log ($log) ---"; tr -d '\r' < "$log" 2>/dev/null | sed -n '/^Nestor /,$p' | sed 's/^/# /' | tail -60
    fi
}

# The guest's own lines without the "[vm0] " prefix and without device-dependent (edu) lines.
guest_lines() { tr -d '\r' < "$1" | sed -n 's/^\[vm0\] //p' | grep -v 'edu'; }

# The SVM reference: tests/qemu/svm.sh's run of the same ISO if it is newer than the ISO,
# else a QEMU run made here. Prints the serial log's path, or nothing without QEMU.
svm_reference() {
    local qlog=$build/tests/qemu/testguest-iso/serial.log dir=$out/svm-reference qemu=${QEMU:-qemu-system-x86_64}
    if [ -s "$qlog" ] && [ "$qlog" -nt "$iso" ]; then echo "$qlog"; return; fi
    command -v "$qemu" >/dev/null || return
    rm -rf "$dir" && mkdir -p "$dir"
    timeout -k 5 90 "$qemu" -accel tcg -machine q35 -cpu qemu64,+svm,+npt -m 256 -nodefaults -display none \
        -serial "file:$dir/serial.log" -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4 \
        -cdrom "$iso" </dev/null > "$dir/stdout.log" 2> "$dir/stderr.log"
    echo "$dir/serial.log"
}

VMX_CAPS='^vmx: basic 0x[0-9a-f]{16} rev 0x[0-9a-f]+ vmcs [0-9]+ B true-controls; secondary:.* ept .*unrestricted-guest.*; ept/vpid cap 0x[0-9a-f]{16}:.* 4-level'
VMX_ON='^vmx: VMX operation on'
NO_DMAR='^dmar: no DMAR table: VT-d is not available'
BOOTED='^nestor: boot complete'
GUEST_PASSED='^vm0: guest wrote 0x10 to isa-debug-exit'
BOCHS_EXIT='^nestor: exit code 0x10 \(bochs shutdown port\)'

# fresh NAME: an empty output folder for a scenario.
fresh() { rm -rf "${out:?}/$1" && mkdir -p "$out/$1"; }

fresh vmx
boot vmx
ended vmx
expect vmx "boot" '^Nestor .* VT-d microhypervisor' "$NO_DMAR" "$BOOTED" "$BOCHS_EXIT"
expect vmx "VMX back end" "$VMX_CAPS" "$VMX_ON" '^vm0: .*back end vmx' '^svm: not available'
expect vmx "test guest" '^vm0: guest module 0' '^\[vm0\] ok 1 - ' '^\[vm0\] 1\.\.[0-9]+' "$GUEST_PASSED" \
    '^vm0: exits io [0-9]+' '^vm0: exits total [0-9]+' ! '^\[vm0\] not ok' 'vmx: .*failed' 'VM-entry failure'

ref=$(svm_reference)
if [ -z "$ref" ]; then
    n=$((n + 1)); echo "ok $n - bochs: vmx-same-as-svm # SKIP no QEMU for the SVM reference run"
else
    mkdir -p "$out/vmx-same-as-svm"
    guest_lines "$ref" > "$out/vmx-same-as-svm/svm.txt"
    guest_lines "$out/vmx/serial.log" > "$out/vmx-same-as-svm/vmx.txt"
    if [ -s "$out/vmx-same-as-svm/svm.txt" ] &&
        diff -u "$out/vmx-same-as-svm/svm.txt" "$out/vmx-same-as-svm/vmx.txt" > "$out/vmx-same-as-svm/diff.txt"; then
        tap ok "vmx-same-as-svm: the test guest's lines equal the SVM run's"
        echo "#   $(wc -l < "$out/vmx-same-as-svm/svm.txt") identical lines (reference $ref)"
    else
        tap fail "vmx-same-as-svm: the test guest's lines equal the SVM run's" "reference $ref"
        sed 's/^/# /' "$out/vmx-same-as-svm/diff.txt" | head -60
    fi
fi

fresh vmx-builtin
boot vmx-builtin "loglevel=debug selftest=vmx"
ended vmx-builtin
expect vmx-builtin "built-in guest" "$VMX_CAPS" '^vm0: built-in guest \(selftest=vmx\)' '^\[vm0\] hello from guest' \
    '^\[vm0\] cpuid: NestorNestor' "$GUEST_PASSED" '^vm0: exits cpuid 1$' "$BOCHS_EXIT" ! 'VM-entry failure' '^warning: vmm: selftest'

fresh vmx-triple-fault
boot vmx-triple-fault "loglevel=info" "module2 /boot/testguest.elf guest mem=8M triplefault"
ended vmx-triple-fault
expect vmx-triple-fault "guest triple fault stops only the VM" '^\[vm0\] # testguest: forcing a shutdown' \
    '^vm0: stopped: shutdown: the guest triple-faulted' '^vm0: exits shutdown 1$' "$BOOTED" \
    "$BOCHS_EXIT"

fresh vmx-probe-guest
pg=$out/vmx-probe-guest
if gcc -m32 -c "$top/tests/bochs/probe_guest.S" -o "$pg/probe_guest.o" 2> "$pg/build.log" &&
    ld -m elf_i386 -e start -Ttext=0x100000 --oformat binary "$pg/probe_guest.o" -o "$pg/probe_guest.bin" 2>> "$pg/build.log"; then
    # The addresses of the two faulting instructions, for the injected events' saved EIP.
    ud_eip=$(printf '%08x' $((0x100000 + 0x$(nm "$pg/probe_guest.o" | awk '$3 == "vmcall_insn" { print $1 }'))))
    gp_eip=$(printf '%08x' $((0x100000 + 0x$(nm "$pg/probe_guest.o" | awk '$3 == "rdmsr_insn" { print $1 }'))))
    boot vmx-probe-guest "loglevel=info" "module2 /boot/probe_guest.bin guest mem=8M"
    ended vmx-probe-guest
    expect vmx-probe-guest "VMCALL and an unlisted MSR come back as injected #UD and #GP(0)" \
        "^\\[vm0\\] event: #UD at eip 0x$ud_eip\$" '^\[vm0\] event: #GP error code 0x00000000$' \
        "^\\[vm0\\] event: #GP at eip 0x$gp_eip\$" '^vm0: exits undefined-insn 1$' '^vm0: exits rdmsr 1$'
    expect vmx-probe-guest "EPT violations reach the MMIO emulation and stop the VM outside RAM" \
        '^\[vm0\] mmio: lapic version 0x000[1-9a-f][0-9a-f]{4}$' '^\[vm0\] mmio: lapic tpr 0x00000020$' \
        '^\[vm0\] mmio: reading outside RAM$' \
        '^vm0: stopped: nested page fault: read at GPA 0x20000000 outside guest RAM and devices' \
        '^vm0: exits npf [0-9]+$' "$BOOTED" ! '^vm0: guest wrote' 'EPT misconfiguration'
else
    tap fail "vmx-probe-guest: guest built" "$(head -c 300 "$pg/build.log")"
fi

fresh vmx-fail-guest-state
boot vmx-fail-guest-state "loglevel=info selftest=vmx vmx_fail=guest-state"
ended vmx-fail-guest-state
expect vmx-fail-guest-state "VM-entry failure decoded" \
    '^error: vm0: vmx: VM-entry failure, exit reason 33 \(VM-entry failure: invalid guest state\), qualification 0 \(default\)' \
    '^error: vm0: vmx: controls pin 0x[0-9a-f]+ proc' '^error: vm0: guest state refused: rip 0x[0-9a-f]+ rflags 0x0 ' \
    '^vm0: stopped: the processor refused the guest state \(VM-entry failure: invalid guest state\)' \
    '^vm0: exits entry-failed 1$' "$BOCHS_EXIT" ! '^\[vm0\] hello'

fresh vmx-fail-control
boot vmx-fail-control "loglevel=info selftest=vmx vmx_fail=control"
ended vmx-fail-control
expect vmx-fail-control "VMfailValid decoded" \
    '^error: vm0: vmx: VMLAUNCH failed: VMfailValid, VM-instruction error 7 \(VM entry with invalid control field\(s\)\)' \
    '^vm0: stopped: vCPU 0 could not enter the guest' "$BOCHS_EXIT" ! '^\[vm0\] hello'

exit $((fails > 0))
