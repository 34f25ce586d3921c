// SPDX-License-Identifier: GPL-2.0-only
/* FADT decoder (ACPI 6.4 section 5.2.9, table 5.9). Pure. */
#include "kernel/acpi/fadt.h"

#include "kernel/acpi/sdt.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "lib/kstring.h"

/* Byte offsets in ACPI 6.4 table 5.9. */
#define FADT_DSDT_OFF          40
#define FADT_SCI_INT_OFF       46
#define FADT_PM1A_CNT_BLK_OFF  64
#define FADT_PM_TMR_BLK_OFF    76
#define FADT_PM1_CNT_LEN_OFF   89
#define FADT_PM_TMR_LEN_OFF    91
#define FADT_CENTURY_OFF       108
#define FADT_IAPC_BOOT_OFF     109
#define FADT_FLAGS_OFF         112
#define FADT_RESET_REG_OFF     116
#define FADT_RESET_VALUE_OFF   128
#define FADT_MINOR_OFF         131
#define FADT_X_DSDT_OFF        140
#define FADT_X_PM1A_CNT_OFF    172
#define FADT_X_PM_TMR_OFF      208

#define FADT_V1_BYTES          116   /* ACPI 1.0 FADT ends before the Flags' successors */
#define ACPI_GAS_BYTES         12

static struct acpi_gas gas_decode(const uint8_t *p)
{
    return (struct acpi_gas){
        .space_id = p[0], .bit_width = p[1], .bit_offset = p[2], .access_size = p[3],
        .address = acpi_get_le64(p + 4),
    };
}

static struct acpi_gas gas_port(uint32_t port, uint8_t len_bytes)
{
    return (struct acpi_gas){
        .space_id = ACPI_GAS_SYSTEM_IO, .bit_width = (uint8_t)(len_bytes * 8), .address = port,
    };
}

/* True when the field [off, off+n) lies inside a table of tlen bytes. */
static bool fadt_has(size_t tlen, size_t off, size_t n) { return off + n <= tlen; }

int fadt_parse(const void *table, size_t len, struct fadt_info *out)
{
    const uint8_t *t = table;
    size_t tlen;
    int err;

    memset(out, 0, sizeof(*out));
    err = acpi_table_validate(table, len, "FACP", "fadt", &tlen);
    if (err)
        return err;
    if (tlen < FADT_V1_BYTES) {
        pr_warn("fadt: table length %zu is shorter than an ACPI 1.0 FADT (%u), ignored\n", tlen,
                FADT_V1_BYTES);
        return -EINVAL;
    }
    out->revision = t[ACPI_SDT_REVISION_OFF];
    out->sci_irq = acpi_get_le16(t + FADT_SCI_INT_OFF);
    out->dsdt = acpi_get_le32(t + FADT_DSDT_OFF);
    out->pm1a_cnt = gas_port(acpi_get_le32(t + FADT_PM1A_CNT_BLK_OFF), t[FADT_PM1_CNT_LEN_OFF]);
    out->pm_timer = gas_port(acpi_get_le32(t + FADT_PM_TMR_BLK_OFF), t[FADT_PM_TMR_LEN_OFF]);
    out->century = t[FADT_CENTURY_OFF];
    out->flags = acpi_get_le32(t + FADT_FLAGS_OFF);
    /* IA-PC boot flags are reserved in an ACPI 1.0 (revision 1) FADT. */
    if (out->revision >= 2)
        out->iapc_boot_flags = acpi_get_le16(t + FADT_IAPC_BOOT_OFF);

    if (fadt_has(tlen, FADT_RESET_VALUE_OFF, 1)) {
        out->reset_reg = gas_decode(t + FADT_RESET_REG_OFF);
        out->reset_value = t[FADT_RESET_VALUE_OFF];
        out->have_reset_reg = (out->flags & FADT_FLAG_RESET_REG_SUP) && out->reset_reg.address;
    }
    if (fadt_has(tlen, FADT_MINOR_OFF, 1))
        out->minor_revision = t[FADT_MINOR_OFF] & 0xf;
    /* The 64-bit X_ fields take precedence when nonzero (ACPI 6.4 5.2.9). */
    if (fadt_has(tlen, FADT_X_DSDT_OFF, 8) && acpi_get_le64(t + FADT_X_DSDT_OFF))
        out->dsdt = acpi_get_le64(t + FADT_X_DSDT_OFF);
    if (fadt_has(tlen, FADT_X_PM1A_CNT_OFF, ACPI_GAS_BYTES) && acpi_get_le64(t + FADT_X_PM1A_CNT_OFF + 4))
        out->pm1a_cnt = gas_decode(t + FADT_X_PM1A_CNT_OFF);
    if (fadt_has(tlen, FADT_X_PM_TMR_OFF, ACPI_GAS_BYTES) && acpi_get_le64(t + FADT_X_PM_TMR_OFF + 4))
        out->pm_timer = gas_decode(t + FADT_X_PM_TMR_OFF);
    return 0;
}
