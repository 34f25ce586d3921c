// SPDX-License-Identifier: GPL-2.0-only
/* Emulated I/O APIC (see vioapic.h). */
#include "vmm/vioapic.h"

#include "kernel/log.h"
#include "lib/kstring.h"

/* Software-writable redirection bits: vector, delivery and destination mode, polarity,
 * trigger, mask, destination (bits 11:0, 13, 16:15, 63:56). */
#define RTE_WRITABLE 0xFF0000000001AFFFULL

static int vioapic_iodev_read(struct iodev *dev, uint64_t offset, unsigned size, uint64_t *value)
{
    return vioapic_mmio_read(dev->ctx, offset, size, value);
}

static int vioapic_iodev_write(struct iodev *dev, uint64_t offset, unsigned size, uint64_t value)
{
    return vioapic_mmio_write(dev->ctx, offset, size, value);
}

static const struct iodev_ops vioapic_iodev_ops = { vioapic_iodev_read, vioapic_iodev_write };

int vioapic_init(struct vioapic *io, struct iodev_bus *bus, const char *name, uint8_t id,
                 void (*deliver)(void *ctx, const struct vioapic_msg *msg), void *ctx)
{
    memset(io, 0, sizeof(*io));
    io->name = name;
    io->id = (uint32_t)(id & 0xF) << 24;
    io->deliver = deliver;
    io->ctx = ctx;
    for (unsigned i = 0; i < VIOAPIC_PINS; i++)
        io->rte[i] = IOAPIC_RTE_MASKED;
    io->mmio = (struct iodev){ "ioapic", IODEV_MMIO, VIOAPIC_BASE, VIOAPIC_MMIO_BYTES, &vioapic_iodev_ops, io, NULL };
    return iodev_register(bus, &io->mmio);
}

static void send(struct vioapic *io, unsigned pin)
{
    uint64_t e = io->rte[pin];
    struct vioapic_msg m = {
        .vector = (uint8_t)(e & IOAPIC_RTE_VECTOR_MASK),
        .delivery_mode = (uint8_t)((e >> IOAPIC_RTE_DELIVERY_SHIFT) & 7),
        .dest = (uint8_t)(e >> IOAPIC_RTE_DEST_SHIFT),
        .dest_logical = e & IOAPIC_RTE_DEST_LOGICAL,
        .level = e & IOAPIC_RTE_LEVEL,
    };

    if (m.level)
        io->rte[pin] |= IOAPIC_RTE_REMOTE_IRR;
    io->delivered++;
    if (io->deliver)
        io->deliver(io->ctx, &m);
}

/* A level input that is asserted, unmasked and not awaiting an EOI is (re)delivered. */
static void service_level(struct vioapic *io, unsigned pin)
{
    uint64_t e = io->rte[pin];

    if ((e & IOAPIC_RTE_LEVEL) && (io->line & (1u << pin)) && !(e & IOAPIC_RTE_MASKED) &&
        !(e & IOAPIC_RTE_REMOTE_IRR))
        send(io, pin);
}

void vioapic_set_irq(struct vioapic *io, unsigned pin, bool level)
{
    uint32_t bit;
    bool was;

    if (pin >= VIOAPIC_PINS)
        return;
    bit = 1u << pin;
    was = io->line & bit;
    io->line = level ? io->line | bit : io->line & ~bit;
    if (io->rte[pin] & IOAPIC_RTE_LEVEL)
        service_level(io, pin);
    else if (level && !was && !(io->rte[pin] & IOAPIC_RTE_MASKED))
        send(io, pin);
}

void vioapic_eoi(struct vioapic *io, uint8_t vector)
{
    for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++) {
        uint64_t e = io->rte[pin];

        if ((e & IOAPIC_RTE_LEVEL) && (e & IOAPIC_RTE_REMOTE_IRR) && (e & IOAPIC_RTE_VECTOR_MASK) == vector) {
            io->rte[pin] &= ~IOAPIC_RTE_REMOTE_IRR;
            service_level(io, pin);
        }
    }
}

static uint32_t reg_read(const struct vioapic *io, uint32_t idx)
{
    if (idx >= IOAPIC_IDX_REDIR0 && idx < IOAPIC_IDX_REDIR0 + 2 * VIOAPIC_PINS) {
        uint64_t e = io->rte[(idx - IOAPIC_IDX_REDIR0) / 2];

        return (idx & 1) ? (uint32_t)(e >> 32) : (uint32_t)e;
    }
    switch (idx) {
    case IOAPIC_IDX_ID: return io->id;
    case IOAPIC_IDX_VERSION: return (uint32_t)(VIOAPIC_PINS - 1) << 16 | VIOAPIC_VERSION;
    case IOAPIC_IDX_ARB: return io->id;
    }
    return 0;
}

static void reg_write(struct vioapic *io, uint32_t idx, uint32_t v)
{
    unsigned pin;
    uint64_t e;

    if (idx == IOAPIC_IDX_ID) {
        io->id = v & 0x0F000000u;
        return;
    }
    if (idx < IOAPIC_IDX_REDIR0 || idx >= IOAPIC_IDX_REDIR0 + 2 * VIOAPIC_PINS)
        return; /* version, arbitration and reserved indexes are read-only */
    pin = (idx - IOAPIC_IDX_REDIR0) / 2;
    e = io->rte[pin];
    if (idx & 1)
        e = (e & 0xFFFFFFFFULL) | (uint64_t)v << 32;
    else
        e = (e & ~0xFFFFFFFFULL) | v;
    io->rte[pin] = (e & RTE_WRITABLE) | (io->rte[pin] & IOAPIC_RTE_RO_BITS);
    if (!(io->rte[pin] & IOAPIC_RTE_LEVEL))
        io->rte[pin] &= ~IOAPIC_RTE_REMOTE_IRR;
    service_level(io, pin); /* unmasking an asserted level input delivers it */
}

int vioapic_mmio_read(struct vioapic *io, uint64_t offset, unsigned size, uint64_t *value)
{
    if (offset == IOAPIC_REG_SELECT)
        *value = io->select;
    else if (offset == IOAPIC_REG_WINDOW)
        *value = reg_read(io, io->select);
    else
        *value = 0;
    if (size < 4)
        *value &= (1ULL << (8 * size)) - 1;
    return 0;
}

int vioapic_mmio_write(struct vioapic *io, uint64_t offset, unsigned size, uint64_t value)
{
    /* A guest-caused line: at most 10 per 1000 ignored writes over all vIOAPICs (the count is the clock). */
    static struct log_ratelimit rl = { .interval = 1000, .burst = 10 };
    static uint64_t ignored;
    uint32_t suppressed;

    if (offset == IOAPIC_REG_SELECT)
        io->select = (uint32_t)value & 0xFF;
    else if (offset == IOAPIC_REG_WINDOW && size >= 4)
        reg_write(io, io->select, (uint32_t)value);
    else if (log_ratelimit_allow(&rl, ignored++, &suppressed))
        pr_debug("%s: ioapic: %u-byte write at offset 0x%llx ignored (%u similar lines suppressed)\n", io->name,
                 size, (unsigned long long)offset, suppressed);
    return 0;
}
