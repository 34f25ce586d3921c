// SPDX-License-Identifier: GPL-2.0-only
/* Unit bring-up, the GCMD rule, domain ids and invalidation, against the register model. */
#include "tests/unit/support.h"

#include <stdio.h>
#include <string.h>

#include "iommu/vtd_inval.h"
#include "iommu/vtd_qi_desc.h"
#include "iommu/vtd_regs.h"
#include "iommu/vtd_unit.h"
#include "tests/unit/vtd_fake.h"

#define CAP_Q10   0x00d2008c222f0606ULL
#define ECAP_LEG  0x0000000000f00f4aULL
#define ECAP_SM   0x0000480080f00f4aULL

static struct vtd_unit unit;

static int probe(uint64_t cap, uint64_t ecap, bool force_legacy)
{
    fake_vtd_reset(cap, ecap);
    unit_log_reset();
    return vtd_unit_probe(&unit, 0, 0, 0xfed90000, fake_vtd.regs, &fake_vtd_env, force_legacy);
}

static void test_probe_lines(void **state)
{
    assert_int_equal(probe(CAP_Q10, ECAP_SM, false), 0);
    assert_true(unit_log_contains("vtd0: base 0xfed90000 ver 1.0 mode scalable aw 48-bit (4-level)\n"));
    assert_true(unit_log_contains("vtd0: cap 0xd2008c222f0606 ND=6 (65536 domains) SAGAW=0x6 MGAW=48 SLLPS=2M,1G PSI"));
    assert_true(unit_log_contains("vtd0: ecap 0x480080f00f4a C=0 QI DT=0 IR EIM=0 PT SC=0 SMTS SLTS FLTS=0 NEST=0"));
    assert_int_equal(unit.iotlb_off, 0xf0);
    assert_int_equal(unit.frcd_off, 0x220);
    assert_int_equal(unit.nfr, 1);
    assert_int_equal(probe(CAP_Q10, ECAP_SM, true), 0);
    assert_true(unit_log_contains("mode legacy aw 48-bit"));
    assert_true(unit_log_contains("vtd0: legacy mode: iommu=legacy"));
    assert_int_equal(probe(0x01d2008c222f0606ULL, 0x0000880000f00f4aULL, false), 0);
    assert_true(unit_log_contains("mode scalable aw 48-bit (4-level) first-stage"));
    assert_int_equal(unit.stage, VTD_STAGE_FIRST);
}

static void test_probe_failures(void **state)
{
    assert_int_equal(probe(0, 0, false), -19);
    assert_true(unit_log_contains("no unit answers"));
    assert_int_equal(probe(CAP_Q10 & ~(0x1fULL << 8), ECAP_LEG, false), -95);
    assert_true(unit_log_contains("no supported address width"));
    assert_int_equal(probe(CAP_Q10, ECAP_LEG & ~(0x3ffULL << 8), false), -95);
    assert_true(unit_log_contains("outside the register window"));
}

static void test_enable_scalable_qi(void **state)
{
    assert_int_equal(probe(CAP_Q10, ECAP_SM, false), 0);
    assert_int_equal(vtd_unit_enable(&unit), 0);
    assert_true(unit.enabled && unit.qi);
    assert_int_equal(fake_vtd_reg64(VTD_REG_RTADDR), unit.root_pa | VTD_RTADDR_TTM_SCALABLE);
    assert_true(fake_vtd_reg64(VTD_REG_IQA) & VTD_IQA_DW);
    assert_int_equal(fake_vtd_reg32(VTD_REG_GSTS) & (VTD_GSTS_TES | VTD_GSTS_QIES), VTD_GSTS_TES | VTD_GSTS_QIES);
    /* one command at a time: SRTP, QIE, TE; one-shot status never written back */
    assert_int_equal(fake_vtd.ngcmd, 3);
    assert_int_equal(fake_vtd.gcmd_log[0], VTD_GCMD_SRTP);
    assert_int_equal(fake_vtd.gcmd_log[1], VTD_GCMD_QIE);
    assert_int_equal(fake_vtd.gcmd_log[2], VTD_GCMD_QIE | VTD_GCMD_TE);
    assert_int_equal(fake_vtd_count_desc(VTD_QI_TYPE_CC), 1);
    assert_int_equal(fake_vtd_count_desc(VTD_QI_TYPE_PC), 1);
    assert_int_equal(fake_vtd_count_desc(VTD_QI_TYPE_IOTLB), 1);
    assert_int_equal(fake_vtd_count_desc(VTD_QI_TYPE_WAIT), 1);
    char line[128];
    snprintf(line, sizeof(line), "vtd0: translation enabled (root table %#llx, queued invalidation, 256-bit descriptors)",
             (unsigned long long)unit.root_pa);
    assert_true(unit_log_contains(line));
    vtd_unit_disable(&unit);
    assert_int_equal(fake_vtd_reg32(VTD_REG_GSTS) & (VTD_GSTS_TES | VTD_GSTS_QIES), 0);
    assert_false(unit.enabled);
}

