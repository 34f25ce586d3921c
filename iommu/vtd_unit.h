/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One DMA-remapping hardware unit (a DRHD of the ACPI DMAR table): its registers,
 * what CAP/ECAP offer, the mode and page-table geometry chosen, the root table and
 * the invalidation interface in use.
 *
 * The unit reaches the machine only through struct vtd_env (register access, frames,
 * time), so the driver logic runs unchanged against a register model in unit tests.
 */
#ifndef NESTOR_IOMMU_VTD_UNIT_H
#define NESTOR_IOMMU_VTD_UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iommu/vtd_caps.h"
#include "kernel/log.h"

#define VTD_MAX_UNITS 16
/* Bytes of register space mapped per unit: every register the driver uses lies in it. */
#define VTD_UNIT_REG_BYTES 0x1000u

/* Bounds of every wait on a unit (register commands, invalidation completion). */
#define VTD_CMD_TIMEOUT_US   1000000ULL
#define VTD_INVAL_TIMEOUT_US 1000000ULL

struct vtd_env {
    uint32_t (*read32)(void *regs, uint32_t off);
    uint64_t (*read64)(void *regs, uint32_t off);
    void (*write32)(void *regs, uint32_t off, uint32_t v);
    void (*write64)(void *regs, uint32_t off, uint64_t v);
    uint64_t (*page_alloc)(void);       /* one zeroed 4 KiB frame, or 0 */
    void (*page_free)(uint64_t pa);
    void *(*phys_to_virt)(uint64_t pa);
    uint64_t (*now_us)(void);           /* monotonic */
    void (*relax)(void);                /* called between polls */
    /* Makes CPU writes to [p, p+len) visible to a unit whose walks do not snoop (ECAP.C=0). */
    void (*flush)(const void *p, size_t len);
};

/* The invalidation queue (VT-d 6.5.2), owned by iommu/vtd_inval.c. */
struct vtd_inval_queue {
    uint64_t base_pa;       /* 4 KiB aligned, one page */
    void *base;
    unsigned desc_size;     /* 16 or 32 bytes (IQA.DW) */
    unsigned ndesc;         /* slots in the queue */
    unsigned tail;          /* next free slot (software copy of IQT) */
    uint64_t status_pa;     /* the word invalidation-wait descriptors write */
    volatile uint32_t *status;
    uint32_t seq;           /* last status value asked for */
    unsigned pending;       /* descriptors queued since the last wait */
};

struct vtd_unit;
struct vtd_fault_record;
/* Told about every fault record drained from a unit (vtd_faults.c), after it was logged. */
typedef void (*vtd_fault_owner_fn)(void *ctx, struct vtd_unit *u, const struct vtd_fault_record *rec);

/*
 * A requester faulting more than this often within the window is storming
 * (vtd_faults.c): its reporting is turned off, or the unit's interrupt masked.
 */
typedef int (*vtd_fault_storm_fn)(void *ctx, struct vtd_unit *u, uint16_t sid, uint32_t faults);

/* Faults seen from one requester (per-device counters, vtd_faults.c). */
struct vtd_fault_counter {
    uint16_t sid;
    uint32_t count;
    uint64_t window_start_us;       /* storm detection: faults since then */
    uint32_t window_count;
    bool storm_reported;            /* storm line logged; cleared when the device is attached or detached */
};
#define VTD_FAULT_COUNTERS 32

struct vtd_unit {
    unsigned index;                 /* N in "vtdN" */
    char name[8];
    uint16_t segment;
    uint64_t base;                  /* register base (physical) */
    void *regs;                     /* mapped register base */
    const struct vtd_env *env;

    uint32_t ver;
    uint64_t cap, ecap;
    enum vtd_mode mode;
    enum vtd_stage stage;
    struct vtd_geometry geo;
    unsigned large_pages;           /* VTD_SLLPS_* usable for this unit's stage */
    uint32_t iotlb_off;             /* ECAP.IRO in bytes */
    uint32_t frcd_off;              /* CAP.FRO in bytes */
    unsigned nfr;
    bool coherent;                  /* ECAP.C: walks snoop, no flush needed */
    unsigned haw;                   /* host address width (DMAR); output addresses stay below it */

    uint64_t root_pa;
    void *root;
    bool qi;                        /* queued invalidation in use (else register-based) */
    bool enabled;                   /* TE set by us */
    struct vtd_inval_queue iq;

