/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The legacy 8259A pair: remapped to vectors 0x20-0x2F (so a spurious IRQ 7 or 15 lands
 * on a known vector instead of an exception's) and then fully masked. Nestor uses the
 * LAPIC and MSIs only.
 */
#ifndef NESTOR_KERNEL_CPU_PIC_H
#define NESTOR_KERNEL_CPU_PIC_H

#define PIC_VECTOR_BASE  0x20
#define PIC_VECTOR_LAST  0x2F

void pic_remap_and_mask(void);

#endif
