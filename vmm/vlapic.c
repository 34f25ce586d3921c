// SPDX-License-Identifier: GPL-2.0-only
/* Emulated xAPIC (see vlapic.h). */
#include "vmm/vlapic.h"

#include "kernel/log.h"
#include "lib/kstring.h"

#define NS_PER_BUS_TICK (1000000000ULL / VLAPIC_BUS_HZ)
_Static_assert(1000000000ULL % VLAPIC_BUS_HZ == 0, "the bus clock divides 1 GHz");

/* LVT slots in lvt[] and the bits software may write in each (SDM vol. 3 figure 10-8). */
enum { LVT_CMCI, LVT_TIMER, LVT_THERM, LVT_PERF, LVT_LINT0, LVT_LINT1, LVT_ERROR };
static const uint32_t lvt_writable[VLAPIC_NR_LVT] = {
    [LVT_CMCI] = 0x107FF, [LVT_TIMER] = 0x700FF, [LVT_THERM] = 0x107FF, [LVT_PERF] = 0x107FF,
    [LVT_LINT0] = 0x1A7FF, [LVT_LINT1] = 0x1A7FF, [LVT_ERROR] = 0x100FF,
};

static int lvt_slot(uint64_t reg)
{
    if (reg == APIC_REG_LVT_CMCI)
        return LVT_CMCI;
    if (reg >= APIC_REG_LVT_TIMER && reg <= APIC_REG_LVT_ERROR)
        return (int)((reg - APIC_REG_LVT_TIMER) >> 4) + LVT_TIMER;
    return -1;
}

/* Atomic: an MSI may be accepted from a host interrupt handler while the vCPU loop acks. */
static bool vec_test(const uint32_t *bits, unsigned v) { return bits[v >> 5] & (1u << (v & 31)); }
static void vec_set(uint32_t *bits, unsigned v) { __atomic_fetch_or(&bits[v >> 5], 1u << (v & 31), __ATOMIC_SEQ_CST); }
static void vec_clear(uint32_t *bits, unsigned v) { __atomic_fetch_and(&bits[v >> 5], ~(1u << (v & 31)), __ATOMIC_SEQ_CST); }

/* The highest set vector of a 256-bit register, or -1. */
static int vec_highest(const uint32_t *bits)
{
    for (int w = 7; w >= 0; w--)
        if (bits[w])
            return w * 32 + 31 - __builtin_clz(bits[w]);
    return -1;
}

void vlapic_reset(struct vlapic *a, uint32_t apic_id)
{
    a->id = apic_id;
    a->tpr = a->ldr = a->esr = a->esr_pending = 0;
    a->dfr = 0xFFFFFFFFu;
    a->svr = 0xFF;
    a->icr_lo = a->icr_hi = 0;
    for (unsigned i = 0; i < VLAPIC_NR_LVT; i++)
        a->lvt[i] = APIC_LVT_MASKED;
    memset(a->irr, 0, sizeof(a->irr));
    memset(a->isr, 0, sizeof(a->isr));
    memset(a->tmr, 0, sizeof(a->tmr));
    a->timer_icr = a->timer_dcr = 0;
    a->timer_armed = false;
    a->timer_start_ns = 0;
}

static int vlapic_iodev_read(struct iodev *dev, uint64_t offset, unsigned size, uint64_t *value)
{
    return vlapic_mmio_read(dev->ctx, offset, size, value);
}

static int vlapic_iodev_write(struct iodev *dev, uint64_t offset, unsigned size, uint64_t value)
{
    return vlapic_mmio_write(dev->ctx, offset, size, value);
}

static const struct iodev_ops vlapic_iodev_ops = { vlapic_iodev_read, vlapic_iodev_write };

int vlapic_init(struct vlapic *a, struct iodev_bus *bus, const char *name, uint32_t apic_id,
                uint64_t (*now_ns)(void *ctx), void *ctx)
{
    memset(a, 0, sizeof(*a));
    a->name = name;
    a->now_ns = now_ns;
    a->ctx = ctx;
    vlapic_reset(a, apic_id);
    a->mmio = (struct iodev){ "lapic", IODEV_MMIO, VLAPIC_BASE, VLAPIC_PAGE_BYTES, &vlapic_iodev_ops, a, NULL };
    return iodev_register(bus, &a->mmio);
}

