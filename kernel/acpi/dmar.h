/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DMAR: DMA Remapping Reporting table (VT-d spec chapter 8), fully decoded into plain
 * structures. Pure: unit-tested with well-formed and malformed tables.
 * Device scopes are kept as the firmware wrote them (start bus + path); resolving a
 * path to a bus number needs PCI config reads of the bridges on the path (dmar_scope_resolve).
 */
#ifndef NESTOR_KERNEL_ACPI_DMAR_H
#define NESTOR_KERNEL_ACPI_DMAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DMAR_MAX_DRHD   16
#define DMAR_MAX_RMRR   32
#define DMAR_MAX_ATSR   16
#define DMAR_MAX_SATC   16
#define DMAR_MAX_RHSA   16
#define DMAR_MAX_ANDD   16
#define DMAR_MAX_SCOPES 256
#define DMAR_MAX_PATH   8

/* DMAR header flags (VT-d 8.1). */
#define DMAR_FLAG_INTR_REMAP       (1u << 0)
#define DMAR_FLAG_X2APIC_OPT_OUT   (1u << 1)
#define DMAR_FLAG_DMA_CTRL_OPT_IN  (1u << 2)

/* Remapping structure types (VT-d 8.2). */
enum dmar_struct_type {
    DMAR_TYPE_DRHD = 0,
    DMAR_TYPE_RMRR = 1,
    DMAR_TYPE_ATSR = 2,
    DMAR_TYPE_RHSA = 3,
    DMAR_TYPE_ANDD = 4,
    DMAR_TYPE_SATC = 5,
    DMAR_TYPE_SIDP = 6,
};

/* Device scope entry types (VT-d 8.3.1). */
enum dmar_scope_type {
    DMAR_SCOPE_PCI_ENDPOINT = 1,
    DMAR_SCOPE_PCI_SUBHIERARCHY = 2,
    DMAR_SCOPE_IOAPIC = 3,
    DMAR_SCOPE_HPET = 4,
    DMAR_SCOPE_ACPI_NAMESPACE = 5,
};

#define DMAR_DRHD_INCLUDE_PCI_ALL  (1u << 0)
#define DMAR_ATSR_ALL_PORTS        (1u << 0)
#define DMAR_SATC_ATC_REQUIRED     (1u << 0)

struct dmar_path_elem {
    uint8_t dev, fn;
};

struct dmar_scope {
    uint8_t type;          /* enum dmar_scope_type */
    uint8_t flags;
    uint8_t enum_id;       /* IOAPIC id, HPET number, ACPI device number */
    uint8_t start_bus;
    uint8_t path_len;
    struct dmar_path_elem path[DMAR_MAX_PATH];
};

/* A slice of dmar_info.scopes. */
struct dmar_scope_list {
    uint16_t first, count;
};

struct dmar_drhd {
    uint64_t base;
    uint16_t segment;
    uint8_t flags;
    bool include_pci_all;
    uint64_t reg_size_bytes; /* from the Size field: 2^N pages (0 means one page) */
    struct dmar_scope_list scopes;
};

struct dmar_rmrr {
    uint16_t segment;
    uint64_t base;
    uint64_t limit;          /* inclusive, as in the table */
    struct dmar_scope_list scopes;
};

struct dmar_atsr {
    uint8_t flags;
    uint16_t segment;
    struct dmar_scope_list scopes;
};

struct dmar_satc {
    uint8_t flags;
    uint16_t segment;
    struct dmar_scope_list scopes;
};

struct dmar_rhsa {
    uint64_t base;
    uint32_t proximity_domain;
};

struct dmar_andd {
    uint8_t acpi_device_number;
    char object_name[64];
};

struct dmar_info {
    uint8_t host_addr_width;  /* the table's HAW field + 1, in bits */
    uint8_t flags;
    unsigned ndrhd, nrmrr, natsr, nsatc, nrhsa, nandd, nscopes;
    struct dmar_drhd drhd[DMAR_MAX_DRHD];
    struct dmar_rmrr rmrr[DMAR_MAX_RMRR];
    struct dmar_atsr atsr[DMAR_MAX_ATSR];
    struct dmar_satc satc[DMAR_MAX_SATC];
    struct dmar_rhsa rhsa[DMAR_MAX_RHSA];
    struct dmar_andd andd[DMAR_MAX_ANDD];
    struct dmar_scope scopes[DMAR_MAX_SCOPES];
    unsigned skipped;          /* unknown or malformed structures skipped (each logged) */
};

/*
 * Decodes a DMAR table (header included). Returns 0 when at least the header is usable;
 * malformed remapping structures are logged and skipped (counted in skipped); a bad
 * checksum, truncated length or missing header returns a negative error.
 */
int dmar_parse(const void *table, size_t len, struct dmar_info *out);

/* Reads one byte of PCI configuration space (for bridge secondary bus numbers). */
typedef uint8_t (*pci_cfg_read8_fn)(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off);

/*
 * Resolves a PCI device scope path to the bus/dev/fn of its last element (VT-d 8.3.2),
 * following each bridge's secondary bus number. 0, or negative if the path is empty or
 * runs into a device that is not a bridge.
 */
int dmar_scope_resolve(const struct dmar_scope *s, uint16_t seg, pci_cfg_read8_fn rd,
                       uint8_t *bus, uint8_t *dev, uint8_t *fn);

/* The DRHD unit responsible for seg:bus:dev.fn (explicit scope first, then INCLUDE_PCI_ALL), or -1. */
int dmar_unit_for_device(const struct dmar_info *d, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn,
                         pci_cfg_read8_fn rd);

/* Boot summary: the header line, then each structure and its scopes (formats in dmar_print.c). */
void dmar_log_summary(const struct dmar_info *d);

/* "endpoint", "bridge", "ioapic", "hpet", "acpi-namespace" or "unknown". */
const char *dmar_scope_type_name(uint8_t type);

#endif
