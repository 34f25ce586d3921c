// SPDX-License-Identifier: GPL-2.0-only
/* The VM's emulated platform: LAPICs, IOAPIC, PCI, ACPI tables (see platform.h). */
#include "vmm/platform.h"

#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/heap.h"
#include "kernel/time.h"
#include "lib/kstring.h"
#include "vmm/guest_acpi.h"
#include "vmm/vioapic.h"
#include "vmm/vlapic.h"
#include "vmm/vm.h"
#include "vmm/vpci.h"

#define ECAM_BUSES 256

struct vm_platform {
    struct vm *vm;
    struct vlapic lapic[VM_MAX_VCPUS];
    unsigned nr_lapics;
    struct vioapic ioapic;
    struct vpci pci;
    bool have_pci;
    struct guest_acpi_layout acpi;
};

static uint64_t host_now_ns(void *ctx)
{
    (void)ctx;
    return time_now_us() * 1000;
}

/* vcpu_irq_source callbacks: the run loop asks before every entry. */
static int lapic_pending(void *ctx)
{
    return vlapic_pending_vector(ctx);
}

static void lapic_ack(void *ctx, int vector)
{
    vlapic_ack(ctx, vector);
}

static uint64_t lapic_next_event(void *ctx)
{
    return vlapic_timer_deadline_ns(ctx);
}

static void lapic_eoi_notify(void *ctx, uint8_t vector)
{
    struct vm_platform *p = ctx;

    vioapic_eoi(&p->ioapic, vector);
}

static void ioapic_deliver(void *ctx, const struct vioapic_msg *m)
{
    struct vm_platform *p = ctx;

    static struct log_ratelimit rl = { .interval = 1000000, .burst = 10 };
    uint32_t suppressed;

    if (m->delivery_mode != 0 && m->delivery_mode != 1) { /* fixed, lowest priority */
        if (log_ratelimit_allow(&rl, time_now_us(), &suppressed))
            pr_debug("%s: ioapic: delivery mode %u not emulated (vector 0x%x; %u similar lines suppressed)\n",
                     p->vm->name, m->delivery_mode, m->vector, suppressed);
        return;
    }
    vm_platform_deliver_fixed(p->vm, m->vector, m->dest, m->dest_logical, m->level);
}

bool vm_platform_deliver_fixed(struct vm *vm, uint8_t vector, uint8_t dest, bool dest_logical, bool level)
{
    struct vm_platform *p = vm->platform;
    bool taken = false;

    if (!p)
        return false;
    for (unsigned i = 0; i < p->nr_lapics; i++)
        if (vlapic_matches_dest(&p->lapic[i], dest, dest_logical)) {
            vlapic_accept(&p->lapic[i], vector, level);
            taken = true;
        }
    return taken;
}

void vm_platform_set_gsi(struct vm *vm, unsigned gsi, bool level)
{
    if (vm->platform)
        vioapic_set_irq(&vm->platform->ioapic, gsi, level);
}

struct vpci *vm_platform_pci(struct vm *vm)
{
    return vm->platform && vm->platform->have_pci ? &vm->platform->pci : NULL;
}

struct vlapic *vm_platform_lapic(struct vm *vm, unsigned i)
{
    return vm->platform && i < vm->platform->nr_lapics ? &vm->platform->lapic[i] : NULL;
}

static int write_acpi(struct vm_platform *p, bool ecam)
{
    static uint8_t image[2048]; /* the builder's scratch; VMs are created one at a time */
    struct guest_acpi_config cfg = {
        .nr_cpus = p->vm->nr_vcpus, .lapic_base = (uint32_t)VLAPIC_BASE, .ioapic_base = (uint32_t)VIOAPIC_BASE,
        .ioapic_id = VM_PLATFORM_IOAPIC_ID, .ioapic_gsi_base = 0, .have_ecam = ecam,
        .ecam_base = VPCI_ECAM_BASE, .ecam_start_bus = 0, .ecam_end_bus = ECAM_BUSES - 1,
    };
    int err = guest_acpi_build(&cfg, GUEST_ACPI_BASE, image, sizeof(image), &p->acpi);

    if (!err)
        err = vm_write_gpa(p->vm, GUEST_ACPI_BASE, image, p->acpi.bytes);
    if (err)
        pr_err("%s: ACPI tables: error %d\n", p->vm->name, err);
    return err;
}

int vm_platform_init(struct vm *vm)
{
    struct vm_platform *p = kzalloc(sizeof(*p));
    bool ecam = vm->ram.size_bytes <= VPCI_ECAM_BASE;
    int err = 0;

    if (!p)
        return -ENOMEM;
    p->vm = vm;
    vm->platform = p;
    for (unsigned i = 0; i < vm->nr_vcpus && !err; i++) {
        err = vlapic_init(&p->lapic[i], &vm->bus, vm->name, i << 24, host_now_ns, p);
        if (err)
            break;
        p->nr_lapics++;
        p->lapic[i].eoi_notify = lapic_eoi_notify;
        vm->vcpus[i]->irq = (struct vcpu_irq_source){ lapic_pending, lapic_ack, &p->lapic[i], lapic_next_event };
    }
    if (vm->nr_vcpus > 1) /* every LAPIC claims 0xFEE00000: per-vCPU dispatch comes with SMP */
        err = err ? err : -ENOTSUP;
    if (!err)
        err = vioapic_init(&p->ioapic, &vm->bus, vm->name, VM_PLATFORM_IOAPIC_ID, ioapic_deliver, p);
    if (!err && !ecam)
        pr_warn("%s: RAM reaches the ECAM window at 0x%llx: PCI through ports 0xCF8/0xCFC only, no MCFG\n",
                vm->name, (unsigned long long)VPCI_ECAM_BASE);
    if (!err && !(err = vpci_init(&p->pci, &vm->bus, vm->name, VPCI_ECAM_BASE, ecam ? ECAM_BUSES : 0)))
        p->have_pci = true;
    if (!err)
        err = write_acpi(p, ecam);
    if (err) {
        pr_err("%s: platform setup failed (%d)\n", vm->name, err);
        return err;
    }
    pr_info("%s: platform: lapic 0x%llx, ioapic 0x%llx, pci cf8%s, acpi rsdp 0x%llx\n", vm->name,
            (unsigned long long)VLAPIC_BASE, (unsigned long long)VIOAPIC_BASE, ecam ? " + ecam 0xb0000000" : "",
            (unsigned long long)p->acpi.rsdp);
    return 0;
}

void vm_platform_destroy(struct vm *vm)
{
    kfree(vm->platform);
    vm->platform = NULL;
}
