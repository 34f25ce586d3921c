/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMX exits decoded into the generic struct vcpu_exit. Pure: the VMCS exit fields are read
 * by the back end into struct vmx_exit_info first, so the decoding is unit-tested on Linux.
 *
 * Mapping (exit reasons: SDM Vol. 3 appendix C):
 *   CPUID, HLT, I/O, RDMSR, WRMSR       the generic handlers; RIP advances by the
 *                                       VM-exit instruction length
 *   EPT violation, EPT misconfiguration VCPU_EXIT_NPF at the guest-physical address
 *   triple fault                        VCPU_EXIT_SHUTDOWN
 *   external interrupt / NMI            VCPU_EXIT_INTR / VCPU_EXIT_NMI
 *   interrupt window                    VCPU_EXIT_IRQ_WINDOW
 *   intercepted exception (#DB, #AC)    VCPU_EXIT_EXCEPTION, reflected
 *   VMX instructions, GETSEC, MONITOR,  VCPU_EXIT_UD_INSN: VMX and SMX are not offered to
 *   MWAIT, XSETBV, ENCLS, ENCLV, ...    guests, nor host power states or XCR0
 *   RDPMC                               VCPU_EXIT_GP_INSN
 *   INVD, WBINVD                        VCPU_EXIT_SKIP_INSN (no-ops)
 *   VM-entry failure (33, 34, 41)       VCPU_EXIT_ENTRY_FAILED (hw_code = the full exit reason)
 *   INIT, SIPI, task switch, others     VCPU_EXIT_UNKNOWN: the VM stops with the reason named
 * Control-register exits are the back end's own (vmx_cr.c) and never reach the core.
 */
#ifndef NESTOR_VMM_VMX_EXIT_H
#define NESTOR_VMM_VMX_EXIT_H

#include <stdint.h>

#include "vmm/vcpu.h"

struct vmx_exit_info {
    uint32_t reason;          /* the full exit-reason field */
    uint64_t qualification;
    uint32_t insn_len;
    uint64_t guest_rip;
    uint64_t guest_phys;      /* EPT exits */
    uint32_t intr_info, intr_error; /* exception or NMI exits */
};

void vmx_decode_exit(const struct vmx_exit_info *in, struct vcpu_exit *e);

/* Exceptions injected with an error code (#DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP): the
 * VM-entry rule of SDM Vol. 3 26.2.1.3. */
int vmx_exception_has_error(uint8_t vector);

#endif
