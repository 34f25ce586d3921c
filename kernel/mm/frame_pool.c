// SPDX-License-Identifier: GPL-2.0-only
/* Bitmap frame allocator core; see frame_pool.h. */
#include "kernel/mm/frame_pool.h"

#include "kernel/errno.h"
#include "kernel/log.h"
#include "lib/kstring.h"

#define BITS_PER_WORD 64

static bool bit_test(const uint64_t *bm, uint64_t i) { return bm[i / BITS_PER_WORD] >> (i % BITS_PER_WORD) & 1; }
static void bit_set(uint64_t *bm, uint64_t i) { bm[i / BITS_PER_WORD] |= 1ULL << (i % BITS_PER_WORD); }
static void bit_clear(uint64_t *bm, uint64_t i) { bm[i / BITS_PER_WORD] &= ~(1ULL << (i % BITS_PER_WORD)); }

/* First index in [from, to) whose bit equals value, or to. */
static uint64_t bit_find(const uint64_t *bm, uint64_t from, uint64_t to, bool value)
{
    for (uint64_t i = from; i < to;) {
        uint64_t word = value ? bm[i / BITS_PER_WORD] : ~bm[i / BITS_PER_WORD];
        word >>= i % BITS_PER_WORD;
        if (word) {
            i += (uint64_t)__builtin_ctzll(word);
            return i < to ? i : to;
        }
        i = (i / BITS_PER_WORD + 1) * BITS_PER_WORD;
    }
    return to;
}

uint64_t frame_pool_bitmap_bytes(const struct mem_range *ranges, unsigned n)
{
    uint64_t pages = 0;

    for (unsigned i = 0; i < n; i++)
        pages += (ranges[i].end - ranges[i].base) / FRAME_POOL_PAGE_SIZE;
    return (pages + BITS_PER_WORD - 1) / BITS_PER_WORD * 8;
}

void frame_pool_init(struct frame_pool *p, const struct mem_range *ranges, unsigned n,
                     uint64_t *bitmap, void *(*phys_to_ptr)(uint64_t pa))
{
    uint64_t bit = 0;

    if (n > MEMMAP_RANGES_MAX)
        n = MEMMAP_RANGES_MAX;
    for (unsigned i = 0; i < n; i++) {
        uint64_t pages = (ranges[i].end - ranges[i].base) / FRAME_POOL_PAGE_SIZE;
        p->ranges[i] = (struct frame_pool_range){ ranges[i].base, pages, bit };
        bit += pages;
    }
    p->range_count = n;
    p->bitmap = bitmap;
    p->total_pages = p->free_pages = bit;
    p->alloc_limit = UINT64_MAX;
    p->lowest_maybe_free = 0;
    p->phys_to_ptr = phys_to_ptr;
    memset(bitmap, 0, frame_pool_bitmap_bytes(ranges, n));
}

/* The range holding [pa, pa + npages frames), or NULL. */
static const struct frame_pool_range *range_of(const struct frame_pool *p, uint64_t pa, uint64_t npages)
{
    if (pa % FRAME_POOL_PAGE_SIZE || npages == 0)
        return NULL;
    for (unsigned i = 0; i < p->range_count; i++) {
        const struct frame_pool_range *r = &p->ranges[i];
        if (pa >= r->base && (pa - r->base) / FRAME_POOL_PAGE_SIZE < r->pages)
            return npages <= r->pages - (pa - r->base) / FRAME_POOL_PAGE_SIZE ? r : NULL;
    }
    return NULL;
}

static void mark_used(struct frame_pool *p, uint64_t first, uint64_t npages)
{
    for (uint64_t i = first; i < first + npages; i++)
        bit_set(p->bitmap, i);
    p->free_pages -= npages;
    if (first <= p->lowest_maybe_free)
        p->lowest_maybe_free = bit_find(p->bitmap, first, p->total_pages, false);
}

int frame_pool_claim(struct frame_pool *p, uint64_t pa, uint64_t npages)
{
    const struct frame_pool_range *r = range_of(p, pa, npages);
    uint64_t first;

    if (!r)
        return -EINVAL;
    first = r->first_bit + (pa - r->base) / FRAME_POOL_PAGE_SIZE;
    if (bit_find(p->bitmap, first, first + npages, true) != first + npages)
        return -EBUSY;
    mark_used(p, first, npages);
    return 0;
}

