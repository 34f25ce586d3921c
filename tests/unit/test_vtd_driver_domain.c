// SPDX-License-Identifier: GPL-2.0-only
/* Domains (entry builders, attach/detach in each mode, map/unmap invalidation) and fault draining. */
#include "tests/unit/support.h"

#include <stdio.h>
#include <string.h>

#include "iommu/domain.h"
#include "iommu/vtd_fault.h"
#include "iommu/vtd_faults.h"
#include "iommu/vtd_inval.h"
#include "iommu/vtd_qi_desc.h"
#include "iommu/vtd_regs.h"
#include "iommu/vtd_root.h"
#include "tests/unit/vtd_fake.h"

#define CAP_Q10    0x00d2008c222f0606ULL
#define CAP_FLTS   0x01d2008c222f0606ULL
#define ECAP_LEG   0x0000000000f00f4aULL
#define ECAP_SM    0x0000480080f00f4aULL
#define ECAP_FLTS  0x0000880000f00f4aULL
#define ECAP_NEST  (1ULL << 26)
#define EDU_BUS    0
#define EDU_DEVFN  0x18   /* 00:03.0 */

static struct vtd_unit unit;
static struct iommu_domain dom;

static void bring_up(uint64_t cap, uint64_t ecap)
{
    fake_vtd_reset(cap, ecap);
    unit_log_reset();
    assert_int_equal(vtd_unit_probe(&unit, 0, 0, 0xfed90000, fake_vtd.regs, &fake_vtd_env, false), 0);
    unit.haw = 48;
    vtd_faults_init(&unit);
    assert_int_equal(vtd_unit_enable(&unit), 0);
}

static struct vtd_qi_desc last_desc(unsigned back)
{
    struct vtd_qi_desc d;

    memcpy(d.val, fake_vtd.qlog[fake_vtd.nq - 1 - back].q, sizeof(d.val));
    return d;
}

static bool log_has_type(unsigned from, unsigned type)
{
    for (unsigned i = from; i < fake_vtd.nq; i++)
        if ((fake_vtd.qlog[i].q[0] & 0xF) == type)
            return true;
    return false;
}

/* ---- pure builders, checked with the format header's own decoders ---- */

static void test_legacy_entry_builder(void **state)
{
    struct vtd_ctx_entry ce = domain_legacy_context_entry(0x123000, 4, 7, DOMAIN_ATTACH_TRANSLATE);

    assert_true(vtd_ctx_present(&ce));
    assert_false(vtd_ctx_fpd(&ce));
    assert_int_equal(vtd_ctx_tt(&ce), VTD_CTX_TT_UNTRANSLATED);
    assert_int_equal(vtd_ctx_slptptr(&ce), 0x123000);
    assert_int_equal(vtd_ctx_aw(&ce), 2);
    assert_int_equal(vtd_ctx_did(&ce), 7);
    assert_false(vtd_ctx_reserved_set(&ce, 48));
    ce = domain_legacy_context_entry(0x123000, 3, 9, DOMAIN_ATTACH_PASS_THROUGH);
    assert_int_equal(vtd_ctx_tt(&ce), VTD_CTX_TT_PASS_THROUGH);
    assert_int_equal(vtd_ctx_aw(&ce), 1);
    assert_int_equal(vtd_ctx_slptptr(&ce), 0);
}

static void test_pasid_entry_builders(void **state)
{
    struct vtd_pasid_entry pe;
    struct domain_pasid_params p = { DOMAIN_ATTACH_TRANSLATE, VTD_STAGE_SECOND, 0x200000, 4, 5, 0, false };

    assert_int_equal(domain_pasid_entry(&pe, &p), 0);
    assert_true(vtd_pe_present(&pe));
    assert_int_equal(vtd_pe_pgtt(&pe), VTD_PGTT_SECOND_STAGE);
    assert_int_equal(vtd_pe_ssptptr(&pe), 0x200000);
    assert_int_equal(vtd_pe_aw(&pe), 2);
    assert_int_equal(vtd_pe_did(&pe), 5);
    assert_false(vtd_pe_reserved_set(&pe, 48));

    p.stage = VTD_STAGE_FIRST;
    assert_int_equal(domain_pasid_entry(&pe, &p), 0);
    assert_int_equal(vtd_pe_pgtt(&pe), VTD_PGTT_FIRST_STAGE);
    assert_int_equal(vtd_pe_fsptptr(&pe), 0x200000);
    assert_int_equal(vtd_pe_fs_levels(&pe), 4);
    assert_int_equal(vtd_pe_did(&pe), 5);
    p.levels = 5;
    assert_int_equal(domain_pasid_entry(&pe, &p), 0);
    assert_int_equal(vtd_pe_fs_levels(&pe), 5);
    p.levels = 3;
    assert_int_equal(domain_pasid_entry(&pe, &p), -22);

    p = (struct domain_pasid_params){ DOMAIN_ATTACH_PASS_THROUGH, VTD_STAGE_SECOND, 0x200000, 4, 6, 0, false };
    assert_int_equal(domain_pasid_entry(&pe, &p), 0);
    assert_int_equal(vtd_pe_pgtt(&pe), VTD_PGTT_PASS_THROUGH);
    assert_int_equal(vtd_pe_aw(&pe), 2);
    assert_int_equal(vtd_pe_did(&pe), 6);

    /* nested: the guest's first-stage root (a GPA) over the domain's second stage */
    p = (struct domain_pasid_params){ DOMAIN_ATTACH_NESTED, VTD_STAGE_SECOND, 0x200000, 4, 8, 0x7654000, false };
    assert_int_equal(domain_pasid_entry(&pe, &p), 0);
    assert_true(vtd_pe_present(&pe));
    assert_int_equal(vtd_pe_pgtt(&pe), VTD_PGTT_NESTED);
    assert_int_equal(vtd_pe_fsptptr(&pe), 0x7654000);
    assert_int_equal(vtd_pe_ssptptr(&pe), 0x200000);
    assert_int_equal(vtd_pe_aw(&pe), 2);
    assert_int_equal(vtd_pe_did(&pe), 8);
    assert_int_equal(vtd_pe_fs_levels(&pe), 4);
    assert_false(vtd_pe_reserved_set(&pe, 48));
    p.guest_fs_5level = true;
    assert_int_equal(domain_pasid_entry(&pe, &p), 0);
    assert_int_equal(vtd_pe_fs_levels(&pe), 5);
    p.guest_fs_root = 0x7654008;                 /* not page aligned */
    assert_int_equal(domain_pasid_entry(&pe, &p), -22);
    p.guest_fs_root = 0x7654000;
    p.stage = VTD_STAGE_FIRST;                   /* nesting needs a second-stage parent */
    assert_int_equal(domain_pasid_entry(&pe, &p), -22);
    p.stage = VTD_STAGE_SECOND;
    p.levels = 6;
    assert_int_equal(domain_pasid_entry(&pe, &p), -22);
    p = (struct domain_pasid_params){ DOMAIN_ATTACH_TRANSLATE, VTD_STAGE_SECOND, 0x200000, 2, 5, 0, false };
    assert_int_equal(domain_pasid_entry(&pe, &p), -22);
    p.type = (enum domain_attach_type)42;
    assert_int_equal(domain_pasid_entry(&pe, &p), -22);
}

