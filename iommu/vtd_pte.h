/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Page-table entries of the two translation stages (VT-d spec 9.7 first-stage,
 * 9.8 second-stage). An entry is one uint64_t; a table is one 4 KiB page of 512
 * entries. Level 1 entries map 4 KiB, level 2 (with PS) 2 MiB, level 3 (with PS)
 * 1 GiB; levels 4 and 5 only point to tables.
 *
 * Second stage (9.8): 0 R, 1 W, 2 X, 5:3 EMT, 6 IPAT, 7 PS, 8 A, 9 D, 11 SNP,
 *   51:12 address, 62 TM, 63 and 61:52 ignored. An entry is present when R or W
 *   is set. Confirmed: Linux intel/iommu.h (DMA_PTE_READ/WRITE/LARGE_PAGE/SNP,
 *   dma_pte_present() = R|W), QEMU (VTD_SL_R/W, VTD_SL_TM, VTD_SL_IGN_COM
 *   0xbff0000000000000, reserved masks: SNP in non-leaf entries, PS at level 4,
 *   address bits 20:12 of a 2 MiB and 29:12 of a 1 GiB page).
 * First stage (9.7, the x86-64 4/5-level format): 0 P, 1 R/W, 2 U/S, 3 PWT,
 *   4 PCD, 5 A, 6 D, 7 PS (PAT at level 1), 8 G, 51:12 address (bit 12 is PAT in
 *   a large page), 63 XD. Confirmed: Linux (DMA_FL_PTE_PRESENT/US/ACCESS/DIRTY/XD),
 *   QEMU (VTD_FL_P/RW/US/A/D; reserved masks: PS at level 4, bits 20:13 of a
 *   2 MiB and 29:13 of a 1 GiB page, bits 63:52 ignored).
 * X (second-stage bit 2) and EMT/IPAT are from the VT-d specification only.
 */
#ifndef NESTOR_IOMMU_VTD_PTE_H
#define NESTOR_IOMMU_VTD_PTE_H

#include <stdbool.h>
#include <stdint.h>

#include "iommu/vtd_bits.h"

#define VTD_PAGE_SHIFT      12
#define VTD_PAGE_SIZE       (1ULL << VTD_PAGE_SHIFT)
#define VTD_PT_ENTRIES      512
#define VTD_LEVEL_STRIDE    9
#define VTD_SIZE_4K         (1ULL << 12)
#define VTD_SIZE_2M         (1ULL << 21)
#define VTD_SIZE_1G         (1ULL << 30)

/* Access rights, in the walker's results and map requests (both stages). */
#define VTD_PERM_R  0x1u
#define VTD_PERM_W  0x2u
#define VTD_PERM_X  0x4u   /* second stage: X; first stage: XD clear */
#define VTD_PERM_U  0x8u   /* first stage: U/S set at every level */
#define VTD_PERM_RW (VTD_PERM_R | VTD_PERM_W)

/* Bytes mapped by one entry at level (1 = 4 KiB ... 3 = 1 GiB, 4 = 512 GiB). */
static inline uint64_t vtd_level_size(unsigned level)
{
    return 1ULL << (VTD_PAGE_SHIFT + VTD_LEVEL_STRIDE * (level - 1));
}

static inline unsigned vtd_level_index(uint64_t iova, unsigned level)
{
    return (unsigned)vtd_field_get(iova >> (VTD_PAGE_SHIFT + VTD_LEVEL_STRIDE * (level - 1)), 8, 0);
}

/* Output-address bits [51:12] (both stages; bits above are ignored or flags). */
static inline uint64_t vtd_pte_addr(uint64_t pte) { return pte & vtd_field_mask(51, 12); }

/* Replaces the address bits [51:12], keeping flags (first-stage XD is bit 63). */
static inline uint64_t vtd_pte_set_addr(uint64_t pte, uint64_t addr)
{
    return vtd_field_set(pte, 51, 12, addr >> VTD_PAGE_SHIFT);
}

/* Mask of physical-address bits at or above paw, up to bit 51. */
static inline uint64_t vtd_pte_above_paw(unsigned paw)
{
    return paw < 52 ? vtd_field_mask(51, paw) : 0;
}

