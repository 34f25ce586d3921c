// SPDX-License-Identifier: GPL-2.0-only
#include "tests/unit/support.h"

#include <string.h>

#include "kernel/acpi/dmar.h"
#include "tests/unit/acpi_fixtures.h"

static uint8_t tbuf[4096];
static struct dmar_info info;

static const uint8_t P_IOAPIC[] = { 0x00, 0x0 };
static const uint8_t P_ENDPOINT[] = { 0x03, 0x0 };
static const uint8_t P_BRIDGE[] = { 0x1c, 0x0 };
static const uint8_t P_HPET[] = { 0x1f, 0x0 };
static const uint8_t P_ACPI[] = { 0x15, 0x1 };
static const uint8_t P_BEHIND[] = { 0x1c, 0x0, 0x00, 0x0 };

/* A DMAR with every structure and every scope type, as a real server lists them. */
static size_t build_full(struct fx *f)
{
    size_t s;

    fx_init(f, tbuf, sizeof(tbuf));
    fx_dmar_header(f, 47, DMAR_FLAG_INTR_REMAP | DMAR_FLAG_X2APIC_OPT_OUT);
    s = fx_drhd_begin(f, 0, 0, 0, 0xfed90000);
    fx_scope(f, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 1, P_ENDPOINT);
    fx_scope(f, DMAR_SCOPE_PCI_SUBHIERARCHY, 0, 0, 1, P_BRIDGE);
    fx_end16(f, s);
    s = fx_drhd_begin(f, DMAR_DRHD_INCLUDE_PCI_ALL, 1, 0, 0xfed91000);
    fx_scope(f, DMAR_SCOPE_IOAPIC, 2, 0xf0, 1, P_IOAPIC);
    fx_scope(f, DMAR_SCOPE_HPET, 0, 0, 1, P_HPET);
    fx_scope(f, DMAR_SCOPE_ACPI_NAMESPACE, 1, 0, 1, P_ACPI);
    fx_end16(f, s);
    s = fx_rmrr_begin(f, 0, 0x7d000000, 0x7d0fffff);
    fx_scope(f, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 2, P_BEHIND);
    fx_end16(f, s);
    s = fx_atsr_begin(f, DMAR_TYPE_ATSR, DMAR_ATSR_ALL_PORTS, 0);
    fx_end16(f, s);
    s = fx_begin16(f, DMAR_TYPE_RHSA);
    fx_u32(f, 0);
    fx_u64(f, 0xfed90000);
    fx_u32(f, 1);
    fx_end16(f, s);
    s = fx_begin16(f, DMAR_TYPE_ANDD);
    fx_zeros(f, 3);
    fx_u8(f, 1);
    fx_bytes(f, "\\_SB.PCI0.I2C0", 15);
    fx_end16(f, s);
    s = fx_atsr_begin(f, DMAR_TYPE_SATC, DMAR_SATC_ATC_REQUIRED, 0);
    fx_scope(f, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 1, P_ENDPOINT);
    fx_end16(f, s);
    s = fx_atsr_begin(f, DMAR_TYPE_SIDP, 0, 0);
    fx_end16(f, s);
    return fx_finish(f);
}

