// SPDX-License-Identifier: GPL-2.0-only
/* Virtual PCI: mechanism #1, ECAM, the host bridge, absent functions, added functions. */
#include "tests/unit/support.h"

#include <string.h>

#include "kernel/errno.h"
#include "vmm/vpci.h"

static struct iodev_bus bus;
static struct vpci pci;

static int setup(void **state)
{
    memset(&bus, 0, sizeof(bus));
    assert_int_equal(vpci_init(&pci, &bus, "vm0", VPCI_ECAM_BASE, 256), 0);
    return 0;
}

static uint32_t cf8_read(uint8_t b, uint8_t d, uint8_t f, uint8_t reg, unsigned size)
{
    uint64_t v;

    assert_int_equal(iodev_write(&bus, IODEV_PIO, 0xCF8, 4, 0x80000000u | b << 16 | d << 11 | f << 8 | (reg & 0xFC)), 0);
    assert_int_equal(iodev_read(&bus, IODEV_PIO, 0xCFC + (reg & 3), size, &v), 0);
    return (uint32_t)v;
}

static void cf8_write(uint8_t b, uint8_t d, uint8_t f, uint8_t reg, unsigned size, uint32_t val)
{
    assert_int_equal(iodev_write(&bus, IODEV_PIO, 0xCF8, 4, 0x80000000u | b << 16 | d << 11 | f << 8 | (reg & 0xFC)), 0);
    assert_int_equal(iodev_write(&bus, IODEV_PIO, 0xCFC + (reg & 3), size, val), 0);
}

static uint64_t ecam_read(uint8_t b, uint8_t d, uint8_t f, uint16_t reg, unsigned size)
{
    uint64_t v;

    assert_int_equal(iodev_read(&bus, IODEV_MMIO, VPCI_ECAM_BASE + ((uint64_t)b << 20 | d << 15 | f << 12 | reg),
                                size, &v), 0);
    return v;
}

static void ecam_write(uint8_t b, uint8_t d, uint8_t f, uint16_t reg, unsigned size, uint64_t val)
{
    assert_int_equal(iodev_write(&bus, IODEV_MMIO, VPCI_ECAM_BASE + ((uint64_t)b << 20 | d << 15 | f << 12 | reg),
                                 size, val), 0);
}

static void test_host_bridge(void **state)
{
    assert_int_equal(cf8_read(0, 0, 0, 0, 4), 0x29C08086);
    assert_int_equal(cf8_read(0, 0, 0, 2, 2), 0x29C0);
    assert_int_equal(cf8_read(0, 0, 0, 0x0B, 1), 0x06);
    assert_int_equal(cf8_read(0, 0, 0, 0x0E, 1), 0x00);
    assert_int_equal(ecam_read(0, 0, 0, 0, 4), 0x29C08086);
    assert_int_equal(ecam_read(0, 0, 0, 8, 4), 0x06000000);
    assert_int_equal(ecam_read(0, 0, 0, 0, 8), 0x29C08086ULL | ecam_read(0, 0, 0, 4, 4) << 32);
    assert_int_equal(ecam_read(0, 0, 0, 0x100, 4), 0);   /* no extended capabilities */
    /* the command register takes I/O, memory, bus master only */
    cf8_write(0, 0, 0, 4, 2, 0xFFFF);
    assert_int_equal(cf8_read(0, 0, 0, 4, 2), 0x7);
    ecam_write(0, 0, 0, 4, 2, 0x0);
    assert_int_equal(ecam_read(0, 0, 0, 4, 2), 0x0);
    cf8_write(0, 0, 0, 0, 4, 0);                        /* IDs are read-only */
    assert_int_equal(cf8_read(0, 0, 0, 0, 4), 0x29C08086);
    ecam_write(0, 0, 0, 0x200, 4, 1);                    /* beyond the stored space: ignored */
}

