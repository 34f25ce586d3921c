// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMIO emulation end to end: instruction bytes in fake guest RAM, fetched through the
 * guest's paging, the access performed on a fake device, registers and RIP written back;
 * unsupported instructions stop the VM with the documented log line.
 */
#include "tests/unit/support.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kernel/errno.h"
#include "vmm/mmio_emul.h"
#include "vmm/vm.h"

#define RAM_BYTES (1u << 20)
#define DEV_BASE  0xFEE00000ULL

static uint8_t ram[RAM_BYTES];
static uint64_t dev_last_off, dev_last_val;
static unsigned dev_last_size, dev_writes;
static int dev_err;

static int dev_read(struct iodev *d, uint64_t off, unsigned size, uint64_t *v)
{
    dev_last_off = off, dev_last_size = size;
    *v = 0x8877665544332211ULL;
    return dev_err;
}

static int dev_write(struct iodev *d, uint64_t off, unsigned size, uint64_t v)
{
    dev_last_off = off, dev_last_size = size, dev_last_val = v;
    dev_writes++;
    return dev_err;
}

static const struct iodev_ops dev_ops = { dev_read, dev_write };
static const struct iodev_ops wo_ops = { NULL, NULL };

/* ---- the kernel functions mmio_emul_npf uses ---- */
static char stopped[VM_STOP_REASON_MAX];
void vm_stop(struct vm *vm, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(stopped, sizeof(stopped), fmt, ap);
    va_end(ap);
    vm->running = false;
}

int vm_read_gpa(struct vm *vm, uint64_t gpa, void *buf, size_t len)
{
    if (gpa >= RAM_BYTES || len > RAM_BYTES - gpa)
        return -EFAULT;
    memcpy(buf, ram + gpa, len);
    return 0;
}

static struct vcpu_regs vregs;
static struct vcpu_sregs vsregs;
static void get_regs(struct vcpu *v, struct vcpu_regs *r) { *r = vregs; }
static void set_regs(struct vcpu *v, const struct vcpu_regs *r) { vregs = *r; }
static void get_sregs(struct vcpu *v, struct vcpu_sregs *s) { *s = vsregs; }
static const struct vcpu_ops ops = { .name = "fake", .get_regs = get_regs, .set_regs = set_regs, .get_sregs = get_sregs };

static struct vm vm;
static struct vcpu vcpu;
static struct iodev dev = { "lapic", IODEV_MMIO, DEV_BASE, 0x1000, &dev_ops, NULL, NULL };
static struct iodev wo = { "nothing", IODEV_MMIO, DEV_BASE + 0x1000, 0x1000, &wo_ops, NULL, NULL };

static void flat32(void)
{
    memset(&vsregs, 0, sizeof(vsregs));
    vsregs.cr0 = X86_CR0_PE;
    vsregs.cs.db = true;
}

static int setup(void **state)
{
    memset(ram, 0x90, sizeof(ram));
    memset(&vm, 0, sizeof(vm));
    memset(&vregs, 0, sizeof(vregs));
    strcpy(vm.name, "vm0");
    vm.running = true;
    dev.next = wo.next = NULL;
    assert_int_equal(iodev_register(&vm.bus, &dev), 0);
    assert_int_equal(iodev_register(&vm.bus, &wo), 0);
    vcpu.vm = &vm;
    vcpu.ops = &ops;
    stopped[0] = '\0';
    dev_err = 0;
    dev_writes = 0;
    flat32();
    unit_log_reset();
    return 0;
}

static bool npf(uint64_t gpa, bool write)
{
    struct vcpu_exit e = { .reason = VCPU_EXIT_NPF };

    e.npf.gpa = gpa;
    e.npf.write = write;
    e.npf.present = false;
    return mmio_emul_npf(&vcpu, &e);
}

static void place(uint64_t gpa, const uint8_t *b, size_t n)
{
    memcpy(ram + gpa, b, n);
}

static void test_store_and_load_32bit(void **state)
{
    static const uint8_t st[] = { 0x89, 0x83, 0xB0, 0x00, 0x00, 0x00 };  /* mov %eax,0xb0(%ebx) */
    static const uint8_t ld[] = { 0x0F, 0xB6, 0x4B, 0x30 };              /* movzbl 0x30(%ebx),%ecx */

    place(0x1000, st, sizeof(st));
    vregs.rip = 0x1000, vregs.rax = 0x12345678, vregs.rbx = DEV_BASE;
    assert_true(npf(DEV_BASE + 0xB0, true));
    assert_int_equal(dev_last_off, 0xB0);
    assert_int_equal(dev_last_size, 4);
    assert_int_equal(dev_last_val, 0x12345678);
    assert_int_equal(vregs.rip, 0x1006);

    place(0x1006, ld, sizeof(ld));
    vregs.rcx = ~0ULL;
    assert_true(npf(DEV_BASE + 0x30, false));
    assert_int_equal(dev_last_size, 1);
    assert_int_equal(vregs.rcx, 0x11);
    assert_int_equal(vregs.rip, 0x100A);
    assert_true(vm.running);
}