static void test_full_table(void **state)
{
    struct fx f;
    size_t len = build_full(&f);

    unit_log_reset();
    assert_int_equal(dmar_parse(tbuf, len, &info), 0);
    assert_int_equal(info.host_addr_width, 48);
    assert_int_equal(info.flags, 3);
    assert_int_equal(info.ndrhd, 2);
    assert_true(info.drhd[0].base == 0xfed90000);
    assert_false(info.drhd[0].include_pci_all);
    assert_int_equal(info.drhd[0].scopes.count, 2);
    assert_true(info.drhd[1].include_pci_all);
    assert_true(info.drhd[1].reg_size_bytes == 8192);
    assert_int_equal(info.drhd[1].scopes.count, 3);
    assert_int_equal(info.scopes[info.drhd[1].scopes.first].enum_id, 2);
    assert_int_equal(info.nrmrr, 1);
    assert_true(info.rmrr[0].limit == 0x7d0fffff);
    assert_int_equal(info.scopes[info.rmrr[0].scopes.first].path_len, 2);
    assert_int_equal(info.natsr, 1);
    assert_int_equal(info.atsr[0].scopes.count, 0);
    assert_int_equal(info.nrhsa, 1);
    assert_int_equal(info.rhsa[0].proximity_domain, 1);
    assert_int_equal(info.nandd, 1);
    assert_string_equal(info.andd[0].object_name, "\\_SB.PCI0.I2C0");
    assert_int_equal(info.nsatc, 1);
    assert_int_equal(info.satc[0].scopes.count, 1);
    assert_int_equal(info.skipped, 0);
    assert_true(unit_log_contains("dmar: sidp at offset"));

    unit_log_reset();
    dmar_log_summary(&info);
    assert_true(unit_log_contains("dmar: host address width 48, flags 0x3 (intr-remap x2apic-opt-out)\n"));
    assert_true(unit_log_contains("dmar: drhd0 base 0x00000000fed90000 segment 0 flags 0x0 size 4 KiB\n"
                                  "dmar:   scope endpoint path 00:03.0\n"
                                  "dmar:   scope bridge path 00:1c.0\n"));
    assert_true(unit_log_contains("dmar: drhd1 base 0x00000000fed91000 segment 0 flags 0x1 (include-pci-all) size 8 KiB\n"
                                  "dmar:   scope ioapic id 2 path f0:00.0\n"
                                  "dmar:   scope hpet id 0 path 00:1f.0\n"
                                  "dmar:   scope acpi-namespace id 1 path 00:15.1\n"));
    assert_true(unit_log_contains("dmar: rmrr 0x000000007d000000 - 0x000000007d0fffff segment 0\n"
                                  "dmar:   scope endpoint path 00:1c.0/00.0\n"));
    assert_true(unit_log_contains("dmar: atsr segment 0 flags 0x1 (all-ports)\n"));
    assert_true(unit_log_contains("dmar: satc segment 0 flags 0x1 (atc-required)\n"
                                  "dmar:   scope endpoint path 00:03.0\n"));
    assert_true(unit_log_contains("dmar: rhsa base 0x00000000fed90000 proximity domain 1\n"));
    assert_true(unit_log_contains("dmar: andd acpi device 1 name \"\\_SB.PCI0.I2C0\"\n"));
    assert_false(unit_log_contains("skipped"));
    assert_string_equal(dmar_scope_type_name(9), "unknown");
}

/* The DMAR of QEMU 10.0 q35 with -device intel-iommu -device edu, as dumped from guest memory. */
static const uint8_t qemu_q35_dmar[] = {
    0x44, 0x4d, 0x41, 0x52, 0x70, 0x00, 0x00, 0x00, 0x01, 0x1f, 0x42, 0x4f,
    0x43, 0x48, 0x53, 0x20, 0x42, 0x58, 0x50, 0x43, 0x20, 0x20, 0x20, 0x20,
    0x01, 0x00, 0x00, 0x00, 0x42, 0x58, 0x50, 0x43, 0x01, 0x00, 0x00, 0x00,
    0x2f, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xd9, 0xfe,
    0x00, 0x00, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x00, 0xff, 0x00, 0x00,
    0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x1f, 0x00,
    0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x1f, 0x02, 0x01, 0x08, 0x00, 0x00,
    0x00, 0x00, 0x1f, 0x03,
};

static void test_qemu_q35_table(void **state)
{
    unit_log_reset();
    assert_int_equal(dmar_parse(qemu_q35_dmar, sizeof(qemu_q35_dmar), &info), 0);
    assert_int_equal(info.skipped, 0);
    dmar_log_summary(&info);
    assert_true(unit_log_contains("dmar: host address width 48, flags 0x1 (intr-remap)\n"
                                  "dmar: drhd0 base 0x00000000fed90000 segment 0 flags 0x0 size 4 KiB\n"
                                  "dmar:   scope ioapic id 0 path ff:00.0\n"
                                  "dmar:   scope endpoint path 00:00.0\n"
                                  "dmar:   scope endpoint path 00:01.0\n"));
    assert_int_equal(dmar_unit_for_device(&info, 0, 0, 1, 0, NULL), 0);
    assert_int_equal(dmar_unit_for_device(&info, 0, 0, 2, 0, NULL), -1);
}

