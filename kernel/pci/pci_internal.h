/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Inside the PCI subsystem. The walkers (enumeration, BAR sizing, capability list) are pure:
 * they reach configuration space only through struct pci_cfg_access, which is ECAM or the
 * 0xCF8 ports in the kernel and a fake configuration space in the unit tests.
 */
#ifndef NESTOR_KERNEL_PCI_PCI_INTERNAL_H
#define NESTOR_KERNEL_PCI_PCI_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/pci/pci.h"

struct pci_bdf {
    uint16_t seg;
    uint8_t bus, dev, fn;
};

/*
 * Configuration space of one function. off is dword aligned for 32-bit accesses and
 * word aligned for 16-bit ones. Reads of absent functions return all ones.
 */
struct pci_cfg_access {
    void *ctx;
    uint32_t (*read32)(void *ctx, struct pci_bdf a, uint16_t off);
    void (*write32)(void *ctx, struct pci_bdf a, uint16_t off, uint32_t v);
    void (*write16)(void *ctx, struct pci_bdf a, uint16_t off, uint16_t v);
};

static inline uint32_t pci_acc_read32(const struct pci_cfg_access *acc, struct pci_bdf a, uint16_t off)
{
    return acc->read32(acc->ctx, a, off);
}

static inline uint16_t pci_acc_read16(const struct pci_cfg_access *acc, struct pci_bdf a, uint16_t off)
{
    return (uint16_t)(acc->read32(acc->ctx, a, off & ~3u) >> ((off & 2u) * 8));
}

static inline uint8_t pci_acc_read8(const struct pci_cfg_access *acc, struct pci_bdf a, uint16_t off)
{
    return (uint8_t)(acc->read32(acc->ctx, a, off & ~3u) >> ((off & 3u) * 8));
}

/* Address encodings (pci_addr.c). */
/* Offset of a register from the ECAM base of its segment (PCIe Base Spec 4.0, 7.2.2). */
uint64_t pci_ecam_offset(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off);
/* CONFIG_ADDRESS value for port 0xCF8 (PCI Local Bus Spec 3.0, 3.2.2.3.2). */
uint32_t pci_port_address(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off);

/* The device table (pci_table.c); pci_devices is the system's, filled by pci_init(). */
struct pci_table {
    unsigned count;
    unsigned buses;          /* buses scanned: root buses plus one per bridge followed */
    bool overflow;           /* more than PCI_MAX_DEVICES functions were present */
    struct pci_dev dev[PCI_MAX_DEVICES];
};
extern struct pci_table pci_devices;
void pci_table_reset(struct pci_table *t);

/* Decodes one BAR from its value and its value after all ones were written (pci_bar.c). */
struct pci_bar_probe {
    uint32_t lo, lo_sized;   /* the BAR dword */
    uint32_t hi, hi_sized;   /* the next dword, for 64-bit memory BARs */
};
/* Number of slots the BAR takes (2 for 64-bit memory), with *out filled (zero if unimplemented). */
unsigned pci_bar_decode(const struct pci_bar_probe *p, bool have_hi, struct pci_bar *out);
/*
 * Sizes the nbars BARs of a function. Memory and I/O decode are off while a BAR holds all
 * ones, unless keep_decode (pci_quirk_keep_decode()). The command register is restored.
 */
void pci_bars_probe(const struct pci_cfg_access *acc, struct pci_bdf a, unsigned nbars, bool keep_decode,
                    struct pci_bar bar[6]);
bool pci_quirk_keep_decode(uint8_t class_code, uint8_t subclass);

/* Offset of capability cap_id in the standard list, or 0 (pci_cap.c). */
uint8_t pci_cap_walk(const struct pci_cfg_access *acc, struct pci_bdf a, uint8_t header_type, uint8_t cap_id);

/*
 * Enumerates a segment depth-first from start_bus, following bridges as firmware numbered
 * them (pci_enum.c). 0, or -ENOSPC when the table filled up.
 */
int pci_enum_segment(const struct pci_cfg_access *acc, struct pci_table *t, uint16_t seg, uint8_t start_bus,
                     uint8_t end_bus);

/* Readability only: a short name for a few known vendor:device pairs, or NULL (pci_names.c). */
const char *pci_device_name(uint16_t vendor, uint16_t device);

/* Boot summary: one line per function, one per BAR, a closing count (pci_summary.c). */
void pci_summary_print(const struct pci_table *t, const char *mechanism);
/* "32 B", "4 KiB", "1 MiB", "16 GiB": the largest unit that divides size. */
void pci_format_size(uint64_t size, char *buf, unsigned len);

#endif
