// SPDX-License-Identifier: GPL-2.0-only
/*
 * DMAR decoder (VT-d 4.1 chapter 8). Pure. Every structure and device scope length is
 * checked against its fixed part and its container before a field is read; what is
 * malformed is logged with its table offset and skipped. A device or I/O APIC claimed by
 * two DRHDs is a firmware bug: the first claim wins.
 */
#include "kernel/acpi/dmar.h"

#include "kernel/acpi/sdt.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "lib/kstring.h"

/* Problems logged before the rest of a table is ignored: a hostile table must not flood the console. */
#define DMAR_MAX_PROBLEMS      64

/* VT-d 8.1 table 20: header(36), Host Address Width(1), Flags(1), Reserved(10). */
#define DMAR_HAW_OFF           36
#define DMAR_FLAGS_OFF         37
#define DMAR_STRUCTS_OFF       48
/* VT-d 8.2: every remapping structure starts with Type(2), Length(2). */
#define DMAR_STRUCT_HDR_BYTES  4

/* Fixed parts: offsets of the first device scope (VT-d 8.3, 8.4, 8.5, 8.8) or the end. */
#define DRHD_FIXED_BYTES       16
#define RMRR_FIXED_BYTES       24
#define ATSR_FIXED_BYTES       8
#define SATC_FIXED_BYTES       8
#define RHSA_BYTES             20
#define ANDD_FIXED_BYTES       8

/* VT-d 8.3.1 table 22: Type(1) Length(1) Flags(1) Reserved(1) Enumeration ID(1) Start Bus(1) Path. */
#define SCOPE_FIXED_BYTES      6
#define DRHD_SIZE_MASK         0x0f
#define PAGE_4K                0x1000ull

struct dmar_scope_owner {
    const char *what;     /* "drhd", "rmrr", ... for log lines */
    size_t table_off;     /* of the owning structure */
    int drhd;             /* index of the owning DRHD, or -1 */
    uint16_t segment;
};

static bool scope_is_pci(uint8_t type)
{
    return type == DMAR_SCOPE_PCI_ENDPOINT || type == DMAR_SCOPE_PCI_SUBHIERARCHY;
}

/* Two scopes name the same device: same PCI path, or same I/O APIC / HPET / ACPI device. */
static bool scope_same_device(const struct dmar_scope *a, const struct dmar_scope *b)
{
    if (scope_is_pci(a->type) && scope_is_pci(b->type))
        return a->start_bus == b->start_bus && a->path_len == b->path_len &&
               !memcmp(a->path, b->path, a->path_len * sizeof(a->path[0]));
    return a->type == b->type && a->enum_id == b->enum_id;
}

/* The DRHD that already claims s, or -1. I/O APIC, HPET and ACPI ids are not per segment. */
static int scope_claimed_by(const struct dmar_info *d, const struct dmar_scope *s, uint16_t segment)
{
    for (unsigned i = 0; i < d->ndrhd; i++) {
        const struct dmar_drhd *u = &d->drhd[i];

        if (scope_is_pci(s->type) && u->segment != segment)
            continue;
        for (unsigned k = 0; k < u->scopes.count; k++)
            if (scope_same_device(&d->scopes[u->scopes.first + k], s))
                return (int)i;
    }
    return -1;
}

/* Decodes one device scope of slen bytes (slen >= SCOPE_FIXED_BYTES checked). false: skip it. */
static bool scope_decode(const uint8_t *p, uint8_t slen, const struct dmar_scope_owner *o, size_t off,
                         struct dmar_scope *s)
{
    unsigned npath = (slen - SCOPE_FIXED_BYTES) / 2;

    if ((slen - SCOPE_FIXED_BYTES) % 2) {
        pr_warn("dmar: %s at offset %zu: device scope at offset %zu has an odd length %u, skipped\n",
                o->what, o->table_off, off, slen);
        return false;
    }
    if (p[0] < DMAR_SCOPE_PCI_ENDPOINT || p[0] > DMAR_SCOPE_ACPI_NAMESPACE) {
        pr_warn("dmar: %s at offset %zu: device scope type %u at offset %zu is unknown, skipped\n",
                o->what, o->table_off, p[0], off);
        return false;
    }
    if (npath == 0 || npath > DMAR_MAX_PATH) {
        pr_warn("dmar: %s at offset %zu: device scope at offset %zu has a path of %u elements (1-%u), skipped\n",
                o->what, o->table_off, off, npath, DMAR_MAX_PATH);
        return false;
    }
    *s = (struct dmar_scope){ .type = p[0], .flags = p[2], .enum_id = p[4], .start_bus = p[5], .path_len = (uint8_t)npath };
    for (unsigned i = 0; i < npath; i++) {
        s->path[i].dev = p[SCOPE_FIXED_BYTES + 2 * i];
        s->path[i].fn = p[SCOPE_FIXED_BYTES + 2 * i + 1];
        if (s->path[i].dev > 31 || s->path[i].fn > 7) {
            pr_warn("dmar: %s at offset %zu: device scope at offset %zu names device %02x.%x, skipped\n",
                    o->what, o->table_off, off, s->path[i].dev, s->path[i].fn);
            return false;
        }
    }
    return true;
}

