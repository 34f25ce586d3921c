// SPDX-License-Identifier: GPL-2.0-only
#include "tests/unit/support.h"

#include <stdlib.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/mm/memmap.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

static struct boot_info bi;
static struct memmap mm;

static void map_reset(void)
{
    memset(&bi, 0, sizeof(bi));
    unit_log_reset();
}

static void map_add(uint64_t base, uint64_t len, uint32_t type)
{
    bi.mmap[bi.mmap_count++] = (struct boot_mem_range){ base, len, type };
}

static void assert_free(unsigned i, uint64_t base, uint64_t end)
{
    assert_true(i < mm.free_count);
    assert_int_equal(mm.free[i].base, base);
    assert_int_equal(mm.free[i].end, end);
}

/* Output invariants: sorted, disjoint, non-adjacent, page-aligned, above 1 MiB. */
static void assert_well_formed(const struct mem_range *r, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        assert_true(r[i].base < r[i].end);
        assert_int_equal(r[i].base % 4096, 0);
        assert_int_equal(r[i].end % 4096, 0);
        assert_true(r[i].base >= MEMMAP_LOW_RESERVED);
        if (i)
            assert_true(r[i - 1].end < r[i].base);
    }
}

/* The q35/SeaBIOS layout of a 128 MiB guest. */
static void test_typical_map(void **state)
{
    struct mem_range res[] = { { 0x100000, 0x1a0000 } };

    map_reset();
    map_add(0, 0x9fc00, BOOT_MEM_USABLE);
    map_add(0x9fc00, 0x400, BOOT_MEM_RESERVED);
    map_add(0xf0000, 0x10000, BOOT_MEM_RESERVED);
    map_add(0x100000, 0x7ee0000, BOOT_MEM_USABLE);
    map_add(0x7fe0000, 0x20000, BOOT_MEM_RESERVED);
    map_add(0xfffc0000, 0x40000, BOOT_MEM_RESERVED);
    assert_int_equal(memmap_build(&bi, res, 1, &mm), 0);
    assert_int_equal(mm.usable_count, 1);
    assert_int_equal(mm.usable[0].base, 0x100000);
    assert_int_equal(mm.usable[0].end, 0x7fe0000);
    assert_int_equal(mm.usable_bytes, 0x7ee0000);
    assert_int_equal(mm.free_count, 1);
    assert_free(0, 0x1a0000, 0x7fe0000);
    assert_int_equal(mm.free_bytes, 0x7fe0000 - 0x1a0000);
    assert_false(mm.from_basic_meminfo);
}

static void test_unsorted_overlapping_holes(void **state)
{
    map_reset();
    map_add(8 * MiB, 8 * MiB, BOOT_MEM_USABLE);
    map_add(1 * MiB, 4 * MiB, BOOT_MEM_USABLE);
    map_add(3 * MiB, 4 * MiB, BOOT_MEM_USABLE);        /* overlaps and extends the previous one */
    map_add(10 * MiB, 0x1800, BOOT_MEM_ACPI_NVS);      /* non-usable wins, rounded out to pages */
    map_add(4 * GiB, 1 * GiB, BOOT_MEM_USABLE);
    map_add(4 * GiB + 512 * MiB, 4096, BOOT_MEM_BAD);
    assert_int_equal(memmap_build(&bi, NULL, 0, &mm), 0);
    assert_well_formed(mm.free, mm.free_count);
    assert_int_equal(mm.free_count, 5);
    assert_free(0, 1 * MiB, 7 * MiB);
    assert_free(1, 8 * MiB, 10 * MiB);
    assert_free(2, 10 * MiB + 0x2000, 16 * MiB);
    assert_free(3, 4 * GiB, 4 * GiB + 512 * MiB);
    assert_free(4, 4 * GiB + 512 * MiB + 4096, 5 * GiB);
    assert_int_equal(mm.usable_count, 5);
}

