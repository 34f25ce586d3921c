/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * int vmx_enter_guest(struct guest_gprs *gprs, int launched)
 *
 * One guest entry and exit (Intel SDM Vol. 3 chapters 27, 28). The VMCS holds the guest's
 * RSP, RIP and RFLAGS; the other GPRs live in struct guest_gprs. HOST_RSP is written on
 * every entry (the stack this call runs on); HOST_RIP is vmx_exit_stub (vmx_setup.c). At
 * the exit the CPU loads the host state from the VMCS: RSP points at the saved gprs
 * pointer, RFLAGS is 0x2 (interrupts off), GDTR and IDTR limits are 0xFFFF (28.5.2;
 * harmless: Nestor's descriptors all lie below those limits).
 * Returns 0 after an exit, 1 (VMfailInvalid) or 2 (VMfailValid) when the entry failed.
 */
#include "vmm/guest_gprs.h"
#define VMCS_HOST_RSP 0x6C14
#define VMX_FAIL_INVALID 1
#define VMX_FAIL_VALID 2

    .text
    .global vmx_enter_guest
    .type vmx_enter_guest, @function
vmx_enter_guest:
    pushq %rbp
    movq %rsp, %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    pushq %rdi                      /* (%rsp): the guest GPRs, for the exit stub */

    movq $VMCS_HOST_RSP, %rax
    vmwrite %rsp, %rax
    jbe .Lvmfail                    /* CF or ZF: VMfailInvalid or VMfailValid */

    testl %esi, %esi                /* launched? (MOVs below keep the flags) */
    movq %rdi, %rax
    GUEST_GPRS_LOAD_BUT_RAX
    movq GPRS_RAX(%rax), %rax
    jnz 1f
    vmlaunch
    jmp .Lvmfail
1:  vmresume
    /* Falls through only when the entry failed; the flags say how. */
.Lvmfail:
    movl $VMX_FAIL_VALID, %eax
    jnc .Lreturn
    movl $VMX_FAIL_INVALID, %eax
    jmp .Lreturn

    .global vmx_exit_stub
    .type vmx_exit_stub, @function
vmx_exit_stub:
    pushq %rax
    movq 8(%rsp), %rax
    GUEST_GPRS_SAVE_BUT_RAX
    popq GPRS_RAX(%rax)
    xorl %eax, %eax
.Lreturn:
    addq $8, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size vmx_enter_guest, . - vmx_enter_guest
