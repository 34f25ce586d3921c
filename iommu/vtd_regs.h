/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VT-d remapping unit registers (VT-d spec chapter 11, "Register Descriptions").
 * Offsets are from the unit's register base; every register is little-endian.
 *
 * Bit positions were checked against two public references: QEMU's
 * hw/i386/intel_iommu_internal.h (Q) and Linux's drivers/iommu/intel/iommu.h
 * (formerly include/linux/intel-iommu.h) (L); M marks values read from QEMU 10's
 * emulated unit (shared/PLATFORMS.md). Each field says which confirmed it.
 * Pure: accessors only, no hardware access.
 */
#ifndef NESTOR_IOMMU_VTD_REGS_H
#define NESTOR_IOMMU_VTD_REGS_H

#include <stdbool.h>
#include <stdint.h>

/* Register offsets (11.4). */
enum vtd_reg {
    VTD_REG_VER      = 0x00,  /* 32: version (11.4.1) */
    VTD_REG_CAP      = 0x08,  /* 64: capability (11.4.2) */
    VTD_REG_ECAP     = 0x10,  /* 64: extended capability (11.4.3) */
    VTD_REG_GCMD     = 0x18,  /* 32: global command (11.4.4) */
    VTD_REG_GSTS     = 0x1C,  /* 32: global status (11.4.5) */
    VTD_REG_RTADDR   = 0x20,  /* 64: root table address (11.4.6) */
    VTD_REG_CCMD     = 0x28,  /* 64: context command (11.4.7) */
    VTD_REG_FSTS     = 0x34,  /* 32: fault status (11.4.9.1) */
    VTD_REG_FECTL    = 0x38,  /* 32: fault event control */
    VTD_REG_FEDATA   = 0x3C,  /* 32: fault event data */
    VTD_REG_FEADDR   = 0x40,  /* 32: fault event address */
    VTD_REG_FEUADDR  = 0x44,  /* 32: fault event upper address */
    VTD_REG_AFLOG    = 0x58,  /* 64: advanced fault log */
    VTD_REG_PMEN     = 0x64,  /* 32: protected memory enable */
    VTD_REG_PLMBASE  = 0x68,
    VTD_REG_PLMLIMIT = 0x6C,
    VTD_REG_PHMBASE  = 0x70,
    VTD_REG_PHMLIMIT = 0x78,
    VTD_REG_IQH      = 0x80,  /* 64: invalidation queue head (11.4.8) */
    VTD_REG_IQT      = 0x88,  /* 64: invalidation queue tail */
    VTD_REG_IQA      = 0x90,  /* 64: invalidation queue address */
    VTD_REG_ICS      = 0x9C,  /* 32: invalidation completion status */
    VTD_REG_IECTL    = 0xA0,  /* 32: invalidation event control */
    VTD_REG_IEDATA   = 0xA4,
    VTD_REG_IEADDR   = 0xA8,
    VTD_REG_IEUADDR  = 0xAC,
    VTD_REG_IQERCD   = 0xB0,  /* 64: invalidation queue error record */
    VTD_REG_IRTA     = 0xB8,  /* 64: interrupt remapping table address */
};
/* Q, L; the IOTLB registers and fault recording registers move with ECAP.IRO / CAP.FRO. */

/* IOTLB registers at ECAP.IRO * 16 (11.4.8.1): IVA, then IOTLB at +8. */
#define VTD_IVA_OFF    0x0
#define VTD_IOTLB_OFF  0x8
/* Fault recording registers at CAP.FRO * 16, 16 bytes each (11.4.9.3). */
#define VTD_FRCD_SIZE  16

/* VER (Q: 0x10 in QEMU, M). */
static inline unsigned vtd_ver_major(uint32_t ver) { return (ver >> 4) & 0xF; }
static inline unsigned vtd_ver_minor(uint32_t ver) { return ver & 0xF; }

static inline uint64_t vtd_regs_field(uint64_t v, unsigned hi, unsigned lo)
{
    return (v >> lo) & ((hi - lo == 63) ? ~0ULL : ((1ULL << (hi - lo + 1)) - 1));
}

