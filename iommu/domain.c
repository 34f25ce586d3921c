// SPDX-License-Identifier: GPL-2.0-only
/*
 * Isolation domains (VT-d 3.4 root/context/PASID structures, 6.5 invalidation rules,
 * 6.5.3.3 guidance: entry changes are followed by context/PASID-cache and IOTLB
 * invalidation with the DID the entry had).
 */
#include "iommu/domain.h"

#include "iommu/vtd_faults.h"
#include "iommu/vtd_inval.h"
#include "iommu/vtd_regs.h"
#include "iommu/vtd_root.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "lib/kstring.h"

#define DOMAIN_REGISTRY_MAX 64

static domain_hpa_policy_fn hpa_policy;
static struct iommu_domain *registry[DOMAIN_REGISTRY_MAX];

void domain_set_hpa_policy(domain_hpa_policy_fn fn) { hpa_policy = fn; }

/* ---- pure entry builders ---- */

struct vtd_ctx_entry domain_legacy_context_entry(uint64_t table_pa, unsigned levels, uint16_t did,
                                                 enum domain_attach_type type)
{
    if (type == DOMAIN_ATTACH_PASS_THROUGH)
        return vtd_ctx_make(0, levels, did, VTD_CTX_TT_PASS_THROUGH);
    return vtd_ctx_make(table_pa, levels, did, VTD_CTX_TT_UNTRANSLATED);
}

int domain_pasid_entry(struct vtd_pasid_entry *pe, const struct domain_pasid_params *p)
{
    switch (p->type) {
    case DOMAIN_ATTACH_TRANSLATE:
        if (p->stage == VTD_STAGE_SECOND) {
            if (p->levels < 3 || p->levels > 5)
                return -EINVAL;
            *pe = vtd_pe_make_second_stage(p->table_pa, p->levels, p->did);
            return 0;
        }
        if (p->levels != 4 && p->levels != 5)
            return -EINVAL;
        *pe = vtd_pe_make_first_stage(p->table_pa, p->levels == 5, p->did);
        return 0;
    case DOMAIN_ATTACH_PASS_THROUGH:
        *pe = vtd_pe_make_pass_through(p->did);
        vtd_pe_set_aw(pe, vtd_aw_from_levels(p->levels));
        return 0;
    case DOMAIN_ATTACH_NESTED:
        /* The guest's first stage is translated by the domain's second stage (VT-d 3.8). */
        if (p->stage != VTD_STAGE_SECOND || p->levels < 3 || p->levels > 5 || (p->guest_fs_root & 0xFFF))
            return -EINVAL;
        *pe = vtd_pe_make_nested(p->guest_fs_root, p->guest_fs_5level, p->table_pa, p->levels, p->did);
        return 0;
    }
    return -EINVAL;
}

/* ---- table memory through the unit's environment ---- */

static int mem_alloc(void *ctx, uint64_t *pa)
{
    const struct iommu_domain *d = ctx;

    *pa = d->env->page_alloc();
    return *pa ? 0 : -ENOMEM;
}

static uint64_t *mem_map(void *ctx, uint64_t pa)
{
    const struct iommu_domain *d = ctx;

    return d->env->phys_to_virt(pa);
}

static void mem_free(void *ctx, uint64_t pa)
{
    struct iommu_domain *d = ctx;

    if (!d->retiring) {
        d->env->page_free(pa);
        return;
    }
    *(volatile uint64_t *)d->env->phys_to_virt(pa) = d->retired_tables;
    d->retired_tables = pa;
}

/* After the invalidation of a map/unmap: retired tables are freed, or kept when it failed. */
static void retired_tables_release(struct iommu_domain *d, bool invalidated)
{
    unsigned n = 0;

    d->retiring = false;
    while (d->retired_tables) {
        uint64_t pa = d->retired_tables;
        d->retired_tables = *(volatile uint64_t *)d->env->phys_to_virt(pa);
        if (invalidated)
            d->env->page_free(pa);
        n++;
    }
    if (!invalidated && n)
        pr_err("dom%u: invalidation failed: %u table page(s) kept out of reuse\n", d->id, n);
}

