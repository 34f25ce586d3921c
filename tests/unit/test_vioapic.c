// SPDX-License-Identifier: GPL-2.0-only
/* Emulated I/O APIC: indirect registers, redirection entries, edge and level delivery. */
#include "tests/unit/support.h"

#include <string.h>

#include "vmm/vioapic.h"

static struct iodev_bus bus;
static struct vioapic io;
static struct vioapic_msg last;
static unsigned sent;

static void deliver(void *ctx, const struct vioapic_msg *m)
{
    last = *m;
    sent++;
}

static int setup(void **state)
{
    memset(&bus, 0, sizeof(bus));
    memset(&last, 0, sizeof(last));
    sent = 0;
    assert_int_equal(vioapic_init(&io, &bus, "vm0", 0, deliver, NULL), 0);
    return 0;
}

static uint32_t rd(uint32_t idx)
{
    uint64_t v;

    assert_int_equal(iodev_write(&bus, IODEV_MMIO, VIOAPIC_BASE + IOAPIC_REG_SELECT, 4, idx), 0);
    assert_int_equal(iodev_read(&bus, IODEV_MMIO, VIOAPIC_BASE + IOAPIC_REG_WINDOW, 4, &v), 0);
    return (uint32_t)v;
}

static void wr(uint32_t idx, uint32_t v)
{
    assert_int_equal(iodev_write(&bus, IODEV_MMIO, VIOAPIC_BASE + IOAPIC_REG_SELECT, 4, idx), 0);
    assert_int_equal(iodev_write(&bus, IODEV_MMIO, VIOAPIC_BASE + IOAPIC_REG_WINDOW, 4, v), 0);
}

static void test_registers(void **state)
{
    uint64_t v;

    assert_int_equal(rd(IOAPIC_IDX_VERSION), 0x00170011);
    assert_int_equal(rd(IOAPIC_IDX_ID), 0);
    wr(IOAPIC_IDX_ID, 0xFF000000);
    assert_int_equal(rd(IOAPIC_IDX_ID), 0x0F000000);
    assert_int_equal(rd(IOAPIC_IDX_ARB), 0x0F000000);
    wr(IOAPIC_IDX_VERSION, 0);
    assert_int_equal(rd(IOAPIC_IDX_VERSION), 0x00170011);
    for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++)
        assert_int_equal(rd(IOAPIC_IDX_REDIR0 + 2 * pin), IOAPIC_RTE_MASKED);
    wr(IOAPIC_IDX_REDIR0 + 2 * 3, 0xFFFFFFFF);      /* read-only bits stay clear */
    assert_int_equal(rd(IOAPIC_IDX_REDIR0 + 2 * 3), 0x0001AFFF);
    wr(IOAPIC_IDX_REDIR0 + 2 * 3 + 1, 0xFFFFFFFF);
    assert_int_equal(rd(IOAPIC_IDX_REDIR0 + 2 * 3 + 1), 0xFF000000);
    assert_int_equal(rd(0x40), 0);                  /* beyond the table */
    wr(0x40, 1);
    assert_int_equal(iodev_read(&bus, IODEV_MMIO, VIOAPIC_BASE + IOAPIC_REG_SELECT, 4, &v), 0);
    assert_int_equal(v, 0x40);
    assert_int_equal(iodev_read(&bus, IODEV_MMIO, VIOAPIC_BASE + 0x20, 4, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(iodev_read(&bus, IODEV_MMIO, VIOAPIC_BASE + IOAPIC_REG_SELECT, 1, &v), 0);
    assert_int_equal(v, 0x40);
    assert_int_equal(iodev_write(&bus, IODEV_MMIO, VIOAPIC_BASE + IOAPIC_REG_WINDOW, 1, 5), 0); /* ignored */
    assert_int_equal(iodev_write(&bus, IODEV_MMIO, VIOAPIC_BASE + 0x40, 4, 5), 0);
}

static void test_edge(void **state)
{
    wr(IOAPIC_IDX_REDIR0 + 2 * 2 + 1, 0x01000000);
    wr(IOAPIC_IDX_REDIR0 + 2 * 2, 0x30);            /* unmasked, edge, fixed, physical */
    vioapic_set_irq(&io, 2, true);
    assert_int_equal(sent, 1);
    assert_int_equal(last.vector, 0x30);
    assert_int_equal(last.dest, 1);
    assert_false(last.level);
    vioapic_set_irq(&io, 2, true);                  /* still high: no new edge */
    assert_int_equal(sent, 1);
    vioapic_set_irq(&io, 2, false);
    vioapic_set_irq(&io, 2, true);
    assert_int_equal(sent, 2);
    wr(IOAPIC_IDX_REDIR0 + 2 * 2, 0x10030);          /* masked: edges are lost */
    vioapic_set_irq(&io, 2, false);
    vioapic_set_irq(&io, 2, true);
    assert_int_equal(sent, 2);
    vioapic_set_irq(&io, 99, true);                 /* no such pin */
    assert_int_equal(sent, 2);
}

static void test_level(void **state)
{
    wr(IOAPIC_IDX_REDIR0 + 2 * 5, 0x1A841);         /* masked, level, logical, vector 0x41 */
    vioapic_set_irq(&io, 5, true);
    assert_int_equal(sent, 0);
    wr(IOAPIC_IDX_REDIR0 + 2 * 5, 0x0A841);         /* unmask: the asserted line is delivered */
    assert_int_equal(sent, 1);
    assert_true(last.level);
    assert_true(last.dest_logical);
    assert_true(rd(IOAPIC_IDX_REDIR0 + 2 * 5) & IOAPIC_RTE_REMOTE_IRR);
    vioapic_set_irq(&io, 5, true);                  /* Remote IRR blocks */
    assert_int_equal(sent, 1);
    vioapic_eoi(&io, 0x42);                         /* another vector */
    assert_int_equal(sent, 1);
    vioapic_eoi(&io, 0x41);                         /* still asserted: again */
    assert_int_equal(sent, 2);
    vioapic_set_irq(&io, 5, false);
    vioapic_eoi(&io, 0x41);
    assert_int_equal(sent, 2);
    assert_false(rd(IOAPIC_IDX_REDIR0 + 2 * 5) & IOAPIC_RTE_REMOTE_IRR);
    /* switching to edge drops a stale Remote IRR */
    vioapic_set_irq(&io, 5, true);
    assert_int_equal(sent, 3);
    wr(IOAPIC_IDX_REDIR0 + 2 * 5, 0x00041);
    assert_false(rd(IOAPIC_IDX_REDIR0 + 2 * 5) & IOAPIC_RTE_REMOTE_IRR);
}

/* A guest writing bad sizes in a loop gets a bounded number of log lines. */
static void test_ignored_writes_rate_limited(void **state)
{
    const char *p;
    unsigned lines = 0;

    unit_log_reset();
    for (unsigned i = 0; i < 5000; i++)
        vioapic_mmio_write(&io, 0x20, 1, 0);
    for (p = unit_log_text(); (p = strstr(p, "ioapic: 1-byte write")); p++)
        lines++;
    assert_true(lines >= 10 && lines <= 60);
    assert_true(unit_log_contains("similar lines suppressed"));
    assert_true(unit_log_contains("(990 similar lines suppressed)"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_registers, setup),
        cmocka_unit_test_setup(test_edge, setup),
        cmocka_unit_test_setup(test_level, setup),
        cmocka_unit_test_setup(test_ignored_writes_rate_limited, setup),
    };

    return UNIT_RUN(tests);
}
