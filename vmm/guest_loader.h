/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Multiboot1 guest loading: a kernel image (ELF32 program headers, or the a.out-kludge
 * address fields) placed in guest RAM, its modules after it, and a Multiboot1 information
 * block (memory, memory map, command line, modules, loader name) after those, so the
 * kernel can be entered as GRUB or QEMU -kernel would (see vcpu_setup_multiboot_entry).
 *
 * The image is hostile input: every header field is checked against the file and the
 * guest RAM (the image must lie in [GUEST_LOAD_MIN, RAM end)); a bad image is refused
 * with one log line "<name>: multiboot: ...". Pure: guest memory is written through
 * callbacks, so it is unit-tested on Linux.
 */
#ifndef NESTOR_VMM_GUEST_LOADER_H
#define NESTOR_VMM_GUEST_LOADER_H

#include <stddef.h>
#include <stdint.h>

#define GUEST_LOAD_MIN      0x100000ULL /* below: real-mode area, EBDA, BIOS tables */
#define GUEST_LOAD_MAX      0xFFFFFFFFULL /* 32-bit multiboot addresses */
#define GUEST_CMDLINE_MAX   1024
#define GUEST_MODULES_MAX   8

/* Guest physical memory as the loader sees it. */
struct guest_mem_ops {
    int (*write)(void *ctx, uint64_t gpa, const void *buf, size_t len); /* 0 or -EFAULT */
    int (*fill)(void *ctx, uint64_t gpa, uint8_t value, size_t len);
    void *ctx;
};

struct guest_module_image {
    const void *data;
    size_t len;
    const char *cmdline;
};

struct guest_load_params {
    const char *name;            /* log prefix, e.g. "vm0" */
    const void *image;
    size_t image_len;
    const char *cmdline;         /* the kernel's command line (NULL: empty) */
    const struct guest_module_image *modules;
    unsigned nr_modules;
    uint64_t ram_bytes;          /* guest RAM is GPA [0, ram_bytes) */
    struct guest_mem_ops mem;
};

/* Where the kernel starts: EAX = MB1_BOOTLOADER_MAGIC_EAX, EBX = info_gpa, EIP = entry. */
struct guest_entry {
    uint32_t entry;
    uint32_t info_gpa;
    uint64_t image_start, image_end; /* GPA extent of the kernel (bss included) */
    uint64_t used_end;               /* end of everything placed in guest RAM */
};

/* 0, or -EINVAL (bad image, logged), -E2BIG (does not fit, logged), -EFAULT. */
int guest_load_multiboot1(const struct guest_load_params *p, struct guest_entry *out);

#endif