uint32_t vlapic_ppr(const struct vlapic *a)
{
    int isrv = vec_highest(a->isr);
    uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv & 0xF0;

    return (a->tpr & 0xF0) >= isr_class ? a->tpr & 0xFF : isr_class;
}

void vlapic_accept(struct vlapic *a, uint8_t vector, bool level)
{
    if (vector < 16) { /* 10.5.3: vectors 0-15 are illegal for fixed delivery */
        a->esr_pending |= APIC_ESR_RECV_ILLEGAL;
        return;
    }
    vec_set(a->irr, vector);
    if (level)
        vec_set(a->tmr, vector);
    else
        vec_clear(a->tmr, vector);
}

bool vlapic_matches_dest(const struct vlapic *a, uint8_t dest, bool logical)
{
    uint8_t ldr = (uint8_t)(a->ldr >> 24);

    if (!logical)
        return dest == 0xFF || dest == (uint8_t)(a->id >> 24);
    if (dest == 0xFF)
        return true;
    if ((a->dfr >> 28) == 0xF) /* flat model (10.6.2.2) */
        return (dest & ldr) != 0;
    /* cluster model: cluster in bits 7:4, members in 3:0 */
    return (dest >> 4) == (ldr >> 4) && (dest & ldr & 0x0F);
}

/* ---- timer (10.5.4) ---- */

static unsigned timer_divisor(const struct vlapic *a)
{
    unsigned v = ((a->timer_dcr >> 1) & 4) | (a->timer_dcr & 3);

    return 1u << ((v + 1) & 7);
}

static unsigned timer_mode(const struct vlapic *a)
{
    return (a->lvt[LVT_TIMER] >> APIC_LVT_TIMER_MODE_SHIFT) & 3;
}

static uint64_t timer_tick_ns(const struct vlapic *a)
{
    return NS_PER_BUS_TICK * timer_divisor(a);
}

static uint64_t now(const struct vlapic *a)
{
    return a->now_ns ? a->now_ns(a->ctx) : 0;
}

/* Lines a guest can cause: at most 10 a second over all vLAPICs; the rest are counted. */
static struct log_ratelimit guest_log_rl = { .interval = 1000000000ULL, .burst = 10 };

/* Time from the start of a count to its expiry; periodic counts no shorter than the minimum. */
static uint64_t timer_period_ns(const struct vlapic *a)
{
    uint64_t period = (uint64_t)a->timer_icr * timer_tick_ns(a);

    if (timer_mode(a) == APIC_LVT_TIMER_PERIODIC && period < VLAPIC_TIMER_MIN_PERIOD_NS)
        return VLAPIC_TIMER_MIN_PERIOD_NS;
    return period;
}

uint64_t vlapic_timer_deadline_ns(const struct vlapic *a)
{
    if (!a->timer_armed)
        return 0;
    return a->timer_start_ns + timer_period_ns(a);
}

void vlapic_timer_update(struct vlapic *a)
{
    uint64_t t, period;

    if (!a->timer_armed)
        return;
    t = now(a);
    period = timer_period_ns(a);
    if (t < a->timer_start_ns + period)
        return;
    a->timer_fired++;
    if (!(a->lvt[LVT_TIMER] & APIC_LVT_MASKED))
        vlapic_accept(a, (uint8_t)(a->lvt[LVT_TIMER] & APIC_LVT_VECTOR_MASK), false);
    if (timer_mode(a) == APIC_LVT_TIMER_PERIODIC) /* missed periods coalesce into one interrupt */
        a->timer_start_ns += (t - a->timer_start_ns) / period * period;
    else
        a->timer_armed = false;
}

static uint32_t timer_current_count(struct vlapic *a)
{
    uint64_t ticks;

    vlapic_timer_update(a);
    if (!a->timer_armed)
        return 0;
    ticks = (now(a) - a->timer_start_ns) / timer_tick_ns(a);
    if (timer_mode(a) == APIC_LVT_TIMER_PERIODIC)
        ticks %= a->timer_icr;
    return ticks >= a->timer_icr ? 0 : (uint32_t)(a->timer_icr - ticks);
}

