// SPDX-License-Identifier: GPL-2.0-only
/*
 * DMAR boot summary. Tests assert on these formats:
 *   dmar: host address width 48, flags 0x1 (intr-remap)
 *   dmar: drhd0 base 0x00000000fed90000 segment 0 flags 0x0 size 4 KiB
 *   dmar:   scope ioapic id 0 path ff:00.0        (start bus:dev.fn, then /dev.fn per bridge)
 *   dmar: rmrr 0x... - 0x... segment 0
 *   dmar: atsr segment 0 flags 0x1 (all-ports)   dmar: satc segment 0 flags 0x1 (atc-required)
 *   dmar: rhsa base 0x... proximity domain 0      dmar: andd acpi device 1 name "\_SB.PCI0.I2C0"
 */
#include "kernel/acpi/dmar.h"

#include "kernel/log.h"
#include "lib/fmt.h"

const char *dmar_scope_type_name(uint8_t type)
{
    switch (type) {
    case DMAR_SCOPE_PCI_ENDPOINT: return "endpoint";
    case DMAR_SCOPE_PCI_SUBHIERARCHY: return "bridge";
    case DMAR_SCOPE_IOAPIC: return "ioapic";
    case DMAR_SCOPE_HPET: return "hpet";
    case DMAR_SCOPE_ACPI_NAMESPACE: return "acpi-namespace";
    default: return "unknown";
    }
}

static void log_scope(const struct dmar_scope *s)
{
    char path[8 + DMAR_MAX_PATH * 6];
    size_t pos;
    char id[16] = "";

    pos = (size_t)fmt_snprintf(path, sizeof(path), "%02x:%02x.%x", s->start_bus, s->path[0].dev, s->path[0].fn);
    for (unsigned i = 1; i < s->path_len && pos < sizeof(path); i++)
        pos += (size_t)fmt_snprintf(path + pos, sizeof(path) - pos, "/%02x.%x", s->path[i].dev, s->path[i].fn);
    if (s->type == DMAR_SCOPE_IOAPIC || s->type == DMAR_SCOPE_HPET || s->type == DMAR_SCOPE_ACPI_NAMESPACE)
        fmt_snprintf(id, sizeof(id), " id %u", s->enum_id);
    pr_info("dmar:   scope %s%s path %s\n", dmar_scope_type_name(s->type), id, path);
}

static void log_scopes(const struct dmar_info *d, struct dmar_scope_list l)
{
    for (unsigned k = 0; k < l.count && l.first + k < d->nscopes; k++)
        log_scope(&d->scopes[l.first + k]);
}

static const char *dmar_flags_names(uint8_t flags, char *buf, size_t size)
{
    size_t pos = 0;

    buf[0] = '\0';
    if (flags & DMAR_FLAG_INTR_REMAP)
        pos += (size_t)fmt_snprintf(buf + pos, size - pos, " intr-remap");
    if (flags & DMAR_FLAG_X2APIC_OPT_OUT)
        pos += (size_t)fmt_snprintf(buf + pos, size - pos, " x2apic-opt-out");
    if (flags & DMAR_FLAG_DMA_CTRL_OPT_IN)
        fmt_snprintf(buf + pos, size - pos, " dma-ctrl-opt-in");
    return buf;
}

void dmar_log_summary(const struct dmar_info *d)
{
    char names[64];

    dmar_flags_names(d->flags, names, sizeof(names));
    if (names[0])
        pr_info("dmar: host address width %u, flags 0x%x (%s)\n", d->host_addr_width, d->flags, names + 1);
    else
        pr_info("dmar: host address width %u, flags 0x%x\n", d->host_addr_width, d->flags);

    for (unsigned i = 0; i < d->ndrhd; i++) {
        const struct dmar_drhd *u = &d->drhd[i];

        pr_info("dmar: drhd%u base 0x%016llx segment %u flags 0x%x%s size %llu KiB\n", i,
                (unsigned long long)u->base, u->segment, u->flags, u->include_pci_all ? " (include-pci-all)" : "",
                (unsigned long long)(u->reg_size_bytes >> 10));
        log_scopes(d, u->scopes);
    }
    for (unsigned i = 0; i < d->nrmrr; i++) {
        pr_info("dmar: rmrr 0x%016llx - 0x%016llx segment %u\n", (unsigned long long)d->rmrr[i].base,
                (unsigned long long)d->rmrr[i].limit, d->rmrr[i].segment);
        log_scopes(d, d->rmrr[i].scopes);
    }
    for (unsigned i = 0; i < d->natsr; i++) {
        pr_info("dmar: atsr segment %u flags 0x%x%s\n", d->atsr[i].segment, d->atsr[i].flags,
                d->atsr[i].flags & DMAR_ATSR_ALL_PORTS ? " (all-ports)" : "");
        log_scopes(d, d->atsr[i].scopes);
    }
    for (unsigned i = 0; i < d->nsatc; i++) {
        pr_info("dmar: satc segment %u flags 0x%x%s\n", d->satc[i].segment, d->satc[i].flags,
                d->satc[i].flags & DMAR_SATC_ATC_REQUIRED ? " (atc-required)" : "");
        log_scopes(d, d->satc[i].scopes);
    }
    for (unsigned i = 0; i < d->nrhsa; i++)
        pr_info("dmar: rhsa base 0x%016llx proximity domain %u\n", (unsigned long long)d->rhsa[i].base,
                d->rhsa[i].proximity_domain);
    for (unsigned i = 0; i < d->nandd; i++)
        pr_info("dmar: andd acpi device %u name \"%s\"\n", d->andd[i].acpi_device_number, d->andd[i].object_name);
    if (d->skipped)
        pr_warn("dmar: %u malformed or conflicting structures or scopes were skipped (see above)\n", d->skipped);
}
