// SPDX-License-Identifier: GPL-2.0-only
/*
 * VT-d entry and descriptor builders checked against independent decoders:
 * every expected word below is written from the bit positions of the VT-d
 * specification (as confirmed in the iommu/ headers), not from the accessors.
 */
#include "tests/unit/support.h"

#include <string.h>

#include "iommu/vtd_context.h"
#include "iommu/vtd_irte.h"
#include "iommu/vtd_pasid.h"
#include "iommu/vtd_pte.h"
#include "iommu/vtd_qi_desc.h"
#include "iommu/vtd_root.h"

/* Independent field extraction: bits hi..lo of w. */
static uint64_t B(uint64_t w, int hi, int lo)
{
    uint64_t v = w >> lo;
    int n = hi - lo + 1;

    return n == 64 ? v : v & ((1ULL << n) - 1);
}

static void test_root_entries(void **state)
{
    struct vtd_root_entry re = vtd_root_make(0x12345000);
    struct vtd_root_entry hw = { 0xdead, 0xbeef };

    assert_int_equal(re.lo, 0x12345001);
    assert_int_equal(re.hi, 0);
    assert_true(vtd_root_present(&re));
    assert_int_equal(vtd_root_ctp(&re), 0x12345000);
    assert_false(vtd_root_reserved_set(&re, 39));
    re.lo |= 1ULL << 5;
    assert_true(vtd_root_reserved_set(&re, 39));
    re = vtd_root_make(1ULL << 40);
    assert_true(vtd_root_reserved_set(&re, 39));
    assert_false(vtd_root_reserved_set(&re, 48));
    re.hi = 1;
    assert_true(vtd_root_reserved_set(&re, 48));

    re.lo = re.hi = 0;
    vtd_sm_root_set_lower(&re, 0xA000, true);
    vtd_sm_root_set_upper(&re, 0xB000, false);
    assert_int_equal(re.lo, 0xA001);
    assert_int_equal(re.hi, 0xB000);
    assert_true(vtd_sm_root_present_for(&re, 0x7F));
    assert_false(vtd_sm_root_present_for(&re, 0x80));
    assert_int_equal(vtd_sm_root_ctp_for(&re, 0x00), 0xA000);
    assert_int_equal(vtd_sm_root_ctp_for(&re, 0xFF), 0xB000);
    vtd_sm_root_set_upper(&re, 0xB000, true);
    assert_true(vtd_sm_root_upper_present(&re));

    vtd_root_publish(&hw, vtd_root_make(0x5000));
    assert_int_equal(hw.lo, 0x5001);
    assert_int_equal(hw.hi, 0);
}

static void test_legacy_context(void **state)
{
    struct vtd_ctx_entry ce = vtd_ctx_make(0xABCDE000, 4, 0x1234, VTD_CTX_TT_PASS_THROUGH);
    struct vtd_ctx_entry hw = { ~0ULL, ~0ULL };

    /* lo: 0 P, 3:2 TT, 63:12 SLPTPTR; hi: 2:0 AW, 23:8 DID */
    assert_int_equal(ce.lo, 0xABCDE000ULL | (2 << 2) | 1);
    assert_int_equal(ce.hi, 2 | (0x1234ULL << 8));
    assert_int_equal(B(ce.hi, 23, 8), 0x1234);
    assert_true(vtd_ctx_present(&ce));
    assert_int_equal(vtd_ctx_tt(&ce), VTD_CTX_TT_PASS_THROUGH);
    assert_int_equal(vtd_ctx_slptptr(&ce), 0xABCDE000);
    assert_int_equal(vtd_ctx_aw(&ce), 2);
    assert_int_equal(vtd_levels_from_aw(vtd_ctx_aw(&ce)), 4);
    assert_int_equal(vtd_ctx_did(&ce), 0x1234);
    vtd_ctx_set_fpd(&ce, true);
    assert_int_equal(B(ce.lo, 1, 1), 1);
    assert_true(vtd_ctx_fpd(&ce));
    vtd_ctx_set_avail(&ce, 0xF);
    assert_int_equal(B(ce.hi, 6, 3), 0xF);
    assert_int_equal(vtd_ctx_avail(&ce), 0xF);
    assert_false(vtd_ctx_reserved_set(&ce, 39));
    ce.hi |= 1ULL << 7;
    assert_true(vtd_ctx_reserved_set(&ce, 39));
    ce.hi &= ~(1ULL << 7);
    ce.lo |= 1ULL << 8;
    assert_true(vtd_ctx_reserved_set(&ce, 39));
    ce = vtd_ctx_make(1ULL << 45, 3, 1, VTD_CTX_TT_UNTRANSLATED);
    assert_int_equal(ce.hi, 1 | (1 << 8));
    assert_true(vtd_ctx_reserved_set(&ce, 39));
    ce.hi |= 1ULL << 30;
    assert_true(vtd_ctx_reserved_set(&ce, 48));

    vtd_ctx_publish(&hw, vtd_ctx_make(0x3000, 3, 7, VTD_CTX_TT_DEVTLB));
    assert_int_equal(hw.lo, 0x3000 | (1 << 2) | 1);
    assert_int_equal(hw.hi, 1 | (7 << 8));
    vtd_ctx_clear(&hw);
    assert_int_equal(hw.lo, 0);
    assert_int_equal(hw.hi, 0);
}

