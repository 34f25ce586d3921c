// SPDX-License-Identifier: GPL-2.0-only
/* PCI enumeration, BAR sizing and capability walks against a fake configuration space. */
#include "tests/unit/support.h"

#include <string.h>

#include "kernel/errno.h"
#include "kernel/pci/pci_internal.h"
#include "kernel/pci/pci_regs.h"

/* ---- fake configuration space: functions with writable-bit masks on the BARs ---- */

#define FAKE_MAX_FNS 320

struct fake_fn {
    struct pci_bdf a;
    uint8_t cfg[PCI_CFG_SPACE_BYTES];
    uint32_t bar_rw[6];          /* writable bits of each BAR dword */
};

static struct fake_fn fake_fns[FAKE_MAX_FNS];
static unsigned fake_count;
static unsigned fake_sizing_with_decode_on;  /* all-ones BAR writes while decode was on */

static bool same_bdf(struct pci_bdf x, struct pci_bdf y)
{
    return x.seg == y.seg && x.bus == y.bus && x.dev == y.dev && x.fn == y.fn;
}

static struct fake_fn *fake_find(struct pci_bdf a)
{
    for (unsigned i = 0; i < fake_count; i++)
        if (same_bdf(fake_fns[i].a, a))
            return &fake_fns[i];
    return NULL;
}

static void put32(struct fake_fn *f, uint16_t off, uint32_t v) { memcpy(&f->cfg[off], &v, 4); }
static void put16(struct fake_fn *f, uint16_t off, uint16_t v) { memcpy(&f->cfg[off], &v, 2); }
static uint32_t get32(const struct fake_fn *f, uint16_t off) { uint32_t v; memcpy(&v, &f->cfg[off], 4); return v; }
static uint16_t get16(const struct fake_fn *f, uint16_t off) { uint16_t v; memcpy(&v, &f->cfg[off], 2); return v; }

static uint32_t fake_read32(void *ctx, struct pci_bdf a, uint16_t off)
{
    struct fake_fn *f = fake_find(a);

    assert_int_equal(off & 3, 0);
    if (!f || off >= PCI_CFG_SPACE_BYTES)
        return 0xffffffff;
    return get32(f, off);
}

static int bar_index(uint16_t off)
{
    return off >= PCI_CFG_BAR0 && off < PCI_CFG_BAR0 + 24 ? (off - PCI_CFG_BAR0) / 4 : -1;
}

static void fake_write32(void *ctx, struct pci_bdf a, uint16_t off, uint32_t v)
{
    struct fake_fn *f = fake_find(a);
    int bar = bar_index(off);

    assert_int_equal(off & 3, 0);
    if (!f)
        return;
    if (bar >= 0) {
        if (v == 0xffffffff && f->bar_rw[bar] && (get16(f, PCI_CFG_COMMAND) & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY)))
            fake_sizing_with_decode_on++;
        v = (get32(f, off) & ~f->bar_rw[bar]) | (v & f->bar_rw[bar]);
    }
    put32(f, off, v);
}

static void fake_write16(void *ctx, struct pci_bdf a, uint16_t off, uint16_t v)
{
    struct fake_fn *f = fake_find(a);

    assert_int_equal(off & 1, 0);
    assert_int_equal(off, PCI_CFG_COMMAND); /* the walkers touch only the command register this way */
    if (f)
        put16(f, off, v);
}

static const struct pci_cfg_access fake_acc = {
    .read32 = fake_read32, .write32 = fake_write32, .write16 = fake_write16,
};

static struct pci_bdf bdf(uint8_t bus, uint8_t dev, uint8_t fn)
{
    return (struct pci_bdf){ 0, bus, dev, fn };
}

static void fake_reset(void)
{
    memset(fake_fns, 0, sizeof(fake_fns));
    fake_count = 0;
    fake_sizing_with_decode_on = 0;
    pci_table_reset(&pci_devices);
    unit_log_reset();
}

static struct fake_fn *fake_add(struct pci_bdf a, uint16_t vendor, uint16_t device, uint32_t class_rev, uint8_t hdr)
{
    struct fake_fn *f;

