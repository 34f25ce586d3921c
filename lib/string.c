// SPDX-License-Identifier: GPL-2.0-only
/* Memory and string functions (C99 7.21), byte-wise and without SSE. */
#include "lib/kstring.h"

#ifdef NESTOR_STRING_TEST
/* Unit tests compile this file under a prefix so the host C library stays in place. */
#define LIBC(name) nestor_##name
#else
#define LIBC(name) name
#endif

void *LIBC(memcpy)(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    while (n--)
        *d++ = *s++;
    return dst;
}

void *LIBC(memmove)(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (d < s) {
        while (n--)
            *d++ = *s++;
    } else if (d > s) {
        while (n--)
            d[n] = s[n];
    }
    return dst;
}

void *LIBC(memset)(void *dst, int c, size_t n)
{
    unsigned char *d = dst;

    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

int LIBC(memcmp)(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;

    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x < *y ? -1 : 1;
    return 0;
}

size_t LIBC(strlen)(const char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

size_t LIBC(strnlen)(const char *s, size_t max)
{
    size_t n = 0;

    while (n < max && s[n])
        n++;
    return n;
}

int LIBC(strcmp)(const char *a, const char *b)
{
    for (; *a && *a == *b; a++, b++)
        ;
    return (unsigned char)*a - (unsigned char)*b;
}

int LIBC(strncmp)(const char *a, const char *b, size_t n)
{
    for (; n && *a && *a == *b; n--, a++, b++)
        ;
    return n ? (unsigned char)*a - (unsigned char)*b : 0;
}

char *LIBC(strchr)(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}

size_t LIBC(strlcpy)(char *dst, const char *src, size_t size)
{
    size_t n = LIBC(strlen)(src);

    if (size) {
        size_t c = n < size - 1 ? n : size - 1;
        LIBC(memcpy)(dst, src, c);
        dst[c] = '\0';
    }
    return n;
}