static void test_scalable_context(void **state)
{
    struct vtd_sm_ctx_entry ce = vtd_sm_ctx_make(0x55555000, 3, 0x12345);
    struct vtd_sm_ctx_entry hw;

    assert_int_equal(ce.val[0], 0x55555000ULL | (3 << 9) | 1);
    assert_int_equal(ce.val[1], 0x12345);
    assert_int_equal(ce.val[2] | ce.val[3], 0);
    vtd_sm_ctx_set_fpd(&ce, true);
    vtd_sm_ctx_set_dte(&ce, true);
    vtd_sm_ctx_set_paside(&ce, true);
    vtd_sm_ctx_set_pre(&ce, true);
    vtd_sm_ctx_set_rid_priv(&ce, true);
    assert_int_equal(B(ce.val[0], 4, 0), 0x1F);
    assert_int_equal(B(ce.val[0], 11, 9), 3);
    assert_int_equal(B(ce.val[1], 20, 20), 1);
    assert_true(vtd_sm_ctx_present(&ce) && vtd_sm_ctx_fpd(&ce) && vtd_sm_ctx_dte(&ce));
    assert_true(vtd_sm_ctx_paside(&ce) && vtd_sm_ctx_pre(&ce) && vtd_sm_ctx_rid_priv(&ce));
    assert_int_equal(vtd_sm_ctx_pdts(&ce), 3);
    assert_int_equal(vtd_sm_ctx_pasid_dir(&ce), 0x55555000);
    assert_int_equal(vtd_sm_ctx_rid_pasid(&ce), 0x12345);
    assert_int_equal(vtd_sm_ctx_index(0x85), 5);
    assert_false(vtd_sm_ctx_reserved_set(&ce, 39));
    ce.val[0] |= 1ULL << 6;
    assert_true(vtd_sm_ctx_reserved_set(&ce, 39));
    ce.val[0] &= ~(1ULL << 6);
    ce.val[1] |= 1ULL << 21;
    assert_true(vtd_sm_ctx_reserved_set(&ce, 39));
    ce.val[1] &= ~(1ULL << 21);
    ce.val[3] = 1;
    assert_true(vtd_sm_ctx_reserved_set(&ce, 39));
    ce.val[3] = 0;
    vtd_sm_ctx_set_pasid_dir(&ce, 1ULL << 40);
    assert_true(vtd_sm_ctx_reserved_set(&ce, 39));

    memset(&hw, 0xFF, sizeof(hw));
    vtd_sm_ctx_publish(&hw, vtd_sm_ctx_make(0x1000, 0, 0));
    assert_int_equal(hw.val[0], 0x1001);
    assert_int_equal(hw.val[1] | hw.val[2] | hw.val[3], 0);
    vtd_sm_ctx_clear(&hw);
    assert_int_equal(hw.val[0], 0);
}

static void test_pasid_numbers_and_dir(void **state)
{
    struct vtd_pasid_dir_entry pde = vtd_pde_make(0x77000, true), hw = { 0 };

    assert_int_equal(vtd_pasid_dir_index(0xABCDE), 0xABCDE >> 6);
    assert_int_equal(vtd_pasid_table_index(0xABCDE), 0x1E);
    assert_int_equal(vtd_pdts_dir_entries(0), 128);
    assert_int_equal(vtd_pdts_dir_entries(7), 16384);
    assert_int_equal(vtd_pdts_for_pasid_bits(20), 7);
    assert_int_equal(vtd_pdts_for_pasid_bits(21), 7);
    assert_int_equal(vtd_pdts_for_pasid_bits(16), 3);
    assert_int_equal(vtd_pdts_for_pasid_bits(13), 0);
    assert_int_equal(vtd_pdts_for_pasid_bits(1), 0);
    assert_true(vtd_pasid_in_dir(128 * 64 - 1, 0));
    assert_false(vtd_pasid_in_dir(128 * 64, 0));
    assert_true(vtd_pasid_in_dir(VTD_PASID_MAX - 1, 7));
    assert_false(vtd_pasid_in_dir(VTD_PASID_MAX, 7));

    assert_int_equal(pde.val, 0x77000 | 2 | 1);
    assert_true(vtd_pde_present(&pde));
    assert_true(vtd_pde_fpd(&pde));
    assert_int_equal(vtd_pde_table(&pde), 0x77000);
    assert_false(vtd_pde_reserved_set(&pde, 39));
    pde.val |= 1ULL << 2;
    assert_true(vtd_pde_reserved_set(&pde, 39));
    vtd_pde_publish(&hw, vtd_pde_make(0x8000, false));
    assert_int_equal(hw.val, 0x8001);
}

