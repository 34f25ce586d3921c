// SPDX-License-Identifier: GPL-2.0-only
/* Bring-up of one remapping unit (VT-d 11.4, 6.5, 10.4.4 GCMD rule). */
#include "iommu/vtd_unit.h"

#include "iommu/vtd_inval.h"
#include "iommu/vtd_regs.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "lib/fmt.h"
#include "lib/kstring.h"

#define PAGE_BYTES 4096u

static bool deadline_passed(struct vtd_unit *u, uint64_t start, uint64_t timeout_us)
{
    return u->env->now_us() - start > timeout_us;
}

int vtd_unit_poll64(struct vtd_unit *u, uint32_t off, uint64_t mask, uint64_t want, uint64_t timeout_us)
{
    uint64_t start = u->env->now_us();

    for (;;) {
        bool late = deadline_passed(u, start, timeout_us);
        if ((vtd_read64(u, off) & mask) == want)
            return 0;
        if (late)
            return -ETIMEDOUT;
        u->env->relax();
    }
}

int vtd_unit_gcmd(struct vtd_unit *u, uint32_t cmd, bool on, const char *what)
{
    uint32_t gsts = vtd_read32(u, VTD_REG_GSTS);
    uint64_t start;

    vtd_write32(u, VTD_REG_GCMD, vtd_gcmd_value(gsts, cmd, on));
    start = u->env->now_us();
    for (;;) {
        bool late = deadline_passed(u, start, VTD_CMD_TIMEOUT_US);
        gsts = vtd_read32(u, VTD_REG_GSTS);
        if (vtd_gsts_reflects(gsts, cmd, on))
            return 0;
        if (late)
            break;
        u->env->relax();
    }
    pr_err("%s: %s timed out (GSTS %#x)\n", u->name, what, gsts);
    return -ETIMEDOUT;
}

int vtd_unit_flush_write_buffer(struct vtd_unit *u)
{
    if (!vtd_cap_rwbf(u->cap))
        return 0;
    return vtd_unit_gcmd(u, VTD_GCMD_WBF, true, "write-buffer flush");
}

void vtd_unit_sync_table(struct vtd_unit *u, const void *p, size_t len)
{
    if (!u->coherent && u->env->flush)
        u->env->flush(p, len);
}

uint64_t vtd_unit_alloc_table(struct vtd_unit *u, void **va)
{
    uint64_t pa = u->env->page_alloc();

    if (!pa)
        return 0;
    *va = u->env->phys_to_virt(pa);
    /* The zeroes must be in memory before the unit can reach the page (ECAP.C=0). */
    vtd_unit_sync_table(u, *va, PAGE_BYTES);
    return pa;
}

int vtd_unit_did_alloc(struct vtd_unit *u)
{
    for (uint32_t did = 1; did < u->ndids; did++) {
        uint32_t *w = &u->did_bitmap[did / 32];
        if (!(*w & (1u << (did % 32)))) {
            *w |= 1u << (did % 32);
            return (int)did;
        }
    }
    return -ENOSPC;
}

void vtd_unit_did_free(struct vtd_unit *u, uint16_t did)
{
    if (did && did < u->ndids)
        u->did_bitmap[did / 32] &= ~(1u << (did % 32));
}

bool vtd_unit_did_in_use(const struct vtd_unit *u, uint16_t did)
{
    return did < u->ndids && (u->did_bitmap[did / 32] & (1u << (did % 32)));
}

int vtd_unit_probe(struct vtd_unit *u, unsigned index, uint16_t segment, uint64_t base, void *regs,
                   const struct vtd_env *env, bool force_legacy)
{
    char text[400];
    const char *why = NULL;

    memset(u, 0, sizeof(*u));
    u->index = index;
    fmt_snprintf(u->name, sizeof(u->name), "vtd%u", index);
    u->segment = segment;
    u->base = base;
    u->regs = regs;
    u->env = env;

    u->ver = vtd_read32(u, VTD_REG_VER);
    u->cap = vtd_read64(u, VTD_REG_CAP);
    u->ecap = vtd_read64(u, VTD_REG_ECAP);
    if (u->ver == 0xFFFFFFFFu || u->cap == ~0ULL || u->cap == 0) {
        pr_err("%s: base %#llx: no unit answers (VER %#x CAP %#llx); skipped\n", u->name,
               (unsigned long long)base, u->ver, (unsigned long long)u->cap);
        return -ENODEV;
    }
    u->mode = vtd_caps_choose_mode(u->cap, u->ecap, force_legacy, &why);
    u->stage = vtd_caps_choose_stage(u->ecap, u->mode);
    u->iotlb_off = vtd_ecap_iro(u->ecap);
    u->frcd_off = vtd_cap_fro(u->cap);
    u->nfr = vtd_cap_nfr(u->cap);
    u->coherent = vtd_ecap_c(u->ecap);
    u->large_pages = vtd_caps_large_pages(u->cap, u->stage);

    if (vtd_caps_choose_geometry(u->cap, u->stage, &u->geo) < 0) {
        pr_err("%s: base %#llx: no supported address width (SAGAW %#x MGAW %u); skipped\n", u->name,
               (unsigned long long)base, vtd_cap_sagaw(u->cap), vtd_cap_mgaw(u->cap));
        return -ENOTSUP;
    }
    /* The mapped page must hold the IOTLB and fault recording registers (VT-d 11.4.8.1, 11.4.9.3). */
    if (u->iotlb_off < VTD_REG_IQERCD || u->iotlb_off + 16 > VTD_UNIT_REG_BYTES || u->frcd_off < VTD_REG_IQERCD ||
        u->frcd_off + u->nfr * VTD_FRCD_SIZE > VTD_UNIT_REG_BYTES) {
        pr_err("%s: IRO %#x / FRO %#x NFR %u outside the register window; skipped\n", u->name,
               u->iotlb_off, u->frcd_off, u->nfr);
        return -ENOTSUP;
    }

    pr_info("%s: base %#llx ver %u.%u mode %s aw %u-bit (%u-level)%s\n", u->name, (unsigned long long)base,
            vtd_ver_major(u->ver), vtd_ver_minor(u->ver), vtd_mode_name(u->mode), u->geo.aw_bits,
            u->geo.levels, u->stage == VTD_STAGE_FIRST ? " first-stage" : "");
    if (why)
        pr_info("%s: legacy mode: %s\n", u->name, why);
    vtd_caps_format_cap(text, sizeof(text), u->cap);
    pr_info("%s: %s\n", u->name, text);
    vtd_caps_format_ecap(text, sizeof(text), u->ecap);
    pr_info("%s: %s\n", u->name, text);
    return 0;
}

