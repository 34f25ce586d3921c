// SPDX-License-Identifier: GPL-2.0-only
/* kernel/log.c: level filtering, prefixes, truncation, the sink, and the rate limiter. */
#include "tests/unit/support.h"

#include <string.h>

#include "kernel/log.h"

static void test_levels_filter_and_prefix(void **state)
{
    unit_log_reset();
    log_set_level(LOG_WARN);
    assert_int_equal(log_get_level(), LOG_WARN);
    pr_err("e%d\n", 1);
    pr_warn("w%d\n", 2);
    pr_info("i%d\n", 3);
    pr_debug("d%d\n", 4);
    assert_string_equal(unit_log_text(), "error: e1\nwarning: w2\n");

    unit_log_reset();
    log_set_level(LOG_DEBUG);
    pr_info("info line\n");
    pr_debug("debug line\n");
    assert_string_equal(unit_log_text(), "info line\ndebug: debug line\n");

    unit_log_reset();
    log_set_level(LOG_ERR);
    log_raw("raw %s\n", "always");
    pr_warn("hidden\n");
    assert_string_equal(unit_log_text(), "raw always\n");
}

static void test_level_parse(void **state)
{
    static const struct { const char *s; enum log_level lvl; } good[] = {
        { "err", LOG_ERR }, { "warn", LOG_WARN }, { "info", LOG_INFO }, { "debug", LOG_DEBUG },
        { "0", LOG_ERR }, { "1", LOG_WARN }, { "2", LOG_INFO }, { "3", LOG_DEBUG },
    };
    static const char *const bad[] = { "", "4", "10", "DEBUG", "error", "inf", "debugx", "-1" };
    enum log_level lvl;

    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        lvl = LOG_INFO;
        assert_true(log_level_parse(good[i].s, &lvl));
        assert_int_equal(lvl, good[i].lvl);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        lvl = LOG_WARN;
        assert_false(log_level_parse(bad[i], &lvl));
        assert_int_equal(lvl, LOG_WARN);
    }
}

static void test_long_line_truncated_with_newline(void **state)
{
    char big[2000];

    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    unit_log_reset();
    pr_warn("%s\n", big);
    const char *text = unit_log_text();
    size_t len = strlen(text);
    assert_true(len < sizeof(big));
    assert_true(len > 100);
    assert_int_equal(strncmp(text, "warning: aaa", 12), 0);
    assert_int_equal(text[len - 1], '\n');
    assert_int_equal(text[len - 2], 'a');
    assert_ptr_equal(strchr(text, '\n'), text + len - 1); /* one line, not two */
}

static void test_no_sink_is_silent(void **state)
{
    unit_log_reset();
    log_set_sink(NULL);
    pr_err("nowhere\n");
    log_raw("nowhere\n");
    assert_string_equal(unit_log_text(), "");
    unit_log_reset();
}

static void test_ratelimit_burst_then_window(void **state)
{
    struct log_ratelimit rl = { .interval = 100, .burst = 3 };
    uint32_t suppressed = 99;

    /* First window [0, 100): three lines pass, the rest are counted. */
    for (int i = 0; i < 3; i++) {
        assert_true(log_ratelimit_allow(&rl, 10 + (uint64_t)i, &suppressed));
        assert_int_equal(suppressed, 0);
    }
    for (int i = 0; i < 5; i++)
        assert_false(log_ratelimit_allow(&rl, 50, &suppressed));
    assert_false(log_ratelimit_allow(&rl, 99, &suppressed));

    /* Next window: the first allowed line reports the six suppressed ones, once. */
    assert_true(log_ratelimit_allow(&rl, 110, &suppressed));
    assert_int_equal(suppressed, 6);
    assert_true(log_ratelimit_allow(&rl, 111, &suppressed));
    assert_int_equal(suppressed, 0);
}

static void test_ratelimit_clock_wrap_and_zero_burst(void **state)
{
    struct log_ratelimit rl = { .interval = 10, .burst = 1, .window_start = UINT64_MAX - 2 };
    struct log_ratelimit never = { .interval = 10, .burst = 0 };
    uint32_t suppressed = 0;

    assert_true(log_ratelimit_allow(&rl, UINT64_MAX - 1, &suppressed));
    assert_false(log_ratelimit_allow(&rl, UINT64_MAX, &suppressed));
    assert_false(log_ratelimit_allow(&rl, 3, &suppressed)); /* 6 ticks later across the wrap */
    assert_true(log_ratelimit_allow(&rl, 8, &suppressed));  /* 11 ticks later: new window */
    assert_int_equal(suppressed, 2);

    for (uint64_t t = 0; t < 50; t += 5)
        assert_false(log_ratelimit_allow(&never, t, &suppressed));
    assert_int_equal(never.suppressed, 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_levels_filter_and_prefix),
        cmocka_unit_test(test_level_parse),
        cmocka_unit_test(test_long_line_truncated_with_newline),
        cmocka_unit_test(test_no_sink_is_silent),
        cmocka_unit_test(test_ratelimit_burst_then_window),
        cmocka_unit_test(test_ratelimit_clock_wrap_and_zero_burst),
    };
    return UNIT_RUN(tests);
}
