/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMX instructions (Intel SDM Vol. 3 chapter 31). Each reports the conventions of 31.2:
 * VMsucceed (CF = ZF = 0), VMfailInvalid (CF = 1: no current VMCS) or VMfailValid (ZF = 1:
 * the reason is in the current VMCS's VM-instruction error field).
 */
#ifndef NESTOR_VMM_VMX_INSN_H
#define NESTOR_VMM_VMX_INSN_H

#include <stdint.h>

#include "vmm/vmx_vmcs.h"

enum vmx_status { VMX_SUCCEED = 0, VMX_FAIL_INVALID = 1, VMX_FAIL_VALID = 2 };

#define VMX_STATUS(cf, zf) ((cf) ? VMX_FAIL_INVALID : (zf) ? VMX_FAIL_VALID : VMX_SUCCEED)

/* INVEPT and INVVPID types (31.3). */
enum { INVEPT_SINGLE_CONTEXT = 1, INVEPT_ALL_CONTEXT = 2 };
enum { INVVPID_ADDRESS = 0, INVVPID_SINGLE_CONTEXT = 1, INVVPID_ALL_CONTEXT = 2 };

static inline enum vmx_status vmx_on(uint64_t pa)
{
    uint8_t cf, zf;

    __asm__ volatile("vmxon %2; setc %0; setz %1" : "=qm"(cf), "=qm"(zf) : "m"(pa) : "cc", "memory");
    return VMX_STATUS(cf, zf);
}

static inline enum vmx_status vmx_off(void)
{
    uint8_t cf, zf;

    __asm__ volatile("vmxoff; setc %0; setz %1" : "=qm"(cf), "=qm"(zf) : : "cc", "memory");
    return VMX_STATUS(cf, zf);
}

static inline enum vmx_status vmcs_clear(uint64_t pa)
{
    uint8_t cf, zf;

    __asm__ volatile("vmclear %2; setc %0; setz %1" : "=qm"(cf), "=qm"(zf) : "m"(pa) : "cc", "memory");
    return VMX_STATUS(cf, zf);
}

static inline enum vmx_status vmcs_load(uint64_t pa)
{
    uint8_t cf, zf;

    __asm__ volatile("vmptrld %2; setc %0; setz %1" : "=qm"(cf), "=qm"(zf) : "m"(pa) : "cc", "memory");
    return VMX_STATUS(cf, zf);
}

static inline enum vmx_status vmcs_read_checked(enum vmcs_field field, uint64_t *value)
{
    uint8_t cf, zf;

    __asm__ volatile("vmread %3, %2; setc %0; setz %1"
                     : "=qm"(cf), "=qm"(zf), "=rm"(*value)
                     : "r"((uint64_t)field)
                     : "cc");
    return VMX_STATUS(cf, zf);
}

static inline enum vmx_status vmcs_write_checked(enum vmcs_field field, uint64_t value)
{
    uint8_t cf, zf;

    __asm__ volatile("vmwrite %2, %3; setc %0; setz %1"
                     : "=qm"(cf), "=qm"(zf)
                     : "rm"(value), "r"((uint64_t)field)
                     : "cc", "memory");
    return VMX_STATUS(cf, zf);
}

static inline enum vmx_status vmx_invept(uint64_t type, uint64_t eptp)
{
    struct { uint64_t eptp, reserved; } desc = { eptp, 0 };
    uint8_t cf, zf;

    __asm__ volatile("invept %2, %3; setc %0; setz %1"
                     : "=qm"(cf), "=qm"(zf)
                     : "m"(desc), "r"(type)
                     : "cc", "memory");
    return VMX_STATUS(cf, zf);
}

static inline enum vmx_status vmx_invvpid(uint64_t type, uint16_t vpid, uint64_t linear)
{
    struct { uint64_t vpid, linear; } desc = { vpid, linear };
    uint8_t cf, zf;

    __asm__ volatile("invvpid %2, %3; setc %0; setz %1"
                     : "=qm"(cf), "=qm"(zf)
                     : "m"(desc), "r"(type)
                     : "cc", "memory");
    return VMX_STATUS(cf, zf);
}

#endif
