/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One page-table module for both VT-d translation stages (spec 3.6-3.8, entry
 * formats in iommu/vtd_pte.h). It builds and edits host tables for isolation
 * domains and walks any table, including a guest's, through memory callbacks:
 * a table that cannot be read ends the walk with a status, never a crash.
 *
 * Levels count from the leaf: level 1 holds 4 KiB entries, level 2 may hold
 * 2 MiB leaves, level 3 1 GiB leaves; the top table is at level `levels`
 * (3, 4 or 5 for 39-, 48- or 57-bit input addresses).
 *
 * Invariants kept by map/unmap on tables they own:
 *  - a new table is complete (and flushed) before the entry pointing to it is
 *    written, so a concurrent hardware walk sees the old or the new mapping;
 *  - a large page is split into an equivalent table before any part changes;
 *  - tables left with no present entry are freed, except the top table.
 * Callers serialise map/unmap on one table; walks may run concurrently.
 *
 * The two stages are also the two x86 formats the rest of Nestor needs, so this
 * is the one page-table engine: the first stage is the x86-64 format of host
 * paging (kernel/mm/paging.c) and of AMD nested tables (U on every level, vmm/npt.c);
 * VTD_STAGE_EPT is Intel EPT (SDM 29.3.2), the second-stage bit layout.
 */
#ifndef NESTOR_IOMMU_VTD_PGTABLE_H
#define NESTOR_IOMMU_VTD_PGTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iommu/vtd_pte.h"

enum vtd_stage {
    VTD_STAGE_FIRST  = 1,   /* x86-64 format (9.7) */
    VTD_STAGE_SECOND = 2,   /* VT-d second-stage format (9.8) */
    /* Not a VT-d stage: Intel EPT (SDM 29.3.2), the second-stage layout with X granted by tables and an EMT in leaves */
    VTD_STAGE_EPT    = 3,
};

/* Large leaves the unit supports (CAP.SLLPS for the second stage; 2 MiB always and CAP.FS1GP for the first). */
#define VTD_PGT_LARGE_2M 0x1u
#define VTD_PGT_LARGE_1G 0x2u

/*
 * How the module reaches table memory. For host tables: physical pages of the
 * hypervisor. For a guest's tables (vIOMMU): guest-physical addresses checked
 * against the guest's memory, where map may fail and alloc/free are not needed.
 */
struct vtd_pgtable_mem {
    void *ctx;
    /* A zeroed 4 KiB-aligned table page: 0 and *pa, or -ENOMEM. */
    int (*alloc)(void *ctx, uint64_t *pa);
    /* The 512 entries of the table at pa, or NULL when pa is not readable memory. */
    uint64_t *(*map)(void *ctx, uint64_t pa);
    /*
     * Returns a page from alloc. The unit may still hold the page in its
     * paging-structure caches until the invalidation for the reported range
     * (tables_changed) completes: a host implementation must not reuse the
     * page before that.
     */
    void (*free)(void *ctx, uint64_t pa);
    /* Optional: write back [p, p+len) for a unit that does not snoop (ECAP.C = 0). */
    void (*flush)(void *ctx, const void *p, size_t len);
};

struct vtd_pgtable_cfg {
    enum vtd_stage stage;
    unsigned levels;      /* 3, 4 or 5: vtd_pgtable_levels_for_width() */
    unsigned large;       /* VTD_PGT_LARGE_* */
    unsigned paw;         /* output address width; entry address bits at or above it are reserved */
    bool snoop;           /* second stage: set SNP in leaves and accept it when walking (ECAP.SC) */
};

struct vtd_pgtable {
    struct vtd_pgtable_cfg cfg;
    uint64_t root;        /* physical address of the top table */
    const struct vtd_pgtable_mem *mem;
};

/* IOVA range whose translations changed; empty when start == end. */
struct vtd_pgt_range {
    uint64_t start;
    uint64_t end;         /* exclusive */
    bool had_present;     /* a present translation was removed or replaced */
    bool tables_changed;  /* a present non-leaf entry changed or a table was freed: no IH in the invalidation */
    bool tables_added;    /* a not-present entry became a table pointer (matters in caching mode) */
};

/* Merges r into acc: the hull of both ranges, flags or-ed; an empty r changes nothing. */
void vtd_pgt_range_merge(struct vtd_pgt_range *acc, const struct vtd_pgt_range *r);

/* Map flags. */
#define VTD_MAP_REPLACE  0x1u  /* overwrite existing translations instead of failing with -EEXIST */
#define VTD_MAP_UNCACHED 0x2u  /* leaves uncached: first stage PCD|PWT, EPT memory type UC (else WB) */
#define VTD_MAP_4K       0x4u  /* 4 KiB leaves only, whatever cfg.large allows */

