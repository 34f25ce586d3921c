/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PCI configuration space layout: the common header (PCI Local Bus Spec 3.0, 6.1-6.2),
 * the type 1 bridge header (PCI-to-PCI Bridge Architecture Spec 1.2, 3.2), BAR encoding
 * (PCI Local Bus Spec 3.0, 6.2.5.1), capability list (6.7) and the PCI Express capability
 * (PCIe Base Spec 4.0, 7.5.3).
 */
#ifndef NESTOR_KERNEL_PCI_PCI_REGS_H
#define NESTOR_KERNEL_PCI_PCI_REGS_H

#define PCI_CFG_SPACE_BYTES      0x100   /* reachable through ports 0xCF8/0xCFC */
#define PCI_ECAM_SPACE_BYTES     0x1000  /* reachable through ECAM */

#define PCI_MAX_BUSES            256
#define PCI_DEVS_PER_BUS         32
#define PCI_FNS_PER_DEV          8

/* Common header. */
#define PCI_CFG_VENDOR_ID        0x00
#define PCI_CFG_DEVICE_ID        0x02
#define PCI_CFG_COMMAND          0x04
#define PCI_CFG_STATUS           0x06
#define PCI_CFG_CLASS_REV        0x08    /* revision [7:0], prog-if [15:8], subclass [23:16], class [31:24] */
#define PCI_CFG_HEADER_TYPE      0x0e
#define PCI_CFG_BAR0             0x10
#define PCI_CFG_CAP_PTR          0x34    /* header types 0 and 1 */
#define PCI_CFG_CARDBUS_CAP_PTR  0x14    /* header type 2 */

/* Type 1 header: one dword holding primary [7:0], secondary [15:8], subordinate [23:16] bus. */
#define PCI_CFG_BRIDGE_BUSES     0x18

#define PCI_VENDOR_ABSENT        0xffff  /* what a read of an absent function returns */
#define PCI_VENDOR_INVALID       0x0000

#define PCI_COMMAND_IO           (1u << 0)
#define PCI_COMMAND_MEMORY       (1u << 1)
#define PCI_STATUS_CAP_LIST      (1u << 4)

#define PCI_HEADER_TYPE_MASK     0x7f
#define PCI_HEADER_MULTI_FN      0x80
#define PCI_HEADER_NORMAL        0
#define PCI_HEADER_BRIDGE        1
#define PCI_HEADER_CARDBUS       2
#define PCI_BARS_NORMAL          6
#define PCI_BARS_BRIDGE          2

/* BAR low dword. */
#define PCI_BAR_SPACE_IO         (1u << 0)
#define PCI_BAR_IO_ADDR_MASK     0xfffffffcu
#define PCI_BAR_MEM_TYPE_MASK    (3u << 1)
#define PCI_BAR_MEM_TYPE_32      (0u << 1)
#define PCI_BAR_MEM_TYPE_1M      (1u << 1)   /* legacy "below 1 MiB": decoded as 32-bit */
#define PCI_BAR_MEM_TYPE_64      (2u << 1)
#define PCI_BAR_MEM_PREFETCH     (1u << 3)
#define PCI_BAR_MEM_ADDR_MASK    0xfffffff0u

/* Capability list: each entry is id [7:0], next [15:8]; pointers are dword aligned, >= 0x40. */
#define PCI_CAP_FIRST_VALID      0x40
#define PCI_CAP_ALIGN_MASK       0x03
#define PCI_CAP_MAX_HOPS         48      /* (256 - 64) / 4 entries fit in config space */
#define PCI_CAP_ID_END           0xff
#define PCI_CAP_ID_EXP           0x10

/* PCI Express capability: capabilities register at +2, device/port type in bits 7:4. */
#define PCI_EXP_FLAGS            0x02
#define PCI_EXP_FLAGS_TYPE_SHIFT 4
#define PCI_EXP_FLAGS_TYPE_MASK  0xf
#define PCI_EXP_TYPE_ROOT_PORT   0x4
#define PCI_EXP_TYPE_DOWNSTREAM  0x6

#define PCI_CLASS_BRIDGE         0x06
#define PCI_SUBCLASS_HOST_BRIDGE 0x00

#endif
