/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How Nestor ends: under QEMU through isa-debug-exit (port 0xF4; QEMU exits with
 * status (v << 1) | 1), under Bochs through its shutdown port, else by halting.
 * Chosen by the command line: exit=qemu|bochs|halt|auto (auto: qemu when CPUID
 * names QEMU's TCG or KVM, bochs when Bochs' port 0xE9 hack answers, else halt).
 */
#ifndef NESTOR_KERNEL_PLATFORM_H
#define NESTOR_KERNEL_PLATFORM_H

/* Values written to isa-debug-exit: 0x10 -> QEMU status 33, 0x11 -> 35. */
#define PLATFORM_EXIT_SUCCESS 0x10
#define PLATFORM_EXIT_FAILURE 0x11
#define PLATFORM_EXIT_PANIC   0x12

void platform_exit_init(void);
__attribute__((noreturn)) void platform_exit(int code);

#endif
