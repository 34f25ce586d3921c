// SPDX-License-Identifier: GPL-2.0-only
/* Slab and big-block allocator core; see heap_core.h. */
#include "kernel/mm/heap_core.h"

#include <stdbool.h>

#include "kernel/log.h"
#include "lib/kstring.h"

#define HEAP_MAGIC_SLAB 0x534c4142u /* "SLAB" */
#define HEAP_MAGIC_BIG  0x42494721u /* "BIG!" */
#define SLAB_MAX_OBJECTS 1024       /* bound for the 16-byte class; bitmap size */

/* The header at the start of every slab and big block; a multiple of 16 bytes long. */
struct heap_block {
    uint32_t magic;
    uint32_t object_size; /* slab: the class size; big block: 0 */
    uint32_t capacity;    /* slab: objects it holds */
    uint32_t used;
    struct heap_block *next;
    uint64_t npages;      /* pages of the slab or big block */
    uint64_t in_use[SLAB_MAX_OBJECTS / 64];
};
_Static_assert(sizeof(struct heap_block) % 16 == 0, "objects after the header stay 16-byte aligned");
_Static_assert((HEAP_SLAB_BYTES - sizeof(struct heap_block)) / HEAP_MIN_OBJECT <= SLAB_MAX_OBJECTS,
               "the in_use bitmap covers the smallest class");

static uint8_t *block_data(struct heap_block *b) { return (uint8_t *)b + sizeof(*b); }

static unsigned size_class(size_t size)
{
    unsigned c = 0;

    while ((size_t)HEAP_MIN_OBJECT << c < size)
        c++;
    return c;
}

static struct heap_block *slab_new(struct heap *h, unsigned cls)
{
    struct heap_block *b = h->ops.pages_alloc(h->ops.opaque, HEAP_SLAB_PAGES, HEAP_SLAB_PAGES);

    if (!b)
        return NULL;
    b->magic = HEAP_MAGIC_SLAB;
    b->object_size = HEAP_MIN_OBJECT << cls;
    b->capacity = (HEAP_SLAB_BYTES - sizeof(*b)) / b->object_size;
    b->used = 0;
    b->npages = HEAP_SLAB_PAGES;
    memset(b->in_use, 0, sizeof(b->in_use));
    b->next = h->slabs[cls];
    h->slabs[cls] = b;
    return b;
}

static void *slab_alloc(struct heap *h, unsigned cls)
{
    struct heap_block *b = h->slabs[cls];

    while (b && b->used == b->capacity)
        b = b->next;
    if (!b && !(b = slab_new(h, cls)))
        return NULL;
    for (uint32_t w = 0; w * 64 < b->capacity; w++) {
        if (b->in_use[w] == UINT64_MAX)
            continue;
        uint32_t i = w * 64 + (uint32_t)__builtin_ctzll(~b->in_use[w]);
        if (i >= b->capacity)
            break;
        b->in_use[w] |= 1ULL << (i % 64);
        b->used++;
        void *p = block_data(b) + (size_t)i * b->object_size;
        memset(p, 0, b->object_size);
        return p;
    }
    return NULL; /* unreachable: used < capacity means a clear bit below capacity */
}

static void *big_alloc(struct heap *h, size_t size)
{
    size_t npages = (sizeof(struct heap_block) + size + HEAP_PAGE_SIZE - 1) / HEAP_PAGE_SIZE;
    struct heap_block *b = h->ops.pages_alloc(h->ops.opaque, npages, HEAP_SLAB_PAGES);

    if (!b)
        return NULL;
    b->magic = HEAP_MAGIC_BIG;
    b->object_size = 0;
    b->npages = npages;
    return block_data(b);
}

void *heap_alloc(struct heap *h, size_t size)
{
    void *p;

    if (size > HEAP_MAX_BYTES) {
        pr_err("heap: request of %zu bytes refused\n", size);
        return NULL;
    }
    p = size <= HEAP_MAX_OBJECT ? slab_alloc(h, size_class(size ? size : 1)) : big_alloc(h, size);
    if (p)
        h->live_objects++;
    return p;
}

static void slab_release(struct heap *h, struct heap_block *b)
{
    struct heap_block **link = &h->slabs[size_class(b->object_size)];

    while (*link != b)
        link = &(*link)->next;
    *link = b->next;
    b->magic = 0;
    h->ops.pages_free(h->ops.opaque, b, b->npages);
}

void heap_free(struct heap *h, void *p)
{
    struct heap_block *b = (struct heap_block *)((uintptr_t)p & ~(uintptr_t)(HEAP_SLAB_BYTES - 1));
    uintptr_t offset = (uintptr_t)p - (uintptr_t)block_data(b);

    if (!p)
        return;
    if ((uintptr_t)p < (uintptr_t)block_data(b))
        goto bad;
    if (b->magic == HEAP_MAGIC_BIG && offset == 0) {
        b->magic = 0;
        h->live_objects--;
        h->ops.pages_free(h->ops.opaque, b, b->npages);
        return;
    }
    if (b->magic != HEAP_MAGIC_SLAB || offset % b->object_size || offset / b->object_size >= b->capacity)
        goto bad;
    uint32_t i = (uint32_t)(offset / b->object_size);
    if (!(b->in_use[i / 64] >> (i % 64) & 1)) {
        pr_err("heap: double free of %p (%u-byte object); ignored\n", p, b->object_size);
        return;
    }
    b->in_use[i / 64] &= ~(1ULL << (i % 64));
    b->used--;
    h->live_objects--;
    if (b->used == 0)
        slab_release(h, b);
    return;
bad:
    pr_err("heap: free of %p, which the heap did not hand out; ignored\n", p);
}
