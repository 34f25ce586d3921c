// SPDX-License-Identifier: GPL-2.0-only
/* RMRR ranges against usable RAM: firmware-reserved ranges pass, RAM overlaps and malformed ranges do not. */
#include "tests/unit/support.h"

#include "iommu/vtd_rmrr.h"
#include "kernel/errno.h"

/* q35 with 256 MiB under SeaBIOS: RAM above 1 MiB up to just below 256 MiB (memmap "usable"). */
static const struct mem_range ram[] = {
    { 0x100000, 0xffe0000 },
    { 0x100000000ULL, 0x140000000ULL },
};

static void test_reserved_ranges_pass(void **state)
{
    assert_int_equal(vtd_rmrr_check(0xe0000, 0xfffff, ram, 2, NULL), 0);          /* BIOS area, first MiB */
    assert_int_equal(vtd_rmrr_check(0xffe0000, 0xfffffff, ram, 2, NULL), 0);      /* touching the end of RAM */
    assert_int_equal(vtd_rmrr_check(0xfed00000, 0xfed0ffff, ram, 2, NULL), 0);
    assert_int_equal(vtd_rmrr_check(0x140000000ULL, 0x140000fffULL, ram, 2, NULL), 0);
    assert_int_equal(vtd_rmrr_check(0x1000, 0x1fff, NULL, 0, NULL), 0);
}

static void test_ram_overlaps_refused(void **state)
{
    struct mem_range hit = { 0, 0 };

    assert_int_equal(vtd_rmrr_check(0x200000, 0x2fffff, ram, 2, &hit), -EBUSY);
    assert_int_equal(hit.base, 0x200000);
    assert_int_equal(hit.end, 0x300000);
    /* straddling the start of RAM: the overlapping part is reported */
    assert_int_equal(vtd_rmrr_check(0xf0000, 0x100fff, ram, 2, &hit), -EBUSY);
    assert_int_equal(hit.base, 0x100000);
    assert_int_equal(hit.end, 0x101000);
    /* covering all of the second range */
    assert_int_equal(vtd_rmrr_check(0xff000000ULL, 0x1ffffffffULL, ram, 2, &hit), -EBUSY);
    assert_int_equal(hit.base, 0x100000000ULL);
    assert_int_equal(hit.end, 0x140000000ULL);
    assert_int_equal(vtd_rmrr_check(0xffdf000, 0xffdffff, ram, 2, NULL), -EBUSY);   /* last page of RAM */
}

static void test_malformed_refused(void **state)
{
    assert_int_equal(vtd_rmrr_check(0x2000, 0x1fff, ram, 2, NULL), -EINVAL);        /* limit below base */
    assert_int_equal(vtd_rmrr_check(0xe0800, 0xfffff, ram, 2, NULL), -EINVAL);      /* base not aligned */
    assert_int_equal(vtd_rmrr_check(0xe0000, 0xffffe, ram, 2, NULL), -EINVAL);      /* limit + 1 not aligned */
    assert_int_equal(vtd_rmrr_check(0xfffffffffffff000ULL, UINT64_MAX, ram, 2, NULL), -EINVAL);   /* wraps */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reserved_ranges_pass),
        cmocka_unit_test(test_ram_overlaps_refused),
        cmocka_unit_test(test_malformed_refused),
    };
    return UNIT_RUN(tests);
}
