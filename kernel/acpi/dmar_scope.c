// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device scope paths to devices (VT-d 4.1 section 8.3.2): the path starts on the scope's
 * start bus; every element but the last is a PCI-to-PCI bridge whose secondary bus holds
 * the next element. Pure: configuration space is read through a callback.
 */
#include "kernel/acpi/dmar.h"

#include "kernel/errno.h"

/* Type 0/1 configuration header fields (PCI 3.0 6.1, PCI-to-PCI Bridge 1.2 3.2). */
#define PCI_CFG_VENDOR_ID      0x00
#define PCI_CFG_HEADER_TYPE    0x0e
#define PCI_HEADER_TYPE_MASK   0x7f
#define PCI_HEADER_TYPE_BRIDGE 1
#define PCI_CFG_SECONDARY_BUS  0x19
#define PCI_CFG_SUBORDINATE_BUS 0x1a

static bool pci_fn_present(pci_cfg_read8_fn rd, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn)
{
    return rd(seg, bus, dev, fn, PCI_CFG_VENDOR_ID) != 0xff || rd(seg, bus, dev, fn, PCI_CFG_VENDOR_ID + 1) != 0xff;
}

/* The secondary bus of the bridge at bus:dev.fn, or negative if it is absent or no bridge. */
static int bridge_secondary_bus(pci_cfg_read8_fn rd, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn)
{
    uint8_t sec;

    if (!rd)
        return -ENODEV;
    if (!pci_fn_present(rd, seg, bus, dev, fn))
        return -ENODEV;
    if ((rd(seg, bus, dev, fn, PCI_CFG_HEADER_TYPE) & PCI_HEADER_TYPE_MASK) != PCI_HEADER_TYPE_BRIDGE)
        return -ENOTSUP;
    sec = rd(seg, bus, dev, fn, PCI_CFG_SECONDARY_BUS);
    /* An unconfigured bridge (secondary 0) or a loop back up the tree cannot be followed. */
    if (sec <= bus)
        return -EINVAL;
    return sec;
}

int dmar_scope_resolve(const struct dmar_scope *s, uint16_t seg, pci_cfg_read8_fn rd,
                       uint8_t *bus, uint8_t *dev, uint8_t *fn)
{
    uint8_t b;

    if (!s || s->path_len == 0 || s->path_len > DMAR_MAX_PATH)
        return -EINVAL;
    b = s->start_bus;
    for (unsigned i = 0; i < s->path_len; i++) {
        const struct dmar_path_elem *p = &s->path[i];
        int sec;

        if (p->dev > 31 || p->fn > 7)
            return -EINVAL;
        if (i + 1 == s->path_len) {
            *bus = b;
            *dev = p->dev;
            *fn = p->fn;
            return 0;
        }
        sec = bridge_secondary_bus(rd, seg, b, p->dev, p->fn);
        if (sec < 0)
            return sec;
        b = (uint8_t)sec;
    }
    return -EINVAL; /* not reached: the loop returns at the last element */
}

/* Whether scope s (on segment seg) covers bus:dev.fn. */
static bool scope_covers(const struct dmar_scope *s, uint16_t seg, pci_cfg_read8_fn rd, uint8_t bus,
                         uint8_t dev, uint8_t fn)
{
    uint8_t b, d, f;

    if (s->type != DMAR_SCOPE_PCI_ENDPOINT && s->type != DMAR_SCOPE_PCI_SUBHIERARCHY)
        return false;
    if (dmar_scope_resolve(s, seg, rd, &b, &d, &f) < 0)
        return false;
    if (b == bus && d == dev && f == fn)
        return true;
    if (s->type != DMAR_SCOPE_PCI_SUBHIERARCHY)
        return false;
    /* VT-d 8.3.1: a sub-hierarchy scope covers every bus below the bridge. */
    int sec = bridge_secondary_bus(rd, seg, b, d, f);
    if (sec < 0)
        return false;
    return bus >= sec && bus <= rd(seg, b, d, f, PCI_CFG_SUBORDINATE_BUS);
}

int dmar_unit_for_device(const struct dmar_info *d, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn,
                         pci_cfg_read8_fn rd)
{
    for (unsigned i = 0; i < d->ndrhd; i++) {
        const struct dmar_drhd *u = &d->drhd[i];

        if (u->segment != seg)
            continue;
        for (unsigned k = 0; k < u->scopes.count; k++)
            if (scope_covers(&d->scopes[u->scopes.first + k], seg, rd, bus, dev, fn))
                return (int)i;
    }
    for (unsigned i = 0; i < d->ndrhd; i++)
        if (d->drhd[i].segment == seg && d->drhd[i].include_pci_all)
            return (int)i;
    return -1;
}
