// SPDX-License-Identifier: GPL-2.0-only
/* Emulated xAPIC: registers, priorities, EOI, self-IPI, the timer against a fake clock. */
#include "tests/unit/support.h"

#include <string.h>

#include "kernel/errno.h"
#include "vmm/vlapic.h"

static uint64_t clock_ns;
static int eoi_vector = -1;

static uint64_t fake_now(void *ctx) { return clock_ns; }
static void fake_eoi(void *ctx, uint8_t v) { eoi_vector = v; }

static struct iodev_bus bus;
static struct vlapic a;

static int setup(void **state)
{
    memset(&bus, 0, sizeof(bus));
    clock_ns = 1000;
    eoi_vector = -1;
    assert_int_equal(vlapic_init(&a, &bus, "vm0", 0, fake_now, NULL), 0);
    a.eoi_notify = fake_eoi;
    return 0;
}

static uint32_t rd(uint64_t reg)
{
    uint64_t v;

    assert_int_equal(iodev_read(&bus, IODEV_MMIO, VLAPIC_BASE + reg, 4, &v), 0);
    return (uint32_t)v;
}

static void wr(uint64_t reg, uint32_t v)
{
    assert_int_equal(iodev_write(&bus, IODEV_MMIO, VLAPIC_BASE + reg, 4, v), 0);
}

