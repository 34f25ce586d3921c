// SPDX-License-Identifier: GPL-2.0-only
/*
 * Root table walk and table index (ACPI 6.4 sections 5.2.7 and 5.2.8), and the bring-up of
 * the decoded tables. Pure. Boot summary formats (tests assert on them):
 *   acpi: RSDP rev 2 at 0x000f52c0, XSDT at 0x7ffe1234      (or "rev 2 from multiboot2, ...")
 *   acpi: tables: FACP APIC HPET MCFG DMAR
 */
#include "kernel/acpi/acpi.h"

#include "kernel/acpi/sdt.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "lib/fmt.h"
#include "lib/kstring.h"

/* Root table entries read: well above any real machine's table count (ACPI_MAX_TABLES is kept). */
#define ACPI_ROOT_ENTRIES_MAX (4 * ACPI_MAX_TABLES)

struct acpi_info acpi_info;
static phys_read_fn acpi_read;

/*
 * Reads the table at pa: header, then Length bytes, then the checksum. Returns the table
 * (*len its Length) or NULL with one log line saying why it is ignored. *bad_checksum tells
 * a readable table with a wrong checksum from one that cannot be read at all.
 */
static const uint8_t *acpi_map_table(uint64_t pa, const char *expect_sig, uint32_t *len, bool *bad_checksum)
{
    const uint8_t *t = acpi_read(pa, ACPI_SDT_HEADER_BYTES);
    char sig[5];

    *bad_checksum = false;
    if (!t) {
        pr_warn("acpi: table at 0x%08llx is not readable, ignored\n", (unsigned long long)pa);
        return NULL;
    }
    acpi_sig_string(t, sig);
    if (expect_sig && memcmp(t, expect_sig, 4) != 0) {
        pr_warn("acpi: table at 0x%08llx is %s, not %s, ignored\n", (unsigned long long)pa, sig, expect_sig);
        return NULL;
    }
    *len = acpi_table_length(t);
    if (*len < ACPI_SDT_HEADER_BYTES || *len > ACPI_TABLE_MAX_BYTES) {
        pr_warn("acpi: %s at 0x%08llx has length %u (%u to %u), ignored\n", sig, (unsigned long long)pa, *len,
                ACPI_SDT_HEADER_BYTES, ACPI_TABLE_MAX_BYTES);
        return NULL;
    }
    t = acpi_read(pa, *len);
    if (!t) {
        pr_warn("acpi: %s at 0x%08llx is truncated (%u bytes not readable), ignored\n", sig,
                (unsigned long long)pa, *len);
        return NULL;
    }
    if (acpi_checksum(t, *len) != 0) {
        pr_warn("acpi: %s at 0x%08llx has a bad checksum, ignored\n", sig, (unsigned long long)pa);
        *bad_checksum = true;
        return NULL;
    }
    return t;
}

static void acpi_index_add(uint64_t pa)
{
    struct acpi_table_ref *ref;
    const uint8_t *t;
    uint32_t len = 0;
    bool bad_checksum;

    if (pa == 0) {
        pr_warn("acpi: root table lists a null table address, ignored\n");
        return;
    }
    t = acpi_map_table(pa, NULL, &len, &bad_checksum);
    if (!t && !bad_checksum)
        return;
    if (acpi_info.ntables == ACPI_MAX_TABLES) {
        pr_warn("acpi: more than %u tables, table at 0x%08llx ignored\n", ACPI_MAX_TABLES, (unsigned long long)pa);
        return;
    }
    ref = &acpi_info.tables[acpi_info.ntables++];
    acpi_sig_string(acpi_read(pa, ACPI_SDT_HEADER_BYTES), ref->sig);
    ref->pa = pa;
    ref->len = len;
    ref->checksum_ok = !bad_checksum;
}

/*
 * Indexes the tables listed by the XSDT (8-byte entries) or RSDT (4-byte entries). Each entry
 * may log a line: a root of a million bogus entries must not flood the console for hours.
 */
static int acpi_index_root(uint64_t pa, bool xsdt)
{
    const char *sig = xsdt ? "XSDT" : "RSDT";
    size_t entry_bytes = xsdt ? 8 : 4;
    const uint8_t *t;
    uint32_t len, entries;
    bool bad_checksum;

    t = acpi_map_table(pa, sig, &len, &bad_checksum);
    if (!t)
        return -EINVAL;
    if ((len - ACPI_SDT_HEADER_BYTES) % entry_bytes)
        pr_warn("acpi: %s length %u is not a whole number of entries, the partial one ignored\n", sig, len);
    entries = (uint32_t)((len - ACPI_SDT_HEADER_BYTES) / entry_bytes);
    if (entries > ACPI_ROOT_ENTRIES_MAX) {
        pr_warn("acpi: %s lists %u tables, only the first %u are read\n", sig, entries, ACPI_ROOT_ENTRIES_MAX);
        entries = ACPI_ROOT_ENTRIES_MAX;
    }
    acpi_info.root_is_xsdt = xsdt;
    acpi_info.root_pa = pa;
    for (uint32_t i = 0; i < entries; i++) {
        const uint8_t *e = t + ACPI_SDT_HEADER_BYTES + i * entry_bytes;

        acpi_index_add(xsdt ? acpi_get_le64(e) : acpi_get_le32(e));
    }
    return 0;
}

const void *acpi_find_table(const char *sig, unsigned instance, size_t *len)
{
    for (unsigned i = 0; i < acpi_info.ntables && acpi_read; i++) {
        const struct acpi_table_ref *ref = &acpi_info.tables[i];

        if (!ref->checksum_ok || memcmp(ref->sig, sig, 4) != 0 || instance-- > 0)
            continue;
        *len = ref->len;
        return acpi_read(ref->pa, ref->len);
    }
    return NULL;
}

