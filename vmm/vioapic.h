/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Emulated I/O APIC (Intel 82093AA datasheet, 3.0): the indirect registers IOREGSEL
 * (offset 0x00) and IOWIN (0x10) at 0xFEC00000; ID (index 0), version (1: 0x11 with 24
 * redirection entries), arbitration (2) and the redirection table (0x10 + 2n: low dword,
 * +1: high dword). Inputs are edge or level triggered, maskable; a delivered interrupt goes
 * to the local APIC(s) through the deliver callback; a level input stays blocked (Remote
 * IRR) until the local APIC reports the EOI of its vector. Pure: unit-tested on Linux.
 */
#ifndef NESTOR_VMM_VIOAPIC_H
#define NESTOR_VMM_VIOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/iodev.h"

#define VIOAPIC_BASE        0xFEC00000ULL
#define VIOAPIC_MMIO_BYTES  0x1000
#define VIOAPIC_PINS        24
#define VIOAPIC_VERSION     0x11

#define IOAPIC_REG_SELECT   0x00   /* MMIO offsets */
#define IOAPIC_REG_WINDOW   0x10
#define IOAPIC_IDX_ID       0x00   /* register indexes */
#define IOAPIC_IDX_VERSION  0x01
#define IOAPIC_IDX_ARB      0x02
#define IOAPIC_IDX_REDIR0   0x10

/* Redirection entry bits (82093AA 3.2.4). */
#define IOAPIC_RTE_VECTOR_MASK   0xFFULL
#define IOAPIC_RTE_DELIVERY_SHIFT 8
#define IOAPIC_RTE_DEST_LOGICAL  (1ULL << 11)
#define IOAPIC_RTE_DELIVERY_STATUS (1ULL << 12)
#define IOAPIC_RTE_POLARITY_LOW  (1ULL << 13)
#define IOAPIC_RTE_REMOTE_IRR    (1ULL << 14)
#define IOAPIC_RTE_LEVEL         (1ULL << 15)
#define IOAPIC_RTE_MASKED        (1ULL << 16)
#define IOAPIC_RTE_DEST_SHIFT    56
#define IOAPIC_RTE_RO_BITS       (IOAPIC_RTE_DELIVERY_STATUS | IOAPIC_RTE_REMOTE_IRR)

/* An interrupt message to the local APICs (the fields of a redirection entry). */
struct vioapic_msg {
    uint8_t vector, delivery_mode, dest;
    bool dest_logical, level;
};

struct vioapic {
    const char *name;
    uint32_t id;        /* bits 27:24 */
    uint32_t select;
    uint64_t rte[VIOAPIC_PINS];
    uint32_t line;      /* input levels (bit per pin): asserted = 1 */
    uint64_t delivered; /* messages sent (for tests and logs) */
    void (*deliver)(void *ctx, const struct vioapic_msg *msg);
    void *ctx;
    struct iodev mmio;
};

/* Reset state: every entry masked, edge, vector 0; registers the MMIO page on bus. */
int vioapic_init(struct vioapic *io, struct iodev_bus *bus, const char *name, uint8_t id,
                 void (*deliver)(void *ctx, const struct vioapic_msg *msg), void *ctx);

int vioapic_mmio_read(struct vioapic *io, uint64_t offset, unsigned size, uint64_t *value);
int vioapic_mmio_write(struct vioapic *io, uint64_t offset, unsigned size, uint64_t value);

/* Input pin asserted (level true) or deasserted; an edge input fires on assertion. */
void vioapic_set_irq(struct vioapic *io, unsigned pin, bool level);
/* The local APIC took an EOI for vector: level entries with it drop Remote IRR. */
void vioapic_eoi(struct vioapic *io, uint8_t vector);

#endif
