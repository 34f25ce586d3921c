// SPDX-License-Identifier: GPL-2.0-only
/* Guest RAM slots and nested page tables, with malloc'd memory standing for host frames. */
#include "tests/unit/support.h"

#include <stdlib.h>
#include <string.h>

#include "kernel/errno.h"
#include "vmm/guest_ram.h"
#include "vmm/npt.h"

static int allocs_2m_left, allocs_4k_left, live_2m, live_4k;

static uint64_t host_alloc(size_t size)
{
    void *p = aligned_alloc(size, size);

    assert_non_null(p);
    memset(p, 0, size);
    return (uint64_t)(uintptr_t)p;
}

static uint64_t alloc_2m(void *ctx)
{
    if (allocs_2m_left <= 0)
        return 0;
    allocs_2m_left--;
    live_2m++;
    return host_alloc(2 << 20);
}

static uint64_t alloc_4k(void *ctx)
{
    if (allocs_4k_left <= 0)
        return 0;
    allocs_4k_left--;
    live_4k++;
    return host_alloc(4096);
}

static void free_2m(void *ctx, uint64_t hpa) { live_2m--; free((void *)(uintptr_t)hpa); }
static void free_4k(void *ctx, uint64_t hpa) { live_4k--; free((void *)(uintptr_t)hpa); }

static const struct guest_ram_alloc ram_alloc = { alloc_2m, alloc_4k, free_2m, free_4k, NULL };
static const struct npt_alloc table_alloc = { alloc_4k, free_4k, NULL };

static void reset_allocs(int n2m, int n4k)
{
    allocs_2m_left = n2m;
    allocs_4k_left = n4k;
    live_2m = live_4k = 0;
}

static void test_ram_mixed_slots_and_copies(void **state)
{
    struct guest_ram ram;
    struct guest_ram_slot slots[3];
    uint8_t buf[8192], back[8192];

    reset_allocs(2, 100000); /* third slot falls back to 4 KiB frames */
    assert_int_equal(guest_ram_init(&ram, 6 << 20, slots, &ram_alloc), 0);
    assert_int_equal(ram.nr_split_slots, 1);
    assert_true(guest_ram_slot_is_contiguous(&ram, 0));
    assert_false(guest_ram_slot_is_contiguous(&ram, 4 << 20));
    assert_int_equal(guest_ram_gpa_to_hpa(&ram, 0x1234), slots[0].hpa + 0x1234);
    assert_int_equal(guest_ram_gpa_to_hpa(&ram, 6 << 20), 0);

    for (size_t i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)(i * 7);
    /* straddles the contiguous slot and the split one */
    assert_int_equal(guest_ram_write(&ram, (4 << 20) - 3000, buf, sizeof(buf)), 0);
    assert_int_equal(guest_ram_read(&ram, (4 << 20) - 3000, back, sizeof(back)), 0);
    assert_memory_equal(buf, back, sizeof(buf));
    assert_int_equal(guest_ram_fill(&ram, 4 << 20, 0xAB, 10), 0);
    assert_int_equal(guest_ram_read(&ram, 4 << 20, back, 1), 0);
    assert_int_equal(back[0], 0xAB);

    /* any byte outside guest RAM: -EFAULT and nothing copied */
    memset(back, 0x55, sizeof(back));
    assert_int_equal(guest_ram_read(&ram, (6 << 20) - 4, back, 8), -EFAULT);
    assert_int_equal(back[0], 0x55);
    assert_int_equal(guest_ram_write(&ram, UINT64_MAX - 2, buf, 8), -EFAULT);
    assert_int_equal(guest_ram_read(&ram, 0, back, 0), 0);

    guest_ram_destroy(&ram);
    assert_int_equal(live_2m, 0);
    assert_int_equal(live_4k, 0);
}

static void test_ram_bad_size_and_oom(void **state)
{
    struct guest_ram ram;
    struct guest_ram_slot slots[4];

    reset_allocs(10, 10);
    assert_int_equal(guest_ram_init(&ram, 0, slots, &ram_alloc), -EINVAL);
    assert_int_equal(guest_ram_init(&ram, (2 << 20) + 4096, slots, &ram_alloc), -EINVAL);
    assert_int_equal(guest_ram_init(&ram, 4ULL << 30, slots, &ram_alloc), -EINVAL);
    reset_allocs(1, 300); /* not enough for the second slot's 512 frames */
    assert_int_equal(guest_ram_init(&ram, 4 << 20, slots, &ram_alloc), -ENOMEM);
    assert_int_equal(live_2m, 0);
    assert_int_equal(live_4k, 0);
}

