#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# `make run`: boots the ISO (BIOS, GRUB's default entry) in QEMU TCG with the VT-d model in
# scalable mode and the edu device, serial console on this terminal. Nestor ends the run itself
# (exit=auto finds QEMU and writes to isa-debug-exit); Ctrl-A X quits QEMU at any time.
# Exit status 0 when Nestor reported success (QEMU status 33).
# Usage: tests/qemu/run-demo.sh [build-dir]   (QEMU_DEMO_TIMEOUT seconds, default 120)
set -u
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
QEMU=${QEMU:-qemu-system-x86_64}
limit=${QEMU_DEMO_TIMEOUT:-120}

[ -f "$BUILD/nestor.iso" ] || { echo "run-demo: $BUILD/nestor.iso missing (make all)" >&2; exit 1; }
echo "run-demo: $("$QEMU" --version | head -n1); Ctrl-A X quits; ends by itself within ${limit}s" >&2

# On a terminal, QEMU must stay in the foreground process group to read the keyboard.
fg=()
[ -t 0 ] && fg=(--foreground)
timeout "${fg[@]}" -k 5 "$limit" "$QEMU" -accel tcg -machine q35 -cpu qemu64,+svm,+npt -m 256 -smp 1 \
    -nodefaults -display none -serial mon:stdio -no-reboot \
    -device intel-iommu,x-scalable-mode=on -device edu \
    -device isa-debug-exit,iobase=0xf4,iosize=4 \
    -cdrom "$BUILD/nestor.iso" -boot d
rc=$?
# QEMU leaves the terminal raw when it is killed: give it back.
[ -t 0 ] && stty sane 2>/dev/null && echo >&2
case $rc in
33) echo "run-demo: Nestor reported success (QEMU exit status 33)" >&2; exit 0 ;;
124 | 137) echo "run-demo: timed out after ${limit}s" >&2 ;;
0) echo "run-demo: QEMU ended with status 0 (Ctrl-A X, a reset or a triple fault), not through Nestor's exit" >&2 ;;
*) echo "run-demo: QEMU exit status $rc (33 is success; 37 is a fault or panic)" >&2 ;;
esac
exit 1
