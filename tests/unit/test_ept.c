// SPDX-License-Identifier: GPL-2.0-only
/* EPT builder and the mirror of a VM's nested table, with malloc'd "frames". */
#include "tests/unit/support.h"

#include <stdlib.h>
#include <string.h>

#include "kernel/errno.h"
#include "vmm/ept.h"
#include "vmm/npt.h"

static int allocs_left, live;

static uint64_t alloc_table(void *ctx)
{
    void *p;

    if (allocs_left <= 0)
        return 0;
    allocs_left--;
    live++;
    p = aligned_alloc(4096, 4096);
    assert_non_null(p);
    memset(p, 0xA5, 4096); /* the builder must clear its tables itself */
    return (uint64_t)(uintptr_t)p;
}

static void free_table(void *ctx, uint64_t hpa) { live--; free((void *)(uintptr_t)hpa); }

static const struct ept_alloc ept_alloc = { alloc_table, free_table, NULL };
static const struct npt_alloc npt_alloc = { alloc_table, free_table, NULL };

static void reset(int n)
{
    allocs_left = n;
    live = 0;
}

static uint64_t *root(const struct ept *e) { return (uint64_t *)(uintptr_t)e->root_hpa; }

static void test_map_4k_and_translate(void **state)
{
    struct ept e;
    uint64_t hpa;
    unsigned perm;
    enum ept_memtype mt;

    reset(100);
    assert_int_equal(ept_init(&e, &ept_alloc), 0);
    assert_int_equal(ept_map(&e, 0x1000, 0x7654000, 0x2000, EPT_RWX, EPT_MT_WB, true), 0);
    assert_int_equal(e.tables, 4);
    assert_int_equal(ept_translate(&e, 0x1234, &hpa, &perm, &mt), 0);
    assert_int_equal(hpa, 0x7654234);
    assert_int_equal(perm, EPT_RWX);
    assert_int_equal(mt, EPT_MT_WB);
    assert_int_equal(ept_translate(&e, 0x2fff, &hpa, &perm, &mt), 0);
    assert_int_equal(hpa, 0x7655fff);
    assert_int_equal(ept_translate(&e, 0x3000, &hpa, &perm, &mt), -ENOENT);
    assert_int_equal(ept_translate(&e, 0x0, &hpa, &perm, &mt), -ENOENT);
    assert_int_equal(ept_translate(&e, 1ULL << 48, &hpa, &perm, &mt), -ENOENT);

    /* Raw layout: PML4E -> PDPTE -> PDE -> PTE, tables RWX, leaf RWX | WB << 3. */
    uint64_t pml4e = root(&e)[0];
    assert_int_equal(pml4e & 0xFFF, 0x7);
    uint64_t *pdpt = (uint64_t *)(uintptr_t)(pml4e & ~0xFFFULL);
    uint64_t *pd = (uint64_t *)(uintptr_t)(pdpt[0] & ~0xFFFULL);
    uint64_t *pt = (uint64_t *)(uintptr_t)(pd[0] & ~0xFFFULL);
    assert_int_equal(pt[1], 0x7654000 | 0x7 | (6 << 3));
    assert_int_equal(pt[0], 0);

    /* Overlap refused, nothing changed. */
    assert_int_equal(ept_map(&e, 0x2000, 0x1000000, 0x1000, EPT_READ, EPT_MT_UC, false), -EEXIST);
    ept_destroy(&e);
    assert_int_equal(live, 0);
}

