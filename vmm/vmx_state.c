// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMX guest state behind the generic accessors (registers, segments, control registers,
 * MSRs), event injection, and the control-register exits the back end handles itself.
 * Segment access rights: Intel SDM Vol. 3 24.4.1 table 24-2; guest-state checks: 26.3.1.
 */
#include "kernel/arch/x86.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "lib/kstring.h"
#include "vmm/vcpu_cr.h"
#include "vmm/vcpu_msr.h"
#include "vmm/vm.h"
#include "vmm/vmx_exit.h"
#include "vmm/vmx_internal.h"

#define X86_CR0_NW          (1ULL << 29)
#define X86_CR0_CD          (1ULL << 30)
#define X86_CR4_PAE         (1ULL << 5)
#define X86_CR4_VMXE        (1ULL << 13)
#define X86_CR4_SMXE        (1ULL << 14)
#define SEG_LIMIT_PAGE_BITS 0xFFFu
#define SEG_LIMIT_BYTE_MAX  0xFFFFFu

struct seg_fields {
    enum vmcs_field sel, base, limit, ar;
};

static const struct seg_fields seg_es = { VMCS_GUEST_ES_SEL, VMCS_GUEST_ES_BASE, VMCS_GUEST_ES_LIMIT, VMCS_GUEST_ES_AR };
static const struct seg_fields seg_cs = { VMCS_GUEST_CS_SEL, VMCS_GUEST_CS_BASE, VMCS_GUEST_CS_LIMIT, VMCS_GUEST_CS_AR };
static const struct seg_fields seg_ss = { VMCS_GUEST_SS_SEL, VMCS_GUEST_SS_BASE, VMCS_GUEST_SS_LIMIT, VMCS_GUEST_SS_AR };
static const struct seg_fields seg_ds = { VMCS_GUEST_DS_SEL, VMCS_GUEST_DS_BASE, VMCS_GUEST_DS_LIMIT, VMCS_GUEST_DS_AR };
static const struct seg_fields seg_fs = { VMCS_GUEST_FS_SEL, VMCS_GUEST_FS_BASE, VMCS_GUEST_FS_LIMIT, VMCS_GUEST_FS_AR };
static const struct seg_fields seg_gs = { VMCS_GUEST_GS_SEL, VMCS_GUEST_GS_BASE, VMCS_GUEST_GS_LIMIT, VMCS_GUEST_GS_AR };
static const struct seg_fields seg_ldtr = { VMCS_GUEST_LDTR_SEL, VMCS_GUEST_LDTR_BASE, VMCS_GUEST_LDTR_LIMIT, VMCS_GUEST_LDTR_AR };
static const struct seg_fields seg_tr = { VMCS_GUEST_TR_SEL, VMCS_GUEST_TR_BASE, VMCS_GUEST_TR_LIMIT, VMCS_GUEST_TR_AR };

/* The vCPU's back-end state, its VMCS made current for the VMREADs and VMWRITEs that follow. */
static struct vmx_vcpu *vmx(struct vcpu *v)
{
    struct vmx_vcpu *s = v->arch;

    vmx_vmcs_make_current(s);
    return s;
}

void vmx_get_regs(struct vcpu *v, struct vcpu_regs *r)
{
    const struct guest_gprs *g = &vmx(v)->gprs;

    *r = (struct vcpu_regs){
        .rax = g->rax, .rbx = g->rbx, .rcx = g->rcx, .rdx = g->rdx, .rsi = g->rsi, .rdi = g->rdi,
        .rbp = g->rbp, .rsp = vmcs_read(VMCS_GUEST_RSP), .r8 = g->r8, .r9 = g->r9, .r10 = g->r10,
        .r11 = g->r11, .r12 = g->r12, .r13 = g->r13, .r14 = g->r14, .r15 = g->r15,
        .rip = vmcs_read(VMCS_GUEST_RIP), .rflags = vmcs_read(VMCS_GUEST_RFLAGS),
    };
}

