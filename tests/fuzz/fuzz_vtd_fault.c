// SPDX-License-Identifier: GPL-2.0-only
/*
 * VT-d fault record decoding and formatting on random 128-bit records (the FRCD
 * registers are device input). Input: lo, hi, segment, a buffer size. Checked: the
 * formatted line is terminated inside any buffer and agrees with the returned length;
 * encode(decode(x)) decodes to the same record (its address or its interrupt index,
 * whichever the reason code gives it).
 */
#include <string.h>

#include "iommu/vtd_fault.h"
#include "tests/fuzz/fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_input in = { data, size };
    struct vtd_fault_record rec, again;
    uint64_t lo = fuzz_take(&in, 8), hi = fuzz_take(&in, 8), lo2, hi2;
    uint16_t seg = (uint16_t)fuzz_take(&in, 2);
    size_t bufsz = (size_t)fuzz_take(&in, 1) % 200;
    char full[256], *small;
    int n;

    fuzz_log_quiet();
    vtd_fault_record_decode(lo, hi, &rec);
    (void)vtd_fault_reason_name(rec.reason);
    (void)vtd_fault_reason_known(rec.reason);
    n = vtd_fault_format(full, sizeof(full), "vtd0", seg, &rec);
    FUZZ_CHECK(n >= 0 && (size_t)n < sizeof(full) && strlen(full) == (size_t)n);
    small = malloc(bufsz ? bufsz : 1);
    FUZZ_CHECK(vtd_fault_format(small, bufsz, "vtd0", seg, &rec) == n);
    if (bufsz)
        FUZZ_CHECK(strlen(small) == ((size_t)n < bufsz ? (size_t)n : bufsz - 1));
    free(small);
    vtd_fault_record_encode(&rec, &lo2, &hi2);
    vtd_fault_record_decode(lo2, hi2, &again);
    FUZZ_CHECK(rec.fault == again.fault && rec.is_read == again.is_read && rec.reason == again.reason &&
               rec.sid == again.sid && rec.pasid_present == again.pasid_present && rec.exe == again.exe &&
               rec.priv == again.priv && rec.at == again.at);
    /* An interrupt-remapping fault carries an index where a DMA fault has its address. */
    if (vtd_fault_reason_is_ir(rec.reason))
        FUZZ_CHECK(rec.ir_index == again.ir_index);
    else
        FUZZ_CHECK(rec.addr == again.addr);
    if (rec.pasid_present)
        FUZZ_CHECK(rec.pasid == again.pasid);
    return 0;
}
