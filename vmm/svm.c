// SPDX-License-Identifier: GPL-2.0-only
/*
 * AMD SVM back end: probing, per-CPU enabling, VMCB setup and the guest-state accessors.
 * Exit decoding is in svm_exit.c. AMD64 APM vol. 2 chapter 15.
 *
 * What the guest may not do without us (the intercepts set in svm_vmcb_init):
 *   INTR, NMI, SMI, INIT  host events always reach the host
 *   CPUID                 filtered view of the CPU (cpuid_filter.c)
 *   IOIO_PROT + IOPM      every port (emulated devices; nothing passes through)
 *   MSR_PROT + MSRPM      every MSR (allow-list in vcpu_msr.c, #GP otherwise)
 *   HLT                   the vCPU blocks in the hypervisor
 *   SHUTDOWN              a triple fault ends the VM, never the host
 *   NPF (NP_ENABLE)       GPAs outside the VM's RAM: MMIO emulation or a stopped VM
 *   VMRUN VMMCALL VMLOAD VMSAVE STGI CLGI SKINIT INVLPGA
 *                         SVM is not offered to guests: #UD (VMRUN must be intercepted anyway)
 *   RDTSCP MONITOR MWAIT MWAIT_ARMED XSETBV RDPRU INVLPGB TLBSYNC
 *                         hidden in CPUID, #UD: TSC_AUX, host power states, XCR0 (not
 *                         switched), host TLB broadcasts
 *   RDPMC                 host performance counters: #GP
 *   INVD WBINVD           cache flushes a guest could use to hurt the host: done as no-ops
 *   #AC #DB exceptions    reflected to the guest; intercepted so that a guest cannot wedge
 *                         the CPU in an endless delivery loop (CVE-2015-5307, CVE-2015-8104)
 * Not intercepted: CR/DR accesses, INVLPG, PAUSE, RDTSC, task switches (nested paging
 * makes them guest-local).
 */
#include "vmm/svm.h"

#include <stddef.h>

#include "kernel/arch/x86.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/paging.h"
#include "lib/kstring.h"
#include "vmm/svm_internal.h"
#include "vmm/vm.h"

#define CPUID_EXT_FEATURES   0x80000001u
#define CPUID_EXT_ECX_SVM    (1u << 2)
#define CPUID_SVM_FEATURES   0x8000000Au
#define CPUID_SVM_EDX_NP     (1u << 0)
#define CPUID_SVM_EDX_NRIPS  (1u << 3)
#define CPUID_SVM_EDX_DECODE (1u << 7)
#define SVM_MAX_ASIDS        256
#define PAT_POWER_ON         0x0007040600070406ULL
#define DR6_INIT             0xFFFF0FF0ULL
#define DR7_INIT             0x400ULL

/* Host (per physical CPU) state: one CPU for now. Not VM state. */
static struct {
    bool enabled;
    uint64_t hsave_pa;
    uint64_t host_vmcb_pa;
    uint32_t nr_asids;
    uint64_t asid_used[SVM_MAX_ASIDS / 64];
} svm_cpu;

static int asid_alloc(void)
{
    for (uint32_t a = 1; a < svm_cpu.nr_asids; a++) /* ASID 0 is the host's */
        if (!(svm_cpu.asid_used[a / 64] & (1ULL << (a % 64)))) {
            svm_cpu.asid_used[a / 64] |= 1ULL << (a % 64);
            return (int)a;
        }
    return -ENOSPC;
}

static void asid_free(uint32_t a) { svm_cpu.asid_used[a / 64] &= ~(1ULL << (a % 64)); }

static int svm_cpu_init(void)
{
    if (svm_cpu.enabled)
        return 0;
    svm_cpu.hsave_pa = frame_alloc();
    svm_cpu.host_vmcb_pa = frame_alloc();
    if (!svm_cpu.hsave_pa || !svm_cpu.host_vmcb_pa) {
        pr_err("svm: no memory for the host save area\n");
        return -ENOMEM;
    }
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
    wrmsr(MSR_VM_HSAVE_PA, svm_cpu.hsave_pa);
    svm_cpu.enabled = true;
    pr_info("svm: enabled (EFER.SVME), host save area 0x%llx\n", (unsigned long long)svm_cpu.hsave_pa);
    return 0;
}

/* Packed VMCB attributes: descriptor bits 47:40 in 7:0 and 55:52 in 11:8 (B-4). */
static uint16_t seg_to_attrib(const struct vcpu_segment *s)
{
    if (s->unusable)
        return 0;
    return (uint16_t)((s->type & 0xF) | (s->s << 4) | ((s->dpl & 3) << 5) | (s->present << 7) |
                      (s->avl << 8) | (s->l << 9) | (s->db << 10) | (s->g << 11));
}

