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

struct madt_info {
    uint64_t lapic_base;
    bool pcat_compat;
    unsigned ncpus, nioapics, noverrides;
    struct madt_cpu cpus[MADT_MAX_CPUS];
    struct madt_ioapic ioapics[MADT_MAX_IOAPICS];
    struct madt_override overrides[MADT_MAX_OVERRIDES];
};

int madt_parse(const void *table, size_t len, struct madt_info *out);

#endif