typedef void (*pe_bool_setter)(struct vtd_pasid_entry *, bool);
typedef bool (*pe_bool_getter)(const struct vtd_pasid_entry *);

static void test_pasid_entry_bits(void **state)
{
    static const struct {
        pe_bool_setter set;
        pe_bool_getter get;
        int word, bit;
    } bits[] = {
        { vtd_pe_set_present, vtd_pe_present, 0, 0 }, { vtd_pe_set_fpd, vtd_pe_fpd, 0, 1 },
        { vtd_pe_set_ssee, vtd_pe_ssee, 0, 5 },       { vtd_pe_set_ssade, vtd_pe_ssade, 0, 9 },
        { vtd_pe_set_pwsnp, vtd_pe_pwsnp, 1, 23 },    { vtd_pe_set_pgsnp, vtd_pe_pgsnp, 1, 24 },
        { vtd_pe_set_cd, vtd_pe_cd, 1, 25 },          { vtd_pe_set_emte, vtd_pe_emte, 1, 26 },
        { vtd_pe_set_pwt, vtd_pe_pwt, 1, 30 },        { vtd_pe_set_pcd, vtd_pe_pcd, 1, 31 },
        { vtd_pe_set_sre, vtd_pe_sre, 2, 0 },         { vtd_pe_set_ere, vtd_pe_ere, 2, 1 },
        { vtd_pe_set_wpe, vtd_pe_wpe, 2, 4 },         { vtd_pe_set_nxe, vtd_pe_nxe, 2, 5 },
        { vtd_pe_set_smep, vtd_pe_smep, 2, 6 },       { vtd_pe_set_eafe, vtd_pe_eafe, 2, 7 },
    };
    struct vtd_pasid_entry pe;

    for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
        memset(&pe, 0, sizeof(pe));
        bits[i].set(&pe, true);
        for (int w = 0; w < 8; w++)
            assert_int_equal(pe.val[w], w == bits[i].word ? 1ULL << bits[i].bit : 0);
        assert_true(bits[i].get(&pe));
        bits[i].set(&pe, false);
        assert_int_equal(pe.val[bits[i].word], 0);
    }
    memset(&pe, 0, sizeof(pe));
    vtd_pe_set_aw(&pe, 3);
    vtd_pe_set_pgtt(&pe, VTD_PGTT_NESTED);
    vtd_pe_set_ssptptr(&pe, 0xFFFFF000);
    vtd_pe_set_did(&pe, 0xBEEF);
    vtd_pe_set_emt(&pe, 6);
    vtd_pe_set_pat(&pe, 0x01020304);
    vtd_pe_set_fspm(&pe, VTD_FSPM_5LEVEL);
    vtd_pe_set_fsptptr(&pe, 0x123456000);
    assert_int_equal(pe.val[0], 0xFFFFF000ULL | (3 << 6) | (3 << 2));
    assert_int_equal(pe.val[1], 0xBEEF | (6ULL << 27) | (0x01020304ULL << 32));
    assert_int_equal(pe.val[2], 0x123456000ULL | (1 << 2));
    assert_int_equal(vtd_pe_aw(&pe), 3);
    assert_int_equal(vtd_pe_pgtt(&pe), VTD_PGTT_NESTED);
    assert_int_equal(vtd_pe_ssptptr(&pe), 0xFFFFF000);
    assert_int_equal(vtd_pe_did(&pe), 0xBEEF);
    assert_int_equal(vtd_pe_emt(&pe), 6);
    assert_int_equal(vtd_pe_pat(&pe), 0x01020304);
    assert_int_equal(vtd_pe_fspm(&pe), VTD_FSPM_5LEVEL);
    assert_int_equal(vtd_pe_fs_levels(&pe), 5);
    assert_int_equal(vtd_pe_fsptptr(&pe), 0x123456000);
    vtd_pe_set_fspm(&pe, VTD_FSPM_4LEVEL);
    assert_int_equal(vtd_pe_fs_levels(&pe), 4);
    pe.val[2] |= 2ULL << 2;
    assert_int_equal(vtd_pe_fs_levels(&pe), 0);
}