static void seg_to_vmcb(struct vmcb_seg *v, const struct vcpu_segment *s)
{
    v->selector = s->selector;
    v->attrib = seg_to_attrib(s);
    v->limit = s->limit;
    v->base = s->base;
}

static void seg_from_vmcb(struct vcpu_segment *s, const struct vmcb_seg *v)
{
    uint16_t a = v->attrib;

    *s = (struct vcpu_segment){
        .base = v->base, .limit = v->limit, .selector = v->selector, .type = a & 0xF,
        .s = (a >> 4) & 1, .dpl = (a >> 5) & 3, .present = (a >> 7) & 1, .avl = (a >> 8) & 1,
        .l = (a >> 9) & 1, .db = (a >> 10) & 1, .g = (a >> 11) & 1, .unusable = !((a >> 7) & 1),
    };
}

static void svm_vmcb_init(struct svm_vcpu *s)
{
    struct vmcb *c = s->vmcb;

    c->intercept_exceptions = (1u << X86_EXC_DB) | (1u << X86_EXC_AC);
    c->intercept_misc1 = SVM_INTERCEPT_INTR | SVM_INTERCEPT_NMI | SVM_INTERCEPT_SMI | SVM_INTERCEPT_INIT |
                         SVM_INTERCEPT_RDPMC | SVM_INTERCEPT_CPUID | SVM_INTERCEPT_INVD | SVM_INTERCEPT_HLT |
                         SVM_INTERCEPT_INVLPGA | SVM_INTERCEPT_IOIO_PROT | SVM_INTERCEPT_MSR_PROT |
                         SVM_INTERCEPT_SHUTDOWN;
    c->intercept_misc2 = SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMMCALL | SVM_INTERCEPT_VMLOAD |
                         SVM_INTERCEPT_VMSAVE | SVM_INTERCEPT_STGI | SVM_INTERCEPT_CLGI | SVM_INTERCEPT_SKINIT |
                         SVM_INTERCEPT_RDTSCP | SVM_INTERCEPT_WBINVD | SVM_INTERCEPT_MONITOR |
                         SVM_INTERCEPT_MWAIT | SVM_INTERCEPT_MWAIT_ARMED | SVM_INTERCEPT_XSETBV |
                         SVM_INTERCEPT_RDPRU;
    c->intercept_misc3 = SVM_INTERCEPT_INVLPGB | SVM_INTERCEPT_INVLPGB_ILLEGAL | SVM_INTERCEPT_TLBSYNC;
    c->iopm_base_pa = s->iopm_pa;
    c->msrpm_base_pa = s->msrpm_pa;
    c->guest_asid = s->asid;
    c->tlb_control = SVM_TLB_CONTROL_FLUSH_ALL;
    /* The guest's IF masks only virtual interrupts; physical ones stay the host's (15.21.1). */
    c->int_ctl = SVM_V_INTR_MASKING;
    c->np_control = SVM_NP_ENABLE;
    c->n_cr3 = s->npt_root;
    c->efer = EFER_SVME; /* VMRUN requires it (15.5.1); hidden from the guest's RDMSR */
    c->g_pat = PAT_POWER_ON;
    c->dr6 = DR6_INIT;
    c->dr7 = DR7_INIT;
    c->rflags = X86_RFLAGS_FIXED;
    c->cr0 = X86_CR0_ET;
}

static int svm_vcpu_create(struct vcpu *v)
{
    struct svm_vcpu *s = kzalloc(sizeof(*s));
    int asid;

    if (!s)
        return -ENOMEM;
    v->arch = s;
    asid = asid_alloc();
    if (asid < 0) {
        pr_err("%s: svm: all %u ASIDs in use\n", v->vm->name, svm_cpu.nr_asids - 1);
        return asid;
    }
    s->asid = (uint32_t)asid;
    s->vmcb_pa = frame_alloc();
    s->iopm_pa = frames_alloc_contig(SVM_IOPM_BYTES / PAGE_SIZE, 1);
    s->msrpm_pa = frames_alloc_contig(SVM_MSRPM_BYTES / PAGE_SIZE, 1);
    if (!s->vmcb_pa || !s->iopm_pa || !s->msrpm_pa)
        return -ENOMEM;
    s->vmcb = phys_to_virt(s->vmcb_pa);
    memset(s->vmcb, 0, sizeof(*s->vmcb));
    memset(phys_to_virt(s->iopm_pa), 0xFF, SVM_IOPM_BYTES);
    memset(phys_to_virt(s->msrpm_pa), 0xFF, SVM_MSRPM_BYTES);
    s->npt_root = v->vm->npt.root_hpa;
    svm_vmcb_init(s);
    return 0;
}

