/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interrupt remapping table entries, remapped format (VT-d spec 9.10). The
 * table holds 2^(IRTA.S+1) entries of 16 bytes.
 *   lo: 0 P, 1 FPD, 2 DM, 3 RH, 4 TM, 7:5 DLM, 11:8 AVAIL, 14:12 reserved,
 *       15 IM (0 remapped, 1 posted), 23:16 vector, 31:24 reserved,
 *       63:32 destination (x2APIC id; in xAPIC mode the APIC id sits in bits 15:8)
 *   hi: 15:0 SID, 17:16 SQ, 19:18 SVT, 63:20 reserved
 * Confirmed: QEMU include/hw/i386/intel_iommu.h (union VTD_IR_TableEntry, the
 * VTD_SQ_* and VTD_SVT_* enums); Linux's IRTE_DEST() for the xAPIC shift.
 */
#ifndef NESTOR_IOMMU_VTD_IRTE_H
#define NESTOR_IOMMU_VTD_IRTE_H

#include <stdbool.h>
#include <stdint.h>

#include "iommu/vtd_bits.h"

struct vtd_irte {
    uint64_t lo;
    uint64_t hi;
};
_Static_assert(sizeof(struct vtd_irte) == 16, "IRTE is 128 bits");

/* Source-id qualifier: which requester-id function bits are ignored. */
enum vtd_irte_sq { VTD_SQ_FULL = 0, VTD_SQ_IGN_3 = 1, VTD_SQ_IGN_2_3 = 2, VTD_SQ_IGN_1_3 = 3 };
/* Source validation type. */
enum vtd_irte_svt { VTD_SVT_NONE = 0, VTD_SVT_ALL = 1, VTD_SVT_BUS = 2 };
/* Delivery mode (the APIC encodings). */
enum vtd_irte_dlm { VTD_DLM_FIXED = 0, VTD_DLM_LOWEST = 1, VTD_DLM_SMI = 2, VTD_DLM_NMI = 4,
                    VTD_DLM_INIT = 5, VTD_DLM_EXTINT = 7 };

static inline bool vtd_irte_present(const struct vtd_irte *e)  { return vtd_bit_get(e->lo, 0); }
static inline bool vtd_irte_fpd(const struct vtd_irte *e)      { return vtd_bit_get(e->lo, 1); }
static inline bool vtd_irte_dm(const struct vtd_irte *e)       { return vtd_bit_get(e->lo, 2); }  /* 1 logical */
static inline bool vtd_irte_rh(const struct vtd_irte *e)       { return vtd_bit_get(e->lo, 3); }
static inline bool vtd_irte_tm(const struct vtd_irte *e)       { return vtd_bit_get(e->lo, 4); }  /* 1 level */
static inline unsigned vtd_irte_dlm(const struct vtd_irte *e)  { return (unsigned)vtd_field_get(e->lo, 7, 5); }
static inline unsigned vtd_irte_avail(const struct vtd_irte *e) { return (unsigned)vtd_field_get(e->lo, 11, 8); }
static inline bool vtd_irte_im(const struct vtd_irte *e)       { return vtd_bit_get(e->lo, 15); }
static inline uint8_t vtd_irte_vector(const struct vtd_irte *e) { return (uint8_t)vtd_field_get(e->lo, 23, 16); }
static inline uint32_t vtd_irte_dst(const struct vtd_irte *e)  { return (uint32_t)vtd_field_get(e->lo, 63, 32); }
static inline uint16_t vtd_irte_sid(const struct vtd_irte *e)  { return (uint16_t)vtd_field_get(e->hi, 15, 0); }
static inline unsigned vtd_irte_sq(const struct vtd_irte *e)   { return (unsigned)vtd_field_get(e->hi, 17, 16); }
static inline unsigned vtd_irte_svt(const struct vtd_irte *e)  { return (unsigned)vtd_field_get(e->hi, 19, 18); }

static inline void vtd_irte_set_present(struct vtd_irte *e, bool v) { e->lo = vtd_bit_set(e->lo, 0, v); }
static inline void vtd_irte_set_fpd(struct vtd_irte *e, bool v)     { e->lo = vtd_bit_set(e->lo, 1, v); }
static inline void vtd_irte_set_dm(struct vtd_irte *e, bool v)      { e->lo = vtd_bit_set(e->lo, 2, v); }
static inline void vtd_irte_set_rh(struct vtd_irte *e, bool v)      { e->lo = vtd_bit_set(e->lo, 3, v); }
static inline void vtd_irte_set_tm(struct vtd_irte *e, bool v)      { e->lo = vtd_bit_set(e->lo, 4, v); }
static inline void vtd_irte_set_dlm(struct vtd_irte *e, enum vtd_irte_dlm m) { e->lo = vtd_field_set(e->lo, 7, 5, m); }
static inline void vtd_irte_set_avail(struct vtd_irte *e, unsigned v) { e->lo = vtd_field_set(e->lo, 11, 8, v); }
static inline void vtd_irte_set_vector(struct vtd_irte *e, uint8_t v) { e->lo = vtd_field_set(e->lo, 23, 16, v); }
static inline void vtd_irte_set_dst(struct vtd_irte *e, uint32_t d)  { e->lo = vtd_field_set(e->lo, 63, 32, d); }
static inline void vtd_irte_set_sid(struct vtd_irte *e, uint16_t sid) { e->hi = vtd_field_set(e->hi, 15, 0, sid); }
static inline void vtd_irte_set_sq(struct vtd_irte *e, enum vtd_irte_sq sq) { e->hi = vtd_field_set(e->hi, 17, 16, sq); }
static inline void vtd_irte_set_svt(struct vtd_irte *e, enum vtd_irte_svt t) { e->hi = vtd_field_set(e->hi, 19, 18, t); }

/* Destination field for an APIC id: x2APIC (EIME) uses all 32 bits, xAPIC bits 15:8. */
static inline uint32_t vtd_irte_dst_for_apic(uint32_t apic_id, bool x2apic)
{
    return x2apic ? apic_id : (apic_id & 0xFF) << 8;
}

/*
 * A present remapped-format entry: fixed delivery, physical destination, edge
 * unless level, requests verified against the full source id sid.
 */
static inline struct vtd_irte vtd_irte_make(uint8_t vector, uint32_t dst, bool level, uint16_t sid)
{
    struct vtd_irte e = { 0, 0 };

    vtd_irte_set_vector(&e, vector);
    vtd_irte_set_dst(&e, dst);
    vtd_irte_set_tm(&e, level);
    vtd_irte_set_dlm(&e, VTD_DLM_FIXED);
    vtd_irte_set_sid(&e, sid);
    vtd_irte_set_sq(&e, VTD_SQ_FULL);
    vtd_irte_set_svt(&e, VTD_SVT_ALL);
    vtd_irte_set_present(&e, true);
    return e;
}

/* Reserved bits of a remapped-format entry (QEMU): lo 14:12, 31:24; hi 63:20. */
static inline bool vtd_irte_reserved_set(const struct vtd_irte *e)
{
    return (e->lo & (vtd_field_mask(14, 12) | vtd_field_mask(31, 24))) || (e->hi & vtd_field_mask(63, 20));
}

static inline void vtd_irte_publish(struct vtd_irte *dst, struct vtd_irte val)
{
    vtd_store64(&dst->hi, val.hi);
    vtd_store64(&dst->lo, val.lo);
}

#endif