    assert_true(fake_count < FAKE_MAX_FNS);
    f = &fake_fns[fake_count++];
    f->a = a;
    put32(f, PCI_CFG_VENDOR_ID, (uint32_t)device << 16 | vendor);
    put32(f, PCI_CFG_CLASS_REV, class_rev);
    f->cfg[PCI_CFG_HEADER_TYPE] = hdr;
    return f;
}

/* A BAR of size bytes at base; flags are the read-only low bits (I/O, type, prefetch). */
static void fake_bar(struct fake_fn *f, unsigned i, uint32_t base, uint32_t size, uint32_t flags)
{
    put32(f, PCI_CFG_BAR0 + 4 * i, base | flags);
    f->bar_rw[i] = ~(size - 1) & ((flags & PCI_BAR_SPACE_IO) ? PCI_BAR_IO_ADDR_MASK : PCI_BAR_MEM_ADDR_MASK);
}

static void fake_bar64(struct fake_fn *f, unsigned i, uint64_t base, uint64_t size, bool prefetch)
{
    uint64_t rw = ~(size - 1);

    put32(f, PCI_CFG_BAR0 + 4 * i, (uint32_t)base | PCI_BAR_MEM_TYPE_64 | (prefetch ? PCI_BAR_MEM_PREFETCH : 0));
    put32(f, PCI_CFG_BAR0 + 4 * (i + 1), (uint32_t)(base >> 32));
    f->bar_rw[i] = (uint32_t)rw & PCI_BAR_MEM_ADDR_MASK;
    f->bar_rw[i + 1] = (uint32_t)(rw >> 32);
}

static void fake_bridge_buses(struct fake_fn *f, uint8_t primary, uint8_t secondary, uint8_t subordinate)
{
    put32(f, PCI_CFG_BRIDGE_BUSES, (uint32_t)subordinate << 16 | (uint32_t)secondary << 8 | primary);
}

/* Capability list: caps[i] = { offset, id }, chained in order. */
static void fake_caps(struct fake_fn *f, const uint8_t (*caps)[2], unsigned n)
{
    put16(f, PCI_CFG_STATUS, get16(f, PCI_CFG_STATUS) | PCI_STATUS_CAP_LIST);
    f->cfg[PCI_CFG_CAP_PTR] = n ? caps[0][0] : 0;
    for (unsigned i = 0; i < n; i++) {
        f->cfg[caps[i][0]] = caps[i][1];
        f->cfg[caps[i][0] + 1] = i + 1 < n ? caps[i + 1][0] : 0;
    }
}

/* A PCIe port (header type 1) of the given PCIe device/port type. */
static struct fake_fn *fake_pcie_port(struct pci_bdf a, uint8_t type, uint8_t sec, uint8_t sub)
{
    static const uint8_t caps[][2] = { { 0x40, 0x05 }, { 0x60, PCI_CAP_ID_EXP } };
    struct fake_fn *f = fake_add(a, 0x1b36, 0x000c, 0x06040000, PCI_HEADER_BRIDGE);

    fake_caps(f, caps, 2);
    put16(f, 0x60 + PCI_EXP_FLAGS, (uint16_t)(type << PCI_EXP_FLAGS_TYPE_SHIFT | 2));
    fake_bridge_buses(f, a.bus, sec, sub);
    return f;
}

/* ---- tests ---- */

/* A q35-like bus 0: host bridge, edu at 00:03.0, a NIC with I/O and 64-bit BARs, ICH9 functions. */
static void build_q35_bus0(void)
{
    struct fake_fn *f;

    f = fake_add(bdf(0, 0, 0), 0x8086, 0x29c0, 0x06000002, PCI_HEADER_NORMAL);
    put16(f, PCI_CFG_COMMAND, PCI_COMMAND_MEMORY);
    f = fake_add(bdf(0, 3, 0), 0x1234, 0x11e8, 0x00ff0010, PCI_HEADER_NORMAL);
    put16(f, PCI_CFG_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_IO | 0x4);
    fake_bar(f, 0, 0xfea00000, 1 << 20, 0);
    f = fake_add(bdf(0, 4, 0), 0x8086, 0x10d3, 0x02000000, PCI_HEADER_NORMAL);
    put16(f, PCI_CFG_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_IO);
    fake_bar(f, 0, 0xfeb00000, 128 << 10, 0);
    fake_bar(f, 2, 0xc000, 32, PCI_BAR_SPACE_IO);
    fake_bar64(f, 3, 0x800000000ull, 16 << 10, true);
    fake_add(bdf(0, 0x1f, 0), 0x8086, 0x2918, 0x06010002, PCI_HEADER_NORMAL | PCI_HEADER_MULTI_FN);
    fake_add(bdf(0, 0x1f, 2), 0x8086, 0x2922, 0x01060102, PCI_HEADER_NORMAL);
    f = fake_add(bdf(0, 0x1f, 3), 0x8086, 0x2930, 0x0c050002, PCI_HEADER_NORMAL);
    fake_bar(f, 4, 0x0700, 64, PCI_BAR_SPACE_IO);
}

