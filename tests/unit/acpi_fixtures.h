/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Builders for ACPI tables in unit tests: append fields little-endian, patch lengths and
 * checksums at the end, so a test can then corrupt exactly one thing.
 */
#ifndef NESTOR_TESTS_UNIT_ACPI_FIXTURES_H
#define NESTOR_TESTS_UNIT_ACPI_FIXTURES_H

#include <stddef.h>
#include <stdint.h>

struct fx {
    uint8_t *buf;
    size_t cap, len;
};

void fx_init(struct fx *f, void *buf, size_t cap);
void fx_u8(struct fx *f, uint8_t v);
void fx_u16(struct fx *f, uint16_t v);
void fx_u32(struct fx *f, uint32_t v);
void fx_u64(struct fx *f, uint64_t v);
void fx_bytes(struct fx *f, const void *p, size_t n);
void fx_zeros(struct fx *f, size_t n);

/* A 36-byte table header; fx_finish() sets its Length and Checksum. */
void fx_header(struct fx *f, const char *sig, uint8_t revision);
size_t fx_finish(struct fx *f);
/* Recomputes the checksum of a table from its header Length (after a deliberate edit). */
void fx_fix_checksum(void *table);

/* Structures with a 2-byte type and 2-byte length (DMAR) or 1-byte each (MADT, scopes). */
size_t fx_begin16(struct fx *f, uint16_t type);
void fx_end16(struct fx *f, size_t at);
size_t fx_begin8(struct fx *f, uint8_t type);
void fx_end8(struct fx *f, size_t at);

/* DMAR pieces (VT-d 8.1-8.8). Each *_begin is closed with fx_end16(). */
void fx_dmar_header(struct fx *f, uint8_t haw_minus_1, uint8_t flags);
size_t fx_drhd_begin(struct fx *f, uint8_t flags, uint8_t size, uint16_t seg, uint64_t base);
size_t fx_rmrr_begin(struct fx *f, uint16_t seg, uint64_t base, uint64_t limit);
size_t fx_atsr_begin(struct fx *f, uint16_t type, uint8_t flags, uint16_t seg); /* ATSR or SATC */
/* A device scope with npath (dev, fn) pairs given as dev0, fn0, dev1, fn1, ... */
void fx_scope(struct fx *f, uint8_t type, uint8_t enum_id, uint8_t start_bus, unsigned npath, const uint8_t *path);

/* An RSDP of revision rev (36 bytes when rev >= 2, else 20) with valid checksums; its length. */
size_t fx_rsdp(void *buf, uint8_t rev, uint32_t rsdt, uint64_t xsdt);

#endif
