// SPDX-License-Identifier: GPL-2.0-only
/* lib/fmt.c against the host C library's snprintf (C99 7.19.6.1), plus its own edge cases. */
#include "tests/unit/support.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "lib/fmt.h"

/* Formats with both implementations and demands the same text and the same return value. */
#define SAME_AS_LIBC(...)                                                                   \
    do {                                                                                    \
        char ours[256], libc[256];                                                          \
        int n_ours = fmt_snprintf(ours, sizeof(ours), __VA_ARGS__);                         \
        int n_libc = snprintf(libc, sizeof(libc), __VA_ARGS__);                             \
        assert_string_equal(ours, libc);                                                    \
        assert_int_equal(n_ours, n_libc);                                                   \
    } while (0)

static void test_integers(void **state)
{
    SAME_AS_LIBC("%d %i %u", 0, -1, 42u);
    SAME_AS_LIBC("%d %d", INT_MAX, INT_MIN);
    SAME_AS_LIBC("%ld %lu", LONG_MIN, ULONG_MAX);
    SAME_AS_LIBC("%lld %llu", LLONG_MIN, ULLONG_MAX);
    SAME_AS_LIBC("%hhd %hhu %hd %hu", 300, 300, 70000, 70000);
    SAME_AS_LIBC("%zu %zd %td %jd %ju", (size_t)12345, (ssize_t)-5, (ptrdiff_t)-7,
                 (intmax_t)INT64_MIN, (uintmax_t)UINT64_MAX);
    SAME_AS_LIBC("%x %X %o", 0xdeadbeefu, 0xdeadbeefu, 0755u);
    SAME_AS_LIBC("%llx %#llx", 0x00d2008c222f0606ull, 0x0000480080f00f4aull);
    SAME_AS_LIBC("%lx %lX", 0xfed90000ul, 0xfffffffffffffffful);
}

static void test_flags_width_precision(void **state)
{
    SAME_AS_LIBC("[%5d][%-5d][%05d][%+d][% d]", 42, 42, 42, 42, 42);
    SAME_AS_LIBC("[%+d][% d][%05d][%-+6d]", -42, -42, -42, 42);
    SAME_AS_LIBC("[%#x][%#X][%#o][%#x][%#o]", 255u, 255u, 8u, 0u, 0u);
    SAME_AS_LIBC("[%08x][%#010x][%-#10x]", 0xbeefu, 0xbeefu, 0xbeefu);
    SAME_AS_LIBC("[%.3d][%.0d][%5.0d][%.0x][%8.3x]", 7, 0, 0, 0u, 0xau);
    const char *zero_with_prec = "[%05.2d][%-8.4d][%+.3d]"; /* '0' is ignored with a precision */
    SAME_AS_LIBC(zero_with_prec, 3, 3, 3);
    const char *sign_unsigned = "[%+u][% u][%+5u][% 05u][%+x]"; /* '+' and ' ' apply to signed conversions only */
    SAME_AS_LIBC(sign_unsigned, 5u, 5u, 7u, 7u, 9u);
    SAME_AS_LIBC("[%*d][%-*d][%*d]", 6, 1, 6, 1, -6, 1);
    SAME_AS_LIBC("[%.*d][%.*d]", 4, 5, -1, 5);
    SAME_AS_LIBC("%02x:%02x.%x", 0, 3, 0);
}

/* C99 7.19.6.1p6: '#' with o raises the precision only as far as needed for a leading 0. */
static void test_octal_alt_with_precision(void **state)
{
    SAME_AS_LIBC("[%#.3o][%#.0o][%#.2o][%#5.3o]", 8u, 0u, 8u, 8u);
}

static void test_strings_chars_pointers(void **state)
{
    SAME_AS_LIBC("[%s][%10s][%-10s][%.2s][%*.*s]", "vtd0", "vtd0", "vtd0", "vtd0", 6, 3, "abcdef");
    SAME_AS_LIBC("[%c][%3c][%-3c]", 'a', 'b', 'c');
    SAME_AS_LIBC("100%% done");
    SAME_AS_LIBC("%p", (void *)0xfed90000ul);
    SAME_AS_LIBC("[%20p][%-20p]", (void *)0x1000ul, (void *)0x1000ul);
    SAME_AS_LIBC("%s", "");
}

