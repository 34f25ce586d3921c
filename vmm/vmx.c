// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel VMX back end: per-vCPU VMCS and VPID, the VM's nested table as EPT, and the run step (Intel SDM Vol. 3
 * chapters 24-28). Probing and VMX operation are in vmx_cpu.c.
 *
 * What the guest may not do without us (controls computed in vmx_controls.c):
 *   external interrupts, NMIs   exit (pin-based controls); the host takes them
 *   CPUID, GETSEC, INVD, XSETBV, VMX instructions, task switches, triple fault, INIT, SIPI
 *                               exit unconditionally (25.1.2); VMX and SMX are not offered
 *   HLT, RDPMC, MONITOR, MWAIT, WBINVD  exit (processor-based controls)
 *   every port, every MSR       exit (all-ones I/O and MSR bitmaps)
 *   CR0/CR4 bits VMX fixes      exit on change (guest/host masks, vmx_state.c)
 *   GPAs outside the EPT        EPT violation: MMIO emulation or a stopped VM
 *   #DB, #AC                    reflected (exception bitmap)
 *   RDTSCP, INVPCID, XSAVES     #UD without an exit (their enable controls stay clear)
 * Not intercepted: CR3 and DR accesses, INVLPG, PAUSE, RDTSC (EPT keeps them guest-local).
 */
#include "vmm/vmx.h"

#include <stddef.h>

#include "kernel/arch/x86.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/paging.h"
#include "lib/kstring.h"
#include "vmm/vcpu_msr.h"
#include "vmm/vm.h"
#include "vmm/vmx_exit.h"
#include "vmm/vmx_insn.h"
#include "vmm/vmx_internal.h"
#include "vmm/vmx_names.h"

#define VMX_MAX_VPIDS        256

static uint64_t vpid_used[VMX_MAX_VPIDS / 64];

static int vpid_alloc(void)
{
    for (unsigned id = 1; id < VMX_MAX_VPIDS; id++) /* VPID 0 is the host's */
        if (!(vpid_used[id / 64] & (1ULL << (id % 64)))) {
            vpid_used[id / 64] |= 1ULL << (id % 64);
            return (int)id;
        }
    return -ENOSPC;
}

static void vpid_free(unsigned id) { vpid_used[id / 64] &= ~(1ULL << (id % 64)); }

/* Flushes guest translations: EPT-derived (INVEPT) and, with VPID, linear (INVVPID). */
static void flush_guest_translations(struct vmx_vcpu *s)
{
    int st;

    st = vmx_cpu.ctl.invept_single ? vmx_invept(INVEPT_SINGLE_CONTEXT, npt_ept_pointer(&s->vcpu->vm->npt))
                                   : vmx_invept(INVEPT_ALL_CONTEXT, 0);
    if (st)
        vmx_log_failure(s->vcpu->vm->name, "INVEPT", st);
    if (s->vpid) {
        st = vmx_cpu.ctl.invvpid_single ? vmx_invvpid(INVVPID_SINGLE_CONTEXT, s->vpid, 0)
                                        : vmx_invvpid(INVVPID_ALL_CONTEXT, 0, 0);
        if (st)
            vmx_log_failure(s->vcpu->vm->name, "INVVPID", st);
    }
}

/* The VM's nested table is the EPT (npt.h): built in the EPT format, edited in place by the VM. */
static enum npt_format vmx_nested_format(bool *allow_2m)
{
    *allow_2m = vmx_cpu.ctl.ept_2m;
    return NPT_FORMAT_EPT;
}

int vmx_vmcs_make_current(struct vmx_vcpu *s)
{
    int st;

    if (vmx_cpu.current_vmcs == s->vmcs_pa)
        return 0;
    st = vmcs_load(s->vmcs_pa);
    if (st) {
        vmx_log_failure(s->vcpu->vm->name, "VMPTRLD", st);
        return -EIO;
    }
    vmx_cpu.current_vmcs = s->vmcs_pa;
    return 0;
}