static void test_absent_and_malformed(void **state)
{
    uint64_t v;

    assert_int_equal(cf8_read(0, 1, 0, 0, 4), 0xFFFFFFFF);
    assert_int_equal(cf8_read(0, 0, 1, 0, 2), 0xFFFF);
    assert_int_equal(cf8_read(5, 0, 0, 0, 1), 0xFF);
    assert_int_equal(ecam_read(0, 31, 7, 0, 4), 0xFFFFFFFF);
    assert_int_equal(ecam_read(255, 0, 0, 0, 4), 0xFFFFFFFF);
    assert_int_equal(ecam_read(0, 0, 0, 1, 2), 0xFFFF);    /* misaligned */
    assert_int_equal(ecam_read(0, 0, 0, 4, 8), ~0ULL);     /* misaligned qword */
    ecam_write(0, 0, 0, 4, 8, 0);                            /* dropped */
    ecam_write(0, 0, 0, 0, 8, 0x0000000700000000ULL);       /* qword: two dwords */
    assert_int_equal(ecam_read(0, 0, 0, 4, 2), 0x7);
    cf8_write(0, 3, 0, 0, 4, 1);                             /* absent: dropped */
    /* enable bit clear: all ones */
    assert_int_equal(iodev_write(&bus, IODEV_PIO, 0xCF8, 4, 0x00000000), 0);
    assert_int_equal(iodev_read(&bus, IODEV_PIO, 0xCFC, 4, &v), 0);
    assert_int_equal(v, 0xFFFFFFFF);
    assert_int_equal(iodev_write(&bus, IODEV_PIO, 0xCFC, 4, 0), 0);
    /* CONFIG_ADDRESS reads back (reserved bits clear), byte accesses are not it */
    assert_int_equal(iodev_write(&bus, IODEV_PIO, 0xCF8, 4, 0xFFFFFFFF), 0);
    assert_int_equal(iodev_read(&bus, IODEV_PIO, 0xCF8, 4, &v), 0);
    assert_int_equal(v, 0x80FFFFFC);
    assert_int_equal(iodev_write(&bus, IODEV_PIO, 0xCF9, 1, 0x06), 0);   /* reset control: ignored */
    assert_int_equal(iodev_write(&bus, IODEV_PIO, 0xCFA, 2, 0x06), 0);
    assert_int_equal(iodev_read(&bus, IODEV_PIO, 0xCF8, 1, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(iodev_read(&bus, IODEV_PIO, 0xCF8, 4, &v), 0);
    assert_int_equal(v, 0x80FFFFFC);
}

/* A test function: a 4 KiB space that remembers the last write. */
static uint8_t fn_space[0x1000];
static int fn_read(struct vpci_function *f, uint16_t off, unsigned size, uint32_t *value)
{
    if (off == 0x40)
        return -EIO;
    *value = 0;
    memcpy(value, fn_space + off, size);
    return 0;
}
static int fn_write(struct vpci_function *f, uint16_t off, unsigned size, uint32_t value)
{
    memcpy(fn_space + off, &value, size);
    return 0;
}
static const struct vpci_function_ops fn_ops = { fn_read, fn_write };

static void test_added_function(void **state)
{
    struct vpci_function f = { "edu", 0, VPCI_DEVFN(3, 0), &fn_ops, NULL, NULL };
    struct vpci_function dup = f, bad = { "bad", 0, VPCI_DEVFN(4, 0), NULL, NULL, NULL };

    memset(fn_space, 0, sizeof(fn_space));
    fn_space[0] = 0x34, fn_space[1] = 0x12, fn_space[2] = 0xE8, fn_space[3] = 0x11;
    assert_int_equal(vpci_add_function(&pci, &f), 0);
    assert_int_equal(vpci_add_function(&pci, &dup), -EEXIST);
    assert_int_equal(vpci_add_function(&pci, &bad), -EINVAL);
    assert_ptr_equal(vpci_find_function(&pci, 0, VPCI_DEVFN(3, 0)), &f);
    assert_int_equal(cf8_read(0, 3, 0, 0, 4), 0x11E81234);
    assert_int_equal(ecam_read(0, 3, 0, 0, 4), 0x11E81234);
    ecam_write(0, 3, 0, 0x800, 4, 0xCAFEF00D);   /* extended space reaches the function */
    assert_int_equal(ecam_read(0, 3, 0, 0x800, 4), 0xCAFEF00D);
    cf8_write(0, 3, 0, 0x13, 1, 0xAB);            /* byte at offset 0x13 via port 0xCFF */
    assert_int_equal(fn_space[0x13], 0xAB);
    assert_int_equal(cf8_read(0, 3, 0, 0x40, 4), 0xFFFFFFFF); /* a callback error reads all ones */
    assert_int_equal(ecam_read(0, 3, 0, 0xFFC, 4), 0);
    vpci_remove_function(&pci, &f);
    assert_int_equal(cf8_read(0, 3, 0, 0, 4), 0xFFFFFFFF);
    vpci_remove_function(&pci, &f);               /* not there: harmless */
}

static void test_without_ecam_and_conflicts(void **state)
{
    struct iodev_bus b2 = { 0 };
    struct vpci p2, p3;
    struct iodev squatter = { "x", IODEV_PIO, 0xCFC, 4, NULL, NULL, NULL };
    static const struct iodev_ops nop = { NULL, NULL };
    uint64_t v;

    assert_int_equal(vpci_init(&p2, &b2, "vm1", VPCI_ECAM_BASE, 0), 0);
    assert_null(iodev_find(&b2, IODEV_MMIO, VPCI_ECAM_BASE, 4));
    assert_int_equal(iodev_read(&b2, IODEV_MMIO, VPCI_ECAM_BASE, 4, &v), -ENOENT);
    /* a second bus on the same ports fails cleanly */
    assert_int_equal(vpci_init(&p3, &b2, "vm1", VPCI_ECAM_BASE, 1), -EEXIST);
    assert_int_equal(vpci_init(&p3, &b2, "vm1", VPCI_ECAM_BASE, 300), -EINVAL);
    /* data port taken: the address port is released again */
    memset(&b2, 0, sizeof(b2));
    squatter.ops = &nop;
    assert_int_equal(iodev_register(&b2, &squatter), 0);
    assert_int_equal(vpci_init(&p3, &b2, "vm1", VPCI_ECAM_BASE, 1), -EEXIST);
    assert_null(iodev_find(&b2, IODEV_PIO, 0xCF8, 4));
    /* ECAM window taken */
    memset(&b2, 0, sizeof(b2));
    squatter = (struct iodev){ "y", IODEV_MMIO, VPCI_ECAM_BASE, 4, &nop, NULL, NULL };
    assert_int_equal(iodev_register(&b2, &squatter), 0);
    assert_int_equal(vpci_init(&p3, &b2, "vm1", VPCI_ECAM_BASE, 1), -EEXIST);
    assert_null(iodev_find(&b2, IODEV_PIO, 0xCF8, 4));
    assert_null(iodev_find(&b2, IODEV_PIO, 0xCFC, 4));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_host_bridge, setup),
        cmocka_unit_test_setup(test_absent_and_malformed, setup),
        cmocka_unit_test_setup(test_added_function, setup),
        cmocka_unit_test(test_without_ecam_and_conflicts),
    };

    return UNIT_RUN(tests);
}
