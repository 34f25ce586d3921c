/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Root table entries (VT-d spec 9.1 legacy, 9.2 scalable mode). The root table
 * is one 4 KiB page of 256 entries, indexed by PCI bus number.
 *
 * Legacy (9.1): lo bit 0 P, lo bits 63:12 context-table pointer; hi reserved.
 *   Confirmed: QEMU intel_iommu_internal.h (VTD_ROOT_ENTRY_P, VTD_ROOT_ENTRY_CTP),
 *   Linux intel/iommu.h (struct root_entry comment).
 * Scalable (9.2): lo = lower context table (devfn 0-127): bit 0 LP, 63:12 LCTP;
 *   hi = upper context table (devfn 128-255): bit 0 UP, 63:12 UCTP.
 *   Confirmed: Intel TDX module dmar_defs.h (upper/lower context table split by
 *   devfn bit 7), QEMU intel_iommu.c (hi used for devfn > 127).
 */
#ifndef NESTOR_IOMMU_VTD_ROOT_H
#define NESTOR_IOMMU_VTD_ROOT_H

#include <stdbool.h>
#include <stdint.h>

#include "iommu/vtd_bits.h"

#define VTD_ROOT_TABLE_ENTRIES 256

struct vtd_root_entry {
    uint64_t lo;
    uint64_t hi;
};
_Static_assert(sizeof(struct vtd_root_entry) == 16, "root entry is 128 bits");

/* ---- legacy mode (9.1) ---- */
static inline bool vtd_root_present(const struct vtd_root_entry *re) { return vtd_bit_get(re->lo, 0); }
static inline uint64_t vtd_root_ctp(const struct vtd_root_entry *re) { return vtd_addr_get(re->lo); }

static inline struct vtd_root_entry vtd_root_make(uint64_t context_table_pa)
{
    struct vtd_root_entry re = { 0, 0 };

    re.lo = vtd_addr_set(re.lo, context_table_pa);
    re.lo = vtd_bit_set(re.lo, 0, true);
    return re;
}

/* Legacy reserved bits: lo 11:1, lo above the host address width, all of hi. */
static inline bool vtd_root_reserved_set(const struct vtd_root_entry *re, unsigned haw)
{
    uint64_t lo_rsvd = vtd_field_mask(11, 1) | (haw < 64 ? vtd_field_mask(63, haw) : 0);

    return (re->lo & lo_rsvd) || re->hi;
}

/* ---- scalable mode (9.2): one half per 128 devfns ---- */
static inline bool vtd_sm_root_lower_present(const struct vtd_root_entry *re) { return vtd_bit_get(re->lo, 0); }
static inline bool vtd_sm_root_upper_present(const struct vtd_root_entry *re) { return vtd_bit_get(re->hi, 0); }
static inline uint64_t vtd_sm_root_lower_ctp(const struct vtd_root_entry *re) { return vtd_addr_get(re->lo); }
static inline uint64_t vtd_sm_root_upper_ctp(const struct vtd_root_entry *re) { return vtd_addr_get(re->hi); }

static inline void vtd_sm_root_set_lower(struct vtd_root_entry *re, uint64_t context_table_pa, bool present)
{
    re->lo = vtd_bit_set(vtd_addr_set(0, context_table_pa), 0, present);
}

static inline void vtd_sm_root_set_upper(struct vtd_root_entry *re, uint64_t context_table_pa, bool present)
{
    re->hi = vtd_bit_set(vtd_addr_set(0, context_table_pa), 0, present);
}

/* Whether devfn is served by the upper context table (devfn bit 7). */
static inline bool vtd_sm_devfn_is_upper(uint8_t devfn) { return devfn >= 128; }

/* Scalable mode: present bit and table of the half that serves devfn. */
static inline bool vtd_sm_root_present_for(const struct vtd_root_entry *re, uint8_t devfn)
{
    return vtd_sm_devfn_is_upper(devfn) ? vtd_sm_root_upper_present(re) : vtd_sm_root_lower_present(re);
}

static inline uint64_t vtd_sm_root_ctp_for(const struct vtd_root_entry *re, uint8_t devfn)
{
    return vtd_sm_devfn_is_upper(devfn) ? vtd_sm_root_upper_ctp(re) : vtd_sm_root_lower_ctp(re);
}

/*
 * Writes a root entry that the hardware may be reading: the half without the
 * present bit of the legacy format (hi) first, lo last.
 */
static inline void vtd_root_publish(struct vtd_root_entry *dst, struct vtd_root_entry val)
{
    vtd_store64(&dst->hi, val.hi);
    vtd_store64(&dst->lo, val.lo);
}

#endif