/* ---- CAP (11.4.2) ---- */
static inline unsigned vtd_cap_nd(uint64_t c)      { return (unsigned)vtd_regs_field(c, 2, 0); }   /* Q L */
/* Number of domain ids: 2^(4 + 2*ND) (Q L). */
static inline uint32_t vtd_cap_ndoms(uint64_t c)   { return 1u << (4 + 2 * (vtd_cap_nd(c) > 6 ? 6 : vtd_cap_nd(c))); }
static inline bool vtd_cap_afl(uint64_t c)         { return vtd_regs_field(c, 3, 3); }             /* L */
static inline bool vtd_cap_rwbf(uint64_t c)        { return vtd_regs_field(c, 4, 4); }             /* L */
static inline bool vtd_cap_plmr(uint64_t c)        { return vtd_regs_field(c, 5, 5); }             /* L */
static inline bool vtd_cap_phmr(uint64_t c)        { return vtd_regs_field(c, 6, 6); }             /* L */
static inline bool vtd_cap_cm(uint64_t c)          { return vtd_regs_field(c, 7, 7); }             /* Q L */
/* SAGAW bit 1: 39-bit 3-level, bit 2: 48-bit 4-level, bit 3: 57-bit 5-level (Q L). */
static inline unsigned vtd_cap_sagaw(uint64_t c)   { return (unsigned)vtd_regs_field(c, 12, 8); }
static inline unsigned vtd_cap_mgaw(uint64_t c)    { return (unsigned)vtd_regs_field(c, 21, 16) + 1; } /* Q L: field is width-1 */
static inline bool vtd_cap_zlr(uint64_t c)         { return vtd_regs_field(c, 22, 22); }           /* L */
static inline bool vtd_cap_isoch(uint64_t c)       { return vtd_regs_field(c, 23, 23); }           /* L */
static inline uint32_t vtd_cap_fro(uint64_t c)     { return (uint32_t)vtd_regs_field(c, 33, 24) * 16; } /* Q L: byte offset */
/* SLLPS bit 0 (CAP 34): 2 MiB, bit 1 (CAP 35): 1 GiB second-stage pages (Q L). */
static inline unsigned vtd_cap_sllps(uint64_t c)   { return (unsigned)vtd_regs_field(c, 37, 34); }
static inline bool vtd_cap_psi(uint64_t c)         { return vtd_regs_field(c, 39, 39); }           /* Q L */
static inline unsigned vtd_cap_nfr(uint64_t c)     { return (unsigned)vtd_regs_field(c, 47, 40) + 1; } /* Q L: field is count-1 */
static inline unsigned vtd_cap_mamv(uint64_t c)    { return (unsigned)vtd_regs_field(c, 53, 48); } /* Q L */
static inline bool vtd_cap_dwd(uint64_t c)         { return vtd_regs_field(c, 54, 54); }           /* Q L */
static inline bool vtd_cap_drd(uint64_t c)         { return vtd_regs_field(c, 55, 55); }           /* Q L */
static inline bool vtd_cap_fl1gp(uint64_t c)       { return vtd_regs_field(c, 56, 56); }           /* Q (FS1GP) L M */
static inline bool vtd_cap_pi(uint64_t c)          { return vtd_regs_field(c, 59, 59); }           /* L */
static inline bool vtd_cap_fl5lp(uint64_t c)       { return vtd_regs_field(c, 60, 60); }           /* L */
static inline bool vtd_cap_esirtps(uint64_t c)     { return vtd_regs_field(c, 62, 62); }           /* L */
static inline bool vtd_cap_esrtps(uint64_t c)      { return vtd_regs_field(c, 63, 63); }           /* L */

#define VTD_SLLPS_2M 0x1u
#define VTD_SLLPS_1G 0x2u
#define VTD_SAGAW_39 0x2u   /* 3-level */
#define VTD_SAGAW_48 0x4u   /* 4-level */
#define VTD_SAGAW_57 0x8u   /* 5-level */

