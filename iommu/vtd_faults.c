// SPDX-License-Identifier: GPL-2.0-only
/* Primary fault logging (VT-d 7.3.1) and the fault event interrupt (11.4.9.2). */
#include "iommu/vtd_faults.h"

#include "iommu/vtd_fault.h"
#include "iommu/vtd_regs.h"
#include "kernel/log.h"
#include "lib/kstring.h"

void vtd_faults_init(struct vtd_unit *u)
{
    memset(u->fault_counters, 0, sizeof(u->fault_counters));
    u->faults_total = u->faults_other_devices = u->fault_overflows = 0;
    memset(&u->fault_rl, 0, sizeof(u->fault_rl));
    u->fault_rl.interval = VTD_FAULT_LOG_INTERVAL_US;
    u->fault_rl.burst = VTD_FAULT_LOG_BURST;
    u->fault_rl.window_start = u->env->now_us();
    u->fault_vector = -1;
    u->fault_irq_storm_masked = false;
    u->fault_storm_masks = 0;
}

void vtd_faults_enable_irq(struct vtd_unit *u, int vector, uint32_t msi_addr, uint32_t msi_data)
{
    vtd_write32(u, VTD_REG_FEDATA, msi_data);
    vtd_write32(u, VTD_REG_FEADDR, msi_addr);
    vtd_write32(u, VTD_REG_FEUADDR, 0);
    vtd_write32(u, VTD_REG_FECTL, 0);
    u->fault_vector = vector;
    pr_info("%s: fault events on vector %#x\n", u->name, vector);
}

void vtd_faults_mask_irq(struct vtd_unit *u)
{
    vtd_write32(u, VTD_REG_FECTL, VTD_FECTL_IM);
}

void vtd_faults_set_owner(struct vtd_unit *u, vtd_fault_owner_fn fn, void *ctx)
{
    u->fault_owner = fn;
    u->fault_owner_ctx = ctx;
}

void vtd_faults_set_storm_handler(struct vtd_unit *u, vtd_fault_storm_fn fn, void *ctx)
{
    u->fault_storm = fn;
    u->fault_storm_ctx = ctx;
}

/* The requester's counter (created on its first fault), or NULL when all are taken. */
static struct vtd_fault_counter *count_device(struct vtd_unit *u, uint16_t sid)
{
    struct vtd_fault_counter *free_slot = NULL;

    for (unsigned i = 0; i < VTD_FAULT_COUNTERS; i++) {
        struct vtd_fault_counter *c = &u->fault_counters[i];
        if (c->count && c->sid == sid) {
            c->count++;
            return c;
        }
        if (!c->count && !free_slot)
            free_slot = c;
    }
    if (!free_slot) {
        u->faults_other_devices++;
        return NULL;
    }
    memset(free_slot, 0, sizeof(*free_slot));
    free_slot->sid = sid;
    free_slot->count = 1;
    return free_slot;
}

void vtd_faults_storm_reset(struct vtd_unit *u, uint16_t sid)
{
    for (unsigned i = 0; i < VTD_FAULT_COUNTERS; i++)
        if (u->fault_counters[i].count && u->fault_counters[i].sid == sid) {
            u->fault_counters[i].window_count = 0;
            u->fault_counters[i].storm_reported = false;
        }
}

/*
 * Storm rule. A device with a present entry gets FPD there (the storm handler, which
 * also invalidates and tells the owner): it costs nothing more. A device without an
 * entry (blocked by absence) cannot be silenced alone, so the unit's fault interrupt is
 * masked (FECTL.IM) for one window: faults then only fill the recording registers
 * (overflow drops the rest) and cost no CPU. The interrupt is unmasked by the first
 * drain after the window - any unit's interrupt or iommu_poll_faults() - and a fault
 * pending meanwhile (FECTL.IP) is delivered on unmask (VT-d 7.3.2), so the records are
 * drained then. A device that keeps storming thus gets at most VTD_FAULT_STORM_MAX
 * interrupts per window; the unit's other devices see their faults late, never lost
 * beyond what overflow drops.
 */
