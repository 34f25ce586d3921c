// SPDX-License-Identifier: GPL-2.0-only
/*
 * Invalidation (VT-d 6.5): the queue (6.5.2) with one invalidation-wait descriptor per
 * request group, or the register-based interface (6.5.1) when ECAP.QI is clear.
 * Single-threaded by design today: callers hold the hypervisor's one boot CPU.
 */
#include "iommu/vtd_inval.h"

#include "iommu/vtd_qi_desc.h"
#include "iommu/vtd_regs.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "lib/kstring.h"

#define QUEUE_BYTES 4096u   /* IQA.QS = 0: one page */
#define VTD_ITE_RESUBMITS 1u /* postings of a group after the first whose wait an ITE dropped */

/* ---- queue ---- */

int vtd_inval_queue_enable(struct vtd_unit *u)
{
    struct vtd_inval_queue *q = &u->iq;
    void *status;
    int rc;

    if (!q->base_pa) {
        if (!(q->base_pa = vtd_unit_alloc_table(u, &q->base)))
            return -ENOMEM;
        if (!(q->status_pa = vtd_unit_alloc_table(u, &status))) {
            u->env->page_free(q->base_pa);
            q->base_pa = 0;
            return -ENOMEM;
        }
        q->status = status;
    }
    /* 256-bit descriptors are required in scalable mode (VT-d 6.5.2); 128-bit otherwise. */
    q->desc_size = u->mode == VTD_MODE_SCALABLE ? 32 : 16;
    q->ndesc = QUEUE_BYTES / q->desc_size;
    q->tail = 0;
    q->pending = 0;
    vtd_write64(u, VTD_REG_IQT, 0);
    vtd_write64(u, VTD_REG_IQA, q->base_pa | (q->desc_size == 32 ? VTD_IQA_DW : 0) | 0 /* QS */);
    if ((rc = vtd_unit_gcmd(u, VTD_GCMD_QIE, true, "queued invalidation enable")) < 0)
        return rc;
    return 0;
}

void vtd_inval_queue_disable(struct vtd_unit *u)
{
    uint64_t tail = vtd_read64(u, VTD_REG_IQT) & VTD_IQ_OFF_MASK;

    if (vtd_unit_poll64(u, VTD_REG_IQH, VTD_IQ_OFF_MASK, tail, VTD_INVAL_TIMEOUT_US) < 0)
        pr_err("%s: invalidation queue did not drain before disable\n", u->name);
    vtd_unit_gcmd(u, VTD_GCMD_QIE, false, "queued invalidation disable");
}

static unsigned queue_head(struct vtd_unit *u)
{
    return (unsigned)((vtd_read64(u, VTD_REG_IQH) & VTD_IQ_OFF_MASK) / u->iq.desc_size) % u->iq.ndesc;
}

static void queue_put(struct vtd_unit *u, const struct vtd_qi_desc *d)
{
    struct vtd_inval_queue *q = &u->iq;
    uint8_t *slot = (uint8_t *)q->base + (size_t)q->tail * q->desc_size;

    memcpy(slot, d->val, q->desc_size);
    vtd_unit_sync_table(u, slot, q->desc_size);
    q->tail = (q->tail + 1) % q->ndesc;
}

/* Slots free for software: one slot always stays empty so that head == tail means empty. */
static unsigned queue_free(struct vtd_unit *u)
{
    unsigned head = queue_head(u);

    return (head + u->iq.ndesc - u->iq.tail - 1) % u->iq.ndesc;
}

