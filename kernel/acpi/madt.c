// SPDX-License-Identifier: GPL-2.0-only
/* MADT decoder (ACPI 6.4 section 5.2.12). Pure. */
#include "kernel/acpi/madt.h"

#include "kernel/acpi/sdt.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "lib/fmt.h"
#include "lib/kstring.h"

/*
 * Problems logged one line each; beyond this, only counted and summed up in one line,
 * so a hostile table (up to 4 MiB of 2-byte entries) cannot flood the console.
 */
#define MADT_MAX_LOGGED_PROBLEMS 16

#define madt_problem(m, ...)                                    \
    do {                                                        \
        if ((m)->skipped++ < MADT_MAX_LOGGED_PROBLEMS)          \
            pr_warn(__VA_ARGS__);                               \
    } while (0)

/* ACPI 6.4 table 5.43: Local Interrupt Controller Address(4), Flags(4), then entries. */
#define MADT_LAPIC_ADDR_OFF    36
#define MADT_FLAGS_OFF         40
#define MADT_ENTRIES_OFF       44
#define MADT_FLAG_PCAT_COMPAT  (1u << 0)

#define MADT_CPU_ENABLED         (1u << 0)
#define MADT_CPU_ONLINE_CAPABLE  (1u << 1)

/* Fixed lengths of the entries we decode (ACPI 6.4 5.2.12.2 - 5.2.12.13). */
static unsigned madt_entry_min_len(uint8_t type)
{
    switch (type) {
    case MADT_TYPE_LAPIC: return 8;
    case MADT_TYPE_IOAPIC: return 12;
    case MADT_TYPE_INT_OVERRIDE: return 10;
    case MADT_TYPE_LAPIC_NMI: return 6;
    case MADT_TYPE_LAPIC_ADDR_OVERRIDE: return 12;
    case MADT_TYPE_X2APIC: return 16;
    case MADT_TYPE_X2APIC_NMI: return 12;
    default: return 2;
    }
}

static void madt_add_cpu(struct madt_info *m, uint32_t apic_id, uint32_t uid, uint32_t flags, bool x2apic)
{
    for (unsigned i = 0; i < m->ncpus; i++) {
        if (m->cpus[i].apic_id == apic_id) {
            madt_problem(m, "madt: apic id %u listed twice (firmware bug), second entry ignored\n", apic_id);
            return;
        }
    }
    if (m->ncpus == MADT_MAX_CPUS) {
        madt_problem(m, "madt: more than %u processors, apic id %u ignored\n", MADT_MAX_CPUS, apic_id);
        return;
    }
    m->cpus[m->ncpus++] = (struct madt_cpu){
        .apic_id = apic_id,
        .acpi_uid = uid,
        .enabled = flags & MADT_CPU_ENABLED,
        .online_capable = flags & MADT_CPU_ONLINE_CAPABLE,
        .x2apic = x2apic,
    };
}

static void madt_add_ioapic(struct madt_info *m, const uint8_t *e)
{
    struct madt_ioapic io = { .id = e[2], .address = acpi_get_le32(e + 4), .gsi_base = acpi_get_le32(e + 8) };

    if (io.address == 0 || (io.address & 0x3ff)) {
        madt_problem(m, "madt: ioapic id %u at 0x%08x is not a usable address, ignored\n", io.id, io.address);
        return;
    }
    if (m->nioapics == MADT_MAX_IOAPICS) {
        madt_problem(m, "madt: more than %u I/O APICs, id %u ignored\n", MADT_MAX_IOAPICS, io.id);
        return;
    }
    m->ioapics[m->nioapics++] = io;
}

static void madt_add_override(struct madt_info *m, const uint8_t *e)
{
    if (m->noverrides == MADT_MAX_OVERRIDES) {
        madt_problem(m, "madt: more than %u interrupt overrides, irq %u ignored\n", MADT_MAX_OVERRIDES, e[3]);
        return;
    }
    m->overrides[m->noverrides++] = (struct madt_override){
        .bus = e[2], .source = e[3], .gsi = acpi_get_le32(e + 4), .flags = acpi_get_le16(e + 8),
    };
}

static void madt_add_nmi(struct madt_info *m, uint32_t uid, uint16_t flags, uint8_t lint)
{
    if (lint > 1) {
        madt_problem(m, "madt: NMI on LINT%u does not exist, ignored\n", lint);
        return;
    }
    if (m->nnmis == MADT_MAX_NMIS) {
        madt_problem(m, "madt: more than %u NMI entries, ignored\n", MADT_MAX_NMIS);
        return;
    }
    m->nmis[m->nnmis++] = (struct madt_nmi){ .acpi_uid = uid, .flags = flags, .lint = lint };
}

