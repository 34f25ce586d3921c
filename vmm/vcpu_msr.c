// SPDX-License-Identifier: GPL-2.0-only
/* Guest MSR allow-list (see vcpu_msr.h). */
#include "vmm/vcpu_msr.h"

#include "kernel/arch/x86.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "vmm/vm.h"

/* Emulated MSRs: reads give a fixed value, writes are accepted and dropped. */
static bool emulated_msr(const struct vcpu *v, uint32_t msr, uint64_t *value)
{
    switch (msr) {
    case MSR_APIC_BASE:
        *value = GUEST_APIC_BASE | APIC_BASE_ENABLE | (v->index == 0 ? APIC_BASE_BSP : 0);
        return true;
    case MSR_FEATURE_CONTROL:
        *value = 1; /* locked, VMX off */
        return true;
    case MSR_PLATFORM_ID:
    case MSR_BIOS_UPDT_TRIG:
    case MSR_BIOS_SIGN_ID:
    case MSR_MTRRCAP:
    case MSR_MTRR_DEF_TYPE:
    case MSR_MTRR_FIX_64K:
    case MSR_MTRR_FIX_16K_0:
    case MSR_MTRR_FIX_16K_1:
    case MSR_MCG_CAP:
    case MSR_MCG_STATUS:
    case MSR_MISC_ENABLE:
    case MSR_AMD_HWCR:
    case MSR_AMD_DE_CFG:
        *value = 0;
        return true;
    }
    if ((msr >= MSR_MTRR_PHYS_FIRST && msr <= MSR_MTRR_PHYS_LAST) ||
        (msr >= MSR_MTRR_FIX_4K_FIRST && msr <= MSR_MTRR_FIX_4K_LAST)) {
        *value = 0;
        return true;
    }
    return false;
}

void vcpu_handle_msr(struct vcpu *v, const struct vcpu_exit *exit, bool write)
{
    static struct log_ratelimit rl = { .interval = 1000, .burst = 10 };
    struct vcpu_regs r;
    uint64_t value = 0;
    uint32_t msr, suppressed;
    int err;

    v->ops->get_regs(v, &r);
    msr = (uint32_t)r.rcx;
    if (write) {
        value = (r.rdx << 32) | (uint32_t)r.rax;
        err = v->ops->set_msr(v, msr, value);
        if (err == -ENOENT)
            err = emulated_msr(v, msr, &(uint64_t){ 0 }) ? 0 : -EINVAL;
    } else {
        err = v->ops->get_msr(v, msr, &value);
        if (err == -ENOENT)
            err = emulated_msr(v, msr, &value) ? 0 : -EINVAL;
    }
    if (err) {
        if (log_ratelimit_allow(&rl, v->exits, &suppressed))
            pr_debug("%s: %s 0x%x not allowed: #GP (%u similar lines suppressed)\n", v->vm->name,
                     write ? "wrmsr" : "rdmsr", msr, suppressed);
        vcpu_inject_exception(v, X86_EXC_GP, true, 0);
        return;
    }
    if (!write) {
        v->ops->get_regs(v, &r);
        r.rax = (uint32_t)value;
        r.rdx = value >> 32;
        v->ops->set_regs(v, &r);
    }
    vcpu_skip_insn(v, exit);
}
