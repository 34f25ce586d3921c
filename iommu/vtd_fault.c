// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fault reason names and fault record decoding (VT-d spec 7.1-7.2, 11.4.9.3).
 * Each name carries the source that confirms the code: Q = QEMU VTDFaultReason,
 * L = Linux dmar.c fault reason tables. Where the two name a code differently
 * the comment says so; codes neither names decode as "unknown reason".
 */
#include "iommu/vtd_fault.h"

#include "iommu/vtd_bits.h"
#include "lib/fmt.h"

struct vtd_fault_reason_desc {
    uint8_t code;
    const char *name;
};

static const struct vtd_fault_reason_desc vtd_fault_reasons[] = {
    { 0x01, "root entry not present" },                                  /* Q L */
    { 0x02, "context entry not present" },                               /* Q L */
    { 0x03, "invalid context entry" },                                   /* Q L */
    { 0x04, "address beyond MGAW" },                                     /* Q L */
    { 0x05, "write not permitted by the page table" },                   /* Q L */
    { 0x06, "read not permitted by the page table" },                    /* Q L */
    { 0x07, "page-table entry not accessible" },                         /* Q L */
    { 0x08, "root table not accessible" },                               /* Q L */
    { 0x09, "context table not accessible" },                            /* Q L */
    { 0x0A, "reserved bit set in root entry" },                          /* Q L */
    { 0x0B, "reserved bit set in context entry" },                       /* Q L */
    { 0x0C, "reserved bit set in page-table entry" },                    /* Q L */
    { 0x0D, "request blocked by context entry translation type" },       /* Q L */
    { 0x0E, "output address in interrupt range" },                       /* Q */
    { 0x20, "reserved field set in interrupt request" },                 /* Q L */
    { 0x21, "interrupt index beyond table" },                            /* Q L */
    { 0x22, "interrupt remapping entry not present" },                   /* Q L */
    { 0x23, "interrupt remapping table not accessible" },                /* Q L */
    { 0x24, "reserved bit set in interrupt remapping entry" },           /* Q L */
    { 0x25, "compatibility-format interrupt blocked" },                  /* Q L */
    { 0x26, "interrupt source id check failed" },                        /* Q L */
    { 0x30, "invalid root table address" },                              /* L */
    { 0x31, "legacy table mode for request with PASID" },                /* L; Q: "invalid TTM in RTADDR" */
    { 0x32, "legacy table mode for page request" },                      /* L */
    { 0x38, "root entry not accessible" },                               /* L */
    { 0x39, "root entry not present" },                                  /* L */
    { 0x3A, "reserved bit set in root entry" },                          /* L */
    { 0x40, "context entry not accessible" },                            /* L */
    { 0x41, "context entry not present" },                               /* L */
    { 0x42, "reserved bit set in context entry" },                       /* L */
    { 0x43, "invalid context entry" },                                   /* L */
    { 0x44, "device-TLB disabled in context entry" },                    /* L: DTE clear */
    { 0x45, "PASID disabled in context entry" },                         /* L: PASIDE clear */
    { 0x46, "PASID beyond PASID directory size" },                       /* L */
    { 0x47, "page requests disabled in context entry" },                 /* Q L: PRE clear */
    { 0x48, "RID_PASID error in context entry" },                        /* L */
    { 0x50, "PASID directory entry not accessible" },                    /* Q L */
    { 0x51, "PASID directory entry not present" },                       /* Q L */
    { 0x52, "reserved bit set in PASID directory entry" },               /* L */
    { 0x58, "PASID table entry not accessible" },                        /* Q L (older Q: "invalid PASID entry") */
    { 0x59, "PASID table entry not present" },                           /* Q L */
    { 0x5A, "reserved bit set in PASID table entry" },                   /* L */
    { 0x5B, "invalid PASID table entry" },                               /* Q L: e.g. a PGTT the unit lacks */
    { 0x5C, "execute requests disabled in PASID entry" },                /* L: ERE clear */
    { 0x5D, "supervisor requests disabled in PASID entry" },             /* L: SRE clear */
    { 0x70, "first-stage entry not accessible" },                        /* Q L */
    { 0x71, "first-stage entry not present" },                           /* Q L */
    { 0x72, "reserved bit set in first-stage entry" },                   /* Q L */
    { 0x73, "first-stage table pointer not accessible" },                /* Q: invalid FSPTPTR; L: FL-PML4 access */
    { 0x74, "nested first-stage entry address beyond MGAW" },            /* L */
    { 0x75, "nested first-stage root not readable" },                    /* L */
    { 0x76, "nested first-stage entry not readable" },                   /* L */
    { 0x77, "nested first-stage entry not writable" },                   /* L */
    { 0x78, "second-stage entry not accessible" },                       /* L */
    { 0x79, "second-stage permission denied" },                          /* L */
    { 0x7A, "reserved bit set in second-stage entry" },                  /* L */
    { 0x7B, "invalid second-stage table pointer" },                      /* L */
    { 0x7C, "second-stage A/D update without snoop" },                   /* L */
    { 0x80, "non-canonical first-stage address" },                       /* Q L */
    { 0x81, "user request to supervisor page" },                         /* Q L: U/S clear */
    { 0x82, "execute not permitted" },                                   /* L */
    { 0x83, "address beyond hardware maximum" },                         /* L */
    { 0x84, "second-stage entry address beyond maximum" },               /* L */
    { 0x85, "write not permitted by the page table" },                   /* Q L */
    { 0x86, "read not permitted by the page table" },                    /* L */
    { 0x87, "output address in interrupt range" },                       /* Q L */
    { 0x90, "first-stage A/D update without snoop" },                    /* L */
    { 0x91, "first-stage A/D update failed" },                           /* Q */
};

