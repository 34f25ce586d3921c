/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Configuration-space fields the assignment code needs beyond kernel/pci/pci_regs.h:
 * the rest of the type 0 header and the command register (PCI Local Bus Spec 3.0,
 * 6.1-6.2) and the MSI capability (6.8.1). Prefixed ASSIGN_ so they never clash with
 * another module's names for the same fields.
 */
#ifndef NESTOR_VMM_ASSIGN_REGS_H
#define NESTOR_VMM_ASSIGN_REGS_H

#define ASSIGN_CFG_CACHE_LINE      0x0c    /* cache line [7:0], latency [15:8], header type [23:16], BIST [31:24] */
#define ASSIGN_CFG_CARDBUS_CIS     0x28
#define ASSIGN_CFG_SUBSYSTEM       0x2c
#define ASSIGN_CFG_ROM             0x30
#define ASSIGN_CFG_INTERRUPT       0x3c    /* line [7:0], pin [15:8], min_gnt, max_lat */
#define ASSIGN_CFG_HEADER_END      0x40

#define ASSIGN_CMD_BUS_MASTER      (1u << 2)
#define ASSIGN_CMD_INTX_DISABLE    (1u << 10)
/* What a guest may change (6.2.2); the other bits read as 0. */
#define ASSIGN_CMD_GUEST_BITS (PCI_COMMAND_IO | PCI_COMMAND_MEMORY | ASSIGN_CMD_BUS_MASTER | ASSIGN_CMD_INTX_DISABLE)

/* Capability ids (PCI Code and ID Assignment Spec 1.11, 2). */
#define ASSIGN_CAP_ID_MSI          0x05
#define ASSIGN_CAP_ID_MSIX         0x11

/* MSI capability (6.8.1): control at +2, address at +4, then data (32-bit) or high address and data. */
#define ASSIGN_MSI_CTRL            0x02
#define ASSIGN_MSI_ADDR_LO         0x04
#define ASSIGN_MSI_ADDR_HI         0x08
#define ASSIGN_MSI_DATA_32         0x08
#define ASSIGN_MSI_DATA_64         0x0c
#define ASSIGN_MSI_CTRL_ENABLE     (1u << 0)
#define ASSIGN_MSI_CTRL_MMC_MASK   (7u << 1)
#define ASSIGN_MSI_CTRL_MME_MASK   (7u << 4)
#define ASSIGN_MSI_CTRL_64BIT      (1u << 7)
#define ASSIGN_MSI_CTRL_PVM        (1u << 8)

#endif
