/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Isolation domains: one translation table (second stage, or first stage on a unit
 * that offers only that, as QEMU with x-flts=on) and one domain id per unit the
 * domain's devices sit behind. Devices (segment:bus:dev.fn) are attached through
 * a legacy context entry, or in scalable mode through the scalable context entry,
 * the PASID directory and the PASID-table entry for RID_PASID.
 *
 * A device attached to no domain has no present context entry (legacy) or no present
 * PASID entry (scalable): its DMA faults. That is the default for every device.
 *
 * Invariant (the default policy of issue 3: the hypervisor's own memory is never
 * mapped for any device): every leaf of a domain's table points into a host-physical
 * range its owner registered with domain_add_dma_region() - a VM's RAM, an RMRR
 * range, a self-test's buffers. Page tables, IOMMU tables, the heap, Nestor's image
 * and other VMs' RAM are never registered, so no call can map them; registration
 * itself refuses what the hpa policy hook calls hypervisor-owned. Enforced in
 * domain_map() (and domain_add_dma_region()).
 */
#ifndef NESTOR_IOMMU_DOMAIN_H
#define NESTOR_IOMMU_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "iommu/vtd_context.h"
#include "iommu/vtd_pasid.h"
#include "iommu/vtd_pgtable.h"
#include "iommu/vtd_unit.h"

#define DOMAIN_MAX_DEVICES 32
#define DOMAIN_RID_PASID   0u      /* PASID of requests without one (scalable context entry) */

enum domain_attach_type {
    DOMAIN_ATTACH_TRANSLATE,       /* through the domain's table */
    DOMAIN_ATTACH_PASS_THROUGH,    /* untranslated (ECAP.PT); for devices that must keep working */
    DOMAIN_ATTACH_NESTED,          /* guest first stage (a GPA root) over the domain's second stage */
};

struct domain_device {
    struct vtd_unit *unit;
    uint16_t seg;
    uint8_t bus, devfn;
    enum domain_attach_type type;
    uint64_t guest_fs_root;        /* nested: guest-physical first-stage root */
};

struct iommu_domain;
struct vtd_fault_record;
typedef void (*domain_fault_fn)(void *ctx, struct iommu_domain *d, const struct vtd_fault_record *rec);
/* A device of d stormed (vtd_faults.h): its fault reporting is now off (FPD); DMA stays blocked. */
typedef void (*domain_storm_fn)(void *ctx, struct iommu_domain *d, struct vtd_unit *u, uint16_t sid, uint32_t faults);

/* Host ranges a domain may map, [start, end), coalesced; stored in frames of 256. */
struct domain_dma_region {
    uint64_t start, end;
};
#define DOMAIN_DMA_REGIONS_PER_PAGE 256u
#define DOMAIN_DMA_REGION_PAGES     16u   /* up to 4096 disjoint ranges */

struct iommu_domain {
    unsigned id;                   /* "domN" in the log */
    enum vtd_stage stage;
    unsigned levels;
    unsigned iova_bits;            /* IOVAs are below 2^iova_bits */
    struct vtd_pgtable pt;
    struct vtd_pgtable_mem mem;
    const struct vtd_env *env;
    uint16_t did[VTD_MAX_UNITS];   /* per unit index; 0: no id on that unit yet */
    struct vtd_unit *units[VTD_MAX_UNITS];
    unsigned ndev;
    struct domain_device dev[DOMAIN_MAX_DEVICES];
    domain_fault_fn fault_fn;
    void *fault_ctx;
    domain_storm_fn storm_fn;
    void *storm_ctx;
    bool registered;
    unsigned nregions;
    uint64_t region_pages[DOMAIN_DMA_REGION_PAGES];   /* physical; 0 until needed */
    /*
     * Table pages map/unmap took out of the table: the units may still walk them from
     * their paging-structure caches, so they go back to the allocator only after the
     * invalidation completed (kept forever when it failed). Linked through entry 0,
     * which holds a page address: a not-present entry in both formats.
     */
    uint64_t retired_tables;
    bool retiring;
};

/* Whether host memory [pa, pa+size) may be mapped for devices at all (false: hypervisor-owned). */
typedef bool (*domain_hpa_policy_fn)(uint64_t pa, uint64_t size);
void domain_set_hpa_policy(domain_hpa_policy_fn fn);

/*
 * Registers host memory [hpa, hpa+size) (4 KiB aligned) as DMA-able for d: only such
 * ranges can be mapped. Called by the memory's owner (the VM for its RAM, iommu.c for
 * an RMRR). Adjacent and overlapping ranges merge. 0, -EINVAL, -EPERM (hypervisor-owned,
 * logged), -ENOSPC (too many disjoint ranges), -ENOMEM. Regions last until destroy.
 */
