// SPDX-License-Identifier: GPL-2.0-only
/* Pure PCI helpers: BDF parsing, address encodings, BAR decoding, names, size formatting. */
#include "tests/unit/support.h"

#include <string.h>

#include "kernel/pci/pci_internal.h"

static void test_parse_bdf_accepts(void **state)
{
    uint16_t seg = 0xdead;
    uint8_t bus = 0xff, dev = 0xff, fn = 0xff;

    assert_true(pci_parse_bdf("00:03.0", &seg, &bus, &dev, &fn));
    assert_int_equal(seg, 0);
    assert_int_equal(bus, 0);
    assert_int_equal(dev, 3);
    assert_int_equal(fn, 0);
    assert_true(pci_parse_bdf("0001:1F:1f.7", &seg, &bus, &dev, &fn));
    assert_int_equal(seg, 1);
    assert_int_equal(bus, 0x1f);
    assert_int_equal(dev, 0x1f);
    assert_int_equal(fn, 7);
    assert_true(pci_parse_bdf("ffff:ff:00.1", &seg, &bus, &dev, &fn));
    assert_int_equal(seg, 0xffff);
    assert_int_equal(bus, 0xff);
    assert_true(pci_parse_bdf("1:2.3", &seg, &bus, &dev, &fn));
    assert_int_equal(seg, 0);
    assert_int_equal(bus, 1);
    assert_int_equal(dev, 2);
    assert_int_equal(fn, 3);
}

static void test_parse_bdf_rejects(void **state)
{
    static const char *const bad[] = {
        "", "00", "00:03", "00:03.", "00:03.8", "00:20.0", "100:03.0", "00:03.0 ", "00:03.00", "x0:03.0",
        "00:003.0", "00000:00:03.0", "0000:000:03.0", "0000:00:03", "0000:00:.0", "0000::03.0", ":00:03.0",
        "00:03:0", "00.03.0", "0000:00:03.0:1",
    };
    uint16_t seg = 0x1234;
    uint8_t bus = 0x56, dev = 0x07, fn = 0x01;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (pci_parse_bdf(bad[i], &seg, &bus, &dev, &fn))
            fail_msg("accepted \"%s\"", bad[i]);
    }
    assert_false(pci_parse_bdf(NULL, &seg, &bus, &dev, &fn));
    /* Outputs untouched on failure. */
    assert_int_equal(seg, 0x1234);
    assert_int_equal(bus, 0x56);
    assert_int_equal(dev, 0x07);
    assert_int_equal(fn, 0x01);
}

static void test_addresses(void **state)
{
    assert_true(pci_ecam_offset(0, 0, 0, 0) == 0);
    assert_true(pci_ecam_offset(1, 0, 0, 0) == 0x100000);
    assert_true(pci_ecam_offset(0xff, 31, 7, 0xffc) == 0x0ffffffcull);
    assert_true(pci_ecam_offset(2, 3, 1, 0x10) == (2ull << 20 | 3 << 15 | 1 << 12 | 0x10));
    assert_int_equal(pci_port_address(0, 3, 0, 0x10), 0x80001810);
    assert_int_equal(pci_port_address(0xff, 31, 7, 0xff), 0x80fffffc);
    assert_int_equal(pci_port_address(1, 0, 0, 0x0e), 0x8001000c);
}

static struct pci_bar decode(uint32_t lo, uint32_t lo_sized, uint32_t hi, uint32_t hi_sized, bool have_hi,
                             unsigned *slots)
{
    struct pci_bar_probe p = { .lo = lo, .lo_sized = lo_sized, .hi = hi, .hi_sized = hi_sized };
    struct pci_bar b;

    memset(&b, 0xaa, sizeof(b));
    *slots = pci_bar_decode(&p, have_hi, &b);
    return b;
}

