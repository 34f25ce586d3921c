// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest CPUID (see cpuid_filter.h). Bit positions: AMD64 APM vol. 3 appendix E (CPUID
 * Specification) and Intel SDM vol. 2A "CPUID".
 */
#include "vmm/cpuid_filter.h"

#include "lib/kstring.h"

/* Leaf 1 ECX */
#define L1C_MONITOR    (1u << 3)
#define L1C_DS_CPL     (1u << 4)
#define L1C_VMX        (1u << 5)
#define L1C_SMX        (1u << 6)
#define L1C_EST        (1u << 7)
#define L1C_TM2        (1u << 8)
#define L1C_SDBG       (1u << 11)
#define L1C_PDCM       (1u << 15)
#define L1C_X2APIC     (1u << 21)
#define L1C_TSC_DEADLINE (1u << 24)
#define L1C_XSAVE      (1u << 26)
#define L1C_OSXSAVE    (1u << 27)
#define L1C_AVX        (1u << 28)
#define L1C_F16C       (1u << 29)
#define L1C_HYPERVISOR (1u << 31)
/* Leaf 1 EDX */
#define L1D_MCE        (1u << 7)
#define L1D_MTRR       (1u << 12)
#define L1D_MCA        (1u << 14)
#define L1D_DS         (1u << 21)
#define L1D_ACPI       (1u << 22)
#define L1D_HTT        (1u << 28)
#define L1D_TM         (1u << 29)
#define L1D_PBE        (1u << 31)
/* Leaf 1 EBX */
#define L1B_LOGICAL_COUNT_MASK (0xFFu << 16)
#define L1B_APIC_ID_SHIFT 24
/* Leaf 7 subleaf 0 EBX: the features kept (all else hidden). */
#define L7B_KEEP ((1u << 0) /* FSGSBASE */ | (1u << 3) /* BMI1 */ | (1u << 7) /* SMEP */ | \
                  (1u << 8) /* BMI2 */ | (1u << 9) /* ERMS */ | (1u << 18) /* RDSEED */ | \
                  (1u << 19) /* ADX */ | (1u << 20) /* SMAP */ | (1u << 23) /* CLFLUSHOPT */)
/* Leaf 0x80000001 ECX */
#define E1C_SVM        (1u << 2)
#define E1C_SKINIT     (1u << 12)
#define E1C_WDT        (1u << 13)
#define E1C_LWP        (1u << 15)
#define E1C_TCE        (1u << 17)
#define E1C_NODEID     (1u << 19)
#define E1C_TOPOEXT    (1u << 22)
#define E1C_PERFCTR_CORE (1u << 23)
#define E1C_PERFCTR_NB (1u << 24)
#define E1C_DBX        (1u << 26)
#define E1C_PERFTSC    (1u << 27)
#define E1C_PERFCTR_LLC (1u << 28)
#define E1C_MONITORX   (1u << 29)
/* Leaf 0x80000001 EDX */
#define E1D_RDTSCP     (1u << 27)
/* Leaf 0x80000007 EDX: only the invariant TSC is reported. */
#define E7D_INVARIANT_TSC (1u << 8)
/* Leaf 0x80000008 ECX: core count field. */
#define E8C_NC_MASK    0xFFu

static void hv_signature(struct cpuid_values *out)
{
    memcpy(&out->ebx, CPUID_HV_SIGNATURE, 4);
    memcpy(&out->ecx, CPUID_HV_SIGNATURE + 4, 4);
    memcpy(&out->edx, CPUID_HV_SIGNATURE + 8, 4);
}

void cpuid_filter(uint32_t leaf, uint32_t subleaf, const struct cpuid_values *host,
                  unsigned vcpu_index, struct cpuid_values *out)
{
    *out = *host;
    switch (leaf) {
    case 0x1:
        out->ecx &= ~(L1C_MONITOR | L1C_DS_CPL | L1C_VMX | L1C_SMX | L1C_EST | L1C_TM2 | L1C_SDBG |
                      L1C_PDCM | L1C_X2APIC | L1C_TSC_DEADLINE | L1C_XSAVE | L1C_OSXSAVE | L1C_AVX |
                      L1C_F16C);
        out->ecx |= L1C_HYPERVISOR;
        out->edx &= ~(L1D_MCE | L1D_MCA | L1D_MTRR | L1D_DS | L1D_ACPI | L1D_HTT | L1D_TM | L1D_PBE);
        out->ebx &= ~(L1B_LOGICAL_COUNT_MASK | (0xFFu << L1B_APIC_ID_SHIFT));
        out->ebx |= (1u << 16) | ((uint32_t)vcpu_index << L1B_APIC_ID_SHIFT);
        break;
    case 0x4: /* deterministic cache parameters: one core, one thread per cache */
        out->eax &= 0x3FFFu;
        break;
    case 0x7:
        if (subleaf == 0) {
            out->eax = 0;
            out->ebx &= L7B_KEEP;
            out->ecx = 0;
            out->edx = 0;
        } else {
            *out = (struct cpuid_values){ 0, 0, 0, 0 };
        }
        break;
    case 0x5:  /* MONITOR/MWAIT */
    case 0x6:  /* thermal and power */
    case 0x9:  /* direct cache access */
    case 0xA:  /* performance monitoring */
    case 0xB:  /* x2APIC topology */
    case 0xD:  /* XSAVE state */
    case 0xF:  /* resource monitoring */
    case 0x10: /* resource allocation */
    case 0x12: /* SGX */
    case 0x14: /* processor trace */
    case 0x1F: /* V2 topology */
        *out = (struct cpuid_values){ 0, 0, 0, 0 };
        break;
    case CPUID_HV_LEAF_BASE:
        out->eax = CPUID_HV_LEAF_MAX;
        hv_signature(out);
        break;
    case 0x80000001:
        out->ecx &= ~(E1C_SVM | E1C_SKINIT | E1C_WDT | E1C_LWP | E1C_TCE | E1C_NODEID | E1C_TOPOEXT |
                      E1C_PERFCTR_CORE | E1C_PERFCTR_NB | E1C_DBX | E1C_PERFTSC | E1C_PERFCTR_LLC |
                      E1C_MONITORX);
        out->edx &= ~E1D_RDTSCP;
        break;
    case 0x80000007:
        *out = (struct cpuid_values){ 0, 0, 0, host->edx & E7D_INVARIANT_TSC };
        break;
    case 0x80000008:
        out->ecx &= ~E8C_NC_MASK;
        break;
    case 0x8000000A: /* SVM features */
    case 0x8000001D: /* cache topology */
    case 0x8000001E: /* extended APIC ID, core and node IDs */
    case 0x8000001F: /* SEV */
        *out = (struct cpuid_values){ 0, 0, 0, 0 };
        break;
    default:
        if (leaf > CPUID_HV_LEAF_BASE && leaf <= CPUID_HV_LEAF_BASE + 0xFF)
            *out = (struct cpuid_values){ 0, 0, 0, 0 };
        break;
    }
}
