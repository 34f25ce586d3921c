/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by isr.S and C: where the stubs put things in struct irq_frame, and which
 * interrupt stack table slot each critical vector uses. idt.c checks the offsets
 * against the structure at compile time.
 */
#ifndef NESTOR_KERNEL_CPU_ISR_H
#define NESTOR_KERNEL_CPU_ISR_H

#define IRQ_FRAME_RBP    80
#define IRQ_FRAME_VECTOR 120
#define IRQ_FRAME_RIP    136
#define IRQ_FRAME_SIZE   176

#define IDT_VECTORS 256

/* TSS IST slots (1-based, as the IDT gate encodes them); 0 means the current stack. */
#define IST_NMI 1
#define IST_DF  2
#define IST_MC  3
#define IST_COUNT 3

#ifndef __ASSEMBLY__
#include <stdint.h>

/* Entry points of the 256 stubs in isr.S, indexed by vector. */
extern const uint64_t isr_stub_table[IDT_VECTORS];

struct irq_frame;
/* Called by every stub with the frame it built; returns to the stub, which irets. */
void irq_dispatch(struct irq_frame *frame);
#endif

#endif