static void test_adjacent_usable_entries_merge(void **state)
{
    map_reset();
    map_add(2 * MiB, 1 * MiB, BOOT_MEM_USABLE);
    map_add(1 * MiB, 1 * MiB, BOOT_MEM_USABLE);
    map_add(3 * MiB, 0, BOOT_MEM_USABLE);              /* zero length: ignored */
    assert_int_equal(memmap_build(&bi, NULL, 0, &mm), 0);
    assert_int_equal(mm.free_count, 1);
    assert_free(0, 1 * MiB, 3 * MiB);
}

static void test_unaligned_usable_shrinks_inward(void **state)
{
    map_reset();
    map_add(1 * MiB + 1, 0x3000, BOOT_MEM_USABLE);     /* only one whole page inside */
    map_add(2 * MiB + 0x10, 0x1000, BOOT_MEM_USABLE);  /* no whole page inside */
    assert_int_equal(memmap_build(&bi, NULL, 0, &mm), 0);
    assert_int_equal(mm.free_count, 1);
    assert_free(0, 1 * MiB + 0x1000, 1 * MiB + 0x3000);
}

static void test_reserved_straddling_boundaries(void **state)
{
    struct mem_range res[] = {
        { 15 * MiB, 17 * MiB },     /* straddles the end of the first range and the hole */
        { 19 * MiB, 21 * MiB },     /* straddles the start of the second */
        { 24 * MiB, 25 * MiB + 1 }, /* inside, unaligned end: rounds out */
        { 30 * MiB, 29 * MiB },     /* empty (end before base): ignored */
        { 0, 2 * MiB },             /* overlaps the first MiB */
    };

    map_reset();
    map_add(1 * MiB, 15 * MiB, BOOT_MEM_USABLE);
    map_add(20 * MiB, 12 * MiB, BOOT_MEM_USABLE);
    assert_int_equal(memmap_build(&bi, res, 5, &mm), 0);
    assert_well_formed(mm.free, mm.free_count);
    assert_int_equal(mm.free_count, 3);
    assert_free(0, 2 * MiB, 15 * MiB);
    assert_free(1, 21 * MiB, 24 * MiB);
    assert_free(2, 25 * MiB + 4096, 32 * MiB);
    assert_int_equal(mm.usable_bytes, 27 * MiB);
}

static void test_first_mib_never_free(void **state)
{
    map_reset();
    map_add(0, 4 * MiB, BOOT_MEM_USABLE);
    assert_int_equal(memmap_build(&bi, NULL, 0, &mm), 0);
    assert_free(0, 1 * MiB, 4 * MiB);
    assert_int_equal(mm.usable[0].base, 1 * MiB);
}

static void test_wrapping_and_huge_entries_are_clipped(void **state)
{
    map_reset();
    map_add(1 * MiB, 1 * MiB, BOOT_MEM_USABLE);
    map_add(UINT64_MAX - 0xfff, 0x2000, BOOT_MEM_USABLE);  /* wraps: above the limit, dropped */
    map_add(MEMMAP_PHYS_LIMIT - 4096, UINT64_MAX, BOOT_MEM_USABLE);
    map_add(8 * MiB, 0 - 8 * MiB, BOOT_MEM_RESERVED);      /* what the parser makes of a wrap */
    assert_int_equal(memmap_build(&bi, NULL, 0, &mm), 0);
    assert_int_equal(mm.free_count, 1);
    assert_free(0, 1 * MiB, 2 * MiB);
}

static void test_empty_map_uses_basic_meminfo(void **state)
{
    map_reset();
    bi.has_basic_mem = true;
    bi.mem_lower_kb = 639;
    bi.mem_upper_kb = 130048;   /* 127 MiB from 1 MiB */
    assert_int_equal(memmap_build(&bi, NULL, 0, &mm), 0);
    assert_true(mm.from_basic_meminfo);
    assert_true(unit_log_contains("using basic memory information"));
    assert_int_equal(mm.free_count, 1);
    assert_free(0, 1 * MiB, 128 * MiB);
}