/* ---- attach / detach ---- */

static struct vtd_ctx_entry *legacy_slot(uint8_t bus, uint8_t devfn)
{
    struct vtd_root_entry *re = (struct vtd_root_entry *)unit.root + bus;

    if (!vtd_root_present(re))
        return NULL;
    return (struct vtd_ctx_entry *)(uintptr_t)vtd_root_ctp(re) + devfn;
}

static struct vtd_pasid_entry *sm_slot(uint8_t bus, uint8_t devfn)
{
    struct vtd_root_entry *re = (struct vtd_root_entry *)unit.root + bus;
    struct vtd_sm_ctx_entry *ce;
    struct vtd_pasid_dir_entry *pde;

    if (!vtd_sm_root_present_for(re, devfn))
        return NULL;
    ce = (struct vtd_sm_ctx_entry *)(uintptr_t)vtd_sm_root_ctp_for(re, devfn) + vtd_sm_ctx_index(devfn);
    if (!vtd_sm_ctx_present(ce))
        return NULL;
    assert_int_equal(vtd_sm_ctx_pdts(ce), 0);
    assert_int_equal(vtd_sm_ctx_rid_pasid(ce), 0);
    pde = (struct vtd_pasid_dir_entry *)(uintptr_t)vtd_sm_ctx_pasid_dir(ce);
    if (!vtd_pde_present(pde))
        return NULL;
    return (struct vtd_pasid_entry *)(uintptr_t)vtd_pde_table(pde);
}

static void test_legacy_attach_detach(void **state)
{
    bring_up(CAP_Q10, ECAP_LEG);
    unsigned base_pages = fake_vtd_pages_in_use();
    assert_int_equal(domain_init(&dom, 1, &unit), 0);
    assert_int_equal(dom.stage, VTD_STAGE_SECOND);
    assert_int_equal(dom.levels, 4);
    unsigned nq = fake_vtd.nq;
    assert_int_equal(domain_attach(&dom, &unit, 0, EDU_BUS, EDU_DEVFN, DOMAIN_ATTACH_TRANSLATE, 0), 0);
    assert_true(unit_log_contains("vtd0: 0000:00:03.0 attached to dom1 (did 1, translated, second-stage)"));
    struct vtd_ctx_entry *ce = legacy_slot(EDU_BUS, EDU_DEVFN);
    assert_non_null(ce);
    struct vtd_ctx_entry want = domain_legacy_context_entry(dom.pt.root, 4, 1, DOMAIN_ATTACH_TRANSLATE);
    assert_memory_equal(ce, &want, sizeof(want));
    assert_true(log_has_type(nq, VTD_QI_TYPE_CC));
    assert_true(log_has_type(nq, VTD_QI_TYPE_IOTLB));
    assert_ptr_equal(domain_of_device(&unit, 0x18), &dom);
    assert_null(domain_of_device(&unit, 0x19));
    assert_int_equal(domain_attach(&dom, &unit, 0, EDU_BUS, EDU_DEVFN, DOMAIN_ATTACH_TRANSLATE, 0), -16);
    assert_int_equal(domain_attach(&dom, &unit, 1, EDU_BUS, EDU_DEVFN, DOMAIN_ATTACH_TRANSLATE, 0), -22);
    /* pass-through on another device; nested is refused in legacy mode */
    assert_int_equal(domain_attach(&dom, &unit, 0, 2, 0x00, DOMAIN_ATTACH_PASS_THROUGH, 0), 0);
    assert_int_equal(vtd_ctx_tt(legacy_slot(2, 0)), VTD_CTX_TT_PASS_THROUGH);
    assert_int_equal(domain_attach(&dom, &unit, 0, 2, 0x08, DOMAIN_ATTACH_NESTED, 0x1000), -95);
    assert_true(unit_log_contains("nested attach not supported"));

    struct vtd_qi_desc d;
    assert_int_equal(domain_detach(&dom, 0, EDU_BUS, EDU_DEVFN), 0);
    assert_false(vtd_ctx_present(legacy_slot(EDU_BUS, EDU_DEVFN)));
    d = last_desc(3);   /* CC device, wait, IOTLB domain, wait */
    assert_int_equal(vtd_qi_type(&d), VTD_QI_TYPE_CC);
    assert_int_equal(vtd_qi_gran(&d), VTD_QI_CC_DEVICE);
    assert_int_equal(vtd_qi_did(&d), 1);
    assert_int_equal(vtd_qi_cc_sid(&d), 0x18);
    assert_true(unit_log_contains("detached from dom1 (blocked)"));
    assert_int_equal(domain_detach(&dom, 0, EDU_BUS, EDU_DEVFN), -2);
    assert_null(domain_of_device(&unit, 0x18));
    domain_destroy(&dom);
    assert_false(vtd_unit_did_in_use(&unit, 1));
    assert_false(vtd_ctx_present(legacy_slot(2, 0)));
    /* context tables stay; the domain's own tables are gone */
    assert_int_equal(fake_vtd_pages_in_use(), base_pages + 2);
}

