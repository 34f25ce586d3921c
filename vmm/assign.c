// SPDX-License-Identifier: GPL-2.0-only
/* Device assignment: checks, DMA domain, BARs, MSI routing and teardown (policy in assign.h). */
#include "vmm/assign.h"

#include "iommu/iommu.h"
#include "iommu/vtd_fault.h"
#include "kernel/arch/x86.h"
#include "kernel/cmdline.h"
#include "kernel/cpu/irq.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/heap.h"
#include "kernel/pci/pci_regs.h"
#include "kernel/time.h"
#include "lib/fmt.h"
#include "lib/kstring.h"
#include "vmm/assign_dma.h"
#include "vmm/assign_list.h"
#include "vmm/assign_regs.h"

#define ASSIGN_ARG_MAX 160
#define ASSIGN_FIRST_VM 0          /* assign= is for the first VM (no vm= selector yet) */
#define PAGE_BYTES 4096ULL
#define PROBE_END (1ULL << 32)     /* the invariant check probes IOVAs up to here */

#define container_of(p, type, member) ((type *)((char *)(p) - __builtin_offsetof(type, member)))

static struct assigned_device *of_link(struct vm_assigned_dev *l) { return container_of(l, struct assigned_device, link); }

/* ---- the real function's configuration space ---- */

static uint32_t host_cfg_read32(void *ctx, uint16_t off)
{
    const struct pci_dev *d = ctx;

    return pci_cfg_read32(d->seg, d->bus, d->dev, d->fn, off);
}

static void host_cfg_write32(void *ctx, uint16_t off, uint32_t value)
{
    const struct pci_dev *d = ctx;

    pci_cfg_write32(d->seg, d->bus, d->dev, d->fn, off, value);
}

int assign_cfg_access_read(void *ctx, uint16_t off, unsigned size, uint32_t *value)
{
    return assign_cfg_read(&((struct assigned_device *)ctx)->cfg, off, size, value);
}

int assign_cfg_access_write(void *ctx, uint16_t off, unsigned size, uint32_t value)
{
    return assign_cfg_write(&((struct assigned_device *)ctx)->cfg, off, size, value);
}

/* ---- DMA: the domain ---- */

static int dma_map(void *ctx, uint64_t iova, uint64_t hpa, uint64_t size)
{
    return domain_map(ctx, iova, hpa, size, VTD_PERM_RW);
}

static int dma_lookup(void *ctx, uint64_t iova, uint64_t *hpa)
{
    unsigned perms;

    return domain_lookup(ctx, iova, hpa, &perms);
}

static struct log_ratelimit fault_rl = { .interval = 1000000, .burst = 10 };

static void dma_fault(void *ctx, struct iommu_domain *d, const struct vtd_fault_record *rec)
{
    struct assigned_device *ad = ctx;
    uint32_t suppressed;
    char line[160];

    if (!log_ratelimit_allow(&fault_rl, time_now_us(), &suppressed))
        return;
    vtd_fault_format(line, sizeof(line), ad->unit->name, ad->pdev->seg, rec);
    pr_warn("%s: DMA of assigned %s blocked by the IOMMU (dom%u): %s%s\n", ad->vm->name, ad->name, d->id, line,
            suppressed ? " (earlier faults not logged)" : "");
}

/* ---- MSI ---- */

static void msi_irq(struct irq_frame *frame, void *ctx)
{
    struct assigned_device *ad = ctx;

    if (ad->msi_routed && assign_platform_deliver_msi(ad->vm, &ad->route))
        ad->msi_delivered++;
    else
        ad->msi_dropped++;
}

/* Lines the guest causes by reprogramming MSI or BARs: at most 10 a second over all devices. */
static bool guest_line_allowed(const struct vm *vm)
{
    static struct log_ratelimit rl = { .interval = 1000000, .burst = 10 };
    uint32_t suppressed;

    if (!log_ratelimit_allow(&rl, time_now_us(), &suppressed))
        return false;
    if (suppressed)
        pr_info("%s: %u lines about MSI and BAR changes suppressed\n", vm->name, suppressed);
    return true;
}