enum vtd_walk_status {
    VTD_WALK_OK = 0,
    VTD_WALK_NOT_PRESENT,       /* entry at .level is not present */
    VTD_WALK_RESERVED,          /* entry at .level has a reserved bit set */
    VTD_WALK_TABLE_UNREADABLE,  /* the table at .table_pa (level .level) could not be read */
    VTD_WALK_ADDR_TOO_WIDE,     /* second stage: iova beyond the input width */
    VTD_WALK_NON_CANONICAL,     /* first stage: iova not sign-extended from the top input bit */
};

struct vtd_walk {
    enum vtd_walk_status status;
    unsigned level;       /* the leaf's level, or where the walk stopped */
    uint64_t pa;          /* translation of iova (page address + offset) */
    uint64_t page_size;   /* bytes mapped by the leaf */
    unsigned perms;       /* VTD_PERM_* granted by every level on the path */
    uint64_t pte;         /* the leaf, or the entry that stopped the walk */
    uint64_t table_pa;    /* the table holding .pte, or the one that could not be read */
    bool uncached;        /* the leaf says uncached (VTD_MAP_UNCACHED) */
};

/* Levels for an input address width of 39, 48 or 57 bits; -EINVAL otherwise. */
int vtd_pgtable_levels_for_width(unsigned width);
/* Input address width of a table with levels levels (12 + 9 * levels). */
static inline unsigned vtd_pgtable_width(unsigned levels) { return 12 + VTD_LEVEL_STRIDE * levels; }

/* Allocates an empty top table. 0, -EINVAL (bad cfg) or -ENOMEM. */
int vtd_pgtable_init(struct vtd_pgtable *pt, const struct vtd_pgtable_cfg *cfg, const struct vtd_pgtable_mem *mem);
/* Describes an existing table (a guest's) for walking; nothing is allocated. -EINVAL on bad cfg. */
int vtd_pgtable_attach(struct vtd_pgtable *pt, const struct vtd_pgtable_cfg *cfg, const struct vtd_pgtable_mem *mem,
                       uint64_t root);
/* Frees every table including the top one; pt->root becomes 0. Only for tables from vtd_pgtable_init(). */
void vtd_pgtable_destroy(struct vtd_pgtable *pt);
/*
 * Writes every table page back through mem->flush (nothing without one): for a table
 * that becomes reachable by a unit whose walks do not snoop after it was written.
 */
void vtd_pgtable_writeback(const struct vtd_pgtable *pt);

/*
 * Maps [iova, iova+size) to [pa, pa+size) with perms (VTD_PERM_*, at least R or
 * W), using the largest leaves that alignment, size and cfg.large allow. iova,
 * pa and size are 4 KiB aligned; first-stage iova stays in the lower canonical
 * half. Returns 0; -EINVAL; -EEXIST (something is mapped there and no
 * VTD_MAP_REPLACE; nothing changed); -ENOMEM or -EFAULT (partly done: *changed
 * says what changed). changed may be NULL.
 */
int vtd_pgtable_map(struct vtd_pgtable *pt, uint64_t iova, uint64_t pa, uint64_t size, unsigned perms,
                    unsigned flags, struct vtd_pgt_range *changed);

/*
 * Removes translations in [iova, iova+size); large pages that straddle an end
 * are split first. Unmapping nothing is not an error. Returns 0, -EINVAL,
 * -ENOMEM (a split failed: that large page is unchanged) or -EFAULT.
 */
int vtd_pgtable_unmap(struct vtd_pgtable *pt, uint64_t iova, uint64_t size, struct vtd_pgt_range *changed);

/* Translates iova; the status is also in out->status. */
enum vtd_walk_status vtd_pgtable_walk(const struct vtd_pgtable *pt, uint64_t iova, struct vtd_walk *out);

/* Called for each leaf with its iova and its walk result; returning false stops the visit. */
typedef bool (*vtd_pgt_leaf_fn)(void *ctx, uint64_t iova, const struct vtd_walk *leaf);
/*
 * Visits the present leaves in iova order (first stage: the lower half only).
 * Returns the number visited, -1 when fn stopped it, -EFAULT on an unreadable table
 * or a leaf the walker refuses (reserved bits).
 */
long vtd_pgtable_for_each_leaf(const struct vtd_pgtable *pt, vtd_pgt_leaf_fn fn, void *ctx);

const char *vtd_walk_status_name(enum vtd_walk_status st);

#endif
