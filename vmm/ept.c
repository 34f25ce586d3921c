// SPDX-License-Identifier: GPL-2.0-only
/* Extended page tables, 4-level format (see ept.h). */
#include "vmm/ept.h"

#include "kernel/errno.h"
#include "kernel/mm/paging.h"
#include "lib/kstring.h"

/* EPT entry bits (SDM Vol. 3 tables 29-1..29-6). */
#define EPTE_PERM_MASK   0x7ULL
#define EPTE_MT_SHIFT    3            /* leaves: memory type in bits 5:3 */
#define EPTE_MT_MASK     (7ULL << EPTE_MT_SHIFT)
#define EPTE_LARGE       (1ULL << 7)  /* a PDE that maps 2 MiB */
#define EPTE_ADDR        0x000FFFFFFFFFF000ULL
#define EPTE_2M_ADDR     0x000FFFFFFFE00000ULL
#define EPT_TABLE_PERM   EPTE_PERM_MASK /* permissions live in the leaves */
#define EPT_ENTRIES      512

/* EPT pointer fields (24.6.11 table 24-8). */
#define EPTP_MT_WB       6ULL
#define EPTP_WALK_4      (3ULL << 3)  /* page-walk length - 1 */

static unsigned level_shift(int level) { return 12 + 9 * (unsigned)level; } /* 0 = PT .. 3 = PML4 */
static unsigned ept_index(uint64_t gpa, int level) { return (gpa >> level_shift(level)) & 511; }
static uint64_t *table_at(uint64_t hpa) { return (uint64_t *)phys_to_virt(hpa); }
static bool present(uint64_t e) { return (e & EPTE_PERM_MASK) != 0; }

static uint64_t table_new(struct ept *ept)
{
    uint64_t hpa = ept->alloc.alloc_table(ept->alloc.ctx);

    if (hpa) {
        memset(table_at(hpa), 0, EPT_PAGE_4K);
        ept->tables++;
    }
    return hpa;
}

int ept_init(struct ept *ept, const struct ept_alloc *alloc)
{
    memset(ept, 0, sizeof(*ept));
    ept->alloc = *alloc;
    ept->root_hpa = table_new(ept);
    return ept->root_hpa ? 0 : -ENOMEM;
}

static void table_free(struct ept *ept, uint64_t hpa, int level)
{
    uint64_t *t = table_at(hpa);

    for (int i = 0; level > 0 && i < EPT_ENTRIES; i++)
        if (present(t[i]) && !(t[i] & EPTE_LARGE))
            table_free(ept, t[i] & EPTE_ADDR, level - 1);
    ept->alloc.free_table(ept->alloc.ctx, hpa);
    ept->tables--;
}

void ept_destroy(struct ept *ept)
{
    if (ept->root_hpa)
        table_free(ept, ept->root_hpa, 3);
    ept->root_hpa = 0;
}

/* The entry for gpa at target_level (1 = PD, 0 = PT), tables created on the way. NULL when
 * a leaf is in the way (*err = -EEXIST) or memory ran out (*err = -ENOMEM). */
static uint64_t *walk_create(struct ept *ept, uint64_t gpa, int target_level, int *err)
{
    uint64_t *t = table_at(ept->root_hpa);

    for (int level = 3; level > target_level; level--) {
        uint64_t *e = &t[ept_index(gpa, level)];

        if (present(*e) && (*e & EPTE_LARGE)) {
            *err = -EEXIST;
            return NULL;
        }
        if (!present(*e)) {
            uint64_t hpa = table_new(ept);

            if (!hpa) {
                *err = -ENOMEM;
                return NULL;
            }
            *e = hpa | EPT_TABLE_PERM;
        }
        t = table_at(*e & EPTE_ADDR);
    }
    return &t[ept_index(gpa, target_level)];
}

