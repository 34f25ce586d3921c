// SPDX-License-Identifier: GPL-2.0-only
/* CAP/ECAP accessors, mode/geometry choices and the boot-summary text, on QEMU's real values. */
#include "tests/unit/support.h"

#include <string.h>

#include "iommu/vtd_caps.h"
#include "iommu/vtd_regs.h"

/* Read from QEMU 10.0.2's unit (shared/PLATFORMS.md). */
#define QEMU10_CAP        0x00d2008c222f0606ULL
#define QEMU10_ECAP_LEG   0x0000000000f00f4aULL
#define QEMU10_ECAP_SM    0x0000480080f00f4aULL
#define QEMU10_CAP_FLTS   0x01d2008c222f0606ULL
#define QEMU10_ECAP_FLTS  0x0000880000f00f4aULL
#define QEMU72_CAP_SM     0x00d2008c22260206ULL

static void test_cap_fields_qemu10(void **state)
{
    uint64_t c = QEMU10_CAP;

    assert_int_equal(vtd_cap_nd(c), 6);
    assert_int_equal(vtd_cap_ndoms(c), 65536);
    assert_int_equal(vtd_cap_sagaw(c), 0x6);
    assert_int_equal(vtd_cap_mgaw(c), 48);
    assert_int_equal(vtd_cap_fro(c), 0x220);
    assert_int_equal(vtd_cap_nfr(c), 1);
    assert_int_equal(vtd_cap_sllps(c), VTD_SLLPS_2M | VTD_SLLPS_1G);
    assert_true(vtd_cap_psi(c));
    assert_int_equal(vtd_cap_mamv(c), 18);
    assert_false(vtd_cap_cm(c));
    assert_false(vtd_cap_rwbf(c));
    assert_false(vtd_cap_zlr(c));
    assert_true(vtd_cap_zlr(1ULL << 22));
    assert_true(vtd_cap_dwd(c));
    assert_true(vtd_cap_drd(c));
    assert_false(vtd_cap_fl1gp(c));
    assert_true(vtd_cap_fl1gp(QEMU10_CAP_FLTS));
    assert_false(vtd_cap_fl5lp(c));
    assert_false(vtd_cap_plmr(c) || vtd_cap_phmr(c) || vtd_cap_afl(c) || vtd_cap_isoch(c));
    assert_false(vtd_cap_pi(c) || vtd_cap_esrtps(c) || vtd_cap_esirtps(c));
    assert_int_equal(vtd_cap_sagaw(QEMU72_CAP_SM), 0x2);
    assert_int_equal(vtd_cap_mgaw(QEMU72_CAP_SM), 39);
    /* Single-bit positions from Linux's accessors. */
    assert_true(vtd_cap_rwbf(1ULL << 4) && vtd_cap_plmr(1ULL << 5) && vtd_cap_phmr(1ULL << 6));
    assert_true(vtd_cap_cm(1ULL << 7) && vtd_cap_afl(1ULL << 3) && vtd_cap_isoch(1ULL << 23));
    assert_true(vtd_cap_fl5lp(1ULL << 60) && vtd_cap_pi(1ULL << 59) && vtd_cap_esrtps(1ULL << 63));
    assert_true(vtd_cap_esirtps(1ULL << 62));
    assert_int_equal(vtd_cap_ndoms(7), 1u << 16); /* ND=7 is reserved: clamp */
}

static void test_ecap_fields(void **state)
{
    uint64_t e = QEMU10_ECAP_SM;

    assert_true(vtd_ecap_qi(e) && vtd_ecap_ir(e) && vtd_ecap_pt(e) && vtd_ecap_smts(e) && vtd_ecap_slts(e));
    assert_true(vtd_ecap_srs(e) && vtd_ecap_eim(1ULL << 4));
    assert_false(vtd_ecap_eim(e));
    assert_false(vtd_ecap_c(e) || vtd_ecap_dt(e) || vtd_ecap_flts(e) || vtd_ecap_nest(e) || vtd_ecap_pasid(e));
    assert_int_equal(vtd_ecap_iro(e), 0xf0);
    assert_int_equal(vtd_ecap_mhmv(e), 15);
    assert_true(vtd_ecap_flts(QEMU10_ECAP_FLTS));
    assert_false(vtd_ecap_slts(QEMU10_ECAP_FLTS));
    assert_false(vtd_ecap_smts(QEMU10_ECAP_LEG));
    assert_true(vtd_ecap_pasid(0x0000490080f00f4aULL));
    assert_true(vtd_ecap_nest(1ULL << 26) && vtd_ecap_prs(1ULL << 29) && vtd_ecap_ers(1ULL << 30));
    assert_true(vtd_ecap_dit(1ULL << 41) && vtd_ecap_pds(1ULL << 42) && vtd_ecap_vcs(1ULL << 44));
    assert_true(vtd_ecap_sc(1ULL << 7) && vtd_ecap_mts(1ULL << 25) && vtd_ecap_slads(1ULL << 45));
    assert_true(vtd_ecap_smpwc(1ULL << 48) && vtd_ecap_rps(1ULL << 49) && vtd_ecap_nwfs(1ULL << 33));
    assert_true(vtd_ecap_eafs(1ULL << 34) && vtd_ecap_c(1));
    assert_int_equal(vtd_ecap_pss(19ULL << 35), 19);
    assert_int_equal(vtd_ver_major(0x10), 1);
    assert_int_equal(vtd_ver_minor(0x10), 0);
    assert_int_equal(vtd_iqercd_iqei(0x1234), 4);
}

