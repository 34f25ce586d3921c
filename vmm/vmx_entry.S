/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * int vmx_enter_guest(struct vmx_gprs *gprs, int launched)
 *
 * One guest entry and exit (Intel SDM Vol. 3 chapters 27, 28). The VMCS holds the guest's
 * RSP, RIP and RFLAGS; the other GPRs live in struct vmx_gprs. HOST_RSP is written on
 * every entry (the stack this call runs on); HOST_RIP is vmx_exit_stub (vmx_setup.c). At
 * the exit the CPU loads the host state from the VMCS: RSP points at the saved gprs
 * pointer, RFLAGS is 0x2 (interrupts off), GDTR and IDTR limits are 0xFFFF (28.5.2;
 * harmless: Nestor's descriptors all lie below those limits).
 * Returns 0 after an exit, 1 (VMfailInvalid) or 2 (VMfailValid) when the entry failed.
 */
#define GPRS_RAX 0
#define GPRS_RBX 8
#define GPRS_RCX 16
#define GPRS_RDX 24
#define GPRS_RSI 32
#define GPRS_RDI 40
#define GPRS_RBP 48
#define GPRS_R8  56
#define GPRS_R9  64
#define GPRS_R10 72
#define GPRS_R11 80
#define GPRS_R12 88
#define GPRS_R13 96
#define GPRS_R14 104
#define GPRS_R15 112
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
    movq GPRS_RBX(%rax), %rbx
    movq GPRS_RCX(%rax), %rcx
    movq GPRS_RDX(%rax), %rdx
    movq GPRS_RSI(%rax), %rsi
    movq GPRS_RDI(%rax), %rdi
    movq GPRS_RBP(%rax), %rbp
    movq GPRS_R8(%rax), %r8
    movq GPRS_R9(%rax), %r9
    movq GPRS_R10(%rax), %r10
    movq GPRS_R11(%rax), %r11
    movq GPRS_R12(%rax), %r12
    movq GPRS_R13(%rax), %r13
    movq GPRS_R14(%rax), %r14
    movq GPRS_R15(%rax), %r15
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
    movq %rbx, GPRS_RBX(%rax)
    movq %rcx, GPRS_RCX(%rax)
    movq %rdx, GPRS_RDX(%rax)
    movq %rsi, GPRS_RSI(%rax)
    movq %rdi, GPRS_RDI(%rax)
    movq %rbp, GPRS_RBP(%rax)
    movq %r8, GPRS_R8(%rax)
    movq %r9, GPRS_R9(%rax)
    movq %r10, GPRS_R10(%rax)
    movq %r11, GPRS_R11(%rax)
    movq %r12, GPRS_R12(%rax)
    movq %r13, GPRS_R13(%rax)
    movq %r14, GPRS_R14(%rax)
    movq %r15, GPRS_R15(%rax)
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
