/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Extended page tables (Intel SDM Vol. 3 29.3): GPA->HPA tables for the VMX back end, in
 * the 4-level EPT format (29.3.2 tables 29-1..29-6) with 4 KiB and 2 MiB leaves. Entries
 * carry read/write/execute permissions; leaves carry the EPT memory type (29.3.7): WB for
 * RAM, UC for MMIO.
 *
 * The VM's nested table (npt.h) stays the one record of the guest's physical address
 * space and of its invariant (every leaf is the VM's RAM or its assigned MMIO); the EPT
 * is a mirror of it built by ept_mirror_npt(), rebuilt whole when the VM's table changes.
 *
 * Pure: table pages come from callbacks and are reached through phys_to_virt().
 */
#ifndef NESTOR_VMM_EPT_H
#define NESTOR_VMM_EPT_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/npt.h"

#define EPT_PAGE_4K (1ULL << 12)
#define EPT_PAGE_2M (1ULL << 21)
#define EPT_GPA_LIMIT (1ULL << 48) /* 4 levels */

/* Entry permission bits 2:0 (tables 29-1..29-6). Write without read is a misconfiguration. */
#define EPT_READ  (1u << 0)
#define EPT_WRITE (1u << 1)
#define EPT_EXEC  (1u << 2)
#define EPT_RWX   (EPT_READ | EPT_WRITE | EPT_EXEC)

/* EPT memory types (29.3.7; 2, 3 and 7 are reserved: a leaf with one is misconfigured). */
enum ept_memtype { EPT_MT_UC = 0, EPT_MT_WB = 6 };

struct ept_alloc {
    uint64_t (*alloc_table)(void *ctx); /* a 4 KiB page (HPA), 0 = none */
    void (*free_table)(void *ctx, uint64_t hpa);
    void *ctx;
};

struct ept {
    uint64_t root_hpa; /* the EPT PML4 */
    struct ept_alloc alloc;
    uint64_t tables;   /* table pages in use, root included */
};

int ept_init(struct ept *ept, const struct ept_alloc *alloc);
/* Frees every table page (not the memory the leaves point to). */
void ept_destroy(struct ept *ept);

/*
 * Maps [gpa, gpa+size) to [hpa, hpa+size) (4 KiB aligned) with perm (EPT_READ required)
 * and memory type mt; 2 MiB leaves where alignment and allow_2m permit. The range must
 * be unmapped: -EEXIST otherwise; -ENOMEM, -EINVAL.
 */
int ept_map(struct ept *ept, uint64_t gpa, uint64_t hpa, uint64_t size, unsigned perm, enum ept_memtype mt,
            bool allow_2m);
/* 0 with *hpa, *perm and *mt for a mapped gpa, -ENOENT otherwise. */
int ept_translate(const struct ept *ept, uint64_t gpa, uint64_t *hpa, unsigned *perm, enum ept_memtype *mt);

/*
 * Maps every leaf of npt into an empty ept: NPT_READ/WRITE/EXEC become EPT_READ/WRITE/EXEC,
 * NPT_UNCACHED becomes EPT_MT_UC, the rest EPT_MT_WB. 2 MiB leaves stay 2 MiB when
 * allow_2m is set (the CPU supports them), else they are split. 0 or an error.
 */
int ept_mirror_npt(struct ept *ept, const struct npt *npt, bool allow_2m);

/* The EPT pointer (24.6.11): WB paging-structure memory type, 4-level walk, no A/D flags. */
uint64_t ept_pointer(const struct ept *ept);

#endif