static void test_scalable_attach_second_stage(void **state)
{
    bring_up(CAP_Q10, ECAP_SM);
    assert_int_equal(domain_init(&dom, 2, &unit), 0);
    unsigned nq = fake_vtd.nq;
    assert_int_equal(domain_attach(&dom, &unit, 0, EDU_BUS, EDU_DEVFN, DOMAIN_ATTACH_TRANSLATE, 0), 0);
    struct vtd_pasid_entry *pe = sm_slot(EDU_BUS, EDU_DEVFN);
    assert_non_null(pe);
    assert_true(vtd_pe_present(pe));
    assert_int_equal(vtd_pe_pgtt(pe), VTD_PGTT_SECOND_STAGE);
    assert_int_equal(vtd_pe_ssptptr(pe), dom.pt.root);
    assert_int_equal(vtd_pe_did(pe), 1);
    assert_true(log_has_type(nq, VTD_QI_TYPE_CC));
    assert_true(log_has_type(nq, VTD_QI_TYPE_PC));
    assert_true(log_has_type(nq, VTD_QI_TYPE_IOTLB));
    /* upper half of the root entry for devfn >= 128 */
    assert_int_equal(domain_attach(&dom, &unit, 0, EDU_BUS, 0x80, DOMAIN_ATTACH_TRANSLATE, 0), 0);
    assert_true(vtd_sm_root_upper_present((struct vtd_root_entry *)unit.root));
    assert_true(vtd_sm_root_lower_present((struct vtd_root_entry *)unit.root));
    assert_non_null(sm_slot(EDU_BUS, 0x80));
    assert_int_equal(domain_attach(&dom, &unit, 0, EDU_BUS, EDU_DEVFN, DOMAIN_ATTACH_TRANSLATE, 0), -16);
    /* pass-through with ECAP.PT; nested refused without ECAP.NEST */
    assert_int_equal(domain_attach(&dom, &unit, 0, 1, 0, DOMAIN_ATTACH_PASS_THROUGH, 0), 0);
    assert_int_equal(vtd_pe_pgtt(sm_slot(1, 0)), VTD_PGTT_PASS_THROUGH);
    assert_int_equal(domain_attach(&dom, &unit, 0, 1, 8, DOMAIN_ATTACH_NESTED, 0x5000), -95);

    assert_int_equal(domain_detach(&dom, 0, EDU_BUS, EDU_DEVFN), 0);
    assert_false(vtd_pe_present(sm_slot(EDU_BUS, EDU_DEVFN)));
    assert_false(vtd_pe_fpd(sm_slot(EDU_BUS, EDU_DEVFN)));
    struct vtd_qi_desc d = last_desc(3);   /* PC pasid, wait, IOTLB domain, wait */
    assert_int_equal(vtd_qi_type(&d), VTD_QI_TYPE_PC);
    assert_int_equal(vtd_qi_gran(&d), VTD_QI_PC_PASID);
    assert_int_equal(vtd_qi_did(&d), 1);
    /* re-attach reuses the context entry and directory */
    nq = fake_vtd.nq;
    assert_int_equal(domain_attach(&dom, &unit, 0, EDU_BUS, EDU_DEVFN, DOMAIN_ATTACH_TRANSLATE, 0), 0);
    assert_false(log_has_type(nq, VTD_QI_TYPE_CC));
    domain_destroy(&dom);
}

static void test_scalable_nested_attach(void **state)
{
    bring_up(CAP_Q10, ECAP_SM | ECAP_NEST);
    assert_int_equal(domain_init(&dom, 3, &unit), 0);
    unsigned nq = fake_vtd.nq;
    assert_int_equal(domain_attach(&dom, &unit, 0, EDU_BUS, EDU_DEVFN, DOMAIN_ATTACH_NESTED, 0x8000000), 0);
    assert_true(unit_log_contains("attached to dom3 (did 1, nested)"));
    struct vtd_pasid_entry *pe = sm_slot(EDU_BUS, EDU_DEVFN);
    assert_int_equal(vtd_pe_pgtt(pe), VTD_PGTT_NESTED);
    assert_int_equal(vtd_pe_fsptptr(pe), 0x8000000);
    assert_int_equal(vtd_pe_ssptptr(pe), dom.pt.root);
    assert_true(log_has_type(nq, VTD_QI_TYPE_PIOTLB));
    assert_true(log_has_type(nq, VTD_QI_TYPE_IOTLB));
    assert_int_equal(domain_attach(&dom, &unit, 0, EDU_BUS, 0x20, DOMAIN_ATTACH_NESTED, 0x8000008), -22);
    domain_destroy(&dom);
}

static void test_first_stage_domain(void **state)
{
    bring_up(CAP_FLTS, ECAP_FLTS);
    assert_int_equal(domain_init(&dom, 4, &unit), 0);
    assert_int_equal(dom.stage, VTD_STAGE_FIRST);
    assert_int_equal(dom.iova_bits, 47);
    unsigned nq = fake_vtd.nq;
    assert_int_equal(domain_attach(&dom, &unit, 0, EDU_BUS, EDU_DEVFN, DOMAIN_ATTACH_TRANSLATE, 0), 0);
    assert_true(unit_log_contains("translated, first-stage)"));
    assert_int_equal(vtd_pe_pgtt(sm_slot(EDU_BUS, EDU_DEVFN)), VTD_PGTT_FIRST_STAGE);
    assert_true(log_has_type(nq, VTD_QI_TYPE_PIOTLB));
    /* requests without PASID are user requests: U on every level */
    uint64_t hpa;
    unsigned perms;
    assert_int_equal(domain_add_dma_region(&dom, 0x40000000, 0x1000), 0);
    assert_int_equal(domain_map(&dom, 0x100000, 0x40000000, 0x1000, VTD_PERM_RW), 0);
    assert_int_equal(domain_lookup(&dom, 0x100000, &hpa, &perms), 0);
    assert_int_equal(hpa, 0x40000000);
    assert_true(perms & VTD_PERM_U);
    assert_int_equal(domain_map(&dom, 1ULL << 47, 0x40000000, 0x1000, VTD_PERM_RW), -22);
    nq = fake_vtd.nq;
    assert_int_equal(domain_unmap(&dom, 0x100000, 0x1000), 0);
    struct vtd_qi_desc d = last_desc(1);
    assert_int_equal(vtd_qi_type(&d), VTD_QI_TYPE_PIOTLB);
    assert_int_equal(vtd_qi_did(&d), 1);
    assert_int_equal(vtd_qi_pasid(&d), 0);
    /* a second-stage-only attach type check: this unit offers no SLTS, so nested is refused */
    assert_int_equal(domain_attach(&dom, &unit, 0, 1, 0, DOMAIN_ATTACH_NESTED, 0x1000), -95);
    domain_destroy(&dom);
}

static bool deny_low(uint64_t pa, uint64_t size) { return pa >= 0x1000000; }

