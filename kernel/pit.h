/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The 8254 PIT, used once at boot as the reference clock for the TSC: channel 2,
 * gated through port 0x61, in mode 0 (interrupt on terminal count), polled, no IRQ.
 */
#ifndef NESTOR_KERNEL_PIT_H
#define NESTOR_KERNEL_PIT_H

#include <stdint.h>

#define PIT_HZ 1193182ULL

/*
 * Counts pit_ticks on channel 2 and returns in *tsc_ticks how far the TSC advanced
 * meanwhile. Returns 0, -ENODEV if OUT is already high when counting starts (nothing
 * answers at port 0x61), or -ETIMEDOUT if the count never ended (no PIT, or the gate
 * is not wired), with the speaker gate restored either way.
 */
int pit_measure_tsc(uint16_t pit_ticks, uint64_t *tsc_ticks);

#endif
