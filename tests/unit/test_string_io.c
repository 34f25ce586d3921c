// SPDX-License-Identifier: GPL-2.0-only
/*
 * String port I/O: INS/OUTS elements between a fake port and fake guest RAM, forwards and
 * backwards, REP counts at every address size, pages crossed and missing (#PF with its
 * error code and CR2), RAM left (the VM stops), the per-exit iteration bound, and the
 * prefix decoding of the address size and segment.
 */
#include "tests/unit/support.h"

#include <string.h>

#include "kernel/errno.h"
#include "vmm/string_io.h"

#define RAM_BYTES (1u << 20)
#define NEXT_RIP  0x1234

static uint8_t ram[RAM_BYTES];
static uint8_t port_log[16384];
static unsigned port_log_len, port_ins, out_stop_after;
static uint16_t last_port;
static unsigned last_size;

static uint32_t port_in(void *ctx, uint16_t port, unsigned size)
{
    last_port = port, last_size = size;
    port_ins++;
    return 0xA1B2C3D4u + port_ins - 1;
}

static bool port_out(void *ctx, uint16_t port, unsigned size, uint32_t value)
{
    last_port = port, last_size = size;
    for (unsigned i = 0; i < size && port_log_len < sizeof(port_log); i++)
        port_log[port_log_len++] = (uint8_t)(value >> (8 * i));
    return !out_stop_after || port_log_len < out_stop_after;
}

static int mem_read(void *ctx, uint64_t gpa, void *buf, size_t len)
{
    if (gpa >= RAM_BYTES || len > RAM_BYTES - gpa)
        return -EFAULT;
    memcpy(buf, ram + gpa, len);
    return 0;
}

static int mem_write(void *ctx, uint64_t gpa, const void *buf, size_t len)
{
    if (gpa >= RAM_BYTES || len > RAM_BYTES - gpa)
        return -EFAULT;
    memcpy(ram + gpa, buf, len);
    return 0;
}

static struct string_io_env env;
static struct vcpu_regs regs;
static struct string_io_result res;

static int setup(void **state)
{
    memset(ram, 0, sizeof(ram));
    memset(port_log, 0, sizeof(port_log));
    port_log_len = port_ins = out_stop_after = 0;
    env = (struct string_io_env){ .paging = { .cr0 = 1 }, .port_in = port_in, .port_out = port_out,
                                  .mem_read = mem_read, .mem_write = mem_write };
    memset(&regs, 0, sizeof(regs));
    regs.rip = 0x1000;
    return 0;
}

static struct string_io_access outs(uint8_t size, bool rep, uint8_t addr_size, uint64_t base)
{
    return (struct string_io_access){ .port = 0x3F8, .size = size, .rep = rep, .addr_size = addr_size,
                                      .seg_base = base, .next_rip = NEXT_RIP };
}

static struct string_io_access ins(uint8_t size, bool rep, uint8_t addr_size, uint64_t base)
{
    struct string_io_access a = outs(size, rep, addr_size, base);

    a.in = true;
    return a;
}

/* 32-bit paging at CR3 0x10000: linear 0x400000 -> GPA 0x30000, 0x401000 -> 0x50000, 0x402000 absent. */
static void paging_32bit(bool second_writable)
{
    uint32_t pde = 0x20000 | 3, pte0 = 0x30000 | 3, pte1 = 0x50000 | 1 | (second_writable ? 2 : 0);

    memcpy(ram + 0x10000 + 1 * 4, &pde, 4);
    memcpy(ram + 0x20000 + 0 * 4, &pte0, 4);
    memcpy(ram + 0x20000 + 1 * 4, &pte1, 4);
    env.paging.cr0 = GUEST_CR0_PG | GUEST_CR0_WP | 1;
    env.paging.cr3 = 0x10000;
}

static void test_outs_forward(void **state)
{
    struct string_io_access a = outs(1, false, 4, 0x100);

    memcpy(ram + 0x2100, "hello", 5);
    regs.rsi = 0x2000;
    regs.rcx = 77;
    string_io_run(&env, &a, &regs, &res);
    assert_int_equal(res.status, STRING_IO_DONE);
    assert_int_equal(port_log_len, 1);
    assert_int_equal(port_log[0], 'h');
    assert_int_equal(last_port, 0x3F8);
    assert_int_equal(regs.rsi, 0x2001);
    assert_int_equal(regs.rcx, 77); /* no REP: RCX untouched */
    assert_int_equal(regs.rip, NEXT_RIP);

    a = outs(1, true, 4, 0x100);
    regs.rcx = 4;
    string_io_run(&env, &a, &regs, &res);
    assert_int_equal(res.status, STRING_IO_DONE);
    assert_int_equal(res.done, 4);
    assert_memory_equal(port_log, "hello", 5);
    assert_int_equal(regs.rsi, 0x2005);
    assert_int_equal(regs.rcx, 0);

    a = outs(4, true, 4, 0);
    regs.rsi = 0x2100;
    regs.rcx = 1;
    port_log_len = 0;
    string_io_run(&env, &a, &regs, &res);
    assert_int_equal(last_size, 4);
    assert_memory_equal(port_log, "hell", 4);
    assert_int_equal(regs.rsi, 0x2104);
}