static void test_enable_legacy_registers(void **state)
{
    assert_int_equal(probe(CAP_Q10, ECAP_LEG & ~2ULL, false), 0);
    assert_int_equal(vtd_unit_enable(&unit), 0);
    assert_false(unit.qi);
    assert_int_equal(fake_vtd_reg64(VTD_REG_RTADDR), unit.root_pa);
    assert_int_equal(fake_vtd.nccmd, 1);
    assert_int_equal((fake_vtd.ccmd_log[0] >> 61) & 3, 1);
    assert_int_equal(fake_vtd.niotlb, 1);
    assert_int_equal((fake_vtd.iotlb_log[0] >> 60) & 3, 1);
    assert_true(unit_log_contains("register-based invalidation"));
    /* register-based requests */
    assert_int_equal(vtd_inval_context_device(&unit, 3, 0x18), 0);
    assert_int_equal(fake_vtd.ccmd_log[1], vtd_ccmd_value(VTD_CCMD_GRAN_DEVICE, 3, 0x18, 0));
    assert_int_equal(vtd_inval_context_domain(&unit, 3), 0);
    assert_int_equal(vtd_inval_iotlb_domain(&unit, 3), 0);
    assert_int_equal(vtd_inval_iotlb_pages(&unit, 3, 0x200000, 9, true), 0);
    assert_int_equal(fake_vtd.iva_log[fake_vtd.niotlb - 1], 0x200000 | VTD_IVA_IH | 9);
    assert_int_equal((fake_vtd.iotlb_log[fake_vtd.niotlb - 1] >> 60) & 3, 3);
    /* AM above MAMV: domain-selective instead */
    assert_int_equal(vtd_inval_iotlb_pages(&unit, 3, 0, 30, false), 0);
    assert_int_equal((fake_vtd.iotlb_log[fake_vtd.niotlb - 1] >> 60) & 3, 2);
    /* queue-only requests */
    assert_int_equal(vtd_inval_pasid_cache(&unit, 3, 0), -95);
    assert_int_equal(vtd_inval_pasid_cache_domain(&unit, 3), -95);
    assert_int_equal(vtd_inval_piotlb_all(&unit, 3, 0), -95);
    assert_int_equal(vtd_inval_piotlb_pages(&unit, 3, 0, 0, 0, false), -95);
    assert_int_equal(vtd_inval_devtlb(&unit, 0x18, 0x18, 0, 0, 0), -95);
    /* stuck registers time out */
    fake_vtd.ccmd_stuck = true;
    assert_int_equal(vtd_inval_context_domain(&unit, 3), -110);
    assert_true(unit_log_contains("context-cache invalidation timed out"));
    fake_vtd.iotlb_stuck = true;
    assert_int_equal(vtd_inval_iotlb_domain(&unit, 3), -110);
    assert_true(unit_log_contains("IOTLB invalidation timed out"));
}

