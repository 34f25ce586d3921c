/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The assign= command-line value: host PCI functions for a VM, comma-separated,
 * each "BB:DD.F" or "SSSS:BB:DD.F" in hex (segment 0 when omitted). Pure.
 */
#ifndef NESTOR_VMM_ASSIGN_LIST_H
#define NESTOR_VMM_ASSIGN_LIST_H

#include <stdint.h>

#define ASSIGN_MAX_DEVICES 8

struct assign_bdf {
    uint16_t seg;
    uint8_t bus, dev, fn;
};

/*
 * Parses value into out[] (at most max entries, duplicates dropped). Returns the number
 * of entries; each malformed item, duplicate or item beyond max is logged and skipped.
 */
unsigned assign_list_parse(const char *value, struct assign_bdf *out, unsigned max);

#endif
