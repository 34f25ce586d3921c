// SPDX-License-Identifier: GPL-2.0-only
/* 16550 UART console (PC16550D data sheet register map). */
#include "kernel/uart16550.h"

#include "kernel/arch/x86.h"

enum uart_reg {
    UART_THR = 0, /* transmit holding (DLAB=0) */
    UART_DLL = 0, /* divisor latch low (DLAB=1) */
    UART_IER = 1,
    UART_DLM = 1,
    UART_FCR = 2,
    UART_LCR = 3,
    UART_MCR = 4,
    UART_LSR = 5,
};

#define UART_LCR_8N1    0x03
#define UART_LCR_DLAB   0x80
#define UART_FCR_ENABLE 0x07 /* enable and clear both FIFOs */
#define UART_MCR_DTR_RTS_OUT2 0x0B
#define UART_LSR_THRE   0x20
#define UART_CLOCK_HZ   115200
/* Bounded wait for the transmitter: a missing UART must not hang the console. */
#define UART_TX_SPINS   100000

static uint16_t uart_port;

void uart_init(uint16_t port, uint32_t baud)
{
    uint16_t div = (uint16_t)(UART_CLOCK_HZ / (baud ? baud : UART_CLOCK_HZ));

    uart_port = port;
    outb(port + UART_IER, 0);
    outb(port + UART_LCR, UART_LCR_DLAB);
    outb(port + UART_DLL, div & 0xFF);
    outb(port + UART_DLM, div >> 8);
    outb(port + UART_LCR, UART_LCR_8N1);
    outb(port + UART_FCR, UART_FCR_ENABLE);
    outb(port + UART_MCR, UART_MCR_DTR_RTS_OUT2);
}

static void uart_putc(char c)
{
    for (int i = 0; i < UART_TX_SPINS; i++)
        if (inb(uart_port + UART_LSR) & UART_LSR_THRE)
            break;
    outb(uart_port + UART_THR, (uint8_t)c);
}

void uart_write(const char *s, size_t n)
{
    if (!uart_port)
        return;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            uart_putc('\r');
        uart_putc(s[i]);
    }
}
