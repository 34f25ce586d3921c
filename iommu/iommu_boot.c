// SPDX-License-Identifier: GPL-2.0-only
/* Host VT-d bring-up policy over the DMAR table (iommu/iommu_boot.h). */
#include "iommu/iommu_boot.h"

#include "iommu/vtd_fault.h"
#include "iommu/vtd_faults.h"
#include "iommu/vtd_rmrr.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/memmap.h"
#include "lib/kstring.h"

enum iommu_mode iommu_mode_parse(const char *value)
{
    if (!value)
        return IOMMU_MODE_DEFAULT;
    if (!strcmp(value, "off"))
        return IOMMU_MODE_OFF;
    if (!strcmp(value, "legacy"))
        return IOMMU_MODE_LEGACY;
    pr_warn("iommu: iommu=%s unknown (off, legacy); ignored\n", value);
    return IOMMU_MODE_DEFAULT;
}

struct vtd_unit *iommu_units_for_device(struct iommu_units *us, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn)
{
    int drhd;

    if (!us->dmar)
        return NULL;
    drhd = dmar_unit_for_device(us->dmar, seg, bus, dev, fn, us->cfg_read8);
    for (unsigned i = 0; i < us->n && drhd >= 0; i++)
        if (us->unit[i].base == us->dmar->drhd[drhd].base)
            return &us->unit[i];
    return NULL;
}

unsigned iommu_units_poll_faults(struct iommu_units *us)
{
    unsigned n = 0;

    for (unsigned i = 0; i < us->n; i++)
        n += vtd_faults_drain(&us->unit[i]);
    return n;
}

/* Every drained record: the observer first, then the handler of the device's domain. */
static void fault_owner(void *ctx, struct vtd_unit *u, const struct vtd_fault_record *rec)
{
    struct iommu_units *us = ctx;
    struct iommu_domain *d = domain_of_device(u, rec->sid);

    if (us->observer)
        us->observer(us->observer_ctx, u, rec);
    if (d && d->fault_fn)
        d->fault_fn(d->fault_ctx, d, rec);
}

/*
 * DRHD number drhd_index up to (not including) translation. 0 or a negative error (logged).
 * The unit is named after its DRHD (vtdN = drhdN), so log lines stay unambiguous when an
 * earlier unit failed and a later one takes its slot in us->unit[].
 */
static int unit_bring_up(struct iommu_units *us, unsigned drhd_index, bool force_legacy,
                         const struct iommu_boot_host *host)
{
    const struct dmar_drhd *h = &us->dmar->drhd[drhd_index];
    struct vtd_unit *u = &us->unit[us->n];
    uint64_t size = h->reg_size_bytes > VTD_UNIT_REG_BYTES ? h->reg_size_bytes : VTD_UNIT_REG_BYTES;
    void *regs = host->map_regs(h->base, size);
    int rc;

    if (!regs) {
        pr_err("vtd%u: cannot map registers at %#llx\n", drhd_index, (unsigned long long)h->base);
        return -ENOMEM;
    }
    if ((rc = vtd_unit_probe(u, drhd_index, h->segment, h->base, regs, host->env, force_legacy)) < 0)
        return rc;
    u->haw = us->dmar->host_addr_width;
    vtd_faults_init(u);
    vtd_faults_set_owner(u, fault_owner, us);
    vtd_faults_set_storm_handler(u, domain_silence_device_faults, NULL);
    vtd_faults_drain(u);   /* records left by firmware */
    if ((rc = vtd_unit_prepare(u)) < 0) {
        pr_err("%s: bring-up failed (error %d); unit left with translation off\n", u->name, rc);
        return rc;
    }
    return 0;
}

static void faults_irq_setup(struct iommu_units *us, const struct iommu_boot_host *host)
{
    uint32_t addr = 0, data = 0;
    int vector = host->fault_vector ? host->fault_vector(&addr, &data) : -1;

    if (vector < 0) {
        pr_warn("iommu: no interrupt vector for fault events; faults are polled\n");
        return;
    }
    for (unsigned i = 0; i < us->n; i++)
        vtd_faults_enable_irq(&us->unit[i], vector, addr, data);
}

/* ---- RMRRs (VT-d 8.4): firmware ranges some devices keep using; identity-mapped for them only ---- */

