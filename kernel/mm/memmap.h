/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The boot memory map turned into what the frame allocator manages: sorted, page-aligned,
 * non-overlapping free ranges. Pure (no hardware), unit-tested on Linux.
 *
 * Rules: a byte is free when some "usable" entry covers it, no entry of another type covers
 * it (any non-usable type wins an overlap), it is not in a reserved range given by the
 * caller and not in the first MiB. Free ranges are shrunk inward to whole pages.
 * Without a memory map, the Multiboot basic memory information (mem_lower/mem_upper) is used.
 */
#ifndef NESTOR_KERNEL_MM_MEMMAP_H
#define NESTOR_KERNEL_MM_MEMMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/bootinfo.h"

#define MEMMAP_RANGES_MAX   256
#define MEMMAP_LOW_RESERVED 0x100000ULL          /* the first MiB: BIOS data, real-mode areas */
#define MEMMAP_PHYS_LIMIT   (1ULL << 52)         /* architectural MAXPHYADDR bound; higher is clipped */
#define MEMMAP_PAGE_SIZE    4096ULL

/* [base, end): end is exclusive and never wraps (entries are clipped to MEMMAP_PHYS_LIMIT). */
struct mem_range {
    uint64_t base;
    uint64_t end;
};

struct memmap {
    /* Usable RAM before the caller's reservations (non-usable types and the first MiB removed). */
    struct mem_range usable[MEMMAP_RANGES_MAX];
    unsigned usable_count;
    uint64_t usable_bytes;
    /* What the frame allocator may hand out: usable minus every reservation, whole pages. */
    struct mem_range free[MEMMAP_RANGES_MAX];
    unsigned free_count;
    uint64_t free_bytes;
    bool from_basic_meminfo; /* no memory map: built from mem_lower/mem_upper */
    bool truncated;          /* more ranges than MEMMAP_RANGES_MAX: the highest were dropped */
};

/*
 * Builds *out from the boot information and nreserved caller ranges (any order, may overlap,
 * empty ones ignored). Returns 0, or -ENOENT when the boot loader gave neither a memory map
 * with usable RAM nor basic memory information, -ENOMEM when nothing is left free; both logged.
 */
int memmap_build(const struct boot_info *bi, const struct mem_range *reserved, unsigned nreserved,
                 struct memmap *out);

/* A readable name for a boot memory type ("usable", "ACPI NVS", ...). */
const char *memmap_type_name(uint32_t type);

/* True when [base, end) lies entirely inside one of the n sorted, disjoint ranges. */
bool mem_ranges_contain(const struct mem_range *ranges, unsigned n, uint64_t base, uint64_t end);

#endif
