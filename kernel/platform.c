// SPDX-License-Identifier: GPL-2.0-only
/* Ending a run: isa-debug-exit, Bochs shutdown port, or halt. */
#include "kernel/platform.h"

#include "kernel/arch/x86.h"
#include "kernel/cmdline.h"
#include "kernel/log.h"
#include "lib/kstring.h"

#define QEMU_DEBUG_EXIT_PORT 0xF4
#define BOCHS_SHUTDOWN_PORT  0x8900
#define CPUID_HV_PRESENT     (1u << 31)
/* Bochs with "port_e9_hack: enabled=1" (tests/bochs/bochsrc.in) reads back 0xE9 there;
 * an unclaimed ISA port (real hardware, QEMU without debugcon) reads 0xFF. */
#define BOCHS_E9_PORT        0xE9

enum exit_method { EXIT_HALT, EXIT_QEMU, EXIT_BOCHS };

static enum exit_method exit_method = EXIT_HALT;

static bool cpuid_names_qemu(void)
{
    struct cpuid_regs r = cpuid(1, 0);
    char sig[13];

    if (!(r.ecx & CPUID_HV_PRESENT))
        return false;
    r = cpuid(0x40000000, 0);
    memcpy(sig, &r.ebx, 4);
    memcpy(sig + 4, &r.ecx, 4);
    memcpy(sig + 8, &r.edx, 4);
    sig[12] = '\0';
    return !strcmp(sig, "TCGTCGTCGTCG") || !strncmp(sig, "KVMKVMKVM", 9);
}

void platform_exit_init(void)
{
    char v[16] = "auto";

    cmdline_get("exit", v, sizeof(v));
    if (!strcmp(v, "qemu"))
        exit_method = EXIT_QEMU;
    else if (!strcmp(v, "bochs"))
        exit_method = EXIT_BOCHS;
    else if (!strcmp(v, "halt"))
        exit_method = EXIT_HALT;
    else {
        if (strcmp(v, "auto"))
            pr_warn("cmdline: exit=%s unknown, using auto\n", v);
        if (cpuid_names_qemu())
            exit_method = EXIT_QEMU;
        else if (inb(BOCHS_E9_PORT) == BOCHS_E9_PORT)
            exit_method = EXIT_BOCHS;
        else
            exit_method = EXIT_HALT;
    }
}

void platform_exit(int code)
{
    static const char shutdown[] = "Shutdown";

    irq_disable();
    log_raw("nestor: exit code 0x%x (%s)\n", code,
            exit_method == EXIT_QEMU ? "isa-debug-exit" : exit_method == EXIT_BOCHS ? "bochs shutdown port" : "halting");
    switch (exit_method) {
    case EXIT_QEMU:
        outb(QEMU_DEBUG_EXIT_PORT, (uint8_t)code);
        break;
    case EXIT_BOCHS:
        for (const char *c = shutdown; *c; c++)
            outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*c);
        break;
    case EXIT_HALT:
        break;
    }
    for (;;)
        cpu_halt();
}
