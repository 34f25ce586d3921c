// SPDX-License-Identifier: GPL-2.0-only
/*
 * lib/string.c, compiled here under the nestor_ prefix so the host C library (which the
 * sanitizers and cmocka use) stays in place; results are compared with the host's.
 */
#include "tests/unit/support.h"

#include <string.h>

#define NESTOR_STRING_TEST
#include "lib/string.c"

static int sign(int v) { return (v > 0) - (v < 0); }

static void test_memcpy_memset(void **state)
{
    unsigned char src[64], dst[64];

    for (size_t i = 0; i < sizeof(src); i++)
        src[i] = (unsigned char)(i * 7 + 1);
    memset(dst, 0xaa, sizeof(dst));
    assert_ptr_equal(nestor_memcpy(dst + 3, src, 40), dst + 3);
    assert_memory_equal(dst + 3, src, 40);
    assert_int_equal(dst[2], 0xaa);
    assert_int_equal(dst[43], 0xaa);
    assert_ptr_equal(nestor_memcpy(dst, src, 0), dst);
    assert_int_equal(dst[0], 0xaa);

    assert_ptr_equal(nestor_memset(dst, 0x1ff, 10), dst); /* converted to unsigned char */
    for (int i = 0; i < 10; i++)
        assert_int_equal(dst[i], 0xff);
    assert_int_equal(dst[10], src[7]);
    nestor_memset(dst, 0, 0);
    assert_int_equal(dst[0], 0xff);
}

static void test_memmove_overlap(void **state)
{
    char a[] = "0123456789";
    char b[] = "0123456789";

    assert_ptr_equal(nestor_memmove(a + 2, a, 6), a + 2);
    memmove(b + 2, b, 6);
    assert_string_equal(a, b);

    strcpy(a, "0123456789");
    strcpy(b, "0123456789");
    nestor_memmove(a, a + 3, 7);
    memmove(b, b + 3, 7);
    assert_string_equal(a, b);

    nestor_memmove(a, a, 10);
    assert_string_equal(a, b);
}

static void test_memcmp(void **state)
{
    static const struct { const char *a, *b; size_t n; } cases[] = {
        { "abc", "abc", 3 }, { "abc", "abd", 3 }, { "abd", "abc", 3 },
        { "abc", "abd", 2 }, { "a\x80", "a\x01", 2 }, { "", "", 0 }, { "x", "y", 0 },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_int_equal(sign(nestor_memcmp(cases[i].a, cases[i].b, cases[i].n)),
                         sign(memcmp(cases[i].a, cases[i].b, cases[i].n)));
}

static void test_strlen_strnlen(void **state)
{
    assert_int_equal(nestor_strlen(""), 0);
    assert_int_equal(nestor_strlen("nestor"), 6);
    assert_int_equal(nestor_strnlen("nestor", 3), 3);
    assert_int_equal(nestor_strnlen("nestor", 100), 6);
    assert_int_equal(nestor_strnlen("nestor", 0), 0);
    /* strnlen must not read past max: no terminator within the buffer. */
    char unterminated[4] = { 'a', 'b', 'c', 'd' };
    assert_int_equal(nestor_strnlen(unterminated, sizeof(unterminated)), 4);
}

static void test_strcmp_strncmp(void **state)
{
    static const char *const words[] = { "", "a", "ab", "abc", "abd", "b", "\xff", "A" };
    const size_t nwords = sizeof(words) / sizeof(words[0]);

    for (size_t i = 0; i < nwords; i++) {
        for (size_t j = 0; j < nwords; j++) {
            assert_int_equal(sign(nestor_strcmp(words[i], words[j])), sign(strcmp(words[i], words[j])));
            for (size_t n = 0; n < 5; n++)
                assert_int_equal(sign(nestor_strncmp(words[i], words[j], n)),
                                 sign(strncmp(words[i], words[j], n)));
        }
    }
}

static void test_strchr(void **state)
{
    const char *s = "vtd0: cap";

    assert_ptr_equal(nestor_strchr(s, ':'), s + 4);
    assert_ptr_equal(nestor_strchr(s, 'v'), s);
    assert_null(nestor_strchr(s, 'z'));
    assert_ptr_equal(nestor_strchr(s, '\0'), s + strlen(s)); /* the terminator is part of s */
    assert_ptr_equal(nestor_strchr("a\xe9", 0xe9), strchr("a\xe9", 0xe9));
}

static void test_strlcpy(void **state)
{
    char buf[8];

    memset(buf, 'X', sizeof(buf));
    assert_int_equal(nestor_strlcpy(buf, "abc", sizeof(buf)), 3);
    assert_string_equal(buf, "abc");

    assert_int_equal(nestor_strlcpy(buf, "0123456789", sizeof(buf)), 10);
    assert_string_equal(buf, "0123456");

    memset(buf, 'X', sizeof(buf));
    assert_int_equal(nestor_strlcpy(buf, "abc", 1), 3);
    assert_int_equal(buf[0], '\0');
    assert_int_equal(buf[1], 'X');

    memset(buf, 'X', sizeof(buf));
    assert_int_equal(nestor_strlcpy(buf, "abc", 0), 3);
    assert_int_equal(buf[0], 'X');

    assert_int_equal(nestor_strlcpy(buf, "1234567", sizeof(buf)), 7);
    assert_string_equal(buf, "1234567");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memcpy_memset),
        cmocka_unit_test(test_memmove_overlap),
        cmocka_unit_test(test_memcmp),
        cmocka_unit_test(test_strlen_strnlen),
        cmocka_unit_test(test_strcmp_strncmp),
        cmocka_unit_test(test_strchr),
        cmocka_unit_test(test_strlcpy),
    };
    return UNIT_RUN(tests);
}
