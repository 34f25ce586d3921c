// SPDX-License-Identifier: GPL-2.0-only
/*
 * Page tables of both VT-d translation stages: build, edit, walk
 * (see iommu/vtd_pgtable.h for the invariants and iommu/vtd_pte.h for the
 * entry formats).
 */
#include "iommu/vtd_pgtable.h"

#include "kernel/errno.h"

/* ---- entry dispatch on the stage ---- */

static bool pt_first(const struct vtd_pgtable *pt)
{
    return pt->cfg.stage == VTD_STAGE_FIRST;
}

static bool pt_ept(const struct vtd_pgtable *pt)
{
    return pt->cfg.stage == VTD_STAGE_EPT;
}

static bool pt_large_ok(const struct vtd_pgtable *pt, unsigned level)
{
    if (level == 2)
        return pt->cfg.large & VTD_PGT_LARGE_2M;
    if (level == 3)
        return pt->cfg.large & VTD_PGT_LARGE_1G;
    return false;
}

static bool pte_present(const struct vtd_pgtable *pt, uint64_t e)
{
    return pt_first(pt) ? vtd_fspte_p(e) : vtd_sspte_present(e);
}

static bool pte_is_leaf(const struct vtd_pgtable *pt, uint64_t e, unsigned level)
{
    return level == 1 || (pt_first(pt) ? vtd_fspte_ps(e) : vtd_sspte_ps(e));
}

static bool pte_reserved(const struct vtd_pgtable *pt, uint64_t e, unsigned level)
{
    if (pt_first(pt))
        return vtd_fspte_reserved(e, level, pt_large_ok(pt, level), pt->cfg.paw);
    return vtd_sspte_reserved(e, level, pt_large_ok(pt, level), pt->cfg.snoop, pt->cfg.paw);
}

static unsigned pte_perms(const struct vtd_pgtable *pt, uint64_t e)
{
    return pt_first(pt) ? vtd_fspte_perms(e) : vtd_sspte_perms(e);
}

static uint64_t pte_leaf_addr(const struct vtd_pgtable *pt, uint64_t e, unsigned level)
{
    uint64_t a = pt_first(pt) ? vtd_fspte_leaf_addr(e, level) : vtd_pte_addr(e);

    return a & ~(vtd_level_size(level) - 1);
}

static uint64_t pte_make_leaf(const struct vtd_pgtable *pt, uint64_t pa, unsigned level, unsigned perms,
                              unsigned flags)
{
    bool uc = flags & VTD_MAP_UNCACHED;
    uint64_t e;

    if (pt_first(pt)) {
        e = vtd_fspte_make_leaf(pa, level, perms);
        return vtd_fspte_set_pcd(vtd_fspte_set_pwt(e, uc), uc);
    }
    e = vtd_sspte_make_leaf(pa, level, perms, pt->cfg.snoop);
    return pt_ept(pt) ? vtd_sspte_set_emt(e, uc ? VTD_EMT_UC : VTD_EMT_WB) : e;
}

/* EPT execute permission combines across levels (SDM 29.3.3), so EPT tables grant X as well. */
static uint64_t pte_make_table(const struct vtd_pgtable *pt, uint64_t table_pa)
{
    if (pt_first(pt))
        return vtd_fspte_make_table(table_pa);
    if (pt_ept(pt))
        return vtd_sspte_set_perms(vtd_sspte_make_table(table_pa), VTD_PERM_RW | VTD_PERM_X);
    return vtd_sspte_make_table(table_pa);
}

static bool pte_uncached(const struct vtd_pgtable *pt, uint64_t leaf)
{
    if (pt_first(pt))
        return vtd_fspte_pcd(leaf);
    return pt_ept(pt) && vtd_sspte_emt(leaf) == VTD_EMT_UC;
}

static uint64_t pte_split_child(const struct vtd_pgtable *pt, uint64_t e, unsigned level, unsigned i)
{
    return pt_first(pt) ? vtd_fspte_split_child(e, level, i) : vtd_sspte_split_child(e, level, i);
}

/* ---- memory ---- */

static uint64_t *pt_map(const struct vtd_pgtable *pt, uint64_t table_pa)
{
    return pt->mem->map(pt->mem->ctx, table_pa);
}

static void pt_flush(const struct vtd_pgtable *pt, const void *p, size_t len)
{
    if (pt->mem->flush)
        pt->mem->flush(pt->mem->ctx, p, len);
}

static void pt_set(const struct vtd_pgtable *pt, uint64_t *slot, uint64_t e)
{
    vtd_store64(slot, e);
    pt_flush(pt, slot, sizeof(*slot));
}