static void rmrr_map_device(struct iommu_units *us, const struct dmar_rmrr *r, uint8_t bus, uint8_t dev, uint8_t fn,
                            const struct iommu_boot_host *host)
{
    uint16_t seg = r->segment;
    struct vtd_unit *u = iommu_units_for_device(us, seg, bus, dev, fn);
    uint8_t devfn = (uint8_t)(dev << 3 | fn);
    uint64_t base = r->base & ~0xFFFULL;
    uint64_t end = (r->limit + 0x1000) & ~0xFFFULL;
    struct iommu_domain *d;
    int rc;

    if (!u) {
        pr_warn("iommu: RMRR %#llx-%#llx: %04x:%02x:%02x.%x has no unit; skipped\n", (unsigned long long)r->base,
                (unsigned long long)r->limit, seg, bus, dev, fn);
        return;
    }
    d = domain_of_device(u, domain_sid(bus, devfn));
    if (!d && !(d = host->domain_create(u))) {
        pr_err("iommu: RMRR: no memory for a domain\n");
        return;
    }
    /* The RMRR range is the one host memory this device's domain may reach besides its owner's. */
    rc = domain_add_dma_region(d, base, end - base);
    if (rc == 0)
        rc = domain_map(d, base, base, end - base, VTD_PERM_RW);
    if (rc == 0 && !domain_of_device(u, domain_sid(bus, devfn)))
        rc = domain_attach(d, u, seg, bus, devfn, DOMAIN_ATTACH_TRANSLATE, 0);
    if (rc < 0)
        pr_err("iommu: RMRR %#llx-%#llx for %04x:%02x:%02x.%x failed (error %d)\n", (unsigned long long)r->base,
               (unsigned long long)r->limit, seg, bus, dev, fn, rc);
    else
        pr_info("iommu: RMRR %#llx-%#llx identity-mapped for %04x:%02x:%02x.%x (dom%u)\n",
                (unsigned long long)r->base, (unsigned long long)r->limit, seg, bus, dev, fn, d->id);
}

/* Usable RAM as the frame allocator sees it before its own reservations (memmap.h). */
static struct memmap ram_map;

static void rmrr_setup(struct iommu_units *us, const struct boot_info *bi, const struct iommu_boot_host *host)
{
    const struct dmar_info *dm = us->dmar;

    if (dm->nrmrr && (!bi || memmap_build(bi, NULL, 0, &ram_map) < 0)) {
        pr_err("iommu: no memory map to check RMRRs against; all %u RMRR(s) refused\n", dm->nrmrr);
        return;
    }
    for (unsigned i = 0; i < dm->nrmrr; i++) {
        const struct dmar_rmrr *r = &dm->rmrr[i];
        struct mem_range hit;
        int rc = vtd_rmrr_check(r->base, r->limit, ram_map.usable, ram_map.usable_count, &hit);
        if (rc == -EINVAL) {
            pr_warn("iommu: RMRR %u %#llx-%#llx malformed (limit below base, unaligned or wrapping); ignored\n", i,
                    (unsigned long long)r->base, (unsigned long long)r->limit);
            continue;
        }
        if (rc < 0) {
            pr_err("iommu: RMRR %u %#llx-%#llx overlaps usable RAM %#llx-%#llx that Nestor hands out: refused, "
                   "its devices stay blocked\n", i, (unsigned long long)r->base, (unsigned long long)r->limit,
                   (unsigned long long)hit.base, (unsigned long long)(hit.end - 1));
            continue;
        }
        for (unsigned s = r->scopes.first; s < (unsigned)r->scopes.first + r->scopes.count && s < dm->nscopes; s++) {
            uint8_t bus, dev, fn;
            if (dm->scopes[s].type != DMAR_SCOPE_PCI_ENDPOINT)
                continue;
            if (dmar_scope_resolve(&dm->scopes[s], r->segment, us->cfg_read8, &bus, &dev, &fn) < 0) {
                pr_warn("iommu: RMRR %u: device scope does not resolve; skipped\n", i);
                continue;
            }
            rmrr_map_device(us, r, bus, dev, fn, host);
        }
    }
}

int iommu_boot(struct iommu_units *us, const struct dmar_info *dm, enum iommu_mode mode,
               const struct boot_info *bi, const struct iommu_boot_host *host)
{
    int err = 0, rc;

    us->n = 0;
    us->dmar = NULL;
    us->cfg_read8 = host->cfg_read8;
    if (mode == IOMMU_MODE_OFF) {
        pr_warn("iommu: disabled by iommu=off: device DMA is not isolated\n");
        return 0;
    }
    if (!dm || dm->ndrhd == 0) {
        pr_warn("iommu: no ACPI DMAR table: no VT-d unit to program, device DMA is not isolated\n");
        return 0;
    }
    us->dmar = dm;
    for (unsigned i = 0; i < dm->ndrhd && us->n < VTD_MAX_UNITS; i++) {
        if ((rc = unit_bring_up(us, i, mode == IOMMU_MODE_LEGACY, host)) < 0)
            err = rc;
        else
            us->n++;
    }
    if (!us->n)
        return err;
    faults_irq_setup(us, host);
    /* RMRR devices keep their identity maps from the first translated request on (VT-d 8.4). */
    rmrr_setup(us, bi, host);
    for (unsigned i = 0; i < us->n; i++)
        if ((rc = vtd_unit_translate(&us->unit[i])) < 0) {
            pr_err("%s: enabling translation failed (error %d)\n", us->unit[i].name, rc);
            err = rc;
        }
    pr_info("iommu: %u unit(s) translating; devices without a domain are blocked\n", us->n);
    return err;
}