static void test_map_unmap_invalidation(void **state)
{
    uint64_t hpa;

    bring_up(CAP_Q10, ECAP_SM);
    assert_int_equal(domain_init(&dom, 5, &unit), 0);
    assert_int_equal(domain_attach(&dom, &unit, 0, EDU_BUS, EDU_DEVFN, DOMAIN_ATTACH_TRANSLATE, 0), 0);
    assert_int_equal(domain_add_dma_region(&dom, 0x2000000, 0x3000000), 0);   /* 32-80 MiB */
    /* not-present to present without caching mode: no IOTLB invalidation */
    unsigned nq = fake_vtd.nq;
    assert_int_equal(domain_map(&dom, 0x1000, 0x2000000, 0x1000, VTD_PERM_R), 0);
    assert_int_equal(fake_vtd.nq, nq);
    assert_int_equal(domain_lookup(&dom, 0x1000, &hpa, NULL), 0);
    assert_int_equal(hpa, 0x2000000);
    assert_int_equal(domain_lookup(&dom, 0x5000, NULL, NULL), -2);
    /* 2 MiB leaf */
    assert_int_equal(domain_map(&dom, 0x200000, 0x4000000, 0x200000, VTD_PERM_RW), 0);
    struct vtd_walk w;
    assert_int_equal(vtd_pgtable_walk(&dom.pt, 0x280000, &w), VTD_WALK_OK);
    assert_int_equal(w.page_size, 0x200000);
    /* unmap: page-selective IOTLB invalidation with the covering mask, then a wait */
    assert_int_equal(domain_unmap(&dom, 0x200000, 0x200000), 0);
    struct vtd_qi_desc d = last_desc(1);
    assert_int_equal(vtd_qi_type(&d), VTD_QI_TYPE_IOTLB);
    assert_int_equal(vtd_qi_gran(&d), VTD_QI_IOTLB_PAGE);
    assert_int_equal(vtd_qi_addr(&d), 0x200000);
    assert_int_equal(vtd_qi_am(&d), 9);
    assert_int_equal(vtd_qi_did(&d), 1);
    assert_true(vtd_qi_ih(&d));   /* only a leaf changed */
    d = last_desc(0);
    assert_int_equal(vtd_qi_type(&d), VTD_QI_TYPE_WAIT);
    /* replacing is refused; bad arguments */
    assert_int_equal(domain_map(&dom, 0x1000, 0x3000000, 0x1000, VTD_PERM_R), -17);
    assert_int_equal(domain_map(&dom, 0x1001, 0x3000000, 0x1000, VTD_PERM_R), -22);
    assert_int_equal(domain_map(&dom, 0x1000, 0x3000000, 0, VTD_PERM_R), -22);
    assert_int_equal(domain_map(&dom, 0x1000, 0x3000000, 0x1000, 0), -22);
    assert_int_equal(domain_map(&dom, 1ULL << 48, 0x3000000, 0x1000, VTD_PERM_R), -22);
    assert_int_equal(domain_map(&dom, ~0xFFFULL, 0x3000000, 0x2000, VTD_PERM_R), -22);
    assert_int_equal(domain_unmap(&dom, 0x1001, 0x1000), -22);
    assert_int_equal(domain_unmap(&dom, 0x1000, 0), -22);
    /* unmapping nothing sends nothing */
    nq = fake_vtd.nq;
    assert_int_equal(domain_unmap(&dom, 0x900000, 0x1000), 0);
    assert_int_equal(fake_vtd.nq, nq);
    /* the isolation policy */
    domain_set_hpa_policy(deny_low);
    assert_int_equal(domain_map(&dom, 0x10000, 0x100000, 0x1000, VTD_PERM_R), -1);
    assert_true(unit_log_contains("dom5: refusing to map host memory 0x100000-0x100fff (hypervisor-owned)"));
    assert_int_equal(domain_add_dma_region(&dom, 0x100000, 0x1000), -1);
    assert_true(unit_log_contains("dom5: refusing DMA region 0x100000-0x100fff (hypervisor-owned)"));
    domain_set_hpa_policy(NULL);
    domain_destroy(&dom);

    /* caching mode: new translations are invalidated too */
    bring_up(CAP_Q10 | (1ULL << 7), ECAP_SM);
    assert_int_equal(domain_init(&dom, 6, &unit), 0);
    assert_int_equal(domain_attach(&dom, &unit, 0, EDU_BUS, EDU_DEVFN, DOMAIN_ATTACH_TRANSLATE, 0), 0);
    assert_int_equal(domain_add_dma_region(&dom, 0x2000000, 0x1000), 0);
    nq = fake_vtd.nq;
    assert_int_equal(domain_map(&dom, 0x1000, 0x2000000, 0x1000, VTD_PERM_R), 0);
    assert_true(log_has_type(nq, VTD_QI_TYPE_IOTLB));
    d = last_desc(1);
    assert_int_equal(vtd_qi_gran(&d), VTD_QI_IOTLB_PAGE);
    assert_false(vtd_qi_ih(&d));  /* new tables: their not-present parents may be cached */
    domain_destroy(&dom);

    /* RWBF without caching mode: a write-buffer flush after the map */
    bring_up(CAP_Q10 | (1ULL << 4), ECAP_LEG);
    assert_int_equal(domain_init(&dom, 7, &unit), 0);
    assert_int_equal(domain_attach(&dom, &unit, 0, EDU_BUS, EDU_DEVFN, DOMAIN_ATTACH_TRANSLATE, 0), 0);
    assert_int_equal(domain_add_dma_region(&dom, 0x2000000, 0x1000), 0);
    unsigned ng = fake_vtd.ngcmd;
    assert_int_equal(domain_map(&dom, 0x1000, 0x2000000, 0x1000, VTD_PERM_R), 0);
    assert_true(fake_vtd.ngcmd > ng);
    assert_true(fake_vtd.gcmd_log[fake_vtd.ngcmd - 1] & VTD_GCMD_WBF);
    domain_destroy(&dom);
}

static void test_attach_limits(void **state)
{
    bring_up(CAP_Q10 & ~7ULL, ECAP_LEG);   /* 16 domain ids */
    static struct iommu_domain doms[16];
    int i;
    for (i = 0; i < 16; i++) {
        assert_int_equal(domain_init(&doms[i], 10 + i, &unit), 0);
        int rc = domain_attach(&doms[i], &unit, 0, 1, (uint8_t)i, DOMAIN_ATTACH_TRANSLATE, 0);
        if (i < 15)
            assert_int_equal(rc, 0);
        else
            assert_int_equal(rc, -28);
    }
    assert_true(unit_log_contains("no free domain id for dom25"));
    for (i = 0; i < 16; i++)
        domain_destroy(&doms[i]);
    /* a 3-level-only unit cannot take a 4-level domain */
    bring_up(CAP_Q10, ECAP_LEG);
    assert_int_equal(domain_init(&dom, 30, &unit), 0);
    struct vtd_unit other = unit;
    other.cap = (CAP_Q10 & ~(0x1fULL << 8)) | (0x2ULL << 8);
    other.index = 1;
    assert_int_equal(domain_attach(&dom, &other, 0, 1, 0, DOMAIN_ATTACH_TRANSLATE, 0), -95);
    /* out of memory while building the context table */
    fake_vtd_fail_alloc_after(0);
    assert_int_equal(domain_attach(&dom, &unit, 0, 9, 0, DOMAIN_ATTACH_TRANSLATE, 0), -12);
    fake_vtd_fail_alloc_after(-1);
    /* full device list */
    for (i = 0; i < DOMAIN_MAX_DEVICES; i++)
        assert_int_equal(domain_attach(&dom, &unit, 0, 3, (uint8_t)i, DOMAIN_ATTACH_TRANSLATE, 0), 0);
    assert_int_equal(domain_attach(&dom, &unit, 0, 4, 0, DOMAIN_ATTACH_TRANSLATE, 0), -28);
    domain_destroy(&dom);
    /* out of memory for the domain's top table */
    fake_vtd_fail_alloc_after(0);
    assert_int_equal(domain_init(&dom, 31, &unit), -12);
    fake_vtd_fail_alloc_after(-1);
    /* scalable: out of memory at each level of the PASID structures */
    for (int n = 0; n < 4; n++) {
        bring_up(CAP_Q10, ECAP_SM);
        assert_int_equal(domain_init(&dom, 32, &unit), 0);
        fake_vtd_fail_alloc_after(n);
        assert_int_equal(domain_attach(&dom, &unit, 0, 5, 0, DOMAIN_ATTACH_TRANSLATE, 0), n < 3 ? -12 : 0);
        fake_vtd_fail_alloc_after(-1);
        domain_destroy(&dom);
    }
}