static void test_mode_choice(void **state)
{
    const char *why = "x";

    assert_int_equal(vtd_caps_choose_mode(QEMU10_CAP, QEMU10_ECAP_SM, false, &why), VTD_MODE_SCALABLE);
    assert_null(why);
    assert_int_equal(vtd_caps_choose_mode(QEMU10_CAP, QEMU10_ECAP_SM, true, &why), VTD_MODE_LEGACY);
    assert_string_equal(why, "iommu=legacy");
    assert_int_equal(vtd_caps_choose_mode(QEMU10_CAP, QEMU10_ECAP_LEG, false, &why), VTD_MODE_LEGACY);
    assert_null(why);
    assert_int_equal(vtd_caps_choose_mode(QEMU10_CAP, QEMU10_ECAP_SM & ~2ULL, false, &why), VTD_MODE_LEGACY);
    assert_non_null(why);
    assert_int_equal(vtd_caps_choose_mode(QEMU10_CAP, QEMU10_ECAP_SM & ~(1ULL << 46), false, NULL),
                     VTD_MODE_LEGACY);
    assert_int_equal(vtd_caps_choose_mode(QEMU10_CAP_FLTS, QEMU10_ECAP_FLTS, false, NULL), VTD_MODE_SCALABLE);
    assert_int_equal(vtd_caps_choose_stage(QEMU10_ECAP_FLTS, VTD_MODE_SCALABLE), VTD_STAGE_FIRST);
    assert_int_equal(vtd_caps_choose_stage(QEMU10_ECAP_FLTS, VTD_MODE_LEGACY), VTD_STAGE_SECOND);
    assert_int_equal(vtd_caps_choose_stage(QEMU10_ECAP_SM, VTD_MODE_SCALABLE), VTD_STAGE_SECOND);
    assert_string_equal(vtd_mode_name(VTD_MODE_SCALABLE), "scalable");
    assert_string_equal(vtd_mode_name(VTD_MODE_LEGACY), "legacy");
}

static void test_geometry(void **state)
{
    struct vtd_geometry g;

    assert_int_equal(vtd_caps_choose_geometry(QEMU10_CAP, VTD_STAGE_SECOND, &g), 0);
    assert_int_equal(g.levels, 4);
    assert_int_equal(g.aw_bits, 48);
    assert_int_equal(g.iova_bits, 48);
    assert_int_equal(g.sagaw_bit, 2);
    assert_int_equal(vtd_caps_choose_geometry(QEMU72_CAP_SM, VTD_STAGE_SECOND, &g), 0);
    assert_int_equal(g.levels, 3);
    assert_int_equal(g.aw_bits, 39);
    assert_int_equal(g.sagaw_bit, 1);
    /* 5-level only; MGAW 48 bounds the IOVA width */
    assert_int_equal(vtd_caps_choose_geometry((QEMU10_CAP & ~(0x1fULL << 8)) | (0x8ULL << 8), VTD_STAGE_SECOND, &g), 0);
    assert_int_equal(g.levels, 5);
    assert_int_equal(g.iova_bits, 48);
    assert_int_equal(vtd_caps_choose_geometry(QEMU10_CAP & ~(0x1fULL << 8), VTD_STAGE_SECOND, &g), -95);
    assert_int_equal(vtd_caps_choose_geometry(QEMU10_CAP & ~(0x1fULL << 8), VTD_STAGE_FIRST, &g), 0);
    assert_int_equal(g.levels, 4);
    assert_int_equal(vtd_caps_choose_geometry(0x6ULL << 8, VTD_STAGE_SECOND, &g), -95); /* MGAW 1 */
    assert_int_equal(vtd_caps_large_pages(QEMU10_CAP, VTD_STAGE_SECOND), 3);
    assert_int_equal(vtd_caps_large_pages(QEMU10_CAP, VTD_STAGE_FIRST), 1);
    assert_int_equal(vtd_caps_large_pages(QEMU10_CAP_FLTS, VTD_STAGE_FIRST), 3);
}

