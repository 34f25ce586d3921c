// SPDX-License-Identifier: GPL-2.0-only
/* Fault records (FRCD layout) and reason names, checked against literal bit positions. */
#include "tests/unit/support.h"

#include <string.h>

#include "iommu/vtd_fault.h"

/* Codes the references (QEMU VTDFaultReason, Linux dmar.c) name. */
static const uint8_t known_codes[] = {
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E,
    0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26,
    0x30, 0x31, 0x32, 0x38, 0x39, 0x3A,
    0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
    0x50, 0x51, 0x52, 0x58, 0x59, 0x5A, 0x5B, 0x5C, 0x5D,
    0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0x7B, 0x7C,
    0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x90, 0x91,
};

static bool is_known(unsigned code)
{
    for (size_t i = 0; i < sizeof(known_codes); i++)
        if (known_codes[i] == code)
            return true;
    return false;
}

/* Every reason code survives encode -> literal hi word -> decode, and has the right name class. */
static void test_every_reason_code(void **state)
{
    for (unsigned code = 0; code < 256; code++) {
        struct vtd_fault_record in = {
            .fault = true, .is_read = code & 1, .reason = (uint8_t)code, .sid = (uint16_t)(0x0118 + code),
            .addr = 0x123456000ULL + ((uint64_t)code << 12), .ir_index = (uint16_t)(code * 3),
            .pasid_present = code & 2, .pasid = 0xF0000 | code, .exe = code & 4, .priv = code & 8, .at = code & 3,
        };
        struct vtd_fault_record out;
        uint64_t lo, hi;
        bool ir = code >= 0x20 && code <= 0x2F;

        vtd_fault_record_encode(&in, &lo, &hi);
        /* hi: 15:0 SID, 29 PRIV, 30 EXE, 31 PP, 39:32 FR, 59:40 PV, 61:60 AT, 62 T, 63 F */
        assert_int_equal(hi & 0xFFFF, in.sid);
        assert_int_equal((hi >> 32) & 0xFF, code);
        assert_int_equal((hi >> 63) & 1, 1);
        assert_int_equal((hi >> 62) & 1, code & 1);
        assert_int_equal((hi >> 31) & 1, (code & 2) ? 1 : 0);
        assert_int_equal((hi >> 40) & 0xFFFFF, in.pasid);
        assert_int_equal((hi >> 60) & 3, code & 3);
        assert_int_equal((hi >> 30) & 1, (code & 4) ? 1 : 0);
        assert_int_equal((hi >> 29) & 1, (code & 8) ? 1 : 0);
        assert_int_equal(lo, ir ? (uint64_t)in.ir_index << 48 : in.addr);

        vtd_fault_record_decode(lo, hi, &out);
        assert_int_equal(out.reason, code);
        assert_int_equal(out.sid, in.sid);
        assert_int_equal(out.is_read, in.is_read);
        assert_int_equal(out.fault, true);
        assert_int_equal(out.pasid_present, in.pasid_present);
        assert_int_equal(out.pasid, in.pasid);
        assert_int_equal(out.exe, in.exe);
        assert_int_equal(out.priv, in.priv);
        assert_int_equal(out.at, in.at);
        if (ir)
            assert_int_equal(out.ir_index, in.ir_index);
        else
            assert_int_equal(out.addr, in.addr);

        assert_int_equal(vtd_fault_reason_is_ir((uint8_t)code), ir);
        assert_int_equal(vtd_fault_reason_known((uint8_t)code), is_known(code));
        if (is_known(code))
            assert_string_not_equal(vtd_fault_reason_name((uint8_t)code), "unknown reason");
        else
            assert_string_equal(vtd_fault_reason_name((uint8_t)code), "unknown reason");
    }
}

