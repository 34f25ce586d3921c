/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * RMRR ranges (ACPI DMAR, VT-d 8.4) checked against the RAM Nestor manages. Firmware
 * places RMRRs in memory it reserves; one that overlaps usable RAM (a corrupt or
 * hostile table) would give its devices DMA into frames the allocator hands out, so it
 * is refused. Pure: the RAM ranges are an argument (kernel/mm/memmap.h "usable").
 */
#ifndef NESTOR_IOMMU_VTD_RMRR_H
#define NESTOR_IOMMU_VTD_RMRR_H

#include <stdint.h>

#include "kernel/mm/memmap.h"

/*
 * 0 when RMRR [base, limit] (limit inclusive, as in the table) is well formed (base and
 * limit + 1 page-aligned, limit >= base, no wrap) and overlaps none of the n usable
 * RAM ranges; -EINVAL when malformed; -EBUSY when it overlaps RAM, *hit (if not NULL)
 * then holds the overlapping part of the first such range.
 */
int vtd_rmrr_check(uint64_t base, uint64_t limit, const struct mem_range *ram, unsigned n, struct mem_range *hit);

#endif
