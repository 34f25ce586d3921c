/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The small-object allocator's core. Objects of 16..2048 bytes come from slabs of
 * HEAP_SLAB_PAGES frames, one power-of-two size class per slab; bigger requests take their own
 * contiguous frames. Every slab and big block starts on a HEAP_SLAB_BYTES boundary with a
 * header, so free() finds the header from the pointer alone. Pure: pages come from callbacks.
 */
#ifndef NESTOR_KERNEL_MM_HEAP_CORE_H
#define NESTOR_KERNEL_MM_HEAP_CORE_H

#include <stddef.h>
#include <stdint.h>

#define HEAP_PAGE_SIZE    4096
#define HEAP_SLAB_PAGES   4
#define HEAP_SLAB_BYTES   (HEAP_SLAB_PAGES * HEAP_PAGE_SIZE)
#define HEAP_MIN_OBJECT   16
#define HEAP_MAX_OBJECT   2048
#define HEAP_CLASSES      8         /* 16, 32, ..., 2048 */
#define HEAP_MAX_BYTES    (1ULL << 30)

struct heap_block;

struct heap_ops {
    /* npages zeroed pages aligned to align_pages pages, or NULL. */
    void *(*pages_alloc)(void *opaque, size_t npages, size_t align_pages);
    void (*pages_free)(void *opaque, void *p, size_t npages);
    void *opaque;
};

struct heap {
    struct heap_ops ops;
    struct heap_block *slabs[HEAP_CLASSES]; /* every slab of a class, partly used or full */
    uint64_t live_objects;
};

/* Zeroed, 16-byte aligned memory for size bytes (0 counts as 1), or NULL. */
void *heap_alloc(struct heap *h, size_t size);
/* NULL is ignored; a pointer the heap did not hand out, or a double free, is logged and ignored. */
void heap_free(struct heap *h, void *p);

#endif