void vmx_set_regs(struct vcpu *v, const struct vcpu_regs *r)
{
    struct guest_gprs *g = &vmx(v)->gprs;

    /* A new RIP means the instruction at the old one completed: its STI or MOV SS shadow
     * ends with it (SDM vol. 3 table 24-3). */
    if (r->rip != vmcs_read(VMCS_GUEST_RIP))
        vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, vmcs_read(VMCS_GUEST_INTERRUPTIBILITY) &
                                                    ~(uint64_t)(VMX_INTR_BLOCK_STI | VMX_INTR_BLOCK_MOV_SS));

    *g = (struct guest_gprs){
        .rax = r->rax, .rbx = r->rbx, .rcx = r->rcx, .rdx = r->rdx, .rsi = r->rsi, .rdi = r->rdi,
        .rbp = r->rbp, .r8 = r->r8, .r9 = r->r9, .r10 = r->r10, .r11 = r->r11, .r12 = r->r12,
        .r13 = r->r13, .r14 = r->r14, .r15 = r->r15,
    };
    vmcs_write(VMCS_GUEST_RSP, r->rsp);
    vmcs_write(VMCS_GUEST_RIP, r->rip);
    vmcs_write(VMCS_GUEST_RFLAGS, r->rflags | X86_RFLAGS_FIXED);
}

static uint32_t seg_to_ar(const struct vcpu_segment *s)
{
    if (s->unusable)
        return VMX_AR_UNUSABLE;
    return (s->type & VMX_AR_TYPE_MASK) | (s->s ? VMX_AR_S : 0) | ((uint32_t)(s->dpl & 3) << VMX_AR_DPL_SHIFT) |
           (s->present ? VMX_AR_P : 0) | (s->avl ? VMX_AR_AVL : 0) | (s->l ? VMX_AR_L : 0) |
           (s->db ? VMX_AR_DB : 0) | (s->g ? VMX_AR_G : 0);
}

/*
 * What the VM-entry checks demand of a segment the CPU would have loaded anyway
 * (26.3.1.2): code and data segments in use have the accessed bit (the CPU sets it when
 * it loads a descriptor); the granularity agrees with the byte limit; TR is a busy TSS.
 */
static void seg_write(const struct seg_fields *f, struct vcpu_segment s, bool is_tr)
{
    if (is_tr && (s.unusable || (s.type != VMX_SEG_TYPE_TSS32_BUSY && s.type != 3))) {
        s.unusable = false;
        s.s = false;
        s.present = true;
        s.type = VMX_SEG_TYPE_TSS32_BUSY;
    }
    if (!s.unusable && s.s)
        s.type |= VMX_SEG_TYPE_ACCESSED;
    if (s.limit > SEG_LIMIT_BYTE_MAX)
        s.g = true;
    else if ((s.limit & SEG_LIMIT_PAGE_BITS) != SEG_LIMIT_PAGE_BITS)
        s.g = false;
    vmcs_write(f->sel, s.selector);
    vmcs_write(f->base, s.base);
    vmcs_write(f->limit, s.limit);
    vmcs_write(f->ar, seg_to_ar(&s));
}

static void seg_read(const struct seg_fields *f, struct vcpu_segment *s)
{
    uint32_t ar = (uint32_t)vmcs_read(f->ar);

    *s = (struct vcpu_segment){
        .base = vmcs_read(f->base), .limit = (uint32_t)vmcs_read(f->limit),
        .selector = (uint16_t)vmcs_read(f->sel), .type = ar & VMX_AR_TYPE_MASK, .s = ar & VMX_AR_S,
        .dpl = (ar >> VMX_AR_DPL_SHIFT) & 3, .present = ar & VMX_AR_P, .avl = ar & VMX_AR_AVL,
        .l = ar & VMX_AR_L, .db = ar & VMX_AR_DB, .g = ar & VMX_AR_G, .unusable = ar & VMX_AR_UNUSABLE,
    };
}