static void test_map_2m_and_uc(void **state)
{
    struct ept e;
    uint64_t hpa;
    unsigned perm;
    enum ept_memtype mt;

    reset(100);
    assert_int_equal(ept_init(&e, &ept_alloc), 0);
    /* 2 MiB + 4 KiB: one large leaf, one 4 KiB leaf. */
    assert_int_equal(ept_map(&e, 0x200000, 0x40000000, 0x201000, EPT_READ | EPT_WRITE, EPT_MT_UC, true), 0);
    assert_int_equal(e.tables, 4);
    uint64_t *pdpt = (uint64_t *)(uintptr_t)(root(&e)[0] & ~0xFFFULL);
    uint64_t *pd = (uint64_t *)(uintptr_t)(pdpt[0] & ~0xFFFULL);
    assert_int_equal(pd[1], 0x40000000 | 0x3 | (1 << 7));
    assert_int_equal(ept_translate(&e, 0x3fffff, &hpa, &perm, &mt), 0);
    assert_int_equal(hpa, 0x401fffff);
    assert_int_equal(perm, EPT_READ | EPT_WRITE);
    assert_int_equal(mt, EPT_MT_UC);
    assert_int_equal(ept_translate(&e, 0x400000, &hpa, &perm, &mt), 0);
    assert_int_equal(hpa, 0x40200000);

    /* A mapping under a 2 MiB leaf is refused. */
    assert_int_equal(ept_map(&e, 0x300000, 0x1000, 0x1000, EPT_READ, EPT_MT_WB, false), -EEXIST);
    /* Misaligned host address: 4 KiB leaves even with allow_2m. */
    assert_int_equal(ept_map(&e, 0x800000, 0x1001000, 0x200000, EPT_RWX, EPT_MT_WB, true), 0);
    assert_int_equal(e.tables, 5);
    ept_destroy(&e);
    assert_int_equal(live, 0);
}

static void test_bad_arguments(void **state)
{
    struct ept e;

    reset(100);
    assert_int_equal(ept_init(&e, &ept_alloc), 0);
    assert_int_equal(ept_map(&e, 0x1000, 0x1000, 0, EPT_READ, EPT_MT_WB, false), -EINVAL);
    assert_int_equal(ept_map(&e, 0x1001, 0x1000, 0x1000, EPT_READ, EPT_MT_WB, false), -EINVAL);
    assert_int_equal(ept_map(&e, 0x1000, 0x1800, 0x1000, EPT_READ, EPT_MT_WB, false), -EINVAL);
    assert_int_equal(ept_map(&e, 0x1000, 0x1000, 0x1001, EPT_READ, EPT_MT_WB, false), -EINVAL);
    /* Write or execute without read: a misconfiguration (or exec-only), refused. */
    assert_int_equal(ept_map(&e, 0x1000, 0x1000, 0x1000, EPT_WRITE, EPT_MT_WB, false), -EINVAL);
    assert_int_equal(ept_map(&e, 0x1000, 0x1000, 0x1000, EPT_EXEC, EPT_MT_WB, false), -EINVAL);
    assert_int_equal(ept_map(&e, 0x1000, 0x1000, 0x1000, EPT_READ | 8, EPT_MT_WB, false), -EINVAL);
    /* Reserved memory types. */
    assert_int_equal(ept_map(&e, 0x1000, 0x1000, 0x1000, EPT_READ, (enum ept_memtype)2, false), -EINVAL);
    assert_int_equal(ept_map(&e, 0x1000, 0x1000, 0x1000, EPT_READ, (enum ept_memtype)7, false), -EINVAL);
    /* Beyond 48 bits, and host addresses beyond 52. */
    assert_int_equal(ept_map(&e, (1ULL << 48) - 0x1000, 0x1000, 0x2000, EPT_READ, EPT_MT_WB, false), -EINVAL);
    assert_int_equal(ept_map(&e, 0x1000, 1ULL << 52, 0x1000, EPT_READ, EPT_MT_WB, false), -EINVAL);
    assert_int_equal(e.tables, 1);
    ept_destroy(&e);
    assert_int_equal(live, 0);
}

static void test_out_of_memory(void **state)
{
    struct ept e;

    reset(0);
    assert_int_equal(ept_init(&e, &ept_alloc), -ENOMEM);
    reset(2);
    assert_int_equal(ept_init(&e, &ept_alloc), 0);
    assert_int_equal(ept_map(&e, 0x1000, 0x1000, 0x1000, EPT_READ, EPT_MT_WB, false), -ENOMEM);
    ept_destroy(&e);
    assert_int_equal(live, 0);
}