static void test_reset_and_registers(void **state)
{
    uint64_t v;

    assert_int_equal(rd(APIC_REG_VERSION), VLAPIC_VERSION);
    assert_int_equal(rd(APIC_REG_ID), 0);
    assert_int_equal(rd(APIC_REG_SVR), 0xFF);
    assert_int_equal(rd(APIC_REG_DFR), 0xFFFFFFFF);
    assert_int_equal(rd(APIC_REG_LVT_TIMER), APIC_LVT_MASKED);
    assert_int_equal(rd(APIC_REG_LVT_CMCI), APIC_LVT_MASKED);
    wr(APIC_REG_ID, 0x03000000);
    assert_int_equal(rd(APIC_REG_ID), 0x03000000);
    wr(APIC_REG_TPR, 0x1FF);
    assert_int_equal(rd(APIC_REG_TPR), 0xFF);
    wr(APIC_REG_LDR, 0x01ABCDEF);
    assert_int_equal(rd(APIC_REG_LDR), 0x01000000);
    wr(APIC_REG_DFR, 0x0);
    assert_int_equal(rd(APIC_REG_DFR), 0x0FFFFFFF);
    /* LVT writes while software-disabled stay masked */
    wr(APIC_REG_LVT_LINT0, 0x700);
    assert_int_equal(rd(APIC_REG_LVT_LINT0), 0x10700);
    wr(APIC_REG_SVR, 0x1FF);
    assert_int_equal(rd(APIC_REG_SVR), 0x1FF);
    wr(APIC_REG_LVT_LINT0, 0x700);
    assert_int_equal(rd(APIC_REG_LVT_LINT0), 0x700);
    wr(APIC_REG_SVR, 0xFF); /* disabling masks every LVT */
    assert_int_equal(rd(APIC_REG_LVT_LINT0), 0x10700);
    /* sub-dword and qword reads, ignored narrow writes, a reserved register */
    assert_int_equal(iodev_read(&bus, IODEV_MMIO, VLAPIC_BASE + APIC_REG_VERSION, 1, &v), 0);
    assert_int_equal(v, 0x14);
    assert_int_equal(iodev_read(&bus, IODEV_MMIO, VLAPIC_BASE + APIC_REG_VERSION + 2, 2, &v), 0);
    assert_int_equal(v, 0x5);
    assert_int_equal(iodev_read(&bus, IODEV_MMIO, VLAPIC_BASE + APIC_REG_VERSION, 8, &v), 0);
    assert_int_equal(v, VLAPIC_VERSION);
    assert_int_equal(iodev_read(&bus, IODEV_MMIO, VLAPIC_BASE + APIC_REG_VERSION + 12, 8, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(iodev_write(&bus, IODEV_MMIO, VLAPIC_BASE + APIC_REG_TPR, 1, 0x20), 0);
    assert_int_equal(rd(APIC_REG_TPR), 0xFF);
    assert_int_equal(iodev_write(&bus, IODEV_MMIO, VLAPIC_BASE + APIC_REG_TPR + 4, 4, 0x20), 0);
    assert_int_equal(rd(APIC_REG_TPR), 0xFF);
    assert_int_equal(iodev_write(&bus, IODEV_MMIO, VLAPIC_BASE + APIC_REG_TPR, 8, 0x20), 0);
    assert_int_equal(rd(APIC_REG_TPR), 0x20);
    assert_int_equal(rd(0x3F0), 0);
    assert_int_equal(rd(APIC_REG_APR), 0);
    wr(APIC_REG_VERSION, 0); /* read-only: illegal register address in ESR after the next write */
    wr(APIC_REG_ESR, 0);
    assert_int_equal(rd(APIC_REG_ESR), APIC_ESR_ILLEGAL_REG);
    wr(APIC_REG_ESR, 0);
    assert_int_equal(rd(APIC_REG_ESR), 0);
}

static void test_priorities_and_eoi(void **state)
{
    wr(APIC_REG_SVR, 0x1FF);
    assert_int_equal(vlapic_pending_vector(&a), -1);
    vlapic_accept(&a, 0x31, false);
    vlapic_accept(&a, 0x52, true);
    assert_int_equal(rd(APIC_REG_IRR0 + 0x10), 0x00020000); /* 0x31 */
    assert_int_equal(rd(APIC_REG_TMR0 + 0x20), 0x00040000); /* 0x52 level */
    assert_int_equal(vlapic_pending_vector(&a), 0x52);
    vlapic_ack(&a, 0x52);
    assert_int_equal(rd(APIC_REG_ISR0 + 0x20), 0x00040000);
    assert_int_equal(rd(APIC_REG_PPR), 0x50);
    assert_int_equal(vlapic_pending_vector(&a), -1); /* 0x31 is below the in-service class */
    vlapic_accept(&a, 0x55, false);
    assert_int_equal(vlapic_pending_vector(&a), -1); /* same class as in service */
    wr(APIC_REG_EOI, 0);
    assert_int_equal(eoi_vector, 0x52); /* level-triggered: the IOAPIC hears of it */
    assert_int_equal(vlapic_pending_vector(&a), 0x55);
    vlapic_ack(&a, 0x55);
    eoi_vector = -1;
    wr(APIC_REG_EOI, 0);
    assert_int_equal(eoi_vector, -1); /* edge: nothing to report */
    wr(APIC_REG_EOI, 0);              /* nothing in service: harmless */
    /* TPR blocks a class at or below it */
    wr(APIC_REG_TPR, 0x30);
    assert_int_equal(rd(APIC_REG_PPR), 0x30);
    assert_int_equal(vlapic_pending_vector(&a), -1);
    wr(APIC_REG_TPR, 0x20);
    assert_int_equal(vlapic_pending_vector(&a), 0x31);
    /* illegal vectors */
    vlapic_accept(&a, 5, false);
    vlapic_ack(&a, 3);
    vlapic_ack(&a, 300);
    wr(APIC_REG_ESR, 0);
    assert_int_equal(rd(APIC_REG_ESR), APIC_ESR_RECV_ILLEGAL);
}

static void test_ipis(void **state)
{
    wr(APIC_REG_SVR, 0x1FF);
    wr(APIC_REG_ICR_LO, 0x00040040);   /* self shorthand, vector 0x40 */
    assert_int_equal(vlapic_pending_vector(&a), 0x40);
    assert_int_equal(rd(APIC_REG_ICR_LO) & APIC_LVT_PENDING, 0);
    vlapic_ack(&a, 0x40);
    wr(APIC_REG_EOI, 0);
    wr(APIC_REG_ICR_HI, 0x00000000);   /* physical destination 0 = this APIC */
    wr(APIC_REG_ICR_LO, 0x00000041);
    assert_int_equal(vlapic_pending_vector(&a), 0x41);
    vlapic_ack(&a, 0x41);
    wr(APIC_REG_EOI, 0);
    wr(APIC_REG_ICR_HI, 0x05000000);   /* another APIC: not delivered here */
    wr(APIC_REG_ICR_LO, 0x00000042);
    assert_int_equal(vlapic_pending_vector(&a), -1);
    wr(APIC_REG_ICR_LO, 0x000C0043);   /* all but self */
    assert_int_equal(vlapic_pending_vector(&a), -1);
    wr(APIC_REG_ICR_LO, 0x00080044);   /* all including self */
    assert_int_equal(vlapic_pending_vector(&a), 0x44);
    vlapic_ack(&a, 0x44);
    wr(APIC_REG_EOI, 0);
    wr(APIC_REG_ICR_LO, 0x00040500);   /* INIT to self: not emulated */
    assert_int_equal(vlapic_pending_vector(&a), -1);
    wr(APIC_REG_ICR_LO, 0x00040002);   /* illegal vector */
    wr(APIC_REG_ESR, 0);
    assert_int_equal(rd(APIC_REG_ESR), APIC_ESR_SEND_ILLEGAL);
    /* logical destinations: flat and cluster */
    wr(APIC_REG_LDR, 0x02000000);
    assert_true(vlapic_matches_dest(&a, 0x02, true));
    assert_true(vlapic_matches_dest(&a, 0xFF, true));
    assert_false(vlapic_matches_dest(&a, 0x01, true));
    wr(APIC_REG_DFR, 0x0FFFFFFF);
    wr(APIC_REG_LDR, 0x12000000);
    assert_true(vlapic_matches_dest(&a, 0x13, true));
    assert_false(vlapic_matches_dest(&a, 0x22, true));
    assert_true(vlapic_matches_dest(&a, 0xFF, false));
    assert_false(vlapic_matches_dest(&a, 0x01, false));
}

static void test_timer_oneshot(void **state)
{
    wr(APIC_REG_SVR, 0x1FF);
    wr(APIC_REG_TIMER_DCR, 0x3);                /* divide by 16: 160 ns per tick */
    wr(APIC_REG_LVT_TIMER, 0x30);               /* one-shot, vector 0x30 */
    wr(APIC_REG_TIMER_ICR, 1000);
    assert_int_equal(rd(APIC_REG_TIMER_ICR), 1000);
    assert_int_equal(rd(APIC_REG_TIMER_DCR), 3);
    assert_int_equal(vlapic_timer_deadline_ns(&a), 1000 + 160000);
    clock_ns += 16000;
    assert_int_equal(rd(APIC_REG_TIMER_CCR), 900);
    assert_int_equal(vlapic_pending_vector(&a), -1);
    clock_ns += 144000;
    assert_int_equal(vlapic_pending_vector(&a), 0x30);
    assert_int_equal(rd(APIC_REG_TIMER_CCR), 0);
    assert_int_equal(a.timer_fired, 1);
    assert_int_equal(vlapic_timer_deadline_ns(&a), 0);
    clock_ns += 1000000;
    vlapic_timer_update(&a);
    assert_int_equal(a.timer_fired, 1);
    /* masked: counts down, no interrupt */
    vlapic_ack(&a, 0x30);
    wr(APIC_REG_EOI, 0);
    wr(APIC_REG_LVT_TIMER, 0x10030);
    wr(APIC_REG_TIMER_ICR, 10);
    clock_ns += 10000;
    assert_int_equal(vlapic_pending_vector(&a), -1);
    assert_int_equal(a.timer_fired, 2);
    /* a zero count stops it; divide by 1 */
    wr(APIC_REG_TIMER_DCR, 0xB);
    wr(APIC_REG_LVT_TIMER, 0x30);
    wr(APIC_REG_TIMER_ICR, 100);
    assert_int_equal(vlapic_timer_deadline_ns(&a), clock_ns + 1000);
    wr(APIC_REG_TIMER_ICR, 0);
    assert_int_equal(vlapic_timer_deadline_ns(&a), 0);
    /* TSC-deadline mode is not offered: the count does not arm */
    wr(APIC_REG_LVT_TIMER, 0x40030);
    wr(APIC_REG_TIMER_ICR, 100);
    assert_int_equal(vlapic_timer_deadline_ns(&a), 0);
}

static void test_timer_periodic(void **state)
{
    wr(APIC_REG_SVR, 0x1FF);
    wr(APIC_REG_TIMER_DCR, 0x0);                /* divide by 2: 20 ns per tick */
    wr(APIC_REG_LVT_TIMER, 0x20031);            /* periodic, vector 0x31 */
    wr(APIC_REG_TIMER_ICR, 5000);               /* 100 us period */
    clock_ns += 100000;
    assert_int_equal(vlapic_pending_vector(&a), 0x31);
    vlapic_ack(&a, 0x31);
    wr(APIC_REG_EOI, 0);
    clock_ns += 25000;
    assert_int_equal(rd(APIC_REG_TIMER_CCR), 5000 - 1250);
    clock_ns += 350000;                         /* several periods: one interrupt, phase kept */
    assert_int_equal(vlapic_pending_vector(&a), 0x31);
    assert_int_equal(a.timer_fired, 2);
    assert_int_equal(vlapic_timer_deadline_ns(&a), 1000 + 500000);
    assert_int_equal(rd(APIC_REG_IRR0 + 0x10), 1u << 0x11);
    /* changing the LVT and divider keeps it running */
    wr(APIC_REG_TIMER_DCR, 0x1);
    assert_int_equal(rd(APIC_REG_TIMER_DCR), 1);
}

/* Initial count 1, periodic: the interrupt rate is capped, the host sees a deadline it can wait for. */
static void test_timer_periodic_storm_capped(void **state)
{
    wr(APIC_REG_SVR, 0x1FF);
    wr(APIC_REG_TIMER_DCR, 0xB);                /* divide by 1: 10 ns per tick */
    wr(APIC_REG_LVT_TIMER, 0x20031);
    wr(APIC_REG_TIMER_ICR, 1);
    assert_int_equal(vlapic_timer_deadline_ns(&a), 1000 + VLAPIC_TIMER_MIN_PERIOD_NS);
    clock_ns += VLAPIC_TIMER_MIN_PERIOD_NS - 1;
    assert_int_equal(vlapic_pending_vector(&a), -1);
    assert_int_equal(a.timer_fired, 0);
    for (unsigned i = 1; i <= 10; i++) {
        clock_ns += VLAPIC_TIMER_MIN_PERIOD_NS;
        assert_int_equal(vlapic_pending_vector(&a), 0x31);
        vlapic_ack(&a, 0x31);
        wr(APIC_REG_EOI, 0);
        assert_int_equal(a.timer_fired, i);
        assert_true(vlapic_timer_deadline_ns(&a) > clock_ns);
    }
    /* one-shot keeps its exact count */
    wr(APIC_REG_LVT_TIMER, 0x00031);
    wr(APIC_REG_TIMER_ICR, 1);
    assert_int_equal(vlapic_timer_deadline_ns(&a), clock_ns + 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_reset_and_registers, setup),
        cmocka_unit_test_setup(test_priorities_and_eoi, setup),
        cmocka_unit_test_setup(test_ipis, setup),
        cmocka_unit_test_setup(test_timer_oneshot, setup),
        cmocka_unit_test_setup(test_timer_periodic, setup),
        cmocka_unit_test_setup(test_timer_periodic_storm_capped, setup),
    };

    return UNIT_RUN(tests);
}