static void test_header_problems(void **state)
{
    struct fx f;
    size_t len = build_full(&f);

    unit_log_reset();
    tbuf[40] ^= 1;
    assert_true(dmar_parse(tbuf, len, &info) < 0);
    assert_true(unit_log_contains("dmar: table has a bad checksum, ignored"));
    tbuf[40] ^= 1;
    assert_true(dmar_parse(tbuf, len - 1, &info) < 0);
    assert_true(unit_log_contains("dmar: table is truncated (length"));
    assert_true(dmar_parse(tbuf, 20, &info) < 0);
    assert_true(dmar_parse(NULL, 0, &info) < 0);
    memcpy(tbuf, "DMAX", 4);
    assert_true(dmar_parse(tbuf, len, &info) < 0);
    assert_true(unit_log_contains("wrong signature"));

    /* a header without the HAW/flags part */
    fx_init(&f, tbuf, sizeof(tbuf));
    fx_header(&f, "DMAR", 1);
    fx_zeros(&f, 4);
    len = fx_finish(&f);
    unit_log_reset();
    assert_true(dmar_parse(tbuf, len, &info) < 0);
    assert_true(unit_log_contains("shorter than its header"));
}

static void test_empty_table(void **state)
{
    struct fx f;
    size_t len;

    fx_init(&f, tbuf, sizeof(tbuf));
    fx_dmar_header(&f, 11, 0);   /* HAW 12 bits: implausible */
    len = fx_finish(&f);
    unit_log_reset();
    assert_int_equal(dmar_parse(tbuf, len, &info), 0);
    assert_int_equal(info.ndrhd, 0);
    assert_true(unit_log_contains("dmar: table lists no usable remapping unit (no DRHD)"));
    assert_true(unit_log_contains("host address width 12 bits is implausible"));
    unit_log_reset();
    dmar_log_summary(&info);
    assert_true(unit_log_contains("dmar: host address width 12, flags 0x0\n"));
}

static void test_unknown_and_bad_lengths(void **state)
{
    struct fx f;
    size_t s, len;

    fx_init(&f, tbuf, sizeof(tbuf));
    fx_dmar_header(&f, 38, 0);
    s = fx_begin16(&f, 0x77);
    fx_zeros(&f, 8);
    fx_end16(&f, s);
    s = fx_drhd_begin(&f, 0, 0, 0, 0xfed90000);
    fx_end16(&f, s);
    s = fx_begin16(&f, DMAR_TYPE_DRHD);   /* shorter than a DRHD's fixed part */
    fx_zeros(&f, 4);
    fx_end16(&f, s);
    s = fx_begin16(&f, DMAR_TYPE_RMRR);
    fx_zeros(&f, 4);
    fx_end16(&f, s);
    s = fx_begin16(&f, DMAR_TYPE_ATSR);
    fx_end16(&f, s);
    s = fx_begin16(&f, DMAR_TYPE_SATC);
    fx_end16(&f, s);
    s = fx_begin16(&f, DMAR_TYPE_RHSA);
    fx_zeros(&f, 4);
    fx_end16(&f, s);
    s = fx_begin16(&f, DMAR_TYPE_ANDD);
    fx_zeros(&f, 4);
    fx_end16(&f, s);
    s = fx_begin16(&f, DMAR_TYPE_RMRR);  /* zero length: cannot advance */
    fx_zeros(&f, 20);
    len = fx_finish(&f);
    unit_log_reset();
    assert_int_equal(dmar_parse(tbuf, len, &info), 0);
    assert_int_equal(info.host_addr_width, 39);
    assert_int_equal(info.ndrhd, 1);
    assert_int_equal(info.nrmrr + info.natsr + info.nsatc + info.nrhsa + info.nandd, 0);
    assert_int_equal(info.skipped, 8);
    assert_true(unit_log_contains("dmar: unknown structure type 119 at offset 48 (length 12), skipped"));
    assert_true(unit_log_contains("dmar: drhd at offset 76 has length 8, shorter than its fixed part (16), skipped"));
    assert_true(unit_log_contains("dmar: andd at offset"));
    assert_true(unit_log_contains("has length 0 (24 bytes left), rest of table ignored"));

    /* a structure running past the table end; then trailing bytes too short for a header */
    fx_init(&f, tbuf, sizeof(tbuf));
    fx_dmar_header(&f, 47, 0);
    s = fx_drhd_begin(&f, 0, 0, 0, 0xfed90000);
    fx_end16(&f, s);
    fx_zeros(&f, 2);
    len = fx_finish(&f);
    unit_log_reset();
    assert_int_equal(dmar_parse(tbuf, len, &info), 0);
    assert_int_equal(info.ndrhd, 1);
    assert_true(unit_log_contains("dmar: 2 trailing bytes at offset 64, ignored"));
    tbuf[50] = 200;
    fx_fix_checksum(tbuf);
    unit_log_reset();
    assert_int_equal(dmar_parse(tbuf, len, &info), 0);
    assert_int_equal(info.ndrhd, 0);
    assert_true(unit_log_contains("dmar: structure type 0 at offset 48 has length 200 (18 bytes left)"));
}