/*
 * A new zeroed table, written back whole when walks do not snoop: the zeroes the
 * allocator wrote may still sit in the CPU cache (VT-d 6.8 / ECAP.C).
 */
static int pt_alloc_table(const struct vtd_pgtable *pt, uint64_t *pa)
{
    uint64_t *t;

    if (pt->mem->alloc(pt->mem->ctx, pa))
        return -ENOMEM;
    if (!(t = pt_map(pt, *pa))) {
        pt->mem->free(pt->mem->ctx, *pa);
        return -EFAULT;
    }
    pt_flush(pt, t, VTD_PAGE_SIZE);
    return 0;
}

/* Frees the table at table_pa (level level) and every table below it; true if it mapped anything. */
static bool pt_free_tree(const struct vtd_pgtable *pt, uint64_t table_pa, unsigned level)
{
    uint64_t *t = pt_map(pt, table_pa);
    bool any = false;

    for (unsigned i = 0; t && i < VTD_PT_ENTRIES; i++) {
        uint64_t e = vtd_load64(&t[i]);

        if (!pte_present(pt, e))
            continue;
        if (pte_is_leaf(pt, e, level))
            any = true;
        else
            any |= pt_free_tree(pt, vtd_pte_addr(e), level - 1);
    }
    pt->mem->free(pt->mem->ctx, table_pa);
    return any;
}

static void pt_writeback_tree(const struct vtd_pgtable *pt, uint64_t table_pa, unsigned level)
{
    uint64_t *t = pt_map(pt, table_pa);

    for (unsigned i = 0; t && level > 1 && i < VTD_PT_ENTRIES; i++) {
        uint64_t e = vtd_load64(&t[i]);

        if (pte_present(pt, e) && !pte_is_leaf(pt, e, level))
            pt_writeback_tree(pt, vtd_pte_addr(e), level - 1);
    }
    if (t)
        pt_flush(pt, t, VTD_PAGE_SIZE);
}

static bool pt_table_empty(const struct vtd_pgtable *pt, const uint64_t *t)
{
    for (unsigned i = 0; i < VTD_PT_ENTRIES; i++)
        if (pte_present(pt, vtd_load64(&t[i])))
            return false;
    return true;
}

static void range_reset(struct vtd_pgt_range *r)
{
    if (r)
        *r = (struct vtd_pgt_range){ 0, 0, false, false, false };
}

void vtd_pgt_range_merge(struct vtd_pgt_range *acc, const struct vtd_pgt_range *r)
{
    if (r->start == r->end)
        return;
    if (acc->start == acc->end) {
        acc->start = r->start;
        acc->end = r->end;
    } else {
        acc->start = r->start < acc->start ? r->start : acc->start;
        acc->end = r->end > acc->end ? r->end : acc->end;
    }
    acc->had_present |= r->had_present;
    acc->tables_changed |= r->tables_changed;
    acc->tables_added |= r->tables_added;
}

static void range_add(struct vtd_pgt_range *r, uint64_t start, uint64_t end, bool had_present, bool tables)
{
    if (r)
        vtd_pgt_range_merge(r, &(struct vtd_pgt_range){ start, end, had_present, tables, false });
}

/*
 * Replaces the large leaf e in slot (level, mapping [base, base + size)) by a
 * table of equivalent smaller leaves. The table is complete before it is linked.
 */
static int pt_split(const struct vtd_pgtable *pt, uint64_t *slot, uint64_t e, unsigned level, uint64_t base,
                    uint64_t *child_pa, struct vtd_pgt_range *changed)
{
    uint64_t *t;

    if (pt->mem->alloc(pt->mem->ctx, child_pa))
        return -ENOMEM;
    t = pt_map(pt, *child_pa);
    if (!t) {
        pt->mem->free(pt->mem->ctx, *child_pa);
        return -EFAULT;
    }
    for (unsigned i = 0; i < VTD_PT_ENTRIES; i++)
        vtd_store64(&t[i], pte_split_child(pt, e, level, i));
    pt_flush(pt, t, VTD_PAGE_SIZE);
    pt_set(pt, slot, pte_make_table(pt, *child_pa));
    range_add(changed, base, base + vtd_level_size(level), true, true);
    return 0;
}

/* ---- setup ---- */

int vtd_pgtable_levels_for_width(unsigned width)
{
    switch (width) {
    case 39: return 3;
    case 48: return 4;
    case 57: return 5;
    default: return -EINVAL;
    }
}

