// SPDX-License-Identifier: GPL-2.0-only
/* Nested page tables, AMD64 long-mode format (see npt.h). */
#include "vmm/npt.h"

#include "kernel/errno.h"
#include "kernel/mm/paging.h"
#include "lib/kstring.h"

/* Page-table entry bits, APM vol. 2 5.3.3 (figures 5-20..5-25). */
#define PTE_P      (1ULL << 0)
#define PTE_RW     (1ULL << 1)
#define PTE_US     (1ULL << 2)
#define PTE_PWT    (1ULL << 3)
#define PTE_PCD    (1ULL << 4)
#define PTE_PS     (1ULL << 7)
#define PTE_NX     (1ULL << 63)
#define PTE_ADDR   0x000FFFFFFFFFF000ULL
#define PDE_2M_ADDR 0x000FFFFFFFE00000ULL
#define PT_ENTRIES 512
#define TABLE_FLAGS (PTE_P | PTE_RW | PTE_US) /* permissions live in the leaves */

static unsigned level_shift(int level) { return 12 + 9 * (unsigned)level; } /* 0 = PT .. 3 = PML4 */
static unsigned pt_index(uint64_t gpa, int level) { return (gpa >> level_shift(level)) & 511; }
static uint64_t *table_at(uint64_t hpa) { return (uint64_t *)phys_to_virt(hpa); }

static uint64_t leaf_bits(unsigned perm)
{
    uint64_t e = PTE_P | PTE_US;

    if (perm & NPT_WRITE)
        e |= PTE_RW;
    if (!(perm & NPT_EXEC))
        e |= PTE_NX;
    if (perm & NPT_UNCACHED)
        e |= PTE_PCD | PTE_PWT;
    return e;
}

static unsigned leaf_perm(uint64_t e)
{
    unsigned perm = NPT_READ;

    if (e & PTE_RW)
        perm |= NPT_WRITE;
    if (!(e & PTE_NX))
        perm |= NPT_EXEC;
    if (e & PTE_PCD)
        perm |= NPT_UNCACHED;
    return perm;
}

static uint64_t table_new(struct npt *npt)
{
    uint64_t hpa = npt->alloc.alloc_table(npt->alloc.ctx);

    if (hpa) {
        memset(table_at(hpa), 0, NPT_PAGE_4K);
        npt->tables++;
    }
    return hpa;
}

int npt_init(struct npt *npt, const struct npt_alloc *alloc)
{
    memset(npt, 0, sizeof(*npt));
    npt->alloc = *alloc;
    npt->root_hpa = table_new(npt);
    return npt->root_hpa ? 0 : -ENOMEM;
}

static void table_free(struct npt *npt, uint64_t hpa, int level)
{
    uint64_t *t = table_at(hpa);

    for (int i = 0; level > 0 && i < PT_ENTRIES; i++)
        if ((t[i] & PTE_P) && !(t[i] & PTE_PS))
            table_free(npt, t[i] & PTE_ADDR, level - 1);
    npt->alloc.free_table(npt->alloc.ctx, hpa);
    npt->tables--;
}

void npt_destroy(struct npt *npt)
{
    if (npt->root_hpa)
        table_free(npt, npt->root_hpa, 3);
    npt->root_hpa = 0;
}

/* Replaces a 2 MiB leaf by a table of 512 4 KiB leaves with the same targets. */
static int split_2m(struct npt *npt, uint64_t *pde)
{
    uint64_t pt_hpa = table_new(npt), base = *pde & PDE_2M_ADDR;
    uint64_t flags = *pde & ~(PDE_2M_ADDR | PTE_PS);
    uint64_t *pt;

    if (!pt_hpa)
        return -ENOMEM;
    pt = table_at(pt_hpa);
    for (int i = 0; i < PT_ENTRIES; i++)
        pt[i] = (base + (uint64_t)i * NPT_PAGE_4K) | flags;
    *pde = pt_hpa | TABLE_FLAGS;
    return 0;
}

/*
 * The entry for gpa at target_level (1 = PD, 0 = PT), creating tables on the way when
 * create is set. Splits a 2 MiB leaf in the way when split is set; else returns it
 * (*leaf_level = 1). NULL when absent (or out of memory with create).
 */
static uint64_t *walk(struct npt *npt, uint64_t gpa, int target_level, bool create, bool split,
                      int *leaf_level, int *err)
{
    uint64_t *t = table_at(npt->root_hpa);

    *err = 0;
    for (int level = 3; level > target_level; level--) {
        uint64_t *e = &t[pt_index(gpa, level)];

        if ((*e & PTE_P) && (*e & PTE_PS)) {
            if (!split) {
                *leaf_level = level;
                return e;
            }
            if ((*err = split_2m(npt, e)))
                return 0;
        }
        if (!(*e & PTE_P)) {
            uint64_t hpa;

            if (!create)
                return 0;
            if (!(hpa = table_new(npt))) {
                *err = -ENOMEM;
                return 0;
            }
            *e = hpa | TABLE_FLAGS;
        }
        t = table_at(*e & PTE_ADDR);
    }
    *leaf_level = target_level;
    return &t[pt_index(gpa, target_level)];
}

