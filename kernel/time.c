// SPDX-License-Identifier: GPL-2.0-only
/* TSC-based time: calibration at boot, microsecond clock, delays, bounded polling. */
#include "kernel/time.h"

#include "kernel/arch/x86.h"
#include "kernel/cpu/lapic.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/pit.h"
#include "kernel/time_math.h"
#include "lib/fmt.h"

#define ASSUMED_TSC_HZ 1000000000ULL
#define CALIBRATION_MS 10
#define CALIBRATION_RUNS 3
#define CPUID_LEAF_TSC_CRYSTAL 0x15
#define CPUID_LEAF_FREQUENCIES 0x16
#define HZ_PER_MHZ 1000000ULL

/*
 * time_now_us() = clock_base_us + (rdtsc() - clock_base_tsc) / tsc_hz. Changing the rate
 * moves the base to now, so the clock never steps back across calibration.
 */
static uint64_t tsc_rate_hz = ASSUMED_TSC_HZ;
static uint64_t clock_base_tsc;
static uint64_t clock_base_us;

uint64_t tsc_hz(void)
{
    return tsc_rate_hz;
}

uint64_t time_now_us(void)
{
    return clock_base_us + ticks_to_us(rdtsc() - clock_base_tsc, tsc_rate_hz);
}

static void tsc_set_rate(uint64_t hz)
{
    uint64_t now_us = time_now_us();

    clock_base_tsc = rdtsc();
    clock_base_us = now_us;
    tsc_rate_hz = hz;
}

void udelay(uint64_t us)
{
    uint64_t start = rdtsc(), ticks = us_to_ticks(us, tsc_rate_hz);

    while (rdtsc() - start < ticks)
        cpu_relax();
}

int poll_timeout(bool (*done)(void *ctx), void *ctx, uint64_t timeout_us)
{
    uint64_t start = time_now_us();

    while (time_now_us() - start < timeout_us) {
        if (done(ctx))
            return 0;
        cpu_relax();
    }
    return done(ctx) ? 0 : -ETIMEDOUT;
}

/* The shortest of a few runs: a run can only be lengthened by delays in the polling loop. */
static uint64_t tsc_hz_from_pit(void)
{
    uint16_t pit_ticks = (uint16_t)(PIT_HZ * CALIBRATION_MS / 1000);
    uint64_t best = UINT64_MAX;

    for (int i = 0; i < CALIBRATION_RUNS; i++) {
        uint64_t tsc_ticks;
        if (pit_measure_tsc(pit_ticks, &tsc_ticks) < 0)
            return 0;
        if (tsc_ticks < best)
            best = tsc_ticks;
    }
    return hz_from_reference(best, pit_ticks, PIT_HZ);
}

/* CPUID 0x15 (TSC/crystal ratio and crystal clock), else 0x16 (base MHz); 0 if neither says. */
static uint64_t tsc_hz_from_cpuid(void)
{
    uint32_t max_leaf = cpuid(0, 0).eax;

    if (max_leaf >= CPUID_LEAF_TSC_CRYSTAL) {
        struct cpuid_regs r = cpuid(CPUID_LEAF_TSC_CRYSTAL, 0);
        if (r.eax && r.ebx && r.ecx)
            return mul_div_u64(r.ecx, r.ebx, r.eax);
    }
    if (max_leaf >= CPUID_LEAF_FREQUENCIES) {
        uint32_t base_mhz = cpuid(CPUID_LEAF_FREQUENCIES, 0).eax & 0xFFFF;
        if (base_mhz)
            return base_mhz * HZ_PER_MHZ;
    }
    return 0;
}

void time_init(void)
{
    char tsc_text[32], lapic_text[32];
    const char *source = "calibrated against the PIT";
    uint64_t hz = tsc_hz_from_pit(), lapic_hz;

    if (!hz) {
        hz = tsc_hz_from_cpuid();
        source = "PIT did not count; TSC from CPUID";
    }
    if (!hz) {
        hz = ASSUMED_TSC_HZ;
        source = "PIT did not count and CPUID has no TSC frequency; 1 GHz assumed";
    }
    tsc_set_rate(hz);

    lapic_hz = lapic_timer_calibrate();
    hz_format_mhz(hz, tsc_text, sizeof(tsc_text));
    if (lapic_hz)
        hz_format_mhz(lapic_hz, lapic_text, sizeof(lapic_text));
    else
        fmt_snprintf(lapic_text, sizeof(lapic_text), "not counting");
    pr_info("time: TSC %s, LAPIC timer %s (%s)\n", tsc_text, lapic_text, source);
}