static void test_pasid_entry_builders(void **state)
{
    struct vtd_pasid_entry pe = vtd_pe_make_second_stage(0x7000, 4, 0x42), hw;

    assert_int_equal(pe.val[0], 0x7000 | (2 << 2) | (2 << 6) | 1);
    assert_int_equal(pe.val[1], 0x42);
    for (int w = 2; w < 8; w++)
        assert_int_equal(pe.val[w], 0);
    assert_false(vtd_pe_reserved_set(&pe, 39));

    pe = vtd_pe_make_first_stage(0x9000, true, 7);
    assert_int_equal(pe.val[0], (1 << 6) | 1);
    assert_int_equal(pe.val[1], 7);
    assert_int_equal(pe.val[2], 0x9000 | (1 << 2));

    pe = vtd_pe_make_nested(0xA000, false, 0xB000, 3, 9);
    assert_int_equal(pe.val[0], 0xB000 | (1 << 2) | (3 << 6) | 1);
    assert_int_equal(pe.val[1], 9);
    assert_int_equal(pe.val[2], 0xA000);

    pe = vtd_pe_make_pass_through(3);
    assert_int_equal(pe.val[0], (4 << 6) | 1);
    assert_int_equal(pe.val[1], 3);
    assert_int_equal(B(pe.val[0], 8, 6), VTD_PGTT_PASS_THROUGH);

    /* reserved: PGTT 0 and 5, val[0] 11:10, val[1] 22:16, val[2] 11:8, val[3..7], pointers above haw */
    pe.val[0] &= ~(7ULL << 6);
    assert_true(vtd_pe_reserved_set(&pe, 48));
    vtd_pe_set_pgtt(&pe, 5);
    assert_true(vtd_pe_reserved_set(&pe, 48));
    pe = vtd_pe_make_pass_through(3);
    pe.val[0] |= 1ULL << 10;
    assert_true(vtd_pe_reserved_set(&pe, 48));
    pe = vtd_pe_make_pass_through(3);
    pe.val[1] |= 1ULL << 16;
    assert_true(vtd_pe_reserved_set(&pe, 48));
    pe = vtd_pe_make_pass_through(3);
    pe.val[2] |= 1ULL << 8;
    assert_true(vtd_pe_reserved_set(&pe, 48));
    pe = vtd_pe_make_pass_through(3);
    pe.val[7] = 1;
    assert_true(vtd_pe_reserved_set(&pe, 48));
    pe = vtd_pe_make_second_stage(1ULL << 40, 3, 1);
    assert_true(vtd_pe_reserved_set(&pe, 39));
    assert_false(vtd_pe_reserved_set(&pe, 48));

    memset(&hw, 0xFF, sizeof(hw));
    pe = vtd_pe_make_second_stage(0x7000, 4, 0x42);
    vtd_pe_publish(&hw, &pe);
    assert_memory_equal(&hw, &pe, sizeof(pe));
    vtd_pe_clear(&hw, true);
    assert_int_equal(hw.val[0], 2);
    for (int w = 1; w < 8; w++)
        assert_int_equal(hw.val[w], 0);
    vtd_pe_clear(&hw, false);
    assert_int_equal(hw.val[0], 0);
}

