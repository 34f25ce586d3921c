/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a unit's CAP/ECAP allow, decided once: the translation mode, the page-table
 * depth and address width, the stage a domain's table uses, and the log text that
 * shows the decoded registers. Pure: unit-tested on Linux.
 */
#ifndef NESTOR_IOMMU_VTD_CAPS_H
#define NESTOR_IOMMU_VTD_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iommu/vtd_pgtable.h"   /* enum vtd_stage */

enum vtd_mode {
    VTD_MODE_LEGACY = 0,    /* root -> context entry -> second-stage table (VT-d 3.4.2) */
    VTD_MODE_SCALABLE = 1,  /* root -> scalable context -> PASID dir -> PASID entry (3.4.3) */
};

/* The page-table geometry chosen for a unit: levels and input address width. */
struct vtd_geometry {
    unsigned levels;        /* 3, 4 or 5 */
    unsigned aw_bits;       /* the table's address width: 39, 48 or 57 */
    unsigned iova_bits;     /* usable input width: min(aw_bits, MGAW) */
    unsigned sagaw_bit;     /* the SAGAW/AW encoding (1: 3-level, 2: 4-level, 3: 5-level) */
};

/*
 * Scalable when ECAP.SMTS, QI (256-bit descriptors are mandatory there) and a stage
 * (SLTS or FLTS) are offered and legacy is not forced; else legacy. why (may be NULL)
 * gets a short reason when a scalable-capable unit is run in legacy mode.
 */
enum vtd_mode vtd_caps_choose_mode(uint64_t cap, uint64_t ecap, bool force_legacy, const char **why);

/*
 * The stage domains translate requests-without-PASID with: second stage in legacy mode
 * and with ECAP.SLTS; first stage only when scalable without SLTS but with FLTS.
 */
enum vtd_stage vtd_caps_choose_stage(uint64_t ecap, enum vtd_mode mode);

/*
 * Page-table depth: 4-level preferred (48-bit), else 3-level, else 5-level, from SAGAW for
 * the second stage; first-stage tables are 4-level (5 only with CAP.FL5LP and nothing else).
 * Returns 0, or -ENOTSUP when the unit offers no usable width (logged by the caller).
 */
int vtd_caps_choose_geometry(uint64_t cap, enum vtd_stage stage, struct vtd_geometry *out);

/* Large pages (bit 0: 2 MiB, bit 1: 1 GiB) a domain of this stage may map on this unit. */
unsigned vtd_caps_large_pages(uint64_t cap, enum vtd_stage stage);

/*
 * The boot-summary text after "vtdN: ": "cap 0x... ND=6 (65536 domains) SAGAW=0x6 ..."
 * and "ecap 0x... QI IR PT ...". A set flag prints its name, a clear one NAME=0.
 * Return the length the full text would have had (snprintf semantics).
 */
int vtd_caps_format_cap(char *buf, size_t size, uint64_t cap);
int vtd_caps_format_ecap(char *buf, size_t size, uint64_t ecap);

const char *vtd_mode_name(enum vtd_mode mode);

#endif
