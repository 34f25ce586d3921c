// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ACPI table parsers (DMAR, MADT, MCFG, FADT) and the RSDP decoder on random tables,
 * then the boot summaries and the DMAR device lookups on what was decoded. Input: a
 * selector byte (bits 2:0 the parser; bit 3 set: keep the table's own Length and
 * checksum, else they are fixed up so the body is reached), then the table.
 */
#include <string.h>

#include "kernel/acpi/acpi.h"
#include "kernel/acpi/sdt.h"
#include "tests/fuzz/fuzz_support.h"

static uint8_t cfg_byte;

static uint8_t cfg_read8(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
    return (uint8_t)(cfg_byte + bus + dev + fn + off);
}

static void fixup(uint8_t *t, size_t len, const char *sig)
{
    uint32_t l = (uint32_t)len;

    if (len < ACPI_SDT_HEADER_BYTES)
        return;
    memcpy(t, sig, 4);
    memcpy(t + ACPI_SDT_LENGTH_OFF, &l, 4);
    t[ACPI_SDT_CHECKSUM_OFF] = 0;
    t[ACPI_SDT_CHECKSUM_OFF] = (uint8_t)(0x100 - acpi_checksum(t, len));
}

static void dmar_lookups(const struct dmar_info *d)
{
    uint8_t bus, dev, fn;

    for (unsigned i = 0; i < d->nscopes && i < DMAR_MAX_SCOPES; i++)
        (void)dmar_scope_resolve(&d->scopes[i], 0, cfg_read8, &bus, &dev, &fn);
    for (unsigned bdf = 0; bdf < 0x10000; bdf += 0x0FF1)
        (void)dmar_unit_for_device(d, 0, (uint8_t)(bdf >> 8), (uint8_t)((bdf >> 3) & 31), (uint8_t)(bdf & 7),
                                   cfg_read8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct dmar_info dmar;
    static struct madt_info madt;
    static struct mcfg_info mcfg;
    static struct fadt_info fadt;
    struct acpi_rsdp rsdp;
    uint8_t sel, *t;
    size_t len;
    bool fix;

    fuzz_log_quiet();
    if (size < 1)
        return 0;
    sel = data[0];
    fix = !(sel & 8);
    len = size - 1;
    t = malloc(len ? len : 1);
    memcpy(t, data + 1, len);
    cfg_byte = (uint8_t)len;
    switch (sel & 7) {
    case 0:
        if (fix)
            fixup(t, len, "DMAR");
        if (dmar_parse(t, len, &dmar) == 0) {
            dmar_log_summary(&dmar);
            dmar_lookups(&dmar);
        }
        break;
    case 1:
        if (fix)
            fixup(t, len, "APIC");
        if (madt_parse(t, len, &madt) == 0)
            madt_log_summary(&madt);
        break;
    case 2:
        if (fix)
            fixup(t, len, "MCFG");
        if (mcfg_parse(t, len, &mcfg) == 0) {
            FUZZ_CHECK(mcfg.count <= MCFG_MAX_SEGMENTS);
            mcfg_log_summary(&mcfg);
        }
        break;
    case 3:
        if (fix)
            fixup(t, len, "FACP");
        (void)fadt_parse(t, len, &fadt);
        break;
    default:
        if (fix && len >= 20) {
            memcpy(t, "RSD PTR ", 8);
            t[8] = 0;
            t[8] = (uint8_t)(0x100 - acpi_checksum(t, 20));
            if (len >= 36) {
                uint32_t l = (uint32_t)len;

                memcpy(t + 20, &l, 4);
                t[32] = 0;
                t[32] = (uint8_t)(0x100 - acpi_checksum(t, len));
            }
        }
        (void)acpi_rsdp_decode(t, len, &rsdp);
        if (len >= 4)
            acpi_sig_string(t, (char[5]){ 0 });
        break;
    }
    free(t);
    return 0;
}
