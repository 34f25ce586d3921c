/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMCS formats, defined once: field encodings (Intel SDM Vol. 3 appendix B), the control
 * bits Nestor uses (24.6-24.8), access rights (24.4.1 table 24-2), interruptibility state
 * (24.4.2 table 24-3), event information (24.8.3 table 24-14, 24.9.2 table 24-15) and exit
 * qualifications (28.2.1 tables 28-5, 28-7). The VMCS itself is opaque: these encodings
 * are operands of VMREAD/VMWRITE only.
 */
#ifndef NESTOR_VMM_VMX_VMCS_H
#define NESTOR_VMM_VMX_VMCS_H

enum vmcs_field {
    /* 16-bit control (B.1.1) */
    VMCS_VPID = 0x0000,
    /* 16-bit guest state (B.1.2) */
    VMCS_GUEST_ES_SEL = 0x0800,
    VMCS_GUEST_CS_SEL = 0x0802,
    VMCS_GUEST_SS_SEL = 0x0804,
    VMCS_GUEST_DS_SEL = 0x0806,
    VMCS_GUEST_FS_SEL = 0x0808,
    VMCS_GUEST_GS_SEL = 0x080A,
    VMCS_GUEST_LDTR_SEL = 0x080C,
    VMCS_GUEST_TR_SEL = 0x080E,
    /* 16-bit host state (B.1.3) */
    VMCS_HOST_ES_SEL = 0x0C00,
    VMCS_HOST_CS_SEL = 0x0C02,
    VMCS_HOST_SS_SEL = 0x0C04,
    VMCS_HOST_DS_SEL = 0x0C06,
    VMCS_HOST_FS_SEL = 0x0C08,
    VMCS_HOST_GS_SEL = 0x0C0A,
    VMCS_HOST_TR_SEL = 0x0C0C,
    /* 64-bit control (B.2.1) */
    VMCS_IO_BITMAP_A = 0x2000,
    VMCS_IO_BITMAP_B = 0x2002,
    VMCS_MSR_BITMAP = 0x2004,
    VMCS_EXIT_MSR_STORE_ADDR = 0x2006,
    VMCS_EXIT_MSR_LOAD_ADDR = 0x2008,
    VMCS_ENTRY_MSR_LOAD_ADDR = 0x200A,
    VMCS_TSC_OFFSET = 0x2010,
    VMCS_EPT_POINTER = 0x201A,
    /* 64-bit read-only data (B.2.2) */
    VMCS_GUEST_PHYSICAL_ADDRESS = 0x2400,
    /* 64-bit guest state (B.2.3) */
    VMCS_LINK_POINTER = 0x2800,
    VMCS_GUEST_DEBUGCTL = 0x2802,
    VMCS_GUEST_PAT = 0x2804,
    VMCS_GUEST_EFER = 0x2806,
    VMCS_GUEST_PDPTE0 = 0x280A,
    VMCS_GUEST_PDPTE1 = 0x280C,
    VMCS_GUEST_PDPTE2 = 0x280E,
    VMCS_GUEST_PDPTE3 = 0x2810,
    /* 64-bit host state (B.2.4) */
    VMCS_HOST_PAT = 0x2C00,
    VMCS_HOST_EFER = 0x2C02,
    /* 32-bit control (B.3.1) */
    VMCS_PIN_CONTROLS = 0x4000,
    VMCS_PROC_CONTROLS = 0x4002,
    VMCS_EXCEPTION_BITMAP = 0x4004,
    VMCS_PF_ERROR_MASK = 0x4006,
    VMCS_PF_ERROR_MATCH = 0x4008,
    VMCS_CR3_TARGET_COUNT = 0x400A,
    VMCS_EXIT_CONTROLS = 0x400C,
    VMCS_EXIT_MSR_STORE_COUNT = 0x400E,
    VMCS_EXIT_MSR_LOAD_COUNT = 0x4010,
    VMCS_ENTRY_CONTROLS = 0x4012,
    VMCS_ENTRY_MSR_LOAD_COUNT = 0x4014,
    VMCS_ENTRY_INTR_INFO = 0x4016,
    VMCS_ENTRY_EXCEPTION_ERROR = 0x4018,
    VMCS_ENTRY_INSN_LEN = 0x401A,
    VMCS_TPR_THRESHOLD = 0x401C,
    VMCS_PROC2_CONTROLS = 0x401E,
    /* 32-bit read-only data (B.3.2) */
    VMCS_INSN_ERROR = 0x4400,
    VMCS_EXIT_REASON = 0x4402,
    VMCS_EXIT_INTR_INFO = 0x4404,
    VMCS_EXIT_INTR_ERROR = 0x4406,
    VMCS_IDT_VECTORING_INFO = 0x4408,
    VMCS_IDT_VECTORING_ERROR = 0x440A,
    VMCS_EXIT_INSN_LEN = 0x440C,
    VMCS_EXIT_INSN_INFO = 0x440E,
    /* 32-bit guest state (B.3.3) */
    VMCS_GUEST_ES_LIMIT = 0x4800,
    VMCS_GUEST_CS_LIMIT = 0x4802,
    VMCS_GUEST_SS_LIMIT = 0x4804,
    VMCS_GUEST_DS_LIMIT = 0x4806,
    VMCS_GUEST_FS_LIMIT = 0x4808,
    VMCS_GUEST_GS_LIMIT = 0x480A,
    VMCS_GUEST_LDTR_LIMIT = 0x480C,
    VMCS_GUEST_TR_LIMIT = 0x480E,
    VMCS_GUEST_GDTR_LIMIT = 0x4810,
    VMCS_GUEST_IDTR_LIMIT = 0x4812,
    VMCS_GUEST_ES_AR = 0x4814,
    VMCS_GUEST_CS_AR = 0x4816,
    VMCS_GUEST_SS_AR = 0x4818,
    VMCS_GUEST_DS_AR = 0x481A,
    VMCS_GUEST_FS_AR = 0x481C,
    VMCS_GUEST_GS_AR = 0x481E,
    VMCS_GUEST_LDTR_AR = 0x4820,
    VMCS_GUEST_TR_AR = 0x4822,
    VMCS_GUEST_INTERRUPTIBILITY = 0x4824,
    VMCS_GUEST_ACTIVITY_STATE = 0x4826,
    VMCS_GUEST_SYSENTER_CS = 0x482A,
    /* 32-bit host state (B.3.4) */
    VMCS_HOST_SYSENTER_CS = 0x4C00,
    /* natural-width control (B.4.1) */
    VMCS_CR0_GUEST_HOST_MASK = 0x6000,
    VMCS_CR4_GUEST_HOST_MASK = 0x6002,
    VMCS_CR0_READ_SHADOW = 0x6004,
    VMCS_CR4_READ_SHADOW = 0x6006,
    /* natural-width read-only data (B.4.2) */
    VMCS_EXIT_QUALIFICATION = 0x6400,
    VMCS_GUEST_LINEAR_ADDRESS = 0x640A,
    /* natural-width guest state (B.4.3) */
    VMCS_GUEST_CR0 = 0x6800,
    VMCS_GUEST_CR3 = 0x6802,
    VMCS_GUEST_CR4 = 0x6804,
    VMCS_GUEST_ES_BASE = 0x6806,
    VMCS_GUEST_CS_BASE = 0x6808,
    VMCS_GUEST_SS_BASE = 0x680A,
    VMCS_GUEST_DS_BASE = 0x680C,
    VMCS_GUEST_FS_BASE = 0x680E,
    VMCS_GUEST_GS_BASE = 0x6810,
    VMCS_GUEST_LDTR_BASE = 0x6812,
    VMCS_GUEST_TR_BASE = 0x6814,
    VMCS_GUEST_GDTR_BASE = 0x6816,
    VMCS_GUEST_IDTR_BASE = 0x6818,
    VMCS_GUEST_DR7 = 0x681A,
    VMCS_GUEST_RSP = 0x681C,
    VMCS_GUEST_RIP = 0x681E,
    VMCS_GUEST_RFLAGS = 0x6820,
    VMCS_GUEST_PENDING_DBG = 0x6822,
    VMCS_GUEST_SYSENTER_ESP = 0x6824,
    VMCS_GUEST_SYSENTER_EIP = 0x6826,
    /* natural-width host state (B.4.4) */
    VMCS_HOST_CR0 = 0x6C00,
    VMCS_HOST_CR3 = 0x6C02,
    VMCS_HOST_CR4 = 0x6C04,
    VMCS_HOST_FS_BASE = 0x6C06,
    VMCS_HOST_GS_BASE = 0x6C08,
    VMCS_HOST_TR_BASE = 0x6C0A,
    VMCS_HOST_GDTR_BASE = 0x6C0C,
    VMCS_HOST_IDTR_BASE = 0x6C0E,
    VMCS_HOST_SYSENTER_ESP = 0x6C10,
    VMCS_HOST_SYSENTER_EIP = 0x6C12,
    VMCS_HOST_RSP = 0x6C14,
    VMCS_HOST_RIP = 0x6C16,
};

