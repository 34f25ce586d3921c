// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest MSRs whose value lives in the VMCB (APM vol. 2 B-2): EFER (SVME forced on and
 * hidden), PAT, the SYSCALL/SYSENTER MSRs, FS/GS/KernelGS bases; the TSC through
 * TSC_OFFSET. -ENOENT for any other MSR, -EINVAL when the value would #GP.
 */
#include "vmm/svm_internal.h"

#include "kernel/arch/x86.h"
#include "kernel/errno.h"
#include "vmm/vcpu_msr.h"

static uint64_t *vmcb_msr_field(struct vmcb *c, uint32_t msr, bool *needs_canonical)
{
    *needs_canonical = true;
    switch (msr) {
    case MSR_STAR: *needs_canonical = false; return &c->star;
    case MSR_LSTAR: return &c->lstar;
    case MSR_CSTAR: return &c->cstar;
    case MSR_SFMASK: *needs_canonical = false; return &c->sfmask;
    case MSR_KERNEL_GS_BASE: return &c->kernel_gs_base;
    case MSR_FS_BASE: return &c->fs.base;
    case MSR_GS_BASE: return &c->gs.base;
    case MSR_SYSENTER_CS: *needs_canonical = false; return &c->sysenter_cs;
    case MSR_SYSENTER_ESP: return &c->sysenter_esp;
    case MSR_SYSENTER_EIP: return &c->sysenter_eip;
    default: return NULL;
    }
}

int svm_get_msr(struct vcpu *v, uint32_t msr, uint64_t *value)
{
    struct vmcb *c = ((struct svm_vcpu *)v->arch)->vmcb;
    bool canon;
    uint64_t *f;

    switch (msr) {
    case MSR_EFER: *value = c->efer & ~EFER_SVME; return 0;
    case MSR_PAT: *value = c->g_pat; return 0;
    case MSR_TSC: *value = rdtsc() + c->tsc_offset; return 0;
    }
    if (!(f = vmcb_msr_field(c, msr, &canon)))
        return -ENOENT;
    *value = *f;
    return 0;
}

int svm_set_msr(struct vcpu *v, uint32_t msr, uint64_t value)
{
    struct vmcb *c = ((struct svm_vcpu *)v->arch)->vmcb;
    bool canon;
    uint64_t *f;

    switch (msr) {
    case MSR_EFER:
        if (msr_efer_write(c->efer, c->cr0 & X86_CR0_PG, value, &value))
            return -EINVAL;
        c->efer = value | EFER_SVME;
        return 0;
    case MSR_PAT:
        if (!msr_pat_valid(value))
            return -EINVAL;
        c->g_pat = value;
        return 0;
    case MSR_TSC:
        c->tsc_offset = value - rdtsc();
        return 0;
    }
    if (!(f = vmcb_msr_field(c, msr, &canon)))
        return -ENOENT;
    if (canon && !msr_canonical(value))
        return -EINVAL;
    *f = msr == MSR_SYSENTER_CS ? (value & 0xFFFF) : value;
    return 0;
}
