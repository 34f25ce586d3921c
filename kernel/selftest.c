// SPDX-License-Identifier: GPL-2.0-only
/* Command-line self-tests of the exception, interrupt and timer paths. */
#include "kernel/selftest.h"

#include <stdbool.h>
#include <stdint.h>

#include "kernel/arch/x86.h"
#include "kernel/cmdline.h"
#include "kernel/cpu/irq.h"
#include "kernel/cpu/lapic.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/platform.h"
#include "kernel/time.h"
#include "lib/kstring.h"

/* Canonical, far above anything the host page tables map. */
#define SELFTEST_UNMAPPED_ADDRESS 0x7fff00000000ULL
#define SELFTEST_TIMER_US         10000
#define SELFTEST_TIMER_LIMIT_US   1000000

struct timer_probe {
    volatile bool fired;
    volatile uint64_t fired_us;
};

static __attribute__((noinline)) void selftest_exception(void)
{
    log_raw("selftest: exception: executing ud2\n");
    __asm__ volatile("ud2");
    log_raw("selftest: exception: ud2 returned\n");
    platform_exit(PLATFORM_EXIT_FAILURE);
}

static __attribute__((noinline)) void selftest_pagefault(void)
{
    log_raw("selftest: pagefault: reading 0x%llx\n", (unsigned long long)SELFTEST_UNMAPPED_ADDRESS);
    (void)*(volatile uint64_t *)(uintptr_t)SELFTEST_UNMAPPED_ADDRESS;
    log_raw("selftest: pagefault: the read returned\n");
    platform_exit(PLATFORM_EXIT_FAILURE);
}

static void timer_probe_handler(struct irq_frame *frame, void *ctx)
{
    struct timer_probe *probe = ctx;

    probe->fired_us = time_now_us();
    probe->fired = true;
}

/*
 * Waits by polling with interrupts enabled, not with hlt: if the interrupt never comes,
 * nothing else would wake a halted CPU, and every wait must be bounded.
 */
static __attribute__((noinline)) void selftest_timer(void)
{
    struct timer_probe probe = { false, 0 };
    int vector = irq_alloc_vector(timer_probe_handler, &probe);
    uint64_t start;
    int ret;

    if (vector < 0) {
        log_raw("selftest: timer: no free vector\n");
        platform_exit(PLATFORM_EXIT_FAILURE);
    }
    start = time_now_us();
    ret = lapic_timer_oneshot(SELFTEST_TIMER_US, vector);
    if (ret < 0) {
        log_raw("selftest: timer: cannot program the LAPIC timer (error %d)\n", ret);
        platform_exit(PLATFORM_EXIT_FAILURE);
    }
    irq_enable();
    while (!probe.fired && time_now_us() - start < SELFTEST_TIMER_LIMIT_US)
        cpu_relax();
    irq_disable();
    lapic_timer_stop();
    irq_free_vector(vector);
    if (!probe.fired) {
        log_raw("selftest: timer: no interrupt within %u us (vector %#x)\n", SELFTEST_TIMER_LIMIT_US, vector);
        platform_exit(PLATFORM_EXIT_FAILURE);
    }
    log_raw("selftest: timer interrupt received after %llu us (vector %#x, programmed %u us)\n",
            (unsigned long long)(probe.fired_us - start), vector, SELFTEST_TIMER_US);
}

/* The #PF cannot be delivered on an unmapped stack: a #DF on its own IST stack reports it. */
static __attribute__((noinline)) void selftest_doublefault(void)
{
    uint64_t bad_stack = SELFTEST_UNMAPPED_ADDRESS + 0x1000;

    log_raw("selftest: doublefault: pushing onto the unmapped stack 0x%llx\n", (unsigned long long)bad_stack);
    __asm__ volatile("movq %0, %%rsp\n\tpushq $0" ::"r"(bad_stack) : "memory");
    log_raw("selftest: doublefault: the push returned\n");
    platform_exit(PLATFORM_EXIT_FAILURE);
}

static __attribute__((noinline)) void selftest_panic(void)
{
    log_raw("selftest: panic: calling panic(\"selftest\")\n");
    panic("selftest");
}

/* Self-tests that their own subsystem runs (vtd: iommu/vtd_selftest.c, svm and vmx: vmm/vmm.c). */
#define SUBSYSTEM_SELFTESTS "vtd, svm, vmx"

static bool selftest_is_subsystem_test(const char *name)
{
    return !strcmp(name, "vtd") || !strcmp(name, "svm") || !strcmp(name, "vmx");
}

void selftest_run(void)
{
    char name[32];

    if (!cmdline_get("selftest", name, sizeof(name)))
        return;
    if (!strcmp(name, "exception"))
        selftest_exception();
    else if (!strcmp(name, "pagefault"))
        selftest_pagefault();
    else if (!strcmp(name, "timer"))
        selftest_timer();
    else if (!strcmp(name, "doublefault"))
        selftest_doublefault();
    else if (!strcmp(name, "panic"))
        selftest_panic();
    else if (!selftest_is_subsystem_test(name))
        pr_warn("selftest: unknown test \"%s\" (exception, pagefault, doublefault, timer, panic, %s)\n", name,
                SUBSYSTEM_SELFTESTS);
}
