/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The architectural checks of a guest MOV to CR0/CR4 (CLTS and LMSW included) for back
 * ends that intercept them: a write these refuse raises #GP in the guest instead of
 * reaching the guest-state area, where it would fail the next VM entry.
 * Intel SDM vol. 3 2.5 and 4.1.1, vol. 2 "MOV - Move to/from Control Registers";
 * AMD APM vol. 2 3.1.1-3.1.3. Pure: unit-tested.
 */
#ifndef NESTOR_VMM_VCPU_CR_H
#define NESTOR_VMM_VCPU_CR_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/arch/x86.h"
#include "vmm/vcpu.h"

#define VCPU_CR0_NW     (1ULL << 29)
#define VCPU_CR0_CD     (1ULL << 30)
#define VCPU_CR4_PAE    (1ULL << 5)
#define VCPU_CR4_LA57   (1ULL << 12)
#define VCPU_CR4_PCIDE  (1ULL << 17)

/*
 * CR0 from old to value with the guest's CR4, EFER and CS.L: false for #GP: bits 63:32
 * set, PG without PE, NW without CD, PG on with EFER.LME but without CR4.PAE, or PG off
 * in 64-bit code (IA-32e mode with CS.L = 1).
 */
static inline bool vcpu_cr0_write_ok(uint64_t old, uint64_t value, uint64_t cr4, uint64_t efer, bool cs_l)
{
    if ((value >> 32) || ((value & X86_CR0_PG) && !(value & X86_CR0_PE)) ||
        ((value & VCPU_CR0_NW) && !(value & VCPU_CR0_CD)))
        return false;
    if (!(old & X86_CR0_PG) && (value & X86_CR0_PG) && (efer & EFER_LME) && !(cr4 & VCPU_CR4_PAE))
        return false;
    if ((old & X86_CR0_PG) && !(value & X86_CR0_PG) && (efer & EFER_LMA) && cs_l)
        return false;
    return true;
}

/*
 * CR4 from old to value with the guest's EFER and CR3 (reserved bits are the caller's:
 * they depend on the CPU): false for #GP: PAE cleared or LA57 changed in IA-32e mode,
 * PCIDE set outside IA-32e mode or with CR3 bits 11:0 nonzero.
 */
static inline bool vcpu_cr4_write_ok(uint64_t old, uint64_t value, uint64_t efer, uint64_t cr3)
{
    bool lma = efer & EFER_LMA;

    if (lma && (!(value & VCPU_CR4_PAE) || ((old ^ value) & VCPU_CR4_LA57)))
        return false;
    if (!(old & VCPU_CR4_PCIDE) && (value & VCPU_CR4_PCIDE) && (!lma || (cr3 & 0xFFF)))
        return false;
    return true;
}

#endif
