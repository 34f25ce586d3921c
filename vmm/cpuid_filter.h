/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a guest's CPUID returns: the host's values with the features Nestor does not
 * virtualise hidden (SVM/VMX, MONITOR/MWAIT, XSAVE/AVX, x2APIC, performance monitoring,
 * thermal and power control, machine check), the hypervisor-present bit set (leaf 1
 * ECX bit 31) and Nestor's leaves at 0x40000000 ("NestorNestor"). Pure: unit-tested.
 */
#ifndef NESTOR_VMM_CPUID_FILTER_H
#define NESTOR_VMM_CPUID_FILTER_H

#include <stdint.h>

#define CPUID_HV_LEAF_BASE 0x40000000u
#define CPUID_HV_LEAF_MAX  0x40000001u
#define CPUID_HV_SIGNATURE "NestorNestor"

struct cpuid_values {
    uint32_t eax, ebx, ecx, edx;
};

/* host: what the host CPU returns for (leaf, subleaf); vcpu_index: the guest APIC ID. */
void cpuid_filter(uint32_t leaf, uint32_t subleaf, const struct cpuid_values *host,
                  unsigned vcpu_index, struct cpuid_values *out);

#endif
