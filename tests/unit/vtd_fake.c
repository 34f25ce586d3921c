// SPDX-License-Identifier: GPL-2.0-only
#include "tests/unit/vtd_fake.h"

#include "tests/unit/support.h"

#include <stdlib.h>
#include <string.h>

#include "iommu/vtd_regs.h"

struct fake_vtd fake_vtd;

#define MAX_PAGES 4096
static void *pages[MAX_PAGES];
static unsigned npages;
static int fail_after = -1;
static uint64_t fake_time_us;

static uint32_t rd32(uint32_t off) { uint32_t v; memcpy(&v, fake_vtd.regs + off, 4); return v; }
static uint64_t rd64(uint32_t off) { uint64_t v; memcpy(&v, fake_vtd.regs + off, 8); return v; }
static void wr32(uint32_t off, uint32_t v) { memcpy(fake_vtd.regs + off, &v, 4); }
static void wr64(uint32_t off, uint64_t v) { memcpy(fake_vtd.regs + off, &v, 8); }

uint32_t fake_vtd_reg32(uint32_t off) { return rd32(off); }
uint64_t fake_vtd_reg64(uint32_t off) { return rd64(off); }
void fake_vtd_set_reg32(uint32_t off, uint32_t v) { wr32(off, v); }

void fake_vtd_fail_alloc_after(int n) { fail_after = n; }

unsigned fake_vtd_pages_in_use(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < npages; i++)
        n += pages[i] != NULL;
    return n;
}

void fake_vtd_reset(uint64_t cap, uint64_t ecap)
{
    for (unsigned i = 0; i < npages; i++)
        free(pages[i]);
    npages = 0;
    fail_after = -1;
    memset(&fake_vtd, 0, sizeof(fake_vtd));
    fake_vtd.cap = cap;
    fake_vtd.ecap = ecap;
    wr32(VTD_REG_VER, 0x10);
    wr64(VTD_REG_CAP, cap);
    wr64(VTD_REG_ECAP, ecap);
    wr32(VTD_REG_FECTL, VTD_FECTL_IM);
}

unsigned fake_vtd_count_desc(unsigned type)
{
    unsigned n = 0;
    for (unsigned i = 0; i < fake_vtd.nq; i++)
        n += (fake_vtd.qlog[i].q[0] & 0xF) == type;
    return n;
}

static unsigned count_waits(const uint8_t *q, uint64_t from, uint64_t to, unsigned dsz, unsigned qbytes)
{
    unsigned n = 0;

    for (; from != to; from = (from + dsz) % qbytes)
        n += (q[from] & 0xF) == 5;
    return n;
}

static void process_queue(void)
{
    uint64_t iqa = rd64(VTD_REG_IQA);
    unsigned dsz = (iqa & VTD_IQA_DW) ? 32 : 16;
    unsigned qbytes = 4096u << (iqa & 7);
    uint8_t *q = (uint8_t *)(uintptr_t)(iqa & ~0xFFFULL);
    uint64_t head = rd64(VTD_REG_IQH) & VTD_IQ_OFF_MASK;
    uint64_t tail = rd64(VTD_REG_IQT) & VTD_IQ_OFF_MASK;

    if (fake_vtd.queue_stalled || (rd32(VTD_REG_FSTS) & (VTD_FSTS_IQE | VTD_FSTS_ITE)))
        return;
    if (!(rd32(VTD_REG_GSTS) & VTD_GSTS_QIES))
        return;
    while (head != tail) {
        struct fake_vtd_desc d = { { 0 } };
        memcpy(d.q, q + head, dsz);
        unsigned type = d.q[0] & 0xF;
        if (type == 0 || type > 7 || (dsz == 16 && (type == 6 || type == 7))) {
            wr32(VTD_REG_FSTS, rd32(VTD_REG_FSTS) | VTD_FSTS_IQE);
            break;
        }
        if (fake_vtd.nq < FAKE_VTD_LOG_MAX)
            fake_vtd.qlog[fake_vtd.nq++] = d;
        if (type == 3 && fake_vtd.ite_on_devtlb) {
            /* the unit has fetched up to the tail; those waits are never completed (VT-d 6.5.2.11) */
            fake_vtd.ite_on_devtlb--;
            wr32(VTD_REG_FSTS, rd32(VTD_REG_FSTS) | VTD_FSTS_ITE);
            fake_vtd.waits_dropped += count_waits(q, (head + dsz) % qbytes, tail, dsz, qbytes);
            head = tail;
            break;
        }
        if (type == 5) {
            if (d.q[0] & (1ULL << 5)) {
                uint32_t data = (uint32_t)(d.q[0] >> 32);
                memcpy((void *)(uintptr_t)(d.q[1] & ~3ULL), &data, 4);
            }
            wr32(VTD_REG_ICS, rd32(VTD_REG_ICS) | VTD_ICS_IWC);
        }
        head = (head + dsz) % qbytes;
    }
    wr64(VTD_REG_IQH, head);
}

