// SPDX-License-Identifier: GPL-2.0-only
#include "tests/unit/support.h"

#include <stdlib.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/mm/frame_pool.h"

#define PG        4096ULL
#define MEM_BASE  0x100000ULL
#define MEM_PAGES 1024ULL      /* 4 MiB of fake physical memory at 1 MiB */

static uint8_t *mem;
static struct frame_pool pool;
static uint64_t bitmap[MEM_PAGES / 64 + 1];

static void *test_phys_to_ptr(uint64_t pa)
{
    assert_true(pa >= MEM_BASE && pa + PG <= MEM_BASE + MEM_PAGES * PG);
    return mem + (pa - MEM_BASE);
}

/* Three ranges with holes: pages [0,100), [128,512), [600,1024) of the fake memory. */
static const struct mem_range ranges[] = {
    { MEM_BASE, MEM_BASE + 100 * PG },
    { MEM_BASE + 128 * PG, MEM_BASE + 512 * PG },
    { MEM_BASE + 600 * PG, MEM_BASE + 1024 * PG },
};

static int setup(void **state)
{
    mem = malloc(MEM_PAGES * PG);
    memset(mem, 0xa5, MEM_PAGES * PG);
    memset(bitmap, 0xff, sizeof(bitmap));
    frame_pool_init(&pool, ranges, 3, bitmap, test_phys_to_ptr);
    unit_log_reset();
    return 0;
}

static int teardown(void **state)
{
    free(mem);
    return 0;
}

static bool is_zero(uint64_t pa, uint64_t pages)
{
    for (uint64_t i = 0; i < pages * PG; i++)
        if (mem[pa - MEM_BASE + i])
            return false;
    return true;
}

static void test_init_counts(void **state)
{
    assert_int_equal(frame_pool_bitmap_bytes(ranges, 3), (100 + 384 + 424 + 63) / 64 * 8);
    assert_int_equal(pool.total_pages, 908);
    assert_int_equal(pool.free_pages, 908);
    assert_int_equal(pool.range_count, 3);
    assert_int_equal(pool.ranges[1].first_bit, 100);
}

static void test_alloc_zeroed_lowest_first(void **state)
{
    uint64_t a = frame_pool_alloc(&pool, 1, 1), b = frame_pool_alloc(&pool, 1, 0);

    assert_int_equal(a, MEM_BASE);
    assert_int_equal(b, MEM_BASE + PG);
    assert_true(is_zero(a, 1) && is_zero(b, 1));
    assert_int_equal(pool.free_pages, 906);
    assert_true(frame_pool_is_allocated(&pool, a));
    assert_false(frame_pool_is_allocated(&pool, MEM_BASE + 2 * PG));
    assert_false(frame_pool_is_allocated(&pool, MEM_BASE + 110 * PG));
    assert_int_equal(frame_pool_free(&pool, a, 1), 0);
    assert_int_equal(frame_pool_alloc(&pool, 1, 1), a);
}

static void test_contig_alignment_and_holes(void **state)
{
    /* 64 pages aligned to 64 pages (256 KiB): not in range 0 (100 pages from 1 MiB, aligned at
     * page 0 but only 100 long: fits); then the next one must skip the hole. */
    uint64_t a = frame_pool_alloc(&pool, 64, 64);
    uint64_t b = frame_pool_alloc(&pool, 64, 64);
    uint64_t c = frame_pool_alloc(&pool, 200, 1);

    assert_int_equal(a, MEM_BASE);
    assert_int_equal(b, MEM_BASE + 128 * PG);
    assert_int_equal(c, MEM_BASE + 192 * PG);
    assert_true(is_zero(c, 200));
    /* Too big for any range. */
    assert_int_equal(frame_pool_alloc(&pool, 425, 1), 0);
    assert_int_equal(frame_pool_alloc(&pool, 424, 1), MEM_BASE + 600 * PG);
    assert_int_equal(frame_pool_alloc(&pool, 0, 1), 0);
    assert_int_equal(frame_pool_alloc(&pool, 1, 3), 0);
    assert_true(unit_log_contains("not a power of two"));
    assert_int_equal(frame_pool_alloc(&pool, 100000, 1), 0);
}

static void test_alloc_limit(void **state)
{
    pool.alloc_limit = MEM_BASE + 130 * PG + 1;
    assert_int_equal(frame_pool_alloc(&pool, 100, 1), MEM_BASE);
    assert_int_equal(frame_pool_alloc(&pool, 2, 1), MEM_BASE + 128 * PG);
    assert_int_equal(frame_pool_alloc(&pool, 1, 1), 0);
    pool.alloc_limit = MEM_BASE;
    assert_int_equal(frame_pool_alloc(&pool, 1, 1), 0);
    pool.alloc_limit = UINT64_MAX;
    assert_int_equal(frame_pool_alloc(&pool, 1, 1), MEM_BASE + 130 * PG);
}

