/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Device assignment: `assign=BB:DD.F[,SSSS:BB:DD.F...]` on Nestor's command line gives
 * those host PCI functions to the first VM (vm0).
 *
 *  - DMA: a host VT-d domain maps exactly the VM's RAM, IOVA = GPA (assign_dma.h states
 *    the invariant); the function is attached to it, replacing the blocking default.
 *    Its faults are logged naming the VM. Without an active VT-d unit for the function,
 *    assignment is refused: the device could otherwise reach all of memory.
 *  - Placement: the guest sees the function at the same segment:bus:dev.fn in its
 *    virtual PCI, with the same BAR addresses (memory BARs mapped GPA = HPA, uncached,
 *    through the nested tables; I/O BARs forwarded port by port).
 *  - Configuration space: virtualised by assign_cfg (BARs, command, MSI only).
 *  - Interrupts: MSI only. The device signals a hypervisor vector on the host; its
 *    handler delivers the guest's MSI vector to the guest's local APIC.
 *  - Teardown (assign_vm_release, before the VM's RAM is freed): bus master and decoding
 *    off, MSI off, device detached (blocked again), domain destroyed.
 */
#ifndef NESTOR_VMM_ASSIGN_H
#define NESTOR_VMM_ASSIGN_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/assign_cfg.h"
#include "vmm/assign_msi.h"
#include "vmm/vm.h"
#include "vmm/vpci.h"

struct iommu_domain;
struct vtd_unit;

struct assigned_device {
    struct vm_assigned_dev link;      /* in vm->assigned */
    struct vm *vm;
    struct pci_dev *pdev;
    struct vtd_unit *unit;
    struct iommu_domain *domain;
    struct assign_cfg cfg;
    struct iodev io_bar[ASSIGN_BARS]; /* forwarded I/O BARs (name NULL when unused) */
    struct vpci_function vfn;         /* in the VM's virtual PCI */
    struct vpci *vpci;                /* the bus vfn is on, NULL when not added */
    int host_vector;                  /* -1: no MSI */
    bool msi_routed;                  /* the guest's message decoded; route valid */
    struct msi_route route;
    uint64_t msi_delivered, msi_dropped;
    char name[16];                    /* "0000:00:01.0" */
};

/* Assigns the functions named by assign= to vm when it is the first VM. Refusals are logged. */
void assign_vm_setup(struct vm *vm);
/* Gives every function of vm back: DMA blocked, domain destroyed. Safe when none. */
void assign_vm_release(struct vm *vm);

/* The guest's configuration accesses to an assigned function (what the virtual PCI calls). */
int assign_cfg_access_read(void *ctx, uint16_t off, unsigned size, uint32_t *value);
int assign_cfg_access_write(void *ctx, uint16_t off, unsigned size, uint32_t value);

/* ---- glue to the guest platform (assign_platform.c) ---- */

/* Shows the function in the VM's virtual PCI at seg:bus:dev.fn. 0 or a negative error. */
int assign_platform_add(struct assigned_device *ad);
void assign_platform_remove(struct assigned_device *ad);
/* Delivers a fixed, edge-triggered interrupt to the guest's local APIC. false if nobody took it. */
bool assign_platform_deliver_msi(struct vm *vm, const struct msi_route *r);

#endif
