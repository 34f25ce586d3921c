/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ACPI: the RSDP, the root table (XSDT or RSDT), an index of every table it lists, and the
 * decoded tables the hypervisor needs (FADT, MADT, MCFG, DMAR). Pure: physical memory is
 * read through a phys_read_fn, so all of it is unit-tested with crafted tables.
 * A table with a bad checksum or an impossible length is logged and ignored.
 */
#ifndef NESTOR_KERNEL_ACPI_ACPI_H
#define NESTOR_KERNEL_ACPI_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/acpi/dmar.h"
#include "kernel/acpi/fadt.h"
#include "kernel/acpi/madt.h"
#include "kernel/acpi/mcfg.h"
#include "kernel/bootinfo.h"

#define ACPI_MAX_TABLES 64

/* Root System Description Pointer (ACPI 6.4 5.2.5), validated. */
struct acpi_rsdp {
    uint8_t revision;     /* 0: ACPI 1.0 (RSDT only); 2 and up: XSDT present */
    bool from_loader;     /* the multiboot2 copy; pa is then unknown (0) */
    uint64_t pa;
    uint32_t rsdt;
    uint64_t xsdt;        /* 0 unless revision >= 2 and the extended checksum holds */
};

struct acpi_table_ref {
    char sig[5];
    uint64_t pa;
    uint32_t len;
    bool checksum_ok;     /* false: listed, but ignored by acpi_find_table() */
};

struct acpi_info {
    bool have_rsdp;
    struct acpi_rsdp rsdp;
    bool root_is_xsdt;
    uint64_t root_pa;
    unsigned ntables;
    struct acpi_table_ref tables[ACPI_MAX_TABLES];
    bool have_fadt, have_madt, have_mcfg, have_dmar;
    struct fadt_info fadt;
    struct madt_info madt;
    struct mcfg_info mcfg;
    struct dmar_info dmar;
};

extern struct acpi_info acpi_info;

/*
 * Finds the RSDP (multiboot2 copy, else the EBDA's first KiB and 0xE0000-0xFFFFF), indexes
 * the tables, decodes FADT/MADT/MCFG/DMAR into acpi_info and logs the boot summary.
 * 0, or -ENODEV when there is no usable RSDP or root table (then every have_* is false).
 */
int acpi_init(const struct boot_info *bi, phys_read_fn read);

/* The instance-th valid table with signature sig (4 chars), its length in *len; or NULL. */
const void *acpi_find_table(const char *sig, unsigned instance, size_t *len);

/* Validates an RSDP in avail bytes at p (v1 checksum; length and extended checksum for rev >= 2). */
int acpi_rsdp_decode(const void *p, size_t avail, struct acpi_rsdp *out);

/* Finds the RSDP as acpi_init() does. 0 or -ENODEV. */
int acpi_rsdp_find(const struct boot_info *bi, phys_read_fn read, struct acpi_rsdp *out);

#endif
