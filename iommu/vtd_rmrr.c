// SPDX-License-Identifier: GPL-2.0-only
#include "iommu/vtd_rmrr.h"

#include "kernel/errno.h"

int vtd_rmrr_check(uint64_t base, uint64_t limit, const struct mem_range *ram, unsigned n, struct mem_range *hit)
{
    uint64_t end = limit + 1;   /* exclusive */

    if (limit < base || end == 0 || (base & 0xFFF) || (end & 0xFFF))
        return -EINVAL;
    for (unsigned i = 0; i < n; i++) {
        uint64_t lo = ram[i].base > base ? ram[i].base : base;
        uint64_t hi = ram[i].end < end ? ram[i].end : end;
        if (lo < hi) {
            if (hit)
                *hit = (struct mem_range){ lo, hi };
            return -EBUSY;
        }
    }
    return 0;
}
