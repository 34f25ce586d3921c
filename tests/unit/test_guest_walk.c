// SPDX-License-Identifier: GPL-2.0-only
/* Guest page-table walker: each paging mode, large pages, faults, unreadable tables. */
#include "tests/unit/support.h"

#include <string.h>

#include "vmm/guest_walk.h"

#define MEM_BYTES (4u << 20)
static uint8_t mem[MEM_BYTES];
static unsigned reads;

static int mem_read(void *ctx, uint64_t gpa, void *buf, size_t len)
{
    reads++;
    if (gpa >= MEM_BYTES || len > MEM_BYTES - gpa)
        return -1;
    memcpy(buf, mem + gpa, len);
    return 0;
}

static const struct guest_mem_reader reader = { mem_read, NULL };

static void put32(uint64_t gpa, uint32_t v) { memcpy(mem + gpa, &v, 4); }
static void put64(uint64_t gpa, uint64_t v) { memcpy(mem + gpa, &v, 8); }

#define P  0x1ULL
#define RW 0x2ULL
#define US 0x4ULL
#define PS 0x80ULL
#define XD (1ULL << 63)

static int setup(void **state)
{
    memset(mem, 0, sizeof(mem));
    reads = 0;
    return 0;
}

static enum guest_walk_status walk(const struct guest_paging *pg, uint64_t la, unsigned acc, struct guest_walk_result *r)
{
    return guest_walk(pg, &reader, la, acc, r);
}

static void test_no_paging(void **state)
{
    struct guest_paging pg = { .cr0 = 1 };
    struct guest_walk_result r;

    assert_int_equal(guest_paging_mode(&pg), GUEST_PAGING_NONE);
    assert_int_equal(walk(&pg, 0x123456789ULL, GUEST_ACCESS_WRITE, &r), GUEST_WALK_OK);
    assert_int_equal(r.gpa, 0x23456789);
    assert_int_equal(reads, 0);
}

static void test_32bit(void **state)
{
    struct guest_paging pg = { .cr0 = GUEST_CR0_PG | GUEST_CR0_WP, .cr3 = 0x10000 };
    struct guest_walk_result r;

    /* 0x00400000-: PDE 1 -> PT at 0x11000; PTE 3 -> 0x200000 */
    put32(0x10000 + 1 * 4, 0x11000 | P | RW | US);
    put32(0x11000 + 3 * 4, 0x200000 | P | US);
    assert_int_equal(guest_paging_mode(&pg), GUEST_PAGING_32BIT);
    assert_int_equal(walk(&pg, 0x403ABC, 0, &r), GUEST_WALK_OK);
    assert_int_equal(r.gpa, 0x200ABC);
    assert_int_equal(r.page_bytes, 4096);
    /* read-only page: supervisor write with WP faults, without WP passes */
    assert_int_equal(walk(&pg, 0x403ABC, GUEST_ACCESS_WRITE, &r), GUEST_WALK_PROTECTION);
    assert_int_equal(r.pf_error, GUEST_PF_P | GUEST_PF_W);
    pg.cr0 &= ~GUEST_CR0_WP;
    assert_int_equal(walk(&pg, 0x403ABC, GUEST_ACCESS_WRITE, &r), GUEST_WALK_OK);
    assert_int_equal(walk(&pg, 0x403ABC, GUEST_ACCESS_WRITE | GUEST_ACCESS_USER, &r), GUEST_WALK_PROTECTION);
    assert_int_equal(r.pf_error, GUEST_PF_P | GUEST_PF_W | GUEST_PF_U);
    /* not present PTE */
    assert_int_equal(walk(&pg, 0x404000, 0, &r), GUEST_WALK_NOT_PRESENT);
    assert_int_equal(r.level, 1);
    assert_int_equal(r.entry_gpa, 0x11000 + 4 * 4);
    assert_int_equal(r.pf_error, 0);
    /* 4 MiB page with PSE; without CR4.PSE the PS bit is ignored */
    put32(0x10000 + 2 * 4, 0x00000000 | P | RW | PS);
    pg.cr4 = GUEST_CR4_PSE;
    assert_int_equal(walk(&pg, 0x812345, GUEST_ACCESS_WRITE, &r), GUEST_WALK_OK);
    assert_int_equal(r.gpa, 0x012345);
    assert_int_equal(r.page_bytes, 4u << 20);
    /* PSE-36: PDE bits 20:13 give address bits 39:32 */
    put32(0x10000 + 5 * 4, 0x00C00000 | P | PS | (0x3u << 13));
    assert_int_equal(walk(&pg, 0x1400010, 0, &r), GUEST_WALK_OK);
    assert_int_equal(r.gpa, 0x300C00010ULL);
    pg.maxphyaddr = 36; /* bits 20:17 reserved now */
    put32(0x10000 + 6 * 4, 0x00C00000 | P | PS | (0x10u << 13));
    assert_int_equal(walk(&pg, 0x1800000, 0, &r), GUEST_WALK_RESERVED);
    assert_int_equal(r.pf_error, GUEST_PF_P | GUEST_PF_RSVD);
    put32(0x10000 + 7 * 4, 0x00C00000 | P | PS | (1u << 21));
    pg.maxphyaddr = 0;
    assert_int_equal(walk(&pg, 0x1C00000, 0, &r), GUEST_WALK_RESERVED);
    pg.cr4 = 0;
    /* PS ignored: the "page" at 0 is a table; its entry 0x12 is absent */
    assert_int_equal(walk(&pg, 0x812345, 0, &r), GUEST_WALK_NOT_PRESENT);
    /* addresses wrap at 4 GiB */
    assert_int_equal(walk(&pg, 0x100403ABCULL, 0, &r), GUEST_WALK_OK);
    assert_int_equal(r.gpa, 0x200ABC);
    /* no NX in 32-bit paging: fetch is fine, I/D not reported */
    assert_int_equal(walk(&pg, 0x404000, GUEST_ACCESS_FETCH, &r), GUEST_WALK_NOT_PRESENT);
    assert_int_equal(r.pf_error, 0);
}

