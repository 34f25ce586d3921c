/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host IOMMU: every DMA-remapping unit of the ACPI DMAR table brought up at boot,
 * RMRR regions identity-mapped for the devices that need them, everything else
 * blocked (no context/PASID entry: its DMA faults). Command line:
 *   iommu=off     leave VT-d untouched (DMA not isolated; logged)
 *   iommu=legacy  legacy translation mode even where scalable mode is offered
 */
#ifndef NESTOR_IOMMU_IOMMU_H
#define NESTOR_IOMMU_IOMMU_H

#include <stdbool.h>
#include <stdint.h>

#include "iommu/domain.h"
#include "kernel/bootinfo.h"
#include "iommu/vtd_unit.h"

/*
 * Brings up every unit (after acpi_init and pci_init). bi's memory map says which RAM
 * the frame allocator manages: an RMRR overlapping it is refused (iommu/vtd_rmrr.h).
 * 0, or negative if a unit failed (logged).
 */
int iommu_init(const struct boot_info *bi);

bool iommu_active(void);
unsigned iommu_unit_count(void);
struct vtd_unit *iommu_unit(unsigned idx);
/* The unit translating DMA of seg:bus:dev.fn, or NULL. */
struct vtd_unit *iommu_unit_for_device(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn);

/* A new empty domain shaped for unit u (heap-allocated), or NULL. */
struct iommu_domain *iommu_domain_create(struct vtd_unit *u);
void iommu_domain_free(struct iommu_domain *d);

/*
 * Sees every fault record of every unit, attached device or not (diagnostics, self-tests),
 * before the owning domain's handler. NULL removes it.
 */
void iommu_set_fault_observer(vtd_fault_owner_fn fn, void *ctx);

/* Fault event interrupts taken so far. */
unsigned iommu_fault_irq_count(void);

/* Drains the fault records of every unit now (before interrupts are enabled). */
unsigned iommu_poll_faults(void);

#endif
