// SPDX-License-Identifier: GPL-2.0-only
/*
 * Depth-first enumeration of one PCI segment. Bus numbers are taken as firmware assigned
 * them (PCI-to-PCI Bridge Architecture Spec 1.2, 3.2.5.3-5); nothing is renumbered. Pure.
 *
 * Firmware and devices are not trusted: a bridge is followed only if its secondary bus lies
 * above its own bus, inside the range its parent forwards, and was not scanned before. Every
 * followed bridge enters a bus never seen, so the walk ends after at most 256 buses.
 */
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/pci/pci_internal.h"
#include "kernel/pci/pci_regs.h"
#include "lib/kstring.h"

struct enum_frame {
    uint8_t bus;
    uint8_t max_bus;         /* the highest bus the bridge leading here forwards to */
    bool dev0_only;          /* below a PCIe root or downstream port: only device 0 exists */
    bool multi_fn;           /* function 0 of the device being scanned is multi-function */
    uint16_t next_devfn;     /* 0..256: device << 3 | function */
    int parent;
};

struct enum_state {
    const struct pci_cfg_access *acc;
    struct pci_table *t;
    uint16_t seg;
    uint8_t visited[PCI_MAX_BUSES / 8];
    unsigned depth;
    struct enum_frame stack[PCI_MAX_BUSES];
};

static bool bus_visited(const struct enum_state *s, uint8_t bus)
{
    return s->visited[bus / 8] & (1u << (bus % 8));
}

static void push_bus(struct enum_state *s, uint8_t bus, uint8_t max_bus, bool dev0_only, int parent)
{
    s->visited[bus / 8] |= (uint8_t)(1u << (bus % 8));
    s->stack[s->depth++] = (struct enum_frame){ .bus = bus, .max_bus = max_bus, .dev0_only = dev0_only,
                                                .parent = parent };
    s->t->buses++;
}

/* Fills d from the function's header; false if no function answers at a. */
static bool read_function(const struct pci_cfg_access *acc, struct pci_bdf a, struct pci_dev *d, uint8_t *raw_hdr)
{
    uint32_t id = pci_acc_read32(acc, a, PCI_CFG_VENDOR_ID);
    uint32_t class_rev;
    uint16_t vendor = id & 0xffff;

    if (vendor == PCI_VENDOR_ABSENT || vendor == PCI_VENDOR_INVALID)
        return false;
    class_rev = pci_acc_read32(acc, a, PCI_CFG_CLASS_REV);
    *raw_hdr = pci_acc_read8(acc, a, PCI_CFG_HEADER_TYPE);
    memset(d, 0, sizeof(*d));
    d->seg = a.seg;
    d->bus = a.bus;
    d->dev = a.dev;
    d->fn = a.fn;
    d->vendor = vendor;
    d->device = (uint16_t)(id >> 16);
    d->revision = (uint8_t)class_rev;
    d->prog_if = (uint8_t)(class_rev >> 8);
    d->subclass = (uint8_t)(class_rev >> 16);
    d->class_code = (uint8_t)(class_rev >> 24);
    d->header_type = *raw_hdr & PCI_HEADER_TYPE_MASK;
    return true;
}

static void read_bars(const struct pci_cfg_access *acc, struct pci_bdf a, struct pci_dev *d)
{
    bool keep_decode = pci_quirk_keep_decode(d->class_code, d->subclass);

    switch (d->header_type) {
    case PCI_HEADER_NORMAL:
        pci_bars_probe(acc, a, PCI_BARS_NORMAL, keep_decode, d->bar);
        break;
    case PCI_HEADER_BRIDGE:
        pci_bars_probe(acc, a, PCI_BARS_BRIDGE, keep_decode, d->bar);
        break;
    case PCI_HEADER_CARDBUS:
        pr_debug("pci: " PCI_BDF_FMT " CardBus bridge: not followed\n", PCI_BDF_ARGS(d));
        break;
    default:
        pr_warn("pci: " PCI_BDF_FMT " unknown header type %u: BARs not read\n", PCI_BDF_ARGS(d), d->header_type);
        break;
    }
}

/* PCIe root and downstream ports have a single link partner: device 0 on their secondary bus. */
static bool port_has_one_child(const struct pci_cfg_access *acc, struct pci_bdf a)
{
    uint8_t exp = pci_cap_walk(acc, a, PCI_HEADER_BRIDGE, PCI_CAP_ID_EXP);
    unsigned type;

    if (!exp)
        return false;
    type = (pci_acc_read16(acc, a, exp + PCI_EXP_FLAGS) >> PCI_EXP_FLAGS_TYPE_SHIFT) & PCI_EXP_FLAGS_TYPE_MASK;
    return type == PCI_EXP_TYPE_ROOT_PORT || type == PCI_EXP_TYPE_DOWNSTREAM;
}

