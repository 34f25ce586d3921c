// SPDX-License-Identifier: GPL-2.0-only
/*
 * SVM exits decoded into struct vcpu_exit (exit codes: APM vol. 2 appendix C). Without
 * NRIP-save or decode assists (QEMU TCG has neither) only IOIO reports the next RIP
 * (EXITINFO2); for the others the opcode is recorded so the core can find the length.
 */
#include "vmm/svm_internal.h"

#include "lib/kstring.h"

struct insn_exit {
    uint32_t code;
    enum vcpu_exit_reason reason;
    const char *name;
    uint8_t len;
    uint8_t opcode[3];
};

static const struct insn_exit insn_exits[] = {
    { SVM_EXIT_CPUID, VCPU_EXIT_CPUID, "CPUID", 2, { 0x0F, 0xA2 } },
    { SVM_EXIT_HLT, VCPU_EXIT_HLT, "HLT", 1, { 0xF4 } },
    { SVM_EXIT_INVD, VCPU_EXIT_SKIP_INSN, "INVD", 2, { 0x0F, 0x08 } },
    { SVM_EXIT_WBINVD, VCPU_EXIT_SKIP_INSN, "WBINVD", 2, { 0x0F, 0x09 } },
    { SVM_EXIT_RDPMC, VCPU_EXIT_GP_INSN, "RDPMC", 2, { 0x0F, 0x33 } },
    { SVM_EXIT_VMRUN, VCPU_EXIT_UD_INSN, "VMRUN", 3, { 0x0F, 0x01, 0xD8 } },
    { SVM_EXIT_VMMCALL, VCPU_EXIT_UD_INSN, "VMMCALL", 3, { 0x0F, 0x01, 0xD9 } },
    { SVM_EXIT_VMLOAD, VCPU_EXIT_UD_INSN, "VMLOAD", 3, { 0x0F, 0x01, 0xDA } },
    { SVM_EXIT_VMSAVE, VCPU_EXIT_UD_INSN, "VMSAVE", 3, { 0x0F, 0x01, 0xDB } },
    { SVM_EXIT_STGI, VCPU_EXIT_UD_INSN, "STGI", 3, { 0x0F, 0x01, 0xDC } },
    { SVM_EXIT_CLGI, VCPU_EXIT_UD_INSN, "CLGI", 3, { 0x0F, 0x01, 0xDD } },
    { SVM_EXIT_SKINIT, VCPU_EXIT_UD_INSN, "SKINIT", 3, { 0x0F, 0x01, 0xDE } },
    { SVM_EXIT_INVLPGA, VCPU_EXIT_UD_INSN, "INVLPGA", 3, { 0x0F, 0x01, 0xDF } },
    { SVM_EXIT_RDTSCP, VCPU_EXIT_UD_INSN, "RDTSCP", 3, { 0x0F, 0x01, 0xF9 } },
    { SVM_EXIT_MONITOR, VCPU_EXIT_UD_INSN, "MONITOR", 3, { 0x0F, 0x01, 0xC8 } },
    { SVM_EXIT_MWAIT, VCPU_EXIT_UD_INSN, "MWAIT", 3, { 0x0F, 0x01, 0xC9 } },
    { SVM_EXIT_MWAIT_ARMED, VCPU_EXIT_UD_INSN, "MWAIT", 3, { 0x0F, 0x01, 0xC9 } },
    { SVM_EXIT_XSETBV, VCPU_EXIT_UD_INSN, "XSETBV", 3, { 0x0F, 0x01, 0xD1 } },
    { SVM_EXIT_RDPRU, VCPU_EXIT_UD_INSN, "RDPRU", 3, { 0x0F, 0x01, 0xFD } },
    { SVM_EXIT_INVLPGB, VCPU_EXIT_UD_INSN, "INVLPGB", 3, { 0x0F, 0x01, 0xFE } },
    { SVM_EXIT_INVLPGB_ILLEGAL, VCPU_EXIT_UD_INSN, "INVLPGB", 3, { 0x0F, 0x01, 0xFE } },
    { SVM_EXIT_TLBSYNC, VCPU_EXIT_UD_INSN, "TLBSYNC", 3, { 0x0F, 0x01, 0xFF } },
};

/* Exceptions that push an error code (SDM vol. 3 table 6-1). */
static bool exception_has_error(uint8_t v)
{
    return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30;
}

void svm_requeue_interrupted_event(struct vmcb *c)
{
    uint64_t info = c->exitintinfo;
    uint64_t type = (info >> SVM_EVENT_TYPE_SHIFT) & 7;
    uint8_t vector = info & SVM_EVENT_VECTOR_MASK;

    if (!(info & SVM_EVENT_VALID))
        return;
    /* INTn, INT3 and INTO restart from their instruction (RIP still points at it). */
    if (type == SVM_EVENT_TYPE_SOFT || (type == SVM_EVENT_TYPE_EXCEPT && (vector == 3 || vector == 4)))
        return;
    c->eventinj = info;
}