static void test_enable_legacy_qi_128(void **state)
{
    assert_int_equal(probe(CAP_Q10, ECAP_LEG, false), 0);
    assert_int_equal(vtd_unit_enable(&unit), 0);
    assert_true(unit.qi);
    assert_int_equal(unit.iq.desc_size, 16);
    assert_false(fake_vtd_reg64(VTD_REG_IQA) & VTD_IQA_DW);
    assert_true(unit_log_contains("queued invalidation, 128-bit descriptors"));
    assert_int_equal(fake_vtd_count_desc(VTD_QI_TYPE_PC), 0);
    /* a PASID-cache descriptor in 128-bit mode is rejected by the model: IQE path */
    unit_log_reset();
    assert_int_equal(vtd_inval_pasid_cache(&unit, 1, 0), -5);
    assert_true(unit_log_contains("invalidation queue error at slot"));
    assert_false(fake_vtd_reg32(VTD_REG_FSTS) & VTD_FSTS_IQE);
    /* the queue goes on afterwards */
    assert_int_equal(vtd_inval_iotlb_domain(&unit, 1), 0);
    /* many requests wrap the ring */
    for (int i = 0; i < 300; i++)
        assert_int_equal(vtd_inval_context_device(&unit, 1, (uint16_t)i), 0);
}

static void test_gcmd_timeouts(void **state)
{
    assert_int_equal(probe(CAP_Q10, ECAP_SM, false), 0);
    fake_vtd.gcmd_ignore = VTD_GCMD_TE;
    assert_int_equal(vtd_unit_enable(&unit), -110);
    assert_true(unit_log_contains("vtd0: translation enable timed out"));
    assert_false(unit.enabled);

    assert_int_equal(probe(CAP_Q10, ECAP_SM, false), 0);
    fake_vtd.gcmd_ignore = VTD_GCMD_SRTP;
    assert_int_equal(vtd_unit_enable(&unit), -110);
    assert_true(unit_log_contains("set root table pointer timed out"));

    assert_int_equal(probe(CAP_Q10, ECAP_SM, false), 0);
    fake_vtd.gcmd_ignore = VTD_GCMD_QIE;
    assert_int_equal(vtd_unit_enable(&unit), -110);

    /* RWBF: the write-buffer flush is issued and waited for */
    assert_int_equal(probe(CAP_Q10 | (1ULL << 4), ECAP_SM, false), 0);
    assert_int_equal(vtd_unit_enable(&unit), 0);
    assert_int_equal(fake_vtd.gcmd_log[2], VTD_GCMD_QIE | VTD_GCMD_WBF);
    fake_vtd_set_reg32(VTD_REG_GSTS, fake_vtd_reg32(VTD_REG_GSTS) | VTD_GSTS_WBFS);
    fake_vtd.gcmd_ignore = VTD_GCMD_WBF;
    assert_int_equal(vtd_unit_flush_write_buffer(&unit), -110);
}

static void test_firmware_left_on(void **state)
{
    assert_int_equal(probe(CAP_Q10, ECAP_SM, false), 0);
    fake_vtd_set_reg32(VTD_REG_GSTS, VTD_GSTS_TES | VTD_GSTS_QIES);
    assert_int_equal(vtd_unit_enable(&unit), 0);
    assert_true(unit_log_contains("translation left enabled by firmware"));
    assert_int_equal(fake_vtd.gcmd_log[0], VTD_GCMD_QIE);  /* TE cleared, QIE kept */
    assert_int_equal(fake_vtd.gcmd_log[1], 0);             /* then QIE cleared */
}

static void test_alloc_failures(void **state)
{
    for (int n = 0; n < 4; n++) {
        assert_int_equal(probe(CAP_Q10, ECAP_SM, false), 0);
        fake_vtd_fail_alloc_after(n);
        assert_int_equal(vtd_unit_enable(&unit), -12);
    }
}

