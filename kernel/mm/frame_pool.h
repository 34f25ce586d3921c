/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The frame allocator's core: one bit per 4 KiB frame of a set of free ranges, in a bitmap
 * the caller provides. Pure: frames are reached through phys_to_ptr (the direct map in the
 * kernel, a buffer in unit tests), only to zero them.
 */
#ifndef NESTOR_KERNEL_MM_FRAME_POOL_H
#define NESTOR_KERNEL_MM_FRAME_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/mm/memmap.h"

#define FRAME_POOL_PAGE_SIZE 4096ULL

struct frame_pool_range {
    uint64_t base;      /* page-aligned physical address */
    uint64_t pages;
    uint64_t first_bit; /* index of the range's first frame in the bitmap */
};

struct frame_pool {
    struct frame_pool_range ranges[MEMMAP_RANGES_MAX]; /* sorted, disjoint */
    unsigned range_count;
    uint64_t *bitmap;        /* bit set: frame in use; bits past total_pages are never read */
    uint64_t total_pages;
    uint64_t free_pages;
    uint64_t alloc_limit;    /* only frames wholly below this address are handed out */
    uint64_t lowest_maybe_free; /* invariant: every bit below it is set */
    void *(*phys_to_ptr)(uint64_t pa);
};

/* Bytes of bitmap the ranges need (a multiple of 8). */
uint64_t frame_pool_bitmap_bytes(const struct mem_range *ranges, unsigned n);

/* All frames start free. ranges must be sorted, disjoint and page-aligned (memmap output). */
void frame_pool_init(struct frame_pool *p, const struct mem_range *ranges, unsigned n,
                     uint64_t *bitmap, void *(*phys_to_ptr)(uint64_t pa));

/* Marks npages frames at pa in use without zeroing them (e.g. the bitmap's own storage). */
int frame_pool_claim(struct frame_pool *p, uint64_t pa, uint64_t npages);

/* npages zeroed frames at an address aligned to align_pages frames (a power of two), or 0. */
uint64_t frame_pool_alloc(struct frame_pool *p, uint64_t npages, uint64_t align_pages);

/*
 * Returns frames to the pool. A range that is not wholly allocatable, or that holds a frame
 * already free (a double free), is a caller bug: it is logged and ignored (-EINVAL).
 */
int frame_pool_free(struct frame_pool *p, uint64_t pa, uint64_t npages);

/* True when the frame at pa is managed by the pool and currently allocated. */
bool frame_pool_is_allocated(const struct frame_pool *p, uint64_t pa);

#endif