/* The descriptor the unit stopped on gets a plain fence in its place, so the queue can go on. */
static void queue_skip_bad(struct vtd_unit *u, bool log)
{
    struct vtd_inval_queue *q = &u->iq;
    unsigned head = queue_head(u);
    uint8_t *slot = (uint8_t *)q->base + (size_t)head * q->desc_size;
    struct vtd_qi_desc bad = { { 0, 0, 0, 0 } };
    struct vtd_qi_desc fence = vtd_qi_wait(VTD_QI_WAIT_FN, 0, 0);

    memcpy(bad.val, slot, q->desc_size);
    if (log)
        pr_err("%s: invalidation queue error at slot %u: descriptor %#llx %#llx (type %u) rejected\n", u->name,
               head, (unsigned long long)bad.val[0], (unsigned long long)bad.val[1], vtd_qi_type(&bad));
    memcpy(slot, fence.val, q->desc_size);
    vtd_unit_sync_table(u, slot, q->desc_size);
}

/*
 * Checks FSTS for queue errors (VT-d 6.5.2.10): IQE (a bad descriptor: replaced by a
 * fence, then the error is cleared so processing resumes), ITE (a device-TLB
 * invalidation timed out), ICE (an invalid completion). *logged collects the errors already reported during this request, so a unit that
 * keeps raising them (or reads all ones) logs each kind once per request.
 * Returns the error bits found (each cleared).
 */
static uint32_t queue_check_errors(struct vtd_unit *u, uint32_t *logged)
{
    uint32_t fsts = vtd_read32(u, VTD_REG_FSTS);
    uint32_t fresh = fsts & ~*logged;

    *logged |= fsts & (VTD_FSTS_IQE | VTD_FSTS_ITE | VTD_FSTS_ICE);
    if (fsts & VTD_FSTS_IQE) {
        queue_skip_bad(u, fresh & VTD_FSTS_IQE);
        vtd_write32(u, VTD_REG_FSTS, VTD_FSTS_IQE);
    }
    if (fsts & VTD_FSTS_ITE) {
        if (fresh & VTD_FSTS_ITE)
            pr_err("%s: device-TLB invalidation timed out (ITE); queue head at slot %u\n", u->name, queue_head(u));
        vtd_write32(u, VTD_REG_FSTS, VTD_FSTS_ITE);
    }
    if (fsts & VTD_FSTS_ICE) {
        if (fresh & VTD_FSTS_ICE)
            pr_err("%s: invalidation completion error (ICE)\n", u->name);
        vtd_write32(u, VTD_REG_FSTS, VTD_FSTS_ICE);
    }
    return fsts & (VTD_FSTS_IQE | VTD_FSTS_ITE | VTD_FSTS_ICE);
}

/* The error a request returns for queue error bits: a rejected descriptor first. */
static int queue_errno(uint32_t errs)
{
    if (errs & VTD_FSTS_IQE)
        return -EIO;
    if (errs & VTD_FSTS_ITE)
        return -ETIMEDOUT;
    return errs ? -EIO : 0;
}

/* Queues n descriptors plus an invalidation wait that writes a fresh sequence number; moves the tail. */
static void queue_post(struct vtd_unit *u, const struct vtd_qi_desc *d, unsigned n)
{
    struct vtd_inval_queue *q = &u->iq;
    struct vtd_qi_desc wait;

    q->seq++;
    if (q->seq == 0)
        q->seq = 1;
    *q->status = 0;
    wait = vtd_qi_wait(VTD_QI_WAIT_SW | VTD_QI_WAIT_FN, q->seq, q->status_pa);
    for (unsigned i = 0; i < n; i++)
        queue_put(u, &d[i]);
    queue_put(u, &wait);
    vtd_write64(u, VTD_REG_IQT, (uint64_t)q->tail * q->desc_size);
}

/*
 * Waits (bounded) for the wait descriptor of the group just posted. *aborted says the
 * unit dropped it: after an invalidation time-out (ITE) the unit never completes the
 * wait descriptors it had already fetched (VT-d 6.5.2.11; Linux marks them aborted in
 * qi_check_fault and resubmits). Ours was fetched once IQH reached the tail, as it is
 * the last descriptor queued.
 */
