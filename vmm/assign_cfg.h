/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Configuration space of an assigned PCI function as its guest sees it (PCI Local Bus
 * Spec 3.0, 6.1-6.8): identity and class pass through; the command register, BARs,
 * interrupt line and MSI capability are virtual; every other capability, the expansion
 * ROM and the extended space (0x100-0xFFF) are hidden.
 *
 *  - Command: the guest may set I/O space, memory space, bus master and INTx disable;
 *    the first three reach the device, INTx stays disabled on the device (Nestor routes
 *    no INTx: the guest gets MSI only, interrupt pin reads 0).
 *  - BARs: sized and written virtually (all ones reads back the size mask); a BAR starts
 *    at the host address, where the nested tables map it. A move while decoding is
 *    enabled asks the owner (bar_move callback) to remap.
 *  - MSI (6.8.1): address, data and enable are kept virtual; the owner programs the
 *    device with a hypervisor vector (msi_change callback). One vector only (MMC 0),
 *    no per-vector masking offered. MSI-X is hidden (its table is not emulated).
 *
 * Pure: the device is reached through the host callbacks; unit-tested on Linux.
 */
#ifndef NESTOR_VMM_ASSIGN_CFG_H
#define NESTOR_VMM_ASSIGN_CFG_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/pci/pci.h"

#define ASSIGN_BARS 6 /* type 0 header */

/* The real function's configuration space: dword-aligned offsets below 0x100. */
struct assign_cfg_host {
    uint32_t (*read32)(void *ctx, uint16_t off);
    void (*write32)(void *ctx, uint16_t off, uint32_t value);
    void *ctx;
};

struct assign_vbar {
    uint64_t size;          /* 0: not implemented (reads 0, writes ignored) */
    uint64_t host_base;
    uint64_t guest_base;    /* what the guest programmed, size-aligned */
    uint64_t mapped_base;   /* where the guest reaches the device now */
    uint32_t flags;         /* the read-only low bits: I/O, or memory type and prefetch */
    bool io, mem64;
};

struct assign_vmsi {
    uint8_t cap;            /* offset of the device's MSI capability; 0: none */
    bool addr64;
    bool enabled;
    uint64_t addr;
    uint16_t data;
};

struct assign_cfg_events {
    /* The guest's MSI enable, address or data changed. */
    void (*msi_change)(void *ctx, const struct assign_vmsi *msi);
    /* Decoding is on and the guest moved BAR i to guest_base: 0 once remapped. */
    int (*bar_move)(void *ctx, unsigned i, const struct assign_vbar *bar, uint64_t guest_base);
    void *ctx;
};

struct assign_cfg {
    struct assign_cfg_host host;
    struct assign_cfg_events ev;
    uint32_t id, class_rev, subsystem; /* snapshots of 0x00, 0x08, 0x2c */
    uint8_t header_type;
    uint16_t command;       /* the guest's view */
    uint8_t cache_line, latency, int_line;
    struct assign_vbar bar[ASSIGN_BARS];
    int8_t bar_upper_of[ASSIGN_BARS]; /* BAR slot i holds the high dword of that BAR, or -1 */
    struct assign_vmsi msi;
    uint8_t msix_cap;       /* hidden; recorded for the log */
    unsigned hidden_caps;   /* capabilities other than MSI the guest does not see */
};

/*
 * Snapshots the function (header type 0 only) with bars[] as pci_init decoded them.
 * The device's MSI is left disabled and its command register gets INTx disabled.
 * 0, or -EINVAL for a header type other than 0 or a malformed BAR list.
 */
int assign_cfg_init(struct assign_cfg *c, const struct assign_cfg_host *host, const struct pci_bar bars[ASSIGN_BARS],
                    const struct assign_cfg_events *ev);

/*
 * Guest accesses at off (< 0x1000) of size 1, 2 or 4, naturally aligned. Misaligned or
 * odd-sized accesses read all ones and write nothing (-EINVAL).
 */
int assign_cfg_read(struct assign_cfg *c, uint16_t off, unsigned size, uint32_t *value);
int assign_cfg_write(struct assign_cfg *c, uint16_t off, unsigned size, uint32_t value);

/* The function's command register for the guest's view (INTx always disabled). */
uint16_t assign_cfg_host_command(uint16_t host_cmd, uint16_t guest_cmd);

#endif