int domain_add_dma_region(struct iommu_domain *d, uint64_t hpa, uint64_t size);
/* Whether [hpa, hpa+size) lies inside one registered range of d. */
bool domain_dma_region_covers(const struct iommu_domain *d, uint64_t hpa, uint64_t size);

/*
 * Sets up an empty domain whose table suits unit u (its stage, depth, large pages).
 * 0, -ENOMEM or -EINVAL. The domain is registered for fault lookup until destroyed.
 */
int domain_init(struct iommu_domain *d, unsigned id, struct vtd_unit *u);
/* Detaches every device, frees the table and the domain ids. */
void domain_destroy(struct iommu_domain *d);

/*
 * Maps [iova, iova+size) to host [hpa, hpa+size) with perms (VTD_PERM_R/W), using
 * 2 MiB / 1 GiB pages where the units allow and alignment permits; caches of every
 * unit the domain is on are invalidated as the unit needs (CM, replaced entries).
 * 0, -EINVAL (alignment, width), -EPERM (not inside a registered DMA region, or
 * hypervisor-owned; logged), -EEXIST, -ENOMEM.
 */
int domain_map(struct iommu_domain *d, uint64_t iova, uint64_t hpa, uint64_t size, unsigned perms);
/* Unmaps and invalidates (batched page-selective) on every unit; then the IOVAs fault. */
int domain_unmap(struct iommu_domain *d, uint64_t iova, uint64_t size);
/* Host address for iova, or -ENOENT (lookups through the one walker). */
int domain_lookup(const struct iommu_domain *d, uint64_t iova, uint64_t *hpa, unsigned *perms);

/*
 * Attaches seg:bus:devfn behind unit u. -EBUSY if the device already has a present
 * entry (detach it first), -ENOTSUP when the unit lacks what type needs (PT, NEST,
 * the domain's table depth), -ENOMEM. guest_fs_root is used for DOMAIN_ATTACH_NESTED only.
 */
int domain_attach(struct iommu_domain *d, struct vtd_unit *u, uint16_t seg, uint8_t bus, uint8_t devfn,
                  enum domain_attach_type type, uint64_t guest_fs_root);
/* Removes the device's entry (blocking again) and invalidates. -ENOENT if not attached here. */
int domain_detach(struct iommu_domain *d, uint16_t seg, uint8_t bus, uint8_t devfn);

/* The registered domain seg:bus:devfn is attached to behind unit u, or NULL. */
struct iommu_domain *domain_of_device(const struct vtd_unit *u, uint16_t sid);
void domain_set_fault_handler(struct iommu_domain *d, domain_fault_fn fn, void *ctx);
void domain_set_storm_handler(struct iommu_domain *d, domain_storm_fn fn, void *ctx);

/*
 * Storm handler for a unit (vtd_fault_storm_fn; ctx unused): sets FPD in the present
 * context entry (legacy) or RID_PASID PASID-table entry (scalable) of requester sid,
 * invalidates as for an entry change, and tells the domain's storm handler. FPD only
 * stops fault recording: the device's DMA is as blocked as before. Attach and detach
 * rebuild the entry, so FPD is clear again after either. -ENOENT when the device has
 * no present entry (blocked by absence).
 */
int domain_silence_device_faults(void *ctx, struct vtd_unit *u, uint16_t sid, uint32_t faults);

static inline uint16_t domain_sid(uint8_t bus, uint8_t devfn) { return (uint16_t)(bus << 8 | devfn); }

/* ---- pure entry builders (unit-tested per mode) ---- */

/* Legacy context entry (VT-d 9.3) for a device of a domain. */
struct vtd_ctx_entry domain_legacy_context_entry(uint64_t table_pa, unsigned levels, uint16_t did,
                                                 enum domain_attach_type type);

struct domain_pasid_params {
    enum domain_attach_type type;
    enum vtd_stage stage;          /* the domain table's stage */
    uint64_t table_pa;             /* the domain table's root */
    unsigned levels;
    uint16_t did;
    uint64_t guest_fs_root;        /* nested */
    bool guest_fs_5level;          /* nested: the guest table is 5-level */
};

/*
 * Scalable-mode PASID-table entry (VT-d 9.6): PGTT second-stage, first-stage,
 * pass-through or nested. -EINVAL for a combination the spec does not allow
 * (nested over a first-stage domain, a first-stage table not 4/5-level).
 */
int domain_pasid_entry(struct vtd_pasid_entry *pe, const struct domain_pasid_params *p);

#endif
