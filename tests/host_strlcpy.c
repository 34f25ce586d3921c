// SPDX-License-Identifier: GPL-2.0-only
/*
 * For the host builds (unit tests, fuzzers): glibc before 2.38 has no strlcpy, which the
 * pure modules call; in the kernel lib/string.c provides it.
 */
#include <string.h>

#if !__GLIBC_PREREQ(2, 38)
size_t strlcpy(char *dst, const char *src, size_t size)
{
    size_t n = strlen(src);

    if (size) {
        size_t c = n < size - 1 ? n : size - 1;
        memcpy(dst, src, c);
        dst[c] = '\0';
    }
    return n;
}
#endif
