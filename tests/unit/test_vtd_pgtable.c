// SPDX-License-Identifier: GPL-2.0-only
/*
 * VT-d page tables: random map/unmap sequences against a flat reference map,
 * walker failure paths (unreadable tables, reserved bits, widths), hand-built
 * tables decoded by the walker, allocation failures, and invalidation planning.
 */
#include "tests/unit/support.h"

#include <stdlib.h>
#include <string.h>

#include "iommu/vtd_pgtable.h"
#include "iommu/vtd_psi.h"
#include "kernel/errno.h"

/* ---- fake table memory: every page gets a fresh index, freed pages unmap ---- */

#define FAKE_BASE   0x40000000ULL
#define FAKE_PAGES  (1u << 17)

struct fake_mem {
    uint64_t *pages[FAKE_PAGES];
    size_t next;
    size_t live;
    long fail_alloc_after;     /* -1: never; n: the (n+1)-th alloc fails */
    uint64_t unreadable;       /* a table pa map() refuses, 0 for none */
    size_t flushes;
    size_t page_flushes;       /* whole-table flushes (new tables) */
};

static struct fake_mem fm;

static int fake_alloc(void *ctx, uint64_t *pa)
{
    struct fake_mem *m = ctx;

    if (m->fail_alloc_after == 0)
        return -ENOMEM;
    if (m->fail_alloc_after > 0)
        m->fail_alloc_after--;
    if (m->next >= FAKE_PAGES)
        return -ENOMEM;
    m->pages[m->next] = aligned_alloc(4096, 4096);
    assert_non_null(m->pages[m->next]);
    memset(m->pages[m->next], 0, 4096);
    *pa = FAKE_BASE + (uint64_t)m->next * 4096;
    m->next++;
    m->live++;
    return 0;
}

static uint64_t *fake_map(void *ctx, uint64_t pa)
{
    struct fake_mem *m = ctx;
    uint64_t idx;

    if (pa < FAKE_BASE || (pa & 0xFFF) || pa == m->unreadable)
        return NULL;
    idx = (pa - FAKE_BASE) / 4096;
    return idx < m->next ? m->pages[idx] : NULL;
}

static void fake_free(void *ctx, uint64_t pa)
{
    struct fake_mem *m = ctx;
    uint64_t idx = (pa - FAKE_BASE) / 4096;

    assert_true(pa >= FAKE_BASE && idx < m->next);
    assert_non_null(m->pages[idx]);   /* no double free */
    free(m->pages[idx]);
    m->pages[idx] = NULL;
    m->live--;
}

static void fake_flush(void *ctx, const void *p, size_t len)
{
    ((struct fake_mem *)ctx)->flushes++;
    if (len == 4096)
        ((struct fake_mem *)ctx)->page_flushes++;
}

static const struct vtd_pgtable_mem fake_ops = { &fm, fake_alloc, fake_map, fake_free, fake_flush };
static const struct vtd_pgtable_mem fake_ops_coherent = { &fm, fake_alloc, fake_map, fake_free, NULL };

static void fake_reset(void)
{
    for (size_t i = 0; i < fm.next; i++)
        free(fm.pages[i]);
    memset(&fm, 0, sizeof(fm));
    fm.fail_alloc_after = -1;
}

/* A table entry written by hand, for tables the walker reads without the builder. */
static uint64_t *fake_table(uint64_t pa)
{
    uint64_t *t = fake_map(&fm, pa);

    assert_non_null(t);
    return t;
}

/* ---- reference model: one word per 4 KiB page of the window, pa | perms | REF_UC, 0 = unmapped ---- */

#define REF_UC 0x10ULL   /* mapped with VTD_MAP_UNCACHED */

#define WIN_PAGES (8ULL << 18)          /* 8 GiB window */
static uint64_t *ref;

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static unsigned expected_perms(const struct vtd_pgtable *pt, unsigned perms)
{
    return pt->cfg.stage == VTD_STAGE_FIRST ? perms | VTD_PERM_R : perms & (VTD_PERM_RW | VTD_PERM_X);
}

/* Leaves seen per level by verify_range(), to prove large pages were exercised. */
static uint64_t leaves_seen[6];

/* Compares the table with the reference over [first, last) pages; walks skip whole leaves and holes. */
static void verify_range(const struct vtd_pgtable *pt, uint64_t first, uint64_t last)
{
    uint64_t page = first;

    while (page < last) {
        struct vtd_walk w;
        uint64_t iova = page << 12, span;

        vtd_pgtable_walk(pt, iova, &w);
        if (w.status == VTD_WALK_OK) {
            span = w.page_size >> 12;
            assert_int_equal(w.page_size, vtd_level_size(w.level));
            leaves_seen[w.level]++;
            for (uint64_t p = page & ~(span - 1); p < (page & ~(span - 1)) + span && p < WIN_PAGES; p++) {
                uint64_t want = ref[p];
                uint64_t base = w.pa - (iova & (w.page_size - 1));

                assert_int_not_equal(want, 0);
                assert_int_equal(want & ~0xFFFULL, base + ((p - (page & ~(span - 1))) << 12));
                assert_int_equal(expected_perms(pt, want & 0xF), w.perms);
                /* the plain VT-d second stage has no memory type of its own */
                assert_int_equal((want & REF_UC) && (pt->cfg.stage != VTD_STAGE_SECOND), w.uncached);
            }
            page = (page & ~(span - 1)) + span;
        } else {
            assert_int_equal(w.status, VTD_WALK_NOT_PRESENT);
            span = vtd_level_size(w.level) >> 12;
            for (uint64_t p = page & ~(span - 1); p < (page & ~(span - 1)) + span && p < WIN_PAGES; p++)
                assert_int_equal(ref[p], 0);
            page = (page & ~(span - 1)) + span;
        }
    }
}

