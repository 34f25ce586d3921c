// SPDX-License-Identifier: GPL-2.0-only
/* Names of VMX exit reasons, VM-instruction errors and VM-entry failure qualifications. */
#include "vmm/vmx_names.h"

#include <stddef.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const char *const exit_names[] = {
    [VMX_EXIT_EXCEPTION_NMI] = "exception or NMI",
    [VMX_EXIT_EXTERNAL_INTERRUPT] = "external interrupt",
    [VMX_EXIT_TRIPLE_FAULT] = "triple fault",
    [VMX_EXIT_INIT] = "INIT signal",
    [VMX_EXIT_SIPI] = "start-up IPI",
    [VMX_EXIT_IO_SMI] = "I/O SMI",
    [VMX_EXIT_OTHER_SMI] = "other SMI",
    [VMX_EXIT_INTERRUPT_WINDOW] = "interrupt window",
    [VMX_EXIT_NMI_WINDOW] = "NMI window",
    [VMX_EXIT_TASK_SWITCH] = "task switch",
    [VMX_EXIT_CPUID] = "CPUID",
    [VMX_EXIT_GETSEC] = "GETSEC",
    [VMX_EXIT_HLT] = "HLT",
    [VMX_EXIT_INVD] = "INVD",
    [VMX_EXIT_INVLPG] = "INVLPG",
    [VMX_EXIT_RDPMC] = "RDPMC",
    [VMX_EXIT_RDTSC] = "RDTSC",
    [VMX_EXIT_RSM] = "RSM",
    [VMX_EXIT_VMCALL] = "VMCALL",
    [VMX_EXIT_VMCLEAR] = "VMCLEAR",
    [VMX_EXIT_VMLAUNCH] = "VMLAUNCH",
    [VMX_EXIT_VMPTRLD] = "VMPTRLD",
    [VMX_EXIT_VMPTRST] = "VMPTRST",
    [VMX_EXIT_VMREAD] = "VMREAD",
    [VMX_EXIT_VMRESUME] = "VMRESUME",
    [VMX_EXIT_VMWRITE] = "VMWRITE",
    [VMX_EXIT_VMXOFF] = "VMXOFF",
    [VMX_EXIT_VMXON] = "VMXON",
    [VMX_EXIT_CR_ACCESS] = "control-register access",
    [VMX_EXIT_DR_ACCESS] = "MOV DR",
    [VMX_EXIT_IO] = "I/O instruction",
    [VMX_EXIT_RDMSR] = "RDMSR",
    [VMX_EXIT_WRMSR] = "WRMSR",
    [VMX_EXIT_ENTRY_FAIL_GUEST] = "VM-entry failure: invalid guest state",
    [VMX_EXIT_ENTRY_FAIL_MSR] = "VM-entry failure: MSR loading",
    [VMX_EXIT_MWAIT] = "MWAIT",
    [VMX_EXIT_MTF] = "monitor trap flag",
    [VMX_EXIT_MONITOR] = "MONITOR",
    [VMX_EXIT_PAUSE] = "PAUSE",
    [VMX_EXIT_ENTRY_FAIL_MCE] = "VM-entry failure: machine-check event",
    [VMX_EXIT_TPR_BELOW_THRESHOLD] = "TPR below threshold",
    [VMX_EXIT_APIC_ACCESS] = "APIC access",
    [VMX_EXIT_VIRTUALIZED_EOI] = "virtualized EOI",
    [VMX_EXIT_GDTR_IDTR] = "GDTR/IDTR access",
    [VMX_EXIT_LDTR_TR] = "LDTR/TR access",
    [VMX_EXIT_EPT_VIOLATION] = "EPT violation",
    [VMX_EXIT_EPT_MISCONFIG] = "EPT misconfiguration",
    [VMX_EXIT_INVEPT] = "INVEPT",
    [VMX_EXIT_RDTSCP] = "RDTSCP",
    [VMX_EXIT_PREEMPTION_TIMER] = "preemption timer",
    [VMX_EXIT_INVVPID] = "INVVPID",
    [VMX_EXIT_WBINVD] = "WBINVD/WBNOINVD",
    [VMX_EXIT_XSETBV] = "XSETBV",
    [VMX_EXIT_APIC_WRITE] = "APIC write",
    [VMX_EXIT_RDRAND] = "RDRAND",
    [VMX_EXIT_INVPCID] = "INVPCID",
    [VMX_EXIT_VMFUNC] = "VMFUNC",
    [VMX_EXIT_ENCLS] = "ENCLS",
    [VMX_EXIT_RDSEED] = "RDSEED",
    [VMX_EXIT_PML_FULL] = "page-modification log full",
    [VMX_EXIT_XSAVES] = "XSAVES",
    [VMX_EXIT_XRSTORS] = "XRSTORS",
    [VMX_EXIT_PCONFIG] = "PCONFIG",
    [VMX_EXIT_SPP] = "SPP-related event",
    [VMX_EXIT_UMWAIT] = "UMWAIT",
    [VMX_EXIT_TPAUSE] = "TPAUSE",
    [VMX_EXIT_LOADIWKEY] = "LOADIWKEY",
    [VMX_EXIT_ENCLV] = "ENCLV",
    [VMX_EXIT_ENQCMD_PASID] = "ENQCMD PASID translation failure",
    [VMX_EXIT_ENQCMDS_PASID] = "ENQCMDS PASID translation failure",
    [VMX_EXIT_BUS_LOCK] = "bus lock",
    [VMX_EXIT_INSN_TIMEOUT] = "instruction timeout",
    [VMX_EXIT_SEAMCALL] = "SEAMCALL",
    [VMX_EXIT_TDCALL] = "TDCALL",
};

