/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest RDMSR/WRMSR policy: an allow-list. Listed MSRs are either held by the back end
 * (EFER, PAT, TSC, SYSCALL/SYSENTER, segment bases) or emulated here with fixed values
 * (APIC base, MTRRs, microcode and feature-control MSRs); any other MSR, or a value
 * the architecture refuses, gets #GP.
 */
#ifndef NESTOR_VMM_VCPU_MSR_H
#define NESTOR_VMM_VCPU_MSR_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/arch/x86.h"
#include "kernel/errno.h"
#include "vmm/vcpu.h"

/* Architectural MSR numbers (SDM vol. 4 table 2-2, APM vol. 2 appendix A). */
#define MSR_TSC             0x10
#define MSR_PLATFORM_ID     0x17
#define MSR_FEATURE_CONTROL 0x3A
#define MSR_BIOS_UPDT_TRIG  0x79
#define MSR_BIOS_SIGN_ID    0x8B
#define MSR_MTRRCAP         0xFE
#define MSR_SYSENTER_CS     0x174
#define MSR_SYSENTER_ESP    0x175
#define MSR_SYSENTER_EIP    0x176
#define MSR_MCG_CAP         0x179
#define MSR_MCG_STATUS      0x17A
#define MSR_MISC_ENABLE     0x1A0
#define MSR_MTRR_PHYS_FIRST 0x200
#define MSR_MTRR_PHYS_LAST  0x20F
#define MSR_MTRR_FIX_64K    0x250
#define MSR_MTRR_FIX_16K_0  0x258
#define MSR_MTRR_FIX_16K_1  0x259
#define MSR_MTRR_FIX_4K_FIRST 0x268
#define MSR_MTRR_FIX_4K_LAST  0x26F
#define MSR_MTRR_DEF_TYPE   0x2FF
#define MSR_STAR            0xC0000081
#define MSR_LSTAR           0xC0000082
#define MSR_CSTAR           0xC0000083
#define MSR_SFMASK          0xC0000084
#define MSR_FS_BASE         0xC0000100
#define MSR_GS_BASE         0xC0000101
#define MSR_KERNEL_GS_BASE  0xC0000102
#define MSR_AMD_HWCR        0xC0010015
#define MSR_AMD_DE_CFG      0xC0011029

#define GUEST_APIC_BASE     0xFEE00000ULL
#define APIC_BASE_BSP       (1ULL << 8)
#define APIC_BASE_ENABLE    (1ULL << 11)

/* EFER bits a guest may write; LMA is the processor's to set, SVME the host's (hidden). */
#define EFER_GUEST_WRITABLE (EFER_SCE | EFER_LME | EFER_NXE)

/* Bits 63:47 equal (a canonical 48-bit address; SDM vol. 1 3.3.7.1). */
static inline bool msr_canonical(uint64_t v) { return (uint64_t)((int64_t)(v << 16) >> 16) == v; }

/* Each PAT entry must be a defined memory type: 0, 1, 4, 5, 6 or 7 (SDM vol. 3 11.12.2). */
static inline bool msr_pat_valid(uint64_t pat)
{
    for (int i = 0; i < 8; i++) {
        uint8_t t = (pat >> (8 * i)) & 0xFF;

        if (t == 2 || t == 3 || t > 7)
            return false;
    }
    return true;
}

/*
 * A guest WRMSR to EFER with the current value cur and CR0.PG paging: 0 and *next (the
 * value to hold, LMA kept, SVME not included), or -EINVAL for #GP: a reserved bit (only
 * SCE, LME, NXE and LMA may be written), or LME changed while paging is on (SDM vol. 3
 * 9.8.5; APM vol. 2 14.6.1): the processor state would no longer match CR0 and VM entry
 * would fail.
 */
static inline int msr_efer_write(uint64_t cur, bool paging, uint64_t value, uint64_t *next)
{
    if (value & ~(EFER_GUEST_WRITABLE | EFER_LMA))
        return -EINVAL;
    if (paging && ((value ^ cur) & EFER_LME))
        return -EINVAL;
    *next = (value & EFER_GUEST_WRITABLE) | (cur & EFER_LMA);
    return 0;
}

/* Handles an RDMSR (write false) or WRMSR exit: the result, the skip, or #GP. */
void vcpu_handle_msr(struct vcpu *v, const struct vcpu_exit *exit, bool write);

#endif