static void test_queue_stall_and_ite(void **state)
{
    assert_int_equal(probe(CAP_Q10, ECAP_SM | (1ULL << 2) | (1ULL << 41), false), 0);
    assert_int_equal(vtd_unit_enable(&unit), 0);
    fake_vtd.queue_stalled = true;
    assert_int_equal(vtd_inval_iotlb_domain(&unit, 1), -110);
    assert_true(unit_log_contains("invalidation wait timed out (IOTLB domain"));
    /* the stalled ring fills up: submission gives up */
    unit_log_reset();
    int rc = 0;
    for (int i = 0; i < 200 && !unit_log_contains("queue full and not moving"); i++)
        rc = vtd_inval_context_domain(&unit, 1);
    assert_int_equal(rc, -110);
    assert_true(unit_log_contains("vtd0: invalidation queue full and not moving (context-cache domain)"));
    fake_vtd.queue_stalled = false;

    assert_int_equal(probe(CAP_Q10, ECAP_SM | (1ULL << 2) | (1ULL << 41), false), 0);
    assert_int_equal(vtd_unit_enable(&unit), 0);
    assert_int_equal(vtd_inval_devtlb(&unit, 0x18, 0x10, 0, 0x1000, 0), 0);
    struct vtd_qi_desc d;
    memcpy(d.val, fake_vtd.qlog[fake_vtd.nq - 2].q, sizeof(d.val));
    assert_int_equal(vtd_qi_type(&d), VTD_QI_TYPE_DEVTLB);
    assert_int_equal(vtd_qi_devtlb_sid(&d), 0x18);
    assert_int_equal(vtd_qi_devtlb_pfsid(&d), 0x10);
    /* ITE drops the fetched wait (VT-d 6.5.2.11): the group is posted again, not waited out */
    uint64_t t0 = unit.env->now_us();
    unsigned nq = fake_vtd.nq;
    fake_vtd.ite_on_devtlb = 1;
    assert_int_equal(vtd_inval_devtlb(&unit, 0x18, 0x10, 0, 0, 0), 0);
    assert_int_equal(fake_vtd.waits_dropped, 1);
    assert_true(unit_log_contains("device-TLB invalidation timed out (ITE)"));
    assert_true(unit_log_contains("vtd0: invalidation wait dropped after ITE (device-TLB): resubmitting"));
    assert_int_equal(fake_vtd.nq - nq, 3);   /* device-TLB (timed out), device-TLB, wait */
    assert_true(unit.env->now_us() - t0 < VTD_INVAL_TIMEOUT_US / 10);
    /* a device that keeps timing out: the request fails promptly, the queue is idle */
    t0 = unit.env->now_us();
    fake_vtd.ite_on_devtlb = 5;
    assert_int_equal(vtd_inval_devtlb(&unit, 0x18, 0x10, 0, 0, 0), -110);
    assert_int_equal(fake_vtd.waits_dropped, 3);
    assert_true(unit_log_contains("vtd0: invalidation (device-TLB) still timing out after 1 resubmission(s)"));
    assert_true(unit.env->now_us() - t0 < VTD_INVAL_TIMEOUT_US / 10);
    assert_int_equal(fake_vtd_reg64(VTD_REG_IQH), fake_vtd_reg64(VTD_REG_IQT));
    fake_vtd.ite_on_devtlb = 0;
    assert_int_equal(vtd_inval_piotlb_all(&unit, 1, 0), 0);
    assert_int_equal(vtd_inval_piotlb_pages(&unit, 1, 0, 0x1000, 0, false), 0);
    assert_int_equal(vtd_inval_piotlb_pages(&unit, 1, 0, 0, 40, false), 0);
    assert_int_equal(vtd_inval_pasid_cache_domain(&unit, 1), 0);
    assert_int_equal(vtd_inval_iotlb_pages(&unit, 1, 0x1000, 0, false), 0);
    /* queue errors that never clear: the request ends in time, each kind logged once */
    unit_log_reset();
    fake_vtd.fsts_sticky = VTD_FSTS_IQE | VTD_FSTS_ITE | VTD_FSTS_ICE;
    fake_vtd_set_reg32(VTD_REG_FSTS, fake_vtd.fsts_sticky);
    assert_int_equal(vtd_inval_context_domain(&unit, 1), -110);
    const char *kinds[] = { "rejected", "(ITE)", "(ICE)" };
    for (int k = 0; k < 3; k++) {
        unsigned lines = 0;
        for (const char *p = unit_log_text(); (p = strstr(p, kinds[k])); p++)
            lines++;
        assert_int_equal(lines, 1);
    }
    fake_vtd.fsts_sticky = 0;
    fake_vtd_set_reg32(VTD_REG_FSTS, 0);
    assert_int_equal(probe(CAP_Q10, ECAP_SM | (1ULL << 2) | (1ULL << 41), false), 0);
    assert_int_equal(vtd_unit_enable(&unit), 0);
    /* ICE is reported */
    fake_vtd_set_reg32(VTD_REG_FSTS, VTD_FSTS_ICE);
    assert_int_equal(vtd_inval_context_domain(&unit, 1), -5);
    assert_true(unit_log_contains("invalidation completion error (ICE)"));
}

