// SPDX-License-Identifier: GPL-2.0-only
/* VMX exit decoding (see vmx_exit.h). */
#include "vmm/vmx_exit.h"

#include "lib/kstring.h"
#include "vmm/vmx_names.h"
#include "vmm/vmx_vmcs.h"

#define X86_MAX_INSN_BYTES 15

static const struct {
    uint16_t reason;
    enum vcpu_exit_reason generic;
} simple_exits[] = {
    { VMX_EXIT_CPUID, VCPU_EXIT_CPUID },
    { VMX_EXIT_HLT, VCPU_EXIT_HLT },
    { VMX_EXIT_RDMSR, VCPU_EXIT_MSR_READ },
    { VMX_EXIT_WRMSR, VCPU_EXIT_MSR_WRITE },
    { VMX_EXIT_TRIPLE_FAULT, VCPU_EXIT_SHUTDOWN },
    { VMX_EXIT_EXTERNAL_INTERRUPT, VCPU_EXIT_INTR },
    { VMX_EXIT_INTERRUPT_WINDOW, VCPU_EXIT_IRQ_WINDOW },
    { VMX_EXIT_RDPMC, VCPU_EXIT_GP_INSN },
    { VMX_EXIT_INVD, VCPU_EXIT_SKIP_INSN },
    { VMX_EXIT_WBINVD, VCPU_EXIT_SKIP_INSN },
    { VMX_EXIT_VMCALL, VCPU_EXIT_UD_INSN },
    { VMX_EXIT_VMCLEAR, VCPU_EXIT_UD_INSN },
    { VMX_EXIT_VMLAUNCH, VCPU_EXIT_UD_INSN },
    { VMX_EXIT_VMPTRLD, VCPU_EXIT_UD_INSN },
    { VMX_EXIT_VMPTRST, VCPU_EXIT_UD_INSN },
    { VMX_EXIT_VMREAD, VCPU_EXIT_UD_INSN },
    { VMX_EXIT_VMRESUME, VCPU_EXIT_UD_INSN },
    { VMX_EXIT_VMWRITE, VCPU_EXIT_UD_INSN },
    { VMX_EXIT_VMXOFF, VCPU_EXIT_UD_INSN },
    { VMX_EXIT_VMXON, VCPU_EXIT_UD_INSN },
    { VMX_EXIT_INVEPT, VCPU_EXIT_UD_INSN },
    { VMX_EXIT_INVVPID, VCPU_EXIT_UD_INSN },
    { VMX_EXIT_VMFUNC, VCPU_EXIT_UD_INSN },
    { VMX_EXIT_GETSEC, VCPU_EXIT_UD_INSN },
    { VMX_EXIT_MONITOR, VCPU_EXIT_UD_INSN },
    { VMX_EXIT_MWAIT, VCPU_EXIT_UD_INSN },
    { VMX_EXIT_XSETBV, VCPU_EXIT_UD_INSN },
    { VMX_EXIT_ENCLS, VCPU_EXIT_UD_INSN },
    { VMX_EXIT_ENCLV, VCPU_EXIT_UD_INSN },
    { VMX_EXIT_RDTSCP, VCPU_EXIT_UD_INSN },
    { VMX_EXIT_INVPCID, VCPU_EXIT_UD_INSN },
    { VMX_EXIT_XSAVES, VCPU_EXIT_UD_INSN },
    { VMX_EXIT_XRSTORS, VCPU_EXIT_UD_INSN },
    { VMX_EXIT_PCONFIG, VCPU_EXIT_UD_INSN },
    { VMX_EXIT_ENTRY_FAIL_GUEST, VCPU_EXIT_ENTRY_FAILED },
    { VMX_EXIT_ENTRY_FAIL_MSR, VCPU_EXIT_ENTRY_FAILED },
    { VMX_EXIT_ENTRY_FAIL_MCE, VCPU_EXIT_ENTRY_FAILED },
};

int vmx_exception_has_error(uint8_t v)
{
    return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21;
}

/* The VM-exit instruction length is defined for instruction exits only (24.9.4). */
static void set_insn_len(const struct vmx_exit_info *in, struct vcpu_exit *e)
{
    if (in->insn_len >= 1 && in->insn_len <= X86_MAX_INSN_BYTES)
        e->insn_len = (uint8_t)in->insn_len;
}