static void test_every_register(void **state)
{
    /* mov (%rax),%reg for each of the 16 registers, 64-bit code */
    uint64_t *regs[16] = { &vregs.rax, &vregs.rcx, &vregs.rdx, &vregs.rbx, &vregs.rsp, &vregs.rbp, &vregs.rsi,
                           &vregs.rdi, &vregs.r8, &vregs.r9, &vregs.r10, &vregs.r11, &vregs.r12, &vregs.r13,
                           &vregs.r14, &vregs.r15 };

    vsregs.efer = GUEST_EFER_LMA;
    vsregs.cs.l = true;
    for (unsigned r = 0; r < 16; r++) {
        uint8_t b[3] = { (uint8_t)(0x48 | (r >> 3) << 2), 0x8B, (uint8_t)((r & 7) << 3 | 6) }; /* (%rsi) */

        memset(&vregs, 0, sizeof(vregs));
        vregs.rsi = DEV_BASE + 8;
        vregs.rip = 0x2000;
        place(0x2000, b, 3);
        if (r == 6)
            continue; /* rsi is the base */
        assert_true(npf(DEV_BASE + 8, false));
        assert_int_equal(*regs[r], 0x8877665544332211ULL);
        assert_int_equal(vregs.rip, 0x2003);
    }
}

static void test_paged_fetch(void **state)
{
    /* 32-bit paging: code at linear 0xC0001000 -> GPA 0x5000 */
    static const uint8_t st[] = { 0xC7, 0x05, 0x80, 0x03, 0xE0, 0xFE, 0x00, 0x10, 0x00, 0x00 }; /* movl $0x1000,0xfee00380 */
    uint32_t pde = 0x20000 | 1, pte = 0x5000 | 1;

    memcpy(ram + 0x10000 + (0xC00 >> 2) * 4, &pde, 4); /* PDE 0x300 */
    memcpy(ram + 0x20000 + 1 * 4, &pte, 4);
    place(0x5000, st, sizeof(st));
    vsregs.cr0 = X86_CR0_PE | X86_CR0_PG;
    vsregs.cr3 = 0x10000;
    vregs.rip = 0xC0001000;
    assert_true(npf(DEV_BASE + 0x380, true));
    assert_int_equal(dev_last_val, 0x1000);
    assert_int_equal(vregs.rip, 0xC000100A);
    /* the code page not present: the VM stops with the fetch failure */
    vregs.rip = 0xC0400000;
    assert_false(npf(DEV_BASE + 0x380, true));
    assert_true(unit_log_contains("vm0: cannot fetch the instruction at rip 0xc0400000 for MMIO 0xfee00380 (not present); stopping the VM"));
    assert_false(vm.running);
}

static void test_16bit_real_mode(void **state)
{
    static const uint8_t st[] = { 0x88, 0x27 }; /* mov %ah,(%bx) */

    memset(&vsregs, 0, sizeof(vsregs));
    vsregs.cs.base = 0x8000 << 4;
    place(0x80000 + 0xFFFF, st, 1);
    place(0x80000 + 0x10000, st + 1, 1); /* the IP wraps at 64 KiB, the linear address does not */
    vregs.rip = 0xFFFF;
    vregs.rax = 0xAB00;
    assert_true(npf(DEV_BASE, true));
    assert_int_equal(dev_last_val, 0xAB);
    assert_int_equal(dev_last_size, 1);
    assert_int_equal(vregs.rip, 0x0001);
}

static void test_unsupported_stops_vm(void **state)
{
    static const uint8_t bad[] = { 0xF0, 0x01, 0x03 }; /* lock add %eax,(%ebx) */

    place(0x3000, bad, sizeof(bad));
    vregs.rip = 0x3000;
    assert_false(npf(DEV_BASE + 0x300, true));
    assert_true(unit_log_contains("vm0: unsupported instruction f0 01 03 90 90"));
    assert_true(unit_log_contains("at rip 0x3000 on MMIO 0xfee00300; stopping the VM"));
    assert_non_null(strstr(stopped, "unsupported instruction at rip 0x3000 on MMIO 0xfee00300 (unsupported prefix)"));
    assert_false(vm.running);
    assert_int_equal(vregs.rip, 0x3000);
}