static int queue_wait(struct vtd_unit *u, const char *what, uint32_t *logged, bool *aborted)
{
    struct vtd_inval_queue *q = &u->iq;
    uint64_t start = u->env->now_us();
    int err = 0;

    *aborted = false;
    for (;;) {
        bool late = u->env->now_us() - start > VTD_INVAL_TIMEOUT_US;
        uint32_t errs = queue_check_errors(u, logged);
        if (errs && !err)
            err = queue_errno(errs);
        if (*q->status == q->seq)
            return err;
        if ((errs & VTD_FSTS_ITE) && queue_head(u) == q->tail) {
            *aborted = true;
            return -ETIMEDOUT;
        }
        if (late) {
            pr_err("%s: invalidation wait timed out (%s; head slot %u tail %u)\n", u->name, what,
                   queue_head(u), q->tail);
            return -ETIMEDOUT;
        }
        u->env->relax();
    }
}

/*
 * Posts a group (n descriptors and a wait; the wait's fence keeps later descriptors
 * behind it) and waits for it. A group whose wait an ITE dropped is posted again, up
 * to VTD_ITE_RESUBMITS times (a device-TLB invalidation may succeed on a retry); after
 * that the queue is idle (everything fetched) and the request fails with -ETIMEDOUT.
 */
static int queue_submit(struct vtd_unit *u, const struct vtd_qi_desc *d, unsigned n, const char *what)
{
    struct vtd_inval_queue *q = &u->iq;
    uint64_t start = u->env->now_us();
    uint32_t logged = 0, early = 0;
    bool aborted;
    int err;

    if (n + 1 > q->ndesc - 1)
        return -E2BIG;
    while (queue_free(u) < n + 1) {
        if ((early = queue_check_errors(u, &logged)))
            break;
        if (u->env->now_us() - start > VTD_INVAL_TIMEOUT_US) {
            pr_err("%s: invalidation queue full and not moving (%s)\n", u->name, what);
            return -ETIMEDOUT;
        }
        u->env->relax();
    }
    for (unsigned attempt = 0;; attempt++) {
        queue_post(u, d, n);
        err = queue_wait(u, what, &logged, &aborted);
        if (!aborted)
            break;
        if (attempt == VTD_ITE_RESUBMITS) {
            pr_err("%s: invalidation (%s) still timing out after %u resubmission(s)\n", u->name, what,
                   VTD_ITE_RESUBMITS);
            return -ETIMEDOUT;
        }
        pr_warn("%s: invalidation wait dropped after ITE (%s): resubmitting\n", u->name, what);
    }
    if (!err)
        err = queue_errno(early);
    if (err)
        pr_err("%s: invalidation (%s) completed with an error\n", u->name, what);
    return err;
}

/* ---- register-based interface (6.5.1) ---- */

static int reg_context(struct vtd_unit *u, uint64_t gran, uint16_t did, uint16_t sid)
{
    vtd_write64(u, VTD_REG_CCMD, vtd_ccmd_value(gran, did, sid, 0));
    if (vtd_unit_poll64(u, VTD_REG_CCMD, VTD_CCMD_ICC, 0, VTD_INVAL_TIMEOUT_US) < 0) {
        pr_err("%s: context-cache invalidation timed out (CCMD %#llx)\n", u->name,
               (unsigned long long)vtd_read64(u, VTD_REG_CCMD));
        return -ETIMEDOUT;
    }
    return 0;
}

static int reg_iotlb(struct vtd_unit *u, uint64_t gran, uint16_t did, uint64_t addr, unsigned am, bool ih)
{
    uint32_t reg = u->iotlb_off + VTD_IOTLB_OFF;

    if (gran == VTD_IOTLB_GRAN_PAGE)
        vtd_write64(u, u->iotlb_off + VTD_IVA_OFF, vtd_iva_value(addr, am, ih));
    vtd_write64(u, reg, vtd_iotlb_value(gran, did, vtd_cap_drd(u->cap), vtd_cap_dwd(u->cap)));
    if (vtd_unit_poll64(u, reg, VTD_IOTLB_IVT, 0, VTD_INVAL_TIMEOUT_US) < 0) {
        pr_err("%s: IOTLB invalidation timed out (IOTLB %#llx)\n", u->name,
               (unsigned long long)vtd_read64(u, reg));
        return -ETIMEDOUT;
    }
    if (vtd_iotlb_iaig(vtd_read64(u, reg)) == 0) {
        pr_err("%s: IOTLB invalidation rejected (IAIG 0)\n", u->name);
        return -EIO;
    }
    return 0;
}