static void test_second_stage_pte(void **state)
{
    uint64_t leaf = vtd_sspte_make_leaf(0x200000, 2, VTD_PERM_RW, true);
    uint64_t pte;

    /* 0 R, 1 W, 7 PS, 11 SNP, 51:12 address */
    assert_int_equal(leaf, 0x200000 | 3 | (1 << 7) | (1 << 11));
    assert_true(vtd_sspte_present(leaf) && vtd_sspte_ps(leaf) && vtd_sspte_snp(leaf));
    assert_int_equal(vtd_sspte_perms(leaf), VTD_PERM_RW);
    assert_int_equal(vtd_sspte_make_table(0x5000), 0x5003);
    assert_int_equal(vtd_sspte_make_leaf(0x5000, 1, VTD_PERM_R | VTD_PERM_X, false), 0x5000 | 1 | 4);
    assert_false(vtd_sspte_present(0x5000 | 4));
    assert_false(vtd_sspte_reserved(leaf, 2, true, true, 39));

    pte = vtd_sspte_set_emt(0, 6);
    pte = vtd_sspte_set_ipat(pte, true);
    pte = vtd_sspte_set_tm(pte, true);
    assert_int_equal(pte, (6 << 3) | (1 << 6) | (1ULL << 62));
    assert_int_equal(vtd_sspte_emt(pte), 6);
    assert_true(vtd_sspte_ipat(pte) && vtd_sspte_tm(pte));
    assert_false(vtd_sspte_a(1ULL << 9) || !vtd_sspte_a(1ULL << 8));
    assert_true(vtd_sspte_d(1ULL << 9));
    assert_true(vtd_sspte_w(2) && !vtd_sspte_r(2) && vtd_sspte_x(4));

    /* reserved cases */
    assert_true(vtd_sspte_reserved(leaf, 2, false, true, 39));               /* 2 MiB not supported */
    assert_true(vtd_sspte_reserved(leaf, 4, true, true, 39));                /* PS at level 4 */
    assert_true(vtd_sspte_reserved(leaf | (1 << 12), 2, true, true, 39));    /* unaligned 2 MiB */
    assert_true(vtd_sspte_reserved(leaf, 2, true, false, 39));               /* SNP without SC */
    assert_true(vtd_sspte_reserved(0x5003 | (1 << 11), 3, true, true, 39));  /* SNP in a table entry */
    assert_true(vtd_sspte_reserved(0x5003 | (1ULL << 62), 3, true, true, 39)); /* TM in a table entry */
    assert_true(vtd_sspte_reserved(0x5003 | (1ULL << 40), 3, true, true, 39)); /* above paw */
    assert_false(vtd_sspte_reserved(0x5003 | (1ULL << 40), 3, true, true, 48));
    assert_false(vtd_sspte_reserved(0x5003 | (1ULL << 63) | (1ULL << 55), 3, true, true, 39)); /* ignored */
    assert_true(vtd_sspte_reserved(0x40000003 | (1 << 7) | (1 << 21), 3, true, false, 48)); /* unaligned 1 GiB */

    /* split of a 2 MiB leaf: 4 KiB children, same flags */
    assert_int_equal(vtd_sspte_split_child(leaf, 2, 0), 0x200000 | 3 | (1 << 11));
    assert_int_equal(vtd_sspte_split_child(leaf, 2, 511), (0x200000 + 511 * 4096) | 3 | (1 << 11));
    assert_int_equal(vtd_sspte_split_child(0x40000000 | 1 | (1 << 7), 3, 2), (0x40000000 + 2 * 0x200000) | 1 | (1 << 7));
    assert_int_equal(vtd_level_size(1), 4096);
    assert_int_equal(vtd_level_size(3), 1ULL << 30);
    assert_int_equal(vtd_level_index(0x0000123456789000ULL, 1), B(0x0000123456789000ULL, 20, 12));
    assert_int_equal(vtd_level_index(0x0000123456789000ULL, 4), B(0x0000123456789000ULL, 47, 39));
    assert_int_equal(vtd_pte_set_addr(1ULL << 63, 0x5000), (1ULL << 63) | 0x5000);
}

