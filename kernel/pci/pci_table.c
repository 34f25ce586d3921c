// SPDX-License-Identifier: GPL-2.0-only
/* The table of PCI functions found at boot and its lookups. Pure. */
#include <stddef.h>

#include "kernel/pci/pci_internal.h"
#include "lib/kstring.h"

struct pci_table pci_devices;

void pci_table_reset(struct pci_table *t)
{
    memset(t, 0, sizeof(*t));
}

unsigned pci_device_count(void)
{
    return pci_devices.count;
}

struct pci_dev *pci_device(unsigned idx)
{
    return idx < pci_devices.count ? &pci_devices.dev[idx] : NULL;
}

struct pci_dev *pci_find_bdf(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn)
{
    for (unsigned i = 0; i < pci_devices.count; i++) {
        struct pci_dev *d = &pci_devices.dev[i];

        if (d->seg == seg && d->bus == bus && d->dev == dev && d->fn == fn)
            return d;
    }
    return NULL;
}

/* The nth (from 0) function with these IDs, in enumeration order. */
struct pci_dev *pci_find_id(uint16_t vendor, uint16_t device, unsigned nth)
{
    for (unsigned i = 0; i < pci_devices.count; i++) {
        struct pci_dev *d = &pci_devices.dev[i];

        if (d->vendor == vendor && d->device == device && nth-- == 0)
            return d;
    }
    return NULL;
}
