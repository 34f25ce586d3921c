// SPDX-License-Identifier: GPL-2.0-only
/* VM objects: RAM and nested tables, platform devices, vCPUs, stop and exit counters. */
#include "vmm/vm.h"

#include <stdarg.h>

#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/heap.h"
#include "kernel/panic.h"
#include "lib/fmt.h"
#include "lib/kstring.h"
#include "vmm/assign.h"
#include "vmm/platform.h"

static uint64_t ram_alloc_2m(void *ctx) { return frames_alloc_contig(GUEST_RAM_SLOT_PAGES, GUEST_RAM_SLOT_PAGES); }
static uint64_t ram_alloc_4k(void *ctx) { return frame_alloc(); }
static void ram_free_2m(void *ctx, uint64_t hpa) { frames_free(hpa, GUEST_RAM_SLOT_PAGES); }
static void ram_free_4k(void *ctx, uint64_t hpa) { frame_free(hpa); }

static const struct guest_ram_alloc host_ram_alloc = { ram_alloc_2m, ram_alloc_4k, ram_free_2m, ram_free_4k, NULL };
static const struct npt_alloc host_table_alloc = { ram_alloc_4k, ram_free_4k, NULL };

static void vm_flush_guest_tlbs(struct vm *vm)
{
    for (unsigned i = 0; i < vm->nr_vcpus; i++)
        vm->vcpus[i]->ops->flush_guest_tlb(vm->vcpus[i]);
}

/* Maps all of guest RAM: 2 MiB leaves for contiguous slots, 4 KiB ones otherwise. */
static int vm_map_ram(struct vm *vm)
{
    for (uint64_t gpa = 0; gpa < vm->ram.size_bytes; gpa += GUEST_RAM_SLOT_BYTES) {
        if (guest_ram_slot_is_contiguous(&vm->ram, gpa)) {
            int err = npt_map(&vm->npt, gpa, guest_ram_gpa_to_hpa(&vm->ram, gpa), GUEST_RAM_SLOT_BYTES,
                              NPT_RWX, true);
            if (err)
                return err;
            continue;
        }
        for (uint64_t off = 0; off < GUEST_RAM_SLOT_BYTES; off += GUEST_RAM_PAGE_BYTES) {
            int err = npt_map(&vm->npt, gpa + off, guest_ram_gpa_to_hpa(&vm->ram, gpa + off),
                              GUEST_RAM_PAGE_BYTES, NPT_RWX, false);
            if (err)
                return err;
        }
    }
    return 0;
}

struct invariant_check {
    struct vm *vm;
    uint64_t bad_gpa, bad_hpa;
};

static bool leaf_is_owned(void *ctx, uint64_t gpa, uint64_t hpa, uint64_t size, unsigned perm)
{
    struct invariant_check *c = ctx;
    struct vm *vm = c->vm;

    if (guest_ram_contains(&vm->ram, gpa, size)) {
        /* A 2 MiB leaf is only made for a contiguous slot, so its first page decides. */
        if (guest_ram_gpa_to_hpa(&vm->ram, gpa) == hpa &&
            (size == NPT_PAGE_4K || guest_ram_slot_is_contiguous(&vm->ram, gpa)))
            return true;
    }
    for (unsigned i = 0; i < vm->nr_mmio_assigned; i++) {
        const struct vm_mmio_assignment *m = &vm->mmio_assigned[i];

        if (gpa >= m->gpa && size <= m->size && gpa - m->gpa <= m->size - size && hpa - m->hpa == gpa - m->gpa)
            return true;
    }
    c->bad_gpa = gpa;
    c->bad_hpa = hpa;
    return false;
}

bool vm_npt_invariant_holds(struct vm *vm)
{
    struct invariant_check c = { vm, 0, 0 };

    if (npt_for_each_leaf(&vm->npt, leaf_is_owned, &c) >= 0)
        return true;
    pr_err("%s: nested table maps GPA 0x%llx to HPA 0x%llx, which is neither its RAM nor assigned MMIO\n",
           vm->name, (unsigned long long)c.bad_gpa, (unsigned long long)c.bad_hpa);
    return false;
}

int vm_assign_mmio(struct vm *vm, uint64_t gpa, uint64_t hpa, uint64_t size)
{
    int err;

    if (vm->nr_mmio_assigned == VM_MAX_MMIO_ASSIGNED || guest_ram_contains(&vm->ram, gpa, 1))
        return -ENOSPC;
    vm->mmio_assigned[vm->nr_mmio_assigned++] = (struct vm_mmio_assignment){ gpa, hpa, size };
    err = npt_map(&vm->npt, gpa, hpa, size, NPT_READ | NPT_WRITE | NPT_UNCACHED, true);
    if (err) {
        vm->nr_mmio_assigned--;
        return err;
    }
    vm_flush_guest_tlbs(vm);
    return 0;
}

static void vm_on_debug_exit(void *ctx, uint32_t value)
{
    struct vm *vm = ctx;

    vm->debug_exit_written = true;
    vm->debug_exit_value = value;
    vm_stop(vm, "isa-debug-exit 0x%x", value);
}

