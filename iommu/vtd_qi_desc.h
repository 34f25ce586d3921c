/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Invalidation queue descriptors (VT-d spec 6.5.2). A descriptor is 128 bits, or
 * 256 bits when IQA.DW=1 (required in scalable mode); the builders here always
 * produce the 256-bit layout with val[2] and val[3] zero, so the 128-bit form is
 * val[0..1] of the same value.
 *
 * The type is bits 3:0 of val[0], extended by bits 11:9 for types above 15
 * (QEMU VTD_INV_DESC_TYPE). Types 1-7 are confirmed by QEMU and Linux; 8-10 by
 * Linux (QI_DEIOTLB_TYPE, QI_PGRP_RESP_TYPE, QI_PSTRM_RESP_TYPE) and QEMU (8).
 *
 * Field positions (Q = QEMU intel_iommu_internal.h, L = Linux intel/iommu.h):
 *  context-cache (1): 5:4 G (1 global, 2 domain, 3 device), 31:16 DID,
 *    47:32 SID, 49:48 FM (Q L)
 *  IOTLB (2): 5:4 G (1 global, 2 domain, 3 page), 6 DW, 7 DR, 31:16 DID;
 *    val[1]: 5:0 AM, 6 IH, 63:12 ADDR (Q L)
 *  device-TLB (3): 15:12 PFSID[3:0], 20:16 MIP, 47:32 SID, 63:52 PFSID[15:4];
 *    val[1]: 0 S, 63:12 ADDR (L; QEMU treats the PFSID bits as reserved)
 *  interrupt entry cache (4): 4 G (0 global, 1 index-selective), 31:27 IM,
 *    47:32 IIDX (L QI_IEC_SELECTIVE; Q processes bit 4 as "not global")
 *  invalidation wait (5): 4 IF, 5 SW, 6 FN, 7 PD, 63:32 status data;
 *    val[1]: 63:2 status address (Q L)
 *  PASID-based IOTLB (6): 5:4 G (2 all of a PASID, 3 page within a PASID),
 *    31:16 DID, 51:32 PASID; val[1]: 5:0 AM, 6 IH, 63:12 ADDR (Q L)
 *  PASID cache (7): 5:4 G (0 domain, 1 PASID, 3 global), 31:16 DID,
 *    51:32 PASID (Q L)
 *  PASID-based device-TLB (8): 8:4 MIP, 15:12 PFSID[3:0], 31:16 SID,
 *    51:32 PASID, 63:52 PFSID[15:4]; val[1]: 0 G, 11 S, 63:12 ADDR (Q L)
 */
#ifndef NESTOR_IOMMU_VTD_QI_DESC_H
#define NESTOR_IOMMU_VTD_QI_DESC_H

#include <stdbool.h>
#include <stdint.h>

#include "iommu/vtd_bits.h"

struct vtd_qi_desc {
    uint64_t val[4];
};
_Static_assert(sizeof(struct vtd_qi_desc) == 32, "descriptor slot is 256 bits");

enum vtd_qi_type {
    VTD_QI_TYPE_CC          = 1,
    VTD_QI_TYPE_IOTLB       = 2,
    VTD_QI_TYPE_DEVTLB      = 3,
    VTD_QI_TYPE_IEC         = 4,
    VTD_QI_TYPE_WAIT        = 5,
    VTD_QI_TYPE_PIOTLB      = 6,
    VTD_QI_TYPE_PC          = 7,
    VTD_QI_TYPE_PDEVTLB     = 8,
    VTD_QI_TYPE_PGRP_RESP   = 9,
    VTD_QI_TYPE_PSTRM_RESP  = 10,
};

enum vtd_qi_cc_gran    { VTD_QI_CC_GLOBAL = 1, VTD_QI_CC_DOMAIN = 2, VTD_QI_CC_DEVICE = 3 };
enum vtd_qi_iotlb_gran { VTD_QI_IOTLB_GLOBAL = 1, VTD_QI_IOTLB_DOMAIN = 2, VTD_QI_IOTLB_PAGE = 3 };
enum vtd_qi_piotlb_gran { VTD_QI_PIOTLB_PASID = 2, VTD_QI_PIOTLB_PAGE = 3 };
enum vtd_qi_pc_gran    { VTD_QI_PC_DOMAIN = 0, VTD_QI_PC_PASID = 1, VTD_QI_PC_GLOBAL = 3 };