/* ---- ECAP (11.4.3) ---- */
static inline bool vtd_ecap_c(uint64_t e)          { return vtd_regs_field(e, 0, 0); }   /* L: page walks snoop caches */
static inline bool vtd_ecap_qi(uint64_t e)         { return vtd_regs_field(e, 1, 1); }   /* Q L */
static inline bool vtd_ecap_dt(uint64_t e)         { return vtd_regs_field(e, 2, 2); }   /* Q L: device-TLB */
static inline bool vtd_ecap_ir(uint64_t e)         { return vtd_regs_field(e, 3, 3); }   /* Q L */
static inline bool vtd_ecap_eim(uint64_t e)        { return vtd_regs_field(e, 4, 4); }   /* Q L */
static inline bool vtd_ecap_pt(uint64_t e)         { return vtd_regs_field(e, 6, 6); }   /* Q L */
static inline bool vtd_ecap_sc(uint64_t e)         { return vtd_regs_field(e, 7, 7); }   /* L: snoop control */
static inline uint32_t vtd_ecap_iro(uint64_t e)    { return (uint32_t)vtd_regs_field(e, 17, 8) * 16; } /* Q L: byte offset */
static inline unsigned vtd_ecap_mhmv(uint64_t e)   { return (unsigned)vtd_regs_field(e, 23, 20); } /* Q L */
static inline bool vtd_ecap_mts(uint64_t e)        { return vtd_regs_field(e, 25, 25); } /* L */
static inline bool vtd_ecap_nest(uint64_t e)       { return vtd_regs_field(e, 26, 26); } /* L */
static inline bool vtd_ecap_prs(uint64_t e)        { return vtd_regs_field(e, 29, 29); } /* L */
static inline bool vtd_ecap_ers(uint64_t e)        { return vtd_regs_field(e, 30, 30); } /* L */
static inline bool vtd_ecap_srs(uint64_t e)        { return vtd_regs_field(e, 31, 31); } /* Q L */
static inline bool vtd_ecap_nwfs(uint64_t e)       { return vtd_regs_field(e, 33, 33); } /* L */
static inline bool vtd_ecap_eafs(uint64_t e)       { return vtd_regs_field(e, 34, 34); } /* L */
/* PASID width supported, minus one (Q L; QEMU with x-pasid-mode leaves it 0, M). */
static inline unsigned vtd_ecap_pss(uint64_t e)    { return (unsigned)vtd_regs_field(e, 39, 35); }
static inline bool vtd_ecap_pasid(uint64_t e)      { return vtd_regs_field(e, 40, 40); } /* Q L M */
static inline bool vtd_ecap_dit(uint64_t e)        { return vtd_regs_field(e, 41, 41); } /* L */
static inline bool vtd_ecap_pds(uint64_t e)        { return vtd_regs_field(e, 42, 42); } /* L */
static inline bool vtd_ecap_smts(uint64_t e)       { return vtd_regs_field(e, 43, 43); } /* Q L M */
static inline bool vtd_ecap_vcs(uint64_t e)        { return vtd_regs_field(e, 44, 44); } /* Q L */
static inline bool vtd_ecap_slads(uint64_t e)      { return vtd_regs_field(e, 45, 45); } /* L */
static inline bool vtd_ecap_slts(uint64_t e)       { return vtd_regs_field(e, 46, 46); } /* Q L M */
static inline bool vtd_ecap_flts(uint64_t e)       { return vtd_regs_field(e, 47, 47); } /* Q L M */
static inline bool vtd_ecap_smpwc(uint64_t e)      { return vtd_regs_field(e, 48, 48); } /* L */
static inline bool vtd_ecap_rps(uint64_t e)        { return vtd_regs_field(e, 49, 49); } /* L */

/* ---- GCMD / GSTS (11.4.4, 11.4.5; Q L) ---- */
#define VTD_GCMD_TE     (1u << 31)  /* translation enable */
#define VTD_GCMD_SRTP   (1u << 30)  /* set root table pointer (one-shot) */
#define VTD_GCMD_SFL    (1u << 29)  /* set fault log (one-shot) */
#define VTD_GCMD_EAFL   (1u << 28)  /* enable advanced fault logging */
#define VTD_GCMD_WBF    (1u << 27)  /* write buffer flush (one-shot) */
#define VTD_GCMD_QIE    (1u << 26)  /* queued invalidation enable */
#define VTD_GCMD_IRE    (1u << 25)  /* interrupt remapping enable */
#define VTD_GCMD_SIRTP  (1u << 24)  /* set interrupt remap table pointer (one-shot) */
#define VTD_GCMD_CFI    (1u << 23)  /* compatibility format interrupt */