static void test_bad_scopes(void **state)
{
    static const uint8_t bad_dev[] = { 0x20, 0x0 };
    static const uint8_t long_path[] = { 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0 };
    struct fx f;
    size_t s, sc, len;

    fx_init(&f, tbuf, sizeof(tbuf));
    fx_dmar_header(&f, 47, 0);
    s = fx_drhd_begin(&f, 0, 0, 0, 0xfed90000);
    fx_scope(&f, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 1, P_ENDPOINT);   /* kept */
    fx_scope(&f, 9, 0, 0, 1, P_ENDPOINT);                         /* unknown scope type */
    fx_scope(&f, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 0, NULL);         /* empty path */
    fx_scope(&f, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 9, long_path);    /* path too long */
    fx_scope(&f, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 1, bad_dev);      /* device 0x20 */
    sc = fx_begin8(&f, DMAR_SCOPE_PCI_ENDPOINT);                  /* odd length */
    fx_zeros(&f, 5);
    fx_end8(&f, sc);
    sc = fx_begin8(&f, DMAR_SCOPE_PCI_ENDPOINT);                  /* runs past the DRHD */
    fx_zeros(&f, 6);
    fx_end8(&f, sc);
    f.buf[sc + 1] = 40;
    fx_end16(&f, s);
    s = fx_rmrr_begin(&f, 0, 0x1000, 0x1fff);
    fx_u8(&f, DMAR_SCOPE_PCI_ENDPOINT);                           /* a lone byte: no length */
    fx_end16(&f, s);
    len = fx_finish(&f);
    unit_log_reset();
    assert_int_equal(dmar_parse(tbuf, len, &info), 0);
    assert_int_equal(info.ndrhd, 1);
    assert_int_equal(info.drhd[0].scopes.count, 1);
    assert_int_equal(info.nrmrr, 1);
    assert_int_equal(info.rmrr[0].scopes.count, 0);
    assert_int_equal(info.skipped, 7);
    assert_true(unit_log_contains("device scope type 9 at offset"));
    assert_true(unit_log_contains("has a path of 0 elements (1-8), skipped"));
    assert_true(unit_log_contains("has a path of 9 elements (1-8), skipped"));
    assert_true(unit_log_contains("names device 20.0, skipped"));
    assert_true(unit_log_contains("has an odd length 7, skipped"));
    assert_true(unit_log_contains("has length 40 (8 bytes left), remaining scopes ignored"));
    assert_true(unit_log_contains("dmar: rmrr at offset"));
    assert_true(unit_log_contains("has length 0 (1 bytes left), remaining scopes ignored"));
    unit_log_reset();
    dmar_log_summary(&info);
    assert_true(unit_log_contains("dmar: 7 malformed or conflicting structures or scopes were skipped"));
}

