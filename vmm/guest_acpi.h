/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ACPI tables Nestor gives a guest (ACPI 6.5 chapter 5): RSDP revision 2 (5.2.5),
 * RSDT and XSDT (5.2.7, 5.2.8), FADT revision 6 for a hardware-reduced platform (5.2.9;
 * no PM blocks, SCI or FACS to emulate), a DSDT holding an empty \_SB scope (5.2.11.1),
 * MADT with one local APIC per vCPU, the I/O APIC and the ISA IRQ0 -> GSI2 override
 * (5.2.12), and MCFG for the ECAM window (PCI Firmware Spec 3.2 4.1.2).
 *
 * The tables are built into a buffer that the caller copies to guest physical base_gpa
 * (in the BIOS area 0xE0000-0xFFFFF, where the RSDP must be found by a scan of 16-byte
 * boundaries, 5.2.5.1); the RSDP is first. Pure: unit-tested on Linux, and checked with
 * `iasl -d` by the unit test.
 */
#ifndef NESTOR_VMM_GUEST_ACPI_H
#define NESTOR_VMM_GUEST_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GUEST_ACPI_BASE       0xE0000ULL
#define GUEST_ACPI_AREA_END   0x100000ULL
#define GUEST_ACPI_MAX_CPUS   32
#define GUEST_ACPI_OEM_ID     "NESTOR"
#define GUEST_ACPI_OEM_TABLE  "NESTORVM"

struct guest_acpi_config {
    unsigned nr_cpus;            /* local APIC IDs 0 .. nr_cpus-1, processor UIDs the same */
    uint32_t lapic_base;
    uint32_t ioapic_base;
    uint8_t ioapic_id;
    uint32_t ioapic_gsi_base;
    bool have_ecam;              /* else no MCFG */
    uint64_t ecam_base;
    uint8_t ecam_start_bus, ecam_end_bus;
};

/* Where each table went (guest physical addresses; 0 = absent). */
struct guest_acpi_layout {
    uint64_t rsdp, rsdt, xsdt, fadt, dsdt, madt, mcfg;
    size_t bytes;                /* used from the start of the buffer */
};

/*
 * Builds the tables into buf[0, cap) for placement at base_gpa (16-byte aligned, the whole
 * image below 4 GiB). 0, -EINVAL (bad config) or -ENOSPC (cap too small).
 */
int guest_acpi_build(const struct guest_acpi_config *cfg, uint64_t base_gpa, void *buf, size_t cap,
                     struct guest_acpi_layout *out);

#endif