static void madt_decode_entry(struct madt_info *m, const uint8_t *e)
{
    switch (e[0]) {
    case MADT_TYPE_LAPIC:
        madt_add_cpu(m, e[3], e[2], acpi_get_le32(e + 4), false);
        break;
    case MADT_TYPE_IOAPIC:
        madt_add_ioapic(m, e);
        break;
    case MADT_TYPE_INT_OVERRIDE:
        madt_add_override(m, e);
        break;
    case MADT_TYPE_LAPIC_NMI:
        /* processor UID 0xff means all processors (ACPI 6.4 5.2.12.7) */
        madt_add_nmi(m, e[2] == 0xff ? MADT_NMI_ALL_CPUS : e[2], acpi_get_le16(e + 3), e[5]);
        break;
    case MADT_TYPE_LAPIC_ADDR_OVERRIDE:
        m->lapic_base = acpi_get_le64(e + 4);
        break;
    case MADT_TYPE_X2APIC:
        madt_add_cpu(m, acpi_get_le32(e + 4), acpi_get_le32(e + 12), acpi_get_le32(e + 8), true);
        break;
    case MADT_TYPE_X2APIC_NMI:
        madt_add_nmi(m, acpi_get_le32(e + 4), acpi_get_le16(e + 2), e[8]);
        break;
    default:
        pr_debug("madt: entry type %u (length %u) not used\n", e[0], e[1]);
        break;
    }
}

int madt_parse(const void *table, size_t len, struct madt_info *out)
{
    const uint8_t *t = table;
    size_t tlen, off;
    int err;

    memset(out, 0, sizeof(*out));
    err = acpi_table_validate(table, len, "APIC", "madt", &tlen);
    if (err)
        return err;
    if (tlen < MADT_ENTRIES_OFF) {
        pr_warn("madt: table length %zu is shorter than its fixed part, ignored\n", tlen);
        return -EINVAL;
    }
    out->lapic_base = acpi_get_le32(t + MADT_LAPIC_ADDR_OFF);
    out->pcat_compat = acpi_get_le32(t + MADT_FLAGS_OFF) & MADT_FLAG_PCAT_COMPAT;

    for (off = MADT_ENTRIES_OFF; off < tlen;) {
        const uint8_t *e = t + off;
        uint8_t type, elen;

        if (tlen - off < 2) {
            madt_problem(out, "madt: trailing byte at offset %zu, ignored\n", off);
            break;
        }
        type = e[0];
        elen = e[1];
        if (elen < 2 || elen > tlen - off) {
            madt_problem(out, "madt: entry type %u at offset %zu has length %u (%zu bytes left), rest of table ignored\n",
                         type, off, elen, tlen - off);
            break;
        }
        if (elen < madt_entry_min_len(type)) {
            madt_problem(out, "madt: entry type %u at offset %zu is too short (%u < %u), skipped\n", type, off,
                         elen, madt_entry_min_len(type));
        } else {
            madt_decode_entry(out, e);
        }
        off += elen;
    }
    if (out->skipped > MADT_MAX_LOGGED_PROBLEMS)
        pr_warn("madt: %u more malformed or excess entries not logged\n",
                out->skipped - MADT_MAX_LOGGED_PROBLEMS);
    return 0;
}

/* At most this many ids in the summary line; the line stays under the log line limit. */
#define MADT_SUMMARY_IDS 48

void madt_log_summary(const struct madt_info *m)
{
    char ids[MADT_SUMMARY_IDS * 11 + 8];
    size_t pos = 0;
    unsigned n = 0, disabled = 0;

    ids[0] = '\0';
    for (unsigned i = 0; i < m->ncpus; i++) {
        if (!m->cpus[i].enabled) {
            disabled++;
            continue;
        }
        if (n < MADT_SUMMARY_IDS)
            pos += fmt_snprintf(ids + pos, sizeof(ids) - pos, "%s%u", n ? " " : "", m->cpus[i].apic_id);
        else if (n == MADT_SUMMARY_IDS)
            pos += fmt_snprintf(ids + pos, sizeof(ids) - pos, " ...");
        n++;
    }
    pr_info("cpus: %u (apic ids %s)\n", n, ids);
    if (disabled)
        pr_info("cpus: %u more listed disabled (hot-pluggable or absent)\n", disabled);
    for (unsigned i = 0; i < m->nioapics; i++)
        pr_info("ioapic: id %u at 0x%08x gsi %u\n", m->ioapics[i].id, m->ioapics[i].address,
                m->ioapics[i].gsi_base);
    for (unsigned i = 0; i < m->noverrides; i++)
        pr_debug("madt: irq %u -> gsi %u flags 0x%x\n", m->overrides[i].source, m->overrides[i].gsi,
                 m->overrides[i].flags);
}
