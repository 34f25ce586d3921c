// SPDX-License-Identifier: GPL-2.0-only
#include "tests/unit/support.h"

#include <string.h>

#include "kernel/acpi/mcfg.h"
#include "tests/unit/acpi_fixtures.h"

static uint8_t tbuf[1024];
static struct mcfg_info info;

static void mcfg_begin(struct fx *f)
{
    fx_init(f, tbuf, sizeof(tbuf));
    fx_header(f, "MCFG", 1);
    fx_zeros(f, 8);
}

static void range(struct fx *f, uint64_t base, uint16_t seg, uint8_t start, uint8_t end)
{
    fx_u64(f, base);
    fx_u16(f, seg);
    fx_u8(f, start);
    fx_u8(f, end);
    fx_u32(f, 0);
}

static void test_ranges(void **state)
{
    struct fx f;
    size_t len;

    mcfg_begin(&f);
    range(&f, 0xb0000000, 0, 0, 0xff);
    range(&f, 0xc0000000, 1, 0x10, 0x1f);
    range(&f, 0xd0000000, 2, 5, 4);          /* end below start */
    range(&f, 0, 3, 0, 0xff);                /* no base */
    range(&f, 0xd0000800, 4, 0, 0xff);       /* base not 1 MiB aligned */
    range(&f, 0xfffffffffff00000ull, 5, 0, 1); /* bus 1 wraps to address 0 */
    range(&f, (1ull << 52) - (1ull << 28), 6, 0, 0xff); /* ends right at 2^52: usable */
    range(&f, (1ull << 52) - (1ull << 20), 7, 1, 1); /* bus 1 lies at 2^52 */
    fx_zeros(&f, 3);                         /* partial entry */
    len = fx_finish(&f);
    unit_log_reset();
    assert_int_equal(mcfg_parse(tbuf, len, &info), 0);
    assert_int_equal(info.count, 3);
    assert_true(info.seg[1].base == 0xc0000000);
    assert_int_equal(info.seg[2].segment, 6);
    assert_int_equal(info.seg[1].start_bus, 0x10);
    assert_true(unit_log_contains("mcfg: 3 trailing bytes after the last range, ignored"));
    assert_true(unit_log_contains("mcfg: segment 2 buses 05-04 ecam 0x00000000d0000000 is malformed, ignored"));
    assert_true(unit_log_contains("mcfg: segment 3 buses 00-ff ecam 0x0000000000000000 is malformed"));
    assert_true(unit_log_contains("mcfg: segment 4 buses"));
    assert_true(unit_log_contains("mcfg: segment 5 buses 00-01 ecam 0xfffffffffff00000 is malformed"));
    assert_true(unit_log_contains("mcfg: segment 7 buses 01-01 ecam 0x000ffffffff00000 is malformed"));
    unit_log_reset();
    mcfg_log_summary(&info);
    assert_true(unit_log_contains("mcfg: segment 0 buses 00-ff ecam 0x00000000b0000000\n"
                                  "mcfg: segment 1 buses 10-1f ecam 0x00000000c0000000\n"));
}

static void test_bad_tables(void **state)
{
    struct fx f;
    size_t len;

    mcfg_begin(&f);
    range(&f, 0xb0000000, 0, 0, 0xff);
    len = fx_finish(&f);
    unit_log_reset();
    assert_true(mcfg_parse(tbuf, len - 1, &info) < 0);
    assert_int_equal(info.count, 0);
    tbuf[44] = 1;
    assert_true(mcfg_parse(tbuf, len, &info) < 0);
    assert_true(unit_log_contains("mcfg: table has a bad checksum, ignored"));

    fx_init(&f, tbuf, sizeof(tbuf));
    fx_header(&f, "MCFG", 1);
    len = fx_finish(&f);
    assert_true(mcfg_parse(tbuf, len, &info) < 0);
    assert_true(unit_log_contains("mcfg: table length 36 is shorter than its fixed part, ignored"));
}

static void test_too_many(void **state)
{
    struct fx f;
    size_t len;

    mcfg_begin(&f);
    for (unsigned i = 0; i <= MCFG_MAX_SEGMENTS; i++)
        range(&f, 0x80000000ull + (0x10000000ull * i), (uint16_t)i, 0, 0xff);
    len = fx_finish(&f);
    unit_log_reset();
    assert_int_equal(mcfg_parse(tbuf, len, &info), 0);
    assert_int_equal(info.count, MCFG_MAX_SEGMENTS);
    assert_true(unit_log_contains("mcfg: more than 16 ranges, the rest ignored"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_bad_tables),
        cmocka_unit_test(test_too_many),
    };
    return UNIT_RUN(tests);
}
