/* SPDX-License-Identifier: GPL-2.0-only */
/* 16550 UART, polled transmit: the hypervisor console. */
#ifndef NESTOR_KERNEL_UART16550_H
#define NESTOR_KERNEL_UART16550_H

#include <stddef.h>
#include <stdint.h>

#define UART_COM1 0x3F8

void uart_init(uint16_t port, uint32_t baud);
void uart_write(const char *s, size_t n);

#endif