static void test_null_string(void **state)
{
    char buf[32];
    const char *volatile null_str = NULL; /* volatile: keeps gcc's null-%s check quiet */

    assert_int_equal(fmt_snprintf(buf, sizeof(buf), "[%s]", null_str), 8);
    assert_string_equal(buf, "[(null)]");
    assert_int_equal(fmt_snprintf(buf, sizeof(buf), "[%.3s]", null_str), 5);
    assert_string_equal(buf, "[(nu]");
}

static void test_truncation(void **state)
{
    char buf[8];

    memset(buf, 'X', sizeof(buf));
    assert_int_equal(fmt_snprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
    assert_string_equal(buf, "0123456");

    memset(buf, 'X', sizeof(buf));
    assert_int_equal(fmt_snprintf(buf, 1, "abc"), 3);
    assert_int_equal(buf[0], '\0');
    assert_int_equal(buf[1], 'X');

    memset(buf, 'X', sizeof(buf));
    assert_int_equal(fmt_snprintf(buf, 0, "abc%d", 12345), 8);
    assert_int_equal(buf[0], 'X');
    assert_int_equal(fmt_snprintf(NULL, 0, "%08x", 1u), 8);

    assert_int_equal(fmt_snprintf(buf, sizeof(buf), "%d", -1234567), 8);
    assert_string_equal(buf, "-123456");
}

/* Conversions the kernel never asks for: printed verbatim, never a crash or a read of an argument. */
static void test_unknown_and_lone_percent(void **state)
{
    char buf[32];
    const char *unknown = "a%qb";
    const char *lone = "abc%";
    const char *float_conv = "%f|%d";

    assert_int_equal(fmt_snprintf(buf, sizeof(buf), unknown), 4);
    assert_string_equal(buf, "a%qb");
    assert_int_equal(fmt_snprintf(buf, sizeof(buf), lone), 3);
    assert_string_equal(buf, "abc");
    assert_int_equal(fmt_snprintf(buf, sizeof(buf), float_conv, 5), 4);
    assert_string_equal(buf, "%f|5");
}

static void test_huge_width_is_bounded(void **state)
{
    char buf[16];
    const char *huge = "%999999999d";

    /* Width digits saturate instead of overflowing int. */
    int n = fmt_snprintf(buf, sizeof(buf), huge, 1);
    assert_true(n > 100000 && n < 1000000);
    assert_int_equal(strlen(buf), sizeof(buf) - 1);
    assert_int_equal(buf[sizeof(buf) - 2], ' ');
}

/* '*' widths: negative means left-justified; INT_MIN and huge values are clamped, not negated. */
static void test_star_width_and_precision(void **state)
{
    char buf[16];
    int n;
    volatile int int_min = INT_MIN, int_max = INT_MAX; /* hidden from gcc's format checks */

    SAME_AS_LIBC("[%*d][%*d][%.*s][%.*d]", 5, 42, -5, 42, 2, "abcdef", -1, 7);
    n = fmt_snprintf(buf, sizeof(buf), "%*d", int_min, 1);
    assert_true(n >= 100000 && n <= 100001);
    assert_int_equal(buf[0], '1');
    assert_int_equal(buf[1], ' ');
    n = fmt_snprintf(buf, sizeof(buf), "%*d", int_max, 1);
    assert_true(n >= 100000 && n <= 100001);
    n = fmt_snprintf(buf, sizeof(buf), "%.*d", int_max, 1);
    assert_true(n >= 100000 && n <= 100001);
    assert_int_equal(buf[0], '0');
}

static int call_vsnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = fmt_vsnprintf(buf, size, fmt, ap);
    /* fmt_vsnprintf works on a copy: the caller's list is still usable. */
    n += fmt_vsnprintf(buf + n, size - (size_t)n, fmt, ap);
    va_end(ap);
    return n;
}

static void test_vsnprintf_keeps_callers_list(void **state)
{
    char buf[32];

    assert_int_equal(call_vsnprintf(buf, sizeof(buf), "%d-%s;", 7, "x"), 8);
    assert_string_equal(buf, "7-x;7-x;");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_flags_width_precision),
        cmocka_unit_test(test_octal_alt_with_precision),
        cmocka_unit_test(test_strings_chars_pointers),
        cmocka_unit_test(test_null_string),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_unknown_and_lone_percent),
        cmocka_unit_test(test_huge_width_is_bounded),
        cmocka_unit_test(test_star_width_and_precision),
        cmocka_unit_test(test_vsnprintf_keeps_callers_list),
    };
    return UNIT_RUN(tests);
}
