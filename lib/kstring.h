/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Memory and string functions of the in-tree C library (see README: why not newlib).
 * The kernel links lib/string.c; unit tests link the host C library for these and
 * test lib/string.c under the nestor_ prefix (tests/unit/test_string.c).
 */
#ifndef NESTOR_LIB_KSTRING_H
#define NESTOR_LIB_KSTRING_H

#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
/* Copies at most size-1 bytes and always terminates (when size > 0); returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);

#endif