static uint64_t guest_cr0(const struct vmx_vcpu *s)
{
    return (vmcs_read(VMCS_GUEST_CR0) & ~s->cr0_shadow_mask) | (vmcs_read(VMCS_CR0_READ_SHADOW) & s->cr0_shadow_mask);
}

static uint64_t guest_cr4(const struct vmx_vcpu *s)
{
    return (vmcs_read(VMCS_GUEST_CR4) & ~s->cr4_shadow_mask) | (vmcs_read(VMCS_CR4_READ_SHADOW) & s->cr4_shadow_mask);
}

void vmx_get_sregs(struct vcpu *v, struct vcpu_sregs *sr)
{
    struct vmx_vcpu *s = vmx(v);

    seg_read(&seg_cs, &sr->cs);
    seg_read(&seg_ds, &sr->ds);
    seg_read(&seg_es, &sr->es);
    seg_read(&seg_fs, &sr->fs);
    seg_read(&seg_gs, &sr->gs);
    seg_read(&seg_ss, &sr->ss);
    seg_read(&seg_tr, &sr->tr);
    seg_read(&seg_ldtr, &sr->ldt);
    sr->gdt = (struct vcpu_dtable){ vmcs_read(VMCS_GUEST_GDTR_BASE), (uint16_t)vmcs_read(VMCS_GUEST_GDTR_LIMIT) };
    sr->idt = (struct vcpu_dtable){ vmcs_read(VMCS_GUEST_IDTR_BASE), (uint16_t)vmcs_read(VMCS_GUEST_IDTR_LIMIT) };
    sr->cr0 = guest_cr0(s);
    sr->cr2 = read_cr2(); /* not switched by VMX: the CPU holds the guest's CR2 between runs */
    sr->cr3 = vmcs_read(VMCS_GUEST_CR3);
    sr->cr4 = guest_cr4(s);
    sr->efer = vmcs_read(VMCS_GUEST_EFER);
}

/*
 * PAE paging outside long mode with EPT: VM entry loads the four PDPTEs from the VMCS
 * (26.3.2.4), so they are read from guest memory whenever Nestor, not the guest, sets
 * CR0/CR3/CR4. A PDPTE outside guest RAM reads as not present.
 */
static void load_pdptes(struct vcpu *v, uint64_t cr0, uint64_t cr3, uint64_t cr4, uint64_t efer)
{
    static const enum vmcs_field fields[4] = { VMCS_GUEST_PDPTE0, VMCS_GUEST_PDPTE1, VMCS_GUEST_PDPTE2,
                                               VMCS_GUEST_PDPTE3 };
    uint64_t pdpte[4] = { 0 };

    if (!(cr0 & X86_CR0_PG) || !(cr4 & X86_CR4_PAE) || (efer & EFER_LMA))
        return;
    if (vm_read_gpa(v->vm, cr3 & 0xFFFFFFE0ULL, pdpte, sizeof(pdpte)))
        memset(pdpte, 0, sizeof(pdpte));
    for (int i = 0; i < 4; i++)
        vmcs_write(fields[i], pdpte[i]);
}

static void set_efer(uint64_t efer)
{
    uint64_t entry = vmcs_read(VMCS_ENTRY_CONTROLS);

    vmcs_write(VMCS_GUEST_EFER, efer);
    /* The IA-32e mode guest control must equal EFER.LMA (26.3.1.1). */
    entry = (efer & EFER_LMA) ? entry | VMX_ENTRY_CTL_IA32E_GUEST : entry & ~VMX_ENTRY_CTL_IA32E_GUEST;
    vmcs_write(VMCS_ENTRY_CONTROLS, entry);
}

static void set_cr0(uint64_t cr0)
{
    vmcs_write(VMCS_CR0_READ_SHADOW, cr0);
    vmcs_write(VMCS_GUEST_CR0, vmx_guest_cr0(cr0));
}

