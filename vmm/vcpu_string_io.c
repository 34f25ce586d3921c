// SPDX-License-Identifier: GPL-2.0-only
/*
 * INS/OUTS exits: the address size and segment come from the instruction's prefixes
 * (fetched at CS:RIP through the guest's page tables; SVM without decode assists does not
 * report the segment), the element moves through string_io_run on the VM's port bus and
 * guest RAM, and a fault becomes the guest's #PF (with CR2) or #GP.
 */
#include "kernel/errno.h"
#include "kernel/log.h"
#include "vmm/iodev.h"
#include "vmm/mmio_emul.h"
#include "vmm/string_io.h"
#include "vmm/vcpu.h"
#include "vmm/vm.h"

#define X86_MAX_INSN_BYTES 15

static uint32_t bus_in(void *ctx, uint16_t port, unsigned size)
{
    struct vm *vm = ctx;
    uint64_t value;

    if (iodev_read(&vm->bus, IODEV_PIO, port, size, &value))
        value = ~0ULL; /* unclaimed ports float high */
    return (uint32_t)value;
}

static bool bus_out(void *ctx, uint16_t port, unsigned size, uint32_t value)
{
    struct vm *vm = ctx;

    iodev_write(&vm->bus, IODEV_PIO, port, size, value);
    return vm->running;
}

static int ram_read(void *ctx, uint64_t gpa, void *buf, size_t len)
{
    return vm_read_gpa(ctx, gpa, buf, len);
}

static int ram_write(void *ctx, uint64_t gpa, const void *buf, size_t len)
{
    return vm_write_gpa(ctx, gpa, buf, len);
}

static uint64_t segment_base(const struct vcpu_sregs *s, enum string_io_seg seg, bool long_mode)
{
    switch (seg) {
    case STRING_IO_FS: return s->fs.base;
    case STRING_IO_GS: return s->gs.base;
    default: break;
    }
    if (long_mode)
        return 0; /* SDM vol. 3 3.4.4: ES, CS, SS and DS are flat in 64-bit code */
    switch (seg) {
    case STRING_IO_ES: return s->es.base;
    case STRING_IO_CS: return s->cs.base;
    case STRING_IO_SS: return s->ss.base;
    default: return s->ds.base;
    }
}

bool vcpu_handle_string_io(struct vcpu *v, const struct vcpu_exit *exit)
{
    struct mmio_emul_env fetch_env = { v->vm->name, &v->vm->bus, { ram_read, v->vm } };
    struct string_io_env env = { .port_in = bus_in, .port_out = bus_out, .mem_read = ram_read,
                                 .mem_write = ram_write, .ctx = v->vm };
    struct string_io_access a = { .port = exit->io.port, .size = exit->io.size, .in = exit->io.in,
                                  .rep = exit->io.rep, .next_rip = exit->io.next_rip };
    struct string_io_result res;
    struct vcpu_regs r;
    struct vcpu_sregs s;
    uint8_t bytes[X86_MAX_INSN_BYTES];
    unsigned got = 0, addr_size;
    enum string_io_seg seg;
    enum insn_mode mode;

    v->ops->get_regs(v, &r);
    v->ops->get_sregs(v, &s);
    mode = mmio_emul_insn_mode(&s);
    mmio_emul_fetch(&fetch_env, &r, &s, bytes, sizeof(bytes), &got);
    if (!string_io_decode_prefixes(bytes, got, mode == INSN_MODE_16 ? 2 : 4, mode == INSN_MODE_64, &addr_size,
                                   &seg)) {
        pr_err("%s: string port I/O exit on port 0x%x but no INS/OUTS at rip 0x%llx (%u bytes read); stopping the VM\n",
               v->vm->name, exit->io.port, (unsigned long long)r.rip, got);
        vm_stop(v->vm, "string port I/O: no INS/OUTS at rip 0x%llx", (unsigned long long)r.rip);
        return false;
    }
    a.addr_size = (uint8_t)addr_size;
    a.seg_base = segment_base(&s, a.in ? STRING_IO_ES : seg, mode == INSN_MODE_64);
    mmio_emul_paging(&s, r.rflags, &env.paging);
    env.user = s.ss.dpl == 3;
    string_io_run(&env, &a, &r, &res);
    switch (res.status) {
    case STRING_IO_DONE:
        v->ops->set_regs(v, &r);
        return true;
    case STRING_IO_FAULT:
        v->ops->set_regs(v, &r);
        if (res.vector == STRING_IO_EXC_PF) {
            s.cr2 = res.cr2;
            v->ops->set_sregs(v, &s);
        }
        vcpu_inject_exception(v, res.vector, true, res.error);
        return true;
    case STRING_IO_STOP:
        break;
    }
    v->ops->set_regs(v, &r);
    if (v->vm->running) {
        pr_err("%s: %s at rip 0x%llx; stopping the VM\n", v->vm->name, res.reason, (unsigned long long)r.rip);
        vm_stop(v->vm, "%s", res.reason);
    }
    return false;
}