static bool is_insn_exit(enum vcpu_exit_reason r)
{
    return r != VCPU_EXIT_SHUTDOWN && r != VCPU_EXIT_INTR && r != VCPU_EXIT_IRQ_WINDOW &&
           r != VCPU_EXIT_ENTRY_FAILED;
}

static void decode_io(const struct vmx_exit_info *in, struct vcpu_exit *e)
{
    uint64_t q = in->qualification;

    e->io.port = (uint16_t)(q >> VMX_IO_QUAL_PORT_SHIFT);
    e->io.size = (uint8_t)((q & VMX_IO_QUAL_SIZE_MASK) + 1);
    e->io.in = q & VMX_IO_QUAL_IN;
    e->io.string = q & VMX_IO_QUAL_STRING;
    e->io.rep = q & VMX_IO_QUAL_REP;
    e->io.next_rip = in->guest_rip + e->insn_len;
}

/* An exception or NMI exit (24.9.2 table 24-15): the event is in the interruption info. */
static void decode_exception(const struct vmx_exit_info *in, struct vcpu_exit *e)
{
    uint32_t type = (in->intr_info & VMX_INTR_INFO_TYPE_MASK) >> VMX_INTR_INFO_TYPE_SHIFT;

    if (!(in->intr_info & VMX_INTR_INFO_VALID)) {
        e->reason = VCPU_EXIT_UNKNOWN;
        return;
    }
    if (type == VMX_EVENT_NMI) {
        e->reason = VCPU_EXIT_NMI;
        e->hw_name = "NMI";
        return;
    }
    e->reason = VCPU_EXIT_EXCEPTION;
    e->exception.vector = (uint8_t)(in->intr_info & VMX_INTR_INFO_VECTOR_MASK);
    e->exception.has_error = in->intr_info & VMX_INTR_INFO_ERROR_VALID;
    e->exception.error = e->exception.has_error ? in->intr_error : 0;
}

void vmx_decode_exit(const struct vmx_exit_info *in, struct vcpu_exit *e)
{
    uint32_t basic = VMX_EXIT_REASON_BASIC(in->reason);

    memset(e, 0, sizeof(*e));
    e->hw_code = in->reason;
    e->hw_name = vmx_exit_reason_name(basic);
    e->reason = VCPU_EXIT_UNKNOWN;
    if (in->reason & VMX_EXIT_REASON_ENTRY_FAIL) {
        e->reason = VCPU_EXIT_ENTRY_FAILED;
        return;
    }
    for (unsigned i = 0; i < sizeof(simple_exits) / sizeof(simple_exits[0]); i++) {
        if (simple_exits[i].reason == basic) {
            e->reason = simple_exits[i].generic;
            if (is_insn_exit(e->reason))
                set_insn_len(in, e);
            return;
        }
    }
    switch (basic) {
    case VMX_EXIT_IO:
        e->reason = VCPU_EXIT_IO;
        set_insn_len(in, e);
        decode_io(in, e);
        break;
    case VMX_EXIT_EPT_VIOLATION:
        e->reason = VCPU_EXIT_NPF;
        e->npf.gpa = in->guest_phys;
        e->npf.write = in->qualification & VMX_EPT_QUAL_WRITE;
        e->npf.fetch = in->qualification & VMX_EPT_QUAL_FETCH;
        e->npf.present = in->qualification & VMX_EPT_QUAL_PERM_MASK;
        e->npf.in_guest_walk = (in->qualification & VMX_EPT_QUAL_GLA_VALID) &&
                               !(in->qualification & VMX_EPT_QUAL_GLA_FINAL);
        break;
    case VMX_EXIT_EPT_MISCONFIG:
        /* The access type is not reported (28.2.1); the GPA is. */
        e->reason = VCPU_EXIT_NPF;
        e->npf.gpa = in->guest_phys;
        e->npf.present = true;
        break;
    case VMX_EXIT_EXCEPTION_NMI:
        decode_exception(in, e);
        break;
    default:
        break;
    }
}
