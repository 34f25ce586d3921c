// SPDX-License-Identifier: GPL-2.0-only
/* Short names for a few devices QEMU and common chipsets present; for readable logs only. Pure. */
#include <stddef.h>

#include "kernel/pci/pci_internal.h"

struct pci_name {
    uint16_t vendor, device;
    const char *name;
};

static const struct pci_name pci_names[] = {
    { 0x1234, 0x11e8, "edu" },
    { 0x1234, 0x1111, "bochs VGA" },
    { 0x8086, 0x29c0, "Q35 host bridge" },
    { 0x8086, 0x2918, "ICH9 LPC" },
    { 0x8086, 0x2922, "ICH9 AHCI" },
    { 0x8086, 0x2930, "ICH9 SMBus" },
    { 0x8086, 0x1237, "i440FX host bridge" },
    { 0x8086, 0x7000, "PIIX3 ISA" },
    { 0x8086, 0x7010, "PIIX3 IDE" },
    { 0x8086, 0x7113, "PIIX4 ACPI" },
    { 0x8086, 0x100e, "e1000" },
    { 0x8086, 0x10d3, "e1000e" },
    { 0x1b36, 0x0001, "PCI-PCI bridge" },
    { 0x1b36, 0x0008, "PCIe host bridge" },
    { 0x1b36, 0x000c, "PCIe root port" },
    { 0x1b36, 0x000d, "xHCI" },
    { 0x104c, 0x8232, "XIO3130 upstream port" },
    { 0x104c, 0x8233, "XIO3130 downstream port" },
    { 0x1af4, 0x1000, "virtio-net (legacy)" },
    { 0x1af4, 0x1001, "virtio-blk (legacy)" },
    { 0x1af4, 0x1041, "virtio-net" },
    { 0x1af4, 0x1042, "virtio-blk" },
};

#define VIRTIO_VENDOR 0x1af4
#define VIRTIO_DEVICE_FIRST 0x1000   /* virtio 1.2, 4.1.2: 0x1000-0x103f transitional, 0x1040-0x107f modern */
#define VIRTIO_DEVICE_LAST 0x107f

const char *pci_device_name(uint16_t vendor, uint16_t device)
{
    for (size_t i = 0; i < sizeof(pci_names) / sizeof(pci_names[0]); i++)
        if (pci_names[i].vendor == vendor && pci_names[i].device == device)
            return pci_names[i].name;
    if (vendor == VIRTIO_VENDOR && device >= VIRTIO_DEVICE_FIRST && device <= VIRTIO_DEVICE_LAST)
        return "virtio";
    return NULL;
}