static const struct vtd_fault_reason_desc *vtd_fault_reason_find(uint8_t reason)
{
    for (size_t i = 0; i < sizeof(vtd_fault_reasons) / sizeof(vtd_fault_reasons[0]); i++)
        if (vtd_fault_reasons[i].code == reason)
            return &vtd_fault_reasons[i];
    return NULL;
}

const char *vtd_fault_reason_name(uint8_t reason)
{
    const struct vtd_fault_reason_desc *d = vtd_fault_reason_find(reason);

    return d ? d->name : "unknown reason";
}

bool vtd_fault_reason_known(uint8_t reason)
{
    return vtd_fault_reason_find(reason) != NULL;
}

bool vtd_fault_reason_is_ir(uint8_t reason)
{
    return reason >= 0x20 && reason <= 0x2F;
}

void vtd_fault_record_decode(uint64_t lo, uint64_t hi, struct vtd_fault_record *out)
{
    out->fault = vtd_bit_get(hi, 63);
    out->is_read = vtd_bit_get(hi, 62);
    out->at = (uint8_t)vtd_field_get(hi, 61, 60);
    out->pasid = (uint32_t)vtd_field_get(hi, 59, 40);
    out->reason = (uint8_t)vtd_field_get(hi, 39, 32);
    out->pasid_present = vtd_bit_get(hi, 31);
    out->exe = vtd_bit_get(hi, 30);
    out->priv = vtd_bit_get(hi, 29);
    out->sid = (uint16_t)vtd_field_get(hi, 15, 0);
    out->addr = vtd_addr_get(lo);
    out->ir_index = (uint16_t)vtd_field_get(lo, 63, 48);
}

void vtd_fault_record_encode(const struct vtd_fault_record *rec, uint64_t *lo, uint64_t *hi)
{
    uint64_t h = 0;

    h = vtd_bit_set(h, 63, rec->fault);
    h = vtd_bit_set(h, 62, rec->is_read);
    h = vtd_field_set(h, 61, 60, rec->at);
    h = vtd_field_set(h, 59, 40, rec->pasid);
    h = vtd_field_set(h, 39, 32, rec->reason);
    h = vtd_bit_set(h, 31, rec->pasid_present);
    h = vtd_bit_set(h, 30, rec->exe);
    h = vtd_bit_set(h, 29, rec->priv);
    h = vtd_field_set(h, 15, 0, rec->sid);
    *hi = h;
    *lo = vtd_fault_reason_is_ir(rec->reason) ? vtd_field_set(0, 63, 48, rec->ir_index) : vtd_addr_get(rec->addr);
}

int vtd_fault_format(char *buf, size_t size, const char *unit_name, uint16_t seg, const struct vtd_fault_record *rec)
{
    unsigned bus = (unsigned)vtd_field_get(rec->sid, 15, 8);
    unsigned dev = (unsigned)vtd_field_get(rec->sid, 7, 3);
    unsigned fn = (unsigned)vtd_field_get(rec->sid, 2, 0);
    char pasid[24] = "";

    if (rec->pasid_present)
        fmt_snprintf(pasid, sizeof(pasid), " pasid 0x%x", (unsigned)rec->pasid);
    if (vtd_fault_reason_is_ir(rec->reason))
        return fmt_snprintf(buf, size, "%s: fault: %04x:%02x:%02x.%u interrupt index 0x%04x reason 0x%02x (%s)",
                            unit_name, seg, bus, dev, fn, rec->ir_index, rec->reason,
                            vtd_fault_reason_name(rec->reason));
    return fmt_snprintf(buf, size, "%s: fault: %04x:%02x:%02x.%u %s iova 0x%016llx%s reason 0x%02x (%s)", unit_name,
                        seg, bus, dev, fn, rec->is_read ? "read" : "write", (unsigned long long)rec->addr, pasid,
                        rec->reason, vtd_fault_reason_name(rec->reason));
}