/* ---- second stage (9.8) ---- */
static inline bool vtd_sspte_r(uint64_t pte)        { return vtd_bit_get(pte, 0); }
static inline bool vtd_sspte_w(uint64_t pte)        { return vtd_bit_get(pte, 1); }
static inline bool vtd_sspte_x(uint64_t pte)        { return vtd_bit_get(pte, 2); }
static inline unsigned vtd_sspte_emt(uint64_t pte)  { return (unsigned)vtd_field_get(pte, 5, 3); }
static inline bool vtd_sspte_ipat(uint64_t pte)     { return vtd_bit_get(pte, 6); }
static inline bool vtd_sspte_ps(uint64_t pte)       { return vtd_bit_get(pte, 7); }
static inline bool vtd_sspte_a(uint64_t pte)        { return vtd_bit_get(pte, 8); }
static inline bool vtd_sspte_d(uint64_t pte)        { return vtd_bit_get(pte, 9); }
static inline bool vtd_sspte_snp(uint64_t pte)      { return vtd_bit_get(pte, 11); }
static inline bool vtd_sspte_tm(uint64_t pte)       { return vtd_bit_get(pte, 62); }
static inline bool vtd_sspte_present(uint64_t pte)  { return vtd_field_get(pte, 1, 0) != 0; }

static inline unsigned vtd_sspte_perms(uint64_t pte)
{
    return (vtd_sspte_r(pte) ? VTD_PERM_R : 0) | (vtd_sspte_w(pte) ? VTD_PERM_W : 0) |
           (vtd_sspte_x(pte) ? VTD_PERM_X : 0);
}

static inline uint64_t vtd_sspte_set_perms(uint64_t pte, unsigned perms)
{
    pte = vtd_bit_set(pte, 0, perms & VTD_PERM_R);
    pte = vtd_bit_set(pte, 1, perms & VTD_PERM_W);
    return vtd_bit_set(pte, 2, perms & VTD_PERM_X);
}

/* EMT values (9.8; the EPT memory types of SDM 29.3.7 have the same encoding). */
#define VTD_EMT_UC 0u
#define VTD_EMT_WB 6u

static inline uint64_t vtd_sspte_set_emt(uint64_t pte, unsigned emt) { return vtd_field_set(pte, 5, 3, emt); }
static inline uint64_t vtd_sspte_set_ipat(uint64_t pte, bool v)     { return vtd_bit_set(pte, 6, v); }
static inline uint64_t vtd_sspte_set_snp(uint64_t pte, bool v)      { return vtd_bit_set(pte, 11, v); }
static inline uint64_t vtd_sspte_set_tm(uint64_t pte, bool v)       { return vtd_bit_set(pte, 62, v); }

/*
 * A pointer to the next-level table. Second-stage permissions combine across
 * levels, so a table entry grants R and W and leaves the decision to the leaf.
 */
static inline uint64_t vtd_sspte_make_table(uint64_t table_pa)
{
    return vtd_sspte_set_perms(vtd_pte_set_addr(0, table_pa), VTD_PERM_RW);
}

/* A leaf at level (1, 2 or 3); PS is set for levels 2 and 3. */
static inline uint64_t vtd_sspte_make_leaf(uint64_t pa, unsigned level, unsigned perms, bool snp)
{
    uint64_t pte = vtd_pte_set_addr(0, pa);

    pte = vtd_sspte_set_perms(pte, perms);
    pte = vtd_sspte_set_snp(pte, snp);
    return vtd_bit_set(pte, 7, level > 1);
}

/*
 * The i-th of the 512 entries that together map what the leaf pte at level
 * (2 or 3) maps: same permissions and attributes, one level down.
 */
static inline uint64_t vtd_sspte_split_child(uint64_t pte, unsigned level, unsigned i)
{
    uint64_t base = vtd_pte_addr(pte) & ~(vtd_level_size(level) - 1);
    uint64_t child = vtd_pte_set_addr(pte, base + (uint64_t)i * vtd_level_size(level - 1));

    return vtd_bit_set(child, 7, level - 1 > 1);
}

/*
 * Whether a present second-stage entry at level has a reserved bit set.
 * large_ok: the unit supports a leaf (PS) at this level (CAP.SLLPS).
 * snp_ok: SNP allowed in leaves (ECAP.SC). paw: output address width.
 */
static inline bool vtd_sspte_reserved(uint64_t pte, unsigned level, bool large_ok, bool snp_ok, unsigned paw)
{
    bool leaf = level == 1 || vtd_sspte_ps(pte);

    if (pte & vtd_pte_above_paw(paw))
        return true;
    if (level > 1 && vtd_sspte_ps(pte)) {
        if (level > 3 || !large_ok)
            return true;
        if (pte & vtd_field_mask(VTD_PAGE_SHIFT + VTD_LEVEL_STRIDE * (level - 1) - 1, 12))
            return true;
    }
    if (vtd_sspte_snp(pte) && (!leaf || !snp_ok))
        return true;
    return !leaf && vtd_sspte_tm(pte);
}

