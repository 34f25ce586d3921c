// SPDX-License-Identifier: GPL-2.0-only
/*
 * A new vCPU's VMCS: execution controls and bitmaps, host state, and a guest state that
 * passes the VM-entry checks until the loader sets the real one (Intel SDM Vol. 3 chapter
 * 24 for the fields, 26.2-26.3 for the checks).
 */
#include "kernel/arch/x86.h"
#include "kernel/cpu/gdt.h"
#include "kernel/log.h"
#include "kernel/mm/frame.h"
#include "vmm/vcpu_msr.h"
#include "vmm/vm.h"
#include "vmm/vmx_internal.h"

#define PAT_POWER_ON      0x0007040600070406ULL
#define DR7_INIT          0x400ULL
#define CR0_PE_PG         (X86_CR0_PE | X86_CR0_PG)

struct table_register {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

uint64_t vmx_guest_cr0(uint64_t wanted)
{
    return vmx_cr_fixed_apply(wanted, vmx_cpu.msr.cr0_fixed0, vmx_cpu.msr.cr0_fixed1, CR0_PE_PG);
}

uint64_t vmx_guest_cr4(uint64_t wanted)
{
    return vmx_cr_fixed_apply(wanted, vmx_cpu.msr.cr4_fixed0, vmx_cpu.msr.cr4_fixed1, 0);
}

/* The TSS base from its 16-byte system descriptor in the host GDT (SDM 8.2.3 figure 8-4). */
static uint64_t host_tr_base(uint64_t gdt_base)
{
    const uint64_t *d = (const uint64_t *)(uintptr_t)(gdt_base + GDT_TSS);

    return ((d[0] >> 16) & 0xFFFFFFULL) | (((d[0] >> 56) & 0xFF) << 24) | (d[1] << 32);
}

/* Host state (24.5): what the CPU loads at every exit. Nestor's, set once per VMCS. */
static void setup_host_state(void)
{
    struct table_register gdtr, idtr;

    __asm__ volatile("sgdt %0" : "=m"(gdtr));
    __asm__ volatile("sidt %0" : "=m"(idtr));
    vmcs_write(VMCS_HOST_CR0, read_cr0());
    vmcs_write(VMCS_HOST_CR3, read_cr3());
    vmcs_write(VMCS_HOST_CR4, read_cr4());
    vmcs_write(VMCS_HOST_CS_SEL, GDT_KERNEL_CS);
    vmcs_write(VMCS_HOST_SS_SEL, GDT_KERNEL_DS);
    vmcs_write(VMCS_HOST_DS_SEL, GDT_KERNEL_DS);
    vmcs_write(VMCS_HOST_ES_SEL, GDT_KERNEL_DS);
    vmcs_write(VMCS_HOST_FS_SEL, 0);
    vmcs_write(VMCS_HOST_GS_SEL, 0);
    vmcs_write(VMCS_HOST_TR_SEL, GDT_TSS);
    vmcs_write(VMCS_HOST_FS_BASE, rdmsr(MSR_FS_BASE));
    vmcs_write(VMCS_HOST_GS_BASE, rdmsr(MSR_GS_BASE));
    vmcs_write(VMCS_HOST_TR_BASE, host_tr_base(gdtr.base));
    vmcs_write(VMCS_HOST_GDTR_BASE, gdtr.base);
    vmcs_write(VMCS_HOST_IDTR_BASE, idtr.base);
    vmcs_write(VMCS_HOST_SYSENTER_CS, rdmsr(MSR_SYSENTER_CS));
    vmcs_write(VMCS_HOST_SYSENTER_ESP, rdmsr(MSR_SYSENTER_ESP));
    vmcs_write(VMCS_HOST_SYSENTER_EIP, rdmsr(MSR_SYSENTER_EIP));
    vmcs_write(VMCS_HOST_EFER, rdmsr(MSR_EFER));
    if (vmx_cpu.ctl.exit & VMX_EXIT_CTL_LOAD_PAT)
        vmcs_write(VMCS_HOST_PAT, rdmsr(MSR_PAT));
    vmcs_write(VMCS_HOST_RIP, (uint64_t)(uintptr_t)vmx_exit_stub);
    /* HOST_RSP is written by vmx_enter_guest on every entry. */
}

static void setup_controls(struct vmx_vcpu *s)
{
    const struct vmx_controls *c = &vmx_cpu.ctl;

    vmcs_write(VMCS_PIN_CONTROLS, c->pin);
    vmcs_write(VMCS_PROC_CONTROLS, c->proc);
    vmcs_write(VMCS_PROC2_CONTROLS, c->proc2);
    vmcs_write(VMCS_EXIT_CONTROLS, c->exit);
    vmcs_write(VMCS_ENTRY_CONTROLS, c->entry);
    /* #DB and #AC are reflected, so a guest cannot wedge the CPU delivering them
     * (CVE-2015-5307, CVE-2015-8104); other exceptions go straight to the guest. */
    vmcs_write(VMCS_EXCEPTION_BITMAP, (1u << X86_EXC_DB) | (1u << X86_EXC_AC));
    vmcs_write(VMCS_PF_ERROR_MASK, 0);
    vmcs_write(VMCS_PF_ERROR_MATCH, 0);
    vmcs_write(VMCS_CR3_TARGET_COUNT, 0);
    vmcs_write(VMCS_EXIT_MSR_STORE_COUNT, 0);
    vmcs_write(VMCS_EXIT_MSR_LOAD_COUNT, 0);
    vmcs_write(VMCS_ENTRY_MSR_LOAD_COUNT, 0);
    vmcs_write(VMCS_ENTRY_INTR_INFO, 0);
    /* Every port and every MSR exits: all bits set in the bitmaps (24.6.4, 24.6.9). */
    vmcs_write(VMCS_IO_BITMAP_A, s->io_bitmaps_pa);
    vmcs_write(VMCS_IO_BITMAP_B, s->io_bitmaps_pa + PAGE_SIZE);
    vmcs_write(VMCS_MSR_BITMAP, s->msr_bitmap_pa);
    if (c->proc & VMX_PROC_TSC_OFFSETTING)
        vmcs_write(VMCS_TSC_OFFSET, 0);
    vmcs_write(VMCS_EPT_POINTER, npt_ept_pointer(&s->vcpu->vm->npt));
    if (s->vpid)
        vmcs_write(VMCS_VPID, s->vpid);
    /* The bits VMX fixes in CR0/CR4 are the host's: the guest reads its own value from
     * the read shadow, and a write that changes one exits (vmx_handle_cr_access). */
    s->cr0_shadow_mask = vmx_cr_owned_bits(vmx_cpu.msr.cr0_fixed0, vmx_cpu.msr.cr0_fixed1, CR0_PE_PG);
    s->cr4_shadow_mask = vmx_cr_owned_bits(vmx_cpu.msr.cr4_fixed0, vmx_cpu.msr.cr4_fixed1, 0);
    vmcs_write(VMCS_CR0_GUEST_HOST_MASK, s->cr0_shadow_mask);
    vmcs_write(VMCS_CR4_GUEST_HOST_MASK, s->cr4_shadow_mask);
}

/* A flat 32-bit protected-mode state; guest_boot replaces it with the kernel's entry state. */
static void setup_guest_state(struct vmx_vcpu *s)
{
    struct vcpu_segment code = { .limit = 0xFFFFFFFF, .selector = 0x10, .type = 0xB, .s = true,
                                 .present = true, .db = true, .g = true };
    struct vcpu_segment data = code;
    struct vcpu_sregs sr = { 0 };
    struct vcpu_regs r = { .rflags = X86_RFLAGS_FIXED };

    data.selector = 0x18;
    data.type = 0x3;
    sr.cs = code;
    sr.ds = sr.es = sr.fs = sr.gs = sr.ss = data;
    sr.tr = (struct vcpu_segment){ .limit = 0xFFFF, .type = VMX_SEG_TYPE_TSS32_BUSY, .present = true };
    sr.ldt = (struct vcpu_segment){ .unusable = true };
    sr.gdt = (struct vcpu_dtable){ 0, 0xFFFF };
    sr.idt = (struct vcpu_dtable){ 0, 0xFFFF };
    sr.cr0 = X86_CR0_PE | X86_CR0_ET;
    vmx_set_sregs(s->vcpu, &sr);
    vmx_set_regs(s->vcpu, &r);

    vmcs_write(VMCS_LINK_POINTER, VMCS_LINK_POINTER_NONE);
    vmcs_write(VMCS_GUEST_DR7, DR7_INIT);
    vmcs_write(VMCS_GUEST_DEBUGCTL, 0);
    vmcs_write(VMCS_GUEST_PAT, PAT_POWER_ON);
    vmcs_write(VMCS_GUEST_SYSENTER_CS, 0);
    vmcs_write(VMCS_GUEST_SYSENTER_ESP, 0);
    vmcs_write(VMCS_GUEST_SYSENTER_EIP, 0);
    vmcs_write(VMCS_GUEST_ACTIVITY_STATE, VMX_ACTIVITY_ACTIVE);
    vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, 0);
    vmcs_write(VMCS_GUEST_PENDING_DBG, 0);
}

int vmx_vmcs_setup(struct vmx_vcpu *s)
{
    unsigned errors_before = vmx_write_errors;

    setup_controls(s);
    setup_host_state();
    setup_guest_state(s);
    return vmx_write_errors == errors_before ? 0 : -1;
}
