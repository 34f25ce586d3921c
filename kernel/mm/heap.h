/* SPDX-License-Identifier: GPL-2.0-only */
/* Small-object allocator for hypervisor structures (domains, VMs, device records). */
#ifndef NESTOR_KERNEL_MM_HEAP_H
#define NESTOR_KERNEL_MM_HEAP_H

#include <stddef.h>

/* Zeroed memory of at least size bytes, 16-byte aligned; NULL when out of memory. */
void *kzalloc(size_t size);
void kfree(void *p);

#endif