static bool too_many_problems(const struct dmar_info *d)
{
    return d->skipped >= DMAR_MAX_PROBLEMS;
}

/* Decodes the device scopes in p[0, len) into d->scopes; the list is contiguous. */
static void scopes_parse(struct dmar_info *d, const uint8_t *p, size_t len, size_t table_off,
                         const struct dmar_scope_owner *o, struct dmar_scope_list *list)
{
    list->first = (uint16_t)d->nscopes;
    list->count = 0;
    for (size_t off = 0; off < len && !too_many_problems(d);) {
        struct dmar_scope s;
        uint8_t slen;
        int owner;

        slen = len - off >= 2 ? p[off + 1] : 0;
        if (slen < SCOPE_FIXED_BYTES || slen > len - off) {
            pr_warn("dmar: %s at offset %zu: device scope at offset %zu has length %u (%zu bytes left), "
                    "remaining scopes ignored\n", o->what, o->table_off, table_off + off, slen, len - off);
            d->skipped++;
            return;
        }
        if (!scope_decode(p + off, slen, o, table_off + off, &s)) {
            d->skipped++;
        } else if (o->drhd >= 0 && (owner = scope_claimed_by(d, &s, o->segment)) >= 0) {
            pr_warn("dmar: firmware bug: %s%u at offset %zu repeats the %s scope (id %u, path %02x:%02x.%x) "
                    "of drhd%d, ignored\n", o->what, (unsigned)o->drhd, o->table_off,
                    dmar_scope_type_name(s.type), s.enum_id, s.start_bus, s.path[0].dev, s.path[0].fn, owner);
            d->skipped++;
        } else if (d->nscopes == DMAR_MAX_SCOPES) {
            pr_warn("dmar: more than %u device scopes, the rest ignored\n", DMAR_MAX_SCOPES);
            d->skipped++;
            return;
        } else {
            d->scopes[d->nscopes++] = s;
            list->count++;
        }
        off += slen;
    }
}

static bool struct_too_short(struct dmar_info *d, const char *what, size_t off, size_t len, size_t fixed)
{
    if (len >= fixed)
        return false;
    pr_warn("dmar: %s at offset %zu has length %zu, shorter than its fixed part (%zu), skipped\n", what, off,
            len, fixed);
    d->skipped++;
    return true;
}

static bool table_full(struct dmar_info *d, const char *what, size_t off, unsigned n, unsigned max)
{
    if (n < max)
        return false;
    pr_warn("dmar: %s at offset %zu: more than %u, ignored\n", what, off, max);
    d->skipped++;
    return true;
}

/* VT-d 8.3: DRHD. Flags(1) Size(1) Segment(2) Base(8), device scopes. */
static void drhd_parse(struct dmar_info *d, const uint8_t *e, size_t len, size_t off)
{
    struct dmar_drhd u;
    struct dmar_scope_owner o = { "drhd", off, (int)d->ndrhd, 0 };

    if (struct_too_short(d, "drhd", off, len, DRHD_FIXED_BYTES) ||
        table_full(d, "drhd", off, d->ndrhd, DMAR_MAX_DRHD))
        return;
    u = (struct dmar_drhd){
        .flags = e[4], .segment = acpi_get_le16(e + 6), .base = acpi_get_le64(e + 8),
        .reg_size_bytes = PAGE_4K << (e[5] & DRHD_SIZE_MASK),
    };
    u.include_pci_all = u.flags & DMAR_DRHD_INCLUDE_PCI_ALL;
    if (u.base == 0 || (u.base & (PAGE_4K - 1))) {
        pr_warn("dmar: drhd at offset %zu has register base 0x%016llx (not a page), skipped\n", off,
                (unsigned long long)u.base);
        d->skipped++;
        return;
    }
    for (unsigned i = 0; i < d->ndrhd; i++) {
        if (d->drhd[i].base == u.base) {
            pr_warn("dmar: firmware bug: drhd at offset %zu repeats the base 0x%016llx of drhd%u, skipped\n", off,
                    (unsigned long long)u.base, i);
            d->skipped++;
            return;
        }
        if (u.include_pci_all && d->drhd[i].include_pci_all && d->drhd[i].segment == u.segment) {
            pr_warn("dmar: firmware bug: drhd%u and drhd%u both include all PCI devices of segment %u; drhd%u keeps them\n",
                    i, d->ndrhd, u.segment, i);
            u.include_pci_all = false;
        }
    }
    o.segment = u.segment;
    scopes_parse(d, e + DRHD_FIXED_BYTES, len - DRHD_FIXED_BYTES, off + DRHD_FIXED_BYTES, &o, &u.scopes);
    d->drhd[d->ndrhd++] = u;
}