static void set_cr4(uint64_t cr4)
{
    vmcs_write(VMCS_CR4_READ_SHADOW, cr4);
    vmcs_write(VMCS_GUEST_CR4, vmx_guest_cr4(cr4));
}

void vmx_set_sregs(struct vcpu *v, const struct vcpu_sregs *sr)
{
    seg_write(&seg_cs, sr->cs, false);
    seg_write(&seg_ds, sr->ds, false);
    seg_write(&seg_es, sr->es, false);
    seg_write(&seg_fs, sr->fs, false);
    seg_write(&seg_gs, sr->gs, false);
    seg_write(&seg_ss, sr->ss, false);
    seg_write(&seg_tr, sr->tr, true);
    seg_write(&seg_ldtr, sr->ldt, false);
    vmcs_write(VMCS_GUEST_GDTR_BASE, sr->gdt.base);
    vmcs_write(VMCS_GUEST_GDTR_LIMIT, sr->gdt.limit);
    vmcs_write(VMCS_GUEST_IDTR_BASE, sr->idt.base);
    vmcs_write(VMCS_GUEST_IDTR_LIMIT, sr->idt.limit);
    set_cr0(sr->cr0);
    write_cr2(sr->cr2);
    vmcs_write(VMCS_GUEST_CR3, sr->cr3);
    set_cr4(sr->cr4);
    set_efer(sr->efer);
    load_pdptes(v, sr->cr0, sr->cr3, sr->cr4, sr->efer);
}

static uint64_t *syscall_msr(struct vmx_vcpu *s, uint32_t msr)
{
    switch (msr) {
    case MSR_STAR: return &s->msrs.star;
    case MSR_LSTAR: return &s->msrs.lstar;
    case MSR_CSTAR: return &s->msrs.cstar;
    case MSR_SFMASK: return &s->msrs.sfmask;
    case MSR_KERNEL_GS_BASE: return &s->msrs.kernel_gs_base;
    default: return NULL;
    }
}

static bool vmcs_msr_field(uint32_t msr, enum vmcs_field *f)
{
    switch (msr) {
    case MSR_FS_BASE: *f = VMCS_GUEST_FS_BASE; return true;
    case MSR_GS_BASE: *f = VMCS_GUEST_GS_BASE; return true;
    case MSR_SYSENTER_CS: *f = VMCS_GUEST_SYSENTER_CS; return true;
    case MSR_SYSENTER_ESP: *f = VMCS_GUEST_SYSENTER_ESP; return true;
    case MSR_SYSENTER_EIP: *f = VMCS_GUEST_SYSENTER_EIP; return true;
    default: return false;
    }
}

int vmx_get_msr(struct vcpu *v, uint32_t msr, uint64_t *value)
{
    struct vmx_vcpu *s = vmx(v);
    enum vmcs_field f;
    uint64_t *m;

    switch (msr) {
    case MSR_EFER: *value = vmcs_read(VMCS_GUEST_EFER); return 0;
    case MSR_PAT: *value = vmcs_read(VMCS_GUEST_PAT); return 0;
    case MSR_TSC: *value = rdtsc() + vmcs_read(VMCS_TSC_OFFSET); return 0;
    }
    if (vmcs_msr_field(msr, &f)) {
        *value = vmcs_read(f);
        return 0;
    }
    if ((m = syscall_msr(s, msr))) {
        *value = *m;
        return 0;
    }
    return -ENOENT;
}