static void test_first_stage_pte(void **state)
{
    uint64_t leaf = vtd_fspte_make_leaf(0x40000000, 3, VTD_PERM_RW | VTD_PERM_U | VTD_PERM_X);
    uint64_t ro = vtd_fspte_make_leaf(0x5000, 1, VTD_PERM_R);
    uint64_t t = vtd_fspte_make_table(0x9000);
    uint64_t pte;

    /* 0 P, 1 R/W, 2 U/S, 5 A, 6 D, 7 PS, 63 XD */
    assert_int_equal(leaf, 0x40000000 | 1 | 2 | 4 | (1 << 5) | (1 << 6) | (1 << 7));
    assert_int_equal(ro, 0x5000 | 1 | (1 << 5) | (1ULL << 63));
    assert_int_equal(t, 0x9000 | 1 | 2 | 4);
    assert_int_equal(vtd_fspte_perms(leaf), VTD_PERM_RW | VTD_PERM_U | VTD_PERM_X);
    assert_int_equal(vtd_fspte_perms(ro), VTD_PERM_R);
    assert_true(vtd_fspte_p(ro) && vtd_fspte_a(ro) && !vtd_fspte_d(ro) && vtd_fspte_xd(ro));
    pte = vtd_fspte_set_pwt(0, true);
    pte = vtd_fspte_set_pcd(pte, true);
    pte = vtd_fspte_set_g(pte, true);
    assert_int_equal(pte, (1 << 3) | (1 << 4) | (1 << 8));
    assert_true(vtd_fspte_pwt(pte) && vtd_fspte_pcd(pte) && vtd_fspte_g(pte));
    assert_true(vtd_fspte_us(4) && vtd_fspte_rw(2) && vtd_fspte_ps(1 << 7));

    assert_false(vtd_fspte_reserved(leaf, 3, true, 39));
    assert_true(vtd_fspte_reserved(leaf, 3, false, 39));             /* 1 GiB without FS1GP */
    assert_true(vtd_fspte_reserved(leaf, 4, true, 39));              /* PS at level 4 */
    assert_true(vtd_fspte_reserved(leaf | (1 << 13), 3, true, 39));  /* unaligned */
    assert_false(vtd_fspte_reserved(leaf | (1 << 12), 3, true, 39)); /* PAT */
    assert_true(vtd_fspte_reserved(t | (1ULL << 45), 4, true, 39));
    assert_false(vtd_fspte_reserved(t | (1ULL << 45), 4, true, 48));
    assert_false(vtd_fspte_reserved(ro | (0xFFFULL << 52), 1, true, 39)); /* 63:52 ignored/XD */

    /* 2 MiB leaf with PAT (bit 12) splits into 4 KiB leaves with PAT in bit 7 */
    pte = vtd_fspte_make_leaf(0x600000, 2, VTD_PERM_R) | (1 << 12);
    assert_int_equal(vtd_fspte_leaf_addr(pte, 2), 0x600000);
    assert_int_equal(vtd_fspte_split_child(pte, 2, 3), (0x600000 + 3 * 4096) | 1 | (1 << 5) | (1 << 7) | (1ULL << 63));
    /* 1 GiB leaf splits into 2 MiB leaves keeping PS and PAT in bit 12 */
    pte = leaf | (1 << 12);
    assert_int_equal(vtd_fspte_split_child(pte, 3, 1), (0x40000000 + 0x200000) | (1 << 12) | 1 | 2 | 4 | (1 << 5) |
                                                           (1 << 6) | (1 << 7));
}

static void test_irte(void **state)
{
    struct vtd_irte e = vtd_irte_make(0x31, vtd_irte_dst_for_apic(3, false), true, 0x0018), hw = { 0, 0 };

    assert_int_equal(e.lo, 1 | (1 << 4) | (0x31 << 16) | (0x300ULL << 32));
    assert_int_equal(e.hi, 0x18 | (1 << 18));
    assert_true(vtd_irte_present(&e) && vtd_irte_tm(&e));
    assert_int_equal(vtd_irte_vector(&e), 0x31);
    assert_int_equal(vtd_irte_dst(&e), 0x300);
    assert_int_equal(vtd_irte_sid(&e), 0x18);
    assert_int_equal(vtd_irte_svt(&e), VTD_SVT_ALL);
    assert_int_equal(vtd_irte_sq(&e), VTD_SQ_FULL);
    assert_int_equal(vtd_irte_dlm(&e), VTD_DLM_FIXED);
    assert_false(vtd_irte_reserved_set(&e));
    assert_int_equal(vtd_irte_dst_for_apic(0x12345, true), 0x12345);

    e.lo = e.hi = 0;
    vtd_irte_set_fpd(&e, true);
    vtd_irte_set_dm(&e, true);
    vtd_irte_set_rh(&e, true);
    vtd_irte_set_dlm(&e, VTD_DLM_NMI);
    vtd_irte_set_avail(&e, 0xA);
    vtd_irte_set_sq(&e, VTD_SQ_IGN_1_3);
    vtd_irte_set_svt(&e, VTD_SVT_BUS);
    assert_int_equal(e.lo, 2 | 4 | 8 | (4 << 5) | (0xA << 8));
    assert_int_equal(e.hi, (3 << 16) | (2 << 18));
    assert_true(vtd_irte_fpd(&e) && vtd_irte_dm(&e) && vtd_irte_rh(&e) && !vtd_irte_im(&e));
    assert_int_equal(vtd_irte_avail(&e), 0xA);
    assert_int_equal(vtd_irte_dlm(&e), VTD_DLM_NMI);
    assert_true(vtd_irte_im(&(struct vtd_irte){ 1 << 15, 0 }));
    e.lo |= 1 << 13;
    assert_true(vtd_irte_reserved_set(&e));
    e.lo &= ~(1ULL << 13);
    e.lo |= 1ULL << 24;
    assert_true(vtd_irte_reserved_set(&e));
    e.lo &= ~(1ULL << 24);
    e.hi |= 1ULL << 20;
    assert_true(vtd_irte_reserved_set(&e));

    vtd_irte_publish(&hw, vtd_irte_make(0x40, 1, false, 2));
    assert_int_equal(hw.lo, 1 | (0x40 << 16) | (1ULL << 32));
    assert_int_equal(hw.hi, 2 | (1 << 18));
}