/* ---- requests ---- */

static bool drain_r(struct vtd_unit *u) { return vtd_cap_drd(u->cap); }
static bool drain_w(struct vtd_unit *u) { return vtd_cap_dwd(u->cap); }

int vtd_inval_global(struct vtd_unit *u)
{
    if (u->qi) {
        struct vtd_qi_desc d[3];
        unsigned n = 0;
        d[n++] = vtd_qi_cc_global();
        if (u->mode == VTD_MODE_SCALABLE)
            d[n++] = vtd_qi_pc(VTD_QI_PC_GLOBAL, 0, 0);
        d[n++] = vtd_qi_iotlb_global(drain_r(u), drain_w(u));
        return queue_submit(u, d, n, "global");
    }
    int rc = reg_context(u, VTD_CCMD_GRAN_GLOBAL, 0, 0);
    return rc < 0 ? rc : reg_iotlb(u, VTD_IOTLB_GRAN_GLOBAL, 0, 0, 0, false);
}

int vtd_inval_context_device(struct vtd_unit *u, uint16_t did, uint16_t sid)
{
    if (u->qi) {
        struct vtd_qi_desc d = vtd_qi_cc_device(did, sid, 0);
        return queue_submit(u, &d, 1, "context-cache device");
    }
    return reg_context(u, VTD_CCMD_GRAN_DEVICE, did, sid);
}

int vtd_inval_context_domain(struct vtd_unit *u, uint16_t did)
{
    if (u->qi) {
        struct vtd_qi_desc d = vtd_qi_cc_domain(did);
        return queue_submit(u, &d, 1, "context-cache domain");
    }
    return reg_context(u, VTD_CCMD_GRAN_DOMAIN, did, 0);
}

int vtd_inval_pasid_cache(struct vtd_unit *u, uint16_t did, uint32_t pasid)
{
    struct vtd_qi_desc d = vtd_qi_pc(VTD_QI_PC_PASID, did, pasid);

    if (!u->qi)
        return -ENOTSUP;
    return queue_submit(u, &d, 1, "PASID-cache");
}

int vtd_inval_pasid_cache_domain(struct vtd_unit *u, uint16_t did)
{
    struct vtd_qi_desc d = vtd_qi_pc(VTD_QI_PC_DOMAIN, did, 0);

    if (!u->qi)
        return -ENOTSUP;
    return queue_submit(u, &d, 1, "PASID-cache domain");
}

int vtd_inval_iotlb_domain(struct vtd_unit *u, uint16_t did)
{
    if (u->qi) {
        struct vtd_qi_desc d = vtd_qi_iotlb_domain(did, drain_r(u), drain_w(u));
        return queue_submit(u, &d, 1, "IOTLB domain");
    }
    return reg_iotlb(u, VTD_IOTLB_GRAN_DOMAIN, did, 0, 0, false);
}

int vtd_inval_iotlb_pages(struct vtd_unit *u, uint16_t did, uint64_t iova, unsigned am, bool ih)
{
    if (!vtd_cap_psi(u->cap) || am > vtd_cap_mamv(u->cap))
        return vtd_inval_iotlb_domain(u, did);
    if (u->qi) {
        struct vtd_qi_desc d = vtd_qi_iotlb_page(did, iova, am, ih, drain_r(u), drain_w(u));
        return queue_submit(u, &d, 1, "IOTLB pages");
    }
    return reg_iotlb(u, VTD_IOTLB_GRAN_PAGE, did, iova, am, ih);
}

