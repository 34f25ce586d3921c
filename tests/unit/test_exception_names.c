// SPDX-License-Identifier: GPL-2.0-only
/* kernel/cpu/exception_names.c: mnemonics, reserved vectors, #PF and selector error codes. */
#include "tests/unit/support.h"

#include <string.h>

#include "kernel/cpu/exception_names.h"

static void test_mnemonics(void **state)
{
    assert_string_equal(exception_mnemonic(0), "#DE");
    assert_string_equal(exception_mnemonic(EXC_NMI), "NMI");
    assert_string_equal(exception_mnemonic(EXC_UD), "#UD");
    assert_string_equal(exception_mnemonic(EXC_DF), "#DF");
    assert_string_equal(exception_mnemonic(EXC_GP), "#GP");
    assert_string_equal(exception_mnemonic(EXC_PF), "#PF");
    assert_string_equal(exception_mnemonic(EXC_MC), "#MC");
    assert_string_equal(exception_mnemonic(21), "#CP");
    assert_string_equal(exception_description(EXC_PF), "page fault");
    for (unsigned v = 0; v < EXCEPTION_VECTORS; v++) {
        assert_non_null(exception_mnemonic(v));
        assert_non_null(exception_description(v));
    }
}

static void test_reserved_and_out_of_range(void **state)
{
    assert_string_equal(exception_mnemonic(15), "#15");
    assert_string_equal(exception_mnemonic(31), "#31");
    assert_string_equal(exception_description(22), "reserved");
    assert_null(exception_mnemonic(32));
    assert_null(exception_description(255));
    assert_null(exception_mnemonic(~0u));
}

static void test_pf_error_codes(void **state)
{
    char buf[96];

    assert_string_equal(pf_error_describe(0x0, buf, sizeof(buf)), "read, not present, supervisor");
    assert_string_equal(pf_error_describe(0x2, buf, sizeof(buf)), "write, not present, supervisor");
    assert_string_equal(pf_error_describe(0x7, buf, sizeof(buf)), "write, protection violation, user");
    assert_string_equal(pf_error_describe(0x11, buf, sizeof(buf)),
                        "instruction fetch, protection violation, supervisor");
    assert_string_equal(pf_error_describe(0x9, buf, sizeof(buf)),
                        "read, protection violation, supervisor, reserved bit set");
    assert_string_equal(pf_error_describe(0x8061, buf, sizeof(buf)),
                        "read, protection violation, supervisor, protection key, shadow stack, SGX");
}

static void test_pf_error_truncates(void **state)
{
    char small[12];

    memset(small, 'x', sizeof(small));
    pf_error_describe(0x7, small, sizeof(small));
    assert_int_equal(strlen(small), sizeof(small) - 1);
    assert_memory_equal(small, "write, prot", sizeof(small));
    pf_error_describe(0x7, small, 1);
    assert_int_equal(small[0], '\0');
    pf_error_describe(0x7, small, 0); /* must not write */
}

static void test_selector_error_codes(void **state)
{
    char buf[64];

    assert_string_equal(selector_error_describe(0x6a, buf, sizeof(buf)), "IDT vector 0x0d");
    assert_string_equal(selector_error_describe(0x18, buf, sizeof(buf)), "GDT selector 0x18");
    assert_string_equal(selector_error_describe(0x1c, buf, sizeof(buf)), "LDT selector 0x18");
    assert_string_equal(selector_error_describe(0x19, buf, sizeof(buf)), "GDT selector 0x18, external");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mnemonics),
        cmocka_unit_test(test_reserved_and_out_of_range),
        cmocka_unit_test(test_pf_error_codes),
        cmocka_unit_test(test_pf_error_truncates),
        cmocka_unit_test(test_selector_error_codes),
    };
    return UNIT_RUN(tests);
}