static bool range_ok(uint64_t gpa, uint64_t size)
{
    return size && !(gpa % NPT_PAGE_4K) && !(size % NPT_PAGE_4K) && gpa < NPT_GPA_LIMIT &&
           size <= NPT_GPA_LIMIT - gpa;
}

static bool range_is_free(struct npt *npt, uint64_t gpa, uint64_t size)
{
    for (uint64_t off = 0; off < size; off += NPT_PAGE_4K) {
        uint64_t hpa;
        unsigned perm;

        if (!npt_translate(npt, gpa + off, &hpa, &perm))
            return false;
    }
    return true;
}

int npt_map(struct npt *npt, uint64_t gpa, uint64_t hpa, uint64_t size, unsigned perm, bool allow_2m)
{
    uint64_t off = 0;

    if (!range_ok(gpa, size) || hpa % NPT_PAGE_4K || (hpa & ~PTE_ADDR) || !(perm & NPT_READ))
        return -EINVAL;
    if (!range_is_free(npt, gpa, size))
        return -EEXIST;
    while (off < size) {
        uint64_t g = gpa + off, h = hpa + off;
        bool big = allow_2m && !(g % NPT_PAGE_2M) && !(h % NPT_PAGE_2M) && size - off >= NPT_PAGE_2M;
        int level, err;
        uint64_t *e = walk(npt, g, big ? 1 : 0, true, true, &level, &err);

        if (!e)
            return err;
        if (big && (*e & PTE_P)) /* a table below: fall back to 4 KiB leaves */
            big = false, e = walk(npt, g, 0, true, true, &level, &err);
        if (!e)
            return err;
        *e = h | leaf_bits(perm) | (big ? PTE_PS : 0);
        off += big ? NPT_PAGE_2M : NPT_PAGE_4K;
    }
    return 0;
}

int npt_unmap(struct npt *npt, uint64_t gpa, uint64_t size)
{
    if (!range_ok(gpa, size))
        return -EINVAL;
    for (uint64_t off = 0; off < size;) {
        uint64_t g = gpa + off;
        bool whole_2m = !(g % NPT_PAGE_2M) && size - off >= NPT_PAGE_2M;
        int level, err;
        uint64_t *e = walk(npt, g, 1, false, false, &level, &err);

        if (e && level == 1 && (*e & PTE_P) && ((*e & PTE_PS) || whole_2m)) {
            if (!(*e & PTE_PS) && whole_2m) {
                table_free(npt, *e & PTE_ADDR, 0);
                *e = 0;
                off += NPT_PAGE_2M;
                continue;
            }
            if (whole_2m) {
                *e = 0;
                off += NPT_PAGE_2M;
                continue;
            }
            if ((err = split_2m(npt, e)))
                return err;
        }
        e = walk(npt, g, 0, false, false, &level, &err);
        if (e && level == 0)
            *e = 0;
        off += NPT_PAGE_4K;
    }
    return 0;
}

int npt_translate(const struct npt *npt, uint64_t gpa, uint64_t *hpa, unsigned *perm)
{
    const uint64_t *t = table_at(npt->root_hpa);

    if (gpa >= NPT_GPA_LIMIT)
        return -ENOENT;
    for (int level = 3; level >= 0; level--) {
        uint64_t e = t[pt_index(gpa, level)];

        if (!(e & PTE_P))
            return -ENOENT;
        if (level == 0 || (e & PTE_PS)) {
            uint64_t mask = (1ULL << level_shift(level)) - 1;

            *hpa = (e & PTE_ADDR & ~mask) + (gpa & mask);
            *perm = leaf_perm(e);
            return 0;
        }
        t = table_at(e & PTE_ADDR);
    }
    return -ENOENT;
}

static long visit(const uint64_t *t, int level, uint64_t base, npt_leaf_fn fn, void *ctx)
{
    long count = 0;

    for (int i = 0; i < PT_ENTRIES; i++) {
        uint64_t e = t[i], gpa = base + ((uint64_t)i << level_shift(level));

        if (!(e & PTE_P))
            continue;
        if (level == 0 || (e & PTE_PS)) {
            uint64_t size = 1ULL << level_shift(level);

            if (!fn(ctx, gpa, e & PTE_ADDR & ~(size - 1), size, leaf_perm(e)))
                return -1;
            count++;
        } else {
            long n = visit(table_at(e & PTE_ADDR), level - 1, gpa, fn, ctx);

            if (n < 0)
                return -1;
            count += n;
        }
    }
    return count;
}

long npt_for_each_leaf(const struct npt *npt, npt_leaf_fn fn, void *ctx)
{
    return visit(table_at(npt->root_hpa), 3, 0, fn, ctx);
}
