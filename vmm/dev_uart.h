/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Emulated 16550 UART, output only: the transmitter is always ready (LSR THRE|TEMT), no
 * receive data, no interrupts; the other registers keep what the guest writes. Output is
 * collected per VM and printed line by line, each line starting with exactly the VM's
 * prefix ("[vm0] "), so a harness can strip it and compare with a native run.
 * Carriage returns are dropped; other control bytes print as '.'. Pure: unit-tested.
 */
#ifndef NESTOR_VMM_DEV_UART_H
#define NESTOR_VMM_DEV_UART_H

#include <stdint.h>

#include "vmm/iodev.h"

#define VUART_COM1_BASE 0x3F8
#define VUART_PORTS     8
#define VUART_LINE_MAX  200 /* a longer line is broken there */

struct vuart {
    struct iodev io;
    const char *prefix;
    uint8_t ier, fcr, lcr, mcr, scr, dll, dlm;
    char line[VUART_LINE_MAX + 1];
    unsigned line_len;
    uint64_t bytes_out;
};

/* Registers the UART's 8 ports at base on bus; prefix must outlive the device. */
int vuart_init(struct vuart *u, struct iodev_bus *bus, uint16_t base, const char *prefix);
/* Prints a pending partial line (when the VM ends). */
void vuart_flush(struct vuart *u);

#endif