static void storm_check(struct vtd_unit *u, struct vtd_fault_counter *c, uint64_t now)
{
    unsigned seg = u->segment, bus = c->sid >> 8, dev = (c->sid >> 3) & 0x1F, fn = c->sid & 7;
    unsigned ms = (unsigned)(VTD_FAULT_STORM_WINDOW_US / 1000);
    uint32_t n;

    if (now - c->window_start_us >= VTD_FAULT_STORM_WINDOW_US) {
        c->window_start_us = now;
        c->window_count = 0;
    }
    if (++c->window_count <= VTD_FAULT_STORM_MAX)
        return;
    n = c->window_count;
    c->window_start_us = now;
    c->window_count = 0;
    if (u->fault_storm && u->fault_storm(u->fault_storm_ctx, u, c->sid, n) == 0) {
        if (!c->storm_reported)
            pr_warn("%s: fault storm from %04x:%02x:%02x.%x (%u faults in %u ms): fault reporting disabled for it; "
                    "its DMA stays blocked\n", u->name, seg, bus, dev, fn, n, ms);
        c->storm_reported = true;
        return;
    }
    vtd_write32(u, VTD_REG_FECTL, VTD_FECTL_IM);
    u->fault_irq_storm_masked = true;
    u->fault_irq_unmask_at = now + VTD_FAULT_STORM_WINDOW_US;
    u->fault_storm_masks++;
    if (!c->storm_reported)
        pr_warn("%s: fault storm from %04x:%02x:%02x.%x (%u faults in %u ms): no entry to silence it; "
                "fault interrupt masked for %u ms, records polled\n", u->name, seg, bus, dev, fn, n, ms, ms);
    c->storm_reported = true;
}

static void storm_unmask_due(struct vtd_unit *u, uint64_t now)
{
    if (!u->fault_irq_storm_masked || (int64_t)(now - u->fault_irq_unmask_at) < 0)
        return;
    u->fault_irq_storm_masked = false;
    if (u->fault_vector >= 0)
        vtd_write32(u, VTD_REG_FECTL, 0);
}

uint32_t vtd_faults_count(const struct vtd_unit *u, uint16_t sid)
{
    for (unsigned i = 0; i < VTD_FAULT_COUNTERS; i++)
        if (u->fault_counters[i].count && u->fault_counters[i].sid == sid)
            return u->fault_counters[i].count;
    return 0;
}

static void report(struct vtd_unit *u, const struct vtd_fault_record *rec, uint32_t nth)
{
    char line[200];
    uint32_t suppressed = 0;

    if (!log_ratelimit_allow(&u->fault_rl, u->env->now_us(), &suppressed))
        return;
    vtd_fault_format(line, sizeof(line), u->name, u->segment, rec);
    if (suppressed)
        pr_warn("%s (%u earlier fault lines suppressed)\n", line, suppressed);
    else if (nth > 1)
        pr_warn("%s (fault %u from this device)\n", line, nth);
    else
        pr_warn("%s\n", line);
}

unsigned vtd_faults_drain(struct vtd_unit *u)
{
    uint32_t fsts = vtd_read32(u, VTD_REG_FSTS);
    uint64_t now = u->env->now_us();
    unsigned handled = 0;

    storm_unmask_due(u, now);

    if (fsts & VTD_FSTS_PPF) {
        unsigned idx = vtd_fsts_fri(fsts) % u->nfr;
        /* Records are filled round-robin from FRI; the first one with F clear ends the run (7.3.1). */
        for (unsigned n = 0; n < u->nfr; n++, idx = (idx + 1) % u->nfr) {
            uint32_t off = u->frcd_off + idx * VTD_FRCD_SIZE;
            uint64_t hi = vtd_read64(u, off + 8);
            struct vtd_fault_record rec;
            if (!(hi & VTD_FRCD_HI_F))
                break;
            vtd_fault_record_decode(vtd_read64(u, off), hi, &rec);
            vtd_write32(u, off + 12, (uint32_t)(VTD_FRCD_HI_F >> 32));
            u->faults_total++;
            handled++;
            struct vtd_fault_counter *c = count_device(u, rec.sid);
            report(u, &rec, c ? c->count : 0);
            if (u->fault_owner)
                u->fault_owner(u->fault_owner_ctx, u, &rec);
            if (c)
                storm_check(u, c, now);
        }
    }
    if (fsts & VTD_FSTS_PFO) {
        vtd_write32(u, VTD_REG_FSTS, VTD_FSTS_PFO);
        u->fault_overflows++;
        pr_warn("%s: fault recording overflowed: later faults were lost (%u overflows)\n", u->name,
                u->fault_overflows);
    }
    return handled;
}
