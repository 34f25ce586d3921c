// SPDX-License-Identifier: GPL-2.0-only
#include "tests/unit/support.h"

#include <stdlib.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/mm/pagetable.h"

#define GiB (1ULL << 30)
#define MiB (1ULL << 20)
#define TABLES_MAX 64
#define TABLE_BASE 0x10000000ULL /* fake physical address of table 0 */

static uint64_t (*tables)[PT_ENTRIES];
static unsigned tables_used, tables_limit;
static struct pt_space pt;

static uint64_t test_alloc_table(void *opaque)
{
    if (tables_used == tables_limit)
        return 0;
    memset(tables[tables_used], 0, sizeof(tables[0]));
    return TABLE_BASE + (uint64_t)tables_used++ * 4096;
}

static void *test_table_ptr(void *opaque, uint64_t pa)
{
    assert_true(pa >= TABLE_BASE && pa < TABLE_BASE + tables_used * 4096ULL && pa % 4096 == 0);
    return tables[(pa - TABLE_BASE) / 4096];
}

static int setup(void **state)
{
    tables = aligned_alloc(4096, TABLES_MAX * 4096);
    tables_used = 0;
    tables_limit = TABLES_MAX;
    pt = (struct pt_space){ .alloc_table = test_alloc_table, .phys_to_ptr = test_table_ptr };
    pt.root_pa = test_alloc_table(NULL);
    return 0;
}

static int teardown(void **state)
{
    free(tables);
    return 0;
}

#define assert_leaf(va, pa_, flags_, size)                        \
    do {                                                          \
        struct pt_leaf l_;                                        \
        assert_true(pt_lookup(&pt, (va), &l_));                   \
        assert_int_equal(l_.pa, (pa_));                           \
        assert_int_equal(l_.flags & ~(PTE_ACCESSED | PTE_DIRTY), (flags_) | PTE_PRESENT); \
        assert_int_equal(l_.page_size, (size));                   \
    } while (0)

static void test_identity_4g_with_2m_pages(void **state)
{
    assert_int_equal(pt_map(&pt, 0, 0, 4 * GiB, PTE_WRITE), 0);
    assert_int_equal(tables_used, 1 + 1 + 4);    /* PML4, PDPT, 4 PDs */
    assert_leaf(0, 0, PTE_WRITE, 2 * MiB);
    assert_leaf(0xfed90123, 0xfed90123, PTE_WRITE, 2 * MiB);
    assert_false(pt_lookup(&pt, 4 * GiB, &(struct pt_leaf){ 0 }));
    assert_false(pt.changed_present);
}

static void test_1g_pages_when_allowed(void **state)
{
    pt.allow_1g = true;
    assert_int_equal(pt_map(&pt, 0, 0, 4 * GiB, PTE_WRITE), 0);
    assert_int_equal(tables_used, 2);
    assert_leaf(3 * GiB + 5, 3 * GiB + 5, PTE_WRITE, GiB);
    /* Unaligned start: 4 KiB pages up to 2 MiB, 2 MiB pages up to 1 GiB, then 1 GiB. */
    assert_int_equal(pt_map(&pt, 5 * GiB - 4096, 5 * GiB - 4096, GiB + 4096, PTE_WRITE), 0);
    assert_leaf(5 * GiB - 4096, 5 * GiB - 4096, PTE_WRITE, 4096);
    assert_leaf(5 * GiB, 5 * GiB, PTE_WRITE, GiB);
}

