// SPDX-License-Identifier: GPL-2.0-only
/* Emulated 16550 UART (see dev_uart.h). Registers: PC16550D datasheet, table 2. */
#include "vmm/dev_uart.h"

#include "kernel/log.h"
#include "lib/kstring.h"

enum uart_reg {
    UART_THR_RBR = 0, /* DLL when LCR.DLAB */
    UART_IER = 1,     /* DLM when LCR.DLAB */
    UART_IIR_FCR = 2,
    UART_LCR = 3,
    UART_MCR = 4,
    UART_LSR = 5,
    UART_MSR = 6,
    UART_SCR = 7,
};

#define LCR_DLAB       (1u << 7)
#define LSR_THRE       (1u << 5)
#define LSR_TEMT       (1u << 6)
#define IIR_NO_INT     (1u << 0)
#define IIR_FIFO_ON    0xC0u
#define FCR_FIFO_EN    (1u << 0)
#define MSR_CTS_DSR_DCD 0xB0u

void vuart_flush(struct vuart *u)
{
    if (!u->line_len)
        return;
    u->line[u->line_len] = '\0';
    log_raw("%s%s\n", u->prefix, u->line);
    u->line_len = 0;
}

static void vuart_put(struct vuart *u, uint8_t c)
{
    u->bytes_out++;
    if (c == '\r')
        return;
    if (c == '\n') {
        u->line[u->line_len] = '\0';
        log_raw("%s%s\n", u->prefix, u->line);
        u->line_len = 0;
        return;
    }
    if ((c < 0x20 && c != '\t') || c >= 0x7F)
        c = '.';
    u->line[u->line_len++] = (char)c;
    if (u->line_len == VUART_LINE_MAX)
        vuart_flush(u);
}

static int vuart_read(struct iodev *dev, uint64_t offset, unsigned size, uint64_t *value)
{
    struct vuart *u = dev->ctx;
    bool dlab = u->lcr & LCR_DLAB;

    switch (offset) {
    case UART_THR_RBR: *value = dlab ? u->dll : 0; break;
    case UART_IER: *value = dlab ? u->dlm : u->ier; break;
    case UART_IIR_FCR: *value = IIR_NO_INT | ((u->fcr & FCR_FIFO_EN) ? IIR_FIFO_ON : 0); break;
    case UART_LCR: *value = u->lcr; break;
    case UART_MCR: *value = u->mcr; break;
    case UART_LSR: *value = LSR_THRE | LSR_TEMT; break;
    case UART_MSR: *value = MSR_CTS_DSR_DCD; break;
    default: *value = u->scr; break;
    }
    if (size > 1) /* wider accesses read the following registers as open bus */
        *value |= ~0ULL << 8;
    return 0;
}

static int vuart_write(struct iodev *dev, uint64_t offset, unsigned size, uint64_t value)
{
    struct vuart *u = dev->ctx;
    uint8_t v = (uint8_t)value;
    bool dlab = u->lcr & LCR_DLAB;

    switch (offset) {
    case UART_THR_RBR:
        if (dlab)
            u->dll = v;
        else
            vuart_put(u, v);
        break;
    case UART_IER:
        if (dlab)
            u->dlm = v;
        else
            u->ier = v & 0x0F;
        break;
    case UART_IIR_FCR: u->fcr = v; break;
    case UART_LCR: u->lcr = v; break;
    case UART_MCR: u->mcr = v & 0x1F; break;
    case UART_SCR: u->scr = v; break;
    default: break; /* LSR and MSR are read-only */
    }
    return 0;
}

static const struct iodev_ops vuart_ops = { .read = vuart_read, .write = vuart_write };

int vuart_init(struct vuart *u, struct iodev_bus *bus, uint16_t base, const char *prefix)
{
    memset(u, 0, sizeof(*u));
    u->prefix = prefix;
    u->io = (struct iodev){ .name = "uart16550", .space = IODEV_PIO, .base = base,
                            .len = VUART_PORTS, .ops = &vuart_ops, .ctx = u };
    return iodev_register(bus, &u->io);
}
