// SPDX-License-Identifier: GPL-2.0-only
/* kernel/time_math.c: 128-bit mul/div, conversions, calibration ratio, MHz formatting. */
#include "tests/unit/support.h"

#include "kernel/time_math.h"

static void test_mul_div(void **state)
{
    assert_true(mul_div_u64(10, 20, 3) == 66);
    /* The product needs 128 bits; the quotient fits. */
    assert_true(mul_div_u64(UINT64_MAX, 1000000, 1000000) == UINT64_MAX);
    assert_true(mul_div_u64(1ULL << 40, 1ULL << 40, 1ULL << 30) == 1ULL << 50);
    /* The quotient overflows, or the divisor is 0: saturated. */
    assert_true(mul_div_u64(UINT64_MAX, 2, 1) == UINT64_MAX);
    assert_true(mul_div_u64(5, 5, 0) == UINT64_MAX);
    assert_true(mul_div_u64(0, 5, 7) == 0);
}

static void test_conversions(void **state)
{
    const uint64_t ghz2 = 2000000000ULL;

    assert_true(ticks_to_us(ghz2, ghz2) == 1000000);
    assert_true(ticks_to_us(1999, ghz2) == 0);
    assert_true(ticks_to_us(2000, ghz2) == 1);
    assert_true(ticks_to_us(123, 0) == 0);
    assert_true(us_to_ticks(10000, ghz2) == 20000000);
    /* A TSC running for 100 years at 5 GHz does not overflow the microsecond clock. */
    uint64_t century_ticks = 5000000000ULL * 3600 * 24 * 365 * 100;
    assert_true(ticks_to_us(century_ticks, 5000000000ULL) == 1000000ULL * 3600 * 24 * 365 * 100);
}

static void test_hz_from_reference(void **state)
{
    /* 10 ms of PIT (11931 ticks at 1193182 Hz) against 25,960,000 TSC ticks: ~2596 MHz. */
    uint64_t hz = hz_from_reference(25960000, 11931, 1193182);
    assert_true(hz > 2596000000ULL && hz < 2597000000ULL);
    assert_true(hz_from_reference(100, 0, 1193182) == 0);
    assert_true(hz_from_reference(0, 100, 1193182) == 0);
}

static void test_format(void **state)
{
    char buf[32];

    assert_string_equal(hz_format_mhz(2000123456ULL, buf, sizeof(buf)), "2000.123 MHz");
    assert_string_equal(hz_format_mhz(999999600ULL, buf, sizeof(buf)), "1000.000 MHz"); /* rounds */
    assert_string_equal(hz_format_mhz(1193182ULL, buf, sizeof(buf)), "1.193 MHz");
    assert_string_equal(hz_format_mhz(0, buf, sizeof(buf)), "0.000 MHz");
    assert_string_equal(hz_format_mhz(2000123456ULL, buf, 6), "2000.");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mul_div),
        cmocka_unit_test(test_conversions),
        cmocka_unit_test(test_hz_from_reference),
        cmocka_unit_test(test_format),
    };
    return UNIT_RUN(tests);
}