static void test_pae(void **state)
{
    struct guest_paging pg = { .cr0 = GUEST_CR0_PG | GUEST_CR0_WP, .cr4 = GUEST_CR4_PAE, .cr3 = 0x10020,
                               .efer = GUEST_EFER_NXE };
    struct guest_walk_result r;

    /* PDPTE 1 (1-2 GiB) at 0x10020 + 8 */
    put64(0x10028, 0x11000 | P);
    put64(0x11000 + 2 * 8, 0x12000 | P | RW);               /* PDE 2 */
    put64(0x12000 + 5 * 8, 0x300000 | P | RW | XD);         /* PTE 5 */
    put64(0x11000 + 3 * 8, 0x200000 | P | RW | PS);         /* 2 MiB page */
    assert_int_equal(guest_paging_mode(&pg), GUEST_PAGING_PAE);
    assert_int_equal(walk(&pg, 0x40405123, GUEST_ACCESS_WRITE, &r), GUEST_WALK_OK);
    assert_int_equal(r.gpa, 0x300123);
    assert_int_equal(walk(&pg, 0x40405123, GUEST_ACCESS_FETCH, &r), GUEST_WALK_PROTECTION);
    assert_int_equal(r.pf_error, GUEST_PF_P | GUEST_PF_ID);
    assert_int_equal(walk(&pg, 0x40712345, GUEST_ACCESS_FETCH, &r), GUEST_WALK_OK);
    assert_int_equal(r.gpa, 0x312345);
    assert_int_equal(r.page_bytes, 2u << 20);
    /* XD with NXE clear is a reserved bit */
    pg.efer = 0;
    assert_int_equal(walk(&pg, 0x40405123, 0, &r), GUEST_WALK_RESERVED);
    pg.efer = GUEST_EFER_NXE;
    /* PDPTE reserved bits (RW is reserved there) */
    put64(0x10030, 0x11000 | P | RW);
    assert_int_equal(walk(&pg, 0x80000000, 0, &r), GUEST_WALK_RESERVED);
    assert_int_equal(r.level, 3);
    /* not-present PDPTE */
    assert_int_equal(walk(&pg, 0x0, 0, &r), GUEST_WALK_NOT_PRESENT);
    assert_int_equal(r.level, 3);
    /* 2 MiB page with bit 13 set: reserved */
    put64(0x11000 + 4 * 8, 0x200000 | P | PS | (1u << 13));
    assert_int_equal(walk(&pg, 0x40800000, 0, &r), GUEST_WALK_RESERVED);
    /* address above MAXPHYADDR */
    pg.maxphyaddr = 36;
    put64(0x11000 + 6 * 8, 0x1000000000ULL | P);
    assert_int_equal(walk(&pg, 0x40C00000, 0, &r), GUEST_WALK_RESERVED);
}

