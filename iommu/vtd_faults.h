/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Primary fault handling of a unit (VT-d 7.3, 11.4.9): every pending fault recording
 * register is drained, decoded, logged (rate-limited), counted per requester and
 * handed to the unit's owner callback; overflow is cleared and reported. The same
 * drain serves the fault event interrupt and polling before interrupts work.
 */
#ifndef NESTOR_IOMMU_VTD_FAULTS_H
#define NESTOR_IOMMU_VTD_FAULTS_H

#include <stdint.h>

#include "iommu/vtd_unit.h"

#define VTD_FAULT_LOG_BURST       10        /* lines per window */
#define VTD_FAULT_LOG_INTERVAL_US 1000000ULL

/* Resets the counters and rate limit; leaves the fault event masked. */
void vtd_faults_init(struct vtd_unit *u);

/* Programs the fault event MSI (FEDATA/FEADDR/FEUADDR) for vector and unmasks it (FECTL.IM). */
void vtd_faults_enable_irq(struct vtd_unit *u, int vector, uint32_t msi_addr, uint32_t msi_data);
void vtd_faults_mask_irq(struct vtd_unit *u);

void vtd_faults_set_owner(struct vtd_unit *u, vtd_fault_owner_fn fn, void *ctx);

/* Drains every pending record (FSTS.FRI onwards); returns how many were handled. */
unsigned vtd_faults_drain(struct vtd_unit *u);

/* Faults seen so far from requester sid on this unit. */
uint32_t vtd_faults_count(const struct vtd_unit *u, uint16_t sid);

#endif
