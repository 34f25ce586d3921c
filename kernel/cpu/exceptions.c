// SPDX-License-Identifier: GPL-2.0-only
/* The report of a CPU exception taken by the hypervisor itself. */
#include "kernel/cpu/exceptions.h"

#include "kernel/arch/x86.h"
#include "kernel/cpu/exception_names.h"
#include "kernel/ksyms.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "lib/fmt.h"

/* Selector-format error codes (SDM 6.13); #DF and #AC push 0, #PF has its own format. */
#define EXC_TS 10
#define EXC_NP 11
#define EXC_SS 12

/* 0: not reporting; 1: reporting; 2: an exception hit the report; 3+: give up printing. */
static volatile int exception_depth;

static void halt_forever(void)
{
    for (;;) {
        irq_disable();
        cpu_halt();
    }
}

static void print_symbol(uint64_t addr, char *buf, size_t size)
{
    uint64_t off = 0;
    const char *name = ksyms_lookup(addr, &off);

    if (name)
        fmt_snprintf(buf, size, "%s+0x%llx", name, (unsigned long long)off);
    else
        fmt_snprintf(buf, size, "?");
}

static void print_error_detail(const struct irq_frame *f)
{
    char detail[96];

    switch (f->vector) {
    case EXC_PF:
        log_raw("  %s (%s), cr2=0x%016llx\n", exception_description(EXC_PF),
                pf_error_describe(f->error_code, detail, sizeof(detail)), (unsigned long long)read_cr2());
        break;
    case EXC_TS:
    case EXC_NP:
    case EXC_SS:
    case EXC_GP:
        if (f->error_code) {
            log_raw("  %s (%s)\n", exception_description(f->vector),
                    selector_error_describe(f->error_code, detail, sizeof(detail)));
            break;
        }
        /* fall through */
    default:
        log_raw("  %s\n", exception_description(f->vector));
        break;
    }
}

static void print_registers(const struct irq_frame *f)
{
#define R(x) (unsigned long long)(x)
    log_raw("  rax=%016llx rbx=%016llx rcx=%016llx rdx=%016llx\n", R(f->rax), R(f->rbx), R(f->rcx), R(f->rdx));
    log_raw("  rsi=%016llx rdi=%016llx rbp=%016llx rsp=%016llx\n", R(f->rsi), R(f->rdi), R(f->rbp), R(f->rsp));
    log_raw("  r8 =%016llx r9 =%016llx r10=%016llx r11=%016llx\n", R(f->r8), R(f->r9), R(f->r10), R(f->r11));
    log_raw("  r12=%016llx r13=%016llx r14=%016llx r15=%016llx\n", R(f->r12), R(f->r13), R(f->r14), R(f->r15));
    log_raw("  rip=%016llx rflags=%016llx cs=%04llx ss=%04llx\n", R(f->rip), R(f->rflags), R(f->cs), R(f->ss));
    log_raw("  cr0=%016llx cr2=%016llx cr3=%016llx cr4=%016llx\n", R(read_cr0()), R(read_cr2()), R(read_cr3()),
            R(read_cr4()));
#undef R
}

void exception_report(const struct irq_frame *f)
{
    char where[96];
    int depth = ++exception_depth;

    if (depth > 2)
        halt_forever();
    print_symbol(f->rip, where, sizeof(where));
    if (depth == 2) {
        log_raw("\nEXCEPTION: nested %s (vector %llu) at rip 0x%llx (%s) while reporting an exception; stopping\n",
                exception_mnemonic(f->vector), (unsigned long long)f->vector, (unsigned long long)f->rip, where);
        panic_stop();
    }
    log_raw("\nEXCEPTION: %s (vector %llu) error 0x%llx at rip 0x%llx (%s)\n", exception_mnemonic(f->vector),
            (unsigned long long)f->vector, (unsigned long long)f->error_code, (unsigned long long)f->rip, where);
    print_error_detail(f);
    print_registers(f);
    backtrace_print(f->rip, f->rbp);
    panic_stop();
}
