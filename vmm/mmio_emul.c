// SPDX-License-Identifier: GPL-2.0-only
/* MMIO instruction emulation (see mmio_emul.h). */
#include "vmm/mmio_emul.h"

#include "kernel/errno.h"
#include "kernel/log.h"
#include "lib/fmt.h"
#include "lib/kstring.h"
#include "vmm/vm.h"

#define RFLAGS_AC (1ULL << 18)

/* struct vcpu_regs <-> the encoding's register numbers (insn_decode.h). */
static void regs_to_gprs(const struct vcpu_regs *r, uint64_t g[INSN_NR_GPRS])
{
    const uint64_t v[INSN_NR_GPRS] = { r->rax, r->rcx, r->rdx, r->rbx, r->rsp, r->rbp, r->rsi, r->rdi,
                                       r->r8, r->r9, r->r10, r->r11, r->r12, r->r13, r->r14, r->r15 };

    memcpy(g, v, sizeof(v));
}

static void gprs_to_regs(const uint64_t g[INSN_NR_GPRS], struct vcpu_regs *r)
{
    r->rax = g[0], r->rcx = g[1], r->rdx = g[2], r->rbx = g[3];
    r->rsp = g[4], r->rbp = g[5], r->rsi = g[6], r->rdi = g[7];
    r->r8 = g[8], r->r9 = g[9], r->r10 = g[10], r->r11 = g[11];
    r->r12 = g[12], r->r13 = g[13], r->r14 = g[14], r->r15 = g[15];
}

enum insn_mode mmio_emul_insn_mode(const struct vcpu_sregs *s)
{
    if ((s->efer & GUEST_EFER_LMA) && s->cs.l)
        return INSN_MODE_64;
    if ((s->cr0 & X86_CR0_PE) && s->cs.db)
        return INSN_MODE_32;
    return INSN_MODE_16;
}

void mmio_emul_paging(const struct vcpu_sregs *s, uint64_t rflags, struct guest_paging *pg)
{
    memset(pg, 0, sizeof(*pg));
    pg->cr0 = s->cr0;
    pg->cr3 = s->cr3;
    pg->cr4 = s->cr4;
    pg->efer = s->efer;
    pg->rflags_ac = rflags & RFLAGS_AC;
}

/* The linear address of CS:RIP (SDM vol. 3 3.4: the CS base is ignored in 64-bit code). */
static uint64_t rip_linear(const struct vcpu_regs *r, const struct vcpu_sregs *s, enum insn_mode mode)
{
    if (mode == INSN_MODE_64)
        return r->rip;
    return (s->cs.base + (mode == INSN_MODE_32 ? (uint32_t)r->rip : (uint16_t)r->rip)) & 0xFFFFFFFFULL;
}

enum guest_walk_status mmio_emul_fetch(const struct mmio_emul_env *env, const struct vcpu_regs *r,
                                       const struct vcpu_sregs *s, uint8_t *buf, unsigned want, unsigned *got)
{
    struct guest_paging pg;
    unsigned access = GUEST_ACCESS_FETCH | (s->ss.dpl == 3 ? GUEST_ACCESS_USER : 0);

    mmio_emul_paging(s, r->rflags, &pg);
    return guest_read_linear(&pg, &env->mem, rip_linear(r, s, mmio_emul_insn_mode(s)), buf, want, access,
                             got, NULL);
}

static void format_bytes(const uint8_t *b, unsigned n, char *out, size_t len)
{
    size_t at = 0;

    out[0] = '\0';
    for (unsigned i = 0; i < n && at < len; i++)
        at += (size_t)fmt_snprintf(out + at, len - at, i ? " %02x" : "%02x", b[i]);
    if (!n)
        fmt_snprintf(out, len, "(none)");
}

static uint64_t next_rip(const struct vcpu_regs *r, enum insn_mode mode, unsigned len)
{
    uint64_t rip = r->rip + len;

    if (mode == INSN_MODE_32)
        return rip & 0xFFFFFFFFULL;
    if (mode == INSN_MODE_16)
        return rip & 0xFFFFULL;
    return rip;
}