static void test_uc_split_of_large_pages(void **state)
{
    pt.allow_1g = true;
    assert_int_equal(pt_map(&pt, 0, 0, 4 * GiB, PTE_WRITE), 0);
    pt.changed_present = false;
    assert_int_equal(pt_map(&pt, 0xfed90000, 0xfed90000, 4096, PTE_WRITE | PTE_PCD | PTE_PWT | PTE_NX), 0);
    assert_true(pt.changed_present);
    assert_int_equal(tables_used, 2 + 2);         /* a PD from the 1 GiB split, a PT from the 2 MiB one */
    assert_leaf(0xfed90000, 0xfed90000, PTE_WRITE | PTE_PCD | PTE_PWT | PTE_NX, 4096);
    assert_leaf(0xfed91000, 0xfed91000, PTE_WRITE, 4096);
    assert_leaf(0xfed8f000, 0xfed8f000, PTE_WRITE, 4096);
    assert_leaf(0xfea00000, 0xfea00000, PTE_WRITE, 2 * MiB);
    assert_leaf(0xc0000000, 0xc0000000, PTE_WRITE, 2 * MiB);
    assert_leaf(0x80000000, 0x80000000, PTE_WRITE, GiB);
    /* Mapping the same again changes nothing present. */
    pt.changed_present = false;
    assert_int_equal(pt_map(&pt, 0xfed90000, 0xfed90000, 4096, PTE_WRITE | PTE_PCD | PTE_PWT | PTE_NX), 0);
    assert_false(pt.changed_present);
    /* A 2 MiB-aligned request over an existing table descends instead of dropping it. */
    assert_int_equal(pt_map(&pt, 0xfec00000, 0xfec00000, 4 * MiB, PTE_WRITE | PTE_PCD), 0);
    assert_leaf(0xfec00000, 0xfec00000, PTE_WRITE | PTE_PCD, 4096);
    assert_leaf(0xfed90000, 0xfed90000, PTE_WRITE | PTE_PCD, 4096);
    assert_leaf(0xfee00000, 0xfee00000, PTE_WRITE | PTE_PCD, 2 * MiB);
}

static void test_bad_arguments(void **state)
{
    assert_int_equal(pt_map(&pt, 1, 0, 4096, 0), -EINVAL);
    assert_int_equal(pt_map(&pt, 0, 0x800, 4096, 0), -EINVAL);
    assert_int_equal(pt_map(&pt, 0, 0, 100, 0), -EINVAL);
    assert_int_equal(pt_map(&pt, 0, 0, 4096, PTE_PS), -EINVAL);
    assert_int_equal(pt_map(&pt, PT_VA_LIMIT, 0, 4096, 0), -ERANGE);
    assert_int_equal(pt_map(&pt, PT_VA_LIMIT - 4096, 0, 8192, 0), -ERANGE);
    assert_int_equal(pt_map(&pt, 0, 1ULL << 52, 4096, 0), -ERANGE);
    assert_false(pt_lookup(&pt, PT_VA_LIMIT, &(struct pt_leaf){ 0 }));
    assert_false(pt_lookup(&pt, 0, &(struct pt_leaf){ 0 }));
}

static void test_out_of_tables(void **state)
{
    tables_limit = 3;   /* PML4 + PDPT + one PD */
    assert_int_equal(pt_map(&pt, 0, 0, 2 * GiB, PTE_WRITE), -ENOMEM);
    tables_limit = TABLES_MAX;
    assert_int_equal(pt_map(&pt, 0, 0, 2 * MiB, PTE_WRITE), 0);
    tables_limit = tables_used;
    assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 4096, PTE_WRITE), -ENOMEM);   /* split needs a PT */
    assert_int_equal(pt_map(&pt, 512 * GiB, 0, 4096, PTE_WRITE), -ENOMEM);     /* new PDPT */
    tables_limit = tables_used + 2;
    assert_int_equal(pt_map(&pt, 512 * GiB, 0, 4096, PTE_WRITE), -ENOMEM);     /* PDPT, PD, no PT */
}

static void test_non_identity_4k(void **state)
{
    assert_int_equal(pt_map(&pt, 0x7000, 0x123456000, 0x3000, PTE_WRITE | PTE_USER), 0);
    assert_leaf(0x8010, 0x123457010, PTE_WRITE | PTE_USER, 4096);
    assert_false(pt_lookup(&pt, 0xa000, &(struct pt_leaf){ 0 }));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_identity_4g_with_2m_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_1g_pages_when_allowed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uc_split_of_large_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_non_identity_4k, setup, teardown),
    };
    return UNIT_RUN(tests);
}
