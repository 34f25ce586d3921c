// SPDX-License-Identifier: GPL-2.0-only
/* Back-end choice, exit names and the vendor-neutral run loop. */
#include "vmm/vcpu.h"

#include "kernel/cpu/irq.h"
#include "kernel/cpu/lapic.h"
#include "kernel/log.h"
#include "kernel/time.h"
#include "vmm/svm.h"
#include "vmm/vmx.h"
#include "vmm/vm.h"

static const char *const exit_reason_names[VCPU_EXIT_NR] = {
    [VCPU_EXIT_CPUID] = "cpuid",
    [VCPU_EXIT_IO] = "io",
    [VCPU_EXIT_MSR_READ] = "rdmsr",
    [VCPU_EXIT_MSR_WRITE] = "wrmsr",
    [VCPU_EXIT_HLT] = "hlt",
    [VCPU_EXIT_NPF] = "npf",
    [VCPU_EXIT_SHUTDOWN] = "shutdown",
    [VCPU_EXIT_INTR] = "intr",
    [VCPU_EXIT_NMI] = "nmi",
    [VCPU_EXIT_IRQ_WINDOW] = "irq-window",
    [VCPU_EXIT_EXCEPTION] = "exception",
    [VCPU_EXIT_UD_INSN] = "undefined-insn",
    [VCPU_EXIT_GP_INSN] = "gp-insn",
    [VCPU_EXIT_SKIP_INSN] = "noop-insn",
    [VCPU_EXIT_ENTRY_FAILED] = "entry-failed",
    [VCPU_EXIT_UNKNOWN] = "unknown",
};

const char *vcpu_exit_reason_name(enum vcpu_exit_reason r)
{
    return (unsigned)r < VCPU_EXIT_NR ? exit_reason_names[r] : "?";
}

const struct vcpu_ops *vcpu_backend_probe(void)
{
    const struct vcpu_ops *ops = svm_probe();

    if (!ops)
        ops = vmx_probe();
    if (!ops) {
        pr_info("vmm: no usable virtualisation back end: guests will not run\n");
        return NULL;
    }
    if (ops->cpu_init())
        return NULL;
    return ops;
}

/* An external interrupt from the vCPU's source goes in when the guest can take it. */
static void deliver_pending_irq(struct vcpu *v)
{
    int vector;

    if (!v->irq.pending_vector || (vector = v->irq.pending_vector(v->irq.ctx)) < 0)
        return;
    if (v->ops->irq_window_open(v)) {
        struct vcpu_event ev = { VCPU_EVENT_EXT_INT, (uint8_t)vector, false, 0 };

        if (!v->ops->inject_event(v, &ev))
            v->irq.ack(v->irq.ctx, vector);
    } else {
        v->ops->request_irq_window(v);
    }
}

/* The host timer's only job is to end the guest's run (an INTR exit); nothing to do here. */
static void guest_timer_kick(struct irq_frame *frame, void *ctx)
{
    (void)frame;
    (void)ctx;
}

/*
 * The guest runs at least this long between two timer kicks: a deadline already past (or
 * nearly) cannot make every entry end at once, so guest and host both make progress.
 */
#define GUEST_TIMER_KICK_MIN_US 20

/*
 * Arms the host LAPIC timer for the vCPU's next emulated timer event, so the guest is
 * interrupted (INTR exit) when it is due even if it runs without exits. Returns whether armed.
 */
static bool arm_guest_timer(struct vcpu *v)
{
    static int kick_vector = -1;
    uint64_t deadline_ns, now_ns, us;

    if (!v->irq.next_event_ns || !(deadline_ns = v->irq.next_event_ns(v->irq.ctx)))
        return false;
    if (kick_vector < 0 && (kick_vector = irq_alloc_vector(guest_timer_kick, NULL)) < 0)
        return false;
    now_ns = time_now_us() * 1000;
    us = deadline_ns > now_ns ? (deadline_ns - now_ns + 999) / 1000 : 0;
    if (us < GUEST_TIMER_KICK_MIN_US)
        us = GUEST_TIMER_KICK_MIN_US;
    return lapic_timer_oneshot(us, kick_vector) == 0;
}

void vcpu_run_loop(struct vcpu *v)
{
    struct vm *vm = v->vm;
    struct vcpu_exit exit;

    while (vm->running) {
        bool timer_armed;
        int err;

        deliver_pending_irq(v);
        timer_armed = arm_guest_timer(v);
        err = v->ops->vcpu_run(v, &exit);
        if (timer_armed)
            lapic_timer_stop();
        if (err) {
            vm_stop(vm, "vCPU %u could not enter the guest", v->index);
            return;
        }
        v->exits++;
        vm->exit_counts[exit.reason]++;
        if (!vcpu_handle_exit(v, &exit) && vm->running)
            vm_stop(vm, "exit %s not handled", exit.hw_name);
    }
}