static void vmx_vcpu_destroy(struct vcpu *v)
{
    struct vmx_vcpu *s = v->arch;

    if (!s)
        return;
    if (s->vmcs_pa) {
        vmcs_clear(s->vmcs_pa);
        if (vmx_cpu.current_vmcs == s->vmcs_pa)
            vmx_cpu.current_vmcs = 0;
        frame_free(s->vmcs_pa);
    }
    if (vmx_cpu.msrs_owner == s)
        vmx_cpu.msrs_owner = NULL;
    if (s->io_bitmaps_pa)
        frames_free(s->io_bitmaps_pa, 2);
    if (s->msr_bitmap_pa)
        frame_free(s->msr_bitmap_pa);
    if (s->vpid)
        vpid_free(s->vpid);
    kfree(s);
    v->arch = NULL;
}

static int vmx_vcpu_create(struct vcpu *v)
{
    struct vmx_vcpu *s = kzalloc(sizeof(*s));
    int st, err;

    if (!s)
        return -ENOMEM;
    v->arch = s;
    s->vcpu = v;
    s->vmcs_pa = frame_alloc();
    s->io_bitmaps_pa = frames_alloc_contig(2, 1);
    s->msr_bitmap_pa = frame_alloc();
    if (!s->vmcs_pa || !s->io_bitmaps_pa || !s->msr_bitmap_pa)
        return -ENOMEM;
    if ((vmx_cpu.msr.basic & VMX_BASIC_PA_32BIT) && s->vmcs_pa >= (1ULL << 32)) {
        pr_err("%s: vmx: VMCS at 0x%llx, above the 4 GiB this CPU allows\n", v->vm->name,
               (unsigned long long)s->vmcs_pa);
        return -ENOMEM;
    }
    memset(phys_to_virt(s->io_bitmaps_pa), 0xFF, 2 * PAGE_SIZE);
    memset(phys_to_virt(s->msr_bitmap_pa), 0xFF, PAGE_SIZE);
    if (v->vm->npt.format != NPT_FORMAT_EPT) {
        pr_err("%s: vmx: the VM's nested table is not in the EPT format\n", v->vm->name);
        return -EINVAL;
    }
    if (vmx_cpu.ctl.vpid) {
        int id = vpid_alloc();

        if (id < 0)
            pr_warn("%s: vmx: all VPIDs in use; this vCPU runs without one\n", v->vm->name);
        else
            s->vpid = (uint16_t)id;
    }
    *(uint32_t *)phys_to_virt(s->vmcs_pa) = VMX_BASIC_REVISION(vmx_cpu.msr.basic);
    if ((st = vmcs_clear(s->vmcs_pa))) {
        vmx_log_failure(v->vm->name, "VMCLEAR", st);
        return -EIO;
    }
    if ((err = vmx_vmcs_make_current(s)))
        return err;
    if (vmx_vmcs_setup(s)) {
        pr_err("%s: vmx: VMCS setup failed (see above)\n", v->vm->name);
        return -EIO;
    }
    s->flush_tlb = true;
    pr_debug("%s: vmx: vCPU %u: VMCS 0x%llx, EPTP 0x%llx (%llu table pages), VPID %u\n", v->vm->name, v->index,
             (unsigned long long)s->vmcs_pa, (unsigned long long)npt_ept_pointer(&v->vm->npt),
             (unsigned long long)v->vm->npt.tables, s->vpid);
    return 0;
}

static void load_syscall_msrs(const struct vmx_vcpu *s)
{
    /* Nestor never runs SYSCALL, SYSRET or SWAPGS: these MSRs hold the current guest's. */
    if (vmx_cpu.msrs_owner == s)
        return;
    wrmsr(MSR_STAR, s->msrs.star);
    wrmsr(MSR_LSTAR, s->msrs.lstar);
    wrmsr(MSR_CSTAR, s->msrs.cstar);
    wrmsr(MSR_SFMASK, s->msrs.sfmask);
    wrmsr(MSR_KERNEL_GS_BASE, s->msrs.kernel_gs_base);
    vmx_cpu.msrs_owner = s;
}

