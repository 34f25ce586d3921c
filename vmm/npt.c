// SPDX-License-Identifier: GPL-2.0-only
/* Nested page tables in the AMD or the EPT format, on the page-table engine (see npt.h). */
#include "vmm/npt.h"

#include "kernel/errno.h"
#include "kernel/mm/paging.h"
#include "lib/kstring.h"

/* EPT pointer fields (SDM 24.6.11 table 24-8). */
#define EPTP_MT_WB   6ULL
#define EPTP_WALK_4  (3ULL << 3) /* page-walk length - 1 */

static int npt_table_alloc(void *ctx, uint64_t *pa)
{
    struct npt *npt = ctx;

    if (!(*pa = npt->alloc.alloc_table(npt->alloc.ctx)))
        return -ENOMEM;
    memset(phys_to_virt(*pa), 0, NPT_PAGE_4K);
    npt->tables++;
    return 0;
}

static uint64_t *npt_table_map(void *ctx, uint64_t pa) { return phys_to_virt(pa); }

static void npt_table_free(void *ctx, uint64_t pa)
{
    struct npt *npt = ctx;

    npt->alloc.free_table(npt->alloc.ctx, pa);
    npt->tables--;
}

int npt_init(struct npt *npt, const struct npt_alloc *alloc, enum npt_format fmt, bool allow_2m)
{
    struct vtd_pgtable_cfg cfg = { .stage = fmt == NPT_FORMAT_EPT ? VTD_STAGE_EPT : VTD_STAGE_FIRST, .levels = 4,
                                   .large = allow_2m ? VTD_PGT_LARGE_2M : 0, .paw = 52 };
    int err;

    memset(npt, 0, sizeof(*npt));
    npt->alloc = *alloc;
    npt->format = fmt;
    npt->mem = (struct vtd_pgtable_mem){ npt, npt_table_alloc, npt_table_map, npt_table_free, NULL };
    if ((err = vtd_pgtable_init(&npt->pt, &cfg, &npt->mem)))
        return err;
    npt->root_hpa = npt->pt.root;
    return 0;
}

void npt_destroy(struct npt *npt)
{
    vtd_pgtable_destroy(&npt->pt);
    npt->root_hpa = 0;
}

int npt_map(struct npt *npt, uint64_t gpa, uint64_t hpa, uint64_t size, unsigned perm, bool allow_2m)
{
    unsigned perms = VTD_PERM_R | ((perm & NPT_WRITE) ? VTD_PERM_W : 0) | ((perm & NPT_EXEC) ? VTD_PERM_X : 0) |
                     (npt->format == NPT_FORMAT_AMD ? VTD_PERM_U : 0);
    unsigned flags = ((perm & NPT_UNCACHED) ? VTD_MAP_UNCACHED : 0) | (allow_2m ? 0 : VTD_MAP_4K);

    if (!(perm & NPT_READ))
        return -EINVAL;
    return vtd_pgtable_map(&npt->pt, gpa, hpa, size, perms, flags, NULL);
}

int npt_unmap(struct npt *npt, uint64_t gpa, uint64_t size)
{
    return vtd_pgtable_unmap(&npt->pt, gpa, size, NULL);
}

static unsigned leaf_perm(const struct vtd_walk *w)
{
    return NPT_READ | ((w->perms & VTD_PERM_W) ? NPT_WRITE : 0) | ((w->perms & VTD_PERM_X) ? NPT_EXEC : 0) |
           (w->uncached ? NPT_UNCACHED : 0);
}

int npt_translate(const struct npt *npt, uint64_t gpa, uint64_t *hpa, unsigned *perm)
{
    struct vtd_walk w;

    if (vtd_pgtable_walk(&npt->pt, gpa, &w) != VTD_WALK_OK)
        return -ENOENT;
    *hpa = w.pa;
    *perm = leaf_perm(&w);
    return 0;
}

struct leaf_visit {
    npt_leaf_fn fn;
    void *ctx;
};

static bool visit_leaf(void *ctx, uint64_t gpa, const struct vtd_walk *w)
{
    struct leaf_visit *v = ctx;

    return v->fn(v->ctx, gpa, w->pa, w->page_size, leaf_perm(w));
}

long npt_for_each_leaf(const struct npt *npt, npt_leaf_fn fn, void *ctx)
{
    struct leaf_visit v = { fn, ctx };
    long n = vtd_pgtable_for_each_leaf(&npt->pt, visit_leaf, &v);

    return n < 0 ? -1 : n;
}

uint64_t npt_ept_pointer(const struct npt *npt)
{
    return npt->root_hpa | EPTP_WALK_4 | EPTP_MT_WB;
}
