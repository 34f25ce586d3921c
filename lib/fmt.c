// SPDX-License-Identifier: GPL-2.0-only
/* Formatted output (C99 7.19.6.1 subset). Pure: used by the kernel and unit-tested on Linux. */
#include "lib/fmt.h"

#include <stdbool.h>
#include <stdint.h>

struct fmt_out {
    char *buf;
    size_t size;
    size_t len;
};

static void out_char(struct fmt_out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void out_repeat(struct fmt_out *o, char c, int n)
{
    while (n-- > 0)
        out_char(o, c);
}

struct fmt_spec {
    bool left, zero, plus, space, alt;
    int width;
    int prec; /* -1: none */
};

static void out_string(struct fmt_out *o, const char *s, const struct fmt_spec *sp)
{
    size_t n = 0;

    if (!s)
        s = "(null)";
    while (s[n] && (sp->prec < 0 || n < (size_t)sp->prec))
        n++;
    if (!sp->left)
        out_repeat(o, ' ', sp->width - (int)n);
    for (size_t i = 0; i < n; i++)
        out_char(o, s[i]);
    if (sp->left)
        out_repeat(o, ' ', sp->width - (int)n);
}

static void out_number(struct fmt_out *o, uint64_t v, bool neg, unsigned base, bool upper,
                       const struct fmt_spec *sp)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;
    const char *prefix = "";
    int zeros;

    if (v == 0 && sp->prec == 0) {
        n = 0;
    } else {
        do {
            tmp[n++] = digits[v % base];
            v /= base;
        } while (v);
    }
    if (neg)
        prefix = "-";
    else if (sp->plus && base == 10)
        prefix = "+";
    else if (sp->space && base == 10)
        prefix = " ";
    else if (sp->alt && base == 16 && n && !(n == 1 && tmp[0] == '0'))
        prefix = upper ? "0X" : "0x";
    else if (sp->alt && base == 8 && sp->prec <= n && (n == 0 || tmp[n - 1] != '0'))
        prefix = "0"; /* '#' makes the first digit a zero; precision padding may already do it */

    int plen = 0;
    while (prefix[plen])
        plen++;
    zeros = sp->prec > n ? sp->prec - n : 0;
    int total = plen + zeros + n;
    if (sp->zero && !sp->left && sp->prec < 0 && sp->width > total) {
        zeros += sp->width - total;
        total = sp->width;
    }
    if (!sp->left)
        out_repeat(o, ' ', sp->width - total);
    for (int i = 0; i < plen; i++)
        out_char(o, prefix[i]);
    out_repeat(o, '0', zeros);
    while (n)
        out_char(o, tmp[--n]);
    if (sp->left)
        out_repeat(o, ' ', sp->width - total);
}

enum fmt_len { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_PTRDIFF, LEN_MAX };

static uint64_t arg_unsigned(va_list *ap, enum fmt_len len)
{
    switch (len) {
    case LEN_CHAR: return (unsigned char)va_arg(*ap, unsigned int);
    case LEN_SHORT: return (unsigned short)va_arg(*ap, unsigned int);
    case LEN_LONG: return va_arg(*ap, unsigned long);
    case LEN_LLONG: return va_arg(*ap, unsigned long long);
    case LEN_SIZE: return va_arg(*ap, size_t);
    case LEN_PTRDIFF: return (uint64_t)va_arg(*ap, ptrdiff_t);
    case LEN_MAX: return va_arg(*ap, uintmax_t);
    default: return va_arg(*ap, unsigned int);
    }
}

static int64_t arg_signed(va_list *ap, enum fmt_len len)
{
    switch (len) {
    case LEN_CHAR: return (signed char)va_arg(*ap, int);
    case LEN_SHORT: return (short)va_arg(*ap, int);
    case LEN_LONG: return va_arg(*ap, long);
    case LEN_LLONG: return va_arg(*ap, long long);
    case LEN_SIZE: return (int64_t)va_arg(*ap, size_t);
    case LEN_PTRDIFF: return va_arg(*ap, ptrdiff_t);
    case LEN_MAX: return va_arg(*ap, intmax_t);
    default: return va_arg(*ap, int);
    }
}

