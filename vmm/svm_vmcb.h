/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VMCB (AMD64 APM vol. 2 appendix B, "Layout of VMCB"): control area at 0x000, state
 * save area at 0x400, one 4 KiB page. Intercept bits (tables B-1..B-3), exit codes
 * (appendix C), EVENTINJ (15.20), EXITINFO1 for IOIO (15.10.2) and NPF (15.25.6).
 * Every field is naturally aligned, so the structs need no packing; the asserts hold it.
 */
#ifndef NESTOR_VMM_SVM_VMCB_H
#define NESTOR_VMM_SVM_VMCB_H

#include <stddef.h>
#include <stdint.h>

struct vmcb_seg {
    uint16_t selector;
    uint16_t attrib; /* descriptor bits 47:40 in 7:0, bits 55:52 in 11:8 */
    uint32_t limit;
    uint64_t base;
};

struct vmcb {
    /* control area */
    uint32_t intercept_cr;        /* 0x000: reads 15:0, writes 31:16 */
    uint32_t intercept_dr;        /* 0x004 */
    uint32_t intercept_exceptions; /* 0x008 */
    uint32_t intercept_misc1;     /* 0x00C */
    uint32_t intercept_misc2;     /* 0x010 */
    uint32_t intercept_misc3;     /* 0x014 */
    uint8_t reserved_018[0x03C - 0x018];
    uint16_t pause_filter_threshold; /* 0x03C */
    uint16_t pause_filter_count;  /* 0x03E */
    uint64_t iopm_base_pa;        /* 0x040 */
    uint64_t msrpm_base_pa;       /* 0x048 */
    uint64_t tsc_offset;          /* 0x050 */
    uint32_t guest_asid;          /* 0x058 */
    uint8_t tlb_control;          /* 0x05C */
    uint8_t reserved_05d[3];
    uint64_t int_ctl;             /* 0x060: V_TPR, V_IRQ, V_INTR_PRIO, V_IGN_TPR, V_INTR_MASKING, V_INTR_VECTOR */
    uint64_t int_state;           /* 0x068: interrupt shadow */
    uint64_t exitcode;            /* 0x070 */
    uint64_t exitinfo1;           /* 0x078 */
    uint64_t exitinfo2;           /* 0x080 */
    uint64_t exitintinfo;         /* 0x088 */
    uint64_t np_control;          /* 0x090: bit 0 NP_ENABLE */
    uint64_t avic_apic_bar;       /* 0x098 */
    uint64_t ghcb_pa;             /* 0x0A0 */
    uint64_t eventinj;            /* 0x0A8 */
    uint64_t n_cr3;               /* 0x0B0 */
    uint64_t virt_ext;            /* 0x0B8: LBR virtualisation, virtual VMSAVE/VMLOAD */
    uint32_t clean_bits;          /* 0x0C0 */
    uint32_t reserved_0c4;
    uint64_t next_rip;            /* 0x0C8: with NRIP-save only */
    uint8_t insn_len;             /* 0x0D0: with decode assists only */
    uint8_t insn_bytes[15];
    uint8_t reserved_0e0[0x400 - 0x0E0];

    /* state save area */
    struct vmcb_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr; /* 0x400..0x49F */
    uint8_t reserved_4a0[0x4CB - 0x4A0];
    uint8_t cpl;                  /* 0x4CB */
    uint32_t reserved_4cc;
    uint64_t efer;                /* 0x4D0 */
    uint8_t reserved_4d8[0x548 - 0x4D8];
    uint64_t cr4, cr3, cr0, dr7, dr6, rflags, rip; /* 0x548..0x578 */
    uint8_t reserved_580[0x5D8 - 0x580];
    uint64_t rsp;                 /* 0x5D8 */
    uint8_t reserved_5e0[0x5F8 - 0x5E0];
    uint64_t rax;                 /* 0x5F8 */
    uint64_t star, lstar, cstar, sfmask, kernel_gs_base; /* 0x600..0x620 */
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;    /* 0x628..0x638 */
    uint64_t cr2;                 /* 0x640 */
    uint8_t reserved_648[0x668 - 0x648];
    uint64_t g_pat;               /* 0x668 */
    uint64_t dbgctl;              /* 0x670 */
    uint8_t reserved_678[0x1000 - 0x678];
};