static int vm_add_vcpu(struct vm *vm)
{
    struct vcpu *v = kzalloc(sizeof(*v));
    int err;

    if (!v)
        return -ENOMEM;
    v->vm = vm;
    v->index = vm->nr_vcpus;
    v->ops = vm->backend;
    vm->vcpus[vm->nr_vcpus++] = v;
    err = v->ops->vcpu_create(v);
    if (err)
        pr_err("%s: vCPU %u: creation failed (%d)\n", vm->name, v->index, err);
    return err;
}

struct vm *vm_create(unsigned id, uint64_t ram_bytes, const struct vcpu_ops *backend)
{
    struct vm *vm = kzalloc(sizeof(*vm));
    uint64_t size = (ram_bytes + GUEST_RAM_SLOT_BYTES - 1) & ~(GUEST_RAM_SLOT_BYTES - 1);
    enum npt_format fmt = NPT_FORMAT_AMD;
    bool allow_2m = true;
    int err;

    if (!vm)
        return NULL;
    if (backend->nested_format)
        fmt = backend->nested_format(&allow_2m);
    vm->id = id;
    vm->backend = backend;
    fmt_snprintf(vm->name, sizeof(vm->name), "vm%u", id);
    fmt_snprintf(vm->console_prefix, sizeof(vm->console_prefix), "[vm%u] ", id);
    if (!size || size > GUEST_RAM_MAX_BYTES) {
        pr_err("%s: %llu MiB of RAM requested; 2 MiB to %llu MiB supported\n", vm->name,
               (unsigned long long)(ram_bytes >> 20), (unsigned long long)(GUEST_RAM_MAX_BYTES >> 20));
        goto fail;
    }
    vm->ram_slots = kzalloc(sizeof(*vm->ram_slots) * (size / GUEST_RAM_SLOT_BYTES));
    if (!vm->ram_slots || (err = guest_ram_init(&vm->ram, size, vm->ram_slots, &host_ram_alloc))) {
        pr_err("%s: no memory for %llu MiB of guest RAM\n", vm->name, (unsigned long long)(size >> 20));
        goto fail;
    }
    if ((err = npt_init(&vm->npt, &host_table_alloc, fmt, allow_2m)) || (err = vm_map_ram(vm))) {
        pr_err("%s: nested page tables: error %d\n", vm->name, err);
        goto fail;
    }
    if ((err = vuart_init(&vm->uart, &vm->bus, VUART_COM1_BASE, vm->console_prefix)) ||
        (err = vdebug_exit_init(&vm->debug_exit, &vm->bus, vm->name, vm_on_debug_exit, vm)))
        goto fail;
    if (vm_add_vcpu(vm) || vm_platform_init(vm))
        goto fail;
    assign_vm_setup(vm);
    BUG_ON(!vm_npt_invariant_holds(vm));
    pr_info("%s: %llu MiB RAM (%u of %u 2 MiB slots contiguous), %u nested table pages, %u vCPU, back end %s\n",
            vm->name, (unsigned long long)(size >> 20), vm->ram.nr_slots - vm->ram.nr_split_slots,
            vm->ram.nr_slots, (unsigned)vm->npt.tables, vm->nr_vcpus, backend->name);
    return vm;
fail:
    vm_destroy(vm);
    return NULL;
}

void vm_destroy(struct vm *vm)
{
    if (!vm)
        return;
    assign_vm_release(vm); /* device DMA blocked before the RAM goes back */
    for (unsigned i = 0; i < vm->nr_vcpus; i++) {
        vm->vcpus[i]->ops->vcpu_destroy(vm->vcpus[i]);
        kfree(vm->vcpus[i]);
    }
    vm_platform_destroy(vm);
    if (vm->npt.root_hpa)
        npt_destroy(&vm->npt);
    guest_ram_destroy(&vm->ram);
    kfree(vm->ram_slots);
    kfree(vm);
}

void vm_stop(struct vm *vm, const char *fmt, ...)
{
    va_list ap;

    if (!vm->running && vm->stop_reason[0])
        return;
    va_start(ap, fmt);
    fmt_vsnprintf(vm->stop_reason, sizeof(vm->stop_reason), fmt, ap);
    va_end(ap);
    vm->running = false;
    log_raw("%s: stopped: %s\n", vm->name, vm->stop_reason);
}

void vm_print_exit_counts(const struct vm *vm)
{
    uint64_t total = 0;

    for (unsigned r = 0; r < VCPU_EXIT_NR; r++) {
        if (!vm->exit_counts[r])
            continue;
        total += vm->exit_counts[r];
        log_raw("%s: exits %s %llu\n", vm->name, vcpu_exit_reason_name(r),
                (unsigned long long)vm->exit_counts[r]);
    }
    log_raw("%s: exits total %llu\n", vm->name, (unsigned long long)total);
}

void vm_run(struct vm *vm)
{
    BUG_ON(!vm_npt_invariant_holds(vm));
    vm->running = true;
    vm->stop_reason[0] = '\0';
    log_raw("%s: running\n", vm->name);
    vcpu_run_loop(vm->vcpus[0]); /* one vCPU for now; SMP guests will run one loop per CPU */
    vuart_flush(&vm->uart);
    vm_print_exit_counts(vm);
}

int vm_read_gpa(struct vm *vm, uint64_t gpa, void *buf, size_t len)
{
    return guest_ram_read(&vm->ram, gpa, buf, len);
}

int vm_write_gpa(struct vm *vm, uint64_t gpa, const void *buf, size_t len)
{
    return guest_ram_write(&vm->ram, gpa, buf, len);
}
