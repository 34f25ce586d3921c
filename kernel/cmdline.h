/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel command line: whitespace-separated "key=value" or "key" words.
 * Values may be double-quoted to contain spaces. The last occurrence of a key wins.
 * Pure: unit-tested on Linux.
 */
#ifndef NESTOR_KERNEL_CMDLINE_H
#define NESTOR_KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CMDLINE_MAX 1024

/* Copies the command line (truncated to CMDLINE_MAX-1 bytes). NULL means empty. */
void cmdline_set(const char *s);
const char *cmdline_get_all(void);
/* True if the key is present (with or without a value); the value (or "") copied to buf. */
bool cmdline_get(const char *key, char *buf, size_t size);
bool cmdline_has(const char *key);
/* Numeric value (decimal, 0x hex); returns def when absent or malformed (malformed is logged). */
uint64_t cmdline_get_u64(const char *key, uint64_t def);
/* Parses an unsigned number (decimal or 0x-prefixed hex), the whole string; false if malformed. */
bool cmdline_parse_u64(const char *s, uint64_t *out);

#endif