/*
 * An event whose delivery the exit interrupted (IDT-vectoring information, 28.2.4) is
 * delivered again at the next entry (27.6.1.1); software interrupts and INT3/INTO restart
 * with their instruction instead.
 */
static void requeue_interrupted_event(void)
{
    uint32_t info = (uint32_t)vmcs_read(VMCS_IDT_VECTORING_INFO);
    uint32_t type = (info & VMX_INTR_INFO_TYPE_MASK) >> VMX_INTR_INFO_TYPE_SHIFT;

    if (!(info & VMX_INTR_INFO_VALID) || type == VMX_EVENT_SOFT_INT || type == VMX_EVENT_SOFT_EXCEPTION ||
        type == VMX_EVENT_PRIV_SOFT_EXCEPTION)
        return;
    if (info & VMX_INTR_INFO_ERROR_VALID)
        vmcs_write(VMCS_ENTRY_EXCEPTION_ERROR, vmcs_read(VMCS_IDT_VECTORING_ERROR));
    vmcs_write(VMCS_ENTRY_INTR_INFO, info & ~VMX_INTR_INFO_NMI_UNBLOCK);
}

static void log_entry_failure(struct vcpu *v, const struct vmx_exit_info *in)
{
    uint32_t basic = VMX_EXIT_REASON_BASIC(in->reason);

    if (basic == VMX_EXIT_ENTRY_FAIL_MSR)
        pr_err("%s: vmx: VM-entry failure, exit reason %u (%s): MSR-load entry %llu\n", v->vm->name, basic,
               vmx_exit_reason_name(basic), (unsigned long long)in->qualification);
    else
        pr_err("%s: vmx: VM-entry failure, exit reason %u (%s), qualification %llu (%s)\n", v->vm->name, basic,
               vmx_exit_reason_name(basic), (unsigned long long)in->qualification,
               vmx_entry_failure_qual_name(in->qualification));
    pr_err("%s: vmx: controls pin 0x%llx proc 0x%llx proc2 0x%llx entry 0x%llx exit 0x%llx; "
           "cr0 0x%llx (shadow 0x%llx) cr4 0x%llx (shadow 0x%llx) efer 0x%llx\n", v->vm->name,
           (unsigned long long)vmcs_read(VMCS_PIN_CONTROLS), (unsigned long long)vmcs_read(VMCS_PROC_CONTROLS),
           (unsigned long long)vmcs_read(VMCS_PROC2_CONTROLS), (unsigned long long)vmcs_read(VMCS_ENTRY_CONTROLS),
           (unsigned long long)vmcs_read(VMCS_EXIT_CONTROLS), (unsigned long long)vmcs_read(VMCS_GUEST_CR0),
           (unsigned long long)vmcs_read(VMCS_CR0_READ_SHADOW), (unsigned long long)vmcs_read(VMCS_GUEST_CR4),
           (unsigned long long)vmcs_read(VMCS_CR4_READ_SHADOW), (unsigned long long)vmcs_read(VMCS_GUEST_EFER));
    pr_err("%s: vmx: cs 0x%llx/0x%llx/0x%llx ss ar 0x%llx tr ar 0x%llx ldtr ar 0x%llx intr-info 0x%llx "
           "interruptibility 0x%llx activity %llu\n", v->vm->name,
           (unsigned long long)vmcs_read(VMCS_GUEST_CS_SEL), (unsigned long long)vmcs_read(VMCS_GUEST_CS_LIMIT),
           (unsigned long long)vmcs_read(VMCS_GUEST_CS_AR), (unsigned long long)vmcs_read(VMCS_GUEST_SS_AR),
           (unsigned long long)vmcs_read(VMCS_GUEST_TR_AR), (unsigned long long)vmcs_read(VMCS_GUEST_LDTR_AR),
           (unsigned long long)vmcs_read(VMCS_ENTRY_INTR_INFO),
           (unsigned long long)vmcs_read(VMCS_GUEST_INTERRUPTIBILITY),
           (unsigned long long)vmcs_read(VMCS_GUEST_ACTIVITY_STATE));
}

