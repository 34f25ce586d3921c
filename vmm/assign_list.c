// SPDX-License-Identifier: GPL-2.0-only
/* assign= list parsing (format in assign_list.h). */
#include "vmm/assign_list.h"

#include <stdbool.h>

#include "kernel/log.h"
#include "kernel/pci/pci.h"
#include "lib/kstring.h"

#define ITEM_MAX 16   /* "SSSS:BB:DD.F" is 12 characters */

static bool same(const struct assign_bdf *a, const struct assign_bdf *b)
{
    return a->seg == b->seg && a->bus == b->bus && a->dev == b->dev && a->fn == b->fn;
}

static unsigned add_item(const char *item, struct assign_bdf *out, unsigned n, unsigned max)
{
    struct assign_bdf b;

    if (!pci_parse_bdf(item, &b.seg, &b.bus, &b.dev, &b.fn)) {
        pr_warn("assign: \"%s\" is not a PCI address (BB:DD.F or SSSS:BB:DD.F); ignored\n", item);
        return n;
    }
    for (unsigned i = 0; i < n; i++)
        if (same(&out[i], &b)) {
            pr_warn("assign: " PCI_BDF_FMT " listed twice; assigned once\n", PCI_BDF_ARGS(&b));
            return n;
        }
    if (n >= max) {
        pr_warn("assign: more than %u devices; " PCI_BDF_FMT " ignored\n", max, PCI_BDF_ARGS(&b));
        return n;
    }
    out[n] = b;
    return n + 1;
}

unsigned assign_list_parse(const char *value, struct assign_bdf *out, unsigned max)
{
    char item[ITEM_MAX];
    unsigned n = 0, len = 0;
    bool too_long = false;

    for (const char *p = value;; p++) {
        if (*p == ',' || *p == '\0') {
            item[len] = '\0';
            if (too_long)
                pr_warn("assign: \"%s...\" is not a PCI address; ignored\n", item);
            else if (len)
                n = add_item(item, out, n, max);
            len = 0;
            too_long = false;
            if (*p == '\0')
                break;
        } else if (len < ITEM_MAX - 1) {
            item[len++] = *p;
        } else {
            too_long = true;
        }
    }
    return n;
}
