// SPDX-License-Identifier: GPL-2.0-only
/* Guest page-table walker (see guest_walk.h). */
#include "vmm/guest_walk.h"

#include "lib/kstring.h"

/* Paging-structure entry bits (SDM vol. 3 tables 4-4 to 4-20). */
#define PTE_P   (1ULL << 0)
#define PTE_RW  (1ULL << 1)
#define PTE_US  (1ULL << 2)
#define PTE_PS  (1ULL << 7)
#define PTE_XD  (1ULL << 63)

#define PAGE_4K (1ULL << 12)
#define BITS(hi, lo) ((~0ULL >> (63 - (hi))) & ~((1ULL << (lo)) - 1))

/* One level of a walk: which linear-address bits index it, how wide its entries are. */
struct walk_level {
    unsigned shift, index_bits, entry_bytes;
};

struct walk_state {
    const struct guest_paging *pg;
    const struct guest_mem_reader *mem;
    enum guest_paging_mode mode;
    unsigned maxphy;
    bool all_user, all_write, any_xd;
};

const char *guest_walk_status_str(enum guest_walk_status st)
{
    switch (st) {
    case GUEST_WALK_OK: return "ok";
    case GUEST_WALK_NOT_PRESENT: return "not present";
    case GUEST_WALK_PROTECTION: return "access rights";
    case GUEST_WALK_RESERVED: return "reserved bit set";
    case GUEST_WALK_NONCANONICAL: return "non-canonical address";
    case GUEST_WALK_READ_FAILED: return "paging structure unreadable";
    case GUEST_WALK_UNSUPPORTED: return "5-level paging unsupported";
    }
    return "?";
}

enum guest_paging_mode guest_paging_mode(const struct guest_paging *pg)
{
    if (!(pg->cr0 & GUEST_CR0_PG))
        return GUEST_PAGING_NONE;
    if (!(pg->cr4 & GUEST_CR4_PAE))
        return GUEST_PAGING_32BIT;
    if (!(pg->efer & GUEST_EFER_LMA))
        return GUEST_PAGING_PAE;
    return (pg->cr4 & GUEST_CR4_LA57) ? GUEST_PAGING_5LEVEL : GUEST_PAGING_4LEVEL;
}

static bool nx_enabled(const struct walk_state *w)
{
    return w->mode != GUEST_PAGING_32BIT && (w->pg->efer & GUEST_EFER_NXE);
}

/* Bits [51:maxphy] of a PAE or 4-level entry. */
static uint64_t above_maxphy(const struct walk_state *w)
{
    return w->maxphy >= 52 ? 0 : BITS(51, w->maxphy);
}

/* Reserved bits of an entry at level (SDM vol. 3 4.3-4.5, "must be 0" fields). */
static uint64_t reserved_bits(const struct walk_state *w, unsigned level, uint64_t e)
{
    uint64_t r;

    if (w->mode == GUEST_PAGING_32BIT) {
        if (level != 2 || !(e & PTE_PS) || !(w->pg->cr4 & GUEST_CR4_PSE))
            return 0;
        r = 1ULL << 21;
        if (w->maxphy < 40)
            r |= BITS(20, 13 + (w->maxphy - 32));
        return r;
    }
    if (w->mode == GUEST_PAGING_PAE && level == 3)  /* PDPTE (4.4.1) */
        return BITS(63, w->maxphy) | BITS(8, 5) | BITS(2, 1);
    r = above_maxphy(w);
    if (!(w->pg->efer & GUEST_EFER_NXE))
        r |= PTE_XD;
    if (level == 4)
        r |= PTE_PS;
    else if (level == 3 && (e & PTE_PS))
        r |= BITS(29, 13);
    else if (level == 2 && (e & PTE_PS))
        r |= BITS(20, 13);
    return r;
}

