// SPDX-License-Identifier: GPL-2.0-only
/*
 * Vendor-neutral exit handling: CPUID, port I/O, MSRs, HLT, nested page faults, triple
 * faults, reflected exceptions and the instructions a guest may not use. Every guest
 * mistake becomes the architectural fault for the guest or a stopped VM, never a host
 * failure.
 */
#include "kernel/arch/x86.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "vmm/cpuid_filter.h"
#include "vmm/iodev.h"
#include "vmm/mmio_emul.h"
#include "vmm/string_io.h"
#include "vmm/vcpu.h"
#include "vmm/vcpu_msr.h"
#include "vmm/vm.h"

static void handle_cpuid(struct vcpu *v, const struct vcpu_exit *exit)
{
    struct vcpu_regs r;
    struct cpuid_regs h;
    struct cpuid_values host, out;

    v->ops->get_regs(v, &r);
    h = cpuid((uint32_t)r.rax, (uint32_t)r.rcx);
    host = (struct cpuid_values){ h.eax, h.ebx, h.ecx, h.edx };
    cpuid_filter((uint32_t)r.rax, (uint32_t)r.rcx, &host, v->index, &out);
    r.rax = out.eax;
    r.rbx = out.ebx;
    r.rcx = out.ecx;
    r.rdx = out.edx;
    v->ops->set_regs(v, &r);
    vcpu_skip_insn(v, exit);
}

static uint64_t size_mask(unsigned size) { return size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1; }

static bool handle_io(struct vcpu *v, const struct vcpu_exit *exit)
{
    static struct log_ratelimit rl = { .interval = 1000, .burst = 20 };
    struct vm *vm = v->vm;
    struct vcpu_regs r;
    uint64_t value = ~0ULL, mask = size_mask(exit->io.size);
    uint32_t suppressed;
    int err;

    if (exit->io.string)
        return vcpu_handle_string_io(v, exit);
    v->ops->get_regs(v, &r);
    if (exit->io.in) {
        err = iodev_read(&vm->bus, IODEV_PIO, exit->io.port, exit->io.size, &value);
        if (err)
            value = ~0ULL; /* unclaimed ports float high */
        if (exit->io.size == 4)
            r.rax = value & mask; /* a 32-bit result clears bits 63:32 */
        else
            r.rax = (r.rax & ~mask) | (value & mask);
        v->ops->set_regs(v, &r);
    } else {
        value = r.rax & mask;
        err = iodev_write(&vm->bus, IODEV_PIO, exit->io.port, exit->io.size, value);
    }
    if (err == -ENOENT && log_ratelimit_allow(&rl, v->exits, &suppressed))
        pr_debug("%s: unclaimed port %s 0x%x size %u%s0x%llx (%u suppressed)\n", vm->name,
                 exit->io.in ? "read" : "write", exit->io.port, exit->io.size,
                 exit->io.in ? " -> " : " value ", (unsigned long long)(value & mask), suppressed);
    if (vm->running)
        vcpu_skip_insn(v, exit);
    return true;
}

static bool handle_hlt(struct vcpu *v, const struct vcpu_exit *exit)
{
    struct vcpu_regs r;

    vcpu_skip_insn(v, exit);
    v->ops->get_regs(v, &r);
    if (!(r.rflags & X86_RFLAGS_IF)) {
        vm_stop(v->vm, "guest halted with interrupts disabled at rip 0x%llx", (unsigned long long)r.rip);
        return false;
    }
    if (!v->irq.pending_vector) {
        vm_stop(v->vm, "guest halted and no interrupt source can wake it (rip 0x%llx)",
                (unsigned long long)r.rip);
        return false;
    }
    return true; /* the pending interrupt, if any, goes in before the next entry */
}

static bool handle_npf(struct vcpu *v, const struct vcpu_exit *exit)
{
    struct vcpu_regs r;
    const char *access = exit->npf.fetch ? "fetch" : exit->npf.write ? "write" : "read";

    v->ops->get_regs(v, &r);
    if (iodev_find(&v->vm->bus, IODEV_MMIO, exit->npf.gpa, 1))
        return mmio_emul_npf(v, exit);
    vm_stop(v->vm, "nested page fault: %s at GPA 0x%llx outside guest RAM and devices (rip 0x%llx%s)",
            access, (unsigned long long)exit->npf.gpa, (unsigned long long)r.rip,
            exit->npf.in_guest_walk ? ", during the guest's page walk" : "");
    return false;
}

static void report_entry_failure(struct vcpu *v)
{
    struct vcpu_regs r;
    struct vcpu_sregs s;

    v->ops->get_regs(v, &r);
    v->ops->get_sregs(v, &s);
    pr_err("%s: guest state refused: rip 0x%llx rflags 0x%llx cr0 0x%llx cr3 0x%llx cr4 0x%llx efer 0x%llx cs 0x%x\n",
           v->vm->name, (unsigned long long)r.rip, (unsigned long long)r.rflags,
           (unsigned long long)s.cr0, (unsigned long long)s.cr3, (unsigned long long)s.cr4,
           (unsigned long long)s.efer, s.cs.selector);
}

bool vcpu_handle_exit(struct vcpu *v, const struct vcpu_exit *exit)
{
    static struct log_ratelimit ud_rl = { .interval = 1000, .burst = 10 };
    uint32_t suppressed;

    switch (exit->reason) {
    case VCPU_EXIT_CPUID:
        handle_cpuid(v, exit);
        return true;
    case VCPU_EXIT_IO:
        return handle_io(v, exit);
    case VCPU_EXIT_MSR_READ:
    case VCPU_EXIT_MSR_WRITE:
        vcpu_handle_msr(v, exit, exit->reason == VCPU_EXIT_MSR_WRITE);
        return true;
    case VCPU_EXIT_HLT:
        return handle_hlt(v, exit);
    case VCPU_EXIT_NPF:
        return handle_npf(v, exit);
    case VCPU_EXIT_SHUTDOWN:
        vm_stop(v->vm, "shutdown: the guest triple-faulted");
        return false;
    case VCPU_EXIT_INTR:
    case VCPU_EXIT_NMI:
    case VCPU_EXIT_IRQ_WINDOW:
        return true; /* the host took its interrupt after the exit; pending IRQs go in next */
    case VCPU_EXIT_EXCEPTION:
        vcpu_inject_exception(v, exit->exception.vector, exit->exception.has_error, exit->exception.error);
        return true;
    case VCPU_EXIT_UD_INSN:
        if (log_ratelimit_allow(&ud_rl, v->exits, &suppressed))
            pr_debug("%s: %s: #UD (%u similar lines suppressed)\n", v->vm->name, exit->hw_name, suppressed);
        vcpu_inject_exception(v, X86_EXC_UD, false, 0);
        return true;
    case VCPU_EXIT_GP_INSN:
        vcpu_inject_exception(v, X86_EXC_GP, true, 0);
        return true;
    case VCPU_EXIT_SKIP_INSN:
        vcpu_skip_insn(v, exit);
        return true;
    case VCPU_EXIT_ENTRY_FAILED:
        report_entry_failure(v);
        vm_stop(v->vm, "the processor refused the guest state (%s)", exit->hw_name);
        return false;
    case VCPU_EXIT_UNKNOWN:
    case VCPU_EXIT_NR:
        break;
    }
    vm_stop(v->vm, "unhandled exit 0x%llx (%s)", (unsigned long long)exit->hw_code, exit->hw_name);
    return false;
}
