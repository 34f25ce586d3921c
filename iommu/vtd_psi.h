/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Page-selective invalidation planning (VT-d spec 6.5.1.2/6.5.2.3): an IOTLB or
 * PASID-based IOTLB invalidation names 2^AM pages at an address aligned to
 * 4 KiB << AM, with AM at most CAP.MAMV. These helpers turn the IOVA ranges
 * that vtd_pgtable_map()/unmap() report into such (address, AM) pairs, or say
 * that a domain-selective invalidation is the better choice. The one planner for
 * the host driver (iommu/vtd_inval.c sends the plans) and the vIOMMU.
 */
#ifndef NESTOR_IOMMU_VTD_PSI_H
#define NESTOR_IOMMU_VTD_PSI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iommu/vtd_pgtable.h"

struct vtd_psi {
    uint64_t addr;   /* aligned to 4 KiB << am */
    unsigned am;     /* 2^am pages */
};

/*
 * Splits [start, end) (rounded out to 4 KiB) exactly into naturally aligned
 * blocks of at most 2^max_am pages, in address order. Writes at most max
 * blocks to out and returns the number the range needs.
 */
size_t vtd_psi_split(uint64_t start, uint64_t end, unsigned max_am, struct vtd_psi *out, size_t max);

/* The smallest single block covering [start, end); false if it needs AM > max_am. */
bool vtd_psi_cover(uint64_t start, uint64_t end, unsigned max_am, struct vtd_psi *out);

#define VTD_INVAL_MAX_PSI 8   /* more page-selective descriptors than this: invalidate the domain */

enum vtd_inval_kind {
    VTD_INVAL_NONE,     /* nothing cached can be stale */
    VTD_INVAL_PAGES,    /* plan->psi[0..count) */
    VTD_INVAL_DOMAIN,   /* domain-selective (or PASID-selective) */
};

struct vtd_inval_plan {
    enum vtd_inval_kind kind;
    /*
     * Only leaf entries changed: the invalidation hint may be set (6.5.2.3). Never in
     * caching mode when tables were added: the unit may hold their not-present parents.
     */
    bool ih;
    size_t count;
    struct vtd_psi psi[VTD_INVAL_MAX_PSI];
};

/*
 * Chooses the invalidation for a changed range. A range that only turned
 * not-present entries present needs none unless the unit caches non-present
 * entries (CAP.CM, VT-d 6.1). psi_supported is CAP.PSI (or true for PASID-based
 * IOTLB invalidation), mamv is CAP.MAMV.
 */
void vtd_inval_plan_make(const struct vtd_pgt_range *changed, bool caching_mode, bool psi_supported, unsigned mamv,
                         struct vtd_inval_plan *plan);

#endif