static void mem_flush(void *ctx, const void *p, size_t len)
{
    const struct iommu_domain *d = ctx;

    if (d->env->flush)
        d->env->flush(p, len);
}

/* ---- DMA-able host ranges (the isolation invariant in domain.h) ---- */

static struct domain_dma_region *region_at(const struct iommu_domain *d, unsigned i)
{
    struct domain_dma_region *page = d->env->phys_to_virt(d->region_pages[i / DOMAIN_DMA_REGIONS_PER_PAGE]);

    return &page[i % DOMAIN_DMA_REGIONS_PER_PAGE];
}

static void region_remove(struct iommu_domain *d, unsigned i)
{
    *region_at(d, i) = *region_at(d, d->nregions - 1);
    d->nregions--;
}

bool domain_dma_region_covers(const struct iommu_domain *d, uint64_t hpa, uint64_t size)
{
    for (unsigned i = 0; i < d->nregions; i++) {
        const struct domain_dma_region *r = region_at(d, i);
        if (r->start <= hpa && hpa + size <= r->end)
            return true;
    }
    return false;
}

int domain_add_dma_region(struct iommu_domain *d, uint64_t hpa, uint64_t size)
{
    struct domain_dma_region nr = { hpa, hpa + size };
    unsigned page;

    if (!size || ((hpa | size) & 0xFFF) || nr.end < hpa)
        return -EINVAL;
    if (hpa_policy && !hpa_policy(hpa, size)) {
        pr_warn("dom%u: refusing DMA region %#llx-%#llx (hypervisor-owned)\n", d->id, (unsigned long long)hpa,
                (unsigned long long)(nr.end - 1));
        return -EPERM;
    }
    /* Coalesce: every range that overlaps or touches the new one is absorbed into it. */
    for (unsigned i = 0; i < d->nregions;) {
        struct domain_dma_region *r = region_at(d, i);
        if (r->start <= nr.end && nr.start <= r->end) {
            nr.start = r->start < nr.start ? r->start : nr.start;
            nr.end = r->end > nr.end ? r->end : nr.end;
            region_remove(d, i);
        } else {
            i++;
        }
    }
    page = d->nregions / DOMAIN_DMA_REGIONS_PER_PAGE;
    if (page == DOMAIN_DMA_REGION_PAGES) {
        pr_err("dom%u: more than %u disjoint DMA regions\n", d->id, DOMAIN_DMA_REGION_PAGES * DOMAIN_DMA_REGIONS_PER_PAGE);
        return -ENOSPC;
    }
    if (!d->region_pages[page] && !(d->region_pages[page] = d->env->page_alloc()))
        return -ENOMEM;
    *region_at(d, d->nregions++) = nr;
    return 0;
}

static void regions_free(struct iommu_domain *d)
{
    for (unsigned i = 0; i < DOMAIN_DMA_REGION_PAGES; i++)
        if (d->region_pages[i]) {
            d->env->page_free(d->region_pages[i]);
            d->region_pages[i] = 0;
        }
    d->nregions = 0;
}

/* ---- registry (fault lookup) ---- */

static void registry_add(struct iommu_domain *d)
{
    for (unsigned i = 0; i < DOMAIN_REGISTRY_MAX; i++)
        if (!registry[i]) {
            registry[i] = d;
            d->registered = true;
            return;
        }
}

static void registry_remove(struct iommu_domain *d)
{
    for (unsigned i = 0; i < DOMAIN_REGISTRY_MAX; i++)
        if (registry[i] == d)
            registry[i] = NULL;
    d->registered = false;
}

struct iommu_domain *domain_of_device(const struct vtd_unit *u, uint16_t sid)
{
    for (unsigned i = 0; i < DOMAIN_REGISTRY_MAX; i++) {
        struct iommu_domain *d = registry[i];
        if (!d)
            continue;
        for (unsigned j = 0; j < d->ndev; j++)
            if (d->dev[j].unit == u && domain_sid(d->dev[j].bus, d->dev[j].devfn) == sid)
                return d;
    }
    return NULL;
}

