/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MMIO emulation: a nested page fault at a GPA that an emulated device claims is
 * completed in software. The instruction at CS:RIP is fetched through the guest's page
 * tables (guest_walk), decoded (insn_decode: the MOV family only), the access is
 * performed on the device callback, a load's register is written back with the
 * zero/sign-extension rules, and RIP moves past the instruction.
 *
 * Anything else (another instruction, bytes that cannot be fetched, an access that
 * leaves the device, a device error) stops THAT VM with one log line, e.g.
 *   vm0: unsupported instruction f0 01 03 at rip 0x101234 on MMIO 0xfee00300; stopping the VM
 * never the hypervisor.
 */
#ifndef NESTOR_VMM_MMIO_EMUL_H
#define NESTOR_VMM_MMIO_EMUL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmm/guest_walk.h"
#include "vmm/iodev.h"
#include "vmm/insn_decode.h"
#include "vmm/vcpu.h"

struct mmio_emul_env {
    const char *vm_name;               /* the subject of log lines: "vm0" */
    const struct iodev_bus *bus;
    struct guest_mem_reader mem;       /* guest-physical reads (instruction bytes, tables) */
};

enum mmio_emul_result { MMIO_EMUL_DONE, MMIO_EMUL_STOP };

/* The decoder's mode for the guest's current code segment. */
enum insn_mode mmio_emul_insn_mode(const struct vcpu_sregs *s);
/* The walker's view of the guest's paging registers. */
void mmio_emul_paging(const struct vcpu_sregs *s, uint64_t rflags, struct guest_paging *pg);

/*
 * Reads up to want bytes at CS:RIP through the guest's page tables; *got bytes were read.
 * The status of the first failure, or GUEST_WALK_OK.
 */
enum guest_walk_status mmio_emul_fetch(const struct mmio_emul_env *env, const struct vcpu_regs *r,
                                       const struct vcpu_sregs *s, uint8_t *buf, unsigned want, unsigned *got);

/*
 * Emulates the instruction at r->rip that faulted on gpa (exit_write: the fault was a
 * write). DONE: r holds the new registers (RIP advanced). STOP: the line was logged and
 * reason (a short form for vm_stop) filled in; r is unchanged.
 */
enum mmio_emul_result mmio_emul_access(const struct mmio_emul_env *env, struct vcpu_regs *r,
                                       const struct vcpu_sregs *s, uint64_t gpa, bool exit_write,
                                       char *reason, size_t reason_len);

/*
 * The NPF exit handler's entry for a GPA an MMIO device claims: false when the VM must
 * stop (the reason already recorded with vm_stop).
 */
bool mmio_emul_npf(struct vcpu *v, const struct vcpu_exit *exit);

#endif
