// SPDX-License-Identifier: GPL-2.0-only
/* "BB:DD.F" and "SSSS:BB:DD.F" in hex, as Linux and QEMU print them. Pure. */
#include "kernel/pci/pci.h"

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* One to max_digits hex digits; *s advances past them. */
static bool parse_hex(const char **s, unsigned max_digits, unsigned *out)
{
    unsigned v = 0, n = 0;
    int d;

    while ((d = hex_digit(**s)) >= 0) {
        if (++n > max_digits)
            return false;
        v = v << 4 | (unsigned)d;
        (*s)++;
    }
    *out = v;
    return n > 0;
}

bool pci_parse_bdf(const char *s, uint16_t *seg, uint8_t *bus, uint8_t *dev, uint8_t *fn)
{
    unsigned first, second, third = 0, f, sg = 0, b, d;
    const char *p = s;

    if (!s || !parse_hex(&p, 4, &first) || *p++ != ':' || !parse_hex(&p, 2, &second))
        return false;
    if (*p == ':') {
        p++;
        if (!parse_hex(&p, 2, &third))
            return false;
        sg = first;
        b = second;
        d = third;
    } else {
        if (first > 0xff)
            return false;
        b = first;
        d = second;
    }
    if (*p++ != '.' || !parse_hex(&p, 1, &f) || *p != '\0')
        return false;
    if (d >= 32 || f >= 8)
        return false;
    *seg = (uint16_t)sg;
    *bus = (uint8_t)b;
    *dev = (uint8_t)d;
    *fn = (uint8_t)f;
    return true;
}
