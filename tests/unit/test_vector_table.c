// SPDX-License-Identifier: GPL-2.0-only
/* kernel/cpu/vector_table.c: allocation order, exhaustion, freeing, bad arguments. */
#include "tests/unit/support.h"

#include <string.h>

#include "kernel/cpu/vector_table.h"

static struct vector_table table;
static int calls;

static void handler_a(struct irq_frame *frame, void *ctx) { calls++; }
static void handler_b(struct irq_frame *frame, void *ctx) { calls += 10; }

static void reset(void)
{
    memset(&table, 0, sizeof(table));
    calls = 0;
}

static void test_alloc_lowest_free_in_range(void **state)
{
    int ctx_a, ctx_b;

    reset();
    assert_int_equal(vector_table_alloc(&table, 0x30, 0xFE, handler_a, &ctx_a), 0x30);
    assert_int_equal(vector_table_alloc(&table, 0x30, 0xFE, handler_b, &ctx_b), 0x31);
    const struct vector_slot *s = vector_table_lookup(&table, 0x31);
    assert_non_null(s);
    assert_ptr_equal(s->ctx, &ctx_b);
    s->fn(NULL, s->ctx);
    assert_int_equal(calls, 10);
    assert_null(vector_table_lookup(&table, 0x32));
    assert_null(vector_table_lookup(&table, 0x2F));
}

static void test_free_and_reuse(void **state)
{
    reset();
    assert_int_equal(vector_table_alloc(&table, 0x30, 0x32, handler_a, NULL), 0x30);
    assert_int_equal(vector_table_alloc(&table, 0x30, 0x32, handler_a, NULL), 0x31);
    assert_true(vector_table_free(&table, 0x30));
    assert_null(vector_table_lookup(&table, 0x30));
    assert_false(vector_table_free(&table, 0x30)); /* double free */
    assert_int_equal(vector_table_alloc(&table, 0x30, 0x32, handler_b, NULL), 0x30);
}

static void test_exhaustion(void **state)
{
    reset();
    for (int v = 0x40; v <= 0x4F; v++)
        assert_int_equal(vector_table_alloc(&table, 0x40, 0x4F, handler_a, NULL), v);
    assert_int_equal(vector_table_alloc(&table, 0x40, 0x4F, handler_a, NULL), -1);
    assert_int_equal(vector_table_alloc(&table, 0x40, 0x50, handler_a, NULL), 0x50);
}

static void test_bad_arguments(void **state)
{
    reset();
    assert_int_equal(vector_table_alloc(&table, 0x30, 0xFE, NULL, NULL), -1);
    assert_int_equal(vector_table_alloc(&table, -1, 0x30, handler_a, NULL), -1);
    assert_int_equal(vector_table_alloc(&table, 0x30, 256, handler_a, NULL), -1);
    assert_int_equal(vector_table_alloc(&table, 0x40, 0x30, handler_a, NULL), -1); /* empty range */
    assert_false(vector_table_free(&table, -1));
    assert_false(vector_table_free(&table, 256));
    assert_null(vector_table_lookup(&table, -5));
    assert_null(vector_table_lookup(&table, 1000));
    assert_int_equal(vector_table_alloc(&table, 0xFF, 0xFF, handler_a, NULL), 0xFF);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_lowest_free_in_range),
        cmocka_unit_test(test_free_and_reuse),
        cmocka_unit_test(test_exhaustion),
        cmocka_unit_test(test_bad_arguments),
    };
    return UNIT_RUN(tests);
}
