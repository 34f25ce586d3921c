// SPDX-License-Identifier: GPL-2.0-only
/* The kernel side of the host IOMMU: struct vtd_env on the machine, the services iommu_boot needs, queries. */
#include "iommu/iommu.h"

#include "iommu/iommu_boot.h"
#include "iommu/vtd_selftest.h"
#include "kernel/acpi/acpi.h"
#include "kernel/arch/x86.h"
#include "kernel/cmdline.h"
#include "kernel/cpu/irq.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/paging.h"
#include "kernel/pci/pci.h"
#include "kernel/time.h"
#include "lib/kstring.h"

extern char __image_start[], __image_end[];

static struct iommu_units units;
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

bool iommu_active(void) { return units.n > 0; }
unsigned iommu_unit_count(void) { return units.n; }
struct vtd_unit *iommu_unit(unsigned idx) { return idx < units.n ? &units.unit[idx] : NULL; }

struct vtd_unit *iommu_unit_for_device(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn)
{
    return iommu_units_for_device(&units, seg, bus, dev, fn);
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

void iommu_set_fault_observer(vtd_fault_owner_fn fn, void *ctx)
{
    units.observer = fn;
    units.observer_ctx = ctx;
}

unsigned iommu_poll_faults(void) { return iommu_units_poll_faults(&units); }

static unsigned fault_irqs;

unsigned iommu_fault_irq_count(void) { return fault_irqs; }

static void fault_irq(struct irq_frame *frame, void *ctx)
{
    fault_irqs++;
    iommu_poll_faults();
}

static int host_fault_vector(uint32_t *msi_addr, uint32_t *msi_data)
{
    int vector = irq_alloc_vector(fault_irq, NULL);

    if (vector >= 0) {
        *msi_addr = msi_address_for_this_cpu();
        *msi_data = msi_data_for_vector(vector);
    }
    return vector;
}

/* ---- bring-up ---- */

static const struct iommu_boot_host boot_host = {
    .env = &host_env, .map_regs = ioremap, .cfg_read8 = pci_cfg_read8,
    .domain_create = iommu_domain_create, .fault_vector = host_fault_vector,
};

int iommu_init(const struct boot_info *bi)
{
    char value[16];
    enum iommu_mode mode = iommu_mode_parse(cmdline_get("iommu", value, sizeof(value)) ? value : NULL);
    int err;

    domain_set_hpa_policy(hpa_allowed);
    err = iommu_boot(&units, acpi_info.have_dmar ? &acpi_info.dmar : NULL, mode, bi, &boot_host);
    if (cmdline_get("selftest", value, sizeof(value)) && !strcmp(value, "vtd"))
        vtd_selftest_run();
    return err;
}
