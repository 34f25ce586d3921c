/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Physical frame allocator (4 KiB frames), built from the boot memory map with the
 * image, modules, boot information and firmware ranges reserved.
 * Frames come back zeroed. 0 is never a valid frame address (the first MiB is never handed out).
 */
#ifndef NESTOR_KERNEL_MM_FRAME_H
#define NESTOR_KERNEL_MM_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/bootinfo.h"

#define PAGE_SIZE  4096ULL
#define PAGE_SHIFT 12
#define PAGE_MASK  (~(PAGE_SIZE - 1))

/* Builds the allocator from the boot memory map; logs the totals. 0 on success. */
int frames_init(const struct boot_info *bi);
/* One zeroed frame, or 0 when memory is exhausted. */
uint64_t frame_alloc(void);
/* npages contiguous zeroed frames aligned to align_pages frames (a power of two), or 0. */
uint64_t frames_alloc_contig(size_t npages, size_t align_pages);
void frame_free(uint64_t pa);
void frames_free(uint64_t pa, size_t npages);

struct frame_stats {
    uint64_t total_pages; /* usable RAM the allocator manages */
    uint64_t free_pages;
};
struct frame_stats frames_stats(void);

/*
 * Frames are handed out only wholly below this address: the boot page tables map 0..4 GiB
 * (the initial limit) until paging_init has direct-mapped all RAM and lifts it.
 */
void frames_set_mapped_limit(uint64_t limit);

#endif
