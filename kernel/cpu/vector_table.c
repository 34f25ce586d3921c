// SPDX-License-Identifier: GPL-2.0-only
/* Allocation of interrupt vectors to handlers. */
#include "kernel/cpu/vector_table.h"

#include <stddef.h>

static bool vector_in_range(int vector)
{
    return vector >= 0 && vector < VECTOR_TABLE_SIZE;
}

int vector_table_alloc(struct vector_table *t, int first, int last, irq_handler_fn fn, void *ctx)
{
    if (!fn || !vector_in_range(first) || !vector_in_range(last))
        return -1;
    for (int v = first; v <= last; v++) {
        struct vector_slot *s = &t->slot[v];
        if (s->fn)
            continue;
        s->ctx = ctx;
        __asm__ volatile("" ::: "memory"); /* ctx visible before fn (see header) */
        s->fn = fn;
        return v;
    }
    return -1;
}

bool vector_table_free(struct vector_table *t, int vector)
{
    if (!vector_in_range(vector) || !t->slot[vector].fn)
        return false;
    t->slot[vector].fn = NULL;
    __asm__ volatile("" ::: "memory");
    t->slot[vector].ctx = NULL;
    return true;
}

const struct vector_slot *vector_table_lookup(const struct vector_table *t, int vector)
{
    if (!vector_in_range(vector) || !t->slot[vector].fn)
        return NULL;
    return &t->slot[vector];
}