static const unsigned ss_perms[] = { VTD_PERM_R, VTD_PERM_W, VTD_PERM_RW, VTD_PERM_R | VTD_PERM_X,
                                     VTD_PERM_RW | VTD_PERM_X };
static const unsigned fs_perms[] = { VTD_PERM_R, VTD_PERM_RW, VTD_PERM_R | VTD_PERM_U, VTD_PERM_RW | VTD_PERM_U,
                                     VTD_PERM_R | VTD_PERM_X, VTD_PERM_RW | VTD_PERM_X | VTD_PERM_U };

/* One random operation; checks the result and the reported change against the reference. */
static void random_op(struct vtd_pgtable *pt)
{
    static const uint64_t unit_pages[] = { 1, 512, 1ULL << 18 };
    unsigned cls = (unsigned)(rnd() % 100);
    unsigned u = cls < 70 ? 0 : cls < 97 ? 1 : 2;
    uint64_t upages = unit_pages[u];
    uint64_t npages = upages * (u == 2 ? 1 : 1 + rnd() % (u == 0 ? 64 : 4));
    uint64_t first = (rnd() % (WIN_PAGES / upages)) * upages;
    struct vtd_pgt_range ch;
    bool is_map = rnd() % 100 < 60;
    int r;

    /* small ranges sometimes start unaligned to cross a large page boundary */
    if (u == 0 && rnd() % 4 == 0)
        first = (rnd() % WIN_PAGES);
    if (first + npages > WIN_PAGES)
        npages = WIN_PAGES - first;

    if (is_map) {
        bool replace = rnd() % 2;
        bool first_stage = pt->cfg.stage == VTD_STAGE_FIRST;
        unsigned perms = first_stage ? fs_perms[rnd() % 6] : ss_perms[rnd() % 5];
        uint64_t pa = ((rnd() % (1ULL << 22)) * upages << 12) & ((1ULL << 38) - 1);
        bool busy = false;
        unsigned flags = (replace ? VTD_MAP_REPLACE : 0) | (rnd() % 4 == 0 ? VTD_MAP_UNCACHED : 0) |
                         (rnd() % 8 == 0 ? VTD_MAP_4K : 0);

        if (rnd() % 3 == 0)
            pa = (first << 12) + (1ULL << 33);  /* same alignment as iova: large pages possible */
        for (uint64_t p = first; p < first + npages; p++)
            busy |= ref[p] != 0;
        r = vtd_pgtable_map(pt, first << 12, pa, npages << 12, perms, flags, &ch);
        if (!replace && busy) {
            assert_int_equal(r, -EEXIST);
            assert_int_equal(ch.start, ch.end);
            return;
        }
        assert_int_equal(r, 0);
        assert_true(ch.start <= first << 12 && ch.end >= (first + npages) << 12);
        if (busy)
            assert_true(ch.had_present);
        for (uint64_t p = first; p < first + npages; p++)
            ref[p] = (pa + ((p - first) << 12)) | perms | ((flags & VTD_MAP_UNCACHED) ? REF_UC : 0);
    } else {
        bool any = false;

        for (uint64_t p = first; p < first + npages; p++)
            any |= ref[p] != 0;
        r = vtd_pgtable_unmap(pt, first << 12, npages << 12, &ch);
        assert_int_equal(r, 0);
        if (any) {
            /* every page whose translation disappears lies inside the reported range */
            for (uint64_t p = first; p < first + npages; p++)
                if (ref[p])
                    assert_true(ch.start <= p << 12 && (p + 1) << 12 <= ch.end);
            assert_true(ch.had_present);
        }
        for (uint64_t p = first; p < first + npages; p++)
            ref[p] = 0;
    }
    /* the touched range plus a random sample */
    verify_range(pt, first > 512 ? first - 512 : 0, first + npages + 512 < WIN_PAGES ? first + npages + 512 : WIN_PAGES);
}

/* Counts the leaves for_each_leaf() reports and checks each against the reference. */
struct leaf_count {
    const struct vtd_pgtable *pt;
    uint64_t pages;
};

static bool count_leaf(void *ctx, uint64_t iova, const struct vtd_walk *w)
{
    struct leaf_count *c = ctx;

    assert_int_equal(w->status, VTD_WALK_OK);
    assert_int_equal(iova & (w->page_size - 1), 0);
    assert_int_equal(ref[iova >> 12] & ~0xFFFULL, w->pa);
    c->pages += w->page_size >> 12;
    return true;
}

