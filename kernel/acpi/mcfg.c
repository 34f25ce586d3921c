// SPDX-License-Identifier: GPL-2.0-only
/* MCFG decoder (PCI Firmware spec 3.2, section 4.1.2). Pure. */
#include "kernel/acpi/mcfg.h"

#include "kernel/acpi/sdt.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "lib/kstring.h"

/* Header(36), Reserved(8), then allocation structures of 16 bytes (PCI FW 3.2 table 4-3). */
#define MCFG_ENTRIES_OFF   44
#define MCFG_ENTRY_BYTES   16
#define ECAM_BUS_BYTES     (1ull << 20)
/* Architectural MAXPHYADDR bound (SDM vol. 3A 4.1.4): no ECAM window can lie above it. */
#define ECAM_PHYS_LIMIT    (1ull << 52)

bool mcfg_segment_usable(const struct mcfg_segment *s)
{
    uint64_t window_end = (uint64_t)(s->end_bus + 1) * ECAM_BUS_BYTES; /* from base, for bus end_bus */

    return s->end_bus >= s->start_bus && s->base != 0 && !(s->base & (ECAM_BUS_BYTES - 1)) &&
           s->base <= ECAM_PHYS_LIMIT - window_end;
}

int mcfg_parse(const void *table, size_t len, struct mcfg_info *out)
{
    const uint8_t *t = table;
    size_t tlen;
    int err;

    memset(out, 0, sizeof(*out));
    err = acpi_table_validate(table, len, "MCFG", "mcfg", &tlen);
    if (err)
        return err;
    if (tlen < MCFG_ENTRIES_OFF) {
        pr_warn("mcfg: table length %zu is shorter than its fixed part, ignored\n", tlen);
        return -EINVAL;
    }
    if ((tlen - MCFG_ENTRIES_OFF) % MCFG_ENTRY_BYTES)
        pr_warn("mcfg: %zu trailing bytes after the last range, ignored\n",
                (tlen - MCFG_ENTRIES_OFF) % MCFG_ENTRY_BYTES);

    for (size_t off = MCFG_ENTRIES_OFF; tlen - off >= MCFG_ENTRY_BYTES; off += MCFG_ENTRY_BYTES) {
        const uint8_t *e = t + off;
        struct mcfg_segment s = {
            .base = acpi_get_le64(e), .segment = acpi_get_le16(e + 8), .start_bus = e[10], .end_bus = e[11],
        };

        if (!mcfg_segment_usable(&s)) {
            pr_warn("mcfg: segment %u buses %02x-%02x ecam 0x%016llx is malformed, ignored\n", s.segment,
                    s.start_bus, s.end_bus, (unsigned long long)s.base);
            continue;
        }
        if (out->count == MCFG_MAX_SEGMENTS) {
            pr_warn("mcfg: more than %u ranges, the rest ignored\n", MCFG_MAX_SEGMENTS);
            break;
        }
        out->seg[out->count++] = s;
    }
    return 0;
}

void mcfg_log_summary(const struct mcfg_info *m)
{
    for (unsigned i = 0; i < m->count; i++)
        pr_info("mcfg: segment %u buses %02x-%02x ecam 0x%016llx\n", m->seg[i].segment, m->seg[i].start_bus,
                m->seg[i].end_bus, (unsigned long long)m->seg[i].base);
}