#define VTD_GSTS_TES    (1u << 31)
#define VTD_GSTS_RTPS   (1u << 30)
#define VTD_GSTS_FLS    (1u << 29)
#define VTD_GSTS_AFLS   (1u << 28)
#define VTD_GSTS_WBFS   (1u << 27)
#define VTD_GSTS_QIES   (1u << 26)
#define VTD_GSTS_IRES   (1u << 25)
#define VTD_GSTS_IRTPS  (1u << 24)
#define VTD_GSTS_CFIS   (1u << 23)

/* GSTS bits that report one-shot commands; they must never be written back to GCMD (L, 11.4.4). */
#define VTD_GSTS_ONESHOT (VTD_GSTS_RTPS | VTD_GSTS_FLS | VTD_GSTS_WBFS | VTD_GSTS_IRTPS)
/* Persistent enables mirrored between GCMD and GSTS. */
#define VTD_GSTS_PERSISTENT (VTD_GSTS_TES | VTD_GSTS_AFLS | VTD_GSTS_QIES | VTD_GSTS_IRES | VTD_GSTS_CFIS)

/* ---- RTADDR (11.4.6): bits 11:10 TTM translation table mode (Q L) ---- */
#define VTD_RTADDR_TTM_LEGACY   (0ULL << 10)
#define VTD_RTADDR_TTM_SCALABLE (1ULL << 10)
#define VTD_RTADDR_ADDR_MASK    (~0xFFFULL)

/* ---- CCMD (11.4.7; Q L) ---- */
#define VTD_CCMD_ICC            (1ULL << 63)
#define VTD_CCMD_CIRG_SHIFT     61
#define VTD_CCMD_CAIG_SHIFT     59
#define VTD_CCMD_GRAN_GLOBAL    1ULL
#define VTD_CCMD_GRAN_DOMAIN    2ULL
#define VTD_CCMD_GRAN_DEVICE    3ULL
#define VTD_CCMD_FM_SHIFT       32   /* 33:32 function mask */
#define VTD_CCMD_SID_SHIFT      16   /* 31:16 source id */
#define VTD_CCMD_DID_MASK       0xFFFFULL

static inline uint64_t vtd_ccmd_value(uint64_t gran, uint16_t did, uint16_t sid, unsigned fm)
{
    return VTD_CCMD_ICC | (gran << VTD_CCMD_CIRG_SHIFT) | ((uint64_t)(fm & 3) << VTD_CCMD_FM_SHIFT) |
           ((uint64_t)sid << VTD_CCMD_SID_SHIFT) | did;
}
static inline unsigned vtd_ccmd_caig(uint64_t v) { return (unsigned)vtd_regs_field(v, 60, 59); }

/* ---- IOTLB invalidate register and IVA (11.4.8.1; Q L) ---- */
#define VTD_IOTLB_IVT           (1ULL << 63)
#define VTD_IOTLB_IIRG_SHIFT    60
#define VTD_IOTLB_IAIG_SHIFT    57
#define VTD_IOTLB_GRAN_GLOBAL   1ULL
#define VTD_IOTLB_GRAN_DOMAIN   2ULL
#define VTD_IOTLB_GRAN_PAGE     3ULL
#define VTD_IOTLB_DR            (1ULL << 49)  /* drain reads (CAP.DRD) */
#define VTD_IOTLB_DW            (1ULL << 48)  /* drain writes (CAP.DWD) */
#define VTD_IOTLB_DID_SHIFT     32
#define VTD_IVA_IH              (1ULL << 6)   /* invalidation hint: leaf entries only */
#define VTD_IVA_AM_MASK         0x3FULL

static inline uint64_t vtd_iotlb_value(uint64_t gran, uint16_t did, bool drain_r, bool drain_w)
{
    return VTD_IOTLB_IVT | (gran << VTD_IOTLB_IIRG_SHIFT) | ((uint64_t)did << VTD_IOTLB_DID_SHIFT) |
           (drain_r ? VTD_IOTLB_DR : 0) | (drain_w ? VTD_IOTLB_DW : 0);
}
static inline unsigned vtd_iotlb_iaig(uint64_t v) { return (unsigned)vtd_regs_field(v, 58, 57); }
static inline uint64_t vtd_iva_value(uint64_t addr, unsigned am, bool ih)
{
    return (addr & ~0xFFFULL) | (ih ? VTD_IVA_IH : 0) | (am & VTD_IVA_AM_MASK);
}