static void on_msi_change(void *ctx, const struct assign_vmsi *m)
{
    struct assigned_device *ad = ctx;
    struct assign_cfg_host h = ad->cfg.host;
    enum msi_decode_status st;

    ad->msi_routed = false;
    if (!m->enabled || ad->host_vector < 0) {
        msi_host_program(&h, ad->cfg.msi.cap, ad->cfg.msi.addr64, false, 0, 0);
        if (m->enabled && guest_line_allowed(ad->vm))
            pr_warn("%s: %s: MSI enabled by the guest, but no host vector: interrupts dropped\n", ad->vm->name,
                    ad->name);
        return;
    }
    st = msi_decode(m->addr, m->data, &ad->route);
    if (st != MSI_OK) {
        msi_host_program(&h, ad->cfg.msi.cap, ad->cfg.msi.addr64, false, 0, 0);
        if (guest_line_allowed(ad->vm))
            pr_warn("%s: %s: MSI address 0x%llx data 0x%x refused (%s): interrupts dropped\n", ad->vm->name,
                    ad->name, (unsigned long long)m->addr, m->data, msi_decode_status_name(st));
        return;
    }
    ad->msi_routed = true;
    msi_host_program(&h, ad->cfg.msi.cap, ad->cfg.msi.addr64, true, msi_address_for_this_cpu(),
                     msi_data_for_vector(ad->host_vector));
    if (guest_line_allowed(ad->vm))
        pr_info("%s: %s: MSI enabled: guest vector 0x%x to APIC %u (%s), host vector 0x%x\n", ad->vm->name,
                ad->name, ad->route.vector, ad->route.dest, ad->route.dest_logical ? "logical" : "physical",
                ad->host_vector);
}

/* ---- BARs ---- */

static int io_bar_read(struct iodev *dev, uint64_t offset, unsigned size, uint64_t *value)
{
    uint16_t port = (uint16_t)((uint64_t)(uintptr_t)dev->ctx + offset);

    *value = size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
    return 0;
}

static int io_bar_write(struct iodev *dev, uint64_t offset, unsigned size, uint64_t value)
{
    uint16_t port = (uint16_t)((uint64_t)(uintptr_t)dev->ctx + offset);

    if (size == 1)
        outb(port, (uint8_t)value);
    else if (size == 2)
        outw(port, (uint16_t)value);
    else
        outl(port, (uint32_t)value);
    return 0;
}

static const struct iodev_ops io_bar_ops = { io_bar_read, io_bar_write };

static int io_bar_place(struct assigned_device *ad, unsigned i, uint64_t guest_port)
{
    struct iodev *io = &ad->io_bar[i];
    const struct assign_vbar *b = &ad->cfg.bar[i];

    if (b->size > 0x10000 || guest_port > 0x10000 - b->size || b->host_base > 0x10000 - b->size)
        return -EINVAL;
    io->name = ad->name;
    io->space = IODEV_PIO;
    io->base = guest_port;
    io->len = b->size;
    io->ops = &io_bar_ops;
    io->ctx = (void *)(uintptr_t)b->host_base;
    return iodev_register(&ad->vm->bus, io);
}

/* The MMIO window of BAR i is one vm->mmio_assigned entry (GPA, HPA, size). */
static struct vm_mmio_assignment *mmio_entry(struct vm *vm, uint64_t gpa, uint64_t size)
{
    for (unsigned i = 0; i < vm->nr_mmio_assigned; i++)
        if (vm->mmio_assigned[i].gpa == gpa && vm->mmio_assigned[i].size == size)
            return &vm->mmio_assigned[i];
    return NULL;
}

