/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * void svm_enter_guest(uint64_t vmcb_pa, struct svm_gprs *gprs, uint64_t host_vmcb_pa)
 *
 * One guest entry and exit (AMD64 APM vol. 2 15.5, 15.6). VMRUN loads and saves RAX, RSP,
 * RIP, RFLAGS, control registers and CS/SS/DS/ES; VMLOAD/VMSAVE move the rest of the
 * guest's hidden state (FS, GS, TR, LDTR, KernelGSbase, STAR/LSTAR/CSTAR/SFMASK,
 * SYSENTER_*), so the host's copy of those is saved before and restored after the run.
 * The other guest GPRs (rbx rcx rdx rsi rdi rbp r8-r15) live in struct svm_gprs.
 * GIF stays clear from before the guest's state is loaded until the host's is back, so
 * no interrupt or NMI sees a half-switched CPU.
 */
#define GPRS_RBX 0
#define GPRS_RCX 8
#define GPRS_RDX 16
#define GPRS_RSI 24
#define GPRS_RDI 32
#define GPRS_RBP 40
#define GPRS_R8  48
#define GPRS_R9  56
#define GPRS_R10 64
#define GPRS_R11 72
#define GPRS_R12 80
#define GPRS_R13 88
#define GPRS_R14 96
#define GPRS_R15 104

    .text
    .global svm_enter_guest
    .type svm_enter_guest, @function
svm_enter_guest:
    pushq %rbp
    movq %rsp, %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    pushq %rdx                      /* 0x10(%rsp): host VMCB */
    pushq %rsi                      /* 0x08(%rsp): guest GPRs */
    pushq %rdi                      /* 0x00(%rsp): guest VMCB */

    clgi
    /*
     * With V_INTR_MASKING the host's RFLAGS.IF decides whether a physical interrupt
     * during the guest is recognised (APM vol. 2 15.21.1): IF=1 here, so it causes an
     * INTR exit. GIF=0 holds it until stgi below, where the host takes it; cli after.
     */
    sti
    movq %rdx, %rax
    vmsave %rax                     /* host FS/GS/TR/LDTR and syscall MSRs */

    movq %rsi, %rax
    movq GPRS_RBX(%rax), %rbx
    movq GPRS_RCX(%rax), %rcx
    movq GPRS_RDX(%rax), %rdx
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
    movq GPRS_RSI(%rax), %rsi

    movq (%rsp), %rax
    vmload %rax
    vmrun %rax                      /* returns at #VMEXIT with host RAX, RSP restored */
    vmsave %rax

    movq 0x08(%rsp), %rax
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

    movq 0x10(%rsp), %rax
    vmload %rax                     /* host TR (IST stacks) back before GIF is set */
    stgi                            /* a pending host interrupt is taken here */
    cli

    addq $24, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size svm_enter_guest, . - svm_enter_guest
