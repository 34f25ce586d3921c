/* SPDX-License-Identifier: GPL-2.0-only */
/* Formatted output into a buffer: the subset of C99 printf the hypervisor uses. */
#ifndef NESTOR_LIB_FMT_H
#define NESTOR_LIB_FMT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * C99 vsnprintf semantics: writes at most size bytes including the NUL,
 * returns the length the full output would have had.
 * Conversions: d i u x X o c s p %, flags - 0 + space #, width and precision
 * (also *), length modifiers hh h l ll z t j. No floating point.
 */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