static void test_enum_flat_bus(void **state)
{
    struct pci_dev *d;

    fake_reset();
    build_q35_bus0();
    assert_int_equal(pci_enum_segment(&fake_acc, &pci_devices, 0, 0, 0xff), 0);
    assert_int_equal(pci_device_count(), 6);
    assert_int_equal(pci_devices.buses, 1);
    assert_int_equal(fake_sizing_with_decode_on, 0);

    d = pci_find_bdf(0, 0, 3, 0);
    assert_non_null(d);
    assert_true(d->vendor == 0x1234 && d->device == 0x11e8 && d->class_code == 0x00 && d->subclass == 0xff);
    assert_true(d->revision == 0x10 && d->header_type == 0 && !d->is_bridge && d->parent == -1);
    assert_true(d->bar[0].base == 0xfea00000 && d->bar[0].size == 1 << 20);
    assert_true(d->bar[1].size == 0 && d->bar[5].size == 0);
    /* Command register restored, BAR values restored. */
    assert_int_equal(get16(fake_find(bdf(0, 3, 0)), PCI_CFG_COMMAND), PCI_COMMAND_MEMORY | PCI_COMMAND_IO | 0x4);
    assert_int_equal(get32(fake_find(bdf(0, 3, 0)), PCI_CFG_BAR0), 0xfea00000);

    d = pci_find_id(0x8086, 0x10d3, 0);
    assert_non_null(d);
    assert_true(d->bar[2].io && d->bar[2].base == 0xc000 && d->bar[2].size == 32);
    assert_true(d->bar[3].mem64 && d->bar[3].prefetch && d->bar[3].base == 0x800000000ull);
    assert_true(d->bar[3].size == 16 << 10 && d->bar[4].size == 0);
    assert_int_equal(get32(fake_find(bdf(0, 4, 0)), PCI_CFG_BAR0 + 16), 0x8);

    /* Multi-function: 1f.0, 1f.2, 1f.3 in order; 1f.1 absent. */
    assert_non_null(pci_find_bdf(0, 0, 0x1f, 2));
    assert_null(pci_find_bdf(0, 0, 0x1f, 1));
    assert_int_equal(pci_device(5)->fn, 3);
    assert_null(pci_device(6));
    assert_null(pci_find_id(0x8086, 0x10d3, 1));
    assert_null(pci_find_bdf(1, 0, 3, 0));
}

static void test_summary_lines(void **state)
{
    fake_reset();
    build_q35_bus0();
    assert_int_equal(pci_enum_segment(&fake_acc, &pci_devices, 0, 0, 0xff), 0);
    unit_log_reset();
    pci_summary_print(&pci_devices, "ECAM");
    assert_true(unit_log_contains("pci: 0000:00:00.0 8086:29c0 class 060000 rev 02 Q35 host bridge\n"));
    assert_true(unit_log_contains("pci: 0000:00:03.0 1234:11e8 class 00ff00 rev 10 edu\n"
                                  "pci:   bar0 mem 0x00000000fea00000 size 1 MiB\n"));
    assert_true(unit_log_contains("pci:   bar2 io 0xc000 size 32 B\n"));
    assert_true(unit_log_contains("pci:   bar3 mem64 0x0000000800000000 size 16 KiB pref\n"));
    assert_true(unit_log_contains("pci: 0000:00:1f.3 8086:2930 class 0c0500 rev 02 ICH9 SMBus\n"
                                  "pci:   bar4 io 0x0700 size 64 B\n"));
    assert_true(unit_log_contains("pci: 6 devices on 1 bus (ECAM)\n"));

    pci_table_reset(&pci_devices);
    fake_reset();
    fake_add(bdf(0, 2, 0), 0xabcd, 0x0001, 0xff000001, PCI_HEADER_NORMAL);
    fake_bar(fake_find(bdf(0, 2, 0)), 1, 0, 4096, PCI_BAR_MEM_PREFETCH);
    fake_bar(fake_find(bdf(0, 2, 0)), 2, 0, 256, PCI_BAR_SPACE_IO);
    assert_int_equal(pci_enum_segment(&fake_acc, &pci_devices, 0, 0, 0xff), 0);
    unit_log_reset();
    pci_summary_print(&pci_devices, "port I/O");
    assert_true(unit_log_contains("pci: 0000:00:02.0 abcd:0001 class ff0000 rev 01\n"));
    assert_true(unit_log_contains("pci:   bar1 mem 0x0000000000000000 size 4 KiB pref unassigned\n"));
    assert_true(unit_log_contains("pci:   bar2 io 0x0000 size 256 B unassigned\n"));
    assert_true(unit_log_contains("pci: 1 device on 1 bus (port I/O)\n"));
}