void domain_set_fault_handler(struct iommu_domain *d, domain_fault_fn fn, void *ctx)
{
    d->fault_fn = fn;
    d->fault_ctx = ctx;
}

void domain_set_storm_handler(struct iommu_domain *d, domain_storm_fn fn, void *ctx)
{
    d->storm_fn = fn;
    d->storm_ctx = ctx;
}

/* ---- life cycle ---- */

int domain_init(struct iommu_domain *d, unsigned id, struct vtd_unit *u)
{
    struct vtd_pgtable_cfg cfg;
    int rc;

    memset(d, 0, sizeof(*d));
    memset(&cfg, 0, sizeof(cfg));   /* fields the table code adds later default to 0 */
    d->id = id;
    d->env = u->env;
    d->stage = u->stage;
    d->levels = u->geo.levels;
    d->iova_bits = u->geo.iova_bits;
    /* First stage: requests without PASID use the lower canonical half (VT-d 3.6). */
    if (d->stage == VTD_STAGE_FIRST && d->iova_bits > u->geo.aw_bits - 1)
        d->iova_bits = u->geo.aw_bits - 1;
    d->mem.ctx = d;
    d->mem.alloc = mem_alloc;
    d->mem.map = mem_map;
    d->mem.free = mem_free;
    d->mem.flush = NULL;   /* until an attach to a unit that does not snoop (domain_attach) */
    cfg.stage = d->stage;
    cfg.levels = d->levels;
    cfg.large = u->large_pages;
    cfg.paw = u->haw ? u->haw : 52;
    cfg.snoop = false;
    if ((rc = vtd_pgtable_init(&d->pt, &cfg, &d->mem)) < 0)
        return rc;
    registry_add(d);
    return 0;
}

void domain_destroy(struct iommu_domain *d)
{
    bool invalidated = true;

    while (d->ndev) {
        struct domain_device *dev = &d->dev[d->ndev - 1];
        unsigned before = d->ndev;
        /* detach drops the device from the list before it invalidates */
        int rc = domain_detach(d, dev->seg, dev->bus, dev->devfn);
        if (d->ndev == before)
            d->ndev--;
        else if (rc < 0)
            invalidated = false;
    }
    for (unsigned i = 0; i < VTD_MAX_UNITS; i++)
        if (d->units[i] && d->did[i]) {
            if (invalidated)   /* else entries tagged with it may still be cached: never reuse it */
                vtd_unit_did_free(d->units[i], d->did[i]);
            d->did[i] = 0;
            d->units[i] = NULL;
        }
    /* A unit that may still cache the tables must not see their pages reused. */
    if (d->pt.root && invalidated)
        vtd_pgtable_destroy(&d->pt);
    else if (d->pt.root)
        pr_err("dom%u: invalidation failed at teardown: its tables are kept out of reuse\n", d->id);
    regions_free(d);
    registry_remove(d);
}

/* ---- invalidation after table changes ---- */

static int domain_flush_range(struct iommu_domain *d, const struct vtd_pgt_range *ch)
{
    enum vtd_inval_target target = d->stage == VTD_STAGE_FIRST ? VTD_INVAL_TARGET_PIOTLB : VTD_INVAL_TARGET_IOTLB;
    int rc = 0;

    if (!ch || ch->start == ch->end)
        return 0;
    for (unsigned i = 0; i < VTD_MAX_UNITS; i++) {
        struct vtd_unit *u = d->units[i];
        struct vtd_inval_plan plan;
        int r;

        if (!u || !d->did[i])
            continue;
        vtd_inval_plan_for_cap(u->cap, target, ch, &plan);
        /* Without an invalidation (which flushes them), table writes need a write-buffer flush (6.8). */
        if (plan.kind == VTD_INVAL_NONE)
            r = vtd_unit_flush_write_buffer(u);
        else
            r = vtd_inval_send_plan(u, target, d->did[i], DOMAIN_RID_PASID, &plan);
        if (r < 0 && !rc)
            rc = r;
    }
    return rc;
}

