/* SPDX-License-Identifier: GPL-2.0-only */
/* Loading a Multiboot1 kernel into a VM and setting its vCPU 0 up as the kernel expects. */
#ifndef NESTOR_VMM_GUEST_BOOT_H
#define NESTOR_VMM_GUEST_BOOT_H

#include <stddef.h>

#include "vmm/vm.h"

/*
 * Loads image (with cmdline) into vm's RAM and sets vCPU 0 to the Multiboot1 entry state
 * (Multiboot Specification 3.2, what GRUB and QEMU -kernel do): 32-bit protected mode,
 * paging off, CS a flat 4 GiB execute/read code segment, DS/ES/FS/GS/SS flat 4 GiB
 * read/write data, EAX = 0x2BADB002, EBX = the info block, EFLAGS.IF and VM clear,
 * A20 on (nested paging maps all of RAM). 0, or an error (logged).
 */
int guest_boot_multiboot1(struct vm *vm, const void *image, size_t image_len, const char *cmdline);

#endif
