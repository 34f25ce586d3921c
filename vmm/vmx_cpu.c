// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMX on this CPU (Intel SDM Vol. 3 chapter 23, appendix A): the capability MSRs decoded
 * and checked, IA32_FEATURE_CONTROL, the CR0/CR4 fixed bits, VMXON; and the VMREAD/VMWRITE
 * helpers with their failure reports (31.4).
 */
#include "vmm/vmx.h"

#include "kernel/arch/x86.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/paging.h"
#include "lib/fmt.h"
#include "lib/kstring.h"
#include "vmm/vmx_insn.h"
#include "vmm/vmx_internal.h"
#include "vmm/vmx_names.h"

#define CPUID_1_ECX_VMX      (1u << 5)
#define X86_CR0_NE           (1ULL << 5)
#define X86_CR4_VMXE         (1ULL << 13)
#define VMX_MEMTYPE_WB       6
#define VMX_CAPS_LINE_MAX    512

struct vmx_cpu_state vmx_cpu;
unsigned vmx_write_errors;

static const char *status_name(int status)
{
    return status == VMX_FAIL_INVALID ? "VMfailInvalid" : status == VMX_FAIL_VALID ? "VMfailValid" : "VMsucceed";
}

void vmx_log_failure(const char *who, const char *what, int status)
{
    uint64_t err = 0;

    if (status == VMX_FAIL_VALID && vmcs_read_checked(VMCS_INSN_ERROR, &err) == VMX_SUCCEED)
        pr_err("%s: vmx: %s failed: VMfailValid, VM-instruction error %llu (%s)\n", who, what,
               (unsigned long long)err, vmx_insn_error_name((uint32_t)err));
    else
        pr_err("%s: vmx: %s failed: %s\n", who, what, status_name(status));
}

uint64_t vmcs_read(enum vmcs_field field)
{
    uint64_t v = 0;
    int st = vmcs_read_checked(field, &v);

    if (st) {
        char what[32];

        fmt_snprintf(what, sizeof(what), "VMREAD 0x%04x", (unsigned)field);
        vmx_log_failure("vmx", what, st);
        return 0;
    }
    return v;
}

void vmcs_write(enum vmcs_field field, uint64_t value)
{
    int st = vmcs_write_checked(field, value);

    if (st) {
        char what[48];

        fmt_snprintf(what, sizeof(what), "VMWRITE 0x%04x = 0x%llx", (unsigned)field, (unsigned long long)value);
        vmx_log_failure("vmx", what, st);
        vmx_write_errors++;
    }
}

int vmx_cpu_init(void)
{
    uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL), cr0 = read_cr0(), cr4;
    const struct vmx_msr_values *m = &vmx_cpu.msr;
    int st;

    if (vmx_cpu.on)
        return 0;
    if (!(fc & FEATURE_CONTROL_LOCK)) {
        wrmsr(MSR_IA32_FEATURE_CONTROL, fc | FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMX_OUTSIDE_SMX);
        pr_info("vmx: IA32_FEATURE_CONTROL was unlocked (0x%llx): locked with VMX outside SMX enabled\n",
                (unsigned long long)fc);
    }
    /* CR0 and CR4 in VMX operation (23.8, A.7, A.8): NE may need setting; VMXE always does. */
    if (!vmx_cr_fixed_ok(cr0, m->cr0_fixed0, m->cr0_fixed1) &&
        vmx_cr_fixed_ok(cr0 | X86_CR0_NE, m->cr0_fixed0, m->cr0_fixed1))
        write_cr0(cr0 |= X86_CR0_NE);
    cr4 = read_cr4() | X86_CR4_VMXE;
    if (!vmx_cr_fixed_ok(cr0, m->cr0_fixed0, m->cr0_fixed1) || !vmx_cr_fixed_ok(cr4, m->cr4_fixed0, m->cr4_fixed1)) {
        pr_err("vmx: host CR0 0x%llx / CR4 0x%llx cannot meet the fixed bits (CR0 0x%llx/0x%llx, CR4 0x%llx/0x%llx)\n",
               (unsigned long long)cr0, (unsigned long long)cr4, (unsigned long long)m->cr0_fixed0,
               (unsigned long long)m->cr0_fixed1, (unsigned long long)m->cr4_fixed0,
               (unsigned long long)m->cr4_fixed1);
        return -ENOTSUP;
    }
    write_cr4(cr4);
    vmx_cpu.vmxon_pa = frame_alloc();
    if (!vmx_cpu.vmxon_pa || ((m->basic & VMX_BASIC_PA_32BIT) && vmx_cpu.vmxon_pa >= (1ULL << 32))) {
        pr_err("vmx: no memory for the VMXON region\n");
        return -ENOMEM;
    }
    *(uint32_t *)phys_to_virt(vmx_cpu.vmxon_pa) = VMX_BASIC_REVISION(m->basic);
    st = vmx_on(vmx_cpu.vmxon_pa);
    if (st) {
        pr_err("vmx: VMXON failed: %s (revision %#x, region 0x%llx)\n", status_name(st),
               VMX_BASIC_REVISION(m->basic), (unsigned long long)vmx_cpu.vmxon_pa);
        write_cr4(cr4 & ~X86_CR4_VMXE);
        frame_free(vmx_cpu.vmxon_pa);
        return -EIO;
    }
    vmx_cpu.on = true;
    /* Nothing cached from before (firmware, a previous kernel) may be used by our guests. */
    vmx_invept(INVEPT_ALL_CONTEXT, 0);
    if (vmx_cpu.ctl.vpid)
        vmx_invvpid(INVVPID_ALL_CONTEXT, 0, 0);
    pr_info("vmx: VMX operation on (VMXON region 0x%llx, CR0 0x%llx, CR4 0x%llx)\n",
            (unsigned long long)vmx_cpu.vmxon_pa, (unsigned long long)cr0, (unsigned long long)cr4);
    return 0;
}