int domain_map(struct iommu_domain *d, uint64_t iova, uint64_t hpa, uint64_t size, unsigned perms)
{
    struct vtd_pgt_range ch = { 0, 0, false, false, false };
    unsigned p = perms & VTD_PERM_RW;
    int rc, rc2;

    if (!size || ((iova | hpa | size) & 0xFFF) || !p)
        return -EINVAL;
    if (iova + size < iova || (d->iova_bits < 64 && iova + size > (1ULL << d->iova_bits)))
        return -EINVAL;
    if (hpa + size < hpa)
        return -EINVAL;
    /* The isolation invariant (domain.h): only registered DMA regions are ever mapped. */
    if (hpa_policy && !hpa_policy(hpa, size)) {
        pr_warn("dom%u: refusing to map host memory %#llx-%#llx (hypervisor-owned)\n", d->id,
                (unsigned long long)hpa, (unsigned long long)(hpa + size - 1));
        return -EPERM;
    }
    if (!domain_dma_region_covers(d, hpa, size)) {
        pr_warn("dom%u: refusing to map host memory %#llx-%#llx (not a DMA region of this domain)\n", d->id,
                (unsigned long long)hpa, (unsigned long long)(hpa + size - 1));
        return -EPERM;
    }
    if (d->stage == VTD_STAGE_FIRST)
        p |= VTD_PERM_U;   /* requests without PASID are user requests (VT-d 3.6.1) */
    d->retiring = true;
    rc = vtd_pgtable_map(&d->pt, iova, hpa, size, p, 0, &ch);
    rc2 = domain_flush_range(d, &ch);
    retired_tables_release(d, rc2 == 0);
    return rc < 0 ? rc : rc2;
}

int domain_unmap(struct iommu_domain *d, uint64_t iova, uint64_t size)
{
    struct vtd_pgt_range ch = { 0, 0, false, false, false };
    int rc, rc2;

    if (!size || ((iova | size) & 0xFFF))
        return -EINVAL;
    d->retiring = true;
    rc = vtd_pgtable_unmap(&d->pt, iova, size, &ch);
    rc2 = domain_flush_range(d, &ch);
    retired_tables_release(d, rc2 == 0);
    return rc < 0 ? rc : rc2;
}

int domain_lookup(const struct iommu_domain *d, uint64_t iova, uint64_t *hpa, unsigned *perms)
{
    struct vtd_walk w;

    if (vtd_pgtable_walk(&d->pt, iova, &w) != VTD_WALK_OK)
        return -ENOENT;
    if (hpa)
        *hpa = w.pa;
    if (perms)
        *perms = w.perms;
    return 0;
}

/* ---- context and PASID structures of a unit ---- */

static struct vtd_root_entry *root_entry(struct vtd_unit *u, uint8_t bus)
{
    return (struct vtd_root_entry *)u->root + bus;
}

static struct vtd_ctx_entry *legacy_ctx_slot(struct vtd_unit *u, uint8_t bus, uint8_t devfn, bool create)
{
    struct vtd_root_entry *re = root_entry(u, bus);
    struct vtd_ctx_entry *table;

    if (!vtd_root_present(re)) {
        void *va;
        uint64_t pa;
        if (!create || !(pa = vtd_unit_alloc_table(u, &va)))
            return NULL;
        vtd_root_publish(re, vtd_root_make(pa));
        vtd_unit_sync_table(u, re, sizeof(*re));
    }
    table = u->env->phys_to_virt(vtd_root_ctp(re));
    return &table[devfn];
}

static struct vtd_sm_ctx_entry *sm_ctx_slot(struct vtd_unit *u, uint8_t bus, uint8_t devfn, bool create)
{
    struct vtd_root_entry *re = root_entry(u, bus);
    struct vtd_sm_ctx_entry *table;

