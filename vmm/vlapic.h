/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Emulated local APIC in xAPIC mode (Intel SDM vol. 3 chapter 10 [11 in newer editions]):
 * the register page at 0xFEE00000 (table 10-1) with ID, version, TPR/APR/PPR, EOI,
 * LDR/DFR, SVR, ISR/TMR/IRR, ESR, ICR (fixed IPIs to self; others are not delivered while
 * a VM has one vCPU), the LVT and the timer (one-shot and periodic, divide configuration,
 * initial and current count on a virtual bus clock of VLAPIC_BUS_HZ driven by host time).
 *
 * The state machine is pure: time comes from a callback and interrupts leave through
 * vlapic_pending_vector()/vlapic_ack(), which the vCPU's irq source calls before each entry
 * (vcpu.h struct vcpu_irq_source); a level-triggered EOI is reported to the I/O APIC
 * through eoi_notify. Unit-tested on Linux.
 */
#ifndef NESTOR_VMM_VLAPIC_H
#define NESTOR_VMM_VLAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/iodev.h"

#define VLAPIC_BASE        0xFEE00000ULL
#define VLAPIC_PAGE_BYTES  0x1000
#define VLAPIC_BUS_HZ      100000000ULL  /* the timer's input clock before the divider */
#define VLAPIC_VERSION     0x00050014u   /* version 0x14 (integrated), 6 LVT entries */
/*
 * Shortest period of the periodic timer: a guest programming an initial count of 1 gets
 * an interrupt every 100 us, not every 20 ns, so the host and the guest keep running
 * between expiries (the current-count register still counts the guest's own period).
 */
#define VLAPIC_TIMER_MIN_PERIOD_NS 100000ULL

/* Register offsets (SDM vol. 3 table 10-1). */
#define APIC_REG_ID        0x020
#define APIC_REG_VERSION   0x030
#define APIC_REG_TPR       0x080
#define APIC_REG_APR       0x090
#define APIC_REG_PPR       0x0A0
#define APIC_REG_EOI       0x0B0
#define APIC_REG_RRD       0x0C0
#define APIC_REG_LDR       0x0D0
#define APIC_REG_DFR       0x0E0
#define APIC_REG_SVR       0x0F0
#define APIC_REG_ISR0      0x100
#define APIC_REG_TMR0      0x180
#define APIC_REG_IRR0      0x200
#define APIC_REG_ESR       0x280
#define APIC_REG_LVT_CMCI  0x2F0
#define APIC_REG_ICR_LO    0x300
#define APIC_REG_ICR_HI    0x310
#define APIC_REG_LVT_TIMER 0x320
#define APIC_REG_LVT_THERM 0x330
#define APIC_REG_LVT_PERF  0x340
#define APIC_REG_LVT_LINT0 0x350
#define APIC_REG_LVT_LINT1 0x360
#define APIC_REG_LVT_ERROR 0x370
#define APIC_REG_TIMER_ICR 0x380
#define APIC_REG_TIMER_CCR 0x390
#define APIC_REG_TIMER_DCR 0x3E0

#define APIC_SVR_ENABLE        (1u << 8)
#define APIC_LVT_VECTOR_MASK   0xFFu
#define APIC_LVT_PENDING       (1u << 12)
#define APIC_LVT_MASKED        (1u << 16)
#define APIC_LVT_TIMER_MODE_SHIFT 17
#define APIC_LVT_TIMER_ONESHOT  0u
#define APIC_LVT_TIMER_PERIODIC 1u
#define APIC_LVT_TIMER_TSC_DEADLINE 2u
#define APIC_ICR_VECTOR_MASK   0xFFu
#define APIC_ICR_DELIVERY_SHIFT 8
#define APIC_ICR_DELIVERY_FIXED 0u
#define APIC_ICR_DEST_LOGICAL  (1u << 11)
#define APIC_ICR_LEVEL_TRIG    (1u << 15)
#define APIC_ICR_SHORTHAND_SHIFT 18
#define APIC_ICR_DEST_SHIFT    24        /* in ICR high */
#define APIC_SHORTHAND_NONE    0u
#define APIC_SHORTHAND_SELF    1u
#define APIC_SHORTHAND_ALL     2u
#define APIC_SHORTHAND_OTHERS  3u
#define APIC_ESR_SEND_ILLEGAL  (1u << 5)
#define APIC_ESR_RECV_ILLEGAL  (1u << 6)
#define APIC_ESR_ILLEGAL_REG   (1u << 7)

#define VLAPIC_NR_LVT 7 /* CMCI, timer, thermal, perf, LINT0, LINT1, error */

struct vlapic {
    const char *name;                   /* "vm0" */
    uint32_t id;                        /* APIC ID (bits 31:24 of the register) */
    uint32_t tpr, ldr, dfr, svr, esr, esr_pending;
    uint32_t icr_lo, icr_hi;
    uint32_t lvt[VLAPIC_NR_LVT];
    uint32_t irr[8], isr[8], tmr[8];

    /* Timer: counting from timer_icr since timer_start_ns; 0 = stopped. */
    uint32_t timer_icr, timer_dcr;
    uint64_t timer_start_ns;
    bool timer_armed;
    uint64_t timer_fired;               /* expirations delivered (for tests and logs) */

    uint64_t (*now_ns)(void *ctx);
    void (*eoi_notify)(void *ctx, uint8_t vector); /* a level-triggered vector was EOIed */
    void *ctx;

    struct iodev mmio;
};

/* Reset state (SDM vol. 3 10.4.7.1) with APIC ID apic_id; registers the MMIO page on bus. */
int vlapic_init(struct vlapic *a, struct iodev_bus *bus, const char *name, uint32_t apic_id,
                uint64_t (*now_ns)(void *ctx), void *ctx);
void vlapic_reset(struct vlapic *a, uint32_t apic_id);

/* Register access at offset (size 1, 2, 4 or 8, within the page). */
int vlapic_mmio_read(struct vlapic *a, uint64_t offset, unsigned size, uint64_t *value);
int vlapic_mmio_write(struct vlapic *a, uint64_t offset, unsigned size, uint64_t value);

/* A fixed interrupt arrives (from the IOAPIC, an MSI or an IPI). */
void vlapic_accept(struct vlapic *a, uint8_t vector, bool level);
/* Whether a message to dest in logical or physical mode reaches this APIC (10.6.2). */
bool vlapic_matches_dest(const struct vlapic *a, uint8_t dest, bool logical);

/* Brings the timer up to now: an expiry sets the timer vector in IRR. */
void vlapic_timer_update(struct vlapic *a);
/* When the timer next expires (ns on the now_ns clock), or 0 when it is not running. */
uint64_t vlapic_timer_deadline_ns(const struct vlapic *a);

/* The vector to inject now (IRR above PPR), or -1. Updates the timer first. */
int vlapic_pending_vector(struct vlapic *a);
/* The vector was injected: it moves from IRR to ISR. */
void vlapic_ack(struct vlapic *a, int vector);

uint32_t vlapic_ppr(const struct vlapic *a);

#endif
