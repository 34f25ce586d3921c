// SPDX-License-Identifier: GPL-2.0-only
/* 64-bit IDT gates (SDM vol. 3 6.14.1, figure 6-8). */
#include "kernel/cpu/idt.h"

#include <stddef.h>
#include <stdint.h>

#include "kernel/cpu/exception_names.h"
#include "kernel/cpu/gdt.h"
#include "kernel/cpu/irq.h"
#include "kernel/cpu/isr.h"

_Static_assert(offsetof(struct irq_frame, rbp) == IRQ_FRAME_RBP, "isr.S frame layout");
_Static_assert(offsetof(struct irq_frame, vector) == IRQ_FRAME_VECTOR, "isr.S frame layout");
_Static_assert(offsetof(struct irq_frame, rip) == IRQ_FRAME_RIP, "isr.S frame layout");
_Static_assert(sizeof(struct irq_frame) == IRQ_FRAME_SIZE, "isr.S frame layout");
_Static_assert(IRQ_FRAME_SIZE % 16 == 0, "isr.S keeps the stack 16-byte aligned");

#define GATE_TYPE_INTERRUPT 0xEULL
#define GATE_PRESENT        (1ULL << 47)

/* Raw gate as the CPU reads it. */
struct idt_gate {
    uint64_t lo, hi;
};

struct idt_ptr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

static struct idt_gate idt[IDT_VECTORS] __attribute__((aligned(16)));

static struct idt_gate idt_interrupt_gate(uint64_t handler, unsigned ist)
{
    struct idt_gate g;

    g.lo = (handler & 0xFFFF) | ((uint64_t)GDT_KERNEL_CS << 16) | ((uint64_t)(ist & 7) << 32) |
           (GATE_TYPE_INTERRUPT << 40) | GATE_PRESENT | ((handler >> 16 & 0xFFFF) << 48);
    g.hi = handler >> 32;
    return g;
}

static unsigned ist_for_vector(unsigned vector)
{
    switch (vector) {
    case EXC_NMI: return IST_NMI;
    case EXC_DF:  return IST_DF;
    case EXC_MC:  return IST_MC;
    default:      return 0;
    }
}

void idt_init(void)
{
    struct idt_ptr idtr = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };

    for (unsigned v = 0; v < IDT_VECTORS; v++)
        idt[v] = idt_interrupt_gate(isr_stub_table[v], ist_for_vector(v));
    __asm__ volatile("lidt %0" ::"m"(idtr) : "memory");
}
