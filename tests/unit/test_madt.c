// SPDX-License-Identifier: GPL-2.0-only
#include "tests/unit/support.h"

#include <string.h>

#include "kernel/acpi/madt.h"
#include "tests/unit/acpi_fixtures.h"

static uint8_t tbuf[8192];
static struct madt_info info;

static void madt_begin(struct fx *f)
{
    fx_init(f, tbuf, sizeof(tbuf));
    fx_header(f, "APIC", 5);
    fx_u32(f, 0xfee00000);
    fx_u32(f, 1);          /* PCAT_COMPAT */
}

static void lapic(struct fx *f, uint8_t uid, uint8_t id, uint32_t flags)
{
    size_t s = fx_begin8(f, MADT_TYPE_LAPIC);

    fx_u8(f, uid);
    fx_u8(f, id);
    fx_u32(f, flags);
    fx_end8(f, s);
}

static void test_qemu_like(void **state)
{
    struct fx f;
    size_t s, len;

    madt_begin(&f);
    lapic(&f, 0, 0, 1);
    lapic(&f, 1, 1, 1);
    lapic(&f, 2, 2, 2);    /* online capable, not enabled */
    s = fx_begin8(&f, MADT_TYPE_IOAPIC);
    fx_u8(&f, 0);
    fx_u8(&f, 0);
    fx_u32(&f, 0xfec00000);
    fx_u32(&f, 0);
    fx_end8(&f, s);
    s = fx_begin8(&f, MADT_TYPE_INT_OVERRIDE);
    fx_u8(&f, 0);
    fx_u8(&f, 0);
    fx_u32(&f, 2);
    fx_u16(&f, 0);
    fx_end8(&f, s);
    s = fx_begin8(&f, MADT_TYPE_LAPIC_NMI);
    fx_u8(&f, 0xff);
    fx_u16(&f, 5);
    fx_u8(&f, 1);
    fx_end8(&f, s);
    s = fx_begin8(&f, MADT_TYPE_X2APIC);
    fx_u16(&f, 0);
    fx_u32(&f, 300);
    fx_u32(&f, 1);
    fx_u32(&f, 300);
    fx_end8(&f, s);
    s = fx_begin8(&f, MADT_TYPE_X2APIC_NMI);
    fx_u16(&f, 0);
    fx_u32(&f, 300);
    fx_u8(&f, 0);
    fx_zeros(&f, 3);
    fx_end8(&f, s);
    s = fx_begin8(&f, MADT_TYPE_LAPIC_ADDR_OVERRIDE);
    fx_u16(&f, 0);
    fx_u64(&f, 0xfee00000ull);
    fx_end8(&f, s);
    s = fx_begin8(&f, 0x7f);   /* unknown type: skipped by its length */
    fx_zeros(&f, 6);
    fx_end8(&f, s);
    len = fx_finish(&f);

    unit_log_reset();
    assert_int_equal(madt_parse(tbuf, len, &info), 0);
    assert_true(info.lapic_base == 0xfee00000);
    assert_true(info.pcat_compat);
    assert_int_equal(info.ncpus, 4);
    assert_true(info.cpus[2].online_capable);
    assert_false(info.cpus[2].enabled);
    assert_true(info.cpus[3].x2apic);
    assert_int_equal(info.cpus[3].apic_id, 300);
    assert_int_equal(info.nioapics, 1);
    assert_int_equal(info.noverrides, 1);
    assert_int_equal(info.overrides[0].gsi, 2);
    assert_int_equal(info.nnmis, 2);
    assert_true(info.nmis[0].acpi_uid == MADT_NMI_ALL_CPUS);
    assert_int_equal(info.nmis[0].lint, 1);
    assert_int_equal(info.nmis[1].acpi_uid, 300);
    assert_int_equal(info.skipped, 0);
    assert_true(unit_log_contains("madt: entry type 127 (length 8) not used"));

    unit_log_reset();
    madt_log_summary(&info);
    assert_true(unit_log_contains("cpus: 3 (apic ids 0 1 300)\n"));
    assert_true(unit_log_contains("cpus: 1 more listed disabled"));
    assert_true(unit_log_contains("ioapic: id 0 at 0xfec00000 gsi 0\n"));
}

static void test_malformed_entries(void **state)
{
    struct fx f;
    size_t s, len;

    madt_begin(&f);
    lapic(&f, 0, 0, 1);
    lapic(&f, 1, 0, 1);                          /* duplicate apic id */
    s = fx_begin8(&f, MADT_TYPE_IOAPIC);         /* too short */
    fx_zeros(&f, 4);
    fx_end8(&f, s);
    s = fx_begin8(&f, MADT_TYPE_IOAPIC);         /* address 0 */
    fx_zeros(&f, 10);
    fx_end8(&f, s);
    s = fx_begin8(&f, MADT_TYPE_LAPIC_NMI);      /* LINT2 does not exist */
    fx_u8(&f, 0);
    fx_u16(&f, 0);
    fx_u8(&f, 2);
    fx_end8(&f, s);
    s = fx_begin8(&f, MADT_TYPE_LAPIC);          /* length 1: stops the walk */
    fx_zeros(&f, 6);
    f.buf[s + 1] = 1;
    lapic(&f, 5, 5, 1);                          /* never reached */
    len = fx_finish(&f);
    unit_log_reset();
    assert_int_equal(madt_parse(tbuf, len, &info), 0);
    assert_int_equal(info.ncpus, 1);
    assert_int_equal(info.nioapics, 0);
    assert_int_equal(info.nnmis, 0);
    assert_int_equal(info.skipped, 5);
    assert_true(unit_log_contains("madt: apic id 0 listed twice (firmware bug), second entry ignored"));
    assert_true(unit_log_contains("madt: entry type 1 at offset 60 is too short (6 < 12), skipped"));
    assert_true(unit_log_contains("madt: ioapic id 0 at 0x00000000 is not a usable address, ignored"));
    assert_true(unit_log_contains("madt: NMI on LINT2 does not exist, ignored"));
    assert_true(unit_log_contains("has length 1 (16 bytes left), rest of table ignored"));

    /* an entry running past the end, then a single trailing byte */
    madt_begin(&f);
    lapic(&f, 0, 0, 1);
    fx_u8(&f, 0);
    len = fx_finish(&f);
    unit_log_reset();
    assert_int_equal(madt_parse(tbuf, len, &info), 0);
    assert_true(unit_log_contains("madt: trailing byte at offset 52, ignored"));
    tbuf[45] = 30;
    fx_fix_checksum(tbuf);
    assert_int_equal(madt_parse(tbuf, len, &info), 0);
    assert_int_equal(info.ncpus, 0);
}