static bool mmio_gpa_free(struct vm *vm, uint64_t gpa, uint64_t size)
{
    if (gpa + size < gpa || guest_ram_contains(&vm->ram, gpa, 1) || gpa < vm->ram.size_bytes ||
        iodev_find(&vm->bus, IODEV_MMIO, gpa, 1))
        return false;
    for (unsigned i = 0; i < vm->nr_mmio_assigned; i++) {
        const struct vm_mmio_assignment *m = &vm->mmio_assigned[i];
        if (gpa < m->gpa + m->size && m->gpa < gpa + size)
            return false;
    }
    return true;
}

static void vm_flush_tlbs(struct vm *vm)
{
    for (unsigned i = 0; i < vm->nr_vcpus; i++)
        vm->vcpus[i]->ops->flush_guest_tlb(vm->vcpus[i]);
}

/* The guest moved BAR i while decoding: the window follows it if the new place is free. */
static int on_bar_move(void *ctx, unsigned i, const struct assign_vbar *b, uint64_t guest_base)
{
    struct assigned_device *ad = ctx;
    struct vm *vm = ad->vm;
    struct vm_mmio_assignment *m;

    if (b->io) {
        if (ad->io_bar[i].name)
            iodev_unregister(&vm->bus, &ad->io_bar[i]);
        if (io_bar_place(ad, i, guest_base) == 0) {
            if (guest_line_allowed(vm))
                pr_info("%s: %s: I/O BAR%u moved to port 0x%llx\n", vm->name, ad->name, i,
                        (unsigned long long)guest_base);
            return 0;
        }
        ad->io_bar[i].name = NULL;
        if (guest_line_allowed(vm))
            pr_warn("%s: %s: I/O BAR%u cannot move to port 0x%llx (overlap or range); it is not reachable\n",
                    vm->name, ad->name, i, (unsigned long long)guest_base);
        return -EINVAL;
    }
    m = mmio_entry(vm, b->mapped_base, b->size);
    if (!m || !mmio_gpa_free(vm, guest_base, b->size)) {
        if (guest_line_allowed(vm))
            pr_warn("%s: %s: BAR%u cannot move to 0x%llx (not mapped, or the range is in use); it stays at 0x%llx\n",
                    vm->name, ad->name, i, (unsigned long long)guest_base, (unsigned long long)b->mapped_base);
        return -EINVAL;
    }
    if (npt_unmap(&vm->npt, m->gpa, m->size) < 0)
        return -ENOMEM;
    if (npt_map(&vm->npt, guest_base, m->hpa, m->size, NPT_READ | NPT_WRITE | NPT_UNCACHED, true) < 0) {
        /* Put it back where it was; the tables it needs were freed only by splitting. */
        npt_map(&vm->npt, m->gpa, m->hpa, m->size, NPT_READ | NPT_WRITE | NPT_UNCACHED, true);
        vm_flush_tlbs(vm);
        return -ENOMEM;
    }
    m->gpa = guest_base;
    vm_flush_tlbs(vm);
    if (guest_line_allowed(vm))
        pr_info("%s: %s: BAR%u moved to 0x%llx\n", vm->name, ad->name, i, (unsigned long long)guest_base);
    return 0;
}

