/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Scalable-mode PASID directory entries (VT-d spec 9.5) and 512-bit PASID table
 * entries (9.6), kept as the raw words the hardware reads with named accessors.
 *
 * A PASID is split in two: bits 19:6 index the PASID directory (2^(PDTS+7)
 * 8-byte entries, PDTS from the context entry), bits 5:0 index a 4 KiB PASID
 * table of 64 entries. Confirmed: Linux intel/pasid.h (PASID_PDE_SHIFT 6,
 * get_pasid_dir_size), QEMU (VTD_PASID_DIR_INDEX, VTD_PASID_TABLE_INDEX).
 *
 * PASID directory entry: 0 P, 1 FPD, 11:2 reserved, 63:12 PASID table pointer
 *   (Linux PASID_PTE_PRESENT/PDE_PFN_MASK, QEMU VTD_PASID_DIR_FPD, TDX module).
 *
 * PASID table entry, by word (sources: L = Linux intel/pasid.h and the nested
 * setup helpers of intel-pasid.c, Q = QEMU intel_iommu_internal.h, T = Intel
 * TDX module dmar_defs.h, K = pKVM-IA's Linux fork):
 *   val[0]: 0 P (L Q T), 1 FPD (L Q T), 4:2 AW (L Q T), 5 SSEE (T K),
 *           8:6 PGTT (L Q T), 9 SSADE (L T), 11:10 reserved, 63:12 SSPTPTR (L Q T)
 *   val[1]: 15:0 DID (L Q T), 22:16 reserved (T), 23 PWSNP (L T), 24 PGSNP (L T),
 *           25 CD, 26 EMTE, 29:27 EMT, 30 PWT, 31 PCD, 63:32 PAT (L nested, T)
 *   val[2]: 0 SRE (L Q T), 1 ERE (T only), 3:2 FSPM (L Q T: 0 4-level, 1 5-level),
 *           4 WPE (L Q T), 5 NXE (T only), 6 SMEP (T only), 7 EAFE (L Q T),
 *           11:8 reserved, 63:12 FSPTPTR (L Q T)
 *   val[3..7]: reserved here.
 */
#ifndef NESTOR_IOMMU_VTD_PASID_H
#define NESTOR_IOMMU_VTD_PASID_H

#include <stdbool.h>
#include <stdint.h>

#include "iommu/vtd_bits.h"

#define VTD_PASID_BITS            20
#define VTD_PASID_MAX             (1u << VTD_PASID_BITS)   /* exclusive */
#define VTD_PASID_TABLE_ENTRIES   64                        /* 64 x 64 bytes = 4 KiB */
#define VTD_PASID_DIR_MAX_PDTS    7                         /* 2^14 entries cover 20 bits */

/* PASID granular translation type, PGTT (9.6; Linux PASID_ENTRY_PGTT_*, QEMU). */
enum vtd_pgtt {
    VTD_PGTT_FIRST_STAGE  = 1,
    VTD_PGTT_SECOND_STAGE = 2,
    VTD_PGTT_NESTED       = 3,
    VTD_PGTT_PASS_THROUGH = 4,
};

/* First-stage paging mode, FSPM (QEMU: 00 4-level, 01 5-level, 1x reserved). */
enum vtd_fspm {
    VTD_FSPM_4LEVEL = 0,
    VTD_FSPM_5LEVEL = 1,
};

/* ---- PASID number helpers ---- */
static inline uint32_t vtd_pasid_dir_index(uint32_t pasid)   { return (pasid >> 6) & 0x3FFF; }
static inline uint32_t vtd_pasid_table_index(uint32_t pasid) { return pasid & 0x3F; }

/* Entries in a PASID directory of size field pdts: 2^(pdts+7) (Linux get_pasid_dir_size). */
static inline uint32_t vtd_pdts_dir_entries(unsigned pdts) { return 1u << (pdts + 7); }

/* Smallest PDTS whose directory covers PASIDs of pasid_bits bits (at least 2^13 PASIDs). */
static inline unsigned vtd_pdts_for_pasid_bits(unsigned pasid_bits)
{
    if (pasid_bits <= 13)
        return 0;
    return pasid_bits >= VTD_PASID_BITS ? VTD_PASID_DIR_MAX_PDTS : pasid_bits - 13;
}

/* Whether pasid falls inside a directory of size pdts (else fault 0x46, PASID too large). */
static inline bool vtd_pasid_in_dir(uint32_t pasid, unsigned pdts)
{
    return pasid < VTD_PASID_MAX && vtd_pasid_dir_index(pasid) < vtd_pdts_dir_entries(pdts);
}

/* ---- PASID directory entry (9.5) ---- */
struct vtd_pasid_dir_entry {
    uint64_t val;
};

static inline bool vtd_pde_present(const struct vtd_pasid_dir_entry *pde)   { return vtd_bit_get(pde->val, 0); }
static inline bool vtd_pde_fpd(const struct vtd_pasid_dir_entry *pde)       { return vtd_bit_get(pde->val, 1); }
static inline uint64_t vtd_pde_table(const struct vtd_pasid_dir_entry *pde) { return vtd_addr_get(pde->val); }
static inline bool vtd_pde_reserved_set(const struct vtd_pasid_dir_entry *pde, unsigned haw)
{
    return pde->val & (vtd_field_mask(11, 2) | (haw < 64 ? vtd_field_mask(63, haw) : 0));
}

static inline struct vtd_pasid_dir_entry vtd_pde_make(uint64_t pasid_table_pa, bool fpd)
{
    struct vtd_pasid_dir_entry pde;

    pde.val = vtd_bit_set(vtd_bit_set(vtd_addr_set(0, pasid_table_pa), 1, fpd), 0, true);
    return pde;
}

static inline void vtd_pde_publish(struct vtd_pasid_dir_entry *dst, struct vtd_pasid_dir_entry val)
{
    vtd_store64(&dst->val, val.val);
}

/* ---- PASID table entry (9.6) ---- */
struct vtd_pasid_entry {
    uint64_t val[8];
};
_Static_assert(sizeof(struct vtd_pasid_entry) == 64, "PASID entry is 512 bits");

/* val[0] */
static inline bool vtd_pe_present(const struct vtd_pasid_entry *pe)     { return vtd_bit_get(pe->val[0], 0); }
static inline bool vtd_pe_fpd(const struct vtd_pasid_entry *pe)         { return vtd_bit_get(pe->val[0], 1); }
static inline unsigned vtd_pe_aw(const struct vtd_pasid_entry *pe)      { return (unsigned)vtd_field_get(pe->val[0], 4, 2); }
static inline bool vtd_pe_ssee(const struct vtd_pasid_entry *pe)       { return vtd_bit_get(pe->val[0], 5); }
static inline unsigned vtd_pe_pgtt(const struct vtd_pasid_entry *pe)    { return (unsigned)vtd_field_get(pe->val[0], 8, 6); }
static inline bool vtd_pe_ssade(const struct vtd_pasid_entry *pe)      { return vtd_bit_get(pe->val[0], 9); }
static inline uint64_t vtd_pe_ssptptr(const struct vtd_pasid_entry *pe) { return vtd_addr_get(pe->val[0]); }
/* val[1] */
static inline uint16_t vtd_pe_did(const struct vtd_pasid_entry *pe)     { return (uint16_t)vtd_field_get(pe->val[1], 15, 0); }
static inline bool vtd_pe_pwsnp(const struct vtd_pasid_entry *pe)      { return vtd_bit_get(pe->val[1], 23); }
static inline bool vtd_pe_pgsnp(const struct vtd_pasid_entry *pe)      { return vtd_bit_get(pe->val[1], 24); }
static inline bool vtd_pe_cd(const struct vtd_pasid_entry *pe)         { return vtd_bit_get(pe->val[1], 25); }
static inline bool vtd_pe_emte(const struct vtd_pasid_entry *pe)       { return vtd_bit_get(pe->val[1], 26); }
static inline unsigned vtd_pe_emt(const struct vtd_pasid_entry *pe)     { return (unsigned)vtd_field_get(pe->val[1], 29, 27); }
static inline bool vtd_pe_pwt(const struct vtd_pasid_entry *pe)        { return vtd_bit_get(pe->val[1], 30); }
static inline bool vtd_pe_pcd(const struct vtd_pasid_entry *pe)        { return vtd_bit_get(pe->val[1], 31); }
static inline uint32_t vtd_pe_pat(const struct vtd_pasid_entry *pe)     { return (uint32_t)vtd_field_get(pe->val[1], 63, 32); }
/* val[2] */
static inline bool vtd_pe_sre(const struct vtd_pasid_entry *pe)        { return vtd_bit_get(pe->val[2], 0); }
static inline bool vtd_pe_ere(const struct vtd_pasid_entry *pe)        { return vtd_bit_get(pe->val[2], 1); }
static inline unsigned vtd_pe_fspm(const struct vtd_pasid_entry *pe)    { return (unsigned)vtd_field_get(pe->val[2], 3, 2); }
static inline bool vtd_pe_wpe(const struct vtd_pasid_entry *pe)        { return vtd_bit_get(pe->val[2], 4); }
static inline bool vtd_pe_nxe(const struct vtd_pasid_entry *pe)        { return vtd_bit_get(pe->val[2], 5); }
static inline bool vtd_pe_smep(const struct vtd_pasid_entry *pe)       { return vtd_bit_get(pe->val[2], 6); }
static inline bool vtd_pe_eafe(const struct vtd_pasid_entry *pe)       { return vtd_bit_get(pe->val[2], 7); }
static inline uint64_t vtd_pe_fsptptr(const struct vtd_pasid_entry *pe) { return vtd_addr_get(pe->val[2]); }

static inline void vtd_pe_set_present(struct vtd_pasid_entry *pe, bool v)   { pe->val[0] = vtd_bit_set(pe->val[0], 0, v); }
static inline void vtd_pe_set_fpd(struct vtd_pasid_entry *pe, bool v)       { pe->val[0] = vtd_bit_set(pe->val[0], 1, v); }
static inline void vtd_pe_set_aw(struct vtd_pasid_entry *pe, unsigned aw)   { pe->val[0] = vtd_field_set(pe->val[0], 4, 2, aw); }
static inline void vtd_pe_set_ssee(struct vtd_pasid_entry *pe, bool v)      { pe->val[0] = vtd_bit_set(pe->val[0], 5, v); }
static inline void vtd_pe_set_pgtt(struct vtd_pasid_entry *pe, enum vtd_pgtt t) { pe->val[0] = vtd_field_set(pe->val[0], 8, 6, t); }
static inline void vtd_pe_set_ssade(struct vtd_pasid_entry *pe, bool v)     { pe->val[0] = vtd_bit_set(pe->val[0], 9, v); }
static inline void vtd_pe_set_ssptptr(struct vtd_pasid_entry *pe, uint64_t pa) { pe->val[0] = vtd_addr_set(pe->val[0], pa); }
static inline void vtd_pe_set_did(struct vtd_pasid_entry *pe, uint16_t did)  { pe->val[1] = vtd_field_set(pe->val[1], 15, 0, did); }
static inline void vtd_pe_set_pwsnp(struct vtd_pasid_entry *pe, bool v)     { pe->val[1] = vtd_bit_set(pe->val[1], 23, v); }
static inline void vtd_pe_set_pgsnp(struct vtd_pasid_entry *pe, bool v)     { pe->val[1] = vtd_bit_set(pe->val[1], 24, v); }
static inline void vtd_pe_set_cd(struct vtd_pasid_entry *pe, bool v)        { pe->val[1] = vtd_bit_set(pe->val[1], 25, v); }
static inline void vtd_pe_set_emte(struct vtd_pasid_entry *pe, bool v)      { pe->val[1] = vtd_bit_set(pe->val[1], 26, v); }
static inline void vtd_pe_set_emt(struct vtd_pasid_entry *pe, unsigned emt) { pe->val[1] = vtd_field_set(pe->val[1], 29, 27, emt); }
static inline void vtd_pe_set_pwt(struct vtd_pasid_entry *pe, bool v)       { pe->val[1] = vtd_bit_set(pe->val[1], 30, v); }
static inline void vtd_pe_set_pcd(struct vtd_pasid_entry *pe, bool v)       { pe->val[1] = vtd_bit_set(pe->val[1], 31, v); }
static inline void vtd_pe_set_pat(struct vtd_pasid_entry *pe, uint32_t pat) { pe->val[1] = vtd_field_set(pe->val[1], 63, 32, pat); }
static inline void vtd_pe_set_sre(struct vtd_pasid_entry *pe, bool v)       { pe->val[2] = vtd_bit_set(pe->val[2], 0, v); }
static inline void vtd_pe_set_ere(struct vtd_pasid_entry *pe, bool v)       { pe->val[2] = vtd_bit_set(pe->val[2], 1, v); }
static inline void vtd_pe_set_fspm(struct vtd_pasid_entry *pe, enum vtd_fspm m) { pe->val[2] = vtd_field_set(pe->val[2], 3, 2, m); }
static inline void vtd_pe_set_wpe(struct vtd_pasid_entry *pe, bool v)       { pe->val[2] = vtd_bit_set(pe->val[2], 4, v); }
static inline void vtd_pe_set_nxe(struct vtd_pasid_entry *pe, bool v)       { pe->val[2] = vtd_bit_set(pe->val[2], 5, v); }
static inline void vtd_pe_set_smep(struct vtd_pasid_entry *pe, bool v)      { pe->val[2] = vtd_bit_set(pe->val[2], 6, v); }
static inline void vtd_pe_set_eafe(struct vtd_pasid_entry *pe, bool v)      { pe->val[2] = vtd_bit_set(pe->val[2], 7, v); }
static inline void vtd_pe_set_fsptptr(struct vtd_pasid_entry *pe, uint64_t pa) { pe->val[2] = vtd_addr_set(pe->val[2], pa); }

/* First-stage levels from FSPM (4 or 5), 0 for a reserved encoding. */
static inline unsigned vtd_pe_fs_levels(const struct vtd_pasid_entry *pe)
{
    switch (vtd_pe_fspm(pe)) {
    case VTD_FSPM_4LEVEL: return 4;
    case VTD_FSPM_5LEVEL: return 5;
    default:              return 0;
    }
}

/*
 * Builders for the four PGTT types. Each returns a present entry with FPD clear;
 * callers add snoop and first-stage options through the setters before publishing.
 * ss_levels is the second-stage table depth (AW = levels - 2), fs_5level selects
 * FSPM.
 */
static inline struct vtd_pasid_entry vtd_pe_make_second_stage(uint64_t ssptptr, unsigned ss_levels, uint16_t did)
{
    struct vtd_pasid_entry pe = { { 0 } };

    vtd_pe_set_ssptptr(&pe, ssptptr);
    vtd_pe_set_aw(&pe, ss_levels - 2);
    vtd_pe_set_did(&pe, did);
    vtd_pe_set_pgtt(&pe, VTD_PGTT_SECOND_STAGE);
    vtd_pe_set_present(&pe, true);
    return pe;
}

static inline struct vtd_pasid_entry vtd_pe_make_first_stage(uint64_t fsptptr, bool fs_5level, uint16_t did)
{
    struct vtd_pasid_entry pe = { { 0 } };

    vtd_pe_set_fsptptr(&pe, fsptptr);
    vtd_pe_set_fspm(&pe, fs_5level ? VTD_FSPM_5LEVEL : VTD_FSPM_4LEVEL);
    vtd_pe_set_did(&pe, did);
    vtd_pe_set_pgtt(&pe, VTD_PGTT_FIRST_STAGE);
    vtd_pe_set_present(&pe, true);
    return pe;
}

/* Nested: the first-stage root is a guest-physical address translated by the second stage. */
static inline struct vtd_pasid_entry vtd_pe_make_nested(uint64_t fsptptr_gpa, bool fs_5level, uint64_t ssptptr,
                                                        unsigned ss_levels, uint16_t did)
{
    struct vtd_pasid_entry pe = vtd_pe_make_second_stage(ssptptr, ss_levels, did);

    vtd_pe_set_fsptptr(&pe, fsptptr_gpa);
    vtd_pe_set_fspm(&pe, fs_5level ? VTD_FSPM_5LEVEL : VTD_FSPM_4LEVEL);
    vtd_pe_set_pgtt(&pe, VTD_PGTT_NESTED);
    return pe;
}

static inline struct vtd_pasid_entry vtd_pe_make_pass_through(uint16_t did)
{
    struct vtd_pasid_entry pe = { { 0 } };

    vtd_pe_set_did(&pe, did);
    vtd_pe_set_pgtt(&pe, VTD_PGTT_PASS_THROUGH);
    vtd_pe_set_present(&pe, true);
    return pe;
}

/*
 * Reserved bits that do not depend on PGTT: val[0] 11:10, val[1] 22:16, val[2]
 * 11:8, val[3..7], the pointers above haw, and PGTT values 0 and 5-7.
 */
static inline bool vtd_pe_reserved_set(const struct vtd_pasid_entry *pe, unsigned haw)
{
    uint64_t above = haw < 64 ? vtd_field_mask(63, haw) : 0;
    unsigned pgtt = vtd_pe_pgtt(pe);

    if (pgtt < VTD_PGTT_FIRST_STAGE || pgtt > VTD_PGTT_PASS_THROUGH)
        return true;
    if ((pe->val[0] & (vtd_field_mask(11, 10) | above)) || (pe->val[1] & vtd_field_mask(22, 16)) ||
        (pe->val[2] & (vtd_field_mask(11, 8) | above)))
        return true;
    for (unsigned i = 3; i < 8; i++)
        if (pe->val[i])
            return true;
    return false;
}

/* Writes an entry the hardware may read: words 7..1 first, word 0 (P) last. */
static inline void vtd_pe_publish(struct vtd_pasid_entry *dst, const struct vtd_pasid_entry *val)
{
    for (int i = 7; i >= 1; i--)
        vtd_store64(&dst->val[i], val->val[i]);
    vtd_store64(&dst->val[0], val->val[0]);
}

/* Clears an entry, P first; fpd keeps faults for this PASID silent (Linux pasid_clear_entry_with_fpd). */
static inline void vtd_pe_clear(struct vtd_pasid_entry *dst, bool fpd)
{
    vtd_store64(&dst->val[0], vtd_bit_set(0, 1, fpd));
    for (int i = 1; i < 8; i++)
        vtd_store64(&dst->val[i], 0);
}

#endif
