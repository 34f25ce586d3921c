/* SPDX-License-Identifier: GPL-2.0-only */
/* Vectors 0-31: every exception is a hypervisor bug here; it is reported and the run stops. */
#ifndef NESTOR_KERNEL_CPU_EXCEPTIONS_H
#define NESTOR_KERNEL_CPU_EXCEPTIONS_H

#include "kernel/cpu/irq.h"

/*
 * Prints "EXCEPTION: #PF (vector 14) error 0x2 at rip 0x... (fn+0x..)", the decoded error
 * code, CR2, the registers and a backtrace, then panic_stop(). An exception raised while
 * reporting prints one short line and stops; a third one only halts.
 */
__attribute__((noreturn)) void exception_report(const struct irq_frame *frame);

#endif