/* Pin-based VM-execution controls (24.6.1 table 24-5). */
#define VMX_PIN_EXT_INT_EXITING    (1u << 0)
#define VMX_PIN_NMI_EXITING        (1u << 3)
#define VMX_PIN_VIRTUAL_NMIS       (1u << 5)

/* Primary processor-based VM-execution controls (24.6.2 table 24-6). */
#define VMX_PROC_INTR_WINDOW       (1u << 2)
#define VMX_PROC_TSC_OFFSETTING    (1u << 3)
#define VMX_PROC_HLT_EXITING       (1u << 7)
#define VMX_PROC_INVLPG_EXITING    (1u << 9)
#define VMX_PROC_MWAIT_EXITING     (1u << 10)
#define VMX_PROC_RDPMC_EXITING     (1u << 11)
#define VMX_PROC_RDTSC_EXITING     (1u << 12)
#define VMX_PROC_CR3_LOAD_EXITING  (1u << 15)
#define VMX_PROC_CR3_STORE_EXITING (1u << 16)
#define VMX_PROC_CR8_LOAD_EXITING  (1u << 19)
#define VMX_PROC_CR8_STORE_EXITING (1u << 20)
#define VMX_PROC_MOV_DR_EXITING    (1u << 23)
#define VMX_PROC_UNCOND_IO_EXITING (1u << 24)
#define VMX_PROC_USE_IO_BITMAPS    (1u << 25)
#define VMX_PROC_USE_MSR_BITMAPS   (1u << 28)
#define VMX_PROC_MONITOR_EXITING   (1u << 29)
#define VMX_PROC_SECONDARY         (1u << 31)