/* VT-d 8.4: RMRR. Reserved(2) Segment(2) Base(8) Limit(8, inclusive), device scopes. */
static void rmrr_parse(struct dmar_info *d, const uint8_t *e, size_t len, size_t off)
{
    struct dmar_rmrr r;
    struct dmar_scope_owner o = { "rmrr", off, -1, 0 };

    if (struct_too_short(d, "rmrr", off, len, RMRR_FIXED_BYTES) ||
        table_full(d, "rmrr", off, d->nrmrr, DMAR_MAX_RMRR))
        return;
    r = (struct dmar_rmrr){ .segment = acpi_get_le16(e + 6), .base = acpi_get_le64(e + 8), .limit = acpi_get_le64(e + 16) };
    if (r.limit < r.base) {
        pr_warn("dmar: firmware bug: rmrr at offset %zu has limit 0x%016llx below base 0x%016llx, skipped\n", off,
                (unsigned long long)r.limit, (unsigned long long)r.base);
        d->skipped++;
        return;
    }
    /* VT-d 8.4: base is 4 KiB aligned and limit + 1 is a 4 KiB multiple; mapping rounds out. */
    if ((r.base & (PAGE_4K - 1)) || ((r.limit + 1) & (PAGE_4K - 1)))
        pr_warn("dmar: firmware bug: rmrr 0x%016llx - 0x%016llx is not page aligned, rounded out to pages\n",
                (unsigned long long)r.base, (unsigned long long)r.limit);
    o.segment = r.segment;
    scopes_parse(d, e + RMRR_FIXED_BYTES, len - RMRR_FIXED_BYTES, off + RMRR_FIXED_BYTES, &o, &r.scopes);
    d->rmrr[d->nrmrr++] = r;
}

/* VT-d 8.5 (ATSR) and 8.8 (SATC) share a layout: Flags(1) Reserved(1) Segment(2), device scopes. */
static void atsr_parse(struct dmar_info *d, const uint8_t *e, size_t len, size_t off)
{
    struct dmar_atsr a;
    struct dmar_scope_owner o = { "atsr", off, -1, 0 };

    if (struct_too_short(d, "atsr", off, len, ATSR_FIXED_BYTES) ||
        table_full(d, "atsr", off, d->natsr, DMAR_MAX_ATSR))
        return;
    a = (struct dmar_atsr){ .flags = e[4], .segment = acpi_get_le16(e + 6) };
    o.segment = a.segment;
    scopes_parse(d, e + ATSR_FIXED_BYTES, len - ATSR_FIXED_BYTES, off + ATSR_FIXED_BYTES, &o, &a.scopes);
    d->atsr[d->natsr++] = a;
}

static void satc_parse(struct dmar_info *d, const uint8_t *e, size_t len, size_t off)
{
    struct dmar_satc s;
    struct dmar_scope_owner o = { "satc", off, -1, 0 };

    if (struct_too_short(d, "satc", off, len, SATC_FIXED_BYTES) ||
        table_full(d, "satc", off, d->nsatc, DMAR_MAX_SATC))
        return;
    s = (struct dmar_satc){ .flags = e[4], .segment = acpi_get_le16(e + 6) };
    o.segment = s.segment;
    scopes_parse(d, e + SATC_FIXED_BYTES, len - SATC_FIXED_BYTES, off + SATC_FIXED_BYTES, &o, &s.scopes);
    d->satc[d->nsatc++] = s;
}