static void test_other_stops(void **state)
{
    static const uint8_t st[] = { 0x89, 0x03 };       /* mov %eax,(%ebx) */
    static const uint8_t ld8[] = { 0x48, 0x8B, 0x03 }; /* in 32-bit code: dec %eax; mov (%ebx),%eax */
    struct vcpu_exit e = { .reason = VCPU_EXIT_NPF };

    place(0x4000, st, sizeof(st));
    vregs.rip = 0x4000;
    /* the fault was a read but the instruction writes */
    assert_false(npf(DEV_BASE, false));
    assert_true(unit_log_contains("vm0: instruction 89 03 at rip 0x4000 writes but the MMIO 0xfee00000 fault was a read"));
    /* the access leaves the device */
    setup(state);
    place(0x4000, st, sizeof(st));
    vregs.rip = 0x4000;
    assert_false(npf(DEV_BASE + 0xFFE, true));
    assert_true(unit_log_contains("vm0: MMIO write of 4 bytes at 0xfee00ffe (rip 0x4000) is not within one device"));
    /* the device fails */
    setup(state);
    place(0x4000, st, sizeof(st));
    vregs.rip = 0x4000;
    dev_err = -EIO;
    assert_false(npf(DEV_BASE, true));
    assert_true(unit_log_contains("vm0: lapic: MMIO write of 4 bytes at 0xfee00000 (rip 0x4000) failed (-5)"));
    /* a device without callbacks */
    setup(state);
    place(0x4000, st, sizeof(st));
    vregs.rip = 0x4000;
    assert_false(npf(DEV_BASE + 0x1000, true));
    assert_true(unit_log_contains("nothing: MMIO write"));
    place(0x4100, (const uint8_t[]){ 0x8B, 0x03 }, 2);
    vregs.rip = 0x4100;
    assert_false(npf(DEV_BASE + 0x1000, false));
    /* 0x48 is DEC in 32-bit code: not emulated */
    setup(state);
    place(0x4200, ld8, sizeof(ld8));
    vregs.rip = 0x4200;
    assert_false(npf(DEV_BASE, false));
    assert_true(unit_log_contains("vm0: unsupported instruction 48 8b 03"));
    /* fetches from and page walks through MMIO */
    setup(state);
    e.npf.gpa = DEV_BASE;
    e.npf.fetch = true;
    assert_false(mmio_emul_npf(&vcpu, &e));
    assert_true(unit_log_contains("vm0: guest executes from MMIO 0xfee00000"));
    e.npf.fetch = false;
    e.npf.in_guest_walk = true;
    assert_false(mmio_emul_npf(&vcpu, &e));
    assert_true(unit_log_contains("keeps page tables in MMIO"));
    /* RIP at the end of RAM: nothing can be fetched */
    setup(state);
    vregs.rip = RAM_BYTES;
    assert_false(npf(DEV_BASE, false));
    assert_true(unit_log_contains("cannot fetch the instruction"));
}

static void test_modes(void **state)
{
    struct vcpu_sregs s = { 0 };
    struct guest_paging pg;

    assert_int_equal(mmio_emul_insn_mode(&s), INSN_MODE_16);
    s.cs.db = true;
    assert_int_equal(mmio_emul_insn_mode(&s), INSN_MODE_16); /* real mode ignores D */
    s.cr0 = X86_CR0_PE;
    assert_int_equal(mmio_emul_insn_mode(&s), INSN_MODE_32);
    s.efer = GUEST_EFER_LMA;
    s.cs.l = true;
    assert_int_equal(mmio_emul_insn_mode(&s), INSN_MODE_64);
    s.cs.l = false;
    assert_int_equal(mmio_emul_insn_mode(&s), INSN_MODE_32); /* compatibility mode */
    mmio_emul_paging(&s, 1ULL << 18, &pg);
    assert_true(pg.rflags_ac);
    assert_int_equal(pg.efer, GUEST_EFER_LMA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_store_and_load_32bit, setup),
        cmocka_unit_test_setup(test_every_register, setup),
        cmocka_unit_test_setup(test_paged_fetch, setup),
        cmocka_unit_test_setup(test_16bit_real_mode, setup),
        cmocka_unit_test_setup(test_unsupported_stops_vm, setup),
        cmocka_unit_test_setup(test_other_stops, setup),
        cmocka_unit_test(test_modes),
    };

    return UNIT_RUN(tests);
}