int vmx_set_msr(struct vcpu *v, uint32_t msr, uint64_t value)
{
    struct vmx_vcpu *s = vmx(v);
    enum vmcs_field f;
    uint64_t *m;

    switch (msr) {
    case MSR_EFER:
        if (msr_efer_write(vmcs_read(VMCS_GUEST_EFER), guest_cr0(s) & X86_CR0_PG, value, &value))
            return -EINVAL;
        set_efer(value);
        return 0;
    case MSR_PAT:
        if (!msr_pat_valid(value))
            return -EINVAL;
        vmcs_write(VMCS_GUEST_PAT, value);
        return 0;
    case MSR_TSC:
        if (!(vmx_cpu.ctl.proc & VMX_PROC_TSC_OFFSETTING))
            return -EINVAL;
        vmcs_write(VMCS_TSC_OFFSET, value - rdtsc());
        return 0;
    }
    if (vmcs_msr_field(msr, &f)) {
        if (msr != MSR_SYSENTER_CS && !msr_canonical(value))
            return -EINVAL;
        vmcs_write(f, msr == MSR_SYSENTER_CS ? (value & 0xFFFF) : value);
        return 0;
    }
    if ((m = syscall_msr(s, msr))) {
        if ((msr == MSR_LSTAR || msr == MSR_CSTAR || msr == MSR_KERNEL_GS_BASE) && !msr_canonical(value))
            return -EINVAL;
        *m = value;
        vmx_cpu.msrs_owner = NULL; /* reload before the next entry */
        return 0;
    }
    return -ENOENT;
}

int vmx_inject_event(struct vcpu *v, const struct vcpu_event *ev)
{
    static const uint32_t type[] = {
        [VCPU_EVENT_EXT_INT] = VMX_EVENT_EXT_INT, [VCPU_EVENT_NMI] = VMX_EVENT_NMI,
        [VCPU_EVENT_EXCEPTION] = VMX_EVENT_HW_EXCEPTION, [VCPU_EVENT_SOFT_INT] = VMX_EVENT_SOFT_INT,
    };
    uint32_t info;

    if (vmcs_read(VMCS_ENTRY_INTR_INFO) & VMX_INTR_INFO_VALID)
        return -EBUSY;
    info = ev->vector | (type[ev->type] << VMX_INTR_INFO_TYPE_SHIFT) | VMX_INTR_INFO_VALID;
    /* An error code goes with exactly the exceptions that push one, in protected mode only
     * (26.2.1.3); anything else fails the entry. */
    if (ev->type == VCPU_EVENT_EXCEPTION && vmx_exception_has_error(ev->vector) && (guest_cr0(vmx(v)) & X86_CR0_PE)) {
        info |= VMX_INTR_INFO_ERROR_VALID;
        vmcs_write(VMCS_ENTRY_EXCEPTION_ERROR, ev->has_error ? ev->error : 0);
    }
    if (ev->type == VCPU_EVENT_SOFT_INT) /* INTn: delivery pushes RIP + the instruction's length */
        vmcs_write(VMCS_ENTRY_INSN_LEN, vmcs_read(VMCS_EXIT_INSN_LEN));
    vmcs_write(VMCS_ENTRY_INTR_INFO, info);
    return 0;
}

/* GPR n of a control-register exit (28.2.1 table 28-3: 0 RAX .. 15 R15; 4 is RSP). */
static uint64_t *gpr_slot(struct vmx_vcpu *s, unsigned n)
{
    uint64_t *const slots[16] = {
        &s->gprs.rax, &s->gprs.rcx, &s->gprs.rdx, &s->gprs.rbx, NULL, &s->gprs.rbp, &s->gprs.rsi, &s->gprs.rdi,
        &s->gprs.r8, &s->gprs.r9, &s->gprs.r10, &s->gprs.r11, &s->gprs.r12, &s->gprs.r13, &s->gprs.r14, &s->gprs.r15,
    };
    return slots[n & 15];
}

static uint64_t gpr_get(struct vmx_vcpu *s, unsigned n)
{
    uint64_t *p = gpr_slot(s, n);

    return p ? *p : vmcs_read(VMCS_GUEST_RSP);
}

static void gpr_set(struct vmx_vcpu *s, unsigned n, uint64_t value)
{
    uint64_t *p = gpr_slot(s, n);

    if (p)
        *p = value;
    else
        vmcs_write(VMCS_GUEST_RSP, value);
}

static void inject_gp(struct vcpu *v)
{
    vcpu_inject_exception(v, X86_EXC_GP, true, 0);
}

