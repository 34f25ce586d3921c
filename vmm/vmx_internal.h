/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared between the VMX back-end files (vmx.c, vmx_setup.c, vmx_state.c, vmx_entry.S). */
#ifndef NESTOR_VMM_VMX_INTERNAL_H
#define NESTOR_VMM_VMX_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/guest_gprs.h"
#include "vmm/vcpu.h"
#include "vmm/vmx_caps.h"
#include "vmm/vmx_controls.h"
#include "vmm/vmx_vmcs.h"

/* Guest MSRs that VMX does not switch: kept here, loaded into the CPU before entry. */
struct vmx_syscall_msrs {
    uint64_t star, lstar, cstar, sfmask, kernel_gs_base;
};

struct vmx_vcpu {
    struct vcpu *vcpu;
    uint64_t vmcs_pa;
    uint64_t io_bitmaps_pa;   /* A and B: two pages */
    uint64_t msr_bitmap_pa;
    uint16_t vpid;            /* 0: VPID not used */
    bool launched;            /* VMLAUNCH done: VMRESUME next */
    bool flush_tlb;           /* INVEPT/INVVPID before the next entry */
    uint64_t cr0_shadow_mask, cr4_shadow_mask; /* guest/host masks: bits the host owns */
    struct vmx_syscall_msrs msrs;
    struct guest_gprs gprs;
};

/* Per physical CPU (one CPU for now). */
struct vmx_cpu_state {
    bool on;
    uint64_t vmxon_pa;
    uint64_t current_vmcs;    /* the VMCS made current with VMPTRLD, 0 = none */
    const struct vmx_vcpu *msrs_owner; /* whose SYSCALL MSRs the CPU holds */
    struct vmx_msr_values msr;
    struct vmx_controls ctl;
};

extern struct vmx_cpu_state vmx_cpu;
extern const struct vcpu_ops vmx_ops;

/* vmx_cpu.c: VMX operation on this CPU (IA32_FEATURE_CONTROL, CR0/CR4, VMXON). */
int vmx_cpu_init(void);

/* VMREAD of a field Nestor defines (a failure is a Nestor bug: logged, 0 returned). */
uint64_t vmcs_read(enum vmcs_field field);
/* VMWRITE; a failure is logged with the VM-instruction error and counted in vmx_write_errors. */
void vmcs_write(enum vmcs_field field, uint64_t value);
extern unsigned vmx_write_errors;

/* Logs a VMX instruction's failure: "<who>: vmx: <what> failed: VMfailValid, error N (name)". */
void vmx_log_failure(const char *who, const char *what, int status);

/* Makes s's VMCS the current one (VMPTRLD) if it is not: 0 or -EIO (logged). */
int vmx_vmcs_make_current(struct vmx_vcpu *s);

/* vmx_setup.c: the VMCS of a new vCPU (controls, bitmaps, host state, initial guest state). */
int vmx_vmcs_setup(struct vmx_vcpu *s);
/* The guest CR0/CR4 the CPU runs with for what the guest asked (fixed bits applied). */
uint64_t vmx_guest_cr0(uint64_t wanted);
uint64_t vmx_guest_cr4(uint64_t wanted);

/* vmx_state.c: guest state accessors and the back end's own exits. */
void vmx_get_regs(struct vcpu *v, struct vcpu_regs *r);
void vmx_set_regs(struct vcpu *v, const struct vcpu_regs *r);
void vmx_get_sregs(struct vcpu *v, struct vcpu_sregs *s);
void vmx_set_sregs(struct vcpu *v, const struct vcpu_sregs *s);
int vmx_get_msr(struct vcpu *v, uint32_t msr, uint64_t *value);
int vmx_set_msr(struct vcpu *v, uint32_t msr, uint64_t value);
int vmx_inject_event(struct vcpu *v, const struct vcpu_event *ev);
/* A control-register exit: emulated here. False when the VM must stop (reason logged). */
bool vmx_handle_cr_access(struct vcpu *v, uint64_t qualification, uint32_t insn_len);

/* vmx_entry.S: 0 after a VM exit, else the enum vmx_status of the failed VMLAUNCH/VMRESUME. */
int vmx_enter_guest(struct guest_gprs *gprs, int launched);
void vmx_exit_stub(void);

#endif
