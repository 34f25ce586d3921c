// SPDX-License-Identifier: GPL-2.0-only
/* The guest MSR and control-register write checks both back ends share (vcpu_msr.h, vcpu_cr.h). */
#include "tests/unit/support.h"

#include "vmm/vcpu_cr.h"
#include "vmm/vcpu_msr.h"

static void test_canonical_and_pat(void **state)
{
    assert_true(msr_canonical(0));
    assert_true(msr_canonical(0x00007fffffffffffULL));
    assert_true(msr_canonical(0xffff800000000000ULL));
    assert_false(msr_canonical(0x0000800000000000ULL));
    assert_false(msr_canonical(0x8000000000000000ULL));
    assert_true(msr_pat_valid(0x0007040600070406ULL)); /* the reset value */
    assert_false(msr_pat_valid(0x0007040600070402ULL)); /* type 2 */
    assert_false(msr_pat_valid(0x0307040600070406ULL)); /* type 3 in entry 7 */
    assert_false(msr_pat_valid(0x0008040600070406ULL)); /* type 8 */
}

static void test_efer_writes(void **state)
{
    uint64_t next = 0;

    assert_int_equal(msr_efer_write(0, false, EFER_SCE | EFER_LME | EFER_NXE, &next), 0);
    assert_int_equal(next, EFER_SCE | EFER_LME | EFER_NXE);
    /* reserved bits, SVME included */
    assert_int_equal(msr_efer_write(0, false, EFER_SVME, &next), -EINVAL);
    assert_int_equal(msr_efer_write(0, false, 1ULL << 63, &next), -EINVAL);
    /* LMA is the processor's: written values are ignored, the current one kept */
    assert_int_equal(msr_efer_write(EFER_LME | EFER_LMA, true, EFER_LME | EFER_NXE, &next), 0);
    assert_int_equal(next, EFER_LME | EFER_LMA | EFER_NXE);
    assert_int_equal(msr_efer_write(0, false, EFER_LMA, &next), 0);
    assert_int_equal(next, 0);
    /* LME may not change while paging is on */
    assert_int_equal(msr_efer_write(0, true, EFER_LME, &next), -EINVAL);
    assert_int_equal(msr_efer_write(EFER_LME | EFER_LMA, true, 0, &next), -EINVAL);
    assert_int_equal(msr_efer_write(EFER_LME, false, 0, &next), 0);
}

static void test_cr0_writes(void **state)
{
    const uint64_t pe = X86_CR0_PE, pg = X86_CR0_PG;

    assert_true(vcpu_cr0_write_ok(pe, pe | pg, 0, 0, false));
    assert_false(vcpu_cr0_write_ok(pe, 1ULL << 32 | pe, 0, 0, false));
    assert_false(vcpu_cr0_write_ok(0, pg, 0, 0, false));                    /* PG without PE */
    assert_false(vcpu_cr0_write_ok(pe, pe | VCPU_CR0_NW, 0, 0, false));     /* NW without CD */
    assert_true(vcpu_cr0_write_ok(pe, pe | VCPU_CR0_NW | VCPU_CR0_CD, 0, 0, false));
    /* long mode needs PAE */
    assert_false(vcpu_cr0_write_ok(pe, pe | pg, 0, EFER_LME, false));
    assert_true(vcpu_cr0_write_ok(pe, pe | pg, VCPU_CR4_PAE, EFER_LME, false));
    /* paging off: from compatibility mode only */
    assert_false(vcpu_cr0_write_ok(pe | pg, pe, VCPU_CR4_PAE, EFER_LME | EFER_LMA, true));
    assert_true(vcpu_cr0_write_ok(pe | pg, pe, VCPU_CR4_PAE, EFER_LME | EFER_LMA, false));
}

static void test_cr4_writes(void **state)
{
    const uint64_t lm = EFER_LME | EFER_LMA;

    assert_true(vcpu_cr4_write_ok(0, VCPU_CR4_PAE, 0, 0));
    assert_true(vcpu_cr4_write_ok(VCPU_CR4_PAE, 0, 0, 0));
    assert_false(vcpu_cr4_write_ok(VCPU_CR4_PAE, 0, lm, 0));                 /* PAE off in long mode */
    assert_false(vcpu_cr4_write_ok(VCPU_CR4_PAE, VCPU_CR4_PAE | VCPU_CR4_LA57, lm, 0));
    assert_true(vcpu_cr4_write_ok(VCPU_CR4_PAE, VCPU_CR4_PAE | VCPU_CR4_PCIDE, lm, 0x1000));
    assert_false(vcpu_cr4_write_ok(VCPU_CR4_PAE, VCPU_CR4_PAE | VCPU_CR4_PCIDE, lm, 0x1001));
    assert_false(vcpu_cr4_write_ok(VCPU_CR4_PAE, VCPU_CR4_PAE | VCPU_CR4_PCIDE, 0, 0x1000));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical_and_pat),
        cmocka_unit_test(test_efer_writes),
        cmocka_unit_test(test_cr0_writes),
        cmocka_unit_test(test_cr4_writes),
    };

    return UNIT_RUN(tests);
}