/* VT-d 8.6: RHSA. Reserved(4) Register Base(8) Proximity Domain(4). */
static void rhsa_parse(struct dmar_info *d, const uint8_t *e, size_t len, size_t off)
{
    struct dmar_rhsa h;
    bool known = false;

    if (struct_too_short(d, "rhsa", off, len, RHSA_BYTES) ||
        table_full(d, "rhsa", off, d->nrhsa, DMAR_MAX_RHSA))
        return;
    h = (struct dmar_rhsa){ .base = acpi_get_le64(e + 8), .proximity_domain = acpi_get_le32(e + 16) };
    for (unsigned i = 0; i < d->ndrhd; i++)
        known |= d->drhd[i].base == h.base;
    if (!known)
        pr_warn("dmar: rhsa at offset %zu names base 0x%016llx of no drhd\n", off, (unsigned long long)h.base);
    d->rhsa[d->nrhsa++] = h;
}

/* VT-d 8.7: ANDD. Reserved(3) ACPI Device Number(1) ACPI Object Name (NUL-terminated). */
static void andd_parse(struct dmar_info *d, const uint8_t *e, size_t len, size_t off)
{
    struct dmar_andd a = { 0 };
    size_t n;

    if (struct_too_short(d, "andd", off, len, ANDD_FIXED_BYTES + 1) ||
        table_full(d, "andd", off, d->nandd, DMAR_MAX_ANDD))
        return;
    a.acpi_device_number = e[7];
    for (n = 0; n < len - ANDD_FIXED_BYTES && n < sizeof(a.object_name) - 1; n++) {
        uint8_t c = e[ANDD_FIXED_BYTES + n];

        if (c == '\0')
            break;
        a.object_name[n] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    a.object_name[n] = '\0';
    d->andd[d->nandd++] = a;
}

static void struct_parse(struct dmar_info *d, const uint8_t *e, uint16_t type, size_t len, size_t off)
{
    switch (type) {
    case DMAR_TYPE_DRHD: drhd_parse(d, e, len, off); break;
    case DMAR_TYPE_RMRR: rmrr_parse(d, e, len, off); break;
    case DMAR_TYPE_ATSR: atsr_parse(d, e, len, off); break;
    case DMAR_TYPE_RHSA: rhsa_parse(d, e, len, off); break;
    case DMAR_TYPE_ANDD: andd_parse(d, e, len, off); break;
    case DMAR_TYPE_SATC: satc_parse(d, e, len, off); break;
    case DMAR_TYPE_SIDP:
        pr_info("dmar: sidp at offset %zu (SoC integrated device properties) not used\n", off);
        break;
    default:
        pr_warn("dmar: unknown structure type %u at offset %zu (length %zu), skipped\n", type, off, len);
        d->skipped++;
        break;
    }
}

int dmar_parse(const void *table, size_t len, struct dmar_info *out)
{
    const uint8_t *t = table;
    size_t tlen, off;
    int err;

    memset(out, 0, sizeof(*out));
    err = acpi_table_validate(table, len, "DMAR", "dmar", &tlen);
    if (err)
        return err;
    if (tlen < DMAR_STRUCTS_OFF) {
        pr_warn("dmar: table length %zu is shorter than its header (%u), ignored\n", tlen, DMAR_STRUCTS_OFF);
        return -EINVAL;
    }
    out->host_addr_width = (uint8_t)(t[DMAR_HAW_OFF] + 1);
    out->flags = t[DMAR_FLAGS_OFF];
    if (out->host_addr_width < 32 || out->host_addr_width > 64)
        pr_warn("dmar: firmware bug: host address width %u bits is implausible\n", out->host_addr_width);

    for (off = DMAR_STRUCTS_OFF; off < tlen;) {
        const uint8_t *e = t + off;
        uint16_t type, slen;

        if (too_many_problems(out)) {
            pr_warn("dmar: %u malformed structures or scopes, rest of table from offset %zu ignored\n",
                    out->skipped, off);
            break;
        }
        if (tlen - off < DMAR_STRUCT_HDR_BYTES) {
            pr_warn("dmar: %zu trailing bytes at offset %zu, ignored\n", tlen - off, off);
            out->skipped++;
            break;
        }
        type = acpi_get_le16(e);
        slen = acpi_get_le16(e + 2);
        if (slen < DMAR_STRUCT_HDR_BYTES || slen > tlen - off) {
            pr_warn("dmar: structure type %u at offset %zu has length %u (%zu bytes left), rest of table ignored\n",
                    type, off, slen, tlen - off);
            out->skipped++;
            break;
        }
        struct_parse(out, e, type, slen, off);
        off += slen;
    }
    if (out->ndrhd == 0)
        pr_warn("dmar: table lists no usable remapping unit (no DRHD)\n");
    return 0;
}
