// SPDX-License-Identifier: GPL-2.0-only
/* Decisions taken from CAP/ECAP, and their log text (VT-d 11.4.2, 11.4.3). */
#include "iommu/vtd_caps.h"

#include "iommu/vtd_regs.h"
#include "kernel/errno.h"
#include "lib/fmt.h"

const char *vtd_mode_name(enum vtd_mode mode)
{
    return mode == VTD_MODE_SCALABLE ? "scalable" : "legacy";
}

enum vtd_mode vtd_caps_choose_mode(uint64_t cap, uint64_t ecap, bool force_legacy, const char **why)
{
    const char *reason = NULL;

    (void)cap;
    if (!vtd_ecap_smts(ecap))
        reason = NULL;
    else if (force_legacy)
        reason = "iommu=legacy";
    else if (!vtd_ecap_qi(ecap))
        reason = "scalable mode without queued invalidation";
    else if (!vtd_ecap_slts(ecap) && !vtd_ecap_flts(ecap))
        reason = "scalable mode offers neither first- nor second-stage translation";
    else {
        if (why)
            *why = NULL;
        return VTD_MODE_SCALABLE;
    }
    if (why)
        *why = reason;
    return VTD_MODE_LEGACY;
}

enum vtd_stage vtd_caps_choose_stage(uint64_t ecap, enum vtd_mode mode)
{
    if (mode == VTD_MODE_SCALABLE && !vtd_ecap_slts(ecap) && vtd_ecap_flts(ecap))
        return VTD_STAGE_FIRST;
    return VTD_STAGE_SECOND;
}

static void geometry_set(struct vtd_geometry *g, unsigned levels, unsigned mgaw)
{
    g->levels = levels;
    g->aw_bits = 12 + 9 * levels;
    g->iova_bits = mgaw < g->aw_bits ? mgaw : g->aw_bits;
    g->sagaw_bit = levels - 2;
}

int vtd_caps_choose_geometry(uint64_t cap, enum vtd_stage stage, struct vtd_geometry *out)
{
    unsigned sagaw = vtd_cap_sagaw(cap);
    unsigned mgaw = vtd_cap_mgaw(cap);

    if (mgaw < 32)
        return -ENOTSUP;
    if (stage == VTD_STAGE_FIRST) {
        /* First-stage tables follow the IA-32e format: 4-level always, 5-level optionally (3.6). */
        geometry_set(out, 4, mgaw);
        return 0;
    }
    if (sagaw & VTD_SAGAW_48)
        geometry_set(out, 4, mgaw);
    else if (sagaw & VTD_SAGAW_39)
        geometry_set(out, 3, mgaw);
    else if (sagaw & VTD_SAGAW_57)
        geometry_set(out, 5, mgaw);
    else
        return -ENOTSUP;
    return 0;
}

unsigned vtd_caps_large_pages(uint64_t cap, enum vtd_stage stage)
{
    if (stage == VTD_STAGE_FIRST)
        return VTD_SLLPS_2M | (vtd_cap_fl1gp(cap) ? VTD_SLLPS_1G : 0);
    return vtd_cap_sllps(cap) & (VTD_SLLPS_2M | VTD_SLLPS_1G);
}

/* Appends to a bounded buffer, keeping the would-be length like snprintf. */
struct text {
    char *buf;
    size_t size;
    int len;
};

#define text_add(t, ...)                                                                       \
    do {                                                                                       \
        size_t off_ = (size_t)(t)->len < (t)->size ? (size_t)(t)->len : (t)->size;            \
        (t)->len += fmt_snprintf((t)->buf ? (t)->buf + off_ : NULL, (t)->size - off_, __VA_ARGS__); \
    } while (0)

static void text_flag(struct text *t, const char *name, bool set)
{
    if (set)
        text_add(t, " %s", name);
    else
        text_add(t, " %s=0", name);
}

static const char *sllps_text(unsigned sllps)
{
    switch (sllps & 3) {
    case VTD_SLLPS_2M: return "2M";
    case VTD_SLLPS_1G: return "1G";
    case VTD_SLLPS_2M | VTD_SLLPS_1G: return "2M,1G";
    default: return "none";
    }
}

int vtd_caps_format_cap(char *buf, size_t size, uint64_t c)
{
    struct text t = { buf, buf ? size : 0, 0 };

    if (buf && size)
        buf[0] = '\0';
    text_add(&t, "cap %#llx ND=%u (%u domains) SAGAW=%#x MGAW=%u SLLPS=%s", (unsigned long long)c,
             vtd_cap_nd(c), vtd_cap_ndoms(c), vtd_cap_sagaw(c), vtd_cap_mgaw(c), sllps_text(vtd_cap_sllps(c)));
    text_flag(&t, "PSI", vtd_cap_psi(c));
    text_add(&t, " MAMV=%u NFR=%u FRO=%#x", vtd_cap_mamv(c), vtd_cap_nfr(c), vtd_cap_fro(c));
    text_add(&t, " CM=%d RWBF=%d", vtd_cap_cm(c), vtd_cap_rwbf(c));
    text_flag(&t, "ZLR", vtd_cap_zlr(c));
    text_flag(&t, "AFL", vtd_cap_afl(c));
    text_flag(&t, "PLMR", vtd_cap_plmr(c));
    text_flag(&t, "PHMR", vtd_cap_phmr(c));
    text_flag(&t, "DWD", vtd_cap_dwd(c));
    text_flag(&t, "DRD", vtd_cap_drd(c));
    text_flag(&t, "FL1GP", vtd_cap_fl1gp(c));
    text_flag(&t, "FL5LP", vtd_cap_fl5lp(c));
    text_flag(&t, "PI", vtd_cap_pi(c));
    text_flag(&t, "ESRTPS", vtd_cap_esrtps(c));
    return t.len;
}

int vtd_caps_format_ecap(char *buf, size_t size, uint64_t e)
{
    struct text t = { buf, buf ? size : 0, 0 };
    static const struct {
        const char *name;
        bool (*get)(uint64_t);
    } flags[] = {
        { "C", vtd_ecap_c },         { "QI", vtd_ecap_qi },       { "DT", vtd_ecap_dt },
        { "IR", vtd_ecap_ir },       { "EIM", vtd_ecap_eim },     { "PT", vtd_ecap_pt },
        { "SC", vtd_ecap_sc },       { "SMTS", vtd_ecap_smts },   { "SLTS", vtd_ecap_slts },
        { "FLTS", vtd_ecap_flts },   { "NEST", vtd_ecap_nest },   { "PASID", vtd_ecap_pasid },
        { "PRS", vtd_ecap_prs },     { "SRS", vtd_ecap_srs },     { "ERS", vtd_ecap_ers },
        { "DIT", vtd_ecap_dit },     { "PDS", vtd_ecap_pds },     { "VCS", vtd_ecap_vcs },
        { "MTS", vtd_ecap_mts },     { "SLADS", vtd_ecap_slads }, { "SMPWC", vtd_ecap_smpwc },
        { "NWFS", vtd_ecap_nwfs },   { "EAFS", vtd_ecap_eafs },   { "RPS", vtd_ecap_rps },
    };

    if (buf && size)
        buf[0] = '\0';
    text_add(&t, "ecap %#llx", (unsigned long long)e);
    for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
        text_flag(&t, flags[i].name, flags[i].get(e));
    text_add(&t, " IRO=%#x MHMV=%u PSS=%u", vtd_ecap_iro(e), vtd_ecap_mhmv(e), vtd_ecap_pss(e));
    return t.len;
}