static void test_bad_frees_are_logged_and_ignored(void **state)
{
    uint64_t a = frame_pool_alloc(&pool, 4, 1);

    assert_int_equal(frame_pool_free(&pool, a, 4), 0);
    unit_log_reset();
    assert_int_equal(frame_pool_free(&pool, a + PG, 1), -EINVAL);
    assert_true(unit_log_contains("mem: double free of frame 0x101000"));
    assert_int_equal(frame_pool_free(&pool, MEM_BASE + 110 * PG, 1), -EINVAL);
    assert_true(unit_log_contains("not an allocatable frame range"));
    assert_int_equal(frame_pool_free(&pool, MEM_BASE + 5, 1), -EINVAL);
    assert_int_equal(frame_pool_free(&pool, MEM_BASE + 99 * PG, 2), -EINVAL);   /* crosses a hole */
    assert_int_equal(frame_pool_free(&pool, 0x10000000, 1), -EINVAL);
    assert_int_equal(frame_pool_free(&pool, MEM_BASE, 0), -EINVAL);
    /* Partly allocated: the whole call is refused, the allocated part stays allocated. */
    a = frame_pool_alloc(&pool, 1, 1);
    assert_int_equal(frame_pool_free(&pool, a, 2), -EINVAL);
    assert_true(frame_pool_is_allocated(&pool, a));
    assert_int_equal(pool.free_pages, 907);
}

static void test_claim(void **state)
{
    assert_int_equal(frame_pool_claim(&pool, MEM_BASE, 3), 0);
    assert_int_equal(frame_pool_claim(&pool, MEM_BASE + 2 * PG, 1), -EBUSY);
    assert_int_equal(frame_pool_claim(&pool, MEM_BASE + 100 * PG, 1), -EINVAL);
    assert_int_equal(frame_pool_alloc(&pool, 1, 1), MEM_BASE + 3 * PG);
    assert_int_equal(mem[0], 0xa5);   /* claimed frames are not zeroed */
}

/* Random alloc/free sequences against a reference page-ownership array. */
static void test_random_against_reference(void **state)
{
    static int owner[MEM_PAGES];        /* 0 free or not managed, else allocation id */
    static struct { uint64_t pa, n; } live[512];
    unsigned nlive = 0;
    uint64_t free_ref = pool.free_pages;

    srand(42);
    memset(owner, 0, sizeof(owner));
    for (int step = 0; step < 20000; step++) {
        if (nlive < 512 && (nlive == 0 || rand() % 100 < 55)) {
            uint64_t n = rand() % 4 ? 1 : 1 + (uint64_t)(rand() % 40);
            uint64_t align = 1ULL << (rand() % 4 ? 0 : rand() % 6);
            uint64_t pa = frame_pool_alloc(&pool, n, align);
            if (!pa)
                continue;
            assert_int_equal(pa % (align * PG), 0);
            for (uint64_t i = 0; i < n; i++) {
                uint64_t page = (pa - MEM_BASE) / PG + i;
                assert_int_equal(owner[page], 0);
                assert_true(mem_ranges_contain(ranges, 3, pa + i * PG, pa + (i + 1) * PG));
                owner[page] = step + 1;
            }
            assert_true(is_zero(pa, n));
            memset(mem + (pa - MEM_BASE), 0x5a, n * PG);
            live[nlive].pa = pa;
            live[nlive++].n = n;
            free_ref -= n;
        } else {
            unsigned k = (unsigned)rand() % nlive;
            assert_int_equal(frame_pool_free(&pool, live[k].pa, live[k].n), 0);
            for (uint64_t i = 0; i < live[k].n; i++)
                owner[(live[k].pa - MEM_BASE) / PG + i] = 0;
            free_ref += live[k].n;
            live[k] = live[--nlive];
        }
        assert_int_equal(pool.free_pages, free_ref);
    }
    for (uint64_t p = 0; p < MEM_PAGES; p++)
        if (mem_ranges_contain(ranges, 3, MEM_BASE + p * PG, MEM_BASE + (p + 1) * PG))
            assert_int_equal(frame_pool_is_allocated(&pool, MEM_BASE + p * PG), owner[p] != 0);
}

/* Fill everything with single frames, then exhaustion returns 0. */
static void test_exhaustion(void **state)
{
    for (unsigned i = 0; i < 908; i++)
        assert_int_not_equal(frame_pool_alloc(&pool, 1, 1), 0);
    assert_int_equal(pool.free_pages, 0);
    assert_int_equal(frame_pool_alloc(&pool, 1, 1), 0);
    assert_int_equal(frame_pool_free(&pool, MEM_BASE + 700 * PG, 1), 0);
    assert_int_equal(frame_pool_alloc(&pool, 1, 1), MEM_BASE + 700 * PG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_init_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_zeroed_lowest_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_contig_alignment_and_holes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_frees_are_logged_and_ignored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_claim, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_against_reference, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exhaustion, setup, teardown),
    };
    return UNIT_RUN(tests);
}
