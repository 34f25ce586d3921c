// SPDX-License-Identifier: GPL-2.0-only
/* Page-selective invalidation planning (see iommu/vtd_psi.h). */
#include "iommu/vtd_psi.h"

/* Largest am with page aligned to 2^am, capped at max_am. */
static unsigned psi_align_am(uint64_t page, unsigned max_am)
{
    unsigned am = 0;

    while (am < max_am && am < 52 && !(page & (1ULL << am)))
        am++;
    return am;
}

size_t vtd_psi_split(uint64_t start, uint64_t end, unsigned max_am, struct vtd_psi *out, size_t max)
{
    uint64_t page = start >> VTD_PAGE_SHIFT;
    uint64_t end_page = (end + VTD_PAGE_SIZE - 1) >> VTD_PAGE_SHIFT;
    size_t n = 0;

    while (page < end_page) {
        unsigned am = psi_align_am(page, max_am);

        while (am && page + (1ULL << am) > end_page)
            am--;
        if (n < max) {
            out[n].addr = page << VTD_PAGE_SHIFT;
            out[n].am = am;
        }
        n++;
        page += 1ULL << am;
    }
    return n;
}

bool vtd_psi_cover(uint64_t start, uint64_t end, unsigned max_am, struct vtd_psi *out)
{
    uint64_t first = start >> VTD_PAGE_SHIFT;
    uint64_t last = ((end + VTD_PAGE_SIZE - 1) >> VTD_PAGE_SHIFT) - 1;
    unsigned am = 0;

    if (end <= start)
        return false;
    while (am < 52 && (first >> am) != (last >> am))
        am++;
    if (am > max_am)
        return false;
    out->addr = (first >> am) << am << VTD_PAGE_SHIFT;
    out->am = am;
    return true;
}

void vtd_inval_plan_make(const struct vtd_pgt_range *changed, bool caching_mode, bool psi_supported, unsigned mamv,
                         struct vtd_inval_plan *plan)
{
    size_t need;

    plan->count = 0;
    plan->ih = !changed->tables_changed && !(caching_mode && changed->tables_added);
    if (changed->start == changed->end || (!changed->had_present && !changed->tables_changed && !caching_mode)) {
        plan->kind = VTD_INVAL_NONE;
        return;
    }
    plan->kind = VTD_INVAL_DOMAIN;
    if (!psi_supported)
        return;
    need = vtd_psi_split(changed->start, changed->end, mamv, plan->psi, VTD_INVAL_MAX_PSI);
    if (need <= VTD_INVAL_MAX_PSI) {
        plan->kind = VTD_INVAL_PAGES;
        plan->count = need;
    } else if (vtd_psi_cover(changed->start, changed->end, mamv, &plan->psi[0])) {
        plan->kind = VTD_INVAL_PAGES;
        plan->count = 1;
    }
}