static void test_domain_ids(void **state)
{
    assert_int_equal(probe(CAP_Q10 & ~7ULL, ECAP_SM, false), 0);  /* ND=0: 16 ids */
    assert_int_equal(vtd_unit_enable(&unit), 0);
    assert_int_equal(unit.ndids, 16);
    assert_false(vtd_unit_did_in_use(&unit, 1));
    for (int i = 1; i < 16; i++)
        assert_int_equal(vtd_unit_did_alloc(&unit), i);
    assert_int_equal(vtd_unit_did_alloc(&unit), -28);
    vtd_unit_did_free(&unit, 7);
    assert_false(vtd_unit_did_in_use(&unit, 7));
    assert_int_equal(vtd_unit_did_alloc(&unit), 7);
    vtd_unit_did_free(&unit, 0);   /* never freed: reserved */
    assert_true(vtd_unit_did_in_use(&unit, 0));
    vtd_unit_did_free(&unit, 100); /* out of range: ignored */
    assert_false(vtd_unit_did_in_use(&unit, 100));
    assert_int_equal(probe(CAP_Q10, ECAP_SM, false), 0);
    assert_int_equal(vtd_unit_enable(&unit), 0);
    assert_int_equal(unit.ndids, 32768);
}

/* Tables and invalidations work before TE, so RMRR maps exist from the first translated request. */
static void test_prepare_then_translate(void **state)
{
    assert_int_equal(probe(CAP_Q10, ECAP_SM, false), 0);
    assert_int_equal(vtd_unit_prepare(&unit), 0);
    assert_false(fake_vtd_reg32(VTD_REG_GSTS) & VTD_GSTS_TES);
    assert_true(fake_vtd_reg32(VTD_REG_GSTS) & VTD_GSTS_RTPS);
    assert_false(unit.enabled);
    assert_int_equal(vtd_inval_context_device(&unit, 0, 0x18), 0);
    assert_false(unit_log_contains("translation enabled"));
    assert_int_equal(vtd_unit_translate(&unit), 0);
    assert_true(fake_vtd_reg32(VTD_REG_GSTS) & VTD_GSTS_TES);
    assert_true(unit.enabled);
    assert_true(unit_log_contains("vtd0: translation enabled (root table"));
}

/* The single covering block (vtd_psi_cover), the planner's fallback when a range needs too many blocks. */
static void test_cover_block(void **state)
{
    struct vtd_psi c;

    assert_true(vtd_psi_cover(0x1000, 0x2000, 18, &c));
    assert_int_equal(c.am, 0);
    assert_int_equal(c.addr, 0x1000);
    assert_true(vtd_psi_cover(0x1000, 0x3000, 18, &c));   /* pages 1-2 need block 0-3 */
    assert_int_equal(c.am, 2);
    assert_int_equal(c.addr, 0);
    assert_true(vtd_psi_cover(0x200000, 0x400000, 18, &c));
    assert_int_equal(c.am, 9);
    assert_int_equal(c.addr, 0x200000);
    assert_true(vtd_psi_cover(0x1fff000, 0x2001000, 18, &c));
    assert_int_equal(c.am, 14);
    assert_int_equal(c.addr, 0);
    assert_false(vtd_psi_cover(0x5000, 0x5000, 18, &c));  /* an empty range needs no block */
}

static struct vtd_qi_desc qlog_desc(unsigned i)
{
    struct vtd_qi_desc d;

    memcpy(d.val, fake_vtd.qlog[i].q, sizeof(d.val));
    return d;
}

