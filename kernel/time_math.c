// SPDX-License-Identifier: GPL-2.0-only
/* Clock arithmetic without overflow: 128-bit intermediates through mulq/divq. */
#include "kernel/time_math.h"

#include "lib/fmt.h"

#define US_PER_SEC 1000000ULL
#define HZ_PER_KHZ 1000ULL
#define KHZ_PER_MHZ 1000ULL

uint64_t mul_div_u64(uint64_t a, uint64_t b, uint64_t c)
{
    uint64_t lo, hi, q, r;

    __asm__("mulq %3" : "=a"(lo), "=d"(hi) : "a"(a), "rm"(b));
    if (!c || hi >= c) /* divq would raise #DE: the quotient needs more than 64 bits */
        return UINT64_MAX;
    __asm__("divq %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), "rm"(c));
    (void)r;
    return q;
}

uint64_t ticks_to_us(uint64_t ticks, uint64_t hz)
{
    return hz ? mul_div_u64(ticks, US_PER_SEC, hz) : 0;
}

uint64_t us_to_ticks(uint64_t us, uint64_t hz)
{
    return mul_div_u64(us, hz, US_PER_SEC);
}

uint64_t hz_from_reference(uint64_t clock_ticks, uint64_t ref_ticks, uint64_t ref_hz)
{
    return ref_ticks ? mul_div_u64(clock_ticks, ref_hz, ref_ticks) : 0;
}

char *hz_format_mhz(uint64_t hz, char *buf, size_t size)
{
    uint64_t khz = hz / HZ_PER_KHZ + (hz % HZ_PER_KHZ >= HZ_PER_KHZ / 2);

    fmt_snprintf(buf, size, "%llu.%03llu MHz", (unsigned long long)(khz / KHZ_PER_MHZ),
                 (unsigned long long)(khz % KHZ_PER_MHZ));
    return buf;
}