static void test_reason_names(void **state)
{
    assert_string_equal(vtd_fault_reason_name(VTD_FR_WRITE_DENIED), "write not permitted by the page table");
    assert_string_equal(vtd_fault_reason_name(VTD_FR_READ_DENIED), "read not permitted by the page table");
    assert_string_equal(vtd_fault_reason_name(VTD_FR_CTX_ENTRY_NOT_PRESENT), "context entry not present");
    assert_string_equal(vtd_fault_reason_name(VTD_FR_SM_PE_INVALID), "invalid PASID table entry");
    assert_string_equal(vtd_fault_reason_name(VTD_FR_SM_FS_NOT_PRESENT), "first-stage entry not present");
    assert_string_equal(vtd_fault_reason_name(VTD_FR_SM_WRITE_DENIED), "write not permitted by the page table");
    assert_string_equal(vtd_fault_reason_name(VTD_FR_IR_IRTE_NOT_PRESENT), "interrupt remapping entry not present");
    assert_string_equal(vtd_fault_reason_name(0x00), "unknown reason");
    assert_string_equal(vtd_fault_reason_name(0xFF), "unknown reason");
}

/* A record as QEMU writes it for a write to an unmapped page by 00:03.0 (legacy mode). */
static void test_format_dma_write(void **state)
{
    uint64_t hi = 0x0018 | (0x05ULL << 32) | (1ULL << 63), lo = 0x200000;
    struct vtd_fault_record r;
    char line[160];
    int n;

    vtd_fault_record_decode(lo, hi, &r);
    assert_false(r.is_read);
    n = vtd_fault_format(line, sizeof(line), "vtd0", 0, &r);
    assert_string_equal(line, "vtd0: fault: 0000:00:03.0 write iova 0x0000000000200000 reason 0x05 "
                              "(write not permitted by the page table)");
    assert_int_equal(n, strlen(line));
    /* truncation keeps snprintf semantics */
    assert_int_equal(vtd_fault_format(line, 10, "vtd0", 0, &r), n);
    assert_string_equal(line, "vtd0: fau");
}

static void test_format_read_with_pasid(void **state)
{
    uint64_t hi = 0xFF17 | (0x71ULL << 32) | (1ULL << 31) | (0x1234ULL << 40) | (1ULL << 62) | (1ULL << 63);
    struct vtd_fault_record r;
    char line[160];

    vtd_fault_record_decode(0xFFFFFFFFFFFFF123ULL, hi, &r);
    assert_true(r.is_read);
    assert_int_equal(r.addr, 0xFFFFFFFFFFFFF000ULL);
    vtd_fault_format(line, sizeof(line), "vtd1", 2, &r);
    assert_string_equal(line, "vtd1: fault: 0002:ff:02.7 read iova 0xfffffffffffff000 pasid 0x1234 reason 0x71 "
                              "(first-stage entry not present)");
}

static void test_format_interrupt_fault(void **state)
{
    uint64_t hi = 0x00F8 | (0x22ULL << 32) | (1ULL << 63), lo = 0x0005ULL << 48;
    struct vtd_fault_record r;
    char line[160];

    vtd_fault_record_decode(lo, hi, &r);
    assert_int_equal(r.ir_index, 5);
    vtd_fault_format(line, sizeof(line), "vtd0", 0, &r);
    assert_string_equal(line, "vtd0: fault: 0000:00:1f.0 interrupt index 0x0005 reason 0x22 "
                              "(interrupt remapping entry not present)");
}

static void test_format_unknown_reason(void **state)
{
    struct vtd_fault_record r = { .fault = true, .reason = 0x3F, .sid = 0x0100, .addr = 0x1000 };
    char line[160];

    vtd_fault_format(line, sizeof(line), "vtd0", 0, &r);
    assert_string_equal(line, "vtd0: fault: 0000:01:00.0 write iova 0x0000000000001000 reason 0x3f (unknown reason)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_reason_code),
        cmocka_unit_test(test_reason_names),
        cmocka_unit_test(test_format_dma_write),
        cmocka_unit_test(test_format_read_with_pasid),
        cmocka_unit_test(test_format_interrupt_fault),
        cmocka_unit_test(test_format_unknown_reason),
    };

    return UNIT_RUN(tests);
}