_Static_assert(offsetof(struct vmcb, iopm_base_pa) == 0x040, "VMCB IOPM_BASE_PA");
_Static_assert(offsetof(struct vmcb, int_ctl) == 0x060, "VMCB V_INTR");
_Static_assert(offsetof(struct vmcb, eventinj) == 0x0A8, "VMCB EVENTINJ");
_Static_assert(offsetof(struct vmcb, next_rip) == 0x0C8, "VMCB nRIP");
_Static_assert(offsetof(struct vmcb, tr) == 0x490, "VMCB TR");
_Static_assert(offsetof(struct vmcb, efer) == 0x4D0, "VMCB EFER");
_Static_assert(offsetof(struct vmcb, cr4) == 0x548, "VMCB CR4");
_Static_assert(offsetof(struct vmcb, rip) == 0x578, "VMCB RIP");
_Static_assert(offsetof(struct vmcb, rsp) == 0x5D8, "VMCB RSP");
_Static_assert(offsetof(struct vmcb, rax) == 0x5F8, "VMCB RAX");
_Static_assert(offsetof(struct vmcb, cr2) == 0x640, "VMCB CR2");
_Static_assert(offsetof(struct vmcb, g_pat) == 0x668, "VMCB G_PAT");
_Static_assert(sizeof(struct vmcb) == 0x1000, "VMCB is one page");

/* Intercept word 3 (offset 0x00C), table B-1. */
enum {
    SVM_INTERCEPT_INTR = 1u << 0,
    SVM_INTERCEPT_NMI = 1u << 1,
    SVM_INTERCEPT_SMI = 1u << 2,
    SVM_INTERCEPT_INIT = 1u << 3,
    SVM_INTERCEPT_VINTR = 1u << 4,
    SVM_INTERCEPT_RDPMC = 1u << 15,
    SVM_INTERCEPT_CPUID = 1u << 18,
    SVM_INTERCEPT_INVD = 1u << 22,
    SVM_INTERCEPT_HLT = 1u << 24,
    SVM_INTERCEPT_INVLPGA = 1u << 26,
    SVM_INTERCEPT_IOIO_PROT = 1u << 27,
    SVM_INTERCEPT_MSR_PROT = 1u << 28,
    SVM_INTERCEPT_FERR_FREEZE = 1u << 30,
    SVM_INTERCEPT_SHUTDOWN = 1u << 31,
};

/* Intercept word 4 (offset 0x010). */
enum {
    SVM_INTERCEPT_VMRUN = 1u << 0,
    SVM_INTERCEPT_VMMCALL = 1u << 1,
    SVM_INTERCEPT_VMLOAD = 1u << 2,
    SVM_INTERCEPT_VMSAVE = 1u << 3,
    SVM_INTERCEPT_STGI = 1u << 4,
    SVM_INTERCEPT_CLGI = 1u << 5,
    SVM_INTERCEPT_SKINIT = 1u << 6,
    SVM_INTERCEPT_RDTSCP = 1u << 7,
    SVM_INTERCEPT_ICEBP = 1u << 8,
    SVM_INTERCEPT_WBINVD = 1u << 9,
    SVM_INTERCEPT_MONITOR = 1u << 10,
    SVM_INTERCEPT_MWAIT = 1u << 11,
    SVM_INTERCEPT_MWAIT_ARMED = 1u << 12,
    SVM_INTERCEPT_XSETBV = 1u << 13,
    SVM_INTERCEPT_RDPRU = 1u << 14,
};

/* Intercept word 5 (offset 0x014). */
enum {
    SVM_INTERCEPT_INVLPGB = 1u << 0,
    SVM_INTERCEPT_INVLPGB_ILLEGAL = 1u << 1,
    SVM_INTERCEPT_INVPCID = 1u << 2,
    SVM_INTERCEPT_MCOMMIT = 1u << 3,
    SVM_INTERCEPT_TLBSYNC = 1u << 4,
};

