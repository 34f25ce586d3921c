/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PCI: configuration access (ECAM from MCFG, port 0xCF8/0xCFC fallback for segment 0),
 * enumeration that walks bridges, decoded BARs. Devices live in a fixed table.
 */
#ifndef NESTOR_KERNEL_PCI_PCI_H
#define NESTOR_KERNEL_PCI_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/acpi/mcfg.h"

#define PCI_MAX_DEVICES 256

struct pci_bar {
    uint64_t base;     /* 0 if unimplemented */
    uint64_t size;
    bool io, mem64, prefetch;
};

struct pci_dev {
    uint16_t seg;
    uint8_t bus, dev, fn;
    uint16_t vendor, device;
    uint8_t class_code, subclass, prog_if, revision;
    uint8_t header_type;      /* bits 6:0 */
    bool is_bridge;
    uint8_t secondary_bus, subordinate_bus; /* bridges only */
    struct pci_bar bar[6];
    int parent;               /* index of the upstream bridge in the table, -1 on a root bus */
};

/* Enumerates every segment of mcfg (or segment 0 through ports when mcfg is NULL/empty). */
int pci_init(const struct mcfg_info *mcfg);
unsigned pci_device_count(void);
struct pci_dev *pci_device(unsigned idx);
struct pci_dev *pci_find_bdf(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn);
struct pci_dev *pci_find_id(uint16_t vendor, uint16_t device, unsigned nth);

uint32_t pci_cfg_read32(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off);
uint16_t pci_cfg_read16(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off);
uint8_t pci_cfg_read8(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off);
void pci_cfg_write32(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, uint32_t v);
void pci_cfg_write16(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, uint16_t v);

/* Offset of capability id in the standard list, or 0. */
uint8_t pci_find_cap(const struct pci_dev *d, uint8_t cap_id);

/* Parses "BB:DD.F" or "SSSS:BB:DD.F"; true on success. Pure. */
bool pci_parse_bdf(const char *s, uint16_t *seg, uint8_t *bus, uint8_t *dev, uint8_t *fn);

#define PCI_BDF_FMT "%04x:%02x:%02x.%x"
#define PCI_BDF_ARGS(d) (d)->seg, (d)->bus, (d)->dev, (d)->fn

#endif
