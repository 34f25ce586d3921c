// SPDX-License-Identifier: GPL-2.0-only
/* Host GDT (flat 64-bit code and data) and the TSS that holds the IST stacks. */
#include "kernel/cpu/gdt.h"

#include <stdint.h>

#include "kernel/cpu/isr.h"

#define IST_STACK_SIZE 8192

/* Segment descriptor bits (SDM vol. 3 3.4.5, 3.4.5.1). */
#define DESC_ACCESSED     (1ULL << 40)
#define DESC_RW           (1ULL << 41)
#define DESC_CODE         (1ULL << 43)
#define DESC_CODE_OR_DATA (1ULL << 44)
#define DESC_PRESENT      (1ULL << 47)
#define DESC_LONG         (1ULL << 53)
#define DESC_DB           (1ULL << 54)
#define DESC_GRANULARITY  (1ULL << 55)
#define DESC_LIMIT_4G     (0xFFFFULL | (0xFULL << 48))
#define DESC_TYPE_TSS64   (0x9ULL << 40) /* available 64-bit TSS (SDM table 3-2) */

#define GDT_ENTRIES 5

/* 64-bit TSS (SDM vol. 3 figure 8-11): no I/O bitmap (iomap base past the limit). */
struct tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

_Static_assert(sizeof(struct tss64) == 104, "TSS layout (SDM figure 8-11)");

struct descriptor_table_ptr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

static uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
static struct tss64 tss __attribute__((aligned(16)));
static uint8_t ist_stacks[IST_COUNT][IST_STACK_SIZE] __attribute__((aligned(16)));

static uint64_t tss_descriptor_low(uint64_t base, uint32_t limit)
{
    return (limit & 0xFFFFULL) | ((base & 0xFFFFFFULL) << 16) | DESC_TYPE_TSS64 | DESC_PRESENT |
           ((uint64_t)(limit >> 16 & 0xF) << 48) | ((base >> 24 & 0xFF) << 56);
}

static void load_segments(void)
{
    struct descriptor_table_ptr gdtr = { sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt };
    uint64_t scratch;

    /* CS can only be reloaded by a far transfer: a far return to the next instruction. */
    __asm__ volatile("lgdt %[gdtr]\n\t"
                     "pushq %[cs]\n\t"
                     "leaq 1f(%%rip), %[tmp]\n\t"
                     "pushq %[tmp]\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movw %w[ds], %%ds\n\t"
                     "movw %w[ds], %%es\n\t"
                     "movw %w[ds], %%ss\n\t"
                     "movw %w[null], %%fs\n\t"
                     "movw %w[null], %%gs\n\t"
                     "ltr %w[tr]"
                     : [tmp] "=&r"(scratch)
                     : [gdtr] "m"(gdtr), [cs] "i"(GDT_KERNEL_CS), [ds] "r"(GDT_KERNEL_DS),
                       [null] "r"(0), [tr] "r"(GDT_TSS)
                     : "memory");
}

void gdt_init(void)
{
    uint64_t tss_base = (uint64_t)(uintptr_t)&tss;

    gdt[0] = 0;
    gdt[GDT_KERNEL_CS / 8] = DESC_LIMIT_4G | DESC_ACCESSED | DESC_RW | DESC_CODE | DESC_CODE_OR_DATA |
                             DESC_PRESENT | DESC_LONG | DESC_GRANULARITY;
    gdt[GDT_KERNEL_DS / 8] = DESC_LIMIT_4G | DESC_ACCESSED | DESC_RW | DESC_CODE_OR_DATA | DESC_PRESENT |
                             DESC_DB | DESC_GRANULARITY;
    gdt[GDT_TSS / 8] = tss_descriptor_low(tss_base, sizeof(tss) - 1);
    gdt[GDT_TSS / 8 + 1] = tss_base >> 32;

    for (int i = 0; i < IST_COUNT; i++)
        tss.ist[i] = (uint64_t)(uintptr_t)(ist_stacks[i] + IST_STACK_SIZE);
    tss.iomap_base = sizeof(tss);

    load_segments();
}
