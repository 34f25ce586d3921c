/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * System description table header (ACPI 6.4 section 5.2.6) and the checks every table
 * gets before its body is read: sane length, readable, checksum. Pure.
 * Tables are byte arrays read through acpi_get_le*(): firmware does not align them.
 */
#ifndef NESTOR_KERNEL_ACPI_SDT_H
#define NESTOR_KERNEL_ACPI_SDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ACPI 6.4 table 5.29: Signature(4) Length(4) Revision(1) Checksum(1) OEM fields. */
#define ACPI_SDT_HEADER_BYTES   36
#define ACPI_SDT_LENGTH_OFF     4
#define ACPI_SDT_REVISION_OFF   8
#define ACPI_SDT_CHECKSUM_OFF   9

/* Bound on a header's Length: far above any real table, well below a wild value. */
#define ACPI_TABLE_MAX_BYTES    (4u << 20)

static inline uint16_t acpi_get_le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t acpi_get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t acpi_get_le64(const uint8_t *p)
{
    return (uint64_t)acpi_get_le32(p) | (uint64_t)acpi_get_le32(p + 4) << 32;
}

/* Sum of len bytes modulo 256: 0 for a valid table (ACPI 6.4 5.2.6). */
uint8_t acpi_checksum(const void *p, size_t len);

enum acpi_table_status {
    ACPI_TABLE_OK = 0,
    ACPI_TABLE_TRUNCATED,   /* shorter than a header, Length beyond what is available or sane */
    ACPI_TABLE_BAD_SIG,
    ACPI_TABLE_BAD_CHECKSUM,
};

/*
 * Checks a table of avail readable bytes: signature (if sig is not NULL), header Length
 * within [36, avail] and ACPI_TABLE_MAX_BYTES, checksum over Length bytes.
 */
enum acpi_table_status acpi_table_check(const void *table, size_t avail, const char *sig);
const char *acpi_table_status_str(enum acpi_table_status st);

/* The header's Length field (the caller has checked that 36 bytes are readable). */
static inline uint32_t acpi_table_length(const void *table)
{
    return acpi_get_le32((const uint8_t *)table + ACPI_SDT_LENGTH_OFF);
}

/* Copies the 4-byte signature into sig[5], non-printable bytes as '?'. */
void acpi_sig_string(const void *table, char sig[5]);

/*
 * Validates the header of a table handed to a parser (name is the log prefix, e.g. "madt"):
 * on success *body_len is the header Length (<= len). Problems are logged; negative errno.
 */
int acpi_table_validate(const void *table, size_t len, const char *sig, const char *name,
                        size_t *body_len);

#endif