static void svm_vcpu_destroy(struct vcpu *v)
{
    struct svm_vcpu *s = v->arch;

    if (!s)
        return;
    if (s->vmcb_pa)
        frame_free(s->vmcb_pa);
    if (s->iopm_pa)
        frames_free(s->iopm_pa, SVM_IOPM_BYTES / PAGE_SIZE);
    if (s->msrpm_pa)
        frames_free(s->msrpm_pa, SVM_MSRPM_BYTES / PAGE_SIZE);
    if (s->asid)
        asid_free(s->asid);
    kfree(s);
    v->arch = NULL;
}

static void svm_get_regs(struct vcpu *v, struct vcpu_regs *r)
{
    struct svm_vcpu *s = v->arch;
    const struct guest_gprs *g = &s->gprs;

    *r = (struct vcpu_regs){
        .rax = s->vmcb->rax, .rbx = g->rbx, .rcx = g->rcx, .rdx = g->rdx, .rsi = g->rsi,
        .rdi = g->rdi, .rbp = g->rbp, .rsp = s->vmcb->rsp, .r8 = g->r8, .r9 = g->r9,
        .r10 = g->r10, .r11 = g->r11, .r12 = g->r12, .r13 = g->r13, .r14 = g->r14,
        .r15 = g->r15, .rip = s->vmcb->rip, .rflags = s->vmcb->rflags,
    };
}

static void svm_set_regs(struct vcpu *v, const struct vcpu_regs *r)
{
    struct svm_vcpu *s = v->arch;
    struct guest_gprs *g = &s->gprs;

    s->vmcb->rax = r->rax;
    s->vmcb->rsp = r->rsp;
    s->vmcb->rip = r->rip;
    s->vmcb->rflags = r->rflags | X86_RFLAGS_FIXED;
    *g = (struct guest_gprs){
        .rbx = r->rbx, .rcx = r->rcx, .rdx = r->rdx, .rsi = r->rsi, .rdi = r->rdi, .rbp = r->rbp,
        .r8 = r->r8, .r9 = r->r9, .r10 = r->r10, .r11 = r->r11, .r12 = r->r12, .r13 = r->r13,
        .r14 = r->r14, .r15 = r->r15,
    };
}

static void svm_get_sregs(struct vcpu *v, struct vcpu_sregs *sr)
{
    struct vmcb *c = ((struct svm_vcpu *)v->arch)->vmcb;

    seg_from_vmcb(&sr->cs, &c->cs);
    seg_from_vmcb(&sr->ds, &c->ds);
    seg_from_vmcb(&sr->es, &c->es);
    seg_from_vmcb(&sr->fs, &c->fs);
    seg_from_vmcb(&sr->gs, &c->gs);
    seg_from_vmcb(&sr->ss, &c->ss);
    seg_from_vmcb(&sr->tr, &c->tr);
    seg_from_vmcb(&sr->ldt, &c->ldtr);
    sr->gdt = (struct vcpu_dtable){ c->gdtr.base, (uint16_t)c->gdtr.limit };
    sr->idt = (struct vcpu_dtable){ c->idtr.base, (uint16_t)c->idtr.limit };
    sr->cr0 = c->cr0;
    sr->cr2 = c->cr2;
    sr->cr3 = c->cr3;
    sr->cr4 = c->cr4;
    sr->efer = c->efer & ~EFER_SVME;
}

static void svm_set_sregs(struct vcpu *v, const struct vcpu_sregs *sr)
{
    struct vmcb *c = ((struct svm_vcpu *)v->arch)->vmcb;

    seg_to_vmcb(&c->cs, &sr->cs);
    seg_to_vmcb(&c->ds, &sr->ds);
    seg_to_vmcb(&c->es, &sr->es);
    seg_to_vmcb(&c->fs, &sr->fs);
    seg_to_vmcb(&c->gs, &sr->gs);
    seg_to_vmcb(&c->ss, &sr->ss);
    seg_to_vmcb(&c->tr, &sr->tr);
    seg_to_vmcb(&c->ldtr, &sr->ldt);
    c->gdtr = (struct vmcb_seg){ .limit = sr->gdt.limit, .base = sr->gdt.base };
    c->idtr = (struct vmcb_seg){ .limit = sr->idt.limit, .base = sr->idt.base };
    c->cpl = sr->cs.dpl;
    c->cr0 = sr->cr0;
    c->cr2 = sr->cr2;
    c->cr3 = sr->cr3;
    c->cr4 = sr->cr4;
    c->efer = sr->efer | EFER_SVME;
}

