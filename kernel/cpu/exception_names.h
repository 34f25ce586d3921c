/* SPDX-License-Identifier: GPL-2.0-only */
/* Names of the architectural exceptions and their error codes. Pure: unit-tested on Linux. */
#ifndef NESTOR_KERNEL_CPU_EXCEPTION_NAMES_H
#define NESTOR_KERNEL_CPU_EXCEPTION_NAMES_H

#include <stddef.h>
#include <stdint.h>

#define EXCEPTION_VECTORS 32
#define EXC_NMI 2
#define EXC_UD  6
#define EXC_DF  8
#define EXC_GP  13
#define EXC_PF  14
#define EXC_MC  18

/* "#PF" for 14; "#15" style for reserved vectors (0-31); NULL for vectors >= 32. */
const char *exception_mnemonic(unsigned vector);
/* "page fault" for 14, "reserved" for reserved vectors, NULL for vectors >= 32. */
const char *exception_description(unsigned vector);
/*
 * Decodes a #PF error code (SDM vol. 3 figure 4-12) into buf, e.g.
 * "write, not present, supervisor". Returns buf.
 */
char *pf_error_describe(uint64_t error, char *buf, size_t size);
/* Decodes a selector error code (#TS #NP #SS #GP, SDM 6.13), e.g. "IDT vector 0x0d". */
char *selector_error_describe(uint64_t error, char *buf, size_t size);

#endif
