/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A register-level model of a VT-d unit for the driver's unit tests: GCMD/GSTS,
 * RTADDR, CCMD, IOTLB, the invalidation queue (descriptors are recorded; wait
 * descriptors write their status), fault status and fault recording registers.
 * Memory: "physical" addresses are host pointers to 4 KiB-aligned allocations.
 * Time advances by 100 us per reading, so bounded waits expire quickly.
 */
#ifndef NESTOR_TESTS_UNIT_VTD_FAKE_H
#define NESTOR_TESTS_UNIT_VTD_FAKE_H

#include <stdbool.h>
#include <stdint.h>

#include "iommu/vtd_unit.h"

#define FAKE_VTD_REGS_SIZE 0x1000
#define FAKE_VTD_LOG_MAX   256

struct fake_vtd_desc {
    uint64_t q[4];
};

struct fake_vtd {
    uint8_t regs[FAKE_VTD_REGS_SIZE];
    uint64_t cap, ecap;
    /* recorded requests */
    struct fake_vtd_desc qlog[FAKE_VTD_LOG_MAX];
    unsigned nq;
    uint64_t ccmd_log[FAKE_VTD_LOG_MAX];
    unsigned nccmd;
    uint64_t iotlb_log[FAKE_VTD_LOG_MAX], iva_log[FAKE_VTD_LOG_MAX];
    unsigned niotlb;
    uint32_t gcmd_log[FAKE_VTD_LOG_MAX];
    unsigned ngcmd;
    unsigned iqt_writes;
    unsigned waits_dropped;     /* wait descriptors an ITE dropped */
    /* failure knobs */
    uint32_t gcmd_ignore;       /* GCMD bits whose status never follows */
    bool queue_stalled;         /* descriptors are not processed */
    bool ccmd_stuck, iotlb_stuck;
    unsigned ite_on_devtlb;     /* this many device-TLB descriptors time out (ITE); fetched waits are dropped */
    uint32_t fsts_sticky;       /* FSTS bits that come back after every write (a broken unit) */
};

extern struct fake_vtd fake_vtd;
extern const struct vtd_env fake_vtd_env;

/* Resets the model with the given CAP/ECAP (VER 0x10) and frees all fake frames. */
void fake_vtd_reset(uint64_t cap, uint64_t ecap);
uint32_t fake_vtd_reg32(uint32_t off);
uint64_t fake_vtd_reg64(uint32_t off);
void fake_vtd_set_reg32(uint32_t off, uint32_t v);

/* Puts a primary fault into recording register idx (sets FSTS.PPF/FRI; PFO if it is in use). */
void fake_vtd_inject_fault(unsigned idx, uint16_t sid, uint64_t addr, uint8_t reason, bool is_write);

/* Frames handed out and not freed; the page-allocation failure knob (fail after n more). */
unsigned fake_vtd_pages_in_use(void);
void fake_vtd_fail_alloc_after(int n);

/* Write-backs (env->flush calls) so far. */
unsigned fake_vtd_flush_count(void);

/* Descriptor-type count in the queue log (VT-d 6.5.2: low 4 bits of qword 0). */
unsigned fake_vtd_count_desc(unsigned type);

#endif
