// SPDX-License-Identifier: GPL-2.0-only
#include "tests/unit/support.h"

#include <string.h>

#include "kernel/cmdline.h"

static void test_key_value_and_flags(void **state)
{
    char buf[32];

    cmdline_set("loglevel=debug iommu=off  assign=00:03.0 quiet");
    assert_true(cmdline_get("loglevel", buf, sizeof(buf)));
    assert_string_equal(buf, "debug");
    assert_true(cmdline_get("iommu", buf, sizeof(buf)));
    assert_string_equal(buf, "off");
    assert_true(cmdline_has("quiet"));
    assert_true(cmdline_get("quiet", buf, sizeof(buf)));
    assert_string_equal(buf, "");
    assert_false(cmdline_has("iommu_x"));
    assert_false(cmdline_has("log"));
    assert_false(cmdline_has("level"));
}

static void test_last_occurrence_wins_and_quotes(void **state)
{
    char buf[32];

    cmdline_set("a=1 a=2 b=\"x y\" a");
    assert_true(cmdline_get("a", buf, sizeof(buf)));
    assert_string_equal(buf, "");
    assert_true(cmdline_get("b", buf, sizeof(buf)));
    assert_string_equal(buf, "x y");
}

static void test_truncation_and_empty(void **state)
{
    char buf[4];

    cmdline_set(NULL);
    assert_string_equal(cmdline_get_all(), "");
    assert_false(cmdline_has("x"));
    cmdline_set("key=abcdefgh");
    assert_true(cmdline_get("key", buf, sizeof(buf)));
    assert_string_equal(buf, "abc");

    char longline[CMDLINE_MAX + 100];
    memset(longline, 'x', sizeof(longline));
    longline[sizeof(longline) - 1] = '\0';
    cmdline_set(longline);
    assert_int_equal(strlen(cmdline_get_all()), CMDLINE_MAX - 1);
}

static void test_numbers(void **state)
{
    uint64_t v;

    cmdline_set("n=42 h=0x1F bad=12x big=99999999999999999999999 hex=0x");
    assert_int_equal(cmdline_get_u64("n", 7), 42);
    assert_int_equal(cmdline_get_u64("h", 7), 0x1f);
    assert_int_equal(cmdline_get_u64("missing", 7), 7);
    unit_log_reset();
    assert_int_equal(cmdline_get_u64("bad", 7), 7);
    assert_true(unit_log_contains("bad=12x is not a number"));
    assert_int_equal(cmdline_get_u64("big", 7), 7);
    assert_int_equal(cmdline_get_u64("hex", 7), 7);
    assert_true(cmdline_parse_u64("18446744073709551615", &v));
    assert_true(v == UINT64_MAX);
    assert_false(cmdline_parse_u64("", &v));
    assert_true(cmdline_parse_u64("0XaB", &v));
    assert_int_equal(v, 0xab);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_value_and_flags),
        cmocka_unit_test(test_last_occurrence_wins_and_quotes),
        cmocka_unit_test(test_truncation_and_empty),
        cmocka_unit_test(test_numbers),
    };
    return UNIT_RUN(tests);
}