/* Secondary processor-based controls beyond those in vmx_caps.h (24.6.2 table 24-7). */
#define VMX_PROC2_WBINVD_EXITING   (1u << 6)
#define VMX_PROC2_RDRAND_EXITING   (1u << 11)
#define VMX_PROC2_RDSEED_EXITING   (1u << 16)
#define VMX_PROC2_ENCLS_EXITING    (1u << 15)

/* VM-exit controls (24.7.1 table 24-13). */
#define VMX_EXIT_CTL_SAVE_DEBUG        (1u << 2)
#define VMX_EXIT_CTL_HOST_64BIT        (1u << 9)
#define VMX_EXIT_CTL_ACK_INTR          (1u << 15)
#define VMX_EXIT_CTL_SAVE_PAT          (1u << 18)
#define VMX_EXIT_CTL_LOAD_PAT          (1u << 19)
#define VMX_EXIT_CTL_SAVE_EFER         (1u << 20)
#define VMX_EXIT_CTL_LOAD_EFER         (1u << 21)

/* VM-entry controls (24.8.1 table 24-15). */
#define VMX_ENTRY_CTL_LOAD_DEBUG       (1u << 2)
#define VMX_ENTRY_CTL_IA32E_GUEST      (1u << 9)
#define VMX_ENTRY_CTL_LOAD_PAT         (1u << 14)
#define VMX_ENTRY_CTL_LOAD_EFER        (1u << 15)

/* Segment access rights (24.4.1 table 24-2). */
#define VMX_AR_TYPE_MASK           0xFu
#define VMX_AR_S                   (1u << 4)
#define VMX_AR_DPL_SHIFT           5
#define VMX_AR_P                   (1u << 7)
#define VMX_AR_AVL                 (1u << 12)
#define VMX_AR_L                   (1u << 13)
#define VMX_AR_DB                  (1u << 14)
#define VMX_AR_G                   (1u << 15)
#define VMX_AR_UNUSABLE            (1u << 16)
#define VMX_SEG_TYPE_ACCESSED      1u     /* code/data type bit 0 */
#define VMX_SEG_TYPE_TSS32_BUSY    11u
#define VMX_SEG_TYPE_LDT           2u