/* ---- FSTS (11.4.9.1; Q L) ---- */
#define VTD_FSTS_PFO    (1u << 0)   /* primary fault overflow (RW1C) */
#define VTD_FSTS_PPF    (1u << 1)   /* primary pending fault (RO: some FRCD has F set) */
#define VTD_FSTS_AFO    (1u << 2)   /* advanced fault overflow (RW1C) */
#define VTD_FSTS_APF    (1u << 3)   /* advanced pending fault (RW1C) */
#define VTD_FSTS_IQE    (1u << 4)   /* invalidation queue error (RW1C) */
#define VTD_FSTS_ICE    (1u << 5)   /* invalidation completion error (RW1C) */
#define VTD_FSTS_ITE    (1u << 6)   /* invalidation time-out error (RW1C) */
#define VTD_FSTS_FRI_SHIFT 8        /* 15:8 fault record index */
#define VTD_FSTS_RW1C   (VTD_FSTS_PFO | VTD_FSTS_AFO | VTD_FSTS_APF | VTD_FSTS_IQE | VTD_FSTS_ICE | VTD_FSTS_ITE)
static inline unsigned vtd_fsts_fri(uint32_t f) { return (f >> VTD_FSTS_FRI_SHIFT) & 0xFF; }

/* ---- FECTL / IECTL (11.4.9.2, 11.4.8.4; Q L) ---- */
#define VTD_FECTL_IM    (1u << 31)  /* interrupt mask */
#define VTD_FECTL_IP    (1u << 30)  /* interrupt pending */
#define VTD_IECTL_IM    (1u << 31)
#define VTD_IECTL_IP    (1u << 30)

/* ---- FRCD high qword (11.4.9.3; Q L): write 1 to F to clear the record ---- */
#define VTD_FRCD_HI_F   (1ULL << 63)

/* ---- Invalidation queue (11.4.8; Q) ---- */
#define VTD_IQA_DW      (1ULL << 11)  /* 256-bit descriptors (required in scalable mode) */
#define VTD_IQA_QS_MASK 0x7ULL        /* queue size: 2^QS 4 KiB pages */
#define VTD_IQA_ADDR_MASK (~0xFFFULL)
#define VTD_IQ_OFF_MASK 0x7FFF0ULL    /* IQH/IQT: bits 18:4 byte offset of a descriptor */
#define VTD_ICS_IWC     (1u << 0)     /* invalidation wait descriptor complete (RW1C) */

/* ---- IQERCD (11.4.8.5; L DMAR_IQER_REG_*): queue error details ---- */
static inline unsigned vtd_iqercd_iqei(uint64_t v) { return (unsigned)vtd_regs_field(v, 3, 0); }

/*
 * The one-command-at-a-time rule (11.4.4): GCMD is written with the persistent
 * enables as GSTS reports them and exactly one command bit changed.
 * Returns the GCMD value that sets (on) or clears one command.
 */
static inline uint32_t vtd_gcmd_value(uint32_t gsts, uint32_t cmd, bool on)
{
    uint32_t v = gsts & VTD_GSTS_PERSISTENT;

    return on ? (v | cmd) : (v & ~cmd);
}

/*
 * Whether GSTS shows that command cmd (issued with on) took effect: a persistent
 * enable mirrors the wanted state; SRTP/SFL/SIRTP report completion by setting their
 * status bit; WBF by clearing WBFS.
 */
static inline bool vtd_gsts_reflects(uint32_t gsts, uint32_t cmd, bool on)
{
    if (cmd == VTD_GCMD_WBF)
        return !(gsts & VTD_GSTS_WBFS);
    if (cmd & VTD_GSTS_ONESHOT)
        return (gsts & cmd) != 0;
    return on ? (gsts & cmd) != 0 : !(gsts & cmd);
}

#endif
