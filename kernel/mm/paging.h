/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host page tables. All RAM is direct-mapped at virtual = physical (write-back);
 * MMIO is mapped uncached on request. Nestor itself is identity-linked at 1 MiB.
 */
#ifndef NESTOR_KERNEL_MM_PAGING_H
#define NESTOR_KERNEL_MM_PAGING_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/bootinfo.h"

/* Replaces the boot page tables: direct map of every RAM range of the memory map. */
int paging_init(const struct boot_info *bi);

static inline void *phys_to_virt(uint64_t pa) { return (void *)(uintptr_t)pa; }
static inline uint64_t virt_to_phys(const void *va) { return (uint64_t)(uintptr_t)va; }

/* Maps [pa, pa+len) uncached (PCD|PWT) at virtual = physical; returns the pointer, or NULL. */
void *ioremap(uint64_t pa, size_t len);

/*
 * phys_read_fn for parsers (ACPI, boot info): a pointer to len bytes at pa if the whole
 * range is mapped (RAM, or firmware ranges mapped by paging_init), else NULL.
 */
const void *phys_read(uint64_t pa, size_t len);

#endif
