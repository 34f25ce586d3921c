/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the boot loader handed over (Multiboot1 or Multiboot2), decoded into plain
 * structures. Pure: memory is read through a callback, so the parser is unit-tested
 * on Linux with crafted info blocks; every length is checked against its container.
 */
#ifndef NESTOR_KERNEL_BOOTINFO_H
#define NESTOR_KERNEL_BOOTINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MB1_BOOTLOADER_MAGIC 0x2BADB002u
#define MB2_BOOTLOADER_MAGIC 0x36D76289u

#define BOOT_MMAP_MAX    128
#define BOOT_MODULES_MAX 16
#define BOOT_STRING_MAX  256
#define BOOT_CMDLINE_MAX 1024

/* Memory range types: Multiboot/E820 (ACPI 6.4 table 15.312). */
enum boot_mem_type {
    BOOT_MEM_USABLE = 1,
    BOOT_MEM_RESERVED = 2,
    BOOT_MEM_ACPI_RECLAIM = 3,
    BOOT_MEM_ACPI_NVS = 4,
    BOOT_MEM_BAD = 5,
};

struct boot_mem_range {
    uint64_t base;
    uint64_t length;
    uint32_t type;
};

struct boot_module {
    uint64_t start; /* physical, inclusive */
    uint64_t end;   /* physical, exclusive */
    char cmdline[BOOT_STRING_MAX];
};

struct boot_info {
    int protocol; /* 1 or 2 */
    char cmdline[BOOT_CMDLINE_MAX];
    struct boot_mem_range mmap[BOOT_MMAP_MAX];
    unsigned mmap_count;
    bool mmap_truncated;
    bool has_basic_mem;
    uint32_t mem_lower_kb, mem_upper_kb;
    struct boot_module modules[BOOT_MODULES_MAX];
    unsigned module_count;
    /* RSDP copied by a Multiboot2 loader (tags 14/15); rsdp_len 0 if none. */
    uint8_t rsdp[64];
    size_t rsdp_len;
    /* Physical extent of the loader's info block and of what it points to, to reserve. */
    uint64_t info_start, info_end;
};

/* Returns a pointer to len bytes at physical address pa, or NULL if not readable. */
typedef const void *(*phys_read_fn)(uint64_t pa, size_t len);

/* 0 on success, negative on an unusable block (wrong magic, bad sizes). Problems are logged. */
int bootinfo_parse(uint32_t magic, uint64_t info_pa, phys_read_fn read, struct boot_info *out);

#endif
