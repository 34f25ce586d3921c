/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MSI for assigned devices. The guest's MSI message is a request, never programmed into
 * the device: it is decoded here into the vector and destination the guest asked for,
 * and the device itself is programmed with a hypervisor vector on this CPU. When that
 * fires, the guest's vector is delivered to the guest's (virtual) local APIC.
 *
 * x86 message format (Intel SDM vol. 3 11.11.1-11.11.2): address 0xFEE in [31:20],
 * destination id [19:12], redirection hint [3], destination mode [2] (1 = logical);
 * data: vector [7:0], delivery mode [10:8], level [14], trigger mode [15] (1 = level).
 *
 * Pure: the device's configuration space is reached through struct assign_cfg_host.
 */
#ifndef NESTOR_VMM_ASSIGN_MSI_H
#define NESTOR_VMM_ASSIGN_MSI_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/assign_cfg.h"

#define MSI_ADDR_BASE_MASK     0xfff00000u
#define MSI_ADDR_BASE          0xfee00000u
#define MSI_ADDR_DEST_SHIFT    12
#define MSI_ADDR_DEST_MASK     0xffu
#define MSI_ADDR_REMAPPABLE    (1u << 4)      /* VT-d 5.1.5.2 remappable format */
#define MSI_ADDR_DEST_LOGICAL  (1u << 2)
#define MSI_DATA_VECTOR_MASK   0xffu
#define MSI_DATA_DELIVERY_SHIFT 8
#define MSI_DATA_DELIVERY_MASK 0x7u
#define MSI_DATA_TRIGGER_LEVEL (1u << 15)
#define MSI_DELIVERY_FIXED     0
#define MSI_DELIVERY_LOWPRI    1
#define MSI_VECTOR_MIN         16             /* 0-15 are illegal APIC vectors (SDM 10.5.2) */

struct msi_route {
    uint8_t vector;
    uint8_t dest;                             /* APIC id, or logical set */
    bool dest_logical;
};

enum msi_decode_status {
    MSI_OK,
    MSI_BAD_ADDRESS,                          /* not in the 0xFEExxxxx window */
    MSI_REMAPPABLE,                           /* interrupt-remapping format: no vIOMMU here */
    MSI_BAD_DELIVERY,                         /* only fixed and lowest priority are delivered */
    MSI_LEVEL,                                /* MSI is edge-triggered (PCI 6.8) */
    MSI_BAD_VECTOR,
};

/* Decodes a guest's MSI message. */
enum msi_decode_status msi_decode(uint64_t addr, uint32_t data, struct msi_route *out);
const char *msi_decode_status_name(enum msi_decode_status s);

/*
 * Programs the device's MSI capability at cap: disabled, then address/data, then
 * enabled with one vector (6.8.1.3 order); or just disabled when enable is false.
 */
void msi_host_program(const struct assign_cfg_host *h, uint8_t cap, bool addr64, bool enable, uint32_t addr,
                      uint32_t data);

#endif