static int bars_map(struct assigned_device *ad)
{
    for (unsigned i = 0; i < ASSIGN_BARS; i++) {
        const struct assign_vbar *b = &ad->cfg.bar[i];
        int rc;

        if (!b->size)
            continue;
        if (b->io) {
            if ((rc = io_bar_place(ad, i, b->host_base)) < 0) {
                ad->io_bar[i].name = NULL;
                pr_err("%s: %s: I/O BAR%u at port 0x%llx cannot be forwarded (error %d)\n", ad->vm->name, ad->name,
                       i, (unsigned long long)b->host_base, rc);
                return rc;
            }
            pr_info("%s: %s: I/O BAR%u ports 0x%llx-0x%llx forwarded\n", ad->vm->name, ad->name, i,
                    (unsigned long long)b->host_base, (unsigned long long)(b->host_base + b->size - 1));
            continue;
        }
        /* A BAR smaller than a page would expose its neighbours on the same page. */
        if (b->size < PAGE_BYTES || !mmio_gpa_free(ad->vm, b->host_base, b->size)) {
            pr_err("%s: %s: BAR%u 0x%llx+0x%llx cannot be mapped (%s)\n", ad->vm->name, ad->name, i,
                   (unsigned long long)b->host_base, (unsigned long long)b->size,
                   b->size < PAGE_BYTES ? "smaller than a page" : "overlaps the VM's RAM or devices");
            return -EINVAL;
        }
        if ((rc = vm_assign_mmio(ad->vm, b->host_base, b->host_base, b->size)) < 0) {
            pr_err("%s: %s: BAR%u: nested mapping failed (error %d)\n", ad->vm->name, ad->name, i, rc);
            return rc;
        }
        pr_info("%s: %s: BAR%u 0x%llx+0x%llx mapped GPA = HPA, uncached\n", ad->vm->name, ad->name, i,
                (unsigned long long)b->host_base, (unsigned long long)b->size);
    }
    return 0;
}

static void bars_unmap(struct assigned_device *ad)
{
    struct vm *vm = ad->vm;

    for (unsigned i = 0; i < ASSIGN_BARS; i++) {
        const struct assign_vbar *b = &ad->cfg.bar[i];
        struct vm_mmio_assignment *m;

        if (ad->io_bar[i].name) {
            iodev_unregister(&vm->bus, &ad->io_bar[i]);
            ad->io_bar[i].name = NULL;
        }
        if (!b->size || b->io || !(m = mmio_entry(vm, b->mapped_base, b->size)))
            continue;
        npt_unmap(&vm->npt, m->gpa, m->size);
        *m = vm->mmio_assigned[--vm->nr_mmio_assigned];
    }
    vm_flush_tlbs(vm);
}

/* ---- setup and teardown ---- */

static const char *refusal(const struct pci_dev *d)
{
    if (d->is_bridge)
        return "it is a PCI bridge";
    if (d->class_code == PCI_CLASS_BRIDGE && d->subclass == PCI_SUBCLASS_HOST_BRIDGE)
        return "it is a host bridge";
    if (d->header_type != PCI_HEADER_NORMAL)
        return "its header type is not 0";
    return NULL;
}

/*
 * Registers the VM's RAM, slot by slot from its own GPA->HPA record, as the only host
 * memory the domain may map (iommu/domain.h invariant): a wrong HPA in a later map is
 * refused instead of exposing hypervisor memory.
 */
static int dma_register_ram(struct assigned_device *ad)
{
    const struct guest_ram *ram = &ad->vm->ram;

    for (uint64_t gpa = 0; gpa < ram->size_bytes;) {
        uint64_t step = guest_ram_slot_is_contiguous(ram, gpa) ? GUEST_RAM_SLOT_BYTES : GUEST_RAM_PAGE_BYTES;
        uint64_t hpa = guest_ram_gpa_to_hpa(ram, gpa);
        int rc;

        if (!hpa)
            return -EINVAL;
        if ((rc = domain_add_dma_region(ad->domain, hpa, step)) < 0)
            return rc;
        gpa += step;
    }
    return 0;
}