/* Invalidation-wait flags (6.5.2.8). */
#define VTD_QI_WAIT_IF 0x1u   /* raise the invalidation completion event */
#define VTD_QI_WAIT_SW 0x2u   /* write the status data to the status address */
#define VTD_QI_WAIT_FN 0x4u   /* fence: later descriptors wait for this one */
#define VTD_QI_WAIT_PD 0x8u   /* drain page requests */

static inline unsigned vtd_qi_type(const struct vtd_qi_desc *d)
{
    return (unsigned)(vtd_field_get(d->val[0], 11, 9) << 4 | vtd_field_get(d->val[0], 3, 0));
}

static inline struct vtd_qi_desc vtd_qi_make(enum vtd_qi_type type)
{
    struct vtd_qi_desc d = { { 0, 0, 0, 0 } };

    d.val[0] = vtd_field_set(vtd_field_set(0, 3, 0, type), 11, 9, (unsigned)type >> 4);
    return d;
}

/* Common decoders: the granularity field 5:4 and DID 31:16 of val[0]. */
static inline unsigned vtd_qi_gran(const struct vtd_qi_desc *d) { return (unsigned)vtd_field_get(d->val[0], 5, 4); }
static inline uint16_t vtd_qi_did(const struct vtd_qi_desc *d)  { return (uint16_t)vtd_field_get(d->val[0], 31, 16); }
/* PASID 51:32 of val[0] (types 6, 7, 8). */
static inline uint32_t vtd_qi_pasid(const struct vtd_qi_desc *d) { return (uint32_t)vtd_field_get(d->val[0], 51, 32); }
/* val[1] of types 2 and 6: address 63:12, IH 6, AM 5:0. */
static inline uint64_t vtd_qi_addr(const struct vtd_qi_desc *d) { return vtd_addr_get(d->val[1]); }
static inline bool vtd_qi_ih(const struct vtd_qi_desc *d)       { return vtd_bit_get(d->val[1], 6); }
static inline unsigned vtd_qi_am(const struct vtd_qi_desc *d)   { return (unsigned)vtd_field_get(d->val[1], 5, 0); }

/* ---- context-cache invalidation (6.5.2.1) ---- */
static inline struct vtd_qi_desc vtd_qi_cc(enum vtd_qi_cc_gran g, uint16_t did, uint16_t sid, unsigned fm)
{
    struct vtd_qi_desc d = vtd_qi_make(VTD_QI_TYPE_CC);

    d.val[0] = vtd_field_set(d.val[0], 5, 4, g);
    d.val[0] = vtd_field_set(d.val[0], 31, 16, did);
    d.val[0] = vtd_field_set(d.val[0], 47, 32, sid);
    d.val[0] = vtd_field_set(d.val[0], 49, 48, fm);
    return d;
}
static inline struct vtd_qi_desc vtd_qi_cc_global(void)         { return vtd_qi_cc(VTD_QI_CC_GLOBAL, 0, 0, 0); }
static inline struct vtd_qi_desc vtd_qi_cc_domain(uint16_t did) { return vtd_qi_cc(VTD_QI_CC_DOMAIN, did, 0, 0); }
static inline struct vtd_qi_desc vtd_qi_cc_device(uint16_t did, uint16_t sid, unsigned fm)
{
    return vtd_qi_cc(VTD_QI_CC_DEVICE, did, sid, fm);
}
static inline uint16_t vtd_qi_cc_sid(const struct vtd_qi_desc *d) { return (uint16_t)vtd_field_get(d->val[0], 47, 32); }
static inline unsigned vtd_qi_cc_fm(const struct vtd_qi_desc *d)  { return (unsigned)vtd_field_get(d->val[0], 49, 48); }

