// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest instructions at exits. Without NRIP-save (QEMU TCG) the hypervisor finds the
 * length itself: the exit names the opcode, and the bytes at CS:RIP tell how many
 * prefixes precede it. Bytes are read while the guest does not page (linear = physical);
 * a paging guest gets the prefix-free length until the guest page-table walker exists.
 */
#include "kernel/arch/x86.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "lib/kstring.h"
#include "vmm/vcpu.h"
#include "vmm/vm.h"

#define X86_MAX_INSN_BYTES 15

/* Lines a guest can cause: at most 10 per 1000 exits over all vCPUs (the exit count is the clock). */
static struct log_ratelimit guest_log_rl = { .interval = 1000, .burst = 10 };

static bool long_mode_code(const struct vcpu_sregs *s)
{
    return (s->efer & EFER_LMA) && s->cs.l;
}

int vcpu_read_insn_bytes(struct vcpu *v, uint8_t *buf, unsigned len)
{
    struct vcpu_sregs s;
    struct vcpu_regs r;
    uint64_t linear;

    v->ops->get_sregs(v, &s);
    v->ops->get_regs(v, &r);
    if (s.cr0 & X86_CR0_PG)
        return -ENOTSUP;
    linear = (s.cs.base + (uint32_t)r.rip) & 0xFFFFFFFFULL;
    return vm_read_gpa(v->vm, linear, buf, len);
}

static bool is_legacy_prefix(uint8_t b)
{
    switch (b) {
    case 0x26: case 0x2E: case 0x36: case 0x3E: case 0x64: case 0x65:
    case 0x66: case 0x67: case 0xF0: case 0xF2: case 0xF3:
        return true;
    default:
        return false;
    }
}

/* The instruction's length: prefixes (and REX in 64-bit code) plus the opcode. */
static unsigned insn_length(struct vcpu *v, const struct vcpu_exit *exit, const struct vcpu_sregs *s)
{
    uint8_t b[X86_MAX_INSN_BYTES];
    unsigned n = 0, oplen = exit->insn.opcode_len;
    uint32_t suppressed;

    if (vcpu_read_insn_bytes(v, b, sizeof(b)) &&
        vcpu_read_insn_bytes(v, b, oplen)) /* near the end of RAM: at least the opcode */
        return oplen;
    while (n < X86_MAX_INSN_BYTES - oplen && is_legacy_prefix(b[n]))
        n++;
    if (long_mode_code(s) && n < X86_MAX_INSN_BYTES - oplen && (b[n] & 0xF0) == 0x40)
        n++;
    if (n + oplen > sizeof(b) || memcmp(b + n, exit->insn.opcode, oplen)) {
        if (log_ratelimit_allow(&guest_log_rl, v->exits, &suppressed))
            pr_debug("%s: %s exit but opcode bytes differ at CS:RIP; assuming %u bytes (%u similar lines "
                     "suppressed)\n", v->vm->name, exit->hw_name, oplen, suppressed);
        return oplen;
    }
    return n + oplen;
}

void vcpu_skip_insn(struct vcpu *v, const struct vcpu_exit *exit)
{
    struct vcpu_regs r;
    struct vcpu_sregs s;

    v->ops->get_regs(v, &r);
    if (exit->reason == VCPU_EXIT_IO) {
        r.rip = exit->io.next_rip;
    } else {
        v->ops->get_sregs(v, &s);
        r.rip += exit->insn_len ? exit->insn_len : insn_length(v, exit, &s);
        if (!long_mode_code(&s))
            r.rip &= s.cs.db ? 0xFFFFFFFFULL : 0xFFFFULL;
    }
    v->ops->set_regs(v, &r);
}

void vcpu_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error)
{
    struct vcpu_event ev = { VCPU_EVENT_EXCEPTION, vector, has_error, error };

    uint32_t suppressed;

    if (v->ops->inject_event(v, &ev) && log_ratelimit_allow(&guest_log_rl, v->exits, &suppressed))
        pr_debug("%s: exception %u not injected: another event is pending (%u similar lines suppressed)\n",
                 v->vm->name, vector, suppressed);
}