/*
 * 00:1c.0 root port -> bus 1: 01:00.0 switch upstream port -> bus 2: 02:00.0 downstream
 * port -> bus 3: 03:00.0 edu. A function that answers at every device number below a root
 * port (01:05.0) is not enumerated. 00:1d.0 is a plain PCI bridge to an empty bus 4.
 */
static void build_hierarchy(void)
{
    struct fake_fn *f;

    fake_add(bdf(0, 0, 0), 0x8086, 0x29c0, 0x06000002, PCI_HEADER_NORMAL);
    f = fake_pcie_port(bdf(0, 0x1c, 0), PCI_EXP_TYPE_ROOT_PORT, 1, 3);
    fake_bar(f, 0, 0xfe800000, 4096, 0);
    fake_pcie_port(bdf(1, 0, 0), 0x5 /* upstream */, 2, 3);
    fake_add(bdf(1, 5, 0), 0x1234, 0x5678, 0xff000000, PCI_HEADER_NORMAL);
    fake_pcie_port(bdf(2, 0, 0), PCI_EXP_TYPE_DOWNSTREAM, 3, 3);
    f = fake_add(bdf(3, 0, 0), 0x1234, 0x11e8, 0x00ff0010, PCI_HEADER_NORMAL);
    fake_bar(f, 0, 0xfe900000, 1 << 20, 0);
    fake_add(bdf(3, 1, 0), 0x1234, 0x5678, 0xff000000, PCI_HEADER_NORMAL);
    f = fake_add(bdf(0, 0x1d, 0), 0x1b36, 0x0001, 0x06040000, PCI_HEADER_BRIDGE);
    fake_bridge_buses(f, 0, 4, 4);
}

static void test_enum_bridges(void **state)
{
    struct pci_dev *rp, *up, *down, *edu;

    fake_reset();
    build_hierarchy();
    assert_int_equal(pci_enum_segment(&fake_acc, &pci_devices, 0, 0, 0xff), 0);
    assert_int_equal(pci_device_count(), 6);
    assert_int_equal(pci_devices.buses, 5);

    rp = pci_find_bdf(0, 0, 0x1c, 0);
    up = pci_find_bdf(0, 1, 0, 0);
    down = pci_find_bdf(0, 2, 0, 0);
    edu = pci_find_id(0x1234, 0x11e8, 0);
    assert_true(rp && up && down && edu);
    assert_true(rp->is_bridge && rp->secondary_bus == 1 && rp->subordinate_bus == 3 && rp->parent == -1);
    assert_true(rp->bar[0].base == 0xfe800000 && rp->bar[0].size == 4096);
    assert_int_equal(up->parent, rp - pci_device(0));
    assert_int_equal(down->parent, up - pci_device(0));
    assert_int_equal(edu->bus, 3);
    assert_int_equal(edu->parent, down - pci_device(0));
    assert_true(edu->bar[0].base == 0xfe900000);
    /* Depth-first: the subtree of 00:1c.0 comes before 00:1d.0. */
    assert_int_equal(pci_device(1)->dev, 0x1c);
    assert_int_equal(pci_device(4)->bus, 3);
    assert_int_equal(pci_device(5)->dev, 0x1d);
    /* Below an upstream port every device number counts; below root/downstream ports only 0. */
    assert_null(pci_find_bdf(0, 1, 5, 0));
    assert_null(pci_find_bdf(0, 3, 1, 0));

    unit_log_reset();
    pci_summary_print(&pci_devices, "ECAM");
    assert_true(unit_log_contains("pci: 0000:00:1c.0 1b36:000c class 060400 rev 00 PCIe root port\n"
                                  "pci:   bar0 mem 0x00000000fe800000 size 4 KiB\n"
                                  "pci:   bridge to buses 01-03\n"));
    assert_true(unit_log_contains("pci: 0000:03:00.0 1234:11e8 class 00ff00 rev 10 edu\n"));
    assert_true(unit_log_contains("pci: 6 devices on 5 buses (ECAM)\n"));
}

