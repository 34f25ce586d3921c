/* SPDX-License-Identifier: GPL-2.0-only */
/* MCFG: PCI Express memory-mapped configuration (ECAM) ranges (PCI Firmware spec 3.2, 4.1.2). */
#ifndef NESTOR_KERNEL_ACPI_MCFG_H
#define NESTOR_KERNEL_ACPI_MCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MCFG_MAX_SEGMENTS 16

struct mcfg_segment {
    uint64_t base;      /* ECAM base: config of bus b at base + (b << 20) */
    uint16_t segment;
    uint8_t start_bus;
    uint8_t end_bus;
};

struct mcfg_info {
    unsigned count;
    struct mcfg_segment seg[MCFG_MAX_SEGMENTS];
};

/* Decodes an MCFG table (header included). 0, or negative if unusable (logged). */
int mcfg_parse(const void *table, size_t len, struct mcfg_info *out);

/*
 * A range is usable when its buses are in order and its ECAM base is nonzero, 1 MiB aligned
 * and low enough that the window of every listed bus lies below 2^52.
 */
bool mcfg_segment_usable(const struct mcfg_segment *s);

/* Boot summary: one "mcfg: segment S buses SS-EE ecam 0x..." line per range. */
void mcfg_log_summary(const struct mcfg_info *m);

#endif