static void check_leaf_visit(const struct vtd_pgtable *pt)
{
    struct leaf_count c = { pt, 0 };
    uint64_t mapped = 0;

    for (uint64_t p = 0; p < WIN_PAGES; p++)
        mapped += ref[p] != 0;
    assert_true(vtd_pgtable_for_each_leaf(pt, count_leaf, &c) >= 0);
    assert_int_equal(c.pages, mapped);
}

static void run_random(enum vtd_stage stage, unsigned levels, unsigned large, unsigned ops)
{
    struct vtd_pgtable_cfg cfg = { .stage = stage, .levels = levels, .large = large, .paw = 39, .snoop = false };
    struct vtd_pgtable pt;

    fake_reset();
    memset(leaves_seen, 0, sizeof(leaves_seen));
    free(ref);
    ref = calloc(WIN_PAGES, sizeof(*ref));
    assert_non_null(ref);
    assert_int_equal(vtd_pgtable_init(&pt, &cfg, (ops & 1) ? &fake_ops : &fake_ops_coherent), 0);
    for (unsigned i = 0; i < ops; i++) {
        random_op(&pt);
        if (i % 500 == 499)
            verify_range(&pt, 0, WIN_PAGES);
    }
    verify_range(&pt, 0, WIN_PAGES);
    check_leaf_visit(&pt);
    assert_true(leaves_seen[1] > 0);
    assert_true(!(large & VTD_PGT_LARGE_2M) || leaves_seen[2] > 0);
    assert_true(!(large & VTD_PGT_LARGE_1G) || leaves_seen[3] > 0);
    assert_true((large & VTD_PGT_LARGE_2M) || leaves_seen[2] == 0);
    /* unmapping everything leaves only the top table */
    assert_int_equal(vtd_pgtable_unmap(&pt, 0, WIN_PAGES << 12, NULL), 0);
    memset(ref, 0, WIN_PAGES * sizeof(*ref));
    verify_range(&pt, 0, WIN_PAGES);
    assert_int_equal(fm.live, 1);
    vtd_pgtable_destroy(&pt);
    assert_int_equal(fm.live, 0);
    assert_int_equal(pt.root, 0);
    free(ref);
    ref = NULL;
}

static bool stop_at_first(void *ctx, uint64_t iova, const struct vtd_walk *w)
{
    return false;
}

/* EPT entries as SDM 29.3.2 wants them; the leaf visit's stop and failure results. */
static void test_ept_entries_and_leaf_visit(void **state)
{
    struct vtd_pgtable_cfg cfg = { .stage = VTD_STAGE_EPT, .levels = 4, .large = VTD_PGT_LARGE_2M, .paw = 52 };
    struct vtd_pgtable pt;
    struct vtd_walk w;
    uint64_t top;

    fake_reset();
    assert_int_equal(vtd_pgtable_init(&pt, &cfg, &fake_ops_coherent), 0);
    assert_int_equal(vtd_pgtable_for_each_leaf(&pt, stop_at_first, NULL), 0);
    assert_int_equal(vtd_pgtable_map(&pt, 0x200000, 0x400000, 0x200000, VTD_PERM_RW | VTD_PERM_X, 0, NULL), 0);
    assert_int_equal(vtd_pgtable_map(&pt, 0xfee00000, 0xfee00000, 0x1000, VTD_PERM_RW, VTD_MAP_UNCACHED, NULL), 0);
    top = fake_table(pt.root)[0];
    assert_int_equal(top & 7, 7);                        /* tables grant R, W and X */
    assert_int_equal(vtd_pgtable_walk(&pt, 0x200000, &w), VTD_WALK_OK);
    assert_int_equal(w.page_size, VTD_SIZE_2M);
    assert_int_equal(vtd_sspte_emt(w.pte), VTD_EMT_WB);
    assert_int_equal(w.perms, VTD_PERM_RW | VTD_PERM_X);
    assert_false(w.uncached);
    assert_int_equal(vtd_pgtable_walk(&pt, 0xfee00000, &w), VTD_WALK_OK);
    assert_int_equal(vtd_sspte_emt(w.pte), VTD_EMT_UC);
    assert_true(w.uncached);
    assert_int_equal(vtd_pgtable_for_each_leaf(&pt, stop_at_first, NULL), -1);
    fm.unreadable = vtd_pte_addr(top);
    assert_int_equal(vtd_pgtable_for_each_leaf(&pt, stop_at_first, NULL), -EFAULT);
    fm.unreadable = 0;
    /* a leaf the walker refuses stops the visit too */
    fake_table(vtd_pte_addr(fake_table(vtd_pte_addr(top))[0]))[1] |= 1ULL << 11; /* SNP without snoop */
    assert_int_equal(vtd_pgtable_for_each_leaf(&pt, stop_at_first, NULL), -EFAULT);
    cfg.stage = (enum vtd_stage)4;
    assert_int_equal(vtd_pgtable_attach(&pt, &cfg, &fake_ops_coherent, pt.root), -EINVAL);
    vtd_pgtable_destroy(&pt);
    fake_reset();
}