static void read_exit_info(struct vmx_exit_info *in)
{
    *in = (struct vmx_exit_info){
        .reason = (uint32_t)vmcs_read(VMCS_EXIT_REASON),
        .qualification = vmcs_read(VMCS_EXIT_QUALIFICATION),
        .insn_len = (uint32_t)vmcs_read(VMCS_EXIT_INSN_LEN),
        .guest_rip = vmcs_read(VMCS_GUEST_RIP),
    };
    switch (VMX_EXIT_REASON_BASIC(in->reason)) {
    case VMX_EXIT_EPT_VIOLATION:
    case VMX_EXIT_EPT_MISCONFIG:
        in->guest_phys = vmcs_read(VMCS_GUEST_PHYSICAL_ADDRESS);
        break;
    case VMX_EXIT_EXCEPTION_NMI:
        in->intr_info = (uint32_t)vmcs_read(VMCS_EXIT_INTR_INFO);
        in->intr_error = (uint32_t)vmcs_read(VMCS_EXIT_INTR_ERROR);
        break;
    }
}

/* One VM entry and exit. 0 with *in filled, or -EIO when the entry instruction failed. */
static int enter_once(struct vcpu *v, struct vmx_vcpu *s, struct vmx_exit_info *in)
{
    bool host_if = read_rflags() & X86_RFLAGS_IF;
    int st;

    irq_disable();
    st = vmx_enter_guest(&s->gprs, s->launched);
    if (st) {
        if (host_if)
            irq_enable();
        vmx_log_failure(v->vm->name, s->launched ? "VMRESUME" : "VMLAUNCH", st);
        return -EIO;
    }
    s->launched = true;
    read_exit_info(in);
    /* Without acknowledge-on-exit the interrupt is still pending at the LAPIC: open a
     * one-instruction window so the host's handler takes it now. An NMI was consumed by
     * the exit: hand it to the host's handler. */
    if (VMX_EXIT_REASON_BASIC(in->reason) == VMX_EXIT_EXTERNAL_INTERRUPT && !host_if)
        __asm__ volatile("sti; nop; cli" ::: "memory");
    if (VMX_EXIT_REASON_BASIC(in->reason) == VMX_EXIT_EXCEPTION_NMI &&
        ((in->intr_info & VMX_INTR_INFO_TYPE_MASK) >> VMX_INTR_INFO_TYPE_SHIFT) == VMX_EVENT_NMI)
        __asm__ volatile("int $2" ::: "memory");
    if (host_if)
        irq_enable();
    return 0;
}

/*
 * Self-test of the failure reports (vmx.h): before the first entry, make the guest state
 * invalid (RFLAGS bit 1 clear: VM-entry failure, exit reason 33, 26.3.1.4) or a control
 * invalid (a reserved event type: VMfailValid, error 7, 26.2.1.3).
 */
static void break_entry_for_selftest(struct vcpu *v)
{
    char what[16];

    if (!cmdline_get("vmx_fail", what, sizeof(what)))
        return;
    if (!strcmp(what, "guest-state")) {
        pr_warn("%s: vmx: vmx_fail=guest-state: guest RFLAGS bit 1 cleared before the first entry\n", v->vm->name);
        vmcs_write(VMCS_GUEST_RFLAGS, 0);
    } else if (!strcmp(what, "control")) {
        pr_warn("%s: vmx: vmx_fail=control: reserved event type 1 injected at the first entry\n", v->vm->name);
        vmcs_write(VMCS_ENTRY_INTR_INFO, VMX_INTR_INFO_VALID | (1u << VMX_INTR_INFO_TYPE_SHIFT));
    } else {
        pr_warn("vmx: vmx_fail=%s unknown (guest-state, control)\n", what);
    }
}