static bool cfg_valid(const struct vtd_pgtable_cfg *cfg, const struct vtd_pgtable_mem *mem)
{
    return cfg && mem && mem->map &&
           (cfg->stage == VTD_STAGE_FIRST || cfg->stage == VTD_STAGE_SECOND || cfg->stage == VTD_STAGE_EPT) &&
           cfg->levels >= 3 && cfg->levels <= 5 && cfg->paw > VTD_PAGE_SHIFT && cfg->paw <= 52 &&
           !(cfg->stage == VTD_STAGE_FIRST && cfg->levels == 3);
}

int vtd_pgtable_attach(struct vtd_pgtable *pt, const struct vtd_pgtable_cfg *cfg, const struct vtd_pgtable_mem *mem,
                       uint64_t root)
{
    if (!cfg_valid(cfg, mem))
        return -EINVAL;
    pt->cfg = *cfg;
    pt->mem = mem;
    pt->root = root & ~(VTD_PAGE_SIZE - 1);
    return 0;
}

int vtd_pgtable_init(struct vtd_pgtable *pt, const struct vtd_pgtable_cfg *cfg, const struct vtd_pgtable_mem *mem)
{
    uint64_t root;

    int r;

    if (!cfg_valid(cfg, mem) || !mem->alloc || !mem->free)
        return -EINVAL;
    pt->cfg = *cfg;
    pt->mem = mem;
    pt->root = 0;
    if ((r = pt_alloc_table(pt, &root)) < 0)
        return r;
    return vtd_pgtable_attach(pt, cfg, mem, root);
}

void vtd_pgtable_destroy(struct vtd_pgtable *pt)
{
    if (pt->root)
        pt_free_tree(pt, pt->root, pt->cfg.levels);
    pt->root = 0;
}

void vtd_pgtable_writeback(const struct vtd_pgtable *pt)
{
    if (pt->root && pt->mem->flush)
        pt_writeback_tree(pt, pt->root, pt->cfg.levels);
}

/* Exclusive end of the IOVAs map and unmap accept. */
static uint64_t pt_iova_limit(const struct vtd_pgtable *pt)
{
    unsigned width = vtd_pgtable_width(pt->cfg.levels);

    return 1ULL << (pt_first(pt) ? width - 1 : width);
}

static bool range_valid(const struct vtd_pgtable *pt, uint64_t iova, uint64_t size)
{
    uint64_t align = VTD_PAGE_SIZE - 1;

    return pt->root && size && !(iova & align) && !(size & align) && iova + size > iova &&
           iova + size <= pt_iova_limit(pt);
}

/* ---- map ---- */

/* -EEXIST if a present translation lies in [start, end), -EFAULT if a table is unreadable. */
static int pt_check_empty(const struct vtd_pgtable *pt, uint64_t table_pa, unsigned level, uint64_t base,
                          uint64_t start, uint64_t end)
{
    uint64_t esize = vtd_level_size(level);
    uint64_t lo = start > base ? start : base;
    uint64_t *t = pt_map(pt, table_pa);

    if (!t)
        return -EFAULT;
    for (unsigned i = (unsigned)((lo - base) / esize); i < VTD_PT_ENTRIES; i++) {
        uint64_t eb = base + i * esize;
        uint64_t e = vtd_load64(&t[i]);
        int r;

        if (eb >= end)
            break;
        if (!pte_present(pt, e))
            continue;
        if (pte_is_leaf(pt, e, level))
            return -EEXIST;
        r = pt_check_empty(pt, vtd_pte_addr(e), level - 1, eb, start, end);
        if (r)
            return r;
    }
    return 0;
}

/* The largest leaf level usable for the next piece of a mapping. */
static unsigned pt_pick_level(const struct vtd_pgtable *pt, uint64_t iova, uint64_t pa, uint64_t size,
                              unsigned flags)
{
    for (unsigned level = 3; level > 1 && !(flags & VTD_MAP_4K); level--) {
        uint64_t s = vtd_level_size(level);

        if (pt_large_ok(pt, level) && !((iova | pa) & (s - 1)) && size >= s)
            return level;
    }
    return 1;
}

