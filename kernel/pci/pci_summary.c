// SPDX-License-Identifier: GPL-2.0-only
/* The PCI part of the boot summary. Pure. */
#include "kernel/log.h"
#include "kernel/pci/pci_internal.h"
#include "lib/fmt.h"

void pci_format_size(uint64_t size, char *buf, unsigned len)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    unsigned u = 0;

    while (size && size % 1024 == 0 && u + 1 < sizeof(units) / sizeof(units[0])) {
        size /= 1024;
        u++;
    }
    fmt_snprintf(buf, len, "%llu %s", (unsigned long long)size, units[u]);
}

static void print_bar(unsigned i, const struct pci_bar *b)
{
    char size[24];

    pci_format_size(b->size, size, sizeof(size));
    if (b->io)
        pr_info("pci:   bar%u io 0x%04llx size %s%s\n", i, (unsigned long long)b->base, size,
                b->base ? "" : " unassigned");
    else
        pr_info("pci:   bar%u %s 0x%016llx size %s%s%s\n", i, b->mem64 ? "mem64" : "mem",
                (unsigned long long)b->base, size, b->prefetch ? " pref" : "", b->base ? "" : " unassigned");
}

static void print_device(const struct pci_dev *d)
{
    const char *name = pci_device_name(d->vendor, d->device);

    pr_info("pci: " PCI_BDF_FMT " %04x:%04x class %02x%02x%02x rev %02x%s%s\n", PCI_BDF_ARGS(d), d->vendor,
            d->device, d->class_code, d->subclass, d->prog_if, d->revision, name ? " " : "", name ? name : "");
    for (unsigned i = 0; i < 6; i++)
        if (d->bar[i].size)
            print_bar(i, &d->bar[i]);
    if (d->is_bridge)
        pr_info("pci:   bridge to buses %02x-%02x\n", d->secondary_bus, d->subordinate_bus);
}

void pci_summary_print(const struct pci_table *t, const char *mechanism)
{
    for (unsigned i = 0; i < t->count; i++)
        print_device(&t->dev[i]);
    pr_info("pci: %u device%s on %u bus%s (%s)\n", t->count, t->count == 1 ? "" : "s", t->buses,
            t->buses == 1 ? "" : "es", mechanism);
}
