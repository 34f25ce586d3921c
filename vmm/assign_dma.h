/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DMA confinement of a VM's assigned devices: the device's IOMMU domain maps guest RAM
 * with IOVA = GPA and nothing else, so a device driven by the guest with guest-physical
 * addresses reaches exactly its own VM's memory.
 *
 * Invariant (enforced in assign_dma_map_ram, checked by assign_dma_invariant_holds):
 * every IOMMU mapping of a VM's domain translates an IOVA inside that VM's RAM to the
 * host address guest_ram records for the same GPA; every other IOVA faults.
 *
 * Pure: the domain is reached through the callbacks (domain_map/domain_lookup in Nestor).
 */
#ifndef NESTOR_VMM_ASSIGN_DMA_H
#define NESTOR_VMM_ASSIGN_DMA_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/guest_ram.h"

struct assign_dma_ops {
    /* Maps [iova, iova+size) to [hpa, hpa+size) read/write. 0 or a negative error. */
    int (*map)(void *ctx, uint64_t iova, uint64_t hpa, uint64_t size);
    /* 0 with *hpa for a mapped iova, negative when it is not mapped. */
    int (*lookup)(void *ctx, uint64_t iova, uint64_t *hpa);
    void *ctx;
};

/*
 * Maps all of the VM's RAM, one call per host-contiguous run (so the domain can use
 * large pages). 0, or the first error (ranges mapped before it stay mapped: the caller
 * destroys the domain). *nr_runs counts the map calls.
 */
int assign_dma_map_ram(const struct guest_ram *ram, const struct assign_dma_ops *ops, unsigned *nr_runs);

/*
 * Checks the invariant through lookups: every RAM page maps to its guest_ram HPA, and
 * the first and last page of each 2 MiB from the end of RAM up to probe_end are not
 * mapped. False with *bad_iova set on the first violation.
 */
bool assign_dma_invariant_holds(const struct guest_ram *ram, const struct assign_dma_ops *ops, uint64_t probe_end,
                                uint64_t *bad_iova);

#endif