static void test_enum_bad_bridges(void **state)
{
    struct fake_fn *f;

    fake_reset();
    /* Bus 2 root: the segment range starts there. */
    f = fake_add(bdf(2, 1, 0), 0x1b36, 0x0001, 0x06040000, PCI_HEADER_BRIDGE);
    fake_bridge_buses(f, 2, 0, 5);                       /* secondary 0 */
    f = fake_add(bdf(2, 2, 0), 0x1b36, 0x0001, 0x06040000, PCI_HEADER_BRIDGE);
    fake_bridge_buses(f, 2, 2, 5);                       /* secondary == own bus */
    f = fake_add(bdf(2, 3, 0), 0x1b36, 0x0001, 0x06040000, PCI_HEADER_BRIDGE);
    fake_bridge_buses(f, 2, 0x40, 0x40);                 /* beyond the segment's last bus */
    f = fake_add(bdf(2, 4, 0), 0x1b36, 0x0001, 0x06040000, PCI_HEADER_BRIDGE);
    fake_bridge_buses(f, 2, 6, 5);                       /* subordinate below secondary */
    f = fake_add(bdf(2, 5, 0), 0x1b36, 0x0001, 0x06040000, PCI_HEADER_BRIDGE);
    fake_bridge_buses(f, 2, 7, 0x3f);                    /* good, subordinate beyond range: clamped */
    f = fake_add(bdf(7, 0, 0), 0x1b36, 0x0001, 0x06040000, PCI_HEADER_BRIDGE);
    fake_bridge_buses(f, 7, 9, 9);                       /* good */
    f = fake_add(bdf(7, 1, 0), 0x1b36, 0x0001, 0x06040000, PCI_HEADER_BRIDGE);
    fake_bridge_buses(f, 7, 9, 9);                       /* same bus again: a loop */
    f = fake_add(bdf(9, 0, 0), 0x1b36, 0x0001, 0x06040000, PCI_HEADER_BRIDGE);
    fake_bridge_buses(f, 9, 0x0b, 0x0b);                 /* outside its parent's 09-09 */
    fake_add(bdf(9, 1, 0), 0x1234, 0x11e8, 0x00ff0010, PCI_HEADER_NORMAL);
    fake_add(bdf(6, 0, 0), 0x1234, 0x11e8, 0x00ff0010, PCI_HEADER_NORMAL);  /* unreachable */

    assert_int_equal(pci_enum_segment(&fake_acc, &pci_devices, 0, 2, 0x20), 0);
    assert_int_equal(pci_device_count(), 10 - 1);
    assert_int_equal(pci_devices.buses, 3);
    assert_non_null(pci_find_bdf(0, 9, 1, 0));
    assert_null(pci_find_bdf(0, 6, 0, 0));
    assert_true(unit_log_contains("pci: 0000:02:01.0 firmware bug: bridge secondary bus 00 not above its bus 02, "
                                  "not followed"));
    assert_true(unit_log_contains("pci: 0000:02:02.0 firmware bug: bridge secondary bus 02 not above its bus 02"));
    assert_true(unit_log_contains("pci: 0000:02:03.0 firmware bug: bridge secondary bus 40 outside buses 02-20"));
    assert_true(unit_log_contains("pci: 0000:02:04.0 firmware bug: bridge subordinate bus 05 below secondary 06"));
    assert_true(unit_log_contains("pci: 0000:02:05.0 firmware bug: bridge subordinate bus 3f beyond 20, clamped"));
    assert_true(unit_log_contains("pci: 0000:07:01.0 firmware bug: bus 09 behind this bridge was already scanned"));
    assert_true(unit_log_contains("pci: 0000:09:00.0 firmware bug: bridge secondary bus 0b outside buses 09-09"));
}

