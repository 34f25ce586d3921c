/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Local APIC beyond what kernel/cpu/irq.h declares: enabling it early (time_init
 * calibrates its timer) and the timer API. Timer vectors come from irq_alloc_vector();
 * the handler runs with the LAPIC EOI sent by the dispatcher.
 */
#ifndef NESTOR_KERNEL_CPU_LAPIC_H
#define NESTOR_KERNEL_CPU_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

#define LAPIC_SPURIOUS_VECTOR 0xFF
#define LAPIC_TIMER_DIVIDE    16

/* Maps and software-enables the LAPIC once (idempotent); false if this CPU has none. */
bool lapic_enable(void);
/* Physical base of the xAPIC page (from IA32_APIC_BASE), 0 in x2APIC mode or without a LAPIC. */
uint64_t lapic_base_phys(void);
bool lapic_is_x2apic(void);

/*
 * Measures the timer's input clock against the TSC (tsc_hz() must be calibrated):
 * divide by LAPIC_TIMER_DIVIDE, one-shot, masked, about 10 ms. Returns the input clock
 * in Hz (before the divider), or 0 if the timer did not count.
 */
uint64_t lapic_timer_calibrate(void);
/* The calibrated input clock in Hz, 0 before lapic_timer_calibrate() succeeded. */
uint64_t lapic_timer_hz(void);

/*
 * One interrupt on vector after us microseconds (or every us microseconds).
 * The period is clamped to what the 32-bit counter holds (about 68 s at 1 GHz / 16).
 * Returns 0, -EINVAL (vector < 0x20 or us == 0) or -ENODEV (not calibrated).
 */
int lapic_timer_oneshot(uint64_t us, int vector);
int lapic_timer_periodic(uint64_t us, int vector);
void lapic_timer_stop(void);

#endif
