/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMX capability MSRs (Intel SDM Vol. 3 appendix A) decoded into what the VMX back end
 * needs: VMCS revision, control values adjusted to the allowed-0/allowed-1 settings,
 * EPT and VPID features. Pure: the MSR values are inputs, so it is unit-tested on Linux.
 */
#ifndef NESTOR_VMM_VMX_CAPS_H
#define NESTOR_VMM_VMX_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Capability MSR numbers (SDM Vol. 4 table 2-2). */
enum vmx_cap_msr {
    MSR_IA32_FEATURE_CONTROL = 0x3A,
    MSR_IA32_VMX_BASIC = 0x480,
    MSR_IA32_VMX_PINBASED_CTLS = 0x481,
    MSR_IA32_VMX_PROCBASED_CTLS = 0x482,
    MSR_IA32_VMX_EXIT_CTLS = 0x483,
    MSR_IA32_VMX_ENTRY_CTLS = 0x484,
    MSR_IA32_VMX_MISC = 0x485,
    MSR_IA32_VMX_CR0_FIXED0 = 0x486,
    MSR_IA32_VMX_CR0_FIXED1 = 0x487,
    MSR_IA32_VMX_CR4_FIXED0 = 0x488,
    MSR_IA32_VMX_CR4_FIXED1 = 0x489,
    MSR_IA32_VMX_PROCBASED_CTLS2 = 0x48B,
    MSR_IA32_VMX_EPT_VPID_CAP = 0x48C,
    MSR_IA32_VMX_TRUE_PINBASED_CTLS = 0x48D,
    MSR_IA32_VMX_TRUE_PROCBASED_CTLS = 0x48E,
    MSR_IA32_VMX_TRUE_EXIT_CTLS = 0x48F,
    MSR_IA32_VMX_TRUE_ENTRY_CTLS = 0x490,
};

/* IA32_FEATURE_CONTROL (SDM Vol. 3 23.7). */
#define FEATURE_CONTROL_LOCK          (1ULL << 0)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX (1ULL << 2)

/* IA32_VMX_BASIC fields (SDM A.1). */
#define VMX_BASIC_REVISION(v)     ((uint32_t)((v) & 0x7FFFFFFF))
#define VMX_BASIC_VMCS_SIZE(v)    ((uint32_t)(((v) >> 32) & 0x1FFF))
#define VMX_BASIC_MEMTYPE(v)      ((unsigned)(((v) >> 50) & 0xF))
#define VMX_BASIC_PA_32BIT        (1ULL << 48) /* VMXON region and VMCS below 4 GiB */
#define VMX_BASIC_TRUE_CTLS       (1ULL << 55)

/* IA32_VMX_EPT_VPID_CAP bits (SDM A.10). */
#define EPT_CAP_EXEC_ONLY         (1ULL << 0)
#define EPT_CAP_PWL4              (1ULL << 6)
#define EPT_CAP_PWL5              (1ULL << 7)
#define EPT_CAP_MEMTYPE_UC        (1ULL << 8)
#define EPT_CAP_MEMTYPE_WB        (1ULL << 14)
#define EPT_CAP_2M                (1ULL << 16)
#define EPT_CAP_1G                (1ULL << 17)
#define EPT_CAP_INVEPT            (1ULL << 20)
#define EPT_CAP_AD                (1ULL << 21)
#define EPT_CAP_INVEPT_SINGLE     (1ULL << 25)
#define EPT_CAP_INVEPT_ALL        (1ULL << 26)
#define VPID_CAP_INVVPID          (1ULL << 32)
#define VPID_CAP_INVVPID_ADDR     (1ULL << 40)
#define VPID_CAP_INVVPID_SINGLE   (1ULL << 41)
#define VPID_CAP_INVVPID_ALL      (1ULL << 42)

/* Secondary processor-based controls used by Nestor (SDM 24.6.2 table 24-7). */
#define VMX_PROC2_EPT             (1u << 1)
#define VMX_PROC2_RDTSCP          (1u << 3)
#define VMX_PROC2_VPID            (1u << 5)
#define VMX_PROC2_UNRESTRICTED    (1u << 7)
#define VMX_PROC2_INVPCID         (1u << 12)
#define VMX_PROC2_XSAVES          (1u << 20)

struct vmx_msr_values {
    uint64_t basic, pin, proc, exit, entry, misc;
    uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
    uint64_t proc2, ept_vpid;
    uint64_t true_pin, true_proc, true_exit, true_entry;
    bool has_proc2; /* primary allowed-1 bit 31 "activate secondary controls" */
};

/*
 * A control field value: the required-1 bits (allowed-0 settings, low half of the
 * capability MSR) plus the wanted bits the CPU allows (high half). Returns false, with
 * the missing bits in *missing, when a bit in need is not allowed.
 */
bool vmx_ctl_adjust(uint64_t cap_msr, uint32_t want, uint32_t need, uint32_t *out, uint32_t *missing);

/* One line describing the capabilities, for the boot log. */
size_t vmx_caps_describe(const struct vmx_msr_values *v, char *buf, size_t size);

#endif
