/* SPDX-License-Identifier: GPL-2.0-only */
/* Arithmetic of clocks: tick/time conversions and frequency formatting. Pure: unit-tested. */
#ifndef NESTOR_KERNEL_TIME_MATH_H
#define NESTOR_KERNEL_TIME_MATH_H

#include <stddef.h>
#include <stdint.h>

/* a * b / c with a 128-bit intermediate; UINT64_MAX if c is 0 or the quotient overflows. */
uint64_t mul_div_u64(uint64_t a, uint64_t b, uint64_t c);
/* Microseconds in ticks of a clock of hz (0 if hz is 0). */
uint64_t ticks_to_us(uint64_t ticks, uint64_t hz);
/* Ticks of a clock of hz in us microseconds. */
uint64_t us_to_ticks(uint64_t us, uint64_t hz);
/* Frequency of a clock that advanced clock_ticks while a reference of ref_hz advanced ref_ticks. */
uint64_t hz_from_reference(uint64_t clock_ticks, uint64_t ref_ticks, uint64_t ref_hz);
/* "2000.123 MHz" (rounded to kHz) into buf; returns buf. */
char *hz_format_mhz(uint64_t hz, char *buf, size_t size);

#endif