/* True when a table with this signature is listed but was ignored (bad checksum). */
static bool acpi_table_listed_bad(const char *sig)
{
    for (unsigned i = 0; i < acpi_info.ntables; i++)
        if (!acpi_info.tables[i].checksum_ok && !memcmp(acpi_info.tables[i].sig, sig, 4))
            return true;
    return false;
}

static void acpi_log_tables(void)
{
    char line[ACPI_MAX_TABLES * 5 + 1];
    size_t pos = 0;

    line[0] = '\0';
    for (unsigned i = 0; i < acpi_info.ntables; i++)
        if (acpi_info.tables[i].checksum_ok)
            pos += (size_t)fmt_snprintf(line + pos, sizeof(line) - pos, " %s", acpi_info.tables[i].sig);
    pr_info("acpi: tables:%s\n", line);
}

static void acpi_log_rsdp(void)
{
    const struct acpi_rsdp *r = &acpi_info.rsdp;
    char where[32];

    if (r->from_loader)
        fmt_snprintf(where, sizeof(where), "from multiboot2");
    else
        fmt_snprintf(where, sizeof(where), "at 0x%08llx", (unsigned long long)r->pa);
    pr_info("acpi: RSDP rev %u %s, %s at 0x%08llx\n", r->revision, where, acpi_info.root_is_xsdt ? "XSDT" : "RSDT",
            (unsigned long long)acpi_info.root_pa);
}

static void acpi_log_fadt(const struct fadt_info *f)
{
    pr_info("fadt: revision %u.%u flags 0x%x sci irq %u pm timer %s 0x%llx (%u-bit)\n", f->revision,
            f->minor_revision, f->flags, f->sci_irq,
            f->pm_timer.space_id == ACPI_GAS_SYSTEM_IO ? "io" : "mem", (unsigned long long)f->pm_timer.address,
            f->flags & FADT_FLAG_TMR_VAL_EXT ? 32 : 24);
    if (f->have_reset_reg)
        pr_debug("fadt: reset register %s 0x%llx value 0x%x\n",
                 f->reset_reg.space_id == ACPI_GAS_SYSTEM_IO ? "io" : "mem",
                 (unsigned long long)f->reset_reg.address, f->reset_value);
}

/* Decodes the tables Nestor uses; a missing or unusable one leaves its have_* false. */
static void acpi_decode_tables(void)
{
    const void *t;
    size_t len;

    if ((t = acpi_find_table("FACP", 0, &len)))
        acpi_info.have_fadt = fadt_parse(t, len, &acpi_info.fadt) == 0;
    if ((t = acpi_find_table("APIC", 0, &len)))
        acpi_info.have_madt = madt_parse(t, len, &acpi_info.madt) == 0;
    if ((t = acpi_find_table("MCFG", 0, &len)))
        acpi_info.have_mcfg = mcfg_parse(t, len, &acpi_info.mcfg) == 0;
    if ((t = acpi_find_table("DMAR", 0, &len)))
        acpi_info.have_dmar = dmar_parse(t, len, &acpi_info.dmar) == 0;
}

static void acpi_log_summary(void)
{
    if (acpi_info.have_fadt)
        acpi_log_fadt(&acpi_info.fadt);
    if (acpi_info.have_madt)
        madt_log_summary(&acpi_info.madt);
    else
        pr_warn("madt: no usable MADT: one CPU assumed, no I/O APIC known\n");
    if (acpi_info.have_mcfg)
        mcfg_log_summary(&acpi_info.mcfg);
    else
        pr_info("mcfg: no usable MCFG: PCI configuration through ports 0xcf8/0xcfc only\n");
    if (acpi_info.have_dmar)
        dmar_log_summary(&acpi_info.dmar);
    else if (acpi_table_listed_bad("DMAR") || acpi_find_table("DMAR", 0, &(size_t){ 0 }))
        pr_info("dmar: DMAR table unusable: VT-d is not available (no DMA remapping, no device isolation)\n");
    else
        pr_info("dmar: no DMAR table: VT-d is not available (no DMA remapping, no device isolation)\n");
}

int acpi_init(const struct boot_info *bi, phys_read_fn read)
{
    struct acpi_rsdp *r = &acpi_info.rsdp;
    int err = -ENODEV;

    memset(&acpi_info, 0, sizeof(acpi_info));
    acpi_read = read;
    if (acpi_rsdp_find(bi, read, r) < 0) {
        pr_warn("acpi: no RSDP found: no ACPI tables (one CPU, no I/O APIC, no ECAM, no VT-d)\n");
        pr_info("dmar: no DMAR table: VT-d is not available (no DMA remapping, no device isolation)\n");
        return -ENODEV;
    }
    acpi_info.have_rsdp = true;
    if (r->revision >= 2 && r->xsdt)
        err = acpi_index_root(r->xsdt, true);
    if (err && r->rsdt) {
        if (r->revision >= 2)
            pr_info("acpi: using the RSDT at 0x%08x\n", r->rsdt);
        err = acpi_index_root(r->rsdt, false);
    }
    if (err) {
        pr_warn("acpi: RSDP rev %u has no usable root table: no ACPI tables\n", r->revision);
        pr_info("dmar: no DMAR table: VT-d is not available (no DMA remapping, no device isolation)\n");
        return -ENODEV;
    }
    acpi_log_rsdp();
    acpi_log_tables();
    acpi_decode_tables();
    acpi_log_summary();
    return 0;
}
