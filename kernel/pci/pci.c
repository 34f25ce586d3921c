// SPDX-License-Identifier: GPL-2.0-only
/* PCI bring-up: pick the configuration mechanism, enumerate every segment, log the summary. */
#include "kernel/pci/pci.h"

#include "kernel/cmdline.h"
#include "kernel/log.h"
#include "kernel/pci/pci_cfg.h"
#include "kernel/pci/pci_internal.h"
#include "lib/kstring.h"

/* pci=noecam: configuration through ports 0xCF8/0xCFC even when MCFG lists ECAM ranges. */
static bool cmdline_force_ports(void)
{
    char v[16];

    if (!cmdline_get("pci", v, sizeof(v)))
        return false;
    if (!strcmp(v, "noecam"))
        return true;
    pr_warn("cmdline: pci=%s unknown (noecam)\n", v);
    return false;
}

int pci_init(const struct mcfg_info *mcfg)
{
    uint16_t seg;
    uint8_t start_bus, end_bus;
    int err;

    pci_table_reset(&pci_devices);
    err = pci_cfg_setup(mcfg, cmdline_force_ports());
    if (err)
        return err;
    for (unsigned i = 0; pci_cfg_range(i, &seg, &start_bus, &end_bus); i++)
        if (pci_enum_segment(&pci_cfg_hw, &pci_devices, seg, start_bus, end_bus) < 0)
            break;
    pci_summary_print(&pci_devices, pci_cfg_mechanism());
    return 0;
}

uint8_t pci_find_cap(const struct pci_dev *d, uint8_t cap_id)
{
    struct pci_bdf a = { .seg = d->seg, .bus = d->bus, .dev = d->dev, .fn = d->fn };

    return pci_cap_walk(&pci_cfg_hw, a, d->header_type, cap_id);
}
