/* SPDX-License-Identifier: GPL-2.0-only */
/* FADT: the fixed ACPI hardware description, the few fields Nestor uses (ACPI 6.4 5.2.9). Pure. */
#ifndef NESTOR_KERNEL_ACPI_FADT_H
#define NESTOR_KERNEL_ACPI_FADT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Generic Address Structure address spaces (ACPI 6.4 table 5.25). */
#define ACPI_GAS_SYSTEM_MEMORY 0
#define ACPI_GAS_SYSTEM_IO     1

/* Generic Address Structure (ACPI 6.4 5.2.3.2), decoded. */
struct acpi_gas {
    uint8_t space_id;
    uint8_t bit_width;
    uint8_t bit_offset;
    uint8_t access_size;
    uint64_t address;     /* 0: not present */
};

/* Fixed feature flags (ACPI 6.4 table 5.10). */
#define FADT_FLAG_TMR_VAL_EXT  (1u << 8)   /* PM timer is 32 bits, else 24 */
#define FADT_FLAG_RESET_REG_SUP (1u << 10)
#define FADT_FLAG_HW_REDUCED   (1u << 20)

/* IA-PC boot architecture flags (ACPI 6.4 table 5.11). */
#define FADT_IAPC_LEGACY_DEVICES (1u << 0)
#define FADT_IAPC_8042           (1u << 1)
#define FADT_IAPC_NO_VGA         (1u << 2)
#define FADT_IAPC_NO_MSI         (1u << 3)
#define FADT_IAPC_NO_CMOS_RTC    (1u << 5)

struct fadt_info {
    uint8_t revision;        /* header revision */
    uint8_t minor_revision;  /* FADT Minor Version (0 before ACPI 5.1) */
    uint32_t flags;
    uint16_t iapc_boot_flags;
    uint8_t century;         /* CMOS RTC index of the century, 0 if none */
    uint16_t sci_irq;
    uint64_t dsdt;           /* X_DSDT when present, else DSDT */
    struct acpi_gas pm1a_cnt;  /* X_PM1a_CNT_BLK when present, else the port PM1a_CNT_BLK */
    struct acpi_gas pm_timer;  /* X_PM_TMR_BLK when present, else the port PM_TMR_BLK */
    bool have_reset_reg;       /* RESET_REG_SUP set and the register present */
    struct acpi_gas reset_reg;
    uint8_t reset_value;
};

/* Decodes a FADT ("FACP", header included). 0, or negative if unusable (logged). */
int fadt_parse(const void *table, size_t len, struct fadt_info *out);

#endif