static const char *const insn_error_names[] = {
    [VMXERR_VMCALL_IN_ROOT] = "VMCALL executed in VMX root operation",
    [VMXERR_VMCLEAR_BAD_ADDRESS] = "VMCLEAR with invalid physical address",
    [VMXERR_VMCLEAR_VMXON_POINTER] = "VMCLEAR with VMXON pointer",
    [VMXERR_VMLAUNCH_NOT_CLEAR] = "VMLAUNCH with non-clear VMCS",
    [VMXERR_VMRESUME_NOT_LAUNCHED] = "VMRESUME with non-launched VMCS",
    [VMXERR_VMRESUME_AFTER_VMXOFF] = "VMRESUME after VMXOFF",
    [VMXERR_ENTRY_BAD_CONTROLS] = "VM entry with invalid control field(s)",
    [VMXERR_ENTRY_BAD_HOST_STATE] = "VM entry with invalid host-state field(s)",
    [VMXERR_VMPTRLD_BAD_ADDRESS] = "VMPTRLD with invalid physical address",
    [VMXERR_VMPTRLD_VMXON_POINTER] = "VMPTRLD with VMXON pointer",
    [VMXERR_VMPTRLD_BAD_REVISION] = "VMPTRLD with incorrect VMCS revision identifier",
    [VMXERR_UNSUPPORTED_FIELD] = "VMREAD/VMWRITE from/to unsupported VMCS component",
    [VMXERR_VMWRITE_READ_ONLY] = "VMWRITE to read-only VMCS component",
    [VMXERR_VMXON_IN_ROOT] = "VMXON executed in VMX root operation",
    [VMXERR_ENTRY_BAD_EXEC_VMCS] = "VM entry with invalid executive-VMCS pointer",
    [VMXERR_ENTRY_EXEC_VMCS_NOT_LAUNCHED] = "VM entry with non-launched executive VMCS",
    [VMXERR_ENTRY_EXEC_VMCS_NOT_VMXON] = "VM entry with executive-VMCS pointer not VMXON pointer",
    [VMXERR_VMCALL_NOT_CLEAR] = "VMCALL with non-clear VMCS",
    [VMXERR_VMCALL_BAD_EXIT_CONTROLS] = "VMCALL with invalid VM-exit control fields",
    [VMXERR_VMCALL_BAD_MSEG_REVISION] = "VMCALL with incorrect MSEG revision identifier",
    [VMXERR_VMXOFF_DUAL_MONITOR] = "VMXOFF under dual-monitor treatment of SMIs and SMM",
    [VMXERR_VMCALL_BAD_SMM_FEATURES] = "VMCALL with invalid SMM-monitor features",
    [VMXERR_ENTRY_BAD_EXEC_VMCS_CONTROLS] = "VM entry with invalid VM-execution control fields in executive VMCS",
    [VMXERR_ENTRY_MOV_SS_BLOCKING] = "VM entry with events blocked by MOV SS",
    [VMXERR_INVALID_INVEPT_INVVPID] = "invalid operand to INVEPT/INVVPID",
};

static const char *lookup(const char *const *table, size_t len, uint64_t i)
{
    return i < len && table[i] ? table[i] : "unknown";
}

const char *vmx_exit_reason_name(uint32_t basic_reason)
{
    return lookup(exit_names, ARRAY_LEN(exit_names), basic_reason);
}

const char *vmx_insn_error_name(uint32_t error)
{
    return lookup(insn_error_names, ARRAY_LEN(insn_error_names), error);
}

const char *vmx_entry_failure_qual_name(uint64_t qualification)
{
    static const char *const names[] = {
        [0] = "default",
        [2] = "loading the PDPTEs",
        [3] = "injecting an NMI while blocked by STI",
        [4] = "invalid VMCS link pointer",
    };

    return lookup(names, ARRAY_LEN(names), qualification);
}
