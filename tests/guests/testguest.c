// SPDX-License-Identifier: GPL-2.0-only
/*
 * The test guest: a freestanding Multiboot1 kernel that checks what a loader and a PC
 * platform give it (boot information, CPUID, port I/O, the UART, MSRs, exceptions) and
 * reports TAP lines on COM1. It runs on bare QEMU (-kernel) and as a Nestor guest; the
 * two outputs must be identical. The command-line word "triplefault" makes it triple-fault
 * instead (the hypervisor must stop only that VM).
 */
#include <stddef.h>

#include "tests/guests/edu.h"
#include "tests/guests/guest_lib.h"
#include "tests/guests/guest_platform.h"
#include "vmm/multiboot1.h"

#define UART_LCR 3
#define UART_LSR 5
#define UART_SCR 7
#define LCR_DLAB 0x80
#define LCR_8N1  0x03
#define LSR_THRE_TEMT 0x60
#define CPUID_1_ECX_VMX (1u << 5)
#define CPUID_1_ECX_HYPERVISOR (1u << 31)
#define CPUID_1_EDX_FPU (1u << 0)
#define CPUID_1_EDX_TSC (1u << 4)
#define CPUID_E1_EDX_LM (1u << 29)
#define MSR_EFER 0xC0000080u
#define MSR_SYSENTER_CS 0x174u
#define EFER_LME (1ULL << 8)
#define EFER_SVME (1ULL << 12)
#define X86_EXC_UD 6

static void check_multiboot(uint32_t magic, const struct mb1_info *info)
{
    bool mmap_ok = false;

    check(magic == MB1_BOOTLOADER_MAGIC_EAX, "multiboot: EAX holds the loader magic");
    if (!check(info && (info->flags & MB1_INFO_MEMORY) && (info->flags & MB1_INFO_MEM_MAP) &&
                   (info->flags & MB1_INFO_CMDLINE),
               "multiboot: info has memory sizes, memory map and command line"))
        return;
    check(info->mem_lower_kb >= 600 && info->mem_lower_kb <= 640 && info->mem_upper_kb >= 15 * 1024,
          "multiboot: mem_lower and mem_upper are plausible");
    for (uint32_t off = 0; off + 4 <= info->mmap_length;) {
        const struct mb1_mmap_entry *e = (const void *)(uintptr_t)(info->mmap_addr + off);

        if (e->type == MB1_MMAP_AVAILABLE && e->base_addr <= 0x100000 &&
            e->base_addr + e->length >= 0x100000 + 15 * 1024 * 1024)
            mmap_ok = true;
        off += e->size + 4;
        if (e->size < 20)
            break;
    }
    check(mmap_ok, "multiboot: memory map has available RAM from 1 MiB");
}

static bool printable(uint32_t w)
{
    for (int i = 0; i < 4; i++, w >>= 8)
        if ((w & 0xFF) < 0x20 || (w & 0xFF) > 0x7E)
            return false;
    return true;
}

static void check_cpuid(void)
{
    struct cpuid_out r0 = cpuid(0, 0), r1 = cpuid(1, 0), e0 = cpuid(0x80000000u, 0);

    check(r0.eax >= 1 && printable(r0.ebx) && printable(r0.ecx) && printable(r0.edx),
          "cpuid: leaf 0 gives a maximum leaf and a vendor string");
    check((r1.edx & CPUID_1_EDX_FPU) && (r1.edx & CPUID_1_EDX_TSC), "cpuid: leaf 1 reports FPU and TSC");
    check(r1.ecx & CPUID_1_ECX_HYPERVISOR, "cpuid: hypervisor-present bit set");
    check(!(r1.ecx & CPUID_1_ECX_VMX), "cpuid: VMX not offered");
    check(e0.eax >= 0x80000001u && (cpuid(0x80000001u, 0).edx & CPUID_E1_EDX_LM),
          "cpuid: extended leaves report long mode");
}

