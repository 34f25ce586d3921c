// SPDX-License-Identifier: GPL-2.0-only
/* RSDP discovery and validation (ACPI 6.4 sections 5.2.5.1 and 5.2.5.3). Pure. */
#include "kernel/acpi/acpi.h"

#include "kernel/acpi/sdt.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "lib/kstring.h"

/* ACPI 6.4 table 5.27. */
#define RSDP_SIGNATURE        "RSD PTR "
#define RSDP_V1_BYTES         20
#define RSDP_REVISION_OFF     15
#define RSDP_RSDT_OFF         16
#define RSDP_LENGTH_OFF       20
#define RSDP_XSDT_OFF         24
#define RSDP_V2_BYTES         36
#define RSDP_ALIGN            16

/* Where BIOS firmware puts the RSDP (ACPI 6.4 5.2.5.1). */
#define BDA_EBDA_SEGMENT_PA   0x40e
#define EBDA_SCAN_BYTES       1024
#define EBDA_LOWEST           0x80000
#define EBDA_END              0xa0000
#define BIOS_ROM_PA           0xe0000
#define BIOS_ROM_BYTES        0x20000

int acpi_rsdp_decode(const void *p, size_t avail, struct acpi_rsdp *out)
{
    const uint8_t *r = p;
    uint32_t len;

    memset(out, 0, sizeof(*out));
    if (!p || avail < RSDP_V1_BYTES || memcmp(r, RSDP_SIGNATURE, 8) != 0)
        return -EINVAL;
    if (acpi_checksum(r, RSDP_V1_BYTES) != 0)
        return -EIO;
    out->revision = r[RSDP_REVISION_OFF];
    out->rsdt = acpi_get_le32(r + RSDP_RSDT_OFF);
    if (out->revision < 2)
        return 0;
    len = avail >= RSDP_V2_BYTES ? acpi_get_le32(r + RSDP_LENGTH_OFF) : 0;
    if (len < RSDP_V2_BYTES || len > avail) {
        pr_warn("acpi: RSDP rev %u has length %u (%zu bytes available); using its RSDT only\n", out->revision,
                len, avail);
        return 0;
    }
    if (acpi_checksum(r, len) != 0) {
        pr_warn("acpi: RSDP rev %u has a bad extended checksum; using its RSDT only\n", out->revision);
        return 0;
    }
    out->xsdt = acpi_get_le64(r + RSDP_XSDT_OFF);
    return 0;
}

/* Scans [pa, pa+len) on 16-byte boundaries. */
static int rsdp_scan(phys_read_fn read, uint64_t pa, size_t len, struct acpi_rsdp *out)
{
    const uint8_t *area = read(pa, len);

    if (!area) {
        pr_debug("acpi: cannot read 0x%08llx-0x%08llx to look for the RSDP\n", (unsigned long long)pa,
                 (unsigned long long)(pa + len - 1));
        return -ENODEV;
    }
    for (size_t off = 0; off + RSDP_V1_BYTES <= len; off += RSDP_ALIGN) {
        int err;

        if (memcmp(area + off, RSDP_SIGNATURE, 8) != 0)
            continue;
        err = acpi_rsdp_decode(area + off, len - off, out);
        if (err == 0) {
            out->pa = pa + off;
            return 0;
        }
        pr_warn("acpi: RSDP at 0x%08llx has a bad checksum, ignored\n", (unsigned long long)(pa + off));
    }
    return -ENODEV;
}

int acpi_rsdp_find(const struct boot_info *bi, phys_read_fn read, struct acpi_rsdp *out)
{
    const uint8_t *bda;

    if (bi && bi->rsdp_len) {
        if (acpi_rsdp_decode(bi->rsdp, bi->rsdp_len, out) == 0) {
            out->from_loader = true;
            return 0;
        }
        pr_warn("acpi: the boot loader's RSDP copy is invalid, searching the BIOS areas\n");
    }
    bda = read(BDA_EBDA_SEGMENT_PA, 2);
    if (bda) {
        uint64_t ebda = (uint64_t)acpi_get_le16(bda) << 4;

        if (ebda >= EBDA_LOWEST && ebda + EBDA_SCAN_BYTES <= EBDA_END &&
            rsdp_scan(read, ebda, EBDA_SCAN_BYTES, out) == 0)
            return 0;
    }
    return rsdp_scan(read, BIOS_ROM_PA, BIOS_ROM_BYTES, out);
}