static void test_random_ss_3level_large(void **state) { run_random(VTD_STAGE_SECOND, 3, VTD_PGT_LARGE_2M | VTD_PGT_LARGE_1G, 3001); }
static void test_random_ss_4level_2m(void **state)    { run_random(VTD_STAGE_SECOND, 4, VTD_PGT_LARGE_2M, 3000); }
static void test_random_ss_4level_4k(void **state)    { run_random(VTD_STAGE_SECOND, 4, 0, 1500); }
static void test_random_fs_4level_large(void **state) { run_random(VTD_STAGE_FIRST, 4, VTD_PGT_LARGE_2M | VTD_PGT_LARGE_1G, 3001); }
static void test_random_fs_5level_2m(void **state)    { run_random(VTD_STAGE_FIRST, 5, VTD_PGT_LARGE_2M, 1500); }
/* The other users of the engine: Intel EPT (vmm/npt.c for VMX); host paging and AMD NPT are the first stage above. */
static void test_random_ept_4level_2m(void **state)   { run_random(VTD_STAGE_EPT, 4, VTD_PGT_LARGE_2M, 3001); }
static void test_random_ept_4level_4k(void **state)   { run_random(VTD_STAGE_EPT, 4, 0, 1000); }

/* ---- directed tests ---- */

static void make_pt(struct vtd_pgtable *pt, enum vtd_stage stage, unsigned levels, unsigned large)
{
    struct vtd_pgtable_cfg cfg = { .stage = stage, .levels = levels, .large = large, .paw = 39, .snoop = false };

    fake_reset();
    assert_int_equal(vtd_pgtable_init(pt, &cfg, &fake_ops), 0);
}

static void test_large_pages_used_and_split(void **state)
{
    struct vtd_pgtable pt;
    struct vtd_pgt_range ch;
    struct vtd_walk w;

    make_pt(&pt, VTD_STAGE_SECOND, 4, VTD_PGT_LARGE_2M | VTD_PGT_LARGE_1G);
    assert_int_equal(vtd_pgtable_map(&pt, 0, 0x40000000, 1ULL << 30, VTD_PERM_RW, 0, &ch), 0);
    assert_int_equal(ch.start, 0);
    assert_int_equal(ch.end, 1ULL << 30);
    assert_false(ch.had_present);
    assert_true(ch.tables_added);   /* the PDPT was created */
    assert_int_equal(vtd_pgtable_walk(&pt, 0x12345678, &w), VTD_WALK_OK);
    assert_int_equal(w.level, 3);
    assert_int_equal(w.page_size, 1ULL << 30);
    assert_int_equal(w.pa, 0x40000000 + 0x12345678);
    assert_int_equal(fm.live, 2);   /* PML4 and PDPT: the 1 GiB leaf needs no PD */
    assert_int_equal(fm.page_flushes, 2);   /* each new table is written back whole before it is linked */

    /* unmapping one 4 KiB page splits 1 GiB -> 2 MiB -> 4 KiB */
    assert_int_equal(vtd_pgtable_unmap(&pt, 0x1000, 0x1000, &ch), 0);
    assert_int_equal(ch.start, 0);
    assert_int_equal(ch.end, 1ULL << 30);
    assert_true(ch.had_present && ch.tables_changed);
    assert_int_equal(vtd_pgtable_walk(&pt, 0x1000, &w), VTD_WALK_NOT_PRESENT);
    assert_int_equal(w.level, 1);
    assert_int_equal(vtd_pgtable_walk(&pt, 0x2000, &w), VTD_WALK_OK);
    assert_int_equal(w.level, 1);
    assert_int_equal(w.pa, 0x40002000);
    assert_int_equal(vtd_pgtable_walk(&pt, 0x200000, &w), VTD_WALK_OK);
    assert_int_equal(w.level, 2);
    assert_int_equal(vtd_pgtable_walk(&pt, 0x3FFFF000, &w), VTD_WALK_OK);
    assert_int_equal(w.pa, 0x7FFFF000);

    /* remapping the hole with a 2 MiB page replaces the 4 KiB table */
    assert_int_equal(vtd_pgtable_map(&pt, 0, 0x40000000, 0x200000, VTD_PERM_R, 0, &ch), -EEXIST);
    assert_int_equal(vtd_pgtable_map(&pt, 0, 0x80000000, 0x200000, VTD_PERM_R, VTD_MAP_REPLACE, &ch), 0);
    assert_true(ch.had_present && ch.tables_changed);
    assert_false(ch.tables_added);  /* every table on the way existed */
    assert_int_equal(ch.start, 0);
    assert_int_equal(ch.end, 0x200000);
    assert_int_equal(vtd_pgtable_walk(&pt, 0x1000, &w), VTD_WALK_OK);
    assert_int_equal(w.level, 2);
    assert_int_equal(w.perms, VTD_PERM_R);
    assert_int_equal(w.pa, 0x80001000);

    /* without 1 GiB support the same map uses 512 2 MiB leaves */
    vtd_pgtable_destroy(&pt);
    make_pt(&pt, VTD_STAGE_SECOND, 4, VTD_PGT_LARGE_2M);
    assert_int_equal(vtd_pgtable_map(&pt, 1ULL << 30, 0x40000000, 1ULL << 30, VTD_PERM_RW, 0, NULL), 0);
    assert_int_equal(vtd_pgtable_walk(&pt, (1ULL << 30) + 0x300000, &w), VTD_WALK_OK);
    assert_int_equal(w.level, 2);
    vtd_pgtable_destroy(&pt);
    /* and without large pages, 4 KiB leaves only */
    make_pt(&pt, VTD_STAGE_SECOND, 3, 0);
    assert_int_equal(vtd_pgtable_map(&pt, 0x200000, 0x200000, 0x200000, VTD_PERM_RW, 0, NULL), 0);
    assert_int_equal(vtd_pgtable_walk(&pt, 0x3FF000, &w), VTD_WALK_OK);
    assert_int_equal(w.level, 1);
    assert_true(fm.flushes > 0);
    vtd_pgtable_destroy(&pt);
    assert_int_equal(fm.live, 0);
}