static int svm_inject_event(struct vcpu *v, const struct vcpu_event *ev)
{
    struct vmcb *c = ((struct svm_vcpu *)v->arch)->vmcb;
    static const uint64_t type[] = {
        [VCPU_EVENT_EXT_INT] = SVM_EVENT_TYPE_INTR, [VCPU_EVENT_NMI] = SVM_EVENT_TYPE_NMI,
        [VCPU_EVENT_EXCEPTION] = SVM_EVENT_TYPE_EXCEPT, [VCPU_EVENT_SOFT_INT] = SVM_EVENT_TYPE_SOFT,
    };

    if (c->eventinj & SVM_EVENT_VALID)
        return -EBUSY;
    c->eventinj = ev->vector | (type[ev->type] << SVM_EVENT_TYPE_SHIFT) | SVM_EVENT_VALID;
    if (ev->has_error)
        c->eventinj |= SVM_EVENT_ERROR_VALID | ((uint64_t)ev->error << SVM_EVENT_ERROR_SHIFT);
    return 0;
}

static bool svm_irq_window_open(struct vcpu *v)
{
    const struct vmcb *c = ((struct svm_vcpu *)v->arch)->vmcb;

    return (c->rflags & X86_RFLAGS_IF) && !(c->int_state & SVM_INT_STATE_SHADOW) &&
           !(c->eventinj & SVM_EVENT_VALID);
}

/* A virtual interrupt the guest never takes (V_IGN_TPR, top priority) exits with VINTR
 * as soon as the guest could take it (15.21.4); the exit handler then clears it. */
static void svm_request_irq_window(struct vcpu *v)
{
    struct vmcb *c = ((struct svm_vcpu *)v->arch)->vmcb;

    c->int_ctl |= SVM_V_IRQ | SVM_V_IGN_TPR | (0xFULL << SVM_V_INTR_PRIO_SHIFT);
    c->intercept_misc1 |= SVM_INTERCEPT_VINTR;
}

static void svm_flush_guest_tlb(struct vcpu *v)
{
    ((struct svm_vcpu *)v->arch)->flush_tlb = true;
}

static int svm_run(struct vcpu *v, struct vcpu_exit *exit)
{
    struct svm_vcpu *s = v->arch;
    struct vmcb *c = s->vmcb;

    /* TCG has no flush-by-ASID: flush everything (APM 15.16.1) when the tables changed. */
    if (s->flush_tlb) {
        c->tlb_control = SVM_TLB_CONTROL_FLUSH_ALL;
        s->flush_tlb = false;
    }
    svm_enter_guest(s->vmcb_pa, &s->gprs, svm_cpu.host_vmcb_pa);
    c->tlb_control = SVM_TLB_CONTROL_NONE;
    svm_requeue_interrupted_event(c);
    svm_decode_exit(c, exit);
    return 0;
}

static const struct vcpu_ops svm_ops = {
    .name = "svm",
    .cpu_init = svm_cpu_init,
    .vcpu_create = svm_vcpu_create,
    .vcpu_destroy = svm_vcpu_destroy,
    .vcpu_run = svm_run,
    .get_regs = svm_get_regs,
    .set_regs = svm_set_regs,
    .get_sregs = svm_get_sregs,
    .set_sregs = svm_set_sregs,
    .get_msr = svm_get_msr,
    .set_msr = svm_set_msr,
    .inject_event = svm_inject_event,
    .irq_window_open = svm_irq_window_open,
    .request_irq_window = svm_request_irq_window,
    .flush_guest_tlb = svm_flush_guest_tlb,
};

const struct vcpu_ops *svm_probe(void)
{
    struct cpuid_regs r = cpuid(0x80000000u, 0);
    uint32_t edx;

    if (r.eax < CPUID_SVM_FEATURES || !(cpuid(CPUID_EXT_FEATURES, 0).ecx & CPUID_EXT_ECX_SVM)) {
        pr_info("svm: not available (CPUID 0x80000001 ECX bit 2 clear)\n");
        return NULL;
    }
    if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) {
        pr_warn("svm: disabled by firmware (VM_CR.SVMDIS)\n");
        return NULL;
    }
    r = cpuid(CPUID_SVM_FEATURES, 0);
    edx = r.edx;
    pr_info("svm: revision %u, %u ASIDs, NPT %s, NRIP-save %s, decode assists %s\n", r.eax & 0xFF,
            r.ebx, (edx & CPUID_SVM_EDX_NP) ? "yes" : "no", (edx & CPUID_SVM_EDX_NRIPS) ? "yes" : "no",
            (edx & CPUID_SVM_EDX_DECODE) ? "yes" : "no");
    if (!(edx & CPUID_SVM_EDX_NP)) {
        pr_err("svm: no nested paging (NPT): guests cannot run\n");
        return NULL;
    }
    if (r.ebx < 2) {
        pr_err("svm: %u ASIDs: guests cannot run\n", r.ebx);
        return NULL;
    }
    svm_cpu.nr_asids = r.ebx < SVM_MAX_ASIDS ? r.ebx : SVM_MAX_ASIDS;
    return &svm_ops;
}