/* Guest interruptibility state (24.4.2 table 24-3). */
#define VMX_INTR_BLOCK_STI         (1u << 0)
#define VMX_INTR_BLOCK_MOV_SS      (1u << 1)
#define VMX_INTR_BLOCK_NMI         (1u << 3)

/* Guest activity state (24.4.2). */
#define VMX_ACTIVITY_ACTIVE        0u

/* VM-entry/exit interruption information and IDT-vectoring information (24.8.3, 24.9.2). */
#define VMX_INTR_INFO_VECTOR_MASK  0xFFu
#define VMX_INTR_INFO_TYPE_SHIFT   8
#define VMX_INTR_INFO_TYPE_MASK    (7u << 8)
#define VMX_INTR_INFO_ERROR_VALID  (1u << 11)
#define VMX_INTR_INFO_NMI_UNBLOCK  (1u << 12)
#define VMX_INTR_INFO_VALID        (1u << 31)
enum vmx_event_type {
    VMX_EVENT_EXT_INT = 0,
    VMX_EVENT_NMI = 2,
    VMX_EVENT_HW_EXCEPTION = 3,
    VMX_EVENT_SOFT_INT = 4,
    VMX_EVENT_PRIV_SOFT_EXCEPTION = 5,
    VMX_EVENT_SOFT_EXCEPTION = 6,
};

/* Exit reason field (24.9.1 table 24-14): basic reason in 15:0. */
#define VMX_EXIT_REASON_BASIC(r)   ((r) & 0xFFFFu)
#define VMX_EXIT_REASON_ENTRY_FAIL (1u << 31)

/* I/O instruction exit qualification (28.2.1 table 28-5). */
#define VMX_IO_QUAL_SIZE_MASK      7u      /* access size - 1 */
#define VMX_IO_QUAL_IN             (1u << 3)
#define VMX_IO_QUAL_STRING         (1u << 4)
#define VMX_IO_QUAL_REP            (1u << 5)
#define VMX_IO_QUAL_PORT_SHIFT     16

/* EPT violation exit qualification (28.2.1 table 28-7). */
#define VMX_EPT_QUAL_READ          (1u << 0)
#define VMX_EPT_QUAL_WRITE         (1u << 1)
#define VMX_EPT_QUAL_FETCH         (1u << 2)
#define VMX_EPT_QUAL_PERM_MASK     (7u << 3) /* the entry's R/W/X: 0 = not present */
#define VMX_EPT_QUAL_GLA_VALID     (1u << 7)
#define VMX_EPT_QUAL_GLA_FINAL     (1u << 8) /* the access was to the final address, not a guest paging entry */

/* Control-register access exit qualification (28.2.1 table 28-3). */
#define VMX_CR_QUAL_NUMBER(q)      ((unsigned)((q) & 0xF))
#define VMX_CR_QUAL_TYPE(q)        ((unsigned)(((q) >> 4) & 3)) /* 0 MOV to CR, 1 MOV from CR, 2 CLTS, 3 LMSW */
#define VMX_CR_QUAL_GPR(q)         ((unsigned)(((q) >> 8) & 0xF))
#define VMX_CR_QUAL_LMSW_SRC(q)    ((unsigned)(((q) >> 16) & 0xFFFF))
enum { VMX_CR_MOV_TO = 0, VMX_CR_MOV_FROM = 1, VMX_CR_CLTS = 2, VMX_CR_LMSW = 3 };

/* VM-entry failure exit qualification (27.8). */
enum vmx_entry_fail_qual {
    VMX_ENTRY_FAIL_DEFAULT = 0,
    VMX_ENTRY_FAIL_PDPTE = 2,
    VMX_ENTRY_FAIL_NMI_STI = 3,
    VMX_ENTRY_FAIL_LINK_POINTER = 4,
};

#define VMCS_LINK_POINTER_NONE     0xFFFFFFFFFFFFFFFFULL

#endif
