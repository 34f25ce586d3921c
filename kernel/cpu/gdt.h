/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host GDT and TSS. The selectors are what the CPU runs Nestor with; the VMM
 * needs them for the host state it saves (VMCS host fields, VMSAVE/VMLOAD).
 */
#ifndef NESTOR_KERNEL_CPU_GDT_H
#define NESTOR_KERNEL_CPU_GDT_H

#define GDT_KERNEL_CS 0x08
#define GDT_KERNEL_DS 0x10
#define GDT_TSS       0x18 /* a 16-byte system descriptor: slots 3 and 4 */

/* Loads the GDT, reloads every segment register, loads TR (IST stacks for NMI, #DF, #MC). */
void gdt_init(void);

#endif
