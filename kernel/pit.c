// SPDX-License-Identifier: GPL-2.0-only
/* PIT channel 2 as a one-shot reference interval (Intel 82C54 datasheet; port 0x61 as on the PC/AT). */
#include "kernel/pit.h"

#include "kernel/arch/x86.h"
#include "kernel/errno.h"

#define PIT_CH2_DATA 0x42
#define PIT_MODE_CMD 0x43
/* Mode command: channel 2, access lobyte/hibyte, mode 0, binary. */
#define PIT_CMD_CH2       (2u << 6)
#define PIT_CMD_LOHI      (3u << 4)
#define PIT_CMD_MODE0     (0u << 1)

#define SYS_CTRL_PORT_B   0x61
#define PORTB_CH2_GATE    (1u << 0)
#define PORTB_SPEAKER     (1u << 1)
#define PORTB_CH2_OUT     (1u << 5)

/*
 * Port reads take about 1 us on real chipsets and far less under emulation; this bounds
 * the wait well beyond a 16-bit count (55 ms) without depending on the TSC being known.
 */
#define PIT_POLL_MAX_READS 2000000u

int pit_measure_tsc(uint16_t pit_ticks, uint64_t *tsc_ticks)
{
    uint8_t saved = inb(SYS_CTRL_PORT_B);
    uint64_t start, end;
    uint32_t reads = 0;
    int ret = 0;

    /* Mode 0 counts while the gate is high, from the clock after the count is written. */
    outb(SYS_CTRL_PORT_B, (saved & ~PORTB_SPEAKER) | PORTB_CH2_GATE);
    outb(PIT_MODE_CMD, PIT_CMD_CH2 | PIT_CMD_LOHI | PIT_CMD_MODE0);
    outb(PIT_CH2_DATA, pit_ticks & 0xFF);
    outb(PIT_CH2_DATA, pit_ticks >> 8);
    start = rdtsc();
    /*
     * OUT is low from the count write until the count expires (82C54 mode 0). High now means
     * no counter answers (port 0x61 floating reads 0xff): the loop below would end at once.
     */
    if (inb(SYS_CTRL_PORT_B) & PORTB_CH2_OUT)
        ret = -ENODEV;
    while (!ret && !(inb(SYS_CTRL_PORT_B) & PORTB_CH2_OUT)) {
        if (++reads >= PIT_POLL_MAX_READS) {
            ret = -ETIMEDOUT;
            break;
        }
    }
    end = rdtsc();
    outb(SYS_CTRL_PORT_B, saved);
    *tsc_ticks = end - start;
    return ret;
}
