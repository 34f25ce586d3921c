/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Context entries: legacy 128-bit (VT-d spec 9.3), scalable-mode 256-bit (9.4).
 *
 * Legacy context table: 256 entries of 16 bytes, indexed by devfn.
 *   lo: 0 P, 1 FPD, 3:2 TT, 11:4 reserved, 63:12 SLPTPTR
 *   hi: 2:0 AW, 6:3 AVAIL (software), 7 reserved, 23:8 DID, 63:24 reserved
 *   Confirmed: QEMU intel_iommu_internal.h (VTD_CONTEXT_ENTRY_*, RSVD_HI
 *   0xffffffffff000080), Linux intel/iommu.h (context_set_* helpers).
 * Scalable context table: 128 entries of 32 bytes, indexed by devfn bits 6:0
 *   (the root entry's lower/upper half selects the table by devfn bit 7).
 *   val[0]: 0 P, 1 FPD, 2 DTE, 3 PASIDE, 4 PRE, 8:5 reserved, 11:9 PDTS,
 *           63:12 PASIDDIRPTR
 *   val[1]: 19:0 RID_PASID, 20 RID_PRIV, 63:21 reserved; val[2..3] reserved
 *   Confirmed: Linux intel/iommu.h (context_set_sm_dte bit 2, _pre bit 4,
 *   CONTEXT_PASIDE bit 3, context_pdts 11:9, rid2pasid 19:0), QEMU
 *   (VTD_SM_CONTEXT_ENTRY_RSVD_VAL0 0x1e0, RSVD_VAL1 0xffffffffffe00000),
 *   Intel TDX module dmar_defs.h (RID_PRIV bit 84).
 */
#ifndef NESTOR_IOMMU_VTD_CONTEXT_H
#define NESTOR_IOMMU_VTD_CONTEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "iommu/vtd_bits.h"

#define VTD_CTX_TABLE_ENTRIES    256   /* legacy */
#define VTD_SM_CTX_TABLE_ENTRIES 128   /* scalable, per half */

/* Translation type of a legacy context entry (9.3). */
enum vtd_ctx_tt {
    VTD_CTX_TT_UNTRANSLATED     = 0,  /* untranslated requests through the second-stage table */
    VTD_CTX_TT_DEVTLB           = 1,  /* as 0, plus translation requests (ATS) */
    VTD_CTX_TT_PASS_THROUGH     = 2,  /* untranslated requests pass through (ECAP.PT) */
};

/*
 * Address width field AW of context and PASID entries: 1 = 39-bit 3-level,
 * 2 = 48-bit 4-level, 3 = 57-bit 5-level (Linux agaw_to_level(): level = agaw + 2).
 */
static inline unsigned vtd_aw_from_levels(unsigned levels) { return levels - 2; }
static inline unsigned vtd_levels_from_aw(unsigned aw) { return aw + 2; }

/* ---- legacy (9.3) ---- */
struct vtd_ctx_entry {
    uint64_t lo;
    uint64_t hi;
};
_Static_assert(sizeof(struct vtd_ctx_entry) == 16, "legacy context entry is 128 bits");

static inline bool vtd_ctx_present(const struct vtd_ctx_entry *ce)    { return vtd_bit_get(ce->lo, 0); }
static inline bool vtd_ctx_fpd(const struct vtd_ctx_entry *ce)        { return vtd_bit_get(ce->lo, 1); }
static inline unsigned vtd_ctx_tt(const struct vtd_ctx_entry *ce)     { return (unsigned)vtd_field_get(ce->lo, 3, 2); }
static inline uint64_t vtd_ctx_slptptr(const struct vtd_ctx_entry *ce) { return vtd_addr_get(ce->lo); }
static inline unsigned vtd_ctx_aw(const struct vtd_ctx_entry *ce)     { return (unsigned)vtd_field_get(ce->hi, 2, 0); }
static inline unsigned vtd_ctx_avail(const struct vtd_ctx_entry *ce)  { return (unsigned)vtd_field_get(ce->hi, 6, 3); }
static inline uint16_t vtd_ctx_did(const struct vtd_ctx_entry *ce)    { return (uint16_t)vtd_field_get(ce->hi, 23, 8); }

static inline void vtd_ctx_set_present(struct vtd_ctx_entry *ce, bool p)     { ce->lo = vtd_bit_set(ce->lo, 0, p); }
static inline void vtd_ctx_set_fpd(struct vtd_ctx_entry *ce, bool fpd)       { ce->lo = vtd_bit_set(ce->lo, 1, fpd); }
static inline void vtd_ctx_set_tt(struct vtd_ctx_entry *ce, enum vtd_ctx_tt tt) { ce->lo = vtd_field_set(ce->lo, 3, 2, tt); }
static inline void vtd_ctx_set_slptptr(struct vtd_ctx_entry *ce, uint64_t pa) { ce->lo = vtd_addr_set(ce->lo, pa); }
static inline void vtd_ctx_set_aw(struct vtd_ctx_entry *ce, unsigned aw)     { ce->hi = vtd_field_set(ce->hi, 2, 0, aw); }
static inline void vtd_ctx_set_avail(struct vtd_ctx_entry *ce, unsigned v)   { ce->hi = vtd_field_set(ce->hi, 6, 3, v); }
static inline void vtd_ctx_set_did(struct vtd_ctx_entry *ce, uint16_t did)   { ce->hi = vtd_field_set(ce->hi, 23, 8, did); }

/*
 * A present legacy entry translating through the second-stage table at slpt_pa
 * with levels (3, 4 or 5) levels, for domain did; FPD clear (faults recorded).
 */
static inline struct vtd_ctx_entry vtd_ctx_make(uint64_t slpt_pa, unsigned levels, uint16_t did,
                                                enum vtd_ctx_tt tt)
{
    struct vtd_ctx_entry ce = { 0, 0 };

    vtd_ctx_set_slptptr(&ce, slpt_pa);
    vtd_ctx_set_tt(&ce, tt);
    vtd_ctx_set_aw(&ce, vtd_aw_from_levels(levels));
    vtd_ctx_set_did(&ce, did);
    vtd_ctx_set_present(&ce, true);
    return ce;
}

/* Reserved bits of a legacy entry (QEMU's masks): lo 11:4 and above haw, hi bit 7 and 63:24. */
static inline bool vtd_ctx_reserved_set(const struct vtd_ctx_entry *ce, unsigned haw)
{
    uint64_t lo_rsvd = vtd_field_mask(11, 4) | (haw < 64 ? vtd_field_mask(63, haw) : 0);
    uint64_t hi_rsvd = vtd_field_mask(7, 7) | vtd_field_mask(63, 24);

    return (ce->lo & lo_rsvd) || (ce->hi & hi_rsvd);
}

/* Writes an entry the hardware may read: hi first, the word holding P last. */
static inline void vtd_ctx_publish(struct vtd_ctx_entry *dst, struct vtd_ctx_entry val)
{
    vtd_store64(&dst->hi, val.hi);
    vtd_store64(&dst->lo, val.lo);
}

/* Clears an entry: P goes first, so the hardware never sees a half-cleared present entry. */
static inline void vtd_ctx_clear(struct vtd_ctx_entry *dst)
{
    vtd_store64(&dst->lo, 0);
    vtd_store64(&dst->hi, 0);
}

/* ---- scalable mode (9.4) ---- */
struct vtd_sm_ctx_entry {
    uint64_t val[4];
};
_Static_assert(sizeof(struct vtd_sm_ctx_entry) == 32, "scalable context entry is 256 bits");

static inline unsigned vtd_sm_ctx_index(uint8_t devfn) { return devfn & 0x7F; }

static inline bool vtd_sm_ctx_present(const struct vtd_sm_ctx_entry *ce)   { return vtd_bit_get(ce->val[0], 0); }
static inline bool vtd_sm_ctx_fpd(const struct vtd_sm_ctx_entry *ce)       { return vtd_bit_get(ce->val[0], 1); }
static inline bool vtd_sm_ctx_dte(const struct vtd_sm_ctx_entry *ce)       { return vtd_bit_get(ce->val[0], 2); }
static inline bool vtd_sm_ctx_paside(const struct vtd_sm_ctx_entry *ce)    { return vtd_bit_get(ce->val[0], 3); }
static inline bool vtd_sm_ctx_pre(const struct vtd_sm_ctx_entry *ce)       { return vtd_bit_get(ce->val[0], 4); }
static inline unsigned vtd_sm_ctx_pdts(const struct vtd_sm_ctx_entry *ce)  { return (unsigned)vtd_field_get(ce->val[0], 11, 9); }
static inline uint64_t vtd_sm_ctx_pasid_dir(const struct vtd_sm_ctx_entry *ce) { return vtd_addr_get(ce->val[0]); }
static inline uint32_t vtd_sm_ctx_rid_pasid(const struct vtd_sm_ctx_entry *ce) { return (uint32_t)vtd_field_get(ce->val[1], 19, 0); }
static inline bool vtd_sm_ctx_rid_priv(const struct vtd_sm_ctx_entry *ce)  { return vtd_bit_get(ce->val[1], 20); }

static inline void vtd_sm_ctx_set_present(struct vtd_sm_ctx_entry *ce, bool v) { ce->val[0] = vtd_bit_set(ce->val[0], 0, v); }
static inline void vtd_sm_ctx_set_fpd(struct vtd_sm_ctx_entry *ce, bool v)     { ce->val[0] = vtd_bit_set(ce->val[0], 1, v); }
static inline void vtd_sm_ctx_set_dte(struct vtd_sm_ctx_entry *ce, bool v)     { ce->val[0] = vtd_bit_set(ce->val[0], 2, v); }
static inline void vtd_sm_ctx_set_paside(struct vtd_sm_ctx_entry *ce, bool v)  { ce->val[0] = vtd_bit_set(ce->val[0], 3, v); }
static inline void vtd_sm_ctx_set_pre(struct vtd_sm_ctx_entry *ce, bool v)     { ce->val[0] = vtd_bit_set(ce->val[0], 4, v); }
static inline void vtd_sm_ctx_set_pdts(struct vtd_sm_ctx_entry *ce, unsigned pdts) { ce->val[0] = vtd_field_set(ce->val[0], 11, 9, pdts); }
static inline void vtd_sm_ctx_set_pasid_dir(struct vtd_sm_ctx_entry *ce, uint64_t pa) { ce->val[0] = vtd_addr_set(ce->val[0], pa); }
static inline void vtd_sm_ctx_set_rid_pasid(struct vtd_sm_ctx_entry *ce, uint32_t pasid) { ce->val[1] = vtd_field_set(ce->val[1], 19, 0, pasid); }
static inline void vtd_sm_ctx_set_rid_priv(struct vtd_sm_ctx_entry *ce, bool v) { ce->val[1] = vtd_bit_set(ce->val[1], 20, v); }

/* A present scalable entry pointing to a PASID directory of 2^(pdts+7) entries. */
static inline struct vtd_sm_ctx_entry vtd_sm_ctx_make(uint64_t pasid_dir_pa, unsigned pdts, uint32_t rid_pasid)
{
    struct vtd_sm_ctx_entry ce = { { 0, 0, 0, 0 } };

    vtd_sm_ctx_set_pasid_dir(&ce, pasid_dir_pa);
    vtd_sm_ctx_set_pdts(&ce, pdts);
    vtd_sm_ctx_set_rid_pasid(&ce, rid_pasid);
    vtd_sm_ctx_set_present(&ce, true);
    return ce;
}

/* Reserved bits (QEMU's masks): val[0] 8:5 and above haw, val[1] 63:21, val[2], val[3]. */
static inline bool vtd_sm_ctx_reserved_set(const struct vtd_sm_ctx_entry *ce, unsigned haw)
{
    uint64_t rsvd0 = vtd_field_mask(8, 5) | (haw < 64 ? vtd_field_mask(63, haw) : 0);

    return (ce->val[0] & rsvd0) || (ce->val[1] & vtd_field_mask(63, 21)) || ce->val[2] || ce->val[3];
}

static inline void vtd_sm_ctx_publish(struct vtd_sm_ctx_entry *dst, struct vtd_sm_ctx_entry val)
{
    vtd_store64(&dst->val[3], val.val[3]);
    vtd_store64(&dst->val[2], val.val[2]);
    vtd_store64(&dst->val[1], val.val[1]);
    vtd_store64(&dst->val[0], val.val[0]);
}

static inline void vtd_sm_ctx_clear(struct vtd_sm_ctx_entry *dst)
{
    vtd_store64(&dst->val[0], 0);
    vtd_store64(&dst->val[1], 0);
    vtd_store64(&dst->val[2], 0);
    vtd_store64(&dst->val[3], 0);
}

#endif