static void test_walk_failures(void **state)
{
    struct vtd_pgtable pt;
    struct vtd_walk w;
    uint64_t *t, pd_pa, pt_pa;

    make_pt(&pt, VTD_STAGE_SECOND, 3, VTD_PGT_LARGE_2M);
    /* empty: stops at the top level */
    assert_int_equal(vtd_pgtable_walk(&pt, 0x5000, &w), VTD_WALK_NOT_PRESENT);
    assert_int_equal(w.level, 3);
    assert_int_equal(w.table_pa, pt.root);
    assert_int_equal(vtd_pgtable_map(&pt, 0x5000, 0x9000, 0x1000, VTD_PERM_RW, 0, NULL), 0);

    /* the 3 tables are root, PD, PT; find them through the entries */
    t = fake_table(pt.root);
    pd_pa = t[0] & 0x000FFFFFFFFFF000ULL;
    pt_pa = fake_table(pd_pa)[0] & 0x000FFFFFFFFFF000ULL;

    /* unreadable leaf table and unreadable top table */
    fm.unreadable = pt_pa;
    assert_int_equal(vtd_pgtable_walk(&pt, 0x5000, &w), VTD_WALK_TABLE_UNREADABLE);
    assert_int_equal(w.level, 1);
    assert_int_equal(w.table_pa, pt_pa);
    assert_int_equal(vtd_pgtable_map(&pt, 0x6000, 0x9000, 0x1000, VTD_PERM_RW, 0, NULL), -EFAULT);
    assert_int_equal(vtd_pgtable_map(&pt, 0x6000, 0x9000, 0x1000, VTD_PERM_RW, VTD_MAP_REPLACE, NULL), -EFAULT);
    assert_int_equal(vtd_pgtable_unmap(&pt, 0x5000, 0x1000, NULL), -EFAULT);
    fm.unreadable = pt.root;
    assert_int_equal(vtd_pgtable_walk(&pt, 0x5000, &w), VTD_WALK_TABLE_UNREADABLE);
    assert_int_equal(w.level, 3);
    fm.unreadable = 0;

    /* reserved bits: address above paw in the leaf, SNP in a table entry, PS where not supported */
    t = fake_table(pt_pa);
    t[5] |= 1ULL << 45;
    assert_int_equal(vtd_pgtable_walk(&pt, 0x5000, &w), VTD_WALK_RESERVED);
    assert_int_equal(w.level, 1);
    assert_int_equal(w.pte, t[5]);
    assert_int_equal(w.table_pa, pt_pa);
    t[5] &= ~(1ULL << 45);
    fake_table(pd_pa)[0] |= 1ULL << 11;
    assert_int_equal(vtd_pgtable_walk(&pt, 0x5000, &w), VTD_WALK_RESERVED);
    assert_int_equal(w.level, 2);
    fake_table(pd_pa)[0] &= ~(1ULL << 11);
    fake_table(pt.root)[0] |= 1ULL << 7;   /* 1 GiB leaf, not supported here */
    assert_int_equal(vtd_pgtable_walk(&pt, 0x5000, &w), VTD_WALK_RESERVED);
    assert_int_equal(w.level, 3);
    fake_table(pt.root)[0] &= ~(1ULL << 7);

    /* permissions combine: a read-only table entry makes the RW leaf read-only */
    fake_table(pd_pa)[0] &= ~2ULL;
    assert_int_equal(vtd_pgtable_walk(&pt, 0x5123, &w), VTD_WALK_OK);
    assert_int_equal(w.perms, VTD_PERM_R);
    assert_int_equal(w.pa, 0x9123);

    /* input width */
    assert_int_equal(vtd_pgtable_walk(&pt, 1ULL << 39, &w), VTD_WALK_ADDR_TOO_WIDE);
    assert_int_equal(w.level, 3);
    assert_string_equal(vtd_walk_status_name(w.status), "address beyond input width");
    assert_string_equal(vtd_walk_status_name(VTD_WALK_OK), "ok");
    assert_string_equal(vtd_walk_status_name(VTD_WALK_NOT_PRESENT), "not present");
    assert_string_equal(vtd_walk_status_name(VTD_WALK_RESERVED), "reserved bit set");
    assert_string_equal(vtd_walk_status_name(VTD_WALK_TABLE_UNREADABLE), "table unreadable");
    assert_string_equal(vtd_walk_status_name((enum vtd_walk_status)99), "unknown walk status");
    vtd_pgtable_destroy(&pt);
}

