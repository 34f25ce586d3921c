/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * x86-64 4-level page tables (Intel SDM vol. 3A section 4.5, tables 4-14 to 4-20): building
 * and walking. Pure: tables are reached through phys_to_ptr and new ones come from
 * alloc_table, so the builder is unit-tested on Linux.
 */
#ifndef NESTOR_KERNEL_MM_PAGETABLE_H
#define NESTOR_KERNEL_MM_PAGETABLE_H

#include <stdbool.h>
#include <stdint.h>

/* Entry bits (SDM vol. 3A tables 4-14 to 4-20). */
#define PTE_PRESENT  (1ULL << 0)
#define PTE_WRITE    (1ULL << 1)
#define PTE_USER     (1ULL << 2)
#define PTE_PWT      (1ULL << 3)
#define PTE_PCD      (1ULL << 4)
#define PTE_ACCESSED (1ULL << 5)
#define PTE_DIRTY    (1ULL << 6)
#define PTE_PS       (1ULL << 7) /* PDPTE/PDE: maps a 1 GiB / 2 MiB page */
#define PTE_GLOBAL   (1ULL << 8)
#define PTE_NX       (1ULL << 63) /* valid only with EFER.NXE */
#define PTE_ADDR_MASK 0x000FFFFFFFFFF000ULL
/* Bit 12 of a large-page entry is PAT (SDM table 4-17), not an address bit. */
#define PTE_LARGE_PAT (1ULL << 12)

#define PT_ENTRIES    512
#define PT_PAGE_4K    (1ULL << 12)
#define PT_PAGE_2M    (1ULL << 21)
#define PT_PAGE_1G    (1ULL << 30)
#define PT_VA_LIMIT   (1ULL << 47) /* the lower canonical half: what identity maps can reach */

/* Attribute bits a caller may pass to pt_map. */
#define PT_MAP_FLAGS  (PTE_WRITE | PTE_USER | PTE_PWT | PTE_PCD | PTE_GLOBAL | PTE_NX)

struct pt_space {
    uint64_t root_pa;     /* the PML4 */
    bool allow_1g;        /* CPUID 0x80000001 EDX bit 26 (Page1GB) */
    uint64_t (*alloc_table)(void *opaque); /* a zeroed 4 KiB table, or 0 */
    void *(*phys_to_ptr)(void *opaque, uint64_t pa);
    void *opaque;
    bool changed_present; /* set when a present entry was changed: the TLB needs a flush */
};

/*
 * Maps [va, va + len) to [pa, pa + len) with flags (PT_MAP_FLAGS), using the largest pages
 * alignment allows and splitting existing large pages where the new mapping is finer.
 * All three must be 4 KiB aligned and va + len <= PT_VA_LIMIT. 0, -EINVAL, -ERANGE, or
 * -ENOMEM (a table allocation failed: the range may be partly mapped).
 */
int pt_map(struct pt_space *s, uint64_t va, uint64_t pa, uint64_t len, uint64_t flags);

/* The leaf for va: physical address of va, the entry's attribute bits and its page size. */
struct pt_leaf {
    uint64_t pa;
    uint64_t flags;
    uint64_t page_size;
};
bool pt_lookup(const struct pt_space *s, uint64_t va, struct pt_leaf *out);

#endif
