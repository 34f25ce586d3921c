// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmio_emul_access with random guest state: registers, segments, paging registers, the
 * faulting GPA (near two emulated devices) and its direction, and guest memory holding
 * the instruction and page tables (aliased every len bytes below 1 TiB). Devices fail
 * on request. Checked: the device sees only accesses within its range; a completed
 * access moves RIP forward by at most 15 bytes (modulo the mode's width).
 */
#include <stdarg.h>
#include <string.h>

#include "kernel/errno.h"
#include "tests/fuzz/fuzz_support.h"
#include "vmm/mmio_emul.h"
#include "vmm/vm.h"

/* mmio_emul_npf (not fuzzed here) needs these two. */
void vm_stop(struct vm *vm, const char *fmt, ...) { vm->running = false; }
int vm_read_gpa(struct vm *vm, uint64_t gpa, void *buf, size_t len) { return -EFAULT; }

static const uint8_t *mem_p;
static size_t mem_len;
static int dev_err;

static int fake_read(void *ctx, uint64_t gpa, void *buf, size_t len)
{
    uint8_t *out = buf;

    if (!mem_len || gpa >> 40 || len > 64)
        return -EFAULT;
    for (size_t i = 0; i < len; i++)
        out[i] = mem_p[(gpa + i) % mem_len];
    return 0;
}

static void dev_check(struct iodev *d, uint64_t off, unsigned size)
{
    FUZZ_CHECK(size == 1 || size == 2 || size == 4 || size == 8);
    FUZZ_CHECK(off < d->len && size <= d->len - off);
}

static int dev_read(struct iodev *d, uint64_t off, unsigned size, uint64_t *v)
{
    dev_check(d, off, size);
    *v = 0x8877665544332211ULL;
    return dev_err;
}

static int dev_write(struct iodev *d, uint64_t off, unsigned size, uint64_t v)
{
    dev_check(d, off, size);
    return dev_err;
}

static const struct iodev_ops dev_ops = { dev_read, dev_write };
static const struct iodev_ops none_ops = { NULL, NULL };

static void take_seg(struct fuzz_input *in, struct vcpu_segment *s)
{
    uint8_t f = (uint8_t)fuzz_take(in, 1);

    memset(s, 0, sizeof(*s));
    s->base = fuzz_take(in, 4);
    s->l = f & 1, s->db = f & 2, s->dpl = (f >> 2) & 3, s->present = true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct iodev dev = { "dev", IODEV_MMIO, 0xFEE00000ULL, 0x1000, &dev_ops, NULL, NULL };
    static struct iodev none = { "none", IODEV_MMIO, 0xFEE01000ULL, 0x10, &none_ops, NULL, NULL };
    static struct iodev_bus bus;
    static bool registered;
    struct fuzz_input in = { data, size };
    struct mmio_emul_env env = { "fuzz", &bus, { fake_read, NULL } };
    struct vcpu_regs r, before;
    struct vcpu_sregs s;
    uint64_t gpa, step;
    bool write;
    char reason[VM_STOP_REASON_MAX];
    uint64_t *gpr = &r.rax;

    fuzz_log_quiet();
    if (!registered) {
        FUZZ_CHECK(iodev_register(&bus, &dev) == 0 && iodev_register(&bus, &none) == 0);
        registered = true;
    }
    memset(&r, 0, sizeof(r));
    memset(&s, 0, sizeof(s));
    for (unsigned i = 0; i < 16; i++)
        gpr[i] = fuzz_take(&in, 1) & 0x80 ? fuzz_take(&in, 8) : 0;
    r.rip = fuzz_take(&in, 8);
    r.rflags = fuzz_take(&in, 4);
    take_seg(&in, &s.cs);
    take_seg(&in, &s.ss);
    s.cr0 = fuzz_take(&in, 4);
    s.cr3 = fuzz_take(&in, 8);
    s.cr4 = fuzz_take(&in, 4);
    s.efer = fuzz_take(&in, 2);
    gpa = 0xFEE00000ULL + fuzz_take(&in, 2) % 0x1100 - 8;
    write = fuzz_take(&in, 1) & 1;
    dev_err = fuzz_take(&in, 1) == 0xEE ? -EIO : 0;
    mem_p = in.p;
    mem_len = in.left;

    before = r;
    if (mmio_emul_access(&env, &r, &s, gpa, write, reason, sizeof(reason)) == MMIO_EMUL_DONE) {
        step = r.rip - before.rip;
        FUZZ_CHECK((step & 0xFFFF) >= 1 && (step & 0xFFFF) <= INSN_MAX_BYTES);
    } else {
        FUZZ_CHECK(!memcmp(&r, &before, sizeof(r)));
        FUZZ_CHECK(memchr(reason, '\0', sizeof(reason)) != NULL);
    }
    return 0;
}
