/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A virtual machine: its RAM (host frames, GPA->HPA in guest_ram and in the nested
 * tables), its emulated devices (port I/O and MMIO handlers), assigned devices and MMIO
 * ranges, its vCPUs and exit counters. Nothing here is global: every VM is one struct vm.
 */
#ifndef NESTOR_VMM_VM_H
#define NESTOR_VMM_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/dev_debug_exit.h"
#include "vmm/dev_uart.h"
#include "vmm/guest_ram.h"
#include "vmm/iodev.h"
#include "vmm/npt.h"
#include "vmm/vcpu.h"

#define VM_MAX_VCPUS        8
#define VM_NAME_MAX         16
#define VM_PREFIX_MAX       24
#define VM_MAX_MMIO_ASSIGNED 16
#define VM_STOP_REASON_MAX  96

/* A host MMIO range (a device BAR) mapped into one VM at gpa; the NPT invariant allows it. */
struct vm_mmio_assignment {
    uint64_t gpa, hpa, size;
};

/* A host device given to the VM (filled in by device assignment, later). */
struct vm_assigned_dev {
    uint16_t bdf;
    struct vm_assigned_dev *next;
};

struct vm_platform;

struct vm {
    unsigned id;
    char name[VM_NAME_MAX];            /* "vm0": the subject of the VM's log lines */
    char console_prefix[VM_PREFIX_MAX]; /* "[vm0] ": starts each line of guest output */

    struct guest_ram ram;
    struct guest_ram_slot *ram_slots;
    struct npt npt;
    struct iodev_bus bus;
    struct vm_mmio_assignment mmio_assigned[VM_MAX_MMIO_ASSIGNED];
    unsigned nr_mmio_assigned;
    struct vm_assigned_dev *assigned;

    struct vcpu *vcpus[VM_MAX_VCPUS];
    unsigned nr_vcpus;
    const struct vcpu_ops *backend;

    /* The minimal platform; the q35 model (PCI, ACPI, LAPIC, IOAPIC) registers beside it. */
    struct vuart uart;
    struct vdebug_exit debug_exit;
    struct vm_platform *platform;      /* LAPICs, IOAPIC, PCI, ACPI (platform.c) */

    bool running;
    bool debug_exit_written;
    uint32_t debug_exit_value;
    char stop_reason[VM_STOP_REASON_MAX];
    uint64_t exit_counts[VCPU_EXIT_NR];
};

/* A VM with ram_bytes of RAM (rounded up to 2 MiB), its platform devices and one vCPU. */
struct vm *vm_create(unsigned id, uint64_t ram_bytes, const struct vcpu_ops *backend);
void vm_destroy(struct vm *vm);

/* Maps host MMIO [hpa, hpa+size) at gpa for this VM (uncached, no execute). */
int vm_assign_mmio(struct vm *vm, uint64_t gpa, uint64_t hpa, uint64_t size);

/* Checks the nested-table invariant (npt.h): every leaf maps this VM's RAM or assigned MMIO. */
bool vm_npt_invariant_holds(struct vm *vm);

/* Ends the VM: the run loop returns at the next exit. The first reason is kept and logged. */
void vm_stop(struct vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Runs the VM's vCPUs (one, for now) until it stops; prints the exit counters. */
void vm_run(struct vm *vm);
void vm_print_exit_counts(const struct vm *vm);

/* Guest physical memory, bounds-checked: -EFAULT for any byte outside guest RAM. */
int vm_read_gpa(struct vm *vm, uint64_t gpa, void *buf, size_t len);
int vm_write_gpa(struct vm *vm, uint64_t gpa, const void *buf, size_t len);

#endif
