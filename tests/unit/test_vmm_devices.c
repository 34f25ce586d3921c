// SPDX-License-Identifier: GPL-2.0-only
/* Guest platform pieces: CPUID filter, device registry, UART output, isa-debug-exit. */
#include "tests/unit/support.h"

#include <string.h>

#include "kernel/errno.h"
#include "vmm/cpuid_filter.h"
#include "vmm/dev_debug_exit.h"
#include "vmm/dev_uart.h"
#include "vmm/iodev.h"

static void test_cpuid_hides_and_signs(void **state)
{
    struct cpuid_values host = { 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF }, out;
    char sig[13] = { 0 };

    cpuid_filter(0x80000001, 0, &host, 0, &out);
    assert_int_equal(out.ecx & (1u << 2), 0); /* SVM */
    cpuid_filter(1, 0, &host, 3, &out);
    assert_int_equal(out.ecx & (1u << 5), 0); /* VMX */
    assert_int_equal(out.ecx & (1u << 3), 0); /* MONITOR */
    assert_int_equal(out.ecx & (1u << 26), 0); /* XSAVE */
    assert_true(out.ecx & (1u << 31));       /* hypervisor present */
    assert_int_equal(out.ebx >> 24, 3);       /* APIC ID = vCPU index */
    assert_true(out.edx & 1);                 /* FPU kept */
    cpuid_filter(0x8000000A, 0, &host, 0, &out);
    assert_int_equal(out.eax | out.ebx | out.ecx | out.edx, 0);
    cpuid_filter(0x40000000, 0, &host, 0, &out);
    assert_int_equal(out.eax, CPUID_HV_LEAF_MAX);
    memcpy(sig, &out.ebx, 4);
    memcpy(sig + 4, &out.ecx, 4);
    memcpy(sig + 8, &out.edx, 4);
    assert_string_equal(sig, "NestorNestor");
    cpuid_filter(0x40000010, 0, &host, 0, &out);
    assert_int_equal(out.eax | out.ebx | out.ecx | out.edx, 0);
    cpuid_filter(0, 0, &host, 0, &out); /* unfiltered leaves pass through */
    assert_int_equal(out.ebx, 0xFFFFFFFF);
}

static uint64_t last_write;

static int dummy_read(struct iodev *d, uint64_t off, unsigned size, uint64_t *v) { *v = off; return 0; }
static int dummy_write(struct iodev *d, uint64_t off, unsigned size, uint64_t v) { last_write = v + off; return 0; }
static const struct iodev_ops dummy_ops = { dummy_read, dummy_write };

static void test_iodev_registry(void **state)
{
    struct iodev_bus bus = { 0 };
    struct iodev a = { "a", IODEV_PIO, 0x100, 8, &dummy_ops, NULL, NULL };
    struct iodev b = { "b", IODEV_PIO, 0x108, 8, &dummy_ops, NULL, NULL };
    struct iodev c = { "c", IODEV_PIO, 0x104, 8, &dummy_ops, NULL, NULL };
    struct iodev m = { "m", IODEV_MMIO, 0xFEE00000ULL, 0x1000, &dummy_ops, NULL, NULL };
    struct iodev bad = { "bad", IODEV_PIO, 0xFFFF, 2, &dummy_ops, NULL, NULL };
    uint64_t v;

    assert_int_equal(iodev_register(&bus, &b), 0);
    assert_int_equal(iodev_register(&bus, &a), 0);
    assert_int_equal(iodev_register(&bus, &c), -EEXIST);
    assert_int_equal(iodev_register(&bus, &bad), -EINVAL);
    assert_int_equal(iodev_register(&bus, &m), 0);
    assert_ptr_equal(bus.pio, &a); /* kept sorted */
    assert_ptr_equal(iodev_find(&bus, IODEV_PIO, 0x10A, 2), &b);
    assert_null(iodev_find(&bus, IODEV_PIO, 0x107, 2)); /* straddles two devices */
    assert_null(iodev_find(&bus, IODEV_MMIO, 0x100, 1)); /* spaces are separate */
    assert_int_equal(iodev_read(&bus, IODEV_MMIO, 0xFEE000F0ULL, 4, &v), 0);
    assert_int_equal(v, 0xF0);
    assert_int_equal(iodev_write(&bus, IODEV_PIO, 0x102, 1, 5), 0);
    assert_int_equal(last_write, 7);
    assert_int_equal(iodev_read(&bus, IODEV_PIO, 0x200, 1, &v), -ENOENT);
    iodev_unregister(&bus, &a);
    assert_int_equal(iodev_read(&bus, IODEV_PIO, 0x100, 1, &v), -ENOENT);
}