int vtd_inval_piotlb_all(struct vtd_unit *u, uint16_t did, uint32_t pasid)
{
    struct vtd_qi_desc d = vtd_qi_piotlb_pasid(did, pasid);

    if (!u->qi)
        return -ENOTSUP;
    return queue_submit(u, &d, 1, "PASID-based IOTLB");
}

int vtd_inval_piotlb_pages(struct vtd_unit *u, uint16_t did, uint32_t pasid, uint64_t iova, unsigned am, bool ih)
{
    struct vtd_qi_desc d;

    if (!u->qi)
        return -ENOTSUP;
    if (am > vtd_cap_mamv(u->cap))
        return vtd_inval_piotlb_all(u, did, pasid);
    d = vtd_qi_piotlb_page(did, pasid, iova, am, ih);
    return queue_submit(u, &d, 1, "PASID-based IOTLB pages");
}

int vtd_inval_devtlb(struct vtd_unit *u, uint16_t sid, uint16_t pfsid, unsigned qdep, uint64_t iova, unsigned am)
{
    struct vtd_qi_desc d;

    /* Device-TLB invalidation exists only on the queue (6.5.2.5). */
    if (!u->qi || !vtd_ecap_dt(u->ecap))
        return -ENOTSUP;
    (void)qdep; /* MIP/queue depth: the field is 0 ("not specified") unless the device asks for more */
    d = vtd_qi_devtlb(sid, vtd_ecap_dit(u->ecap) ? pfsid : 0, 0, iova, am);
    return queue_submit(u, &d, 1, "device-TLB");
}

/* ---- a domain's changed range ---- */

void vtd_inval_plan_for_cap(uint64_t cap, enum vtd_inval_target target, const struct vtd_pgt_range *changed,
                            struct vtd_inval_plan *plan)
{
    vtd_inval_plan_make(changed, vtd_cap_cm(cap), target == VTD_INVAL_TARGET_PIOTLB || vtd_cap_psi(cap),
                        vtd_cap_mamv(cap), plan);
}

static struct vtd_qi_desc plan_page_desc(struct vtd_unit *u, enum vtd_inval_target target, uint16_t did,
                                         uint32_t pasid, const struct vtd_psi *p, bool ih)
{
    if (target == VTD_INVAL_TARGET_PIOTLB)
        return vtd_qi_piotlb_page(did, pasid, p->addr, p->am, ih);
    return vtd_qi_iotlb_page(did, p->addr, p->am, ih, drain_r(u), drain_w(u));
}

int vtd_inval_send_plan(struct vtd_unit *u, enum vtd_inval_target target, uint16_t did, uint32_t pasid,
                        const struct vtd_inval_plan *plan)
{
    struct vtd_qi_desc d[VTD_INVAL_MAX_PSI];
    unsigned n = 0;
    int rc = 0;

    if (plan->kind == VTD_INVAL_NONE)
        return 0;
    if (!u->qi) {
        if (target == VTD_INVAL_TARGET_PIOTLB)
            return -ENOTSUP;
        if (plan->kind == VTD_INVAL_DOMAIN)
            return reg_iotlb(u, VTD_IOTLB_GRAN_DOMAIN, did, 0, 0, false);
        for (size_t i = 0; i < plan->count && rc == 0; i++)
            rc = reg_iotlb(u, VTD_IOTLB_GRAN_PAGE, did, plan->psi[i].addr, plan->psi[i].am, plan->ih);
        return rc;
    }
    if (plan->kind == VTD_INVAL_DOMAIN)
        d[n++] = target == VTD_INVAL_TARGET_PIOTLB ? vtd_qi_piotlb_pasid(did, pasid)
                                                   : vtd_qi_iotlb_domain(did, drain_r(u), drain_w(u));
    else
        for (size_t i = 0; i < plan->count && i < VTD_INVAL_MAX_PSI; i++)
            d[n++] = plan_page_desc(u, target, did, pasid, &plan->psi[i], plan->ih);
    return queue_submit(u, d, n, "page-selective invalidation");
}