static void test_overlaps_and_units(void **state)
{
    struct fx f;
    size_t s, len;

    fx_init(&f, tbuf, sizeof(tbuf));
    fx_dmar_header(&f, 47, 0);
    s = fx_drhd_begin(&f, 0, 0, 0, 0xfed90000);
    fx_scope(&f, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 1, P_ENDPOINT);
    fx_scope(&f, DMAR_SCOPE_IOAPIC, 0, 0xff, 1, P_IOAPIC);
    fx_end16(&f, s);
    s = fx_drhd_begin(&f, DMAR_DRHD_INCLUDE_PCI_ALL, 0, 0, 0xfed91000);
    fx_scope(&f, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 1, P_ENDPOINT);   /* same device as drhd0 */
    fx_scope(&f, DMAR_SCOPE_IOAPIC, 0, 0xf0, 1, P_ENDPOINT);      /* same IOAPIC id as drhd0 */
    fx_scope(&f, DMAR_SCOPE_HPET, 0, 0, 1, P_HPET);
    fx_end16(&f, s);
    s = fx_drhd_begin(&f, DMAR_DRHD_INCLUDE_PCI_ALL, 0, 0, 0xfed92000);  /* second PCI_ALL on segment 0 */
    fx_end16(&f, s);
    s = fx_drhd_begin(&f, DMAR_DRHD_INCLUDE_PCI_ALL, 0, 1, 0xfed93000);  /* segment 1: fine */
    fx_scope(&f, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 1, P_ENDPOINT);          /* other segment: no overlap */
    fx_end16(&f, s);
    s = fx_drhd_begin(&f, 0, 0, 0, 0xfed90000);   /* repeated base */
    fx_end16(&f, s);
    s = fx_drhd_begin(&f, 0, 0, 0, 0xfed94800);   /* base not a page */
    fx_end16(&f, s);
    s = fx_begin16(&f, DMAR_TYPE_RHSA);           /* names no DRHD */
    fx_u32(&f, 0);
    fx_u64(&f, 0xdead0000);
    fx_u32(&f, 0);
    fx_end16(&f, s);
    len = fx_finish(&f);
    unit_log_reset();
    assert_int_equal(dmar_parse(tbuf, len, &info), 0);
    assert_int_equal(info.ndrhd, 4);
    assert_int_equal(info.drhd[1].scopes.count, 1);
    assert_true(info.drhd[1].include_pci_all);
    assert_false(info.drhd[2].include_pci_all);
    assert_true(info.drhd[3].include_pci_all);
    assert_int_equal(info.drhd[3].scopes.count, 1);
    assert_int_equal(info.nrhsa, 1);
    assert_true(unit_log_contains("dmar: firmware bug: drhd1 at offset 80 repeats the endpoint scope "
                                  "(id 0, path 00:03.0) of drhd0, ignored"));
    assert_true(unit_log_contains("repeats the ioapic scope (id 0, path f0:03.0) of drhd0, ignored"));
    assert_true(unit_log_contains("dmar: firmware bug: drhd1 and drhd2 both include all PCI devices of segment 0; drhd1 keeps them"));
    assert_true(unit_log_contains("repeats the base 0x00000000fed90000 of drhd0, skipped"));
    assert_true(unit_log_contains("has register base 0x00000000fed94800 (not a page), skipped"));
    assert_true(unit_log_contains("dmar: rhsa at offset"));

    /* explicit scope first, then INCLUDE_PCI_ALL of the segment, else none */
    assert_int_equal(dmar_unit_for_device(&info, 0, 0, 3, 0, NULL), 0);
    assert_int_equal(dmar_unit_for_device(&info, 0, 0, 4, 0, NULL), 1);
    assert_int_equal(dmar_unit_for_device(&info, 1, 0, 3, 0, NULL), 3);
    assert_int_equal(dmar_unit_for_device(&info, 1, 5, 0, 0, NULL), 3);
    assert_int_equal(dmar_unit_for_device(&info, 2, 0, 3, 0, NULL), -1);
}