static void check_upper_zero(const struct vtd_qi_desc *d)
{
    assert_int_equal(d->val[2], 0);
    assert_int_equal(d->val[3], 0);
}

static void test_qi_cache_descriptors(void **state)
{
    struct vtd_qi_desc d;

    d = vtd_qi_cc_global();
    assert_int_equal(d.val[0], 0x1 | (1 << 4));
    assert_int_equal(d.val[1], 0);
    check_upper_zero(&d);
    d = vtd_qi_cc_domain(5);
    assert_int_equal(d.val[0], 0x1 | (2 << 4) | (5 << 16));
    d = vtd_qi_cc_device(5, 0x0118, 2);
    assert_int_equal(d.val[0], 0x1 | (3 << 4) | (5 << 16) | (0x118ULL << 32) | (2ULL << 48));
    assert_int_equal(vtd_qi_type(&d), VTD_QI_TYPE_CC);
    assert_int_equal(vtd_qi_gran(&d), VTD_QI_CC_DEVICE);
    assert_int_equal(vtd_qi_did(&d), 5);
    assert_int_equal(vtd_qi_cc_sid(&d), 0x118);
    assert_int_equal(vtd_qi_cc_fm(&d), 2);

    d = vtd_qi_iotlb_global(true, true);
    assert_int_equal(d.val[0], 0x2 | (1 << 4) | (1 << 6) | (1 << 7));
    assert_int_equal(d.val[1], 0);
    d = vtd_qi_iotlb_domain(0xFFFF, false, false);
    assert_int_equal(d.val[0], 0x2 | (2 << 4) | (0xFFFFULL << 16));
    d = vtd_qi_iotlb_page(9, 0x12345000, 3, true, false, true);
    assert_int_equal(d.val[0], 0x2 | (3 << 4) | (1 << 6) | (9 << 16));
    assert_int_equal(d.val[1], 0x12345000 | (1 << 6) | 3);
    assert_true(vtd_qi_iotlb_dw(&d) && !vtd_qi_iotlb_dr(&d));
    assert_int_equal(vtd_qi_addr(&d), 0x12345000);
    assert_true(vtd_qi_ih(&d));
    assert_int_equal(vtd_qi_am(&d), 3);
    check_upper_zero(&d);

    d = vtd_qi_piotlb_pasid(3, 0x77);
    assert_int_equal(d.val[0], 0x6 | (2 << 4) | (3 << 16) | (0x77ULL << 32));
    assert_int_equal(d.val[1], 0);
    d = vtd_qi_piotlb_page(3, 0xFFFFF, 0x400000, 9, true);
    assert_int_equal(d.val[0], 0x6 | (3 << 4) | (3 << 16) | (0xFFFFFULL << 32));
    assert_int_equal(d.val[1], 0x400000 | (1 << 6) | 9);
    assert_int_equal(vtd_qi_pasid(&d), 0xFFFFF);
    assert_int_equal(vtd_qi_type(&d), VTD_QI_TYPE_PIOTLB);

    d = vtd_qi_pc(VTD_QI_PC_PASID, 3, 0x77);
    assert_int_equal(d.val[0], 0x7 | (1 << 4) | (3 << 16) | (0x77ULL << 32));
    d = vtd_qi_pc(VTD_QI_PC_DOMAIN, 4, 0);
    assert_int_equal(d.val[0], 0x7 | (4 << 16));
    d = vtd_qi_pc(VTD_QI_PC_GLOBAL, 0, 0);
    assert_int_equal(d.val[0], 0x7 | (3 << 4));
    check_upper_zero(&d);
}

