/* SPDX-License-Identifier: GPL-2.0-only */
/* Configuration access in the kernel: ECAM windows from MCFG, or ports 0xCF8/0xCFC for segment 0. */
#ifndef NESTOR_KERNEL_PCI_PCI_CFG_H
#define NESTOR_KERNEL_PCI_PCI_CFG_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/acpi/mcfg.h"
#include "kernel/pci/pci_internal.h"

/*
 * Chooses the mechanism: ECAM for every usable MCFG range unless mcfg is NULL/empty or
 * force_ports; else the ports, for segment 0 only. 0, or -ENODEV if neither works.
 */
int pci_cfg_setup(const struct mcfg_info *mcfg, bool force_ports);
/* "ECAM" or "port I/O". */
const char *pci_cfg_mechanism(void);
/* The i-th bus range to enumerate; false past the last. */
bool pci_cfg_range(unsigned i, uint16_t *seg, uint8_t *start_bus, uint8_t *end_bus);

/* The pci_cfg_read32()/write* functions of pci.h, for the pure walkers. */
extern const struct pci_cfg_access pci_cfg_hw;

#endif
