// SPDX-License-Identifier: GPL-2.0-only
/* kzalloc/kfree: the heap core over the frame allocator and the direct map. */
#include "kernel/mm/heap.h"

#include "kernel/mm/frame.h"
#include "kernel/mm/heap_core.h"
#include "kernel/mm/paging.h"

static void *frames_pages_alloc(void *opaque, size_t npages, size_t align_pages)
{
    uint64_t pa = frames_alloc_contig(npages, align_pages);

    return pa ? phys_to_virt(pa) : NULL;
}

static void frames_pages_free(void *opaque, void *p, size_t npages)
{
    frames_free(virt_to_phys(p), npages);
}

static struct heap kernel_heap = {
    .ops = { .pages_alloc = frames_pages_alloc, .pages_free = frames_pages_free },
};

void *kzalloc(size_t size)
{
    return heap_alloc(&kernel_heap, size);
}

void kfree(void *p)
{
    heap_free(&kernel_heap, p);
}