static void timer_set_initial(struct vlapic *a, uint32_t count)
{
    a->timer_icr = count;
    a->timer_armed = count && timer_mode(a) != APIC_LVT_TIMER_TSC_DEADLINE;
    a->timer_start_ns = now(a);
}

/* ---- interrupt acceptance by the vCPU (10.8) ---- */

int vlapic_pending_vector(struct vlapic *a)
{
    int v;

    vlapic_timer_update(a);
    v = vec_highest(a->irr);
    if (v < 0 || ((uint32_t)v & 0xF0) <= (vlapic_ppr(a) & 0xF0))
        return -1;
    return v;
}

void vlapic_ack(struct vlapic *a, int vector)
{
    if (vector < 16 || vector > 255)
        return;
    vec_clear(a->irr, (unsigned)vector);
    vec_set(a->isr, (unsigned)vector);
}

static void vlapic_eoi(struct vlapic *a)
{
    int v = vec_highest(a->isr);

    if (v < 0)
        return;
    vec_clear(a->isr, (unsigned)v);
    if (vec_test(a->tmr, (unsigned)v) && a->eoi_notify)
        a->eoi_notify(a->ctx, (uint8_t)v);
}

/* ---- IPIs (10.6) ---- */

static void send_ipi(struct vlapic *a)
{
    uint32_t lo = a->icr_lo;
    uint8_t vector = lo & APIC_ICR_VECTOR_MASK;
    unsigned mode = (lo >> APIC_ICR_DELIVERY_SHIFT) & 7;
    unsigned shorthand = (lo >> APIC_ICR_SHORTHAND_SHIFT) & 3;
    uint8_t dest = (uint8_t)(a->icr_hi >> APIC_ICR_DEST_SHIFT);
    uint32_t suppressed;
    bool to_self;

    switch (shorthand) {
    case APIC_SHORTHAND_SELF:
    case APIC_SHORTHAND_ALL:
        to_self = true;
        break;
    case APIC_SHORTHAND_OTHERS:
        to_self = false;
        break;
    default:
        to_self = vlapic_matches_dest(a, dest, lo & APIC_ICR_DEST_LOGICAL);
        break;
    }
    if (mode != APIC_ICR_DELIVERY_FIXED) {
        if (log_ratelimit_allow(&guest_log_rl, now(a), &suppressed))
            pr_debug("%s: lapic: IPI delivery mode %u (ICR 0x%x:%08x) not emulated (%u similar lines suppressed)\n",
                     a->name, mode, a->icr_hi, lo, suppressed);
        return;
    }
    if (vector < 16) {
        a->esr_pending |= APIC_ESR_SEND_ILLEGAL;
        return;
    }
    if (to_self)
        vlapic_accept(a, vector, false);
    else if (log_ratelimit_allow(&guest_log_rl, now(a), &suppressed))
        pr_debug("%s: lapic: IPI vector 0x%x to APIC 0x%x: no such vCPU (%u similar lines suppressed)\n", a->name,
                 vector, dest, suppressed);
}

/* ---- registers ---- */

static uint32_t reg_read(struct vlapic *a, uint64_t reg)
{
    int lvt = lvt_slot(reg);

    if (lvt >= 0)
        return a->lvt[lvt];
    if (reg >= APIC_REG_ISR0 && reg < APIC_REG_ISR0 + 0x80)
        return a->isr[(reg - APIC_REG_ISR0) >> 4];
    if (reg >= APIC_REG_TMR0 && reg < APIC_REG_TMR0 + 0x80)
        return a->tmr[(reg - APIC_REG_TMR0) >> 4];
    if (reg >= APIC_REG_IRR0 && reg < APIC_REG_IRR0 + 0x80) {
        vlapic_timer_update(a);
        return a->irr[(reg - APIC_REG_IRR0) >> 4];
    }
    switch (reg) {
    case APIC_REG_ID: return a->id;
    case APIC_REG_VERSION: return VLAPIC_VERSION;
    case APIC_REG_TPR: return a->tpr;
    case APIC_REG_PPR: return vlapic_ppr(a);
    case APIC_REG_LDR: return a->ldr;
    case APIC_REG_DFR: return a->dfr;
    case APIC_REG_SVR: return a->svr;
    case APIC_REG_ESR: return a->esr;
    case APIC_REG_ICR_LO: return a->icr_lo & ~APIC_LVT_PENDING; /* delivery is instant: idle */
    case APIC_REG_ICR_HI: return a->icr_hi;
    case APIC_REG_TIMER_ICR: return a->timer_icr;
    case APIC_REG_TIMER_CCR: return timer_current_count(a);
    case APIC_REG_TIMER_DCR: return a->timer_dcr;
    }
    return 0; /* APR, RRD (unsupported since P4) and reserved offsets */
}

