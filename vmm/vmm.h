/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor's guest flow at boot: for each boot module whose command line starts
 * with "guest" (GRUB: `module2 /boot/kernel.elf guest [mem=SIZE] [guest command line]`),
 * create a VM, load the Multiboot1 kernel and run it to completion. Without a guest
 * module, `selftest=svm` runs a tiny built-in guest instead.
 */
#ifndef NESTOR_VMM_VMM_H
#define NESTOR_VMM_VMM_H

#include "kernel/bootinfo.h"

#define VMM_DEFAULT_GUEST_MEM (64ULL << 20)

void vmm_init(const struct boot_info *bi);
/*
 * What Nestor's run should end with: the isa-debug-exit value of the first guest that
 * wrote one other than PLATFORM_EXIT_SUCCESS, else PLATFORM_EXIT_SUCCESS; or
 * PLATFORM_EXIT_FAILURE when guests were requested but could not be started.
 */
int vmm_exit_code(void);

#endif
