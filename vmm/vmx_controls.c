// SPDX-License-Identifier: GPL-2.0-only
/* VMCS control values from the capability MSRs (see vmx_controls.h). */
#include "vmm/vmx_controls.h"

#include "kernel/errno.h"
#include "lib/fmt.h"
#include "vmm/vmx_vmcs.h"

struct ctl_step {
    const char *name;
    uint64_t cap;
    uint32_t want, need;
    uint32_t *out;
};

static int refuse(char *why, size_t size, const char *what, uint32_t missing)
{
    fmt_snprintf(why, size, "%s: bits 0x%08x not allowed", what, missing);
    return -ENOTSUP;
}

int vmx_controls_compute(const struct vmx_msr_values *m, struct vmx_controls *c, char *why, size_t why_size)
{
    bool true_ctls = m->basic & VMX_BASIC_TRUE_CTLS;
    uint32_t proc2_want = VMX_PROC2_VPID | VMX_PROC2_WBINVD_EXITING;
    uint32_t proc2_need = VMX_PROC2_EPT | VMX_PROC2_UNRESTRICTED;
    struct ctl_step steps[] = {
        { "pin-based controls", true_ctls ? m->true_pin : m->pin, 0,
          VMX_PIN_EXT_INT_EXITING | VMX_PIN_NMI_EXITING, &c->pin },
        { "processor-based controls", true_ctls ? m->true_proc : m->proc, VMX_PROC_TSC_OFFSETTING,
          VMX_PROC_HLT_EXITING | VMX_PROC_RDPMC_EXITING | VMX_PROC_MONITOR_EXITING | VMX_PROC_MWAIT_EXITING |
              VMX_PROC_USE_IO_BITMAPS | VMX_PROC_USE_MSR_BITMAPS | VMX_PROC_SECONDARY,
          &c->proc },
        { "secondary controls", m->has_proc2 ? m->proc2 : 0, proc2_want, proc2_need, &c->proc2 },
        { "VM-exit controls", true_ctls ? m->true_exit : m->exit, VMX_EXIT_CTL_SAVE_PAT | VMX_EXIT_CTL_LOAD_PAT |
          VMX_EXIT_CTL_SAVE_EFER, VMX_EXIT_CTL_HOST_64BIT | VMX_EXIT_CTL_LOAD_EFER, &c->exit },
        { "VM-entry controls", true_ctls ? m->true_entry : m->entry, VMX_ENTRY_CTL_LOAD_PAT,
          VMX_ENTRY_CTL_LOAD_EFER, &c->entry },
    };
    uint32_t missing;

    *c = (struct vmx_controls){ 0 };
    for (unsigned i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        if (!vmx_ctl_adjust(steps[i].cap, steps[i].want, steps[i].need, steps[i].out, &missing))
            return refuse(why, why_size, steps[i].name, missing ? missing : (uint32_t)steps[i].cap);
    }
    /* A guest in 32-bit mode at entry; the IA-32e mode control follows the guest's EFER.LMA. */
    c->entry &= ~VMX_ENTRY_CTL_IA32E_GUEST;
    /* The interrupt window is asked for when needed; CR3 exits only where the CPU forces them. */
    c->proc &= ~VMX_PROC_INTR_WINDOW;

    if (!(m->ept_vpid & EPT_CAP_PWL4) || !(m->ept_vpid & EPT_CAP_MEMTYPE_WB)) {
        fmt_snprintf(why, why_size, "EPT: %s", !(m->ept_vpid & EPT_CAP_PWL4) ? "no 4-level walk" : "no write-back tables");
        return -ENOTSUP;
    }
    if (!(m->ept_vpid & EPT_CAP_INVEPT) || !(m->ept_vpid & (EPT_CAP_INVEPT_SINGLE | EPT_CAP_INVEPT_ALL))) {
        fmt_snprintf(why, why_size, "EPT: no INVEPT (single- or all-context)");
        return -ENOTSUP;
    }
    c->invept_single = m->ept_vpid & EPT_CAP_INVEPT_SINGLE;
    c->ept_2m = m->ept_vpid & EPT_CAP_2M;
    c->vpid = (c->proc2 & VMX_PROC2_VPID) && (m->ept_vpid & VPID_CAP_INVVPID) &&
              (m->ept_vpid & (VPID_CAP_INVVPID_SINGLE | VPID_CAP_INVVPID_ALL));
    c->invvpid_single = c->vpid && (m->ept_vpid & VPID_CAP_INVVPID_SINGLE);
    if (!c->vpid)
        c->proc2 &= ~VMX_PROC2_VPID;
    c->wbinvd_exiting = c->proc2 & VMX_PROC2_WBINVD_EXITING;
    return 0;
}

uint64_t vmx_cr_fixed_apply(uint64_t value, uint64_t fixed0, uint64_t fixed1, uint64_t flexible_mask)
{
    return (value | (fixed0 & ~flexible_mask)) & (fixed1 | flexible_mask);
}

uint64_t vmx_cr_owned_bits(uint64_t fixed0, uint64_t fixed1, uint64_t flexible_mask)
{
    return ((fixed0 & ~flexible_mask) | ~fixed1) & ~flexible_mask;
}

bool vmx_cr_fixed_ok(uint64_t value, uint64_t fixed0, uint64_t fixed1)
{
    return (value & fixed0) == fixed0 && !(value & ~fixed1);
}