/* The nested-table tests run in both formats (state points to the format). */
static enum npt_format fmt_amd = NPT_FORMAT_AMD, fmt_ept = NPT_FORMAT_EPT;

static void test_npt_map_translate_unmap(void **state)
{
    struct npt npt;
    uint64_t hpa;
    unsigned perm;

    reset_allocs(0, 1000);
    assert_int_equal(npt_init(&npt, &table_alloc, *(enum npt_format *)*state, true), 0);
    /* 2 MiB leaves where aligned, 4 KiB at the edges */
    assert_int_equal(npt_map(&npt, 0x1ff000, 0x40001ff000ULL, 0x402000, NPT_RWX, true), 0);
    assert_int_equal(npt_translate(&npt, 0x200123, &hpa, &perm), 0);
    assert_int_equal(hpa, 0x4000200123ULL);
    assert_int_equal(perm, NPT_RWX);
    assert_int_equal(npt_translate(&npt, 0x1ff000, &hpa, &perm), 0);
    assert_int_equal(hpa, 0x40001ff000ULL);
    assert_int_equal(npt_translate(&npt, 0x1fe000, &hpa, &perm), -ENOENT);
    assert_int_equal(npt_translate(&npt, 0x601000, &hpa, &perm), -ENOENT);
    /* overlapping map refused */
    assert_int_equal(npt_map(&npt, 0x600000, 0x1000, 0x2000, NPT_READ, true), -EEXIST);
    assert_int_equal(npt_map(&npt, 0x1001, 0x1000, 0x1000, NPT_READ, true), -EINVAL);
    assert_int_equal(npt_map(&npt, 0x1000, 0x1000, 0x1000, NPT_WRITE, true), -EINVAL);

    /* unmapping one page inside a 2 MiB leaf splits it */
    assert_int_equal(npt_unmap(&npt, 0x300000, 0x1000), 0);
    assert_int_equal(npt_translate(&npt, 0x300000, &hpa, &perm), -ENOENT);
    assert_int_equal(npt_translate(&npt, 0x301000, &hpa, &perm), 0);
    assert_int_equal(hpa, 0x4000301000ULL);
    assert_int_equal(npt_translate(&npt, 0x2ff000, &hpa, &perm), 0);

    /* MMIO: read/write, no execute, uncached */
    assert_int_equal(npt_map(&npt, 0xfee00000ULL, 0xfee00000ULL, 0x1000, NPT_READ | NPT_WRITE | NPT_UNCACHED, true), 0);
    assert_int_equal(npt_translate(&npt, 0xfee00010ULL, &hpa, &perm), 0);
    assert_int_equal(perm, NPT_READ | NPT_WRITE | NPT_UNCACHED);

    assert_int_equal(npt_unmap(&npt, 0, 0x800000), 0);
    assert_int_equal(npt_translate(&npt, 0x400000, &hpa, &perm), -ENOENT);
    npt_destroy(&npt);
    assert_int_equal(live_4k, 0);
}

struct leaf_log {
    int count;
    uint64_t total;
    uint64_t first_gpa;
};

static bool count_leaf(void *ctx, uint64_t gpa, uint64_t hpa, uint64_t size, unsigned perm)
{
    struct leaf_log *l = ctx;

    if (!l->count)
        l->first_gpa = gpa;
    l->count++;
    l->total += size;
    return true;
}

static bool stop_at_first(void *ctx, uint64_t gpa, uint64_t hpa, uint64_t size, unsigned perm)
{
    return false;
}

static void test_npt_leaf_walk(void **state)
{
    struct npt npt;
    struct leaf_log l = { 0, 0, 0 };

    reset_allocs(0, 1000);
    assert_int_equal(npt_init(&npt, &table_alloc, *(enum npt_format *)*state, true), 0);
    assert_int_equal(npt_map(&npt, 0x100000, 0x900000, 0x500000, NPT_RWX, true), 0);
    assert_int_equal(npt_map(&npt, 0x8000000000ULL, 0x1000, 0x1000, NPT_READ, false), 0);
    /* 0x100000..0x200000: 256 small, 0x200000..0x600000: 2 large */
    assert_int_equal(npt_for_each_leaf(&npt, count_leaf, &l), 259);
    assert_int_equal(l.total, 0x501000);
    assert_int_equal(l.first_gpa, 0x100000);
    assert_int_equal(npt_for_each_leaf(&npt, stop_at_first, NULL), -1);
    npt_destroy(&npt);
    assert_int_equal(live_4k, 0);
}