/* Frames of r wholly below the allocation limit. */
static uint64_t pages_below_limit(const struct frame_pool *p, const struct frame_pool_range *r)
{
    uint64_t room;

    if (r->base >= p->alloc_limit)
        return 0;
    room = (p->alloc_limit - r->base) / FRAME_POOL_PAGE_SIZE;
    return room < r->pages ? room : r->pages;
}

/* Index within r of the first frame at or after index i whose address is aligned to align bytes. */
static uint64_t align_index(const struct frame_pool_range *r, uint64_t i, uint64_t align)
{
    uint64_t pa = r->base + i * FRAME_POOL_PAGE_SIZE;
    uint64_t aligned = (pa + align - 1) & ~(align - 1);

    if (aligned < pa)
        return UINT64_MAX / FRAME_POOL_PAGE_SIZE;
    return (aligned - r->base) / FRAME_POOL_PAGE_SIZE;
}

static bool find_in_range(const struct frame_pool *p, const struct frame_pool_range *r,
                          uint64_t npages, uint64_t align, uint64_t *index)
{
    uint64_t limit = pages_below_limit(p, r);
    uint64_t i = p->lowest_maybe_free > r->first_bit ? p->lowest_maybe_free - r->first_bit : 0;

    while (i < limit && npages <= limit - i) {
        i = bit_find(p->bitmap, r->first_bit + i, r->first_bit + limit, false) - r->first_bit;
        i = align_index(r, i, align);
        if (i >= limit || npages > limit - i)
            break;
        uint64_t used = bit_find(p->bitmap, r->first_bit + i, r->first_bit + i + npages, true) - r->first_bit;
        if (used == i + npages) {
            *index = i;
            return true;
        }
        i = used + 1;
    }
    return false;
}

uint64_t frame_pool_alloc(struct frame_pool *p, uint64_t npages, uint64_t align_pages)
{
    uint64_t align, index;

    if (npages == 0 || npages > p->free_pages)
        return 0;
    if (align_pages == 0)
        align_pages = 1;
    if (align_pages & (align_pages - 1) || align_pages > (1ULL << 40)) {
        pr_err("mem: frame alignment of %llu pages is not a power of two\n", (unsigned long long)align_pages);
        return 0;
    }
    align = align_pages * FRAME_POOL_PAGE_SIZE;
    for (unsigned ri = 0; ri < p->range_count; ri++) {
        const struct frame_pool_range *r = &p->ranges[ri];
        if (r->first_bit + r->pages <= p->lowest_maybe_free || !find_in_range(p, r, npages, align, &index))
            continue;
        mark_used(p, r->first_bit + index, npages);
        uint64_t pa = r->base + index * FRAME_POOL_PAGE_SIZE;
        for (uint64_t k = 0; k < npages; k++)
            memset(p->phys_to_ptr(pa + k * FRAME_POOL_PAGE_SIZE), 0, FRAME_POOL_PAGE_SIZE);
        return pa;
    }
    return 0;
}

int frame_pool_free(struct frame_pool *p, uint64_t pa, uint64_t npages)
{
    const struct frame_pool_range *r = range_of(p, pa, npages);
    uint64_t first, busy;

    if (!r) {
        pr_err("mem: free of %#llx (%llu pages): not an allocatable frame range; ignored\n",
               (unsigned long long)pa, (unsigned long long)npages);
        return -EINVAL;
    }
    first = r->first_bit + (pa - r->base) / FRAME_POOL_PAGE_SIZE;
    busy = bit_find(p->bitmap, first, first + npages, false);
    if (busy != first + npages) {
        pr_err("mem: double free of frame %#llx (freeing %#llx, %llu pages); ignored\n",
               (unsigned long long)(r->base + (busy - r->first_bit) * FRAME_POOL_PAGE_SIZE),
               (unsigned long long)pa, (unsigned long long)npages);
        return -EINVAL;
    }
    for (uint64_t i = first; i < first + npages; i++)
        bit_clear(p->bitmap, i);
    p->free_pages += npages;
    if (first < p->lowest_maybe_free)
        p->lowest_maybe_free = first;
    return 0;
}

bool frame_pool_is_allocated(const struct frame_pool *p, uint64_t pa)
{
    const struct frame_pool_range *r = range_of(p, pa, 1);

    return r && bit_test(p->bitmap, r->first_bit + (pa - r->base) / FRAME_POOL_PAGE_SIZE);
}
