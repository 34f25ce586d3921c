/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * void svm_enter_guest(uint64_t vmcb_pa, struct guest_gprs *gprs, uint64_t host_vmcb_pa)
 *
 * One guest entry and exit (AMD64 APM vol. 2 15.5, 15.6). VMRUN loads and saves RAX, RSP,
 * RIP, RFLAGS, control registers and CS/SS/DS/ES; VMLOAD/VMSAVE move the rest of the
 * guest's hidden state (FS, GS, TR, LDTR, KernelGSbase, STAR/LSTAR/CSTAR/SFMASK,
 * SYSENTER_*), so the host's copy of those is saved before and restored after the run.
 * The other guest GPRs (rbx rcx rdx rsi rdi rbp r8-r15) live in struct guest_gprs.
 * GIF stays clear from before the guest's state is loaded until the host's is back, so
 * no interrupt or NMI sees a half-switched CPU.
 */
#include "vmm/guest_gprs.h"

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
    GUEST_GPRS_LOAD_BUT_RAX

    movq (%rsp), %rax
    vmload %rax
    vmrun %rax                      /* returns at #VMEXIT with host RAX, RSP restored */
    vmsave %rax

    movq 0x08(%rsp), %rax
    GUEST_GPRS_SAVE_BUT_RAX

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
