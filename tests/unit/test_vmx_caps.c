// SPDX-License-Identifier: GPL-2.0-only
#include "tests/unit/support.h"

#include <string.h>

#include "vmm/vmx_caps.h"

/* Values read in Bochs 2.7, cpu model corei7_skylake_x (see shared/PLATFORMS.md). */
#define BOCHS_BASIC    0x00d810000000002bULL
#define BOCHS_EPT_VPID 0x00000f0106334141ULL

static void test_ctl_adjust(void **state)
{
    uint32_t out, missing;
    /* allowed0 = 0x16 (bits 1,2,4 must be 1), allowed1 = 0x3f. */
    uint64_t cap = (0x3fULL << 32) | 0x16;

    assert_true(vmx_ctl_adjust(cap, 0x01, 0x20, &out, &missing));
    assert_int_equal(out, 0x37);
    assert_int_equal(missing, 0);
    /* A needed bit the CPU does not allow. */
    assert_false(vmx_ctl_adjust(cap, 0, 0x40, &out, &missing));
    assert_int_equal(missing, 0x40);
    /* A wanted (optional) bit that is not allowed is silently dropped. */
    assert_true(vmx_ctl_adjust(cap, 0x80, 0, &out, &missing));
    assert_int_equal(out, 0x16);
    /* Contradictory MSR: a bit required to be 1 that may not be 1. */
    assert_false(vmx_ctl_adjust((0x1ULL << 32) | 0x2, 0, 0, &out, &missing));
}

static void test_describe_bochs(void **state)
{
    struct vmx_msr_values v = {
        .basic = BOCHS_BASIC,
        .proc2 = 0x02177fffULL << 32,
        .ept_vpid = BOCHS_EPT_VPID,
        .has_proc2 = true,
    };
    char buf[512];

    vmx_caps_describe(&v, buf, sizeof(buf));
    assert_non_null(strstr(buf, "rev 0x2b"));
    assert_non_null(strstr(buf, "vmcs 4096 B"));
    assert_non_null(strstr(buf, "true-controls"));
    assert_non_null(strstr(buf, " ept"));
    assert_non_null(strstr(buf, " vpid"));
    assert_non_null(strstr(buf, "unrestricted-guest"));
    assert_non_null(strstr(buf, "4-level"));
    assert_non_null(strstr(buf, " 2M"));
    assert_non_null(strstr(buf, "invept-all"));
    assert_null(strstr(buf, "5-level"));
    assert_int_equal(VMX_BASIC_MEMTYPE(BOCHS_BASIC), 6);
}

static void test_describe_no_secondary_and_truncation(void **state)
{
    struct vmx_msr_values v = { .basic = 0x1, .proc2 = ~0ULL, .has_proc2 = false };
    char buf[512], small[16];
    size_t full;

    full = vmx_caps_describe(&v, buf, sizeof(buf));
    assert_non_null(strstr(buf, "secondary: none"));
    assert_null(strstr(buf, "true-controls"));
    assert_int_equal(vmx_caps_describe(&v, small, sizeof(small)), full);
    assert_int_equal(strlen(small), sizeof(small) - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ctl_adjust),
        cmocka_unit_test(test_describe_bochs),
        cmocka_unit_test(test_describe_no_secondary_and_truncation),
    };
    return UNIT_RUN(tests);
}