/* ---- IOTLB invalidation (6.5.2.3); dr/dw from CAP.DRD/DWD ---- */
static inline struct vtd_qi_desc vtd_qi_iotlb(enum vtd_qi_iotlb_gran g, uint16_t did, uint64_t addr, unsigned am,
                                              bool ih, bool dr, bool dw)
{
    struct vtd_qi_desc d = vtd_qi_make(VTD_QI_TYPE_IOTLB);

    d.val[0] = vtd_field_set(d.val[0], 5, 4, g);
    d.val[0] = vtd_bit_set(d.val[0], 6, dw);
    d.val[0] = vtd_bit_set(d.val[0], 7, dr);
    d.val[0] = vtd_field_set(d.val[0], 31, 16, did);
    d.val[1] = vtd_field_set(vtd_bit_set(vtd_addr_set(0, addr), 6, ih), 5, 0, am);
    return d;
}
static inline struct vtd_qi_desc vtd_qi_iotlb_global(bool dr, bool dw)
{
    return vtd_qi_iotlb(VTD_QI_IOTLB_GLOBAL, 0, 0, 0, false, dr, dw);
}
static inline struct vtd_qi_desc vtd_qi_iotlb_domain(uint16_t did, bool dr, bool dw)
{
    return vtd_qi_iotlb(VTD_QI_IOTLB_DOMAIN, did, 0, 0, false, dr, dw);
}
/* 2^am pages at addr (aligned to 4 KiB << am); ih: only leaf entries changed. */
static inline struct vtd_qi_desc vtd_qi_iotlb_page(uint16_t did, uint64_t addr, unsigned am, bool ih, bool dr, bool dw)
{
    return vtd_qi_iotlb(VTD_QI_IOTLB_PAGE, did, addr, am, ih, dr, dw);
}
static inline bool vtd_qi_iotlb_dw(const struct vtd_qi_desc *d) { return vtd_bit_get(d->val[0], 6); }
static inline bool vtd_qi_iotlb_dr(const struct vtd_qi_desc *d) { return vtd_bit_get(d->val[0], 7); }

/*
 * ATS range encoding of device-TLB descriptors (6.5.2.5, Linux
 * qi_desc_dev_iotlb_pasid()): for 2^order pages, order >= 1, address bits
 * 12 .. 12+order-2 are set and bit 12+order-1 is clear; order 0 is one page.
 */
static inline uint64_t vtd_qi_ats_addr(uint64_t addr, unsigned order)
{
    addr = vtd_addr_get(addr);
    if (order == 0)
        return addr;
    if (order > 1)
        addr |= vtd_field_mask(12 + order - 2, 12);
    return addr & ~vtd_field_mask(12 + order - 1, 12 + order - 1);
}

/* The order encoded by an ATS address (count of low set bits from bit 12, plus one). */
static inline unsigned vtd_qi_ats_order(uint64_t addr_field)
{
    unsigned order = 0;

    while (order < 51 && vtd_bit_get(addr_field, 12 + order))
        order++;
    return order + 1;
}

/* ---- device-TLB invalidation (6.5.2.5) ---- */
/*
 * size_order: 2^size_order pages at addr; with S=1 the lowest clear address bit
 * at or above bit 12 gives the size (ATS encoding; Linux qi_desc_dev_iotlb()).
 */