static void test_enum_odd_functions(void **state)
{
    struct fake_fn *f;

    fake_reset();
    /* Function 1 without function 0, function 1 of a single-function device: both ignored. */
    fake_add(bdf(0, 1, 1), 0x1234, 0x0001, 0, PCI_HEADER_NORMAL);
    fake_add(bdf(0, 2, 0), 0x1234, 0x0002, 0, PCI_HEADER_NORMAL);
    fake_add(bdf(0, 2, 1), 0x1234, 0x0003, 0, PCI_HEADER_NORMAL);
    /* Vendor 0 is not a function. */
    fake_add(bdf(0, 3, 0), 0x0000, 0x0004, 0, PCI_HEADER_NORMAL);
    /* Multi-function with a gap: 4.0 and 4.7. */
    fake_add(bdf(0, 4, 0), 0x1234, 0x0005, 0, PCI_HEADER_NORMAL | PCI_HEADER_MULTI_FN);
    fake_add(bdf(0, 4, 7), 0x1234, 0x0006, 0, PCI_HEADER_NORMAL);
    f = fake_add(bdf(0, 5, 0), 0x1234, 0x0007, 0x06070000, PCI_HEADER_CARDBUS);
    fake_bar(f, 0, 0xfe000000, 4096, 0);
    f = fake_add(bdf(0, 6, 0), 0x1234, 0x0008, 0, 0x05);
    fake_bar(f, 0, 0xfe001000, 4096, 0);
    /* A 64-bit BAR in the last slot of a bridge, a reserved memory type. */
    f = fake_add(bdf(0, 7, 0), 0x1b36, 0x0001, 0x06040000, PCI_HEADER_BRIDGE);
    fake_bar(f, 0, 0xfe002000, 4096, PCI_BAR_MEM_TYPE_MASK);
    fake_bar(f, 1, 0xfe003000, 4096, PCI_BAR_MEM_TYPE_64);
    put16(f, PCI_CFG_COMMAND, PCI_COMMAND_MEMORY);
    fake_bridge_buses(f, 0, 1, 1);

    assert_int_equal(pci_enum_segment(&fake_acc, &pci_devices, 0, 0, 0xff), 0);
    assert_int_equal(pci_device_count(), 6);
    assert_non_null(pci_find_bdf(0, 0, 4, 7));
    assert_null(pci_find_bdf(0, 0, 2, 1));
    assert_null(pci_find_bdf(0, 0, 1, 1));
    assert_true(pci_find_bdf(0, 0, 5, 0)->bar[0].size == 0);
    assert_true(pci_find_bdf(0, 0, 6, 0)->bar[0].size == 0);
    assert_int_equal(pci_find_bdf(0, 0, 6, 0)->header_type, 5);
    assert_true(unit_log_contains("pci: 0000:00:05.0 CardBus bridge: not followed"));
    assert_true(unit_log_contains("pci: 0000:00:06.0 unknown header type 5: BARs not read"));
    assert_true(unit_log_contains("pci: 0000:00:07.0 bar0: firmware bug: reserved memory type (0xfe002006), ignored"));
    assert_true(unit_log_contains("pci: 0000:00:07.0 bar1: firmware bug: 64-bit BAR in the last slot"));
    assert_int_equal(get16(fake_find(bdf(0, 7, 0)), PCI_CFG_COMMAND), PCI_COMMAND_MEMORY);
    assert_int_equal(fake_sizing_with_decode_on, 0);
}

static void test_host_bridge_keeps_decode(void **state)
{
    struct fake_fn *f;

    fake_reset();
    f = fake_add(bdf(0, 0, 0), 0x8086, 0x29c0, 0x06000002, PCI_HEADER_NORMAL);
    put16(f, PCI_CFG_COMMAND, PCI_COMMAND_MEMORY);
    fake_bar(f, 0, 0xfed00000, 16384, 0);
    assert_int_equal(pci_enum_segment(&fake_acc, &pci_devices, 0, 0, 0), 0);
    assert_int_equal(fake_sizing_with_decode_on, 1);
    assert_true(pci_device(0)->bar[0].size == 16384);
    assert_true(pci_quirk_keep_decode(0x06, 0x00));
    assert_false(pci_quirk_keep_decode(0x06, 0x04));
}