static void test_rmrr_sanity(void **state)
{
    struct fx f;
    size_t s, len;

    fx_init(&f, tbuf, sizeof(tbuf));
    fx_dmar_header(&f, 47, 0);
    s = fx_rmrr_begin(&f, 0, 0x2000, 0x1fff);      /* limit below base */
    fx_end16(&f, s);
    s = fx_rmrr_begin(&f, 0, 0x3100, 0x3fff);      /* base not page aligned */
    fx_end16(&f, s);
    s = fx_rmrr_begin(&f, 0, 0x5000, 0x5ffe);      /* limit + 1 not page aligned */
    fx_end16(&f, s);
    len = fx_finish(&f);
    unit_log_reset();
    assert_int_equal(dmar_parse(tbuf, len, &info), 0);
    assert_int_equal(info.nrmrr, 2);
    assert_int_equal(info.skipped, 1);
    assert_true(unit_log_contains("has limit 0x0000000000001fff below base 0x0000000000002000, skipped"));
    assert_true(unit_log_contains("rmrr 0x0000000000003100 - 0x0000000000003fff is not page aligned"));
    assert_true(unit_log_contains("rmrr 0x0000000000005000 - 0x0000000000005ffe is not page aligned"));
}

static void test_capacity_limits(void **state)
{
    static uint8_t big[65536];
    struct fx f;
    size_t s, len;

    fx_init(&f, big, sizeof(big));
    fx_dmar_header(&f, 47, 0);
    for (unsigned i = 0; i < DMAR_MAX_DRHD + 1; i++) {
        s = fx_drhd_begin(&f, 0, 0, 0, 0xfe000000 + 0x1000ull * i);
        for (unsigned k = 0; k < 20; k++) {
            uint8_t p[2] = { (uint8_t)(k & 31), (uint8_t)(i & 7) };
            fx_scope(&f, DMAR_SCOPE_PCI_ENDPOINT, 0, (uint8_t)i, 1, p);
        }
        fx_end16(&f, s);
    }
    for (unsigned i = 0; i < DMAR_MAX_RMRR + 1; i++)
        fx_end16(&f, fx_rmrr_begin(&f, 0, 0x1000, 0x1fff));
    for (unsigned i = 0; i < DMAR_MAX_ATSR + 1; i++)
        fx_end16(&f, fx_atsr_begin(&f, DMAR_TYPE_ATSR, 0, 0));
    for (unsigned i = 0; i < DMAR_MAX_RHSA + 1; i++) {
        s = fx_begin16(&f, DMAR_TYPE_RHSA);
        fx_zeros(&f, 4);
        fx_u64(&f, 0xfe000000);
        fx_u32(&f, i);
        fx_end16(&f, s);
    }
    for (unsigned i = 0; i < DMAR_MAX_ANDD + 1; i++) {
        s = fx_begin16(&f, DMAR_TYPE_ANDD);
        fx_zeros(&f, 3);
        fx_u8(&f, (uint8_t)i);
        fx_bytes(&f, "\\_SB.\x01X", 7);   /* no NUL, a control character */
        fx_end16(&f, s);
    }
    for (unsigned i = 0; i < DMAR_MAX_SATC + 1; i++)
        fx_end16(&f, fx_atsr_begin(&f, DMAR_TYPE_SATC, 0, 0));
    len = fx_finish(&f);
    unit_log_reset();
    assert_int_equal(dmar_parse(big, len, &info), 0);
    assert_int_equal(info.ndrhd, DMAR_MAX_DRHD);
    assert_int_equal(info.nscopes, DMAR_MAX_SCOPES);
    assert_int_equal(info.nrmrr, DMAR_MAX_RMRR);
    assert_int_equal(info.natsr, DMAR_MAX_ATSR);
    assert_int_equal(info.nrhsa, DMAR_MAX_RHSA);
    assert_int_equal(info.nandd, DMAR_MAX_ANDD);
    assert_int_equal(info.nsatc, DMAR_MAX_SATC);
    assert_string_equal(info.andd[0].object_name, "\\_SB.?X");
    assert_true(unit_log_contains("dmar: more than 256 device scopes, the rest ignored"));
    assert_true(unit_log_contains("dmar: drhd at offset"));
    assert_true(unit_log_contains(": more than 16, ignored"));
    assert_true(unit_log_contains(": more than 32, ignored"));
}

