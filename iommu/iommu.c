// SPDX-License-Identifier: GPL-2.0-only
/* Host VT-d bring-up from the ACPI DMAR table, and the kernel's side of struct vtd_env. */
#include "iommu/iommu.h"

#include "iommu/vtd_fault.h"
#include "iommu/vtd_faults.h"
#include "iommu/vtd_rmrr.h"
#include "iommu/vtd_selftest.h"
#include "kernel/acpi/acpi.h"
#include "kernel/arch/x86.h"
#include "kernel/cmdline.h"
#include "kernel/cpu/irq.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/memmap.h"
#include "kernel/mm/paging.h"
#include "kernel/pci/pci.h"
#include "kernel/time.h"
#include "lib/kstring.h"

extern char __image_start[], __image_end[];

static struct vtd_unit units[VTD_MAX_UNITS];
static unsigned nunits;
static unsigned next_domain_id = 1;

/* ---- the machine, for the driver ---- */

static uint32_t host_read32(void *regs, uint32_t off) { return mmio_read32((uint64_t)(uintptr_t)regs + off); }
static uint64_t host_read64(void *regs, uint32_t off) { return mmio_read64((uint64_t)(uintptr_t)regs + off); }
static void host_write32(void *regs, uint32_t off, uint32_t v) { mmio_write32((uint64_t)(uintptr_t)regs + off, v); }
static void host_write64(void *regs, uint32_t off, uint64_t v) { mmio_write64((uint64_t)(uintptr_t)regs + off, v); }
static uint64_t host_page_alloc(void) { return frame_alloc(); }
static void host_page_free(uint64_t pa) { frame_free(pa); }
static void *host_p2v(uint64_t pa) { return phys_to_virt(pa); }
static void host_relax(void) { cpu_relax(); }

static void host_flush(const void *p, size_t len)
{
    uintptr_t a = (uintptr_t)p & ~(uintptr_t)63;

    for (; a < (uintptr_t)p + len; a += 64)
        clflush((const void *)a);
    mb();
}

static const struct vtd_env host_env = {
    .read32 = host_read32, .read64 = host_read64, .write32 = host_write32, .write64 = host_write64,
    .page_alloc = host_page_alloc, .page_free = host_page_free, .phys_to_virt = host_p2v,
    .now_us = time_now_us, .relax = host_relax, .flush = host_flush,
};

/*
 * Isolation policy, on top of the per-domain DMA regions (domain.h): no domain may even
 * register the hypervisor image.
 */
static bool hpa_allowed(uint64_t pa, uint64_t size)
{
    uint64_t s = (uint64_t)(uintptr_t)__image_start, e = (uint64_t)(uintptr_t)__image_end;

    return pa + size <= s || pa >= e;
}

/* ---- queries ---- */

bool iommu_active(void) { return nunits > 0; }
unsigned iommu_unit_count(void) { return nunits; }
struct vtd_unit *iommu_unit(unsigned idx) { return idx < nunits ? &units[idx] : NULL; }

struct vtd_unit *iommu_unit_for_device(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn)
{
    int drhd;

    if (!acpi_info.have_dmar)
        return NULL;
    drhd = dmar_unit_for_device(&acpi_info.dmar, seg, bus, dev, fn, pci_cfg_read8);
    for (unsigned i = 0; i < nunits && drhd >= 0; i++)
        if (units[i].base == acpi_info.dmar.drhd[drhd].base)
            return &units[i];
    return NULL;
}

struct iommu_domain *iommu_domain_create(struct vtd_unit *u)
{
    struct iommu_domain *d = kzalloc(sizeof(*d));

    if (!d)
        return NULL;
    if (domain_init(d, next_domain_id, u) < 0) {
        kfree(d);
        return NULL;
    }
    next_domain_id++;
    return d;
}

void iommu_domain_free(struct iommu_domain *d)
{
    if (!d)
        return;
    domain_destroy(d);
    kfree(d);
}

/* ---- faults ---- */

static vtd_fault_owner_fn fault_observer;
static void *fault_observer_ctx;

void iommu_set_fault_observer(vtd_fault_owner_fn fn, void *ctx)
{
    fault_observer = fn;
    fault_observer_ctx = ctx;
}

static void fault_owner(void *ctx, struct vtd_unit *u, const struct vtd_fault_record *rec)
{
    struct iommu_domain *d = domain_of_device(u, rec->sid);

    if (fault_observer)
        fault_observer(fault_observer_ctx, u, rec);

    if (d && d->fault_fn)
        d->fault_fn(d->fault_ctx, d, rec);
}