static void build_4level(void)
{
    /* CR3 0x10000; PML4[1] -> 0x11000; PDPT[2] -> 0x12000; PD[3] -> 0x13000; PT[4] -> 0x250000 */
    put64(0x10000 + 1 * 8, 0x11000 | P | RW | US);
    put64(0x11000 + 2 * 8, 0x12000 | P | RW | US);
    put64(0x12000 + 3 * 8, 0x13000 | P | RW | US);
    put64(0x13000 + 4 * 8, 0x250000 | P | RW | US);
    put64(0x12000 + 4 * 8, 0x200000 | P | RW | PS);          /* 2 MiB supervisor page */
    put64(0x11000 + 3 * 8, 0x40000000 | P | RW | US | PS);   /* 1 GiB user page */
}

#define LA(l4, l3, l2, l1, off) (((uint64_t)(l4) << 39) | ((uint64_t)(l3) << 30) | ((l2) << 21) | ((l1) << 12) | (off))

static void test_4level(void **state)
{
    struct guest_paging pg = { .cr0 = GUEST_CR0_PG | GUEST_CR0_WP, .cr4 = GUEST_CR4_PAE, .cr3 = 0x10000,
                               .efer = GUEST_EFER_LMA | GUEST_EFER_NXE };
    struct guest_walk_result r;

    build_4level();
    assert_int_equal(guest_paging_mode(&pg), GUEST_PAGING_4LEVEL);
    assert_int_equal(walk(&pg, LA(1, 2, 3, 4, 0x567), GUEST_ACCESS_USER | GUEST_ACCESS_WRITE, &r), GUEST_WALK_OK);
    assert_int_equal(r.gpa, 0x250567);
    assert_int_equal(walk(&pg, LA(1, 2, 4, 0x11, 0x22), 0, &r), GUEST_WALK_OK);
    assert_int_equal(r.gpa, 0x211022);
    assert_int_equal(r.page_bytes, 2u << 20);
    assert_int_equal(walk(&pg, LA(1, 2, 4, 0, 0), GUEST_ACCESS_USER, &r), GUEST_WALK_PROTECTION);
    assert_int_equal(r.pf_error, GUEST_PF_P | GUEST_PF_U);
    assert_int_equal(walk(&pg, LA(1, 3, 5, 6, 7), 0, &r), GUEST_WALK_OK);
    assert_int_equal(r.gpa, 0x40000000 + (5 << 21) + (6 << 12) + 7);
    assert_int_equal(r.page_bytes, 1u << 30);
    /* SMEP: supervisor fetch from a user page; SMAP: supervisor data access unless AC */
    pg.cr4 |= GUEST_CR4_SMEP;
    assert_int_equal(walk(&pg, LA(1, 2, 3, 4, 0), GUEST_ACCESS_FETCH, &r), GUEST_WALK_PROTECTION);
    assert_int_equal(r.pf_error, GUEST_PF_P | GUEST_PF_ID);
    assert_int_equal(walk(&pg, LA(1, 2, 4, 0, 0), GUEST_ACCESS_FETCH, &r), GUEST_WALK_OK);
    pg.cr4 |= GUEST_CR4_SMAP;
    assert_int_equal(walk(&pg, LA(1, 2, 3, 4, 0), 0, &r), GUEST_WALK_PROTECTION);
    pg.rflags_ac = true;
    assert_int_equal(walk(&pg, LA(1, 2, 3, 4, 0), 0, &r), GUEST_WALK_OK);
    /* non-canonical */
    assert_int_equal(walk(&pg, 0x0000800000000000ULL, 0, &r), GUEST_WALK_NONCANONICAL);
    assert_int_equal(walk(&pg, 0xFFFF800000000000ULL, 0, &r), GUEST_WALK_NOT_PRESENT);
    /* PS in a PML4E is reserved; 1 GiB page with bit 13 set too */
    put64(0x10000 + 2 * 8, 0x11000 | P | PS);
    assert_int_equal(walk(&pg, LA(2, 0, 0, 0, 0), 0, &r), GUEST_WALK_RESERVED);
    assert_int_equal(r.level, 4);
    put64(0x11000 + 5 * 8, 0x40000000 | P | PS | (1u << 13));
    assert_int_equal(walk(&pg, LA(1, 5, 0, 0, 0), 0, &r), GUEST_WALK_RESERVED);
    /* table outside memory: read failure with the entry's address */
    put64(0x13000 + 9 * 8, 0x250000 | P);
    put64(0x12000 + 7 * 8, 0x7000000 | P);
    assert_int_equal(walk(&pg, LA(1, 2, 7, 1, 0), 0, &r), GUEST_WALK_READ_FAILED);
    assert_int_equal(r.entry_gpa, 0x7000000 + 8);
    /* a read-only level anywhere denies user writes and, with WP, supervisor writes */
    put64(0x11000 + 2 * 8, 0x12000 | P | US);
    assert_int_equal(walk(&pg, LA(1, 2, 3, 4, 0), GUEST_ACCESS_WRITE | GUEST_ACCESS_USER, &r), GUEST_WALK_PROTECTION);
    /* 5-level unsupported */
    pg.cr4 |= GUEST_CR4_LA57;
    assert_int_equal(walk(&pg, 0, 0, &r), GUEST_WALK_UNSUPPORTED);
    for (int s = GUEST_WALK_OK; s <= GUEST_WALK_UNSUPPORTED; s++)
        assert_string_not_equal(guest_walk_status_str(s), "?");
    assert_string_equal(guest_walk_status_str((enum guest_walk_status)42), "?");
}