/*
 * Fake config space: bus 0 has a bridge at 1c.0 (secondary 2, subordinate 4) and an
 * endpoint at 03.0; bus 2 has a bridge at 00.0 with secondary 0 (unconfigured);
 * 1d.0 is a bridge whose secondary bus points back to bus 0.
 */
static uint8_t fake_cfg(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
    bool bridge = bus == 0 && (dev == 0x1c || dev == 0x1d) && fn == 0;
    bool bridge2 = bus == 2 && dev == 0 && fn == 0;
    bool endpoint = (bus == 0 && dev == 3 && fn == 0) || (bus == 3 && dev == 0 && fn == 0);

    if (seg != 0 || !(bridge || bridge2 || endpoint))
        return 0xff;
    switch (off) {
    case 0x00: return 0x86;
    case 0x01: return 0x80;
    case 0x0e: return endpoint ? 0x80 : 0x01;
    case 0x19: return bridge2 ? 0 : (dev == 0x1d ? 0 : 2);
    case 0x1a: return 4;
    default: return 0;
    }
}

static void test_scope_resolve(void **state)
{
    struct dmar_scope s = { .type = DMAR_SCOPE_PCI_ENDPOINT, .start_bus = 0, .path_len = 2,
                            .path = { { 0x1c, 0 }, { 0, 1 } } };
    uint8_t b, d, fn;

    assert_int_equal(dmar_scope_resolve(&s, 0, fake_cfg, &b, &d, &fn), 0);
    assert_int_equal(b, 2);
    assert_int_equal(d, 0);
    assert_int_equal(fn, 1);

    s.path[0].dev = 3;   /* an endpoint is no bridge */
    assert_true(dmar_scope_resolve(&s, 0, fake_cfg, &b, &d, &fn) < 0);
    s.path[0].dev = 5;   /* absent */
    assert_true(dmar_scope_resolve(&s, 0, fake_cfg, &b, &d, &fn) < 0);
    s.path[0].dev = 0x1d;   /* bridge pointing back up */
    assert_true(dmar_scope_resolve(&s, 0, fake_cfg, &b, &d, &fn) < 0);
    s.path[0].dev = 0x1c;
    assert_true(dmar_scope_resolve(&s, 0, NULL, &b, &d, &fn) < 0);
    s.path[0].fn = 8;
    assert_true(dmar_scope_resolve(&s, 0, fake_cfg, &b, &d, &fn) < 0);
    s.path[0].fn = 0;
    s.path_len = 3;      /* through the unconfigured bridge at 02:00.0 */
    assert_true(dmar_scope_resolve(&s, 0, fake_cfg, &b, &d, &fn) < 0);
    s.path_len = 0;
    assert_true(dmar_scope_resolve(&s, 0, fake_cfg, &b, &d, &fn) < 0);
    assert_true(dmar_scope_resolve(NULL, 0, fake_cfg, &b, &d, &fn) < 0);
}