static void write_gcmd(uint32_t v)
{
    uint32_t gsts = rd32(VTD_REG_GSTS);
    uint32_t persistent = VTD_GSTS_TES | VTD_GSTS_QIES | VTD_GSTS_IRES | VTD_GSTS_CFIS | VTD_GSTS_AFLS;

    if (fake_vtd.ngcmd < FAKE_VTD_LOG_MAX)
        fake_vtd.gcmd_log[fake_vtd.ngcmd++] = v;
    uint32_t new = (gsts & ~persistent) | (v & persistent);
    new = (new & ~fake_vtd.gcmd_ignore) | (gsts & fake_vtd.gcmd_ignore);
    if ((v & VTD_GCMD_SRTP) && !(fake_vtd.gcmd_ignore & VTD_GCMD_SRTP))
        new |= VTD_GSTS_RTPS;
    if ((v & VTD_GCMD_QIE) && !(gsts & VTD_GSTS_QIES) && !(fake_vtd.gcmd_ignore & VTD_GCMD_QIE))
        wr64(VTD_REG_IQH, 0);
    wr32(VTD_REG_GSTS, new);
}

static void fake_write32(void *regs, uint32_t off, uint32_t v)
{
    (void)regs;
    switch (off) {
    case VTD_REG_GCMD:
        write_gcmd(v);
        return;
    case VTD_REG_FSTS:
        wr32(off, (rd32(off) & ~(v & VTD_FSTS_RW1C)) | fake_vtd.fsts_sticky);
        if (!(rd32(off) & (VTD_FSTS_IQE | VTD_FSTS_ITE)))
            process_queue();
        return;
    case VTD_REG_ICS:
        wr32(off, rd32(off) & ~(v & VTD_ICS_IWC));
        return;
    default:
        break;
    }
    uint32_t frcd = vtd_cap_fro(fake_vtd.cap);
    if (off >= frcd && off < frcd + 16 * vtd_cap_nfr(fake_vtd.cap) && (off - frcd) % 16 == 12) {
        /* F is RW1C in the record's top dword */
        if (v & 0x80000000u) {
            wr32(off, rd32(off) & 0x7FFFFFFFu);
            unsigned any = 0;
            for (unsigned i = 0; i < vtd_cap_nfr(fake_vtd.cap); i++)
                any |= rd32(frcd + 16 * i + 12) >> 31;
            if (!any)
                wr32(VTD_REG_FSTS, rd32(VTD_REG_FSTS) & ~VTD_FSTS_PPF);
        }
        return;
    }
    wr32(off, v);
}

