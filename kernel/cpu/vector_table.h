/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which handler serves which interrupt vector. Pure (no hardware): unit-tested on Linux.
 * A slot is free when its handler is NULL; a slot's ctx is written before its handler,
 * so a dispatcher that sees the handler also sees its ctx.
 */
#ifndef NESTOR_KERNEL_CPU_VECTOR_TABLE_H
#define NESTOR_KERNEL_CPU_VECTOR_TABLE_H

#include <stdbool.h>

#include "kernel/cpu/irq.h"

#define VECTOR_TABLE_SIZE 256

struct vector_slot {
    irq_handler_fn fn;
    void *ctx;
};

struct vector_table {
    struct vector_slot slot[VECTOR_TABLE_SIZE];
};

/* Lowest free vector in [first, last] now serving fn(frame, ctx), or -1 (also for fn NULL). */
int vector_table_alloc(struct vector_table *t, int first, int last, irq_handler_fn fn, void *ctx);
/* Frees vector; false (and nothing changed) if it is out of range or already free. */
bool vector_table_free(struct vector_table *t, int vector);
/* The slot serving vector, or NULL if out of range or free. */
const struct vector_slot *vector_table_lookup(const struct vector_table *t, int vector);

#endif