/* MOV to CR0 (or CLTS/LMSW) that changed a bit the host owns (SDM vol. 3 2.5, 4.1.2). */
static bool guest_write_cr0(struct vcpu *v, uint64_t value)
{
    struct vmx_vcpu *s = vmx(v);
    uint64_t old = guest_cr0(s), efer = vmcs_read(VMCS_GUEST_EFER), cr4 = guest_cr4(s);
    bool cs_l = vmcs_read(VMCS_GUEST_CS_AR) & VMX_AR_L;

    if (!vcpu_cr0_write_ok(old, value, cr4, efer, cs_l))
        return false;
    /* Paging switched on or off by this write: the long-mode transition is ours to make. */
    if (!(old & X86_CR0_PG) && (value & X86_CR0_PG) && (efer & EFER_LME)) {
        set_efer(efer | EFER_LMA);
    } else if ((old & X86_CR0_PG) && !(value & X86_CR0_PG) && (efer & EFER_LMA)) {
        set_efer(efer & ~EFER_LMA);
    }
    set_cr0(value);
    load_pdptes(v, value, vmcs_read(VMCS_GUEST_CR3), cr4, vmcs_read(VMCS_GUEST_EFER));
    return true;
}

static bool guest_write_cr4(struct vcpu *v, uint64_t value)
{
    struct vmx_vcpu *s = vmx(v);

    /* VMX and SMX are not offered to guests; bits the CPU cannot set are reserved. */
    if ((value & (X86_CR4_VMXE | X86_CR4_SMXE)) || (value & ~vmx_cpu.msr.cr4_fixed1 & ~X86_CR4_VMXE) ||
        !vcpu_cr4_write_ok(guest_cr4(s), value, vmcs_read(VMCS_GUEST_EFER), vmcs_read(VMCS_GUEST_CR3)))
        return false;
    set_cr4(value);
    load_pdptes(v, guest_cr0(s), vmcs_read(VMCS_GUEST_CR3), value, vmcs_read(VMCS_GUEST_EFER));
    return true;
}

bool vmx_handle_cr_access(struct vcpu *v, uint64_t q, uint32_t insn_len)
{
    struct vmx_vcpu *s = vmx(v);
    unsigned cr = VMX_CR_QUAL_NUMBER(q), gpr = VMX_CR_QUAL_GPR(q);
    uint64_t cr0 = guest_cr0(s);
    bool ok;

    switch (VMX_CR_QUAL_TYPE(q)) {
    case VMX_CR_MOV_TO:
        if (cr == 0)
            ok = guest_write_cr0(v, gpr_get(s, gpr));
        else if (cr == 4)
            ok = guest_write_cr4(v, gpr_get(s, gpr));
        else if (cr == 3) { /* only on CPUs that force CR3-load exiting */
            vmcs_write(VMCS_GUEST_CR3, gpr_get(s, gpr));
            load_pdptes(v, cr0, gpr_get(s, gpr), guest_cr4(s), vmcs_read(VMCS_GUEST_EFER));
            ok = true;
        } else
            goto unhandled;
        break;
    case VMX_CR_MOV_FROM:
        if (cr != 3)
            goto unhandled;
        gpr_set(s, gpr, vmcs_read(VMCS_GUEST_CR3));
        ok = true;
        break;
    case VMX_CR_CLTS:
        ok = guest_write_cr0(v, cr0 & ~(1ULL << 3));
        break;
    default: /* LMSW: bits 3:0; PE can be set but not cleared */
        ok = guest_write_cr0(v, (cr0 & ~0xEULL) | (VMX_CR_QUAL_LMSW_SRC(q) & 0xF));
        break;
    }
    if (!ok) {
        inject_gp(v);
        return true;
    }
    vmcs_write(VMCS_GUEST_RIP, vmcs_read(VMCS_GUEST_RIP) + insn_len);
    return true;
unhandled:
    vm_stop(v->vm, "control-register exit 0x%llx not handled", (unsigned long long)q);
    return false;
}
