/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fault records and fault reason codes (VT-d spec 7.1-7.2, fault recording
 * register 11.4.9.3). A fault record is 128 bits: the FRCD register pair of a
 * remapping unit, or a record the vIOMMU builds for its guest.
 *
 *   lo: 63:12 FI, the faulting page address of a DMA fault (Q L); for an
 *       interrupt-remapping fault, 63:48 the interrupt index (Q VTD_FRCD_IR_IDX)
 *   hi: 15:0 SID (Q L), 28 T2 (spec 4.x, unconfirmed), 29 PRIV and 30 EXE
 *       (spec 3.x, unconfirmed), 31 PP (Q L), 39:32 FR (Q L), 59:40 PV (Q L),
 *       61:60 AT (spec, unconfirmed), 62 T (Q L), 63 F (Q L; write 1 to clear)
 *
 * T polarity: 1 = read (or AtomicOp), 0 = write. QEMU sets T when the request
 * is not a write (vtd_record_frcd / vtd_report_dmar_fault), Linux prints
 * "DMA Read" when T is 1 (dmar_fault_do_one).
 */
#ifndef NESTOR_IOMMU_VTD_FAULT_H
#define NESTOR_IOMMU_VTD_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Reason codes. Sources: Q = QEMU VTDFaultReason, L = Linux dmar.c
 * (dma_remap_fault_reasons, irq_remap_fault_reasons, dma_remap_sm_fault_reasons).
 */
enum vtd_fault_reason {
    /* legacy mode DMA remapping (Q L) */
    VTD_FR_ROOT_ENTRY_NOT_PRESENT   = 0x01,
    VTD_FR_CTX_ENTRY_NOT_PRESENT    = 0x02,
    VTD_FR_CTX_ENTRY_INVALID        = 0x03,
    VTD_FR_ADDR_BEYOND_MGAW         = 0x04,
    VTD_FR_WRITE_DENIED             = 0x05,
    VTD_FR_READ_DENIED              = 0x06,
    VTD_FR_PTE_UNREADABLE           = 0x07,
    VTD_FR_ROOT_TABLE_UNREADABLE    = 0x08,
    VTD_FR_CTX_TABLE_UNREADABLE     = 0x09,
    VTD_FR_ROOT_ENTRY_RESERVED      = 0x0A,
    VTD_FR_CTX_ENTRY_RESERVED       = 0x0B,
    VTD_FR_PTE_RESERVED             = 0x0C,
    VTD_FR_CTX_TT_BLOCKED           = 0x0D,
    VTD_FR_INTERRUPT_ADDR           = 0x0E,   /* Q only */
    /* interrupt remapping (Q L) */
    VTD_FR_IR_REQ_RESERVED          = 0x20,
    VTD_FR_IR_INDEX_BEYOND_TABLE    = 0x21,
    VTD_FR_IR_IRTE_NOT_PRESENT      = 0x22,
    VTD_FR_IR_TABLE_UNREADABLE      = 0x23,
    VTD_FR_IR_IRTE_RESERVED         = 0x24,
    VTD_FR_IR_COMPAT_BLOCKED        = 0x25,
    VTD_FR_IR_SID_MISMATCH          = 0x26,
    /* scalable mode (L; Q where noted in vtd_fault.c) */
    VTD_FR_SM_RTADDR_INVALID        = 0x30,
    VTD_FR_SM_TTM0_PASID            = 0x31,
    VTD_FR_SM_TTM0_PAGE_REQ         = 0x32,
    VTD_FR_SM_ROOT_UNREADABLE       = 0x38,
    VTD_FR_SM_ROOT_NOT_PRESENT      = 0x39,
    VTD_FR_SM_ROOT_RESERVED         = 0x3A,
    VTD_FR_SM_CTX_UNREADABLE        = 0x40,
    VTD_FR_SM_CTX_NOT_PRESENT       = 0x41,
    VTD_FR_SM_CTX_RESERVED          = 0x42,
    VTD_FR_SM_CTX_INVALID           = 0x43,
    VTD_FR_SM_CTX_DTE_CLEAR         = 0x44,
    VTD_FR_SM_CTX_PASIDE_CLEAR      = 0x45,
    VTD_FR_SM_PASID_TOO_LARGE       = 0x46,
    VTD_FR_SM_CTX_PRE_CLEAR         = 0x47,
    VTD_FR_SM_CTX_RID_PASID         = 0x48,
    VTD_FR_SM_PDE_UNREADABLE        = 0x50,
    VTD_FR_SM_PDE_NOT_PRESENT       = 0x51,
    VTD_FR_SM_PDE_RESERVED          = 0x52,
    VTD_FR_SM_PE_UNREADABLE         = 0x58,
    VTD_FR_SM_PE_NOT_PRESENT        = 0x59,
    VTD_FR_SM_PE_RESERVED           = 0x5A,
    VTD_FR_SM_PE_INVALID            = 0x5B,
    VTD_FR_SM_PE_ERE_CLEAR          = 0x5C,
    VTD_FR_SM_PE_SRE_CLEAR          = 0x5D,
    VTD_FR_SM_FS_UNREADABLE         = 0x70,
    VTD_FR_SM_FS_NOT_PRESENT        = 0x71,
    VTD_FR_SM_FS_RESERVED           = 0x72,
    VTD_FR_SM_FS_ROOT_UNREADABLE    = 0x73,
    VTD_FR_SM_NESTED_FS_BEYOND_MGAW = 0x74,
    VTD_FR_SM_NESTED_FS_ROOT_READ   = 0x75,
    VTD_FR_SM_NESTED_FS_READ        = 0x76,
    VTD_FR_SM_NESTED_FS_WRITE       = 0x77,
    VTD_FR_SM_SS_UNREADABLE         = 0x78,
    VTD_FR_SM_SS_PERM               = 0x79,
    VTD_FR_SM_SS_RESERVED           = 0x7A,
    VTD_FR_SM_SS_ROOT_INVALID       = 0x7B,
    VTD_FR_SM_SS_AD_NOSNOOP         = 0x7C,
    VTD_FR_SM_NON_CANONICAL         = 0x80,
    VTD_FR_SM_US_DENIED             = 0x81,
    VTD_FR_SM_EXEC_DENIED           = 0x82,
    VTD_FR_SM_ADDR_BEYOND_MAX       = 0x83,
    VTD_FR_SM_SS_ADDR_BEYOND_MAX    = 0x84,
    VTD_FR_SM_WRITE_DENIED          = 0x85,
    VTD_FR_SM_READ_DENIED           = 0x86,
    VTD_FR_SM_INTERRUPT_ADDR        = 0x87,
    VTD_FR_SM_FS_AD_NOSNOOP         = 0x90,
    VTD_FR_SM_FS_AD_FAILED          = 0x91,   /* Q only */
};

