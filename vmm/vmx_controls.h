/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VMCS control values Nestor runs guests with, derived from the capability MSRs
 * (Intel SDM Vol. 3 appendix A; the TRUE_* MSRs when IA32_VMX_BASIC bit 55 is set, A.2),
 * and the CR0/CR4 values VMX operation allows (A.7, A.8). Pure, unit-tested.
 *
 * Needed (refused without): external-interrupt and NMI exiting; HLT, RDPMC, MONITOR and
 * MWAIT exiting; I/O and MSR bitmaps; secondary controls with EPT and unrestricted guest;
 * a 64-bit host; EFER loaded on entry and exit (the guest's EFER must never leak into the
 * host); EPT with a 4-level walk, write-back tables and INVEPT.
 * Wanted (used when offered): TSC offsetting, WBINVD exiting, VPID with INVVPID, PAT saved and loaded,
 * EFER saved, 2 MiB EPT pages.
 */
#ifndef NESTOR_VMM_VMX_CONTROLS_H
#define NESTOR_VMM_VMX_CONTROLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmm/vmx_caps.h"

struct vmx_controls {
    uint32_t pin, proc, proc2, exit, entry;
    bool vpid;            /* VPID enabled, with INVVPID single- or all-context */
    bool invvpid_single;  /* else all-context */
    bool invept_single;   /* else all-context */
    bool ept_2m;
    bool wbinvd_exiting;  /* else the guest's WBINVD runs (it is only a cache flush) */
};

/*
 * 0, or -ENOTSUP with the missing feature written to why (one phrase, e.g.
 * "secondary controls: unrestricted guest").
 */
int vmx_controls_compute(const struct vmx_msr_values *m, struct vmx_controls *c, char *why, size_t why_size);

/*
 * A CR0 or CR4 value VMX operation allows: the fixed-1 bits set, the fixed-0 bits clear
 * (A.7, A.8). With unrestricted guest, CR0.PE and CR0.PG are free for the guest (pass
 * flexible_mask = X86_CR0_PE | X86_CR0_PG); 0 otherwise.
 */
uint64_t vmx_cr_fixed_apply(uint64_t value, uint64_t fixed0, uint64_t fixed1, uint64_t flexible_mask);
/* The bits the guest may not choose itself: the guest/host mask for CR0 or CR4. */
uint64_t vmx_cr_owned_bits(uint64_t fixed0, uint64_t fixed1, uint64_t flexible_mask);
/* Whether value already satisfies the fixed bits (for the host's own CR0/CR4). */
bool vmx_cr_fixed_ok(uint64_t value, uint64_t fixed0, uint64_t fixed1);

#endif