/* Only registered host ranges can be mapped: the hypervisor's own memory never is. */
static void test_dma_regions(void **state)
{
    bring_up(CAP_Q10, ECAP_SM);
    assert_int_equal(domain_init(&dom, 8, &unit), 0);
    unsigned pages = fake_vtd_pages_in_use();
    /* nothing registered: a unit's root table, like any other page, is refused */
    assert_int_equal(domain_map(&dom, 0x1000, unit.root_pa, 0x1000, VTD_PERM_RW), -1);
    assert_true(unit_log_contains("dom8: refusing to map host memory"));
    assert_true(unit_log_contains("(not a DMA region of this domain)"));
    assert_int_equal(domain_lookup(&dom, 0x1000, NULL, NULL), -2);
    /* adjacent and overlapping ranges merge into one */
    assert_int_equal(domain_add_dma_region(&dom, 0x10000000, 0x100000), 0);
    assert_int_equal(domain_add_dma_region(&dom, 0x10200000, 0x100000), 0);
    assert_int_equal(dom.nregions, 2);
    assert_int_equal(domain_add_dma_region(&dom, 0x10100000, 0x100000), 0);   /* fills the gap */
    assert_int_equal(dom.nregions, 1);
    assert_int_equal(domain_add_dma_region(&dom, 0x10080000, 0x1000), 0);     /* inside */
    assert_int_equal(dom.nregions, 1);
    assert_true(domain_dma_region_covers(&dom, 0x10000000, 0x300000));
    assert_false(domain_dma_region_covers(&dom, 0x10000000, 0x301000));
    assert_int_equal(fake_vtd_pages_in_use(), pages + 1);
    assert_int_equal(domain_map(&dom, 0x200000, 0x10000000, 0x300000, VTD_PERM_RW), 0);
    /* one page past the region's end, or straddling it */
    assert_int_equal(domain_map(&dom, 0x800000, 0x10300000, 0x1000, VTD_PERM_RW), -1);
    assert_int_equal(domain_map(&dom, 0x800000, 0x102ff000, 0x2000, VTD_PERM_RW), -1);
    assert_int_equal(domain_lookup(&dom, 0x800000, NULL, NULL), -2);
    /* bad registrations */
    assert_int_equal(domain_add_dma_region(&dom, 0x1001, 0x1000), -22);
    assert_int_equal(domain_add_dma_region(&dom, 0x1000, 0), -22);
    assert_int_equal(domain_add_dma_region(&dom, ~0xFFFULL, 0x2000), -22);
    assert_int_equal(domain_map(&dom, 0x800000, ~0xFFFULL, 0x2000, VTD_PERM_RW), -22);
    /* capacity: disjoint ranges up to the limit, then -ENOSPC; out of memory for a region page */
    unsigned max = DOMAIN_DMA_REGION_PAGES * DOMAIN_DMA_REGIONS_PER_PAGE;
    for (unsigned i = 1; i < max; i++)
        assert_int_equal(domain_add_dma_region(&dom, 0x100000000ULL + (uint64_t)i * 0x2000, 0x1000), 0);
    assert_int_equal(dom.nregions, max);
    assert_int_equal(domain_add_dma_region(&dom, 0x900000000ULL, 0x1000), -28);
    assert_true(unit_log_contains("dom8: more than 4096 disjoint DMA regions"));
    domain_destroy(&dom);
    assert_int_equal(domain_init(&dom, 9, &unit), 0);
    fake_vtd_fail_alloc_after(0);
    assert_int_equal(domain_add_dma_region(&dom, 0x1000, 0x1000), -12);
    fake_vtd_fail_alloc_after(-1);
    domain_destroy(&dom);
    assert_int_equal(fake_vtd_pages_in_use(), pages - 1);
}

/* Spec ordering details: DID 0 for a new context entry; tables kept while a unit may cache them. */
static void test_spec_rules(void **state)
{
    /* caching mode, legacy: the context cache is invalidated with DID 0 on attach (6.2.2) */
    bring_up(CAP_Q10 | (1ULL << 7), ECAP_LEG);
    assert_int_equal(domain_init(&dom, 40, &unit), 0);
    unsigned nq = fake_vtd.nq;
    assert_int_equal(domain_attach(&dom, &unit, 0, EDU_BUS, EDU_DEVFN, DOMAIN_ATTACH_TRANSLATE, 0), 0);
    struct vtd_qi_desc d;
    memcpy(d.val, fake_vtd.qlog[nq].q, sizeof(d.val));
    assert_int_equal(vtd_qi_type(&d), VTD_QI_TYPE_CC);
    assert_int_equal(vtd_qi_gran(&d), VTD_QI_CC_DEVICE);
    assert_int_equal(vtd_qi_did(&d), 0);
    memcpy(d.val, fake_vtd.qlog[nq + 2].q, sizeof(d.val));
    assert_int_equal(vtd_qi_type(&d), VTD_QI_TYPE_IOTLB);
    assert_int_equal(vtd_qi_did(&d), 1);
    /* the tables of an unmapped range are freed only after the invalidation */
    assert_int_equal(domain_add_dma_region(&dom, 0x40000000, 0x200000), 0);
    unsigned pages = fake_vtd_pages_in_use();
    assert_int_equal(domain_map(&dom, 0x7000000000ULL, 0x40000000, 0x1000, VTD_PERM_RW), 0);
    assert_int_equal(fake_vtd_pages_in_use(), pages + 3);
    assert_int_equal(domain_unmap(&dom, 0x7000000000ULL, 0x1000), 0);
    assert_int_equal(fake_vtd_pages_in_use(), pages);
    /* when the invalidation fails they are never reused */
    assert_int_equal(domain_map(&dom, 0x7000000000ULL, 0x40000000, 0x1000, VTD_PERM_RW), 0);
    fake_vtd.queue_stalled = true;
    assert_int_equal(domain_unmap(&dom, 0x7000000000ULL, 0x1000), -110);
    assert_true(unit_log_contains("dom40: invalidation failed: 3 table page(s) kept out of reuse"));
    assert_int_equal(fake_vtd_pages_in_use(), pages + 3);
    /* nor are the domain's tables and id when detaching at teardown fails */
    domain_destroy(&dom);
    assert_true(unit_log_contains("dom40: invalidation failed at teardown: its tables are kept out of reuse"));
    assert_true(vtd_unit_did_in_use(&unit, 1));
    assert_int_equal(dom.ndev, 0);
    fake_vtd.queue_stalled = false;
}