    if (!vtd_sm_root_present_for(re, devfn)) {
        struct vtd_root_entry val = *re;
        void *va;
        uint64_t pa;
        if (!create || !(pa = vtd_unit_alloc_table(u, &va)))
            return NULL;
        if (vtd_sm_devfn_is_upper(devfn))
            vtd_sm_root_set_upper(&val, pa, true);
        else
            vtd_sm_root_set_lower(&val, pa, true);
        vtd_root_publish(re, val);
        vtd_unit_sync_table(u, re, sizeof(*re));
    }
    table = u->env->phys_to_virt(vtd_sm_root_ctp_for(re, devfn));
    return &table[vtd_sm_ctx_index(devfn)];
}

/*
 * The PASID-table entry for RID_PASID of a device; with create, the scalable context
 * entry (PDTS 0: a 128-entry directory), directory entry and table are made as needed,
 * and *ctx_new says whether the context entry became present.
 */
static struct vtd_pasid_entry *sm_pasid_slot(struct vtd_unit *u, uint8_t bus, uint8_t devfn, bool create,
                                             bool *ctx_new)
{
    struct vtd_sm_ctx_entry *ce = sm_ctx_slot(u, bus, devfn, create);
    struct vtd_pasid_dir_entry *dir, *pde;
    struct vtd_pasid_entry *table;
    void *va;
    uint64_t pa;

    if (!ce)
        return NULL;
    if (!vtd_sm_ctx_present(ce)) {
        if (!create || !(pa = vtd_unit_alloc_table(u, &va)))
            return NULL;
        vtd_sm_ctx_publish(ce, vtd_sm_ctx_make(pa, 0, DOMAIN_RID_PASID));
        vtd_unit_sync_table(u, ce, sizeof(*ce));
        if (ctx_new)
            *ctx_new = true;
    }
    dir = u->env->phys_to_virt(vtd_sm_ctx_pasid_dir(ce));
    pde = &dir[vtd_pasid_dir_index(DOMAIN_RID_PASID)];
    if (!vtd_pde_present(pde)) {
        if (!create || !(pa = vtd_unit_alloc_table(u, &va)))
            return NULL;
        vtd_pde_publish(pde, vtd_pde_make(pa, false));
        vtd_unit_sync_table(u, pde, sizeof(*pde));
    }
    table = u->env->phys_to_virt(vtd_pde_table(pde));
    return &table[vtd_pasid_table_index(DOMAIN_RID_PASID)];
}

static int domain_did_on(struct iommu_domain *d, struct vtd_unit *u)
{
    int did;

    if (u->index >= VTD_MAX_UNITS)
        return -EINVAL;
    if (d->did[u->index])
        return d->did[u->index];
    if ((did = vtd_unit_did_alloc(u)) < 0) {
        pr_err("%s: no free domain id for dom%u\n", u->name, d->id);
        return did;
    }
    d->did[u->index] = (uint16_t)did;
    d->units[u->index] = u;
    return did;
}

/*
 * Invalidation after a device's entry changed (VT-d 6.5.3.3), with the DID it had. A
 * context entry that was not present (attach) is cached, if at all, under DID 0: a unit
 * in caching mode tags not-present entries with the reserved DID 0 (6.2.2).
 */
static int device_flush(struct iommu_domain *d, struct vtd_unit *u, uint16_t did, uint16_t sid, bool ctx_changed,
                        enum domain_attach_type type, bool attach)
{
    int rc = 0, r;

    if (u->mode == VTD_MODE_LEGACY)
        return (r = vtd_inval_context_device(u, attach ? 0 : did, sid)) < 0 ? r : vtd_inval_iotlb_domain(u, did);
    if (ctx_changed && (r = vtd_inval_context_device(u, 0, sid)) < 0)
        rc = r;
    if ((r = vtd_inval_pasid_cache(u, did, DOMAIN_RID_PASID)) < 0 && !rc)
        rc = r;
    if (type == DOMAIN_ATTACH_TRANSLATE && d->stage == VTD_STAGE_FIRST)
        r = vtd_inval_piotlb_all(u, did, DOMAIN_RID_PASID);
    else if (type == DOMAIN_ATTACH_NESTED) {
        if ((r = vtd_inval_piotlb_all(u, did, DOMAIN_RID_PASID)) == 0)
            r = vtd_inval_iotlb_domain(u, did);
    } else
        r = vtd_inval_iotlb_domain(u, did);
    if (r < 0 && !rc)
        rc = r;
    return rc;
}

