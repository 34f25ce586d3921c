// SPDX-License-Identifier: GPL-2.0-only
/* Assigned functions on the VM's platform: its virtual PCI bus and its local APIC. */
#include "vmm/assign.h"

#include "kernel/errno.h"
#include "kernel/log.h"
#include "vmm/platform.h"

static int vfn_read(struct vpci_function *f, uint16_t off, unsigned size, uint32_t *value)
{
    return assign_cfg_access_read(f->ctx, off, size, value);
}

static int vfn_write(struct vpci_function *f, uint16_t off, unsigned size, uint32_t value)
{
    return assign_cfg_access_write(f->ctx, off, size, value);
}

static const struct vpci_function_ops vfn_ops = { vfn_read, vfn_write };

int assign_platform_add(struct assigned_device *ad)
{
    struct vpci *bus = vm_platform_pci(ad->vm);
    int rc;

    if (!bus) {
        pr_err("%s: %s: the VM has no virtual PCI bus\n", ad->vm->name, ad->name);
        return -ENODEV;
    }
    /* The virtual PCI is segment 0 (vpci.h): the function keeps its bus and devfn there. */
    if (ad->pdev->seg != 0) {
        pr_err("%s: %s: the VM's PCI has segment 0 only\n", ad->vm->name, ad->name);
        return -EINVAL;
    }
    ad->vfn.name = ad->name;
    ad->vfn.bus = ad->pdev->bus;
    ad->vfn.devfn = VPCI_DEVFN(ad->pdev->dev, ad->pdev->fn);
    ad->vfn.ops = &vfn_ops;
    ad->vfn.ctx = ad;
    if ((rc = vpci_add_function(bus, &ad->vfn)) < 0)
        return rc;
    ad->vpci = bus;
    return 0;
}

void assign_platform_remove(struct assigned_device *ad)
{
    if (ad->vpci)
        vpci_remove_function(ad->vpci, &ad->vfn);
    ad->vpci = NULL;
}

bool assign_platform_deliver_msi(struct vm *vm, const struct msi_route *r)
{
    return vm_platform_deliver_fixed(vm, r->vector, r->dest, r->dest_logical, false);
}