static void test_backward(void **state)
{
    struct string_io_access a = outs(2, true, 4, 0);

    memcpy(ram + 0x3000, "abcdef", 6);
    regs.rflags = 1ULL << 10; /* DF */
    regs.rsi = 0x3004;
    regs.rcx = 3;
    string_io_run(&env, &a, &regs, &res);
    assert_int_equal(res.status, STRING_IO_DONE);
    assert_memory_equal(port_log, "efcdab", 6);
    assert_int_equal(regs.rsi, 0x2FFE);
    assert_int_equal(regs.rcx, 0);
    assert_int_equal(regs.rip, NEXT_RIP);

    a = ins(1, true, 4, 0);
    regs.rdi = 0x4002;
    regs.rcx = 3;
    string_io_run(&env, &a, &regs, &res);
    assert_int_equal(ram[0x4002], 0xD4);
    assert_int_equal(ram[0x4001], 0xD5);
    assert_int_equal(ram[0x4000], 0xD6);
    assert_int_equal(regs.rdi, 0x3FFF);
}

static void test_ins_and_rcx_zero(void **state)
{
    struct string_io_access a = ins(4, true, 4, 0x10);
    uint32_t v;

    regs.rdi = 0x5000;
    regs.rcx = 0;
    regs.rsi = 0x99;
    string_io_run(&env, &a, &regs, &res);
    assert_int_equal(res.status, STRING_IO_DONE);
    assert_int_equal(res.done, 0);
    assert_int_equal(port_ins, 0);
    assert_int_equal(regs.rdi, 0x5000);
    assert_int_equal(regs.rip, NEXT_RIP);

    regs.rcx = 2;
    string_io_run(&env, &a, &regs, &res);
    memcpy(&v, ram + 0x5010, 4);
    assert_int_equal(v, 0xA1B2C3D4u);
    memcpy(&v, ram + 0x5014, 4);
    assert_int_equal(v, 0xA1B2C3D5u);
    assert_int_equal(regs.rdi, 0x5008);
    assert_int_equal(regs.rsi, 0x99);
    assert_int_equal(port_ins, 2);

    /* an REP with RCX 0 only at the address size: bits above it do not count */
    a = ins(1, true, 2, 0);
    regs.rcx = 0x7770000;
    string_io_run(&env, &a, &regs, &res);
    assert_int_equal(res.done, 0);
    assert_int_equal(regs.rcx, 0x7770000);
}

static void test_16bit_wrap(void **state)
{
    struct string_io_access a = outs(1, true, 2, 0x8000);

    ram[0x8000 + 0xFFFF] = 'x';
    ram[0x8000] = 'y';
    regs.rsi = 0x12340000FFFFULL;
    regs.rcx = 0xABCD0002;
    string_io_run(&env, &a, &regs, &res);
    assert_int_equal(res.status, STRING_IO_DONE);
    assert_memory_equal(port_log, "xy", 2);
    assert_int_equal(regs.rsi, 0x123400000001ULL); /* bits 63:16 kept */
    assert_int_equal(regs.rcx, 0xABCD0000);
    assert_int_equal(regs.rip, NEXT_RIP);
}

static void test_32bit_wrap(void **state)
{
    struct string_io_access a = ins(1, true, 4, 0x1000);

    regs.rdi = 0xFFFFFFFF;
    regs.rcx = 0x100000002ULL; /* ECX = 2 */
    string_io_run(&env, &a, &regs, &res);
    assert_int_equal(res.status, STRING_IO_DONE);
    assert_int_equal(ram[0xFFF], 0xD4); /* 0x1000 + 0xFFFFFFFF wraps at 4 GiB */
    assert_int_equal(ram[0x1000], 0xD5);
    assert_int_equal(regs.rdi, 1);
    assert_int_equal(regs.rcx, 0); /* a 32-bit update clears 63:32 */
}