/* Table write-back is decided per attached unit: any unit that does not snoop (ECAP.C = 0) turns it on. */
static void test_coherency_per_unit(void **state)
{
    struct vtd_unit noncoherent;
    unsigned f;

    bring_up(CAP_Q10, ECAP_LEG | 1);   /* ECAP.C = 1 */
    assert_true(unit.coherent);
    assert_int_equal(domain_init(&dom, 50, &unit), 0);
    assert_int_equal(domain_add_dma_region(&dom, 0x40000000, 0x400000), 0);
    f = fake_vtd_flush_count();
    assert_int_equal(domain_map(&dom, 0x1000, 0x40001000, 0x1000, VTD_PERM_RW), 0);
    assert_int_equal(domain_attach(&dom, &unit, 0, EDU_BUS, EDU_DEVFN, DOMAIN_ATTACH_TRANSLATE, 0), 0);
    assert_int_equal(domain_map(&dom, 0x2000, 0x40002000, 0x1000, VTD_PERM_RW), 0);
    assert_int_equal(fake_vtd_flush_count(), f);   /* a snooping unit: no table write-back */
    /* a second unit that does not snoop (the model's registers, register-based invalidation) */
    noncoherent = unit;
    noncoherent.index = 1;
    noncoherent.coherent = false;
    noncoherent.qi = false;
    f = fake_vtd_flush_count();
    assert_int_equal(domain_attach(&dom, &noncoherent, 0, EDU_BUS, 0x20, DOMAIN_ATTACH_TRANSLATE, 0), 0);
    /* the existing tables (4 levels down to the leaf table) were written back before the entry */
    assert_true(fake_vtd_flush_count() >= f + 4);
    f = fake_vtd_flush_count();
    assert_int_equal(domain_map(&dom, 0x3000, 0x40003000, 0x1000, VTD_PERM_RW), 0);
    assert_true(fake_vtd_flush_count() > f);
    /* it sticks after the detach */
    assert_int_equal(domain_detach(&dom, 0, EDU_BUS, 0x20), 0);
    f = fake_vtd_flush_count();
    assert_int_equal(domain_unmap(&dom, 0x3000, 0x1000), 0);
    assert_true(fake_vtd_flush_count() > f);
    domain_destroy(&dom);
}

/* ---- faults ---- */

static unsigned owner_calls;
static struct vtd_fault_record owner_last;
static void owner(void *ctx, struct vtd_unit *u, const struct vtd_fault_record *rec)
{
    owner_calls++;
    owner_last = *rec;
}

static void test_fault_drain(void **state)
{
    bring_up(CAP_Q10, ECAP_SM);
    owner_calls = 0;
    vtd_faults_set_owner(&unit, owner, NULL);
    assert_int_equal(vtd_faults_drain(&unit), 0);
    fake_vtd_inject_fault(0, 0x18, 0x345678, 0x05, true);
    assert_true(fake_vtd_reg32(VTD_REG_FSTS) & VTD_FSTS_PPF);
    assert_int_equal(vtd_faults_drain(&unit), 1);
    assert_true(unit_log_contains("vtd0: fault: 0000:00:03.0 write iova 0x0000000000345000 reason 0x05"));
    assert_false(fake_vtd_reg32(VTD_REG_FSTS) & VTD_FSTS_PPF);
    assert_false(fake_vtd_reg64(0x228) >> 63);
    assert_int_equal(owner_calls, 1);
    assert_int_equal(owner_last.sid, 0x18);
    assert_int_equal(owner_last.addr, 0x345000);
    assert_int_equal(owner_last.reason, 5);
    assert_false(owner_last.is_read);
    assert_int_equal(vtd_faults_count(&unit, 0x18), 1);
    assert_int_equal(vtd_faults_count(&unit, 0x20), 0);
    fake_vtd_inject_fault(0, 0x18, 0x1000, 0x06, false);
    assert_int_equal(vtd_faults_drain(&unit), 1);
    assert_true(unit_log_contains("(fault 2 from this device)"));
    /* overflow: a fault while the record is full */
    fake_vtd_inject_fault(0, 0x18, 0x1000, 0x06, false);
    fake_vtd_inject_fault(0, 0x20, 0x2000, 0x06, false);
    assert_true(fake_vtd_reg32(VTD_REG_FSTS) & VTD_FSTS_PFO);
    assert_int_equal(vtd_faults_drain(&unit), 1);
    assert_true(unit_log_contains("vtd0: fault recording overflowed: later faults were lost (1 overflows)"));
    assert_false(fake_vtd_reg32(VTD_REG_FSTS) & VTD_FSTS_PFO);
    assert_int_equal(unit.fault_overflows, 1);
}

static void test_fault_rate_limit_and_counters(void **state)
{
    bring_up(CAP_Q10, ECAP_SM);
    for (int i = 0; i < VTD_FAULT_LOG_BURST + 5; i++) {
        fake_vtd_inject_fault(0, (uint16_t)(0x100 + i), 0x1000, 0x05, true);
        vtd_faults_drain(&unit);
    }
    assert_int_equal(unit.faults_total, VTD_FAULT_LOG_BURST + 5);
    unsigned lines = 0;
    for (const char *p = unit_log_text(); (p = strstr(p, "vtd0: fault:")); p++)
        lines++;
    assert_int_equal(lines, VTD_FAULT_LOG_BURST);
    /* the next window reports how many lines were dropped (fake time: 100 us per reading) */
    for (int i = 0; i < 20000 && unit.env->now_us() < unit.fault_rl.window_start + VTD_FAULT_LOG_INTERVAL_US;)
        i++;
    fake_vtd_inject_fault(0, 0x100, 0x1000, 0x05, true);
    vtd_faults_drain(&unit);
    assert_true(unit_log_contains("(5 earlier fault lines suppressed)"));
    /* more requesters than counters */
    for (int i = 0; i < VTD_FAULT_COUNTERS + 3; i++) {
        fake_vtd_inject_fault(0, (uint16_t)(0x200 + i), 0x1000, 0x05, true);
        vtd_faults_drain(&unit);
    }
    assert_true(unit.faults_other_devices >= 3);
}