/*
 * The domain's table writes are written back (clflush) once any unit it is attached
 * to does not snoop its walks (ECAP.C = 0, VT-d 6.8); the tables written before are
 * written back whole at that first attach, before an entry points the unit at them.
 * The choice is per domain and sticks: detaching does not turn flushing off.
 */
static void domain_note_unit_coherency(struct iommu_domain *d, const struct vtd_unit *u)
{
    if (u->coherent || d->mem.flush)
        return;
    d->mem.flush = mem_flush;
    vtd_pgtable_writeback(&d->pt);
}

static const char *attach_type_name(enum domain_attach_type t)
{
    switch (t) {
    case DOMAIN_ATTACH_PASS_THROUGH: return "pass-through";
    case DOMAIN_ATTACH_NESTED: return "nested";
    default: return "translated";
    }
}

static int check_unit_supports(const struct iommu_domain *d, const struct vtd_unit *u, enum domain_attach_type type)
{
    if (type == DOMAIN_ATTACH_PASS_THROUGH)
        return vtd_ecap_pt(u->ecap) ? 0 : -ENOTSUP;
    if (type == DOMAIN_ATTACH_NESTED)
        return u->mode == VTD_MODE_SCALABLE && vtd_ecap_nest(u->ecap) && d->stage == VTD_STAGE_SECOND ? 0
                                                                                                      : -ENOTSUP;
    if (d->stage != u->stage)
        return -ENOTSUP;
    if (d->stage == VTD_STAGE_SECOND && !(vtd_cap_sagaw(u->cap) & (1u << (d->levels - 2))))
        return -ENOTSUP;
    return 0;
}

int domain_attach(struct iommu_domain *d, struct vtd_unit *u, uint16_t seg, uint8_t bus, uint8_t devfn,
                  enum domain_attach_type type, uint64_t guest_fs_root)
{
    uint16_t sid = domain_sid(bus, devfn);
    bool ctx_new = false;
    int did, rc;

    if (seg != u->segment || !u->root)
        return -EINVAL;
    if (d->ndev == DOMAIN_MAX_DEVICES)
        return -ENOSPC;
    if ((rc = check_unit_supports(d, u, type)) < 0) {
        pr_err("%s: %04x:%02x:%02x.%x: %s attach not supported by this unit\n", u->name, seg, bus, devfn >> 3,
               devfn & 7, attach_type_name(type));
        return rc;
    }
    if ((did = domain_did_on(d, u)) < 0)
        return did;
    domain_note_unit_coherency(d, u);

    if (u->mode == VTD_MODE_LEGACY) {
        struct vtd_ctx_entry *ce = legacy_ctx_slot(u, bus, devfn, true);
        if (!ce)
            return -ENOMEM;
        if (vtd_ctx_present(ce))
            return -EBUSY;
        vtd_ctx_publish(ce, domain_legacy_context_entry(d->pt.root, d->levels, (uint16_t)did, type));
        vtd_unit_sync_table(u, ce, sizeof(*ce));
    } else {
        struct domain_pasid_params p = {
            .type = type, .stage = d->stage, .table_pa = d->pt.root, .levels = d->levels,
            .did = (uint16_t)did, .guest_fs_root = guest_fs_root, .guest_fs_5level = false,
        };
        struct vtd_pasid_entry val;
        struct vtd_pasid_entry *pe;
        if ((rc = domain_pasid_entry(&val, &p)) < 0)
            return rc;
        if (!(pe = sm_pasid_slot(u, bus, devfn, true, &ctx_new)))
            return -ENOMEM;
        if (vtd_pe_present(pe))
            return -EBUSY;
        vtd_pe_publish(pe, &val);
        vtd_unit_sync_table(u, pe, sizeof(*pe));
    }
    d->dev[d->ndev++] = (struct domain_device){ u, seg, bus, devfn, type, guest_fs_root };
    vtd_faults_storm_reset(u, sid);
    rc = device_flush(d, u, (uint16_t)did, sid, ctx_new, type, true);
    if (rc == 0)
        rc = vtd_unit_flush_write_buffer(u);
    pr_info("%s: %04x:%02x:%02x.%x attached to dom%u (did %d, %s%s)\n", u->name, seg, bus, devfn >> 3,
            devfn & 7, d->id, did, attach_type_name(type),
            type == DOMAIN_ATTACH_TRANSLATE ? (d->stage == VTD_STAGE_FIRST ? ", first-stage" : ", second-stage")
                                            : "");
    return rc;
}