static void test_page_crossing(void **state)
{
    struct string_io_access a = outs(4, true, 4, 0);
    uint32_t v;

    paging_32bit(true);
    memcpy(ram + 0x30FFC, "ABEF", 4);
    memcpy(ram + 0x50000, "GHIJ", 4);
    regs.rsi = 0x400FFC;
    regs.rcx = 3;
    string_io_run(&env, &a, &regs, &res);
    assert_int_equal(res.status, STRING_IO_DONE);
    assert_memory_equal(port_log, "ABEFGHIJ", 8);
    assert_int_equal(regs.rsi, 0x401008);

    a = ins(4, false, 4, 0);
    regs.rdi = 0x400FFE;
    string_io_run(&env, &a, &regs, &res);
    assert_int_equal(res.status, STRING_IO_DONE);
    v = (uint32_t)ram[0x30FFE] | (uint32_t)ram[0x30FFF] << 8 | (uint32_t)ram[0x50000] << 16 |
        (uint32_t)ram[0x50001] << 24;
    assert_int_equal(v, 0xA1B2C3D4u);
}

static void test_page_fault(void **state)
{
    struct string_io_access a = outs(1, true, 4, 0);

    paging_32bit(false);
    regs.rsi = 0x401FFE;
    regs.rcx = 5;
    string_io_run(&env, &a, &regs, &res);
    assert_int_equal(res.status, STRING_IO_FAULT);
    assert_int_equal(res.vector, STRING_IO_EXC_PF);
    assert_int_equal(res.error, 0); /* not present, read, supervisor */
    assert_int_equal(res.cr2, 0x402000);
    assert_int_equal(res.done, 2);
    assert_int_equal(regs.rsi, 0x402000);
    assert_int_equal(regs.rcx, 3);
    assert_int_equal(regs.rip, 0x1000); /* on the instruction */

    /* INS into a read-only page: protection, write; the port is not read */
    a = ins(2, false, 4, 0);
    env.user = true;
    regs.rdi = 0x401010;
    string_io_run(&env, &a, &regs, &res);
    assert_int_equal(res.status, STRING_IO_FAULT);
    assert_int_equal(res.error, GUEST_PF_P | GUEST_PF_W | GUEST_PF_U);
    assert_int_equal(res.cr2, 0x401010);
    assert_int_equal(port_ins, 0);
    assert_int_equal(regs.rdi, 0x401010);

    /* the second half of an element faults: CR2 names that byte, nothing moved */
    env.user = false;
    a = ins(4, false, 4, 0);
    regs.rdi = 0x401FFE;
    env.paging.cr0 &= ~GUEST_CR0_WP;
    string_io_run(&env, &a, &regs, &res);
    assert_int_equal(res.status, STRING_IO_FAULT);
    assert_int_equal(res.cr2, 0x402000);
    assert_int_equal(res.error, GUEST_PF_W);
    assert_int_equal(port_ins, 0);
}

static void test_noncanonical_gp(void **state)
{
    struct string_io_access a = outs(1, false, 8, 0);

    env.paging = (struct guest_paging){ .cr0 = GUEST_CR0_PG | 1, .cr3 = 0x10000, .cr4 = GUEST_CR4_PAE,
                                        .efer = GUEST_EFER_LMA | (1ULL << 8) };
    regs.rsi = 0x8000000000000000ULL;
    string_io_run(&env, &a, &regs, &res);
    assert_int_equal(res.status, STRING_IO_FAULT);
    assert_int_equal(res.vector, STRING_IO_EXC_GP);
    assert_int_equal(res.error, 0);
}

static void test_outside_ram_stops(void **state)
{
    struct string_io_access a = outs(1, true, 4, 0);

    regs.rsi = RAM_BYTES - 1;
    regs.rcx = 3;
    string_io_run(&env, &a, &regs, &res);
    assert_int_equal(res.status, STRING_IO_STOP);
    assert_string_equal(res.reason, "string I/O: OUTS read at GPA 0x100000 (linear 0x100000) is not guest RAM");
    assert_int_equal(res.done, 1);
    assert_int_equal(regs.rcx, 2);

    a = ins(2, false, 4, 0);
    regs.rdi = 0xFEE00000;
    string_io_run(&env, &a, &regs, &res);
    assert_int_equal(res.status, STRING_IO_STOP);
    assert_string_equal(res.reason, "string I/O: INS write at GPA 0xfee00000 (linear 0xfee00000) is not guest RAM");

    /* page tables outside RAM */
    paging_32bit(true);
    env.paging.cr3 = 0x7FFFF000;
    regs.rsi = 0x400000;
    a = outs(1, false, 4, 0);
    string_io_run(&env, &a, &regs, &res);
    assert_int_equal(res.status, STRING_IO_STOP);
    assert_non_null(strstr(res.reason, "page walk for linear 0x400000"));
}