static int vmx_run(struct vcpu *v, struct vcpu_exit *exit)
{
    struct vmx_vcpu *s = v->arch;
    struct vmx_exit_info in;
    int err;

    if ((err = vmx_vmcs_make_current(s)))
        return err;
    if (s->flush_tlb) {
        flush_guest_translations(s);
        s->flush_tlb = false;
    }
    load_syscall_msrs(s);
    if (!s->launched)
        break_entry_for_selftest(v);
    for (;;) {
        if ((err = enter_once(v, s, &in)))
            return err;
        if (!(in.reason & VMX_EXIT_REASON_ENTRY_FAIL))
            requeue_interrupted_event();
        /* Control-register exits are the back end's own business (vmx_state.c). */
        if (VMX_EXIT_REASON_BASIC(in.reason) != VMX_EXIT_CR_ACCESS || (in.reason & VMX_EXIT_REASON_ENTRY_FAIL))
            break;
        if (!vmx_handle_cr_access(v, in.qualification, in.insn_len))
            break;
    }
    vmx_decode_exit(&in, exit);
    switch (exit->reason) {
    case VCPU_EXIT_ENTRY_FAILED:
        log_entry_failure(v, &in);
        break;
    case VCPU_EXIT_IRQ_WINDOW:
        vmcs_write(VMCS_PROC_CONTROLS, vmcs_read(VMCS_PROC_CONTROLS) & ~VMX_PROC_INTR_WINDOW);
        break;
    case VCPU_EXIT_NPF:
        if (VMX_EXIT_REASON_BASIC(in.reason) == VMX_EXIT_EPT_MISCONFIG)
            pr_err("%s: vmx: EPT misconfiguration at GPA 0x%llx (a Nestor bug: EPTP 0x%llx)\n", v->vm->name,
                   (unsigned long long)in.guest_phys, (unsigned long long)npt_ept_pointer(&v->vm->npt));
        break;
    default:
        break;
    }
    return 0;
}

static bool vmx_irq_window_open(struct vcpu *v)
{
    return (vmcs_read(VMCS_GUEST_RFLAGS) & X86_RFLAGS_IF) &&
           !(vmcs_read(VMCS_GUEST_INTERRUPTIBILITY) & (VMX_INTR_BLOCK_STI | VMX_INTR_BLOCK_MOV_SS)) &&
           !(vmcs_read(VMCS_ENTRY_INTR_INFO) & VMX_INTR_INFO_VALID);
}

/* The interrupt-window control exits as soon as the guest can take an interrupt (25.2). */
static void vmx_request_irq_window(struct vcpu *v)
{
    vmcs_write(VMCS_PROC_CONTROLS, vmcs_read(VMCS_PROC_CONTROLS) | VMX_PROC_INTR_WINDOW);
}

/* The VM's EPT changed: INVEPT (and INVVPID) before the next entry. */
static void vmx_flush_guest_tlb(struct vcpu *v)
{
    ((struct vmx_vcpu *)v->arch)->flush_tlb = true;
}

const struct vcpu_ops vmx_ops = {
    .name = "vmx",
    .cpu_init = vmx_cpu_init,
    .vcpu_create = vmx_vcpu_create,
    .vcpu_destroy = vmx_vcpu_destroy,
    .vcpu_run = vmx_run,
    .get_regs = vmx_get_regs,
    .set_regs = vmx_set_regs,
    .get_sregs = vmx_get_sregs,
    .set_sregs = vmx_set_sregs,
    .get_msr = vmx_get_msr,
    .set_msr = vmx_set_msr,
    .inject_event = vmx_inject_event,
    .irq_window_open = vmx_irq_window_open,
    .request_irq_window = vmx_request_irq_window,
    .flush_guest_tlb = vmx_flush_guest_tlb,
    .nested_format = vmx_nested_format,
};