static int dma_confine(struct assigned_device *ad)
{
    struct assign_dma_ops ops = { dma_map, dma_lookup, NULL };
    unsigned runs = 0;
    uint64_t bad;
    int rc;

    ad->domain = iommu_domain_create(ad->unit);
    if (!ad->domain) {
        pr_err("%s: %s: no IOMMU domain (out of memory or domain ids)\n", ad->vm->name, ad->name);
        return -ENOMEM;
    }
    ops.ctx = ad->domain;
    if ((rc = dma_register_ram(ad)) < 0) {
        pr_err("%s: %s: registering the VM's RAM as DMA regions of dom%u failed (error %d)\n", ad->vm->name,
               ad->name, ad->domain->id, rc);
        return rc;
    }
    if ((rc = assign_dma_map_ram(&ad->vm->ram, &ops, &runs)) < 0) {
        pr_err("%s: %s: mapping the VM's RAM in dom%u failed (error %d)\n", ad->vm->name, ad->name, ad->domain->id,
               rc);
        return rc;
    }
    if (!assign_dma_invariant_holds(&ad->vm->ram, &ops, PROBE_END, &bad)) {
        pr_err("%s: %s: dom%u maps IOVA 0x%llx outside the VM's RAM or to the wrong page: not assigned\n",
               ad->vm->name, ad->name, ad->domain->id, (unsigned long long)bad);
        return -EFAULT;
    }
    domain_set_fault_handler(ad->domain, dma_fault, ad);
    rc = domain_attach(ad->domain, ad->unit, ad->pdev->seg, ad->pdev->bus, (uint8_t)(ad->pdev->dev << 3 | ad->pdev->fn),
                       DOMAIN_ATTACH_TRANSLATE, 0);
    if (rc < 0) {
        pr_err("%s: %s: attaching to dom%u on %s failed (error %d%s)\n", ad->vm->name, ad->name, ad->domain->id,
               ad->unit->name, rc, rc == -EBUSY ? ": the device already has a domain, e.g. for an RMRR" : "");
        return rc;
    }
    pr_info("%s: %s: DMA confined: dom%u on %s maps the VM's %llu MiB of RAM (IOVA = GPA, %u run(s)), nothing else\n",
            ad->vm->name, ad->name, ad->domain->id, ad->unit->name, (unsigned long long)(ad->vm->ram.size_bytes >> 20),
            runs);
    return 0;
}

/* Stops the device's DMA and interrupts, then blocks it: safe at any stage of setup. */
static void teardown(struct assigned_device *ad)
{
    struct assign_cfg_host h = { host_cfg_read32, host_cfg_write32, ad->pdev };
    uint32_t cmd;

    if (ad->cfg.msi.cap)
        msi_host_program(&h, ad->cfg.msi.cap, ad->cfg.msi.addr64, false, 0, 0);
    cmd = host_cfg_read32(ad->pdev, PCI_CFG_COMMAND) & 0xffffu;
    host_cfg_write32(ad->pdev, PCI_CFG_COMMAND,
                     (cmd & ~(uint32_t)(ASSIGN_CMD_BUS_MASTER | PCI_COMMAND_MEMORY | PCI_COMMAND_IO)) |
                         ASSIGN_CMD_INTX_DISABLE);
    if (ad->host_vector >= 0)
        irq_free_vector(ad->host_vector);
    if (ad->domain) {
        domain_detach(ad->domain, ad->pdev->seg, ad->pdev->bus, (uint8_t)(ad->pdev->dev << 3 | ad->pdev->fn));
        iommu_domain_free(ad->domain);
    }
    bars_unmap(ad);
}