/* A guest-style first-stage table built by hand and only walked (attach, no allocation). */
static void test_walk_hand_built_first_stage(void **state)
{
    struct vtd_pgtable_cfg cfg = { .stage = VTD_STAGE_FIRST, .levels = 4, .large = VTD_PGT_LARGE_2M, .paw = 46 };
    struct vtd_pgtable_mem walk_only = { &fm, NULL, fake_map, NULL, NULL };
    struct vtd_pgtable pt;
    struct vtd_walk w;
    uint64_t pml4, pdpt, pd, ptab;

    fake_reset();
    assert_int_equal(fake_alloc(&fm, &pml4), 0);
    assert_int_equal(fake_alloc(&fm, &pdpt), 0);
    assert_int_equal(fake_alloc(&fm, &pd), 0);
    assert_int_equal(fake_alloc(&fm, &ptab), 0);
    /* iova 0x7FFF_C020_3000: PML4 index 255, PDPT 511, PD 1, PT 3 (x86-64 layout) */
    fake_table(pml4)[255] = pdpt | 0x7;            /* P RW US */
    fake_table(pdpt)[511] = pd | 0x3;              /* P RW, supervisor only */
    fake_table(pd)[1] = ptab | 0x7;
    fake_table(ptab)[3] = 0x123456000ULL | 0x7 | (1ULL << 63);
    /* a 2 MiB leaf with PAT (bit 12) at PD index 2 */
    fake_table(pd)[2] = 0x40000000ULL | (1 << 12) | (1 << 7) | 0x3;

    assert_int_equal(vtd_pgtable_attach(&pt, &cfg, &walk_only, pml4), 0);
    assert_int_equal(vtd_pgtable_walk(&pt, 0x7FFFC0203ABCULL, &w), VTD_WALK_OK);
    assert_int_equal(w.level, 1);
    assert_int_equal(w.pa, 0x123456ABCULL);
    assert_int_equal(w.perms, VTD_PERM_RW);        /* U cleared by the PDPT entry, XD on the leaf */
    assert_int_equal(vtd_pgtable_walk(&pt, 0x7FFFC0412345ULL, &w), VTD_WALK_OK);
    assert_int_equal(w.level, 2);
    assert_int_equal(w.pa, 0x40012345ULL);          /* PAT bit is not address */
    assert_int_equal(w.perms, VTD_PERM_RW | VTD_PERM_X);

    /* canonical upper half is walked with the low bits; a non-canonical address stops */
    assert_int_equal(vtd_pgtable_walk(&pt, 0xFFFF800000000000ULL, &w), VTD_WALK_NOT_PRESENT);
    assert_int_equal(w.level, 4);
    assert_int_equal(vtd_pgtable_walk(&pt, 0x0000800000000000ULL, &w), VTD_WALK_NON_CANONICAL);
    assert_string_equal(vtd_walk_status_name(w.status), "non-canonical address");

    /* a guest pointing a table outside its memory: unreadable, not a crash */
    fake_table(pd)[1] = 0x7FFFF000ULL | 0x7;
    assert_int_equal(vtd_pgtable_walk(&pt, 0x7FFFC0203000ULL, &w), VTD_WALK_TABLE_UNREADABLE);
    assert_int_equal(w.level, 1);
    assert_int_equal(w.table_pa, 0x7FFFF000ULL);
    fake_table(pd)[1] = 0;
    assert_int_equal(vtd_pgtable_walk(&pt, 0x7FFFC0203000ULL, &w), VTD_WALK_NOT_PRESENT);
    assert_int_equal(w.level, 2);
    /* 1 GiB leaf without FS1GP support is reserved */
    fake_table(pdpt)[510] = 0x80000000ULL | (1 << 7) | 0x3;
    assert_int_equal(vtd_pgtable_walk(&pt, 0x7FFF80000000ULL, &w), VTD_WALK_RESERVED);
    assert_int_equal(w.level, 3);
    fake_reset();
}

