// SPDX-License-Identifier: GPL-2.0-only
/* Checks shared by every ACPI table (ACPI 6.4 section 5.2.6). Pure. */
#include "kernel/acpi/sdt.h"

#include "kernel/errno.h"
#include "kernel/log.h"
#include "lib/kstring.h"

uint8_t acpi_checksum(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t sum = 0;

    while (len--)
        sum = (uint8_t)(sum + *b++);
    return sum;
}

enum acpi_table_status acpi_table_check(const void *table, size_t avail, const char *sig)
{
    uint32_t len;

    if (!table || avail < ACPI_SDT_HEADER_BYTES)
        return ACPI_TABLE_TRUNCATED;
    if (sig && memcmp(table, sig, 4) != 0)
        return ACPI_TABLE_BAD_SIG;
    len = acpi_table_length(table);
    if (len < ACPI_SDT_HEADER_BYTES || len > avail || len > ACPI_TABLE_MAX_BYTES)
        return ACPI_TABLE_TRUNCATED;
    if (acpi_checksum(table, len) != 0)
        return ACPI_TABLE_BAD_CHECKSUM;
    return ACPI_TABLE_OK;
}

const char *acpi_table_status_str(enum acpi_table_status st)
{
    switch (st) {
    case ACPI_TABLE_OK: return "ok";
    case ACPI_TABLE_TRUNCATED: return "is truncated";
    case ACPI_TABLE_BAD_SIG: return "has a wrong signature";
    case ACPI_TABLE_BAD_CHECKSUM: return "has a bad checksum";
    }
    return "is invalid";
}

void acpi_sig_string(const void *table, char sig[5])
{
    const uint8_t *b = table;

    for (int i = 0; i < 4; i++)
        sig[i] = (b[i] >= 0x20 && b[i] < 0x7f) ? (char)b[i] : '?';
    sig[4] = '\0';
}

int acpi_table_validate(const void *table, size_t len, const char *sig, const char *name,
                        size_t *body_len)
{
    enum acpi_table_status st = acpi_table_check(table, len, sig);

    if (st != ACPI_TABLE_OK) {
        if (st == ACPI_TABLE_TRUNCATED && table && len >= ACPI_SDT_HEADER_BYTES)
            pr_warn("%s: table %s (length %u, %zu bytes available), ignored\n", name,
                    acpi_table_status_str(st), acpi_table_length(table), len);
        else
            pr_warn("%s: table %s, ignored\n", name, acpi_table_status_str(st));
        return st == ACPI_TABLE_BAD_CHECKSUM ? -EIO : -EINVAL;
    }
    *body_len = acpi_table_length(table);
    return 0;
}