/* Exit codes, appendix C. */
enum svm_exit_code {
    SVM_EXIT_EXCP_BASE = 0x040,
    SVM_EXIT_INTR = 0x060,
    SVM_EXIT_NMI = 0x061,
    SVM_EXIT_SMI = 0x062,
    SVM_EXIT_INIT = 0x063,
    SVM_EXIT_VINTR = 0x064,
    SVM_EXIT_RDPMC = 0x06F,
    SVM_EXIT_CPUID = 0x072,
    SVM_EXIT_INVD = 0x076,
    SVM_EXIT_HLT = 0x078,
    SVM_EXIT_INVLPGA = 0x07A,
    SVM_EXIT_IOIO = 0x07B,
    SVM_EXIT_MSR = 0x07C,
    SVM_EXIT_FERR_FREEZE = 0x07E,
    SVM_EXIT_SHUTDOWN = 0x07F,
    SVM_EXIT_VMRUN = 0x080,
    SVM_EXIT_VMMCALL = 0x081,
    SVM_EXIT_VMLOAD = 0x082,
    SVM_EXIT_VMSAVE = 0x083,
    SVM_EXIT_STGI = 0x084,
    SVM_EXIT_CLGI = 0x085,
    SVM_EXIT_SKINIT = 0x086,
    SVM_EXIT_RDTSCP = 0x087,
    SVM_EXIT_ICEBP = 0x088,
    SVM_EXIT_WBINVD = 0x089,
    SVM_EXIT_MONITOR = 0x08A,
    SVM_EXIT_MWAIT = 0x08B,
    SVM_EXIT_MWAIT_ARMED = 0x08C,
    SVM_EXIT_XSETBV = 0x08D,
    SVM_EXIT_RDPRU = 0x08E,
    SVM_EXIT_INVLPGB = 0x0A0,
    SVM_EXIT_INVLPGB_ILLEGAL = 0x0A1,
    SVM_EXIT_INVPCID = 0x0A2,
    SVM_EXIT_MCOMMIT = 0x0A3,
    SVM_EXIT_TLBSYNC = 0x0A4,
    SVM_EXIT_NPF = 0x400,
    SVM_EXIT_INVALID = -1,
};

/* TLB_CONTROL (offset 0x05C). */
#define SVM_TLB_CONTROL_NONE      0
#define SVM_TLB_CONTROL_FLUSH_ALL 1

/* V_INTR fields of int_ctl (offset 0x060), 15.21.1. */
#define SVM_V_IRQ             (1ULL << 8)
#define SVM_V_INTR_PRIO_SHIFT 16
#define SVM_V_IGN_TPR         (1ULL << 20)
#define SVM_V_INTR_MASKING    (1ULL << 24)
#define SVM_INT_STATE_SHADOW  (1ULL << 0)

#define SVM_NP_ENABLE         (1ULL << 0)

/* EVENTINJ / EXITINTINFO, 15.20. */
#define SVM_EVENT_VECTOR_MASK 0xFFULL
#define SVM_EVENT_TYPE_SHIFT  8
#define SVM_EVENT_TYPE_INTR   0ULL
#define SVM_EVENT_TYPE_NMI    2ULL
#define SVM_EVENT_TYPE_EXCEPT 3ULL
#define SVM_EVENT_TYPE_SOFT   4ULL
#define SVM_EVENT_ERROR_VALID (1ULL << 11)
#define SVM_EVENT_VALID       (1ULL << 31)
#define SVM_EVENT_ERROR_SHIFT 32

/* IOIO EXITINFO1, 15.10.2. */
#define SVM_IOIO_IN          (1ULL << 0)
#define SVM_IOIO_STR         (1ULL << 2)
#define SVM_IOIO_REP         (1ULL << 3)
#define SVM_IOIO_SZ8         (1ULL << 4)
#define SVM_IOIO_SZ16        (1ULL << 5)
#define SVM_IOIO_SZ32        (1ULL << 6)
#define SVM_IOIO_PORT_SHIFT  16

/* NPF EXITINFO1 (a #PF error code plus the walk stage), 15.25.6. */
#define SVM_NPF_PRESENT      (1ULL << 0)
#define SVM_NPF_WRITE        (1ULL << 1)
#define SVM_NPF_FETCH        (1ULL << 4)
#define SVM_NPF_FINAL_GPA    (1ULL << 32)
#define SVM_NPF_GUEST_WALK   (1ULL << 33)

/* MSR exit: EXITINFO1 is 0 for RDMSR, 1 for WRMSR. */
#define SVM_MSR_WRITE        1ULL

/* Permission maps (15.10.1, 15.11): sizes in bytes; a set bit intercepts. */
#define SVM_IOPM_BYTES  (3 * 4096)
#define SVM_MSRPM_BYTES (2 * 4096)

/* MSRs of the SVM architecture. */
#define MSR_VM_CR        0xC0010114
#define MSR_VM_HSAVE_PA  0xC0010117
#define VM_CR_SVMDIS     (1ULL << 4)

#endif