static void decode_io(const struct vmcb *c, struct vcpu_exit *e)
{
    uint64_t i1 = c->exitinfo1;

    e->reason = VCPU_EXIT_IO;
    e->hw_name = "IOIO";
    e->io.port = (uint16_t)(i1 >> SVM_IOIO_PORT_SHIFT);
    e->io.size = (i1 & SVM_IOIO_SZ32) ? 4 : (i1 & SVM_IOIO_SZ16) ? 2 : 1;
    e->io.in = i1 & SVM_IOIO_IN;
    e->io.string = i1 & SVM_IOIO_STR;
    e->io.rep = i1 & SVM_IOIO_REP;
    e->io.next_rip = c->exitinfo2;
}

void svm_decode_exit(struct vmcb *c, struct vcpu_exit *e)
{
    uint64_t code = c->exitcode;

    memset(e, 0, sizeof(*e));
    e->hw_code = code;
    e->reason = VCPU_EXIT_UNKNOWN;
    e->hw_name = "unknown";
    for (unsigned i = 0; i < sizeof(insn_exits) / sizeof(insn_exits[0]); i++) {
        if (insn_exits[i].code == code) {
            e->reason = insn_exits[i].reason;
            e->hw_name = insn_exits[i].name;
            e->insn.opcode_len = insn_exits[i].len;
            memcpy(e->insn.opcode, insn_exits[i].opcode, sizeof(e->insn.opcode));
            return;
        }
    }
    switch (code) {
    case SVM_EXIT_IOIO:
        decode_io(c, e);
        break;
    case SVM_EXIT_MSR:
        e->reason = (c->exitinfo1 & SVM_MSR_WRITE) ? VCPU_EXIT_MSR_WRITE : VCPU_EXIT_MSR_READ;
        e->hw_name = (c->exitinfo1 & SVM_MSR_WRITE) ? "WRMSR" : "RDMSR";
        e->insn.opcode_len = 2;
        e->insn.opcode[0] = 0x0F;
        e->insn.opcode[1] = (c->exitinfo1 & SVM_MSR_WRITE) ? 0x30 : 0x32;
        break;
    case SVM_EXIT_NPF:
        e->reason = VCPU_EXIT_NPF;
        e->hw_name = "NPF";
        e->npf.gpa = c->exitinfo2;
        e->npf.present = c->exitinfo1 & SVM_NPF_PRESENT;
        e->npf.write = c->exitinfo1 & SVM_NPF_WRITE;
        e->npf.fetch = c->exitinfo1 & SVM_NPF_FETCH;
        e->npf.in_guest_walk = c->exitinfo1 & SVM_NPF_GUEST_WALK;
        break;
    case SVM_EXIT_SHUTDOWN:
        e->reason = VCPU_EXIT_SHUTDOWN;
        e->hw_name = "SHUTDOWN";
        break;
    case SVM_EXIT_INTR:
    case SVM_EXIT_SMI:
        e->reason = VCPU_EXIT_INTR;
        e->hw_name = code == SVM_EXIT_INTR ? "INTR" : "SMI";
        break;
    case SVM_EXIT_NMI:
        e->reason = VCPU_EXIT_NMI;
        e->hw_name = "NMI";
        break;
    case SVM_EXIT_VINTR:
        c->int_ctl &= ~(SVM_V_IRQ | SVM_V_IGN_TPR | (0xFULL << SVM_V_INTR_PRIO_SHIFT));
        c->intercept_misc1 &= ~SVM_INTERCEPT_VINTR;
        e->reason = VCPU_EXIT_IRQ_WINDOW;
        e->hw_name = "VINTR";
        break;
    case SVM_EXIT_INIT:
        e->hw_name = "INIT";
        break;
    case (uint64_t)SVM_EXIT_INVALID:
        e->reason = VCPU_EXIT_ENTRY_FAILED;
        e->hw_name = "VMEXIT_INVALID";
        break;
    default:
        if (code >= SVM_EXIT_EXCP_BASE && code < SVM_EXIT_EXCP_BASE + 32) {
            e->reason = VCPU_EXIT_EXCEPTION;
            e->hw_name = "exception";
            e->exception.vector = (uint8_t)(code - SVM_EXIT_EXCP_BASE);
            e->exception.has_error = exception_has_error(e->exception.vector);
            e->exception.error = (uint32_t)c->exitinfo1;
        }
        break;
    }
}