static void test_unit_for_device_through_bridge(void **state)
{
    static const uint8_t behind[] = { 0x1c, 0, 0x00, 0 };
    static const uint8_t bad[] = { 0x03, 0, 0x00, 0 };
    struct fx f;
    size_t s, len;

    fx_init(&f, tbuf, sizeof(tbuf));
    fx_dmar_header(&f, 47, 0);
    s = fx_drhd_begin(&f, 0, 0, 0, 0xfed90000);
    fx_scope(&f, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 2, behind);          /* 02:00.0 */
    fx_scope(&f, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 2, bad);             /* unresolvable */
    fx_scope(&f, DMAR_SCOPE_IOAPIC, 0, 0, 1, P_IOAPIC);              /* not a PCI device */
    fx_end16(&f, s);
    s = fx_drhd_begin(&f, 0, 0, 0, 0xfed91000);
    fx_scope(&f, DMAR_SCOPE_PCI_SUBHIERARCHY, 0, 0, 1, P_BRIDGE);    /* buses 2-4 */
    fx_scope(&f, DMAR_SCOPE_PCI_SUBHIERARCHY, 0, 0, 1, P_HPET);      /* 1f.0: absent */
    fx_end16(&f, s);
    s = fx_drhd_begin(&f, DMAR_DRHD_INCLUDE_PCI_ALL, 0, 0, 0xfed92000);
    fx_end16(&f, s);
    len = fx_finish(&f);
    assert_int_equal(dmar_parse(tbuf, len, &info), 0);
    assert_int_equal(info.ndrhd, 3);

    assert_int_equal(dmar_unit_for_device(&info, 0, 2, 0, 0, fake_cfg), 0);
    assert_int_equal(dmar_unit_for_device(&info, 0, 0, 0x1c, 0, fake_cfg), 1);
    assert_int_equal(dmar_unit_for_device(&info, 0, 3, 0, 0, fake_cfg), 1);
    assert_int_equal(dmar_unit_for_device(&info, 0, 5, 0, 0, fake_cfg), 2);
    assert_int_equal(dmar_unit_for_device(&info, 0, 0, 3, 0, fake_cfg), 2);
    assert_int_equal(dmar_unit_for_device(&info, 1, 0, 3, 0, fake_cfg), -1);
}

static unsigned log_count(const char *needle)
{
    unsigned n = 0;

    for (const char *p = unit_log_text(); (p = strstr(p, needle)); p++)
        n++;
    return n;
}

/* Thousands of malformed structures or scopes: a bounded number of log lines, then the rest ignored. */
static void test_problem_flood_is_bounded(void **state)
{
    struct fx f;
    size_t len, s;

    fx_init(&f, tbuf, sizeof(tbuf));
    fx_dmar_header(&f, 47, 0);
    for (int i = 0; i < 1000; i++)
        fx_end16(&f, fx_begin16(&f, 99));
    len = fx_finish(&f);
    unit_log_reset();
    assert_int_equal(dmar_parse(tbuf, len, &info), 0);
    assert_int_equal(log_count("unknown structure type 99"), 64);
    assert_true(unit_log_contains("dmar: 64 malformed structures or scopes, rest of table from offset 304 ignored"));
    assert_int_equal(info.skipped, 64);

    fx_init(&f, tbuf, sizeof(tbuf));
    fx_dmar_header(&f, 47, 0);
    s = fx_drhd_begin(&f, 0, 0, 0, 0xfed90000);
    for (int i = 0; i < 400; i++)
        fx_scope(&f, 9, 0, 0, 1, P_ENDPOINT);    /* unknown scope type */
    fx_end16(&f, s);
    len = fx_finish(&f);
    unit_log_reset();
    assert_int_equal(dmar_parse(tbuf, len, &info), 0);
    assert_int_equal(log_count("device scope type 9"), 64);
    assert_int_equal(info.ndrhd, 1);
    assert_int_equal(info.drhd[0].scopes.count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_table),
        cmocka_unit_test(test_qemu_q35_table),
        cmocka_unit_test(test_header_problems),
        cmocka_unit_test(test_empty_table),
        cmocka_unit_test(test_unknown_and_bad_lengths),
        cmocka_unit_test(test_bad_scopes),
        cmocka_unit_test(test_overlaps_and_units),
        cmocka_unit_test(test_rmrr_sanity),
        cmocka_unit_test(test_capacity_limits),
        cmocka_unit_test(test_scope_resolve),
        cmocka_unit_test(test_unit_for_device_through_bridge),
        cmocka_unit_test(test_problem_flood_is_bounded),
    };
    return UNIT_RUN(tests);
}
