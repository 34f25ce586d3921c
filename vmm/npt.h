/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A VM's nested page table: its GPA->HPA translation and the one record of its
 * guest-physical address space. Two hardware formats, one engine (iommu/vtd_pgtable.h):
 *  - AMD nested page tables (APM vol. 2 15.25): the long-mode 4-level format (5.3);
 *    nested walks are user accesses (15.25.5), so U is set at every level;
 *    uncached leaves have PCD|PWT, non-executable ones NX;
 *  - Intel EPT (SDM vol. 3 29.3): R/W/X in every entry, memory type WB or UC in leaves.
 * 4 KiB and 2 MiB leaves.
 *
 * Invariant (stated here, enforced by vm.c): every leaf of a VM's nested table points
 * inside that VM's RAM at the HPA guest_ram records for the GPA, or inside an MMIO range
 * explicitly assigned to that VM. npt_for_each_leaf() lets the VM check it.
 *
 * Pure: table pages come from callbacks and are reached through phys_to_virt(). The
 * struct must not move after npt_init() (the engine keeps a pointer into it).
 */
#ifndef NESTOR_VMM_NPT_H
#define NESTOR_VMM_NPT_H

#include <stdbool.h>
#include <stdint.h>

#include "iommu/vtd_pgtable.h"

#define NPT_PAGE_4K (1ULL << 12)
#define NPT_PAGE_2M (1ULL << 21)
/* 4 levels; the AMD format keeps to the lower canonical half like every first-stage table */
#define NPT_GPA_LIMIT (1ULL << 47)

enum npt_perm {
    NPT_READ = 1u << 0,  /* present */
    NPT_WRITE = 1u << 1,
    NPT_EXEC = 1u << 2,
    NPT_UNCACHED = 1u << 3, /* AMD: PCD|PWT, EPT: memory type UC (else WB): MMIO */
};
#define NPT_RWX (NPT_READ | NPT_WRITE | NPT_EXEC)

enum npt_format {
    NPT_FORMAT_AMD = 0,  /* SVM nested paging */
    NPT_FORMAT_EPT,      /* VMX extended page tables */
};

struct npt_alloc {
    uint64_t (*alloc_table)(void *ctx); /* a 4 KiB page (HPA), 0 = none */
    void (*free_table)(void *ctx, uint64_t hpa);
    void *ctx;
};

struct npt {
    uint64_t root_hpa; /* the top table: nCR3, or the EPT PML4 */
    enum npt_format format;
    struct npt_alloc alloc;
    uint64_t tables; /* table pages in use, root included */
    struct vtd_pgtable pt;
    struct vtd_pgtable_mem mem;
};

/* An empty table in format fmt; 2 MiB leaves only with allow_2m (EPT: the CPU's capability). */
int npt_init(struct npt *npt, const struct npt_alloc *alloc, enum npt_format fmt, bool allow_2m);
/* Frees every table page (not the memory the leaves point to). */
void npt_destroy(struct npt *npt);

/*
 * Maps [gpa, gpa+size) to [hpa, hpa+size) with perm (NPT_READ required). All three
 * 4 KiB aligned; 2 MiB leaves are used where gpa, hpa and the rest of the range allow and
 * allow_2m is set. The range must be unmapped: -EEXIST otherwise (nothing changed),
 * -ENOMEM, -EINVAL.
 */
int npt_map(struct npt *npt, uint64_t gpa, uint64_t hpa, uint64_t size, unsigned perm, bool allow_2m);
/* Unmaps [gpa, gpa+size) (4 KiB aligned), splitting 2 MiB leaves it cuts. 0 or -ENOMEM. */
int npt_unmap(struct npt *npt, uint64_t gpa, uint64_t size);
/* 0 with *hpa and *perm for a mapped gpa, -ENOENT otherwise. */
int npt_translate(const struct npt *npt, uint64_t gpa, uint64_t *hpa, unsigned *perm);

/* Called for every leaf; returning false stops the walk. */
typedef bool (*npt_leaf_fn)(void *ctx, uint64_t gpa, uint64_t hpa, uint64_t size, unsigned perm);
/* Visits the leaves in GPA order; returns the number visited, or -1 if fn stopped the walk. */
long npt_for_each_leaf(const struct npt *npt, npt_leaf_fn fn, void *ctx);

/* The EPT pointer (SDM 24.6.11): WB paging-structure memory type, 4-level walk, no A/D flags. */
uint64_t npt_ept_pointer(const struct npt *npt);

#endif