static inline struct vtd_qi_desc vtd_qi_devtlb(uint16_t sid, uint16_t pfsid, unsigned mip, uint64_t addr,
                                               unsigned size_order)
{
    struct vtd_qi_desc d = vtd_qi_make(VTD_QI_TYPE_DEVTLB);

    d.val[0] = vtd_field_set(d.val[0], 15, 12, pfsid & 0xF);
    d.val[0] = vtd_field_set(d.val[0], 20, 16, mip);
    d.val[0] = vtd_field_set(d.val[0], 47, 32, sid);
    d.val[0] = vtd_field_set(d.val[0], 63, 52, pfsid >> 4);
    d.val[1] = vtd_bit_set(vtd_qi_ats_addr(addr, size_order), 0, size_order != 0);
    return d;
}
static inline uint16_t vtd_qi_devtlb_sid(const struct vtd_qi_desc *d)   { return (uint16_t)vtd_field_get(d->val[0], 47, 32); }
static inline unsigned vtd_qi_devtlb_mip(const struct vtd_qi_desc *d)   { return (unsigned)vtd_field_get(d->val[0], 20, 16); }
static inline uint16_t vtd_qi_devtlb_pfsid(const struct vtd_qi_desc *d)
{
    return (uint16_t)(vtd_field_get(d->val[0], 63, 52) << 4 | vtd_field_get(d->val[0], 15, 12));
}
static inline bool vtd_qi_devtlb_s(const struct vtd_qi_desc *d)         { return vtd_bit_get(d->val[1], 0); }
/* Decoded size order (pages = 2^order) of a device-TLB descriptor. */
static inline unsigned vtd_qi_devtlb_size_order(const struct vtd_qi_desc *d)
{
    return vtd_qi_devtlb_s(d) ? vtd_qi_ats_order(d->val[1]) : 0;
}

/* ---- interrupt entry cache invalidation (6.5.2.7) ---- */
static inline struct vtd_qi_desc vtd_qi_iec_global(void)
{
    return vtd_qi_make(VTD_QI_TYPE_IEC);
}
/* 2^im entries from index iidx (aligned to 2^im). */
static inline struct vtd_qi_desc vtd_qi_iec_index(uint16_t iidx, unsigned im)
{
    struct vtd_qi_desc d = vtd_qi_make(VTD_QI_TYPE_IEC);

    d.val[0] = vtd_bit_set(d.val[0], 4, true);
    d.val[0] = vtd_field_set(d.val[0], 31, 27, im);
    d.val[0] = vtd_field_set(d.val[0], 47, 32, iidx);
    return d;
}
static inline bool vtd_qi_iec_is_index(const struct vtd_qi_desc *d) { return vtd_bit_get(d->val[0], 4); }
static inline unsigned vtd_qi_iec_im(const struct vtd_qi_desc *d)   { return (unsigned)vtd_field_get(d->val[0], 31, 27); }
static inline uint16_t vtd_qi_iec_iidx(const struct vtd_qi_desc *d) { return (uint16_t)vtd_field_get(d->val[0], 47, 32); }

/* ---- invalidation wait (6.5.2.8) ---- */
/* flags: VTD_QI_WAIT_*; with SW the unit writes status_data to status_addr (4-byte aligned). */
static inline struct vtd_qi_desc vtd_qi_wait(unsigned flags, uint32_t status_data, uint64_t status_addr)
{
    struct vtd_qi_desc d = vtd_qi_make(VTD_QI_TYPE_WAIT);

    d.val[0] = vtd_bit_set(d.val[0], 4, flags & VTD_QI_WAIT_IF);
    d.val[0] = vtd_bit_set(d.val[0], 5, flags & VTD_QI_WAIT_SW);
    d.val[0] = vtd_bit_set(d.val[0], 6, flags & VTD_QI_WAIT_FN);
    d.val[0] = vtd_bit_set(d.val[0], 7, flags & VTD_QI_WAIT_PD);
    d.val[0] = vtd_field_set(d.val[0], 63, 32, status_data);
    d.val[1] = status_addr & vtd_field_mask(63, 2);
    return d;
}
static inline unsigned vtd_qi_wait_flags(const struct vtd_qi_desc *d)
{
    return (vtd_bit_get(d->val[0], 4) ? VTD_QI_WAIT_IF : 0) | (vtd_bit_get(d->val[0], 5) ? VTD_QI_WAIT_SW : 0) |
           (vtd_bit_get(d->val[0], 6) ? VTD_QI_WAIT_FN : 0) | (vtd_bit_get(d->val[0], 7) ? VTD_QI_WAIT_PD : 0);
}
static inline uint32_t vtd_qi_wait_data(const struct vtd_qi_desc *d) { return (uint32_t)vtd_field_get(d->val[0], 63, 32); }
static inline uint64_t vtd_qi_wait_addr(const struct vtd_qi_desc *d) { return d->val[1] & vtd_field_mask(63, 2); }