/* Widths and precisions beyond this are clamped: the output is truncated to the buffer anyway. */
#define FMT_FIELD_MAX 100000

static int parse_int(const char **p)
{
    int v = 0;

    while (**p >= '0' && **p <= '9') {
        if (v < FMT_FIELD_MAX)
            v = v * 10 + (**p - '0');
        (*p)++;
    }
    return v;
}

/* A '*' argument: negative widths mean left-justify (C99 7.19.6.1p5); INT_MIN is not negated. */
static int clamp_star(int v)
{
    if (v < -FMT_FIELD_MAX)
        return FMT_FIELD_MAX;
    if (v < 0)
        v = -v;
    return v > FMT_FIELD_MAX ? FMT_FIELD_MAX : v;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
    struct fmt_out o = { buf, size, 0 };
    va_list ap;

    va_copy(ap, ap_in);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            out_char(&o, *p);
            continue;
        }
        p++;
        struct fmt_spec sp = { .prec = -1 };
        for (;; p++) {
            if (*p == '-') sp.left = true;
            else if (*p == '0') sp.zero = true;
            else if (*p == '+') sp.plus = true;
            else if (*p == ' ') sp.space = true;
            else if (*p == '#') sp.alt = true;
            else break;
        }
        if (*p == '*') {
            int w = va_arg(ap, int);
            if (w < 0)
                sp.left = true;
            sp.width = clamp_star(w);
            p++;
        } else {
            sp.width = parse_int(&p);
        }
        if (*p == '.') {
            p++;
            if (*p == '*') {
                int pr = va_arg(ap, int);
                sp.prec = pr < 0 ? -1 : clamp_star(pr);
                p++;
            } else {
                sp.prec = parse_int(&p);
            }
        }
        enum fmt_len len = LEN_INT;
        if (*p == 'h') {
            len = LEN_SHORT;
            if (*++p == 'h') { len = LEN_CHAR; p++; }
        } else if (*p == 'l') {
            len = LEN_LONG;
            if (*++p == 'l') { len = LEN_LLONG; p++; }
        } else if (*p == 'z') { len = LEN_SIZE; p++; }
        else if (*p == 't') { len = LEN_PTRDIFF; p++; }
        else if (*p == 'j') { len = LEN_MAX; p++; }

        switch (*p) {
        case 'd':
        case 'i': {
            int64_t v = arg_signed(&ap, len);
            uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            out_number(&o, mag, v < 0, 10, false, &sp);
            break;
        }
        case 'u':
            sp.plus = sp.space = false; /* sign flags apply to signed conversions (C99 7.19.6.1p6) */
            out_number(&o, arg_unsigned(&ap, len), false, 10, false, &sp);
            break;
        case 'x': out_number(&o, arg_unsigned(&ap, len), false, 16, false, &sp); break;
        case 'X': out_number(&o, arg_unsigned(&ap, len), false, 16, true, &sp); break;
        case 'o': out_number(&o, arg_unsigned(&ap, len), false, 8, false, &sp); break;
        case 'p':
            sp.alt = true;
            out_number(&o, (uintptr_t)va_arg(ap, void *), false, 16, false, &sp);
            break;
        case 'c': {
            char c = (char)va_arg(ap, int);
            if (!sp.left) out_repeat(&o, ' ', sp.width - 1);
            out_char(&o, c);
            if (sp.left) out_repeat(&o, ' ', sp.width - 1);
            break;
        }
        case 's': out_string(&o, va_arg(ap, const char *), &sp); break;
        case '%': out_char(&o, '%'); break;
        case '\0': p--; break; /* a lone '%' at the end prints nothing */
        default:
            out_char(&o, '%');
            out_char(&o, *p);
            break;
        }
    }
    va_end(ap);
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = fmt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
