// SPDX-License-Identifier: GPL-2.0-only
#include "tests/unit/support.h"

#include <stdlib.h>
#include <string.h>

#include "kernel/mm/heap_core.h"

static struct heap heap;
static long pages_out;      /* pages handed to the heap and not yet returned */
static long pages_budget;   /* allocation fails beyond this */

static void *test_pages_alloc(void *opaque, size_t npages, size_t align_pages)
{
    void *p;

    if (pages_out + (long)npages > pages_budget)
        return NULL;
    size_t align = align_pages * HEAP_PAGE_SIZE;
    p = aligned_alloc(align, (npages * HEAP_PAGE_SIZE + align - 1) / align * align);
    memset(p, 0, npages * HEAP_PAGE_SIZE);
    pages_out += (long)npages;
    return p;
}

static void test_pages_free(void *opaque, void *p, size_t npages)
{
    memset(p, 0xdd, npages * HEAP_PAGE_SIZE);    /* freed pages are garbage */
    free(p);
    pages_out -= (long)npages;
}

static int setup(void **state)
{
    memset(&heap, 0, sizeof(heap));
    heap.ops = (struct heap_ops){ test_pages_alloc, test_pages_free, NULL };
    pages_out = 0;
    pages_budget = 1 << 20;
    unit_log_reset();
    return 0;
}

static bool all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++)
        if (b[i])
            return false;
    return true;
}

static void test_sizes_alignment_zeroing(void **state)
{
    static const size_t sizes[] = { 0, 1, 15, 16, 17, 100, 1024, 2047, 2048, 2049, 4096, 20000, 1 << 20 };
    void *p[sizeof(sizes) / sizeof(sizes[0])];

    for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        p[i] = heap_alloc(&heap, sizes[i]);
        assert_non_null(p[i]);
        assert_int_equal((uintptr_t)p[i] % 16, 0);
        assert_true(all_zero(p[i], sizes[i]));
        memset(p[i], 0xee, sizes[i]);
    }
    assert_int_equal(heap.live_objects, sizeof(sizes) / sizeof(sizes[0]));
    for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        heap_free(&heap, p[i]);
    assert_int_equal(heap.live_objects, 0);
    assert_int_equal(pages_out, 0);   /* empty slabs and big blocks all went back */
    assert_false(unit_log_contains("heap:"));
}

static void test_reuse_is_zeroed(void **state)
{
    void *a = heap_alloc(&heap, 64), *keep = heap_alloc(&heap, 64);

    memset(a, 0x77, 64);
    heap_free(&heap, a);
    void *b = heap_alloc(&heap, 50);
    assert_ptr_equal(a, b);
    assert_true(all_zero(b, 64));
    heap_free(&heap, b);
    heap_free(&heap, keep);
}

static void test_bad_and_double_free(void **state)
{
    void *a = heap_alloc(&heap, 32), *b = heap_alloc(&heap, 32), *big = heap_alloc(&heap, 9000);

    heap_free(&heap, NULL);
    heap_free(&heap, a);
    heap_free(&heap, a);
    assert_true(unit_log_contains("heap: double free of"));
    unit_log_reset();
    heap_free(&heap, (uint8_t *)b + 8);
    assert_true(unit_log_contains("which the heap did not hand out"));
    unit_log_reset();
    heap_free(&heap, (uint8_t *)big + 16);
    assert_true(unit_log_contains("which the heap did not hand out"));
    unit_log_reset();
    static uint8_t not_heap[HEAP_SLAB_BYTES * 2] __attribute__((aligned(HEAP_SLAB_BYTES)));
    heap_free(&heap, not_heap + 4);           /* before where objects start */
    heap_free(&heap, not_heap + 512);         /* no magic */
    assert_true(unit_log_contains("which the heap did not hand out"));
    assert_int_equal(heap.live_objects, 2);
    heap_free(&heap, b);
    heap_free(&heap, big);
    assert_int_equal(pages_out, 0);
}

static void test_out_of_pages_and_huge(void **state)
{
    pages_budget = 0;
    assert_null(heap_alloc(&heap, 16));
    assert_null(heap_alloc(&heap, 5000));
    pages_budget = 1 << 20;
    assert_null(heap_alloc(&heap, (size_t)HEAP_MAX_BYTES + 1));
    assert_true(unit_log_contains("heap: request of"));
    assert_int_equal(heap.live_objects, 0);
}

/* A full slab of the 2048 class, then one more: a second slab. */
static void test_slab_fills_and_grows(void **state)
{
    void *p[16];
    unsigned n = 0;

    for (; n < 8; n++)
        assert_non_null(p[n] = heap_alloc(&heap, 2048));
    assert_int_equal(pages_out, 2 * HEAP_SLAB_PAGES);  /* 7 objects fit in one slab */
    while (n)
        heap_free(&heap, p[--n]);
    assert_int_equal(pages_out, 0);
}

/* Random alloc/free; each object is filled with its own pattern and checked before free. */
static void test_random(void **state)
{
    enum { LIVE = 600 };
    static struct { uint8_t *p; size_t n; uint8_t tag; } live[LIVE];
    unsigned nlive = 0;

    srand(7);
    for (int step = 0; step < 30000; step++) {
        if (nlive < LIVE && (nlive == 0 || rand() % 2)) {
            size_t n = rand() % 10 ? (size_t)(rand() % 2100) : (size_t)(rand() % 40000);
            uint8_t *p = heap_alloc(&heap, n);
            assert_non_null(p);
            assert_true(all_zero(p, n));
            for (unsigned i = 0; i < nlive; i++)
                assert_true(p + n <= live[i].p || live[i].p + live[i].n <= p || !n || !live[i].n);
            live[nlive].p = p;
            live[nlive].n = n;
            live[nlive].tag = (uint8_t)step | 1;
            memset(p, live[nlive].tag, n);
            nlive++;
        } else {
            unsigned k = (unsigned)rand() % nlive;
            for (size_t i = 0; i < live[k].n; i++)
                assert_int_equal(live[k].p[i], live[k].tag);
            heap_free(&heap, live[k].p);
            live[k] = live[--nlive];
        }
    }
    while (nlive)
        heap_free(&heap, live[--nlive].p);
    assert_int_equal(pages_out, 0);
    assert_false(unit_log_contains("heap:"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_sizes_alignment_zeroing, setup),
        cmocka_unit_test_setup(test_reuse_is_zeroed, setup),
        cmocka_unit_test_setup(test_bad_and_double_free, setup),
        cmocka_unit_test_setup(test_out_of_pages_and_huge, setup),
        cmocka_unit_test_setup(test_slab_fills_and_grows, setup),
        cmocka_unit_test_setup(test_random, setup),
    };
    return UNIT_RUN(tests);
}