/* Writes one leaf at target level, creating or splitting tables on the way down. */
static int pt_map_one(struct vtd_pgtable *pt, uint64_t iova, uint64_t pa, unsigned target, unsigned perms,
                      unsigned flags, struct vtd_pgt_range *changed)
{
    uint64_t table_pa = pt->root;

    for (unsigned level = pt->cfg.levels;; level--) {
        uint64_t *t = pt_map(pt, table_pa);
        uint64_t *slot;
        uint64_t e, esize = vtd_level_size(level), base = iova & ~(esize - 1);
        int r;

        if (!t)
            return -EFAULT;
        slot = &t[vtd_level_index(iova, level)];
        e = vtd_load64(slot);
        if (level == target) {
            bool was_table = pte_present(pt, e) && !pte_is_leaf(pt, e, level);
            bool had = pte_present(pt, e);

            pt_set(pt, slot, pte_make_leaf(pt, pa, level, perms, flags));
            if (was_table)
                had = pt_free_tree(pt, vtd_pte_addr(e), level - 1);
            range_add(changed, base, base + esize, had, was_table);
            return 0;
        }
        if (!pte_present(pt, e)) {
            uint64_t child;

            if ((r = pt_alloc_table(pt, &child)) < 0)
                return r;
            pt_set(pt, slot, pte_make_table(pt, child));
            if (changed)
                changed->tables_added = true;
            table_pa = child;
        } else if (pte_is_leaf(pt, e, level)) {
            r = pt_split(pt, slot, e, level, base, &table_pa, changed);
            if (r)
                return r;
        } else {
            table_pa = vtd_pte_addr(e);
        }
    }
}

int vtd_pgtable_map(struct vtd_pgtable *pt, uint64_t iova, uint64_t pa, uint64_t size, unsigned perms,
                    unsigned flags, struct vtd_pgt_range *changed)
{
    range_reset(changed);
    if (!range_valid(pt, iova, size) || (pa & (VTD_PAGE_SIZE - 1)) || !(perms & VTD_PERM_RW) ||
        pa + size < pa || (pt->cfg.paw < 64 && pa + size > (1ULL << pt->cfg.paw)))
        return -EINVAL;
    if (!(flags & VTD_MAP_REPLACE)) {
        int r = pt_check_empty(pt, pt->root, pt->cfg.levels, 0, iova, iova + size);

        if (r)
            return r;
    }
    while (size) {
        unsigned level = pt_pick_level(pt, iova, pa, size, flags);
        uint64_t step = vtd_level_size(level);
        int r = pt_map_one(pt, iova, pa, level, perms, flags, changed);

        if (r)
            return r;
        iova += step;
        pa += step;
        size -= step;
    }
    return 0;
}

/* ---- unmap ---- */

static int pt_unmap_level(struct vtd_pgtable *pt, uint64_t table_pa, unsigned level, uint64_t base, uint64_t start,
                          uint64_t end, struct vtd_pgt_range *changed, bool *now_empty)
{
    uint64_t esize = vtd_level_size(level);
    uint64_t lo = start > base ? start : base;
    uint64_t *t = pt_map(pt, table_pa);

    if (!t)
        return -EFAULT;
    for (unsigned i = (unsigned)((lo - base) / esize); i < VTD_PT_ENTRIES; i++) {
        uint64_t eb = base + i * esize, ee = eb + esize;
        uint64_t e = vtd_load64(&t[i]);
        bool covered = start <= eb && ee <= end;
        uint64_t child;
        bool child_empty;
        int r;

        if (eb >= end)
            break;
        if (!pte_present(pt, e))
            continue;
        if (covered) {
            bool leaf = pte_is_leaf(pt, e, level);
            bool had = true;

            pt_set(pt, &t[i], 0);
            if (!leaf)
                had = pt_free_tree(pt, vtd_pte_addr(e), level - 1);
            range_add(changed, eb, ee, had, !leaf);
            continue;
        }
        if (pte_is_leaf(pt, e, level)) {
            r = pt_split(pt, &t[i], e, level, eb, &child, changed);
            if (r)
                return r;
        } else {
            child = vtd_pte_addr(e);
        }
        r = pt_unmap_level(pt, child, level - 1, eb, start, end, changed, &child_empty);
        if (r)
            return r;
        if (child_empty) {
            pt_set(pt, &t[i], 0);
            pt->mem->free(pt->mem->ctx, child);
            range_add(changed, eb, ee, false, true);
        }
    }
    *now_empty = pt_table_empty(pt, t);
    return 0;
}

int vtd_pgtable_unmap(struct vtd_pgtable *pt, uint64_t iova, uint64_t size, struct vtd_pgt_range *changed)
{
    bool empty;

    range_reset(changed);
    if (!range_valid(pt, iova, size))
        return -EINVAL;
    return pt_unmap_level(pt, pt->root, pt->cfg.levels, 0, iova, iova + size, changed, &empty);
}

/* ---- walk ---- */

static enum vtd_walk_status walk_stop(struct vtd_walk *w, enum vtd_walk_status st, unsigned level)
{
    w->status = st;
    w->level = level;
    return st;
}

