// SPDX-License-Identifier: GPL-2.0-only
/* Test-guest support (see guest_lib.h). */
#include "tests/guests/guest_lib.h"

#define LSR 5
#define LSR_THRE 0x20

static unsigned checks_run, checks_failed;

static void putc_serial(char c)
{
    for (int i = 0; i < 100000 && !(inb(COM1 + LSR) & LSR_THRE); i++)
        ;
    outb(COM1, (uint8_t)c);
}

void puts_serial(const char *s)
{
    while (*s)
        putc_serial(*s++);
}

void put_uint(uint32_t v)
{
    char buf[11];
    int i = sizeof(buf) - 1;

    buf[i] = '\0';
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    puts_serial(buf + i);
}

bool check(bool cond, const char *name)
{
    checks_run++;
    if (!cond)
        checks_failed++;
    puts_serial(cond ? "ok " : "not ok ");
    put_uint(checks_run);
    puts_serial(" - ");
    puts_serial(name);
    puts_serial("\n");
    return cond;
}

void finish(void)
{
    puts_serial("1..");
    put_uint(checks_run);
    puts_serial("\n");
    outb(DEBUG_EXIT_PORT, checks_failed ? DEBUG_EXIT_FAIL : DEBUG_EXIT_PASS);
    for (;;)
        __asm__ volatile("cli; hlt");
}