static void test_map_without_usable_falls_back(void **state)
{
    map_reset();
    map_add(0xfffc0000, 0x40000, BOOT_MEM_RESERVED);
    map_add(64 * MiB, 1 * MiB, BOOT_MEM_ACPI_RECLAIM);
    bi.has_basic_mem = true;
    bi.mem_upper_kb = 127 * 1024;
    assert_int_equal(memmap_build(&bi, NULL, 0, &mm), 0);
    assert_int_equal(mm.free_count, 2);     /* the ACPI entry still wins */
    assert_free(0, 1 * MiB, 64 * MiB);
    assert_free(1, 65 * MiB, 128 * MiB);
}

static void test_no_memory_information(void **state)
{
    map_reset();
    assert_int_equal(memmap_build(&bi, NULL, 0, &mm), -ENOENT);
    assert_true(unit_log_contains("no memory map with usable RAM and no basic memory"));
}

static void test_nothing_free_after_reservations(void **state)
{
    struct mem_range res[] = { { 1 * MiB, 3 * MiB } };

    map_reset();
    map_add(0, 2 * MiB, BOOT_MEM_USABLE);
    assert_int_equal(memmap_build(&bi, res, 1, &mm), -ENOMEM);
    assert_true(unit_log_contains("no free RAM above 1 MiB"));
    map_reset();
    map_add(0, 1 * MiB, BOOT_MEM_USABLE);
    assert_int_equal(memmap_build(&bi, NULL, 0, &mm), -ENOMEM);
}

static void test_too_many_reservations_frees_nothing(void **state)
{
    static struct mem_range res[100];

    map_reset();
    map_add(1 * MiB, 100 * MiB, BOOT_MEM_USABLE);
    for (unsigned i = 0; i < 100; i++)
        res[i] = (struct mem_range){ 2 * MiB + i * 8192, 2 * MiB + i * 8192 + 4096 };
    assert_int_equal(memmap_build(&bi, res, 100, &mm), -ENOMEM);
    assert_true(unit_log_contains("more than the 64 supported"));
}

static void test_truncated_boot_map_and_output(void **state)
{
    static struct mem_range res[64];

    map_reset();
    bi.mmap_truncated = true;
    /* 128 one-page usable entries separated by holes: 128 ranges, each split again. */
    for (unsigned i = 0; i < BOOT_MMAP_MAX; i++)
        map_add(1 * MiB + i * 0x10000, 0x8000, BOOT_MEM_USABLE);
    for (unsigned i = 0; i < 64; i++)
        res[i] = (struct mem_range){ 1 * MiB + i * 0x10000 + 0x2000, 1 * MiB + i * 0x10000 + 0x3000 };
    assert_int_equal(memmap_build(&bi, res, 64, &mm), 0);
    assert_true(unit_log_contains("more than 128 entries"));
    assert_int_equal(mm.usable_count, 128);
    assert_int_equal(mm.free_count, 128 + 64);
    assert_false(mm.truncated);
    assert_well_formed(mm.free, mm.free_count);
}

static void test_most_fragmented_output(void **state)
{
    static struct mem_range res[64];

    map_reset();
    /* One big range cut by 127 one-page bad entries and 64 reservations: the most pieces
     * the inputs allow (fewer than MEMMAP_RANGES_MAX, so nothing is truncated). */
    map_add(1 * MiB, 1 * GiB, BOOT_MEM_USABLE);
    for (unsigned i = 0; i < 127; i++)
        map_add(2 * MiB + i * 0x4000, 0x1000, BOOT_MEM_BAD);
    for (unsigned i = 0; i < 64; i++)
        res[i] = (struct mem_range){ 8 * MiB + i * 0x4000, 8 * MiB + i * 0x4000 + 0x1000 };
    assert_int_equal(memmap_build(&bi, res, 64, &mm), 0);
    assert_int_equal(mm.free_count, 1 + 126 + 1 + 63 + 1);
    assert_false(mm.truncated);
    assert_well_formed(mm.free, mm.free_count);
}

