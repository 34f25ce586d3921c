/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Invalidation of a unit's caches (VT-d 6.5): the invalidation queue with wait
 * descriptors, or the register-based interface (CCMD, IOTLB) when ECAP.QI is clear.
 * Every request waits for completion (invalidation-wait status write, or the
 * register's busy bit), bounded by VTD_INVAL_TIMEOUT_US; queue errors (FSTS.IQE,
 * ITE, ICE) are logged, cleared and returned as errors.
 */
#ifndef NESTOR_IOMMU_VTD_INVAL_H
#define NESTOR_IOMMU_VTD_INVAL_H

#include <stdbool.h>
#include <stdint.h>

#include "iommu/vtd_psi.h"
#include "iommu/vtd_unit.h"

/* Allocates the queue page and status word, programs IQA/IQT, sets QIE. */
int vtd_inval_queue_enable(struct vtd_unit *u);
/* Waits for the queue to drain and clears QIE. */
void vtd_inval_queue_disable(struct vtd_unit *u);

/* Everything: context cache, PASID cache (scalable), IOTLB; used at bring-up. */
int vtd_inval_global(struct vtd_unit *u);

/* Context cache (6.5.2.1 / 11.4.7): one device (sid, with the DID its entry had) or one domain. */
int vtd_inval_context_device(struct vtd_unit *u, uint16_t did, uint16_t sid);
int vtd_inval_context_domain(struct vtd_unit *u, uint16_t did);

/* PASID cache (6.5.2.2, scalable mode only): one PASID of a domain, or all PASIDs of it. */
int vtd_inval_pasid_cache(struct vtd_unit *u, uint16_t did, uint32_t pasid);
int vtd_inval_pasid_cache_domain(struct vtd_unit *u, uint16_t did);

/* IOTLB (6.5.2.3): a domain's mappings, or 2^am pages at iova (aligned) with the leaf hint ih. */
int vtd_inval_iotlb_domain(struct vtd_unit *u, uint16_t did);
int vtd_inval_iotlb_pages(struct vtd_unit *u, uint16_t did, uint64_t iova, unsigned am, bool ih);

/* PASID-based IOTLB (6.5.2.4): first-stage and nested translations of (did, pasid). */
int vtd_inval_piotlb_all(struct vtd_unit *u, uint16_t did, uint32_t pasid);
int vtd_inval_piotlb_pages(struct vtd_unit *u, uint16_t did, uint32_t pasid, uint64_t iova, unsigned am, bool ih);

/*
 * Device-TLB (6.5.2.5) of a device with ATS enabled: sid, its physical function's sid
 * (pfsid, for DIT), the invalidate queue depth it reports, and 2^am pages at iova
 * (am = 52 - 12 means everything).
 */
int vtd_inval_devtlb(struct vtd_unit *u, uint16_t sid, uint16_t pfsid, unsigned qdep, uint64_t iova,
                     unsigned am);

/* ---- invalidation of a domain's changed range (plans from iommu/vtd_psi.h) ---- */

enum vtd_inval_target {
    VTD_INVAL_TARGET_IOTLB,    /* second-stage (legacy, or PGTT=second-stage): IOTLB descriptors */
    VTD_INVAL_TARGET_PIOTLB,   /* first-stage or nested: PASID-based IOTLB descriptors for pasid */
};

/*
 * Pure: the invalidation a range changed by vtd_pgtable_map()/unmap() needs on a unit
 * with capability register cap (CM, PSI, MAMV). PASID-based IOTLB page invalidation
 * does not depend on CAP.PSI (6.5.2.4).
 */
void vtd_inval_plan_for_cap(uint64_t cap, enum vtd_inval_target target, const struct vtd_pgt_range *changed,
                            struct vtd_inval_plan *plan);

/*
 * Sends a plan for (did, pasid): its page-selective descriptors as one group followed
 * by one wait, or one domain-selective (PASID-selective) invalidation. Nothing for
 * VTD_INVAL_NONE. The register interface sends one IOTLB request per block, and has no
 * PASID-based invalidation (-ENOTSUP).
 */
int vtd_inval_send_plan(struct vtd_unit *u, enum vtd_inval_target target, uint16_t did, uint32_t pasid,
                        const struct vtd_inval_plan *plan);

#endif
