/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CPU tables and interrupt dispatch. Vectors 0-31 are exceptions (reported with vector,
 * error code, RIP, CR2, registers and a backtrace, then the run stops cleanly);
 * 32-255 are dispatched to registered handlers. The legacy 8259 PICs are masked.
 */
#ifndef NESTOR_KERNEL_CPU_IRQ_H
#define NESTOR_KERNEL_CPU_IRQ_H

#include <stdint.h>

struct irq_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rdi, rsi, rbp, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss;
};

typedef void (*irq_handler_fn)(struct irq_frame *frame, void *ctx);

/* GDT with TSS (IST stacks for #DF, NMI, #MC), IDT, PIC masking. */
void cpu_tables_init(void);
/* Local APIC (xAPIC) enable and spurious vector. */
void lapic_init(void);
void lapic_eoi(void);
uint32_t lapic_id(void);

/* A free vector >= 0x30 with the handler installed, or -1. The handler must not EOI. */
int irq_alloc_vector(irq_handler_fn fn, void *ctx);
void irq_free_vector(int vector);

/* MSI address/data that deliver vector to this CPU (fixed, edge, physical destination). */
uint32_t msi_address_for_this_cpu(void);
uint32_t msi_data_for_vector(int vector);

#endif