/* Name of a reason code; "unknown reason" for codes no reference confirms. */
const char *vtd_fault_reason_name(uint8_t reason);
/* Whether the reason code is one a reference names. */
bool vtd_fault_reason_known(uint8_t reason);
/* Interrupt-remapping faults (0x20-0x2F) carry an interrupt index instead of an address. */
bool vtd_fault_reason_is_ir(uint8_t reason);

struct vtd_fault_record {
    bool fault;          /* F: the record holds a fault */
    bool is_read;        /* T = 1: read or AtomicOp; 0: write */
    uint8_t reason;      /* FR */
    uint16_t sid;        /* requester id: bus 15:8, device 7:3, function 2:0 */
    uint64_t addr;       /* FI: page address of a DMA fault (bits 11:0 zero) */
    uint16_t ir_index;   /* interrupt index of an interrupt-remapping fault */
    bool pasid_present;  /* PP */
    uint32_t pasid;      /* PV, meaningful when pasid_present */
    bool exe;            /* EXE: execute requested (unconfirmed position) */
    bool priv;           /* PRIV: supervisor requested (unconfirmed position) */
    uint8_t at;          /* AT: PCIe address type */
};

void vtd_fault_record_decode(uint64_t lo, uint64_t hi, struct vtd_fault_record *out);
/* The inverse, for the vIOMMU and tests. */
void vtd_fault_record_encode(const struct vtd_fault_record *rec, uint64_t *lo, uint64_t *hi);

/*
 * One log line (no newline) for a fault of unit unit_name on PCI segment seg:
 *   "vtd0: fault: 0000:00:03.0 write iova 0x0000000000200000 reason 0x05 (write not permitted by the page table)"
 * with " pasid 0x..." before "reason" when PP is set; interrupt-remapping faults
 * print "interrupt index 0x...." instead of the access and address.
 * Returns the length the full line has (snprintf semantics).
 */
int vtd_fault_format(char *buf, size_t size, const char *unit_name, uint16_t seg, const struct vtd_fault_record *rec);

#endif