/* ---- PASID-based IOTLB invalidation (6.5.2.4) ---- */
static inline struct vtd_qi_desc vtd_qi_piotlb(enum vtd_qi_piotlb_gran g, uint16_t did, uint32_t pasid, uint64_t addr,
                                               unsigned am, bool ih)
{
    struct vtd_qi_desc d = vtd_qi_make(VTD_QI_TYPE_PIOTLB);

    d.val[0] = vtd_field_set(d.val[0], 5, 4, g);
    d.val[0] = vtd_field_set(d.val[0], 31, 16, did);
    d.val[0] = vtd_field_set(d.val[0], 51, 32, pasid);
    if (g == VTD_QI_PIOTLB_PAGE)
        d.val[1] = vtd_field_set(vtd_bit_set(vtd_addr_set(0, addr), 6, ih), 5, 0, am);
    return d;
}
static inline struct vtd_qi_desc vtd_qi_piotlb_pasid(uint16_t did, uint32_t pasid)
{
    return vtd_qi_piotlb(VTD_QI_PIOTLB_PASID, did, pasid, 0, 0, false);
}
static inline struct vtd_qi_desc vtd_qi_piotlb_page(uint16_t did, uint32_t pasid, uint64_t addr, unsigned am, bool ih)
{
    return vtd_qi_piotlb(VTD_QI_PIOTLB_PAGE, did, pasid, addr, am, ih);
}

/* ---- PASID-cache invalidation (6.5.2.2) ---- */
static inline struct vtd_qi_desc vtd_qi_pc(enum vtd_qi_pc_gran g, uint16_t did, uint32_t pasid)
{
    struct vtd_qi_desc d = vtd_qi_make(VTD_QI_TYPE_PC);

    d.val[0] = vtd_field_set(d.val[0], 5, 4, g);
    d.val[0] = vtd_field_set(d.val[0], 31, 16, did);
    d.val[0] = vtd_field_set(d.val[0], 51, 32, pasid);
    return d;
}

/* ---- PASID-based device-TLB invalidation (6.5.2.6) ---- */
/* all_pasids sets G (every PASID of the device); size_order as for vtd_qi_devtlb(). */
static inline struct vtd_qi_desc vtd_qi_pdevtlb(uint16_t sid, uint16_t pfsid, unsigned mip, uint32_t pasid,
                                                bool all_pasids, uint64_t addr, unsigned size_order)
{
    struct vtd_qi_desc d = vtd_qi_make(VTD_QI_TYPE_PDEVTLB);

    d.val[0] = vtd_field_set(d.val[0], 8, 4, mip);
    d.val[0] = vtd_field_set(d.val[0], 15, 12, pfsid & 0xF);
    d.val[0] = vtd_field_set(d.val[0], 31, 16, sid);
    d.val[0] = vtd_field_set(d.val[0], 51, 32, pasid);
    d.val[0] = vtd_field_set(d.val[0], 63, 52, pfsid >> 4);
    d.val[1] = vtd_qi_ats_addr(addr, size_order);
    d.val[1] = vtd_bit_set(d.val[1], 11, size_order != 0);
    d.val[1] = vtd_bit_set(d.val[1], 0, all_pasids);
    return d;
}

static inline bool vtd_qi_pdevtlb_g(const struct vtd_qi_desc *d) { return vtd_bit_get(d->val[1], 0); }
static inline bool vtd_qi_pdevtlb_s(const struct vtd_qi_desc *d) { return vtd_bit_get(d->val[1], 11); }
static inline uint16_t vtd_qi_pdevtlb_sid(const struct vtd_qi_desc *d) { return (uint16_t)vtd_field_get(d->val[0], 31, 16); }
static inline unsigned vtd_qi_pdevtlb_size_order(const struct vtd_qi_desc *d)
{
    return vtd_qi_pdevtlb_s(d) ? vtd_qi_ats_order(d->val[1]) : 0;
}

#endif