/* Plans from the unit's CAP: CM, PSI, MAMV; PASID-based page invalidation without CAP.PSI. */
static void test_plan_for_cap(void **state)
{
    struct vtd_pgt_range acc = { 0 };
    struct vtd_inval_plan plan;

    /* ranges merged into one (a covered range adds nothing), then split into blocks */
    vtd_pgt_range_merge(&acc, &(struct vtd_pgt_range){ 0x200000, 0x400000, true, false, false });
    vtd_pgt_range_merge(&acc, &(struct vtd_pgt_range){ 0x201000, 0x202000, true, false, false });
    vtd_pgt_range_merge(&acc, &(struct vtd_pgt_range){ 0x8000, 0x9000, true, false, false });
    vtd_inval_plan_for_cap(CAP_Q10, VTD_INVAL_TARGET_IOTLB, &acc, &plan);
    assert_int_equal(plan.kind, VTD_INVAL_PAGES);
    assert_int_equal(plan.count, 7);   /* 8 pages at 0x8000 ... 512 pages at 0x200000 */
    assert_int_equal(plan.psi[0].addr, 0x8000);
    assert_int_equal(plan.psi[6].addr, 0x200000);
    assert_int_equal(plan.psi[6].am, 9);
    assert_true(plan.ih);

    acc = (struct vtd_pgt_range){ 0, 1ULL << 40, true, false, false };   /* mask 28 > MAMV 18 */
    vtd_inval_plan_for_cap(CAP_Q10, VTD_INVAL_TARGET_IOTLB, &acc, &plan);
    assert_int_equal(plan.kind, VTD_INVAL_DOMAIN);
    acc = (struct vtd_pgt_range){ 0, 0x1000, true, false, false };
    vtd_inval_plan_for_cap(CAP_Q10 & ~(1ULL << 39), VTD_INVAL_TARGET_IOTLB, &acc, &plan);   /* no PSI */
    assert_int_equal(plan.kind, VTD_INVAL_DOMAIN);
    vtd_inval_plan_for_cap(CAP_Q10 & ~(1ULL << 39), VTD_INVAL_TARGET_PIOTLB, &acc, &plan);
    assert_int_equal(plan.kind, VTD_INVAL_PAGES);

    /* new translations: nothing without caching mode; with it, no IH when tables were added */
    acc = (struct vtd_pgt_range){ 0, 0x1000, false, false, true };
    vtd_inval_plan_for_cap(CAP_Q10, VTD_INVAL_TARGET_IOTLB, &acc, &plan);
    assert_int_equal(plan.kind, VTD_INVAL_NONE);
    vtd_inval_plan_for_cap(CAP_Q10 | (1ULL << 7), VTD_INVAL_TARGET_IOTLB, &acc, &plan);
    assert_int_equal(plan.kind, VTD_INVAL_PAGES);
    assert_false(plan.ih);
    acc.tables_added = false;
    vtd_inval_plan_for_cap(CAP_Q10 | (1ULL << 7), VTD_INVAL_TARGET_IOTLB, &acc, &plan);
    assert_true(plan.ih);
}