static void test_iteration_bound(void **state)
{
    struct string_io_access a = outs(1, true, 4, 0);

    regs.rsi = 0x10000;
    regs.rcx = 10000;
    string_io_run(&env, &a, &regs, &res);
    assert_int_equal(res.status, STRING_IO_DONE);
    assert_int_equal(res.done, STRING_IO_MAX_ITERATIONS);
    assert_int_equal(regs.rcx, 10000 - STRING_IO_MAX_ITERATIONS);
    assert_int_equal(regs.rsi, 0x10000 + STRING_IO_MAX_ITERATIONS);
    assert_int_equal(regs.rip, 0x1000); /* re-executed for the rest */
    string_io_run(&env, &a, &regs, &res);
    string_io_run(&env, &a, &regs, &res);
    assert_int_equal(res.done, 10000 - 2 * STRING_IO_MAX_ITERATIONS);
    assert_int_equal(regs.rcx, 0);
    assert_int_equal(regs.rip, NEXT_RIP);
    assert_int_equal(port_log_len, 10000);
}

static void test_device_stop_and_bad_sizes(void **state)
{
    struct string_io_access a = outs(1, true, 4, 0);

    out_stop_after = 2;
    regs.rcx = 5;
    string_io_run(&env, &a, &regs, &res);
    assert_int_equal(res.status, STRING_IO_STOP);
    assert_int_equal(port_log_len, 2);

    a = outs(3, true, 4, 0);
    string_io_run(&env, &a, &regs, &res);
    assert_int_equal(res.status, STRING_IO_STOP);
    a = outs(1, true, 3, 0);
    string_io_run(&env, &a, &regs, &res);
    assert_int_equal(res.status, STRING_IO_STOP);
    assert_string_equal(res.reason, "string I/O: address size 3");
}

static void test_decode_prefixes(void **state)
{
    static const uint8_t rep_outsb[] = { 0xF3, 0x6E };
    static const uint8_t a16_cs[] = { 0x67, 0xF3, 0x2E, 0x6E };
    static const uint8_t es_insb[] = { 0x26, 0x6C };
    static const uint8_t rex_outsd[] = { 0xF3, 0x48, 0x6F };
    static const uint8_t a32_gs[] = { 0x65, 0x67, 0x66, 0x6D };
    static const uint8_t nop[] = { 0x90 };
    static const uint8_t prefixes_only[] = { 0xF3, 0xF3 };
    unsigned as;
    enum string_io_seg seg;

    assert_true(string_io_decode_prefixes(rep_outsb, 2, 4, false, &as, &seg));
    assert_int_equal(as, 4);
    assert_int_equal(seg, STRING_IO_DS);
    assert_true(string_io_decode_prefixes(a16_cs, 4, 4, false, &as, &seg));
    assert_int_equal(as, 2);
    assert_int_equal(seg, STRING_IO_CS);
    assert_true(string_io_decode_prefixes(a16_cs, 4, 2, false, &as, &seg));
    assert_int_equal(as, 4);
    assert_true(string_io_decode_prefixes(es_insb, 2, 2, true, &as, &seg));
    assert_int_equal(as, 8);
    assert_int_equal(seg, STRING_IO_ES);
    assert_true(string_io_decode_prefixes(rex_outsd, 3, 4, true, &as, &seg));
    assert_int_equal(as, 8);
    assert_false(string_io_decode_prefixes(rex_outsd, 3, 4, false, &as, &seg)); /* 48 is DEC EAX */
    assert_true(string_io_decode_prefixes(a32_gs, 4, 4, true, &as, &seg));
    assert_int_equal(as, 4);
    assert_int_equal(seg, STRING_IO_GS);
    assert_false(string_io_decode_prefixes(nop, 1, 4, false, &as, &seg));
    assert_false(string_io_decode_prefixes(prefixes_only, 2, 4, false, &as, &seg));
    assert_false(string_io_decode_prefixes(rep_outsb, 0, 4, false, &as, &seg));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_outs_forward, setup),
        cmocka_unit_test_setup(test_backward, setup),
        cmocka_unit_test_setup(test_ins_and_rcx_zero, setup),
        cmocka_unit_test_setup(test_16bit_wrap, setup),
        cmocka_unit_test_setup(test_32bit_wrap, setup),
        cmocka_unit_test_setup(test_page_crossing, setup),
        cmocka_unit_test_setup(test_page_fault, setup),
        cmocka_unit_test_setup(test_noncanonical_gp, setup),
        cmocka_unit_test_setup(test_outside_ram_stops, setup),
        cmocka_unit_test_setup(test_iteration_bound, setup),
        cmocka_unit_test_setup(test_device_stop_and_bad_sizes, setup),
        cmocka_unit_test(test_decode_prefixes),
    };

    return UNIT_RUN(tests);
}