static void test_format(void **state)
{
    char buf[512];
    int n;

    n = vtd_caps_format_cap(buf, sizeof(buf), QEMU10_CAP);
    assert_int_equal(n, (int)strlen(buf));
    assert_non_null(strstr(buf, "cap 0xd2008c222f0606 ND=6 (65536 domains) SAGAW=0x6 MGAW=48 SLLPS=2M,1G PSI "
                                "MAMV=18 NFR=1 FRO=0x220 CM=0 RWBF=0"));
    assert_non_null(strstr(buf, " FL1GP=0 "));
    n = vtd_caps_format_ecap(buf, sizeof(buf), QEMU10_ECAP_SM);
    assert_int_equal(n, (int)strlen(buf));
    assert_non_null(strstr(buf, "ecap 0x480080f00f4a C=0 QI DT=0 IR EIM=0 PT SC=0 SMTS SLTS FLTS=0 NEST=0 PASID=0 PRS=0"));
    assert_non_null(strstr(buf, "IRO=0xf0 MHMV=15 PSS=0"));
    n = vtd_caps_format_ecap(buf, sizeof(buf), QEMU10_ECAP_FLTS);
    assert_non_null(strstr(buf, " SLTS=0 FLTS "));
    /* truncation keeps snprintf semantics */
    char small[16];
    n = vtd_caps_format_cap(small, sizeof(small), QEMU10_CAP);
    assert_true(n > 15);
    assert_int_equal(strlen(small), 15);
    assert_int_equal(vtd_caps_format_ecap(NULL, 0, 0), vtd_caps_format_ecap(buf, sizeof(buf), 0));
    vtd_caps_format_cap(buf, sizeof(buf), (1ULL << 34));
    assert_non_null(strstr(buf, "SLLPS=2M PSI=0"));
    vtd_caps_format_cap(buf, sizeof(buf), (1ULL << 35) | (1ULL << 7));
    assert_non_null(strstr(buf, "SLLPS=1G"));
    assert_non_null(strstr(buf, "CM=1"));
    vtd_caps_format_cap(buf, sizeof(buf), 0);
    assert_non_null(strstr(buf, "SLLPS=none"));
}

static void test_gcmd_rule(void **state)
{
    uint32_t gsts = VTD_GSTS_TES | VTD_GSTS_RTPS | VTD_GSTS_QIES | VTD_GSTS_WBFS;

    /* one-shot status bits never written back; persistent enables kept */
    assert_int_equal(vtd_gcmd_value(gsts, VTD_GCMD_IRE, true), VTD_GCMD_TE | VTD_GCMD_QIE | VTD_GCMD_IRE);
    assert_int_equal(vtd_gcmd_value(gsts, VTD_GCMD_TE, false), VTD_GCMD_QIE);
    assert_int_equal(vtd_gcmd_value(0, VTD_GCMD_SRTP, true), VTD_GCMD_SRTP);
    assert_int_equal(vtd_gcmd_value(VTD_GSTS_RTPS | VTD_GSTS_TES, VTD_GCMD_SRTP, true), VTD_GCMD_TE | VTD_GCMD_SRTP);
    assert_true(vtd_gsts_reflects(VTD_GSTS_RTPS, VTD_GCMD_SRTP, true));
    assert_false(vtd_gsts_reflects(0, VTD_GCMD_SRTP, true));
    assert_true(vtd_gsts_reflects(VTD_GSTS_TES, VTD_GCMD_TE, true));
    assert_false(vtd_gsts_reflects(VTD_GSTS_TES, VTD_GCMD_TE, false));
    assert_true(vtd_gsts_reflects(0, VTD_GCMD_QIE, false));
    assert_true(vtd_gsts_reflects(0, VTD_GCMD_WBF, true));
    assert_false(vtd_gsts_reflects(VTD_GSTS_WBFS, VTD_GCMD_WBF, true));
}

static void test_command_values(void **state)
{
    uint64_t v = vtd_ccmd_value(VTD_CCMD_GRAN_DEVICE, 5, 0x0018, 0);

    assert_true(v & VTD_CCMD_ICC);
    assert_int_equal((v >> 61) & 3, 3);
    assert_int_equal(v & 0xffff, 5);
    assert_int_equal((v >> 16) & 0xffff, 0x18);
    assert_int_equal(vtd_ccmd_caig(1ULL << 59), 1);
    v = vtd_iotlb_value(VTD_IOTLB_GRAN_PAGE, 7, true, false);
    assert_int_equal((v >> 60) & 3, 3);
    assert_int_equal((v >> 32) & 0xffff, 7);
    assert_true(v & (1ULL << 63));
    assert_true(v & (1ULL << 49));
    assert_false(v & (1ULL << 48));
    assert_int_equal(vtd_iotlb_iaig(3ULL << 57), 3);
    assert_int_equal(vtd_iva_value(0x12345678, 3, true), 0x12345000 | 0x40 | 3);
    assert_int_equal(vtd_fsts_fri(0x0501), 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cap_fields_qemu10), cmocka_unit_test(test_ecap_fields),
        cmocka_unit_test(test_mode_choice),       cmocka_unit_test(test_geometry),
        cmocka_unit_test(test_format),            cmocka_unit_test(test_gcmd_rule),
        cmocka_unit_test(test_command_values),
    };
    return UNIT_RUN(tests);
}