enum vtd_walk_status vtd_pgtable_walk(const struct vtd_pgtable *pt, uint64_t iova, struct vtd_walk *w)
{
    unsigned levels = pt->cfg.levels;
    unsigned width = vtd_pgtable_width(levels);
    uint64_t table_pa = pt->root;

    w->pa = 0;
    w->page_size = 0;
    w->perms = VTD_PERM_R | VTD_PERM_W | VTD_PERM_X | VTD_PERM_U;
    w->pte = 0;
    w->table_pa = table_pa;
    w->uncached = false;
    if (pt_first(pt)) {
        uint64_t upper = iova >> (width - 1);

        if (upper != 0 && upper != (~0ULL >> (width - 1)))
            return walk_stop(w, VTD_WALK_NON_CANONICAL, levels);
    } else if (iova >> width) {
        return walk_stop(w, VTD_WALK_ADDR_TOO_WIDE, levels);
    }
    if (!pt_first(pt))
        w->perms &= ~VTD_PERM_U;

    for (unsigned level = levels; level >= 1; level--) {
        const uint64_t *t = pt_map(pt, table_pa);
        uint64_t e;

        w->table_pa = table_pa;
        if (!t)
            return walk_stop(w, VTD_WALK_TABLE_UNREADABLE, level);
        e = vtd_load64(&t[vtd_level_index(iova, level)]);
        w->pte = e;
        if (!pte_present(pt, e))
            return walk_stop(w, VTD_WALK_NOT_PRESENT, level);
        if (pte_reserved(pt, e, level))
            return walk_stop(w, VTD_WALK_RESERVED, level);
        if (pte_is_leaf(pt, e, level)) {
            w->perms &= pte_perms(pt, e);
            w->page_size = vtd_level_size(level);
            w->pa = pte_leaf_addr(pt, e, level) | (iova & (w->page_size - 1));
            w->uncached = pte_uncached(pt, e);
            return walk_stop(w, VTD_WALK_OK, level);
        }
        /* Second-stage execute permission comes from the leaf alone (table entries never set X). */
        w->perms &= pte_perms(pt, e) | (pt_first(pt) ? 0 : VTD_PERM_X);
        table_pa = vtd_pte_addr(e);
    }
    return walk_stop(w, VTD_WALK_NOT_PRESENT, 1); /* unreachable: level 1 entries are leaves */
}

/* ---- leaf visit ---- */

static long pt_visit(const struct vtd_pgtable *pt, uint64_t table_pa, unsigned level, uint64_t base,
                     vtd_pgt_leaf_fn fn, void *ctx)
{
    const uint64_t *t = pt_map(pt, table_pa);
    uint64_t esize = vtd_level_size(level);
    long count = 0;
    /* first stage: the upper canonical half is never mapped by map() and not visited */
    unsigned n_entries = pt_first(pt) && level == pt->cfg.levels ? VTD_PT_ENTRIES / 2 : VTD_PT_ENTRIES;

    if (!t)
        return -EFAULT;
    for (unsigned i = 0; i < n_entries; i++) {
        uint64_t e = vtd_load64(&t[i]), iova = base + i * esize;
        long n = 1;

        if (!pte_present(pt, e))
            continue;
        if (pte_is_leaf(pt, e, level)) {
            struct vtd_walk w;

            if (vtd_pgtable_walk(pt, iova, &w) != VTD_WALK_OK)
                return -EFAULT;
            if (!fn(ctx, iova, &w))
                return -1;
        } else if ((n = pt_visit(pt, vtd_pte_addr(e), level - 1, iova, fn, ctx)) < 0) {
            return n;
        }
        count += n;
    }
    return count;
}

long vtd_pgtable_for_each_leaf(const struct vtd_pgtable *pt, vtd_pgt_leaf_fn fn, void *ctx)
{
    return pt->root ? pt_visit(pt, pt->root, pt->cfg.levels, 0, fn, ctx) : 0;
}

const char *vtd_walk_status_name(enum vtd_walk_status st)
{
    switch (st) {
    case VTD_WALK_OK:               return "ok";
    case VTD_WALK_NOT_PRESENT:      return "not present";
    case VTD_WALK_RESERVED:         return "reserved bit set";
    case VTD_WALK_TABLE_UNREADABLE: return "table unreadable";
    case VTD_WALK_ADDR_TOO_WIDE:    return "address beyond input width";
    case VTD_WALK_NON_CANONICAL:    return "non-canonical address";
    }
    return "unknown walk status";
}