static void test_pointer(void **state)
{
    struct ept e;

    reset(1);
    assert_int_equal(ept_init(&e, &ept_alloc), 0);
    /* WB (6) in bits 2:0, walk length 4 - 1 in bits 5:3, no A/D (bit 6). */
    assert_int_equal(ept_pointer(&e), e.root_hpa | 0x1E);
    ept_destroy(&e);
}

struct leaf {
    uint64_t gpa, hpa, size;
    unsigned perm;
};

static void test_mirror_npt(void **state)
{
    struct npt n;
    struct ept e, e4k;
    uint64_t hpa;
    unsigned perm;
    enum ept_memtype mt;

    reset(1000);
    assert_int_equal(npt_init(&n, &npt_alloc, NPT_FORMAT_AMD, true), 0);
    /* RAM: a 2 MiB leaf and scattered 4 KiB pages; an MMIO range uncached, not executable. */
    assert_int_equal(npt_map(&n, 0, 0x10000000, 0x200000, NPT_RWX, true), 0);
    assert_int_equal(npt_map(&n, 0x200000, 0x20005000, 0x1000, NPT_RWX, false), 0);
    assert_int_equal(npt_map(&n, 0x201000, 0x30000000, 0x1000, NPT_RWX, false), 0);
    assert_int_equal(npt_map(&n, 0xfeb00000, 0xfeb00000, 0x1000, NPT_READ | NPT_WRITE | NPT_UNCACHED, false), 0);

    assert_int_equal(ept_init(&e, &ept_alloc), 0);
    assert_int_equal(ept_mirror_npt(&e, &n, true), 0);
    for (uint64_t gpa = 0; gpa < 0x202000; gpa += 0x1000) {
        uint64_t nh, eh;
        unsigned np;

        assert_int_equal(npt_translate(&n, gpa, &nh, &np), 0);
        assert_int_equal(ept_translate(&e, gpa, &eh, &perm, &mt), 0);
        assert_int_equal(nh, eh);
        assert_int_equal(perm, EPT_RWX);
        assert_int_equal(mt, EPT_MT_WB);
    }
    assert_int_equal(ept_translate(&e, 0xfeb00123, &hpa, &perm, &mt), 0);
    assert_int_equal(hpa, 0xfeb00123);
    assert_int_equal(perm, EPT_READ | EPT_WRITE);
    assert_int_equal(mt, EPT_MT_UC);
    assert_int_equal(ept_translate(&e, 0x202000, &hpa, &perm, &mt), -ENOENT);
    assert_int_equal(ept_translate(&e, 0xfeb01000, &hpa, &perm, &mt), -ENOENT);
    /* The 2 MiB RAM leaf stayed one leaf: PML4, PDPT, 2 PDs (GiB 0 and 3), 2 PTs. */
    assert_int_equal(e.tables, 6);

    /* Without 2 MiB pages the large leaf is split into 512 small ones: one more PT. */
    assert_int_equal(ept_init(&e4k, &ept_alloc), 0);
    assert_int_equal(ept_mirror_npt(&e4k, &n, false), 0);
    assert_int_equal(e4k.tables, 7);
    assert_int_equal(ept_translate(&e4k, 0x1ff000, &hpa, &perm, &mt), 0);
    assert_int_equal(hpa, 0x101ff000);

    /* Mirroring twice into the same EPT collides. */
    assert_int_equal(ept_mirror_npt(&e4k, &n, false), -EEXIST);
    ept_destroy(&e4k);

    /* Out of memory half-way: an error, and everything still freed by destroy. */
    ept_destroy(&e);
    allocs_left = 3;
    assert_int_equal(ept_init(&e, &ept_alloc), 0);
    assert_int_equal(ept_mirror_npt(&e, &n, true), -ENOMEM);
    ept_destroy(&e);
    npt_destroy(&n);
    assert_int_equal(live, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_4k_and_translate),
        cmocka_unit_test(test_map_2m_and_uc),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_pointer),
        cmocka_unit_test(test_mirror_npt),
    };
    return UNIT_RUN(tests);
}