static void test_enum_overflow(void **state)
{
    struct fake_fn *f;

    fake_reset();
    for (unsigned dev = 0; dev < 32; dev++)
        for (unsigned fn = 0; fn < 8; fn++)
            fake_add(bdf(0, dev, fn), 0x1234, 0x0001, 0, fn == 0 ? PCI_HEADER_MULTI_FN : 0);
    f = fake_find(bdf(0, 0, 1));
    f->cfg[PCI_CFG_HEADER_TYPE] = PCI_HEADER_BRIDGE;
    fake_bridge_buses(f, 0, 1, 1);
    fake_add(bdf(1, 0, 0), 0x1234, 0x0002, 0, 0);

    assert_int_equal(pci_enum_segment(&fake_acc, &pci_devices, 0, 0, 0xff), -ENOSPC);
    assert_int_equal(pci_device_count(), PCI_MAX_DEVICES);
    assert_true(pci_devices.overflow);
    /* Bus 1 came early (depth-first); the last function of bus 0 did not fit. */
    assert_non_null(pci_find_bdf(0, 1, 0, 0));
    assert_null(pci_find_bdf(0, 0, 31, 7));
    assert_true(unit_log_contains("pci: more than 256 functions, 0000:00:1f.7 and the rest ignored"));
    /* A full table refuses further segments. */
    assert_int_equal(pci_enum_segment(&fake_acc, &pci_devices, 1, 0, 0xff), -ENOSPC);
}

static void test_cap_walk(void **state)
{
    static const uint8_t caps[][2] = { { 0x40, 0x01 }, { 0x50, 0x05 }, { 0xfc, 0x11 } };
    struct fake_fn *f;
    struct pci_bdf a = bdf(0, 2, 0);

    fake_reset();
    f = fake_add(a, 0x1234, 0x11e8, 0, PCI_HEADER_NORMAL);
    assert_int_equal(pci_cap_walk(&fake_acc, a, 0, 0x01), 0);  /* no list in status */
    fake_caps(f, caps, 3);
    assert_int_equal(pci_cap_walk(&fake_acc, a, 0, 0x01), 0x40);
    assert_int_equal(pci_cap_walk(&fake_acc, a, 0, 0x05), 0x50);
    assert_int_equal(pci_cap_walk(&fake_acc, a, 0, 0x11), 0xfc);
    assert_int_equal(pci_cap_walk(&fake_acc, a, 0, 0x10), 0);
    assert_int_equal(pci_cap_walk(&fake_acc, bdf(0, 9, 0), 0, 0x01), 0); /* absent function */

    f->cfg[0x51] = 0x40;  /* loop 0x40 -> 0x50 -> 0x40: bounded */
    assert_int_equal(pci_cap_walk(&fake_acc, a, 0, 0x10), 0);
    f->cfg[0x51] = 0x30;  /* below 0x40 */
    assert_int_equal(pci_cap_walk(&fake_acc, a, 0, 0x11), 0);
    f->cfg[0x51] = 0xfd;  /* misaligned */
    assert_int_equal(pci_cap_walk(&fake_acc, a, 0, 0x11), 0);
    f->cfg[0x51] = 0xfc;
    f->cfg[0xfc] = PCI_CAP_ID_END;
    assert_int_equal(pci_cap_walk(&fake_acc, a, 0, 0x11), 0);

    /* CardBus bridges keep the pointer at 0x14. */
    f->cfg[PCI_CFG_CARDBUS_CAP_PTR] = 0x50;
    assert_int_equal(pci_cap_walk(&fake_acc, a, PCI_HEADER_CARDBUS, 0x05), 0x50);
    assert_int_equal(pci_cap_walk(&fake_acc, a, PCI_HEADER_CARDBUS, 0x01), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enum_flat_bus),
        cmocka_unit_test(test_summary_lines),
        cmocka_unit_test(test_enum_bridges),
        cmocka_unit_test(test_enum_bad_bridges),
        cmocka_unit_test(test_enum_odd_functions),
        cmocka_unit_test(test_host_bridge_keeps_decode),
        cmocka_unit_test(test_enum_overflow),
        cmocka_unit_test(test_cap_walk),
    };
    return UNIT_RUN(tests);
}