static void test_bar_decode(void **state)
{
    unsigned slots;
    struct pci_bar b;

    b = decode(0xfea00000, 0xfff00000, 0, 0, false, &slots);
    assert_int_equal(slots, 1);
    assert_true(b.base == 0xfea00000 && b.size == 1 << 20 && !b.io && !b.mem64 && !b.prefetch);

    b = decode(0xc001, 0xffffffe1, 0, 0, false, &slots);
    assert_int_equal(slots, 1);
    assert_true(b.io && b.base == 0xc000 && b.size == 32);

    /* A 16-bit I/O decoder leaves the upper half zero. */
    b = decode(0xc041, 0x0000ffc1, 0, 0, false, &slots);
    assert_true(b.io && b.base == 0xc040 && b.size == 64);

    b = decode(0x0000000c, 0xffffc00c, 0x00000008, 0xffffffff, true, &slots);
    assert_int_equal(slots, 2);
    assert_true(b.mem64 && b.prefetch && b.base == 0x800000000ull && b.size == 16 << 10);

    /* 64-bit BAR larger than 4 GiB: the size comes from the upper dword. */
    b = decode(0x0000000c, 0x0000000c, 0x00000010, 0xfffffff0, true, &slots);
    assert_int_equal(slots, 2);
    assert_true(b.base == 0x1000000000ull && b.size == 0x1000000000ull);

    /* 64-bit with no decoder: both slots consumed, nothing recorded. */
    b = decode(0x00000004, 0x00000004, 0, 0, true, &slots);
    assert_int_equal(slots, 2);
    assert_true(b.size == 0 && b.base == 0 && !b.mem64);

    b = decode(0x00000004, 0xfffff004, 0, 0, false, &slots);
    assert_int_equal(slots, 1);
    assert_true(b.size == 0);

    b = decode(0x000e0002, 0xfffe0002, 0, 0, false, &slots);
    assert_true(b.base == 0xe0000 && b.size == 128 << 10 && !b.mem64);

    b = decode(0x00000006, 0xfffff006, 0, 0, false, &slots);
    assert_int_equal(slots, 1);
    assert_true(b.size == 0);

    b = decode(0, 0, 0, 0, false, &slots);
    assert_true(slots == 1 && b.size == 0 && b.base == 0);
    b = decode(0xffffffff, 0xffffffff, 0, 0, false, &slots);
    assert_true(slots == 1 && b.size == 0);
    b = decode(0x1000, 0xffffffff, 0, 0, false, &slots);
    assert_true(slots == 1 && b.size == 0);
    /* I/O BAR whose address bits are all read-only zero. */
    b = decode(0x1, 0x1, 0, 0, false, &slots);
    assert_true(slots == 1 && b.size == 0 && !b.io);
}

static void test_names(void **state)
{
    assert_string_equal(pci_device_name(0x1234, 0x11e8), "edu");
    assert_string_equal(pci_device_name(0x8086, 0x29c0), "Q35 host bridge");
    assert_string_equal(pci_device_name(0x8086, 0x10d3), "e1000e");
    assert_string_equal(pci_device_name(0x1af4, 0x1042), "virtio-blk");
    assert_string_equal(pci_device_name(0x1af4, 0x1050), "virtio");
    assert_null(pci_device_name(0x1af4, 0x1080));
    assert_null(pci_device_name(0x1af4, 0x0fff));
    assert_null(pci_device_name(0xffff, 0xffff));
}

static void test_format_size(void **state)
{
    char buf[24];

    pci_format_size(32, buf, sizeof(buf));
    assert_string_equal(buf, "32 B");
    pci_format_size(4096, buf, sizeof(buf));
    assert_string_equal(buf, "4 KiB");
    pci_format_size(1 << 20, buf, sizeof(buf));
    assert_string_equal(buf, "1 MiB");
    pci_format_size(3ull << 30, buf, sizeof(buf));
    assert_string_equal(buf, "3 GiB");
    pci_format_size(1ull << 63, buf, sizeof(buf));
    assert_string_equal(buf, "8 EiB");
    pci_format_size(1536, buf, sizeof(buf));
    assert_string_equal(buf, "1536 B");
    pci_format_size(0, buf, sizeof(buf));
    assert_string_equal(buf, "0 B");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_bdf_accepts),
        cmocka_unit_test(test_parse_bdf_rejects),
        cmocka_unit_test(test_addresses),
        cmocka_unit_test(test_bar_decode),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_format_size),
    };
    return UNIT_RUN(tests);
}
