// SPDX-License-Identifier: GPL-2.0-only
/* panic with registers and a symbolised backtrace. */
#include "kernel/panic.h"

#include <stdarg.h>

#include "kernel/arch/x86.h"
#include "kernel/ksyms.h"
#include "kernel/log.h"
#include "kernel/platform.h"
#include "lib/fmt.h"

#define BACKTRACE_MAX_FRAMES 32
/* Frames must lie in identity-mapped low memory (the boot map covers 4 GiB). */
#define BACKTRACE_LIMIT 0x100000000ULL

static void print_frame(int n, uint64_t rip)
{
    uint64_t off = 0;
    const char *name = ksyms_lookup(rip, &off);

    if (name)
        log_raw("  #%d 0x%016llx %s+0x%llx\n", n, (unsigned long long)rip, name, (unsigned long long)off);
    else
        log_raw("  #%d 0x%016llx ?\n", n, (unsigned long long)rip);
}

void backtrace_print(uint64_t rip, uint64_t rbp)
{
    log_raw("backtrace:\n");
    print_frame(0, rip);
    for (int n = 1; n < BACKTRACE_MAX_FRAMES && rbp; n++) {
        if ((rbp & 7) || rbp > BACKTRACE_LIMIT - 16 || rbp < 0x1000)
            break;
        const uint64_t *frame = (const uint64_t *)(uintptr_t)rbp;
        uint64_t next = frame[0], ret = frame[1];
        if (!ret)
            break;
        print_frame(n, ret);
        if (next <= rbp)
            break;
        rbp = next;
    }
}

void panic_stop(void)
{
    irq_disable();
    platform_exit(PLATFORM_EXIT_PANIC);
}

void panic(const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    uint64_t rbp, rsp;

    irq_disable();
    va_start(ap, fmt);
    fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    __asm__ volatile("mov %%rbp, %0; mov %%rsp, %1" : "=r"(rbp), "=r"(rsp));
    log_raw("\nPANIC: %s\n", msg);
    log_raw("  rsp=%016llx rbp=%016llx rflags=%016llx\n", (unsigned long long)rsp,
            (unsigned long long)rbp, (unsigned long long)read_rflags());
    log_raw("  cr0=%016llx cr2=%016llx cr3=%016llx cr4=%016llx\n", (unsigned long long)read_cr0(),
            (unsigned long long)read_cr2(), (unsigned long long)read_cr3(), (unsigned long long)read_cr4());
    /* Starts at the caller: panic's own frame record holds the same return address. */
    backtrace_print((uint64_t)(uintptr_t)__builtin_return_address(0), *(const uint64_t *)(uintptr_t)rbp);
    panic_stop();
}