int domain_detach(struct iommu_domain *d, uint16_t seg, uint8_t bus, uint8_t devfn)
{
    struct domain_device dev;
    struct vtd_unit *u;
    uint16_t did;
    unsigned i;

    for (i = 0; i < d->ndev; i++)
        if (d->dev[i].seg == seg && d->dev[i].bus == bus && d->dev[i].devfn == devfn)
            break;
    if (i == d->ndev)
        return -ENOENT;
    dev = d->dev[i];
    u = dev.unit;
    did = d->did[u->index];
    if (u->mode == VTD_MODE_LEGACY) {
        struct vtd_ctx_entry *ce = legacy_ctx_slot(u, bus, devfn, false);
        if (ce) {
            vtd_ctx_clear(ce);
            vtd_unit_sync_table(u, ce, sizeof(*ce));
        }
    } else {
        struct vtd_pasid_entry *pe = sm_pasid_slot(u, bus, devfn, false, NULL);
        if (pe) {
            vtd_pe_clear(pe, false);
            vtd_unit_sync_table(u, pe, sizeof(*pe));
        }
    }
    d->dev[i] = d->dev[--d->ndev];
    vtd_faults_storm_reset(u, domain_sid(bus, devfn));
    pr_info("%s: %04x:%02x:%02x.%x detached from dom%u (blocked)\n", u->name, seg, bus, devfn >> 3, devfn & 7,
            d->id);
    return device_flush(d, u, did, domain_sid(bus, devfn), false, dev.type, false);
}

int domain_silence_device_faults(void *ctx, struct vtd_unit *u, uint16_t sid, uint32_t faults)
{
    struct iommu_domain *d = domain_of_device(u, sid);
    uint8_t bus = (uint8_t)(sid >> 8), devfn = (uint8_t)sid;
    const struct domain_device *dev = NULL;
    int rc;

    for (unsigned i = 0; d && i < d->ndev; i++)
        if (d->dev[i].unit == u && domain_sid(d->dev[i].bus, d->dev[i].devfn) == sid)
            dev = &d->dev[i];
    if (!dev)
        return -ENOENT;
    if (u->mode == VTD_MODE_LEGACY) {
        struct vtd_ctx_entry *ce = legacy_ctx_slot(u, bus, devfn, false);
        struct vtd_ctx_entry val;
        if (!ce || !vtd_ctx_present(ce))
            return -ENOENT;
        val = *ce;
        vtd_ctx_set_fpd(&val, true);
        vtd_ctx_publish(ce, val);
        vtd_unit_sync_table(u, ce, sizeof(*ce));
    } else {
        struct vtd_pasid_entry *pe = sm_pasid_slot(u, bus, devfn, false, NULL);
        struct vtd_pasid_entry val;
        if (!pe || !vtd_pe_present(pe))
            return -ENOENT;
        val = *pe;
        vtd_pe_set_fpd(&val, true);
        vtd_pe_publish(pe, &val);
        vtd_unit_sync_table(u, pe, sizeof(*pe));
    }
    rc = device_flush(d, u, d->did[u->index], sid, false, dev->type, false);
    if (d->storm_fn)
        d->storm_fn(d->storm_ctx, d, u, sid, faults);
    return rc;
}