static void test_fault_multiple_records(void **state)
{
    /* NFR = 4 (field 3), records filled from FRI = 2 round-robin */
    bring_up((CAP_Q10 & ~(0xffULL << 40)) | (3ULL << 40), ECAP_SM);
    assert_int_equal(unit.nfr, 4);
    fake_vtd_inject_fault(2, 0x10, 0x1000, 0x05, true);
    fake_vtd_inject_fault(3, 0x11, 0x2000, 0x05, true);
    fake_vtd_inject_fault(0, 0x12, 0x3000, 0x06, false);
    assert_int_equal(vtd_faults_drain(&unit), 3);
    assert_true(unit_log_contains("0000:00:02.0 write iova 0x0000000000001000"));
    assert_true(unit_log_contains("0000:00:02.2 read iova 0x0000000000003000"));
    assert_int_equal(vtd_faults_drain(&unit), 0);
}

/* Hardware values are bounded: a wild FRI, and a unit that reads all ones, end the drain. */
static void test_fault_drain_hostile_registers(void **state)
{
    bring_up(CAP_Q10, ECAP_SM);   /* NFR = 1, FRCD at 0x220 */
    fake_vtd_inject_fault(0, 0x18, 0x5000, 0x05, true);
    fake_vtd_set_reg32(VTD_REG_FSTS, fake_vtd_reg32(VTD_REG_FSTS) | (200u << 8));   /* FRI 200 */
    assert_int_equal(vtd_faults_drain(&unit), 1);
    assert_true(unit_log_contains("vtd0: fault: 0000:00:03.0 write iova 0x0000000000005000 reason 0x05"));
    /* everything reads ~0 (a unit that went away): at most NFR records, overflow cleared once */
    for (uint32_t off = 0x220; off < 0x230; off += 4)
        fake_vtd_set_reg32(off, 0xFFFFFFFFu);
    fake_vtd_set_reg32(VTD_REG_FSTS, 0xFFFFFFFFu);
    assert_int_equal(vtd_faults_drain(&unit), 1);
    assert_true(unit_log_contains("reason 0xff (unknown reason)"));
    assert_true(unit_log_contains("fault recording overflowed"));
    assert_int_equal(unit.fault_overflows, 1);
}

/* ---- fault storms ---- */

static unsigned storm_calls;
static uint32_t storm_faults;
static void storm_owner(void *ctx, struct iommu_domain *d, struct vtd_unit *u, uint16_t sid, uint32_t faults)
{
    storm_calls++;
    storm_faults = faults;
}

static void advance_us(uint64_t us)
{
    uint64_t end = unit.env->now_us() + us;

    while (unit.env->now_us() < end)
        ;
}

static void inject_faults(uint16_t sid, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        fake_vtd_inject_fault(0, sid, 0x100000 + i * 0x1000ULL, 0x05, true);
        vtd_faults_drain(&unit);
    }
}

static unsigned count_lines(const char *what)
{
    unsigned n = 0;

    for (const char *p = unit_log_text(); (p = strstr(p, what)); p++)
        n++;
    return n;
}

static void storm_setup(uint64_t ecap)
{
    bring_up(CAP_Q10, ecap);
    vtd_faults_set_storm_handler(&unit, domain_silence_device_faults, NULL);
    vtd_faults_enable_irq(&unit, 0x31, 0xfee00000, 0x31);
    assert_int_equal(domain_init(&dom, 60, &unit), 0);
    domain_set_storm_handler(&dom, storm_owner, NULL);
    storm_calls = 0;
    assert_int_equal(domain_attach(&dom, &unit, 0, EDU_BUS, EDU_DEVFN, DOMAIN_ATTACH_TRANSLATE, 0), 0);
}

static void test_fault_storm_legacy_fpd(void **state)
{
    storm_setup(ECAP_LEG);
    /* 64 faults in a window are not a storm; faults spread over windows never are */
    inject_faults(EDU_DEVFN, VTD_FAULT_STORM_MAX);
    advance_us(VTD_FAULT_STORM_WINDOW_US);
    inject_faults(EDU_DEVFN, VTD_FAULT_STORM_MAX);
    assert_int_equal(storm_calls, 0);
    assert_false(vtd_ctx_fpd(legacy_slot(EDU_BUS, EDU_DEVFN)));
    /* the 65th within the window is */
    unsigned nq = fake_vtd.nq;
    inject_faults(EDU_DEVFN, 1);
    assert_true(unit_log_contains("vtd0: fault storm from 0000:00:03.0 (65 faults in 100 ms): fault reporting "
                                  "disabled for it; its DMA stays blocked"));
    struct vtd_ctx_entry *ce = legacy_slot(EDU_BUS, EDU_DEVFN);
    assert_true(vtd_ctx_present(ce));
    assert_true(vtd_ctx_fpd(ce));
    assert_int_equal(vtd_ctx_slptptr(ce), dom.pt.root);   /* translation unchanged: DMA as blocked as before */
    struct vtd_qi_desc d = last_desc(3);                 /* CC device (did 1), wait, IOTLB domain, wait */
    assert_int_equal(vtd_qi_type(&d), VTD_QI_TYPE_CC);
    assert_int_equal(vtd_qi_gran(&d), VTD_QI_CC_DEVICE);
    assert_int_equal(vtd_qi_did(&d), 1);
    assert_int_equal(vtd_qi_cc_sid(&d), EDU_DEVFN);
    assert_true(fake_vtd.nq > nq);
    assert_int_equal(storm_calls, 1);
    assert_int_equal(storm_faults, VTD_FAULT_STORM_MAX + 1);
    assert_int_equal(fake_vtd_reg32(VTD_REG_FECTL), 0);   /* the unit's interrupt stays on */
    /* records already in flight: another storm is handled again but logged once */
    inject_faults(EDU_DEVFN, VTD_FAULT_STORM_MAX + 1);
    assert_int_equal(count_lines("fault storm from"), 1);
    /* detach and re-attach rebuild the entry: FPD clear, a new storm is reported */
    assert_int_equal(domain_detach(&dom, 0, EDU_BUS, EDU_DEVFN), 0);
    assert_int_equal(domain_attach(&dom, &unit, 0, EDU_BUS, EDU_DEVFN, DOMAIN_ATTACH_TRANSLATE, 0), 0);
    assert_false(vtd_ctx_fpd(legacy_slot(EDU_BUS, EDU_DEVFN)));
    advance_us(VTD_FAULT_STORM_WINDOW_US);
    inject_faults(EDU_DEVFN, VTD_FAULT_STORM_MAX + 1);
    assert_int_equal(count_lines("fault storm from"), 2);
    assert_true(vtd_ctx_fpd(legacy_slot(EDU_BUS, EDU_DEVFN)));
    domain_destroy(&dom);
}

