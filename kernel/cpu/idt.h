/* SPDX-License-Identifier: GPL-2.0-only */
/* The host IDT: every vector enters through its stub in isr.S. */
#ifndef NESTOR_KERNEL_CPU_IDT_H
#define NESTOR_KERNEL_CPU_IDT_H

/* Fills the 256 gates (interrupt gates: IF cleared on entry) and loads IDTR. */
void idt_init(void);

#endif