/* Random maps against a page-granular reference. */
static void test_random_against_reference(void **state)
{
    enum { PAGES = 4096 };   /* 16 MiB of address space */
    static int8_t ref[PAGES];
    static struct mem_range res[8];

    srand(1234);
    for (int round = 0; round < 300; round++) {
        unsigned nres = (unsigned)(rand() % 8);
        map_reset();
        memset(ref, 0, sizeof(ref));
        for (int i = 0; i < 1 + rand() % 20; i++) {
            uint64_t p = (uint64_t)(rand() % PAGES), n = (uint64_t)(rand() % 600);
            uint32_t type = rand() % 3 ? BOOT_MEM_USABLE : (uint32_t)(2 + rand() % 4);
            if (p + n > PAGES)
                n = PAGES - p;
            map_add(p * 4096, n * 4096, type);
        }
        for (unsigned i = 0; i < bi.mmap_count; i++)
            for (uint64_t p = bi.mmap[i].base / 4096; p < (bi.mmap[i].base + bi.mmap[i].length) / 4096; p++)
                if (bi.mmap[i].type == BOOT_MEM_USABLE && ref[p] == 0)
                    ref[p] = 1;
                else if (bi.mmap[i].type != BOOT_MEM_USABLE)
                    ref[p] = -1;
        for (unsigned i = 0; i < nres; i++) {
            uint64_t p = (uint64_t)(rand() % PAGES), n = (uint64_t)(rand() % 100);
            res[i] = (struct mem_range){ p * 4096, (p + n) * 4096 };
            for (uint64_t q = p; q < p + n && q < PAGES; q++)
                ref[q] = -1;
        }
        for (unsigned p = 0; p < 256; p++)
            ref[p] = -1;
        if (memmap_build(&bi, res, nres, &mm) < 0)
            continue;
        assert_well_formed(mm.free, mm.free_count);
        for (unsigned p = 0; p < PAGES; p++)
            assert_int_equal(ref[p] == 1, mem_ranges_contain(mm.free, mm.free_count, p * 4096ULL, p * 4096ULL + 4096));
    }
}

static void test_contain_and_names(void **state)
{
    struct mem_range r[] = { { 0x1000, 0x3000 }, { 0x5000, 0x6000 } };

    assert_true(mem_ranges_contain(r, 2, 0x1000, 0x3000));
    assert_false(mem_ranges_contain(r, 2, 0x2000, 0x4000));
    assert_true(mem_ranges_contain(r, 2, 0x5000, 0x5001));
    assert_false(mem_ranges_contain(r, 2, 0x6000, 0x7000));
    assert_false(mem_ranges_contain(r, 2, 0x5000, 0x5000));
    assert_false(mem_ranges_contain(r, 0, 0x1000, 0x2000));
    assert_string_equal(memmap_type_name(BOOT_MEM_USABLE), "usable");
    assert_string_equal(memmap_type_name(BOOT_MEM_RESERVED), "reserved");
    assert_string_equal(memmap_type_name(BOOT_MEM_ACPI_RECLAIM), "ACPI reclaimable");
    assert_string_equal(memmap_type_name(BOOT_MEM_ACPI_NVS), "ACPI NVS");
    assert_string_equal(memmap_type_name(BOOT_MEM_BAD), "bad");
    assert_string_equal(memmap_type_name(77), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_typical_map),
        cmocka_unit_test(test_unsorted_overlapping_holes),
        cmocka_unit_test(test_adjacent_usable_entries_merge),
        cmocka_unit_test(test_unaligned_usable_shrinks_inward),
        cmocka_unit_test(test_reserved_straddling_boundaries),
        cmocka_unit_test(test_first_mib_never_free),
        cmocka_unit_test(test_wrapping_and_huge_entries_are_clipped),
        cmocka_unit_test(test_empty_map_uses_basic_meminfo),
        cmocka_unit_test(test_map_without_usable_falls_back),
        cmocka_unit_test(test_no_memory_information),
        cmocka_unit_test(test_nothing_free_after_reservations),
        cmocka_unit_test(test_too_many_reservations_frees_nothing),
        cmocka_unit_test(test_truncated_boot_map_and_output),
        cmocka_unit_test(test_most_fragmented_output),
        cmocka_unit_test(test_random_against_reference),
        cmocka_unit_test(test_contain_and_names),
    };
    return UNIT_RUN(tests);
}
