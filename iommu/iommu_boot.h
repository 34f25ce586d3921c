/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host VT-d bring-up policy, free of kernel services: the iommu= mode, which DMAR units
 * come up, the RMRR identity maps and their place before translation (VT-d 8.4), the fault
 * dispatch and the boot messages. The machine comes in through struct iommu_boot_host
 * (registers and frames through its struct vtd_env): iommu/iommu.c passes the kernel's,
 * unit tests a register model.
 */
#ifndef NESTOR_IOMMU_IOMMU_BOOT_H
#define NESTOR_IOMMU_IOMMU_BOOT_H

#include <stddef.h>
#include <stdint.h>

#include "iommu/domain.h"
#include "iommu/vtd_unit.h"
#include "kernel/acpi/dmar.h"
#include "kernel/bootinfo.h"

enum iommu_mode {
    IOMMU_MODE_DEFAULT,     /* scalable mode where a unit offers it */
    IOMMU_MODE_LEGACY,      /* iommu=legacy */
    IOMMU_MODE_OFF,         /* iommu=off: VT-d untouched */
};

/* The mode for the iommu= value (NULL: not given). An unknown value is logged and ignored. */
enum iommu_mode iommu_mode_parse(const char *value);

struct iommu_boot_host {
    const struct vtd_env *env;
    /* Maps a unit's register space; NULL when it cannot. */
    void *(*map_regs)(uint64_t pa, size_t size);
    /* Bridge reads for device scopes. */
    pci_cfg_read8_fn cfg_read8;
    /* A new empty domain for unit u, or NULL (out of memory). */
    struct iommu_domain *(*domain_create)(struct vtd_unit *u);
    /*
     * The fault event interrupt: its vector with the MSI address and data reaching this CPU,
     * or negative when there is none (faults are then only polled). NULL: none.
     */
    int (*fault_vector)(uint32_t *msi_addr, uint32_t *msi_data);
};

/* The units brought up (in DRHD order) and who sees their faults. */
struct iommu_units {
    struct vtd_unit unit[VTD_MAX_UNITS];
    unsigned n;
    const struct dmar_info *dmar;       /* the table the units came from */
    pci_cfg_read8_fn cfg_read8;
    vtd_fault_owner_fn observer;        /* every record of every unit, before the domain's handler */
    void *observer_ctx;
};

/*
 * Brings up every unit of dm (NULL or no DRHD: logged, nothing to do) unless mode is
 * IOMMU_MODE_OFF (logged): probe, fault reporting, prepare; a unit failing any step is
 * logged and left with translation off while the others continue. Then the fault
 * interrupt, the RMRR identity maps for their devices (refused when overlapping usable RAM
 * of bi's memory map), and translation on every unit. 0, or the last unit error.
 */
int iommu_boot(struct iommu_units *us, const struct dmar_info *dm, enum iommu_mode mode,
               const struct boot_info *bi, const struct iommu_boot_host *host);

/* The unit of us translating DMA of seg:bus:dev.fn, or NULL. */
struct vtd_unit *iommu_units_for_device(struct iommu_units *us, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn);

/* Drains the fault records of every unit; the number drained. */
unsigned iommu_units_poll_faults(struct iommu_units *us);

#endif
