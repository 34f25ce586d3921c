/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Time: the TSC calibrated at boot against the PIT (and the LAPIC timer against the TSC).
 * Every hardware wait in Nestor is bounded with poll_timeout().
 */
#ifndef NESTOR_KERNEL_TIME_H
#define NESTOR_KERNEL_TIME_H

#include <stdbool.h>
#include <stdint.h>

/* Calibrates the TSC (and LAPIC timer); before it runs, a 1 GHz TSC is assumed. */
void time_init(void);
uint64_t time_now_us(void);
void udelay(uint64_t us);
uint64_t tsc_hz(void);

/*
 * Polls done(ctx) until it returns true or timeout_us elapses.
 * Returns 0, or -ETIMEDOUT (after one last check) - the caller logs what it was waiting for.
 */
int poll_timeout(bool (*done)(void *ctx), void *ctx, uint64_t timeout_us);

#endif