static void test_send_plan(void **state)
{
    struct vtd_inval_plan plan = { VTD_INVAL_PAGES, false, 2, { { 0x1000, 0 }, { 0x400000, 9 } } };
    struct vtd_qi_desc d;

    /* on the queue: n page descriptors then one wait */
    assert_int_equal(probe(CAP_Q10, ECAP_SM, false), 0);
    assert_int_equal(vtd_unit_enable(&unit), 0);
    unsigned before = fake_vtd.nq, iqt = fake_vtd.iqt_writes;
    struct vtd_inval_plan none = { VTD_INVAL_NONE, false, 0, { { 0, 0 } } };
    assert_int_equal(vtd_inval_send_plan(&unit, VTD_INVAL_TARGET_IOTLB, 5, 0, &none), 0);   /* nothing */
    assert_int_equal(fake_vtd.nq, before);
    assert_int_equal(vtd_inval_send_plan(&unit, VTD_INVAL_TARGET_IOTLB, 5, 0, &plan), 0);
    assert_int_equal(fake_vtd.nq, before + 3);
    assert_int_equal(fake_vtd.iqt_writes, iqt + 1);
    d = qlog_desc(before + 1);
    assert_int_equal(vtd_qi_type(&d), VTD_QI_TYPE_IOTLB);
    assert_int_equal(vtd_qi_gran(&d), VTD_QI_IOTLB_PAGE);
    assert_int_equal(vtd_qi_addr(&d), 0x400000);
    assert_int_equal(vtd_qi_am(&d), 9);
    assert_int_equal(vtd_qi_did(&d), 5);
    assert_false(vtd_qi_ih(&d));
    d = qlog_desc(before + 2);
    assert_int_equal(vtd_qi_type(&d), VTD_QI_TYPE_WAIT);
    /* the leaf hint reaches the descriptors */
    plan.ih = true;
    assert_int_equal(vtd_inval_send_plan(&unit, VTD_INVAL_TARGET_IOTLB, 5, 0, &plan), 0);
    d = qlog_desc(fake_vtd.nq - 2);
    assert_true(vtd_qi_ih(&d));
    plan.ih = false;
    /* PASID-based: pages, then PASID-selective */
    assert_int_equal(vtd_inval_send_plan(&unit, VTD_INVAL_TARGET_PIOTLB, 5, 0, &plan), 0);
    d = qlog_desc(fake_vtd.nq - 2);
    assert_int_equal(vtd_qi_type(&d), VTD_QI_TYPE_PIOTLB);
    assert_int_equal(vtd_qi_gran(&d), VTD_QI_PIOTLB_PAGE);
    plan.kind = VTD_INVAL_DOMAIN;
    assert_int_equal(vtd_inval_send_plan(&unit, VTD_INVAL_TARGET_PIOTLB, 5, 0, &plan), 0);
    d = qlog_desc(fake_vtd.nq - 2);
    assert_int_equal(vtd_qi_type(&d), VTD_QI_TYPE_PIOTLB);
    assert_int_equal(vtd_qi_gran(&d), VTD_QI_PIOTLB_PASID);
    assert_int_equal(vtd_inval_send_plan(&unit, VTD_INVAL_TARGET_IOTLB, 5, 0, &plan), 0);
    d = qlog_desc(fake_vtd.nq - 2);
    assert_int_equal(vtd_qi_type(&d), VTD_QI_TYPE_IOTLB);
    assert_int_equal(vtd_qi_gran(&d), VTD_QI_IOTLB_DOMAIN);

    /* register-based: one IOTLB request per block */
    assert_int_equal(probe(CAP_Q10, ECAP_LEG & ~2ULL, false), 0);
    assert_int_equal(vtd_unit_enable(&unit), 0);
    unsigned n0 = fake_vtd.niotlb;
    plan.kind = VTD_INVAL_PAGES;
    assert_int_equal(vtd_inval_send_plan(&unit, VTD_INVAL_TARGET_IOTLB, 5, 0, &plan), 0);
    assert_int_equal(fake_vtd.niotlb, n0 + 2);
    assert_int_equal(fake_vtd.iva_log[n0 + 1] & ~0xFFFULL, 0x400000);
    assert_int_equal(fake_vtd.iva_log[n0 + 1] & 0x3F, 9);
    plan.kind = VTD_INVAL_DOMAIN;
    assert_int_equal(vtd_inval_send_plan(&unit, VTD_INVAL_TARGET_IOTLB, 5, 0, &plan), 0);
    assert_int_equal((fake_vtd.iotlb_log[fake_vtd.niotlb - 1] >> 60) & 3, 2);
    plan.kind = VTD_INVAL_PAGES;
    assert_int_equal(vtd_inval_send_plan(&unit, VTD_INVAL_TARGET_PIOTLB, 5, 0, &plan), -95);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_probe_lines),         cmocka_unit_test(test_probe_failures),
        cmocka_unit_test(test_enable_scalable_qi),  cmocka_unit_test(test_enable_legacy_registers),
        cmocka_unit_test(test_enable_legacy_qi_128), cmocka_unit_test(test_gcmd_timeouts),
        cmocka_unit_test(test_firmware_left_on),    cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_queue_stall_and_ite), cmocka_unit_test(test_domain_ids),
        cmocka_unit_test(test_cover_block),         cmocka_unit_test(test_plan_for_cap),
        cmocka_unit_test(test_send_plan),           cmocka_unit_test(test_prepare_then_translate),
    };
    return UNIT_RUN(tests);
}