    /* Domain ids in use on this unit (bit set = taken). DID 0 is never handed out. */
    uint32_t *did_bitmap;
    uint32_t ndids;

    /* Fault reporting (vtd_faults.c). */
    vtd_fault_owner_fn fault_owner;
    void *fault_owner_ctx;
    struct vtd_fault_counter fault_counters[VTD_FAULT_COUNTERS];
    uint32_t faults_total, faults_other_devices, fault_overflows;
    struct log_ratelimit fault_rl;
    int fault_vector;               /* -1 until the fault event interrupt is set up */
    vtd_fault_storm_fn fault_storm; /* silences one device's entry (FPD); negative if it has none */
    void *fault_storm_ctx;
    bool fault_irq_storm_masked;    /* FECTL.IM set for a storm until fault_irq_unmask_at */
    uint64_t fault_irq_unmask_at;
    uint32_t fault_storm_masks;
};

static inline uint32_t vtd_read32(struct vtd_unit *u, uint32_t off) { return u->env->read32(u->regs, off); }
static inline uint64_t vtd_read64(struct vtd_unit *u, uint32_t off) { return u->env->read64(u->regs, off); }
static inline void vtd_write32(struct vtd_unit *u, uint32_t off, uint32_t v) { u->env->write32(u->regs, off, v); }
static inline void vtd_write64(struct vtd_unit *u, uint32_t off, uint64_t v) { u->env->write64(u->regs, off, v); }

/*
 * Reads VER/CAP/ECAP, chooses the mode (scalable when offered unless force_legacy)
 * and the geometry, and logs the three boot-summary lines. No state is changed on the
 * unit. 0, or -ENOTSUP/-ENODEV (logged) when the unit is unusable.
 */
int vtd_unit_probe(struct vtd_unit *u, unsigned index, uint16_t segment, uint64_t base, void *regs,
                   const struct vtd_env *env, bool force_legacy);

/*
 * Brings the unit up: translation off if firmware left it on, root table allocated and
 * set (SRTP), queued invalidation enabled (or register-based invalidation), caches
 * invalidated globally, translation enabled. With an empty root table every DMA faults:
 * the blocking default. 0 or a negative error (logged, unit left with TE clear).
 */
int vtd_unit_enable(struct vtd_unit *u);
/*
 * The two halves of vtd_unit_enable: everything up to translation (entries can be
 * written and invalidated, DMA is not yet translated), then TE. Between them the
 * caller sets up what must hold from the first translated request on (RMRR maps).
 */
int vtd_unit_prepare(struct vtd_unit *u);
int vtd_unit_translate(struct vtd_unit *u);

/* Turns translation and queued invalidation off (tests, shutdown). */
void vtd_unit_disable(struct vtd_unit *u);

/*
 * Issues one global command (one bit, set or cleared) following the GCMD rule and waits
 * for GSTS to reflect it, bounded by VTD_CMD_TIMEOUT_US. 0 or -ETIMEDOUT (logged with what).
 */
int vtd_unit_gcmd(struct vtd_unit *u, uint32_t cmd, bool on, const char *what);

/* Write-buffer flush, needed after table updates when CAP.RWBF (VT-d 6.8). */
int vtd_unit_flush_write_buffer(struct vtd_unit *u);

/* Makes table writes visible to the unit (cache flush when walks do not snoop). */
void vtd_unit_sync_table(struct vtd_unit *u, const void *p, size_t len);

/*
 * Allocates a zeroed table page, written back when walks do not snoop; returns its
 * physical address (0 on failure), *va its pointer.
 */
uint64_t vtd_unit_alloc_table(struct vtd_unit *u, void **va);

/* Bounded poll of a 64-bit register until (value & mask) == want. 0 or -ETIMEDOUT. */
int vtd_unit_poll64(struct vtd_unit *u, uint32_t off, uint64_t mask, uint64_t want, uint64_t timeout_us);

/* Domain ids (VT-d 9.3: DID width from CAP.ND). Lowest free id >= 1, or -ENOSPC. */
int vtd_unit_did_alloc(struct vtd_unit *u);
void vtd_unit_did_free(struct vtd_unit *u, uint16_t did);
bool vtd_unit_did_in_use(const struct vtd_unit *u, uint16_t did);

#endif
