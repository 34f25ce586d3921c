/* SPDX-License-Identifier: GPL-2.0-only */
/* MADT: local APICs, I/O APICs, interrupt overrides (ACPI 6.4 section 5.2.12). */
#ifndef NESTOR_KERNEL_ACPI_MADT_H
#define NESTOR_KERNEL_ACPI_MADT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MADT_MAX_CPUS      256
#define MADT_MAX_IOAPICS   16
#define MADT_MAX_OVERRIDES 32
#define MADT_MAX_NMIS      32

/* Interrupt controller structure types (ACPI 6.4 table 5.45). */
enum madt_entry_type {
    MADT_TYPE_LAPIC = 0,
    MADT_TYPE_IOAPIC = 1,
    MADT_TYPE_INT_OVERRIDE = 2,
    MADT_TYPE_LAPIC_NMI = 4,
    MADT_TYPE_LAPIC_ADDR_OVERRIDE = 5,
    MADT_TYPE_X2APIC = 9,
    MADT_TYPE_X2APIC_NMI = 10,
};

/* The acpi_uid of an NMI entry that applies to every processor. */
#define MADT_NMI_ALL_CPUS  0xffffffffu

struct madt_cpu {
    uint32_t apic_id;
    uint32_t acpi_uid;
    bool enabled;         /* flags bit 0 */
    bool online_capable;  /* flags bit 1 */
    bool x2apic;          /* from a type 9 entry */
};

struct madt_ioapic {
    uint8_t id;
    uint32_t address;
    uint32_t gsi_base;
};

struct madt_override {
    uint8_t bus, source;
    uint32_t gsi;
    uint16_t flags;       /* MPS INTI flags: polarity bits 1:0, trigger bits 3:2 */
};

/* LINTn of the processors with acpi_uid (or all) is wired to NMI (types 4 and 10). */
struct madt_nmi {
    uint32_t acpi_uid;
    uint16_t flags;       /* MPS INTI flags */
    uint8_t lint;         /* 0 or 1 */
};

struct madt_info {
    uint64_t lapic_base;
    bool pcat_compat;
    unsigned ncpus, nioapics, noverrides, nnmis;
    struct madt_cpu cpus[MADT_MAX_CPUS];
    struct madt_ioapic ioapics[MADT_MAX_IOAPICS];
    struct madt_override overrides[MADT_MAX_OVERRIDES];
    struct madt_nmi nmis[MADT_MAX_NMIS];
    unsigned skipped;     /* malformed or duplicate entries skipped (each logged) */
};

/*
 * Decodes a MADT (header included). 0 when the header is usable; malformed entries are
 * logged and skipped; a bad checksum or truncated table returns a negative error.
 */
int madt_parse(const void *table, size_t len, struct madt_info *out);

/* Boot summary: "cpus: N (apic ids ...)" and one "ioapic: ..." line per I/O APIC. */
void madt_log_summary(const struct madt_info *m);

#endif