static void assign_one(struct vm *vm, const struct assign_bdf *b)
{
    struct pci_dev *d = pci_find_bdf(b->seg, b->bus, b->dev, b->fn);
    struct assign_cfg_host host = { host_cfg_read32, host_cfg_write32, NULL };
    struct assign_cfg_events ev = { on_msi_change, on_bar_move, NULL };
    struct assigned_device *ad;
    struct vtd_unit *unit;
    const char *why;

    if (!d) {
        pr_warn("assign: " PCI_BDF_FMT ": no such PCI device; %s runs without it\n", b->seg, b->bus, b->dev, b->fn,
                vm->name);
        return;
    }
    if ((why = refusal(d))) {
        pr_warn("assign: " PCI_BDF_FMT ": not assigned: %s; %s runs without it\n", PCI_BDF_ARGS(d), why, vm->name);
        return;
    }
    if (!iommu_active()) {
        pr_warn("assign: " PCI_BDF_FMT ": not assigned: no VT-d (no DMAR table, or iommu=off): without DMA "
                "confinement the device could reach all memory; %s runs without it\n", PCI_BDF_ARGS(d), vm->name);
        return;
    }
    if (!(unit = iommu_unit_for_device(d->seg, d->bus, d->dev, d->fn))) {
        pr_warn("assign: " PCI_BDF_FMT ": not assigned: its VT-d unit is unknown (no DMAR scope covers it); "
                "%s runs without it\n", PCI_BDF_ARGS(d), vm->name);
        return;
    }
    if (!(ad = kzalloc(sizeof(*ad)))) {
        pr_err("assign: " PCI_BDF_FMT ": out of memory; %s runs without it\n", PCI_BDF_ARGS(d), vm->name);
        return;
    }
    ad->vm = vm;
    ad->pdev = d;
    ad->unit = unit;
    ad->host_vector = -1;
    ad->link.bdf = (uint16_t)(d->bus << 8 | d->dev << 3 | d->fn);
    fmt_snprintf(ad->name, sizeof(ad->name), PCI_BDF_FMT, PCI_BDF_ARGS(d));
    host.ctx = d;
    ev.ctx = ad;

    /* Decoding and bus mastering go off here (assign_cfg_init): no DMA before the domain. */
    if (assign_cfg_init(&ad->cfg, &host, d->bar, &ev) < 0) {
        pr_warn("assign: %s: not assigned: configuration header or BARs not supported; %s runs without it\n",
                ad->name, vm->name);
        goto fail;
    }
    if (dma_confine(ad) < 0 || bars_map(ad) < 0)
        goto fail;
    if (ad->cfg.msi.cap && (ad->host_vector = irq_alloc_vector(msi_irq, ad)) < 0)
        pr_warn("%s: %s: no free host vector: the guest gets no MSI from it\n", vm->name, ad->name);
    if (ad->cfg.msix_cap)
        pr_info("%s: %s: MSI-X capability hidden (its table is not emulated)%s\n", vm->name, ad->name,
                ad->cfg.msi.cap ? "; MSI offered" : "");
    if (assign_platform_add(ad) < 0) {
        pr_err("%s: %s: the virtual PCI refused the function\n", vm->name, ad->name);
        goto fail;
    }
    ad->link.next = vm->assigned;
    vm->assigned = &ad->link;
    pr_info("%s: assigned %s (%04x:%04x) at the same address in its PCI; %u other capabilities hidden\n", vm->name,
            ad->name, d->vendor, d->device, ad->cfg.hidden_caps - (ad->cfg.msix_cap ? 1 : 0));
    return;
fail:
    teardown(ad);
    pr_warn("assign: %s: not assigned; %s runs without it\n", ad->name, vm->name);
    kfree(ad);
}

void assign_vm_setup(struct vm *vm)
{
    struct assign_bdf list[ASSIGN_MAX_DEVICES];
    char arg[ASSIGN_ARG_MAX];
    unsigned n;

    if (!cmdline_get("assign", arg, sizeof(arg)) || vm->id != ASSIGN_FIRST_VM)
        return;
    n = assign_list_parse(arg, list, ASSIGN_MAX_DEVICES);
    for (unsigned i = 0; i < n; i++)
        assign_one(vm, &list[i]);
}

void assign_vm_release(struct vm *vm)
{
    /* Faults still in the units' records belong to this VM's domains: report them first. */
    if (vm->assigned)
        iommu_poll_faults();
    while (vm->assigned) {
        struct assigned_device *ad = of_link(vm->assigned);
        unsigned dom = ad->domain ? ad->domain->id : 0;

        vm->assigned = ad->link.next;
        assign_platform_remove(ad);
        teardown(ad);
        pr_info("%s: released %s: DMA blocked again, dom%u destroyed; MSIs delivered %llu, dropped %llu\n", vm->name,
                ad->name, dom, (unsigned long long)ad->msi_delivered, (unsigned long long)ad->msi_dropped);
        kfree(ad);
    }
}
