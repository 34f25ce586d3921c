/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest page-table walker: guest-linear to guest-physical in every paging mode a guest
 * may use (Intel SDM vol. 3 chapter 4; AMD APM vol. 2 5): none, 32-bit (4.3, 4 MiB pages
 * with CR4.PSE incl. PSE-36), PAE (4.4) and 4-level (4.5, 2 MiB and 1 GiB pages), with
 * the present, reserved-bit and access-rights checks of 4.6 (CR0.WP, U/S, R/W, XD with
 * EFER.NXE, SMEP, SMAP). The guest's tables are data: each entry is read through a
 * callback that may fail (a table outside guest RAM), and every problem is a status.
 *
 * The walk only reads: it does not set Accessed/Dirty bits (callers use it for accesses
 * the processor has already begun, where it set them). PAE PDPTEs are read at walk time
 * rather than cached at the CR3 load (4.4.1). 5-level paging is reported unsupported.
 * Pure: unit-tested on Linux.
 */
#ifndef NESTOR_VMM_GUEST_WALK_H
#define NESTOR_VMM_GUEST_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GUEST_CR0_PG    (1ULL << 31)
#define GUEST_CR0_WP    (1ULL << 16)
#define GUEST_CR4_PSE   (1ULL << 4)
#define GUEST_CR4_PAE   (1ULL << 5)
#define GUEST_CR4_LA57  (1ULL << 12)
#define GUEST_CR4_SMEP  (1ULL << 20)
#define GUEST_CR4_SMAP  (1ULL << 21)
#define GUEST_EFER_LMA  (1ULL << 10)
#define GUEST_EFER_NXE  (1ULL << 11)

enum guest_paging_mode {
    GUEST_PAGING_NONE,
    GUEST_PAGING_32BIT,
    GUEST_PAGING_PAE,
    GUEST_PAGING_4LEVEL,
    GUEST_PAGING_5LEVEL,   /* not walked: GUEST_WALK_UNSUPPORTED */
};

/* The guest state the walk depends on. */
struct guest_paging {
    uint64_t cr0, cr3, cr4, efer;
    bool rflags_ac;        /* EFLAGS.AC: lifts SMAP for explicit supervisor accesses */
    unsigned maxphyaddr;   /* physical-address width; 0 means 52 */
};

/* Guest-physical memory: 0, or negative when [gpa, gpa+len) cannot be read. */
struct guest_mem_reader {
    int (*read)(void *ctx, uint64_t gpa, void *buf, size_t len);
    void *ctx;
};

/* The kind of access (a combination). */
#define GUEST_ACCESS_WRITE (1u << 0)
#define GUEST_ACCESS_USER  (1u << 1)   /* CPL 3 */
#define GUEST_ACCESS_FETCH (1u << 2)

enum guest_walk_status {
    GUEST_WALK_OK = 0,
    GUEST_WALK_NOT_PRESENT,   /* #PF, P=0 */
    GUEST_WALK_PROTECTION,    /* #PF, P=1: access rights */
    GUEST_WALK_RESERVED,      /* #PF, RSVD=1 */
    GUEST_WALK_NONCANONICAL,  /* #GP, not #PF */
    GUEST_WALK_READ_FAILED,   /* a paging-structure entry could not be read */
    GUEST_WALK_UNSUPPORTED,   /* 5-level paging */
};

const char *guest_walk_status_str(enum guest_walk_status st);

/* #PF error code bits (SDM vol. 3 4.7). */
#define GUEST_PF_P    (1u << 0)
#define GUEST_PF_W    (1u << 1)
#define GUEST_PF_U    (1u << 2)
#define GUEST_PF_RSVD (1u << 3)
#define GUEST_PF_ID   (1u << 4)

struct guest_walk_result {
    uint64_t gpa;          /* OK: the translation */
    uint64_t page_bytes;   /* OK: 4 KiB, 2 MiB, 4 MiB or 1 GiB */
    unsigned level;        /* the level that ended the walk (1 = PTE, 4 = PML4E; 3 = PAE PDPTE) */
    uint64_t entry_gpa;    /* where that entry is (READ_FAILED: the one that could not be read) */
    uint32_t pf_error;     /* #PF error code for NOT_PRESENT, PROTECTION, RESERVED */
};

enum guest_paging_mode guest_paging_mode(const struct guest_paging *pg);

enum guest_walk_status guest_walk(const struct guest_paging *pg, const struct guest_mem_reader *mem,
                                  uint64_t linear, unsigned access, struct guest_walk_result *out);

/*
 * Reads want bytes of guest-linear memory (page by page, each translated with access),
 * e.g. the instruction bytes at CS.base + RIP with GUEST_ACCESS_FETCH. *got is how many
 * bytes were read before the first failure; the status is that failure (or OK), and *res
 * (if not NULL) describes it.
 */
enum guest_walk_status guest_read_linear(const struct guest_paging *pg, const struct guest_mem_reader *mem,
                                         uint64_t linear, void *buf, unsigned want, unsigned access,
                                         unsigned *got, struct guest_walk_result *res);

#endif
