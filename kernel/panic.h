/* SPDX-License-Identifier: GPL-2.0-only */
/* panic(): for hypervisor bugs only, never for guest or device input. */
#ifndef NESTOR_KERNEL_PANIC_H
#define NESTOR_KERNEL_PANIC_H

#include <stdint.h>

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);
/* Prints "  #n 0x... name+0x..." frames from a frame-pointer chain starting at rbp. */
void backtrace_print(uint64_t rip, uint64_t rbp);
/* Stops this CPU for good with interrupts off, after the platform exit hook. */
__attribute__((noreturn)) void panic_stop(void);

#define BUG_ON(cond)                                                         \
    do {                                                                     \
        if (cond)                                                            \
            panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond);            \
    } while (0)

#endif