static void check_uart(void)
{
    uint8_t lcr = inb(COM1 + UART_LCR), dll, dlm;

    check((inb(COM1 + UART_LSR) & LSR_THRE_TEMT) == LSR_THRE_TEMT, "uart: transmitter reports empty");
    outb(COM1 + UART_SCR, 0x5A);
    check(inb(COM1 + UART_SCR) == 0x5A, "uart: scratch register keeps a byte (port I/O)");
    outb(COM1 + UART_LCR, LCR_DLAB);
    outb(COM1 + 0, 0x01);
    outb(COM1 + 1, 0x00);
    dll = inb(COM1 + 0);
    dlm = inb(COM1 + 1);
    outb(COM1 + UART_LCR, LCR_8N1);
    check(dll == 0x01 && dlm == 0x00, "uart: divisor latch reads back");
    check(inb(COM1 + UART_LCR) == LCR_8N1, "uart: line control reads back");
    outb(COM1 + UART_LCR, lcr | LCR_8N1);
    puts_serial("# uart: this line went through the transmitter\n");
}

/* String port I/O (SDM vol. 2 INS/OUTS, REP): a line out through REP OUTSB, bytes in through REP INSB. */
static void check_string_io(void)
{
    static const char line[] = "# uart: rep outsb wrote this line\n";
    const char *src = line;
    uint32_t count = sizeof(line) - 1;
    uint8_t buf[4] = { 0 }, *dst = buf;
    uint32_t in_count = sizeof(buf);

    __asm__ volatile("cld; rep outsb" : "+S"(src), "+c"(count) : "d"((uint16_t)COM1) : "memory");
    check(count == 0 && src == line + sizeof(line) - 1, "uart: rep outsb advances ESI and counts ECX down");
    outb(COM1 + UART_SCR, 0xA5);
    __asm__ volatile("cld; rep insb" : "+D"(dst), "+c"(in_count) : "d"((uint16_t)(COM1 + UART_SCR)) : "memory");
    check(in_count == 0 && dst == buf + sizeof(buf) && buf[0] == 0xA5 && buf[3] == 0xA5,
          "uart: rep insb reads the scratch register into memory");
}

static void check_msr_and_exceptions(void)
{
    uint64_t efer = ~0ULL, cs = 0;

    check(probe_rdmsr(MSR_EFER, &efer) == -1 && !(efer & (EFER_SVME | EFER_LME)),
          "msr: EFER readable, SVME and LME clear");
    check(probe_wrmsr(MSR_SYSENTER_CS, 0x1234, 0) == -1 && probe_rdmsr(MSR_SYSENTER_CS, &cs) == -1 &&
              cs == 0x1234,
          "msr: SYSENTER_CS keeps a written value");
    check(probe_vmmcall() == X86_EXC_UD, "exception: VMMCALL raises #UD");
}

static bool cmdline_has_word(const struct mb1_info *info, const char *word)
{
    const char *s;

    if (!info || !(info->flags & MB1_INFO_CMDLINE) || !info->cmdline)
        return false;
    for (s = (const char *)(uintptr_t)info->cmdline; *s;) {
        const char *w = word;

        while (*s == ' ')
            s++;
        while (*w && *s == *w)
            s++, w++;
        if (!*w && (!*s || *s == ' '))
            return true;
        while (*s && *s != ' ')
            s++;
    }
    return false;
}

/* With no usable IDT, an exception becomes a double fault, then a triple fault (shutdown). */
static __attribute__((noreturn)) void triple_fault(void)
{
    static const struct __attribute__((packed)) { uint16_t limit; uint32_t base; } empty_idt = { 0, 0 };

    puts_serial("# testguest: forcing a shutdown (exception without an IDT)\n");
    __asm__ volatile("lidt %0; int3" ::"m"(empty_idt));
    for (;;)
        __asm__ volatile("cli; hlt");
}

void guest_main(uint32_t magic, const struct mb1_info *info);
void guest_main(uint32_t magic, const struct mb1_info *info)
{
    puts_serial("# testguest: multiboot1 test guest\n");
    if (magic == MB1_BOOTLOADER_MAGIC_EAX && cmdline_has_word(info, "triplefault"))
        triple_fault();
    check_multiboot(magic, info);
    check_cpuid();
    check_uart();
    check_string_io();
    check_msr_and_exceptions();
    if (cmdline_has_word(info, "mmio-unsupported"))
        platform_unsupported_mmio();
    check_platform();
    if (cmdline_has_word(info, "edu") || cmdline_has_word(info, "edu-dma-outside"))
        check_edu(cmdline_has_word(info, "edu-dma-outside"));
    finish();
}
