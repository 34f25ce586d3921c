/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Boot self-tests chosen on the command line (selftest=NAME), run right before
 * "nestor: boot complete" for the QEMU harness:
 *   exception  ud2: the #UD report, then the run stops (QEMU status 37)
 *   pagefault  a read of an unmapped address: the #PF report, status 37
 *   doublefault  a push onto an unmapped stack: the #DF report (IST stack), status 37
 *   timer      a LAPIC timer interrupt 10 ms out; on success the boot completes (33)
 *   panic      panic("selftest"), status 37
 */
#ifndef NESTOR_KERNEL_SELFTEST_H
#define NESTOR_KERNEL_SELFTEST_H

void selftest_run(void);

#endif