static void uart_out(struct iodev_bus *bus, const char *s)
{
    for (; *s; s++)
        assert_int_equal(iodev_write(bus, IODEV_PIO, VUART_COM1_BASE, 1, (uint8_t)*s), 0);
}

static void test_uart_lines_prefixed(void **state)
{
    struct iodev_bus bus = { 0 };
    struct vuart u;
    uint64_t v;
    char longline[VUART_LINE_MAX + 11];

    unit_log_reset();
    assert_int_equal(vuart_init(&u, &bus, VUART_COM1_BASE, "[vm0] "), 0);
    assert_int_equal(iodev_read(&bus, IODEV_PIO, VUART_COM1_BASE + 5, 1, &v), 0);
    assert_int_equal(v & 0x60, 0x60); /* THRE | TEMT */
    assert_int_equal(iodev_write(&bus, IODEV_PIO, VUART_COM1_BASE + 7, 1, 0x5A), 0);
    assert_int_equal(iodev_read(&bus, IODEV_PIO, VUART_COM1_BASE + 7, 1, &v), 0);
    assert_int_equal(v, 0x5A); /* scratch register */
    /* divisor latch: THR writes with DLAB set are not output */
    assert_int_equal(iodev_write(&bus, IODEV_PIO, VUART_COM1_BASE + 3, 1, 0x80), 0);
    assert_int_equal(iodev_write(&bus, IODEV_PIO, VUART_COM1_BASE, 1, 1), 0);
    assert_int_equal(iodev_read(&bus, IODEV_PIO, VUART_COM1_BASE, 1, &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(iodev_write(&bus, IODEV_PIO, VUART_COM1_BASE + 3, 1, 0x03), 0);

    uart_out(&bus, "hello\r\nwor");
    assert_string_equal(unit_log_text(), "[vm0] hello\n");
    uart_out(&bus, "ld\x01\n");
    assert_string_equal(unit_log_text(), "[vm0] hello\n[vm0] world.\n");
    uart_out(&bus, "tail");
    vuart_flush(&u);
    assert_true(unit_log_contains("[vm0] tail\n"));

    unit_log_reset();
    memset(longline, 'x', sizeof(longline) - 1);
    longline[sizeof(longline) - 1] = '\0';
    uart_out(&bus, longline);
    vuart_flush(&u);
    assert_true(unit_log_contains("\n[vm0] xxxxxxxxxx\n")); /* broken at VUART_LINE_MAX */
    assert_int_equal(u.bytes_out, 10 + 4 + 4 + sizeof(longline) - 1);
}

static uint32_t exit_value;
static int exit_calls;
static void on_exit_write(void *ctx, uint32_t v) { exit_value = v; exit_calls++; }

static void test_debug_exit(void **state)
{
    struct iodev_bus bus = { 0 };
    struct vdebug_exit d;
    uint64_t v;

    unit_log_reset();
    assert_int_equal(vdebug_exit_init(&d, &bus, "vm2", on_exit_write, NULL), 0);
    assert_int_equal(iodev_read(&bus, IODEV_PIO, 0xF4, 1, &v), 0);
    assert_int_equal(v, ~0ULL);
    assert_int_equal(iodev_write(&bus, IODEV_PIO, 0xF4, 1, 0x10), 0);
    assert_int_equal(iodev_write(&bus, IODEV_PIO, 0xF4, 1, 0x11), 0);
    assert_int_equal(exit_calls, 1);
    assert_int_equal(exit_value, 0x10);
    assert_true(unit_log_contains("vm2: guest wrote 0x10 to isa-debug-exit\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cpuid_hides_and_signs),
        cmocka_unit_test(test_iodev_registry),
        cmocka_unit_test(test_uart_lines_prefixed),
        cmocka_unit_test(test_debug_exit),
    };
    return UNIT_RUN(tests);
}