static void test_fault_storm_scalable_fpd(void **state)
{
    storm_setup(ECAP_SM);
    inject_faults(EDU_DEVFN, VTD_FAULT_STORM_MAX + 1);
    struct vtd_pasid_entry *pe = sm_slot(EDU_BUS, EDU_DEVFN);
    assert_true(vtd_pe_present(pe));
    assert_true(vtd_pe_fpd(pe));
    assert_int_equal(vtd_pe_pgtt(pe), VTD_PGTT_SECOND_STAGE);
    struct vtd_qi_desc d = last_desc(3);   /* PASID cache, wait, IOTLB domain, wait */
    assert_int_equal(vtd_qi_type(&d), VTD_QI_TYPE_PC);
    assert_int_equal(vtd_qi_did(&d), 1);
    assert_true(unit_log_contains("vtd0: fault storm from 0000:00:03.0 (65 faults in 100 ms): fault reporting disabled"));
    assert_int_equal(storm_calls, 1);
    assert_int_equal(domain_detach(&dom, 0, EDU_BUS, EDU_DEVFN), 0);
    assert_false(vtd_pe_fpd(sm_slot(EDU_BUS, EDU_DEVFN)));
    assert_int_equal(domain_attach(&dom, &unit, 0, EDU_BUS, EDU_DEVFN, DOMAIN_ATTACH_TRANSLATE, 0), 0);
    assert_false(vtd_pe_fpd(sm_slot(EDU_BUS, EDU_DEVFN)));
    domain_destroy(&dom);
}

/* A device without an entry: the unit's interrupt is masked for a window, then unmasked by a drain. */
static void test_fault_storm_no_entry_masks_irq(void **state)
{
    storm_setup(ECAP_LEG);
    inject_faults(0x20, VTD_FAULT_STORM_MAX + 1);   /* 00:04.0 has no context entry */
    assert_true(unit_log_contains("vtd0: fault storm from 0000:00:04.0 (65 faults in 100 ms): no entry to silence "
                                  "it; fault interrupt masked for 100 ms, records polled"));
    assert_int_equal(fake_vtd_reg32(VTD_REG_FECTL), VTD_FECTL_IM);
    assert_int_equal(storm_calls, 0);
    assert_int_equal(unit.fault_storm_masks, 1);
    /* faults during the window are still drained by polls; the interrupt stays masked */
    inject_faults(0x20, 3);
    assert_int_equal(fake_vtd_reg32(VTD_REG_FECTL), VTD_FECTL_IM);
    advance_us(VTD_FAULT_STORM_WINDOW_US);
    vtd_faults_drain(&unit);
    assert_int_equal(fake_vtd_reg32(VTD_REG_FECTL), 0);
    /* it storms on: masked again, logged once */
    inject_faults(0x20, VTD_FAULT_STORM_MAX + 1);
    assert_int_equal(fake_vtd_reg32(VTD_REG_FECTL), VTD_FECTL_IM);
    assert_int_equal(unit.fault_storm_masks, 2);
    assert_int_equal(count_lines("fault storm from"), 1);
    /* without a storm handler every storm masks; a unit polled only (no vector) stays masked */
    vtd_faults_set_storm_handler(&unit, NULL, NULL);
    unit.fault_vector = -1;
    advance_us(VTD_FAULT_STORM_WINDOW_US);
    inject_faults(EDU_DEVFN, VTD_FAULT_STORM_MAX + 1);
    assert_int_equal(unit.fault_storm_masks, 3);
    advance_us(VTD_FAULT_STORM_WINDOW_US);
    vtd_faults_drain(&unit);
    assert_int_equal(fake_vtd_reg32(VTD_REG_FECTL), VTD_FECTL_IM);
    assert_false(vtd_ctx_fpd(legacy_slot(EDU_BUS, EDU_DEVFN)));
    /* the domain handler on a device that is not attached: -ENOENT */
    assert_int_equal(domain_silence_device_faults(NULL, &unit, 0x21, 1), -2);
    domain_destroy(&dom);
    assert_int_equal(domain_silence_device_faults(NULL, &unit, EDU_DEVFN, 1), -2);
}

static void test_fault_irq_registers(void **state)
{
    bring_up(CAP_Q10, ECAP_SM);
    assert_int_equal(unit.fault_vector, -1);
    vtd_faults_enable_irq(&unit, 0x31, 0xfee00000, 0x31);
    assert_int_equal(fake_vtd_reg32(VTD_REG_FEDATA), 0x31);
    assert_int_equal(fake_vtd_reg32(VTD_REG_FEADDR), 0xfee00000);
    assert_int_equal(fake_vtd_reg32(VTD_REG_FEUADDR), 0);
    assert_int_equal(fake_vtd_reg32(VTD_REG_FECTL), 0);
    assert_true(unit_log_contains("vtd0: fault events on vector 0x31"));
    vtd_faults_mask_irq(&unit);
    assert_int_equal(fake_vtd_reg32(VTD_REG_FECTL), VTD_FECTL_IM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_legacy_entry_builder),
        cmocka_unit_test(test_pasid_entry_builders),
        cmocka_unit_test(test_legacy_attach_detach),
        cmocka_unit_test(test_scalable_attach_second_stage),
        cmocka_unit_test(test_scalable_nested_attach),
        cmocka_unit_test(test_first_stage_domain),
        cmocka_unit_test(test_map_unmap_invalidation),
        cmocka_unit_test(test_attach_limits),
        cmocka_unit_test(test_dma_regions),
        cmocka_unit_test(test_spec_rules),
        cmocka_unit_test(test_coherency_per_unit),
        cmocka_unit_test(test_fault_drain),
        cmocka_unit_test(test_fault_rate_limit_and_counters),
        cmocka_unit_test(test_fault_multiple_records),
        cmocka_unit_test(test_fault_drain_hostile_registers),
        cmocka_unit_test(test_fault_irq_registers),
        cmocka_unit_test(test_fault_storm_legacy_fpd),
        cmocka_unit_test(test_fault_storm_scalable_fpd),
        cmocka_unit_test(test_fault_storm_no_entry_masks_irq),
    };
    return UNIT_RUN(tests);
}