static int read_entry(const struct walk_state *w, uint64_t gpa, unsigned bytes, uint64_t *e)
{
    uint8_t b[8] = { 0 };

    if (w->mem->read(w->mem->ctx, gpa, b, bytes))
        return -1;
    *e = 0;
    for (unsigned i = 0; i < bytes; i++)
        *e |= (uint64_t)b[i] << (8 * i);
    return 0;
}

static uint32_t pf_error(const struct walk_state *w, unsigned access, bool present, bool rsvd)
{
    uint32_t err = 0;

    if (present)
        err |= GUEST_PF_P;
    if (rsvd)
        err |= GUEST_PF_RSVD;
    if (access & GUEST_ACCESS_WRITE)
        err |= GUEST_PF_W;
    if (access & GUEST_ACCESS_USER)
        err |= GUEST_PF_U;
    if ((access & GUEST_ACCESS_FETCH) && (nx_enabled(w) || (w->pg->cr4 & GUEST_CR4_SMEP)))
        err |= GUEST_PF_ID;
    return err;
}

/* Access rights over the whole walk (SDM vol. 3 4.6). */
static bool access_allowed(const struct walk_state *w, unsigned access)
{
    bool user = access & GUEST_ACCESS_USER, write = access & GUEST_ACCESS_WRITE;
    bool fetch = access & GUEST_ACCESS_FETCH;

    if (fetch && w->any_xd)
        return false;
    if (user)
        return w->all_user && (!write || w->all_write);
    if (write && !w->all_write && (w->pg->cr0 & GUEST_CR0_WP))
        return false;
    if (fetch && w->all_user && (w->pg->cr4 & GUEST_CR4_SMEP))
        return false;
    if (!fetch && w->all_user && (w->pg->cr4 & GUEST_CR4_SMAP) && !w->pg->rflags_ac)
        return false;
    return true;
}

static const struct walk_level levels_32bit[] = { { 22, 10, 4 }, { 12, 10, 4 } };
static const struct walk_level levels_pae[] = { { 30, 2, 8 }, { 21, 9, 8 }, { 12, 9, 8 } };
static const struct walk_level levels_4level[] = { { 39, 9, 8 }, { 30, 9, 8 }, { 21, 9, 8 }, { 12, 9, 8 } };

/* The frame address held in a non-leaf or 4 KiB entry. */
static uint64_t entry_frame(const struct walk_state *w, uint64_t e)
{
    if (w->mode == GUEST_PAGING_32BIT)
        return e & BITS(31, 12);
    return e & BITS(w->maxphy - 1, 12);
}

/* The page address held in a large-page entry of a page of page_bytes. */
static uint64_t large_frame(const struct walk_state *w, uint64_t e, uint64_t page_bytes)
{
    if (w->mode == GUEST_PAGING_32BIT) /* PSE-36: bits 20:13 hold address bits 39:32 */
        return (e & BITS(31, 22)) | ((e >> 13) & 0xFF) << 32;
    return e & BITS(w->maxphy - 1, 12) & ~(page_bytes - 1);
}

static bool is_large_leaf(const struct walk_state *w, unsigned level, uint64_t e)
{
    if (!(e & PTE_PS))
        return false;
    if (w->mode == GUEST_PAGING_32BIT)
        return level == 2 && (w->pg->cr4 & GUEST_CR4_PSE);
    if (w->mode == GUEST_PAGING_PAE)
        return level == 2;
    return level == 2 || level == 3;
}

static enum guest_walk_status walk_tables(struct walk_state *w, uint64_t linear, unsigned access,
                                          struct guest_walk_result *out)
{
    const struct walk_level *lv;
    unsigned nr, level;
    uint64_t table, e = 0;

    if (w->mode == GUEST_PAGING_32BIT) {
        lv = levels_32bit, nr = 2, table = w->pg->cr3 & BITS(31, 12);
    } else if (w->mode == GUEST_PAGING_PAE) {
        lv = levels_pae, nr = 3, table = w->pg->cr3 & BITS(31, 5);
    } else {
        lv = levels_4level, nr = 4, table = w->pg->cr3 & BITS(w->maxphy - 1, 12);
    }

