// SPDX-License-Identifier: GPL-2.0-only
/* 4-level page-table builder and walker; see pagetable.h. */
#include "kernel/mm/pagetable.h"

#include "kernel/errno.h"

/* Levels: 4 = PML4, 3 = PDPT, 2 = PD, 1 = PT. */
static uint64_t level_page_size(int level) { return 1ULL << (12 + 9 * (level - 1)); }
static unsigned level_index(uint64_t va, int level) { return (unsigned)(va >> (12 + 9 * (level - 1))) & (PT_ENTRIES - 1); }

static bool entry_present(uint64_t e) { return e & PTE_PRESENT; }
/* Levels 3 and 2 may hold a leaf (PS); level 1 always does. */
static bool entry_is_leaf(uint64_t e, int level) { return level == 1 || (e & PTE_PS); }

static uint64_t leaf_addr(uint64_t e, int level)
{
    return e & PTE_ADDR_MASK & ~(level_page_size(level) - 1);
}

/* A leaf's attribute bits, without the address and without PS/PAT (which depend on level). */
static uint64_t leaf_attrs(uint64_t e, int level)
{
    uint64_t attrs = e & ~PTE_ADDR_MASK & ~PTE_PS;

    if (level > 1)
        attrs &= ~PTE_LARGE_PAT; /* PAT is never set by pt_map */
    return attrs;
}

static uint64_t make_leaf(uint64_t pa, uint64_t attrs, int level)
{
    return pa | attrs | PTE_PRESENT | (level > 1 ? PTE_PS : 0);
}

/* Tables link with the most permissive bits; the leaf decides. */
static uint64_t make_table_entry(uint64_t table_pa) { return table_pa | PTE_PRESENT | PTE_WRITE | PTE_USER; }

static uint64_t *table_at(const struct pt_space *s, uint64_t pa)
{
    return s->phys_to_ptr(s->opaque, pa);
}

static void set_entry(struct pt_space *s, uint64_t *slot, uint64_t value)
{
    if (entry_present(*slot) && *slot != value)
        s->changed_present = true;
    *slot = value;
}

/* Replaces the large page in *slot (at level) by a table of 512 pages one level down. */
static int split_large(struct pt_space *s, uint64_t *slot, int level)
{
    uint64_t table_pa = s->alloc_table(s->opaque);
    uint64_t base = leaf_addr(*slot, level), attrs = leaf_attrs(*slot, level);
    uint64_t child_size = level_page_size(level - 1);
    uint64_t *child;

    if (!table_pa)
        return -ENOMEM;
    child = table_at(s, table_pa);
    for (unsigned i = 0; i < PT_ENTRIES; i++)
        child[i] = make_leaf(base + i * child_size, attrs, level - 1);
    set_entry(s, slot, make_table_entry(table_pa));
    return 0;
}

static bool can_map_leaf(const struct pt_space *s, int level, uint64_t va, uint64_t pa, uint64_t len)
{
    uint64_t size = level_page_size(level);

    if (level == 3 && !s->allow_1g)
        return false;
    return level <= 3 && len >= size && !(va & (size - 1)) && !(pa & (size - 1));
}

static int map_level(struct pt_space *s, uint64_t table_pa, int level, uint64_t va, uint64_t pa,
                     uint64_t len, uint64_t attrs)
{
    uint64_t size = level_page_size(level);

    while (len) {
        uint64_t *slot = &table_at(s, table_pa)[level_index(va, level)];
        uint64_t chunk = size - (va & (size - 1));
        int err;

        if (chunk > len)
            chunk = len;
        /* A leaf goes where it fits, unless finer mappings (a table) are already there. */
        if (can_map_leaf(s, level, va, pa, chunk) || level == 1) {
            if (level == 1 || !entry_present(*slot) || entry_is_leaf(*slot, level)) {
                set_entry(s, slot, make_leaf(pa, attrs, level));
                goto next;
            }
        }
        if (!entry_present(*slot)) {
            uint64_t t = s->alloc_table(s->opaque);
            if (!t)
                return -ENOMEM;
            *slot = make_table_entry(t);
        } else if (entry_is_leaf(*slot, level)) {
            err = split_large(s, slot, level);
            if (err)
                return err;
        }
        err = map_level(s, *slot & PTE_ADDR_MASK, level - 1, va, pa, chunk, attrs);
        if (err)
            return err;
next:
        va += chunk;
        pa += chunk;
        len -= chunk;
    }
    return 0;
}

int pt_map(struct pt_space *s, uint64_t va, uint64_t pa, uint64_t len, uint64_t flags)
{
    if ((va | pa | len) & (PT_PAGE_4K - 1) || flags & ~PT_MAP_FLAGS)
        return -EINVAL;
    if (va >= PT_VA_LIMIT || len > PT_VA_LIMIT - va || pa & ~PTE_ADDR_MASK ||
        len > (PTE_ADDR_MASK | (PT_PAGE_4K - 1)) - pa)
        return -ERANGE;
    return map_level(s, s->root_pa, 4, va, pa, len, flags);
}

bool pt_lookup(const struct pt_space *s, uint64_t va, struct pt_leaf *out)
{
    uint64_t table_pa = s->root_pa;

    if (va >= PT_VA_LIMIT)
        return false;
    for (int level = 4; level >= 1; level--) {
        uint64_t e = table_at(s, table_pa)[level_index(va, level)];
        if (!entry_present(e))
            return false;
        if (level <= 3 && entry_is_leaf(e, level)) {
            uint64_t size = level_page_size(level);
            out->pa = leaf_addr(e, level) | (va & (size - 1));
            out->flags = leaf_attrs(e, level) | PTE_PRESENT;
            out->page_size = size;
            return true;
        }
        table_pa = e & PTE_ADDR_MASK;
    }
    return false;
}
