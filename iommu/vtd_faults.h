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

/*
 * Fault storms: a requester with more than VTD_FAULT_STORM_MAX faults within
 * VTD_FAULT_STORM_WINDOW_US is silenced through the unit's storm handler (FPD in its
 * context or PASID entry: its DMA stays blocked, faults are no longer recorded). A
 * requester with no entry cannot be silenced alone: the unit's fault interrupt is
 * masked for one window instead (see vtd_faults.c).
 */
#define VTD_FAULT_STORM_MAX       64u
#define VTD_FAULT_STORM_WINDOW_US 100000ULL

/* Resets the counters and rate limit; leaves the fault event masked. */
void vtd_faults_init(struct vtd_unit *u);

/* Programs the fault event MSI (FEDATA/FEADDR/FEUADDR) for vector and unmasks it (FECTL.IM). */
void vtd_faults_enable_irq(struct vtd_unit *u, int vector, uint32_t msi_addr, uint32_t msi_data);
void vtd_faults_mask_irq(struct vtd_unit *u);

void vtd_faults_set_owner(struct vtd_unit *u, vtd_fault_owner_fn fn, void *ctx);
void vtd_faults_set_storm_handler(struct vtd_unit *u, vtd_fault_storm_fn fn, void *ctx);
/* The device's entry was rebuilt (attach/detach): FPD is clear again, a new storm is reported. */
void vtd_faults_storm_reset(struct vtd_unit *u, uint16_t sid);

/* Drains every pending record (FSTS.FRI onwards); returns how many were handled. */
unsigned vtd_faults_drain(struct vtd_unit *u);

/* Faults seen so far from requester sid on this unit. */
uint32_t vtd_faults_count(const struct vtd_unit *u, uint16_t sid);

#endif
