/* SPDX-License-Identifier: GPL-2.0-only */
/* Function names for backtraces, from the .ksyms table built at link time. */
#ifndef NESTOR_KERNEL_KSYMS_H
#define NESTOR_KERNEL_KSYMS_H

#include <stdint.h>

/* Name of the function containing addr and the offset into it, or NULL. */
const char *ksyms_lookup(uint64_t addr, uint64_t *offset);

#endif
