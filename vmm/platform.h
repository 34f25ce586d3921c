/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The q35-like guest platform of a VM beyond the UART and isa-debug-exit: a local APIC per
 * vCPU (0xFEE00000), the I/O APIC (0xFEC00000), the virtual PCI bus (ports 0xCF8/0xCFC and
 * ECAM at 0xB0000000 for buses 0-255) and the ACPI tables in the BIOS area (RSDP at
 * 0xE0000, found by the guest's scan; Multiboot1 has no field that carries it).
 *
 * Guest physical map: RAM from 0 (the ECAM window needs RAM to end below 0xB0000000, else
 * the VM gets no ECAM and no MCFG), ECAM 0xB0000000-0xBFFFFFFF, assigned BARs where the
 * host has them, IOAPIC 0xFEC00000, LAPIC 0xFEE00000.
 */
#ifndef NESTOR_VMM_PLATFORM_H
#define NESTOR_VMM_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

struct vm;
struct vpci;
struct vlapic;

#define VM_PLATFORM_IOAPIC_ID 0   /* vCPUs have APIC IDs 0..n-1; QEMU gives the IOAPIC ID 0 too */

/* Called by vm_create once RAM and vCPUs exist. 0, or an error (logged). */
int vm_platform_init(struct vm *vm);
/* Called by vm_destroy; safe when vm_platform_init did not run or failed. */
void vm_platform_destroy(struct vm *vm);

/* The VM's PCI bus, for adding functions (assigned devices), or NULL. */
struct vpci *vm_platform_pci(struct vm *vm);
/* vCPU i's local APIC, or NULL. */
struct vlapic *vm_platform_lapic(struct vm *vm, unsigned i);

/*
 * A fixed interrupt message (an MSI, an IOAPIC entry) to the local APICs dest selects
 * (physical APIC ID, 0xFF broadcast, or a logical set). True if one accepted it.
 */
bool vm_platform_deliver_fixed(struct vm *vm, uint8_t vector, uint8_t dest, bool dest_logical, bool level);
/* An IOAPIC input (GSI) asserted or deasserted. */
void vm_platform_set_gsi(struct vm *vm, unsigned gsi, bool level);

#endif