static void test_read_linear(void **state)
{
    struct guest_paging pg = { .cr0 = GUEST_CR0_PG, .cr4 = GUEST_CR4_PAE, .cr3 = 0x10000,
                               .efer = GUEST_EFER_LMA };
    struct guest_walk_result r;
    uint8_t buf[16];
    unsigned got;

    build_4level();
    /* LA(1,2,3,4) -> 0x250000 and LA(1,2,3,5) -> 0x260000: an instruction across the pages */
    put64(0x13000 + 5 * 8, 0x260000 | P);
    memset(mem + 0x250FFA, 0xAA, 6);
    memset(mem + 0x260000, 0xBB, 10);
    assert_int_equal(guest_read_linear(&pg, &reader, LA(1, 2, 3, 4, 0xFFA), buf, 15, GUEST_ACCESS_FETCH, &got, &r),
                     GUEST_WALK_OK);
    assert_int_equal(got, 15);
    assert_int_equal(buf[5], 0xAA);
    assert_int_equal(buf[6], 0xBB);
    /* the next page absent: got says how far it came */
    assert_int_equal(guest_read_linear(&pg, &reader, LA(1, 2, 3, 5, 0xFFE), buf, 15, GUEST_ACCESS_FETCH, &got, &r),
                     GUEST_WALK_NOT_PRESENT);
    assert_int_equal(got, 2);
    /* a page mapped outside memory */
    put64(0x13000 + 6 * 8, 0x7000000 | P);
    assert_int_equal(guest_read_linear(&pg, &reader, LA(1, 2, 3, 6, 0), buf, 4, 0, &got, NULL),
                     GUEST_WALK_READ_FAILED);
    assert_int_equal(got, 0);
    /* non-paged 32-bit: the address wraps at 4 GiB */
    pg = (struct guest_paging){ .cr0 = 1 };
    mem[0] = 0x42;
    mem[0xFFFFF] = 0x41;
    assert_int_equal(guest_read_linear(&pg, &reader, 0xFFFFFFFFULL, buf, 2, 0, &got, NULL), GUEST_WALK_READ_FAILED);
    assert_int_equal(guest_read_linear(&pg, &reader, 0xFFFFF, buf, 2, 0, &got, NULL), GUEST_WALK_OK);
    assert_int_equal(buf[0], 0x41);
    assert_int_equal(buf[1], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_no_paging, setup),
        cmocka_unit_test_setup(test_32bit, setup),
        cmocka_unit_test_setup(test_pae, setup),
        cmocka_unit_test_setup(test_4level, setup),
        cmocka_unit_test_setup(test_read_linear, setup),
    };

    return UNIT_RUN(tests);
}