enum mmio_emul_result mmio_emul_access(const struct mmio_emul_env *env, struct vcpu_regs *r,
                                       const struct vcpu_sregs *s, uint64_t gpa, bool exit_write,
                                       char *reason, size_t reason_len)
{
    enum insn_mode mode = mmio_emul_insn_mode(s);
    uint8_t bytes[INSN_MAX_BYTES];
    char hex[3 * INSN_MAX_BYTES + 8];
    unsigned got = 0;
    enum guest_walk_status ws;
    enum insn_status is;
    struct insn in;
    struct iodev *dev;
    uint64_t gprs[INSN_NR_GPRS], value = 0;
    int err;

    ws = mmio_emul_fetch(env, r, s, bytes, sizeof(bytes), &got);
    is = insn_decode(bytes, got, mode, &in);
    format_bytes(bytes, got, hex, sizeof(hex));
    if (is != INSN_OK) {
        if (is == INSN_TRUNCATED && ws != GUEST_WALK_OK) {
            pr_err("%s: cannot fetch the instruction at rip 0x%llx for MMIO 0x%llx (%s); stopping the VM\n",
                   env->vm_name, (unsigned long long)r->rip, (unsigned long long)gpa, guest_walk_status_str(ws));
            fmt_snprintf(reason, reason_len, "instruction fetch failed at rip 0x%llx on MMIO 0x%llx",
                         (unsigned long long)r->rip, (unsigned long long)gpa);
            return MMIO_EMUL_STOP;
        }
        pr_err("%s: unsupported instruction %s at rip 0x%llx on MMIO 0x%llx; stopping the VM\n",
               env->vm_name, hex, (unsigned long long)r->rip, (unsigned long long)gpa);
        fmt_snprintf(reason, reason_len, "unsupported instruction at rip 0x%llx on MMIO 0x%llx (%s)",
                     (unsigned long long)r->rip, (unsigned long long)gpa, insn_status_str(is));
        return MMIO_EMUL_STOP;
    }
    format_bytes(bytes, in.len, hex, sizeof(hex));
    if (exit_write != (in.dir == INSN_STORE)) {
        pr_err("%s: instruction %s at rip 0x%llx %s but the MMIO 0x%llx fault was a %s; stopping the VM\n",
               env->vm_name, hex, (unsigned long long)r->rip, in.dir == INSN_STORE ? "writes" : "reads",
               (unsigned long long)gpa, exit_write ? "write" : "read");
        fmt_snprintf(reason, reason_len, "MMIO instruction at rip 0x%llx does not match the fault",
                     (unsigned long long)r->rip);
        return MMIO_EMUL_STOP;
    }
    dev = iodev_find(env->bus, IODEV_MMIO, gpa, in.mem_bytes);
    if (!dev) {
        pr_err("%s: MMIO %s of %u bytes at 0x%llx (rip 0x%llx) is not within one device; stopping the VM\n",
               env->vm_name, in.dir == INSN_STORE ? "write" : "read", in.mem_bytes, (unsigned long long)gpa,
               (unsigned long long)r->rip);
        fmt_snprintf(reason, reason_len, "MMIO access at 0x%llx crosses a device boundary",
                     (unsigned long long)gpa);
        return MMIO_EMUL_STOP;
    }

    regs_to_gprs(r, gprs);
    if (in.dir == INSN_STORE)
        err = dev->ops->write ? dev->ops->write(dev, gpa - dev->base, in.mem_bytes, insn_store_value(&in, gprs))
                              : -ENOENT;
    else
        err = dev->ops->read ? dev->ops->read(dev, gpa - dev->base, in.mem_bytes, &value) : -ENOENT;
    if (err) {
        pr_err("%s: %s: MMIO %s of %u bytes at 0x%llx (rip 0x%llx) failed (%d); stopping the VM\n",
               env->vm_name, dev->name, in.dir == INSN_STORE ? "write" : "read", in.mem_bytes,
               (unsigned long long)gpa, (unsigned long long)r->rip, err);
        fmt_snprintf(reason, reason_len, "%s: MMIO access at 0x%llx failed", dev->name, (unsigned long long)gpa);
        return MMIO_EMUL_STOP;
    }
    if (in.dir == INSN_LOAD) {
        insn_load_writeback(&in, gprs, value);
        gprs_to_regs(gprs, r);
    }
    r->rip = next_rip(r, mode, in.len);
    return MMIO_EMUL_DONE;
}

static int vm_mem_read(void *ctx, uint64_t gpa, void *buf, size_t len)
{
    return vm_read_gpa(ctx, gpa, buf, len);
}

bool mmio_emul_npf(struct vcpu *v, const struct vcpu_exit *exit)
{
    struct mmio_emul_env env = { v->vm->name, &v->vm->bus, { vm_mem_read, v->vm } };
    struct vcpu_regs r;
    struct vcpu_sregs s;
    char reason[VM_STOP_REASON_MAX];

    v->ops->get_regs(v, &r);
    v->ops->get_sregs(v, &s);
    if (exit->npf.in_guest_walk || exit->npf.fetch) {
        pr_err("%s: guest %s MMIO 0x%llx at rip 0x%llx; stopping the VM\n", v->vm->name,
               exit->npf.fetch ? "executes from" : "keeps page tables in", (unsigned long long)exit->npf.gpa,
               (unsigned long long)r.rip);
        vm_stop(v->vm, "%s on MMIO 0x%llx", exit->npf.fetch ? "instruction fetch" : "page walk",
                (unsigned long long)exit->npf.gpa);
        return false;
    }
    if (mmio_emul_access(&env, &r, &s, exit->npf.gpa, exit->npf.write, reason, sizeof(reason)) != MMIO_EMUL_DONE) {
        vm_stop(v->vm, "%s", reason);
        return false;
    }
    v->ops->set_regs(v, &r);
    return true;
}