static int did_bitmap_init(struct vtd_unit *u)
{
    uint32_t ndids = vtd_cap_ndoms(u->cap);
    uint32_t bytes = ndids / 8 < sizeof(uint32_t) ? sizeof(uint32_t) : ndids / 8;
    void *va;

    /* The bitmap sits in frames of its own; 64 Ki ids need 8 KiB (two frames, kept contiguous in va). */
    if (bytes > PAGE_BYTES) {
        ndids = PAGE_BYTES * 8;   /* 32 Ki ids are plenty; keeps the bitmap in one frame */
        bytes = PAGE_BYTES;
    }
    if (!vtd_unit_alloc_table(u, &va))
        return -ENOMEM;
    u->did_bitmap = va;
    u->ndids = ndids;
    u->did_bitmap[0] |= 1u;   /* DID 0: reserved when CM=1 (VT-d 6.2.2); never used */
    return 0;
}

int vtd_unit_prepare(struct vtd_unit *u)
{
    uint32_t gsts = vtd_read32(u, VTD_REG_GSTS);
    int rc;

    if (gsts & VTD_GSTS_TES) {
        pr_warn("%s: translation left enabled by firmware; turning it off\n", u->name);
        if ((rc = vtd_unit_gcmd(u, VTD_GCMD_TE, false, "translation disable")) < 0)
            return rc;
    }
    if (gsts & VTD_GSTS_QIES) {
        /* The queue must be idle (IQH == IQT) before QIE is cleared (VT-d 6.5.2). */
        vtd_unit_poll64(u, VTD_REG_IQH, VTD_IQ_OFF_MASK, vtd_read64(u, VTD_REG_IQT) & VTD_IQ_OFF_MASK,
                        VTD_CMD_TIMEOUT_US);
        if ((rc = vtd_unit_gcmd(u, VTD_GCMD_QIE, false, "queued invalidation disable")) < 0)
            return rc;
    }
    if (!u->did_bitmap && (rc = did_bitmap_init(u)) < 0)
        goto nomem;
    if (!u->root_pa && !(u->root_pa = vtd_unit_alloc_table(u, &u->root)))
        goto nomem;

    vtd_write64(u, VTD_REG_RTADDR,
                u->root_pa | (u->mode == VTD_MODE_SCALABLE ? VTD_RTADDR_TTM_SCALABLE : VTD_RTADDR_TTM_LEGACY));
    if ((rc = vtd_unit_gcmd(u, VTD_GCMD_SRTP, true, "set root table pointer")) < 0)
        return rc;

    u->qi = false;
    if (vtd_ecap_qi(u->ecap)) {
        if ((rc = vtd_inval_queue_enable(u)) < 0)
            return rc;
        u->qi = true;
    }
    if ((rc = vtd_inval_global(u)) < 0)
        return rc;
    return vtd_unit_flush_write_buffer(u);

nomem:
    pr_err("%s: out of memory for the unit's tables\n", u->name);
    return -ENOMEM;
}

int vtd_unit_translate(struct vtd_unit *u)
{
    int rc;

    if ((rc = vtd_unit_gcmd(u, VTD_GCMD_TE, true, "translation enable")) < 0)
        return rc;
    u->enabled = true;
    if (u->qi)
        pr_info("%s: translation enabled (root table %#llx, queued invalidation, %u-bit descriptors)\n",
                u->name, (unsigned long long)u->root_pa, u->iq.desc_size * 8);
    else
        pr_info("%s: translation enabled (root table %#llx, register-based invalidation)\n", u->name,
                (unsigned long long)u->root_pa);
    return 0;
}

int vtd_unit_enable(struct vtd_unit *u)
{
    int rc = vtd_unit_prepare(u);

    return rc < 0 ? rc : vtd_unit_translate(u);
}

void vtd_unit_disable(struct vtd_unit *u)
{
    uint32_t gsts = vtd_read32(u, VTD_REG_GSTS);

    if (gsts & VTD_GSTS_TES)
        vtd_unit_gcmd(u, VTD_GCMD_TE, false, "translation disable");
    if (gsts & VTD_GSTS_QIES)
        vtd_inval_queue_disable(u);
    u->enabled = false;
}