static void read_capability_msrs(struct vmx_msr_values *m)
{
    memset(m, 0, sizeof(*m));
    m->basic = rdmsr(MSR_IA32_VMX_BASIC);
    m->pin = rdmsr(MSR_IA32_VMX_PINBASED_CTLS);
    m->proc = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS);
    m->exit = rdmsr(MSR_IA32_VMX_EXIT_CTLS);
    m->entry = rdmsr(MSR_IA32_VMX_ENTRY_CTLS);
    m->misc = rdmsr(MSR_IA32_VMX_MISC);
    m->cr0_fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0);
    m->cr0_fixed1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1);
    m->cr4_fixed0 = rdmsr(MSR_IA32_VMX_CR4_FIXED0);
    m->cr4_fixed1 = rdmsr(MSR_IA32_VMX_CR4_FIXED1);
    /* The secondary-controls MSR exists only if the primary control can be set (A.3.3). */
    m->has_proc2 = (m->proc >> 32) & VMX_PROC_SECONDARY;
    if (m->has_proc2) {
        m->proc2 = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2);
        /* ... and the EPT/VPID MSR only if EPT or VPID can be enabled (A.10). */
        if ((m->proc2 >> 32) & (VMX_PROC2_EPT | VMX_PROC2_VPID))
            m->ept_vpid = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
    }
    if (m->basic & VMX_BASIC_TRUE_CTLS) {
        m->true_pin = rdmsr(MSR_IA32_VMX_TRUE_PINBASED_CTLS);
        m->true_proc = rdmsr(MSR_IA32_VMX_TRUE_PROCBASED_CTLS);
        m->true_exit = rdmsr(MSR_IA32_VMX_TRUE_EXIT_CTLS);
        m->true_entry = rdmsr(MSR_IA32_VMX_TRUE_ENTRY_CTLS);
    }
}

const struct vcpu_ops *vmx_probe(void)
{
    struct vmx_msr_values *m = &vmx_cpu.msr;
    char line[VMX_CAPS_LINE_MAX], why[96];
    uint64_t fc;

    if (!(cpuid(1, 0).ecx & CPUID_1_ECX_VMX)) {
        pr_info("vmx: not available (CPUID.1:ECX.VMX clear)\n");
        return NULL;
    }
    fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
    if ((fc & FEATURE_CONTROL_LOCK) && !(fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX)) {
        pr_err("vmx: disabled by firmware: IA32_FEATURE_CONTROL 0x%llx is locked without VMX outside SMX "
               "(enable VT-x in the firmware setup)\n", (unsigned long long)fc);
        return NULL;
    }
    read_capability_msrs(m);
    vmx_caps_describe(m, line, sizeof(line));
    pr_info("vmx: %s\n", line);
    pr_debug("vmx: pin 0x%016llx/0x%016llx proc 0x%016llx/0x%016llx exit 0x%016llx/0x%016llx "
             "entry 0x%016llx/0x%016llx misc 0x%016llx cr0 0x%llx/0x%llx cr4 0x%llx/0x%llx\n",
             (unsigned long long)m->pin, (unsigned long long)m->true_pin, (unsigned long long)m->proc,
             (unsigned long long)m->true_proc, (unsigned long long)m->exit, (unsigned long long)m->true_exit,
             (unsigned long long)m->entry, (unsigned long long)m->true_entry, (unsigned long long)m->misc,
             (unsigned long long)m->cr0_fixed0, (unsigned long long)m->cr0_fixed1,
             (unsigned long long)m->cr4_fixed0, (unsigned long long)m->cr4_fixed1);
    if (VMX_BASIC_VMCS_SIZE(m->basic) > PAGE_SIZE || VMX_BASIC_MEMTYPE(m->basic) != VMX_MEMTYPE_WB) {
        pr_err("vmx: VMCS of %u bytes, memory type %u: not supported (4 KiB, write-back expected)\n",
               VMX_BASIC_VMCS_SIZE(m->basic), VMX_BASIC_MEMTYPE(m->basic));
        return NULL;
    }
    if (vmx_controls_compute(m, &vmx_cpu.ctl, why, sizeof(why))) {
        pr_err("vmx: guests cannot run: %s\n", why);
        return NULL;
    }
    pr_info("vmx: controls pin 0x%x proc 0x%x proc2 0x%x exit 0x%x entry 0x%x; VPID %s, EPT 2M pages %s\n",
            vmx_cpu.ctl.pin, vmx_cpu.ctl.proc, vmx_cpu.ctl.proc2, vmx_cpu.ctl.exit, vmx_cpu.ctl.entry,
            vmx_cpu.ctl.vpid ? "on" : "off", vmx_cpu.ctl.ept_2m ? "on" : "off");
    return &vmx_ops;
}
