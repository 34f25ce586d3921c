/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bit-field helpers for the VT-d in-memory formats. Every entry accessor in
 * iommu/vtd_*.h goes through these two functions; nothing else shifts or masks
 * entry bits. Fields are named by their inclusive bit range [hi:lo] inside one
 * 64-bit word, as the VT-d specification draws them.
 */
#ifndef NESTOR_IOMMU_VTD_BITS_H
#define NESTOR_IOMMU_VTD_BITS_H

#include <stdbool.h>
#include <stdint.h>

static inline uint64_t vtd_field_mask(unsigned hi, unsigned lo)
{
    return (~0ULL >> (63 - hi)) & (~0ULL << lo);
}

static inline uint64_t vtd_field_get(uint64_t word, unsigned hi, unsigned lo)
{
    return (word & vtd_field_mask(hi, lo)) >> lo;
}

/* Returns word with bits [hi:lo] replaced by value (extra high bits of value are dropped). */
static inline uint64_t vtd_field_set(uint64_t word, unsigned hi, unsigned lo, uint64_t value)
{
    uint64_t mask = vtd_field_mask(hi, lo);

    return (word & ~mask) | ((value << lo) & mask);
}

static inline bool vtd_bit_get(uint64_t word, unsigned bit)
{
    return (word >> bit) & 1;
}

static inline uint64_t vtd_bit_set(uint64_t word, unsigned bit, bool value)
{
    return vtd_field_set(word, bit, bit, value ? 1 : 0);
}

/* An address field [63:12] keeps the address's own bit positions. */
static inline uint64_t vtd_addr_get(uint64_t word)
{
    return word & vtd_field_mask(63, 12);
}

static inline uint64_t vtd_addr_set(uint64_t word, uint64_t addr)
{
    return (word & ~vtd_field_mask(63, 12)) | (addr & vtd_field_mask(63, 12));
}

/*
 * Stores one 64-bit word of a table the hardware may be reading. x86 keeps
 * stores in program order, so publishing the present bit last is enough as long
 * as the compiler neither reorders nor splits the stores.
 */
static inline void vtd_store64(uint64_t *dst, uint64_t value)
{
    *(volatile uint64_t *)dst = value;
}

static inline uint64_t vtd_load64(const uint64_t *src)
{
    return *(const volatile uint64_t *)src;
}

#endif