static void test_qi_other_descriptors(void **state)
{
    struct vtd_qi_desc d;

    d = vtd_qi_iec_global();
    assert_int_equal(d.val[0], 0x4);
    assert_false(vtd_qi_iec_is_index(&d));
    d = vtd_qi_iec_index(0x40, 2);
    assert_int_equal(d.val[0], 0x4 | (1 << 4) | (2ULL << 27) | (0x40ULL << 32));
    assert_true(vtd_qi_iec_is_index(&d));
    assert_int_equal(vtd_qi_iec_im(&d), 2);
    assert_int_equal(vtd_qi_iec_iidx(&d), 0x40);

    d = vtd_qi_wait(VTD_QI_WAIT_IF | VTD_QI_WAIT_SW | VTD_QI_WAIT_FN, 0xDEADBEEF, 0x1004);
    assert_int_equal(d.val[0], 0x5 | (1 << 4) | (1 << 5) | (1 << 6) | (0xDEADBEEFULL << 32));
    assert_int_equal(d.val[1], 0x1004);
    assert_int_equal(vtd_qi_wait_flags(&d), VTD_QI_WAIT_IF | VTD_QI_WAIT_SW | VTD_QI_WAIT_FN);
    assert_int_equal(vtd_qi_wait_data(&d), 0xDEADBEEF);
    assert_int_equal(vtd_qi_wait_addr(&d), 0x1004);
    d = vtd_qi_wait(VTD_QI_WAIT_PD, 0, 0x1007);
    assert_int_equal(d.val[0], 0x5 | (1 << 7));
    assert_int_equal(d.val[1], 0x1004);

    /* device-TLB: 15:12 PFSID[3:0], 20:16 MIP, 47:32 SID, 63:52 PFSID[15:4]; val[1] 0 S */
    d = vtd_qi_devtlb(0x0300, 0x1234, 5, 0x10000, 0);
    assert_int_equal(d.val[0], 0x3 | (0x4 << 12) | (5 << 16) | (0x0300ULL << 32) | (0x123ULL << 52));
    assert_int_equal(d.val[1], 0x10000);
    assert_int_equal(vtd_qi_devtlb_sid(&d), 0x300);
    assert_int_equal(vtd_qi_devtlb_pfsid(&d), 0x1234);
    assert_int_equal(vtd_qi_devtlb_mip(&d), 5);
    assert_int_equal(vtd_qi_devtlb_size_order(&d), 0);
    d = vtd_qi_devtlb(1, 0, 0, 0x10000, 1);      /* 2 pages: bit 12 clear, S */
    assert_int_equal(d.val[1], 0x10000 | 1);
    assert_int_equal(vtd_qi_devtlb_size_order(&d), 1);
    d = vtd_qi_devtlb(1, 0, 0, 0x10000, 3);      /* 8 pages: bits 13:12 set, bit 14 clear */
    assert_int_equal(d.val[1], 0x13000 | 1);
    assert_int_equal(vtd_qi_devtlb_size_order(&d), 3);

    /* PASID-based device-TLB: 8:4 MIP, 15:12 PFSID, 31:16 SID, 51:32 PASID, 63:52; val[1] 0 G, 11 S */
    d = vtd_qi_pdevtlb(0x0300, 0x1234, 5, 0x42, true, 0x20000, 2);
    assert_int_equal(d.val[0], 0x8 | (5 << 4) | (0x4 << 12) | (0x0300ULL << 16) | (0x42ULL << 32) | (0x123ULL << 52));
    assert_int_equal(d.val[1], 0x21000 | (1 << 11) | 1);
    assert_true(vtd_qi_pdevtlb_g(&d) && vtd_qi_pdevtlb_s(&d));
    assert_int_equal(vtd_qi_pdevtlb_sid(&d), 0x300);
    assert_int_equal(vtd_qi_pdevtlb_size_order(&d), 2);
    assert_int_equal(vtd_qi_type(&d), VTD_QI_TYPE_PDEVTLB);
    d = vtd_qi_pdevtlb(1, 0, 0, 1, false, 0x20000, 0);
    assert_int_equal(d.val[1], 0x20000);
    assert_int_equal(vtd_qi_pdevtlb_size_order(&d), 0);
    check_upper_zero(&d);

    /* types above 15 use bits 11:9 */
    d = vtd_qi_make((enum vtd_qi_type)0x1A);
    assert_int_equal(d.val[0], 0xA | (1 << 9));
    assert_int_equal(vtd_qi_type(&d), 0x1A);
    assert_int_equal(vtd_qi_ats_addr(0x10000, 0), 0x10000);
    assert_int_equal(vtd_qi_ats_order(0x10000 | 0x7000), 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_root_entries),
        cmocka_unit_test(test_legacy_context),
        cmocka_unit_test(test_scalable_context),
        cmocka_unit_test(test_pasid_numbers_and_dir),
        cmocka_unit_test(test_pasid_entry_bits),
        cmocka_unit_test(test_pasid_entry_builders),
        cmocka_unit_test(test_second_stage_pte),
        cmocka_unit_test(test_first_stage_pte),
        cmocka_unit_test(test_irte),
        cmocka_unit_test(test_qi_cache_descriptors),
        cmocka_unit_test(test_qi_other_descriptors),
    };

    return UNIT_RUN(tests);
}