static void test_npt_no_2m_when_hpa_misaligned(void **state)
{
    struct npt npt;
    struct leaf_log l = { 0, 0, 0 };

    reset_allocs(0, 1000);
    assert_int_equal(npt_init(&npt, &table_alloc, *(enum npt_format *)*state, true), 0);
    assert_int_equal(npt_map(&npt, 0x200000, 0x201000, 0x200000, NPT_RWX, true), 0);
    assert_int_equal(npt_for_each_leaf(&npt, count_leaf, &l), 512);
    /* table pages exhausted: -ENOMEM, never a crash */
    allocs_4k_left = 0;
    assert_int_equal(npt_map(&npt, 0x40000000ULL, 0x1000, 0x1000, NPT_READ, true), -ENOMEM);
    npt_destroy(&npt);
    assert_int_equal(live_4k, 0);
}

static uint64_t entry(uint64_t table_hpa, unsigned index) { return ((uint64_t *)(uintptr_t)table_hpa)[index]; }

/* The raw entries each format needs (APM 15.25.5 and 5.3; SDM 29.3.2 and 24.6.11). */
static void test_npt_entry_bits(void **state)
{
    struct npt npt;
    uint64_t pml4e, pdpte, pde;
    struct leaf_log l = { 0, 0, 0 };

    reset_allocs(0, 1000);
    assert_int_equal(npt_init(&npt, &table_alloc, NPT_FORMAT_AMD, true), 0);
    assert_int_equal(npt_map(&npt, 0x200000, 0x400000, 0x200000, NPT_READ | NPT_UNCACHED, true), 0);
    pml4e = entry(npt.root_hpa, 0);
    pdpte = entry(pml4e & 0xFFFFFFFFFF000ULL, 0);
    pde = entry(pdpte & 0xFFFFFFFFFF000ULL, 1);
    assert_int_equal(pml4e & 7, 7);                         /* P, RW, U on the table */
    assert_int_equal(pdpte & 7, 7);
    assert_int_equal(pde & 0x9F, 0x9D);                     /* P, U, PWT, PCD, PS; read-only */
    assert_true(pde >> 63);                                 /* NX */
    assert_int_equal(pde & 0xFFFFFFFFFF000ULL, 0x400000);
    npt_destroy(&npt);

    /* EPT without 2 MiB support: R/W/X on tables, WB leaves, 4 KiB only */
    assert_int_equal(npt_init(&npt, &table_alloc, NPT_FORMAT_EPT, false), 0);
    assert_int_equal(npt_ept_pointer(&npt), npt.root_hpa | 0x1E);
    assert_int_equal(npt_map(&npt, 0x200000, 0x400000, 0x200000, NPT_RWX, true), 0);
    assert_int_equal(npt_for_each_leaf(&npt, count_leaf, &l), 512);
    pml4e = entry(npt.root_hpa, 0);
    assert_int_equal(pml4e & 7, 7);
    pde = entry(entry(pml4e & 0xFFFFFFFFFF000ULL, 0) & 0xFFFFFFFFFF000ULL, 1);
    assert_int_equal(pde & 0x87, 7);                        /* a table, not a 2 MiB leaf */
    assert_int_equal(entry(pde & 0xFFFFFFFFFF000ULL, 0) & 0x3F, 7 | (6 << 3)); /* RWX, memory type WB */
    npt_destroy(&npt);
    assert_int_equal(live_4k, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ram_mixed_slots_and_copies),
        cmocka_unit_test(test_ram_bad_size_and_oom),
        cmocka_unit_test_prestate(test_npt_map_translate_unmap, &fmt_amd),
        cmocka_unit_test_prestate(test_npt_leaf_walk, &fmt_amd),
        cmocka_unit_test_prestate(test_npt_no_2m_when_hpa_misaligned, &fmt_amd),
        cmocka_unit_test_prestate(test_npt_map_translate_unmap, &fmt_ept),
        cmocka_unit_test_prestate(test_npt_leaf_walk, &fmt_ept),
        cmocka_unit_test_prestate(test_npt_no_2m_when_hpa_misaligned, &fmt_ept),
        cmocka_unit_test(test_npt_entry_bits),
    };
    return UNIT_RUN(tests);
}