static void test_invalid_arguments(void **state)
{
    struct vtd_pgtable_cfg cfg = { .stage = VTD_STAGE_SECOND, .levels = 3, .large = 0, .paw = 39 };
    struct vtd_pgtable pt;
    struct vtd_pgt_range ch;

    fake_reset();
    cfg.levels = 2;
    assert_int_equal(vtd_pgtable_init(&pt, &cfg, &fake_ops), -EINVAL);
    cfg.levels = 3;
    cfg.stage = VTD_STAGE_FIRST;
    assert_int_equal(vtd_pgtable_init(&pt, &cfg, &fake_ops), -EINVAL);   /* first stage is 4 or 5 levels */
    cfg.stage = VTD_STAGE_SECOND;
    cfg.paw = 60;
    assert_int_equal(vtd_pgtable_init(&pt, &cfg, &fake_ops), -EINVAL);
    cfg.paw = 39;
    assert_int_equal(vtd_pgtable_init(&pt, &cfg, NULL), -EINVAL);
    assert_int_equal(vtd_pgtable_attach(&pt, NULL, &fake_ops, 0), -EINVAL);
    fm.fail_alloc_after = 0;
    assert_int_equal(vtd_pgtable_init(&pt, &cfg, &fake_ops), -ENOMEM);
    fm.fail_alloc_after = -1;
    assert_int_equal(vtd_pgtable_levels_for_width(39), 3);
    assert_int_equal(vtd_pgtable_levels_for_width(48), 4);
    assert_int_equal(vtd_pgtable_levels_for_width(57), 5);
    assert_int_equal(vtd_pgtable_levels_for_width(40), -EINVAL);
    assert_int_equal(vtd_pgtable_width(4), 48);

    assert_int_equal(vtd_pgtable_init(&pt, &cfg, &fake_ops), 0);
    assert_int_equal(vtd_pgtable_map(&pt, 0x1001, 0, 0x1000, VTD_PERM_R, 0, &ch), -EINVAL);
    assert_int_equal(ch.start, ch.end);
    assert_int_equal(vtd_pgtable_map(&pt, 0x1000, 0x10, 0x1000, VTD_PERM_R, 0, NULL), -EINVAL);
    assert_int_equal(vtd_pgtable_map(&pt, 0x1000, 0, 0, VTD_PERM_R, 0, NULL), -EINVAL);
    assert_int_equal(vtd_pgtable_map(&pt, 0x1000, 0, 0x1000, VTD_PERM_X, 0, NULL), -EINVAL);
    assert_int_equal(vtd_pgtable_map(&pt, (1ULL << 39) - 0x1000, 0, 0x2000, VTD_PERM_R, 0, NULL), -EINVAL);
    assert_int_equal(vtd_pgtable_map(&pt, 0xFFFFFFFFFFFFF000ULL, 0, 0x2000, VTD_PERM_R, 0, NULL), -EINVAL);
    assert_int_equal(vtd_pgtable_map(&pt, 0, (1ULL << 39) - 0x1000, 0x2000, VTD_PERM_R, 0, NULL), -EINVAL);
    assert_int_equal(vtd_pgtable_unmap(&pt, 0x1000, 0x800, NULL), -EINVAL);
    assert_int_equal(vtd_pgtable_unmap(&pt, 0x1000, 0x1000, &ch), 0);   /* nothing mapped: fine */
    assert_int_equal(ch.start, ch.end);
    vtd_pgtable_destroy(&pt);
    vtd_pgtable_destroy(&pt);   /* idempotent */
    assert_int_equal(fm.live, 0);
}

static void test_allocation_failures(void **state)
{
    struct vtd_pgtable pt;
    struct vtd_pgt_range ch;
    struct vtd_walk w;

    make_pt(&pt, VTD_STAGE_SECOND, 4, VTD_PGT_LARGE_2M);
    /* the second table allocation fails: the map stops, the change reports nothing mapped yet */
    fm.fail_alloc_after = 1;
    assert_int_equal(vtd_pgtable_map(&pt, 0x1000, 0x1000, 0x1000, VTD_PERM_R, 0, &ch), -ENOMEM);
    assert_int_equal(ch.start, ch.end);
    fm.fail_alloc_after = -1;
    assert_int_equal(vtd_pgtable_map(&pt, 0, 0, 0x400000, VTD_PERM_R, 0, NULL), 0);
    /* a split on unmap that cannot allocate leaves the large page untouched */
    fm.fail_alloc_after = 0;
    assert_int_equal(vtd_pgtable_unmap(&pt, 0x1000, 0x1000, &ch), -ENOMEM);
    assert_int_equal(vtd_pgtable_walk(&pt, 0x1000, &w), VTD_WALK_OK);
    assert_int_equal(w.level, 2);
    /* and so does a replacing map that would need a split */
    assert_int_equal(vtd_pgtable_map(&pt, 0x1000, 0x9000, 0x1000, VTD_PERM_RW, VTD_MAP_REPLACE, &ch), -ENOMEM);
    assert_int_equal(vtd_pgtable_walk(&pt, 0x1000, &w), VTD_WALK_OK);
    assert_int_equal(w.pa, 0x1000);
    fm.fail_alloc_after = -1;
    vtd_pgtable_destroy(&pt);
    assert_int_equal(fm.live, 0);
}

/* ---- invalidation planning ---- */