static bool range_is_free(const struct ept *ept, uint64_t gpa, uint64_t size)
{
    for (uint64_t off = 0; off < size; off += EPT_PAGE_4K) {
        uint64_t hpa;
        unsigned perm;
        enum ept_memtype mt;

        if (!ept_translate(ept, gpa + off, &hpa, &perm, &mt))
            return false;
    }
    return true;
}

int ept_map(struct ept *ept, uint64_t gpa, uint64_t hpa, uint64_t size, unsigned perm, enum ept_memtype mt,
            bool allow_2m)
{
    if (!size || gpa % EPT_PAGE_4K || size % EPT_PAGE_4K || hpa % EPT_PAGE_4K || (hpa & ~EPTE_ADDR) ||
        gpa >= EPT_GPA_LIMIT || size > EPT_GPA_LIMIT - gpa || !(perm & EPT_READ) || (perm & ~EPT_RWX) ||
        (mt != EPT_MT_UC && mt != EPT_MT_WB))
        return -EINVAL;
    if (!range_is_free(ept, gpa, size))
        return -EEXIST;
    for (uint64_t off = 0; off < size;) {
        uint64_t g = gpa + off, h = hpa + off;
        bool big = allow_2m && !(g % EPT_PAGE_2M) && !(h % EPT_PAGE_2M) && size - off >= EPT_PAGE_2M;
        int err = 0;
        uint64_t *e = walk_create(ept, g, big ? 1 : 0, &err);

        if (e && big && present(*e)) /* a table below (part of it mapped elsewhere): 4 KiB leaves */
            big = false, e = walk_create(ept, g, 0, &err);
        if (!e)
            return err;
        *e = h | perm | ((uint64_t)mt << EPTE_MT_SHIFT) | (big ? EPTE_LARGE : 0);
        off += big ? EPT_PAGE_2M : EPT_PAGE_4K;
    }
    return 0;
}

int ept_translate(const struct ept *ept, uint64_t gpa, uint64_t *hpa, unsigned *perm, enum ept_memtype *mt)
{
    const uint64_t *t = table_at(ept->root_hpa);

    if (gpa >= EPT_GPA_LIMIT)
        return -ENOENT;
    for (int level = 3; level >= 0; level--) {
        uint64_t e = t[ept_index(gpa, level)];

        if (!present(e))
            return -ENOENT;
        if (level == 0 || (e & EPTE_LARGE)) {
            uint64_t mask = (1ULL << level_shift(level)) - 1;

            *hpa = (e & EPTE_ADDR & ~mask) + (gpa & mask);
            *perm = (unsigned)(e & EPTE_PERM_MASK);
            *mt = (enum ept_memtype)((e & EPTE_MT_MASK) >> EPTE_MT_SHIFT);
            return 0;
        }
        t = table_at(e & EPTE_ADDR);
    }
    return -ENOENT;
}

struct mirror_ctx {
    struct ept *ept;
    bool allow_2m;
    int err;
};

static bool mirror_leaf(void *ctx, uint64_t gpa, uint64_t hpa, uint64_t size, unsigned npt_perm)
{
    struct mirror_ctx *m = ctx;
    unsigned perm = ((npt_perm & NPT_READ) ? EPT_READ : 0) | ((npt_perm & NPT_WRITE) ? EPT_WRITE : 0) |
                    ((npt_perm & NPT_EXEC) ? EPT_EXEC : 0);
    enum ept_memtype mt = (npt_perm & NPT_UNCACHED) ? EPT_MT_UC : EPT_MT_WB;

    m->err = ept_map(m->ept, gpa, hpa, size, perm, mt, m->allow_2m);
    return !m->err;
}

int ept_mirror_npt(struct ept *ept, const struct npt *npt, bool allow_2m)
{
    struct mirror_ctx m = { ept, allow_2m, 0 };

    if (npt_for_each_leaf(npt, mirror_leaf, &m) < 0)
        return m.err ? m.err : -EINVAL;
    return 0;
}

uint64_t ept_pointer(const struct ept *ept)
{
    return ept->root_hpa | EPTP_WALK_4 | EPTP_MT_WB;
}