static void fake_write64(void *regs, uint32_t off, uint64_t v)
{
    uint32_t iro = vtd_ecap_iro(fake_vtd.ecap);
    uint32_t frcd = vtd_cap_fro(fake_vtd.cap);

    (void)regs;
    if (off == VTD_REG_CCMD) {
        if (fake_vtd.nccmd < FAKE_VTD_LOG_MAX)
            fake_vtd.ccmd_log[fake_vtd.nccmd++] = v;
        if (!fake_vtd.ccmd_stuck && (v & VTD_CCMD_ICC))
            v = (v & ~VTD_CCMD_ICC & ~(3ULL << 59)) | (((v >> 61) & 3) << 59);
        wr64(off, v);
        return;
    }
    if (off == iro + VTD_IOTLB_OFF) {
        if (fake_vtd.niotlb < FAKE_VTD_LOG_MAX) {
            fake_vtd.iva_log[fake_vtd.niotlb] = rd64(iro + VTD_IVA_OFF);
            fake_vtd.iotlb_log[fake_vtd.niotlb++] = v;
        }
        if (!fake_vtd.iotlb_stuck && (v & VTD_IOTLB_IVT))
            v = (v & ~VTD_IOTLB_IVT & ~(3ULL << 57)) | (((v >> 60) & 3) << 57);
        wr64(off, v);
        return;
    }
    if (off >= frcd && off < frcd + 16 * vtd_cap_nfr(fake_vtd.cap) && (off - frcd) % 16 == 8) {
        fake_write32(regs, off + 4, (uint32_t)(v >> 32));
        return;
    }
    wr64(off, v);
    if (off == VTD_REG_IQT) {
        fake_vtd.iqt_writes++;
        process_queue();
    }
}

static uint32_t fake_read32(void *regs, uint32_t off) { (void)regs; return rd32(off); }
static uint64_t fake_read64(void *regs, uint32_t off) { (void)regs; return rd64(off); }

void fake_vtd_inject_fault(unsigned idx, uint16_t sid, uint64_t addr, uint8_t reason, bool is_write)
{
    uint32_t frcd = vtd_cap_fro(fake_vtd.cap) + 16 * idx;

    if (rd32(frcd + 12) & 0x80000000u) {
        wr32(VTD_REG_FSTS, rd32(VTD_REG_FSTS) | VTD_FSTS_PFO);
        return;
    }
    wr64(frcd, addr & ~0xFFFULL);
    wr64(frcd + 8, (1ULL << 63) | (is_write ? 0 : (1ULL << 62)) | ((uint64_t)reason << 32) | sid);
    uint32_t fsts = rd32(VTD_REG_FSTS);
    if (!(fsts & VTD_FSTS_PPF))
        fsts = (fsts & ~0xFF00u) | (idx << 8);
    wr32(VTD_REG_FSTS, fsts | VTD_FSTS_PPF);
}

static uint64_t fake_page_alloc(void)
{
    if (fail_after == 0)
        return 0;
    if (fail_after > 0)
        fail_after--;
    if (npages == MAX_PAGES)
        return 0;
    void *p = aligned_alloc(4096, 4096);
    memset(p, 0, 4096);
    pages[npages++] = p;
    return (uint64_t)(uintptr_t)p;
}

static void fake_page_free(uint64_t pa)
{
    for (unsigned i = 0; i < npages; i++)
        if (pages[i] == (void *)(uintptr_t)pa) {
            free(pages[i]);
            pages[i] = NULL;
            return;
        }
    fail_msg("freeing a frame that was not allocated: %#llx", (unsigned long long)pa);
}

static void *fake_p2v(uint64_t pa) { return (void *)(uintptr_t)pa; }
static uint64_t fake_now(void) { return fake_time_us += 100; }
static void fake_relax(void) {}
static unsigned flushes;
static void fake_flush(const void *p, size_t len) { (void)p; (void)len; flushes++; }
unsigned fake_vtd_flush_count(void) { return flushes; }

const struct vtd_env fake_vtd_env = {
    .read32 = fake_read32, .read64 = fake_read64, .write32 = fake_write32, .write64 = fake_write64,
    .page_alloc = fake_page_alloc, .page_free = fake_page_free, .phys_to_virt = fake_p2v,
    .now_us = fake_now, .relax = fake_relax, .flush = fake_flush,
};