/* ---- first stage (9.7) ---- */
static inline bool vtd_fspte_p(uint64_t pte)        { return vtd_bit_get(pte, 0); }
static inline bool vtd_fspte_rw(uint64_t pte)       { return vtd_bit_get(pte, 1); }
static inline bool vtd_fspte_us(uint64_t pte)       { return vtd_bit_get(pte, 2); }
static inline bool vtd_fspte_pwt(uint64_t pte)      { return vtd_bit_get(pte, 3); }
static inline bool vtd_fspte_pcd(uint64_t pte)      { return vtd_bit_get(pte, 4); }
static inline bool vtd_fspte_a(uint64_t pte)        { return vtd_bit_get(pte, 5); }
static inline bool vtd_fspte_d(uint64_t pte)        { return vtd_bit_get(pte, 6); }
static inline bool vtd_fspte_ps(uint64_t pte)       { return vtd_bit_get(pte, 7); }
static inline bool vtd_fspte_g(uint64_t pte)        { return vtd_bit_get(pte, 8); }
static inline bool vtd_fspte_xd(uint64_t pte)       { return vtd_bit_get(pte, 63); }

/* R always; W from R/W, U from U/S, X from XD clear. */
static inline unsigned vtd_fspte_perms(uint64_t pte)
{
    return VTD_PERM_R | (vtd_fspte_rw(pte) ? VTD_PERM_W : 0) | (vtd_fspte_us(pte) ? VTD_PERM_U : 0) |
           (vtd_fspte_xd(pte) ? 0 : VTD_PERM_X);
}

static inline uint64_t vtd_fspte_set_flags(uint64_t pte, unsigned perms)
{
    pte = vtd_bit_set(pte, 0, true);
    pte = vtd_bit_set(pte, 1, perms & VTD_PERM_W);
    pte = vtd_bit_set(pte, 2, perms & VTD_PERM_U);
    return vtd_bit_set(pte, 63, !(perms & VTD_PERM_X));
}

static inline uint64_t vtd_fspte_set_pwt(uint64_t pte, bool v) { return vtd_bit_set(pte, 3, v); }
static inline uint64_t vtd_fspte_set_pcd(uint64_t pte, bool v) { return vtd_bit_set(pte, 4, v); }
static inline uint64_t vtd_fspte_set_a(uint64_t pte, bool v)   { return vtd_bit_set(pte, 5, v); }
static inline uint64_t vtd_fspte_set_d(uint64_t pte, bool v)   { return vtd_bit_set(pte, 6, v); }
static inline uint64_t vtd_fspte_set_g(uint64_t pte, bool v)   { return vtd_bit_set(pte, 8, v); }

/* Table entries grant everything (P, R/W, U/S, XD clear); the leaf restricts. */
static inline uint64_t vtd_fspte_make_table(uint64_t table_pa)
{
    return vtd_fspte_set_flags(vtd_pte_set_addr(0, table_pa),
                               VTD_PERM_RW | VTD_PERM_U | VTD_PERM_X);
}

/* A leaf at level 1, 2 or 3 with A and D preset (no hardware A/D update needed). */
static inline uint64_t vtd_fspte_make_leaf(uint64_t pa, unsigned level, unsigned perms)
{
    uint64_t pte = vtd_fspte_set_flags(vtd_pte_set_addr(0, pa), perms);

    pte = vtd_fspte_set_a(pte, true);
    pte = vtd_fspte_set_d(pte, (perms & VTD_PERM_W) != 0);
    return vtd_bit_set(pte, 7, level > 1);
}

/* Address of a first-stage leaf: a large page's bit 12 is PAT, not address. */
static inline uint64_t vtd_fspte_leaf_addr(uint64_t pte, unsigned level)
{
    uint64_t a = vtd_pte_addr(pte);

    return level > 1 ? a & ~vtd_field_mask(12, 12) : a;
}

/* The i-th child of a first-stage large leaf; PAT moves from bit 12 to bit 7 at level 1. */
static inline uint64_t vtd_fspte_split_child(uint64_t pte, unsigned level, unsigned i)
{
    bool pat = vtd_bit_get(pte, 12);
    uint64_t base = vtd_fspte_leaf_addr(pte, level) & ~(vtd_level_size(level) - 1);
    uint64_t child = vtd_pte_set_addr(pte, base + (uint64_t)i * vtd_level_size(level - 1));

    if (level - 1 > 1)
        return vtd_bit_set(vtd_bit_set(child, 12, pat), 7, true);
    return vtd_bit_set(child, 7, pat);
}

/*
 * Whether a present first-stage entry at level has a reserved bit set.
 * large_ok: a PS leaf is allowed at this level (2 MiB always, 1 GiB with CAP.FS1GP).
 */
static inline bool vtd_fspte_reserved(uint64_t pte, unsigned level, bool large_ok, unsigned paw)
{
    if (pte & vtd_pte_above_paw(paw))
        return true;
    if (level > 1 && vtd_fspte_ps(pte)) {
        if (level > 3 || !large_ok)
            return true;
        if (pte & vtd_field_mask(VTD_PAGE_SHIFT + VTD_LEVEL_STRIDE * (level - 1) - 1, 13))
            return true;
    }
    return false;
}

#endif