static void test_header_problems(void **state)
{
    struct fx f;
    size_t len;

    madt_begin(&f);
    len = fx_finish(&f);
    tbuf[20] ^= 0x55;
    unit_log_reset();
    assert_true(madt_parse(tbuf, len, &info) < 0);
    assert_true(unit_log_contains("madt: table has a bad checksum, ignored"));
    assert_true(madt_parse(tbuf, 10, &info) < 0);
    assert_true(unit_log_contains("madt: table is truncated, ignored"));

    fx_init(&f, tbuf, sizeof(tbuf));
    fx_header(&f, "APIC", 5);
    fx_u32(&f, 0);
    len = fx_finish(&f);
    assert_true(madt_parse(tbuf, len, &info) < 0);
    assert_true(unit_log_contains("madt: table length 40 is shorter than its fixed part, ignored"));
}

static void test_capacity(void **state)
{
    struct fx f;
    size_t s, len;

    madt_begin(&f);
    for (unsigned i = 0; i <= MADT_MAX_CPUS; i++) {
        s = fx_begin8(&f, MADT_TYPE_X2APIC);
        fx_u16(&f, 0);
        fx_u32(&f, i);
        fx_u32(&f, 1);
        fx_u32(&f, i);
        fx_end8(&f, s);
    }
    for (unsigned i = 0; i <= MADT_MAX_IOAPICS; i++) {
        s = fx_begin8(&f, MADT_TYPE_IOAPIC);
        fx_u8(&f, (uint8_t)i);
        fx_u8(&f, 0);
        fx_u32(&f, 0xfec00000 + 0x1000 * i);
        fx_u32(&f, 24 * i);
        fx_end8(&f, s);
    }
    for (unsigned i = 0; i <= MADT_MAX_OVERRIDES; i++) {
        s = fx_begin8(&f, MADT_TYPE_INT_OVERRIDE);
        fx_u8(&f, 0);
        fx_u8(&f, (uint8_t)i);
        fx_u32(&f, i);
        fx_u16(&f, 0);
        fx_end8(&f, s);
    }
    for (unsigned i = 0; i <= MADT_MAX_NMIS; i++) {
        s = fx_begin8(&f, MADT_TYPE_LAPIC_NMI);
        fx_u8(&f, (uint8_t)i);
        fx_u16(&f, 0);
        fx_u8(&f, 1);
        fx_end8(&f, s);
    }
    len = fx_finish(&f);
    unit_log_reset();
    assert_int_equal(madt_parse(tbuf, len, &info), 0);
    assert_int_equal(info.ncpus, MADT_MAX_CPUS);
    assert_int_equal(info.nioapics, MADT_MAX_IOAPICS);
    assert_int_equal(info.noverrides, MADT_MAX_OVERRIDES);
    assert_int_equal(info.nnmis, MADT_MAX_NMIS);
    assert_int_equal(info.skipped, 4);
    assert_true(unit_log_contains("madt: more than 256 processors, apic id 256 ignored"));
    unit_log_reset();
    madt_log_summary(&info);
    assert_true(unit_log_contains("cpus: 256 (apic ids 0 1 2 "));
    assert_true(unit_log_contains(" 46 47 ...)\n"));
}

/* Thousands of bad entries (a hostile table) give a bounded number of log lines. */
static void test_problem_flood_is_bounded(void **state)
{
    struct fx f;
    size_t s, len;
    unsigned lines = 0;

    madt_begin(&f);
    lapic(&f, 0, 0, 1);
    for (unsigned i = 0; i < 2000; i++) {
        s = fx_begin8(&f, MADT_TYPE_IOAPIC); /* too short: 4 bytes */
        fx_zeros(&f, 2);
        fx_end8(&f, s);
    }
    lapic(&f, 1, 1, 1);                      /* still decoded after the flood */
    len = fx_finish(&f);
    unit_log_reset();
    assert_int_equal(madt_parse(tbuf, len, &info), 0);
    assert_int_equal(info.skipped, 2000);
    assert_int_equal(info.ncpus, 2);
    for (const char *p = unit_log_text(); (p = strchr(p, '\n')); p++)
        lines++;
    assert_int_equal(lines, 17);
    assert_true(unit_log_contains("madt: 1984 more malformed or excess entries not logged\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qemu_like),
        cmocka_unit_test(test_malformed_entries),
        cmocka_unit_test(test_header_problems),
        cmocka_unit_test(test_capacity),
        cmocka_unit_test(test_problem_flood_is_bounded),
    };
    return UNIT_RUN(tests);
}
