// SPDX-License-Identifier: GPL-2.0-only
/* Guest ACPI table builder (see guest_acpi.h). */
#include "vmm/guest_acpi.h"

#include "kernel/acpi/fadt.h"
#include "kernel/acpi/madt.h"
#include "kernel/acpi/sdt.h"
#include "kernel/errno.h"
#include "lib/kstring.h"

#define CREATOR_ID       "NSTR"
#define CREATOR_REVISION 1
#define OEM_REVISION     1

#define RSDP_V1_BYTES    20   /* the part the first checksum covers (5.2.5.3) */
#define RSDP_V2_BYTES    36
#define FADT_REV6_BYTES  276  /* table 5.9, ACPI 6.5 */
#define FADT_REVISION    6
#define FADT_MINOR       5
#define MADT_REVISION    5
#define MADT_PCAT_COMPAT (1u << 0)
#define MADT_LAPIC_ENABLED (1u << 0)
#define MCFG_REVISION    1
#define DSDT_REVISION    2    /* 64-bit AML integers */

/* FADT field offsets (ACPI 6.5 table 5.9). */
#define FADT_DSDT_OFF        40
#define FADT_PM_PROFILE_OFF  45
#define FADT_IAPC_BOOT_OFF   109
#define FADT_FLAGS_OFF       112
#define FADT_MINOR_OFF       131
#define FADT_X_DSDT_OFF      140
#define FADT_HV_VENDOR_OFF   268

struct writer {
    uint8_t *buf;
    size_t cap, pos;
    bool overflow;
};

static uint8_t *reserve(struct writer *w, size_t n)
{
    uint8_t *p;

    if (w->overflow || n > w->cap - w->pos) {
        w->overflow = true;
        return NULL;
    }
    p = w->buf + w->pos;
    memset(p, 0, n);
    w->pos += n;
    return p;
}

static void align(struct writer *w, size_t a)
{
    size_t pad = (a - (w->pos & (a - 1))) & (a - 1);

    reserve(w, pad);
}