static void reg_write(struct vlapic *a, uint64_t reg, uint32_t v)
{
    int lvt = lvt_slot(reg);

    if (lvt >= 0) {
        if (lvt == LVT_TIMER)
            vlapic_timer_update(a);
        a->lvt[lvt] = (v & lvt_writable[lvt]) | (a->lvt[lvt] & APIC_LVT_PENDING);
        if (!(a->svr & APIC_SVR_ENABLE)) /* 10.4.7.2: LVTs stay masked while disabled */
            a->lvt[lvt] |= APIC_LVT_MASKED;
        return;
    }
    switch (reg) {
    case APIC_REG_ID: a->id = v & 0xFF000000u; return;
    case APIC_REG_TPR: a->tpr = v & 0xFF; return;
    case APIC_REG_EOI: vlapic_eoi(a); return;
    case APIC_REG_LDR: a->ldr = v & 0xFF000000u; return;
    case APIC_REG_DFR: a->dfr = v | 0x0FFFFFFFu; return;
    case APIC_REG_SVR:
        a->svr = v & 0x3FF;
        if (!(a->svr & APIC_SVR_ENABLE))
            for (unsigned i = 0; i < VLAPIC_NR_LVT; i++)
                a->lvt[i] |= APIC_LVT_MASKED;
        return;
    case APIC_REG_ESR: /* 10.5.3: a write latches the errors seen since the last one */
        a->esr = a->esr_pending;
        a->esr_pending = 0;
        return;
    case APIC_REG_ICR_HI: a->icr_hi = v & 0xFF000000u; return;
    case APIC_REG_ICR_LO:
        a->icr_lo = v & 0x000CCFFFu;
        send_ipi(a);
        return;
    case APIC_REG_TIMER_ICR: timer_set_initial(a, v); return;
    case APIC_REG_TIMER_DCR:
        vlapic_timer_update(a);
        a->timer_dcr = v & 0xB;
        return;
    }
    a->esr_pending |= APIC_ESR_ILLEGAL_REG; /* read-only or reserved */
}

int vlapic_mmio_read(struct vlapic *a, uint64_t offset, unsigned size, uint64_t *value)
{
    uint64_t reg = offset & ~0xFULL, sub = offset & 0xF;
    uint64_t slot[2] = { reg_read(a, reg), 0 }; /* bytes 4-15 of each 16-byte slot read 0 */
    uint8_t bytes[16];

    memcpy(bytes, slot, sizeof(bytes));
    *value = 0;
    if (sub + size > 16)
        return 0;
    for (unsigned i = 0; i < size; i++)
        *value |= (uint64_t)bytes[sub + i] << (8 * i);
    return 0;
}

int vlapic_mmio_write(struct vlapic *a, uint64_t offset, unsigned size, uint64_t value)
{
    uint32_t suppressed;

    if ((offset & 0xF) || size < 4) {
        if (log_ratelimit_allow(&guest_log_rl, now(a), &suppressed))
            pr_debug("%s: lapic: %u-byte write at offset 0x%llx ignored (registers take aligned 32-bit writes; "
                     "%u similar lines suppressed)\n", a->name, size, (unsigned long long)offset, suppressed);
        return 0;
    }
    reg_write(a, offset, (uint32_t)value);
    return 0;
}
