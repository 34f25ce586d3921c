// SPDX-License-Identifier: GPL-2.0-only
/* Configuration address encodings for ECAM and the 0xCF8 mechanism. Pure. */
#include "kernel/pci/pci_internal.h"

/* ECAM: bus [27:20], device [19:15], function [14:12], register [11:0] (PCIe Base 4.0, 7.2.2). */
uint64_t pci_ecam_offset(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
    return (uint64_t)bus << 20 | (uint64_t)(dev & 0x1f) << 15 | (uint64_t)(fn & 7) << 12 | (off & 0xfffu);
}

/* CONFIG_ADDRESS: enable [31], bus [23:16], device [15:11], function [10:8], dword register [7:2]. */
#define PCI_PORT_ENABLE (1u << 31)

uint32_t pci_port_address(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
    return PCI_PORT_ENABLE | (uint32_t)bus << 16 | (uint32_t)(dev & 0x1f) << 11 | (uint32_t)(fn & 7) << 8 |
           (off & 0xfcu);
}