static void put_le(uint8_t *p, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void set_checksum(uint8_t *p, size_t len, uint8_t *field)
{
    *field = 0;
    *field = (uint8_t)(0x100 - acpi_checksum(p, len));
}

/* A table header (5.2.6); the Length and Checksum are set by finish_table. */
static size_t begin_table(struct writer *w, const char sig[4], uint8_t revision)
{
    uint8_t *h;

    align(w, 16);
    h = reserve(w, ACPI_SDT_HEADER_BYTES);
    if (!h)
        return 0;
    memcpy(h, sig, 4);
    h[ACPI_SDT_REVISION_OFF] = revision;
    memcpy(h + 10, GUEST_ACPI_OEM_ID, 6);
    memcpy(h + 16, GUEST_ACPI_OEM_TABLE, 8);
    put_le(h + 24, OEM_REVISION, 4);
    memcpy(h + 28, CREATOR_ID, 4);
    put_le(h + 32, CREATOR_REVISION, 4);
    return (size_t)(h - w->buf);
}

static void finish_table(struct writer *w, size_t at)
{
    uint8_t *h = w->buf + at;
    size_t len = w->pos - at;

    if (w->overflow)
        return;
    put_le(h + ACPI_SDT_LENGTH_OFF, len, 4);
    set_checksum(h, len, h + ACPI_SDT_CHECKSUM_OFF);
}

/* DSDT: DefinitionBlock with Scope (\_SB) {} (ACPI 6.5 20.2.5.1: ScopeOp PkgLength NameString). */
static size_t build_dsdt(struct writer *w)
{
    static const uint8_t aml[] = { 0x10, 0x06, '\\', '_', 'S', 'B', '_' };
    size_t at = begin_table(w, "DSDT", DSDT_REVISION);
    uint8_t *p = reserve(w, sizeof(aml));

    if (p)
        memcpy(p, aml, sizeof(aml));
    finish_table(w, at);
    return at;
}

static size_t build_fadt(struct writer *w, uint64_t dsdt_gpa)
{
    size_t at = begin_table(w, "FACP", FADT_REVISION);
    uint8_t *f = reserve(w, FADT_REV6_BYTES - ACPI_SDT_HEADER_BYTES);

    if (!f)
        return at;
    f -= ACPI_SDT_HEADER_BYTES;
    put_le(f + FADT_DSDT_OFF, dsdt_gpa, 4);
    f[FADT_PM_PROFILE_OFF] = 0;                          /* unspecified */
    put_le(f + FADT_IAPC_BOOT_OFF, FADT_IAPC_NO_VGA | FADT_IAPC_NO_CMOS_RTC, 2);
    put_le(f + FADT_FLAGS_OFF, FADT_FLAG_HW_REDUCED, 4);
    f[FADT_MINOR_OFF] = FADT_MINOR;
    put_le(f + FADT_X_DSDT_OFF, dsdt_gpa, 8);
    memcpy(f + FADT_HV_VENDOR_OFF, "Nestor\0\0", 8);
    finish_table(w, at);
    return at;
}

static size_t build_madt(struct writer *w, const struct guest_acpi_config *cfg)
{
    size_t at = begin_table(w, "APIC", MADT_REVISION);
    uint8_t *p = reserve(w, 8);

    if (p)
        put_le(p, cfg->lapic_base, 4); /* flags 0: no 8259 pair is emulated */
    for (unsigned i = 0; i < cfg->nr_cpus; i++) {
        p = reserve(w, 8);                /* 5.2.12.2 */
        if (!p)
            break;
        p[0] = MADT_TYPE_LAPIC, p[1] = 8, p[2] = (uint8_t)i, p[3] = (uint8_t)i;
        put_le(p + 4, MADT_LAPIC_ENABLED, 4);
    }
    p = reserve(w, 12);                   /* 5.2.12.3 */
    if (p) {
        p[0] = MADT_TYPE_IOAPIC, p[1] = 12, p[2] = cfg->ioapic_id;
        put_le(p + 4, cfg->ioapic_base, 4);
        put_le(p + 8, cfg->ioapic_gsi_base, 4);
    }
    p = reserve(w, 10);                   /* 5.2.12.5: ISA IRQ 0 (PIT) arrives on GSI 2 */
    if (p) {
        p[0] = MADT_TYPE_INT_OVERRIDE, p[1] = 10, p[2] = 0, p[3] = 0;
        put_le(p + 4, 2, 4);
        put_le(p + 8, 0, 2);              /* conforms to the bus: edge, active high */
    }
    finish_table(w, at);
    return at;
}

static size_t build_mcfg(struct writer *w, const struct guest_acpi_config *cfg)
{
    size_t at = begin_table(w, "MCFG", MCFG_REVISION);
    uint8_t *p = reserve(w, 8 + 16);      /* reserved, one allocation structure */

    if (p) {
        p += 8;
        put_le(p, cfg->ecam_base, 8);
        put_le(p + 8, 0, 2);              /* segment 0 */
        p[10] = cfg->ecam_start_bus;
        p[11] = cfg->ecam_end_bus;
    }
    finish_table(w, at);
    return at;
}

static size_t build_sdt(struct writer *w, const char sig[4], const uint64_t *tables, unsigned n, unsigned entry_bytes)
{
    size_t at = begin_table(w, sig, 1);
    uint8_t *p = reserve(w, (size_t)n * entry_bytes);

    for (unsigned i = 0; p && i < n; i++)
        put_le(p + i * entry_bytes, tables[i], entry_bytes);
    finish_table(w, at);
    return at;
}

static void build_rsdp(uint8_t *r, uint64_t rsdt, uint64_t xsdt)
{
    memcpy(r, "RSD PTR ", 8);
    memcpy(r + 9, GUEST_ACPI_OEM_ID, 6);
    r[15] = 2;
    put_le(r + 16, rsdt, 4);
    put_le(r + 20, RSDP_V2_BYTES, 4);
    put_le(r + 24, xsdt, 8);
    set_checksum(r, RSDP_V1_BYTES, r + 8);
    set_checksum(r, RSDP_V2_BYTES, r + 32);
}

int guest_acpi_build(const struct guest_acpi_config *cfg, uint64_t base_gpa, void *buf, size_t cap,
                     struct guest_acpi_layout *out)
{
    struct writer w = { buf, cap, 0, false };
    uint64_t tables[3];
    unsigned n = 0;
    uint8_t *rsdp;
    size_t dsdt, fadt, madt, mcfg = 0, rsdt, xsdt;

    memset(out, 0, sizeof(*out));
    if (!cfg->nr_cpus || cfg->nr_cpus > GUEST_ACPI_MAX_CPUS || (base_gpa & 15) ||
        base_gpa + cap > 0x100000000ULL || (cfg->have_ecam && cfg->ecam_end_bus < cfg->ecam_start_bus))
        return -EINVAL;
    rsdp = reserve(&w, RSDP_V2_BYTES);
    dsdt = build_dsdt(&w);
    fadt = build_fadt(&w, base_gpa + dsdt);
    madt = build_madt(&w, cfg);
    tables[n++] = base_gpa + fadt;
    tables[n++] = base_gpa + madt;
    if (cfg->have_ecam) {
        mcfg = build_mcfg(&w, cfg);
        tables[n++] = base_gpa + mcfg;
    }
    rsdt = build_sdt(&w, "RSDT", tables, n, 4);
    xsdt = build_sdt(&w, "XSDT", tables, n, 8);
    if (w.overflow)
        return -ENOSPC;
    build_rsdp(rsdp, base_gpa + rsdt, base_gpa + xsdt);
    *out = (struct guest_acpi_layout){
        .rsdp = base_gpa, .rsdt = base_gpa + rsdt, .xsdt = base_gpa + xsdt, .fadt = base_gpa + fadt,
        .dsdt = base_gpa + dsdt, .madt = base_gpa + madt, .mcfg = mcfg ? base_gpa + mcfg : 0, .bytes = w.pos,
    };
    return 0;
}