unsigned iommu_poll_faults(void)
{
    unsigned n = 0;

    for (unsigned i = 0; i < nunits; i++)
        n += vtd_faults_drain(&units[i]);
    return n;
}

static unsigned fault_irqs;

unsigned iommu_fault_irq_count(void) { return fault_irqs; }

static void fault_irq(struct irq_frame *frame, void *ctx)
{
    fault_irqs++;
    iommu_poll_faults();
}

static void faults_setup(void)
{
    int vector = irq_alloc_vector(fault_irq, NULL);

    if (vector < 0) {
        pr_warn("iommu: no interrupt vector for fault events; faults are polled\n");
        return;
    }
    for (unsigned i = 0; i < nunits; i++)
        vtd_faults_enable_irq(&units[i], vector, msi_address_for_this_cpu(), msi_data_for_vector(vector));
}

/* ---- RMRRs (VT-d 8.4): firmware ranges some devices keep using; identity-mapped for them only ---- */

static void rmrr_map_device(const struct dmar_rmrr *r, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn)
{
    struct vtd_unit *u = iommu_unit_for_device(seg, bus, dev, fn);
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
    if (!d && !(d = iommu_domain_create(u))) {
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

static void rmrr_setup(const struct boot_info *bi)
{
    const struct dmar_info *dm = &acpi_info.dmar;

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
            if (dmar_scope_resolve(&dm->scopes[s], r->segment, pci_cfg_read8, &bus, &dev, &fn) < 0) {
                pr_warn("iommu: RMRR %u: device scope does not resolve; skipped\n", i);
                continue;
            }
            rmrr_map_device(r, r->segment, bus, dev, fn);
        }
    }
}

/* ---- bring-up ---- */

int iommu_init(const struct boot_info *bi)
{
    bool force_legacy = false;
    char mode[16];
    int err = 0, rc;

    if (cmdline_get("iommu", mode, sizeof(mode))) {
        if (!strcmp(mode, "off")) {
            pr_warn("iommu: disabled by iommu=off: device DMA is not isolated\n");
            goto selftest;
        }
        if (!strcmp(mode, "legacy"))
            force_legacy = true;
        else
            pr_warn("iommu: iommu=%s unknown (off, legacy); ignored\n", mode);
    }
    if (!acpi_info.have_dmar || acpi_info.dmar.ndrhd == 0) {
        pr_warn("iommu: no ACPI DMAR table: no VT-d unit to program, device DMA is not isolated\n");
        goto selftest;
    }
    domain_set_hpa_policy(hpa_allowed);

    for (unsigned i = 0; i < acpi_info.dmar.ndrhd && nunits < VTD_MAX_UNITS; i++) {
        const struct dmar_drhd *h = &acpi_info.dmar.drhd[i];
        struct vtd_unit *u = &units[nunits];
        uint64_t size = h->reg_size_bytes > VTD_UNIT_REG_BYTES ? h->reg_size_bytes : VTD_UNIT_REG_BYTES;
        void *regs = ioremap(h->base, size);

        if (!regs) {
            pr_err("vtd%u: cannot map registers at %#llx\n", nunits, (unsigned long long)h->base);
            err = -ENOMEM;
            continue;
        }
        if ((rc = vtd_unit_probe(u, nunits, h->segment, h->base, regs, &host_env, force_legacy)) < 0) {
            err = rc;
            continue;
        }
        u->haw = acpi_info.dmar.host_addr_width;
        vtd_faults_init(u);
        vtd_faults_set_owner(u, fault_owner, NULL);
        vtd_faults_set_storm_handler(u, domain_silence_device_faults, NULL);
        vtd_faults_drain(u);   /* records left by firmware */
        if ((rc = vtd_unit_prepare(u)) < 0) {
            pr_err("%s: bring-up failed (error %d); unit left with translation off\n", u->name, rc);
            err = rc;
            continue;
        }
        nunits++;
    }
    if (nunits) {
        faults_setup();
        /* RMRR devices keep their identity maps from the first translated request on (VT-d 8.4). */
        rmrr_setup(bi);
        for (unsigned i = 0; i < nunits; i++)
            if ((rc = vtd_unit_translate(&units[i])) < 0) {
                pr_err("%s: enabling translation failed (error %d)\n", units[i].name, rc);
                err = rc;
            }
        pr_info("iommu: %u unit(s) translating; devices without a domain are blocked\n", nunits);
    }
selftest:
    if (cmdline_get("selftest", mode, sizeof(mode)) && !strcmp(mode, "vtd"))
        vtd_selftest_run();
    return err;
}