static void test_psi_split_and_cover(void **state)
{
    struct vtd_psi out[64];
    size_t n;

    /* [0x1000, 0x9000): 1 page at 0x1000, 2 at 0x2000, 4 at 0x4000, 1 at 0x8000 */
    n = vtd_psi_split(0x1000, 0x9000, 9, out, 64);
    assert_int_equal(n, 4);
    assert_int_equal(out[0].addr, 0x1000);
    assert_int_equal(out[0].am, 0);
    assert_int_equal(out[1].addr, 0x2000);
    assert_int_equal(out[1].am, 1);
    assert_int_equal(out[2].addr, 0x4000);
    assert_int_equal(out[2].am, 2);
    assert_int_equal(out[3].addr, 0x8000);
    assert_int_equal(out[3].am, 0);
    /* MAMV caps the block size */
    assert_int_equal(vtd_psi_split(0, 1ULL << 30, 9, out, 64), 512);
    assert_int_equal(vtd_psi_split(0, 1ULL << 30, 18, out, 64), 1);
    assert_int_equal(out[0].am, 18);
    assert_int_equal(vtd_psi_split(0x5000, 0x5000, 9, out, 64), 0);

    /* random ranges: blocks are aligned, contiguous, capped and cover exactly */
    for (int i = 0; i < 2000; i++) {
        uint64_t s = (rnd() % (1ULL << 24)) << 12, e = s + ((1 + rnd() % 5000) << 12);
        unsigned mamv = (unsigned)(rnd() % 12);
        uint64_t at = s;

        n = vtd_psi_split(s, e, mamv, out, 64);
        if (n > 64)
            continue;
        for (size_t k = 0; k < n; k++) {
            assert_int_equal(out[k].addr, at);
            assert_true(out[k].am <= mamv);
            assert_int_equal(out[k].addr & ((4096ULL << out[k].am) - 1), 0);
            at += 4096ULL << out[k].am;
        }
        assert_int_equal(at, e);
    }

    assert_true(vtd_psi_cover(0x3000, 0x5000, 9, &out[0]));   /* pages 3,4 -> block of 8 at 0 */
    assert_int_equal(out[0].addr, 0);
    assert_int_equal(out[0].am, 3);
    assert_true(vtd_psi_cover(0x200000, 0x400000, 9, &out[0]));
    assert_int_equal(out[0].addr, 0x200000);
    assert_int_equal(out[0].am, 9);
    assert_false(vtd_psi_cover(0x1FF000, 0x201000, 9, &out[0])); /* straddles 2 MiB: needs AM 10 */
    assert_false(vtd_psi_cover(0x1000, 0x1000, 9, &out[0]));
}

static void test_inval_plan(void **state)
{
    struct vtd_pgt_range acc = { 0 }, a = { 0x1000, 0x3000, false, false, false },
                         b = { 0x8000, 0x9000, true, false, false };
    struct vtd_inval_plan plan;

    /* new translations only: nothing to invalidate unless the unit caches non-present entries */
    vtd_inval_plan_make(&a, false, true, 9, &plan);
    assert_int_equal(plan.kind, VTD_INVAL_NONE);
    vtd_inval_plan_make(&a, true, true, 9, &plan);
    assert_int_equal(plan.kind, VTD_INVAL_PAGES);
    assert_int_equal(plan.count, 2);   /* 0x1000 x1, 0x2000 x1 */
    assert_true(plan.ih);

    vtd_pgt_range_merge(&acc, &a);
    vtd_pgt_range_merge(&acc, &b);
    vtd_pgt_range_merge(&acc, &(struct vtd_pgt_range){ 0, 0, true, true, true });  /* empty: ignored */
    assert_int_equal(acc.start, 0x1000);
    assert_int_equal(acc.end, 0x9000);
    assert_true(acc.had_present);
    assert_false(acc.tables_changed);
    vtd_inval_plan_make(&acc, false, true, 9, &plan);
    assert_int_equal(plan.kind, VTD_INVAL_PAGES);
    assert_int_equal(plan.count, 4);
    assert_true(plan.ih);

    /* no PSI support: domain; too many blocks: one covering block, or domain beyond MAMV */
    vtd_inval_plan_make(&acc, false, false, 9, &plan);
    assert_int_equal(plan.kind, VTD_INVAL_DOMAIN);
    acc = (struct vtd_pgt_range){ 0x1000, 0x1000 + (1ULL << 21) - 0x2000, true, true, false };
    vtd_inval_plan_make(&acc, false, true, 9, &plan);
    assert_int_equal(plan.kind, VTD_INVAL_PAGES);
    assert_int_equal(plan.count, 1);
    assert_int_equal(plan.psi[0].addr, 0);
    assert_int_equal(plan.psi[0].am, 9);
    assert_false(plan.ih);
    vtd_inval_plan_make(&acc, false, true, 4, &plan);
    assert_int_equal(plan.kind, VTD_INVAL_DOMAIN);
    acc.start = acc.end;
    vtd_inval_plan_make(&acc, true, true, 9, &plan);
    assert_int_equal(plan.kind, VTD_INVAL_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_large_pages_used_and_split),
        cmocka_unit_test(test_walk_failures),
        cmocka_unit_test(test_walk_hand_built_first_stage),
        cmocka_unit_test(test_invalid_arguments),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_psi_split_and_cover),
        cmocka_unit_test(test_inval_plan),
        cmocka_unit_test(test_random_ss_3level_large),
        cmocka_unit_test(test_random_ss_4level_2m),
        cmocka_unit_test(test_random_ss_4level_4k),
        cmocka_unit_test(test_random_fs_4level_large),
        cmocka_unit_test(test_random_fs_5level_2m),
        cmocka_unit_test(test_ept_entries_and_leaf_visit),
        cmocka_unit_test(test_random_ept_4level_2m),
        cmocka_unit_test(test_random_ept_4level_4k),
    };
    int r = UNIT_RUN(tests);

    fake_reset();
    return r;
}
