// SPDX-License-Identifier: GPL-2.0-only
/* IOMMU mappings of a VM's RAM for its assigned devices (invariant in assign_dma.h). */
#include "vmm/assign_dma.h"

#include "kernel/errno.h"

/* The run is inside RAM and each page of it is the page guest_ram holds for its GPA. */
static bool run_is_guest_ram(const struct guest_ram *ram, uint64_t gpa, uint64_t hpa, uint64_t size)
{
    if (!guest_ram_contains(ram, gpa, size))
        return false;
    for (uint64_t off = 0; off < size; off += GUEST_RAM_PAGE_BYTES)
        if (guest_ram_gpa_to_hpa(ram, gpa + off) != hpa + off)
            return false;
    return true;
}

static int map_run(const struct guest_ram *ram, const struct assign_dma_ops *ops, uint64_t gpa, uint64_t hpa,
                   uint64_t size, unsigned *nr_runs)
{
    if (!run_is_guest_ram(ram, gpa, hpa, size))
        return -EPERM;
    (*nr_runs)++;
    return ops->map(ops->ctx, gpa, hpa, size);
}

int assign_dma_map_ram(const struct guest_ram *ram, const struct assign_dma_ops *ops, unsigned *nr_runs)
{
    uint64_t run_gpa = 0, run_hpa = 0, run_size = 0;
    int rc;

    *nr_runs = 0;
    for (uint64_t gpa = 0; gpa < ram->size_bytes;) {
        uint64_t hpa = guest_ram_gpa_to_hpa(ram, gpa);
        uint64_t step = guest_ram_slot_is_contiguous(ram, gpa) ? GUEST_RAM_SLOT_BYTES : GUEST_RAM_PAGE_BYTES;

        if (!hpa)
            return -EINVAL;
        if (run_size && run_hpa + run_size == hpa) {
            run_size += step;
        } else {
            if (run_size && (rc = map_run(ram, ops, run_gpa, run_hpa, run_size, nr_runs)) < 0)
                return rc;
            run_gpa = gpa;
            run_hpa = hpa;
            run_size = step;
        }
        gpa += step;
    }
    if (run_size)
        return map_run(ram, ops, run_gpa, run_hpa, run_size, nr_runs);
    return 0;
}

bool assign_dma_invariant_holds(const struct guest_ram *ram, const struct assign_dma_ops *ops, uint64_t probe_end,
                                uint64_t *bad_iova)
{
    uint64_t hpa;

    for (uint64_t gpa = 0; gpa < ram->size_bytes; gpa += GUEST_RAM_PAGE_BYTES) {
        if (ops->lookup(ops->ctx, gpa, &hpa) < 0 || hpa != guest_ram_gpa_to_hpa(ram, gpa)) {
            *bad_iova = gpa;
            return false;
        }
    }
    for (uint64_t iova = ram->size_bytes; iova < probe_end && iova >= ram->size_bytes; iova += GUEST_RAM_SLOT_BYTES) {
        uint64_t last = iova + GUEST_RAM_SLOT_BYTES - GUEST_RAM_PAGE_BYTES;

        if (ops->lookup(ops->ctx, iova, &hpa) == 0) {
            *bad_iova = iova;
            return false;
        }
        if (ops->lookup(ops->ctx, last, &hpa) == 0) {
            *bad_iova = last;
            return false;
        }
    }
    return true;
}