/* Checks the bus numbers of bridge d (table index idx) found in frame f; pushes its secondary bus. */
static void follow_bridge(struct enum_state *s, const struct enum_frame *f, struct pci_dev *d, int idx)
{
    struct pci_bdf a = { d->seg, d->bus, d->dev, d->fn };
    uint8_t sec = d->secondary_bus, sub = d->subordinate_bus, max_bus = f->max_bus;

    if (sec == 0 || sec <= d->bus) {
        pr_warn("pci: " PCI_BDF_FMT " firmware bug: bridge secondary bus %02x not above its bus %02x, not followed\n",
                PCI_BDF_ARGS(d), sec, d->bus);
        return;
    }
    if (sec > f->max_bus) {
        pr_warn("pci: " PCI_BDF_FMT " firmware bug: bridge secondary bus %02x outside buses %02x-%02x, not followed\n",
                PCI_BDF_ARGS(d), sec, f->bus, f->max_bus);
        return;
    }
    if (sub < sec) {
        pr_warn("pci: " PCI_BDF_FMT " firmware bug: bridge subordinate bus %02x below secondary %02x, not followed\n",
                PCI_BDF_ARGS(d), sub, sec);
        return;
    }
    if (bus_visited(s, sec)) {
        pr_warn("pci: " PCI_BDF_FMT " firmware bug: bus %02x behind this bridge was already scanned, not followed\n",
                PCI_BDF_ARGS(d), sec);
        return;
    }
    if (sub > f->max_bus)
        pr_warn("pci: " PCI_BDF_FMT " firmware bug: bridge subordinate bus %02x beyond %02x, clamped\n",
                PCI_BDF_ARGS(d), sub, f->max_bus);
    else
        max_bus = sub;
    push_bus(s, sec, max_bus, port_has_one_child(s->acc, a), idx);
}

/* Scans the next function of the top frame; false when the table is full. */
static bool scan_next(struct enum_state *s)
{
    struct enum_frame *f = &s->stack[s->depth - 1];
    unsigned devfn = f->next_devfn++;
    struct pci_bdf a = { s->seg, f->bus, (uint8_t)(devfn >> 3), (uint8_t)(devfn & 7) };
    struct pci_table *t = s->t;
    struct pci_dev d;
    uint8_t raw_hdr;

    if (a.fn != 0 && !f->multi_fn)
        return true;
    if (!read_function(s->acc, a, &d, &raw_hdr)) {
        if (a.fn == 0)
            f->multi_fn = false;
        return true;
    }
    if (a.fn == 0)
        f->multi_fn = (raw_hdr & PCI_HEADER_MULTI_FN) != 0;
    if (t->count == PCI_MAX_DEVICES) {
        pr_warn("pci: more than %u functions, " PCI_BDF_FMT " and the rest ignored\n", PCI_MAX_DEVICES, a.seg,
                a.bus, a.dev, a.fn);
        t->overflow = true;
        return false;
    }
    d.parent = f->parent;
    read_bars(s->acc, a, &d);
    if (d.header_type == PCI_HEADER_BRIDGE) {
        uint32_t buses = pci_acc_read32(s->acc, a, PCI_CFG_BRIDGE_BUSES);

        d.is_bridge = true;
        d.secondary_bus = (uint8_t)(buses >> 8);
        d.subordinate_bus = (uint8_t)(buses >> 16);
    }
    t->dev[t->count] = d;
    if (d.is_bridge)
        follow_bridge(s, f, &t->dev[t->count], (int)t->count);
    t->count++;
    return true;
}

static struct enum_state enum_state;

int pci_enum_segment(const struct pci_cfg_access *acc, struct pci_table *t, uint16_t seg, uint8_t start_bus,
                     uint8_t end_bus)
{
    struct enum_state *s = &enum_state;

    if (t->overflow)
        return -ENOSPC;
    memset(s, 0, sizeof(*s));
    s->acc = acc;
    s->t = t;
    s->seg = seg;
    push_bus(s, start_bus, end_bus, false, -1);
    while (s->depth) {
        struct enum_frame *f = &s->stack[s->depth - 1];
        unsigned limit = f->dev0_only ? PCI_FNS_PER_DEV : PCI_DEVS_PER_BUS * PCI_FNS_PER_DEV;

        if (f->next_devfn >= limit) {
            s->depth--;
            continue;
        }
        if (!scan_next(s))
            return -ENOSPC;
    }
    return 0;
}