    for (unsigned i = 0; i < nr; i++) {
        uint64_t index = (linear >> lv[i].shift) & ((1ULL << lv[i].index_bits) - 1);
        bool pae_pdpte = w->mode == GUEST_PAGING_PAE && i == 0;

        level = nr - i;
        out->level = level;
        out->entry_gpa = table + index * lv[i].entry_bytes;
        if (read_entry(w, out->entry_gpa, lv[i].entry_bytes, &e))
            return GUEST_WALK_READ_FAILED;
        if (!(e & PTE_P)) {
            out->pf_error = pf_error(w, access, false, false);
            return GUEST_WALK_NOT_PRESENT;
        }
        if (e & reserved_bits(w, level, e)) {
            out->pf_error = pf_error(w, access, true, true);
            return GUEST_WALK_RESERVED;
        }
        if (!pae_pdpte) {
            w->all_user &= !!(e & PTE_US);
            w->all_write &= !!(e & PTE_RW);
            w->any_xd |= nx_enabled(w) && (e & PTE_XD);
        }
        if (level == 1 || (!pae_pdpte && is_large_leaf(w, level, e))) {
            out->page_bytes = 1ULL << lv[i].shift;
            out->gpa = (level == 1 ? entry_frame(w, e) : large_frame(w, e, out->page_bytes)) |
                       (linear & (out->page_bytes - 1));
            break;
        }
        table = entry_frame(w, e);
    }
    if (!access_allowed(w, access)) {
        out->pf_error = pf_error(w, access, true, false);
        return GUEST_WALK_PROTECTION;
    }
    return GUEST_WALK_OK;
}

enum guest_walk_status guest_walk(const struct guest_paging *pg, const struct guest_mem_reader *mem,
                                  uint64_t linear, unsigned access, struct guest_walk_result *out)
{
    struct walk_state w = { pg, mem, guest_paging_mode(pg), pg->maxphyaddr ? pg->maxphyaddr : 52,
                            true, true, false };

    memset(out, 0, sizeof(*out));
    if (w.maxphy < 32 || w.maxphy > 52)
        w.maxphy = 52;
    switch (w.mode) {
    case GUEST_PAGING_NONE:
        out->gpa = linear & 0xFFFFFFFFULL;
        out->page_bytes = PAGE_4K;
        return GUEST_WALK_OK;
    case GUEST_PAGING_5LEVEL:
        return GUEST_WALK_UNSUPPORTED;
    case GUEST_PAGING_4LEVEL:
        if ((uint64_t)((int64_t)(linear << 16) >> 16) != linear)
            return GUEST_WALK_NONCANONICAL;
        break;
    default:
        linear &= 0xFFFFFFFFULL;
        break;
    }
    return walk_tables(&w, linear, access, out);
}

enum guest_walk_status guest_read_linear(const struct guest_paging *pg, const struct guest_mem_reader *mem,
                                         uint64_t linear, void *buf, unsigned want, unsigned access,
                                         unsigned *got, struct guest_walk_result *res)
{
    struct guest_walk_result local;
    struct guest_walk_result *r = res ? res : &local;
    bool wrap32 = guest_paging_mode(pg) < GUEST_PAGING_4LEVEL;
    uint8_t *dst = buf;

    *got = 0;
    while (*got < want) {
        uint64_t la = linear + *got;
        uint64_t chunk;
        enum guest_walk_status st;

        if (wrap32)
            la &= 0xFFFFFFFFULL;
        st = guest_walk(pg, mem, la, access, r);
        if (st != GUEST_WALK_OK)
            return st;
        chunk = PAGE_4K - (la & (PAGE_4K - 1));
        if (chunk > want - *got)
            chunk = want - *got;
        if (mem->read(mem->ctx, r->gpa, dst + *got, (size_t)chunk)) {
            r->entry_gpa = r->gpa;
            return GUEST_WALK_READ_FAILED;
        }
        *got += (unsigned)chunk;
    }
    return GUEST_WALK_OK;
}
