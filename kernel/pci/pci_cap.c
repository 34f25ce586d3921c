// SPDX-License-Identifier: GPL-2.0-only
/* Standard capability list walker (PCI Local Bus Spec 3.0, 6.7). Pure. */
#include "kernel/pci/pci_internal.h"
#include "kernel/pci/pci_regs.h"

/*
 * The list is device-provided: the walk stops at a pointer below 0x40 (0 ends the list),
 * a misaligned pointer, id 0xff (absent function) or after PCI_CAP_MAX_HOPS entries (a loop).
 */
uint8_t pci_cap_walk(const struct pci_cfg_access *acc, struct pci_bdf a, uint8_t header_type, uint8_t cap_id)
{
    uint16_t status = pci_acc_read16(acc, a, PCI_CFG_STATUS);
    uint8_t ptr;

    if (status == 0xffff || !(status & PCI_STATUS_CAP_LIST))
        return 0;
    ptr = pci_acc_read8(acc, a, header_type == PCI_HEADER_CARDBUS ? PCI_CFG_CARDBUS_CAP_PTR : PCI_CFG_CAP_PTR);
    for (unsigned hops = 0; hops < PCI_CAP_MAX_HOPS; hops++) {
        uint32_t entry;
        uint8_t id;

        if (ptr < PCI_CAP_FIRST_VALID || (ptr & PCI_CAP_ALIGN_MASK))
            return 0;
        entry = pci_acc_read32(acc, a, ptr);
        id = entry & 0xff;
        if (id == PCI_CAP_ID_END)
            return 0;
        if (id == cap_id)
            return ptr;
        ptr = (entry >> 8) & 0xff;
    }
    return 0;
}
